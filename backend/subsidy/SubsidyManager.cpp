#include "subsidy/SubsidyManager.h"

#include "common/Log.h"
#include "subsidy/SubsidyConfigYaml.h"

#include <algorithm>
#include <cmath>

namespace flywheel::subsidy {

namespace {

constexpr std::size_t kMaxLatencies = 10000;

versioning::DocumentSpec configSpec()
{
    return versioning::DocumentSpec{
        kSubsidyArea, "config", "the subsidy config changes", [](std::int64_t base, std::int64_t current) {
            return "the subsidy config was changed meanwhile: version " + std::to_string(current) +
                   " is current, not " + std::to_string(base) + "; reload and apply your changes again";
        }};
}

versioning::Codec<SubsidyConfig> configCodec()
{
    versioning::Codec<SubsidyConfig> codec;
    codec.parse = [](const std::string &yaml, const std::string &where) -> Result<SubsidyConfig> {
        auto parsed = configFromYaml(yaml, where);
        if (const auto *error = std::get_if<common::YamlError>(&parsed))
            return Error{ErrorCode::InvalidArgument, "cannot read " + error->describe()};
        return std::get<SubsidyConfig>(std::move(parsed));
    };
    codec.validate = [](const SubsidyConfig &config) -> std::optional<Error> {
        if (auto error = validate(config))
            return Error{ErrorCode::InvalidArgument, *error};
        return std::nullopt;
    };
    codec.emit = [](const SubsidyConfig &config) { return configToYaml(config); };
    return codec;
}

double percentile95(std::vector<double> values)
{
    if (values.empty())
        return 0;
    const auto rank = static_cast<std::size_t>(std::ceil(0.95 * static_cast<double>(values.size()))) - 1;
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(rank), values.end());
    return values[rank];
}

std::vector<ReasonCount> reasonCounts(const std::array<std::int64_t, kReasonCount> &counts)
{
    std::vector<ReasonCount> out;
    for (int i = 1; i < kReasonCount; ++i) {
        if (counts[static_cast<std::size_t>(i)] > 0)
            out.push_back({static_cast<Reason>(i), counts[static_cast<std::size_t>(i)]});
    }
    return out;
}

} // namespace

SubsidyManager::SubsidyManager(SubsidyStore &store, const Clock &clock, const Catalog &catalog, Hooks hooks)
    : m_store(store), m_clock(clock), m_catalog(catalog), m_hooks(std::move(hooks)),
      m_document(store, clock, configSpec(), configCodec(), [this](SubsidyConfig config, const StoredVersion &stored) {
          auto live = std::make_shared<const LiveConfig>(LiveConfig{std::move(config), stored.version});
          const std::lock_guard lock(m_liveMutex);
          m_versions[stored.version] = live;
          m_live = std::move(live);
          m_generation.fetch_add(1, std::memory_order_acq_rel);
      })
{}

void SubsidyManager::start(const SubsidyConfig &initial)
{
    if (!m_document.open()) {
        const auto installed =
            m_document.replace(initial, configToYaml(initial), "the initial subsidy config", "initial", std::nullopt);
        if (!installed.ok())
            throw StorageError(installed.error().message);
    }
    const TimePoint since = m_clock.now() - CategoryHistory::kWindow;
    m_historyLoader = std::thread([this, since] {
        try {
            for (const PaidSkuHour &paid : m_store.loadPaidSkuHours(since)) {
                const Product *product = m_catalog.find(paid.sku);
                m_categories.addHour(product != nullptr ? product->category : std::string(), paid.hour, paid.orders,
                                     paid.sum);
            }
        } catch (const StorageError &e) {
            common::Log::error(std::string("the subsidies' category averages could not be loaded; decisions value "
                                           "first orders by their own totals until orders are paid: ") +
                               e.what());
        }
    });
    const std::lock_guard lock(m_mutex);
    for (Grant &g : m_store.loadSubsidyGrants()) {
        issuedLocked(g);
        if (g.status == GrantStatus::Released) {
            releasedLocked(g, g.closedAt);
            continue;
        }
        m_inForce.insert(g.uid);
        m_budgets.restore(g.campaignId, g.day, g.amount);
        if (g.status == GrantStatus::Redeemed)
            redeemedLocked(g, g.redeemedAt, g.orderTotal);
        else
            m_issued.emplace(g.orderId, std::move(g));
    }
    for (const auto &[reason, count] : m_store.loadSubsidyReasonCounts())
        m_reasons[static_cast<std::size_t>(std::clamp(reason, 0, kReasonCount - 1))] += count;
}

