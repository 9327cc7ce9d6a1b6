#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace flywheel::app {

/// What the console was asked to do on its command line.
struct ConsoleOptions {
    /// --connect HOST:PORT; empty in demo mode and with a profile.
    QString connectAddress;
    /// --connect PROFILE_NAME: a saved connection profile; empty otherwise.
    QString connectProfile;
    double simulateRate = 2.0;
    bool resetDemo = false;
    /// Where the demo database lives; empty for the user's data directory.
    QString dataDirectory;
    QString screenshotFile;
    QString page;
    /// Tab of the page to show first ("config", "explain" or "roi" of the subsidy page);
    /// empty for the page's first tab.
    QString tab;
    /// Dashboard window to show first: "5m", "1h", "24h" or "7d"; empty for the default.
    QString window;
    /// With --screenshot: seconds from the page's first data to the rendering.
    double screenshotAfterSeconds = 3.0;
    /// With --screenshot: how long to wait for the page's first data before giving up.
    double screenshotTimeoutSeconds = 120.0;

    bool demo() const { return connectAddress.isEmpty() && connectProfile.isEmpty(); }
};

struct ParseOutcome {
    std::optional<ConsoleOptions> options;
    /// For --help/--version: print this on stdout and exit 0.
    QString output;
    /// For a misuse: print this on stderr and exit 2.
    QString error;
};

/// The subsidy page's tabs for --tab, in the order of SubsidyPage::Tab.
QStringList subsidyTabs();
/// The payments page's tabs, in the order of PaymentsPage::Tab.
QStringList paymentsTabs();
/// The Alerts page's tabs for --tab, in their order.
QStringList alertsTabs();

/// Parses the console's arguments (argv[0] first). Every misuse gets an error that
/// names the offending option and ends with the usage. `profileNames` are the saved
/// connection profiles: --connect takes HOST:PORT (a value ending in a colon and a
/// port) or one of them.
ParseOutcome parseConsoleArguments(const QStringList &arguments, const QStringList &pageNames,
                                   const QStringList &profileNames = {});

} // namespace flywheel::app
