#include "domain/pricing/PricingEngine.h"

#include <algorithm>

namespace flywheel::pricing {

namespace {

// GCC and Clang's 128-bit integer; __extension__ says we mean it under -Wpedantic.
__extension__ using Int128 = __int128;

/// amount * basisPoints / 10000, rounded half away from zero, without overflowing.
std::int64_t percentOf(std::int64_t amount, int basisPoints)
{
    const Int128 product = static_cast<Int128>(amount) * basisPoints;
    Int128 quotient = product / kBasisPoints;
    const Int128 remainder = product % kBasisPoints;
    const Int128 twice = remainder < 0 ? -2 * remainder : 2 * remainder;
    if (twice >= kBasisPoints)
        quotient += product < 0 ? -1 : 1;
    return static_cast<std::int64_t>(quotient);
}

bool usable(const PricingRule &rule, const Buyer &buyer, TimePoint now)
{
    if (ruleState(rule, now) != RuleState::Active)
        return false;
    if (rule.perUserLimit > 0 && buyer.timesUsed && buyer.timesUsed(rule.id) >= rule.perUserLimit)
        return false;
    if (rule.kind == RuleKind::SegmentPrice && buyer.segments.count(rule.segment) == 0)
        return false;
    return true;
}

/// The new unit price a line-level rule gives `product` (in its scope), if it
/// lowers the current one.
std::optional<Money> linePrice(const PricingRule &rule, const Product &product, Money current)
{
    Money price;
    if (rule.kind == RuleKind::SkuPrice)
        price = rule.unitPrice;
    else
        price = Money(percentOf(product.listPrice.minorUnits(), rule.percentOfList));
    if (!(price < current))
        return std::nullopt;
    return price;
}

} // namespace

Quote quote(const RuleSet &rules, const Catalog &catalog, const std::vector<OrderLine> &lines, const Buyer &buyer,
            TimePoint now)
{
    Quote q;
    std::vector<const Product *> products;
    q.lines.reserve(lines.size());
    products.reserve(lines.size());
    // Scope tests by catalogue index when the set is compiled for this catalogue.
    const bool compiled = rules.compiledFor == &catalog && rules.inScope.size() == rules.rules.size();
    const Product *const first = catalog.products().data();
    const auto inScope = [&](std::size_t ruleIndex, const PricingRule &rule, const Product &product) {
        return compiled ? rules.inScope[ruleIndex][static_cast<std::size_t>(&product - first)]
                        : rule.scope.matches(product);
    };
    for (const OrderLine &line : lines) {
        const Product *product = catalog.find(line.sku);
        products.push_back(product);
        const Money list = product != nullptr ? product->listPrice : line.unitPrice;
        q.lines.push_back(PricedLine{line.sku, line.quantity, list, list});
        q.listTotal = Money(q.listTotal.minorUnits() + list.minorUnits() * line.quantity);
    }
    q.total = q.listTotal;

    // A handful at most: a linear search beats a set, and allocates nothing.
    std::vector<const std::string *> usedGroups;
    const auto groupUsed = [&usedGroups](const std::string &group) {
        return std::any_of(usedGroups.begin(), usedGroups.end(), [&](const std::string *g) { return *g == group; });
    };
    bool anyApplied = false;
    for (std::size_t r = 0; r < rules.rules.size(); ++r) {
        const PricingRule &rule = rules.rules[r];
        // The cheap refusals first: usable() may look up the buyer's usage.
        if (!rule.stackable && anyApplied)
            continue;
        if (!rule.exclusionGroup.empty() && groupUsed(rule.exclusionGroup))
            continue;
        if (!usable(rule, buyer, now))
            continue;

        Money change;
        if (isLineLevel(rule.kind)) {
            for (std::size_t i = 0; i < q.lines.size(); ++i) {
                if (products[i] == nullptr || !inScope(r, rule, *products[i]))
                    continue;
                PricedLine &line = q.lines[i];
                if (const auto price = linePrice(rule, *products[i], line.unitPrice)) {
                    change = Money(change.minorUnits() +
                                   (price->minorUnits() - line.unitPrice.minorUnits()) * line.quantity);
                    line.unitPrice = *price;
                }
            }
        } else {
            std::int64_t eligible = 0;
            for (std::size_t i = 0; i < q.lines.size(); ++i) {
                if (products[i] != nullptr && inScope(r, rule, *products[i]))
                    eligible += q.lines[i].unitPrice.minorUnits() * q.lines[i].quantity;
            }
            std::int64_t off = 0;
            if (rule.kind == RuleKind::PercentOff) {
                off = percentOf(eligible, rule.percentOff);
                if (rule.maxOff)
                    off = std::min(off, rule.maxOff->minorUnits());
            } else {
                for (const Tier &tier : rule.tiers) {
                    if (eligible >= tier.spend.minorUnits())
                        off = tier.off.minorUnits();
                }
            }
            off = std::min(off, q.total.minorUnits());
            change = Money(-off);
        }
        if (change.minorUnits() >= 0)
            continue; // did not lower the price: not applied
        q.total = Money(q.total.minorUnits() + change.minorUnits());
        q.adjustments.push_back(Adjustment{rule.id, rule.name, rule.kind, change});
        anyApplied = true;
        if (!rule.exclusionGroup.empty())
            usedGroups.push_back(&rule.exclusionGroup);
        if (!rule.stackable)
            break;
    }
    return q;
}

} // namespace flywheel::pricing