SubsidyManager::~SubsidyManager()
{
    waitForHistory();
}

void SubsidyManager::waitForHistory()
{
    if (m_historyLoader.joinable())
        m_historyLoader.join();
}

void SubsidyManager::setRedeemedListener(RedeemedListener listener)
{
    const std::lock_guard lock(m_mutex);
    m_redeemed = std::move(listener);
}

std::shared_ptr<const LiveConfig> SubsidyManager::live() const
{
    const std::lock_guard lock(m_liveMutex);
    return m_live;
}

std::shared_ptr<const LiveConfig> SubsidyManager::configFor(std::int64_t version) const
{
    {
        const std::lock_guard lock(m_liveMutex);
        if (version == 0)
            return m_live;
        if (const auto found = m_versions.find(version); found != m_versions.end())
            return found->second;
    }
    // Read once per version, then cached. A version that cannot be read decides
    // with the live config (said once in the log) rather than failing the order.
    std::optional<std::pair<LiveConfig, StoredVersion>> found;
    try {
        found = stored(version);
    } catch (const StorageError &e) {
        common::Log::error("subsidy config version " + std::to_string(version) +
                           " of an experiment cannot be read; the live config decides until it can: " + e.what());
    }
    if (!found) {
        // Not cached: the next order tries again, and meanwhile the live config as it is now decides.
        const std::lock_guard lock(m_liveMutex);
        return m_live;
    }
    auto parsed = std::make_shared<const LiveConfig>(std::move(found->first));
    const std::lock_guard lock(m_liveMutex);
    return m_versions.emplace(version, std::move(parsed)).first->second;
}

std::optional<std::pair<LiveConfig, StoredVersion>> SubsidyManager::stored(std::int64_t version) const
{
    const std::optional<StoredVersion> found = m_document.version(version);
    if (!found)
        return std::nullopt;
    auto parsed = configFromYaml(found->yaml, "subsidy config version " + std::to_string(found->version));
    if (const auto *error = std::get_if<common::YamlError>(&parsed))
        throw StorageError("cannot read " + error->describe());
    return std::pair{LiveConfig{std::get<SubsidyConfig>(std::move(parsed)), found->version}, *found};
}

std::string SubsidyManager::mainCategory(const std::vector<OrderLine> &lines) const
{
    const Product *main = nullptr;
    std::int64_t largest = -1;
    for (const OrderLine &line : lines) {
        const std::int64_t amount = line.unitPrice.minorUnits() * line.quantity;
        if (amount <= largest)
            continue;
        if (const Product *p = m_catalog.find(line.sku)) {
            main = p;
            largest = amount;
        }
    }
    return main != nullptr ? main->category : std::string();
}

Inputs SubsidyManager::inputsFor(const UserFacts &facts, const std::string &channel, const std::string &category,
                                 Money total, TimePoint now) const
{
    Inputs in;
    in.activeDaysLast7 = facts.activeDaysLast7;
    in.pastPaidOrders = facts.payCount;
    in.riskScore = std::clamp(facts.riskScore, 0, 100);
    in.channel = channel.empty() ? "app" : channel;
    in.category = category;
    const CategoryHistory::Average average = m_categories.average(category, now);
    in.categoryAverage = average.average;
    in.categoryOrders = average.orders;
    in.orderTotal = total;
    in.orderP99Ms = m_latency.p99(now);
    return in;
}

