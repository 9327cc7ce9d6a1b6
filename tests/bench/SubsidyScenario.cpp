// flywheel-bench scenario `subsidy`: what first-order subsidies cost.
//   subsidy_decision_ns: one SubsidyManager::decide in-process, profile facts and
//     LTV included, for a new user's first order (a grant each time), on a warm
//     heap; subsidy_decision_cold_heap_ns: the same on a process's first pass.
//   order_create_with_subsidy_vs_without_ratio: CreateOrder as fast as it is
//     answered on two daemons of its own, seeded alike, one granting first-order
//     subsidies and one with subsidies off, in alternating rounds (the method of
//     order_create_qps); the median of the rounds' ratios.

#include "Daemon.h"
#include "Scenarios.h"

#include "domain/Catalog.h"
#include "domain/segments/ProfileStore.h"
#include "storage/SqliteStore.h"
#include "subsidy/SubsidyManager.h"

#include "flywheel/v1/subsidy.grpc.pb.h"

#include <malloc.h>

namespace flywheel::bench {

using namespace std::chrono_literals;

namespace {

constexpr int kRounds = 5;

flywheel::v1::SubsidyConfig configOf(bool enabled)
{
    flywheel::v1::SubsidyConfig c;
    c.set_enabled(enabled);
    c.set_campaign_id("first_order");
    c.set_min_ltv_cac_ratio(0.01);
    c.mutable_base_amount()->set_minor_units(500);
    c.set_cap_factor(2);
    c.set_active_days(0);
    c.mutable_risk()->set_latency_threshold_ms(800);
    c.mutable_risk()->set_score_threshold(75);
    c.mutable_risk()->set_weight(0.3);
    auto *cac = c.add_channel_cac();
    cac->set_channel("app");
    cac->mutable_cac()->set_minor_units(1000);
    auto *b = c.add_budgets();
    b->set_campaign_id("first_order");
    b->mutable_total()->set_minor_units(1'000'000'000'000);
    b->mutable_daily()->set_minor_units(1'000'000'000'000);
    auto *ltv = c.mutable_ltv();
    ltv->set_base_orders(1);
    ltv->set_orders_per_active_day(0.4);
    ltv->set_orders_per_past_order(0.5);
    ltv->set_margin_bp(2500);
    ltv->set_min_category_orders(20);
    return c;
}

bool configure(Client &client, bool enabled)
{
    auto stub = flywheel::v1::SubsidyService::NewStub(client.channels.front());
    flywheel::v1::SubsidyConfigVersion current;
    {
        grpc::ClientContext context;
        if (!stub->GetSubsidyConfig(&context, {}, &current).ok())
            return false;
    }
    grpc::ClientContext context;
    flywheel::v1::SaveSubsidyConfigRequest request;
    request.set_base_version(current.version());
    *request.mutable_config() = configOf(enabled);
    request.set_reason("flywheel-bench");
    flywheel::v1::SubsidyConfigVersion saved;
    const grpc::Status s = stub->SaveSubsidyConfig(&context, request, &saved);
    if (!s.ok())
        std::fprintf(stderr, "flywheel-bench: could not configure subsidies: %s\n", s.error_message().c_str());
    return s.ok();
}

/// Grants issued so far, from the ROI stream's first snapshot.
std::int64_t grantsIssued(Client &client)
{
    auto stub = flywheel::v1::SubsidyService::NewStub(client.channels.front());
    grpc::ClientContext context;
    auto reader = stub->StreamSubsidyRoi(&context, {});
    flywheel::v1::SubsidyRoiSnapshot snapshot;
    std::int64_t issued = 0;
    if (reader->Read(&snapshot)) {
        for (const auto &row : snapshot.rows())
            issued += row.issued();
    }
    context.TryCancel();
    reader->Finish();
    return issued;
}

/// Nanoseconds per decision: new users' first orders, each granted.
double decisionNs(const std::filesystem::path &db)
{
    auto store = SqliteStore::open(db.string());
    std::vector<Product> products;
    for (const char *sku : kSkus)
        products.push_back(Product{sku, sku, std::string(sku).substr(0, 3), Money(5990), 1000});
    const Catalog catalog(products);
    segments::ProfileStore profiles;
    constexpr std::int64_t kUsers = 200000;
    for (std::int64_t uid = 1; uid <= kUsers; ++uid) {
        segments::Profile p;
        p.uid = uid;
        p.lastActiveDay = segments::dayOf(SystemClock::instance().now());
        p.activeDays = 0x5;
        profiles.put(p);
    }
    subsidy::SubsidyManager::Hooks hooks;
    hooks.facts = [&profiles](std::int64_t uid) -> std::optional<subsidy::UserFacts> {
        const std::optional<segments::Profile> p = profiles.find(uid);
        if (!p)
            return std::nullopt;
        return subsidy::UserFacts{p->activeDaysLast7(segments::dayOf(SystemClock::instance().now())), p->payCount, 0};
    };
    subsidy::SubsidyManager manager(*store, SystemClock::instance(), catalog, std::move(hooks));
    subsidy::SubsidyConfig config = subsidy::initialSubsidyConfig(true);
    config.activeDays = 0;
    config.minLtvCacRatio = 0.01;
    config.budgets = {{"first_order", Money(1'000'000'000'000), Money(1'000'000'000'000)}};
    manager.start(config);
    std::vector<Order> orders(kUsers);
    for (std::int64_t i = 0; i < kUsers; ++i) {
        Order &o = orders[static_cast<std::size_t>(i)];
        o.id = i + 1;
        o.uid = i + 1;
        o.channel = "app";
        o.lines = {OrderLine{kSkus[i % 7], 2, Money(5990), Money(5990)}};
        o.total = Money(11980);
        o.listTotal = o.total;
    }
    const TimePoint now = SystemClock::instance().now();
    std::int64_t granted = 0;
    const auto started = std::chrono::steady_clock::now();
    for (Order &o : orders)
        granted += manager.decide(o, now, nullptr).grant ? 1 : 0;
    const auto elapsed = std::chrono::steady_clock::now() - started;
    if (granted != kUsers) {
        std::fprintf(stderr, "flywheel-bench: only %lld of %lld decisions granted; no decision figure\n",
                     static_cast<long long>(granted), static_cast<long long>(kUsers));
        return -1;
    }
    return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()) /
           static_cast<double>(kUsers);
}

} // namespace

