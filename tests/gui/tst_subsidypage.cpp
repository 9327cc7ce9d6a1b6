// The Subsidy page against a fake SubsidyService (a callback service on an in-process
// server, answering with canned data or errors): the config form checked as the operator
// types (each field's problem next to it, Save disabled while anything is wrong), saving
// with a reason, someone else's save (ABORTED) keeping the draft, the history with its
// diff and a rollback, "what would this config have done", one user explained, a stream
// snapshot filling the budgets, the ROI table and the charts (all campaigns and channels
// or one, the comparison bars, their empty states), role and production greying,
// and a backend that does not offer subsidies at all.

#include "client/BackendConnection.h"
#include "client/SubsidyClient.h"
#include "common/Format.h"
#include "common/VersionHistoryView.h"
#include "connection/EnvironmentPolicy.h"
#include "MainWindow.h"
#include "subsidy/ConfigTab.h"
#include "subsidy/ExplainTab.h"
#include "subsidy/RoiChart.h"
#include "subsidy/RoiCompareChart.h"
#include "subsidy/RoiRateChart.h"
#include "subsidy/RoiTab.h"
#include "subsidy/SimulationView.h"
#include "subsidy/SubsidyConfigEditor.h"
#include "subsidy/SubsidyPage.h"

#include "flywheel/v1/audit.grpc.pb.h"
#include "flywheel/v1/subsidy.grpc.pb.h"

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/support/channel_arguments.h>

#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

using namespace flywheel;
using namespace flywheel::ui;

