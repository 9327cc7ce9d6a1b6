// flywheel-bench: measures flywheeld child processes over loopback gRPC and prints
// key=value lines. Both sides of every ratio are measured in the same run against
// the same daemon. One function per scenario; `--only` chooses among them.

#include "Daemon.h"
#include "Load.h"

#include "flywheel/v1/inventory.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/pricing.grpc.pb.h"
#include "flywheel/v1/referral.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"
#include "flywheel/v1/system.grpc.pb.h"

#include "domain/referral/AntiFraud.h"
#include "domain/referral/JtiRegistry.h"
#include "domain/segments/Expression.h"
#include "domain/segments/ProfileStore.h"
#include "referral/InviteTokens.h"

#include <absl/synchronization/mutex.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using namespace flywheel::bench;
using namespace std::chrono_literals;

const char *const kSkus[] = {"ELE-1001", "HOM-1002", "BEA-1003", "SPO-1004", "GRO-1005", "TOY-1006", "FAS-1007"};

/// Channels and stubs to one daemon, and the two calls the order-path loops send.
class Client {
public:
    Client(const std::string &target, int channelCount)
    {
        for (int i = 0; i < channelCount; ++i) {
            grpc::ChannelArguments args;
            args.SetInt("flywheel.bench.channel", i); // distinct channels, distinct connections
            channels.push_back(grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
        }
        for (const auto &channel : channels) {
            system.push_back(flywheel::v1::SystemService::NewStub(channel));
            orders.push_back(flywheel::v1::OrderService::NewStub(channel));
        }
        ping = [this](std::function<void(bool)> done) {
            using Call = ArenaCall<flywheel::v1::PingRequest, flywheel::v1::PingResponse>;
            auto call = std::make_shared<Call>();
            const auto n = counter++;
            system[n % system.size()]->async()->Ping(&call->context, call->request, call->response,
                                                     [call, done](grpc::Status s) { done(s.ok()); });
        };
        createOrder = [this](std::function<void(bool)> done) {
            using Call = ArenaCall<flywheel::v1::CreateOrderRequest, flywheel::v1::Order>;
            auto call = std::make_shared<Call>();
            const auto n = counter++;
            flywheel::v1::CreateOrderRequest &request = *call->request;
            request.set_uid(100001 + static_cast<std::int64_t>(n % 12000));
            request.set_channel("app");
            request.set_idempotency_key("bench-" + std::to_string(n));
            for (int i = 0; i < 2; ++i) {
                auto *item = request.add_items();
                item->set_sku(kSkus[(n + static_cast<std::uint64_t>(i)) % 7]);
                item->set_quantity(1 + static_cast<std::int64_t>(n % 2));
            }
            orders[n % orders.size()]->async()->CreateOrder(&call->context, call->request, call->response,
                                                            [call, done](grpc::Status s) { done(s.ok()); });
        };
    }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    /// Receives `units` of each SKU the loops order, in ten deliveries.
    bool stock(std::int64_t units)
    {
        auto inventory = flywheel::v1::InventoryService::NewStub(channels.front());
        for (const char *sku : kSkus) {
            for (int i = 0; i < 10; ++i) {
                grpc::ClientContext context;
                flywheel::v1::ReceiveStockRequest request;
                request.set_sku(sku);
                request.set_quantity(units / 10);
                flywheel::v1::StockLevel level;
                if (const grpc::Status s = inventory->ReceiveStock(&context, request, &level); !s.ok()) {
                    std::fprintf(stderr, "flywheel-bench: could not stock %s: %s\n", sku, s.error_message().c_str());
                    return false;
                }
            }
        }
        return true;
    }

    std::vector<std::shared_ptr<grpc::Channel>> channels;
    std::vector<std::unique_ptr<flywheel::v1::SystemService::Stub>> system;
    std::vector<std::unique_ptr<flywheel::v1::OrderService::Stub>> orders;
    std::atomic<std::uint64_t> counter{0};
    Issue ping;
    Issue createOrder;
};

/// The command line.
struct Settings {
    Options options;
    std::set<std::string> only; // empty: all
    std::chrono::seconds memorySettle{90};
    std::chrono::seconds memoryWindow{120};
    bool runs(const std::string &scenario) const { return only.empty() || only.count(scenario) > 0; }
};

/// The daemon that the money, pricing, segments and referral scenarios share, in
/// that order (each later one runs on what the earlier ones left).
struct Shared {
    Options options;
    std::filesystem::path pricingFile;
    Client &client;
    /// The money scenario's closed-loop order rate; 0 until measured.
    double createQps = 0;
    /// The failed calls of the money and pricing loops (`failed_calls`).
    std::int64_t failedCalls = 0;
    /// Sends the open loops skipped (`openloop_skipped_sends`), failed calls too.
    std::int64_t skippedSends = 0;
};

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

double medianOf(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

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

/// One million profiles shaped like a shop's users: 40 % have paid, a tenth
/// registered in the last three days, a few tag weights each.
std::vector<flywheel::segments::Profile> millionProfiles(flywheel::segments::Dictionary &dictionary,
                                                         flywheel::segments::Day today)
{
    using namespace flywheel::segments;
    const std::int32_t tags[] = {dictionary.intern("sports"), dictionary.intern("books"), dictionary.intern("beauty"),
                                 dictionary.intern("toys"), dictionary.intern("tech")};
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> unit(0, 1);
    std::vector<Profile> profiles(1000000);
    for (std::size_t i = 0; i < profiles.size(); ++i) {
        Profile &p = profiles[i];
        p.uid = static_cast<std::int64_t>(i) + 1;
        p.registered = true;
        p.registeredDay =
            today - (unit(rng) < 0.1 ? static_cast<Day>(unit(rng) * 4) : 4 + static_cast<Day>(unit(rng) * 700));
        p.lastActiveDay = today - static_cast<Day>(unit(rng) * 30);
        p.activeDays = static_cast<std::uint32_t>(rng());
        p.payCount = unit(rng) < 0.4 ? 1 + static_cast<std::int32_t>(unit(rng) * 20) : 0;
        p.paid = p.payCount > 0;
        for (int t = 0; t < 3; ++t)
            p.tags.push_back(TagWeight{tags[(i + static_cast<std::size_t>(t) * 2) % 5], unit(rng)});
    }
    return profiles;
}

/// Nanoseconds per profile of the fastest of five passes of `matches` over all profiles.
template <typename Matches>
double nsPerProfile(const std::vector<flywheel::segments::Profile> &profiles, const Matches &matches,
                    std::int64_t *count)
{
    double best = 1e18;
    for (int pass = 0; pass < 5; ++pass) {
        const auto started = Clock::now();
        std::int64_t n = 0;
        for (const auto &p : profiles)
            n += matches(p) ? 1 : 0;
        const double ns = std::chrono::duration<double, std::nano>(Clock::now() - started).count();
        best = std::min(best, ns / static_cast<double>(profiles.size()));
        *count = n;
    }
    return best;
}

/// Scenario `segments`: a million profiles built through the event API, previews
/// over them, and the compiled expression against the same predicate in C++.
bool segmentsScenario(Shared &shared)
{
    // Segments through the API: 800,000 new users register and the demo's 200,000
    // users each do something, in batches of 1,000 on two client streams, so that
    // a million profiles exist; then previews over them, timed on the client around
    // the call.
    constexpr int kStreams = 2;
    constexpr std::int64_t kNewUsers = 800000;
    constexpr std::int64_t kDemoUsers = 200000;
    const auto nowSeconds =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    std::atomic<std::int64_t> ingestFailures{0};
    const auto ingestStarted = Clock::now();
    {
        std::vector<std::thread> streams;
        for (int stream = 0; stream < kStreams; ++stream) {
            streams.emplace_back([&, stream] {
                auto stub =
                    flywheel::v1::SegmentService::NewStub(shared.client.channels[static_cast<std::size_t>(stream)]);
                grpc::ClientContext context;
                flywheel::v1::IngestEventsResponse response;
                auto writer = stub->StreamEvents(&context, &response);
                const std::int64_t total = (kNewUsers + kDemoUsers) / kStreams;
                std::mt19937_64 rng(static_cast<std::uint64_t>(stream));
                flywheel::v1::IngestEventsRequest batch;
                for (std::int64_t i = 0; i < total; ++i) {
                    const std::int64_t n = i * kStreams + stream;
                    auto *e = batch.add_events();
                    if (n < kNewUsers) {
                        e->set_uid(1000001 + n);
                        e->set_type("register");
                        e->mutable_ts()->set_seconds(nowSeconds - static_cast<std::int64_t>(rng() % (30 * 86400)));
                        (*e->mutable_attrs())["device"] = n % 3 == 0 ? "ios" : "android";
                    } else {
                        e->set_uid(100001 + (n - kNewUsers));
                        e->set_type(n % 4 == 0 ? "share" : "view");
                        e->mutable_ts()->set_seconds(nowSeconds - static_cast<std::int64_t>(rng() % 86400));
                    }
                    (*e->mutable_props())[n % 2 == 0 ? "tag.sports" : "tag.books"] =
                        static_cast<double>(rng() % 1000) / 1000.0;
                    if (batch.events_size() == 1000 || i + 1 == total) {
                        if (!writer->Write(batch))
                            break;
                        batch.Clear();
                    }
                }
                writer->WritesDone();
                const grpc::Status status = writer->Finish();
                if (!status.ok() || response.applied() != total) {
                    std::fprintf(stderr, "flywheel-bench: event stream %d: %s (%lld applied)\n", stream,
                                 status.error_message().c_str(), static_cast<long long>(response.applied()));
                    ++ingestFailures;
                }
            });
        }
        for (auto &t : streams)
            t.join();
    }
    const double ingestSeconds = std::chrono::duration<double>(Clock::now() - ingestStarted).count();
    if (ingestFailures > 0) { // no rate over events that never arrived
        std::fprintf(stderr, "flywheel-bench: %lld of %d event streams failed; the segments scenario stops\n",
                     static_cast<long long>(ingestFailures.load()), kStreams);
        return false;
    }
    std::vector<double> previewMs;
    std::vector<double> previewServerMs;
    std::int64_t previewTotal = 0;
    {
        auto stub = flywheel::v1::SegmentService::NewStub(shared.client.channels.front());
        for (int i = 0; i < 5; ++i) {
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + 60s);
            flywheel::v1::PreviewSegmentRequest request;
            request.set_expression("pay_count >= 1 && days_since_reg <= 3 && tag.sports > 0.5");
            flywheel::v1::PreviewSegmentResponse response;
            const auto sent = Clock::now();
            const grpc::Status s = stub->PreviewSegment(&context, request, &response);
            const double ms = std::chrono::duration<double, std::milli>(Clock::now() - sent).count();
            if (!s.ok()) {
                std::fprintf(stderr, "flywheel-bench: PreviewSegment: %s\n", s.error_message().c_str());
                return false;
            }
            if (response.total() != kNewUsers + kDemoUsers) {
                std::fprintf(stderr, "flywheel-bench: the preview counted over %lld profiles, not %lld\n",
                             static_cast<long long>(response.total()), static_cast<long long>(kNewUsers + kDemoUsers));
                return false;
            }
            previewMs.push_back(ms);
            previewServerMs.push_back(response.elapsed_ms());
            previewTotal = response.total();
        }
    }

    // The compiled expression against the same predicate in C++, on the same data.
    flywheel::segments::Dictionary dictionary;
    const flywheel::segments::Day today = flywheel::segments::dayOf(
        std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()));
    const auto profiles = millionProfiles(dictionary, today);
    auto compiled =
        flywheel::segments::compileExpression("pay_count >= 1 && days_since_reg <= 3 && tag.sports > 0.5", dictionary);
    const auto &expression = std::get<flywheel::segments::Expression>(compiled);
    const std::int32_t sports = dictionary.find("sports");
    std::int64_t compiledCount = 0;
    std::int64_t handCount = 0;
    const double compiledNs = nsPerProfile(
        profiles, [&](const flywheel::segments::Profile &p) { return expression.matches(p, today); }, &compiledCount);
    const double handNs = nsPerProfile(
        profiles,
        [&](const flywheel::segments::Profile &p) {
            return p.payCount >= 1 && p.daysSinceRegistration(today) <= 3 && p.tag(sports) > 0.5;
        },
        &handCount);
    if (compiledCount != handCount) {
        std::fprintf(stderr, "flywheel-bench: the compiled expression matched %lld profiles, C++ %lld\n",
                     static_cast<long long>(compiledCount), static_cast<long long>(handCount));
        return false;
    }

