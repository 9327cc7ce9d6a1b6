// flywheel-bench: measures a flywheeld child process over loopback gRPC and prints
// key=value lines. Both sides of every ratio are measured in the same run against
// the same daemon.

#include "flywheel/v1/inventory.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/pricing.grpc.pb.h"
#include "flywheel/v1/referral.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"
#include "flywheel/v1/system.grpc.pb.h"

#include "domain/referral/ClickLimiter.h"
#include "domain/referral/JtiRegistry.h"
#include "domain/segments/Expression.h"
#include "domain/segments/ProfileStore.h"
#include "referral/InviteTokens.h"

#include <absl/synchronization/mutex.h>
#include <google/protobuf/arena.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/grpcpp.h>

#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

extern char **environ;

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

struct Options {
    std::chrono::seconds duration{4};
    int channels = 4;
    int inFlightPerChannel = 64;
};

/// One asynchronous call: its context, and its request and response on an arena
/// whose first block is part of the call, as a storefront client would keep them
/// (the daemon does the same for the order calls). Both sides of each ratio use it.
template <typename Request, typename Response>
struct ArenaCall {
    ArenaCall() : arena(options(block)) {}
    static google::protobuf::ArenaOptions options(std::array<char, 4096> &b)
    {
        google::protobuf::ArenaOptions o;
        o.initial_block = b.data();
        o.initial_block_size = b.size();
        return o;
    }
    grpc::ClientContext context;
    alignas(std::max_align_t) std::array<char, 4096> block;
    google::protobuf::Arena arena;
    Request *request = google::protobuf::Arena::CreateMessage<Request>(&arena);
    Response *response = google::protobuf::Arena::CreateMessage<Response>(&arena);
};

/// The daemon under test, on a fresh database in a temporary directory.
class Daemon {
public:
    explicit Daemon(const std::filesystem::path &binary)
    {
        m_dir = std::filesystem::temp_directory_path() / ("flywheel-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir);
        m_pricing = m_dir / "pricing.yaml";
        std::ofstream(m_pricing) << "rules: []\n";
        const std::string db = (m_dir / "bench.sqlite").string();
        const std::string out = (m_dir / "stdout").string();
        const std::string bin = binary.string();
        std::vector<std::string> args{bin,
                                      "--db",
                                      db,
                                      "--listen",
                                      "127.0.0.1:0",
                                      "--seed-demo",
                                      "--history-per-hour",
                                      "0",
                                      "--pricing",
                                      m_pricing.string()};
        std::vector<char *> argv;
        for (auto &a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        // The daemon gets SIGTERM when the bench dies, however it dies: no orphan
        // flywheeld is left holding a port and a database.
        const pid_t parent = getpid();
        m_pid = fork();
        if (m_pid < 0) {
            std::fprintf(stderr, "flywheel-bench: cannot start %s: %s\n", bin.c_str(), std::strerror(errno));
            std::exit(1);
        }
        if (m_pid == 0) { // only async-signal-safe calls until exec
            prctl(PR_SET_PDEATHSIG, SIGTERM);
            if (getppid() != parent)
                _exit(1);
            const int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            if (fd < 0 || dup2(fd, 1) < 0)
                _exit(1);
            execv(bin.c_str(), argv.data());
            _exit(127);
        }
        const std::regex listening("listening on 127\\.0\\.0\\.1:(\\d+)");
        for (int i = 0; i < 300 && m_port == 0; ++i) {
            std::this_thread::sleep_for(100ms);
            std::ifstream in(out);
            const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
            std::smatch match;
            if (std::regex_search(text, match, listening))
                m_port = std::stoi(match[1]);
        }
        if (m_port == 0) {
            std::fprintf(stderr, "flywheel-bench: flywheeld did not start\n");
            stop();
            std::exit(1);
        }
    }
    ~Daemon() { stop(); }

    int port() const { return m_port; }
    const std::filesystem::path &pricingFile() const { return m_pricing; }

    void stop()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGTERM);
            int status = 0;
            ::waitpid(m_pid, &status, 0);
            m_pid = -1;
        }
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }

