#include "domain/Clock.h"
#include "domain/pricing/PricingEngine.h"

#include <QTest>

using namespace flywheel;
using namespace flywheel::pricing;
using namespace std::chrono_literals;

namespace {

const TimePoint kNow = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z

Catalog catalog()
{
    return Catalog({Product{"ELE-1", "Earbuds", "Electronics", Money(20000), 10},
                    Product{"ELE-2", "Charger", "Electronics", Money(5000), 10},
                    Product{"GRO-1", "Green Tea", "Grocery", Money(990), 100}});
}

PricingRule rule(std::string id, RuleKind kind, int priority = 0)
{
    PricingRule r;
    r.id = id;
    r.name = "Rule " + id;
    r.kind = kind;
    r.priority = priority;
    return r;
}

RuleSet set(std::vector<PricingRule> rules)
{
    sortForEvaluation(rules);
    return RuleSet{1, std::move(rules)};
}

std::vector<OrderLine> cart(std::vector<std::pair<std::string, std::int64_t>> items)
{
    const Catalog c = catalog();
    std::vector<OrderLine> lines;
    for (const auto &[sku, qty] : items)
        lines.push_back(OrderLine{sku, qty, c.find(sku)->listPrice, c.find(sku)->listPrice});
    return lines;
}

/// Prices with scopes matched by name and, compiled for the catalogue, by index:
/// both must give the same quote.
Quote price(const RuleSet &rules, const std::vector<OrderLine> &lines, Buyer buyer = {}, TimePoint now = kNow)
{
    const Catalog c = catalog();
    Quote byName = quote(rules, c, lines, buyer, now);
    RuleSet compiled = rules;
    compileScopes(compiled, c);
    const Quote byIndex = quote(compiled, c, lines, buyer, now);
    if (byIndex.total != byName.total || byIndex.listTotal != byName.listTotal ||
        byIndex.adjustments != byName.adjustments || byIndex.lines.size() != byName.lines.size())
        qFatal("the compiled scopes priced differently from the named ones");
    for (std::size_t i = 0; i < byName.lines.size(); ++i) {
        if (byIndex.lines[i].unitPrice != byName.lines[i].unitPrice)
            qFatal("the compiled scopes priced line %zu differently from the named ones", i);
    }
    return byName;
}

std::int64_t sumOfAdjustments(const Quote &q)
{
    std::int64_t sum = 0;
    for (const Adjustment &a : q.adjustments)
        sum += a.amount.minorUnits();
    return sum;
}

} // namespace

