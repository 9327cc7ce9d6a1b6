#include "experiments/ExperimentManager.h"

#include "common/Log.h"
#include "experiments/ExperimentSetYaml.h"

#include <charconv>
#include <chrono>

namespace flywheel::experiments {

namespace {

using namespace std::chrono_literals;

constexpr auto kWriteEvery = 200ms;

versioning::DocumentSpec experimentSpec()
{
    return versioning::DocumentSpec{
        kExperimentsArea, "experiment set", "the experiments change", [](std::int64_t base, std::int64_t current) {
            return "the experiments were changed meanwhile: version " + std::to_string(current) +
                   " is current, not " + std::to_string(base) + "; reload and apply your changes again";
        },
        "an earlier experiment set cannot be restored from the audit log: experiments change only through "
        "save, start, stop, ship and roll back (the Experiments page), so users already assigned keep their "
        "variant and a shipped payload is taken back with its experiment"};
}

versioning::Codec<ExperimentSet> experimentCodec()
{
    versioning::Codec<ExperimentSet> codec;
    codec.parse = [](const std::string &yaml, const std::string &where) -> Result<ExperimentSet> {
        auto parsed = experimentSetFromYaml(yaml, where);
        if (const auto *error = std::get_if<common::YamlError>(&parsed))
            return Error{ErrorCode::InvalidArgument, "cannot read " + error->describe()};
        return std::get<ExperimentSet>(std::move(parsed));
    };
    codec.validate = [](const ExperimentSet &set) { return validate(set); };
    codec.emit = [](const ExperimentSet &set) { return experimentSetToYaml(set); };
    return codec;
}

Error notFound(const std::string &key)
{
    return Error{ErrorCode::NotFound, "there is no experiment \"" + key + "\""};
}

Error precondition(std::string message)
{
    return Error{ErrorCode::FailedPrecondition, std::move(message)};
}

std::int64_t secondsBetween(TimePoint from, TimePoint to)
{
    return to <= from ? 0 : std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

} // namespace

ExperimentManager::ExperimentManager(ExperimentStore &store, const Clock &clock, Hooks hooks)
    : m_store(store), m_clock(clock), m_hooks(std::move(hooks)),
      m_document(store, clock, experimentSpec(), experimentCodec(),
                 [this](ExperimentSet set, const StoredVersion &stored) { install(std::move(set), stored); })
{
    auto empty = std::make_unique<Live>();
    empty->defaultCopy = Defaults{}.inviteCopy;
    m_live.store(empty.get());
    m_generations.push_back(std::move(empty));
}

ExperimentManager::~ExperimentManager()
{
    try {
        stop();
    } catch (const std::exception &e) {
        common::Log::error(std::string("the experiment exposures could not be stored at shutdown: ") + e.what());
    }
}

void ExperimentManager::start(std::optional<ExperimentSet> initial)
{
    if (!m_document.open()) {
        ExperimentSet set = initial ? std::move(*initial) : ExperimentSet{};
        std::string yaml = experimentSetToYaml(set);
        const auto installed = m_document.replace(std::move(set), std::move(yaml),
                                                  initial ? "the demo experiments" : "no experiments yet", "initial",
                                                  std::nullopt);
        if (!installed.ok())
            throw StorageError(installed.error().message);
    }
    // The stored exposures and what their users did since.
    const ExperimentSet set = current().set;
    std::int64_t skipped = 0;
    m_store.forEachExposure([&](const StoredExposure &row) {
        const Experiment *experiment = set.find(row.experiment);
        std::optional<std::uint16_t> index;
        if (experiment)
            for (std::size_t i = 0; i < experiment->variants.size(); ++i)
                if (experiment->variants[i].key == row.variant)
                    index = static_cast<std::uint16_t>(i);
        if (!index) {
            ++skipped;
            return;
        }
        State &state = stateFor(row.experiment);
        Shard &shard = state.shardOf(row.uid);
        const std::lock_guard lock(shard.mutex);
        if (const auto it = shard.users.find(row.uid); it != shard.users.end()) {
            it->second.variant = *index;
            shard.records[it->second.record] = UserRecord{row.at, row.metrics};
        } else {
            shard.place(row.uid, *index, row.at);
            shard.records.back().outcome = row.metrics;
        }
    });
    if (skipped > 0)
        common::Log::warning(std::to_string(skipped) +
                             " stored exposures name an experiment or variant the experiment set does not have; "
                             "they are left out of the results");
    {
        const std::lock_guard lock(m_pendingMutex);
        m_stopping = false;
        m_started = true;
    }
    m_writer = std::thread([this] { writerLoop(); });
}

void ExperimentManager::stop()
{
    {
        const std::lock_guard lock(m_pendingMutex);
        if (!m_started)
            return;
        m_started = false;
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_writer.joinable())
        m_writer.join();
    writePending();
}

// --- snapshots ---

ExperimentManager::State &ExperimentManager::stateFor(const std::string &key)
{
    const std::lock_guard lock(m_statesMutex);
    auto &slot = m_states[key];
    if (!slot) {
        slot = std::make_unique<State>();
        slot->key = key;
    }
    return *slot;
}

const ExperimentManager::State *ExperimentManager::findState(const std::string &key) const
{
    const std::lock_guard lock(m_statesMutex);
    const auto it = m_states.find(key);
    return it == m_states.end() ? nullptr : it->second.get();
}

void ExperimentManager::install(ExperimentSet set, const StoredVersion &stored)
{
    auto live = std::make_unique<Live>();
    live->defaultCopy = set.defaults.inviteCopy;
    live->defaultSubsidyVersion = set.defaults.subsidyConfigVersion;
    for (const Experiment &e : set.experiments) {
        State &state = stateFor(e.key);
        state.counting.store(e.status == Status::Running, std::memory_order_relaxed);
        if (e.status != Status::Running)
            continue;
        auto assigner = Assigner::create(e.design());
        if (!assigner.ok()) { // validated before saving; a stored one that is not is left out
            common::Log::error("experiment " + e.key + " cannot assign users: " + assigner.error().message);
            continue;
        }
        LiveSurface &surface = live->surfaces[e.surface == Surface::InviteCopy ? 0 : 1];
        surface.state = &state;
        surface.assigner.emplace(std::move(assigner).value());
        surface.experimentKey = e.key;
        surface.variants = e.variants;
    }
    {
        const std::lock_guard lock(m_setMutex);
        m_set = std::move(set);
        m_stored = stored;
    }
    const std::lock_guard lock(m_statesMutex);
    m_live.store(live.get(), std::memory_order_release);
    m_generations.push_back(std::move(live));
    m_generation.fetch_add(1, std::memory_order_relaxed);
}

VariantChoice ExperimentManager::defaultChoice(const Live &live, Surface surface) const
{
    VariantChoice choice;
    if (surface == Surface::InviteCopy)
        choice.inviteCopy = live.defaultCopy;
    else
        choice.subsidyConfigVersion = live.defaultSubsidyVersion;
    return choice;
}

VariantChoice ExperimentManager::choose(Surface surface, std::int64_t uid, TimePoint now)
{
    const Live &live = *m_live.load(std::memory_order_acquire);
    const LiveSurface &running = live.surfaces[surface == Surface::InviteCopy ? 0 : 1];
    if (running.state == nullptr || uid <= 0)
        return defaultChoice(live, surface);
    const auto chosen = [&](std::uint16_t index) {
        VariantChoice choice;
        choice.experimentKey = running.experimentKey;
        const VariantSpec &v = running.variants[index];
        choice.variantKey = v.key;
        choice.inviteCopy = v.payload.inviteCopy;
        choice.subsidyConfigVersion = v.payload.subsidyConfigVersion;
        if (surface == Surface::InviteCopy && choice.inviteCopy.empty())
            choice.inviteCopy = live.defaultCopy;
        return choice;
    };
    Shard &shard = running.state->shardOf(uid);
    std::optional<std::uint16_t> stored;
    {
        const std::lock_guard lock(shard.mutex);
        if (const auto it = shard.users.find(uid); it != shard.users.end())
            stored = it->second.variant;
    }
    // A variant added after the user was stored still exists: variants are only appended.
    if (stored && *stored < running.variants.size())
        return chosen(*stored);
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, uid).ptr;
    const auto assigned = running.assigner->assign(std::string_view(digits, static_cast<std::size_t>(end - digits)));
    if (!assigned.ok() || !assigned.value().variant)
        return defaultChoice(live, surface);
    auto index = static_cast<std::uint16_t>(*assigned.value().variant);
    bool isNew = false;
    {
        const std::lock_guard lock(shard.mutex);
        // Another thread may have placed the user first: theirs is kept.
        std::tie(index, isNew) = shard.place(uid, index, now);
    }
    if (isNew) {
        {
            const std::lock_guard lock(m_pendingMutex);
            m_pendingExposures.push_back(StoredExposure{running.experimentKey, uid, running.variants[index].key, now, {}});
        }
        m_generation.fetch_add(1, std::memory_order_relaxed);
    }
    return chosen(index);
}

void ExperimentManager::record(std::int64_t uid, Event event, Money amount, TimePoint at, std::optional<Surface> only)
{
    const Live &live = *m_live.load(std::memory_order_acquire);
    for (std::size_t s = 0; s < live.surfaces.size(); ++s) {
        if (only && s != (*only == Surface::InviteCopy ? 0U : 1U))
            continue;
        const LiveSurface &running = live.surfaces[s];
        State *state = running.state;
        if (state == nullptr || !state->counting.load(std::memory_order_relaxed))
            continue;
        Shard &shard = state->shardOf(uid);
        {
            const std::lock_guard lock(shard.mutex);
            UserRecord *user = shard.find(uid);
            if (user == nullptr || at < user->at)
                continue;
            Outcome &o = user->outcome;
            switch (event) {
            case Event::Share:
                ++o.shares;
                break;
            case Event::Registration:
                ++o.registrations;
                break;
            case Event::PaidOrder:
                ++o.orders;
                o.gmvMinor += amount.minorUnits();
                break;
            case Event::SubsidyCost:
                o.subsidyMinor += amount.minorUnits();
                break;
            case Event::CommissionCost:
                o.commissionMinor += amount.minorUnits();
                break;
            }
        }
        {
            const std::lock_guard lock(m_pendingMutex);
            m_dirty.emplace(state, uid);
        }
        m_generation.fetch_add(1, std::memory_order_relaxed);
    }
}

// --- the writer ---

void ExperimentManager::writerLoop()
{
    for (;;) {
        {
            std::unique_lock lock(m_pendingMutex);
            m_wake.wait_for(lock, kWriteEvery, [this] { return m_stopping; });
            if (m_stopping)
                return;
        }
        try {
            writePending();
        } catch (const std::exception &e) {
            common::Log::error(std::string("unexpected error storing experiment exposures: ") + e.what());
        }
    }
}

void ExperimentManager::flush()
{
    writePending();
}

bool ExperimentManager::writePending()
{
    const std::lock_guard writing(m_writeMutex);
    std::vector<StoredExposure> exposures;
    std::set<std::pair<State *, std::int64_t>> dirty;
    {
        const std::lock_guard lock(m_pendingMutex);
        exposures.swap(m_pendingExposures);
        dirty.swap(m_dirty);
    }
    if (exposures.empty() && dirty.empty())
        return true;
    std::vector<StoredExposure> metrics;
    metrics.reserve(dirty.size());
    for (const auto &[state, uid] : dirty) {
        const Shard &shard = state->shardOf(uid);
        const std::lock_guard lock(shard.mutex);
        if (const UserRecord *user = shard.find(uid))
            metrics.push_back(StoredExposure{state->key, uid, {}, user->at, user->outcome});
    }
    try {
        m_store.writeExposures(exposures, metrics);
        return true;
    } catch (const StorageError &e) {
        common::Log::error(std::string("experiment exposures could not be stored (retried): ") + e.what());
        const std::lock_guard lock(m_pendingMutex);
        m_pendingExposures.insert(m_pendingExposures.begin(), exposures.begin(), exposures.end());
        m_dirty.insert(dirty.begin(), dirty.end());
        return false;
    }
}

std::int64_t ExperimentManager::exposureCount() const
{
    std::int64_t n = 0;
    const std::lock_guard lock(m_statesMutex);
    for (const auto &[key, state] : m_states)
        for (const Shard &shard : state->shards) {
            const std::lock_guard shardLock(shard.mutex);
            n += static_cast<std::int64_t>(shard.users.size());
        }
    return n;
}

// --- the console ---

ExperimentManager::Current ExperimentManager::current() const
{
    const std::lock_guard lock(m_setMutex);
    return Current{m_set, m_stored};
}

std::optional<ExperimentManager::Current> ExperimentManager::version(std::int64_t wanted) const
{
    if (wanted == 0)
        return current();
    const auto stored = m_document.version(wanted);
    if (!stored)
        return std::nullopt;
    auto parsed = experimentSetFromYaml(stored->yaml, "experiment set version " + std::to_string(wanted));
    if (const auto *error = std::get_if<common::YamlError>(&parsed))
        throw StorageError("cannot read " + error->describe());
    return Current{std::get<ExperimentSet>(std::move(parsed)), *stored};
}

std::vector<ExperimentManager::Current> ExperimentManager::versions(int limit) const
{
    std::vector<Current> out;
    for (const StoredVersion &stored : m_document.versions(limit)) {
        auto parsed = experimentSetFromYaml(stored.yaml, "experiment set version " + std::to_string(stored.version));
        if (const auto *error = std::get_if<common::YamlError>(&parsed))
            throw StorageError("cannot read " + error->describe());
        out.push_back(Current{std::get<ExperimentSet>(std::move(parsed)), stored});
    }
    return out;
}

std::optional<Error> ExperimentManager::checkBase(std::int64_t baseVersion) const
{
    const std::int64_t now = current().stored.version;
    if (baseVersion != now)
        return Error{ErrorCode::Aborted, experimentSpec().stale(baseVersion, now)};
    return std::nullopt;
}

Result<ExperimentManager::Current> ExperimentManager::change(
    std::int64_t baseVersion, const std::string &reason, const audit::Actor &actor, const std::string &source,
    const std::function<std::optional<Error>(ExperimentSet &set)> &apply)
{
    if (reason.empty())
        return Error{ErrorCode::InvalidArgument, "reason is required: say why the experiments change"};
    if (reason.size() > 500)
        return Error{ErrorCode::InvalidArgument, "reason must be at most 500 characters"};
    if (baseVersion < 0)
        return Error{ErrorCode::InvalidArgument,
                     "base_version must be the version the change starts from, not " + std::to_string(baseVersion)};
    if (auto stale = checkBase(baseVersion))
        return *stale;
    ExperimentSet set = current().set;
    if (auto refused = apply(set))
        return *refused;
    const auto saved = m_document.save(baseVersion, set, reason, actor, source);
    if (!saved.ok())
        return saved.error();
    return current();
}

Result<ExperimentManager::Current> ExperimentManager::save(std::int64_t baseVersion, Experiment next,
                                                           const std::string &reason, const audit::Actor &actor)
{
    const std::lock_guard lock(m_changeMutex);
    return change(baseVersion, reason, actor, "console", [&](ExperimentSet &set) -> std::optional<Error> {
        if (!validKey(next.key))
            return Error{ErrorCode::InvalidArgument,
                         "experiment.key must be 1-40 characters of a-z, 0-9, _ and -, not \"" + next.key + "\""};
        Experiment *existing = set.find(next.key);
        if (existing == nullptr) {
            if (next.salt.empty())
                next.salt = next.key;
            next.status = Status::Draft;
            next.startedAt = next.endedAt = TimePoint{};
            next.shippedVariant.clear();
            next.inviteCopyBeforeShip.clear();
            next.subsidyVersionBeforeShip = 0;
        } else if (existing->status == Status::Draft) {
            if (next.salt.empty())
                next.salt = existing->salt;
            next.status = Status::Draft;
            next.startedAt = next.endedAt = TimePoint{};
            next.shippedVariant.clear();
        } else if (existing->status == Status::Running) {
            if (next.salt.empty())
                next.salt = existing->salt;
            if (auto refused = validateRunningChange(*existing, next))
                return refused;
            Experiment kept = *existing;
            kept.name = next.name;
            kept.hypothesis = next.hypothesis;
            kept.trafficBp = next.trafficBp;
            kept.minRunHours = next.minRunHours;
            kept.variants = next.variants;
            next = std::move(kept);
        } else {
            return precondition("experiment \"" + next.key + "\" is " + statusName(existing->status) +
                                " and can no longer be edited; create a new experiment");
        }
        if (auto invalid = validate(next))
            return invalid;
        if (next.surface == Surface::FirstOrderSubsidy && m_hooks.subsidyVersionExists)
            for (std::size_t i = 0; i < next.variants.size(); ++i)
                if (!m_hooks.subsidyVersionExists(next.variants[i].payload.subsidyConfigVersion))
                    return Error{ErrorCode::InvalidArgument,
                                 "experiment.variants[" + std::to_string(i) +
                                     "].payload.subsidy_config_version: there is no subsidy config version " +
                                     std::to_string(next.variants[i].payload.subsidyConfigVersion)};
        if (existing)
            *existing = std::move(next);
        else
            set.experiments.push_back(std::move(next));
        return std::nullopt;
    });
}

Result<ExperimentManager::Current> ExperimentManager::startExperiment(std::int64_t baseVersion,
                                                                      const std::string &key,
                                                                      const std::string &reason,
                                                                      const audit::Actor &actor)
{
    const std::lock_guard lock(m_changeMutex);
    return change(baseVersion, reason, actor, "console", [&](ExperimentSet &set) -> std::optional<Error> {
        Experiment *e = set.find(key);
        if (e == nullptr)
            return notFound(key);
        if (e->status != Status::Draft)
            return precondition("experiment \"" + key + "\" is " + statusName(e->status) +
                                "; only a draft can be started");
        if (const Experiment *other = set.running(e->surface))
            return precondition("experiment \"" + other->key + "\" already runs on the " +
                                surfaceName(e->surface) + " surface; stop it first");
        e->status = Status::Running;
        e->startedAt = m_clock.now();
        e->endedAt = TimePoint{};
        return std::nullopt;
    });
}

Result<ExperimentManager::Current> ExperimentManager::stopExperiment(std::int64_t baseVersion, const std::string &key,
                                                                     const std::string &reason,
                                                                     const audit::Actor &actor)
{
    const std::lock_guard lock(m_changeMutex);
    return change(baseVersion, reason, actor, "console", [&](ExperimentSet &set) -> std::optional<Error> {
        Experiment *e = set.find(key);
        if (e == nullptr)
            return notFound(key);
        if (e->status != Status::Running)
            return precondition("experiment \"" + key + "\" is " + statusName(e->status) +
                                "; only a running experiment can be stopped");
        e->status = Status::Stopped;
        e->endedAt = m_clock.now();
        return std::nullopt;
    });
}

std::string ExperimentManager::shipBlocked(const Experiment &e, const Results &results, TimePoint now) const
{
    if (e.status != Status::Running && e.status != Status::Stopped)
        return std::string("the experiment is ") + statusName(e.status) + "; only a running or stopped one ships";
    const TimePoint end = e.status == Status::Running ? now : e.endedAt;
    const std::int64_t ran = secondsBetween(e.startedAt, end);
    const std::int64_t needed = std::int64_t{e.minRunHours} * 3600;
    if (ran < needed)
        return "it has run " + std::to_string(ran / 3600) + " h " + std::to_string(ran % 3600 / 60) +
               " min of the " + std::to_string(e.minRunHours) + " hours it must run before shipping";
    if (results.srmMismatch)
        return "the sample ratio mismatches the weights (χ² p < 0.001): the split is broken, so its results "
               "cannot be trusted";
    return {};
}

Result<ExperimentManager::ResultsView> ExperimentManager::results(const std::string &key, IntervalKind kind) const
{
    const Current now = current();
    const Experiment *e = now.set.find(key);
    if (e == nullptr)
        return notFound(key);
    std::vector<VariantInput> inputs;
    for (const VariantSpec &v : e->variants)
        inputs.push_back(VariantInput{v.key, v.name, v.weightBp, {}});
    if (const State *state = findState(key)) {
        for (const Shard &shard : state->shards) {
            const std::lock_guard lock(shard.mutex);
            for (const auto &[uid, slot] : shard.users)
                if (slot.variant < inputs.size())
                    inputs[slot.variant].totals.add(shard.records[slot.record].outcome);
        }
    }
    ResultsView view;
    view.experiment = *e;
    view.kind = kind;
    view.at = m_clock.now();
    view.results = computeResults(inputs, kind);
    if (e->status != Status::Draft)
        view.runningSeconds = secondsBetween(e->startedAt, e->status == Status::Running ? view.at : e->endedAt);
    view.shipBlockedReason = shipBlocked(*e, view.results, view.at);
    view.canShip = view.shipBlockedReason.empty();
    return view;
}

Result<ExperimentManager::Current> ExperimentManager::ship(std::int64_t baseVersion, const std::string &key,
                                                           const std::string &variantKey, const std::string &reason,
                                                           const audit::Actor &actor)
{
    const std::lock_guard lock(m_changeMutex);
    // Refusals first, so that the subsidy hook runs only for a ship that will be saved.
    if (reason.empty())
        return Error{ErrorCode::InvalidArgument, "reason is required: say why the experiments change"};
    if (auto stale = checkBase(baseVersion))
        return *stale;
    const auto view = results(key, IntervalKind::Sequential);
    if (!view.ok())
        return view.error();
    const Experiment &e = view.value().experiment;
    const VariantSpec *variant = e.variant(variantKey);
    if (variant == nullptr)
        return Error{ErrorCode::InvalidArgument,
                     "variant_key \"" + variantKey + "\" is not a variant of experiment \"" + key + "\""};
    if (!view.value().canShip)
        return precondition("experiment \"" + key + "\" cannot ship yet: " + view.value().shipBlockedReason);
    std::int64_t subsidyBefore = 0;
    if (e.surface == Surface::FirstOrderSubsidy) {
        if (!m_hooks.makeSubsidyLive)
            return precondition("subsidy configs cannot be made live by this backend");
        const auto made = m_hooks.makeSubsidyLive(variant->payload.subsidyConfigVersion,
                                                  reason + " (ship of experiment " + key + ", variant " + variantKey +
                                                      ")",
                                                  actor);
        if (!made.ok())
            return made.error();
        subsidyBefore = made.value();
    }
    const TimePoint now = m_clock.now();
    auto shipped = change(baseVersion, reason, actor, "console", [&](ExperimentSet &set) -> std::optional<Error> {
        Experiment *target = set.find(key);
        if (target == nullptr)
            return notFound(key);
        if (target->status == Status::Running)
            target->endedAt = now;
        target->status = Status::Shipped;
        target->shippedVariant = variantKey;
        if (target->surface == Surface::InviteCopy) {
            target->inviteCopyBeforeShip = set.defaults.inviteCopy;
            set.defaults.inviteCopy = variant->payload.inviteCopy;
        } else {
            target->subsidyVersionBeforeShip = subsidyBefore;
            set.defaults.subsidyConfigVersion = variant->payload.subsidyConfigVersion;
        }
        return std::nullopt;
    });
    if (!shipped.ok() && subsidyBefore > 0)
        undoSubsidy(subsidyBefore, "ship of experiment " + key, actor);
    return shipped;
}

void ExperimentManager::undoSubsidy(std::int64_t version, const std::string &what, const audit::Actor &actor)
{
    // The experiments' change was refused after the subsidy config was made live:
    // the config in force before it is restored, so that the two stay in step.
    const auto undone = m_hooks.makeSubsidyLive(version, "the " + what + " was not recorded; version " +
                                                             std::to_string(version) + " is restored", actor);
    if (!undone.ok())
        common::Log::error("the " + what + " was not recorded, and subsidy config version " + std::to_string(version) +
                           " could not be restored: " + undone.error().message);
}

Result<ExperimentManager::Current> ExperimentManager::rollback(std::int64_t baseVersion, const std::string &key,
                                                               const std::string &reason, const audit::Actor &actor)
{
    const std::lock_guard lock(m_changeMutex);
    if (reason.empty())
        return Error{ErrorCode::InvalidArgument, "reason is required: say why the experiments change"};
    if (auto stale = checkBase(baseVersion))
        return *stale;
    const Current now = current();
    const Experiment *e = now.set.find(key);
    if (e == nullptr)
        return notFound(key);
    if (e->status != Status::Shipped && e->status != Status::Running)
        return precondition("experiment \"" + key + "\" is " + statusName(e->status) +
                            "; only a shipped or running experiment can be rolled back");
    std::int64_t subsidyBefore = 0;
    if (e->status == Status::Shipped && e->surface == Surface::FirstOrderSubsidy && e->subsidyVersionBeforeShip > 0) {
        if (!m_hooks.makeSubsidyLive)
            return precondition("subsidy configs cannot be made live by this backend");
        const auto made = m_hooks.makeSubsidyLive(e->subsidyVersionBeforeShip,
                                                  reason + " (rollback of experiment " + key + ")", actor);
        if (!made.ok())
            return made.error();
        subsidyBefore = made.value();
    }
    const TimePoint at = m_clock.now();
    auto rolledBack = change(baseVersion, reason, actor, "rollback", [&](ExperimentSet &set) -> std::optional<Error> {
        Experiment *target = set.find(key);
        if (target == nullptr)
            return notFound(key);
        if (target->status == Status::Running) {
            target->status = Status::Stopped;
            target->endedAt = at;
            return std::nullopt;
        }
        if (target->surface == Surface::InviteCopy && !target->inviteCopyBeforeShip.empty())
            set.defaults.inviteCopy = target->inviteCopyBeforeShip;
        if (target->surface == Surface::FirstOrderSubsidy)
            set.defaults.subsidyConfigVersion = 0;
        target->status = Status::Stopped;
        target->shippedVariant.clear();
        return std::nullopt;
    });
    if (!rolledBack.ok() && subsidyBefore > 0)
        undoSubsidy(subsidyBefore, "rollback of experiment " + key, actor);
    return rolledBack;
}

} // namespace flywheel::experiments
