#pragma once

#include "domain/Clock.h"
#include "domain/Result.h"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::alerts {

/// The business alerts of SPEC §8.
enum class AlertId { InventoryConfirmationSlow, IllegalTransition, PricingReloadFailed, OrderPathP99, BudgetNearCap };
inline constexpr std::array kAllAlerts{AlertId::InventoryConfirmationSlow, AlertId::IllegalTransition,
                                       AlertId::PricingReloadFailed, AlertId::OrderPathP99, AlertId::BudgetNearCap};

/// "inventory_confirmation_slow", "illegal_transition", "pricing_reload_failed",
/// "order_path_p99", "budget_near_cap".
const char *alertName(AlertId id);
/// Parses the names alertName gives; nullopt for anything else.
std::optional<AlertId> parseAlertId(std::string_view name);
/// A short English title ("Slow inventory confirmation"); the console has its own.
const char *alertTitle(AlertId id);

/// The alerts' thresholds: one version of the document "alert thresholds".
/// The ranges are those validate() enforces.
struct AlertThresholds {
    struct InventoryConfirmationSlow {
        bool enabled = true;
        /// 1-3600.
        std::int32_t windowSeconds = 300;
        /// A confirmation taking longer than this is slow; 1-600000. Applies to what is
        /// recorded after setThresholds, as each order is classified when recorded.
        std::int32_t slowAfterMs = 3000;
        /// Fires when slow / paid exceeds this; 0-1.
        double share = 0.005;
        /// Fewer paid orders in the window never fire; 0-1000000.
        std::int32_t minPaidOrders = 20;
        friend bool operator==(const InventoryConfirmationSlow &, const InventoryConfirmationSlow &) = default;
    };
    struct IllegalTransition {
        bool enabled = true;
        /// 1-3600.
        std::int32_t windowSeconds = 300;
        /// Fires when the attempts in the window exceed this; 0-1000000.
        std::int32_t maxAttempts = 0;
        friend bool operator==(const IllegalTransition &, const IllegalTransition &) = default;
    };
    struct PricingReloadFailed {
        bool enabled = true;
        friend bool operator==(const PricingReloadFailed &, const PricingReloadFailed &) = default;
    };
    struct OrderPathP99 {
        bool enabled = true;
        /// 1-600.
        std::int32_t windowSeconds = 60;
        /// Fires when the P99 of CreateOrder exceeds this; 1-60000.
        std::int32_t thresholdMs = 250;
        /// Fewer samples in the window never fire; 0-1000000.
        std::int32_t minSamples = 100;
        friend bool operator==(const OrderPathP99 &, const OrderPathP99 &) = default;
    };
    struct BudgetNearCap {
        bool enabled = true;
        /// Fires when a budget's used share is at or above this (as BudgetBook's 90 %
        /// signal); greater than 0, at most 1.
        double share = 0.9;
        friend bool operator==(const BudgetNearCap &, const BudgetNearCap &) = default;
    };

    InventoryConfirmationSlow inventoryConfirmationSlow;
    IllegalTransition illegalTransition;
    PricingReloadFailed pricingReloadFailed;
    OrderPathP99 orderPathP99;
    BudgetNearCap budgetNearCap;
    friend bool operator==(const AlertThresholds &, const AlertThresholds &) = default;
};

/// The limits validate() enforces on the whole-number fields.
struct WholeRange {
    std::int32_t min;
    std::int32_t max;
};
inline constexpr WholeRange kWindowSecondsRange{1, 3600};
inline constexpr WholeRange kP99WindowSecondsRange{1, 600};
inline constexpr WholeRange kSlowAfterMsRange{1, 600000};
inline constexpr WholeRange kP99ThresholdMsRange{1, 60000};
inline constexpr WholeRange kCountRange{0, 1000000};

/// Why thresholds may not be used.
struct ThresholdsError {
    /// The key path, as in the YAML document: "inventory_confirmation_slow.share".
    std::string field;
    /// A sentence naming the field and its range:
    /// "inventory_confirmation_slow.share must be between 0 and 1, got 1.5".
    std::string message;
};

/// The first field out of its range; nullopt when all are valid.
std::optional<ThresholdsError> validate(const AlertThresholds &thresholds);

enum class AlertState { Ok, Firing };

