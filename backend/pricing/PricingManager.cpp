#include "pricing/PricingManager.h"

#include "common/Log.h"
#include "pricing/RuleSetYaml.h"

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

namespace flywheel::pricing {

namespace {

/// Whether an enabled segment_price rule is among `rules`: only then does pricing
/// need the buyer's segment memberships.
bool pricesBySegment(const std::vector<PricingRule> &rules)
{
    return std::any_of(rules.begin(), rules.end(),
                       [](const PricingRule &r) { return r.enabled && r.kind == RuleKind::SegmentPrice; });
}

std::shared_ptr<const ActiveRuleSet> activate(RuleSet rules, StoredRuleSet stored, const Catalog &catalog)
{
    auto active = std::make_shared<ActiveRuleSet>();
    for (const PricingRule &rule : rules.rules) {
        if (rule.perUserLimit > 0)
            active->limited.insert(rule.id);
    }
    active->usesSegments = pricesBySegment(rules.rules);
    compileScopes(rules, catalog);
    active->rules = std::move(rules);
    active->stored = std::move(stored);
    return active;
}

} // namespace

PricingManager::FileStamp PricingManager::stampOf(const std::string &path)
{
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0)
        return {};
    const auto ns = [](const timespec &t) { return static_cast<std::int64_t>(t.tv_sec) * 1000000000 + t.tv_nsec; };
    return FileStamp{static_cast<std::int64_t>(info.st_ino), ns(info.st_mtim), ns(info.st_ctim),
                     static_cast<std::int64_t>(info.st_size)};
}

namespace {

std::optional<std::string> readFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

} // namespace

namespace {

versioning::DocumentSpec ruleSetSpec()
{
    return versioning::DocumentSpec{
        kPricingArea, "rule set", "the rules change", [](std::int64_t base, std::int64_t current) {
            return "the rules changed while you edited them: you started from version " + std::to_string(base) +
                   ", the current version is " + std::to_string(current) + "; reload and apply your change again";
        }};
}

versioning::Codec<std::vector<PricingRule>> ruleSetCodec(const Catalog &catalog)
{
    versioning::Codec<std::vector<PricingRule>> codec;
    codec.parse = [](const std::string &yaml, const std::string &where) -> Result<std::vector<PricingRule>> {
        auto parsed = parseRuleSetYaml(yaml, where, nullptr);
        if (auto *error = std::get_if<YamlError>(&parsed))
            return Error{ErrorCode::InvalidArgument, error->describe()};
        return std::get<std::vector<PricingRule>>(std::move(parsed));
    };
    codec.validate = [&catalog](const std::vector<PricingRule> &rules) -> std::optional<Error> {
        if (rules.size() > kMaxRules)
            return Error{ErrorCode::InvalidArgument, "at most " + std::to_string(kMaxRules) + " rules are allowed"};
        if (const auto problems = ruleSetProblems(rules, &catalog); !problems.empty()) {
            const RuleSetProblem &first = problems.front();
            return Error{ErrorCode::InvalidArgument, "rules[" + std::to_string(first.index) + "] (\"" +
                                                         rules[first.index].id + "\"): " + first.problem.message};
        }
        return std::nullopt;
    };
    codec.emit = [](const std::vector<PricingRule> &rules) { return emitRuleSetYaml(rules); };
    return codec;
}

} // namespace

PricingManager::PricingManager(PricingStore &store, const Catalog &catalog, const Clock &clock, std::string file)
    : m_store(store), m_catalog(catalog), m_clock(clock), m_file(std::move(file)),
      m_document(
          store, clock, ruleSetSpec(), ruleSetCodec(catalog),
          [this](std::vector<PricingRule> rules, const StoredRuleSet &stored) { install(std::move(rules), stored); })
{
    m_status.file = m_file;
    m_current.store(std::make_shared<const ActiveRuleSet>());
    if (!m_file.empty())
        m_document.setReadOnly("this backend takes its pricing rules from " + m_file +
                               " (flywheeld --pricing); edit that file");
}

PricingManager::~PricingManager()
{
    stop();
}

