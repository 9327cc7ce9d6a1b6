#include "domain/alerts/AlertMonitor.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <limits>
#include <thread>

namespace flywheel::alerts {

namespace {

constexpr std::size_t kCountSlots = static_cast<std::size_t>(kWindowSecondsRange.max);
constexpr std::size_t kLatencySlots = static_cast<std::size_t>(kP99WindowSecondsRange.max);
/// Bins 0-7 hold 0-7 µs exactly; above, 8 bins per power of two up to 2^27 µs
/// (134 s); the last bin also takes anything longer.
constexpr int kSubBins = 8;
constexpr std::size_t kLatencyBins = 200;
/// What one call may add to a latency bin (a demo trigger adds many at once).
constexpr std::uint64_t kMaxAdd = std::numeric_limits<std::uint32_t>::max() / 2;

/// A slot's second while a writer clears it.
constexpr std::int64_t kBusy = -2;
/// A slot's second before its first use.
constexpr std::int64_t kNever = -1;

std::int64_t secondOf(TimePoint at)
{
    return toEpochMs(at) / 1000;
}

std::size_t binOf(std::int64_t micros)
{
    if (micros < kSubBins)
        return static_cast<std::size_t>(std::max<std::int64_t>(micros, 0));
    const auto v = static_cast<std::uint64_t>(micros);
    const int log = 63 - std::countl_zero(v);
    const auto sub = static_cast<std::size_t>((v >> (log - 3)) & (kSubBins - 1));
    return std::min(static_cast<std::size_t>(log - 2) * kSubBins + sub, kLatencyBins - 1);
}

/// [lower, upper) of a bin, in µs.
std::pair<double, double> binRange(std::size_t bin)
{
    if (bin < kSubBins)
        return {double(bin), double(bin + 1)};
    const int log = static_cast<int>(bin / kSubBins) + 2;
    const auto sub = static_cast<double>(bin % kSubBins);
    return {std::ldexp(8 + sub, log - 3), std::ldexp(9 + sub, log - 3)};
}

/// Up to `decimals` decimals, without trailing zeros: 0.73, 0.5, 90.
std::string decimal(double value, int decimals = 2)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text(buffer);
    while (decimals > 0 && text.back() == '0')
        text.pop_back();
    if (text.back() == '.')
        text.pop_back();
    return text == "-0" ? std::string("0") : text;
}

/// About three significant digits, for a P99 known to 12.5 %: 1235, 509, 12.3, 0.46.
std::string milliseconds(double ms)
{
    return decimal(ms, ms >= 100 ? 0 : ms >= 10 ? 1 : 2);
}

std::string percent(double share)
{
    const double pct = share * 100;
    if (pct > 0 && pct < 0.005)
        return "< 0.01 %";
    return decimal(pct) + " %";
}

std::string duration(std::int64_t ms)
{
    if (ms < 1000)
        return std::to_string(ms) + " ms";
    return decimal(double(ms) / 1000) + " s";
}

std::string windowText(std::int32_t seconds)
{
    const auto unit = [](std::int32_t n, const char *one) {
        return n == 1 ? std::string("the last ") + one : "the last " + std::to_string(n) + " " + one + "s";
    };
    if (seconds % 3600 == 0)
        return unit(seconds / 3600, "hour");
    if (seconds % 60 == 0)
        return unit(seconds / 60, "minute");
    return unit(seconds, "second");
}

std::string plural(std::uint64_t n, const char *one, const char *many)
{
    return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool enabledIn(const AlertThresholds &t, AlertId id)
{
    switch (id) {
    case AlertId::InventoryConfirmationSlow:
        return t.inventoryConfirmationSlow.enabled;
    case AlertId::IllegalTransition:
        return t.illegalTransition.enabled;
    case AlertId::PricingReloadFailed:
        return t.pricingReloadFailed.enabled;
    case AlertId::OrderPathP99:
        return t.orderPathP99.enabled;
    case AlertId::BudgetNearCap:
        return t.budgetNearCap.enabled;
    }
    return false;
}

/// Why `samples` in `window` are too few to judge; nullopt when there are enough.
std::optional<std::string> tooFew(std::uint64_t samples, std::int32_t minimum, const char *one, const char *many,
                                  const std::string &window)
{
    if (samples == 0)
        return "No " + std::string(one) + " in " + window;
    if (samples < std::uint64_t(minimum))
        return plural(samples, one, many) + " in " + window + ", fewer than the " + std::to_string(minimum) +
               " needed to judge";
    return std::nullopt;
}

constexpr const char *kDemoError = "demo: triggered from the console";
constexpr const char *kDemoBudget = "demo";

std::string shown(double value)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    return buffer;
}

} // namespace

