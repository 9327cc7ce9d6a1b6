// flywheeld over TLS: certificates made inside the test with OpenSSL; a TLS client
// that trusts the CA is served; plaintext to a TLS port, a client trusting another
// CA, and (mutual TLS) a client without a certificate are refused. The plaintext
// rule: a network address without TLS is refused before anything is created.

#include "TestPki.h"

#include "flywheel/v1/system.grpc.pb.h"
#include "server/Backend.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>

using namespace flywheel;
using flywheel::test::makePki;
using flywheel::test::Pki;

namespace {

std::string writeFile(const QTemporaryDir &dir, const char *name, const std::string &text)
{
    const std::string path = dir.filePath(QString::fromLatin1(name)).toStdString();
    std::ofstream(path) << text;
    return path;
}

/// GetServerInfo over `credentials`; the status.
grpc::Status call(int port, const std::shared_ptr<grpc::ChannelCredentials> &credentials,
                  v1::ServerInfo *info = nullptr, const std::string &host = "127.0.0.1")
{
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    auto channel = grpc::CreateCustomChannel(host + ":" + std::to_string(port), credentials, args);
    auto stub = v1::SystemService::NewStub(channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ServerInfo ignored;
    return stub->GetServerInfo(&context, {}, info != nullptr ? info : &ignored);
}

std::shared_ptr<grpc::ChannelCredentials> trusting(const std::string &caPem, const Pki *client = nullptr)
{
    grpc::SslCredentialsOptions options;
    options.pem_root_certs = caPem;
    if (client != nullptr) {
        options.pem_cert_chain = client->leafCert;
        options.pem_private_key = client->leafKey;
    }
    return grpc::SslCredentials(options);
}

} // namespace

class TestTls final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void servesTlsToClientsThatTrustItsCa()
    {
        const Pki server = makePki("Flywheel test CA", 1);
        const Pki other = makePki("Another CA", 10);
        auto backend = start(server, nullptr);
        QVERIFY(backend != nullptr);
        v1::ServerInfo info;
        const grpc::Status ok = call(backend->port(), trusting(server.caCert), &info);
        QVERIFY2(ok.ok(), ok.error_message().c_str());
        QCOMPARE(info.warnings_size(), 0);

        const grpc::Status plaintext = call(backend->port(), grpc::InsecureChannelCredentials());
        QCOMPARE(plaintext.error_code(), grpc::StatusCode::UNAVAILABLE);
        const grpc::Status wrongCa = call(backend->port(), trusting(other.caCert));
        QCOMPARE(wrongCa.error_code(), grpc::StatusCode::UNAVAILABLE);
    }

    void mutualTlsRequiresAClientCertificateFromItsCa()
    {
        const Pki server = makePki("Flywheel test CA", 20);
        const Pki clients = makePki("Flywheel clients CA", 30);
        const Pki strangers = makePki("Stranger CA", 40);
        auto backend = start(server, &clients);
        QVERIFY(backend != nullptr);
        const grpc::Status withCert = call(backend->port(), trusting(server.caCert, &clients));
        QVERIFY2(withCert.ok(), withCert.error_message().c_str());
        const grpc::Status without = call(backend->port(), trusting(server.caCert));
        QCOMPARE(without.error_code(), grpc::StatusCode::UNAVAILABLE);
        const grpc::Status stranger = call(backend->port(), trusting(server.caCert, &strangers));
        QCOMPARE(stranger.error_code(), grpc::StatusCode::UNAVAILABLE);
    }

    // storefront_listen and admin_listen apart, both over TLS: GetServerInfo (admin
    // API) is served on the admin listener and refused on the storefront one.
    void servesTheTwoApisApartOverTls()
    {
        const Pki server = makePki("Flywheel test CA", 60);
        BackendOptions options;
        options.databasePath = m_dir->filePath(QStringLiteral("split.sqlite")).toStdString();
        options.listenAddress = "127.0.0.1:0";
        options.adminListenAddress = "127.0.0.2:0";
        options.tls.certFile = writeFile(*m_dir, "server.crt", server.leafCert);
        options.tls.keyFile = writeFile(*m_dir, "server.key", server.leafKey);
        auto backend = Backend::start(options);
        const grpc::Status onAdmin = call(backend->adminPort(), trusting(server.caCert), nullptr, "127.0.0.2");
        QVERIFY2(onAdmin.ok(), onAdmin.error_message().c_str());
        const grpc::Status onStorefront = call(backend->port(), trusting(server.caCert));
        QCOMPARE(onStorefront.error_code(), grpc::StatusCode::UNIMPLEMENTED);
        QVERIFY2(onStorefront.error_message().find("is part of the admin API") != std::string::npos,
                 onStorefront.error_message().c_str());
        const grpc::Status plaintext =
            call(backend->adminPort(), grpc::InsecureChannelCredentials(), nullptr, "127.0.0.2");
        QCOMPARE(plaintext.error_code(), grpc::StatusCode::UNAVAILABLE);
    }

    // Refused before anything is created: no database file is left behind.
    void refusesWhatMustNotBeServed()
    {
        const auto refusal = [this](BackendOptions options) -> QString {
            options.databasePath = m_dir->filePath(QStringLiteral("refused.sqlite")).toStdString();
            try {
                Backend::start(options);
            } catch (const StartupError &e) {
                return QString::fromUtf8(e.what());
            }
            return {};
        };
        BackendOptions plain;
        plain.listenAddress = "0.0.0.0:0";
        QVERIFY(refusal(plain).contains(QStringLiteral("refusing to serve plaintext on 0.0.0.0:0")));
        BackendOptions halfTls;
        halfTls.listenAddress = "127.0.0.1:0";
        halfTls.tls.certFile = writeFile(*m_dir, "only.crt", makePki("CA", 50).leafCert);
        QVERIFY(refusal(halfTls).contains(QStringLiteral("both a certificate and its private key")));
        BackendOptions notPem = halfTls;
        notPem.tls.keyFile = writeFile(*m_dir, "not.key", "hello\n");
        QVERIFY(refusal(notPem).contains(QStringLiteral("not a PEM file")));
        BackendOptions missing = halfTls;
        missing.tls.keyFile = m_dir->filePath(QStringLiteral("missing.key")).toStdString();
        QVERIFY(refusal(missing).contains(QStringLiteral("cannot read the TLS private key")));
        QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("refused.sqlite"))));
    }

private:
    std::unique_ptr<Backend> start(const Pki &server, const Pki *clientCa)
    {
        BackendOptions options;
        options.databasePath = m_dir->filePath(QStringLiteral("tls.sqlite")).toStdString();
        options.listenAddress = "127.0.0.1:0";
        options.tls.certFile = writeFile(*m_dir, "server.crt", server.leafCert);
        options.tls.keyFile = writeFile(*m_dir, "server.key", server.leafKey);
        if (clientCa != nullptr)
            options.tls.clientCaFile = writeFile(*m_dir, "clients-ca.crt", clientCa->caCert);
        return Backend::start(options);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestTls)
#include "tst_tls.moc"
