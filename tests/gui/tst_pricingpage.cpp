// The Pricing page against an in-process backend: the rules in force with their state
// and what they do, the history with a readable diff per version, a rollback through the
// page, and a cart priced with the live and the draft rules.

#include "client/BackendConnection.h"
#include "client/PricingClient.h"
#include "common/Decimal.h"
#include "MainWindow.h"
#include "pricing/PricingPage.h"
#include "pricing/RuleDialog.h"
#include "pricing/RulesModel.h"
#include "TestSupport.h"

#include "flywheel/v1/pricing.grpc.pb.h"

#include <grpcpp/client_context.h>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <chrono>

using namespace flywheel;
using namespace flywheel::ui;
using namespace std::chrono_literals;

namespace {

v1::PricingRule baseRule(const std::string &id, const std::string &name, v1::RuleKind kind)
{
    v1::PricingRule rule;
    rule.set_id(id);
    rule.set_name(name);
    rule.set_kind(kind);
    rule.set_enabled(true);
    rule.set_stackable(true);
    return rule;
}

std::vector<v1::PricingRule> sampleRules()
{
    v1::PricingRule launch = baseRule("launch", "Launch discount", v1::RULE_KIND_PERCENT_OFF);
    launch.set_percent_off_bp(1500);
    launch.set_priority(10);

    v1::PricingRule tiers = baseRule("summer-tiers", "Summer threshold reduction", v1::RULE_KIND_THRESHOLD);
    tiers.add_scope_categories("Electronics");
    v1::ThresholdTier *tier = tiers.add_tiers();
    tier->set_spend_minor(30000);
    tier->set_off_minor(3000);
    tier = tiers.add_tiers();
    tier->set_spend_minor(50000);
    tier->set_off_minor(6000);

    v1::PricingRule earbuds = baseRule("earbuds", "Earbuds special", v1::RULE_KIND_SKU_PRICE);
    earbuds.add_scope_skus("ELE-1001");
    earbuds.set_unit_price_minor(14990);
    earbuds.set_priority(5);

    v1::PricingRule later = baseRule("national-day", "National Day", v1::RULE_KIND_PERCENT_OFF);
    later.set_percent_off_bp(1250);
    later.set_max_off_minor(5000);
    later.mutable_starts_at()->set_seconds(std::chrono::duration_cast<std::chrono::seconds>(
                                               (std::chrono::system_clock::now() + 24h * 30).time_since_epoch())
                                               .count());

    v1::PricingRule off = baseRule("tea", "Tea at 85 %", v1::RULE_KIND_CATEGORY_PRICE);
    off.add_scope_categories("Grocery");
    off.set_percent_of_list_bp(8500);
    off.set_enabled(false);
    return {launch, tiers, earbuds, later, off};
}

v1::RuleSetVersion save(v1::PricingService::Stub &stub, qint64 base, const std::vector<v1::PricingRule> &rules,
                        const std::string &reason, grpc::Status *status)
{
    v1::SaveRuleSetRequest request;
    request.set_base_version(base);
    request.set_reason(reason);
    for (const v1::PricingRule &rule : rules)
        *request.add_rules() = rule;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    v1::RuleSetVersion saved;
    *status = stub.SaveRuleSet(&context, request, &saved);
    return saved;
}

int rowOf(const RulesModel *model, const QString &id)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->index(row, RulesModel::Id).data().toString() == id)
            return row;
    }
    return -1;
}

QString cell(const RulesModel *model, const QString &id, int column)
{
    return model->index(rowOf(model, id), column).data().toString();
}

} // namespace

class TestPricingPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsHistoryRollsBackAndQuotes()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto stub = v1::PricingService::NewStub(backend->inProcessChannel());
        grpc::Status status;
        const v1::RuleSetVersion first = save(*stub, 0, sampleRules(), "Summer campaign", &status);
        QVERIFY2(status.ok(), status.error_message().c_str());

        BackendConnection connection(QStringLiteral("test backend"));
        MainWindow window(&connection);
        QVERIFY(MainWindow::pageNames().contains(QStringLiteral("pricing")));
        QVERIFY(window.showPage(QStringLiteral("pricing")));
        PricingPage *page = window.pricingPage();
        QAbstractItemModelTester tester(page->rulesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        connection.setChannel(backend->inProcessChannel());
        window.show();

        // The rules in force, in words.
        const RulesModel *model = page->rulesModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 5, 5000);
        QCOMPARE(cell(model, QStringLiteral("launch"), RulesModel::State), QStringLiteral("active"));
        QCOMPARE(cell(model, QStringLiteral("launch"), RulesModel::Effect), QStringLiteral("15 % off"));
        QCOMPARE(cell(model, QStringLiteral("launch"), RulesModel::Name), QStringLiteral("Launch discount"));
        QCOMPARE(cell(model, QStringLiteral("launch"), RulesModel::Scope), QStringLiteral("everything"));
        QCOMPARE(cell(model, QStringLiteral("summer-tiers"), RulesModel::Effect),
                 QStringLiteral("spend ¥300 get ¥30 off\nspend ¥500 get ¥60 off"));
        QCOMPARE(cell(model, QStringLiteral("summer-tiers"), RulesModel::Scope),
                 QStringLiteral("categories: Electronics"));
        QCOMPARE(cell(model, QStringLiteral("earbuds"), RulesModel::Effect), QStringLiteral("ELE-1001 at ¥149.90"));
        QCOMPARE(cell(model, QStringLiteral("national-day"), RulesModel::State), QStringLiteral("scheduled"));
        QCOMPARE(cell(model, QStringLiteral("national-day"), RulesModel::Effect),
                 QStringLiteral("12.5 % off, at most ¥50"));
        QCOMPARE(cell(model, QStringLiteral("tea"), RulesModel::State), QStringLiteral("disabled"));
        QCOMPARE(cell(model, QStringLiteral("tea"), RulesModel::Effect), QStringLiteral("pay 85 % of the list price"));
        QVERIFY(
            model->index(rowOf(model, QStringLiteral("launch")), RulesModel::State).data(Qt::ForegroundRole).isValid());
        QVERIFY2(page->headerText().contains(QStringLiteral("Version %1").arg(first.version())) &&
                     page->headerText().contains(QStringLiteral("Summer campaign")) &&
                     page->headerText().contains(QStringLiteral("console")),
                 qPrintable(page->headerText()));
        QVERIFY(page->fileBannerText().isEmpty());
        QVERIFY(page->lastErrorText().isEmpty());

        // A second version, seen by the periodic refresh; its diff, rule by rule.
        std::vector<v1::PricingRule> changed = sampleRules();
        changed[0].set_percent_off_bp(2000);
        changed.erase(changed.begin() + 4); // tea
        v1::PricingRule vip = baseRule("vip", "VIP price", v1::RULE_KIND_SEGMENT_PRICE);
        vip.set_segment("vip");
        vip.set_percent_of_list_bp(9000);
        changed.push_back(vip);
        const v1::RuleSetVersion second = save(*stub, first.version(), changed, "Deeper launch discount", &status);
        QVERIFY2(status.ok(), status.error_message().c_str());
        QTRY_COMPARE_WITH_TIMEOUT(page->versionCount(), 2, 10000);
        QCOMPARE(page->versionAt(0), second.version());
        QTRY_COMPARE_WITH_TIMEOUT(cell(model, QStringLiteral("launch"), RulesModel::Effect), QStringLiteral("20 % off"),
                                  5000);
        page->selectVersion(0);
        const QString diff = page->diffText();
        QVERIFY2(diff.contains(QStringLiteral("Changed launch: percent off 15 % → 20 %")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("Added vip “VIP price”: segment “vip” pays 90 % of the list price")),
                 qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("Removed tea “Tea at 85 %”")), qPrintable(diff));
        QVERIFY2(!diff.contains(QStringLiteral("earbuds")), qPrintable(diff));
        page->selectVersion(1);
        QVERIFY2(page->diffText().contains(QStringLiteral("Added launch")), qPrintable(page->diffText()));

        // Roll back through the page: a new version with the first version's rules.
        QSignalSpy finished(page, &PricingPage::actionFinished);
        page->rollbackTo(first.version(), QStringLiteral("Too deep"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        QVERIFY2(page->messageText().contains(QStringLiteral("Rolled back to version 1")),
                 qPrintable(page->messageText()));
        QTRY_COMPARE_WITH_TIMEOUT(page->versionCount(), 3, 5000);
        QCOMPARE(page->current()->source(), std::string("rollback"));
        QCOMPARE(cell(model, QStringLiteral("launch"), RulesModel::Effect), QStringLiteral("15 % off"));
        QVERIFY(page->headerText().contains(QStringLiteral("Too deep")));
        page->selectVersion(0);
        QVERIFY2(page->diffText().contains(QStringLiteral("Changed launch: percent off 20 % → 15 %")),
                 qPrintable(page->diffText()));

        // Try a cart: two earbuds at the special price, then 15 % off.
        QTRY_VERIFY_WITH_TIMEOUT(page->productCount() > 0, 5000);
        page->setCart({{QStringLiteral("ELE-1001"), 2}}, 100001);
        page->quoteCart();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
        QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(page->messageText()));
        const qint64 special = 2 * 14990;
        const qint64 total = special - (special * 1500 + 5000) / 10000;
        const QString totalText = QStringLiteral("¥%1.%2").arg(total / 100).arg(total % 100, 2, 10, QLatin1Char('0'));
        QVERIFY2(page->liveQuoteText().contains(totalText), qPrintable(page->liveQuoteText()));
        QVERIFY2(page->draftQuoteText().contains(totalText), qPrintable(page->draftQuoteText()));
        QVERIFY(page->liveQuoteText().contains(QStringLiteral("Earbuds special (earbuds)")));

        // A rollback the backend refuses is reported plainly.
        page->rollbackTo(99, QStringLiteral("no such version"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 5000);
        QCOMPARE(finished.at(2).at(0).toBool(), false);
        QVERIFY2(page->messageText().startsWith(QStringLiteral("The backend")), qPrintable(page->messageText()));

        // For a look at the page: FLYWHEEL_SCREENSHOT=/tmp/pricing.png.
        const QString screenshot = qEnvironmentVariable("FLYWHEEL_SCREENSHOT");
        if (!screenshot.isEmpty()) {
            auto *tabs = page->findChild<QTabWidget *>();
            const QStringList suffixes = {QString(), QStringLiteral("-history"), QStringLiteral("-cart")};
            for (int tab = 0; tab < 3; ++tab) {
                tabs->setCurrentIndex(tab);
                QString path = screenshot;
                path.insert(path.lastIndexOf(u'.'), suffixes[tab]);
                QVERIFY(window.grab().save(path));
            }
        }
    }

    void editsADraftWithUndoAndSaves()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto stub = v1::PricingService::NewStub(backend->inProcessChannel());
        grpc::Status status;
        const v1::RuleSetVersion first = save(*stub, 0, sampleRules(), "Summer campaign", &status);
        QVERIFY2(status.ok(), status.error_message().c_str());

        BackendConnection connection(QStringLiteral("test backend"));
        PricingPage page(&connection);
        QAbstractItemModelTester tester(page.rulesModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Before the rules are loaded no editing button invites a click.
        const QStringList editing{QStringLiteral("Add rule…"),     QStringLiteral("Edit…"), QStringLiteral("Delete"),
                                  QStringLiteral("Disable"),       QStringLiteral("Undo"),  QStringLiteral("Redo"),
                                  QStringLiteral("Discard draft"), QStringLiteral("Save…")};
        int checked = 0;
        for (QPushButton *button : page.findChildren<QPushButton *>()) {
            if (editing.contains(button->text())) {
                QVERIFY2(!button->isEnabled(), qPrintable(button->text()));
                ++checked;
            }
        }
        QCOMPARE(checked, editing.size());
        connection.setChannel(backend->inProcessChannel());
        page.show();
        QTRY_COMPARE_WITH_TIMEOUT(page.rulesModel()->rowCount(), 5, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(page.canEdit(), 5000);
        QVERIFY(!page.saveEnabled()); // nothing to save yet

        v1::PricingRule vip = baseRule("vip", "VIP price", v1::RULE_KIND_SEGMENT_PRICE);
        vip.set_segment("vip");
        vip.set_percent_of_list_bp(9000);
        page.putRule(vip);
        page.setRuleEnabled(QStringLiteral("launch"), false);
        page.deleteRule(QStringLiteral("tea"));
        QCOMPARE(page.rulesModel()->rowCount(), 5);
        QVERIFY(page.draftText().contains(QStringLiteral("Unsaved draft based on version 1")));
        QCOMPARE(cell(page.rulesModel(), QStringLiteral("launch"), RulesModel::State), QStringLiteral("disabled"));
        QCOMPARE(cell(page.rulesModel(), QStringLiteral("vip"), RulesModel::State), QStringLiteral("unsaved"));

        page.undoStack()->undo(); // the deletion
        QCOMPARE(page.rulesModel()->rowCount(), 6);
        QVERIFY(rowOf(page.rulesModel(), QStringLiteral("tea")) >= 0);
        page.undoStack()->redo();
        QCOMPARE(rowOf(page.rulesModel(), QStringLiteral("tea")), -1);
        // A refresh keeps showing the draft.
        QTRY_VERIFY_WITH_TIMEOUT(!page.isRefreshing(), 5000); // a timer's refresh may be under way
        page.refresh();
        QVERIFY(page.isRefreshing());
        QTRY_VERIFY_WITH_TIMEOUT(!page.isRefreshing(), 5000); // the rules in force came back
        QCOMPARE(rowOf(page.rulesModel(), QStringLiteral("vip")) >= 0, true);

        QSignalSpy finished(&page, &PricingPage::actionFinished);
        QVERIFY(page.saveEnabled());
        page.saveDraft(QStringLiteral("VIP prices, launch paused"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(page.messageText()));
        QVERIFY(!page.hasDraft());
        QCOMPARE(page.current()->version(), first.version() + 1);
        QCOMPARE(cell(page.rulesModel(), QStringLiteral("launch"), RulesModel::State), QStringLiteral("disabled"));
        QCOMPARE(cell(page.rulesModel(), QStringLiteral("vip"), RulesModel::State), QStringLiteral("active"));
        QVERIFY(page.messageText().contains(QStringLiteral("Saved as version 2")));

        // Another operator saves meanwhile: the backend's ABORTED is shown plainly.
        page.setRuleEnabled(QStringLiteral("launch"), true);
        save(*stub, 2, sampleRules(), "Someone else", &status);
        QVERIFY(status.ok());
        page.saveDraft(QStringLiteral("Launch again"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QVERIFY2(page.messageText().startsWith(QStringLiteral("Someone else changed the rules meanwhile")),
                 qPrintable(page.messageText()));
        QVERIFY(page.hasDraft());
        QTRY_VERIFY_WITH_TIMEOUT(page.draftText().contains(QStringLiteral("Version 3 has been saved since")), 5000);
        page.discardDraft();
        QVERIFY(!page.hasDraft());
        QCOMPARE(page.rulesModel()->rowCount(), 5);
    }

    void rulesFromAFileAreReadOnly()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("pricing.yaml"));
        const auto write = [&file](const QByteArray &text) {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(text);
        };
        write("rules:\n  - id: launch\n    name: Launch\n    type: percent_off\n    percent_off: 15\n");
        BackendOptions options;
        options.databasePath = dir.filePath(QStringLiteral("test.sqlite")).toStdString();
        options.seedDemoData = true;
        options.demoHistoryOrdersPerHour = 0;
        options.demoUsers = 1000;
        options.pricingFile = file.toStdString();
        auto backend = Backend::start(options);

        BackendConnection connection(QStringLiteral("test backend"));
        PricingPage page(&connection);
        connection.setChannel(backend->inProcessChannel());
        QTRY_COMPARE_WITH_TIMEOUT(page.rulesModel()->rowCount(), 1, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(page.fileBannerText().contains(file), 5000);
        QVERIFY(page.lastErrorText().isEmpty());
        QVERIFY(!page.canEdit());
        page.setRuleEnabled(QStringLiteral("launch"), false);
        QVERIFY(!page.hasDraft());

        // A broken file: the old rules keep serving and the refusal is shown.
        write("rules:\n  - id: launch\n    type: percent_off\n    percent_off: 150\n");
        QTRY_VERIFY_WITH_TIMEOUT(!page.lastErrorText().isEmpty(), 10000);
        QVERIFY2(page.lastErrorText().contains(QStringLiteral("pricing.yaml")), qPrintable(page.lastErrorText()));
        QCOMPARE(page.rulesModel()->rowCount(), 1);
    }

    // The rule form asks the backend (ValidateRuleSet) and shows its words next to the
    // fields; OK waits for the backend's yes. No sleeps: each step waits for the answer.
    void ruleFormAsksTheBackend()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        BackendConnection connection(QStringLiteral("test backend"));
        connection.setChannel(backend->inProcessChannel());
        PricingClient client(&connection);

        qint64 value = 0;
        QVERIFY(parseDecimal(QStringLiteral("149.9"), &value));
        QCOMPARE(value, 14990);
        QVERIFY(parseDecimal(QStringLiteral("300"), &value));
        QCOMPARE(value, 30000);
        QVERIFY(!parseDecimal(QStringLiteral("1.234"), &value));
        QVERIFY(!parseDecimal(QStringLiteral("-5"), &value));

        // Invalid: the backend's messages next to their fields, OK disabled.
        v1::PricingRule tiers = baseRule("tiers", "Tiers", v1::RULE_KIND_THRESHOLD);
        v1::ThresholdTier *tier = tiers.add_tiers();
        tier->set_spend_minor(50000);
        tier->set_off_minor(6000);
        tier = tiers.add_tiers();
        tier->set_spend_minor(30000);
        tier->set_off_minor(3000);
        tiers.add_scope_skus("NOPE-1");
        RuleDialog invalid(tiers, &client, {QStringLiteral("launch")});
        QSignalSpy invalidAnswered(&invalid, &RuleDialog::validated);
        QCOMPARE(invalid.validation(), RuleDialog::Validation::Checking);
        QVERIFY(!invalid.okEnabled());
        QVERIFY(invalidAnswered.wait(10000));
        QCOMPARE(invalid.validation(), RuleDialog::Validation::Invalid);
        QCOMPARE(invalid.problems().value(RuleField::Tiers),
                 QStringLiteral("tiers[1]: tiers must be in ascending order of spend"));
        QCOMPARE(invalid.problems().value(RuleField::Skus),
                 QStringLiteral("scope.skus names \"NOPE-1\", which is not in the catalogue"));
        QVERIFY(!invalid.problems().contains(RuleField::Id));
        QVERIFY(!invalid.okEnabled());
        QCOMPARE(invalid.statusText(), QStringLiteral("This rule has 2 problem(s); see the fields above."));

        // The id of another rule, an empty name and no percentage: three fields.
        v1::PricingRule clash = baseRule("launch", "", v1::RULE_KIND_PERCENT_OFF);
        RuleDialog dialog(clash, &client, {QStringLiteral("launch")});
        QSignalSpy answered(&dialog, &RuleDialog::validated);
        QVERIFY(answered.wait(10000));
        QCOMPARE(dialog.problems().value(RuleField::Id), QStringLiteral("the id \"launch\" is used by another rule"));
        QCOMPARE(dialog.problems().value(RuleField::Name), QStringLiteral("name is empty"));
        QCOMPARE(dialog.problems().value(RuleField::PercentOff),
                 QStringLiteral("percent_off must be above 0 and at most 100"));
        QVERIFY(!dialog.okEnabled());

        // Fixing the fields: OK stays disabled while the backend is asked, then enables.
        auto *id = dialog.findChild<QLineEdit *>(QStringLiteral("id"));
        auto *name = dialog.findChild<QLineEdit *>(QStringLiteral("name"));
        auto *percent = dialog.findChild<QLineEdit *>(QStringLiteral("percent_off"));
        QVERIFY(id != nullptr && name != nullptr && percent != nullptr);
        QCOMPARE(id->text(), QStringLiteral("launch"));
        id->setText(QStringLiteral("launch-2"));
        name->setText(QStringLiteral("Launch again"));
        percent->setText(QStringLiteral("12.5"));
        QCOMPARE(dialog.validation(), RuleDialog::Validation::Checking);
        QVERIFY(!dialog.okEnabled());
        answered.clear();
        QVERIFY(answered.wait(10000));
        QCOMPARE(dialog.validation(), RuleDialog::Validation::Valid);
        QVERIFY(dialog.problems().isEmpty());
        QVERIFY(dialog.okEnabled());
        QCOMPARE(dialog.rule().percent_off_bp(), 1250);
        QCOMPARE(dialog.rule().id(), std::string("launch-2"));

        // A number the form cannot read keeps the form's words (the backend sees -1).
        percent->setText(QStringLiteral("a lot"));
        QVERIFY(answered.wait(10000));
        QCOMPARE(dialog.problems().value(RuleField::PercentOff),
                 QStringLiteral("Enter a percentage such as 15 or 12.5."));
        QVERIFY(!dialog.okEnabled());

        // A valid rule round-trips and enables OK.
        v1::PricingRule earbuds = baseRule("earbuds", "Earbuds special", v1::RULE_KIND_SKU_PRICE);
        earbuds.add_scope_skus("ELE-1001");
        earbuds.set_unit_price_minor(14990);
        RuleDialog valid(earbuds, &client, {});
        QSignalSpy validAnswered(&valid, &RuleDialog::validated);
        QVERIFY(validAnswered.wait(10000));
        QVERIFY(valid.problems().isEmpty());
        QVERIFY(valid.okEnabled());
        QVERIFY(valid.statusText().isEmpty());
        QCOMPARE(valid.rule().unit_price_minor(), 14990);
        QCOMPARE(valid.rule().scope_skus(0), std::string("ELE-1001"));

        // A segment price: a note, not a problem, when the segment set lacks the
        // segment or has it disabled (the backend accepts it; nobody gets the price).
        v1::PricingRule vip = baseRule("vip-price", "VIP price", v1::RULE_KIND_SEGMENT_PRICE);
        vip.set_segment("vip");
        vip.set_percent_of_list_bp(9000);
        const QMap<QString, bool> segments{{QStringLiteral("new_payers"), true}, {QStringLiteral("dormant"), false}};
        RuleDialog missing(vip, &client, {}, segments);
        QSignalSpy missingAnswered(&missing, &RuleDialog::validated);
        QVERIFY(missingAnswered.wait(10000));
        QVERIFY(missing.problems().isEmpty());
        QVERIFY(missing.okEnabled());
        QCOMPARE(missing.segmentNote(), QStringLiteral("There is no segment “vip” in the current segment set: nobody "
                                                       "gets this price until one is added on the Segments page."));
        vip.set_segment("dormant");
        QCOMPARE(RuleDialog(vip, &client, {}, segments).segmentNote(),
                 QStringLiteral("Segment “dormant” is disabled: nobody gets this price while it stays disabled."));
        vip.set_segment("new_payers");
        QCOMPARE(RuleDialog(vip, &client, {}, segments).segmentNote(), QString());
        vip.set_segment("vip");
        QCOMPARE(RuleDialog(vip, &client, {}).segmentNote(), QString()); // the segment set is not known

        QString screenshot = qEnvironmentVariable("FLYWHEEL_SCREENSHOT");
        if (!screenshot.isEmpty()) {
            invalid.show();
            QVERIFY(
                invalid.grab().save(QString(screenshot).insert(screenshot.lastIndexOf(u'.'), QStringLiteral("-rule"))));
            dialog.show();
            QVERIFY(dialog.grab().save(
                QString(screenshot).insert(screenshot.lastIndexOf(u'.'), QStringLiteral("-number"))));
            missing.show();
            QVERIFY(missing.grab().save(screenshot.insert(screenshot.lastIndexOf(u'.'), QStringLiteral("-segment"))));
        }
    }

    // Without a backend the form says so, and OK stays disabled.
    void ruleFormWithoutABackend()
    {
        BackendConnection connection(QStringLiteral("nowhere"));
        PricingClient client(&connection);
        v1::PricingRule rule = baseRule("launch", "Launch", v1::RULE_KIND_PERCENT_OFF);
        rule.set_percent_off_bp(1000);
        RuleDialog dialog(rule, &client, {});
        QSignalSpy answered(&dialog, &RuleDialog::validated);
        QVERIFY(answered.wait(10000));
        QCOMPARE(dialog.validation(), RuleDialog::Validation::Unreachable);
        QVERIFY(!dialog.okEnabled());
        QCOMPARE(dialog.statusText(), QStringLiteral("The backend cannot be reached (not connected yet), so the rule "
                                                     "cannot be checked and OK stays disabled. Check the connection, "
                                                     "then try again."));
        const QString screenshot = qEnvironmentVariable("FLYWHEEL_SCREENSHOT");
        if (!screenshot.isEmpty()) {
            dialog.show();
            QVERIFY(dialog.grab().save(
                QString(screenshot).insert(screenshot.lastIndexOf(u'.'), QStringLiteral("-offline"))));
        }
    }
};

QTEST_MAIN(TestPricingPage)
#include "tst_pricingpage.moc"