    print("event_ingest_per_s", static_cast<double>(kNewUsers + kDemoUsers) / ingestSeconds);
    print("event_ingest_failed_streams", ingestFailures.load());
    print("segment_preview_profiles", previewTotal);
    print("segment_preview_1m_ms", medianOf(previewMs));
    print("segment_preview_1m_server_ms", medianOf(previewServerMs));
    print("segment_eval_ns_per_profile", compiledNs);
    print("segment_handwritten_ns_per_profile", handNs);
    print("segment_vs_handwritten_ratio", compiledNs / handNs);
    return true;
}

/// The first error of concurrent calls, for the message when some failed.
class FirstError {
public:
    void note(const std::string &message)
    {
        const std::lock_guard lock(m_mutex);
        if (m_message.empty())
            m_message = message.empty() ? std::string("an unexpected answer") : message;
    }
    std::string message()
    {
        const std::lock_guard lock(m_mutex);
        return m_message;
    }

private:
    std::mutex m_mutex;
    std::string m_message;
};

/// RegisterWithInvite through gRPC, with its durable write: `kRegistrations` new
/// users, each with the token of its own click (a distinct IP and device, so the
/// anti-fraud limits refuse none), 64 calls in flight. Only the registrations are
/// timed, and every one must be answered with the new user bound to `inviter`.
bool measureInviteRegistrations(flywheel::v1::ReferralService::Stub &referral, const std::string &refCode,
                                std::int64_t inviter, double *perSecond)
{
    constexpr std::int64_t kRegistrations = 20000;
    constexpr std::int64_t kFirstUid = 60000001;
    std::vector<std::string> tokens(static_cast<std::size_t>(kRegistrations));
    FirstError clickError;
    std::int64_t clickFailures = 0;
    runCount(
        kRegistrations, 64,
        [&](std::int64_t n, std::function<void(bool)> done) {
            struct Call {
                grpc::ClientContext context;
                flywheel::v1::ClickInviteRequest request;
                flywheel::v1::InviteToken token;
            };
            auto call = std::make_shared<Call>();
            call->request.set_ref_code(refCode);
            call->request.set_visitor_uid(kFirstUid + n);
            call->request.set_ip("10." + std::to_string(2 + n / 65536) + "." + std::to_string(n / 256 % 256) + "." +
                                 std::to_string(n % 256));
            call->request.set_device_fingerprint("bench-register-" + std::to_string(n));
            referral.async()->ClickInvite(&call->context, &call->request, &call->token,
                                          [call, n, &tokens, &clickError, done](grpc::Status s) {
                                              const bool ok = s.ok() && !call->token.token().empty();
                                              if (ok)
                                                  tokens[static_cast<std::size_t>(n)] = call->token.token();
                                              else
                                                  clickError.note(s.error_message());
                                              done(ok);
                                          });
        },
        &clickFailures);
    if (clickFailures > 0) {
        std::fprintf(stderr, "flywheel-bench: %lld of %lld invite clicks failed (%s); no registration rate\n",
                     static_cast<long long>(clickFailures), static_cast<long long>(kRegistrations),
                     clickError.message().c_str());
        return false;
    }
    FirstError registerError;
    std::atomic<std::int64_t> registered{0};
    std::int64_t registerFailures = 0;
    const double seconds = runCount(
        kRegistrations, 64,
        [&](std::int64_t n, std::function<void(bool)> done) {
            struct Call {
                grpc::ClientContext context;
                flywheel::v1::RegisterWithInviteRequest request;
                flywheel::v1::Registration registration;
            };
            auto call = std::make_shared<Call>();
            const std::int64_t uid = kFirstUid + n;
            call->request.set_token(tokens[static_cast<std::size_t>(n)]);
            call->request.set_uid(uid);
            call->request.set_device(n % 3 == 0 ? "ios" : "android");
            referral.async()->RegisterWithInvite(
                &call->context, &call->request, &call->registration,
                [call, uid, inviter, &registered, &registerError, done](grpc::Status s) {
                    const bool ok =
                        s.ok() && call->registration.uid() == uid && call->registration.inviter_uid() == inviter;
                    if (ok)
                        ++registered;
                    else
                        registerError.note(s.error_message());
                    done(ok);
                });
        },
        &registerFailures);
    if (registerFailures > 0 || registered != kRegistrations) {
        std::fprintf(stderr, "flywheel-bench: %lld of %lld invite registrations succeeded (%s); no registration rate\n",
                     static_cast<long long>(registered.load()), static_cast<long long>(kRegistrations),
                     registerError.message().c_str());
        return false;
    }
    *perSecond = static_cast<double>(kRegistrations) / seconds;
    return true;
}