/// One alert as of the last evaluate(). The numbers are there for the console to
/// write its own (translated) text; `explanation` is a short English one.
///
/// What value, threshold, count and samples mean, and when the alert fires:
/// - inventory_confirmation_slow: slow / paid (0-1) against share; count slow paid
///   orders, samples paid orders; fires when value > threshold and samples >= min.
/// - illegal_transition: attempts in the window against max_attempts; count the
///   attempts; fires when value > threshold.
/// - pricing_reload_failed: 1 when the last reload failed, else 0, against 0.
/// - order_path_p99: the P99 of CreateOrder in ms against threshold_ms; samples the
///   CreateOrders; fires when value > threshold and samples >= min.
/// - budget_near_cap: the highest used share of any budget against share; count the
///   budgets known; fires when value >= threshold.
struct Alert {
    AlertId id = AlertId::InventoryConfirmationSlow;
    std::string name;
    std::string title;
    bool enabled = true;
    AlertState state = AlertState::Ok;
    /// Firing: since when. Ok: when it last fired; the epoch if never.
    TimePoint since;
    /// When it last resolved; the epoch if never.
    TimePoint resolvedAt;
    /// The evaluate() these figures come from; the epoch before the first.
    TimePoint evaluatedAt;
    double value = 0;
    double threshold = 0;
    std::int64_t count = 0;
    std::int64_t samples = 0;
    /// The minimum of samples to judge (0: none).
    std::int64_t minSamples = 0;
    /// The sliding window; 0 for the alerts on the latest state (pricing, budgets).
    std::int32_t windowSeconds = 0;
    /// inventory_confirmation_slow: the slow limit.
    std::int32_t slowAfterMs = 0;
    /// illegal_transition: the last attempt in the window (order 0: a demo attempt).
    std::int64_t orderId = 0;
    std::string from;
    std::string to;
    /// budget_near_cap: the budget with the highest share.
    std::string budget;
    /// pricing_reload_failed: the last reload's error.
    std::string error;
    /// When the event named above (attempt, reload, budget figure) was recorded.
    TimePoint eventAt;
    /// "3 of 412 paid orders (0.73 %) in the last 5 minutes waited more than 3 s for
    /// their stock to be confirmed; threshold 0.5 %".
    std::string explanation;
};

enum class ChangeKind { Fired, Resolved };

/// An alert that started or stopped firing, with its figures at that moment.
struct AlertChange {
    ChangeKind kind = ChangeKind::Fired;
    TimePoint at;
    Alert alert;
};

/// Evaluates the business alerts over sliding windows (SPEC §8).
///
/// Recording is thread-safe. paidOrderConfirmed and orderPathLatency, called on
/// every order, take no lock and allocate nothing: each adds to a one-second slot of
/// a ring (3600 slots of counters, 600 of a latency histogram) with relaxed atomics.
/// A slot carries the second it counts; the first writer of a newer second claims it
/// (a compare-and-swap to "busy"), clears it and publishes the second, while other
/// writers of that slot wait the few hundred nanoseconds that takes, so no count is
/// lost. A record older than its slot's second (more than a ring behind) is dropped;
/// a writer paused between finding its slot and adding to it for as long as the ring
/// spans (10 minutes, an hour) adds its one record to the newer second instead.
/// The rare recordings and evaluate() share one mutex.
///
/// Windows count whole seconds: a window of W seconds at `now` is the second of
/// `now` and the W - 1 before it. Times before 1970 are ignored.
///
/// The P99 comes from a histogram of 8 bins per power of two of microseconds,
/// interpolated within the bin: within 12.5 % (and 1 µs) of the exact value.
///
/// The domain stores nothing: the caller persists changes (the listener or the value
/// evaluate() returns) and gives them back at start through restoreHistory().
class AlertMonitor final {
public:
    static constexpr std::size_t kHistorySize = 500;
    /// How long a triggered pricing_reload_failed or budget_near_cap holds.
    static constexpr std::chrono::seconds kDemoHold{60};

    explicit AlertMonitor(AlertThresholds thresholds = {});
    ~AlertMonitor();
    AlertMonitor(const AlertMonitor &) = delete;
    AlertMonitor &operator=(const AlertMonitor &) = delete;

    /// A paid order whose stock was confirmed `confirmation` after payment. Lock-free.
    void paidOrderConfirmed(TimePoint at, Milliseconds confirmation);
    /// One CreateOrder took `d`. Lock-free.
    void orderPathLatency(TimePoint at, std::chrono::nanoseconds d);
    /// An order state transition was refused ("paid", "cancelled").
    void illegalTransition(TimePoint at, std::int64_t orderId, std::string from, std::string to);
    /// The pricing file was reloaded; `error` says why when not `ok`. A record older
    /// than the latest one is ignored.
    void pricingReload(TimePoint at, bool ok, std::string error);
    /// A budget's spend / cap (0-1); the latest per budget counts. A record older
    /// than the latest for that budget, or not a finite number, is ignored.
    void budgetShare(TimePoint at, std::string budget, double usedShare);
    /// The budgets as they are now, replacing every earlier figure: a budget no longer
    /// in force (removed, subsidies switched off) stops counting.
    void replaceBudgets(TimePoint at, const std::vector<std::pair<std::string, double>> &shares);

