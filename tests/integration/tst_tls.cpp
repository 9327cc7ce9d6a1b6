// flywheeld over TLS: certificates made inside the test with OpenSSL; a TLS client
// that trusts the CA is served; plaintext to a TLS port, a client trusting another
// CA, and (mutual TLS) a client without a certificate are refused. The plaintext
// rule: a network address without TLS is refused before anything is created.

#include "flywheel/v1/system.grpc.pb.h"
#include "server/Backend.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>

using namespace flywheel;

namespace {

struct KeyDeleter {
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct CertDeleter {
    void operator()(X509 *c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;
using Cert = std::unique_ptr<X509, CertDeleter>;

Key newKey()
{
    return Key(EVP_EC_gen("P-256"));
}

void addExtension(X509 *cert, X509 *issuer, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

/// A certificate for `key` named `commonName`, signed by `issuer` (self-signed when
/// null); a CA when `ca`, else a leaf for localhost and 127.0.0.1.
Cert newCert(EVP_PKEY *key, const char *commonName, X509 *issuer, EVP_PKEY *issuerKey, bool ca, long serial)
{
    Cert cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24 * 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>(commonName), -1, -1,
                               0);
    X509 *signer = issuer != nullptr ? issuer : cert.get();
    X509_set_issuer_name(cert.get(), X509_get_subject_name(signer));
    if (ca) {
        addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE");
        addExtension(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        addExtension(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE");
        addExtension(cert.get(), signer, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
        addExtension(cert.get(), signer, NID_ext_key_usage, "serverAuth,clientAuth");
    }
    X509_sign(cert.get(), issuerKey != nullptr ? issuerKey : key, EVP_sha256());
    return cert;
}

std::string pem(X509 *cert)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    std::string text(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return text;
}

std::string pem(EVP_PKEY *key)
{
    BIO *bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    std::string text(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return text;
}

/// A CA and a leaf certificate it signed, as PEM text.
struct Pki {
    std::string caCert;
    std::string leafCert;
    std::string leafKey;
};

Pki makePki(const char *caName, long serial)
{
    Key caKey = newKey();
    Cert ca = newCert(caKey.get(), caName, nullptr, nullptr, true, serial);
    Key leafKey = newKey();
    Cert leaf = newCert(leafKey.get(), "localhost", ca.get(), caKey.get(), false, serial + 1);
    return Pki{pem(ca.get()), pem(leaf.get()), pem(leafKey.get())};
}

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