/// Scenario `referral`: commission transitions and invite registrations through
/// the API, invite tokens verified in process, and the anti-fraud check in process.
bool referralScenario(Shared &shared)
{
    // Referral: commissions for 40,000 referred orders (20 invitees of one demo
    // user), then each moved pending → reviewing → confirmed through
    // TransitionCommissions, 10 per call and 64 calls in flight; every transition
    // is durable when its call returns.
    constexpr std::int64_t kReferredOrders = 40000;
    constexpr int kIdsPerCall = 10;
    std::int64_t referralFailures = 0;
    double transitionsPerSecond = 0;
    double registerPerSecond = 0;
    {
        auto referral = flywheel::v1::ReferralService::NewStub(shared.client.channels.front());
        auto segmentsStub = flywheel::v1::SegmentService::NewStub(shared.client.channels.front());
        constexpr std::int64_t kInviter = 100001;
        {
            grpc::ClientContext context;
            flywheel::v1::IngestEventsRequest login;
            auto *e = login.add_events();
            e->set_uid(kInviter);
            e->set_type("login");
            e->mutable_ts()->set_seconds(
                std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                    .count());
            flywheel::v1::IngestEventsResponse applied;
            if (const grpc::Status s = segmentsStub->IngestEvents(&context, login, &applied);
                !s.ok() || applied.applied() != 1) {
                std::fprintf(stderr, "flywheel-bench: the inviter's login event: %s\n", s.error_message().c_str());
                return false;
            }
        }
        grpc::ClientContext linkContext;
        flywheel::v1::GetInviteLinkRequest linkRequest;
        linkRequest.set_uid(kInviter);
        linkRequest.set_campaign_id("bench");
        flywheel::v1::InviteLink link;
        if (const grpc::Status s = referral->GetInviteLink(&linkContext, linkRequest, &link); !s.ok()) {
            std::fprintf(stderr, "flywheel-bench: GetInviteLink: %s\n", s.error_message().c_str());
            return false;
        }
        std::vector<std::int64_t> invitees;
        for (int i = 0; i < 20; ++i) {
            const std::int64_t uid = 40000001 + i;
            grpc::ClientContext clickContext;
            flywheel::v1::ClickInviteRequest click;
            click.set_ref_code(link.ref_code());
            click.set_visitor_uid(uid);
            click.set_ip("10.1." + std::to_string(i) + ".1");
            click.set_device_fingerprint("bench-" + std::to_string(i));
            flywheel::v1::InviteToken token;
            grpc::Status s = referral->ClickInvite(&clickContext, click, &token);
            if (s.ok()) {
                grpc::ClientContext regContext;
                flywheel::v1::RegisterWithInviteRequest reg;
                reg.set_token(token.token());
                reg.set_uid(uid);
                reg.set_device("android");
                flywheel::v1::Registration registration;
                s = referral->RegisterWithInvite(&regContext, reg, &registration);
            }
            if (!s.ok()) {
                std::fprintf(stderr, "flywheel-bench: invite %d: %s\n", i, s.error_message().c_str());
                return false;
            }
            invitees.push_back(uid);
        }
        const std::function<void(std::int64_t, std::function<void(bool)>)> referredOrder =
            [&](std::int64_t n, std::function<void(bool)> done) {
                struct Call {
                    grpc::ClientContext create;
                    grpc::ClientContext pay;
                    flywheel::v1::CreateOrderRequest request;
                    flywheel::v1::PayOrderRequest payRequest;
                    flywheel::v1::Order order;
                };
                auto call = std::make_shared<Call>();
                call->request.set_uid(invitees[static_cast<std::size_t>(n) % invitees.size()]);
                call->request.set_channel("app");
                call->request.set_idempotency_key("ref-create-" + std::to_string(n));
                auto *item = call->request.add_items();
                item->set_sku(kSkus[n % 7]);
                item->set_quantity(1);
                auto *stub = shared.client.orders[static_cast<std::size_t>(n) % shared.client.orders.size()].get();
                stub->async()->CreateOrder(
                    &call->create, &call->request, &call->order, [call, stub, n, done](grpc::Status s) {
                        if (!s.ok())
                            return done(false);
                        call->payRequest.set_order_id(call->order.order_id());
                        call->payRequest.set_idempotency_key("ref-pay-" + std::to_string(n));
                        stub->async()->PayOrder(&call->pay, &call->payRequest, &call->order,
                                                [call, done](grpc::Status paid) { done(paid.ok()); });
                    });
            };
        std::int64_t orderFailures = 0;
        runCount(kReferredOrders, 128, referredOrder, &orderFailures);
        referralFailures += orderFailures;
        // The commissions are created once the payments are committed: one pending
        // commission per paid order must appear, or there is nothing to measure.
        const std::int64_t expected = kReferredOrders - orderFailures;
        std::vector<std::int64_t> ids;
        const auto pollDeadline = Clock::now() + 60s;
        for (;;) {
            ids.clear();
            std::int64_t before = 0;
            for (;;) {
                grpc::ClientContext context;
                flywheel::v1::ListCommissionsRequest list;
                list.add_states(flywheel::v1::COMMISSION_STATE_PENDING);
                list.set_limit(2000);
                list.set_before_id(before);
                flywheel::v1::ListCommissionsResponse page;
                if (const grpc::Status s = referral->ListCommissions(&context, list, &page); !s.ok()) {
                    std::fprintf(stderr, "flywheel-bench: ListCommissions: %s\n", s.error_message().c_str());
                    return false;
                }
                if (page.commissions().empty())
                    break;
                for (const auto &c : page.commissions())
                    ids.push_back(c.id());
                before = page.commissions().rbegin()->id();
            }
            if (static_cast<std::int64_t>(ids.size()) >= expected)
                break;
            if (Clock::now() > pollDeadline) {
                std::fprintf(stderr,
                             "flywheel-bench: %zu pending commissions 60 s after %lld referred orders were paid, "
                             "expected %lld; no transition rate\n",
                             ids.size(), static_cast<long long>(expected), static_cast<long long>(expected));
                return false;
            }
            std::this_thread::sleep_for(100ms);
        }
        const auto calls = static_cast<std::int64_t>((ids.size() + kIdsPerCall - 1) / kIdsPerCall);
        double seconds = 0;
        std::int64_t transitioned = 0;
        std::mutex countMutex;
        for (const auto to : {flywheel::v1::COMMISSION_STATE_REVIEWING, flywheel::v1::COMMISSION_STATE_CONFIRMED}) {
            const std::function<void(std::int64_t, std::function<void(bool)>)> transition =
                [&, to](std::int64_t n, std::function<void(bool)> done) {
                    struct Call {
                        grpc::ClientContext context;
                        flywheel::v1::TransitionCommissionsRequest request;
                        flywheel::v1::TransitionCommissionsResponse response;
                    };
                    auto call = std::make_shared<Call>();
                    call->request.set_to(to);
                    for (std::int64_t i = n * kIdsPerCall;
                         i < std::min<std::int64_t>((n + 1) * kIdsPerCall, static_cast<std::int64_t>(ids.size())); ++i)
                        call->request.add_ids(ids[static_cast<std::size_t>(i)]);
                    auto *stub = referral.get();
                    stub->async()->TransitionCommissions(&call->context, &call->request, &call->response,
                                                         [call, done, &transitioned, &countMutex](grpc::Status s) {
                                                             std::int64_t ok = 0;
                                                             for (const auto &r : call->response.results())
                                                                 ok += r.ok() ? 1 : 0;
                                                             {
                                                                 const std::lock_guard lock(countMutex);
                                                                 transitioned += ok;
                                                             }
                                                             done(s.ok() && ok == call->request.ids_size());
                                                         });
                };
            seconds += runCount(calls, 64, transition, &referralFailures);
        }
        if (transitioned != 2 * static_cast<std::int64_t>(ids.size())) {
            std::fprintf(stderr, "flywheel-bench: %lld of %zu commission transitions succeeded; no transition rate\n",
                         static_cast<long long>(transitioned), 2 * ids.size());
            return false;
        }
        transitionsPerSecond = static_cast<double>(transitioned) / seconds;
        if (!measureInviteRegistrations(*referral, link.ref_code(), kInviter, &registerPerSecond))
            return false;
    }

    // Invite tokens: verification with the replay check, in this process (no gRPC,
    // no storage), on two threads (the machine's cores), over 400,000 distinct tokens.
    double verifyPerSecond = 0;
    {
        const flywheel::referral::InviteTokens tokens(std::string(32, 'k'));
        constexpr int kTokens = 400000;
        std::vector<std::string> issued;
        issued.reserve(kTokens);
        const std::int64_t now =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        for (int i = 0; i < kTokens; ++i) {
            flywheel::referral::InviteClaims claims;
            claims.uid = 50000000 + i;
            claims.inviterId = 100001;
            claims.inviteTime = now;
            claims.exp = now + 86400;
            claims.jti = flywheel::referral::InviteTokens::newJti();
            issued.push_back(tokens.issue(claims));
        }
        flywheel::referral::JtiRegistry registry;
        std::atomic<std::int64_t> accepted{0};
        const auto began = Clock::now();
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t) {
            threads.emplace_back([&, t] {
                std::int64_t ok = 0;
                for (int i = t; i < kTokens; i += 2) {
                    auto result = tokens.verify(issued[static_cast<std::size_t>(i)], now, 60);
                    if (const auto *claims = std::get_if<flywheel::referral::InviteClaims>(&result))
                        ok += registry.claim(claims->jti, claims->exp) ? 1 : 0;
                }
                accepted += ok;
            });
        }
        for (auto &t : threads)
            t.join();
        verifyPerSecond = static_cast<double>(kTokens) / std::chrono::duration<double>(Clock::now() - began).count();
        if (accepted != kTokens) {
            std::fprintf(stderr, "flywheel-bench: %lld of %d tokens verified\n",
                         static_cast<long long>(accepted.load()), kTokens);
            return false;
        }
    }

    // Anti-fraud: one IP + device check against windows populated by 100,000 IPs
    // and devices, with time moving on as in real traffic (a million checks over
    // an hour), on one thread.
    double antifraudNs = 0;
    {
        flywheel::referral::ClickLimiter limiter;
        const flywheel::referral::ClickLimiter::Limits limits;
        constexpr int kKeys = 100000;
        std::vector<std::string> ips;
        std::vector<std::string> devices;
        std::mt19937_64 rng(7);
        for (int i = 0; i < kKeys; ++i) {
            ips.push_back(std::to_string(rng() % 224 + 1) + "." + std::to_string(rng() % 256) + "." +
                          std::to_string(rng() % 256) + "." + std::to_string(rng() % 256));
            devices.push_back("fp-" + std::to_string(rng()));
        }
        const auto t0 = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
        for (int i = 0; i < kKeys * 2; ++i)
            limiter.admit(ips[static_cast<std::size_t>(i % kKeys)], devices[static_cast<std::size_t>(i % kKeys)], t0,
                          limits);
        constexpr int kChecks = 1000000;
        std::vector<std::size_t> picks(kChecks);
        for (auto &p : picks)
            p = static_cast<std::size_t>(rng() % kKeys);
        std::int64_t refused = 0;
        const auto began = Clock::now();
        for (int i = 0; i < kChecks; ++i) {
            const std::size_t k = picks[static_cast<std::size_t>(i)];
            refused +=
                limiter.admit(ips[k], devices[(k * 7) % kKeys], t0 + std::chrono::milliseconds(i * 3), limits) ? 1 : 0;
        }
        antifraudNs = std::chrono::duration<double, std::nano>(Clock::now() - began).count() / kChecks;
        if (refused == 0 || refused == kChecks) {
            std::fprintf(stderr, "flywheel-bench: the anti-fraud check refused %lld of %d\n",
                         static_cast<long long>(refused), kChecks);
            return false;
        }
    }

    print("commission_transitions_per_s", transitionsPerSecond);
    print("commission_transitions_per_call", static_cast<std::int64_t>(kIdsPerCall));
    print("referral_failed_calls", referralFailures);
    print("invite_verify_per_s", verifyPerSecond); // the old name of the next figure
    print("invite_verify_in_process_per_s", verifyPerSecond);
    print("invite_register_per_s", registerPerSecond);
    print("antifraud_check_ns", antifraudNs);
    return true;
}

