// flywheel: the operator console.

#include "client/BackendConnection.h"
#include "connection/ConnectionController.h"
#include "connection/ConnectionProfileStore.h"
#include "connection/KeychainSecretStore.h"
#include "ConsoleOptions.h"
#include "dashboard/DashboardPage.h"
#include "DemoHost.h"
#include "MainWindow.h"
#include "ScreenshotTaker.h"
#include "alerts/AlertsPage.h"
#include "payments/PaymentsPage.h"
#include "subsidy/SubsidyPage.h"
#include "Translations.h"

#include <QApplication>
#include <QDir>
#include <QLocale>
#include <QSettings>

#include <algorithm>
#include <chrono>

#include <cstdio>

using flywheel::app::ConsoleOptions;
using flywheel::app::DemoHost;
using flywheel::app::ScreenshotTaker;
using flywheel::ui::BackendConnection;
using flywheel::ui::MainWindow;

namespace {

void printTo(std::FILE *stream, const QString &text)
{
    std::fputs(qPrintable(text), stream);
    if (!text.endsWith(u'\n'))
        std::fputc('\n', stream);
}

bool wantsScreenshot(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        if (qstrcmp(argv[i], "--screenshot") == 0 || qstrncmp(argv[i], "--screenshot=", 13) == 0)
            return true;
    }
    return false;
}

/// Whether the command line only asks for text (help or version), which needs no display.
bool onlyPrints(int argc, char **argv)
{
    for (int i = 1; i < argc; ++i) {
        for (const char *flag : {"-h", "--help", "--help-all", "-v", "--version"}) {
            if (qstrcmp(argv[i], flag) == 0)
                return true;
        }
    }
    return false;
}

} // namespace

