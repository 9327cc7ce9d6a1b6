// The token reaches the server: a channel made by ChannelFactory for a profile with a token
// sends `authorization: Bearer <token>` on a plaintext channel (where gRPC would drop call
// credentials), and none without a token; the server's refusal comes back as a sentence.
#include "client/BackendConnection.h"
#include "connection/ChannelFactory.h"

#include "flywheel/v1/pricing.grpc.pb.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <mutex>

using namespace flywheel;
using namespace flywheel::ui;
using namespace std::chrono_literals;

namespace {

/// Answers every call UNAUTHENTICATED "token revoked" and keeps the authorization it saw.
class Recorder final : public grpc::CallbackGenericService {
public:
    grpc::ServerGenericBidiReactor *CreateReactor(grpc::GenericCallbackServerContext *context) override
    {
        {
            const std::lock_guard lock(m_mutex);
            m_calls += 1;
            m_authorization.clear();
            for (const auto &[key, value] : context->client_metadata()) {
                if (key == "authorization")
                    m_authorization.assign(value.data(), value.size());
            }
        }
        class Refuse final : public grpc::ServerGenericBidiReactor {
        public:
            Refuse() { Finish(grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "token revoked")); }
            void OnDone() override { delete this; }
        };
        return new Refuse;
    }

    std::string authorization() const
    {
        const std::lock_guard lock(m_mutex);
        return m_authorization;
    }

private:
    mutable std::mutex m_mutex;
    int m_calls = 0;
    std::string m_authorization;
};

grpc::Status callOnce(const std::shared_ptr<grpc::Channel> &channel)
{
    auto stub = v1::PricingService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    v1::GetRuleSetRequest request;
    v1::RuleSetVersion response;
    return stub->GetRuleSet(&context, request, &response);
}

} // namespace

class TestTokenMetadata final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void sendsTheBearerTokenOnAPlaintextChannel()
    {
        Recorder recorder;
        int port = 0;
        grpc::ServerBuilder builder;
        builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
        builder.RegisterCallbackGenericService(&recorder);
        const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
        QVERIFY(server);
        QVERIFY(port > 0);

        ConnectionProfile profile;
        profile.name = QStringLiteral("lab");
        profile.address = QStringLiteral("127.0.0.1:%1").arg(port);
        QString error;
        const auto withToken = ChannelFactory::create(profile, QStringLiteral("fw_tok_abc"), &error);
        QVERIFY2(withToken, qPrintable(error));
        const grpc::Status refused = callOnce(withToken);
        QCOMPARE(int(refused.error_code()), int(grpc::StatusCode::UNAUTHENTICATED));
        QCOMPARE(recorder.authorization(), std::string("Bearer fw_tok_abc"));
        QCOMPARE(BackendConnection::explain(refused), QStringLiteral("The token was refused: token revoked"));

        const auto withoutToken = ChannelFactory::create(profile, QString(), &error);
        QVERIFY(withoutToken);
        callOnce(withoutToken);
        QCOMPARE(recorder.authorization(), std::string());
        server->Shutdown(std::chrono::system_clock::now() + 1s);
    }

    void namesTheCaFileThatDoesNotSignTheServer()
    {
        // Two throw-away CAs; the server's certificate is signed by the first, the profile
        // trusts the second.
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QSKIP("needs the openssl program to make certificates");
        QTemporaryDir dir;
        const auto run = [&](const QStringList &arguments) {
            QProcess p;
            p.setWorkingDirectory(dir.path());
            p.start(openssl, arguments);
            return p.waitForFinished(30000) && p.exitCode() == 0;
        };
        const auto ca = [&](const QString &name) {
            return run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                        QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                        QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=") + name,
                        QStringLiteral("-keyout"), name + QStringLiteral(".key"), QStringLiteral("-out"),
                        name + QStringLiteral(".pem")});
        };
        QVERIFY(ca(QStringLiteral("ca1")));
        QVERIFY(ca(QStringLiteral("ca2")));
        QFile ext(dir.filePath(QStringLiteral("san.ext")));
        QVERIFY(ext.open(QIODevice::WriteOnly));
        ext.write("subjectAltName=IP:127.0.0.1\n");
        ext.close();
        QVERIFY(
            run({QStringLiteral("req"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"), QStringLiteral("-nodes"),
                 QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-keyout"),
                 QStringLiteral("server.key"), QStringLiteral("-out"), QStringLiteral("server.csr")}));
        QVERIFY(run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                     QStringLiteral("server.csr"), QStringLiteral("-CA"), QStringLiteral("ca1.pem"),
                     QStringLiteral("-CAkey"), QStringLiteral("ca1.key"), QStringLiteral("-CAcreateserial"),
                     QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-extfile"),
                     QStringLiteral("san.ext"), QStringLiteral("-out"), QStringLiteral("server.pem")}));
        const auto read = [&](const QString &name) {
            QFile f(dir.filePath(name));
            return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
        };
        grpc::SslServerCredentialsOptions options;
        options.pem_key_cert_pairs.push_back({read(QStringLiteral("server.key")), read(QStringLiteral("server.pem"))});
        Recorder recorder;
        int port = 0;
        grpc::ServerBuilder builder;
        builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(options), &port);
        builder.RegisterCallbackGenericService(&recorder);
        const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
        QVERIFY(server);

        ConnectionProfile profile;
        profile.name = QStringLiteral("prod");
        profile.address = QStringLiteral("127.0.0.1:%1").arg(port);
        profile.tls = true;
        profile.caFile = dir.filePath(QStringLiteral("ca2.pem"));
        QString error;
        const grpc::Status wrong = callOnce(ChannelFactory::create(profile, QStringLiteral("t"), &error));
        QCOMPARE(int(wrong.error_code()), int(grpc::StatusCode::UNAVAILABLE));
        const QString said = BackendConnection::explain(wrong, profile.caFile);
        QVERIFY2(said.startsWith(
                     QStringLiteral("The server's certificate is not signed by the CA in %1 (").arg(profile.caFile)),
                 qPrintable(said));

        // With the right CA the call goes through TLS and carries the token.
        profile.caFile = dir.filePath(QStringLiteral("ca1.pem"));
        const grpc::Status right = callOnce(ChannelFactory::create(profile, QStringLiteral("fw_tok_tls"), &error));
        QCOMPARE(int(right.error_code()), int(grpc::StatusCode::UNAUTHENTICATED));
        QCOMPARE(recorder.authorization(), std::string("Bearer fw_tok_tls"));
        server->Shutdown(std::chrono::system_clock::now() + 1s);
    }

    void refusesAnUnreadableCaFile()
    {
        ConnectionProfile profile;
        profile.name = QStringLiteral("prod");
        profile.address = QStringLiteral("127.0.0.1:1");
        profile.tls = true;
        profile.caFile = QStringLiteral("/nonexistent/ca.pem");
        QString error;
        QVERIFY(!ChannelFactory::create(profile, QStringLiteral("t"), &error));
        QCOMPARE(error, QStringLiteral("The CA file “/nonexistent/ca.pem” cannot be read: No such file or directory."));
    }
};

QTEST_GUILESS_MAIN(TestTokenMetadata)
#include "tst_tokenmetadata.moc"