struct AlertMonitor::CountSlot {
    std::atomic<std::int64_t> second{kNever};
    std::atomic<std::uint64_t> paid{0};
    std::atomic<std::uint64_t> slow{0};
    std::atomic<std::uint64_t> illegal{0};

    void clear()
    {
        paid.store(0, std::memory_order_relaxed);
        slow.store(0, std::memory_order_relaxed);
        illegal.store(0, std::memory_order_relaxed);
    }
};

struct AlertMonitor::LatencySlot {
    std::atomic<std::int64_t> second{kNever};
    std::array<std::atomic<std::uint32_t>, kLatencyBins> bins{};

    void clear()
    {
        for (auto &bin : bins)
            bin.store(0, std::memory_order_relaxed);
    }
};

namespace {

/// The slot of `second`, claimed (and cleared) for it when it still holds an older
/// one; nullptr when it already holds a newer second (the record is too old).
template <typename Slot>
Slot *claim(Slot *slots, std::size_t size, std::int64_t second)
{
    if (second < 0)
        return nullptr;
    Slot &slot = slots[static_cast<std::size_t>(second) % size];
    for (;;) {
        std::int64_t seen = slot.second.load(std::memory_order_acquire);
        if (seen == second)
            return &slot;
        if (seen == kBusy) {
            std::this_thread::yield();
            continue;
        }
        if (seen > second)
            return nullptr;
        if (slot.second.compare_exchange_weak(seen, kBusy, std::memory_order_acq_rel)) {
            slot.clear();
            // Publishes the cleared counters: a writer that sees `second` adds after them.
            slot.second.store(second, std::memory_order_release);
            return &slot;
        }
    }
}

/// Calls read(slot) for each slot of the window (now - window, now] whose figures
/// were not replaced while read; read copies them, keep(copy) adds them up.
template <typename Slot, typename Read, typename Keep>
void forWindow(const Slot *slots, std::size_t size, TimePoint now, std::int32_t windowSeconds, Read read, Keep keep)
{
    const std::int64_t last = secondOf(now);
    const std::int64_t first = last - windowSeconds + 1;
    for (std::size_t i = 0; i < size; ++i) {
        const Slot &slot = slots[i];
        const std::int64_t before = slot.second.load(std::memory_order_acquire);
        if (before < first || before > last)
            continue;
        // read() loads with acquire, so the check below comes after it.
        auto copy = read(slot);
        if (slot.second.load(std::memory_order_relaxed) == before)
            keep(copy);
    }
}

} // namespace

const char *alertName(AlertId id)
{
    switch (id) {
    case AlertId::InventoryConfirmationSlow:
        return "inventory_confirmation_slow";
    case AlertId::IllegalTransition:
        return "illegal_transition";
    case AlertId::PricingReloadFailed:
        return "pricing_reload_failed";
    case AlertId::OrderPathP99:
        return "order_path_p99";
    case AlertId::BudgetNearCap:
        return "budget_near_cap";
    }
    return "";
}

std::optional<AlertId> parseAlertId(std::string_view name)
{
    for (const AlertId id : kAllAlerts) {
        if (name == alertName(id))
            return id;
    }
    return std::nullopt;
}

const char *alertTitle(AlertId id)
{
    switch (id) {
    case AlertId::InventoryConfirmationSlow:
        return "Slow inventory confirmation";
    case AlertId::IllegalTransition:
        return "Illegal order transition";
    case AlertId::PricingReloadFailed:
        return "Pricing reload failed";
    case AlertId::OrderPathP99:
        return "Slow order path (P99)";
    case AlertId::BudgetNearCap:
        return "Budget near its cap";
    }
    return "";
}

