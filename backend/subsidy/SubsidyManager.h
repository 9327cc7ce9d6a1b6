#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/experiments/VariantChooser.h"
#include "domain/Order.h"
#include "domain/Result.h"
#include "domain/subsidy/BudgetBook.h"
#include "domain/subsidy/CategoryHistory.h"
#include "domain/subsidy/Decision.h"
#include "domain/subsidy/Grant.h"
#include "domain/subsidy/LatencyWindow.h"
#include "domain/subsidy/RoiMinutes.h"
#include "domain/subsidy/SubsidyConfig.h"
#include "storage/OrderStore.h"
#include "storage/SubsidyStore.h"
#include "versioning/VersionedDocument.h"

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace flywheel::subsidy {

/// What the decision needs of a user's profile.
struct UserFacts {
    std::int32_t activeDaysLast7 = 0;
    std::int32_t payCount = 0;
    /// The tag "risk_score", clamped to 0-100.
    std::int32_t riskScore = 0;
};

/// A config in force and its version.
struct LiveConfig {
    SubsidyConfig config;
    std::int64_t version = 0;
};

/// What CreateOrder stores with a new order: the grant (when one was given) and the
/// first-order decision (for every first order of a user without a grant in force).
struct OrderSubsidy {
    std::optional<Grant> grant;
    std::optional<DecisionRecord> decision;
};

struct Explanation {
    Inputs inputs;
    Decision decision;
    std::string campaignId;
    std::int64_t configVersion = 0;
};

struct ReasonCount {
    Reason reason = Reason::Unspecified;
    std::int64_t count = 0;
};

struct CampaignState {
    std::string campaignId;
    Money totalBudget;
    Money dailyBudget;
    Money spentTotal;
    Money spentToday;
    bool at90 = false;
    /// TotalBudgetExhausted / DailyBudgetExhausted, else Unspecified.
    Reason exhausted = Reason::Unspecified;
};

struct SimulationOutcome {
    std::int64_t firstOrders = 0;
    std::int64_t subsidisedUsers = 0;
    Money cost;
    std::vector<CampaignState> spend;
    std::vector<ReasonCount> reasons;
};

struct Simulation {
    TimePoint from;
    TimePoint to;
    SimulationOutcome draft;
    SimulationOutcome live;
    std::int64_t newlySubsidised = 0;
    std::int64_t noLongerSubsidised = 0;
};

struct RoiRow {
    std::string campaignId;
    std::string channel;
    std::int64_t issued = 0;
    Money issuedAmount;
    std::int64_t redeemed = 0;
    Money redeemedAmount;
    double redemptionRate = 0;
    Money gmv;
    double roa = 0;
    double issueToRedeemP95Seconds = 0;
    std::int64_t released = 0;
};

struct RoiSnapshot {
    TimePoint at;
    std::vector<CampaignState> campaigns;
    std::vector<RoiRow> rows;
    /// Every campaign and channel together, the last 60 minutes, oldest first.
    std::vector<RoiPoint> recent;
    /// The same minutes per campaign and channel (those with something in them).
    std::vector<RoiSeries> series;
    std::vector<ReasonCount> reasons;
    double orderP99Ms = 0;
    bool downWeighting = false;
    std::int64_t configVersion = 0;
};

/// First-order subsidies of one backend (docs/subsidies.md): the config document
/// (area "subsidy"), the decision at CreateOrder, the once-per-user grant, campaign
/// budgets reserved in memory and guarded by the database in the order's own
/// transaction, give-back on cancel and expiry, the ROI figures and the replay of
/// a draft config. Thread-safe.
class SubsidyManager final {
public:
    struct Hooks {
        /// The user's profile facts; nullopt for a user the backend does not know.
        std::function<std::optional<UserFacts>(std::int64_t uid)> facts;
    };
    using RedeemedListener = std::function<void(std::int64_t uid, std::int64_t orderId, Money amount, TimePoint at)>;

    SubsidyManager(SubsidyStore &store, const Clock &clock, const Catalog &catalog, Hooks hooks);
    SubsidyManager(const SubsidyManager &) = delete;
    SubsidyManager &operator=(const SubsidyManager &) = delete;
    /// Waits for the category averages' load, when it still runs.
    ~SubsidyManager();

    /// Installs the newest config (or `initial` as version 1 when there is none) and
    /// loads grants and spend. Throws StorageError. The category averages of the last
    /// 30 days load on a thread of their own (seconds on millions of orders): until
    /// they are in, a decision finds too few orders of the category and values the
    /// order by its own total, as for a new category (the explanation shows it).
    void start(const SubsidyConfig &initial);
    /// Waits until the category averages are loaded (tests, the bench).
    void waitForHistory();

    // --- the order path ---
    /// Decides the subsidy of a new order (id assigned, priced) of a user's first
    /// order: when granted, the grant is reserved (budget and the user's one grant)
    /// and `order` gets the adjustment. The result rides in the order's journal
    /// entry; when the order is not stored, give it back with abandon().
    OrderSubsidy decide(Order &order, TimePoint now, experiments::VariantChooser *variants);
    /// The order was not stored (stock short, a failed commit): its grant is given back.
    void abandon(const Order &order, const OrderSubsidy &subsidy);
    /// The order writer's committed batches: grants stored, redeemed, released.
    void committed(const std::vector<JournalEntry> &entries);
    /// CreateOrder's latency, handler entry to commit.
    LatencyWindow &latency() { return m_latency; }
    /// Called once per redeemed grant, after commit (on the writer's completion thread).
    void setRedeemedListener(RedeemedListener listener);
    /// Each budget of the live config with its spent share of the total and of today's
    /// cap (0 to 1 and above), for alerts: cheap, no copying of the ROI tables.
    struct BudgetShare {
        std::string campaignId;
        double totalShare = 0;
        double dailyShare = 0;
    };
    std::vector<BudgetShare> budgetShares() const;

    // --- the console ---
    versioning::Document &document() { return m_document; }
    std::shared_ptr<const LiveConfig> live() const;
    /// A stored version, live or candidate (0: the newest live one), parsed; nullopt when there is none.
    std::optional<std::pair<LiveConfig, StoredVersion>> stored(std::int64_t version) const;
    Result<StoredVersion> save(std::int64_t baseVersion, const SubsidyConfig &config, const std::string &reason,
                               const audit::Actor &actor);
    /// Stores `config` as a candidate version: audited and listed, not in force
    /// (the live config stays); an experiment's variant may decide with it, and a
    /// rollback to it (or shipping such a variant) makes it live.
    Result<StoredVersion> saveCandidate(const SubsidyConfig &config, const std::string &reason,
                                        const audit::Actor &actor);
    Result<StoredVersion> rollback(std::int64_t toVersion, std::int64_t baseVersion, const std::string &reason,
                                   const audit::Actor &actor);
    /// The decision for uid's first order now; NOT_FOUND for an unknown user,
    /// INVALID_ARGUMENT for an unknown SKU or a bad quantity.
    Result<Explanation> explain(std::int64_t uid, const std::string &channel, const std::vector<OrderRequestItem> &items,
                                const std::optional<SubsidyConfig> &draft);
    /// Replays `draft` and the live config over the stored first-order decisions of
    /// the last `days` days. Throws StorageError.
    Simulation simulate(const SubsidyConfig &draft, int days);
    RoiSnapshot roi() const;
    /// Every 90 % budget signal so far, for alerting.
    std::vector<BudgetSignal> signals() const { return m_budgets.signals(); }
    /// Changes whenever something the ROI stream shows changed.
    std::uint64_t generation() const { return m_generation.load(std::memory_order_acquire); }

    /// The rule id of a campaign's adjustments: "subsidy:<campaign>".
    static std::string ruleId(const std::string &campaignId) { return "subsidy:" + campaignId; }

private:
    struct Roi {
        std::int64_t issued = 0;
        std::int64_t issuedAmount = 0;
        std::int64_t redeemed = 0;
        std::int64_t redeemedAmount = 0;
        std::int64_t gmv = 0;
        std::int64_t released = 0;
        std::vector<double> latencies; // issue → redeem, seconds (the last 10,000)
    };
    std::shared_ptr<const LiveConfig> configFor(std::int64_t version) const;
    Inputs inputsFor(const UserFacts &facts, const std::string &channel, const std::string &category, Money total,
                     TimePoint now) const;
    std::string mainCategory(const std::vector<OrderLine> &lines) const;
    void issuedLocked(const Grant &g);
    void redeemedLocked(Grant &g, TimePoint at, Money gmv);
    void releasedLocked(const Grant &g, TimePoint at);
    CampaignState campaignState(const CampaignBudget &budget, std::int64_t today) const;
    SimulationOutcome replay(const SubsidyConfig &config, const std::vector<DecisionRecord> &records,
                             std::set<std::int64_t> &subsidised) const;

    SubsidyStore &m_store;
    const Clock &m_clock;
    const Catalog &m_catalog;
    Hooks m_hooks;
    LatencyWindow m_latency;
    BudgetBook m_budgets;
    CategoryHistory m_categories;
    std::thread m_historyLoader;
    std::atomic<std::uint64_t> m_generation{0};

    mutable std::mutex m_liveMutex;
    std::shared_ptr<const LiveConfig> m_live;
    /// Parsed versions an experiment's variants decide with.
    mutable std::map<std::int64_t, std::shared_ptr<const LiveConfig>> m_versions;

    /// Users with a first-order grant in force (issued or redeemed), and the issued
    /// grants by order.
    mutable std::mutex m_mutex;
    std::unordered_set<std::int64_t> m_inForce;
    std::unordered_map<std::int64_t, Grant> m_issued;
    std::map<std::pair<std::string, std::string>, Roi> m_roi;
    RoiMinutes m_minutes; // the last hour per campaign and channel, for the charts
    std::array<std::int64_t, kReasonCount> m_reasons{};
    /// The last budget refusal per campaign (cleared by a give-back).
    std::map<std::string, std::pair<Reason, std::int64_t>> m_refusals;
    RedeemedListener m_redeemed;

    /// Orders not yet paid, cancelled or expired → their main category, striped.
    struct PendingStripe {
        std::mutex mutex;
        std::unordered_map<std::int64_t, std::string> categories;
    };
    static constexpr std::size_t kStripes = 16;
    std::array<PendingStripe, kStripes> m_pending;

    /// Last: its install hook uses the members above.
    versioning::VersionedDocument<SubsidyConfig> m_document;
};

} // namespace flywheel::subsidy
