// flywheel-bench scenarios `money` and `pricing`: the order path.

#include "Scenarios.h"

#include "flywheel/v1/pricing.grpc.pb.h"

#include <fstream>
#include <thread>

namespace flywheel::bench {

using namespace std::chrono_literals;

namespace {

/// 100 active rules of every kind, most of which touch a typical cart: what a busy
/// promotion calendar looks like. As operators set such calendars up, order-level
/// rules of one kind exclude each other (one coupon, one member offer, one spend
/// threshold per order), so an order gets a handful of adjustments, not dozens.
/// `variant` changes one percentage, so two variants are different rule sets.
std::string hundredRules(int variant)
{
    static const char *categories[] = {"Electronics", "Home & Kitchen", "Beauty",  "Sports & Outdoors",
                                       "Grocery",     "Toys",           "Fashion", "Books"};
    std::string yaml = "rules:\n";
    for (int i = 0; i < 100; ++i) {
        const std::string id = "r" + std::to_string(i);
        yaml += "  - id: " + id + "\n    name: Rule " + id + "\n    priority: " + std::to_string(i % 10) + "\n";
        switch (i % 5) {
        case 0:
            yaml += "    type: category_price\n    scope: {categories: [\"" + std::string(categories[i % 8]) +
                    "\"]}\n    percent_of_list: " + std::to_string(80 + i % 15) + "\n";
            break;
        case 1:
            yaml += "    type: percent_off\n    percent_off: " + std::to_string(1 + (i + variant) % 9) +
                    "\n    exclusion_group: coupons\n";
            break;
        case 2:
            yaml += "    type: threshold\n    scope: {categories: [\"" + std::string(categories[i % 8]) +
                    "\"]}\n    exclusion_group: thresholds\n    tiers:\n      - {spend: 100, off: 10}\n"
                    "      - {spend: 300, off: 40}\n";
            break;
        case 3:
            yaml += "    type: sku_price\n    scope: {skus: [" + std::string(i % 2 ? "ELE-" : "HOM-") +
                    std::to_string(1001 + i % 30) + "]}\n    unit_price: 9.90\n";
            break;
        default:
            yaml += "    type: percent_off\n    percent_off: 2\n    per_user_limit: 1000000\n"
                    "    exclusion_group: member-offers\n    starts_at: 2020-01-01T00:00:00Z\n";
            break;
        }
    }
    return yaml;
}

void writeAtomically(const std::filesystem::path &path, const std::string &text)
{
    const std::filesystem::path temporary = path.string() + ".new";
    std::ofstream(temporary) << text;
    std::filesystem::rename(temporary, path);
}

/// Each side of a ratio is measured in five rounds, alternating with the other
/// side; a side's rate is its median round, so a moment of noise on this shared
/// VM skews neither side.
constexpr int kRounds = 5;

Result median(std::vector<Result> rounds)
{
    std::sort(rounds.begin(), rounds.end(), [](const Result &a, const Result &b) { return a.qps < b.qps; });
    Result middle = rounds[rounds.size() / 2];
    middle.failures = 0;
    for (const Result &r : rounds)
        middle.failures += r.failures;
    return middle;
}

/// A ratio is the median of the rounds' ratios: each round measures both sides
/// back to back, so the machine's speed, which drifts by tens of percent here
/// within a minute, is nearly the same for both.
std::vector<double> roundRatios(const std::vector<Result> &numerators, const std::vector<Result> &denominators)
{
    std::vector<double> ratios;
    for (std::size_t i = 0; i < numerators.size(); ++i)
        ratios.push_back(numerators[i].qps / denominators[i].qps);
    return ratios;
}

} // namespace

/// Scenario `money`: the empty unary call and CreateOrder as fast as they are
/// answered, their ratio, and the order latency at half that rate.
bool moneyScenario(Shared &shared)
{
    const Options &options = shared.options;
    Client &client = shared.client;
    std::vector<Result> emptyRounds;
    std::vector<Result> createRounds;
    for (int round = 0; round < kRounds; ++round) {
        emptyRounds.push_back(closedLoop(options, client.ping));
        createRounds.push_back(closedLoop(options, client.createOrder));
    }
    Result empty = median(emptyRounds);
    const Result create = median(createRounds);
    shared.createQps = create.qps;
    const std::vector<double> createRatios = roundRatios(createRounds, emptyRounds);
    // The p99 at half rate over twice the round's time: 1 % of a 4-second window
    // is 40 ms of orders, so a single stall of this VM's disk (an fdatasync of the
    // WAL takes 0.5 ms at the median here, and now and then 40 to 110 ms) would
    // decide the figure alone.
    Options halfRate = options;
    halfRate.duration *= 2;
    Result half = openLoop(halfRate, create.qps / 2, client.createOrder);
    shared.failedCalls += empty.failures + create.failures + half.failures;
    shared.skippedSends += half.skipped;

    print("empty_unary_qps", empty.qps);
    print("empty_unary_p99_ms", empty.percentile(0.99));
    print("order_create_qps", create.qps);
    print("order_create_vs_empty_ratio", medianOf(createRatios));
    print("order_create_vs_empty_ratio_rounds", createRatios);
    print("order_create_p99_ms", half.percentile(0.99));
    print("order_create_p50_ms", half.percentile(0.50));
    print("order_create_p99_rate_qps", half.qps);
    return true;
}

/// Scenario `pricing`: the order rate with 100 active rules against none, and 100
/// hot reloads of the rules file while orders keep arriving.
bool pricingScenario(Shared &shared)
{
    const Options &options = shared.options;
    Client &client = shared.client;
    auto pricing = flywheel::v1::PricingService::NewStub(client.channels.front());
    const auto currentVersion = [&] {
        grpc::ClientContext context;
        flywheel::v1::PricingStatus status;
        pricing->GetPricingStatus(&context, {}, &status);
        return status.current_version();
    };
    const auto waitForVersion = [&](std::int64_t version) {
        const auto deadline = Clock::now() + 10s;
        while (currentVersion() < version && Clock::now() < deadline)
            std::this_thread::sleep_for(1ms);
        return currentVersion() >= version;
    };
    std::int64_t version = currentVersion();
    const auto loadRules = [&](const std::string &yaml) {
        writeAtomically(shared.pricingFile, yaml);
        if (waitForVersion(++version))
            return true;
        grpc::ClientContext context;
        flywheel::v1::PricingStatus status;
        const grpc::Status call = pricing->GetPricingStatus(&context, {}, &status);
        std::fprintf(stderr, "flywheel-bench: the rules were not loaded (version %lld, waiting for %lld): %s%s\n",
                     static_cast<long long>(status.current_version()), static_cast<long long>(version),
                     status.last_error().c_str(), call.error_message().c_str());
        return false;
    };

    // The same order load with 100 active rules, against none, alternating.
    std::vector<Result> noRuleRounds;
    std::vector<Result> ruleRounds;
    for (int round = 0; round < kRounds; ++round) {
        if (round > 0 && !loadRules("rules: []\n")) // the daemon starts with none
            return false;
        noRuleRounds.push_back(closedLoop(options, client.createOrder));
        if (!loadRules(hundredRules(0)))
            return false;
        ruleRounds.push_back(closedLoop(options, client.createOrder));
    }
    const Result noRules = median(noRuleRounds);
    const Result withRules = median(ruleRounds);
    const std::vector<double> rulesRatios = roundRatios(ruleRounds, noRuleRounds);
    shared.failedCalls += noRules.failures + withRules.failures;

    // 100 reloads while orders keep arriving at a quarter of the maximum rate: how
    // long until an order is priced by the new set, and whether any request fails.
    // Without the money scenario the maximum is the no-rules rate just measured.
    // The background load has no warm-up: the first reloads happen in its first
    // second, and every request sent while reloads happen counts.
    const double maximum = shared.createQps > 0 ? shared.createQps : noRules.qps;
    std::atomic<bool> loading{true};
    Result background;
    std::thread load([&] {
        background = openLoop(
            OpenLoopPlan{maximum / 4, Clock::duration::zero(), [&](Clock::time_point) { return !loading; }, {}},
            client.createOrder);
    });
    std::vector<double> visibleMs;
    auto *probe = client.orders.front().get();
    std::int64_t probeFailures = 0;
    bool reloaded = true;
    for (int i = 1; i <= 100 && reloaded; ++i) {
        const auto written = Clock::now();
        writeAtomically(shared.pricingFile, hundredRules(i));
        ++version;
        for (;;) {
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + 5s);
            flywheel::v1::CreateOrderRequest request;
            request.set_uid(100001 + i);
            request.set_idempotency_key("probe-" + std::to_string(client.counter++));
            auto *item = request.add_items();
            item->set_sku("GRO-1005");
            item->set_quantity(1);
            flywheel::v1::Order order;
            if (!probe->CreateOrder(&context, request, &order).ok())
                ++probeFailures;
            else if (order.rule_set_version() >= version)
                break;
            if (Clock::now() - written > 10s) {
                std::fprintf(stderr, "flywheel-bench: reload %d never took effect\n", i);
                reloaded = false;
                break;
            }
        }
        visibleMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - written).count());
    }
    loading = false;
    load.join();
    shared.skippedSends += background.skipped;
    if (!reloaded)
        return false;
    std::sort(visibleMs.begin(), visibleMs.end());

    print("order_create_100_rules_qps", withRules.qps);
    print("order_create_no_rules_qps", noRules.qps);
    print("pricing_100_rules_vs_none_ratio", medianOf(rulesRatios));
    print("pricing_100_rules_vs_none_ratio_rounds", rulesRatios);
    print("hot_reload_visible_ms", visibleMs.back());
    print("hot_reload_visible_p50_ms", visibleMs[visibleMs.size() / 2]);
    print("hot_reload_failed_requests", background.failures + probeFailures);
    return true;
}

} // namespace flywheel::bench