namespace {

v1::Money cny(qint64 minor)
{
    v1::Money m;
    m.set_minor_units(minor);
    m.set_currency("CNY");
    return m;
}

v1::SubsidyConfig firstConfig()
{
    v1::SubsidyConfig c;
    c.set_enabled(true);
    c.set_campaign_id("first_order");
    c.set_min_ltv_cac_ratio(1.5);
    *c.mutable_base_amount() = cny(1000);
    c.set_cap_factor(2);
    c.set_active_days(2);
    c.mutable_risk()->set_latency_threshold_ms(800);
    c.mutable_risk()->set_score_threshold(75);
    c.mutable_risk()->set_weight(0.3);
    for (const auto &[channel, cac] : {std::pair{"app", 2000}, std::pair{"web", 1500}}) {
        v1::ChannelCac *entry = c.add_channel_cac();
        entry->set_channel(channel);
        *entry->mutable_cac() = cny(cac);
    }
    v1::CampaignBudget *budget = c.add_budgets();
    budget->set_campaign_id("first_order");
    *budget->mutable_total() = cny(1'000'000);
    *budget->mutable_daily() = cny(100'000);
    c.mutable_ltv()->set_base_orders(1.0);
    c.mutable_ltv()->set_orders_per_active_day(0.4);
    c.mutable_ltv()->set_orders_per_past_order(0.5);
    c.mutable_ltv()->set_margin_bp(2500);
    c.mutable_ltv()->set_min_category_orders(20);
    return c;
}

/// Sends one snapshot, then keeps the stream open until the client cancels it.
class RoiWriter final : public grpc::ServerWriteReactor<v1::SubsidyRoiSnapshot> {
public:
    explicit RoiWriter(const v1::SubsidyRoiSnapshot &snapshot) : m_snapshot(snapshot) { StartWrite(&m_snapshot); }
    void OnWriteDone(bool) override {}
    void OnCancel() override { Finish(grpc::Status::CANCELLED); }
    void OnDone() override { delete this; }

private:
    v1::SubsidyRoiSnapshot m_snapshot;
};

/// SubsidyService with one config (version 1), answering as the proto says; records
/// saves, rollbacks, replays and explanations.
class FakeSubsidy final : public v1::SubsidyService::CallbackService {
public:
    FakeSubsidy()
    {
        v1::SubsidyConfigVersion first;
        first.set_version(1);
        *first.mutable_config() = firstConfig();
        first.set_reason("initial config");
        first.set_source("initial");
        first.mutable_created_at()->set_seconds(1'760'000'000);
        first.set_actor("system");
        versions.push_back(first);
    }

    /// Someone else saves `config` as the next version.
    void saveBehindTheConsole(const v1::SubsidyConfig &config)
    {
        const std::lock_guard lock(mutex);
        append(config, "someone else", "console");
    }

    grpc::ServerUnaryReactor *GetSubsidyConfig(grpc::CallbackServerContext *context,
                                               const v1::GetSubsidyConfigRequest *request,
                                               v1::SubsidyConfigVersion *response) override
    {
        const std::lock_guard lock(mutex);
        grpc::Status status;
        if (request->version() == 0)
            *response = newestLive();
        else if (request->version() <= qint64(versions.size()))
            *response = versions[std::size_t(request->version() - 1)];
        else
            status = grpc::Status(grpc::StatusCode::NOT_FOUND, "no such version");
        return finish(context, status);
    }

    grpc::ServerUnaryReactor *ListSubsidyConfigVersions(grpc::CallbackServerContext *context,
                                                        const v1::ListSubsidyConfigVersionsRequest *,
                                                        v1::ListSubsidyConfigVersionsResponse *response) override
    {
        const std::lock_guard lock(mutex);
        for (auto it = versions.rbegin(); it != versions.rend(); ++it)
            *response->add_versions() = *it;
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *SaveSubsidyConfig(grpc::CallbackServerContext *context,
                                                const v1::SaveSubsidyConfigRequest *request,
                                                v1::SubsidyConfigVersion *response) override
    {
        const std::lock_guard lock(mutex);
        saves.push_back(*request);
        if (saveError)
            return finish(context, *saveError);
        if (!request->candidate() && request->base_version() != newestLive().version())
            return finish(context, grpc::Status(grpc::StatusCode::ABORTED, "base_version is not current"));
        *response = append(request->config(), request->reason(), "console", request->candidate());
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *RollbackSubsidyConfig(grpc::CallbackServerContext *context,
                                                    const v1::RollbackSubsidyConfigRequest *request,
                                                    v1::SubsidyConfigVersion *response) override
    {
        const std::lock_guard lock(mutex);
        rollbacks.push_back(*request);
        if (request->base_version() != newestLive().version())
            return finish(context, grpc::Status(grpc::StatusCode::ABORTED, "base_version is not current"));
        const v1::SubsidyConfig config = versions[std::size_t(request->to_version() - 1)].config();
        *response = append(config, request->reason(), "rollback");
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *ExplainSubsidy(grpc::CallbackServerContext *context,
                                             const v1::ExplainSubsidyRequest *request,
                                             v1::SubsidyExplanation *response) override
    {
        const std::lock_guard lock(mutex);
        explains.push_back(*request);
        if (request->uid() == 404)
            return finish(context, grpc::Status(grpc::StatusCode::NOT_FOUND, "uid 404 is not a user"));
        v1::SubsidyInputs *in = response->mutable_inputs();
        in->set_active_days_last7(4);
        in->set_past_paid_orders(0);
        in->set_risk_score(80);
        in->set_channel(request->channel());
        in->set_category("electronics");
        *in->mutable_category_average_order() = cny(24000);
        in->set_category_orders(120);
        *in->mutable_order_total() = cny(19900);
        in->set_expected_orders(2.6);
        *in->mutable_average_order_value() = cny(24000);
        in->set_margin(0.25);
        *in->mutable_ltv() = cny(15600);
        *in->mutable_cac() = cny(2000);
        in->set_ltv_cac_ratio(7.8);
        in->set_order_p99_ms(912);
        v1::SubsidyDecision *d = response->mutable_decision();
        d->set_reason(v1::SUBSIDY_REASON_GRANTED_DOWNWEIGHTED);
        *d->mutable_amount() = cny(600);
        d->set_campaign_id("first_order");
        d->set_config_version(versions.back().version());
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerUnaryReactor *SimulateSubsidyConfig(grpc::CallbackServerContext *context,
                                                    const v1::SimulateSubsidyConfigRequest *request,
                                                    v1::SubsidySimulation *response) override
    {
        const std::lock_guard lock(mutex);
        simulations.push_back(*request);
        response->mutable_from()->set_seconds(1'760'000'000);
        response->mutable_to()->set_seconds(1'760'000'000 + 7 * 86400);
        const auto outcome = [](v1::SimulationOutcome *o, qint64 users, qint64 cost, qint64 below) {
            o->set_first_orders(40);
            o->set_subsidised_users(users);
            *o->mutable_cost() = cny(cost);
            v1::CampaignSpend *spend = o->add_spend();
            spend->set_campaign_id("first_order");
            *spend->mutable_total_budget() = cny(1'000'000);
            *spend->mutable_daily_budget() = cny(100'000);
            *spend->mutable_spent_total() = cny(cost);
            v1::ReasonCount *granted = o->add_reasons();
            granted->set_reason(v1::SUBSIDY_REASON_GRANTED);
            granted->set_count(users);
            v1::ReasonCount *low = o->add_reasons();
            low->set_reason(v1::SUBSIDY_REASON_LTV_CAC_BELOW_MIN);
            low->set_count(below);
        };
        outcome(response->mutable_draft(), 12, 24000, 28);
        outcome(response->mutable_live(), 9, 18000, 31);
        response->set_newly_subsidised(4);
        response->set_no_longer_subsidised(1);
        return finish(context, grpc::Status::OK);
    }

    grpc::ServerWriteReactor<v1::SubsidyRoiSnapshot> *StreamSubsidyRoi(grpc::CallbackServerContext *,
                                                                      const v1::StreamSubsidyRoiRequest *) override
    {
        const std::lock_guard lock(mutex);
        return new RoiWriter(snapshot);
    }

    std::mutex mutex;
    std::vector<v1::SubsidyConfigVersion> versions;
    std::vector<v1::SaveSubsidyConfigRequest> saves;
    std::vector<v1::RollbackSubsidyConfigRequest> rollbacks;
    std::vector<v1::ExplainSubsidyRequest> explains;
    std::vector<v1::SimulateSubsidyConfigRequest> simulations;
    std::optional<grpc::Status> saveError;
    v1::SubsidyRoiSnapshot snapshot;

private:
    /// Live versions and candidates share the numbers; version 0 is the newest live one.
    v1::SubsidyConfigVersion newestLive() const
    {
        for (auto it = versions.rbegin(); it != versions.rend(); ++it)
            if (!it->candidate())
                return *it;
        return {};
    }

    v1::SubsidyConfigVersion append(const v1::SubsidyConfig &config, const std::string &reason,
                                    const std::string &source, bool candidate = false)
    {
        v1::SubsidyConfigVersion next;
        next.set_version(versions.back().version() + 1);
        next.set_candidate(candidate);
        *next.mutable_config() = config;
        next.set_reason(reason);
        next.set_source(source);
        next.mutable_created_at()->set_seconds(versions.back().created_at().seconds() + 3600);
        next.set_actor("console-alice");
        versions.push_back(next);
        return next;
    }

    static grpc::ServerUnaryReactor *finish(grpc::CallbackServerContext *context, const grpc::Status &status)
    {
        grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
        reactor->Finish(status);
        return reactor;
    }
};

v1::SubsidyRoiSnapshot roiSnapshot()
{
    v1::SubsidyRoiSnapshot s;
    s.mutable_at()->set_seconds(1'760'000'000);
    s.set_config_version(1);
    s.set_order_p99_ms(912);
    s.set_down_weighting(true);
    v1::CampaignSpend *first = s.add_campaigns();
    first->set_campaign_id("first_order");
    *first->mutable_total_budget() = cny(1'000'000);
    *first->mutable_daily_budget() = cny(100'000);
    *first->mutable_spent_total() = cny(920'000);
    *first->mutable_spent_today() = cny(40'000);
    first->set_at_90_percent(true);
    v1::CampaignSpend *spring = s.add_campaigns();
    spring->set_campaign_id("spring");
    *spring->mutable_total_budget() = cny(500'000);
    *spring->mutable_daily_budget() = cny(50'000);
    *spring->mutable_spent_total() = cny(120'000);
    *spring->mutable_spent_today() = cny(50'000);
    spring->set_exhausted(v1::SUBSIDY_REASON_DAILY_BUDGET_EXHAUSTED);
    v1::SubsidyRoiRow *row = s.add_rows();
    row->set_campaign_id("first_order");
    row->set_channel("app");
    row->set_issued(40);
    *row->mutable_issued_amount() = cny(80'000);
    row->set_redeemed(20);
    *row->mutable_redeemed_amount() = cny(40'000);
    row->set_redemption_rate(0.5);
    *row->mutable_gmv() = cny(320'000);
    row->set_roa(8.0);
    row->set_issue_to_redeem_p95_seconds(42.5);
    row->set_released(5);
    for (int minute = 0; minute < 3; ++minute) {
        v1::SubsidyPoint *p = s.add_recent();
        p->mutable_start()->set_seconds(1'760'000'000 - (3 - minute) * 60);
        *p->mutable_issued_amount() = cny(2000 * (minute + 1));
        *p->mutable_redeemed_amount() = cny(1000 * minute);
    }
    v1::ReasonCount *granted = s.add_reasons();
    granted->set_reason(v1::SUBSIDY_REASON_GRANTED);
    granted->set_count(40);
    return s;
}

/// Three minutes of two campaign · channel series (first_order · app and · web) and their
/// sums in `recent`; a third row (spring · h5) with nothing in the last hour.
///   minute          0      1      2
///   app issued      1/20   1/20   2/40    (count / amount)
///   app redeemed    0      1/10   1/10    GMV 0, 80, 40
///   web issued      0      1/20   1/20
///   web redeemed    0      0      1/10    GMV 0, 0, 60
v1::SubsidyRoiSnapshot seriesSnapshot()
{
    v1::SubsidyRoiSnapshot s;
    s.mutable_at()->set_seconds(1'760'000'000);
    s.set_config_version(1);
    const auto addRow = [&s](const char *campaign, const char *channel, int issued, int redeemed, double roa) {
        v1::SubsidyRoiRow *row = s.add_rows();
        row->set_campaign_id(campaign);
        row->set_channel(channel);
        row->set_issued(issued);
        row->set_redeemed(redeemed);
        row->set_redemption_rate(issued > 0 ? double(redeemed) / issued : 0);
        row->set_roa(roa);
    };
    addRow("first_order", "app", 40, 20, 8.0);
    addRow("first_order", "web", 10, 2, 5.0);
    addRow("spring", "h5", 3, 0, 0);
    struct Minute {
        int issued;
        qint64 issuedAmount;
        int redeemed;
        qint64 redeemedAmount;
        qint64 gmv;
    };
    const Minute app[] = {{1, 2000, 0, 0, 0}, {1, 2000, 1, 1000, 8000}, {2, 4000, 1, 1000, 4000}};
    const Minute web[] = {{0, 0, 0, 0, 0}, {1, 2000, 0, 0, 0}, {1, 2000, 1, 1000, 6000}};
    const auto fill = [](v1::SubsidyPoint *p, int minute, const Minute &m) {
        p->mutable_start()->set_seconds(1'760'000'000 - (3 - minute) * 60);
        p->set_issued(m.issued);
        *p->mutable_issued_amount() = cny(m.issuedAmount);
        p->set_redeemed(m.redeemed);
        *p->mutable_redeemed_amount() = cny(m.redeemedAmount);
        *p->mutable_redeemed_gmv() = cny(m.gmv);
    };
    v1::SubsidyRoiSeries *appSeries = s.add_series();
    appSeries->set_campaign_id("first_order");
    appSeries->set_channel("app");
    v1::SubsidyRoiSeries *webSeries = s.add_series();
    webSeries->set_campaign_id("first_order");
    webSeries->set_channel("web");
    for (int minute = 0; minute < 3; ++minute) {
        const Minute &a = app[minute];
        const Minute &w = web[minute];
        // As the backend sends them: a series leaves out its quiet minutes (web's first).
        for (const auto &[series, m] : {std::pair{appSeries, a}, std::pair{webSeries, w}}) {
            if (m.issued != 0 || m.redeemed != 0)
                fill(series->add_points(), minute, m);
        }
        fill(s.add_recent(), minute,
             {a.issued + w.issued, a.issuedAmount + w.issuedAmount, a.redeemed + w.redeemed,
              a.redeemedAmount + w.redeemedAmount, a.gmv + w.gmv});
    }
    return s;
}

QList<double> ys(const QList<QPointF> &points)
{
    QList<double> out;
    for (const QPointF &p : points)
        out.append(p.y());
    return out;
}

/// The fake on an in-process server, a connection to it, and a main window on the Subsidy page.
struct Fixture {
    FakeSubsidy service;
    std::unique_ptr<grpc::Server> server;
    BackendConnection connection{QStringLiteral("fake subsidy backend")};
    std::unique_ptr<MainWindow> window;
    SubsidyPage *page = nullptr;
    ConfigTab *tab = nullptr;

    Fixture()
    {
        service.snapshot = roiSnapshot();
        grpc::ServerBuilder builder;
        builder.RegisterService(&service);
        server = builder.BuildAndStart();
        window = std::make_unique<MainWindow>(&connection);
        page = window->subsidyPage();
        tab = page->configTab();
        window->showPage(QStringLiteral("subsidy"));
    }
    ~Fixture()
    {
        window.reset();
        server->Shutdown();
    }
    void connect()
    {
        connection.setChannel(server->InProcessChannel(grpc::ChannelArguments()));
        window->show();
    }
    /// Connected, with the config and its history shown.
    void load()
    {
        connect();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(tab->history()->versionCount() >= 1, 5000);
    }
    /// Types `text` into the field `key` as an operator does.
    void type(const QString &key, const QString &text)
    {
        QLineEdit *input = tab->editor()->input(key);
        QVERIFY2(input, qPrintable(key));
        input->selectAll();
        if (text.isEmpty())
            QTest::keyClick(input, Qt::Key_Delete);
        else
            QTest::keyClicks(input, text);
    }
};

ConnectionProfile production()
{
    ConnectionProfile p;
    p.name = QStringLiteral("prod-eu");
    p.address = QStringLiteral("flywheel.eu.example:443");
    p.tls = true;
    p.environment = Environment::Production;
    return p;
}

} // namespace

class TestSubsidyPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registeredAfterReferral()
    {
        const QStringList names = MainWindow::pageNames();
        QCOMPARE(names.indexOf(QStringLiteral("subsidy")), names.indexOf(QStringLiteral("referral")) + 1);
        Fixture f;
        QCOMPARE(f.window->currentPageName(), QStringLiteral("subsidy"));
        QSignalSpy shown(f.window.get(), &MainWindow::pageDataShown);
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(shown.contains(QVariantList{QStringLiteral("subsidy")}), 5000);
        QVERIFY(f.window->currentPageHasData());
    }

    void loadsTheConfigIntoTheForm()
    {
        Fixture f;
        f.load();
        SubsidyConfigEditor *editor = f.tab->editor();
        QCOMPARE(editor->input(QStringLiteral("campaign_id"))->text(), QStringLiteral("first_order"));
        QCOMPARE(editor->input(QStringLiteral("min_ltv_cac_ratio"))->text(), QStringLiteral("1.5"));
        QCOMPARE(editor->input(QStringLiteral("base_amount"))->text(), QStringLiteral("10"));
        QCOMPARE(editor->input(QStringLiteral("risk.weight"))->text(), QStringLiteral("0.3"));
        QCOMPARE(editor->input(QStringLiteral("ltv.margin_bp"))->text(), QStringLiteral("25"));
        QCOMPARE(editor->input(QStringLiteral("channel_cac.app"))->text(), QStringLiteral("20"));
        QCOMPARE(editor->input(QStringLiteral("channel_cac.mini_program"))->text(), QString()); // none
        QCOMPARE(editor->campaignCount(), 1);
        QVERIFY(editor->enabledBox()->isChecked());
        QVERIFY(editor->isValid());
        QVERIFY(!editor->isModified());
        QVERIFY(!f.tab->saveButton()->isEnabled()); // nothing changed
        QVERIFY(f.tab->simulateButton()->isEnabled());
        QVERIFY2(f.page->headerText().startsWith(QStringLiteral("Config version 1")), qPrintable(f.page->headerText()));
        QVERIFY(f.page->problemText().isEmpty());
        // What the form gives back is what was loaded.
        QCOMPARE(editor->config().SerializeAsString(), firstConfig().SerializeAsString());
    }

    void checksAsTheOperatorTypes()
    {
        Fixture f;
        f.load();
        SubsidyConfigEditor *editor = f.tab->editor();
        f.type(QStringLiteral("min_ltv_cac_ratio"), QStringLiteral("0"));
        QCOMPARE(editor->problem(QStringLiteral("min_ltv_cac_ratio")), QStringLiteral("Minimum LTV/CAC must be more than 0."));
        QVERIFY(editor->isModified());
        QVERIFY(!f.tab->saveButton()->isEnabled());
        QVERIFY(!f.tab->simulateButton()->isEnabled());
        QCOMPARE(f.tab->saveButton()->toolTip(), QStringLiteral("Correct the values marked in red first."));

        f.type(QStringLiteral("min_ltv_cac_ratio"), QStringLiteral("abc"));
        QCOMPARE(editor->problem(QStringLiteral("min_ltv_cac_ratio")),
                 QStringLiteral("Minimum LTV/CAC must be a number such as 1.5."));
        f.type(QStringLiteral("min_ltv_cac_ratio"), QStringLiteral("2"));
        QVERIFY(editor->problem(QStringLiteral("min_ltv_cac_ratio")).isEmpty());
        QVERIFY(f.tab->saveButton()->isEnabled());

        f.type(QStringLiteral("risk.weight"), QStringLiteral("1.5"));
        QCOMPARE(editor->problem(QStringLiteral("risk.weight")), QStringLiteral("Risk weight must be at most 1."));
        f.type(QStringLiteral("risk.weight"), QStringLiteral("0.5"));
        f.type(QStringLiteral("active_days"), QStringLiteral("8"));
        QCOMPARE(editor->problem(QStringLiteral("active_days")), QStringLiteral("Active days must be from 0 to 7."));
        f.type(QStringLiteral("active_days"), QStringLiteral("3"));
        f.type(QStringLiteral("ltv.margin_bp"), QStringLiteral("0"));
        QCOMPARE(editor->problem(QStringLiteral("ltv.margin_bp")), QStringLiteral("Margin must be from 0.01 % to 100 %."));
        f.type(QStringLiteral("ltv.margin_bp"), QStringLiteral("30"));
        f.type(QStringLiteral("base_amount"), QStringLiteral("12.345"));
        QCOMPARE(editor->problem(QStringLiteral("base_amount")),
                 QStringLiteral("Base amount must be an amount such as 12.50 (digits, at most two decimals)."));
        f.type(QStringLiteral("base_amount"), QStringLiteral("12.5"));
        f.type(QStringLiteral("campaign_id"), QStringLiteral("Spring Sale"));
        QCOMPARE(editor->problem(QStringLiteral("campaign_id")),
                 QStringLiteral("Campaign “Spring Sale” may only hold lower-case letters, digits, “_” and “-” (at "
                                "most 40)."));
        // A campaign without a budget.
        f.type(QStringLiteral("campaign_id"), QStringLiteral("spring"));
        QVERIFY(editor->problems().contains(
            QStringLiteral("Campaign “spring” has no budget: add one under “Campaign budgets”, or charge the "
                           "subsidies to a campaign that has one.")));
        QVERIFY(!f.tab->saveButton()->isEnabled());
        // A daily budget above the total.
        const int row = editor->addCampaign();
        QVERIFY(editor->problems().contains(QStringLiteral("A budget row needs its campaign id.")));
        QList<QLineEdit *> edits;
        for (QLineEdit *edit : editor->findChildren<QLineEdit *>()) {
            if (edit->accessibleName() == QStringLiteral("Campaign id") ||
                edit->accessibleName() == QStringLiteral("Total budget") ||
                edit->accessibleName() == QStringLiteral("Budget per day"))
                edits.append(edit);
        }
        QCOMPARE(edits.size(), 6);
        QLineEdit *id = nullptr;
        QLineEdit *total = nullptr;
        QLineEdit *daily = nullptr;
        for (QLineEdit *edit : edits) {
            if (!edit->text().isEmpty())
                continue; // the loaded row
            if (edit->accessibleName() == QStringLiteral("Campaign id"))
                id = edit;
            else if (edit->accessibleName() == QStringLiteral("Total budget"))
                total = edit;
            else
                daily = edit;
        }
        QVERIFY(id && total && daily);
        QTest::keyClicks(id, QStringLiteral("spring"));
        QTest::keyClicks(total, QStringLiteral("100"));
        QTest::keyClicks(daily, QStringLiteral("200"));
        QCOMPARE(editor->problem(QStringLiteral("budgets.%1.daily").arg(row)),
                 QStringLiteral("The budget per day of “spring” (%1) cannot be more than its total budget (%2).")
                     .arg(formatMoney(20000, QStringLiteral("CNY")), formatMoney(10000, QStringLiteral("CNY"))));
        QVERIFY(!f.tab->saveButton()->isEnabled());
        daily->selectAll();
        QTest::keyClicks(daily, QStringLiteral("50"));
        QVERIFY2(editor->problems().isEmpty(), qPrintable(editor->problems().join(u'\n')));
        QVERIFY(f.tab->saveButton()->isEnabled());
        const v1::SubsidyConfig typed = editor->config();
        QCOMPARE(typed.campaign_id(), "spring");
        QCOMPARE(typed.budgets_size(), 2);
        QCOMPARE(typed.budgets(1).daily().minor_units(), 5000);
        QCOMPARE(typed.base_amount().minor_units(), 1250);
        QCOMPARE(typed.ltv().margin_bp(), 3000);
        QCOMPARE(typed.risk().weight(), 0.5);
        // Nothing reached the backend.
        const std::lock_guard lock(f.service.mutex);
        QVERIFY(f.service.saves.empty());
    }

    void savesWithAReasonAndShowsTheHistory()
    {
        Fixture f;
        f.load();
        QString askedTitle;
        f.tab->setAskReason([&](const QString &title, const QString &, const QString &, const QString &) {
            askedTitle = title;
            return std::optional<QString>(QStringLiteral("Raise the bar"));
        });
        f.type(QStringLiteral("min_ltv_cac_ratio"), QStringLiteral("2"));
        QSignalSpy finished(f.tab, &ConfigTab::actionFinished);
        QVERIFY(f.tab->saveButton()->isEnabled());
        QTest::mouseClick(f.tab->saveButton(), Qt::LeftButton);
        QCOMPARE(askedTitle, QStringLiteral("Save the subsidy config"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.saves.size(), std::size_t(1));
            QCOMPARE(f.service.saves[0].base_version(), 1);
            QCOMPARE(f.service.saves[0].reason(), "Raise the bar");
            QCOMPARE(f.service.saves[0].config().min_ltv_cac_ratio(), 2.0);
        }
        QCOMPARE(f.tab->messageText(), QStringLiteral("Saved as version 2: first orders follow it from now on."));
        QCOMPARE(f.tab->baseVersion(), 2);
        QVERIFY(!f.tab->editor()->isModified());
        QTRY_COMPARE_WITH_TIMEOUT(f.tab->history()->versionCount(), 2, 5000);
        QCOMPARE(f.tab->history()->versionAt(0), 2);
        f.tab->history()->selectRow(0);
        QVERIFY2(f.tab->diffText().contains(QStringLiteral("Minimum LTV/CAC: 1.5 → 2")), qPrintable(f.tab->diffText()));
        QVERIFY(f.tab->diffText().contains(QStringLiteral("Raise the bar")));
        QTRY_VERIFY_WITH_TIMEOUT(f.page->headerText().startsWith(QStringLiteral("Config version 2")), 5000);

        // Roll back to version 1, with a reason.
        f.tab->history()->selectRow(1);
        QVERIFY(f.tab->history()->rollbackButton()->isEnabled());
        QTest::mouseClick(f.tab->history()->rollbackButton(), Qt::LeftButton);
        QCOMPARE(askedTitle, QStringLiteral("Roll back the subsidy config"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.rollbacks.size(), std::size_t(1));
            QCOMPARE(f.service.rollbacks[0].to_version(), 1);
            QCOMPARE(f.service.rollbacks[0].base_version(), 2);
        }
        QCOMPARE(f.tab->messageText(),
                 QStringLiteral("Rolled back to version 1: the config in force is now version 3."));
        QCOMPARE(f.tab->editor()->input(QStringLiteral("min_ltv_cac_ratio"))->text(), QStringLiteral("1.5"));
    }

    void savesACandidateThatIsNotInForce()
    {
        Fixture f;
        f.load();
        QString askedTitle;
        QString askedConsequence;
        f.tab->setAskReason([&](const QString &title, const QString &, const QString &consequence, const QString &) {
            askedTitle = title;
            askedConsequence = consequence;
            return std::optional<QString>(QStringLiteral("Stricter ratio for an experiment"));
        });
        // Beside Save, enabled and disabled with it.
        QVERIFY(!f.tab->candidateButton()->isEnabled());
        QCOMPARE(f.tab->candidateButton()->text(), QStringLiteral("Save as candidate…"));
        QVERIFY(!f.tab->saveCandidate(QStringLiteral("nothing typed")));
        QCOMPARE(f.tab->messageText(), QStringLiteral("Nothing was saved: the form is the same as version 1."));
        f.type(QStringLiteral("min_ltv_cac_ratio"), QStringLiteral("x"));
        QVERIFY(!f.tab->candidateButton()->isEnabled());
        f.type(QStringLiteral("min_ltv_cac_ratio"), QStringLiteral("2"));
        QVERIFY(f.tab->candidateButton()->isEnabled());
        QVERIFY(!f.tab->saveCandidate(QStringLiteral("  ")));
        QCOMPARE(f.tab->messageText(), QStringLiteral("Saving needs a reason; nothing was saved."));

        QSignalSpy finished(f.tab, &ConfigTab::actionFinished);
        QTest::mouseClick(f.tab->candidateButton(), Qt::LeftButton);
        QCOMPARE(askedTitle, QStringLiteral("Save the subsidy config as a candidate"));
        QVERIFY2(askedConsequence.contains(QStringLiteral("first orders keep following version 1")),
                 qPrintable(askedConsequence));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.saves.size(), std::size_t(1));
            QVERIFY(f.service.saves[0].candidate());
            QCOMPARE(f.service.saves[0].reason(), "Stricter ratio for an experiment");
            QCOMPARE(f.service.saves[0].config().min_ltv_cac_ratio(), 2.0);
        }
        QCOMPARE(f.tab->messageText(), QStringLiteral("Saved as candidate version 2 — not in force; use it in an "
                                                      "experiment or roll back to it to make it live."));
        // Nothing in force changed: the form is the live config again, still based on 1.
        QCOMPARE(f.tab->baseVersion(), 1);
        QVERIFY(!f.tab->editor()->isModified());
        QCOMPARE(f.tab->editor()->input(QStringLiteral("min_ltv_cac_ratio"))->text(), QStringLiteral("1.5"));
        QCOMPARE(f.tab->current()->version(), 1);

        // The history lists it, marked, with what it would change against the live version.
        QTRY_COMPARE_WITH_TIMEOUT(f.tab->history()->versionCount(), 2, 5000);
        QCOMPARE(f.tab->history()->versionAt(0), 2);
        QCOMPARE(f.tab->history()->list()->topLevelItem(0)->text(0), QStringLiteral("2 · candidate"));
        QVERIFY(f.tab->history()->list()->topLevelItem(0)->font(0).italic());
        QCOMPARE(f.tab->history()->list()->topLevelItem(1)->text(0), QStringLiteral("1"));
        QCOMPARE(f.tab->history()->selectedRow(), 0);
        QVERIFY2(f.tab->diffText().contains(QStringLiteral("Candidate: stored but not in force")),
                 qPrintable(f.tab->diffText()));
        QVERIFY2(f.tab->diffText().contains(QStringLiteral("Making it live would change, against version 1 in force:")),
                 qPrintable(f.tab->diffText()));
        QVERIFY2(f.tab->diffText().contains(QStringLiteral("Minimum LTV/CAC: 1.5 → 2")), qPrintable(f.tab->diffText()));
        QCOMPARE(f.tab->history()->rollbackButton()->text(), QStringLiteral("Make this candidate live…"));
        QVERIFY(f.tab->history()->rollbackButton()->isEnabled());
        f.tab->history()->selectRow(1);
        QCOMPARE(f.tab->history()->rollbackButton()->text(), QStringLiteral("Roll back to this version…"));

        // Rolling back to it makes it live, as a new version.
        f.tab->history()->selectRow(0);
        QTest::mouseClick(f.tab->history()->rollbackButton(), Qt::LeftButton);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.rollbacks.size(), std::size_t(1));
            QCOMPARE(f.service.rollbacks[0].to_version(), 2);
            QCOMPARE(f.service.rollbacks[0].base_version(), 1);
        }
        QCOMPARE(f.tab->messageText(),
                 QStringLiteral("Rolled back to version 2: the config in force is now version 3."));
        QCOMPARE(f.tab->editor()->input(QStringLiteral("min_ltv_cac_ratio"))->text(), QStringLiteral("2"));
        QTRY_COMPARE_WITH_TIMEOUT(f.tab->history()->versionCount(), 3, 5000);
        // A candidate is compared with the version in force (what making it live would
        // replace), not with the live version below it: 3 now, with the same values.
        QCOMPARE(f.tab->history()->versionAt(1), 2);
        f.tab->history()->selectRow(1);
        QVERIFY2(f.tab->diffText().contains(QStringLiteral("Nothing differs from version 3, the one in force.")),
                 qPrintable(f.tab->diffText()));
        QVERIFY2(!f.tab->diffText().contains(QStringLiteral("1.5 → 2")), qPrintable(f.tab->diffText()));
    }

    void someoneElsesSaveKeepsTheDraft()
    {
        Fixture f;
        f.load();
        f.type(QStringLiteral("cap_factor"), QStringLiteral("3"));
        v1::SubsidyConfig theirs = firstConfig();
        theirs.set_active_days(4);
        f.service.saveBehindTheConsole(theirs); // version 2, not yet seen by the console
        QSignalSpy finished(f.tab, &ConfigTab::actionFinished);
        QVERIFY(f.tab->save(QStringLiteral("Bigger cap")));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(f.tab->messageText().startsWith(QStringLiteral("The config was not saved: someone else saved a newer "
                                                                "version while you were editing. Your draft is kept")),
                 qPrintable(f.tab->messageText()));
        // The draft is still there, and the page learns of version 2.
        QCOMPARE(f.tab->editor()->input(QStringLiteral("cap_factor"))->text(), QStringLiteral("3"));
        QTRY_VERIFY_WITH_TIMEOUT(f.tab->rebaseButton()->isVisible(), 5000);
        QCOMPARE(f.tab->baseVersion(), 1);
        QVERIFY(f.tab->editingText().contains(QStringLiteral("Version 2 has been saved since")));
        QCOMPARE(f.tab->editor()->input(QStringLiteral("cap_factor"))->text(), QStringLiteral("3"));

        // Saving the draft over version 2, after asking for the reason.
        f.tab->setAskReason([](const QString &, const QString &, const QString &, const QString &) {
            return std::optional<QString>(QStringLiteral("Bigger cap, after all"));
        });
        QTest::mouseClick(f.tab->rebaseButton(), Qt::LeftButton);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(1).at(0).toBool(), true);
        const std::lock_guard lock(f.service.mutex);
        QCOMPARE(f.service.saves.back().base_version(), 2);
        QCOMPARE(f.service.saves.back().config().cap_factor(), 3.0);
        QCOMPARE(f.service.versions.back().version(), 3);
    }

    void refusedFieldIsNamed()
    {
        Fixture f;
        f.load();
        {
            const std::lock_guard lock(f.service.mutex);
            f.service.saveError = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "risk.weight must be in (0, 1]");
        }
        f.type(QStringLiteral("risk.weight"), QStringLiteral("0.9"));
        QSignalSpy finished(f.tab, &ConfigTab::actionFinished);
        QVERIFY(f.tab->save(QStringLiteral("Try")));
        QVERIFY(finished.wait(5000));
        QVERIFY2(f.tab->messageText().startsWith(QStringLiteral("The config was not saved: the backend refused “Risk "
                                                                "weight”: risk.weight must be in (0, 1]")),
                 qPrintable(f.tab->messageText()));
        QCOMPARE(f.tab->editor()->input(QStringLiteral("risk.weight"))->text(), QStringLiteral("0.9"));

        // A budget row, named by its index.
        {
            const std::lock_guard lock(f.service.mutex);
            f.service.saveError = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                               "budgets[0].daily must be positive and at most the total (1000000)");
        }
        QVERIFY(f.tab->save(QStringLiteral("Again")));
        QVERIFY(finished.wait(5000));
        QVERIFY2(f.tab->messageText().startsWith(QStringLiteral("The config was not saved: the backend refused “Budget "
                                                                "per day of first_order”: budgets[0].daily")),
                 qPrintable(f.tab->messageText()));
        QCOMPARE(f.tab->editor()->input(QStringLiteral("budgets.0.daily"))->text(), QStringLiteral("1000"));
    }

    void replaysTheDraftBeforeSaving()
    {
        Fixture f;
        f.load();
        f.type(QStringLiteral("min_ltv_cac_ratio"), QStringLiteral("1.2"));
        QSignalSpy finished(f.tab, &ConfigTab::actionFinished);
        QTest::mouseClick(f.tab->simulateButton(), Qt::LeftButton);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.simulations.size(), std::size_t(1));
            QCOMPARE(f.service.simulations[0].draft().min_ltv_cac_ratio(), 1.2);
            QCOMPARE(f.service.simulations[0].days(), 7);
            QVERIFY(f.service.saves.empty()); // a replay saves nothing
        }
        SimulationView *view = f.tab->simulation();
        QCOMPARE(view->cell(QStringLiteral("Users subsidised"), SimulationView::Draft), QStringLiteral("12"));
        QCOMPARE(view->cell(QStringLiteral("Users subsidised"), SimulationView::Live), QStringLiteral("9"));
        QCOMPARE(view->cell(QStringLiteral("Users subsidised"), SimulationView::Difference), QStringLiteral("+3"));
        const QString cny = QStringLiteral("CNY");
        QCOMPARE(view->cell(QStringLiteral("Cost"), SimulationView::Draft), formatMoney(24000, cny));
        QCOMPARE(view->cell(QStringLiteral("Cost"), SimulationView::Difference), u'+' + formatMoney(6000, cny));
        QCOMPARE(view->cell(QStringLiteral("Cost against the budget of “first_order”"), SimulationView::Draft),
                 QStringLiteral("%1 · %2\nof %3")
                     .arg(formatMoney(24000, cny), formatPercent(0.024), formatMoney(1'000'000, cny)));
        QCOMPARE(view->cell(QStringLiteral("Reason: LTV/CAC below the minimum"), SimulationView::Difference),
                 QStringLiteral("-3"));
        QVERIFY2(view->statusText().contains(QStringLiteral("The draft would subsidise 4 user(s) the live config does "
                                                            "not, and no longer subsidise 1.")),
                 qPrintable(view->statusText()));
        // Typing makes the results stale, and says so.
        f.type(QStringLiteral("min_ltv_cac_ratio"), QStringLiteral("1.3"));
        QVERIFY(view->statusText().startsWith(QStringLiteral("The draft changed since this replay")));
    }

    void explainsAUser()
    {
        Fixture f;
        f.load();
        f.page->showTab(SubsidyPage::Explain);
        ExplainTab *explain = f.page->explainTab();
        QVERIFY(!explain->explainButton()->isEnabled());
        QTest::keyClicks(explain->uidField(), QStringLiteral("100001"));
        explain->channelBox()->setCurrentIndex(explain->channelBox()->findData(QStringLiteral("web")));
        QVERIFY(explain->explainButton()->isEnabled());
        QSignalSpy explained(explain, &ExplainTab::explained);
        QTest::mouseClick(explain->explainButton(), Qt::LeftButton);
        QVERIFY(explained.wait(5000));
        QCOMPARE(explained.at(0).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.explains.back().uid(), 100001);
            QCOMPARE(f.service.explains.back().channel(), "web");
            QVERIFY(!f.service.explains.back().use_draft());
        }
        const QString cny = QStringLiteral("CNY");
        QCOMPARE(explain->decisionText(), QStringLiteral("Subsidy of %1 for the first order").arg(formatMoney(600, cny)));
        QVERIFY2(explain->reasonText().startsWith(QStringLiteral("Subsidised, but reduced by the risk weight")),
                 qPrintable(explain->reasonText()));
        QCOMPARE(explain->input(QStringLiteral("LTV")), formatMoney(15600, cny));
        QCOMPARE(explain->input(QStringLiteral("CAC")), formatMoney(2000, cny));
        QCOMPARE(explain->input(QStringLiteral("Average order value")), formatMoney(24000, cny));
        QCOMPARE(explain->input(QStringLiteral("Margin")), formatPercent(0.25));
        QCOMPARE(explain->input(QStringLiteral("Active days")), QStringLiteral("4 of the last 7"));
        QCOMPARE(explain->input(QStringLiteral("Risk score")), QStringLiteral("80 of 100"));
        QCOMPARE(explain->input(QStringLiteral("Live P99 of the order path")), QStringLiteral("912 ms"));
        QVERIFY(!explain->input(QStringLiteral("Expected orders")).isEmpty());
        QVERIFY(!explain->input(QStringLiteral("LTV/CAC")).isEmpty());

        // With the draft being edited.
        f.type(QStringLiteral("min_ltv_cac_ratio"), QStringLiteral("3"));
        explain->useDraftBox()->setChecked(true);
        QTest::mouseClick(explain->explainButton(), Qt::LeftButton);
        QVERIFY(explained.wait(5000));
        {
            const std::lock_guard lock(f.service.mutex);
            QVERIFY(f.service.explains.back().use_draft());
            QCOMPARE(f.service.explains.back().draft().min_ltv_cac_ratio(), 3.0);
        }
        // An unknown user.
        explain->uidField()->setText(QStringLiteral("404"));
        QTest::mouseClick(explain->explainButton(), Qt::LeftButton);
        QVERIFY(explained.wait(5000));
        QCOMPARE(explained.last().at(0).toBool(), false);
        QCOMPARE(explain->decisionText(), QStringLiteral("There is no user 404."));
    }

    void streamFillsBudgetsAndRoi()
    {
        Fixture f;
        f.load();
        f.page->showTab(SubsidyPage::Roi);
        RoiTab *roi = f.page->roiTab();
        QTRY_VERIFY_WITH_TIMEOUT(roi->hasSnapshot(), 5000);
        roi->redraw();
        const QString cny = QStringLiteral("CNY");
        QCOMPARE(roi->budgetText(QStringLiteral("first_order"), false),
                 QStringLiteral("%1 of %2 (92.0%)").arg(formatMoney(920'000, cny), formatMoney(1'000'000, cny)));
        QCOMPARE(roi->budgetText(QStringLiteral("first_order"), true),
                 QStringLiteral("%1 of %2 (40.0%)").arg(formatMoney(40'000, cny), formatMoney(100'000, cny)));
        QCOMPARE(roi->budgetState(QStringLiteral("first_order")), QStringLiteral("at 90 %"));
        QVERIFY(roi->budgetBar(QStringLiteral("first_order"), false)->styleSheet().contains(QStringLiteral("#d4a72c")));
        QCOMPARE(roi->budgetState(QStringLiteral("spring")),
                 QStringLiteral("used up for today: subsidies resume tomorrow (UTC)"));
        QVERIFY(roi->budgetBar(QStringLiteral("spring"), true)->styleSheet().contains(QStringLiteral("#cf222e")));
        QCOMPARE(roi->budgetBar(QStringLiteral("spring"), true)->value(), 1000);

        QCOMPARE(roi->cell(QStringLiteral("first_order"), QStringLiteral("app"), RoiTab::Issued), QStringLiteral("40"));
        QCOMPARE(roi->cell(QStringLiteral("first_order"), QStringLiteral("app"), RoiTab::RedemptionRate),
                 formatPercent(0.5));
        QCOMPARE(roi->cell(QStringLiteral("first_order"), QStringLiteral("app"), RoiTab::Roa), QStringLiteral("8.00×"));
        QCOMPARE(roi->cell(QStringLiteral("first_order"), QStringLiteral("app"), RoiTab::IssueToRedeemP95),
                 QStringLiteral("42.5 s"));
        QCOMPARE(roi->cell(QStringLiteral("first_order"), QStringLiteral("app"), RoiTab::Gmv),
                 formatMoney(320'000, cny));
        QCOMPARE(roi->chart()->pointCount(), 3);
        QCOMPARE(roi->chart()->issuedTotal(), 12000);
        QCOMPARE(roi->chart()->redeemedTotal(), 3000);
        QVERIFY(!roi->chart()->isShowingEmptyMessage());
        QCOMPARE(roi->riskText(),
                 QStringLiteral("Order path live P99: 912 ms · risky users are being down-weighted now."));
        QCOMPARE(roi->reasonsText(), QStringLiteral("First-order decisions so far: Granted 40"));
        QVERIFY(roi->statusText().startsWith(QStringLiteral("Live:")));
        // Hiding the page closes the stream.
        f.window->showPage(QStringLiteral("dashboard"));
        QVERIFY(!f.page->client()->isRoiOpen());
    }

    void chartsAllCampaignsAndChannelsOrOne()
    {
        RoiTab tab;
        tab.setSnapshot(seriesSnapshot());
        tab.redraw();
        // The selector: all, then each campaign · channel of the table, sorted.
        QComboBox *selector = tab.seriesSelector();
        QCOMPARE(selector->count(), 4);
        QCOMPARE(selector->itemText(0), QStringLiteral("All campaigns and channels"));
        QCOMPARE(selector->itemText(1), QStringLiteral("first_order · App"));
        QCOMPARE(selector->itemText(2), QStringLiteral("first_order · Web"));
        QCOMPARE(selector->itemText(3), QStringLiteral("spring · h5"));
        QCOMPARE(selector->currentIndex(), 0);

        // All: the sums of both series, minute by minute.
        QVERIFY(!tab.chart()->isShowingEmptyMessage());
        QCOMPARE(tab.chart()->pointCount(), 3);
        QCOMPARE(tab.chart()->issuedTotal(), 12000);
        QCOMPARE(tab.chart()->redeemedTotal(), 3000);
        QCOMPARE(tab.chart()->gmvTotal(), 18000);
        QVERIFY(tab.chart()->caption().contains(QStringLiteral("Right, dashed: GMV (paid totals)")));
        // Cumulative: redeemed ÷ issued 0/1, 1/3, 3/6; GMV ÷ redeemed 80/10, 180/30.
        QVERIFY(!tab.rateChart()->isShowingEmptyMessage());
        QCOMPARE(ys(tab.rateChart()->ratePoints()), (QList<double>{0.0, 100.0 / 3.0, 50.0}));
        QCOMPARE(ys(tab.rateChart()->roaPoints()), (QList<double>{8.0, 6.0}));
        QCOMPARE(tab.rateChart()->roaPoints().front().x(), (1'760'000'000.0 - 120) * 1000.0);
        QVERIFY(tab.rateChart()->caption().contains(QStringLiteral("cumulative"), Qt::CaseInsensitive) ||
                tab.rateChart()->caption().contains(QStringLiteral("from the start of the hour")));

        // One campaign · channel: its own points only.
        QVERIFY(tab.selectSeries(QStringLiteral("first_order"), QStringLiteral("app")));
        QCOMPARE(tab.chart()->pointCount(), 3);
        QCOMPARE(tab.chart()->issuedTotal(), 8000);
        QCOMPARE(tab.chart()->redeemedTotal(), 2000);
        QCOMPARE(tab.chart()->gmvTotal(), 12000);
        QCOMPARE(ys(tab.rateChart()->ratePoints()), (QList<double>{0.0, 50.0, 50.0}));
        QCOMPARE(ys(tab.rateChart()->roaPoints()), (QList<double>{8.0, 6.0}));
        QVERIFY(tab.selectSeries(QStringLiteral("first_order"), QStringLiteral("web")));
        // Two minutes sent; the left-out one is drawn as a zero on `recent`'s minutes.
        QCOMPARE(seriesSnapshot().series(1).points_size(), 2);
        QCOMPARE(tab.chart()->pointCount(), 3);
        QCOMPARE(tab.chart()->issuedTotal(), 4000);
        QCOMPARE(tab.chart()->gmvTotal(), 6000);
        // Nothing issued in minute 0: the rate starts at minute 1.
        QCOMPARE(ys(tab.rateChart()->ratePoints()), (QList<double>{0.0, 50.0}));
        QCOMPARE(ys(tab.rateChart()->roaPoints()), (QList<double>{6.0}));
        // The choice survives the next snapshot.
        tab.setSnapshot(seriesSnapshot());
        tab.redraw();
        QCOMPARE(selector->currentText(), QStringLiteral("first_order · Web"));
        QCOMPARE(tab.chart()->issuedTotal(), 4000);

        // A row with nothing in the last hour says so on both charts.
        QVERIFY(tab.selectSeries(QStringLiteral("spring"), QStringLiteral("h5")));
        QVERIFY(tab.chart()->isShowingEmptyMessage());
        QCOMPARE(tab.chart()->pointCount(), 0);
        QCOMPARE(tab.chart()->emptyMessage(),
                 QStringLiteral("No subsidy issued or redeemed for spring · h5 in the last hour. Its minutes appear "
                                "here with its next subsidy; its all-time figures are in the table and the bars "
                                "below."));
        QVERIFY(tab.rateChart()->isShowingEmptyMessage());
        QVERIFY(tab.rateChart()->ratePoints().isEmpty());
        QVERIFY(!tab.selectSeries(QStringLiteral("spring"), QStringLiteral("app")));

        // The bars: every row's all-time ROA (those with something redeemed) and rate, highest on top.
        QCOMPARE(tab.roaComparison()->values(), (QList<double>{8.0, 5.0}));
        QCOMPARE(tab.roaComparison()->labels(),
                 (QStringList{QStringLiteral("first_order · App  8.00×"), QStringLiteral("first_order · Web  5.00×")}));
        QCOMPARE(tab.rateComparison()->values(), (QList<double>{50.0, 20.0, 0.0}));
        QCOMPARE(tab.rateComparison()->labels().last(), QStringLiteral("spring · h5  %1").arg(formatPercent(0)));
        QVERIFY(!tab.roaComparison()->isShowingEmptyMessage());
    }

    void chartsSayWhatWillAppear()
    {
        RoiTab tab;
        QVERIFY(tab.chart()->isShowingEmptyMessage());
        QCOMPARE(tab.chart()->emptyMessage(), QStringLiteral("Waiting for the subsidy figures…"));
        // A backend with no subsidy yet: 60 empty minutes, no row.
        v1::SubsidyRoiSnapshot quiet;
        quiet.mutable_at()->set_seconds(1'760'000'000);
        for (int minute = 0; minute < 60; ++minute)
            quiet.add_recent()->mutable_start()->set_seconds(1'760'000'000 - (60 - minute) * 60);
        tab.setSnapshot(quiet);
        tab.redraw();
        QCOMPARE(tab.seriesSelector()->count(), 1);
        QVERIFY(tab.chart()->isShowingEmptyMessage());
        QVERIFY(tab.chart()->emptyMessage().startsWith(QStringLiteral("No subsidy issued or redeemed in the last hour.")));
        QCOMPARE(tab.chart()->pointCount(), 0);
        QVERIFY(tab.rateChart()->isShowingEmptyMessage());
        QVERIFY(tab.rateChart()->emptyMessage().contains(QStringLiteral("the ROA once a subsidised order is paid")));
        QVERIFY(tab.roaComparison()->isShowingEmptyMessage());
        QVERIFY(tab.roaComparison()->emptyMessage().startsWith(QStringLiteral("No subsidised order paid yet.")));
        QVERIFY(tab.rateComparison()->emptyMessage().startsWith(QStringLiteral("No subsidy issued yet.")));
        QVERIFY(tab.roaComparison()->values().isEmpty());
        // Beyond the backend's cap, the folded series is offered as "Other …".
        v1::SubsidyRoiSnapshot folded = seriesSnapshot();
        v1::SubsidyRoiSeries *other = folded.add_series();
        other->set_other(true);
        *other->mutable_points() = folded.series(1).points();
        tab.setSnapshot(folded);
        tab.redraw();
        QCOMPARE(tab.seriesSelector()->count(), 5);
        tab.seriesSelector()->setCurrentIndex(4);
        QVERIFY(tab.seriesSelector()->currentText().startsWith(QStringLiteral("Other campaigns and channels")));
        QCOMPARE(tab.chart()->issuedTotal(), 4000);
    }

    void greysOutForAViewerAndLockedProduction()
    {
        Fixture f;
        f.load();
        EnvironmentPolicy *policy = f.window->environmentPolicy();
        f.type(QStringLiteral("cap_factor"), QStringLiteral("3"));
        QVERIFY(f.tab->saveButton()->isEnabled());
        policy->setCaller(QStringLiteral("console-viewer"), EnvironmentPolicy::Role::Viewer);
        QVERIFY(!f.tab->saveButton()->isEnabled());
        QVERIFY(!f.tab->editor()->isEnabled());
        QCOMPARE(f.tab->saveButton()->toolTip(), EnvironmentPolicy::editingBlockedText(f.tab));
        QVERIFY(f.tab->saveButton()->toolTip().contains(QStringLiteral("operator")));
        f.tab->history()->selectRow(0);
        QVERIFY(!f.tab->history()->rollbackButton()->isEnabled());
        // A viewer may still ask why a user gets what they get, and replay.
        QTest::keyClicks(f.page->explainTab()->uidField(), QStringLiteral("100001"));
        QVERIFY(f.page->explainTab()->explainButton()->isEnabled());
        QVERIFY(f.tab->simulateButton()->isEnabled());

        policy->setCaller(QStringLiteral("console-alice"), EnvironmentPolicy::Role::Operator);
        QVERIFY(f.tab->saveButton()->isEnabled());
        policy->setProfile(production());
        QVERIFY(!f.tab->saveButton()->isEnabled());
        QVERIFY(f.tab->saveButton()->toolTip().contains(QStringLiteral("locked")));
        policy->setUnlocked(true);
        QVERIFY(f.tab->saveButton()->isEnabled());
    }

    void saysWhenTheBackendHasNoSubsidies()
    {
        // A backend without SubsidyService (here: one with only another service).
        v1::AuditService::Service other;
        grpc::ServerBuilder builder;
        builder.RegisterService(&other);
        std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
        BackendConnection connection(QStringLiteral("older backend"));
        {
            MainWindow window(&connection);
            window.showPage(QStringLiteral("subsidy"));
            SubsidyPage *page = window.subsidyPage();
            connection.setChannel(server->InProcessChannel(grpc::ChannelArguments()));
            window.show();
            QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);
            QVERIFY(page->isUnimplemented());
            QVERIFY2(page->problemText().startsWith(QStringLiteral("This backend does not offer subsidies yet.")),
                     qPrintable(page->problemText()));
            QTRY_VERIFY_WITH_TIMEOUT(
                page->roiTab()->statusText().startsWith(QStringLiteral("This backend does not offer subsidies yet")),
                5000);
            // The backend is there: the console does not call it unreachable.
            QVERIFY(connection.state() != BackendConnection::State::Unreachable);
            QVERIFY(window.bannerText().isEmpty());
            QVERIFY(!page->configTab()->saveButton()->isEnabled());
            QCOMPARE(page->configTab()->editingText(),
                     QStringLiteral("This backend does not offer subsidies yet: there is no config to edit."));
        }
        server->Shutdown();
    }
};

QTEST_MAIN(TestSubsidyPage)
#include "tst_subsidypage.moc"
