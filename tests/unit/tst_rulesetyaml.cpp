#include "pricing/RuleSetYaml.h"

#include <QTest>

using namespace flywheel;
using namespace flywheel::pricing;

namespace {

Catalog catalog()
{
    return Catalog({Product{"ELE-1001", "Earbuds", "Electronics", Money(19990), 10},
                    Product{"GRO-1001", "Green Tea", "Grocery", Money(990), 100}});
}

const char *kValid = R"(# Promotions for the summer
rules:
  - id: summer-tiers
    name: Summer threshold reduction
    type: threshold
    priority: 100
    exclusion_group: order-discounts
    starts_at: 2026-06-01T00:00:00+08:00
    ends_at: 2026-09-01T00:00:00Z
    scope: {categories: [Electronics]}
    tiers:
      - {spend: 300, off: 30}
      - {spend: 500.00, off: 60.5}
  - id: earbuds
    name: Earbuds special
    type: sku_price
    priority: 5
    scope: {skus: [ELE-1001]}
    unit_price: 149.90
  - id: tea
    name: Tea at 85 %
    type: category_price
    scope: {categories: [Grocery]}
    percent_of_list: 85
  - id: vip
    name: VIP price
    type: segment_price
    segment: vip
    percent_of_list: 90
    enabled: false
  - id: welcome
    name: Welcome 12.5 % off
    type: percent_off
    percent_off: 12.5
    max_off: 50
    per_user_limit: 1
    stackable: false
)";

} // namespace