/// Calls grpc.health.v1.Health/Check on `target` until it answers SERVING (the
/// bytes 08 01) or `deadline` passes.
bool waitForServing(const std::string &target, Clock::time_point deadline)
{
    const auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
    grpc::GenericStub generic(channel);
    std::string last = "no answer";
    while (Clock::now() < deadline) {
        grpc::ClientContext context;
        context.set_wait_for_ready(true);
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::duration_cast<std::chrono::system_clock::duration>(deadline - Clock::now()));
        grpc::Slice empty(std::string{});
        grpc::ByteBuffer request(&empty, 1);
        grpc::ByteBuffer response;
        std::mutex mutex;
        std::condition_variable answered;
        std::optional<grpc::Status> status;
        generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                          [&](grpc::Status s) {
                              const std::lock_guard lock(mutex);
                              status = std::move(s);
                              answered.notify_all();
                          });
        std::unique_lock lock(mutex);
        answered.wait(lock, [&] { return status.has_value(); });
        if (status->ok()) {
            std::vector<grpc::Slice> slices;
            std::string bytes;
            if (response.Dump(&slices).ok())
                for (const auto &slice : slices)
                    bytes.append(reinterpret_cast<const char *>(slice.begin()), slice.size());
            if (bytes == std::string("\x08\x01", 2))
                return true;
            last = "not SERVING";
        } else {
            last = status->error_message();
        }
        std::this_thread::sleep_for(1ms);
    }
    std::fprintf(stderr, "flywheel-bench: %s never answered its health check with SERVING (%s)\n", target.c_str(),
                 last.c_str());
    return false;
}