std::optional<ThresholdsError> validate(const AlertThresholds &t)
{
    struct Whole {
        const char *field;
        std::int32_t value;
        WholeRange range;
    };
    const auto &inv = t.inventoryConfirmationSlow;
    const auto &ill = t.illegalTransition;
    const auto &p99 = t.orderPathP99;
    const Whole wholes[] = {
        {"inventory_confirmation_slow.window_seconds", inv.windowSeconds, kWindowSecondsRange},
        {"inventory_confirmation_slow.slow_after_ms", inv.slowAfterMs, kSlowAfterMsRange},
        {"inventory_confirmation_slow.min_paid_orders", inv.minPaidOrders, kCountRange},
        {"illegal_transition.window_seconds", ill.windowSeconds, kWindowSecondsRange},
        {"illegal_transition.max_attempts", ill.maxAttempts, kCountRange},
        {"order_path_p99.window_seconds", p99.windowSeconds, kP99WindowSecondsRange},
        {"order_path_p99.threshold_ms", p99.thresholdMs, kP99ThresholdMsRange},
        {"order_path_p99.min_samples", p99.minSamples, kCountRange},
    };
    for (const Whole &w : wholes) {
        if (w.value < w.range.min || w.value > w.range.max)
            return ThresholdsError{w.field, std::string(w.field) + " must be a whole number from " +
                                                std::to_string(w.range.min) + " to " + std::to_string(w.range.max) +
                                                ", got " + std::to_string(w.value)};
    }
    if (!(std::isfinite(inv.share) && inv.share >= 0 && inv.share <= 1))
        return ThresholdsError{"inventory_confirmation_slow.share",
                               "inventory_confirmation_slow.share must be between 0 and 1, got " + shown(inv.share)};
    const double budget = t.budgetNearCap.share;
    if (!(std::isfinite(budget) && budget > 0 && budget <= 1))
        return ThresholdsError{"budget_near_cap.share",
                               "budget_near_cap.share must be greater than 0 and at most 1, got " + shown(budget)};
    return std::nullopt;
}

AlertMonitor::AlertMonitor(AlertThresholds thresholds)
    : m_counts(std::make_unique<CountSlot[]>(kCountSlots)), m_latencies(std::make_unique<LatencySlot[]>(kLatencySlots)),
      m_slowAfterMs(thresholds.inventoryConfirmationSlow.slowAfterMs), m_thresholds(std::move(thresholds))
{
    for (std::size_t i = 0; i < kAllAlerts.size(); ++i) {
        Alert &a = m_alerts[i];
        a.id = kAllAlerts[i];
        a.name = alertName(a.id);
        a.title = alertTitle(a.id);
        a.explanation = "Not evaluated yet";
    }
}

AlertMonitor::~AlertMonitor() = default;

void AlertMonitor::addConfirmations(TimePoint at, std::uint64_t paid, std::uint64_t slow)
{
    if (CountSlot *slot = claim(m_counts.get(), kCountSlots, secondOf(at))) {
        slot->paid.fetch_add(paid, std::memory_order_relaxed);
        // Release: whoever sees this slow order also sees it paid (slow <= paid).
        if (slow > 0)
            slot->slow.fetch_add(slow, std::memory_order_release);
    }
}

void AlertMonitor::addLatencies(TimePoint at, std::int64_t micros, std::uint64_t count)
{
    if (LatencySlot *slot = claim(m_latencies.get(), kLatencySlots, secondOf(at)))
        slot->bins[binOf(micros)].fetch_add(static_cast<std::uint32_t>(std::min<std::uint64_t>(count, kMaxAdd)),
                                            std::memory_order_relaxed);
}

void AlertMonitor::addIllegal(TimePoint at, std::uint64_t attempts, Transition last)
{
    if (CountSlot *slot = claim(m_counts.get(), kCountSlots, secondOf(at)))
        slot->illegal.fetch_add(attempts, std::memory_order_relaxed);
    std::lock_guard lock(m_mutex);
    if (!m_lastIllegal || m_lastIllegal->at <= last.at)
        m_lastIllegal = std::move(last);
}

