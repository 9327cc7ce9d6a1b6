// Misuse of flywheeld and flywheel on the command line: a clear line on stderr and
// a non-zero exit, never a crash, a hang or a silently replaced database.

#include "TestSupport.h"

#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <tuple>

namespace {

using flywheel::test::Run;

Run run(const QString &program, const QStringList &arguments, int timeoutMs = 30000)
{
    return flywheel::test::runProgram(program, arguments, timeoutMs);
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

/// What a daemon wrote from its start to its clean stop.
struct Stopped {
    /// Started, and exited 0 after SIGTERM.
    bool clean = false;
    QString out;
    QString err;
};

/// Starts flywheeld with `arguments` and stops it with SIGTERM.
Stopped startAndStop(const QStringList &arguments)
{
    QProcess daemon;
    Stopped stopped;
    if (flywheel::test::startDaemon(daemon, arguments, &stopped.out) <= 0)
        return stopped;
    daemon.terminate();
    stopped.clean =
        daemon.waitForFinished(30000) && daemon.exitStatus() == QProcess::NormalExit && daemon.exitCode() == 0;
    stopped.err = QString::fromUtf8(daemon.readAllStandardError());
    return stopped;
}

/// Each line of `text` as a JSON object of exactly ts (UTC, milliseconds), level
/// and msg; an empty list when any line is not.
QList<QJsonObject> jsonLines(const QString &text)
{
    static const QRegularExpression utc(QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"));
    static const QStringList levels{QStringLiteral("info"), QStringLiteral("warning"), QStringLiteral("error")};
    if (!text.endsWith(QLatin1Char('\n'))) {
        qWarning("not whole lines: %s", qPrintable(text));
        return {};
    }
    QList<QJsonObject> objects;
    for (const QString &line : text.chopped(1).split(QLatin1Char('\n'))) {
        QJsonParseError error{};
        const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8(), &error);
        const QJsonObject object = document.object();
        if (error.error != QJsonParseError::NoError || !document.isObject() || object.size() != 3 ||
            !utc.match(object.value(QStringLiteral("ts")).toString()).hasMatch() ||
            !levels.contains(object.value(QStringLiteral("level")).toString()) ||
            !object.value(QStringLiteral("msg")).isString()) {
            qWarning("not a log line: %s", qPrintable(line));
            return {};
        }
        objects.append(object);
    }
    return objects;
}

} // namespace

class TestCommandLine final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void daemonUsageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown flag") << QStringList{QStringLiteral("--bogus")} << "unknown option --bogus";
        QTest::newRow("no db") << QStringList{} << "--db FILE (or database: in the config) is required";
        QTest::newRow("missing value") << QStringList{QStringLiteral("--db")} << "--db needs a value";
        QTest::newRow("bad rate") << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"),
                                                 QStringLiteral("--simulate"), QStringLiteral("fast")}
                                  << "--simulate needs a number of orders per second from 0 to 20000, got \"fast\"";
        QTest::newRow("rate too high")
            << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"), QStringLiteral("--simulate"),
                           QStringLiteral("30000")}
            << "--simulate needs a number of orders per second from 0 to 20000, got \"30000\"";
        QTest::newRow("port out of range") << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"),
                                                          QStringLiteral("--listen"), QStringLiteral("127.0.0.1:99999")}
                                           << "--listen needs HOST:PORT with a port from 0 to 65535, got "
                                              "\"127.0.0.1:99999\"";
        QTest::newRow("admin port out of range")
            << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"), QStringLiteral("--admin-listen"),
                           QStringLiteral("localhost")}
            << "--admin-listen needs HOST:PORT with a port from 0 to 65535, got \"localhost\"";
        QTest::newRow("reservation ttl zero")
            << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"), QStringLiteral("--reservation-ttl"),
                           QStringLiteral("0")}
            << "--reservation-ttl needs a whole number of seconds from 1 to 86400, got \"0\"";
        QTest::newRow("reservation ttl words")
            << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"), QStringLiteral("--reservation-ttl"),
                           QStringLiteral("15m")}
            << "--reservation-ttl needs a whole number of seconds from 1 to 86400, got \"15m\"";
        QTest::newRow("negative low stock")
            << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"), QStringLiteral("--low-stock"),
                           QStringLiteral("-1")}
            << "--low-stock needs a whole number of units from 0 to 1000000, got \"-1\"";
        QTest::newRow("tag decay above 1") << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"),
                                                          QStringLiteral("--tag-decay"), QStringLiteral("1.5")}
                                           << "--tag-decay needs a number greater than 0 and at most 1, got \"1.5\"";
        QTest::newRow("empty invite secret file") << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"),
                                                                 QStringLiteral("--invite-secret-file"), QString()}
                                                  << "--invite-secret-file needs the path of a file holding the secret";
        QTest::newRow("empty reach outbox") << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"),
                                                           QStringLiteral("--reach-outbox"), QString()}
                                            << "--reach-outbox needs the path of a file to append messages to";
        QTest::newRow("bad log format") << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"),
                                                       QStringLiteral("--log-format"), QStringLiteral("xml")}
                                        << "--log-format needs text or json, got \"xml\"";
        QTest::newRow("unknown short option") << QStringList{QStringLiteral("-x")} << "unknown option -x";
        QTest::newRow("stray argument") << QStringList{QStringLiteral("--db"), QStringLiteral("x.sqlite"),
                                                       QStringLiteral("extra")}
                                        << "unexpected argument \"extra\"";
    }
    void daemonUsageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run r = run(QStringLiteral("flywheeld"), arguments);
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("flywheeld: ") + message), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("Usage: flywheeld")), qPrintable(r.err));
    }

    void daemonHelp()
    {
        const Run r = run(QStringLiteral("flywheeld"), {QStringLiteral("--help")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(QStringLiteral("--simulate RATE")));
    }

    void daemonRefusesACorruptDatabase()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("corrupt.sqlite"));
        const QByteArray garbage(4096, '\x5a');
        writeFile(db, garbage);
        const Run r = run(QStringLiteral("flywheeld"),
                          {QStringLiteral("--db"), db, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(db), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("corrupt")), qPrintable(r.err));
        QCOMPARE(flywheel::test::readAll(db), garbage); // never replaced
    }

    void daemonRefusesAnUnopenableDatabase()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("missing/dir/db.sqlite"));
        const Run r = run(QStringLiteral("flywheeld"), {QStringLiteral("--db"), db});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(db), qPrintable(r.err));
    }

    void daemonRefusesAShortInviteSecret()
    {
        QTemporaryDir dir;
        const QString secret = dir.filePath(QStringLiteral("invite.secret"));
        QFile file(secret);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("too-short-a-secret\n");
        file.close();
        QVERIFY(QFile::setPermissions(secret, QFile::ReadOwner | QFile::WriteOwner));
        const Run r =
            run(QStringLiteral("flywheeld"), {QStringLiteral("--db"), dir.filePath(QStringLiteral("a.sqlite")),
                                              QStringLiteral("--invite-secret-file"), secret});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(secret) && r.err.contains(QStringLiteral("256")), qPrintable(r.err));
        const Run missing = run(QStringLiteral("flywheeld"),
                                {QStringLiteral("--db"), dir.filePath(QStringLiteral("b.sqlite")),
                                 QStringLiteral("--invite-secret-file"), secret + QStringLiteral(".nope")});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral(".nope")), qPrintable(missing.err));
    }

    void daemonRefusesASecretOthersCanRead()
    {
        QTemporaryDir dir;
        const QString secret = dir.filePath(QStringLiteral("invite.secret"));
        QFile file(secret);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(64, 'a') + '\n');
        file.close();
        QVERIFY(QFile::setPermissions(secret, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup));
        const QString db = dir.filePath(QStringLiteral("a.sqlite"));
        const Run r = run(QStringLiteral("flywheeld"),
                          {QStringLiteral("--db"), db, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                           QStringLiteral("--invite-secret-file"), secret});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("flywheeld: cannot start: the invite secret file %1 is open to other "
                                               "users (mode 0640); make it readable by its owner only: chmod 600 %1")
                                    .arg(secret)),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(db)); // the database it created is gone again
    }

    void daemonRefusesAMissingPricingFile()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("a.sqlite"));
        const QString pricing = dir.filePath(QStringLiteral("pricnig.yaml"));
        const Run r =
            run(QStringLiteral("flywheeld"), {QStringLiteral("--db"), db, QStringLiteral("--listen"),
                                              QStringLiteral("127.0.0.1:0"), QStringLiteral("--pricing"), pricing});
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.err.contains(
                QStringLiteral("flywheeld: cannot start: cannot read the pricing file %1: No such file or directory")
                    .arg(pricing)),
            qPrintable(r.err));
        QVERIFY(!QFile::exists(db));
        const Run directory =
            run(QStringLiteral("flywheeld"), {QStringLiteral("--db"), db, QStringLiteral("--listen"),
                                              QStringLiteral("127.0.0.1:0"), QStringLiteral("--pricing"), dir.path()});
        QCOMPARE(directory.exitCode, 1);
        QVERIFY2(directory.err.contains(QStringLiteral("the pricing file %1 is a directory").arg(dir.path())),
                 qPrintable(directory.err));
    }

    void aFailedStartLeavesNoNewDatabaseBehind()
    {
        QTemporaryDir dir;
        QProcess first; // holds a port
        const int port =
            flywheel::test::startDaemon(first, {QStringLiteral("--db"), dir.filePath(QStringLiteral("first.sqlite")),
                                                QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QVERIFY(port > 0);
        const QString busy = QStringLiteral("127.0.0.1:%1").arg(port);

        // A new database, seeded with its invite secret: all of it removed again.
        const QString db = dir.filePath(QStringLiteral("new.sqlite"));
        Run r = run(QStringLiteral("flywheeld"),
                    {QStringLiteral("--db"), db, QStringLiteral("--listen"), busy, QStringLiteral("--seed-demo"),
                     QStringLiteral("--history-per-hour"), QStringLiteral("0")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cannot listen on ") + busy), qPrintable(r.err));
        QVERIFY(!QFile::exists(db));
        QVERIFY(!QFile::exists(db + QStringLiteral("-wal")));
        QVERIFY(!QFile::exists(db + QStringLiteral(".invite-secret")));

        // A database that was there before stays.
        const QString kept = dir.filePath(QStringLiteral("test.sqlite"));
        flywheel::test::startBackend(dir)->shutdown(); // creates test.sqlite, seeded, and its secret
        r = run(QStringLiteral("flywheeld"), {QStringLiteral("--db"), kept, QStringLiteral("--listen"), busy});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cannot listen on ") + busy), qPrintable(r.err));
        QVERIFY(flywheel::test::readAll(kept).startsWith("SQLite format 3"));
        QVERIFY(QFile::exists(kept + QStringLiteral(".invite-secret")));

        first.terminate();
        QVERIFY(first.waitForFinished(10000));
        QCOMPARE(first.exitCode(), 0);
    }

    void daemonRefusesADatabaseInUse()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("shared.sqlite"));
        QProcess first;
        QVERIFY(flywheel::test::startDaemon(first, {QStringLiteral("--db"), db, QStringLiteral("--listen"),
                                                    QStringLiteral("127.0.0.1:0")}) > 0);
        const Run second = run(QStringLiteral("flywheeld"),
                               {QStringLiteral("--db"), db, QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains(db) && second.err.contains(QStringLiteral("locked")), qPrintable(second.err));
        first.terminate();
        QVERIFY(first.waitForFinished(10000));
        QCOMPARE(first.exitCode(), 0);
    }

    // Without a display (no DISPLAY, WAYLAND_DISPLAY or QT_QPA_PLATFORM): --help and
    // --version still print; a console run says why it cannot open instead of Qt's abort.
    void consoleWithoutADisplay()
    {
        const auto runBare = [](const QStringList &arguments) {
            QProcess process;
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            for (const char *name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
                env.remove(QString::fromLatin1(name));
            QTemporaryDir home;
            env.insert(QStringLiteral("HOME"), home.path());
            process.setProcessEnvironment(env);
            process.start(flywheel::test::binaryPath(QStringLiteral("flywheel")), arguments);
            process.waitForFinished(30000);
            return std::make_tuple(process.exitStatus(), process.exitCode(),
                                   QString::fromUtf8(process.readAllStandardOutput()),
                                   QString::fromUtf8(process.readAllStandardError()));
        };
        const auto [helpStatus, helpCode, helpOut, helpErr] = runBare({QStringLiteral("--help")});
        QCOMPARE(helpStatus, QProcess::NormalExit);
        QCOMPARE(helpCode, 0);
        QVERIFY2(helpOut.contains(QStringLiteral("--connect")), qPrintable(helpOut + helpErr));
        const auto [status, code, out, err] = runBare({});
        QCOMPARE(status, QProcess::NormalExit);
        QCOMPARE(code, 1);
        QVERIFY2(err.contains(QStringLiteral("no display to open the console on")), qPrintable(err));
    }

    void daemonServesTheTwoApisApart()
    {
        QTemporaryDir dir;
        QProcess daemon;
        QString out;
        QVERIFY(flywheel::test::startDaemon(daemon,
                                            {QStringLiteral("--db"), dir.filePath(QStringLiteral("a.sqlite")),
                                             QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                                             QStringLiteral("--admin-listen"), QStringLiteral("localhost:0")},
                                            &out) > 0);
        daemon.terminate();
        QVERIFY(daemon.waitForFinished(10000));
        QCOMPARE(daemon.exitCode(), 0);
        QVERIFY2(out.contains(QRegularExpression(
                     QStringLiteral("\\(storefront API\\) and localhost:[1-9][0-9]* \\(admin API\\), plaintext"))),
                 qPrintable(out));
    }

    void daemonRefusesABadListenAddress()
    {
        QTemporaryDir dir;
        const Run r =
            run(QStringLiteral("flywheeld"), {QStringLiteral("--db"), dir.filePath(QStringLiteral("a.sqlite")),
                                              QStringLiteral("--listen"), QStringLiteral("127.0.0.999:1")});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("cannot listen on 127.0.0.999:1")), qPrintable(r.err));
        // An address other machines can reach, without TLS: refused, and nothing is created.
        const QString db = dir.filePath(QStringLiteral("open.sqlite"));
        const Run open = run(QStringLiteral("flywheeld"),
                             {QStringLiteral("--db"), db, QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0")});
        QCOMPARE(open.exitCode, 1);
        QVERIFY2(open.err.contains(QStringLiteral("refusing to serve plaintext on 0.0.0.0:0")), qPrintable(open.err));
        QVERIFY(!QFile::exists(db));
    }

    // --config: the daemon starts from the file; flags override its keys; a refused
    // key names the file, line and column (exit 1); misuse of the flag is exit 2.
    void daemonReadsItsConfig()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("flywheeld.yaml"));
        writeFile(config, "database: from-config.sqlite\nstorefront_listen: 127.0.0.1:0\n"
                          "admin_listen: 127.0.0.1:0\nreservation_ttl_seconds: 60\n");
        QProcess daemon;
        const int port = flywheel::test::startDaemon(daemon, {QStringLiteral("--config"), config});
        QVERIFY2(port > 0, qPrintable(QString::fromUtf8(daemon.readAllStandardError())));
        daemon.terminate();
        QVERIFY(daemon.waitForFinished(30000));
        QCOMPARE(daemon.exitCode(), 0);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("from-config.sqlite")))); // relative to the config

        // --db overrides database:, wherever --config stands.
        const QString flagDb = dir.filePath(QStringLiteral("from-flag.sqlite"));
        QProcess overridden;
        QVERIFY(flywheel::test::startDaemon(overridden,
                                            {QStringLiteral("--db"), flagDb, QStringLiteral("--config"), config}) > 0);
        overridden.terminate();
        QVERIFY(overridden.waitForFinished(30000));
        QVERIFY(QFile::exists(flagDb));

        writeFile(config, "database: a.sqlite\nlisten: 127.0.0.1:0\n");
        const Run unknown = run(QStringLiteral("flywheeld"), {QStringLiteral("--config"), config});
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.startsWith(QStringLiteral("flywheeld: %1:2:1: ").arg(config)), qPrintable(unknown.err));
        QVERIFY2(unknown.err.contains(QStringLiteral("listen")), qPrintable(unknown.err));

        writeFile(config, "database: a.sqlite\npricing_file: pricnig.yaml\n");
        const Run missing = run(QStringLiteral("flywheeld"), {QStringLiteral("--config"), config});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(QStringLiteral(":2:15: pricing_file names ")) &&
                     missing.err.contains(QStringLiteral("pricnig.yaml, which cannot be read")),
                 qPrintable(missing.err));

        writeFile(config, "database: a.sqlite\ninsecure: yes\n");
        const Run type = run(QStringLiteral("flywheeld"), {QStringLiteral("--config"), config});
        QCOMPARE(type.exitCode, 1);
        QVERIFY2(type.err.contains(QStringLiteral(":2:11: insecure")), qPrintable(type.err));

        const Run absent =
            run(QStringLiteral("flywheeld"), {QStringLiteral("--config"), dir.filePath(QStringLiteral("none.yaml"))});
        QCOMPARE(absent.exitCode, 1);
        QVERIFY2(absent.err.contains(QStringLiteral("cannot read the config file")), qPrintable(absent.err));

        const Run twice =
            run(QStringLiteral("flywheeld"), {QStringLiteral("--config"), config, QStringLiteral("--config"), config});
        QCOMPARE(twice.exitCode, 2);
        QVERIFY2(twice.err.contains(QStringLiteral("--config is given twice")), qPrintable(twice.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("a.sqlite"))));
    }

    // log_format: json (or --log-format json, which overrides the config): every
    // line on stderr is a JSON object; the startup lines on stdout stay text.
    void daemonLogsJsonLines()
    {
        QTemporaryDir dir;
        const QString config = dir.filePath(QStringLiteral("flywheeld.yaml"));
        // A plaintext listener other machines can reach: a warning at start.
        const QByteArray settings = "database: a.sqlite\nstorefront_listen: 0.0.0.0:0\ninsecure: true\n";

        writeFile(config, settings);
        const Stopped flag =
            startAndStop({QStringLiteral("--config"), config, QStringLiteral("--log-format"), QStringLiteral("json")});
        QVERIFY2(flag.clean, qPrintable(flag.err));
        QVERIFY2(flag.out.startsWith(QStringLiteral("flywheeld: listening on 0.0.0.0:")), qPrintable(flag.out));
        const QList<QJsonObject> lines = jsonLines(flag.err);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0].value(QStringLiteral("level")).toString(), QStringLiteral("warning"));
        QVERIFY2(lines[0]
                     .value(QStringLiteral("msg"))
                     .toString()
                     .startsWith(QStringLiteral("serving plaintext on 0.0.0.0:0 (insecure: true)")),
                 qPrintable(flag.err));
        QCOMPARE(lines[1].value(QStringLiteral("level")).toString(), QStringLiteral("info"));
        QCOMPARE(lines[1].value(QStringLiteral("msg")).toString(), QStringLiteral("SIGTERM received, stopping"));
        QCOMPARE(lines[2].value(QStringLiteral("msg")).toString(), QStringLiteral("stopped cleanly"));

        // The same from the config alone.
        writeFile(config, settings + "log_format: json\n");
        const Stopped fromConfig = startAndStop({QStringLiteral("--config"), config});
        QVERIFY2(fromConfig.clean, qPrintable(fromConfig.err));
        QCOMPARE(jsonLines(fromConfig.err).size(), 3);

        // The flag overrides the config: today's text lines.
        const Stopped text =
            startAndStop({QStringLiteral("--log-format"), QStringLiteral("text"), QStringLiteral("--config"), config});
        QVERIFY2(text.clean, qPrintable(text.err));
        QVERIFY2(text.err.startsWith(QStringLiteral("flywheeld: warning: serving plaintext on 0.0.0.0:0")),
                 qPrintable(text.err));
        QVERIFY2(
            text.err.endsWith(QStringLiteral("flywheeld: SIGTERM received, stopping\nflywheeld: stopped cleanly\n")),
            qPrintable(text.err));

        // A failed start is a JSON line too.
        const Run failed =
            run(QStringLiteral("flywheeld"), {QStringLiteral("--db"), dir.filePath(QStringLiteral("none/a.sqlite")),
                                              QStringLiteral("--log-format"), QStringLiteral("json")});
        QCOMPARE(failed.exitCode, 1);
        const QList<QJsonObject> refusal = jsonLines(failed.err);
        QCOMPARE(refusal.size(), 1);
        QCOMPARE(refusal[0].value(QStringLiteral("level")).toString(), QStringLiteral("error"));
        QVERIFY2(refusal[0].value(QStringLiteral("msg")).toString().startsWith(QStringLiteral("cannot start: ")),
                 qPrintable(failed.err));

        // A refused config is said before the format is known: text.
        writeFile(config, "log_format: json\ndatabase: a.sqlite\nlisten: 127.0.0.1:0\n");
        const Run refused = run(QStringLiteral("flywheeld"), {QStringLiteral("--config"), config});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.startsWith(QStringLiteral("flywheeld: %1:3:1: ").arg(config)), qPrintable(refused.err));
    }

    void consoleUsageErrors_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown flag") << QStringList{QStringLiteral("--bogus")} << "Unknown option 'bogus'.";
        QTest::newRow("bad address") << QStringList{QStringLiteral("--connect"), QStringLiteral("nohost")}
                                     << "--connect: there is no connection profile named 'nohost'";
        QTest::newRow("unknown page") << QStringList{QStringLiteral("--page"), QStringLiteral("nowhere")}
                                      << "--page 'nowhere' is unknown; pages are: dashboard, pricing, segments, "
                                         "referral, subsidy, payments, experiments, inventory, audit, tokens, alerts.";
    }
    void consoleUsageErrors()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const Run r = run(QStringLiteral("flywheel"), arguments);
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(message), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("Usage:")), qPrintable(r.err));
    }

    void consoleScreenshotOfARemoteBackend()
    {
        QTemporaryDir dir;
        auto backend = flywheel::test::startBackend(dir, "127.0.0.1:0", 60);
        const QString png = dir.filePath(QStringLiteral("remote.png"));
        const Run r = run(QStringLiteral("flywheel"),
                          {QStringLiteral("--connect"), QStringLiteral("127.0.0.1:%1").arg(backend->port()),
                           QStringLiteral("--screenshot"), png, QStringLiteral("--page"), QStringLiteral("dashboard"),
                           QStringLiteral("--after"), QStringLiteral("2")});
        QCOMPARE(r.exitCode, 0);
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800 && image.height() >= 600);
    }

    void consoleScreenshotGivesUpWithoutData()
    {
        // Nothing listens on port 1: the page never gets data, so nothing is written.
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("never.png"));
        const Run r = run(QStringLiteral("flywheel"),
                          {QStringLiteral("--connect"), QStringLiteral("127.0.0.1:1"), QStringLiteral("--screenshot"),
                           png, QStringLiteral("--page"), QStringLiteral("pricing"),
                           QStringLiteral("--screenshot-timeout"), QStringLiteral("1")});
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("flywheel: the pricing page had no data after 1 s, so no screenshot "
                                               "was written")),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(png));
    }

    void consoleResetDemoStartsOver()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("demo.sqlite"));
        writeFile(db, QByteArray(4096, '\x02')); // broken: only --reset-demo gets past it
        const QString png = dir.filePath(QStringLiteral("reset.png"));
        const Run r = run(QStringLiteral("flywheel"),
                          {QStringLiteral("--demo"), QStringLiteral("--data-dir"), dir.path(),
                           QStringLiteral("--reset-demo"), QStringLiteral("--simulate"), QStringLiteral("0"),
                           QStringLiteral("--screenshot"), png, QStringLiteral("--after"), QStringLiteral("1")},
                          120000); // a new demo database is seeded first, and the screenshot waits for its data
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(flywheel::test::readAll(db).startsWith("SQLite format 3"));
    }

    void consoleResetDemoSparesADatabaseInUse()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("demo.sqlite"));
        QProcess daemon; // holds the file as a running console would
        QVERIFY(flywheel::test::startDaemon(daemon, {QStringLiteral("--db"), db, QStringLiteral("--listen"),
                                                     QStringLiteral("127.0.0.1:0")}) > 0);
        const QByteArray before = flywheel::test::readAll(db);
        const Run r =
            run(QStringLiteral("flywheel"),
                {QStringLiteral("--demo"), QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--reset-demo"),
                 QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("x.png"))});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("is in use by another Flywheel")), qPrintable(r.err));
        QCOMPARE(flywheel::test::readAll(db), before);
        daemon.terminate();
        QVERIFY(daemon.waitForFinished(10000));
    }

    void consoleReportsABrokenDemoDatabase()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("demo.sqlite"));
        const QByteArray garbage(4096, '\x01');
        writeFile(db, garbage);
        const QString png = dir.filePath(QStringLiteral("broken.png"));
        const Run r = run(QStringLiteral("flywheel"),
                          {QStringLiteral("--demo"), QStringLiteral("--data-dir"), dir.path(),
                           QStringLiteral("--screenshot"), png, QStringLiteral("--after"), QStringLiteral("1")});
        QCOMPARE(r.status, QProcess::NormalExit);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(db) && r.err.contains(QStringLiteral("corrupt")), qPrintable(r.err));
        QCOMPARE(flywheel::test::readAll(db), garbage);
        QVERIFY(!QImage(png).isNull()); // the window, with the error on it, was still rendered
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
