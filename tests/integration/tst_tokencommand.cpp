// flywheeld token create|list|revoke: the token alone on stdout, once; a file of
// mode 0600 with only digests; exit 2 for misuse and 1 for an unknown name or a bad
// file; and the daemon refusing a bad tokens file or a non-loopback address.

#include "TestSupport.h"

#include "auth/TokensFile.h"
#include "domain/auth/TokenSecret.h"

#include "flywheel/v1/system.grpc.pb.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/grpcpp.h>

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace flywheel;

namespace {

using test::Run;

Run flywheeld(const QStringList &arguments)
{
    return test::runProgram(QStringLiteral("flywheeld"), arguments);
}

QStringList token(const QString &action, const QString &file, const QStringList &more = {})
{
    return QStringList{QStringLiteral("token"), action, QStringLiteral("--tokens-file"), file} + more;
}

} // namespace

class TestTokenCommand final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void createListRevoke()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("tokens.yaml"));
        Run r = flywheeld(token(QStringLiteral("create"), file,
                                {QStringLiteral("--name"), QStringLiteral("console-alice"), QStringLiteral("--role"),
                                 QStringLiteral("operator"), QStringLiteral("--expires-days"), QStringLiteral("30")}));
        QCOMPARE(r.exitCode, 0);
        // The token alone on stdout.
        QVERIFY2(QRegularExpression(QStringLiteral("\\Afw_[0-9a-f]{64}\\n\\z")).match(r.out).hasMatch(),
                 qPrintable(r.out));
        const std::string alice = r.out.trimmed().toStdString();
        struct stat info {};
        QCOMPARE(::stat(file.toLocal8Bit().constData(), &info), 0);
        QCOMPARE(info.st_mode & 0777, mode_t(0600));
        const QByteArray text = test::readAll(file);
        QVERIFY(!text.contains(QByteArray::fromStdString(alice.substr(3))));
        QVERIFY(text.contains(QByteArray::fromStdString(auth::TokenSecret::digest(alice))));

        r = flywheeld(token(QStringLiteral("create"), file,
                            {QStringLiteral("--name"), QStringLiteral("shop"), QStringLiteral("--role"),
                             QStringLiteral("storefront")}));
        QCOMPARE(r.exitCode, 0);
        const std::string shop = r.out.trimmed().toStdString();
        QVERIFY(shop != alice);

        // The same name again: refused, the file unchanged.
        const QByteArray before = test::readAll(file);
        r = flywheeld(token(
            QStringLiteral("create"), file,
            {QStringLiteral("--name"), QStringLiteral("shop"), QStringLiteral("--role"), QStringLiteral("viewer")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("a token named \"shop\" already exists")), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(test::readAll(file), before);

        r = flywheeld(token(QStringLiteral("list"), file));
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(QRegularExpression(QStringLiteral("console-alice +operator +\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z +"
                                                   "\\d{4}-\\d\\d-\\d\\dT[0-9:]+Z +active"))
                     .match(r.out)
                     .hasMatch(),
                 qPrintable(r.out));
        QVERIFY2(QRegularExpression(QStringLiteral("shop +storefront +\\S+ +never +active")).match(r.out).hasMatch(),
                 qPrintable(r.out));
        QVERIFY(!r.out.contains(QString::fromStdString(auth::TokenSecret::digest(alice))));
        QVERIFY(!r.out.contains(QString::fromStdString(alice)));

        r = flywheeld(token(QStringLiteral("revoke"), file, {QStringLiteral("--name"), QStringLiteral("shop")}));
        QCOMPARE(r.exitCode, 0);
        r = flywheeld(token(QStringLiteral("list"), file));
        QVERIFY2(QRegularExpression(QStringLiteral("shop +storefront +\\S+ +never +revoked ")).match(r.out).hasMatch(),
                 qPrintable(r.out));
        const auth::TokenRegistry registry = auth::TokensFile::load(file.toStdString());
        QCOMPARE(registry.check(shop, SystemClock::instance().now()).outcome, auth::TokenCheck::Outcome::Revoked);
        QVERIFY(registry.check(alice, SystemClock::instance().now()).accepted());

        // Revoking again, or a name never created: exit 1 naming it.
        for (const QString &name : {QStringLiteral("shop"), QStringLiteral("nobody")}) {
            r = flywheeld(token(QStringLiteral("revoke"), file, {QStringLiteral("--name"), name}));
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.err.contains(QStringLiteral("no token named \"%1\"").arg(name)), qPrintable(r.err));
        }
    }

    void misuse_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString f = QStringLiteral("t.yaml");
        QTest::newRow("no action") << QStringList{QStringLiteral("token")} << "name an action";
        QTest::newRow("unknown action") << QStringList{QStringLiteral("token"), QStringLiteral("rotate")}
                                        << "unknown action \"rotate\"";
        QTest::newRow("no file") << QStringList{QStringLiteral("token"), QStringLiteral("list")}
                                 << "--tokens-file FILE is required";
        QTest::newRow("no name") << token(QStringLiteral("create"), f,
                                          {QStringLiteral("--role"), QStringLiteral("admin")})
                                 << "--name NAME is required";
        QTest::newRow("no role") << token(QStringLiteral("create"), f, {QStringLiteral("--name"), QStringLiteral("a")})
                                 << "--role ROLE is required";
        QTest::newRow("bad role") << token(QStringLiteral("create"), f,
                                           {QStringLiteral("--name"), QStringLiteral("a"), QStringLiteral("--role"),
                                            QStringLiteral("root")})
                                  << "--role must be storefront, viewer, operator or admin, got \"root\"";
        QTest::newRow("bad name") << token(QStringLiteral("create"), f,
                                           {QStringLiteral("--name"), QStringLiteral("a b"), QStringLiteral("--role"),
                                            QStringLiteral("admin")})
                                  << "--name may hold only";
        QTest::newRow("bad expiry") << token(QStringLiteral("create"), f,
                                             {QStringLiteral("--name"), QStringLiteral("a"), QStringLiteral("--role"),
                                              QStringLiteral("admin"), QStringLiteral("--expires-days"),
                                              QStringLiteral("0")})
                                    << "--expires-days needs a whole number of days from 1 to 3650, got \"0\"";
        QTest::newRow("role on revoke") << token(QStringLiteral("revoke"), f,
                                                 {QStringLiteral("--name"), QStringLiteral("a"),
                                                  QStringLiteral("--role"), QStringLiteral("admin")})
                                        << "--role and --expires-days are only for create";
        QTest::newRow("stray") << token(QStringLiteral("list"), f, {QStringLiteral("extra")})
                               << "unexpected argument \"extra\"";
    }

    void misuse()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QProcess process;
        const Run r = flywheeld(arguments);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void badFiles()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("tokens.yaml"));
        Run r = flywheeld(token(QStringLiteral("list"), file));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cannot read the tokens file ") + file), qPrintable(r.err));

        QFile broken(file);
        QVERIFY(broken.open(QIODevice::WriteOnly));
        broken.write("tokens:\n  - name: alice\n    role: boss\n");
        broken.close();
        r = flywheeld(token(QStringLiteral("list"), file));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(file + QStringLiteral(":3:11: tokens[0].role must be")), qPrintable(r.err));
        r = flywheeld(token(
            QStringLiteral("create"), file,
            {QStringLiteral("--name"), QStringLiteral("bob"), QStringLiteral("--role"), QStringLiteral("admin")}));
        QCOMPARE(r.exitCode, 1);
        QVERIFY(r.out.isEmpty());

        // The daemon does not start with it either.
        r = flywheeld({QStringLiteral("--db"), dir.filePath(QStringLiteral("a.sqlite")), QStringLiteral("--listen"),
                       QStringLiteral("127.0.0.1:0"), QStringLiteral("--tokens-file"), file});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(file + QStringLiteral(":3:11:")), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("a.sqlite"))));
    }

    void daemonTakesTheTokensItsCommandMade()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("tokens.yaml"));
        const Run created = flywheeld(token(
            QStringLiteral("create"), file,
            {QStringLiteral("--name"), QStringLiteral("ops"), QStringLiteral("--role"), QStringLiteral("operator")}));
        QCOMPARE(created.exitCode, 0);
        QProcess daemon;
        const int port = test::startDaemon(daemon, {QStringLiteral("--db"), dir.filePath(QStringLiteral("d.sqlite")),
                                                    QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                                    QStringLiteral("--tokens-file"), file});
        QVERIFY(port > 0);
        auto stub = v1::SystemService::NewStub(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
        const auto whoAmI = [&](const std::string &authorization, v1::WhoAmIResponse *me) {
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
            if (!authorization.empty())
                context.AddMetadata("authorization", authorization);
            return stub->WhoAmI(&context, {}, me);
        };
        v1::WhoAmIResponse me;
        const grpc::Status ok = whoAmI("Bearer " + created.out.trimmed().toStdString(), &me);
        QVERIFY2(ok.ok(), ok.error_message().c_str());
        QCOMPARE(me.name(), std::string("ops"));
        QCOMPARE(me.role(), std::string("operator"));
        QCOMPARE(whoAmI({}, &me).error_code(), grpc::StatusCode::UNAUTHENTICATED);

        QVERIFY(flywheeld(token(QStringLiteral("revoke"), file, {QStringLiteral("--name"), QStringLiteral("ops")}))
                    .exitCode == 0);
        QTRY_COMPARE_WITH_TIMEOUT(whoAmI("Bearer " + created.out.trimmed().toStdString(), &me).error_code(),
                                  grpc::StatusCode::UNAUTHENTICATED, 2000);
        daemon.terminate();
        QVERIFY(daemon.waitForFinished(30000));
        QCOMPARE(daemon.exitCode(), 0);
    }

    void nonLoopbackNeedsMoreThanPlainText()
    {
        QTemporaryDir dir;
        const Run r = flywheeld({QStringLiteral("--db"), dir.filePath(QStringLiteral("a.sqlite")),
                                 QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("refusing to serve plaintext on 0.0.0.0:0")), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("a.sqlite"))));
        // Tokens over plaintext on a network address: refused even with insecure.
        const QString tokens = dir.filePath(QStringLiteral("tokens.yaml"));
        QCOMPARE(flywheeld({QStringLiteral("token"), QStringLiteral("create"), QStringLiteral("--tokens-file"), tokens,
                            QStringLiteral("--name"), QStringLiteral("ops"), QStringLiteral("--role"),
                            QStringLiteral("viewer")})
                     .exitCode,
                 0);
        const QString config = dir.filePath(QStringLiteral("flywheeld.yaml"));
        {
            QFile file(config);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("insecure: true\n");
        }
        const Run withTokens = flywheeld({QStringLiteral("--config"), config, QStringLiteral("--db"),
                                          dir.filePath(QStringLiteral("a.sqlite")), QStringLiteral("--listen"),
                                          QStringLiteral("0.0.0.0:0"), QStringLiteral("--tokens-file"), tokens});
        QCOMPARE(withTokens.exitCode, 1);
        QVERIFY2(withTokens.err.contains(QStringLiteral("with bearer tokens over plaintext")),
                 qPrintable(withTokens.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("a.sqlite"))));
    }
};

QTEST_GUILESS_MAIN(TestTokenCommand)
#include "tst_tokencommand.moc"