class TestPricingEngine final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void noRulesMeansListPrice()
    {
        const Quote q = price(set({}), cart({{"ELE-1", 2}, {"GRO-1", 3}}));
        QCOMPARE(q.listTotal.minorUnits(), 2 * 20000 + 3 * 990);
        QCOMPARE(q.total, q.listTotal);
        QVERIFY(q.adjustments.empty());
    }

    void thresholdPicksTheBestTierReached()
    {
        PricingRule t = rule("tiers", RuleKind::Threshold);
        t.tiers = {{Money(30000), Money(3000)}, {Money(50000), Money(6000)}};
        const RuleSet rules = set({t});
        QCOMPARE(price(rules, cart({{"ELE-1", 1}})).total.minorUnits(), 20000);                      // below every tier
        QCOMPARE(price(rules, cart({{"ELE-1", 1}, {"ELE-2", 2}})).total.minorUnits(), 30000 - 3000); // exactly 300
        QCOMPARE(price(rules, cart({{"ELE-1", 3}})).total.minorUnits(), 60000 - 6000);
        const Quote q = price(rules, cart({{"ELE-1", 3}}));
        QCOMPARE(q.adjustments.size(), std::size_t(1));
        QCOMPARE(q.adjustments[0], (Adjustment{"tiers", "Rule tiers", RuleKind::Threshold, Money(-6000)}));
    }

    void thresholdCountsOnlyItsScope()
    {
        PricingRule t = rule("ele-tiers", RuleKind::Threshold);
        t.scope.categories = {"Electronics"};
        t.tiers = {{Money(25000), Money(2500)}};
        const Quote q = price(set({t}), cart({{"ELE-1", 1}, {"GRO-1", 10}})); // 200 + 99 of tea
        QCOMPARE(q.total.minorUnits(), 20000 + 9900);
    }

    void percentOffRoundsHalfAwayFromZeroAndCaps()
    {
        PricingRule p = rule("pct", RuleKind::PercentOff);
        p.percentOff = 1250;                                                           // 12.5 %
        QCOMPARE(price(set({p}), cart({{"GRO-1", 1}})).total.minorUnits(), 990 - 124); // 123.75 -> 124
        p.percentOff = 500;                                                            // 5 % of 9.90 = 0.495 -> 0.50
        QCOMPARE(price(set({p}), cart({{"GRO-1", 1}})).total.minorUnits(), 990 - 50);
        p.maxOff = Money(1000);
        p.percentOff = 5000;
        QCOMPARE(price(set({p}), cart({{"ELE-1", 1}})).total.minorUnits(), 20000 - 1000);
    }

    void linePricesComeFirstAndTheBestPriorityWins()
    {
        PricingRule sku = rule("earbuds", RuleKind::SkuPrice, 10);
        sku.scope.skus = {"ELE-1"};
        sku.unitPrice = Money(15000);
        PricingRule category = rule("ele-80", RuleKind::CategoryPrice, 5);
        category.scope.categories = {"Electronics"};
        category.percentOfList = 8000;
        PricingRule pct = rule("pct", RuleKind::PercentOff, 100); // higher priority, but order level: after
        pct.percentOff = 1000;
        const Quote q = price(set({pct, category, sku}), cart({{"ELE-1", 1}, {"ELE-2", 1}}));
        QCOMPARE(q.lines[0].unitPrice.minorUnits(), 15000); // the SKU price beat 80 % (16000)
        QCOMPARE(q.lines[1].unitPrice.minorUnits(), 4000);  // 80 % of 50.00
        QCOMPARE(q.adjustments.size(), std::size_t(3));
        QCOMPARE(q.adjustments[0].ruleId, std::string("earbuds"));
        QCOMPARE(q.adjustments[0].amount.minorUnits(), -5000);
        QCOMPARE(q.adjustments[1].ruleId, std::string("ele-80"));
        QCOMPARE(q.adjustments[1].amount.minorUnits(), -1000);
        QCOMPARE(q.adjustments[2].amount.minorUnits(), -1900); // 10 % of 190.00
        QCOMPARE(q.total.minorUnits(), 19000 - 1900);
        QCOMPARE(q.total.minorUnits() - q.listTotal.minorUnits(), sumOfAdjustments(q));
    }

    void exclusionGroupsAndNonStackableRules()
    {
        PricingRule a = rule("a", RuleKind::PercentOff, 10);
        a.percentOff = 1000;
        a.exclusionGroup = "coupons";
        PricingRule b = rule("b", RuleKind::PercentOff, 5);
        b.percentOff = 2000;
        b.exclusionGroup = "coupons";
        Quote q = price(set({a, b}), cart({{"ELE-1", 1}}));
        QCOMPARE(q.adjustments.size(), std::size_t(1));
        QCOMPARE(q.adjustments[0].ruleId, std::string("a"));

        PricingRule solo = rule("solo", RuleKind::PercentOff, 1);
        solo.percentOff = 5000;
        solo.stackable = false;
        q = price(set({a, solo}), cart({{"ELE-1", 1}}));
        QCOMPARE(q.adjustments.size(), std::size_t(1)); // another rule applied first
        QCOMPARE(q.adjustments[0].ruleId, std::string("a"));

        solo.priority = 50;
        q = price(set({a, solo}), cart({{"ELE-1", 1}}));
        QCOMPARE(q.adjustments.size(), std::size_t(1)); // it applied first and ended the evaluation
        QCOMPARE(q.adjustments[0].ruleId, std::string("solo"));
    }

    void timeWindowsAndStates()
    {
        PricingRule r = rule("sale", RuleKind::PercentOff);
        r.percentOff = 1000;
        r.startsAt = kNow + 1h;
        r.endsAt = kNow + 2h;
        QCOMPARE(ruleState(r, kNow), RuleState::Scheduled);
        QCOMPARE(ruleState(r, kNow + 1h), RuleState::Active); // start inclusive
        QCOMPARE(ruleState(r, kNow + 2h - 1ms), RuleState::Active);
        QCOMPARE(ruleState(r, kNow + 2h), RuleState::Expired); // end exclusive
        QVERIFY(price(set({r}), cart({{"ELE-1", 1}}), {}, kNow).adjustments.empty());
        QCOMPARE(price(set({r}), cart({{"ELE-1", 1}}), {}, kNow + 90min).adjustments.size(), std::size_t(1));
        r.enabled = false;
        QCOMPARE(ruleState(r, kNow + 90min), RuleState::Disabled);
        QVERIFY(price(set({r}), cart({{"ELE-1", 1}}), {}, kNow + 90min).adjustments.empty());
    }

    // The state at the end is not enough: an order priced after the end time must not
    // get the rule, on the clock the backend prices with.
    void aRuleStopsPricingWhenItsEndTimePasses()
    {
        ManualClock clock(kNow);
        PricingRule sale = rule("sale", RuleKind::PercentOff);
        sale.percentOff = 1000;
        sale.startsAt = kNow + 1h;
        sale.endsAt = kNow + 2h;
        PricingRule earbuds = rule("earbuds", RuleKind::SkuPrice);
        earbuds.scope.skus = {"ELE-1"};
        earbuds.unitPrice = Money(15000);
        earbuds.endsAt = kNow + 2h;
        const RuleSet rules = set({sale, earbuds});
        const auto priceNow = [&] { return price(rules, cart({{"ELE-1", 1}}), {}, clock.now()); };

        QCOMPARE(priceNow().total.minorUnits(), 15000); // before the sale: the SKU price only
        clock.advance(1h);                              // the sale's start: inclusive
        QCOMPARE(priceNow().total.minorUnits(), 15000 - 1500);
        clock.set(kNow + 2h - 1ms); // the last millisecond of both
        QCOMPARE(priceNow().adjustments.size(), std::size_t(2));
        QCOMPARE(priceNow().total.minorUnits(), 15000 - 1500);
        clock.advance(1ms); // the end: exclusive
        const Quote atEnd = priceNow();
        QVERIFY(atEnd.adjustments.empty());
        QCOMPARE(atEnd.total.minorUnits(), 20000);
        clock.advance(24h); // and for good
        QVERIFY(priceNow().adjustments.empty());
        QCOMPARE(priceNow().total, priceNow().listTotal);
    }

    void perUserLimitsAtTheirBoundary()
    {
        PricingRule thrice = rule("thrice", RuleKind::PercentOff);
        thrice.percentOff = 1000;
        thrice.perUserLimit = 3;
        const auto usedTimes = [](int n) {
            return Buyer{5, {}, [n](const std::string &id) { return id == "thrice" ? n : 0; }};
        };
        QCOMPARE(price(set({thrice}), cart({{"ELE-1", 1}}), usedTimes(2)).adjustments.size(), std::size_t(1));
        QVERIFY(price(set({thrice}), cart({{"ELE-1", 1}}), usedTimes(3)).adjustments.empty()); // at the limit
        QVERIFY(price(set({thrice}), cart({{"ELE-1", 1}}), usedTimes(4)).adjustments.empty());
        // No limit (0): however often it was used.
        thrice.perUserLimit = 0;
        QCOMPARE(price(set({thrice}), cart({{"ELE-1", 1}}), usedTimes(1000)).adjustments.size(), std::size_t(1));
    }

    void thresholdTiersAtTheirBoundary()
    {
        PricingRule t = rule("tiers", RuleKind::Threshold);
        t.tiers = {{Money(20000), Money(2000)}, {Money(25000), Money(4000)}};
        const RuleSet rules = set({t});
        QCOMPARE(price(rules, cart({{"ELE-1", 1}})).total.minorUnits(), 20000 - 2000);               // exactly 200.00
        QCOMPARE(price(rules, cart({{"ELE-2", 3}, {"GRO-1", 5}})).total.minorUnits(), 15000 + 4950); // 199.50: none
        QCOMPARE(price(rules, cart({{"ELE-1", 1}, {"ELE-2", 1}})).total.minorUnits(), 25000 - 4000); // exactly 250.00
        // The percentage cap at exactly the cap.
        PricingRule capped = rule("capped", RuleKind::PercentOff);
        capped.percentOff = 1000;
        capped.maxOff = Money(2000);
        QCOMPARE(price(set({capped}), cart({{"ELE-1", 1}})).total.minorUnits(), 20000 - 2000); // 10 % = the cap
        QCOMPARE(price(set({capped}), cart({{"ELE-1", 2}})).total.minorUnits(), 40000 - 2000); // 10 % > the cap
    }

    void segmentPricesAndPerUserLimits()
    {
        PricingRule vip = rule("vip", RuleKind::SegmentPrice);
        vip.segment = "vip";
        vip.percentOfList = 9000;
        QVERIFY(price(set({vip}), cart({{"ELE-1", 1}})).adjustments.empty());
        Buyer member{7, {"vip"}, {}};
        QCOMPARE(price(set({vip}), cart({{"ELE-1", 1}}), member).total.minorUnits(), 18000);

        PricingRule once = rule("first-order", RuleKind::PercentOff);
        once.percentOff = 1000;
        once.perUserLimit = 1;
        Buyer fresh{8, {}, [](const std::string &) { return 0; }};
        Buyer used{9, {}, [](const std::string &id) { return id == "first-order" ? 1 : 0; }};
        QCOMPARE(price(set({once}), cart({{"ELE-1", 1}}), fresh).adjustments.size(), std::size_t(1));
        QVERIFY(price(set({once}), cart({{"ELE-1", 1}}), used).adjustments.empty());
    }

    void totalNeverGoesBelowZero()
    {
        PricingRule t = rule("huge", RuleKind::Threshold);
        t.tiers = {{Money(990), Money(990)}};
        PricingRule p = rule("pct", RuleKind::PercentOff, -1);
        p.percentOff = 5000;
        const Quote q = price(set({t, p}), cart({{"GRO-1", 1}}));
        QCOMPARE(q.total.minorUnits(), 0);
        QCOMPARE(q.adjustments.size(), std::size_t(1)); // nothing left for the second
    }

    void validationNamesTheField_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad id") << 0 << "id \"Bad Id\" must be 1 to 64 characters of a-z, 0-9, - and _";
        QTest::newRow("two skus") << 1 << "a sku_price rule names exactly one SKU in scope.skus and no categories";
        QTest::newRow("tiers descending") << 2 << "tiers[1]: tiers must be in ascending order of spend";
        QTest::newRow("unknown sku") << 3 << "scope.skus names \"NOPE\", which is not in the catalogue";
        QTest::newRow("ends before start") << 4 << "ends_at must be after starts_at";
        QTest::newRow("zero percent") << 5 << "percent_off must be above 0 and at most 100";
    }
    void validationNamesTheField()
    {
        QFETCH(int, which);
        QFETCH(QString, message);
        std::vector<PricingRule> rules(6, rule("ok", RuleKind::PercentOff));
        rules[0].id = "Bad Id";
        rules[0].percentOff = 10;
        rules[1] = rule("sku", RuleKind::SkuPrice);
        rules[1].scope.skus = {"ELE-1", "ELE-2"};
        rules[2] = rule("t", RuleKind::Threshold);
        rules[2].tiers = {{Money(500), Money(10)}, {Money(400), Money(20)}};
        rules[3].percentOff = 10;
        rules[3].scope.skus = {"NOPE"};
        rules[4].percentOff = 10;
        rules[4].startsAt = kNow;
        rules[4].endsAt = kNow;
        const Catalog c = catalog();
        QCOMPARE(QString::fromStdString(validateRule(rules[static_cast<std::size_t>(which)], &c)), message);
    }
};

QTEST_GUILESS_MAIN(TestPricingEngine)
#include "tst_pricingengine.moc"