OrderSubsidy SubsidyManager::decide(Order &order, TimePoint now, experiments::VariantChooser *variants)
{
    OrderSubsidy out;
    std::string category = mainCategory(order.lines);
    {
        PendingStripe &stripe = m_pending[static_cast<std::size_t>(order.id) % kStripes];
        const std::lock_guard lock(stripe.mutex);
        stripe.categories.emplace(order.id, category);
    }
    const std::optional<UserFacts> facts = m_hooks.facts ? m_hooks.facts(order.uid) : std::nullopt;
    if (facts && facts->payCount > 0)
        return out; // not a first order
    {
        const std::lock_guard lock(m_mutex);
        if (m_inForce.contains(order.uid))
            return out; // a first-order subsidy in force already
    }
    std::string experimentKey;
    std::string variantKey;
    std::int64_t version = 0;
    if (variants != nullptr) {
        const experiments::VariantChoice choice =
            variants->choose(experiments::Surface::FirstOrderSubsidy, order.uid, now);
        // Only a running experiment's variant decides with a config of its own. Outside
        // one the live config decides: a shipped variant was made live when it shipped,
        // and later saves and rollbacks take effect at once.
        if (!choice.experimentKey.empty()) {
            experimentKey = choice.experimentKey;
            variantKey = choice.variantKey;
            version = choice.subsidyConfigVersion;
        }
    }
    std::shared_ptr<const LiveConfig> config = configFor(version);
    if (version != 0) {
        // Subsidies switched off in the live config stop every variant's too.
        if (std::shared_ptr<const LiveConfig> current = live(); !current->config.enabled)
            config = std::move(current);
    }
    const Inputs in = inputsFor(facts.value_or(UserFacts{}), order.channel, category, order.total, now);
    Decision d = subsidy::decide(config->config, in);
    const std::int64_t day = utcDay(now);
    if (granted(d.reason)) {
        bool claimed = false;
        {
            const std::lock_guard lock(m_mutex);
            claimed = m_inForce.insert(order.uid).second;
        }
        if (!claimed)
            return out; // a concurrent first order of the same user won
        const CampaignBudget *budget = config->config.budgetOf(config->config.campaignId);
        std::vector<BudgetSignal> crossed;
        const Reason reserved =
            m_budgets.reserve(config->config.campaignId, day, d.amount, budget->total, budget->daily, &crossed);
        for (const BudgetSignal &s : crossed)
            common::Log::warning("subsidy budget at 90%: campaign " + s.campaignId + " has spent " +
                                 std::to_string(s.spent.minorUnits()) + " of its " + s.which + " budget of " +
                                 std::to_string(s.budget.minorUnits()) + " minor units");
        if (reserved != Reason::Granted) {
            const std::lock_guard lock(m_mutex);
            m_inForce.erase(order.uid);
            m_refusals[config->config.campaignId] = {reserved, day};
            d.reason = reserved;
            d.amount = Money();
        } else {
            Grant g;
            g.orderId = order.id;
            g.uid = order.uid;
            g.campaignId = config->config.campaignId;
            g.channel = in.channel;
            g.amount = d.amount;
            g.day = day;
            g.totalBudget = budget->total;
            g.dailyBudget = budget->daily;
            g.reason = d.reason;
            g.createdAt = now;
            g.orderTotal = Money(order.total.minorUnits() - d.amount.minorUnits());
            g.experimentKey = experimentKey;
            g.variantKey = variantKey;
            g.configVersion = config->version;
            order.adjustments.push_back(PriceAdjustment{ruleId(g.campaignId),
                                                        d.reason == Reason::GrantedDownweighted
                                                            ? "First-order subsidy (down-weighted)"
                                                            : "First-order subsidy (granted)",
                                                        Money(-d.amount.minorUnits())});
            order.total = g.orderTotal;
            out.grant = std::move(g);
        }
    }
    DecisionRecord r;
    r.at = now;
    r.uid = order.uid;
    r.orderId = order.id;
    r.inputs = in;
    r.reason = d.reason;
    r.amount = d.amount;
    r.campaignId = config->config.campaignId;
    r.configVersion = config->version;
    r.experimentKey = std::move(experimentKey);
    r.variantKey = std::move(variantKey);
    out.decision = std::move(r);
    return out;
}

void SubsidyManager::abandon(const Order &order, const OrderSubsidy &subsidy)
{
    {
        PendingStripe &stripe = m_pending[static_cast<std::size_t>(order.id) % kStripes];
        const std::lock_guard lock(stripe.mutex);
        stripe.categories.erase(order.id);
    }
    if (!subsidy.grant)
        return;
    const Grant &g = *subsidy.grant;
    m_budgets.release(g.campaignId, g.day, g.amount);
    const std::lock_guard lock(m_mutex);
    m_inForce.erase(g.uid);
    m_refusals.erase(g.campaignId);
    m_generation.fetch_add(1, std::memory_order_acq_rel);
}

void SubsidyManager::issuedLocked(const Grant &g)
{
    Roi &roi = m_roi[{g.campaignId, g.channel}];
    ++roi.issued;
    roi.issuedAmount += g.amount.minorUnits();
    m_minutes.issued(g.campaignId, g.channel, g.amount, g.createdAt, m_clock.now());
}