/// The number of orders in the SQLite database at `path`, opened read-only; -1
/// (with a line on stderr) when it cannot be counted.
std::int64_t countOrders(const std::string &path)
{
    sqlite3 *opened = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &opened, SQLITE_OPEN_READONLY, nullptr);
    const std::unique_ptr<sqlite3, int (*)(sqlite3 *)> db(opened, sqlite3_close);
    sqlite3_stmt *prepared = nullptr;
    if (rc != SQLITE_OK ||
        sqlite3_prepare_v2(db.get(), "SELECT COUNT(*) FROM orders", -1, &prepared, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "flywheel-bench: cannot count the orders in %s: %s\n", path.c_str(),
                     db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc));
        return -1;
    }
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> statement(prepared, sqlite3_finalize);
    if (sqlite3_step(statement.get()) != SQLITE_ROW) {
        std::fprintf(stderr, "flywheel-bench: cannot count the orders in %s: %s\n", path.c_str(),
                     sqlite3_errmsg(db.get()));
        return -1;
    }
    return sqlite3_column_int64(statement.get(), 0);
}

/// Scenario `restart`: how long flywheeld takes from start to serving on a
/// database with about 2 million orders of history, and its memory then.
bool restartScenario(const std::filesystem::path &binary)
{
    // Two weeks of seeded history at 6,250 orders an hour on average (the demo's
    // daily shape averages 0.955 of it): about 2.0 million orders.
    constexpr int kRestarts = 3;
    const TempDir dir;
    const std::string db = (dir.path() / "history.sqlite").string();
    const std::vector<std::string> args{"--db", db, "--listen", "127.0.0.1:0", "--seed-demo", "--history-per-hour",
                                        "6250"};
    {
        Daemon seeding(binary, args, dir.path() / "seeding.log");
        if (!seeding.start(900s))
            return false;
        if (!seeding.stop()) {
            std::fprintf(stderr, "flywheel-bench: the flywheeld that seeded %s did not stop cleanly\n", db.c_str());
            return false;
        }
    }
    const std::int64_t orders = countOrders(db);
    if (orders < 0)
        return false;
    if (orders < 1900000 || orders > 2100000) {
        std::fprintf(stderr, "flywheel-bench: the seeded database holds %lld orders, not about 2 million\n",
                     static_cast<long long>(orders));
        return false;
    }
    // The same command line again, as an operator restarts it: start to health
    // SERVING, and the resident memory at that moment.
    std::vector<double> readyMs;
    std::vector<double> rssMb;
    for (int round = 0; round < kRestarts; ++round) {
        Daemon daemon(binary, args, dir.path() / "restart.log");
        const auto started = Clock::now();
        if (!daemon.start(600s) || !waitForServing(daemon.target(), started + 600s))
            return false;
        readyMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
        const std::int64_t rss = residentBytes(daemon.pid());
        if (rss <= 0) {
            std::fprintf(stderr, "flywheel-bench: cannot read the resident memory of flywheeld (pid %d)\n",
                         static_cast<int>(daemon.pid()));
            return false;
        }
        rssMb.push_back(static_cast<double>(rss) / (1024.0 * 1024.0));
        if (!daemon.stop()) {
            std::fprintf(stderr, "flywheel-bench: flywheeld did not stop cleanly after restart %d\n", round + 1);
            return false;
        }
    }
    print("restart_orders", orders);
    print("restart_ready_ms_2m_orders", medianOf(readyMs));
    print("restart_ready_ms_2m_orders_rounds", readyMs);
    print("restart_rss_mb_2m_orders", medianOf(rssMb));
    return true;
}

