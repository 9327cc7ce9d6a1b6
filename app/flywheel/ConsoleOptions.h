#pragma once

#include <QString>
#include <QStringList>

#include <optional>

namespace flywheel::app {

/// What the console was asked to do on its command line.
struct ConsoleOptions {
    /// Empty in demo mode.
    QString connectAddress;
    double simulateRate = 2.0;
    bool resetDemo = false;
    /// Where the demo database lives; empty for the user's data directory.
    QString dataDirectory;
    QString screenshotFile;
    QString page;
    /// Dashboard window to show first: "5m", "1h", "24h" or "7d"; empty for the default.
    QString window;
    /// With --screenshot: seconds from the page's first data to the rendering.
    double screenshotAfterSeconds = 3.0;
    /// With --screenshot: how long to wait for the page's first data before giving up.
    double screenshotTimeoutSeconds = 120.0;

    bool demo() const { return connectAddress.isEmpty(); }
};

struct ParseOutcome {
    std::optional<ConsoleOptions> options;
    /// For --help/--version: print this on stdout and exit 0.
    QString output;
    /// For a misuse: print this on stderr and exit 2.
    QString error;
};

/// Parses the console's arguments (argv[0] first). Every misuse gets an error that
/// names the offending option and ends with the usage.
ParseOutcome parseConsoleArguments(const QStringList &arguments, const QStringList &pageNames);

} // namespace flywheel::app
