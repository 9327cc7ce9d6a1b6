// Production opens read-only: the environment is named in the title and a red bar,
// editing controls stay disabled until the operator unlocks editing for the session,
// and every save against production asks for confirmation naming the environment.
#include "client/BackendConnection.h"
#include "common/ReasonDialog.h"
#include "connection/EnvironmentBar.h"
#include "connection/EnvironmentPolicy.h"
#include "inventory/InventoryPage.h"
#include "MainWindow.h"
#include "pricing/PricingPage.h"
#include "referral/ProgramTab.h"
#include "referral/ReferralPage.h"
#include "segments/SegmentHistoryTab.h"
#include "segments/SegmentsPage.h"
#include "segments/SegmentsTab.h"
#include "TestSupport.h"

#include "flywheel/v1/pricing.grpc.pb.h"

#include <grpcpp/client_context.h>

#include <QApplication>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <chrono>
#include <functional>

using namespace flywheel;
using namespace flywheel::ui;
using namespace std::chrono_literals;

namespace {

ConnectionProfile prodProfile()
{
    ConnectionProfile p;
    p.name = QStringLiteral("prod-eu");
    p.address = QStringLiteral("flywheel.eu.example:443");
    p.tls = true;
    p.environment = Environment::Production;
    return p;
}

/// Runs `act` on the first visible top-level widget `match` accepts, once one is shown
/// (the modal dialogs below run their own event loops).
void whenShown(std::function<bool(QWidget *)> match, std::function<void(QWidget *)> act)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(5);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, match, act] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (w->isVisible() && match(w)) {
                timer->stop();
                timer->deleteLater();
                act(w);
                return;
            }
        }
    });
    timer->start();
}

std::function<bool(QWidget *)> named(const QString &objectName)
{
    return [objectName](QWidget *w) { return w->objectName() == objectName; };
}

void clickButton(QWidget *box, const char *text, QString *boxText)
{
    *boxText = static_cast<QMessageBox *>(box)->text();
    for (QPushButton *b : box->findChildren<QPushButton *>()) {
        if (b->text() == QLatin1String(text)) {
            b->click();
            return;
        }
    }
    QFAIL(qPrintable(QStringLiteral("no button %1").arg(QLatin1String(text))));
}

QPushButton *buttonWithText(QWidget *parent, const QString &text)
{
    for (QPushButton *b : parent->findChildren<QPushButton *>()) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}

} // namespace

