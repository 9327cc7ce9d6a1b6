#pragma once

#include "domain/audit/Entry.h"
#include "domain/Clock.h"
#include "domain/experiments/ExperimentSet.h"
#include "domain/experiments/Results.h"
#include "domain/experiments/VariantChooser.h"
#include "domain/Money.h"
#include "domain/Result.h"
#include "storage/ExperimentStore.h"
#include "versioning/VersionedDocument.h"

#include <absl/container/flat_hash_map.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace flywheel::experiments {

/// The experiments of one backend (docs/experiments.md): the experiment set as a
/// versioned document (area "experiments") with its lifecycle, the VariantChooser the
/// storefront asks, the exposures (in memory at once, stored by a batching writer,
/// PRIMARY KEY (experiment, uid) in the database) and the results tracker.
///
/// choose() for an exposed user reads an immutable snapshot of the running
/// experiments through an atomic pointer and one of 64 striped maps of users: no
/// allocation, no storage on the caller's thread.
class ExperimentManager final : public VariantChooser {
public:
    struct Hooks {
        /// Makes subsidy config `version` the live one (ship of a subsidy variant, and
        /// its rollback), audited with `actor`; returns the version live before.
        /// Unset: shipping a subsidy variant is refused.
        std::function<Result<std::int64_t>(std::int64_t version, const std::string &reason,
                                           const audit::Actor &actor)>
            makeSubsidyLive;
        /// Whether a subsidy config version is stored. Unset: any positive version.
        std::function<bool(std::int64_t version)> subsidyVersionExists;
    };

    /// What a change of the lifecycle returns: the set now in force and its version.
    struct Current {
        ExperimentSet set;
        StoredVersion stored;
    };

    /// Results of one experiment at a time.
    struct ResultsView {
        Experiment experiment;
        Results results;
        IntervalKind kind = IntervalKind::Sequential;
        TimePoint at;
        std::int64_t runningSeconds = 0;
        bool canShip = false;
        std::string shipBlockedReason;
    };

    ExperimentManager(ExperimentStore &store, const Clock &clock, Hooks hooks = {});
    ~ExperimentManager() override;
    ExperimentManager(const ExperimentManager &) = delete;
    ExperimentManager &operator=(const ExperimentManager &) = delete;

    /// Installs the newest stored version (or `initial`, else an empty set, as version
    /// 1 when there is none), loads the stored exposures and starts the writer.
    /// Throws StorageError.
    void start(std::optional<ExperimentSet> initial = std::nullopt);
    /// Stores what is pending and stops the writer. Idempotent.
    void stop();

    // --- the storefront ---
    VariantChoice choose(Surface surface, std::int64_t uid, TimePoint now) override;

    // --- what exposed users do (counted while their experiment runs, after exposure) ---
    enum class Event { Share, Registration, PaidOrder, SubsidyCost, CommissionCost };
    /// Credits `uid` with one event (amount in minor units for money events; a paid
    /// order counts one order and its total as GMV). With `only`, just the running
    /// experiment of that surface counts it: what an invite brought an inviter counts
    /// for their invite-copy variant, not for the subsidy variant of their own first order.
    void record(std::int64_t uid, Event event, Money amount, TimePoint at, std::optional<Surface> only = std::nullopt);

    // --- the console ---
    Current current() const;
    /// One stored version (0: the newest), parsed; nullopt when there is none.
    std::optional<Current> version(std::int64_t version) const;
    std::vector<Current> versions(int limit) const;
    Result<Current> save(std::int64_t baseVersion, Experiment experiment, const std::string &reason,
                         const audit::Actor &actor);
    Result<Current> startExperiment(std::int64_t baseVersion, const std::string &key, const std::string &reason,
                                    const audit::Actor &actor);
    Result<Current> stopExperiment(std::int64_t baseVersion, const std::string &key, const std::string &reason,
                                   const audit::Actor &actor);
    Result<Current> ship(std::int64_t baseVersion, const std::string &key, const std::string &variantKey,
                         const std::string &reason, const audit::Actor &actor);
    Result<Current> rollback(std::int64_t baseVersion, const std::string &key, const std::string &reason,
                             const audit::Actor &actor);
    /// NOT_FOUND for an unknown key.
    Result<ResultsView> results(const std::string &key, IntervalKind kind) const;
    /// Changes whenever results may have changed (an exposure, an event, a version).
    std::uint64_t generation() const { return m_generation.load(std::memory_order_relaxed); }