/// Scenario `memory`: how the daemon's resident memory grows per order under a
/// steady load whose order book is level. Orders arrive at 3,000 a second and are
/// never paid; their reservations expire after 20 s, so after the settle period as
/// many orders expire as arrive, and what still grows is what the daemon keeps per
/// order ever created.
bool memoryScenario(const Settings &settings, const std::filesystem::path &binary, std::int64_t *skippedSends)
{
    constexpr double kRate = 3000;
    const TempDir dir;
    Daemon daemon(binary,
                  {"--db", (dir.path() / "memory.sqlite").string(), "--listen", "127.0.0.1:0", "--seed-demo",
                   "--history-per-hour", "0", "--reservation-ttl", "20"},
                  dir.path() / "flywheeld.log");
    if (!daemon.start(120s))
        return false;
    Client client(daemon.target(), settings.options.channels);
    if (!client.stock(10000000))
        return false;
    std::int64_t rssStart = -1;
    std::int64_t rssEnd = -1;
    const pid_t pid = daemon.pid();
    const auto end = Clock::now() + settings.memorySettle + settings.memoryWindow;
    const Result load = openLoop(OpenLoopPlan{kRate, settings.memorySettle,
                                              [&](Clock::time_point now) {
                                                  if (now < end)
                                                      return false;
                                                  rssEnd = residentBytes(pid);
                                                  return true;
                                              },
                                              [&] { rssStart = residentBytes(pid); }},
                                 client.createOrder);
    *skippedSends += load.skipped;
    if (rssStart <= 0 || rssEnd <= 0) {
        std::fprintf(stderr, "flywheel-bench: cannot read the resident memory of flywheeld (pid %d)\n",
                     static_cast<int>(pid));
        return false;
    }
    print("memory_orders", load.completed);
    print("memory_failed_orders", load.failures);
    // A load that did not arrive as planned says nothing about memory per order.
    if (load.completed == 0 || load.failures * 100 > load.due) {
        std::fprintf(stderr,
                     "flywheel-bench: %lld of %lld orders failed or were never sent (more than 1 %%); "
                     "no memory growth figure\n",
                     static_cast<long long>(load.failures), static_cast<long long>(load.due));
        return false;
    }
    print("memory_rss_start_mb", static_cast<double>(rssStart) / (1024.0 * 1024.0));
    print("memory_rss_end_mb", static_cast<double>(rssEnd) / (1024.0 * 1024.0));
    print("memory_growth_bytes_per_order",
          static_cast<double>(rssEnd - rssStart) / static_cast<double>(load.completed));
    return true;
}

