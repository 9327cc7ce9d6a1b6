#pragma once

#include "domain/alerts/AlertMonitor.h"
#include "storage/AlertStore.h"
#include "versioning/VersionedDocument.h"

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flywheel::alerts {

/// The business alerts of one backend (docs/operations.md, "Business alerts"): the
/// AlertMonitor and its inputs, the thresholds as a versioned, audited document
/// (area "alerts", object "thresholds"), and the history of changes of state, stored
/// in the AlertStore and loaded again at start.
///
/// evaluate() is called once a second (the housekeeper): each change is stored,
/// logged and counted in generation(), which the stream watches.
class AlertManager final {
public:
    /// `demo`: TriggerDemoAlert is available (the console's local demo).
    AlertManager(AlertStore &store, const Clock &clock, bool demo);

    /// Opens the thresholds (the defaults as version 1 on a new database) and the
    /// stored history. Throws StorageError.
    void start();

    AlertMonitor &monitor() { return m_monitor; }
    const AlertMonitor &monitor() const { return m_monitor; }
    versioning::Document &document() { return m_document; }
    bool demo() const { return m_demo; }

    /// Evaluates at the clock's time; stores and logs each change.
    void evaluate();
    /// Changes whenever an alert changes state or the thresholds change.
    std::uint64_t generation() const { return m_generation.load(std::memory_order_acquire); }
    /// Called after each evaluate() that changed something (from the housekeeper).
    void setChangedListener(std::function<void()> listener);

    // The thresholds document.
    AlertThresholds thresholds() const { return m_monitor.thresholds(); }
    std::int64_t thresholdsVersion() const { return m_document.currentVersion(); }
    /// A stored version (0: the current one); nullopt when there is none. Throws StorageError.
    std::optional<std::pair<AlertThresholds, StoredVersion>> stored(std::int64_t version) const;
    Result<StoredVersion> save(std::int64_t baseVersion, const AlertThresholds &thresholds, const std::string &reason,
                               const audit::Actor &actor);
    Result<StoredVersion> rollback(std::int64_t toVersion, std::int64_t baseVersion, const std::string &reason,
                                   const audit::Actor &actor);

    /// Demo mode only: makes `name` fire (AlertMonitor::trigger). FAILED_PRECONDITION
    /// outside demo mode or for a disabled alert, INVALID_ARGUMENT for an unknown name.
    std::optional<Error> trigger(const std::string &name);

    /// How many times `id` started firing since start (for flywheel_alerts_fired_total).
    std::int64_t firedCount(AlertId id) const
    {
        return m_fired[static_cast<std::size_t>(id)].load(std::memory_order_relaxed);
    }

private:
    AlertStore &m_store;
    const Clock &m_clock;
    const bool m_demo;
    AlertMonitor m_monitor;
    versioning::VersionedDocument<AlertThresholds> m_document;
    std::atomic<std::uint64_t> m_generation{0};
    std::array<std::atomic<std::int64_t>, kAllAlerts.size()> m_fired{};
    std::mutex m_listenerMutex;
    std::function<void()> m_changed;
};

} // namespace flywheel::alerts