class TestRuleSetYaml final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parsesEveryRuleType()
    {
        const Catalog c = catalog();
        const auto result = parseRuleSetYaml(kValid, "pricing.yaml", &c);
        QVERIFY2(std::holds_alternative<std::vector<PricingRule>>(result),
                 std::holds_alternative<YamlError>(result) ? std::get<YamlError>(result).describe().c_str() : "");
        const auto &rules = std::get<std::vector<PricingRule>>(result);
        QCOMPARE(rules.size(), std::size_t(5));
        // Evaluation order: line-level by priority (earbuds 5, then tea and vip at 0 by id), then order-level.
        QCOMPARE(rules[0].id, std::string("earbuds"));
        QCOMPARE(rules[1].id, std::string("tea"));
        QCOMPARE(rules[2].id, std::string("vip"));
        QCOMPARE(rules[3].id, std::string("summer-tiers"));
        QCOMPARE(rules[4].id, std::string("welcome"));
        QCOMPARE(rules[0].unitPrice.minorUnits(), 14990);
        QCOMPARE(rules[1].percentOfList, 8500);
        QVERIFY(!rules[2].enabled);
        const PricingRule &tiers = rules[3];
        QCOMPARE(tiers.tiers.size(), std::size_t(2));
        QCOMPARE(tiers.tiers[1].spend.minorUnits(), 50000);
        QCOMPARE(tiers.tiers[1].off.minorUnits(), 6050);
        QCOMPARE(toEpochMs(*tiers.startsAt), 1780272000000 - 8 * 3600 * 1000LL); // 2026-06-01 00:00 +08:00
        QCOMPARE(tiers.exclusionGroup, std::string("order-discounts"));
        QCOMPARE(rules[4].percentOff, 1250);
        QCOMPARE(rules[4].maxOff->minorUnits(), 5000);
        QCOMPARE(rules[4].perUserLimit, 1);
        QVERIFY(!rules[4].stackable);
    }

    // What the console saves is stored as YAML: it must read back to the same rules.
    void emitsWhatItReads()
    {
        const Catalog c = catalog();
        const auto first = parseRuleSetYaml(kValid, "pricing.yaml", &c);
        const auto &rules = std::get<std::vector<PricingRule>>(first);
        const std::string emitted = emitRuleSetYaml(rules);
        const auto second = parseRuleSetYaml(emitted, "emitted.yaml", &c);
        if (const auto *error = std::get_if<YamlError>(&second))
            QFAIL((emitted + error->describe()).c_str());
        QVERIFY(std::get<std::vector<PricingRule>>(second) == rules);

        // Awkward names and percentages with decimals survive too.
        PricingRule odd;
        odd.id = "odd";
        odd.name = "Quote \" colon: hash # and 中文";
        odd.kind = RuleKind::PercentOff;
        odd.percentOff = 1205; // 12.05 %
        odd.exclusionGroup = "group: x";
        odd.startsAt = fromEpochMs(1780272000000);
        odd.scope.categories = {"Home & Kitchen"};
        const auto back = parseRuleSetYaml(emitRuleSetYaml({odd}), "odd.yaml", nullptr);
        QVERIFY(std::holds_alternative<std::vector<PricingRule>>(back));
        QVERIFY(std::get<std::vector<PricingRule>>(back).front() == odd);
        QCOMPARE(emitRuleSetYaml({}), std::string("rules: []\n"));
    }

    void emptyRuleListIsValid()
    {
        const auto result = parseRuleSetYaml("rules: []\n", "p.yaml", nullptr);
        QVERIFY(std::holds_alternative<std::vector<PricingRule>>(result));
        QVERIFY(std::get<std::vector<PricingRule>>(result).empty());
    }

    // Each malformed document gives the line, the column and the reason.
    void refusesMalformedFiles_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        const QByteArray head("rules:\n  - id: r1\n    name: R\n");
        QTest::newRow("not yaml") << QByteArray("rules: [\n") << "p.yaml:2:1: end of sequence flow not found";
        QTest::newRow("tab indentation") << QByteArray("rules:\n\t- id: x\n") << "p.yaml:2:2: illegal block entry";
        QTest::newRow("not a mapping") << QByteArray("- 1\n- 2\n")
                                       << "p.yaml:1:1: the document must be a mapping with the keys rules, got a list";
        QTest::newRow("no rules") << QByteArray("other: 1\n")
                                  << "p.yaml:1:1: unknown key \"other\" at the top level; expected rules";
        QTest::newRow("rules not a list") << QByteArray("rules: 5\n") << "p.yaml:1:8: rules must be a list, got \"5\"";
        QTest::newRow("unknown key")
            << head + "    type: percent_off\n    percent_off: 10\n    precent: 5\n"
            << "p.yaml:6:5: unknown key \"precent\" in rules[0]; expected id, name, type, enabled, priority, "
               "stackable, exclusion_group, starts_at, ends_at, per_user_limit, scope, unit_price, "
               "percent_of_list, segment, percent_off, max_off, tiers";
        QTest::newRow("missing type") << head << "p.yaml:2:5: rules[0] has no \"type\"";
        QTest::newRow("unknown type")
            << head + "    type: bogo\n"
            << "p.yaml:4:11: rules[0].type must be one of sku_price, category_price, segment_price, "
               "percent_off, threshold; got \"bogo\"";
        QTest::newRow("three decimals")
            << head + "    type: sku_price\n    scope: {skus: [ELE-1001]}\n"
                      "    unit_price: 1.005\n"
            << "p.yaml:6:17: rules[0].unit_price must be an amount like 59 or 59.90 (at most two "
               "decimals), got \"1.005\"";
        QTest::newRow("negative money")
            << head + "    type: sku_price\n    scope: {skus: [ELE-1001]}\n"
                      "    unit_price: -1\n"
            << "p.yaml:6:17: rules[0].unit_price must be an amount like 59 or 59.90 (at most two "
               "decimals), got \"-1\"";
        QTest::newRow("percent over 100")
            << head + "    type: percent_off\n    percent_off: 150\n"
            << "p.yaml:5:18: rules[0].percent_off must be a percentage from 0 to 100 (at most two "
               "decimals), got \"150\"";
        QTest::newRow("bad time") << head + "    type: percent_off\n    percent_off: 5\n    starts_at: tomorrow\n"
                                  << "p.yaml:6:16: rules[0].starts_at must be a time like 2026-06-01T00:00:00Z or "
                                     "2026-06-01T08:00:00+08:00, got \"tomorrow\"";
        QTest::newRow("february 30") << head + "    type: percent_off\n    percent_off: 5\n"
                                               "    starts_at: 2026-02-30T00:00:00Z\n"
                                     << "p.yaml:6:16: rules[0].starts_at must be a time like 2026-06-01T00:00:00Z or "
                                        "2026-06-01T08:00:00+08:00, got \"2026-02-30T00:00:00Z\"";
        QTest::newRow("wrong parameter") << head + "    type: percent_off\n    percent_off: 5\n    unit_price: 3\n"
                                         << "p.yaml:6:17: rules[0].unit_price does not apply to a percent_off rule";
        QTest::newRow("unknown sku")
            << head + "    type: percent_off\n    percent_off: 5\n    scope: {skus: [NOPE]}\n"
            << "p.yaml:6:19: rules[0] (\"r1\"): scope.skus names \"NOPE\", which is not in the "
               "catalogue";
        QTest::newRow("duplicate id") << head +
                                             "    type: percent_off\n    percent_off: 5\n"
                                             "  - id: r1\n    name: again\n    type: percent_off\n    percent_off: 6\n"
                                      << "p.yaml:6:9: rules[1].id \"r1\" is used by an earlier rule";
        QTest::newRow("bad boolean") << head + "    type: percent_off\n    percent_off: 5\n    enabled: yes\n"
                                     << "p.yaml:6:14: rules[0].enabled must be true or false, got \"yes\"";
        QTest::newRow("tiers out of order")
            << head + "    type: threshold\n    tiers:\n      - {spend: 500, off: 60}\n"
                      "      - {spend: 300, off: 30}\n"
            << "p.yaml:6:7: rules[0] (\"r1\"): tiers[1]: tiers must be in ascending order "
               "of spend";
        QTest::newRow("priority not a number")
            << head + "    type: percent_off\n    percent_off: 5\n    priority: high\n"
            << "p.yaml:6:15: rules[0].priority must be a whole number from -1000000 to "
               "1000000, got \"high\"";
        QTest::newRow("scope list expected") << head + "    type: percent_off\n    percent_off: 5\n"
                                                       "    scope: {skus: ELE-1001}\n"
                                             << "p.yaml:6:19: rules[0].scope.skus must be a list, got \"ELE-1001\"";
    }
    void refusesMalformedFiles()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        const Catalog c = catalog();
        const auto result = parseRuleSetYaml(text.toStdString(), "p.yaml", &c);
        if (!std::holds_alternative<YamlError>(result))
            QFAIL("accepted");
        QVERIFY(std::holds_alternative<YamlError>(result));
        QCOMPARE(QString::fromStdString(std::get<YamlError>(result).describe()), error);
    }

    void refusesHugeAndDeepInput()
    {
        const std::string huge(kMaxPricingFileBytes + 1, ' ');
        auto result = parseRuleSetYaml(huge, "p.yaml", nullptr);
        QVERIFY(std::holds_alternative<YamlError>(result));
        const std::string deep = "rules: " + std::string(100000, '[') + std::string(100000, ']');
        result = parseRuleSetYaml(deep, "p.yaml", nullptr);
        QVERIFY(std::holds_alternative<YamlError>(result)); // an error, not a stack overflow
    }

    void parsesAmountsExactly()
    {
        QCOMPARE(parseMoney("0")->minorUnits(), 0);
        QCOMPARE(parseMoney("59.9")->minorUnits(), 5990);
        QCOMPARE(parseMoney("59.90")->minorUnits(), 5990);
        QCOMPARE(parseMoney("1234567.89")->minorUnits(), 123456789);
        for (const char *bad : {"", ".5", "5.", "1e3", "1,000", "0x10", "1.2.3", "+1", " 1", "99999999999999999999"})
            QVERIFY2(!parseMoney(bad), bad);
        QCOMPARE(*parsePercent("12.5"), 1250);
        QCOMPARE(*parsePercent("100"), 10000);
        QVERIFY(!parsePercent("100.01"));
    }
};

QTEST_GUILESS_MAIN(TestRuleSetYaml)
#include "tst_rulesetyaml.moc"