    /// Stores the pending exposures and outcomes now (the writer does it every 200 ms).
    void flush();
    /// Exposures in memory, over all experiments.
    std::int64_t exposureCount() const;

    versioning::Document &document() { return m_document; }

private:
    /// When a user was exposed and what they did since (what record() and the writer touch).
    struct UserRecord {
        TimePoint at;
        Outcome outcome;
    };
    /// One stripe of an experiment's users. The index choose() reads holds only the
    /// variant and where the user's record is, 16 bytes a user, so the answer for an
    /// exposed user touches one small slot rather than the whole record.
    struct Shard {
        struct Slot {
            std::uint32_t record = 0;
            std::uint16_t variant = 0;
        };
        mutable std::mutex mutex;
        absl::flat_hash_map<std::int64_t, Slot> users;
        std::vector<UserRecord> records;

        /// Adds the user unless present; the user's variant either way, and whether added.
        std::pair<std::uint16_t, bool> place(std::int64_t uid, std::uint16_t variant, TimePoint at)
        {
            const auto [it, inserted] = users.try_emplace(uid, Slot{static_cast<std::uint32_t>(records.size()), variant});
            if (inserted)
                records.push_back(UserRecord{at, {}});
            return {it->second.variant, inserted};
        }
        UserRecord *find(std::int64_t uid)
        {
            const auto it = users.find(uid);
            return it == users.end() ? nullptr : &records[it->second.record];
        }
        const UserRecord *find(std::int64_t uid) const { return const_cast<Shard *>(this)->find(uid); }
    };
    static constexpr std::size_t kShards = 64;
    /// The users of one experiment; created once per key and never freed, so the
    /// snapshots can point at it.
    struct State {
        std::string key;
        std::array<Shard, kShards> shards;
        /// Events count only while it runs.
        std::atomic<bool> counting{false};
        Shard &shardOf(std::int64_t uid) { return shards[static_cast<std::uint64_t>(uid) % kShards]; }
        const Shard &shardOf(std::int64_t uid) const { return shards[static_cast<std::uint64_t>(uid) % kShards]; }
    };
    struct LiveSurface {
        State *state = nullptr;
        std::optional<Assigner> assigner;
        std::string experimentKey;
        std::vector<VariantSpec> variants;
    };
    /// The running experiments as choose() sees them; immutable once published.
    struct Live {
        std::array<LiveSurface, 2> surfaces;
        std::string defaultCopy;
        std::int64_t defaultSubsidyVersion = 0;
    };

    void install(ExperimentSet set, const StoredVersion &stored);
    /// Makes subsidy config `version` live again after `what` was refused.
    void undoSubsidy(std::int64_t version, const std::string &what, const audit::Actor &actor);
    State &stateFor(const std::string &key);
    const State *findState(const std::string &key) const;
    VariantChoice defaultChoice(const Live &live, Surface surface) const;
    void writerLoop();
    /// Stores what is pending; true when it was stored (or nothing was pending).
    bool writePending();
    /// Applies `change` to a copy of the current set and saves it as the next version.
    Result<Current> change(std::int64_t baseVersion, const std::string &reason, const audit::Actor &actor,
                           const std::string &source,
                           const std::function<std::optional<Error>(ExperimentSet &set)> &apply);
    std::optional<Error> checkBase(std::int64_t baseVersion) const;
    /// Why ship is refused now, or empty.
    std::string shipBlocked(const Experiment &experiment, const Results &results, TimePoint now) const;

    ExperimentStore &m_store;
    const Clock &m_clock;
    const Hooks m_hooks;

    mutable std::mutex m_setMutex;
    ExperimentSet m_set;
    StoredVersion m_stored;

    mutable std::mutex m_statesMutex;
    std::map<std::string, std::unique_ptr<State>> m_states;
    std::vector<std::unique_ptr<Live>> m_generations;
    std::atomic<const Live *> m_live{nullptr};
    std::atomic<std::uint64_t> m_generation{0};

    /// One lifecycle change at a time (a ship calls the subsidy hook before saving).
    std::mutex m_changeMutex;

    std::mutex m_pendingMutex;
    std::vector<StoredExposure> m_pendingExposures;
    std::set<std::pair<State *, std::int64_t>> m_dirty;
    std::condition_variable m_wake;
    bool m_stopping = false;
    bool m_started = false;
    std::thread m_writer;
    std::mutex m_writeMutex;

    /// Last: its install hook uses the members above.
    versioning::VersionedDocument<ExperimentSet> m_document;
};

} // namespace flywheel::experiments