void SubsidyManager::redeemedLocked(Grant &g, TimePoint at, Money gmv)
{
    g.status = GrantStatus::Redeemed;
    g.redeemedAt = at;
    Roi &roi = m_roi[{g.campaignId, g.channel}];
    ++roi.redeemed;
    roi.redeemedAmount += g.amount.minorUnits();
    roi.gmv += gmv.minorUnits();
    if (roi.latencies.size() >= kMaxLatencies)
        roi.latencies.erase(roi.latencies.begin(), roi.latencies.begin() + kMaxLatencies / 10);
    roi.latencies.push_back(static_cast<double>(toEpochMs(at) - toEpochMs(g.createdAt)) / 1000.0);
    m_minutes.redeemed(g.campaignId, g.channel, g.amount, gmv, at, m_clock.now());
}

void SubsidyManager::releasedLocked(const Grant &g, TimePoint)
{
    ++m_roi[{g.campaignId, g.channel}].released;
}

void SubsidyManager::committed(const std::vector<JournalEntry> &entries)
{
    std::vector<Grant> redeemed;
    bool changed = false;
    for (const JournalEntry &entry : entries) {
        if (entry.subsidyDecision || entry.subsidyGrant) {
            const std::lock_guard lock(m_mutex);
            if (entry.subsidyDecision)
                ++m_reasons[static_cast<std::size_t>(entry.subsidyDecision->reason)];
            if (entry.subsidyGrant) {
                issuedLocked(*entry.subsidyGrant);
                m_issued.emplace(entry.subsidyGrant->orderId, *entry.subsidyGrant);
            }
            changed = true;
        }
        if (!entry.transition)
            continue;
        const orders::OrderTransition &t = *entry.transition;
        if (t.to == OrderStatus::Refunded)
            continue;
        std::optional<std::string> category;
        {
            PendingStripe &stripe = m_pending[static_cast<std::size_t>(t.orderId) % kStripes];
            const std::lock_guard lock(stripe.mutex);
            if (const auto found = stripe.categories.find(t.orderId); found != stripe.categories.end()) {
                category = std::move(found->second);
                stripe.categories.erase(found);
            }
        }
        if (t.to == OrderStatus::Paid && category)
            m_categories.add(*category, t.total, t.at);
        const std::lock_guard lock(m_mutex);
        const auto found = m_issued.find(t.orderId);
        if (found == m_issued.end())
            continue;
        Grant g = std::move(found->second);
        m_issued.erase(found);
        changed = true;
        if (t.to == OrderStatus::Paid) {
            redeemedLocked(g, t.at, t.total);
            redeemed.push_back(std::move(g));
        } else {
            m_budgets.release(g.campaignId, g.day, g.amount);
            m_inForce.erase(g.uid);
            m_refusals.erase(g.campaignId);
            releasedLocked(g, t.at);
        }
    }
    if (changed)
        m_generation.fetch_add(1, std::memory_order_acq_rel);
    if (redeemed.empty())
        return;
    RedeemedListener listener;
    {
        const std::lock_guard lock(m_mutex);
        listener = m_redeemed;
    }
    if (listener) {
        for (const Grant &g : redeemed)
            listener(g.uid, g.orderId, g.amount, g.redeemedAt);
    }
}

Result<StoredVersion> SubsidyManager::save(std::int64_t baseVersion, const SubsidyConfig &config,
                                           const std::string &reason, const audit::Actor &actor)
{
    return m_document.save(baseVersion, config, reason, actor);
}

Result<StoredVersion> SubsidyManager::saveCandidate(const SubsidyConfig &config, const std::string &reason,
                                                    const audit::Actor &actor)
{
    return m_document.saveCandidate(config, reason, actor);
}

Result<StoredVersion> SubsidyManager::rollback(std::int64_t toVersion, std::int64_t baseVersion,
                                               const std::string &reason, const audit::Actor &actor)
{
    return m_document.restore(toVersion, baseVersion, reason, actor);
}