void AlertMonitor::paidOrderConfirmed(TimePoint at, Milliseconds confirmation)
{
    const bool slow = confirmation.count() > m_slowAfterMs.load(std::memory_order_relaxed);
    addConfirmations(at, 1, slow ? 1 : 0);
}

void AlertMonitor::orderPathLatency(TimePoint at, std::chrono::nanoseconds d)
{
    addLatencies(at, d.count() / 1000, 1);
}

void AlertMonitor::illegalTransition(TimePoint at, std::int64_t orderId, std::string from, std::string to)
{
    addIllegal(at, 1, Transition{at, orderId, std::move(from), std::move(to)});
}

void AlertMonitor::pricingReload(TimePoint at, bool ok, std::string error)
{
    std::lock_guard lock(m_mutex);
    if (!m_lastReload || m_lastReload->at <= at)
        m_lastReload = Reload{at, ok, ok ? std::string() : std::move(error)};
}

void AlertMonitor::budgetShare(TimePoint at, std::string budget, double usedShare)
{
    if (!std::isfinite(usedShare))
        return;
    std::lock_guard lock(m_mutex);
    const auto it = m_budgets.find(budget);
    if (it == m_budgets.end())
        m_budgets.emplace(std::move(budget), BudgetFigure{at, usedShare});
    else if (it->second.at <= at)
        it->second = BudgetFigure{at, usedShare};
}

void AlertMonitor::replaceBudgets(TimePoint at, const std::vector<std::pair<std::string, double>> &shares)
{
    std::lock_guard lock(m_mutex);
    m_budgets.clear();
    for (const auto &[budget, share] : shares) {
        if (std::isfinite(share))
            m_budgets.emplace(budget, BudgetFigure{at, share});
    }
}

AlertMonitor::WindowCounts AlertMonitor::counts(TimePoint now, std::int32_t windowSeconds, bool illegal) const
{
    WindowCounts sum;
    forWindow(
        m_counts.get(), kCountSlots, now, windowSeconds,
        [illegal](const CountSlot &slot) {
            WindowCounts c;
            if (illegal) {
                c.illegal = slot.illegal.load(std::memory_order_acquire);
            } else {
                c.slow = slot.slow.load(std::memory_order_acquire);
                c.paid = slot.paid.load(std::memory_order_acquire);
            }
            return c;
        },
        [&sum](const WindowCounts &c) {
            sum.paid += c.paid;
            sum.slow += c.slow;
            sum.illegal += c.illegal;
        });
    return sum;
}

std::uint64_t AlertMonitor::latencyBins(TimePoint now, std::int32_t windowSeconds,
                                        std::vector<std::uint64_t> &bins) const
{
    bins.assign(kLatencyBins, 0);
    std::uint64_t samples = 0;
    forWindow(
        m_latencies.get(), kLatencySlots, now, windowSeconds,
        [](const LatencySlot &slot) {
            std::array<std::uint32_t, kLatencyBins> copy;
            for (std::size_t i = 0; i < kLatencyBins; ++i)
                copy[i] = slot.bins[i].load(std::memory_order_acquire);
            return copy;
        },
        [&](const std::array<std::uint32_t, kLatencyBins> &copy) {
            for (std::size_t i = 0; i < kLatencyBins; ++i) {
                bins[i] += copy[i];
                samples += copy[i];
            }
        });
    return samples;
}

AlertMonitor::LatencyFigures AlertMonitor::latency(TimePoint now, std::int32_t windowSeconds) const
{
    std::vector<std::uint64_t> bins;
    LatencyFigures f;
    f.samples = latencyBins(now, windowSeconds, bins);
    if (f.samples == 0)
        return f;
    // Nearest rank: the smallest value with at least 99 % of the samples at or below it.
    const std::uint64_t rank = (f.samples * 99 + 99) / 100;
    std::uint64_t below = 0;
    for (std::size_t i = 0; i < kLatencyBins; ++i) {
        if (bins[i] == 0 || below + bins[i] < rank) {
            below += bins[i];
            continue;
        }
        const auto [lower, upper] = binRange(i);
        f.p99Ms = (lower + (upper - lower) * double(rank - below) / double(bins[i])) / 1000;
        break;
    }
    return f;
}

