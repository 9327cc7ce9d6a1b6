// The token reaches the server: a channel made by ChannelFactory for a profile with a token
// sends `authorization: Bearer <token>` on a plaintext channel (where gRPC would drop call
// credentials), and none without a token; the server's refusal comes back as a sentence.
#include "client/BackendConnection.h"
#include "connection/ChannelFactory.h"

#include "flywheel/v1/pricing.grpc.pb.h"

#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

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
