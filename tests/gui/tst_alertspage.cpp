// The Alerts page, the status bar's badge and Demo → Trigger alert, against a real
// in-process backend in demo mode (manual clock: the alerts are evaluated when the
// test says so).

#include "alerts/AlertText.h"
#include "alerts/AlertsPage.h"
#include "alerts/ThresholdsTab.h"
#include "client/BackendConnection.h"
#include "common/MessageBar.h"
#include "MainWindow.h"
#include "TestSupport.h"

#include "domain/Clock.h"
#include "server/Backend.h"

#include "flywheel/v1/alerts.grpc.pb.h"

#include <QGroupBox>
#include <QMenu>
#include <QMenuBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace flywheel;
using namespace flywheel::ui;
using namespace std::chrono_literals;

namespace {

struct Fixture {
    explicit Fixture(const std::string &mode = "demo")
    {
        BackendOptions options;
        options.databasePath = dir.filePath(QStringLiteral("alerts.sqlite")).toStdString();
        options.seedDemoData = true;
        options.demoHistoryOrdersPerHour = 0;
        options.demoUsers = 12000;
        options.clock = &clock;
        options.manualHousekeeping = true;
        options.mode = mode;
        backend = Backend::start(options);
        window = std::make_unique<MainWindow>(&connection);
        connection.setChannel(backend->inProcessChannel());
        window->show();
    }
    QTemporaryDir dir;
    ManualClock clock{fromEpochMs(1'800'000'000'000)};
    std::unique_ptr<Backend> backend;
    BackendConnection connection{QStringLiteral("test backend")};
    std::unique_ptr<MainWindow> window;
};

QString cell(QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text() : QString();
}

int rowOf(QTableWidget *table, const QString &title)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (cell(table, row, 0) == title)
            return row;
    }
    return -1;
}

} // namespace

class TestAlertsPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void theBadgeCountsFiringAlertsOnEveryPage()
    {
        Fixture f;
        QTRY_COMPARE_WITH_TIMEOUT(f.window->alertBadgeText(), QStringLiteral("✓ No alerts firing"), 5000);
        QVERIFY(f.window->alertBadge()->isVisible());
        // Demo mode: the Demo menu is there, with one action per alert.
        QVERIFY(f.window->demoMenu()->menuAction()->isVisible());
        QMenu *trigger = f.window->demoMenu()->findChild<QMenu *>();
        QVERIFY(trigger != nullptr);
        QCOMPARE(trigger->actions().size(), 5);

        f.window->showPage(QStringLiteral("inventory"));
        f.window->triggerAlert(QStringLiteral("illegal_transition"));
        QTRY_VERIFY_WITH_TIMEOUT(f.window->statusBar()->currentMessage().startsWith(QStringLiteral("Triggered")),
                                 5000);
        f.backend->housekeep();
        QTRY_COMPARE_WITH_TIMEOUT(f.window->alertBadgeText(), QStringLiteral("⚠ 1 alert firing"), 5000);
        QCOMPARE(f.window->currentPageName(), QStringLiteral("inventory"));

        // The badge opens the Alerts page, which shows what fires and its history.
        f.window->alertBadge()->click();
        QCOMPARE(f.window->currentPageName(), QStringLiteral("alerts"));
        AlertsPage *page = f.window->alertsPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);
        const int row = rowOf(page->currentTable(), AlertText::title("illegal_transition"));
        QVERIFY(row >= 0);
        QTRY_VERIFY_WITH_TIMEOUT(cell(page->currentTable(), row, 1).startsWith(QStringLiteral("Firing since")), 5000);
        QVERIFY2(cell(page->currentTable(), row, 4).contains(QStringLiteral("demo order")),
                 qPrintable(cell(page->currentTable(), row, 4)));
        QCOMPARE(page->historyTable()->rowCount(), 1);
        QCOMPARE(cell(page->historyTable(), 0, 2), QStringLiteral("Fired"));
        QVERIFY2(page->headerText().startsWith(QStringLiteral("1 of 5 alerts firing")), qPrintable(page->headerText()));
        // For a look at a firing alert: FLYWHEEL_TEST_SCREENSHOTS=DIR.
        if (const QString out = qEnvironmentVariable("FLYWHEEL_TEST_SCREENSHOTS"); !out.isEmpty())
            QVERIFY(f.window->grab().save(out + QStringLiteral("/alerts-firing.png")));

        // Once its window has passed it resolves by itself.
        f.clock.advance(6min);
        f.backend->housekeep();
        QTRY_COMPARE_WITH_TIMEOUT(f.window->alertBadgeText(), QStringLiteral("✓ No alerts firing"), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(page->historyTable()->rowCount(), 2, 5000);
        QCOMPARE(cell(page->historyTable(), 0, 2), QStringLiteral("Resolved"));
    }

    void outsideTheDemoThereIsNoDemoMenu()
    {
        Fixture f("daemon");
        QTRY_COMPARE_WITH_TIMEOUT(f.window->alertBadgeText(), QStringLiteral("✓ No alerts firing"), 5000);
        QVERIFY(!f.window->demoMenu()->menuAction()->isVisible());
        // The backend refuses a trigger anyway, and the status bar says why.
        f.window->triggerAlert(QStringLiteral("order_path_p99"));
        QTRY_VERIFY_WITH_TIMEOUT(f.window->statusBar()->currentMessage().contains(QStringLiteral("was not triggered")),
                                 5000);
        QVERIFY2(f.window->statusBar()->currentMessage().contains(QStringLiteral("demo mode")),
                 qPrintable(f.window->statusBar()->currentMessage()));
    }

    void thresholdsAreSavedWithAReasonAndAStaleSaveKeepsTheDraft()
    {
        Fixture f;
        f.window->showPage(QStringLiteral("alerts"));
        AlertsPage *page = f.window->alertsPage();
        page->showTab(AlertsPage::Thresholds);
        ThresholdsTab *tab = page->thresholdsTab();
        QTRY_COMPARE_WITH_TIMEOUT(tab->baseVersion(), qint64(1), 5000);
        QCOMPARE(tab->p99Threshold()->value(), 250);
        QVERIFY(!tab->saveButton()->isEnabled());

        tab->p99Threshold()->setValue(400);
        QVERIFY(tab->isModified());
        QVERIFY(tab->saveButton()->isEnabled());
        tab->setAskReason([](const QString &, const QString &, const QString &, const QString &) {
            return std::optional<QString>(QStringLiteral("fewer pages at night"));
        });
        QSignalSpy finished(tab, &ThresholdsTab::actionFinished);
        tab->saveButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QCOMPARE(tab->baseVersion(), qint64(2));
        QVERIFY2(tab->messageBar()->text().startsWith(QStringLiteral("Saved as version 2")),
                 qPrintable(tab->messageBar()->text()));

        // Someone else saves version 3 meanwhile: this draft is refused, kept, and said so.
        tab->slowShare()->setValue(1.0);
        {
            auto stub = v1::AlertService::NewStub(f.backend->inProcessChannel());
            grpc::ClientContext context;
            v1::AlertThresholdsVersion current;
            QVERIFY(stub->GetAlertThresholds(&context, {}, &current).ok());
            grpc::ClientContext saveContext;
            v1::SaveAlertThresholdsRequest request;
            request.set_base_version(current.version());
            *request.mutable_thresholds() = current.thresholds();
            request.mutable_thresholds()->mutable_budget_near_cap()->set_share(0.8);
            request.set_reason("someone else");
            v1::AlertThresholdsVersion saved;
            QVERIFY(stub->SaveAlertThresholds(&saveContext, request, &saved).ok());
            QCOMPARE(saved.version(), 3);
        }
        tab->saveButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QVERIFY2(tab->messageBar()->text().contains(QStringLiteral("someone else saved a newer version")),
                 qPrintable(tab->messageBar()->text()));
        QVERIFY(tab->isModified());
        QCOMPARE(tab->slowShare()->value(), 1.0);
        // Saved again, now on top of version 3.
        QTRY_COMPARE_WITH_TIMEOUT(tab->baseVersion(), qint64(3), 5000);
        tab->saveButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 5000);
        QCOMPARE(finished.at(2).at(0).toBool(), true);
        QCOMPARE(tab->baseVersion(), qint64(4));
    }
};

QTEST_MAIN(TestAlertsPage)
#include "tst_alertspage.moc"
