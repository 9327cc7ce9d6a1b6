// `flywheeld audit verify`: exit 0 on an intact log, 1 naming the first entry
// altered behind the daemon's back (or when the file cannot be read), 2 on misuse.

#include "TestSupport.h"

#include "storage/SqliteStore.h"

#include "flywheel/v1/pricing.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace flywheel;

namespace {

using test::Run;

Run flywheeld(const QStringList &arguments)
{
    return test::runProgram(QStringLiteral("flywheeld"), arguments);
}

Run verify(const QString &path)
{
    return flywheeld({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--db"), path});
}

/// Runs SQL on the file as another tool would; the error, empty on success.
QString sql(const QString &path, const char *statements)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    char *error = nullptr;
    sqlite3_exec(db, statements, nullptr, nullptr, &error);
    const QString message = error != nullptr ? QString::fromUtf8(error) : QString();
    sqlite3_free(error);
    sqlite3_close(db);
    return message;
}

/// A stopped backend's database with `saves` rule set saves in its audit log.
QString databaseWithChanges(const QTemporaryDir &dir, int saves)
{
    auto backend = test::startBackend(dir);
    const QString path = QString::fromStdString(backend->databasePath());
    auto pricing = v1::PricingService::NewStub(backend->inProcessChannel());
    for (int i = 1; i <= saves; ++i) {
        v1::SaveRuleSetRequest save;
        save.set_base_version(i - 1);
        save.set_reason("change " + std::to_string(i));
        v1::PricingRule *rule = save.add_rules();
        rule->set_id("r");
        rule->set_name("R");
        rule->set_kind(v1::RULE_KIND_PERCENT_OFF);
        rule->set_enabled(true);
        rule->set_stackable(true);
        rule->set_percent_off_bp(100 * i);
        grpc::ClientContext context;
        v1::RuleSetVersion saved;
        const grpc::Status s = pricing->SaveRuleSet(&context, save, &saved);
        if (!s.ok())
            qFatal("SaveRuleSet: %s", s.error_message().c_str());
    }
    backend->shutdown();
    return path;
}

} // namespace

class TestAuditCommand final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void intactThenAlteredBehindTheDaemonsBack()
    {
        QTemporaryDir dir;
        const QString path = databaseWithChanges(dir, 4);
        Run r = verify(path);
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(QStringLiteral("audit log intact: 4 entries\n")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QStringLiteral("last entry: 4, hash ")), qPrintable(r.out));

        // The triggers refuse an edit; someone with the file drops them first.
        QCOMPARE(sql(path, "UPDATE audit_entries SET reason = 'x' WHERE seq = 2"),
                 QStringLiteral("audit entries cannot be changed"));
        QCOMPARE(sql(path, "DROP TRIGGER audit_entries_no_update; "
                           "UPDATE audit_entries SET reason = 'nothing happened' WHERE seq = 2"),
                 QString());
        r = verify(path);
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.startsWith(QStringLiteral("audit log broken: entry 2 was altered")), qPrintable(r.out));
        QCOMPARE(r.out.count(u'\n'), 1);
    }

    void removedEntryIsNamed()
    {
        QTemporaryDir dir;
        const QString path = databaseWithChanges(dir, 3);
        QCOMPARE(sql(path, "DROP TRIGGER audit_entries_no_delete; DELETE FROM audit_entries WHERE seq = 2"), QString());
        const Run r = verify(path);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.startsWith(QStringLiteral("audit log broken: entry 2 was removed")), qPrintable(r.out));
    }

    void verifyingChangesNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("old.sqlite"));
        SqliteStore::openAtVersion(path.toStdString(), 11).reset();
        const Run r = verify(path);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("has schema version 11, from before the audit log")), qPrintable(r.err));
        // Not migrated.
        QVERIFY(SqliteStore::openAtVersion(path.toStdString(), 11)->schemaVersion() == 11);
    }

    void missingFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("nothing.sqlite"));
        const Run r = verify(path);
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QCOMPARE(r.err, QStringLiteral("flywheeld audit: database %1 does not exist\n").arg(path));
        QVERIFY(!QFile::exists(path));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        const QString audit = QStringLiteral("audit");
        const QString verify = QStringLiteral("verify");
        QTest::newRow("no command") << QStringList{audit} << "a command is required: verify";
        QTest::newRow("unknown command") << QStringList{audit, QStringLiteral("fix")}
                                         << "unknown audit command \"fix\"; the command is verify";
        QTest::newRow("no db") << QStringList{audit, verify} << "--db FILE is required";
        QTest::newRow("db without value") << QStringList{audit, verify, QStringLiteral("--db")} << "--db needs a value";
        QTest::newRow("unknown option") << QStringList{audit, verify, QStringLiteral("--db"), QStringLiteral("x"),
                                                       QStringLiteral("--fix")}
                                        << "unknown option --fix";
        QTest::newRow("extra argument") << QStringList{audit, verify, QStringLiteral("x")}
                                        << "unexpected argument \"x\"";
    }

    void usageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run r = flywheeld(arguments);
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.startsWith(QStringLiteral("flywheeld audit: ") + message + QStringLiteral("\n")),
                 qPrintable(r.err));
        QVERIFY(r.err.contains(QStringLiteral("Usage: flywheeld audit verify --db FILE")));
    }

    void help()
    {
        const Run r = flywheeld({QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(QStringLiteral("Usage: flywheeld audit verify --db FILE")));
    }
};

QTEST_GUILESS_MAIN(TestAuditCommand)
#include "tst_auditcommand.moc"