std::vector<PricingRule> exampleRules(TimePoint now)
{
    const auto days = [&](int n) { // midnight UTC, n days from today
        const auto day = std::chrono::floor<std::chrono::days>(now.time_since_epoch());
        return TimePoint(std::chrono::duration_cast<TimePoint::duration>(day + std::chrono::days(n)));
    };
    std::vector<PricingRule> rules;
    PricingRule spend;
    spend.id = "spend-and-save";
    spend.name = "Spend 199, save 20; spend 399, save 50";
    spend.kind = RuleKind::Threshold;
    spend.priority = 10;
    spend.exclusionGroup = "order-discounts";
    spend.tiers = {Tier{Money(19900), Money(2000)}, Tier{Money(39900), Money(5000)}};
    rules.push_back(spend);
    const auto categoryPrice = [](std::string id, std::string name, std::string category, int percentOfList,
                                  std::optional<TimePoint> startsAt, TimePoint endsAt) {
        PricingRule rule;
        rule.id = std::move(id);
        rule.name = std::move(name);
        rule.kind = RuleKind::CategoryPrice;
        rule.scope.categories = {std::move(category)};
        rule.percentOfList = percentOfList;
        rule.startsAt = startsAt;
        rule.endsAt = endsAt;
        return rule;
    };
    rules.push_back(categoryPrice("beauty-week", "Beauty week at 90 %", "Beauty", 9000, std::nullopt, days(7)));
    PricingRule newPayers;
    newPayers.id = "new-payer-price";
    newPayers.name = "New payers pay 95 % of list";
    newPayers.kind = RuleKind::SegmentPrice;
    newPayers.segment = "new_payers";
    newPayers.percentOfList = 9500;
    rules.push_back(newPayers);
    PricingRule welcome;
    welcome.id = "welcome";
    welcome.name = "First order 5 % off, at most 30";
    welcome.kind = RuleKind::PercentOff;
    welcome.percentOff = 500;
    welcome.maxOff = Money(3000);
    welcome.perUserLimit = 1;
    rules.push_back(welcome);
    rules.push_back(categoryPrice("toys-weekend", "Toys weekend at 80 %", "Toys", 8000, days(2), days(4)));
    return rules;
}

void PricingManager::start(const std::optional<std::vector<PricingRule>> &examples)
{
    m_document.open();
    for (const RuleUsage &u : m_store.loadRuleUsage())
        stripe(u.uid).counts[{u.uid, u.ruleId}] = u.count;
    if (examples && m_file.empty() && current()->rules.version == 0) {
        // Through the YAML text, as every version is stored and read back: checked
        // against this catalogue like a file would be.
        const std::string yaml = emitRuleSetYaml(*examples);
        auto parsed = parseRuleSetYaml(yaml, "the example rules", &m_catalog);
        if (auto *rules = std::get_if<std::vector<PricingRule>>(&parsed)) {
            const auto installed =
                m_document.replace(std::move(*rules), yaml, "example rules of the demo", "initial", std::nullopt);
            if (!installed.ok())
                throw StorageError(installed.error().message);
        } else {
            common::Log::error("the example pricing rules were refused, starting without rules: " +
                               std::get<YamlError>(parsed).describe());
        }
    }
    {
        const std::lock_guard lock(m_statusMutex);
        m_status.currentVersion = current()->rules.version;
    }
    if (m_file.empty())
        return;
    // Stamp before reading: a change that lands after this is seen by the watcher,
    // however late its thread starts.
    const FileStamp loaded = stampOf(m_file);
    loadFile();
    m_watcher = std::thread([this, loaded] { watch(loaded); });
}

void PricingManager::stop()
{
    {
        const std::lock_guard lock(m_watchMutex);
        m_stopping = true;
    }
    m_watchWake.notify_all();
    if (m_watcher.joinable())
        m_watcher.join();
}

PricingStatus PricingManager::status() const
{
    const std::lock_guard lock(m_statusMutex);
    return m_status;
}

void PricingManager::install(std::vector<PricingRule> rules, const StoredRuleSet &stored)
{
    sortForEvaluation(rules);
    m_current.store(activate(RuleSet{stored.version, std::move(rules)}, stored, m_catalog));
    const std::lock_guard lock(m_statusMutex);
    m_status.currentVersion = stored.version;
}

Result<StoredRuleSet> PricingManager::save(std::int64_t baseVersion, std::vector<PricingRule> rules,
                                           const std::string &reason, const audit::Actor &actor)
{
    return m_document.save(baseVersion, std::move(rules), reason, actor);
}

Result<StoredRuleSet> PricingManager::rollback(std::int64_t toVersion, const std::string &reason,
                                               const audit::Actor &actor)
{
    return m_document.restore(toVersion, std::nullopt, reason, actor);
}

