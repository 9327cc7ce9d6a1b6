// First-order subsidies over gRPC with a temporary database and a manual clock: the
// grant as an adjustment of the first order, once per user under retries and
// concurrent orders, given back on cancel and on expiry, redeemed on payment, kept
// across a restart; campaign budgets under 64 racing buyers, checked in the
// database; the database's own guards; the config's versions; the replay of a
// draft; and a precise refusal of bad input for each RPC.

#include "TestSupport.h"

#include "storage/SqliteStore.h"
#include "subsidy/SubsidyManager.h"

#include "flywheel/v1/experiments.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/subsidy.grpc.pb.h"

#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <barrier>
#include <thread>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

const std::string kSku = "ELE-1001";

v1::SubsidyConfig baseConfig()
{
    v1::SubsidyConfig c;
    c.set_enabled(true);
    c.set_campaign_id("first_order");
    c.set_min_ltv_cac_ratio(1.5);
    c.mutable_base_amount()->set_minor_units(500);
    c.set_cap_factor(2);
    c.set_active_days(0);
    c.mutable_risk()->set_latency_threshold_ms(800);
    c.mutable_risk()->set_score_threshold(75);
    c.mutable_risk()->set_weight(0.3);
    v1::ChannelCac *cac = c.add_channel_cac();
    cac->set_channel("app");
    cac->mutable_cac()->set_minor_units(100);
    v1::CampaignBudget *b = c.add_budgets();
    b->set_campaign_id("first_order");
    b->mutable_total()->set_minor_units(1'000'000);
    b->mutable_daily()->set_minor_units(1'000'000);
    v1::LtvModel *ltv = c.mutable_ltv();
    ltv->set_base_orders(1.0);
    ltv->set_orders_per_active_day(0.4);
    ltv->set_orders_per_past_order(0.5);
    ltv->set_margin_bp(2500);
    ltv->set_min_category_orders(20);
    return c;
}

/// The subsidy adjustment of an order; 0 when it has none.
std::int64_t subsidyOf(const v1::Order &order)
{
    std::int64_t amount = 0;
    for (const v1::PriceAdjustment &a : order.adjustments()) {
        if (a.rule_id().rfind("subsidy:", 0) == 0)
            amount += -a.amount_minor();
    }
    return amount;
}

std::int64_t scalar(const std::string &path, const std::string &sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    std::int64_t value = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

/// Gives users 1 and 10 the variant "small" of experiment "exp", deciding with
/// config version 2; user 2 the default of a shipped experiment (version 2, which
/// the ship made live); everyone else the live config.
class FixedChooser final : public experiments::VariantChooser {
public:
    experiments::VariantChoice choose(experiments::Surface surface, std::int64_t uid, TimePoint) override
    {
        ++calls;
        if (surface != experiments::Surface::FirstOrderSubsidy)
            return {};
        if (uid == 2)
            return {{}, {}, {}, 2}; // the default after a ship of version 2: the live config decides
        if (uid != 1 && uid != 10)
            return {};
        return {"exp", "small", {}, 2};
    }
    std::atomic<int> calls{0};
};

} // namespace

