#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/Order.h"
#include "domain/pricing/PricingEngine.h"
#include "domain/Result.h"
#include "storage/PricingStore.h"
#include "versioning/VersionedDocument.h"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>

#include <array>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

namespace flywheel::pricing {

/// A rule set in force: the rules and the saved version they came from.
struct ActiveRuleSet {
    RuleSet rules;
    StoredRuleSet stored;
    /// Ids of the rules with a per-user limit: only their uses are counted.
    absl::flat_hash_set<std::string> limited;
    /// Whether an enabled segment_price rule exists: only then are the buyer's
    /// segment memberships looked up.
    bool usesSegments = false;
};

struct PricingStatus {
    std::int64_t currentVersion = 0;
    std::string file;
    std::int64_t reloadsSucceeded = 0;
    std::int64_t reloadsFailed = 0;
    std::string lastError;
    TimePoint lastErrorAt;
};

/// The pricing rules of one backend: which version is in force, new versions from
/// the console or from a watched pricing.yaml, and per-user limits.
///
/// The rule set in force is an immutable snapshot behind an atomic pointer: a
/// request takes it once and is priced entirely by it, and a new version is swapped
/// in for the next request without stopping anything.
///
/// Console edits and the file do not mix: when a file is watched it is the only
/// source of rules, and console saves are refused with a message naming the file.
/// Every change, from either source, is a new version with its reason.
class PricingManager final {
public:
    /// `file` empty: rules are edited through save()/rollback().
    PricingManager(PricingStore &store, const Catalog &catalog, const Clock &clock, std::string file);
    ~PricingManager();
    PricingManager(const PricingManager &) = delete;
    PricingManager &operator=(const PricingManager &) = delete;

    /// The ids of the segments a user is a member of now, for segment_price rules.
    using Memberships = std::function<std::set<std::string>(std::int64_t uid)>;
    /// Set before start(); without it no user is in any segment.
    void setMemberships(Memberships memberships) { m_memberships = std::move(memberships); }

    /// Loads the newest saved version, then the file (when watched) and starts
    /// watching it. A file that does not parse is reported, not fatal: the saved
    /// version keeps serving. With `examples` (the console's demo), a database that
    /// has never had rules and no watched file gets them as version 1 (source
    /// "initial"). Throws StorageError.
    void start(const std::optional<std::vector<PricingRule>> &examples = std::nullopt);
    void stop();

    std::shared_ptr<const ActiveRuleSet> current() const { return m_current.load(); }
    bool fileManaged() const { return !m_file.empty(); }
    PricingStatus status() const;

    /// The same rules as a new version, when `baseVersion` is still current; audited with `actor`.
    Result<StoredRuleSet> save(std::int64_t baseVersion, std::vector<PricingRule> rules, const std::string &reason,
                               const audit::Actor &actor);
    /// `toVersion`'s rules as a new version, whatever is current; audited with `actor`.
    Result<StoredRuleSet> rollback(std::int64_t toVersion, const std::string &reason, const audit::Actor &actor);
    /// The rule set as a versioned document (area "pricing"), for the DocumentRegistry.
    versioning::Document &document() { return m_document; }

    /// Prices validated lines for `uid` with the rules in force, counting each
    /// per-user-limited rule it applies against the user's limit at once (so
    /// concurrent orders of one user cannot both use a once-per-user rule).
    /// Fills the order's prices, adjustments and rule set version.
    void price(Order &order, TimePoint now);
    /// Gives back the per-user uses price() counted, for an order that was not stored.
    void forget(const Order &order);

    /// Prices without counting anything: for "try a cart".
    Quote preview(const RuleSet &rules, const std::vector<OrderLine> &lines, std::int64_t uid, TimePoint now) const;

    /// How often the watcher looks at the file.
    static constexpr auto kPollInterval = std::chrono::milliseconds(10);

private:
    /// The document's install hook: makes `rules` (version `stored`) the rules in force.
    void install(std::vector<PricingRule> rules, const StoredRuleSet &stored);
    /// What identifies one state of a file: inode, modification and change times,
    /// and size (an editor that renames a new file over the old one changes the inode).
    struct FileStamp {
        std::int64_t inode = -1;
        std::int64_t mtimeNs = -1;
        std::int64_t ctimeNs = -1;
        std::int64_t size = -1;
        bool operator==(const FileStamp &) const = default;
    };
    /// The user's segment memberships when the rules `needed` them; none otherwise.
    std::set<std::string> segmentsOf(std::int64_t uid, bool needed) const;
    static FileStamp stampOf(const std::string &path);
    void watch(FileStamp seen);
    void loadFile();

    struct UsageStripe {
        std::mutex mutex;
        absl::flat_hash_map<std::pair<std::int64_t, std::string>, int> counts;
    };
    UsageStripe &stripe(std::int64_t uid) const { return m_usage[static_cast<std::size_t>(uid) % m_usage.size()]; }

    PricingStore &m_store;
    const Catalog &m_catalog;
    const Clock &m_clock;
    const std::string m_file;
    Memberships m_memberships;
    std::atomic<std::shared_ptr<const ActiveRuleSet>> m_current;
    mutable std::mutex m_statusMutex;
    PricingStatus m_status;
    /// Mutable: preview() reads the counts under their locks without changing them.
    mutable std::array<UsageStripe, 64> m_usage;

    std::mutex m_watchMutex;
    std::condition_variable m_watchWake;
    bool m_stopping = false;
    std::thread m_watcher;
    /// Last: its install hook uses the members above.
    versioning::VersionedDocument<std::vector<PricingRule>> m_document;
};

/// The rules a demo database starts with, some active and one scheduled relative
/// to `now`: a spend threshold, a category week, a first-order discount, a price for
/// the example segment new_payers and a toys weekend.
std::vector<PricingRule> exampleRules(TimePoint now);

} // namespace flywheel::pricing
