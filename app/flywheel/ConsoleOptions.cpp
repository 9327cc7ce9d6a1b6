#include "ConsoleOptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

#include <cmath>

namespace flywheel::app {

namespace {

bool validHostPort(const QString &address)
{
    const qsizetype colon = address.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    bool ok = false;
    const int port = address.mid(colon + 1).toInt(&ok);
    return ok && port > 0 && port <= 65535;
}

} // namespace

QStringList subsidyTabs()
{
    return {QStringLiteral("config"), QStringLiteral("explain"), QStringLiteral("roi")};
}

QStringList paymentsTabs()
{
    return {QStringLiteral("channels"), QStringLiteral("preview"), QStringLiteral("performance"),
            QStringLiteral("refused"), QStringLiteral("orders")};
}

QStringList alertsTabs()
{
    return {QStringLiteral("alerts"), QStringLiteral("thresholds")};
}

ParseOutcome parseConsoleArguments(const QStringList &arguments, const QStringList &pageNames,
                                   const QStringList &profileNames)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("flywheel", "Flywheel operator console. Without --connect it runs in local demo "
                                                "mode: an embedded backend with simulated storefront traffic."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QCoreApplication::translate("flywheel", "Local demo mode (the default)."));
    const QCommandLineOption connect(QStringLiteral("connect"),
                                     QCoreApplication::translate("flywheel",
                                                                 "Connect to the flywheeld at HOST:PORT (plaintext, no "
                                                                 "token), or through the saved connection "
                                                                 "profile PROFILE (File → Connect…)."),
                                     QStringLiteral("HOST:PORT|PROFILE"));
    const QCommandLineOption simulate(
        QStringLiteral("simulate"),
        QCoreApplication::translate("flywheel", "Demo traffic in orders per second (default 2, up to 20000)."),
        QStringLiteral("RATE"));
    const QCommandLineOption reset(QStringLiteral("reset-demo"),
                                   QCoreApplication::translate("flywheel", "Delete the demo database and start over."));
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QCoreApplication::translate("flywheel", "Keep the demo database in DIR instead of the user's data directory."),
        QStringLiteral("DIR"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("flywheel", "Render the main window to the PNG FILE and exit, once the page "
                                                "shown has its first data."),
        QStringLiteral("FILE"));
    const QCommandLineOption page(
        QStringLiteral("page"),
        QCoreApplication::translate("flywheel", "Page to show first: %1.").arg(pageNames.join(QStringLiteral(", "))),
        QStringLiteral("NAME"));
    const QCommandLineOption tab(
        QStringLiteral("tab"),
        QCoreApplication::translate("flywheel", "With --page subsidy: tab to show first: config, explain or roi; with --page payments: channels, preview, performance, refused or orders; with --page alerts: alerts or thresholds."),
        QStringLiteral("TAB"));
    const QCommandLineOption windowOption(
        QStringLiteral("window"),
        QCoreApplication::translate("flywheel", "Dashboard window to show first: 5m, 1h, 24h or 7d."),
        QStringLiteral("WINDOW"));
    const QCommandLineOption after(
        QStringLiteral("after"),
        QCoreApplication::translate("flywheel", "With --screenshot: render SECONDS after the page's first data "
                                                "(default 3)."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption timeout(
        QStringLiteral("screenshot-timeout"),
        QCoreApplication::translate("flywheel", "With --screenshot: give up (exit 1, no file) when the page has no "
                                                "data after SECONDS (default 120)."),
        QStringLiteral("SECONDS"));
    for (const QCommandLineOption &option :
         {demo, connect, simulate, reset, dataDir, screenshot, page, tab, windowOption, after, timeout})
        parser.addOption(option);

    ParseOutcome outcome;
    const auto misuse = [&](const QString &message) {
        outcome.error = message + QStringLiteral("\n\n") + parser.helpText();
        return outcome;
    };
    if (!parser.parse(arguments))
        return misuse(parser.errorText());
    if (parser.isSet(helpOption)) {
        outcome.output = parser.helpText();
        return outcome;
    }
    if (parser.isSet(versionOption)) {
        outcome.output = QCoreApplication::applicationName() + u' ' + QCoreApplication::applicationVersion() + u'\n';
        return outcome;
    }
    if (!parser.positionalArguments().isEmpty())
        return misuse(QCoreApplication::translate("flywheel", "Unexpected argument '%1'.")
                          .arg(parser.positionalArguments().constFirst()));

    ConsoleOptions options;
    if (parser.isSet(connect)) {
        if (parser.isSet(demo))
            return misuse(QCoreApplication::translate("flywheel", "--demo and --connect cannot be used together."));
        const QString value = parser.value(connect);
        if (validHostPort(value)) {
            options.connectAddress = value;
        } else if (profileNames.contains(value)) {
            options.connectProfile = value;
        } else if (value.contains(u':')) {
            return misuse(QCoreApplication::translate("flywheel", "--connect needs HOST:PORT with a port from 1 to "
                                                                  "65535, or a profile name, got '%1'.")
                              .arg(value));
        } else {
            return misuse(profileNames.isEmpty()
                              ? QCoreApplication::translate("flywheel", "--connect: there is no connection profile "
                                                                        "named '%1' (none is saved; add one with File "
                                                                        "→ Connect…), and it is not HOST:PORT.")
                                    .arg(value)
                              : QCoreApplication::translate("flywheel", "--connect: there is no connection profile "
                                                                        "named '%1', and it is not HOST:PORT; profiles "
                                                                        "are: %2.")
                                    .arg(value, profileNames.join(QStringLiteral(", "))));
        }
        for (const QCommandLineOption &demoOnly : {simulate, reset, dataDir}) {
            if (parser.isSet(demoOnly))
                return misuse(QCoreApplication::translate("flywheel", "--%1 only applies to demo mode, not --connect.")
                                  .arg(demoOnly.names().constFirst()));
        }
    }
    if (parser.isSet(simulate)) {
        bool ok = false;
        options.simulateRate = parser.value(simulate).toDouble(&ok);
        if (!ok || !std::isfinite(options.simulateRate) || options.simulateRate < 0 || options.simulateRate > 20000)
            return misuse(QCoreApplication::translate("flywheel", "--simulate needs orders per second between 0 and "
                                                                  "20000, got '%1'.")
                              .arg(parser.value(simulate)));
    }
    options.resetDemo = parser.isSet(reset);
    options.dataDirectory = parser.value(dataDir);
    options.screenshotFile = parser.value(screenshot);
    if (parser.isSet(page)) {
        options.page = parser.value(page);
        if (!pageNames.contains(options.page))
            return misuse(QCoreApplication::translate("flywheel", "--page '%1' is unknown; pages are: %2.")
                              .arg(options.page, pageNames.join(QStringLiteral(", "))));
    }
    if (parser.isSet(tab)) {
        options.tab = parser.value(tab);
        if (options.page != QLatin1String("subsidy") && options.page != QLatin1String("payments") &&
            options.page != QLatin1String("alerts"))
            return misuse(
                QCoreApplication::translate("flywheel", "--tab only applies with --page subsidy, payments or alerts."));
        const QStringList tabs = options.page == QLatin1String("subsidy")    ? subsidyTabs()
                                 : options.page == QLatin1String("payments") ? paymentsTabs()
                                                                             : alertsTabs();
        if (!tabs.contains(options.tab))
            return misuse(QCoreApplication::translate("flywheel", "--tab '%1' is unknown; the %2 page's tabs are: %3.")
                              .arg(options.tab, options.page, tabs.join(QStringLiteral(", "))));
    }
    if (parser.isSet(windowOption)) {
        options.window = parser.value(windowOption);
        if (!QStringList{QStringLiteral("5m"), QStringLiteral("1h"), QStringLiteral("24h"), QStringLiteral("7d")}
                 .contains(options.window))
            return misuse(QCoreApplication::translate("flywheel", "--window '%1' is unknown; use 5m, 1h, 24h or 7d.")
                              .arg(options.window));
    }
    if (parser.isSet(after)) {
        if (!parser.isSet(screenshot))
            return misuse(QCoreApplication::translate("flywheel", "--after only applies with --screenshot."));
        bool ok = false;
        options.screenshotAfterSeconds = parser.value(after).toDouble(&ok);
        if (!ok || !std::isfinite(options.screenshotAfterSeconds) || options.screenshotAfterSeconds < 0 ||
            options.screenshotAfterSeconds > 3600)
            return misuse(QCoreApplication::translate("flywheel", "--after needs seconds between 0 and 3600, got '%1'.")
                              .arg(parser.value(after)));
    }
    if (parser.isSet(timeout)) {
        if (!parser.isSet(screenshot))
            return misuse(
                QCoreApplication::translate("flywheel", "--screenshot-timeout only applies with --screenshot."));
        bool ok = false;
        options.screenshotTimeoutSeconds = parser.value(timeout).toDouble(&ok);
        if (!ok || !std::isfinite(options.screenshotTimeoutSeconds) || options.screenshotTimeoutSeconds <= 0 ||
            options.screenshotTimeoutSeconds > 86400)
            return misuse(QCoreApplication::translate("flywheel", "--screenshot-timeout needs seconds above 0 and up "
                                                                  "to 86400, got '%1'.")
                              .arg(parser.value(timeout)));
    }
    outcome.options = options;
    return outcome;
}

} // namespace flywheel::app
