// flywheel-bench: measures a flywheeld child process over loopback gRPC and prints
// key=value lines. Both sides of every ratio are measured in the same run against
// the same daemon.

#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/system.grpc.pb.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/grpcpp.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
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
    std::chrono::seconds duration{5};
    int channels = 4;
    int inFlightPerChannel = 64;
};

/// The daemon under test, on a fresh database in a temporary directory.
class Daemon {
public:
    explicit Daemon(const std::filesystem::path &binary)
    {
        m_dir = std::filesystem::temp_directory_path() / ("flywheel-bench-" + std::to_string(::getpid()));
        std::filesystem::create_directories(m_dir);
        const std::string db = (m_dir / "bench.sqlite").string();
        const std::string out = (m_dir / "stdout").string();
        const std::string bin = binary.string();
        std::vector<std::string> args{bin, "--db", db, "--listen", "127.0.0.1:0", "--seed-demo", "--history-per-hour",
                                      "0"};
        std::vector<char *> argv;
        for (auto &a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (posix_spawn(&m_pid, bin.c_str(), &actions, nullptr, argv.data(), environ) != 0) {
            std::fprintf(stderr, "flywheel-bench: cannot start %s\n", bin.c_str());
            std::exit(1);
        }
        posix_spawn_file_actions_destroy(&actions);
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

/// As fast as the server answers: a fixed number of calls always in flight.
Result closedLoop(const Options &options, const Issue &issue)
{
    Recorder recorder;
    std::atomic<bool> stopping{false};
    std::function<void()> next = [&] {
        if (stopping)
            return;
        recorder.started();
        const auto started = Clock::now();
        issue([&, started](bool ok) {
            recorder.completed(started, ok);
            next();
        });
    };
    const int total = options.channels * options.inFlightPerChannel;
    for (int i = 0; i < total; ++i)
        next();
    std::this_thread::sleep_for(1s); // warm-up
    recorder.startMeasuring();
    std::this_thread::sleep_for(options.duration);
    stopping = true;
    return recorder.finish();
}

/// A steady arrival rate, whatever the latency: what a storefront sends.
Result openLoop(const Options &options, double rate, const Issue &issue)
{
    Recorder recorder;
    const auto begin = Clock::now();
    const auto warmUpEnd = begin + 1s;
    const auto end = warmUpEnd + options.duration;
    std::int64_t sent = 0;
    bool measuring = false;
    while (Clock::now() < end) {
        const auto now = Clock::now();
        if (!measuring && now >= warmUpEnd) {
            recorder.startMeasuring();
            measuring = true;
        }
        const auto due = static_cast<std::int64_t>(std::chrono::duration<double>(now - begin).count() * rate);
        while (sent < due) {
            ++sent;
            if (recorder.inFlight() > 20000)
                continue; // the server is far behind; count nothing, keep the pace
            recorder.started();
            const auto started = Clock::now();
            issue([&recorder, started](bool ok) { recorder.completed(started, ok); });
        }
        std::this_thread::sleep_for(200us);
    }
    return recorder.finish();
}

void print(const char *key, double value)
{
    std::printf("%s=%.3f\n", key, value);
}
void print(const char *key, std::int64_t value)
{
    std::printf("%s=%lld\n", key, static_cast<long long>(value));
}

} // namespace

int main(int argc, char **argv)
{
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--duration" && i + 1 < argc) {
            options.duration = std::chrono::seconds(std::atoi(argv[++i]));
            if (options.duration.count() <= 0) {
                std::fprintf(stderr, "flywheel-bench: --duration needs a positive number of seconds\n");
                return 2;
            }
        } else {
            std::fprintf(stderr, "flywheel-bench: unknown option %s\nUsage: flywheel-bench [--duration SECONDS]\n",
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
        struct Call {
            grpc::ClientContext context;
            flywheel::v1::PingRequest request;
            flywheel::v1::PingResponse response;
        };
        auto call = std::make_shared<Call>();
        const auto n = counter++;
        system[n % system.size()]->async()->Ping(&call->context, &call->request, &call->response,
                                                 [call, done](grpc::Status s) { done(s.ok()); });
    };
    const char *skus[] = {"ELE-1001", "HOM-1002", "BEA-1003", "SPO-1004", "GRO-1005", "TOY-1006", "FAS-1007"};
    const Issue createOrder = [&](std::function<void(bool)> done) {
        struct Call {
            grpc::ClientContext context;
            flywheel::v1::CreateOrderRequest request;
            flywheel::v1::Order response;
        };
        auto call = std::make_shared<Call>();
        const auto n = counter++;
        call->request.set_uid(100001 + static_cast<std::int64_t>(n % 12000));
        call->request.set_channel("app");
        for (int i = 0; i < 2; ++i) {
            auto *item = call->request.add_items();
            item->set_sku(skus[(n + i) % 7]);
            item->set_quantity(1 + static_cast<std::int64_t>(n % 2));
        }
        orders[n % orders.size()]->async()->CreateOrder(&call->context, &call->request, &call->response,
                                                        [call, done](grpc::Status s) { done(s.ok()); });
    };

    Result empty = closedLoop(options, ping);
    Result create = closedLoop(options, createOrder);
    Result half = openLoop(options, create.qps / 2, createOrder);

    print("empty_unary_qps", empty.qps);
    print("empty_unary_p99_ms", empty.percentile(0.99));
    print("order_create_qps", create.qps);
    print("order_create_vs_empty_ratio", create.qps / empty.qps);
    print("order_create_p99_ms", half.percentile(0.99));
    print("order_create_p50_ms", half.percentile(0.50));
    print("order_create_p99_rate_qps", half.qps);
    print("failed_calls", empty.failures + create.failures + half.failures);
    return 0;
}
