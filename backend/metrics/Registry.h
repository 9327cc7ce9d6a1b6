#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::metrics {

/// A count that only grows: calls, orders, minor units of money. Lock-free.
class Counter {
public:
    void inc(std::uint64_t n = 1) noexcept { m_value.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const noexcept { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> m_value{0};
};

/// A value that goes up and down. Lock-free.
class Gauge {
public:
    void set(double v) noexcept { m_value.store(v, std::memory_order_relaxed); }
    void add(double d) noexcept
    {
        double old = m_value.load(std::memory_order_relaxed);
        while (!m_value.compare_exchange_weak(old, old + d, std::memory_order_relaxed)) {
        }
    }
    double value() const noexcept { return m_value.load(std::memory_order_relaxed); }

private:
    std::atomic<double> m_value{0};
};

/// Durations in fixed buckets (upper bounds in seconds, ascending). One atomic per
/// bucket and one for the sum in nanoseconds: an observation is two relaxed adds.
class Histogram {
public:
    explicit Histogram(std::span<const double> boundsSeconds);
    void observe(std::chrono::nanoseconds d) noexcept;

    struct Snapshot {
        std::vector<double> bounds;
        /// Per bucket, not cumulative; the last is above every bound (+Inf).
        std::vector<std::uint64_t> counts;
        double sumSeconds = 0;
        std::uint64_t count() const;
    };
    Snapshot snapshot() const;

private:
    std::vector<double> m_bounds;
    std::vector<std::int64_t> m_boundsNs;
    std::unique_ptr<std::atomic<std::uint64_t>[]> m_counts;
    std::atomic<std::uint64_t> m_sumNs{0};
};

/// The buckets of request latencies: 0.5 ms to 10 s.
std::span<const double> latencyBuckets();

/// A metric with labels: one child per combination of label values, made on first
/// use and kept for the process's life (label values must be bounded: methods,
/// channels, reasons; never users or SKUs). Children are stable references: look one
/// up once and keep it where a hot path records.
template <typename Metric>
class Family {
public:
    Family(std::vector<std::string> labelNames, std::function<std::unique_ptr<Metric>()> make)
        : m_labelNames(std::move(labelNames)), m_make(std::move(make))
    {
    }
    /// The child for these label values, in the order of the label names (throws
    /// std::invalid_argument when their number differs).
    Metric &with(const std::vector<std::string> &values);
    Metric &get() { return with({}); }

    const std::vector<std::string> &labelNames() const { return m_labelNames; }
    /// Every child with its label values, in the order they were made.
    void forEach(const std::function<void(const std::vector<std::string> &, const Metric &)> &f) const;

private:
    std::vector<std::string> m_labelNames;
    std::function<std::unique_ptr<Metric>()> m_make;
    mutable std::mutex m_mutex;
    std::map<std::vector<std::string>, std::unique_ptr<Metric>> m_children;
    std::vector<std::pair<std::vector<std::string>, const Metric *>> m_order;
};

/// One sample of a gauge computed when scraped.
struct Sample {
    std::vector<std::string> labelValues;
    double value = 0;
};

/// The metrics of one process, exposed in the Prometheus text format (version 0.0.4).
/// Names and help are checked when registered (std::invalid_argument): a counter's
/// name ends in `_total`, no name is registered twice, names and labels are
/// [a-zA-Z_][a-zA-Z0-9_]*.
class Registry {
public:
    Registry() = default;
    Registry(const Registry &) = delete;
    Registry &operator=(const Registry &) = delete;

    Family<Counter> &counter(const std::string &name, const std::string &help, std::vector<std::string> labels = {});
    Family<Gauge> &gauge(const std::string &name, const std::string &help, std::vector<std::string> labels = {});
    Family<Histogram> &histogram(const std::string &name, const std::string &help, std::vector<std::string> labels,
                                 std::span<const double> boundsSeconds);
    /// A gauge whose samples `read` computes at each scrape (from state kept elsewhere).
    /// `read` runs on the scraping thread and must be thread-safe.
    void gaugeCallback(const std::string &name, const std::string &help, std::vector<std::string> labels,
                       std::function<std::vector<Sample>()> read);
    /// The same for a count kept elsewhere that only grows (reset only by a restart).
    void counterCallback(const std::string &name, const std::string &help, std::vector<std::string> labels,
                         std::function<std::vector<Sample>()> read);

    /// The whole exposition: every family in the order registered, each with its
    /// HELP and TYPE lines, then its samples; ends with a newline.
    std::string expose() const;

    static constexpr const char *kContentType = "text/plain; version=0.0.4; charset=utf-8";

private:
    enum class Type { Counter, Gauge, Histogram, GaugeCallback, CounterCallback };
    struct Entry {
        std::string name;
        std::string help;
        Type type;
        std::unique_ptr<Family<Counter>> counters;
        std::unique_ptr<Family<Gauge>> gauges;
        std::unique_ptr<Family<Histogram>> histograms;
        std::vector<std::string> callbackLabels;
        std::function<std::vector<Sample>()> read;
    };
    /// A checked entry, not yet listed.
    static Entry entry(const std::string &name, const std::string &help, Type type,
                       const std::vector<std::string> &labels);
    /// Lists a complete entry (refused when the name is taken).
    Entry &add(Entry e);

    mutable std::mutex m_mutex;
    std::deque<Entry> m_entries;
};

/// Text helpers of the format, for tests and other writers.
std::string escapeLabelValue(std::string_view v);
std::string formatValue(double v);

// ---- Family ----

template <typename Metric>
Metric &Family<Metric>::with(const std::vector<std::string> &values)
{
    if (values.size() != m_labelNames.size())
        throw std::invalid_argument("metric: " + std::to_string(values.size()) + " label values for " +
                                    std::to_string(m_labelNames.size()) + " labels");
    const std::lock_guard lock(m_mutex);
    auto it = m_children.find(values);
    if (it == m_children.end()) {
        it = m_children.emplace(values, m_make()).first;
        m_order.emplace_back(values, it->second.get());
    }
    return *it->second;
}

template <typename Metric>
void Family<Metric>::forEach(
    const std::function<void(const std::vector<std::string> &, const Metric &)> &f) const
{
    std::vector<std::pair<std::vector<std::string>, const Metric *>> children;
    {
        const std::lock_guard lock(m_mutex);
        children = m_order;
    }
    for (const auto &[values, metric] : children)
        f(values, *metric);
}

} // namespace flywheel::metrics
