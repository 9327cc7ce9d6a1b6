// --screenshot waits for the first data of the page it renders, then counts --after
// from there; without data it gives up after the timeout with an error and exit 1 and
// writes nothing. Driven by the page's own signal, not by time.

#include "client/BackendConnection.h"
#include "dashboard/DashboardPage.h"
#include "MainWindow.h"
#include "ScreenshotTaker.h"
#include "TestSupport.h"

#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace flywheel;
using namespace std::chrono_literals;

class TestScreenshot final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void waitsForTheFirstDataOfThePage()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("pricing.png"));
        ui::BackendConnection connection(QStringLiteral("test backend"));
        ui::MainWindow window(&connection);
        QVERIFY(window.showPage(QStringLiteral("pricing")));
        window.show();
        app::ScreenshotTaker taker(&window, png, window.currentPageName(), 0ms, 120s);
        connect(&window, &ui::MainWindow::pageDataShown, &taker, [&](const QString &name) {
            if (name == window.currentPageName())
                taker.dataShown();
        });
        QSignalSpy finished(&taker, &app::ScreenshotTaker::finished);
        QSignalSpy shown(&window, &ui::MainWindow::pageDataShown);
        QVERIFY(!window.currentPageHasData());
        taker.start(window.currentPageHasData());
        QCOMPARE(taker.state(), app::ScreenshotTaker::State::WaitingForData);

        // No backend yet: however long the event loop runs, nothing is rendered.
        for (int i = 0; i < 20; ++i)
            QCoreApplication::processEvents();
        QCOMPARE(finished.size(), 0);
        QVERIFY(!QFile::exists(png));

        // The backend comes (as after a first start's seeding); the page's first data starts --after.
        auto backend = test::startBackend(dir);
        connection.setChannel(backend->inProcessChannel());
        QVERIFY(finished.wait(10000));
        QVERIFY(window.currentPageHasData());
        QVERIFY(shown.contains(QVariantList{QStringLiteral("pricing")}));
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
        QVERIFY(finished.at(0).at(1).toString().isEmpty());
        QCOMPARE(taker.state(), app::ScreenshotTaker::State::Done);
        const QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 800);
    }

    void givesUpWithAnErrorAfterTheTimeout()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("never.png"));
        ui::BackendConnection connection(QStringLiteral("nowhere")); // never gets a channel
        ui::MainWindow window(&connection);
        window.show();
        app::ScreenshotTaker taker(&window, png, window.currentPageName(), 0ms, 200ms);
        QSignalSpy finished(&taker, &app::ScreenshotTaker::finished);
        taker.start(window.currentPageHasData());
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toInt(), 1);
        const QString error = finished.at(0).at(1).toString();
        QVERIFY2(error.startsWith(QStringLiteral("the dashboard page had no data after 0.2 s")), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("--screenshot-timeout")), qPrintable(error));
        QVERIFY(!QFile::exists(png));
    }

    void rendersAtOnceWhenNothingIsComing()
    {
        // The demo backend could not be started, even before the wait began: the window,
        // with the error on it, is rendered without waiting for the timeout.
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("failed.png"));
        ui::BackendConnection connection(QStringLiteral("local demo"));
        ui::MainWindow window(&connection);
        window.show();
        app::ScreenshotTaker taker(&window, png, window.currentPageName(), 0ms, 120s);
        QSignalSpy finished(&taker, &app::ScreenshotTaker::finished);
        taker.giveUpWaiting();
        taker.start(false);
        QCOMPARE(taker.state(), app::ScreenshotTaker::State::CountingDown);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toInt(), 0);
        QVERIFY(!QImage(png).isNull());
    }

    void reportsAnUnwritableFile()
    {
        QWidget widget;
        widget.resize(100, 100);
        widget.show();
        app::ScreenshotTaker taker(&widget, QStringLiteral("/nonexistent-dir/x.png"), QStringLiteral("dashboard"), 0ms,
                                   120s);
        QSignalSpy finished(&taker, &app::ScreenshotTaker::finished);
        taker.start(true);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.at(0).at(0).toInt(), 1);
        QCOMPARE(finished.at(0).at(1).toString(),
                 QStringLiteral("cannot write the screenshot to /nonexistent-dir/x.png"));
    }
};

QTEST_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
