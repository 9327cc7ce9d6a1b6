// flywheel-bench scenario `metrics`: what Prometheus metrics cost the order path.
//   metrics_overhead_ratio: CreateOrder as fast as it is answered on two daemons of
//     their own, seeded alike, one serving /metrics (every RPC recorded by the request
//     interceptor) and one without a metrics listener (nothing recorded), in
//     alternating rounds (the method of order_create_qps); the median of the rounds'
//     ratios, with metrics over without (target >= 0.97).
//   metrics_scrape_ms: one full GET /metrics on the recording daemon, from the request
//     sent to the last byte read, while CreateOrder runs as fast as it is answered;
//     the slowest of kScrapes scrapes (target <= 50). metrics_scrape_p50_ms: their median.

#include "Daemon.h"
#include "Scenarios.h"

#include <httplib.h>

#include <thread>

namespace flywheel::bench {

using namespace std::chrono_literals;

namespace {

constexpr int kRounds = 9;
constexpr int kScrapes = 20;

/// The value of `series` in a scrape, or -1.
double valueOf(const std::string &body, const std::string &series)
{
    const std::string prefix = series + ' ';
    for (std::size_t at = body.find(prefix); at != std::string::npos; at = body.find(prefix, at + 1)) {
        if (at == 0 || body[at - 1] == '\n')
            return std::stod(body.substr(at + prefix.size()));
    }
    return -1;
}

} // namespace

bool metricsScenario(const Settings &settings, const std::filesystem::path &binary)
{
    const TempDir dir;
    const std::vector<std::string> seeded = {"--listen", "127.0.0.1:0", "--seed-demo", "--history-per-hour", "0"};
    std::vector<std::string> onArgs = {"--db", (dir.path() / "on.sqlite").string(), "--metrics-listen", "127.0.0.1:0"};
    onArgs.insert(onArgs.end(), seeded.begin(), seeded.end());
    std::vector<std::string> offArgs = {"--db", (dir.path() / "off.sqlite").string()};
    offArgs.insert(offArgs.end(), seeded.begin(), seeded.end());
    Daemon on(binary, onArgs, dir.path() / "on.log");
    Daemon off(binary, offArgs, dir.path() / "off.log");
    if (!on.start(60s) || !off.start(60s))
        return false;
    if (on.metricsPort() == 0 || off.metricsPort() != 0) {
        std::fprintf(stderr, "flywheel-bench: the daemons did not say where they serve metrics as asked\n");
        return false;
    }
    Client onClient(on.target(), settings.options.channels);
    Client offClient(off.target(), settings.options.channels);
    if (!onClient.stock(10000000) || !offClient.stock(10000000))
        return false;

    std::vector<double> onRates;
    std::vector<double> offRates;
    std::vector<double> ratios;
    std::int64_t failures = 0;
    std::int64_t answeredOn = 0;
    for (int round = 0; round < kRounds; ++round) {
        const Result without = closedLoop(settings.options, offClient.createOrder);
        const Result with = closedLoop(settings.options, onClient.createOrder);
        failures += without.failures + with.failures;
        answeredOn += with.completed;
        offRates.push_back(without.qps);
        onRates.push_back(with.qps);
        ratios.push_back(with.qps / without.qps);
    }

    // Scrapes while orders are created.
    httplib::Client http("127.0.0.1", on.metricsPort());
    http.set_read_timeout(10, 0);
    std::atomic<bool> loading{true};
    Result during;
    std::thread load([&] {
        during = closedLoop(settings.options, onClient.createOrder);
        loading = false;
    });
    std::this_thread::sleep_for(500ms); // past the loop's warm-up
    std::vector<double> scrapeMs;
    std::string body;
    int failedScrapes = 0;
    for (int i = 0; i < kScrapes && loading; ++i) {
        const auto sent = std::chrono::steady_clock::now();
        const auto res = http.Get("/metrics");
        const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - sent).count();
        if (!res || res->status != 200) {
            ++failedScrapes;
            continue;
        }
        scrapeMs.push_back(ms);
        body = res->body;
        std::this_thread::sleep_for(100ms);
    }
    load.join();
    failures += during.failures;

    // The work happened: the recording daemon counted at least the calls answered.
    const double handled = valueOf(body, "grpc_server_handled_total{grpc_type=\"unary\",grpc_service=\"flywheel.v1."
                                         "OrderService\",grpc_method=\"CreateOrder\",grpc_code=\"OK\"}");
    if (scrapeMs.size() < kScrapes / 2 || handled < static_cast<double>(answeredOn)) {
        std::fprintf(stderr,
                     "flywheel-bench: %zu scrapes during load (%d failed), counting %.0f CreateOrder calls of %lld "
                     "answered; no metrics figures\n",
                     scrapeMs.size(), failedScrapes, handled, static_cast<long long>(answeredOn));
        return false;
    }
    print("order_create_with_metrics_qps", medianOf(onRates));
    print("order_create_without_metrics_qps", medianOf(offRates));
    print("metrics_overhead_ratio", medianOf(ratios));
    print("metrics_overhead_ratio_rounds", ratios);
    print("metrics_scrape_ms", *std::max_element(scrapeMs.begin(), scrapeMs.end()));
    print("metrics_scrape_p50_ms", medianOf(scrapeMs));
    print("metrics_scrape_bytes", static_cast<std::int64_t>(body.size()));
    print("metrics_scrapes_during_load", static_cast<std::int64_t>(scrapeMs.size()));
    print("metrics_failed_calls", failures + failedScrapes);
    return on.stop() && off.stop();
}

} // namespace flywheel::bench