bool AlertMonitor::measureInventory(Alert &a, TimePoint now) const
{
    const auto &t = m_thresholds.inventoryConfirmationSlow;
    const WindowCounts c = counts(now, t.windowSeconds, false);
    a.windowSeconds = t.windowSeconds;
    a.slowAfterMs = t.slowAfterMs;
    a.threshold = t.share;
    a.minSamples = t.minPaidOrders;
    a.count = static_cast<std::int64_t>(c.slow);
    a.samples = static_cast<std::int64_t>(c.paid);
    a.value = c.paid == 0 ? 0.0 : double(c.slow) / double(c.paid);
    const std::string window = windowText(t.windowSeconds);
    if (auto few = tooFew(c.paid, t.minPaidOrders, "paid order", "paid orders", window)) {
        a.explanation = std::move(*few);
        return false;
    }
    a.explanation = std::to_string(c.slow) + " of " + plural(c.paid, "paid order", "paid orders") + " (" +
                    percent(a.value) + ") in " + window + " waited more than " + duration(t.slowAfterMs) +
                    " for their stock to be confirmed; threshold " + percent(t.share);
    return a.value > t.share;
}

bool AlertMonitor::measureIllegal(Alert &a, TimePoint now) const
{
    const auto &t = m_thresholds.illegalTransition;
    const WindowCounts c = counts(now, t.windowSeconds, true);
    a.windowSeconds = t.windowSeconds;
    a.threshold = t.maxAttempts;
    a.count = static_cast<std::int64_t>(c.illegal);
    a.value = double(c.illegal);
    const std::string window = windowText(t.windowSeconds);
    const std::int64_t first = (secondOf(now) - t.windowSeconds + 1) * 1000;
    const bool lastInWindow = c.illegal > 0 && m_lastIllegal && toEpochMs(m_lastIllegal->at) >= first;
    a.orderId = lastInWindow ? m_lastIllegal->orderId : 0;
    a.from = lastInWindow ? m_lastIllegal->from : std::string();
    a.to = lastInWindow ? m_lastIllegal->to : std::string();
    a.eventAt = lastInWindow ? m_lastIllegal->at : TimePoint();
    if (c.illegal == 0) {
        a.explanation = "No illegal order transition in " + window;
        return false;
    }
    a.explanation = plural(c.illegal, "illegal order transition", "illegal order transitions") + " in " + window;
    if (lastInWindow) {
        const std::string order = a.orderId == 0 ? std::string("a demo order") : "order " + std::to_string(a.orderId);
        a.explanation += (c.illegal == 1 ? "; " : "; the last: ") + order + " " + a.from + " → " + a.to;
    }
    if (t.maxAttempts > 0)
        a.explanation += "; threshold " + std::to_string(t.maxAttempts);
    return c.illegal > std::uint64_t(t.maxAttempts);
}

bool AlertMonitor::measurePricing(Alert &a, TimePoint now) const
{
    const bool realFailure = m_lastReload && !m_lastReload->ok;
    const bool demo = now >= m_pricingDemoFrom && now < m_pricingDemoUntil &&
                      !(m_lastReload && m_lastReload->ok && m_lastReload->at > m_pricingDemoFrom);
    a.threshold = 0;
    a.eventAt = m_lastReload ? m_lastReload->at : TimePoint();
    if (realFailure) {
        a.error = m_lastReload->error;
    } else if (demo) {
        a.error = kDemoError;
        a.eventAt = m_pricingDemoFrom;
    } else {
        a.error.clear();
    }
    a.value = realFailure || demo ? 1 : 0;
    if (a.value > 0)
        a.explanation = "The last pricing reload failed: " + a.error;
    else
        a.explanation = m_lastReload ? "The last pricing reload succeeded" : "No pricing reload yet";
    return a.value > a.threshold;
}

