#include "Load.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>

namespace flywheel::bench {

using namespace std::chrono_literals;

double Result::percentile(double p)
{
    if (latenciesMs.empty())
        return 0;
    std::sort(latenciesMs.begin(), latenciesMs.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(latenciesMs.size() - 1));
    return latenciesMs[index];
}

void Recorder::started()
{
    const std::lock_guard lock(m_mutex);
    ++m_inFlight;
}

void Recorder::completed(Clock::time_point due, bool ok)
{
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - due).count();
    const std::lock_guard lock(m_mutex);
    if (m_finished) // counted as unanswered already
        return;
    if (!ok) {
        ++m_result.failures;
    } else if (m_measuring) {
        m_result.latenciesMs.push_back(ms);
        ++m_result.completed;
    }
    --m_inFlight;
    m_changed.notify_all();
}

void Recorder::skipped()
{
    const std::lock_guard lock(m_mutex);
    if (m_finished)
        return;
    ++m_result.skipped;
    ++m_result.failures;
}

std::int64_t Recorder::inFlight()
{
    const std::lock_guard lock(m_mutex);
    return m_inFlight;
}

void Recorder::startMeasuring()
{
    const std::lock_guard lock(m_mutex);
    m_measuring = true;
    m_result.completed = 0;
    m_begin = Clock::now();
}

Result Recorder::finish()
{
    std::unique_lock lock(m_mutex);
    const double seconds = std::chrono::duration<double>(Clock::now() - m_begin).count();
    m_result.qps = static_cast<double>(m_result.completed) / seconds;
    m_measuring = false;
    m_changed.wait_for(lock, 30s, [this] { return m_inFlight == 0; });
    m_result.failures += m_inFlight;
    m_finished = true;
    return m_result;
}

/// The loop's state lives as long as any call still refers to it.
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

Result openLoop(const OpenLoopPlan &plan, const Issue &issue)
{
    const auto recorder = std::make_shared<Recorder>();
    const auto begin = Clock::now();
    const auto warmUpEnd = begin + plan.warmUp;
    std::int64_t sent = 0;
    bool measuring = false;
    for (auto now = Clock::now(); !plan.until(now); now = Clock::now()) {
        if (!measuring && now >= warmUpEnd) {
            if (plan.measuring)
                plan.measuring();
            recorder->startMeasuring();
            measuring = true;
        }
        const auto dueNow = static_cast<std::int64_t>(std::chrono::duration<double>(now - begin).count() * plan.rate);
        for (; sent < dueNow; ++sent) {
            // Call n was due at begin + n / rate: a call the sender makes late waits
            // for the sender as a storefront's customer would, and that is latency.
            const auto due = begin + std::chrono::duration_cast<Clock::duration>(
                                         std::chrono::duration<double>(static_cast<double>(sent) / plan.rate));
            if (recorder->inFlight() > kMaxInFlight) {
                recorder->skipped(); // the server is far behind: a failed call; keep the pace
                continue;
            }
            recorder->started();
            issue([recorder, due](bool ok) { recorder->completed(due, ok); });
        }
        std::this_thread::sleep_for(200us);
    }
    if (!measuring)
        recorder->startMeasuring();
    Result result = recorder->finish();
    result.due = sent;
    return result;
}

Result openLoop(const Options &options, double rate, const Issue &issue)
{
    const auto end = Clock::now() + 1s + options.duration;
    return openLoop(OpenLoopPlan{rate, 1s, [end](Clock::time_point now) { return now >= end; }, {}}, issue);
}

void print(const char *key, double value)
{
    std::printf("%s=%.3f\n", key, value);
    std::fflush(stdout); // a line as soon as it is known, also into a pipe
}

void print(const char *key, std::int64_t value)
{
    std::printf("%s=%lld\n", key, static_cast<long long>(value));
    std::fflush(stdout);
}

void print(const char *key, const std::vector<double> &values)
{
    std::printf("%s=", key);
    for (std::size_t i = 0; i < values.size(); ++i)
        std::printf("%s%.3f", i == 0 ? "" : ",", values[i]);
    std::printf("\n");
    std::fflush(stdout);
}

} // namespace flywheel::bench