class TestProductionGuard final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void productionIsReadOnlyUntilUnlocked()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        {
            auto stub = v1::PricingService::NewStub(backend->inProcessChannel());
            v1::SaveRuleSetRequest request;
            request.set_reason("first rules");
            v1::PricingRule *rule = request.add_rules();
            rule->set_id("launch");
            rule->set_name("Launch discount");
            rule->set_kind(v1::RULE_KIND_PERCENT_OFF);
            rule->set_enabled(true);
            rule->set_percent_off_bp(1000);
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + 10s);
            v1::RuleSetVersion saved;
            const grpc::Status status = stub->SaveRuleSet(&context, request, &saved);
            QVERIFY2(status.ok(), status.error_message().c_str());
        }

        BackendConnection connection(QStringLiteral("prod-eu (flywheel.eu.example:443)"));
        MainWindow window(&connection);
        EnvironmentPolicy *policy = window.environmentPolicy();
        QVERIFY(window.environmentBar()->text().isEmpty()); // no profile, no bar
        policy->setProfile(prodProfile());
        QVERIFY(window.showPage(QStringLiteral("pricing")));
        connection.setChannel(backend->inProcessChannel());
        window.show();
        PricingPage *page = window.pricingPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);

        // Named in the title and the bar; editing controls disabled.
        QCOMPARE(window.windowTitle(), QStringLiteral("Flywheel — PRODUCTION — prod-eu (flywheel.eu.example:443)"));
        QCOMPARE(window.environmentBar()->text(),
                 QStringLiteral("PRODUCTION — prod-eu (flywheel.eu.example:443) — read-only"));
        QVERIFY(window.environmentBar()->unlockButton()->isVisible());
        QPushButton *add = buttonWithText(page, QStringLiteral("Add rule…"));
        QVERIFY(add);
        QVERIFY(!add->isEnabled());
        // The tabs of the other pages find the same policy.
        QVERIFY(!EnvironmentPolicy::allowsEditing(window.segmentsPage()->segmentsTab()));
        QVERIFY(!EnvironmentPolicy::allowsEditing(window.segmentsPage()->historyTab()));
        QVERIFY(!EnvironmentPolicy::allowsEditing(window.referralPage()->programTab()));
        QVERIFY(!EnvironmentPolicy::allowsEditing(window.inventoryPage()));
        if (const QString shots = qEnvironmentVariable("FLYWHEEL_SCREENSHOT_DIR"); !shots.isEmpty())
            QVERIFY(window.grab().save(shots + QStringLiteral("/production-readonly.png")));

        // A save while locked is refused, saying how to unlock.
        QString said;
        whenShown(named(QStringLiteral("editingLocked")), [&](QWidget *box) { clickButton(box, "OK", &said); });
        QVERIFY(!ReasonDialog::ask(page, QStringLiteral("Save the rules"), QStringLiteral("Why?"), QString(),
                                   QStringLiteral("Save")));
        QCOMPARE(said, QStringLiteral("Editing PRODUCTION is locked. Unlock it from the bar at the top of the "
                                      "window first."));

        // Cancelling the unlock keeps it locked.
        whenShown(named(QStringLiteral("unlockConfirmation")),
                  [&](QWidget *box) { clickButton(box, "Cancel", &said); });
        window.environmentBar()->unlockButton()->click();
        QVERIFY(!policy->editingAllowed());
        QVERIFY(!add->isEnabled());

        // Unlocking names the environment and enables the controls.
        whenShown(named(QStringLiteral("unlockConfirmation")),
                  [&](QWidget *box) { clickButton(box, "Unlock editing on production", &said); });
        window.environmentBar()->unlockButton()->click();
        QCOMPARE(said, QStringLiteral("Unlock editing on PRODUCTION (profile “prod-eu”, flywheel.eu.example:443) for "
                                      "this session? Changes you save go to PRODUCTION at once, and every save will "
                                      "still ask."));
        QVERIFY(policy->editingAllowed());
        QVERIFY(add->isEnabled());
        QCOMPARE(window.environmentBar()->text(),
                 QStringLiteral("PRODUCTION — prod-eu (flywheel.eu.example:443) — editing unlocked for this session"));
        QVERIFY(!window.environmentBar()->unlockButton()->isVisible());

        // Every save asks, naming the environment; cancelling does not save.
        whenShown(named(QStringLiteral("productionSaveConfirmation")),
                  [&](QWidget *box) { clickButton(box, "Cancel", &said); });
        QVERIFY(!ReasonDialog::ask(page, QStringLiteral("Save the rules"), QStringLiteral("Why?"), QString(),
                                   QStringLiteral("Save")));
        QCOMPARE(said, QStringLiteral("“Save the rules” changes PRODUCTION (profile “prod-eu”, "
                                      "flywheel.eu.example:443). Go ahead on PRODUCTION?"));
        // Going ahead leads to the usual reason.
        whenShown(named(QStringLiteral("productionSaveConfirmation")), [&](QWidget *box) {
            clickButton(box, "Go ahead on production", &said);
            whenShown([](QWidget *w) { return qobject_cast<ReasonDialog *>(w) != nullptr; },
                      [](QWidget *w) {
                          auto *dialog = static_cast<ReasonDialog *>(w);
                          dialog->reasonField()->setText(QStringLiteral("Autumn prices"));
                          dialog->acceptButton()->click();
                      });
        });
        QCOMPARE(ReasonDialog::ask(page, QStringLiteral("Save the rules"), QStringLiteral("Why?"), QString(),
                                   QStringLiteral("Save")),
                 std::optional<QString>(QStringLiteral("Autumn prices")));

        // A new connection to production starts read-only again.
        policy->setProfile(prodProfile());
        QVERIFY(!add->isEnabled());

        // Staging is editable at once and saves without the production question.
        ConnectionProfile staging = prodProfile();
        staging.name = QStringLiteral("staging");
        staging.environment = Environment::Staging;
        policy->setProfile(staging);
        QVERIFY(add->isEnabled());
        QCOMPARE(window.environmentBar()->text(), QStringLiteral("STAGING — staging (flywheel.eu.example:443)"));
        QVERIFY(policy->confirmSave(page, QStringLiteral("Save the rules")));
    }
};

QTEST_MAIN(TestProductionGuard)
#include "tst_productionguard.moc"
