#pragma once
// Load generators for flywheel-bench: a closed loop (as fast as the server answers),
// an open loop (a steady arrival rate, whatever the latency) and a fixed count of
// calls. Each counts every call it was to send: a call that fails, is not
// answered before the loop gives up on it, or is never sent is a failure.

#include <google/protobuf/arena.h>
#include <grpcpp/grpcpp.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace flywheel::bench {

using Clock = std::chrono::steady_clock;

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

/// Sends calls with the callback API. `issue(done)` starts one call and must
/// eventually call done(ok).
using Issue = std::function<void(std::function<void(bool)>)>;

struct Result {
    /// Calls answered successfully per second of the measured window.
    double qps = 0;
    /// Calls answered successfully in the measured window.
    std::int64_t completed = 0;
    /// Latencies of the successful calls of the measured window; in an open loop
    /// from the time the call was due to be sent, not from when it went out, so a
    /// client that falls behind shows as latency, not as fewer calls.
    std::vector<double> latenciesMs;
    /// Every call of the whole run (warm-up included) that failed, was not answered
    /// within 30 s of the end, or was never sent (`skipped`).
    std::int64_t failures = 0;
    /// Open loop only: sends skipped because too many calls were in flight; each is
    /// also a failure.
    std::int64_t skipped = 0;
    /// Open loop only: the calls it was due to send over the whole run, skipped
    /// ones included.
    std::int64_t due = 0;

    double percentile(double p);
};

/// Counts the calls of one loop.
class Recorder {
public:
    void started();
    /// `due` is when the call was meant to go out: its latency counts from then.
    void completed(Clock::time_point due, bool ok);
    /// A call the loop was due to send and did not: a failed call.
    void skipped();
    std::int64_t inFlight();
    void startMeasuring();
    /// Stops measuring, waits (up to 30 s) for the calls in flight and counts those
    /// still unanswered as failures.
    Result finish();

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_measuring = false;
    bool m_finished = false;
    std::int64_t m_inFlight = 0;
    Clock::time_point m_begin;
    Result m_result;
};

/// As fast as the server answers: channels × in-flight calls always outstanding, a
/// one-second warm-up, then `options.duration` measured.
Result closedLoop(const Options &options, const Issue &issue);

/// Exactly `total` calls, `concurrency` in flight; `issue(n, done)` starts call n.
/// Returns the seconds taken and adds the failed calls to `*failures`.
double runCount(std::int64_t total, int concurrency,
                const std::function<void(std::int64_t, std::function<void(bool)>)> &issue, std::int64_t *failures);

/// A steady arrival rate, whatever the latency: what a storefront sends.
struct OpenLoopPlan {
    double rate = 0;
    /// Latency and rate are not measured in it; failures and skipped sends are.
    Clock::duration warmUp = std::chrono::seconds(1);
    /// Called as the loop runs; the loop stops when it returns true.
    std::function<bool(Clock::time_point)> until;
    /// Called once when the measured window begins (after the warm-up), if set.
    std::function<void()> measuring;
};
/// More calls in flight than this and the open loop skips a send (the server is far
/// behind): the send counts as a failed call, and the pace is kept.
constexpr std::int64_t kMaxInFlight = 20000;
Result openLoop(const OpenLoopPlan &plan, const Issue &issue);
/// One second of warm-up, then `options.duration` measured.
Result openLoop(const Options &options, double rate, const Issue &issue);

void print(const char *key, double value);
void print(const char *key, std::int64_t value);
void print(const char *key, const std::vector<double> &values);

} // namespace flywheel::bench