Result<Explanation> SubsidyManager::explain(std::int64_t uid, const std::string &channel,
                                            const std::vector<OrderRequestItem> &items,
                                            const std::optional<SubsidyConfig> &draft)
{
    const std::optional<UserFacts> facts = m_hooks.facts ? m_hooks.facts(uid) : std::nullopt;
    if (!facts)
        return Error{ErrorCode::NotFound, "user " + std::to_string(uid) + " is not known"};
    std::vector<OrderLine> lines;
    std::int64_t total = 0;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const Product *p = m_catalog.find(items[i].sku);
        if (p == nullptr)
            return Error{ErrorCode::InvalidArgument,
                         "items[" + std::to_string(i) + "].sku \"" + items[i].sku + "\" is not in the catalogue"};
        if (items[i].quantity < 1 || items[i].quantity > kMaxLineQuantity)
            return Error{ErrorCode::InvalidArgument, "items[" + std::to_string(i) + "].quantity must be from 1 to " +
                                                         std::to_string(kMaxLineQuantity) + ", not " +
                                                         std::to_string(items[i].quantity)};
        lines.push_back(OrderLine{p->sku, items[i].quantity, p->listPrice, p->listPrice});
        total += p->listPrice.minorUnits() * items[i].quantity;
    }
    const TimePoint now = m_clock.now();
    const std::string category = mainCategory(lines);
    if (items.empty())
        total = m_categories.average(std::string(), now).average.minorUnits();
    const std::shared_ptr<const LiveConfig> live = this->live();
    LiveConfig used = draft ? LiveConfig{*draft, 0} : *live;
    Explanation e;
    e.inputs = inputsFor(*facts, channel, category, Money(total), now);
    e.decision = subsidy::decide(used.config, e.inputs);
    e.campaignId = used.config.campaignId;
    e.configVersion = used.version;
    {
        const std::lock_guard lock(m_mutex);
        if (e.decision.reason != Reason::NotFirstOrder && e.decision.reason != Reason::Disabled &&
            m_inForce.contains(uid)) {
            e.decision.reason = Reason::NotFirstOrder;
            e.decision.amount = Money();
        }
    }
    if (granted(e.decision.reason)) {
        if (const CampaignBudget *b = used.config.budgetOf(used.config.campaignId)) {
            const CampaignSpent spent = m_budgets.spent(b->campaignId, utcDay(now));
            const std::int64_t a = e.decision.amount.minorUnits();
            if (spent.total.minorUnits() + a > b->total.minorUnits())
                e.decision.reason = Reason::TotalBudgetExhausted;
            else if (spent.today.minorUnits() + a > b->daily.minorUnits())
                e.decision.reason = Reason::DailyBudgetExhausted;
            if (!granted(e.decision.reason))
                e.decision.amount = Money();
        }
    }
    return e;
}

SimulationOutcome SubsidyManager::replay(const SubsidyConfig &config, const std::vector<DecisionRecord> &records,
                                         std::set<std::int64_t> &subsidised) const
{
    SimulationOutcome out;
    std::map<std::int64_t, Reason> last; // uid → its last reason
    std::map<std::string, std::pair<std::int64_t, std::map<std::int64_t, std::int64_t>>> spent;
    std::int64_t cost = 0;
    for (const DecisionRecord &r : records) {
        if (subsidised.contains(r.uid))
            continue;
        Decision d = subsidy::decide(config, r.inputs);
        if (granted(d.reason)) {
            if (const CampaignBudget *b = config.budgetOf(config.campaignId)) {
                auto &[total, days] = spent[b->campaignId];
                std::int64_t &today = days[utcDay(r.at)];
                const std::int64_t a = d.amount.minorUnits();
                if (total + a > b->total.minorUnits())
                    d.reason = Reason::TotalBudgetExhausted;
                else if (today + a > b->daily.minorUnits())
                    d.reason = Reason::DailyBudgetExhausted;
                else {
                    total += a;
                    today += a;
                    cost += a;
                    subsidised.insert(r.uid);
                }
            }
        }
        last[r.uid] = d.reason;
    }
    std::array<std::int64_t, kReasonCount> counts{};
    for (const auto &[uid, reason] : last)
        ++counts[static_cast<std::size_t>(reason)];
    out.firstOrders = static_cast<std::int64_t>(last.size());
    out.subsidisedUsers = static_cast<std::int64_t>(subsidised.size());
    out.cost = Money(cost);
    out.reasons = reasonCounts(counts);
    for (const CampaignBudget &b : config.budgets) {
        CampaignState s;
        s.campaignId = b.campaignId;
        s.totalBudget = b.total;
        s.dailyBudget = b.daily;
        if (const auto found = spent.find(b.campaignId); found != spent.end()) {
            s.spentTotal = Money(found->second.first);
            std::int64_t peak = 0;
            for (const auto &[day, amount] : found->second.second)
                peak = std::max(peak, amount);
            s.spentToday = Money(peak); // the busiest day of the replay
        }
        s.at90 = s.spentTotal.minorUnits() * 10 >= b.total.minorUnits() * 9 ||
                 s.spentToday.minorUnits() * 10 >= b.daily.minorUnits() * 9;
        out.spend.push_back(std::move(s));
    }
    return out;
}