private:
    std::filesystem::path m_dir;
    std::filesystem::path m_pricing;
    pid_t m_pid = -1;
    int m_port = 0;
};

/// Sends calls with the callback API and records each one's latency.
/// `issue(done)` starts one call and must eventually call done(ok).
using Issue = std::function<void(std::function<void(bool)>)>;

struct Result {
    double qps = 0;
    std::vector<double> latenciesMs;
    std::int64_t failures = 0;

    double percentile(double p)
    {
        if (latenciesMs.empty())
            return 0;
        std::sort(latenciesMs.begin(), latenciesMs.end());
        const auto index = static_cast<std::size_t>(p * static_cast<double>(latenciesMs.size() - 1));
        return latenciesMs[index];
    }
};

class Recorder {
public:
    void completed(Clock::time_point started, bool ok)
    {
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
        const std::lock_guard lock(m_mutex);
        if (m_measuring) {
            if (ok) {
                m_result.latenciesMs.push_back(ms);
                ++m_completed;
            } else {
                ++m_result.failures;
            }
        }
        --m_inFlight;
        m_changed.notify_all();
    }
    void started()
    {
        const std::lock_guard lock(m_mutex);
        ++m_inFlight;
    }
    std::int64_t inFlight()
    {
        const std::lock_guard lock(m_mutex);
        return m_inFlight;
    }
    void startMeasuring()
    {
        const std::lock_guard lock(m_mutex);
        m_measuring = true;
        m_completed = 0;
        m_begin = Clock::now();
    }
    Result finish()
    {
        std::unique_lock lock(m_mutex);
        const double seconds = std::chrono::duration<double>(Clock::now() - m_begin).count();
        m_result.qps = static_cast<double>(m_completed) / seconds;
        m_measuring = false;
        m_changed.wait_for(lock, 30s, [this] { return m_inFlight == 0; });
        return m_result;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_measuring = false;
    std::int64_t m_inFlight = 0;
    std::int64_t m_completed = 0;
    Clock::time_point m_begin;
    Result m_result;
};

/// As fast as the server answers: a fixed number of calls always in flight. The
/// loop's state lives as long as any call still refers to it.
Result closedLoop(const Options &options, const Issue &issue)
{
    struct Loop : std::enable_shared_from_this<Loop> {
        explicit Loop(const Issue &i) : issue(i) {}
        const Issue &issue;
        Recorder recorder;
        std::atomic<bool> stopping{false};
        void next()
        {
            if (stopping)
                return;
            recorder.started();
            const auto started = Clock::now();
            issue([self = shared_from_this(), started](bool ok) {
                self->recorder.completed(started, ok);
                self->next();
            });
        }
    };
    const auto loop = std::make_shared<Loop>(issue);
    const int total = options.channels * options.inFlightPerChannel;
    for (int i = 0; i < total; ++i)
        loop->next();
    std::this_thread::sleep_for(1s); // warm-up
    loop->recorder.startMeasuring();
    std::this_thread::sleep_for(options.duration);
    loop->stopping = true;
    return loop->recorder.finish();
}

/// Exactly `total` calls, `concurrency` in flight; returns the seconds taken and
/// counts failures.
double runCount(std::int64_t total, int concurrency,
                const std::function<void(std::int64_t, std::function<void(bool)>)> &issue, std::int64_t *failures)
{
    struct Run : std::enable_shared_from_this<Run> {
        std::mutex mutex;
        std::condition_variable done;
        std::int64_t next = 0;
        std::int64_t completed = 0;
        std::int64_t failed = 0;
        std::int64_t total = 0;
        const std::function<void(std::int64_t, std::function<void(bool)>)> *issue = nullptr;
        void start()
        {
            std::int64_t n = 0;
            {
                const std::lock_guard lock(mutex);
                if (next >= total)
                    return;
                n = next++;
            }
            (*issue)(n, [self = shared_from_this()](bool ok) {
                {
                    const std::lock_guard lock(self->mutex);
                    ++self->completed;
                    if (!ok)
                        ++self->failed;
                }
                self->done.notify_all();
                self->start();
            });
        }
    };
    auto run = std::make_shared<Run>();
    run->total = total;
    run->issue = &issue;
    const auto began = Clock::now();
    for (int i = 0; i < concurrency; ++i)
        run->start();
    std::unique_lock lock(run->mutex);
    run->done.wait(lock, [&] { return run->completed == run->total; });
    *failures += run->failed;
    return std::chrono::duration<double>(Clock::now() - began).count();
}

/// A steady arrival rate, whatever the latency: what a storefront sends. Runs until
/// `until` says stop (after a one-second warm-up that is not measured).
Result openLoop(double rate, const Issue &issue, const std::function<bool(Clock::time_point)> &until)
{
    const auto recorder = std::make_shared<Recorder>();
    const auto begin = Clock::now();
    const auto warmUpEnd = begin + 1s;
    std::int64_t sent = 0;
    bool measuring = false;
    for (auto now = Clock::now(); !until(now); now = Clock::now()) {
        if (!measuring && now >= warmUpEnd) {
            recorder->startMeasuring();
            measuring = true;
        }
        const auto due = static_cast<std::int64_t>(std::chrono::duration<double>(now - begin).count() * rate);
        while (sent < due) {
            ++sent;
            if (recorder->inFlight() > 20000)
                continue; // the server is far behind; count nothing, keep the pace
            recorder->started();
            const auto started = Clock::now();
            issue([recorder, started](bool ok) { recorder->completed(started, ok); });
        }
        std::this_thread::sleep_for(200us);
    }
    if (!measuring)
        recorder->startMeasuring();
    return recorder->finish();
}

Result openLoop(const Options &options, double rate, const Issue &issue)
{
    const auto end = Clock::now() + 1s + options.duration;
    return openLoop(rate, issue, [end](Clock::time_point now) { return now >= end; });
}

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

void print(const char *key, double value)
{
    std::printf("%s=%.3f\n", key, value);
}
void print(const char *key, std::int64_t value)
{
    std::printf("%s=%lld\n", key, static_cast<long long>(value));
}
void print(const char *key, const std::vector<double> &values)
{
    std::printf("%s=", key);
    for (std::size_t i = 0; i < values.size(); ++i)
        std::printf("%s%.3f", i == 0 ? "" : ",", values[i]);
    std::printf("\n");
}

} // namespace

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