class TestSubsidy final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_clock = std::make_unique<ManualClock>(SystemClock::instance().now());
        m_ttl = std::chrono::minutes(15);
        start();
        QVERIFY(test::receiveStock(m_channel, kSku, 20000).ok());
    }

    void cleanup()
    {
        stop();
        m_dir.reset();
    }

    void initialConfig()
    {
        // A seeded database without the simulator gets a disabled config as version 1.
        const v1::SubsidyConfigVersion v = get(0);
        QCOMPARE(v.version(), std::int64_t(1));
        QCOMPARE(v.source(), std::string("initial"));
        QVERIFY(!v.config().enabled());
        QCOMPARE(v.config().campaign_id(), std::string("first_order"));
    }

    void firstOrderGetsItOnceAlsoUnderRetries()
    {
        save(baseConfig());
        const std::int64_t uid = 100010;
        v1::CreateOrderRequest request = order(uid);
        request.set_idempotency_key("first");
        v1::Order first;
        QVERIFY(test::createOrder(*m_orders, request, &first).ok());
        const std::int64_t granted = subsidyOf(first);
        // min(500 × 2, 0.3 × LTV, total) with LTV = 1.0 × total × 0.25.
        const std::int64_t list = first.list_total().minor_units();
        QCOMPARE(granted, std::min<std::int64_t>({1000, std::llround(0.3 * std::llround(0.25 * list)), list}));
        QVERIFY(granted > 0);
        QCOMPARE(first.total().minor_units(), list - granted);
        bool named = false;
        for (const auto &a : first.adjustments())
            named = named || (a.rule_id() == "subsidy:first_order" && a.rule_name() == "First-order subsidy (granted)");
        QVERIFY(named);
        // The same request again: the same order, the same subsidy, no second grant.
        v1::Order again;
        QVERIFY(test::createOrder(*m_orders, request, &again).ok());
        QCOMPARE(again.order_id(), first.order_id());
        QCOMPARE(subsidyOf(again), granted);
        // Another order of the same user while the first is in force: none.
        v1::Order second;
        QVERIFY(test::createOrder(*m_orders, order(uid), &second).ok());
        QCOMPARE(subsidyOf(second), std::int64_t(0));
        QCOMPARE(explain(uid).decision().reason(), v1::SUBSIDY_REASON_NOT_FIRST_ORDER);
        const v1::SubsidyRoiSnapshot roi = snapshot();
        QCOMPARE(roi.campaigns(0).spent_total().minor_units(), granted);
        QCOMPARE(roi.rows(0).issued(), std::int64_t(1));
        // The hour in `recent`; the campaign · channel series sends only its one busy minute.
        QCOMPARE(roi.recent_size(), 60);
        QCOMPARE(roi.series_size(), 1);
        QCOMPARE(roi.series(0).points_size(), 1);
        QCOMPARE(roi.series(0).points(0).issued(), std::int64_t(1));
        QCOMPARE(roi.series(0).points(0).start().seconds(), roi.recent(59).start().seconds());
    }

    void concurrentFirstOrdersOfOneUser()
    {
        save(baseConfig());
        constexpr int kThreads = 16;
        std::vector<v1::Order> orders(kThreads);
        std::vector<grpc::Status> statuses(kThreads);
        std::barrier go(kThreads);
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                auto stub = v1::OrderService::NewStub(m_channel);
                // Half with one shared key (retries of one request), half with keys of their own.
                v1::CreateOrderRequest request = order(100020);
                request.set_idempotency_key(i % 2 == 0 ? std::string("shared") : "own-" + std::to_string(i));
                go.arrive_and_wait();
                statuses[static_cast<std::size_t>(i)] =
                    test::createOrder(*stub, request, &orders[static_cast<std::size_t>(i)]);
            });
        }
        for (auto &t : threads)
            t.join();
        std::set<std::int64_t> subsidised;
        std::set<std::int64_t> shared;
        for (int i = 0; i < kThreads; ++i) {
            QVERIFY2(statuses[static_cast<std::size_t>(i)].ok(),
                     statuses[static_cast<std::size_t>(i)].error_message().c_str());
            if (subsidyOf(orders[static_cast<std::size_t>(i)]) > 0)
                subsidised.insert(orders[static_cast<std::size_t>(i)].order_id());
            if (i % 2 == 0)
                shared.insert(orders[static_cast<std::size_t>(i)].order_id());
        }
        QCOMPARE(shared.size(), std::size_t(1));
        QCOMPARE(subsidised.size(), std::size_t(1));
        const std::string db = m_backend->databasePath();
        stop();
        QCOMPARE(scalar(db, "SELECT COUNT(*) FROM subsidy_grants WHERE uid = 100020"), std::int64_t(1));
        start();
    }

    void cancelGivesItBack()
    {
        save(baseConfig());
        v1::Order created;
        QVERIFY(test::createOrder(*m_orders, order(100030), &created).ok());
        QVERIFY(subsidyOf(created) > 0);
        grpc::ClientContext context;
        v1::CancelOrderRequest cancel;
        cancel.set_order_id(created.order_id());
        v1::Order cancelled;
        QVERIFY(m_orders->CancelOrder(&context, cancel, &cancelled).ok());
        const v1::SubsidyRoiSnapshot roi = snapshot();
        QCOMPARE(roi.campaigns(0).spent_total().minor_units(), std::int64_t(0));
        QCOMPARE(roi.rows(0).released(), std::int64_t(1));
        QCOMPARE(explain(100030).decision().reason(), v1::SUBSIDY_REASON_GRANTED);
        v1::Order next;
        QVERIFY(test::createOrder(*m_orders, order(100030), &next).ok());
        QCOMPARE(subsidyOf(next), subsidyOf(created));
    }

    void expiryGivesItBack()
    {
        stop();
        m_ttl = 2s;
        start();
        save(baseConfig());
        v1::Order created;
        QVERIFY(test::createOrder(*m_orders, order(100040), &created).ok());
        QVERIFY(subsidyOf(created) > 0);
        m_clock->advance(2s);
        m_backend->housekeep();
        QCOMPARE(snapshot().campaigns(0).spent_total().minor_units(), std::int64_t(0));
        v1::Order next;
        QVERIFY(test::createOrder(*m_orders, order(100040), &next).ok());
        QCOMPARE(subsidyOf(next), subsidyOf(created));
        const std::string db = m_backend->databasePath();
        stop();
        QCOMPARE(scalar(db, "SELECT status FROM subsidy_grants WHERE order_id = " + std::to_string(created.order_id())),
                 std::int64_t(2));
        QCOMPARE(scalar(db, "SELECT spent_minor FROM subsidy_spend WHERE day = -1"), subsidyOf(next));
        start();
    }

    void paymentRedeemsAndRestartKeepsIt()
    {
        save(baseConfig());
        v1::Order created;
        QVERIFY(test::createOrder(*m_orders, order(100050), &created).ok());
        const std::int64_t granted = subsidyOf(created);
        QVERIFY(granted > 0);
        m_clock->advance(30s);
        v1::Order paid;
        const grpc::Status payment = test::payOrder(*m_orders, created.order_id(), &paid);
        QVERIFY2(payment.ok(), (std::to_string(payment.error_code()) + " " + payment.error_message()).c_str());
        v1::SubsidyRoiSnapshot roi = snapshot();
        QCOMPARE(roi.rows(0).redeemed(), std::int64_t(1));
        QCOMPARE(roi.rows(0).redemption_rate(), 1.0);
        QCOMPARE(roi.rows(0).gmv().minor_units(), created.total().minor_units());
        QCOMPARE(roi.rows(0).roa(), double(created.total().minor_units()) / double(granted));
        QCOMPARE(roi.rows(0).issue_to_redeem_p95_seconds(), 30.0);
        QCOMPARE(roi.campaigns(0).spent_total().minor_units(), granted); // redeemed stays spent
        // A paying user has no first order any more, also after a restart.
        stop();
        {
            // The category averages start from the paid orders, counted by main SKU and hour.
            auto store = SqliteStore::open(m_dir->filePath(QStringLiteral("test.sqlite")).toStdString());
            const std::vector<PaidSkuHour> hours = store->loadPaidSkuHours(m_clock->now() - std::chrono::hours(1));
            QCOMPARE(hours.size(), std::size_t(1));
            QCOMPARE(hours[0].sku, std::string(kSku));
            QCOMPARE(hours[0].orders, std::int64_t(1));
            QCOMPARE(hours[0].sum, paid.total().minor_units());
            QCOMPARE(hours[0].hour, toEpochMs(m_clock->now()) / 3'600'000);
            QVERIFY(store->loadPaidSkuHours(m_clock->now()).empty());
        }
        start();
        roi = snapshot();
        QCOMPARE(roi.rows(0).redeemed(), std::int64_t(1));
        QCOMPARE(roi.campaigns(0).spent_total().minor_units(), granted);
        v1::Order next;
        QVERIFY(test::createOrder(*m_orders, order(100050), &next).ok());
        QCOMPARE(subsidyOf(next), std::int64_t(0));
    }

    void budgetUnder64RacingBuyers()
    {
        // Each first order gets 1,000 (the cap); the daily budget holds ten and a half.
        v1::SubsidyConfig c = baseConfig();
        c.mutable_budgets(0)->mutable_daily()->set_minor_units(10'500);
        save(c);
        constexpr int kThreads = 64;
        std::vector<std::int64_t> amounts(kThreads, -1);
        std::barrier go(kThreads);
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                auto stub = v1::OrderService::NewStub(m_channel);
                const v1::CreateOrderRequest request = order(100100 + i, 40);
                go.arrive_and_wait();
                v1::Order created;
                if (test::createOrder(*stub, request, &created).ok())
                    amounts[static_cast<std::size_t>(i)] = subsidyOf(created);
            });
        }
        for (auto &t : threads)
            t.join();
        std::int64_t sum = 0;
        int granted = 0;
        for (const std::int64_t a : amounts) {
            QVERIFY(a >= 0); // every order was created
            sum += a;
            granted += a > 0 ? 1 : 0;
        }
        QCOMPARE(granted, 10);
        QCOMPARE(sum, std::int64_t(10'000));
        const v1::SubsidyRoiSnapshot roi = snapshot();
        QCOMPARE(roi.campaigns(0).spent_today().minor_units(), sum);
        QVERIFY(roi.campaigns(0).at_90_percent());
        QCOMPARE(roi.campaigns(0).exhausted(), v1::SUBSIDY_REASON_DAILY_BUDGET_EXHAUSTED);
        bool counted = false;
        for (const auto &r : roi.reasons())
            counted = counted || (r.reason() == v1::SUBSIDY_REASON_DAILY_BUDGET_EXHAUSTED && r.count() == 54);
        QVERIFY(counted);
        const std::string db = m_backend->databasePath();
        stop();
        QCOMPARE(scalar(db, "SELECT SUM(amount_minor) FROM subsidy_grants"), sum);
        QCOMPARE(scalar(db, "SELECT spent_minor FROM subsidy_spend WHERE day = -1"), sum);
        QCOMPARE(scalar(db, "SELECT SUM(spent_minor) FROM subsidy_spend WHERE day >= 0"), sum);
        QCOMPARE(scalar(db, "SELECT COUNT(*) FROM subsidy_decisions"), std::int64_t(kThreads));
        start();
    }

    void databaseGuards()
    {
        // On the test's own database (its orders need known users), closed first.
        const std::string path = m_backend->databasePath();
        stop();
        auto store = SqliteStore::open(path);
        const auto entry = [](std::int64_t orderId, std::int64_t uid, std::int64_t amount, std::int64_t budget) {
            JournalEntry e;
            Order o;
            o.id = 900000 + orderId;
            o.uid = 100000 + uid;
            o.total = Money(5000);
            o.listTotal = Money(5000);
            o.createdAt = fromEpochMs(1767225600000);
            e.newOrder = o;
            subsidy::Grant g;
            g.orderId = 900000 + orderId;
            g.uid = 100000 + uid;
            g.campaignId = "c";
            g.channel = "app";
            g.amount = Money(amount);
            g.day = 20454;
            g.totalBudget = Money(budget);
            g.dailyBudget = Money(budget);
            g.createdAt = o.createdAt;
            e.subsidyGrant = g;
            return e;
        };
        store->appendJournal({entry(1, 7, 600, 1000)});
        // A second grant in force for user 7, whatever memory thought: refused, and
        // the order with it.
        QVERIFY_THROWS_EXCEPTION(StorageError, store->appendJournal({entry(2, 7, 100, 1000)}));
        QVERIFY(!store->loadOrder(900002));
        // A spend over the budget: refused by the database, the order with it.
        QVERIFY_THROWS_EXCEPTION(StorageError, store->appendJournal({entry(3, 8, 401, 1000)}));
        QVERIFY(!store->loadOrder(900003));
        store->appendJournal({entry(4, 8, 400, 1000)});
        // Cancelled: released and given back; the user may have a grant again.
        JournalEntry cancel;
        cancel.transition = orders::OrderTransition{900001, 100007, Money(5000), OrderStatus::Created, OrderStatus::Cancelled,
                                                    fromEpochMs(1767225660000), {}};
        store->appendJournal({cancel});
        store->appendJournal({entry(5, 7, 600, 1000)});
        const auto grants = store->loadSubsidyGrants();
        QCOMPARE(grants.size(), std::size_t(3));
        QCOMPARE(grants[0].status, subsidy::GrantStatus::Released);
        store.reset();
        QCOMPARE(scalar(path, "SELECT spent_minor FROM subsidy_spend WHERE campaign_id = 'c' AND day = -1"), std::int64_t(1000));
        // And the index itself: a second in-force row for one user cannot be inserted.
        QVERIFY(!test::execSql(path, "INSERT INTO subsidy_grants (order_id, uid, campaign_id, channel, amount_minor, "
                                     "day, reason, status, created_at_ms, order_total_minor, experiment_key, "
                                     "variant_key, config_version) VALUES (900009, 100007, 'c', 'app', 1, 0, 1, 1, 0, 0, '', "
                                     "'', 0)")
                     .empty());
        QVERIFY(!test::execSql(path, "UPDATE subsidy_spend SET spent_minor = -1 WHERE campaign_id = 'c' AND day = -1").empty());
        start();
    }

    void configVersions()
    {
        const v1::SubsidyConfigVersion saved = save(baseConfig());
        QCOMPARE(saved.version(), std::int64_t(2));
        QCOMPARE(saved.source(), std::string("console"));
        QCOMPARE(saved.actor(), std::string("local"));
        QCOMPARE(get(1).actor(), std::string()); // the initial version is the backend's
        // A stale base.
        grpc::Status s = trySave(1, baseConfig(), "again", nullptr);
        QCOMPARE(s.error_code(), grpc::StatusCode::ABORTED);
        // Rollback to the initial version, as version 3.
        {
            grpc::ClientContext context;
            v1::RollbackSubsidyConfigRequest request;
            request.set_to_version(1);
            request.set_base_version(2);
            request.set_reason("back to the demo's");
            v1::SubsidyConfigVersion out;
            QVERIFY(m_subsidy->RollbackSubsidyConfig(&context, request, &out).ok());
            QCOMPARE(out.version(), std::int64_t(3));
            QCOMPARE(out.source(), std::string("rollback"));
            QCOMPARE(out.config().active_days(), get(1).config().active_days());
        }
        grpc::ClientContext context;
        v1::ListSubsidyConfigVersionsRequest request;
        v1::ListSubsidyConfigVersionsResponse list;
        QVERIFY(m_subsidy->ListSubsidyConfigVersions(&context, request, &list).ok());
        QCOMPARE(list.versions_size(), 3);
        QCOMPARE(list.versions(0).version(), std::int64_t(3));
    }

    void candidateVersions()
    {
        const v1::SubsidyConfigVersion live = save(baseConfig());
        QCOMPARE(live.version(), std::int64_t(2));
        QVERIFY(!live.candidate());
        v1::SubsidyConfig draft = baseConfig();
        draft.set_min_ltv_cac_ratio(3.0);

        // Saved as a candidate: the next number, listed with its flag, not in force.
        v1::SubsidyConfigVersion candidate;
        QVERIFY(trySave(0, draft, "stricter ratio to try", &candidate, true).ok()); // base ignored
        QCOMPARE(candidate.version(), std::int64_t(3));
        QVERIFY(candidate.candidate());
        QCOMPARE(candidate.config().min_ltv_cac_ratio(), 3.0);
        QCOMPARE(candidate.reason(), std::string("stricter ratio to try"));
        QCOMPARE(get(0).version(), std::int64_t(2)); // GetSubsidyConfig(0) unchanged
        QVERIFY(!get(0).candidate());
        QCOMPARE(get(0).config().min_ltv_cac_ratio(), 1.5);
        QVERIFY(get(3).candidate());
        QCOMPARE(get(3).actor(), std::string("local")); // audited
        {
            grpc::ClientContext context;
            v1::ListSubsidyConfigVersionsRequest request;
            v1::ListSubsidyConfigVersionsResponse list;
            QVERIFY(m_subsidy->ListSubsidyConfigVersions(&context, request, &list).ok());
            QCOMPARE(list.versions_size(), 3);
            QCOMPARE(list.versions(0).version(), std::int64_t(3));
            QVERIFY(list.versions(0).candidate());
            QVERIFY(!list.versions(1).candidate());
        }
        // Orders still follow the live config; a live save still bases on version 2.
        QCOMPARE(trySave(3, baseConfig(), "stale", nullptr).error_code(), grpc::StatusCode::ABORTED);

        // Bad candidates are refused like saves, naming the field; nothing is stored.
        v1::SubsidyConfig bad = baseConfig();
        bad.mutable_risk()->set_weight(1.5);
        grpc::Status s = trySave(0, bad, "why", nullptr, true);
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(s.error_message().find("config.risk.weight must be greater than 0 and at most 1, not 1.5") !=
                     std::string::npos,
                 s.error_message().c_str());
        s = trySave(0, draft, "", nullptr, true);
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(s.error_message().find("reason is required") != std::string::npos, s.error_message().c_str());
        {
            grpc::ClientContext context;
            v1::SaveSubsidyConfigRequest request;
            request.set_candidate(true);
            request.set_reason("no config");
            v1::SubsidyConfigVersion out;
            s = m_subsidy->SaveSubsidyConfig(&context, request, &out);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY(s.error_message().find("config is required") != std::string::npos);
        }
        QCOMPARE(get(0).version(), std::int64_t(2));

        // A restart installs the live version, not the newer candidate.
        stop();
        start();
        QCOMPARE(get(0).version(), std::int64_t(2));
        QCOMPARE(get(0).config().min_ltv_cac_ratio(), 1.5);

        // Rolling back to the candidate makes it live, as a new version.
        grpc::ClientContext context;
        v1::RollbackSubsidyConfigRequest request;
        request.set_to_version(3);
        request.set_base_version(2);
        request.set_reason("the stricter ratio won");
        v1::SubsidyConfigVersion out;
        QVERIFY(m_subsidy->RollbackSubsidyConfig(&context, request, &out).ok());
        QCOMPARE(out.version(), std::int64_t(4));
        QVERIFY(!out.candidate());
        QCOMPARE(get(0).version(), std::int64_t(4));
        QCOMPARE(get(0).config().min_ltv_cac_ratio(), 3.0);
        QVERIFY(get(3).candidate()); // the candidate stays a candidate
    }

    void experimentVariantOnACandidateShipsIt()
    {
        // A subsidy experiment whose variant decides with a candidate: the real
        // ExperimentManager accepts the stored candidate, and shipping the variant
        // makes its config live as a new version.
        const v1::SubsidyConfigVersion live = save(baseConfig()); // version 2
        v1::SubsidyConfig richer = baseConfig();
        richer.mutable_base_amount()->set_minor_units(900);
        v1::SubsidyConfigVersion candidate;
        QVERIFY(trySave(0, richer, "richer first orders", &candidate, true).ok());
        QCOMPARE(candidate.version(), std::int64_t(3));
        QVERIFY(candidate.candidate());

        auto experiments = v1::ExperimentService::NewStub(m_channel);
        const auto setVersion = [&] {
            grpc::ClientContext context;
            v1::ListExperimentsRequest request;
            v1::ExperimentSet set;
            const grpc::Status s = experiments->ListExperiments(&context, request, &set);
            if (!s.ok())
                qFatal("ListExperiments: %s", s.error_message().c_str());
            return set.version();
        };
        v1::SaveExperimentRequest save;
        save.set_base_version(setVersion());
        save.set_reason("try the richer candidate");
        v1::Experiment *e = save.mutable_experiment();
        e->set_key("richer");
        e->set_name("Richer first orders");
        e->set_surface(v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY);
        e->set_traffic_bp(10000);
        e->set_min_run_hours(0);
        for (const auto &[key, version] : {std::pair{"control", live.version()}, {"rich", candidate.version()}}) {
            v1::ExperimentVariant *v = e->add_variants();
            v->set_key(key);
            v->set_name(key);
            v->set_weight_bp(5000);
            v->mutable_payload()->set_subsidy_config_version(version);
        }
        {
            grpc::ClientContext context;
            v1::ExperimentSet out;
            const grpc::Status s = experiments->SaveExperiment(&context, save, &out);
            QVERIFY2(s.ok(), s.error_message().c_str());
        }
        {
            grpc::ClientContext context;
            v1::ChangeExperimentRequest start;
            start.set_base_version(setVersion());
            start.set_key("richer");
            start.set_reason("go");
            v1::ExperimentSet out;
            const grpc::Status s = experiments->StartExperiment(&context, start, &out);
            QVERIFY2(s.ok(), s.error_message().c_str());
        }
        QCOMPARE(get(0).version(), std::int64_t(2)); // running it changes nothing in force
        {
            grpc::ClientContext context;
            v1::ShipExperimentRequest ship;
            ship.set_base_version(setVersion());
            ship.set_key("richer");
            ship.set_variant_key("rich");
            ship.set_reason("richer pays off");
            v1::ExperimentSet out;
            const grpc::Status s = experiments->ShipExperiment(&context, ship, &out);
            QVERIFY2(s.ok(), s.error_message().c_str());
        }
        const v1::SubsidyConfigVersion shipped = get(0);
        QCOMPARE(shipped.version(), std::int64_t(4));
        QVERIFY(!shipped.candidate());
        QCOMPARE(shipped.config().base_amount().minor_units(), std::int64_t(900));
        QCOMPARE(shipped.source(), std::string("rollback"));
        QVERIFY2(shipped.reason().find("rollback to version 3") != std::string::npos, shipped.reason().c_str());
        QVERIFY(get(3).candidate());
    }

    void replayOfADraft()
    {
        save(baseConfig());
        for (int i = 0; i < 5; ++i) {
            v1::Order created;
            QVERIFY(test::createOrder(*m_orders, order(100200 + i), &created).ok());
            QVERIFY(subsidyOf(created) > 0);
        }
        // A draft that is off subsidises nobody; one with a stricter ratio too.
        v1::SubsidyConfig off = baseConfig();
        off.set_enabled(false);
        v1::SubsidySimulation sim = simulate(off);
        QCOMPARE(sim.live().first_orders(), std::int64_t(5));
        QCOMPARE(sim.live().subsidised_users(), std::int64_t(5));
        QCOMPARE(sim.draft().subsidised_users(), std::int64_t(0));
        QCOMPARE(sim.no_longer_subsidised(), std::int64_t(5));
        QCOMPARE(sim.newly_subsidised(), std::int64_t(0));
        QCOMPARE(sim.draft().reasons(0).reason(), v1::SUBSIDY_REASON_DISABLED);
        // A draft budget of two grants: cost two caps, three refused by budget.
        v1::SubsidyConfig tight = baseConfig();
        tight.mutable_budgets(0)->mutable_total()->set_minor_units(2 * sim.live().cost().minor_units() / 5);
        tight.mutable_budgets(0)->mutable_daily()->set_minor_units(2 * sim.live().cost().minor_units() / 5);
        sim = simulate(tight);
        QCOMPARE(sim.draft().subsidised_users(), std::int64_t(2));
        QCOMPARE(sim.draft().cost().minor_units(), 2 * sim.live().cost().minor_units() / 5);
        QVERIFY(sim.draft().spend(0).at_90_percent());
    }

    void badInput()
    {
        const auto code = [](const grpc::Status &s) { return s.error_code(); };
        const auto says = [](const grpc::Status &s, const char *text) {
            return s.error_message().find(text) != std::string::npos;
        };
        {
            grpc::ClientContext context;
            v1::GetSubsidyConfigRequest request;
            request.set_version(-1);
            v1::SubsidyConfigVersion out;
            grpc::Status s = m_subsidy->GetSubsidyConfig(&context, request, &out);
            QCOMPARE(code(s), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY(says(s, "version must be 0"));
            grpc::ClientContext again;
            request.set_version(99);
            s = m_subsidy->GetSubsidyConfig(&again, request, &out);
            QCOMPARE(code(s), grpc::StatusCode::NOT_FOUND);
            QVERIFY(says(s, "there is no subsidy config version 99"));
        }
        {
            grpc::ClientContext context;
            v1::ListSubsidyConfigVersionsRequest request;
            request.set_limit(501);
            v1::ListSubsidyConfigVersionsResponse out;
            const grpc::Status s = m_subsidy->ListSubsidyConfigVersions(&context, request, &out);
            QCOMPARE(code(s), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY(says(s, "limit must be from 0 (50) to 500, not 501"));
        }
        {
            v1::SubsidyConfig c = baseConfig();
            c.mutable_base_amount()->set_minor_units(0);
            grpc::Status s = trySave(1, c, "why", nullptr);
            QCOMPARE(code(s), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY2(says(s, "config.base_amount must be positive"), s.error_message().c_str());
            c = baseConfig();
            c.mutable_base_amount()->set_currency("USD");
            s = trySave(1, c, "why", nullptr);
            QVERIFY2(says(s, "config.base_amount must be in"), s.error_message().c_str());
            c = baseConfig();
            c.mutable_risk()->set_weight(1.5);
            s = trySave(1, c, "why", nullptr);
            QVERIFY2(says(s, "config.risk.weight must be greater than 0 and at most 1, not 1.5"),
                     s.error_message().c_str());
            s = trySave(1, baseConfig(), "", nullptr);
            QCOMPARE(code(s), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY2(says(s, "reason is required"), s.error_message().c_str());
            grpc::ClientContext context;
            v1::SaveSubsidyConfigRequest request;
            request.set_base_version(1);
            request.set_reason("no config");
            v1::SubsidyConfigVersion out;
            s = m_subsidy->SaveSubsidyConfig(&context, request, &out);
            QVERIFY(says(s, "config is required"));
        }
        {
            const auto rollback = [&](std::int64_t to, std::int64_t base, const std::string &reason = "test") {
                grpc::ClientContext context;
                v1::RollbackSubsidyConfigRequest request;
                request.set_to_version(to);
                request.set_base_version(base);
                request.set_reason(reason);
                v1::SubsidyConfigVersion out;
                return m_subsidy->RollbackSubsidyConfig(&context, request, &out);
            };
            grpc::Status s = rollback(0, 1);
            QCOMPARE(code(s), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY(says(s, "to_version must be a positive version"));
            s = rollback(1, 0);
            QVERIFY(says(s, "base_version must be the current version"));
            s = rollback(42, 1);
            QCOMPARE(code(s), grpc::StatusCode::NOT_FOUND);
            s = rollback(1, 1, "");
            QCOMPARE(code(s), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY(says(s, "reason is required"));
        }
        {
            const auto explainWith = [&](const v1::ExplainSubsidyRequest &request) {
                grpc::ClientContext context;
                v1::SubsidyExplanation out;
                return m_subsidy->ExplainSubsidy(&context, request, &out);
            };
            v1::ExplainSubsidyRequest request;
            grpc::Status s = explainWith(request);
            QVERIFY(says(s, "uid must be a positive user id, not 0"));
            request.set_uid(999);
            s = explainWith(request);
            QCOMPARE(code(s), grpc::StatusCode::NOT_FOUND);
            QVERIFY(says(s, "user 999 is not known"));
            request.set_uid(100001);
            request.set_channel("Bad Channel");
            s = explainWith(request);
            QVERIFY(says(s, "channel must be 1-40"));
            request.set_channel("app");
            v1::OrderItemRef *item = request.add_items();
            item->set_sku("NOPE");
            item->set_quantity(1);
            s = explainWith(request);
            QVERIFY2(says(s, "items[0].sku \"NOPE\" is not in the catalogue"), s.error_message().c_str());
            item->set_sku(kSku);
            item->set_quantity(0);
            s = explainWith(request);
            QVERIFY2(says(s, "items[0].quantity must be from 1"), s.error_message().c_str());
            item->set_quantity(1);
            request.set_use_draft(true);
            s = explainWith(request);
            QVERIFY2(says(s, "draft.campaign_id must be 1-40"), s.error_message().c_str());
        }
        {
            v1::SimulateSubsidyConfigRequest request;
            const auto run = [&] {
                grpc::ClientContext context;
                v1::SubsidySimulation out;
                return m_subsidy->SimulateSubsidyConfig(&context, request, &out);
            };
            grpc::Status s = run();
            QVERIFY(says(s, "draft is required"));
            request.set_days(31);
            *request.mutable_draft() = baseConfig();
            s = run();
            QVERIFY(says(s, "days must be from 0 (7) to 30, not 31"));
            request.set_days(0);
            request.mutable_draft()->set_cap_factor(0);
            s = run();
            QCOMPARE(code(s), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY(says(s, "draft.cap_factor must be greater than 0"));
        }
    }

    void variantsListenerAndSignals()
    {
        // The manager alone, on a database of its own: an experiment's variant decides
        // with its config version and is recorded; a redeemed grant is told once; the
        // 90 % signal is kept for alerting.
        stop();
        auto store = SqliteStore::open(m_dir->filePath(QStringLiteral("manager.sqlite")).toStdString());
        const Catalog catalog({Product{"TEA-1", "Tea", "tea", Money(10000), 100}});
        subsidy::SubsidyManager::Hooks hooks;
        hooks.facts = [](std::int64_t) { return std::optional(subsidy::UserFacts{3, 0, 0}); };
        subsidy::SubsidyManager manager(*store, *m_clock, catalog, hooks);
        subsidy::SubsidyConfig config = subsidy::initialSubsidyConfig(true);
        config.activeDays = 0;
        config.minLtvCacRatio = 0.1;
        config.budgets = {{"first_order", Money(1000), Money(1000)}};
        manager.start(config); // version 1
        const audit::Actor actor{"test", "admin", "local"};
        config.baseAmount = Money(100);
        config.capFactor = 1;
        QVERIFY(manager.save(1, config, "small", actor).ok()); // version 2: grants 100
        config.baseAmount = Money(300);
        QVERIFY(manager.save(2, config, "live", actor).ok()); // version 3, live: grants 300
        FixedChooser chooser;
        const auto orderOf = [&](std::int64_t id, std::int64_t uid) {
            Order o;
            o.id = id;
            o.uid = uid;
            o.channel = "app";
            o.lines = {OrderLine{"TEA-1", 1, Money(10000), Money(10000)}};
            o.total = Money(10000);
            o.listTotal = o.total;
            o.createdAt = m_clock->now();
            return o;
        };
        Order first = orderOf(1, 1);
        const subsidy::OrderSubsidy a = manager.decide(first, m_clock->now(), &chooser);
        QVERIFY(a.grant);
        QCOMPARE(a.grant->amount, Money(100));
        QCOMPARE(a.grant->configVersion, std::int64_t(2));
        QCOMPARE(a.grant->experimentKey, std::string("exp"));
        QCOMPARE(a.grant->variantKey, std::string("small"));
        QCOMPARE(a.decision->variantKey, std::string("small"));
        QCOMPARE(first.total, Money(9900));
        Order second = orderOf(2, 2);
        const subsidy::OrderSubsidy b = manager.decide(second, m_clock->now(), &chooser);
        QVERIFY(b.grant);
        QCOMPARE(b.grant->amount, Money(300));
        QCOMPARE(b.grant->configVersion, std::int64_t(3));
        QVERIFY(b.grant->experimentKey.empty());
        QCOMPARE(chooser.calls.load(), 2);
        // 400 of 1000 spent; a third user's 300 makes 700, a fourth 1000: at 90 %.
        Order third = orderOf(3, 3);
        Order fourth = orderOf(4, 4);
        QVERIFY(manager.decide(third, m_clock->now(), nullptr).grant);
        QVERIFY(manager.signals().empty());
        QVERIFY(manager.decide(fourth, m_clock->now(), nullptr).grant);
        QCOMPARE(manager.signals().size(), std::size_t(2)); // the total and the day
        QCOMPARE(manager.signals().front().spent, Money(1000));
        // A fifth user finds the budget spent.
        Order fifth = orderOf(5, 5);
        const subsidy::OrderSubsidy e = manager.decide(fifth, m_clock->now(), nullptr);
        QVERIFY(!e.grant);
        QCOMPARE(e.decision->reason, subsidy::Reason::TotalBudgetExhausted);
        QCOMPARE(fifth.total, Money(10000));
        // Stored and paid: the listener hears of it once.
        std::vector<std::tuple<std::int64_t, std::int64_t, Money>> heard;
        manager.setRedeemedListener([&](std::int64_t uid, std::int64_t orderId, Money amount, TimePoint) {
            heard.emplace_back(uid, orderId, amount);
        });
        JournalEntry created;
        created.newOrder = first;
        created.subsidyGrant = a.grant;
        created.subsidyDecision = a.decision;
        manager.committed({created});
        JournalEntry paid;
        paid.transition = orders::OrderTransition{1, 1, first.total, OrderStatus::Created, OrderStatus::Paid,
                                                  m_clock->now(), {}};
        manager.committed({paid});
        manager.committed({paid});
        QCOMPARE(heard.size(), std::size_t(1));
        QVERIFY(heard.front() == std::make_tuple(std::int64_t(1), std::int64_t(1), Money(100)));
        const subsidy::RoiSnapshot roi = manager.roi();
        QCOMPARE(roi.rows.size(), std::size_t(1));
        QCOMPARE(roi.rows[0].redeemed, std::int64_t(1));
        QCOMPARE(roi.rows[0].gmv, Money(9900));
        QCOMPARE(roi.rows[0].roa, 99.0);
        // The charts' last minute holds the same, for its campaign and channel and in all.
        QCOMPARE(roi.series.size(), std::size_t(1));
        QCOMPARE(roi.series[0].campaignId, roi.rows[0].campaignId);
        QCOMPARE(roi.series[0].channel, roi.rows[0].channel);
        QCOMPARE(roi.series[0].points.size(), std::size_t(60));
        QCOMPARE(roi.series[0].points.back().issued, std::int64_t(1));
        QCOMPARE(roi.series[0].points.back().redeemed, std::int64_t(1));
        QCOMPARE(roi.series[0].points.back().redeemedGmv, Money(9900));
        QCOMPARE(roi.recent.back().redeemedAmount, Money(100));
        // An order that was not stored gives its grant back.
        manager.abandon(second, b);
        QCOMPARE(manager.roi().campaigns[0].spentTotal, Money(700));
        // Subsidies switched off in the live config stop the variants' too.
        config.enabled = false;
        QVERIFY(manager.save(3, config, "off", actor).ok());
        Order tenth = orderOf(10, 10);
        const subsidy::OrderSubsidy off = manager.decide(tenth, m_clock->now(), &chooser);
        QVERIFY(!off.grant);
        QCOMPARE(off.decision->reason, subsidy::Reason::Disabled);
        QCOMPARE(off.decision->variantKey, std::string("small"));
        QCOMPARE(tenth.total, Money(10000));
        store.reset();
        start();
    }

    void explainShowsTheInputs()
    {
        save(baseConfig());
        v1::ExplainSubsidyRequest request;
        request.set_uid(100300);
        v1::OrderItemRef *item = request.add_items();
        item->set_sku(kSku);
        item->set_quantity(2);
        grpc::ClientContext context;
        v1::SubsidyExplanation out;
        QVERIFY(m_subsidy->ExplainSubsidy(&context, request, &out).ok());
        const std::int64_t total = out.inputs().order_total().minor_units();
        QVERIFY(total > 0);
        QCOMPARE(out.inputs().channel(), std::string("app"));
        QCOMPARE(out.inputs().expected_orders(), 1.0);
        QCOMPARE(out.inputs().margin(), 0.25);
        QCOMPARE(out.inputs().average_order_value().minor_units(), total); // too little category history
        QCOMPARE(out.inputs().ltv().minor_units(), std::llround(0.25 * static_cast<double>(total)));
        QCOMPARE(out.inputs().cac().minor_units(), std::int64_t(100));
        QCOMPARE(out.decision().reason(), v1::SUBSIDY_REASON_GRANTED);
        QCOMPARE(out.decision().config_version(), std::int64_t(2));
        // A draft without a CAC for the channel.
        request.set_use_draft(true);
        *request.mutable_draft() = baseConfig();
        request.mutable_draft()->mutable_channel_cac(0)->set_channel("web");
        grpc::ClientContext again;
        QVERIFY(m_subsidy->ExplainSubsidy(&again, request, &out).ok());
        QCOMPARE(out.decision().reason(), v1::SUBSIDY_REASON_NO_CAC);
    }

private:
    void start()
    {
        BackendOptions options;
        options.clock = m_clock.get();
        options.manualHousekeeping = true;
        options.databasePath = m_dir->filePath(QStringLiteral("test.sqlite")).toStdString();
        options.seedDemoData = true;
        options.demoHistoryOrdersPerHour = 0;
        options.demoUsers = 12000;
        options.reservationTtl = m_ttl;
        m_backend = Backend::start(options);
        m_channel = m_backend->inProcessChannel();
        m_orders = v1::OrderService::NewStub(m_channel);
        m_subsidy = v1::SubsidyService::NewStub(m_channel);
    }
    void stop()
    {
        m_orders.reset();
        m_subsidy.reset();
        m_channel.reset();
        m_backend.reset();
    }

    static v1::CreateOrderRequest order(std::int64_t uid, std::int64_t quantity = 1)
    {
        v1::CreateOrderRequest request;
        request.set_uid(uid);
        request.set_channel("app");
        v1::OrderItem *item = request.add_items();
        item->set_sku(kSku);
        item->set_quantity(quantity);
        return request;
    }

    v1::SubsidyConfigVersion get(std::int64_t version)
    {
        grpc::ClientContext context;
        v1::GetSubsidyConfigRequest request;
        request.set_version(version);
        v1::SubsidyConfigVersion out;
        const grpc::Status s = m_subsidy->GetSubsidyConfig(&context, request, &out);
        if (!s.ok())
            qFatal("GetSubsidyConfig: %s", s.error_message().c_str());
        return out;
    }

    grpc::Status trySave(std::int64_t base, const v1::SubsidyConfig &config, const std::string &reason,
                         v1::SubsidyConfigVersion *out, bool candidate = false)
    {
        grpc::ClientContext context;
        v1::SaveSubsidyConfigRequest request;
        request.set_base_version(base);
        request.set_candidate(candidate);
        *request.mutable_config() = config;
        request.set_reason(reason);
        v1::SubsidyConfigVersion ignored;
        return m_subsidy->SaveSubsidyConfig(&context, request, out != nullptr ? out : &ignored);
    }

    v1::SubsidyConfigVersion save(const v1::SubsidyConfig &config)
    {
        v1::SubsidyConfigVersion out;
        const grpc::Status s = trySave(get(0).version(), config, "test config", &out);
        if (!s.ok())
            qFatal("SaveSubsidyConfig: %s", s.error_message().c_str());
        return out;
    }

    v1::SubsidyExplanation explain(std::int64_t uid)
    {
        grpc::ClientContext context;
        v1::ExplainSubsidyRequest request;
        request.set_uid(uid);
        v1::OrderItemRef *item = request.add_items();
        item->set_sku(kSku);
        item->set_quantity(1);
        v1::SubsidyExplanation out;
        const grpc::Status s = m_subsidy->ExplainSubsidy(&context, request, &out);
        if (!s.ok())
            qFatal("ExplainSubsidy: %s", s.error_message().c_str());
        return out;
    }

    v1::SubsidySimulation simulate(const v1::SubsidyConfig &draft)
    {
        grpc::ClientContext context;
        v1::SimulateSubsidyConfigRequest request;
        *request.mutable_draft() = draft;
        v1::SubsidySimulation out;
        const grpc::Status s = m_subsidy->SimulateSubsidyConfig(&context, request, &out);
        if (!s.ok())
            qFatal("SimulateSubsidyConfig: %s", s.error_message().c_str());
        return out;
    }

    /// The first message of StreamSubsidyRoi (sent at once).
    v1::SubsidyRoiSnapshot snapshot()
    {
        grpc::ClientContext context;
        auto reader = m_subsidy->StreamSubsidyRoi(&context, v1::StreamSubsidyRoiRequest{});
        v1::SubsidyRoiSnapshot out;
        if (!reader->Read(&out))
            qFatal("StreamSubsidyRoi gave nothing");
        context.TryCancel();
        reader->Finish();
        return out;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<ManualClock> m_clock;
    Milliseconds m_ttl{15 * 60 * 1000};
    std::unique_ptr<Backend> m_backend;
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<v1::OrderService::Stub> m_orders;
    std::unique_ptr<v1::SubsidyService::Stub> m_subsidy;
};

QTEST_GUILESS_MAIN(TestSubsidy)
#include "tst_subsidy.moc"