bool AlertMonitor::measureP99(Alert &a, TimePoint now) const
{
    const auto &t = m_thresholds.orderPathP99;
    const LatencyFigures f = latency(now, t.windowSeconds);
    a.windowSeconds = t.windowSeconds;
    a.threshold = t.thresholdMs;
    a.minSamples = t.minSamples;
    a.samples = static_cast<std::int64_t>(f.samples);
    a.value = f.p99Ms;
    const std::string window = windowText(t.windowSeconds);
    if (auto few = tooFew(f.samples, t.minSamples, "order", "orders", window)) {
        a.explanation = std::move(*few);
        return false;
    }
    a.explanation = "P99 of CreateOrder over " + window + ": " + milliseconds(f.p99Ms) + " ms from " +
                    plural(f.samples, "order", "orders") + "; threshold " + std::to_string(t.thresholdMs) + " ms";
    return f.p99Ms > t.thresholdMs;
}

bool AlertMonitor::measureBudget(Alert &a, TimePoint now) const
{
    const auto &t = m_thresholds.budgetNearCap;
    a.threshold = t.share;
    a.value = 0;
    a.budget.clear();
    a.eventAt = TimePoint();
    a.count = static_cast<std::int64_t>(m_budgets.size());
    bool any = false;
    for (const auto &[name, figure] : m_budgets) {
        if (!any || figure.share > a.value) {
            a.value = figure.share;
            a.budget = name;
            a.eventAt = figure.at;
            any = true;
        }
    }
    if (now < m_budgetDemoUntil) {
        const double demo = t.share + (1 - t.share) / 2;
        if (!any || demo > a.value) {
            a.value = demo;
            a.budget = kDemoBudget;
            a.eventAt = m_budgetDemoUntil - kDemoHold;
            any = true;
        }
        ++a.count;
    }
    if (!any) {
        a.explanation = "No budget reported";
        return false;
    }
    a.explanation = "Budget " + a.budget + " is at " + percent(a.value) + " of its cap; threshold " + percent(t.share);
    return a.value >= t.share;
}

bool AlertMonitor::measure(Alert &a, TimePoint now) const
{
    a.enabled = enabledIn(m_thresholds, a.id);
    switch (a.id) {
    case AlertId::InventoryConfirmationSlow:
        return measureInventory(a, now);
    case AlertId::IllegalTransition:
        return measureIllegal(a, now);
    case AlertId::PricingReloadFailed:
        return measurePricing(a, now);
    case AlertId::OrderPathP99:
        return measureP99(a, now);
    case AlertId::BudgetNearCap:
        return measureBudget(a, now);
    }
    return false;
}

std::vector<AlertChange> AlertMonitor::evaluate(TimePoint now)
{
    std::vector<AlertChange> changes;
    std::function<void(const AlertChange &)> listener;
    {
        std::lock_guard lock(m_mutex);
        for (Alert &a : m_alerts) {
            const bool holds = measure(a, now) && a.enabled;
            a.evaluatedAt = now;
            if (!a.enabled)
                a.explanation = "Disabled";
            if (holds && a.state == AlertState::Ok) {
                a.state = AlertState::Firing;
                a.since = now;
                changes.push_back({ChangeKind::Fired, now, a});
            } else if (!holds && a.state == AlertState::Firing) {
                a.state = AlertState::Ok;
                a.resolvedAt = now;
                changes.push_back({ChangeKind::Resolved, now, a});
            }
        }
        for (const AlertChange &change : changes) {
            m_history.push_front(change);
            if (m_history.size() > kHistorySize)
                m_history.pop_back();
        }
        listener = m_listener;
    }
    if (listener) {
        for (const AlertChange &change : changes)
            listener(change);
    }
    return changes;
}

std::vector<Alert> AlertMonitor::current() const
{
    std::lock_guard lock(m_mutex);
    return {m_alerts.begin(), m_alerts.end()};
}

Alert AlertMonitor::current(AlertId id) const
{
    std::lock_guard lock(m_mutex);
    return m_alerts[static_cast<std::size_t>(id)];
}

std::vector<AlertChange> AlertMonitor::history(std::size_t limit) const
{
    std::lock_guard lock(m_mutex);
    const std::size_t n = std::min(limit, m_history.size());
    return {m_history.begin(), m_history.begin() + static_cast<std::ptrdiff_t>(n)};
}

