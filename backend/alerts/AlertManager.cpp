#include "alerts/AlertManager.h"

#include "alerts/AlertThresholdsYaml.h"
#include "common/Log.h"

namespace flywheel::alerts {

namespace {

versioning::DocumentSpec thresholdsSpec()
{
    return versioning::DocumentSpec{
        kAlertsArea, "thresholds", "the alert thresholds change", [](std::int64_t base, std::int64_t current) {
            return "the alert thresholds were changed meanwhile: version " + std::to_string(current) +
                   " is current, not " + std::to_string(base) + "; reload and apply your changes again";
        }};
}

versioning::Codec<AlertThresholds> thresholdsCodec()
{
    versioning::Codec<AlertThresholds> codec;
    codec.parse = [](const std::string &yaml, const std::string &where) -> Result<AlertThresholds> {
        auto parsed = thresholdsFromYaml(yaml, where);
        if (const auto *error = std::get_if<common::YamlError>(&parsed))
            return Error{ErrorCode::InvalidArgument, "cannot read " + error->describe()};
        return std::get<AlertThresholds>(std::move(parsed));
    };
    codec.validate = [](const AlertThresholds &thresholds) -> std::optional<Error> {
        if (auto error = validate(thresholds))
            return Error{ErrorCode::InvalidArgument, error->message};
        return std::nullopt;
    };
    codec.emit = [](const AlertThresholds &thresholds) { return thresholdsToYaml(thresholds); };
    return codec;
}

/// How many changes are loaded at start (the monitor keeps as many).
constexpr int kHistoryLoaded = static_cast<int>(AlertMonitor::kHistorySize);

} // namespace

AlertManager::AlertManager(AlertStore &store, const Clock &clock, bool demo)
    : m_store(store), m_clock(clock), m_demo(demo),
      m_document(store, clock, thresholdsSpec(), thresholdsCodec(),
                 [this](AlertThresholds thresholds, const StoredVersion &) {
                     m_monitor.setThresholds(thresholds);
                     m_generation.fetch_add(1, std::memory_order_acq_rel);
                 })
{
}

void AlertManager::start()
{
    if (!m_document.open()) {
        const AlertThresholds defaults;
        const Result<StoredVersion> stored =
            m_document.replace(defaults, thresholdsToYaml(defaults), "the initial alert thresholds", "initial",
                               std::nullopt);
        if (!stored.ok())
            throw StorageError("cannot store the initial alert thresholds: " + stored.error().message);
    }
    m_monitor.restoreHistory(m_store.loadAlertHistory(kHistoryLoaded));
}

void AlertManager::evaluate()
{
    const std::vector<AlertChange> changes = m_monitor.evaluate(m_clock.now());
    if (changes.empty())
        return;
    for (const AlertChange &change : changes) {
        const std::string what = change.kind == ChangeKind::Fired ? "alert " + change.alert.name + " fired: "
                                                                  : "alert " + change.alert.name + " resolved: ";
        if (change.kind == ChangeKind::Fired) {
            m_fired[static_cast<std::size_t>(change.alert.id)].fetch_add(1, std::memory_order_relaxed);
            common::Log::warning(what + change.alert.explanation);
        }
        else
            common::Log::info(what + change.alert.explanation);
        try {
            m_store.appendAlertChange(change);
        } catch (const std::exception &e) {
            common::Log::error("the alert history could not be stored: " + std::string(e.what()));
        }
    }
    m_generation.fetch_add(1, std::memory_order_acq_rel);
    std::function<void()> listener;
    {
        const std::lock_guard lock(m_listenerMutex);
        listener = m_changed;
    }
    if (listener)
        listener();
}

void AlertManager::setChangedListener(std::function<void()> listener)
{
    const std::lock_guard lock(m_listenerMutex);
    m_changed = std::move(listener);
}

std::optional<std::pair<AlertThresholds, StoredVersion>> AlertManager::stored(std::int64_t version) const
{
    const std::optional<StoredVersion> found = m_document.version(version);
    if (!found)
        return std::nullopt;
    auto parsed = thresholdsFromYaml(found->yaml, "alert thresholds version " + std::to_string(found->version));
    if (const auto *error = std::get_if<common::YamlError>(&parsed))
        throw StorageError("cannot read " + error->describe());
    return std::pair{std::get<AlertThresholds>(std::move(parsed)), *found};
}

Result<StoredVersion> AlertManager::save(std::int64_t baseVersion, const AlertThresholds &thresholds,
                                         const std::string &reason, const audit::Actor &actor)
{
    return m_document.save(baseVersion, thresholds, reason, actor);
}

Result<StoredVersion> AlertManager::rollback(std::int64_t toVersion, std::int64_t baseVersion,
                                             const std::string &reason, const audit::Actor &actor)
{
    return m_document.restore(toVersion, baseVersion, reason, actor);
}

std::optional<Error> AlertManager::trigger(const std::string &name)
{
    if (!m_demo)
        return Error{ErrorCode::FailedPrecondition,
                     "alerts can be triggered only in the console's demo mode; this backend serves real traffic"};
    const std::optional<AlertId> id = parseAlertId(name);
    if (!id)
        return Error{ErrorCode::InvalidArgument,
                     "no alert \"" + name +
                         "\": inventory_confirmation_slow, illegal_transition, pricing_reload_failed, order_path_p99 "
                         "or budget_near_cap"};
    return m_monitor.trigger(*id, m_clock.now());
}

} // namespace flywheel::alerts