/// The scenarios in the order they run, whatever order `--only` names them in.
const char *const kScenarios[] = {"money", "pricing", "segments", "referral", "restart", "memory"};
/// The first of them share one daemon.
const char *const kSharedScenarios[] = {"money", "pricing", "segments", "referral"};

void printUsage(std::FILE *out)
{
    std::fprintf(out, "Usage: flywheel-bench [--duration SECONDS] [--only LIST | --money-only]\n"
                      "                      [--memory-settle SECONDS] [--memory-window SECONDS]\n"
                      "\n"
                      "Measures flywheeld children over loopback gRPC and prints key=value lines.\n"
                      "\n"
                      "  --duration SECONDS  measured time of one round of a rate (default 4)\n"
                      "  --only LIST         run only these scenarios, a comma list of:\n"
                      "                      money, pricing, segments, referral, restart, memory\n"
                      "  --money-only        the order path only: the same as --only money,pricing\n"
                      "  --memory-settle SECONDS  load before the memory scenario measures (default 90)\n"
                      "  --memory-window SECONDS  the memory scenario's measured window (default 120)\n"
                      "  -h, --help          show this help and exit\n"
                      "\n"
                      "Exit codes: 0 when every figure was measured, 1 when a measurement failed (the\n"
                      "reason is on stderr), 2 for a command-line mistake, 3 when another flywheeld or\n"
                      "flywheel-bench is running on this machine. SIGINT or SIGTERM stops the flywheeld\n"
                      "children and removes the temporary files.\n");
}