void AlertMonitor::restoreHistory(std::vector<AlertChange> newestFirst)
{
    std::lock_guard lock(m_mutex);
    if (newestFirst.size() > kHistorySize)
        newestFirst.resize(kHistorySize);
    m_history.assign(newestFirst.begin(), newestFirst.end());
    // Oldest first, so each alert ends with its newest change.
    for (auto it = newestFirst.rbegin(); it != newestFirst.rend(); ++it) {
        Alert &a = m_alerts[static_cast<std::size_t>(it->alert.id)];
        if (it->kind == ChangeKind::Fired) {
            a.state = AlertState::Firing;
            a.since = it->at;
        } else {
            a.state = AlertState::Ok;
            a.resolvedAt = it->at;
        }
        a.explanation = it->alert.explanation;
    }
}

void AlertMonitor::setChangeListener(std::function<void(const AlertChange &)> listener)
{
    std::lock_guard lock(m_mutex);
    m_listener = std::move(listener);
}

std::optional<ThresholdsError> AlertMonitor::setThresholds(const AlertThresholds &thresholds)
{
    if (auto error = validate(thresholds))
        return error;
    std::lock_guard lock(m_mutex);
    m_thresholds = thresholds;
    m_slowAfterMs.store(thresholds.inventoryConfirmationSlow.slowAfterMs, std::memory_order_relaxed);
    return std::nullopt;
}

AlertThresholds AlertMonitor::thresholds() const
{
    std::lock_guard lock(m_mutex);
    return m_thresholds;
}

std::optional<Error> AlertMonitor::trigger(AlertId id, TimePoint now)
{
    const AlertThresholds t = thresholds();
    if (!enabledIn(t, id))
        return Error{ErrorCode::FailedPrecondition, std::string(alertName(id)) + " is disabled"};
    switch (id) {
    case AlertId::InventoryConfirmationSlow: {
        const auto &inv = t.inventoryConfirmationSlow;
        if (inv.share >= 1)
            return Error{ErrorCode::FailedPrecondition, "inventory_confirmation_slow cannot fire with share 1"};
        // n slow orders take slow / paid to `target`: (slow + n) / (paid + n) = target.
        const WindowCounts c = counts(now, inv.windowSeconds, false);
        const double target = std::min(2 * inv.share, (1 + inv.share) / 2);
        const double needed = (target * double(c.paid) - double(c.slow)) / (1 - target);
        std::uint64_t n = needed > 0 ? static_cast<std::uint64_t>(needed) + 1 : 1;
        if (c.paid + n < std::uint64_t(inv.minPaidOrders))
            n = std::uint64_t(inv.minPaidOrders) - c.paid;
        addConfirmations(now, n, n);
        return std::nullopt;
    }
    case AlertId::IllegalTransition: {
        const auto &ill = t.illegalTransition;
        const WindowCounts c = counts(now, ill.windowSeconds, true);
        const std::uint64_t over = std::uint64_t(ill.maxAttempts) + 1;
        addIllegal(now, c.illegal >= over ? 1 : over - c.illegal, Transition{now, 0, "paid", "cancelled"});
        return std::nullopt;
    }
    case AlertId::PricingReloadFailed: {
        std::lock_guard lock(m_mutex);
        m_pricingDemoFrom = now;
        m_pricingDemoUntil = now + kDemoHold;
        return std::nullopt;
    }
    case AlertId::OrderPathP99: {
        const auto &p99 = t.orderPathP99;
        // At most 1 % of the samples may be below the slow ones for the P99 to be
        // among them: n > samples / 99; twice that for the orders still coming.
        const std::uint64_t samples = latency(now, p99.windowSeconds).samples;
        std::uint64_t n = samples / 50 + 2;
        if (samples + n < std::uint64_t(p99.minSamples))
            n = std::uint64_t(p99.minSamples) - samples;
        addLatencies(now, std::int64_t(p99.thresholdMs) * 2000, n);
        return std::nullopt;
    }
    case AlertId::BudgetNearCap: {
        std::lock_guard lock(m_mutex);
        m_budgetDemoUntil = now + kDemoHold;
        return std::nullopt;
    }
    }
    return Error{ErrorCode::InvalidArgument, "unknown alert"};
}

} // namespace flywheel::alerts