int main(int argc, char **argv)
{
    // As flywheeld does (Backend::start): no lock-order graph for every gRPC mutex;
    // Debian's Abseil keeps one, which costs the client about a microsecond a call.
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    Options options;
    bool moneyOnly = false; // only the order path's figures: for profiling it
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--duration" && i + 1 < argc) {
            options.duration = std::chrono::seconds(std::atoi(argv[++i]));
            if (options.duration.count() <= 0) {
                std::fprintf(stderr, "flywheel-bench: --duration needs a positive number of seconds\n");
                return 2;
            }
        } else if (arg == "--money-only") {
            moneyOnly = true;
        } else {
            std::fprintf(
                stderr,
                "flywheel-bench: unknown option %s\nUsage: flywheel-bench [--duration SECONDS] [--money-only]\n",
                arg.c_str());
            return 2;
        }
    }

    const std::filesystem::path self = std::filesystem::canonical("/proc/self/exe");
    Daemon daemon(self.parent_path() / "flywheeld");
    const std::string target = "127.0.0.1:" + std::to_string(daemon.port());

    std::vector<std::shared_ptr<grpc::Channel>> channels;
    for (int i = 0; i < options.channels; ++i) {
        grpc::ChannelArguments args;
        args.SetInt("flywheel.bench.channel", i); // distinct channels, distinct connections
        channels.push_back(grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args));
    }
    std::vector<std::unique_ptr<flywheel::v1::SystemService::Stub>> system;
    std::vector<std::unique_ptr<flywheel::v1::OrderService::Stub>> orders;
    for (const auto &channel : channels) {
        system.push_back(flywheel::v1::SystemService::NewStub(channel));
        orders.push_back(flywheel::v1::OrderService::NewStub(channel));
    }

    std::atomic<std::uint64_t> counter{0};
    const Issue ping = [&](std::function<void(bool)> done) {
        using Call = ArenaCall<flywheel::v1::PingRequest, flywheel::v1::PingResponse>;
        auto call = std::make_shared<Call>();
        const auto n = counter++;
        system[n % system.size()]->async()->Ping(&call->context, call->request, call->response,
                                                 [call, done](grpc::Status s) { done(s.ok()); });
    };
    const char *skus[] = {"ELE-1001", "HOM-1002", "BEA-1003", "SPO-1004", "GRO-1005", "TOY-1006", "FAS-1007"};
    const Issue createOrder = [&](std::function<void(bool)> done) {
        using Call = ArenaCall<flywheel::v1::CreateOrderRequest, flywheel::v1::Order>;
        auto call = std::make_shared<Call>();
        const auto n = counter++;
        flywheel::v1::CreateOrderRequest &request = *call->request;
        request.set_uid(100001 + static_cast<std::int64_t>(n % 12000));
        request.set_channel("app");
        request.set_idempotency_key("bench-" + std::to_string(n));
        for (int i = 0; i < 2; ++i) {
            auto *item = request.add_items();
            item->set_sku(skus[(n + i) % 7]);
            item->set_quantity(1 + static_cast<std::int64_t>(n % 2));
        }
        orders[n % orders.size()]->async()->CreateOrder(&call->context, call->request, call->response,
                                                        [call, done](grpc::Status s) { done(s.ok()); });
    };

    auto pricing = flywheel::v1::PricingService::NewStub(channels.front());
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

    // Enough stock that no order of the run is refused for the lack of it.
    {
        auto inventory = flywheel::v1::InventoryService::NewStub(channels.front());
        for (const char *sku : skus) {
            for (int i = 0; i < 10; ++i) {
                grpc::ClientContext context;
                flywheel::v1::ReceiveStockRequest request;
                request.set_sku(sku);
                request.set_quantity(1000000);
                flywheel::v1::StockLevel level;
                if (const grpc::Status s = inventory->ReceiveStock(&context, request, &level); !s.ok()) {
                    std::fprintf(stderr, "flywheel-bench: could not stock %s: %s\n", sku, s.error_message().c_str());
                    return 1;
                }
            }
        }
    }

    // Each side of a ratio is measured in five rounds, alternating with the other
    // side; a side's rate is its median round, so a moment of noise on this shared
    // VM skews neither side.
    const auto median = [](std::vector<Result> rounds) {
        std::sort(rounds.begin(), rounds.end(), [](const Result &a, const Result &b) { return a.qps < b.qps; });
        Result middle = rounds[rounds.size() / 2];
        middle.failures = 0;
        for (const Result &r : rounds)
            middle.failures += r.failures;
        return middle;
    };
    std::int64_t version = currentVersion();
    const auto loadRules = [&](const std::string &yaml) {
        writeAtomically(daemon.pricingFile(), yaml);
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
    // A ratio is the median of the rounds' ratios: each round measures both sides
    // back to back, so the machine's speed, which drifts by tens of percent here
    // within a minute, is nearly the same for both.
    const auto roundRatios = [](const std::vector<Result> &numerators, const std::vector<Result> &denominators) {
        std::vector<double> ratios;
        for (std::size_t i = 0; i < numerators.size(); ++i)
            ratios.push_back(numerators[i].qps / denominators[i].qps);
        return ratios;
    };
    const auto medianOf = [](std::vector<double> values) {
        std::sort(values.begin(), values.end());
        return values[values.size() / 2];
    };
    constexpr int kRounds = 5;
    std::vector<Result> emptyRounds;
    std::vector<Result> createRounds;
    for (int round = 0; round < kRounds; ++round) {
        emptyRounds.push_back(closedLoop(options, ping));
        createRounds.push_back(closedLoop(options, createOrder));
    }
    Result empty = median(emptyRounds);
    Result create = median(createRounds);
    const std::vector<double> createRatios = roundRatios(createRounds, emptyRounds);
    // The p99 at half rate over twice the round's time: 1 % of a 4-second window
    // is 40 ms of orders, so a single stall of this VM's disk (an fdatasync of the
    // WAL takes 0.5 ms at the median here, and now and then 40 to 110 ms) would
    // decide the figure alone.
    Options halfRate = options;
    halfRate.duration *= 2;
    Result half = openLoop(halfRate, create.qps / 2, createOrder);

    // The same order load with 100 active rules, against none, alternating.
    std::vector<Result> noRuleRounds;
    std::vector<Result> ruleRounds;
    for (int round = 0; round < kRounds; ++round) {
        if (round > 0 && !loadRules("rules: []\n")) // the daemon starts with none
            return 1;
        noRuleRounds.push_back(closedLoop(options, createOrder));
        if (!loadRules(hundredRules(0)))
            return 1;
        ruleRounds.push_back(closedLoop(options, createOrder));
    }
    Result noRules = median(noRuleRounds);
    Result withRules = median(ruleRounds);
    const std::vector<double> rulesRatios = roundRatios(ruleRounds, noRuleRounds);

    // 100 reloads while orders keep arriving at a quarter of the maximum rate: how
    // long until an order is priced by the new set, and whether any request fails.
    std::atomic<bool> loading{true};
    Result background;
    std::thread load(
        [&] { background = openLoop(create.qps / 4, createOrder, [&](Clock::time_point) { return !loading; }); });
    std::vector<double> visibleMs;
    auto probe = orders.front().get();
    std::int64_t probeFailures = 0;
    for (int i = 1; i <= 100; ++i) {
        const auto written = Clock::now();
        writeAtomically(daemon.pricingFile(), hundredRules(i));
        ++version;
        for (;;) {
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + 5s);
            flywheel::v1::CreateOrderRequest request;
            request.set_uid(100001 + i);
            request.set_idempotency_key("probe-" + std::to_string(counter++));
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
                return 1;
            }
        }
        visibleMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - written).count());
    }
    loading = false;
    load.join();
    std::sort(visibleMs.begin(), visibleMs.end());

    print("empty_unary_qps", empty.qps);
    print("empty_unary_p99_ms", empty.percentile(0.99));
    print("order_create_qps", create.qps);
    print("order_create_vs_empty_ratio", medianOf(createRatios));
    print("order_create_vs_empty_ratio_rounds", createRatios);
    print("order_create_p99_ms", half.percentile(0.99));
    print("order_create_p50_ms", half.percentile(0.50));
    print("order_create_p99_rate_qps", half.qps);
    print("order_create_100_rules_qps", withRules.qps);
    print("order_create_no_rules_qps", noRules.qps);
    print("pricing_100_rules_vs_none_ratio", medianOf(rulesRatios));
    print("pricing_100_rules_vs_none_ratio_rounds", rulesRatios);
    print("hot_reload_visible_ms", visibleMs.back());
    print("hot_reload_visible_p50_ms", visibleMs[visibleMs.size() / 2]);
    print("hot_reload_failed_requests", background.failures + probeFailures);
    if (moneyOnly) {
        print("failed_calls", empty.failures + create.failures + half.failures + noRules.failures + withRules.failures);
        return 0;
    }

    // Segments through the API: 800,000 new users register and the demo's 200,000
    // users each do something, in batches of 1,000 on two client streams, so that
    // a million profiles exist; then the server-side time of previews over them.
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
                auto stub = flywheel::v1::SegmentService::NewStub(channels[static_cast<std::size_t>(stream)]);
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
    std::vector<double> previewMs;
    std::int64_t previewTotal = 0;
    {
        auto stub = flywheel::v1::SegmentService::NewStub(channels.front());
        for (int i = 0; i < 5; ++i) {
            grpc::ClientContext context;
            flywheel::v1::PreviewSegmentRequest request;
            request.set_expression("pay_count >= 1 && days_since_reg <= 3 && tag.sports > 0.5");
            flywheel::v1::PreviewSegmentResponse response;
            if (const grpc::Status s = stub->PreviewSegment(&context, request, &response); !s.ok()) {
                std::fprintf(stderr, "flywheel-bench: PreviewSegment: %s\n", s.error_message().c_str());
                return 1;
            }
            previewMs.push_back(response.elapsed_ms());
            previewTotal = response.total();
        }
    }
    std::sort(previewMs.begin(), previewMs.end());

    // Referral: commissions for 40,000 referred orders (20 invitees of one demo
    // user), then each moved pending → reviewing → confirmed through
    // TransitionCommissions, 10 per call and 64 calls in flight; every transition
    // is durable when its call returns.
    constexpr std::int64_t kReferredOrders = 40000;
    constexpr int kIdsPerCall = 10;
    std::int64_t referralFailures = 0;
    double transitionsPerSecond = 0;
    {
        auto referral = flywheel::v1::ReferralService::NewStub(channels.front());
        auto segmentsStub = flywheel::v1::SegmentService::NewStub(channels.front());
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
            flywheel::v1::IngestEventsResponse ignored;
            segmentsStub->IngestEvents(&context, login, &ignored);
        }
        grpc::ClientContext linkContext;
        flywheel::v1::GetInviteLinkRequest linkRequest;
        linkRequest.set_uid(kInviter);
        linkRequest.set_campaign_id("bench");
        flywheel::v1::InviteLink link;
        if (const grpc::Status s = referral->GetInviteLink(&linkContext, linkRequest, &link); !s.ok()) {
            std::fprintf(stderr, "flywheel-bench: GetInviteLink: %s\n", s.error_message().c_str());
            return 1;
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
                return 1;
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
                item->set_sku(skus[n % 7]);
                item->set_quantity(1);
                auto *stub = orders[static_cast<std::size_t>(n) % orders.size()].get();
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
        runCount(kReferredOrders, 128, referredOrder, &referralFailures);
        // The commissions are created once the payments are committed.
        std::vector<std::int64_t> ids;
        for (int attempt = 0; attempt < 100; ++attempt) {
            ids.clear();
            std::int64_t before = 0;
            for (;;) {
                grpc::ClientContext context;
                flywheel::v1::ListCommissionsRequest list;
                list.add_states(flywheel::v1::COMMISSION_STATE_PENDING);
                list.set_limit(2000);
                list.set_before_id(before);
                flywheel::v1::ListCommissionsResponse page;
                if (!referral->ListCommissions(&context, list, &page).ok() || page.commissions().empty())
                    break;
                for (const auto &c : page.commissions())
                    ids.push_back(c.id());
                before = page.commissions().rbegin()->id();
            }
            if (static_cast<std::int64_t>(ids.size()) >= kReferredOrders - referralFailures)
                break;
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
        transitionsPerSecond = static_cast<double>(transitioned) / seconds;
    }

    // Invite tokens: verification with the replay check, on two threads (the
    // machine's cores), over 400,000 distinct tokens.
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
            return 1;
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
            return 1;
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
        return 1;
    }

    print("event_ingest_per_s", static_cast<double>(kNewUsers + kDemoUsers) / ingestSeconds);
    print("event_ingest_failed_streams", ingestFailures.load());
    print("segment_preview_profiles", previewTotal);
    print("segment_preview_1m_ms", previewMs[previewMs.size() / 2]);
    print("segment_eval_ns_per_profile", compiledNs);
    print("segment_handwritten_ns_per_profile", handNs);
    print("segment_vs_handwritten_ratio", compiledNs / handNs);
    print("commission_transitions_per_s", transitionsPerSecond);
    print("commission_transitions_per_call", static_cast<std::int64_t>(kIdsPerCall));
    print("referral_failed_calls", referralFailures);
    print("invite_verify_per_s", verifyPerSecond);
    print("antifraud_check_ns", antifraudNs);
    print("failed_calls", empty.failures + create.failures + half.failures + noRules.failures + withRules.failures);
    return 0;
}
