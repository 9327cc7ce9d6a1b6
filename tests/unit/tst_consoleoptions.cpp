#include "ConsoleOptions.h"

#include <QTest>

using flywheel::app::parseConsoleArguments;

namespace {

const QStringList kPages{QStringLiteral("dashboard")};

flywheel::app::ParseOutcome parse(QStringList arguments)
{
    arguments.prepend(QStringLiteral("flywheel"));
    return parseConsoleArguments(arguments, kPages);
}

} // namespace

class TestConsoleOptions final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void defaultsToDemo()
    {
        const auto r = parse({});
        QVERIFY(r.options);
        QVERIFY(r.options->demo());
        QCOMPARE(r.options->simulateRate, 2.0);
        QVERIFY(r.options->screenshotFile.isEmpty());
        QCOMPARE(r.options->screenshotTimeoutSeconds, 120.0);
    }

    void acceptsAFullScreenshotRun()
    {
        const auto r = parse({QStringLiteral("--demo"), QStringLiteral("--simulate"), QStringLiteral("500"),
                              QStringLiteral("--screenshot"), QStringLiteral("out.png"), QStringLiteral("--page"),
                              QStringLiteral("dashboard"), QStringLiteral("--after"), QStringLiteral("1.5"),
                              QStringLiteral("--reset-demo"), QStringLiteral("--window"), QStringLiteral("24h"),
                              QStringLiteral("--screenshot-timeout"), QStringLiteral("300")});
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->simulateRate, 500.0);
        QCOMPARE(r.options->screenshotFile, QStringLiteral("out.png"));
        QCOMPARE(r.options->page, QStringLiteral("dashboard"));
        QCOMPARE(r.options->screenshotAfterSeconds, 1.5);
        QVERIFY(r.options->resetDemo);
        QCOMPARE(r.options->window, QStringLiteral("24h"));
        QCOMPARE(r.options->screenshotTimeoutSeconds, 300.0);
    }

    void tabOfTheSubsidyPage()
    {
        const QStringList pages{QStringLiteral("dashboard"), QStringLiteral("subsidy")};
        const auto r = parseConsoleArguments({QStringLiteral("flywheel"), QStringLiteral("--page"),
                                              QStringLiteral("subsidy"), QStringLiteral("--tab"), QStringLiteral("roi")},
                                             pages);
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->tab, QStringLiteral("roi"));
        QCOMPARE(flywheel::app::subsidyTabs().indexOf(r.options->tab), 2);
        const auto unknown =
            parseConsoleArguments({QStringLiteral("flywheel"), QStringLiteral("--page"), QStringLiteral("subsidy"),
                                   QStringLiteral("--tab"), QStringLiteral("charts")},
                                  pages);
        QVERIFY(!unknown.options);
        QVERIFY2(unknown.error.startsWith(
                     QStringLiteral("--tab 'charts' is unknown; the subsidy page's tabs are: config, explain, roi.")),
                 qPrintable(unknown.error));
    }

    void acceptsConnect()
    {
        const auto r = parse({QStringLiteral("--connect"), QStringLiteral("backend.example:50051")});
        QVERIFY(r.options);
        QVERIFY(!r.options->demo());
        QCOMPARE(r.options->connectAddress, QStringLiteral("backend.example:50051"));
    }

    void connectTakesAProfileName()
    {
        const QStringList profiles{QStringLiteral("prod-eu"), QStringLiteral("staging")};
        const auto r = parseConsoleArguments(
            {QStringLiteral("flywheel"), QStringLiteral("--connect"), QStringLiteral("prod-eu")}, kPages, profiles);
        QVERIFY2(r.options, qPrintable(r.error));
        QVERIFY(!r.options->demo());
        QCOMPARE(r.options->connectProfile, QStringLiteral("prod-eu"));
        QVERIFY(r.options->connectAddress.isEmpty());
    }

    void connectTellsAnAddressFromAProfile()
    {
        // A value with a colon and a port is an address even when a profile could match.
        const auto r = parseConsoleArguments(
            {QStringLiteral("flywheel"), QStringLiteral("--connect"), QStringLiteral("10.0.0.5:50051")}, kPages,
            {QStringLiteral("prod-eu")});
        QVERIFY2(r.options, qPrintable(r.error));
        QCOMPARE(r.options->connectAddress, QStringLiteral("10.0.0.5:50051"));
        QVERIFY(r.options->connectProfile.isEmpty());
    }

    void connectNamesAnUnknownProfile()
    {
        const auto r =
            parseConsoleArguments({QStringLiteral("flywheel"), QStringLiteral("--connect"), QStringLiteral("prod-us")},
                                  kPages, {QStringLiteral("prod-eu"), QStringLiteral("staging")});
        QVERIFY(!r.options);
        QVERIFY2(r.error.startsWith(QStringLiteral("--connect: there is no connection profile named 'prod-us', and "
                                                   "it is not HOST:PORT; profiles are: prod-eu, staging.")),
                 qPrintable(r.error));
    }

    void profileConnectionIsNotDemoOnly()
    {
        const auto r = parseConsoleArguments({QStringLiteral("flywheel"), QStringLiteral("--connect"),
                                              QStringLiteral("staging"), QStringLiteral("--reset-demo")},
                                             kPages, {QStringLiteral("staging")});
        QVERIFY(!r.options);
        QVERIFY2(r.error.startsWith(QStringLiteral("--reset-demo only applies to demo mode, not --connect.")),
                 qPrintable(r.error));
    }

    void refusesMisuse_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown") << QStringList{QStringLiteral("--nope")} << "Unknown option 'nope'.";
        QTest::newRow("demo and connect")
            << QStringList{QStringLiteral("--demo"), QStringLiteral("--connect"), QStringLiteral("h:1")}
            << "--demo and --connect cannot be used together.";
        QTest::newRow("port zero") << QStringList{QStringLiteral("--connect"), QStringLiteral("h:0")}
                                   << "--connect needs HOST:PORT with a port from 1 to 65535, or a profile name, got "
                                      "'h:0'.";
        QTest::newRow("no port") << QStringList{QStringLiteral("--connect"), QStringLiteral("host")}
                                 << "--connect: there is no connection profile named 'host' (none is saved; add one "
                                    "with File → Connect…), and it is not HOST:PORT.";
        QTest::newRow("simulate with connect") << QStringList{QStringLiteral("--connect"), QStringLiteral("h:1"),
                                                              QStringLiteral("--simulate"), QStringLiteral("5")}
                                               << "--simulate only applies to demo mode, not --connect.";
        QTest::newRow("negative rate") << QStringList{QStringLiteral("--simulate"), QStringLiteral("-1")}
                                       << "--simulate needs orders per second between 0 and 20000, got '-1'.";
        QTest::newRow("rate too high") << QStringList{QStringLiteral("--simulate"), QStringLiteral("50000")}
                                       << "--simulate needs orders per second between 0 and 20000, got '50000'.";
        QTest::newRow("unknown page") << QStringList{QStringLiteral("--page"), QStringLiteral("x")}
                                      << "--page 'x' is unknown; pages are: dashboard.";
        QTest::newRow("after without screenshot")
            << QStringList{QStringLiteral("--after"), QStringLiteral("2")} << "--after only applies with --screenshot.";
        QTest::newRow("bad after") << QStringList{QStringLiteral("--screenshot"), QStringLiteral("a.png"),
                                                  QStringLiteral("--after"), QStringLiteral("soon")}
                                   << "--after needs seconds between 0 and 3600, got 'soon'.";
        QTest::newRow("timeout without screenshot")
            << QStringList{QStringLiteral("--screenshot-timeout"), QStringLiteral("5")}
            << "--screenshot-timeout only applies with --screenshot.";
        QTest::newRow("zero timeout") << QStringList{QStringLiteral("--screenshot"), QStringLiteral("a.png"),
                                                     QStringLiteral("--screenshot-timeout"), QStringLiteral("0")}
                                      << "--screenshot-timeout needs seconds above 0 and up to 86400, got '0'.";
        QTest::newRow("unknown window") << QStringList{QStringLiteral("--window"), QStringLiteral("2w")}
                                        << "--window '2w' is unknown; use 5m, 1h, 24h or 7d.";
        QTest::newRow("tab without the subsidy page")
            << QStringList{QStringLiteral("--tab"), QStringLiteral("roi")} << "--tab only applies with --page subsidy, payments or alerts.";
        QTest::newRow("positional") << QStringList{QStringLiteral("extra")} << "Unexpected argument 'extra'.";
        QTest::newRow("missing value") << QStringList{QStringLiteral("--connect")}
                                       << "Missing value after '--connect'.";
    }
    void refusesMisuse()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, message);
        const auto r = parse(arguments);
        QVERIFY(!r.options);
        QVERIFY2(r.error.startsWith(message), qPrintable(r.error));
        QVERIFY(r.error.contains(QStringLiteral("Usage:")));
    }
};

QTEST_GUILESS_MAIN(TestConsoleOptions)
#include "tst_consoleoptions.moc"
