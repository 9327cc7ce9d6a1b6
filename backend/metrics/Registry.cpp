#include "metrics/Registry.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cctype>

namespace flywheel::metrics {

namespace {

bool validName(std::string_view name)
{
    if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_'))
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string escapeHelp(std::string_view v)
{
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

/// `{a="x",b="y"}`, with `extra` (e.g. le="0.5") last; empty without labels.
std::string labelSet(const std::vector<std::string> &names, const std::vector<std::string> &values,
                     std::string_view extra = {})
{
    if (names.empty() && extra.empty())
        return {};
    std::string out = "{";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0)
            out += ',';
        out += names[i];
        out += "=\"";
        out += escapeLabelValue(values[i]);
        out += '"';
    }
    if (!extra.empty()) {
        if (!names.empty())
            out += ',';
        out += extra;
    }
    out += '}';
    return out;
}

void line(std::string &out, std::string_view name, const std::string &labels, std::string_view value)
{
    out += name;
    out += labels;
    out += ' ';
    out += value;
    out += '\n';
}

} // namespace

std::string escapeLabelValue(std::string_view v)
{
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

std::string formatValue(double v)
{
    if (std::isnan(v))
        return "NaN";
    if (std::isinf(v))
        return v > 0 ? "+Inf" : "-Inf";
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
    return std::string(buffer, result.ptr);
}

std::span<const double> latencyBuckets()
{
    static constexpr std::array<double, 14> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                        0.1,    0.25,  0.5,    1,     2.5,  5,     10};
    return kBuckets;
}

// ---- Histogram ----

Histogram::Histogram(std::span<const double> boundsSeconds)
    : m_bounds(boundsSeconds.begin(), boundsSeconds.end()),
      m_counts(new std::atomic<std::uint64_t>[boundsSeconds.size() + 1])
{
    if (!std::is_sorted(m_bounds.begin(), m_bounds.end()) ||
        std::adjacent_find(m_bounds.begin(), m_bounds.end()) != m_bounds.end())
        throw std::invalid_argument("histogram bounds must be strictly ascending");
    for (double b : m_bounds)
        m_boundsNs.push_back(static_cast<std::int64_t>(std::llround(b * 1e9)));
    for (std::size_t i = 0; i <= m_bounds.size(); ++i)
        m_counts[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(std::chrono::nanoseconds d) noexcept
{
    const std::int64_t ns = std::max<std::int64_t>(0, d.count());
    std::size_t i = 0;
    while (i < m_boundsNs.size() && ns > m_boundsNs[i])
        ++i;
    m_counts[i].fetch_add(1, std::memory_order_relaxed);
    m_sumNs.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

std::uint64_t Histogram::Snapshot::count() const
{
    std::uint64_t n = 0;
    for (std::uint64_t c : counts)
        n += c;
    return n;
}

Histogram::Snapshot Histogram::snapshot() const
{
    Snapshot s;
    s.bounds = m_bounds;
    for (std::size_t i = 0; i <= m_bounds.size(); ++i)
        s.counts.push_back(m_counts[i].load(std::memory_order_relaxed));
    s.sumSeconds = static_cast<double>(m_sumNs.load(std::memory_order_relaxed)) / 1e9;
    return s;
}

// ---- Registry ----

Registry::Entry Registry::entry(const std::string &name, const std::string &help, Type type,
                               const std::vector<std::string> &labels)
{
    if (!validName(name))
        throw std::invalid_argument("metric name \"" + name + "\" is not [a-zA-Z_][a-zA-Z0-9_]*");
    if (help.empty())
        throw std::invalid_argument("metric " + name + " has no help text");
    const bool total = endsWith(name, "_total");
    const bool counter = type == Type::Counter || type == Type::CounterCallback;
    if (counter != total)
        throw std::invalid_argument(counter ? "counter " + name + " must end in _total"
                                            : "metric " + name + " is not a counter but ends in _total");
    for (const std::string &label : labels) {
        if (!validName(label) || label.starts_with("__") || label == "le" || label == "quantile")
            throw std::invalid_argument("metric " + name + ": label \"" + label + "\" cannot be used");
    }
    Entry e;
    e.name = name;
    e.help = help;
    e.type = type;
    return e;
}

Registry::Entry &Registry::add(Entry e)
{
    // Complete before it is listed: a scrape meanwhile sees all of it or none.
    const std::lock_guard lock(m_mutex);
    for (const Entry &other : m_entries) {
        if (other.name == e.name)
            throw std::invalid_argument("metric " + e.name + " is registered twice");
    }
    return m_entries.emplace_back(std::move(e));
}

Family<Counter> &Registry::counter(const std::string &name, const std::string &help, std::vector<std::string> labels)
{
    Entry e = entry(name, help, Type::Counter, labels);
    e.counters = std::make_unique<Family<Counter>>(std::move(labels), [] { return std::make_unique<Counter>(); });
    return *add(std::move(e)).counters;
}

Family<Gauge> &Registry::gauge(const std::string &name, const std::string &help, std::vector<std::string> labels)
{
    Entry e = entry(name, help, Type::Gauge, labels);
    e.gauges = std::make_unique<Family<Gauge>>(std::move(labels), [] { return std::make_unique<Gauge>(); });
    return *add(std::move(e)).gauges;
}

Family<Histogram> &Registry::histogram(const std::string &name, const std::string &help,
                                       std::vector<std::string> labels, std::span<const double> boundsSeconds)
{
    Entry e = entry(name, help, Type::Histogram, labels);
    std::vector<double> bounds(boundsSeconds.begin(), boundsSeconds.end());
    Histogram check(bounds); // bad bounds throw here, before anything is registered
    e.histograms = std::make_unique<Family<Histogram>>(
        std::move(labels), [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); });
    return *add(std::move(e)).histograms;
}

void Registry::gaugeCallback(const std::string &name, const std::string &help, std::vector<std::string> labels,
                             std::function<std::vector<Sample>()> read)
{
    Entry e = entry(name, help, Type::GaugeCallback, labels);
    e.callbackLabels = std::move(labels);
    e.read = std::move(read);
    add(std::move(e));
}

void Registry::counterCallback(const std::string &name, const std::string &help, std::vector<std::string> labels,
                               std::function<std::vector<Sample>()> read)
{
    Entry e = entry(name, help, Type::CounterCallback, labels);
    e.callbackLabels = std::move(labels);
    e.read = std::move(read);
    add(std::move(e));
}

std::string Registry::expose() const
{
    std::string out;
    out.reserve(64 * 1024);
    const std::lock_guard lock(m_mutex);
    for (const Entry &e : m_entries) {
        out += "# HELP " + e.name + ' ' + escapeHelp(e.help) + '\n';
        switch (e.type) {
        case Type::Counter:
            out += "# TYPE " + e.name + " counter\n";
            e.counters->forEach([&](const std::vector<std::string> &values, const Counter &c) {
                line(out, e.name, labelSet(e.counters->labelNames(), values), std::to_string(c.value()));
            });
            break;
        case Type::Gauge:
            out += "# TYPE " + e.name + " gauge\n";
            e.gauges->forEach([&](const std::vector<std::string> &values, const Gauge &g) {
                line(out, e.name, labelSet(e.gauges->labelNames(), values), formatValue(g.value()));
            });
            break;
        case Type::GaugeCallback:
        case Type::CounterCallback:
            out += "# TYPE " + e.name + (e.type == Type::GaugeCallback ? " gauge\n" : " counter\n");
            for (const Sample &s : e.read()) {
                if (s.labelValues.size() != e.callbackLabels.size())
                    continue; // a reader's mistake: never a malformed line
                line(out, e.name, labelSet(e.callbackLabels, s.labelValues), formatValue(s.value));
            }
            break;
        case Type::Histogram:
            out += "# TYPE " + e.name + " histogram\n";
            e.histograms->forEach([&](const std::vector<std::string> &values, const Histogram &h) {
                const Histogram::Snapshot s = h.snapshot();
                const std::vector<std::string> &names = e.histograms->labelNames();
                std::uint64_t cumulative = 0;
                for (std::size_t i = 0; i < s.bounds.size(); ++i) {
                    cumulative += s.counts[i];
                    line(out, e.name + "_bucket", labelSet(names, values, "le=\"" + formatValue(s.bounds[i]) + '"'),
                         std::to_string(cumulative));
                }
                cumulative += s.counts.back();
                line(out, e.name + "_bucket", labelSet(names, values, "le=\"+Inf\""), std::to_string(cumulative));
                line(out, e.name + "_sum", labelSet(names, values), formatValue(s.sumSeconds));
                line(out, e.name + "_count", labelSet(names, values), std::to_string(cumulative));
            });
            break;
        }
    }
    return out;
}

} // namespace flywheel::metrics