int main(int argc, char **argv)
{
    // A screenshot needs no display: render offscreen unless a platform was chosen.
    // Nor do --help and --version; anything else without a display is said in words
    // instead of Qt's abort.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        const bool noDisplay = qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
        if (wantsScreenshot(argc, argv) || (noDisplay && onlyPrints(argc, argv))) {
            qputenv("QT_QPA_PLATFORM", "offscreen");
        } else if (noDisplay) {
            std::fprintf(stderr, "flywheel: no display to open the console on: DISPLAY and WAYLAND_DISPLAY are not "
                                 "set. Run it in a desktop session, or use --screenshot FILE to render a page "
                                 "without one.\n");
            return 1;
        }
    }
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Flywheel"));
    QApplication::setApplicationName(QStringLiteral("flywheel"));
    QApplication::setApplicationDisplayName(QStringLiteral("Flywheel"));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.flywheel.Flywheel")); // packaging/io.flywheel.Flywheel.desktop
    QApplication::setApplicationVersion(QStringLiteral(FLYWHEEL_VERSION));
    // Before anything is shown or parsed: the user's locale (LANGUAGE, LC_ALL, LC_MESSAGES,
    // LANG on Linux) picks the language; English when no translation matches.
    flywheel::app::installTranslations(QLocale::system());

    // Connection profiles (never their tokens, which are in the system keychain).
    QSettings settings;
    flywheel::ui::ConnectionProfileStore profiles(&settings);
    const auto parsed =
        flywheel::app::parseConsoleArguments(QApplication::arguments(), MainWindow::pageNames(), profiles.names());
    if (!parsed.error.isEmpty()) {
        printTo(stderr, QStringLiteral("flywheel: ") + parsed.error);
        return 2;
    }
    if (!parsed.options) {
        printTo(stdout, parsed.output);
        return 0;
    }
    const ConsoleOptions &options = *parsed.options;

    DemoHost demo;
    const QString databasePath = DemoHost::databasePath(options.dataDirectory);
    BackendConnection connection(
        options.demo()
            ? QApplication::translate("flywheel", "local demo backend (%1)").arg(QDir::toNativeSeparators(databasePath))
            : (options.connectAddress.isEmpty() ? options.connectProfile : options.connectAddress));
    MainWindow window(&connection);
    flywheel::ui::KeychainSecretStore secrets;
    auto *connector =
        new flywheel::ui::ConnectionController(&connection, window.environmentPolicy(), &profiles, &secrets, &window);
    window.setConnectionController(connector);
    if (!options.page.isEmpty())
        window.showPage(options.page);
    if (options.page == QLatin1String("subsidy")) {
        if (const qsizetype tab = flywheel::app::subsidyTabs().indexOf(options.tab); tab >= 0)
            window.subsidyPage()->showTab(flywheel::ui::SubsidyPage::Tab(tab));
    } else if (options.page == QLatin1String("payments")) {
        if (const qsizetype tab = flywheel::app::paymentsTabs().indexOf(options.tab); tab >= 0)
            window.paymentsPage()->showTab(flywheel::ui::PaymentsPage::Tab(tab));
    } else if (options.page == QLatin1String("alerts")) {
        if (const qsizetype tab = flywheel::app::alertsTabs().indexOf(options.tab); tab >= 0)
            window.alertsPage()->showTab(flywheel::ui::AlertsPage::Tab(tab));
    }
    const std::pair<const char *, flywheel::ui::DashboardWindow> windows[] = {
        {"5m", flywheel::ui::DashboardWindow::FiveMinutes},
        {"1h", flywheel::ui::DashboardWindow::OneHour},
        {"24h", flywheel::ui::DashboardWindow::OneDay},
        {"7d", flywheel::ui::DashboardWindow::SevenDays},
    };
    for (const auto &[name, value] : windows) {
        if (options.window == QLatin1String(name))
            window.dashboardPage()->selectWindow(value);
    }

    // --screenshot: rendered once the page shown has its first data (a first start seeds the
    // demo database for a while), --after later; given up after --screenshot-timeout.
    const auto seconds = [](double s) {
        return std::chrono::round<std::chrono::milliseconds>(std::chrono::duration<double>(s));
    };
    ScreenshotTaker screenshot(&window, options.screenshotFile, window.currentPageName(),
                               seconds(options.screenshotAfterSeconds), seconds(options.screenshotTimeoutSeconds));
    QObject::connect(&window, &MainWindow::pageDataShown, &screenshot, [&](const QString &name) {
        if (name == window.currentPageName())
            screenshot.dataShown();
    });

    int exitCode = 0;
    if (options.demo()) {
        QObject::connect(&demo, &DemoHost::started, &connection, &BackendConnection::setChannel);
        QObject::connect(&demo, &DemoHost::failed, &connection, [&](const QString &message) {
            printTo(stderr, QStringLiteral("flywheel: ") +
                                QApplication::translate("flywheel", "the local demo backend could not be started: %1")
                                    .arg(message));
            connection.reportStartFailure(message);
            exitCode = 1;
            screenshot.giveUpWaiting(); // no data is coming: render the window with the error on it
        });
        QString error;
        if (options.resetDemo && !DemoHost::resetDatabase(databasePath, &error)) {
            printTo(stderr, QStringLiteral("flywheel: ") +
                                QApplication::translate("flywheel", "--reset-demo failed: %1").arg(error));
            return 1;
        }
        demo.start(databasePath, options.simulateRate);
    } else if (!options.connectProfile.isEmpty()) {
        QObject::connect(connector, &flywheel::ui::ConnectionController::notConnected, &window,
                         [&](const QString &why) {
                             connection.reportStartFailure(why);
                             screenshot.giveUpWaiting();
                         });
        // The token from the keychain, or asked for; never from the command line.
        connector->connectProfile(*profiles.find(options.connectProfile), QString());
    } else {
        connection.setChannel(BackendConnection::createRemoteChannel(options.connectAddress));
    }

    window.show();
    if (!options.screenshotFile.isEmpty()) {
        QObject::connect(&screenshot, &ScreenshotTaker::finished, &window, [&](int code, const QString &error) {
            if (!error.isEmpty())
                printTo(stderr, QStringLiteral("flywheel: ") + error);
            exitCode = std::max(exitCode, code);
            QApplication::exit(exitCode);
        });
        screenshot.start(window.currentPageHasData());
    }
    const int rc = QApplication::exec();
    demo.stop();
    return rc != 0 ? rc : exitCode;
}
