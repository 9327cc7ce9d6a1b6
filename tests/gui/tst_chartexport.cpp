// Chart export: every chart as PNG and CSV, one at a time or all the charts of a page
// at once (File → Export charts…), written off the GUI thread under names that hold
// the chart, its window and its time range.

#include "client/BackendConnection.h"
#include "common/ChartPanel.h"
#include "common/ExportJob.h"
#include "dashboard/DashboardPage.h"
#include "dashboard/MetricChart.h"
#include "MainWindow.h"
#include "TestSupport.h"

#include "server/Backend.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace flywheel;
using namespace flywheel::ui;

namespace {

/// Starts `job` and waits for it to finish; its paths and error.
std::pair<QStringList, QString> wait(ExportJob *job)
{
    QSignalSpy finished(job, &ExportJob::finished);
    job->start();
    if (!finished.wait(15000))
        return {{}, QStringLiteral("(no answer)")};
    return {finished.at(0).at(0).toStringList(), finished.at(0).at(1).toString()};
}

} // namespace

class TestChartExport final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void csvIsQuotedAsRfc4180()
    {
        const QByteArray csv =
            ExportJob::csv({{QStringLiteral("time"), QStringLiteral("GMV (¥, per minute)")},
                            {QStringLiteral("say \"hi\""), QStringLiteral("two\nlines")},
                            {QStringLiteral("plain"), QStringLiteral("1.5")}});
        QCOMPARE(csv, QByteArray("time,\"GMV (\xc2\xa5, per minute)\"\r\n\"say \"\"hi\"\"\",\"two\nlines\"\r\nplain,1.5\r\n"));
    }

    void theDashboardExportsAllItsChartsAtOnce()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir, {}, 200);
        BackendConnection connection(QStringLiteral("test backend"));
        MainWindow window(&connection);
        connection.setChannel(backend->inProcessChannel());
        window.show();
        DashboardPage *page = window.dashboardPage();
        // A day of the seeded history: points whatever the last minutes hold.
        page->selectWindow(DashboardWindow::OneDay);
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(page->gmvChart()->pointCount() > 0, 30000);

        const QList<ChartPanel *> charts = window.chartsOfCurrentPage();
        QCOMPARE(charts.size(), 5); // GMV, orders, ARPU, repeat rate, reach
        QTemporaryDir out;
        const auto [written, error] = wait(window.exportCharts(out.path()));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(written.size(), 10);
        for (const QString &path : written)
            QVERIFY2(QFile::exists(path), qPrintable(path));

        // The GMV chart: its window and the range in the name, its points in yuan.
        const QString stem = page->gmvChart()->exportStem();
        QVERIFY2(stem.startsWith(QStringLiteral("GMV")), qPrintable(stem));
        QVERIFY2(stem.contains(QStringLiteral("_24-hours_")), qPrintable(stem));
        QVERIFY2(stem.contains(QDateTime::currentDateTime().toString(QStringLiteral("yyyy-MM-dd"))), qPrintable(stem));
        QVERIFY2(!stem.contains(u'/') && !stem.contains(u' ') && !stem.contains(u':'), qPrintable(stem));
        const QImage image(QDir(out.path()).filePath(stem + QStringLiteral(".png")));
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), page->gmvChart()->exportImage().size());
        QFile csv(QDir(out.path()).filePath(stem + QStringLiteral(".csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = csv.readAll().split('\n');
        QVERIFY2(lines.at(0).startsWith("time,GMV"), lines.at(0).constData());
        QCOMPARE(lines.size() - 2, page->gmvChart()->pointCount()); // header, points, the last line's end
        const QList<QByteArray> first = lines.at(1).trimmed().split(',');
        QVERIFY(QDateTime::fromString(QString::fromLatin1(first.at(0)), Qt::ISODate).isValid());
        bool number = false;
        first.at(1).toDouble(&number);
        QVERIFY(number);
    }

    void oneChartAndTheRefusals()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir, {}, 200);
        BackendConnection connection(QStringLiteral("test backend"));
        MainWindow window(&connection);
        connection.setChannel(backend->inProcessChannel());
        window.show();
        window.dashboardPage()->selectWindow(DashboardWindow::OneDay);
        MetricChart *chart = window.dashboardPage()->ordersChart();
        QTRY_VERIFY_WITH_TIMEOUT(chart->pointCount() > 0, 30000);
        QTemporaryDir out;

        auto [written, error] = wait(chart->exportTo(QDir(out.path()).filePath(QStringLiteral("orders.csv"))));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(written.size(), 1);
        QVERIFY(chart->exportTo(QDir(out.path()).filePath(QStringLiteral("orders.txt"))) == nullptr);

        // A folder that cannot be written: the error names the file, nothing is left half-written.
        const QString missing = QDir(out.path()).filePath(QStringLiteral("no/such/folder/orders.png"));
        std::tie(written, error) = wait(chart->exportTo(missing));
        QVERIFY(written.isEmpty());
        QVERIFY2(error.contains(missing), qPrintable(error));

        // A page without charts: nothing to export.
        window.showPage(QStringLiteral("tokens"));
        QVERIFY(window.chartsOfCurrentPage().isEmpty());
    }
};

QTEST_MAIN(TestChartExport)
#include "tst_chartexport.moc"
