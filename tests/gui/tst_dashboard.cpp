// The console offscreen: demo mode starts its embedded backend and the dashboard
// receives and plots live data; a remote backend that goes away is reported and
// reconnected to by itself.

#include "client/BackendConnection.h"
#include "dashboard/DashboardPage.h"
#include "dashboard/KpiTile.h"
#include "dashboard/MetricChart.h"
#include "dashboard/ReachChart.h"
#include "DemoHost.h"
#include "MainWindow.h"
#include "TestSupport.h"

#include <QChart>
#include <QFile>
#include <QFontMetrics>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace flywheel;
using namespace flywheel::ui;

class TestDashboard final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void demoModeShowsLiveData()
    {
        QTemporaryDir dir;
        app::DemoHost host;
        BackendConnection connection(QStringLiteral("local demo"));
        MainWindow window(&connection);
        connect(&host, &app::DemoHost::started, &connection, &BackendConnection::setChannel);
        host.start(app::DemoHost::databasePath(dir.path()), 50, 100);
        window.show();
        QVERIFY(window.showPage(QStringLiteral("dashboard")));

        DashboardPage *page = window.dashboardPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->shownData() && page->shownData()->current.orders > 0, 20000);
        QVERIFY(window.connectionText().contains(QStringLiteral("Connected to local demo")));
        QVERIFY(window.bannerText().isEmpty());
        QCOMPARE(page->shownData()->series.size(), 30);
        QCOMPARE(page->gmvChart()->pointCount(), 30);
        QVERIFY(!page->gmvChart()->isShowingEmptyMessage());
        // A label on each whole minute of the five (six when the range starts on one).
        const qsizetype labels = page->gmvChart()->timeLabels().size();
        QVERIFY2(labels == 5 || labels == 6, qPrintable(page->gmvChart()->timeLabels().join(u',')));
        QVERIFY(page->hasData());
        QCOMPARE(page->gmvChart()->valueLabels().first(), QStringLiteral("0"));
        QVERIFY2(page->gmvTile()->valueText().startsWith(QStringLiteral("¥")),
                 qPrintable(page->gmvTile()->valueText()));

        // Live: more orders keep arriving and are drawn, without a redraw per message.
        const qint64 before = page->shownData()->current.orders;
        QTRY_VERIFY_WITH_TIMEOUT(page->shownData()->current.orders > before, 5000);
        QVERIFY(page->redrawCount() >= 2);

        page->selectWindow(DashboardWindow::SevenDays);
        QTRY_VERIFY_WITH_TIMEOUT(page->shownData() && page->shownData()->window == DashboardWindow::SevenDays, 5000);
        QCOMPARE(page->shownData()->series.size(), 84);
        QVERIFY(page->shownData()->current.orders > 100); // the seeded history counts
        QVERIFY(page->shownData()->previous.orders > 100);
        QCOMPARE(page->gmvChart()->pointCount(), 84);

        // The simulator's reach decisions reach the chart; sending is simulated in demo.
        ReachChart *reach = page->reachChart();
        QTRY_VERIFY_WITH_TIMEOUT(reach->totalMessages() > 0, 20000);
        QVERIFY(!reach->isShowingEmptyMessage());
        QVERIFY(!reach->segments().isEmpty());
        QVERIFY2(reach->deliveryText().contains(QStringLiteral("simulated")), qPrintable(reach->deliveryText()));
        QCOMPARE(reach->failedMessages(), 0);
        host.stop();
    }

    void metricChartAxesFit()
    {
        MetricChart chart(QStringLiteral("GMV"), MetricChart::Style::Area, Qt::blue);
        chart.resize(600, 300);
        chart.show();
        const QDateTime from = QDateTime::fromString(QStringLiteral("2026-12-06T10:00:00"), Qt::ISODate);
        const QDateTime to = from.addSecs(300);
        QList<QPointF> points;
        for (int i = 0; i < 30; ++i)
            points.append(QPointF(static_cast<double>(from.addSecs(i * 10).toMSecsSinceEpoch()), 600.0 * i));
        chart.setData(points, {from, to, 60, QStringLiteral("HH:mm")}, QStringLiteral("%.0f"), QStringLiteral("¥"), 10);

        // Thousands: "0" at the bottom, not "0k".
        QCOMPARE(chart.valueLabels(), (QStringList{QStringLiteral("0"), QStringLiteral("5k"), QStringLiteral("10k"),
                                                   QStringLiteral("15k"), QStringLiteral("20k")}));
        // The range ends on a whole minute, so its label sits on the right edge of the plot:
        // the chart keeps room for half of it beside the plot.
        QCOMPARE(chart.timeLabels().last(), QStringLiteral("10:05"));
        const QFontMetrics metrics(chart.chart()->axes(Qt::Horizontal).first()->labelsFont());
        const qreal half = metrics.horizontalAdvance(QStringLiteral("10:05")) / 2.0;
        // (the chart lays itself out again on the next pass of the event loop)
        QTRY_VERIFY2(chart.chart()->plotArea().width() > 100 &&
                         chart.chart()->plotArea().right() + half <= chart.chart()->size().width(),
                 qPrintable(QStringLiteral("plot ends at %1, label needs %2, chart is %3 wide")
                                .arg(chart.chart()->plotArea().right())
                                .arg(half)
                                .arg(chart.chart()->size().width())));

        // Percent and small values: the unit stays, steps get a decimal.
        chart.setData({QPointF(static_cast<double>(from.toMSecsSinceEpoch()), 1.5)},
                      {from, to, 60, QStringLiteral("HH:mm")}, QStringLiteral("%.0f%%"), QStringLiteral("%"), 1);
        QCOMPARE(chart.valueLabels(), (QStringList{QStringLiteral("0%"), QStringLiteral("0.5%"), QStringLiteral("1.0%"),
                                                   QStringLiteral("1.5%"), QStringLiteral("2.0%")}));
        // Millions.
        chart.setData({QPointF(static_cast<double>(from.toMSecsSinceEpoch()), 3'200'000)},
                      {from, to, 60, QStringLiteral("HH:mm")}, QStringLiteral("%.0f"), QString(), 10);
        QCOMPARE(chart.valueLabels().first(), QStringLiteral("0"));
        QCOMPARE(chart.valueLabels().last(), QStringLiteral("5M"));
    }

    void reachChartShowsRefusedMessages()
    {
        BackendConnection connection(QStringLiteral("nowhere"));
        ReachChart chart(&connection);
        v1::ReachStats stats;
        auto *count = stats.add_counts();
        count->set_segment_id("vip");
        count->set_channel(v1::REACH_CHANNEL_SMS);
        count->set_messages(5);
        count->set_failed(2);
        count = stats.add_counts();
        count->set_segment_id("new_payers");
        count->set_channel(v1::REACH_CHANNEL_PUSH);
        count->set_messages(9);
        stats.set_sender("outbox /var/spool/flywheel/outbox.jsonl");
        stats.set_last_failure("sms: the reach outbox cannot be opened for appending: Is a directory");
        chart.setStats(stats);
        QCOMPARE(chart.totalMessages(), 14);
        QCOMPARE(chart.failedMessages(), 2);
        QCOMPARE(chart.segments(), (QStringList{QStringLiteral("new_payers"), QStringLiteral("vip")}));
        const QString text = chart.deliveryText();
        QVERIFY2(text.contains(QStringLiteral("outbox /var/spool/flywheel/outbox.jsonl")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("2 message(s) could not be handed over")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Is a directory")), qPrintable(text));

        QCOMPARE(chart.messageAxis(), std::make_pair(20.0, 5)); // round steps: 0, 5, 10, 15, 20

        // One message: steps of one, so no two labels read the same.
        stats.Clear();
        count = stats.add_counts();
        count->set_segment_id("vip");
        count->set_channel(v1::REACH_CHANNEL_PUSH);
        count->set_messages(1);
        chart.setStats(stats);
        QCOMPARE(chart.messageAxis(), std::make_pair(4.0, 5));

        stats.Clear();
        stats.set_sender("simulated");
        chart.setStats(stats);
        QVERIFY(chart.isShowingEmptyMessage());
        QCOMPARE(chart.failedMessages(), 0);
    }

    void emptyWindowSaysSo()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir); // no history, no traffic
        BackendConnection connection(QStringLiteral("test backend"));
        MainWindow window(&connection);
        connection.setChannel(backend->inProcessChannel());
        window.show();
        DashboardPage *page = window.dashboardPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->shownData().has_value(), 5000);
        QCOMPARE(page->shownData()->current.orders, 0);
        QVERIFY(page->gmvChart()->isShowingEmptyMessage());
        QCOMPARE(page->gmvTile()->valueText(), QStringLiteral("—"));
    }

    void reportsAndRecoversFromALostBackend()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir, "127.0.0.1:0", 10);
        const int port = backend->port();
        const QString address = QStringLiteral("127.0.0.1:%1").arg(port);
        BackendConnection connection(address);
        MainWindow window(&connection);
        connection.setChannel(BackendConnection::createRemoteChannel(address));
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(connection.state() == BackendConnection::State::Connected, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(window.dashboardPage()->shownData().has_value(), 5000);

        backend.reset(); // the backend goes away
        QTRY_VERIFY_WITH_TIMEOUT(connection.state() == BackendConnection::State::Unreachable, 8000);
        QVERIFY2(window.bannerText().contains(QStringLiteral("Disconnected from %1").arg(address)),
                 qPrintable(window.bannerText()));
        QVERIFY(window.bannerText().contains(QStringLiteral("Retrying in")));
        QVERIFY(window.dashboardPage()->shownData().has_value()); // the last data stays on screen

        backend = test::startBackend(dir, "127.0.0.1:" + std::to_string(port), 10); // and comes back
        QTRY_VERIFY_WITH_TIMEOUT(connection.state() == BackendConnection::State::Connected, 15000);
        QVERIFY(window.bannerText().isEmpty());
    }

    void unreachableBackendIsExplained()
    {
        // A port nothing listens on: take a free one and close it again.
        QTemporaryDir dir;
        int port = 0;
        {
            auto backend = test::startBackend(dir, "127.0.0.1:0");
            port = backend->port();
        }
        const QString address = QStringLiteral("127.0.0.1:%1").arg(port);
        BackendConnection connection(address);
        MainWindow window(&connection);
        connection.setChannel(BackendConnection::createRemoteChannel(address));
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(connection.state() == BackendConnection::State::Unreachable, 8000);
        QVERIFY2(connection.detail().contains(QStringLiteral("not reachable")), qPrintable(connection.detail()));
        QVERIFY(window.connectionText().contains(QStringLiteral("Disconnected from")));
    }

    void brokenDemoDatabaseIsShown()
    {
        QTemporaryDir dir;
        const QString db = app::DemoHost::databasePath(dir.path());
        QFile file(db);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, '\x07'));
        file.close();
        app::DemoHost host;
        BackendConnection connection(QStringLiteral("local demo"));
        MainWindow window(&connection);
        connect(&host, &app::DemoHost::failed, &connection, &BackendConnection::reportStartFailure);
        host.start(db, 5, 0);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(connection.state() == BackendConnection::State::Failed, 10000);
        QVERIFY2(window.bannerText().contains(db), qPrintable(window.bannerText()));
        QVERIFY(window.bannerText().contains(QStringLiteral("corrupt")));
    }
};

QTEST_MAIN(TestDashboard)
#include "tst_dashboard.moc"