    /// Computes every alert over its window ending at `now`, applies the thresholds
    /// in force and returns what started or stopped firing, in kAllAlerts order. A
    /// disabled alert is Ok (resolving if it fired). The listener, if any, is called
    /// with each change after the state is updated, on this thread, without the lock.
    std::vector<AlertChange> evaluate(TimePoint now);

    /// All alerts, in kAllAlerts order, as of the last evaluate().
    std::vector<Alert> current() const;
    Alert current(AlertId id) const;
    /// The newest `limit` changes, newest first (at most kHistorySize are kept).
    std::vector<AlertChange> history(std::size_t limit = kHistorySize) const;
    /// At start, before the first evaluate(): the stored changes, newest first as
    /// history() gives them (the newest kHistorySize are kept). Each alert whose newest change is Fired is Firing again
    /// (so it resolves, rather than fires twice, when its condition no longer holds).
    void restoreHistory(std::vector<AlertChange> newestFirst);
    /// Called by evaluate() with each change; empty to remove.
    void setChangeListener(std::function<void(const AlertChange &)> listener);

    /// Replaces the thresholds from the next evaluate() on (slowAfterMs at once, for
    /// what is recorded next); refused, keeping the old ones, when not valid.
    std::optional<ThresholdsError> setThresholds(const AlertThresholds &thresholds);
    AlertThresholds thresholds() const;

    /// Demo → Trigger…: makes `id` fire at the next evaluate() as if its condition
    /// held, through the same recording paths where there is one:
    /// - inventory_confirmation_slow: records enough slow confirmations at `now` to
    ///   take the window above its share and minimum (about twice the share);
    ///   resolves once they leave the window.
    /// - illegal_transition: records at `now` the attempts (at least 1) that take the
    ///   window above max_attempts, on order 0, paid → cancelled; resolves once they
    ///   leave the window.
    /// - order_path_p99: records enough CreateOrders at twice the threshold to make
    ///   them the P99 and reach the minimum; resolves once they leave the window.
    /// - pricing_reload_failed: a failed reload "demo: triggered from the console"
    ///   for kDemoHold, ended early by a successful reload recorded after `now`.
    /// - budget_near_cap: a budget "demo" halfway between the share and 1, for
    ///   kDemoHold.
    /// FailedPrecondition for a disabled alert, or inventory_confirmation_slow with
    /// share 1 (which cannot be exceeded).
    std::optional<Error> trigger(AlertId id, TimePoint now);

private:
    struct CountSlot;
    struct LatencySlot;
    struct WindowCounts {
        std::uint64_t paid = 0;
        std::uint64_t slow = 0;
        std::uint64_t illegal = 0;
    };
    struct LatencyFigures {
        std::uint64_t samples = 0;
        double p99Ms = 0;
    };
    struct Transition {
        TimePoint at;
        std::int64_t orderId = 0;
        std::string from;
        std::string to;
    };
    struct Reload {
        TimePoint at;
        bool ok = true;
        std::string error;
    };
    struct BudgetFigure {
        TimePoint at;
        double share = 0;
    };

    void addConfirmations(TimePoint at, std::uint64_t paid, std::uint64_t slow);
    void addIllegal(TimePoint at, std::uint64_t attempts, Transition last);
    void addLatencies(TimePoint at, std::int64_t micros, std::uint64_t count);
    WindowCounts counts(TimePoint now, std::int32_t windowSeconds, bool illegal) const;
    std::uint64_t latencyBins(TimePoint now, std::int32_t windowSeconds, std::vector<std::uint64_t> &bins) const;
    LatencyFigures latency(TimePoint now, std::int32_t windowSeconds) const;

    /// Fills `alert`'s figures (not its state) and says whether its condition holds.
    bool measure(Alert &alert, TimePoint now) const;
    bool measureInventory(Alert &alert, TimePoint now) const;
    bool measureIllegal(Alert &alert, TimePoint now) const;
    bool measurePricing(Alert &alert, TimePoint now) const;
    bool measureP99(Alert &alert, TimePoint now) const;
    bool measureBudget(Alert &alert, TimePoint now) const;

    const std::unique_ptr<CountSlot[]> m_counts;
    const std::unique_ptr<LatencySlot[]> m_latencies;
    std::atomic<std::int64_t> m_slowAfterMs;

    mutable std::mutex m_mutex;
    AlertThresholds m_thresholds;
    std::array<Alert, kAllAlerts.size()> m_alerts;
    std::deque<AlertChange> m_history;
    std::function<void(const AlertChange &)> m_listener;
    std::optional<Transition> m_lastIllegal;
    std::optional<Reload> m_lastReload;
    std::map<std::string, BudgetFigure, std::less<>> m_budgets;
    /// Triggered pricing_reload_failed and budget_near_cap: [since, until).
    TimePoint m_pricingDemoFrom;
    TimePoint m_pricingDemoUntil;
    TimePoint m_budgetDemoUntil;
};

} // namespace flywheel::alerts