void PricingManager::loadFile()
{
    const std::optional<std::string> text = readFile(m_file);
    auto parsed =
        text
            ? parseRuleSetYaml(*text, m_file, &m_catalog)
            : std::variant<std::vector<PricingRule>, YamlError>(YamlError{m_file, 1, 1, {}, "the file cannot be read"});
    if (auto *error = std::get_if<YamlError>(&parsed)) {
        const std::string message = error->describe();
        {
            const std::lock_guard lock(m_statusMutex);
            ++m_status.reloadsFailed;
            m_status.lastError = message;
            m_status.lastErrorAt = m_clock.now();
        }
        common::Log::error("pricing rules refused: " + message + " (still pricing with version " +
                           std::to_string(current()->rules.version) + ")");
        return;
    }
    auto &rules = std::get<std::vector<PricingRule>>(parsed);
    // Only this watcher changes file-managed rules (console saves are refused).
    if (rules == current()->rules.rules && current()->rules.version != 0) {
        const std::lock_guard lock(m_statusMutex);
        m_status.lastError.clear();
        return; // saved or touched without a change
    }
    // Audited like an operator's change: the file is the actor, its path the place.
    const auto installed = m_document.replace(std::move(rules), *text, "the file " + m_file + " changed", "file",
                                              audit::Actor{"file", "", m_file});
    const std::lock_guard lock(m_statusMutex);
    if (installed.ok()) {
        ++m_status.reloadsSucceeded;
        m_status.lastError.clear();
    } else {
        ++m_status.reloadsFailed;
        m_status.lastError = installed.error().message;
        m_status.lastErrorAt = m_clock.now();
    }
}

void PricingManager::watch(FileStamp seen)
{
    std::unique_lock lock(m_watchMutex);
    while (!m_stopping) {
        m_watchWake.wait_for(lock, kPollInterval, [this] { return m_stopping; });
        if (m_stopping)
            break;
        const FileStamp now = stampOf(m_file);
        if (now == seen)
            continue;
        // Let a writer finish: the same stamp twice in a row.
        m_watchWake.wait_for(lock, kPollInterval / 2, [this] { return m_stopping; });
        if (m_stopping || !(stampOf(m_file) == now))
            continue;
        seen = now;
        lock.unlock();
        loadFile();
        lock.lock();
    }
}

void PricingManager::price(Order &order, TimePoint now)
{
    const std::shared_ptr<const ActiveRuleSet> active = current();
    std::set<std::string> segments = segmentsOf(order.uid, active->usesSegments);
    UsageStripe &usage = stripe(order.uid);
    // Checking and counting a user's limited rules happen under the user's stripe.
    const std::lock_guard lock(usage.mutex);
    const Buyer buyer{order.uid, std::move(segments), [&](const std::string &ruleId) {
                          const auto it = usage.counts.find({order.uid, ruleId});
                          return it == usage.counts.end() ? 0 : it->second;
                      }};
    const Quote q = quote(active->rules, m_catalog, order.lines, buyer, now);
    for (std::size_t i = 0; i < order.lines.size(); ++i)
        order.lines[i].unitPrice = q.lines[i].unitPrice;
    order.listTotal = q.listTotal;
    order.total = q.total;
    order.ruleSetVersion = active->rules.version;
    order.adjustments.clear();
    for (const Adjustment &a : q.adjustments) {
        order.adjustments.push_back(PriceAdjustment{a.ruleId, a.ruleName, a.amount});
        if (active->limited.count(a.ruleId) != 0)
            ++usage.counts[{order.uid, a.ruleId}];
    }
}

void PricingManager::forget(const Order &order)
{
    UsageStripe &usage = stripe(order.uid);
    const std::lock_guard lock(usage.mutex);
    for (const PriceAdjustment &a : order.adjustments) {
        const auto it = usage.counts.find({order.uid, a.ruleId});
        if (it != usage.counts.end() && --it->second <= 0)
            usage.counts.erase(it);
    }
}

std::set<std::string> PricingManager::segmentsOf(std::int64_t uid, bool needed) const
{
    return needed && m_memberships ? m_memberships(uid) : std::set<std::string>();
}

Quote PricingManager::preview(const RuleSet &rules, const std::vector<OrderLine> &lines, std::int64_t uid,
                              TimePoint now) const
{
    std::set<std::string> segments = segmentsOf(uid, pricesBySegment(rules.rules));
    UsageStripe &usage = stripe(uid);
    const std::lock_guard lock(usage.mutex);
    const Buyer buyer{uid, std::move(segments), [&](const std::string &ruleId) {
                          const auto it = usage.counts.find({uid, ruleId});
                          return it == usage.counts.end() ? 0 : it->second;
                      }};
    return quote(rules, m_catalog, lines, buyer, now);
}

} // namespace flywheel::pricing