bool subsidyScenario(const Settings &settings, const std::filesystem::path &binary)
{
    const TempDir dir;
    // Twice, each time with a manager, store and orders of its own: the first pass
    // meets a cold heap (every page the decisions' state grows into is touched for
    // the first time, which on a virtual machine costs microseconds a page); the
    // second pass reuses the memory the first gave back, as a server that has run
    // for a while does. The allocator keeps freed memory for it (no trimming, one
    // fixed mmap threshold), in this process only.
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    const double cold = decisionNs(dir.path() / "decisions-cold.sqlite");
    const double ns = cold < 0 ? cold : decisionNs(dir.path() / "decisions.sqlite");
    if (ns < 0)
        return false;
    print("subsidy_decision_ns", ns);
    print("subsidy_decision_cold_heap_ns", cold);

    const std::vector<std::string> seeded = {"--listen", "127.0.0.1:0", "--seed-demo", "--history-per-hour", "0"};
    std::vector<std::string> onArgs = {"--db", (dir.path() / "on.sqlite").string()};
    onArgs.insert(onArgs.end(), seeded.begin(), seeded.end());
    std::vector<std::string> offArgs = {"--db", (dir.path() / "off.sqlite").string()};
    offArgs.insert(offArgs.end(), seeded.begin(), seeded.end());
    Daemon on(binary, onArgs, dir.path() / "on.log");
    Daemon off(binary, offArgs, dir.path() / "off.log");
    if (!on.start(60s) || !off.start(60s))
        return false;
    Client onClient(on.target(), settings.options.channels);
    Client offClient(off.target(), settings.options.channels);
    if (!onClient.stock(10000000) || !offClient.stock(10000000))
        return false;
    if (!configure(onClient, true) || !configure(offClient, false))
        return false;
    std::vector<double> onRates;
    std::vector<double> offRates;
    std::vector<double> ratios;
    std::int64_t failures = 0;
    for (int round = 0; round < kRounds; ++round) {
        const Result without = closedLoop(settings.options, offClient.createOrder);
        const Result with = closedLoop(settings.options, onClient.createOrder);
        failures += without.failures + with.failures;
        offRates.push_back(without.qps);
        onRates.push_back(with.qps);
        ratios.push_back(with.qps / without.qps);
    }
    // The work really happened: first orders got grants on one side and none on the other.
    const std::int64_t grantsOn = grantsIssued(onClient);
    const std::int64_t grantsOff = grantsIssued(offClient);
    if (grantsOn == 0 || grantsOff != 0) {
        std::fprintf(stderr, "flywheel-bench: %lld grants with subsidies on and %lld with them off; no ratio\n",
                     static_cast<long long>(grantsOn), static_cast<long long>(grantsOff));
        return false;
    }
    print("order_create_with_subsidy_qps", medianOf(onRates));
    print("order_create_without_subsidy_qps", medianOf(offRates));
    print("order_create_with_subsidy_vs_without_ratio", medianOf(ratios));
    print("order_create_with_subsidy_vs_without_ratio_rounds", ratios);
    print("subsidy_grants_issued", grantsOn);
    print("subsidy_failed_calls", failures);
    return on.stop() && off.stop();
}

} // namespace flywheel::bench
