// TokenService over a real socket: an admin creates and revokes tokens from the
// console's API; a created token is accepted within a second and a revoked one
// refused; every bad input is named; every change is an audit entry that never
// holds the token.

#include "TestSupport.h"

#include "auth/TokensFile.h"
#include "domain/audit/ChainVerifier.h"
#include "domain/auth/TokenSecret.h"
#include "storage/SqliteAuditReader.h"

#include "flywheel/v1/system.grpc.pb.h"
#include "flywheel/v1/tokens.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class TestTokenService final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_tokensFile = m_dir.filePath(QStringLiteral("tokens.yaml")).toStdString();
        auth::TokenRegistry registry;
        m_admin = add(registry, "console-admin", auth::Role::Admin);
        m_operator = add(registry, "console-operator", auth::Role::Operator);
        auth::TokensFile::save(m_tokensFile, registry);

        BackendOptions options;
        m_database = m_dir.filePath(QStringLiteral("test.sqlite")).toStdString();
        options.databasePath = m_database;
        options.listenAddress = "127.0.0.1:0";
        options.tokensFile = m_tokensFile;
        options.seedDemoData = true;
        options.demoHistoryOrdersPerHour = 0;
        options.demoUsers = 2000;
        m_backend = Backend::start(options);
        QVERIFY(m_backend->port() > 0);
        m_channel =
            grpc::CreateChannel("127.0.0.1:" + std::to_string(m_backend->port()), grpc::InsecureChannelCredentials());
        m_tokens = v1::TokenService::NewStub(m_channel);
    }

    void cleanupTestCase()
    {
        m_tokens.reset();
        m_channel.reset();
        if (m_backend)
            m_backend->shutdown();
    }

    void listsTheFile()
    {
        v1::ListTokensResponse list;
        const grpc::Status status = listTokens(&list);
        QVERIFY2(status.ok(), status.error_message().c_str());
        QCOMPARE(list.tokens_size(), 2);
        QCOMPARE(list.tokens(0).name(), std::string("console-admin"));
        QCOMPARE(list.tokens(0).role(), std::string("admin"));
        QCOMPARE(list.tokens(0).state(), std::string("active"));
        QVERIFY(list.tokens(0).has_created());
        QVERIFY(!list.tokens(0).has_expires());
        QVERIFY(!list.tokens(0).has_revoked());
    }

    void badInputIsNamed_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("role");
        QTest::addColumn<int>("days");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("said");
        const QString ok = QStringLiteral("for the test");
        QTest::newRow("no name") << ""
                                 << "viewer" << 0 << ok << "name must be 1 to 64 characters";
        QTest::newRow("bad name") << "alice smith"
                                  << "viewer" << 0 << ok << "name may hold only";
        QTest::newRow("long name") << QString(65, u'a') << "viewer" << 0 << ok << "name must be 1 to 64";
        QTest::newRow("no role") << "alice"
                                 << "" << 0 << ok << "role is required";
        QTest::newRow("bad role") << "alice"
                                  << "root" << 0 << ok << "role must be storefront, viewer";
        QTest::newRow("role case") << "alice"
                                   << "Admin" << 0 << ok << "got \"Admin\"";
        QTest::newRow("negative days") << "alice"
                                       << "viewer" << -1 << ok << "expires_days must be";
        QTest::newRow("too many days") << "alice"
                                       << "viewer" << 3651 << ok << "from 1 to 3650";
        QTest::newRow("no reason") << "alice"
                                   << "viewer" << 0 << ""
                                   << "reason is required";
        QTest::newRow("long reason") << "alice"
                                     << "viewer" << 0 << QString(501, u'r') << "reason is 501 characters";
    }

    void badInputIsNamed()
    {
        QFETCH(QString, name);
        QFETCH(QString, role);
        QFETCH(int, days);
        QFETCH(QString, reason);
        QFETCH(QString, said);
        const QByteArray before = test::readAll(QString::fromStdString(m_tokensFile));
        v1::CreateTokenResponse created;
        const grpc::Status status =
            createToken(name.toStdString(), role.toStdString(), days, reason.toStdString(), &created);
        QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(contains(status.error_message(), said.toStdString()), status.error_message().c_str());
        QVERIFY(created.secret().empty());
        QCOMPARE(test::readAll(QString::fromStdString(m_tokensFile)), before);
    }

    void revokeRefusals()
    {
        v1::TokenInfo info;
        grpc::Status status = revokeToken("nobody", "gone", &info);
        QCOMPARE(status.error_code(), grpc::StatusCode::NOT_FOUND);
        QVERIFY2(contains(status.error_message(), "no token named \"nobody\""), status.error_message().c_str());
        status = revokeToken("console-operator", "", &info);
        QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(contains(status.error_message(), "reason is required"), status.error_message().c_str());
        status = revokeToken("bad name!", "why", &info);
        QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(contains(status.error_message(), "name may hold only"), status.error_message().c_str());
    }

    void operatorsMayNotManageTokens()
    {
        grpc::ClientContext context;
        context.AddMetadata("authorization", "Bearer " + m_operator);
        v1::ListTokensResponse list;
        const grpc::Status status = m_tokens->ListTokens(&context, {}, &list);
        QCOMPARE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
    }

    void createdIsAcceptedRevokedIsRefused()
    {
        v1::CreateTokenResponse created;
        QElapsedTimer timer;
        timer.start();
        grpc::Status status = createToken("ci-viewer", "viewer", 30, "the nightly report", &created);
        QVERIFY2(status.ok(), status.error_message().c_str());
        QVERIFY(auth::TokenSecret::wellFormed(created.secret()));
        QCOMPARE(created.token().name(), std::string("ci-viewer"));
        QCOMPARE(created.token().role(), std::string("viewer"));
        QCOMPARE(created.token().state(), std::string("active"));
        QCOMPARE(created.token().expires().seconds() - created.token().created().seconds(), 30LL * 24 * 3600);
        // The file keeps its digest, never the token.
        const QByteArray file = test::readAll(QString::fromStdString(m_tokensFile));
        QVERIFY(!file.contains(QByteArray::fromStdString(created.secret())));
        QVERIFY(file.contains(QByteArray::fromStdString(auth::TokenSecret::digest(created.secret()))));

        const std::string secret = created.secret();
        const auto whoAmI = [&](v1::WhoAmIResponse *me) {
            grpc::ClientContext context;
            context.AddMetadata("authorization", "Bearer " + secret);
            context.set_deadline(std::chrono::system_clock::now() + 10s);
            return v1::SystemService::NewStub(m_channel)->WhoAmI(&context, {}, me);
        };
        v1::WhoAmIResponse me;
        QTRY_VERIFY_WITH_TIMEOUT(whoAmI(&me).ok(), 1000);
        qInfo("a token created through TokenService worked after %lld ms", static_cast<long long>(timer.elapsed()));
        QCOMPARE(me.name(), std::string("ci-viewer"));
        QCOMPARE(me.role(), std::string("viewer"));

        // A second live token of that name is refused, and the file is left alone.
        const QByteArray before = test::readAll(QString::fromStdString(m_tokensFile));
        v1::CreateTokenResponse again;
        status = createToken("ci-viewer", "admin", 0, "again", &again);
        QCOMPARE(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
        QVERIFY2(contains(status.error_message(), "\"ci-viewer\" already exists"), status.error_message().c_str());
        QVERIFY(again.secret().empty());
        QCOMPARE(test::readAll(QString::fromStdString(m_tokensFile)), before);

        v1::TokenInfo revoked;
        timer.restart();
        status = revokeToken("ci-viewer", "report retired", &revoked);
        QVERIFY2(status.ok(), status.error_message().c_str());
        QCOMPARE(revoked.state(), std::string("revoked"));
        QVERIFY(revoked.has_revoked());
        QTRY_VERIFY_WITH_TIMEOUT(whoAmI(&me).error_code() == grpc::StatusCode::UNAUTHENTICATED, 1000);
        qInfo("a token revoked through TokenService was refused after %lld ms",
              static_cast<long long>(timer.elapsed()));
        const grpc::Status refused = whoAmI(&me);
        QVERIFY2(contains(refused.error_message(), "revoked"), refused.error_message().c_str());

        // Revoked, the name is free again; the list shows both.
        status = createToken("ci-viewer", "operator", 0, "replacement", &created);
        QVERIFY2(status.ok(), status.error_message().c_str());
        QVERIFY(!created.token().has_expires());
        v1::ListTokensResponse list;
        QVERIFY(listTokens(&list).ok());
        QCOMPARE(list.tokens_size(), 4);
        QCOMPARE(list.tokens(2).state(), std::string("revoked"));
        QCOMPARE(list.tokens(3).state(), std::string("active"));
        QCOMPARE(list.tokens(3).role(), std::string("operator"));
        m_secrets = {secret, created.secret()};
    }

    /// Last: shuts the backend down to read its audit log.
    void aFileThatCannotBeWrittenIsNamed()
    {
        // The replacement is written to FILE.tmp first: a directory there makes the
        // write fail (also for root, whom permissions would not stop).
        const QString temporary = QString::fromStdString(m_tokensFile + ".tmp");
        QVERIFY(QDir().mkdir(temporary));
        const QByteArray before = test::readAll(QString::fromStdString(m_tokensFile));
        v1::CreateTokenResponse created;
        const grpc::Status status = createToken("unwritten", "viewer", 0, "for the test", &created);
        QVERIFY(QDir().rmdir(temporary));
        QCOMPARE(status.error_code(), grpc::StatusCode::INTERNAL);
        QVERIFY2(contains(status.error_message(), m_tokensFile + ".tmp"), status.error_message().c_str());
        QVERIFY(created.secret().empty());
        QCOMPARE(test::readAll(QString::fromStdString(m_tokensFile)), before);
        v1::ListTokensResponse list;
        QVERIFY(listTokens(&list).ok());
        for (const v1::TokenInfo &token : list.tokens())
            QVERIFY(token.name() != "unwritten");
    }

    // A token whose audit entry cannot be written is not left live: it is revoked at
    // once and its secret is never shown.
    void aTokenWhoseEntryCannotBeWrittenIsRevoked()
    {
        QCOMPARE(test::execSql(m_database, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_entries "
                                           "BEGIN SELECT RAISE(ABORT, 'the audit log is full'); END"),
                 std::string());
        v1::CreateTokenResponse created;
        const grpc::Status status = createToken("unrecorded", "viewer", 0, "for the test", &created);
        QCOMPARE(test::execSql(m_database, "DROP TRIGGER no_audit"), std::string());
        QCOMPARE(status.error_code(), grpc::StatusCode::UNAVAILABLE);
        QVERIFY2(contains(status.error_message(), "\"unrecorded\" was not made") &&
                     contains(status.error_message(), "revoked at once"),
                 status.error_message().c_str());
        QVERIFY(created.secret().empty());
        v1::ListTokensResponse list;
        QVERIFY(listTokens(&list).ok());
        bool found = false;
        for (const v1::TokenInfo &token : list.tokens()) {
            if (token.name() == "unrecorded") {
                found = true;
                QCOMPARE(token.state(), std::string("revoked"));
            }
        }
        QVERIFY(found);
    }

    void everyChangeIsAuditedWithoutTheToken()
    {
        QCOMPARE(m_secrets.size(), std::size_t{2});
        m_tokens.reset();
        m_channel.reset();
        m_backend->shutdown();
        m_backend.reset();
        const std::vector<audit::Entry> entries = SqliteAuditReader::readChain(m_database);
        QVERIFY(audit::verify(entries).intact());
        std::vector<audit::Entry> tokens;
        for (const audit::Entry &e : entries) {
            if (e.area == "tokens")
                tokens.push_back(e);
        }
        QCOMPARE(tokens.size(), std::size_t{3}); // create, revoke, create; nothing refused
        for (const audit::Entry &e : tokens) {
            QCOMPARE(e.object, std::string("ci-viewer"));
            QCOMPARE(e.actor.name, std::string("console-admin"));
            QCOMPARE(e.actor.role, std::string("admin"));
            QVERIFY2(contains(e.actor.peer, "127.0.0.1:"), e.actor.peer.c_str());
            for (const std::string &secret : m_secrets) {
                QVERIFY(!contains(e.before + e.after + e.reason, secret));
                QVERIFY(!contains(e.before + e.after, auth::TokenSecret::digest(secret)));
            }
        }
        QCOMPARE(tokens[0].reason, std::string("the nightly report"));
        QCOMPARE(tokens[0].before, std::string());
        QVERIFY2(contains(tokens[0].after, "name: ci-viewer\nrole: viewer\ncreated: "), tokens[0].after.c_str());
        QVERIFY2(contains(tokens[0].after, "expires: "), tokens[0].after.c_str());
        QCOMPARE(tokens[1].reason, std::string("report retired"));
        QCOMPARE(tokens[1].before, tokens[0].after);
        QVERIFY2(contains(tokens[1].after, "revoked: "), tokens[1].after.c_str());
        QVERIFY(!contains(tokens[1].before, "revoked: "));
        QCOMPARE(tokens[2].reason, std::string("replacement"));
        QVERIFY2(contains(tokens[2].after, "role: operator"), tokens[2].after.c_str());
    }

    void withoutATokensFileEveryCallSaysSo()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        std::unique_ptr<Backend> backend = test::startBackend(dir);
        auto stub = v1::TokenService::NewStub(backend->inProcessChannel());
        const auto expectRefusal = [](const grpc::Status &status) {
            QCOMPARE(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
            QVERIFY2(contains(status.error_message(), "no tokens file"), status.error_message().c_str());
        };
        {
            grpc::ClientContext context;
            v1::ListTokensResponse list;
            expectRefusal(stub->ListTokens(&context, {}, &list));
        }
        {
            grpc::ClientContext context;
            v1::CreateTokenRequest request;
            request.set_name("alice");
            request.set_role("viewer");
            request.set_reason("why");
            v1::CreateTokenResponse created;
            expectRefusal(stub->CreateToken(&context, request, &created));
            QVERIFY(created.secret().empty());
        }
        {
            grpc::ClientContext context;
            v1::RevokeTokenRequest request;
            request.set_name("alice");
            request.set_reason("why");
            v1::TokenInfo info;
            expectRefusal(stub->RevokeToken(&context, request, &info));
        }
        backend->shutdown();
    }

private:
    static std::string add(auth::TokenRegistry &registry, const std::string &name, auth::Role role)
    {
        return registry.issue(name, role, SystemClock::instance().now()).second;
    }

    void asAdmin(grpc::ClientContext &context) const
    {
        context.AddMetadata("authorization", "Bearer " + m_admin);
        context.set_deadline(std::chrono::system_clock::now() + 10s);
    }

    grpc::Status listTokens(v1::ListTokensResponse *list)
    {
        grpc::ClientContext context;
        asAdmin(context);
        return m_tokens->ListTokens(&context, {}, list);
    }

    grpc::Status createToken(const std::string &name, const std::string &role, int days, const std::string &reason,
                             v1::CreateTokenResponse *created)
    {
        grpc::ClientContext context;
        asAdmin(context);
        v1::CreateTokenRequest request;
        request.set_name(name);
        request.set_role(role);
        request.set_expires_days(days);
        request.set_reason(reason);
        return m_tokens->CreateToken(&context, request, created);
    }

    grpc::Status revokeToken(const std::string &name, const std::string &reason, v1::TokenInfo *info)
    {
        grpc::ClientContext context;
        asAdmin(context);
        v1::RevokeTokenRequest request;
        request.set_name(name);
        request.set_reason(reason);
        return m_tokens->RevokeToken(&context, request, info);
    }

    QTemporaryDir m_dir;
    std::string m_tokensFile;
    std::string m_database;
    std::string m_admin;
    std::string m_operator;
    std::vector<std::string> m_secrets;
    std::unique_ptr<Backend> m_backend;
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<v1::TokenService::Stub> m_tokens;
};

QTEST_GUILESS_MAIN(TestTokenService)
#include "tst_tokenservice.moc"