Simulation SubsidyManager::simulate(const SubsidyConfig &draft, int days)
{
    Simulation s;
    s.to = m_clock.now();
    s.from = s.to - std::chrono::hours(24) * days;
    const std::vector<DecisionRecord> records = m_store.loadSubsidyDecisions(s.from);
    std::set<std::int64_t> byDraft;
    std::set<std::int64_t> byLive;
    s.draft = replay(draft, records, byDraft);
    s.live = replay(live()->config, records, byLive);
    for (const std::int64_t uid : byDraft)
        s.newlySubsidised += byLive.contains(uid) ? 0 : 1;
    for (const std::int64_t uid : byLive)
        s.noLongerSubsidised += byDraft.contains(uid) ? 0 : 1;
    return s;
}

CampaignState SubsidyManager::campaignState(const CampaignBudget &b, std::int64_t today) const
{
    CampaignState s;
    s.campaignId = b.campaignId;
    s.totalBudget = b.total;
    s.dailyBudget = b.daily;
    const CampaignSpent spent = m_budgets.spent(b.campaignId, today);
    s.spentTotal = spent.total;
    s.spentToday = spent.today;
    s.at90 = spent.total.minorUnits() * 10 >= b.total.minorUnits() * 9 ||
             spent.today.minorUnits() * 10 >= b.daily.minorUnits() * 9;
    if (spent.total >= b.total)
        s.exhausted = Reason::TotalBudgetExhausted;
    else if (spent.today >= b.daily)
        s.exhausted = Reason::DailyBudgetExhausted;
    return s;
}

std::vector<SubsidyManager::BudgetShare> SubsidyManager::budgetShares() const
{
    const std::int64_t today = utcDay(m_clock.now());
    const std::shared_ptr<const LiveConfig> live = this->live();
    std::vector<BudgetShare> out;
    if (!live->config.enabled)
        return out;
    const auto share = [](Money spent, Money cap) {
        return cap.minorUnits() > 0 ? static_cast<double>(spent.minorUnits()) / static_cast<double>(cap.minorUnits())
                                    : 0.0;
    };
    for (const CampaignBudget &b : live->config.budgets) {
        const CampaignState s = campaignState(b, today);
        out.push_back(BudgetShare{b.campaignId, share(s.spentTotal, s.totalBudget), share(s.spentToday, s.dailyBudget)});
    }
    return out;
}

RoiSnapshot SubsidyManager::roi() const
{
    RoiSnapshot out;
    out.at = m_clock.now();
    const std::int64_t today = utcDay(out.at);
    const std::shared_ptr<const LiveConfig> live = this->live();
    out.configVersion = live->version;
    out.orderP99Ms = m_latency.p99(out.at);
    out.downWeighting = live->config.enabled && downWeighting(live->config, out.orderP99Ms);
    for (const CampaignBudget &b : live->config.budgets)
        out.campaigns.push_back(campaignState(b, today));
    const std::lock_guard lock(m_mutex);
    for (CampaignState &c : out.campaigns) {
        if (c.exhausted != Reason::Unspecified)
            continue;
        if (const auto found = m_refusals.find(c.campaignId);
            found != m_refusals.end() &&
            (found->second.first == Reason::TotalBudgetExhausted || found->second.second == today))
            c.exhausted = found->second.first;
    }
    for (const auto &[key, roi] : m_roi) {
        RoiRow row;
        row.campaignId = key.first;
        row.channel = key.second;
        row.issued = roi.issued;
        row.issuedAmount = Money(roi.issuedAmount);
        row.redeemed = roi.redeemed;
        row.redeemedAmount = Money(roi.redeemedAmount);
        row.redemptionRate = roi.issued > 0 ? static_cast<double>(roi.redeemed) / static_cast<double>(roi.issued) : 0;
        row.gmv = Money(roi.gmv);
        row.roa = roi.redeemedAmount > 0 ? static_cast<double>(roi.gmv) / static_cast<double>(roi.redeemedAmount) : 0;
        row.issueToRedeemP95Seconds = percentile95(roi.latencies);
        row.released = roi.released;
        out.rows.push_back(std::move(row));
    }
    out.recent = m_minutes.total(out.at);
    out.series = m_minutes.series(out.at);
    out.reasons = reasonCounts(m_reasons);
    return out;
}

} // namespace flywheel::subsidy