int usageError(const std::string &message)
{
    std::fprintf(stderr, "flywheel-bench: %s\n\n", message.c_str());
    printUsage(stderr);
    return 2;
}

/// Parses the command line into `settings`; returns an exit code when the bench
/// must not run (-1 when it should).
int parseCommandLine(int argc, char **argv, Settings &settings)
{
    bool moneyOnly = false;
    bool onlyGiven = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto seconds = [&](std::chrono::seconds &into) {
            if (i + 1 == argc) {
                usageError(arg + " needs a whole number of seconds from 1 to 3600");
                return false;
            }
            const std::string value = argv[++i];
            char *end = nullptr;
            const long n = std::strtol(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || n <= 0 || n > 3600) {
                usageError(arg + " needs a whole number of seconds from 1 to 3600, got \"" + value + "\"");
                return false;
            }
            into = std::chrono::seconds(n);
            return true;
        };
        if (arg == "--duration") {
            if (!seconds(settings.options.duration))
                return 2;
        } else if (arg == "--memory-settle") {
            if (!seconds(settings.memorySettle))
                return 2;
        } else if (arg == "--memory-window") {
            if (!seconds(settings.memoryWindow))
                return 2;
        } else if (arg == "--money-only") {
            moneyOnly = true;
        } else if (arg == "--only") {
            if (i + 1 == argc)
                return usageError("--only needs a comma list of scenarios");
            onlyGiven = true;
            std::stringstream list(argv[++i]);
            std::string name;
            while (std::getline(list, name, ',')) {
                if (std::find(std::begin(kScenarios), std::end(kScenarios), name) == std::end(kScenarios)) {
                    std::string known;
                    for (const char *s : kScenarios)
                        known += std::string(known.empty() ? "" : ", ") + s;
                    return usageError("--only: unknown scenario \"" + name + "\"; the scenarios are " + known);
                }
                settings.only.insert(name);
            }
            if (settings.only.empty())
                return usageError("--only needs a comma list of scenarios");
        } else if (arg == "-h" || arg == "--help") {
            printUsage(stdout);
            return 0;
        } else {
            return usageError("unknown option " + arg);
        }
    }
    if (moneyOnly && onlyGiven)
        return usageError("--money-only and --only cannot be combined; --money-only is --only money,pricing");
    if (moneyOnly)
        settings.only = {"money", "pricing"};
    return -1;
}

/// Runs the scenarios on the shared daemon; false when one failed.
bool runShared(const Settings &settings, const std::filesystem::path &binary, std::int64_t *skippedSends)
{
    const TempDir dir;
    const std::filesystem::path pricingFile = dir.path() / "pricing.yaml";
    std::ofstream(pricingFile) << "rules: []\n";
    Daemon daemon(binary,
                  {"--db", (dir.path() / "bench.sqlite").string(), "--listen", "127.0.0.1:0", "--seed-demo",
                   "--history-per-hour", "0", "--pricing", pricingFile.string()},
                  dir.path() / "flywheeld.log");
    if (!daemon.start(60s))
        return false;
    Client client(daemon.target(), settings.options.channels);
    // Enough stock that no order of the run is refused for the lack of it.
    if (!client.stock(10000000))
        return false;
    Shared shared{settings.options, pricingFile, client};
    if (settings.runs("money") && !moneyScenario(shared))
        return false;
    if (settings.runs("pricing") && !pricingScenario(shared))
        return false;
    if (settings.runs("segments") && !segmentsScenario(shared))
        return false;
    if (settings.runs("referral") && !referralScenario(shared))
        return false;
    *skippedSends += shared.skippedSends;
    if (settings.runs("money") || settings.runs("pricing"))
        print("failed_calls", shared.failedCalls);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    // As flywheeld does (Backend::start): no lock-order graph for every gRPC mutex;
    // Debian's Abseil keeps one, which costs the client about a microsecond a call.
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    Settings settings;
    if (const int exitCode = parseCommandLine(argc, argv, settings); exitCode >= 0)
        return exitCode;
    if (const std::string others = otherBenchProcesses(); !others.empty()) {
        std::fprintf(stderr,
                     "flywheel-bench: not starting: already running on this machine: %s. A benchmark next to "
                     "another one or next to a daemon halves every figure; stop them and run again.\n",
                     others.c_str());
        return 3;
    }
    cleanUpOnStopSignals();
    try {
        const std::filesystem::path binary = std::filesystem::canonical("/proc/self/exe").parent_path() / "flywheeld";
        const bool shared = std::any_of(std::begin(kSharedScenarios), std::end(kSharedScenarios),
                                        [&](const char *s) { return settings.runs(s); });
        std::int64_t skippedSends = 0;
        if (shared && !runShared(settings, binary, &skippedSends))
            return 1;
        if (settings.runs("restart") && !restartScenario(binary))
            return 1;
        if (settings.runs("memory") && !memoryScenario(settings, binary, &skippedSends))
            return 1;
        if (settings.runs("money") || settings.runs("pricing") || settings.runs("memory"))
            print("openloop_skipped_sends", skippedSends); // every open loop's, each a failed call too
    } catch (const std::exception &e) {
        std::fprintf(stderr, "flywheel-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
