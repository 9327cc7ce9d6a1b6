#include "domain/pricing/PricingRule.h"

#include <algorithm>
#include <array>
#include <set>

namespace flywheel::pricing {

namespace {

constexpr std::array<std::pair<RuleKind, const char *>, 5> kKindNames{{
    {RuleKind::SkuPrice, "sku_price"},
    {RuleKind::CategoryPrice, "category_price"},
    {RuleKind::SegmentPrice, "segment_price"},
    {RuleKind::PercentOff, "percent_off"},
    {RuleKind::Threshold, "threshold"},
}};

} // namespace

const char *ruleKindName(RuleKind kind)
{
    for (const auto &[k, name] : kKindNames) {
        if (k == kind)
            return name;
    }
    return "percent_off";
}

std::optional<RuleKind> parseRuleKind(const std::string &name)
{
    for (const auto &[k, n] : kKindNames) {
        if (name == n)
            return k;
    }
    return std::nullopt;
}

bool isLineLevel(RuleKind kind)
{
    return kind == RuleKind::SkuPrice || kind == RuleKind::CategoryPrice || kind == RuleKind::SegmentPrice;
}

bool Scope::matches(const Product &product) const
{
    if (everything())
        return true;
    return std::find(skus.begin(), skus.end(), product.sku) != skus.end() ||
           std::find(categories.begin(), categories.end(), product.category) != categories.end();
}

const char *ruleStateName(RuleState state)
{
    switch (state) {
    case RuleState::Active:
        return "active";
    case RuleState::Scheduled:
        return "scheduled";
    case RuleState::Expired:
        return "expired";
    case RuleState::Disabled:
        return "disabled";
    }
    return "disabled";
}

RuleState ruleState(const PricingRule &rule, TimePoint now)
{
    if (!rule.enabled)
        return RuleState::Disabled;
    if (rule.startsAt && now < *rule.startsAt)
        return RuleState::Scheduled;
    if (rule.endsAt && now >= *rule.endsAt)
        return RuleState::Expired;
    return RuleState::Active;
}

void sortForEvaluation(std::vector<PricingRule> &rules)
{
    std::stable_sort(rules.begin(), rules.end(), [](const PricingRule &a, const PricingRule &b) {
        const bool aLine = isLineLevel(a.kind);
        const bool bLine = isLineLevel(b.kind);
        if (aLine != bLine)
            return aLine;
        if (a.priority != b.priority)
            return a.priority > b.priority;
        return a.id < b.id;
    });
}

void compileScopes(RuleSet &rules, const Catalog &catalog)
{
    const std::vector<Product> &products = catalog.products();
    rules.inScope.assign(rules.rules.size(), std::vector<bool>(products.size()));
    for (std::size_t r = 0; r < rules.rules.size(); ++r) {
        for (std::size_t p = 0; p < products.size(); ++p)
            rules.inScope[r][p] = rules.rules[r].scope.matches(products[p]);
    }
    rules.compiledFor = &catalog;
}

std::vector<RuleProblem> ruleProblems(const PricingRule &rule, const Catalog *catalog)
{
    std::vector<RuleProblem> problems;
    const auto problem = [&](std::string field, std::string message) {
        problems.push_back(RuleProblem{std::move(field), std::move(message)});
    };
    if (rule.id.empty())
        problem("id", "id is empty");
    else if (rule.id.size() > 64 || !std::all_of(rule.id.begin(), rule.id.end(), [](char c) {
                 return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
             }))
        problem("id", "id \"" + rule.id + "\" must be 1 to 64 characters of a-z, 0-9, - and _");
    if (rule.name.empty())
        problem("name", "name is empty");
    if (rule.startsAt && rule.endsAt && *rule.endsAt <= *rule.startsAt)
        problem("ends_at", "ends_at must be after starts_at");
    if (rule.perUserLimit < 0)
        problem("per_user_limit",
                "per_user_limit must be 0 (no limit) or more, got " + std::to_string(rule.perUserLimit));
    if (catalog != nullptr) {
        for (const std::string &sku : rule.scope.skus) {
            if (catalog->find(sku) == nullptr) {
                problem("scope.skus", "scope.skus names \"" + sku + "\", which is not in the catalogue");
                break;
            }
        }
        for (const std::string &category : rule.scope.categories) {
            const auto &products = catalog->products();
            if (std::none_of(products.begin(), products.end(),
                             [&](const Product &p) { return p.category == category; })) {
                problem("scope.categories", "scope.categories names \"" + category + "\", which has no products");
                break;
            }
        }
    }
    const auto hasProblem = [&](const std::string &field) {
        return std::any_of(problems.begin(), problems.end(), [&](const RuleProblem &p) { return p.field == field; });
    };
    switch (rule.kind) {
    case RuleKind::SkuPrice:
        if (rule.scope.skus.size() != 1 || !rule.scope.categories.empty()) {
            const std::string field = rule.scope.skus.size() != 1 ? "scope.skus" : "scope.categories";
            if (!hasProblem(field))
                problem(field, "a sku_price rule names exactly one SKU in scope.skus and no categories");
        }
        if (rule.unitPrice.minorUnits() < 0)
            problem("unit_price", "unit_price must not be negative");
        break;
    case RuleKind::SegmentPrice:
        if (rule.segment.empty())
            problem("segment", "segment is empty");
        [[fallthrough]];
    case RuleKind::CategoryPrice:
        if (rule.percentOfList < 0 || rule.percentOfList >= kBasisPoints)
            problem("percent_of_list", "percent_of_list must be at least 0 and below 100");
        break;
    case RuleKind::PercentOff:
        if (rule.percentOff <= 0 || rule.percentOff > kBasisPoints)
            problem("percent_off", "percent_off must be above 0 and at most 100");
        if (rule.maxOff && rule.maxOff->minorUnits() <= 0)
            problem("max_off", "max_off must be positive");
        break;
    case RuleKind::Threshold: {
        if (rule.tiers.empty())
            problem("tiers", "tiers must have at least one tier");
        for (std::size_t i = 0; i < rule.tiers.size(); ++i) {
            const Tier &t = rule.tiers[i];
            const std::string where = "tiers[" + std::to_string(i) + "]";
            std::string message;
            if (t.spend.minorUnits() <= 0 || t.off.minorUnits() <= 0)
                message = where + ": spend and off must be positive";
            else if (t.off > t.spend)
                message = where + ": off must not exceed spend";
            else if (i > 0 && !(rule.tiers[i - 1].spend < t.spend))
                message = where + ": tiers must be in ascending order of spend";
            else if (i > 0 && !(rule.tiers[i - 1].off < t.off))
                message = where + ": a higher tier must take more off than the one below";
            if (!message.empty()) {
                problem("tiers", std::move(message));
                break;
            }
        }
        break;
    }
    }
    return problems;
}

std::string validateRule(const PricingRule &rule, const Catalog *catalog)
{
    const std::vector<RuleProblem> problems = ruleProblems(rule, catalog);
    return problems.empty() ? std::string() : problems.front().message;
}

std::vector<RuleSetProblem> ruleSetProblems(const std::vector<PricingRule> &rules, const Catalog *catalog,
                                            const std::vector<std::string> &otherIds)
{
    std::vector<RuleSetProblem> problems;
    std::set<std::string> ids(otherIds.begin(), otherIds.end());
    for (std::size_t i = 0; i < rules.size(); ++i) {
        std::vector<RuleProblem> own = ruleProblems(rules[i], catalog);
        const bool idOk = std::none_of(own.begin(), own.end(), [](const RuleProblem &p) { return p.field == "id"; });
        if (idOk && !ids.insert(rules[i].id).second)
            own.insert(own.begin(), RuleProblem{"id", "the id \"" + rules[i].id + "\" is used by another rule"});
        for (RuleProblem &p : own)
            problems.push_back(RuleSetProblem{i, std::move(p)});
    }
    return problems;
}

} // namespace flywheel::pricing
