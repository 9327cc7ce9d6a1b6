// The three YAML codecs (rule sets, segment sets, referral programmes) read through
// one strict reader: wrong types, unknown keys and missing keys are refused with the
// line, the column and the key path; what each codec writes it reads back.
#include "pricing/RuleSetYaml.h"
#include "referral/ProgramYaml.h"
#include "segments/SegmentSetYaml.h"

#include <QTest>

using namespace flywheel;

namespace {

const char *kRules = R"(rules:
  - id: welcome
    name: Welcome
    type: percent_off
    percent_off: 12.5
    max_off: 50
    priority: 3
)";

const char *kSegments = R"(policy:
  seed_expression: ""
  holdout_percent: 10
  rate_limit_per_second: 0
segments:
  - id: vip
    name: "VIP"
    expression: "pay_count >= 3"
    priority: 5
    cap: {count: 1, per: day}
    channels: [push, sms]
    enabled: true
)";

const char *kProgram = R"(inviter_reward_minor: 500
invitee_reward_minor: 1000
level1_rate_bp: 1000
level2_rate_bp: 300
max_clicks_per_ip_per_hour: 3
max_clicks_per_device_per_day: 5
min_inviter_age_hours: 24
inviter_active_within_days: 30
token_ttl_hours: 24
clock_leeway_seconds: 60
)";

/// `text` with the first occurrence of `from` replaced by `to`.
std::string edited(const char *text, const std::string &from, const std::string &to)
{
    std::string out(text);
    const auto at = out.find(from);
    if (at == std::string::npos)
        qFatal("%s is not in the text", from.c_str());
    return out.replace(at, from.size(), to);
}

template <typename T>
QString errorOf(const std::variant<T, common::YamlError> &result)
{
    if (const auto *error = std::get_if<common::YamlError>(&result))
        return QString::fromStdString(error->describe());
    return QStringLiteral("(accepted)");
}

template <typename T>
QString pathOf(const std::variant<T, common::YamlError> &result)
{
    if (const auto *error = std::get_if<common::YamlError>(&result))
        return QString::fromStdString(error->path);
    return QStringLiteral("(accepted)");
}

} // namespace

class TestYamlCodecs final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ruleSetRefusals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("path");
        QTest::newRow("quoted number") << QString::fromStdString(edited(kRules, "priority: 3", "priority: \"3\""))
                                       << "p.yaml:7:15: rules[0].priority must be a whole number from -1000000 to "
                                          "1000000, got the quoted text \"3\""
                                       << "rules[0].priority";
        QTest::newRow("quoted amount") << QString::fromStdString(edited(kRules, "max_off: 50", "max_off: \"50\""))
                                       << "p.yaml:6:14: rules[0].max_off must be an amount like 59 or 59.90 (at most "
                                          "two decimals), got the quoted text \"50\""
                                       << "rules[0].max_off";
        QTest::newRow("list for a name") << QString::fromStdString(edited(kRules, "name: Welcome", "name: [a, b]"))
                                         << "p.yaml:3:11: rules[0].name must be a single value, got a list"
                                         << "rules[0].name";
        QTest::newRow("unknown key")
            << QString::fromStdString(edited(kRules, "priority: 3", "prio: 3"))
            << "p.yaml:7:5: unknown key \"prio\" in rules[0]; expected id, name, type, enabled, "
               "priority, stackable, exclusion_group, starts_at, ends_at, per_user_limit, "
               "scope, unit_price, percent_of_list, segment, percent_off, max_off, tiers"
            << "rules[0].prio";
        QTest::newRow("repeated key") << QString::fromStdString(
                                             edited(kRules, "priority: 3", "priority: 3\n    priority: 4"))
                                      << "p.yaml:8:5: the key \"priority\" appears twice in rules[0]"
                                      << "rules[0].priority";
        QTest::newRow("missing key") << QString::fromStdString(edited(kRules, "    name: Welcome\n", ""))
                                     << "p.yaml:2:5: rules[0] has no \"name\""
                                     << "rules[0]";
        QTest::newRow("missing rules") << QStringLiteral("{}\n") << "p.yaml:1:1: the document has no \"rules\""
                                       << "";
    }
    void ruleSetRefusals()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QFETCH(QString, path);
        const auto result = pricing::parseRuleSetYaml(text.toStdString(), "p.yaml", nullptr);
        QCOMPARE(errorOf(result), error);
        QCOMPARE(pathOf(result), path);
    }

    void ruleSetRoundTrip()
    {
        const auto first = pricing::parseRuleSetYaml(kRules, "p.yaml", nullptr);
        QCOMPARE(errorOf(first), QStringLiteral("(accepted)"));
        const auto &rules = std::get<std::vector<pricing::PricingRule>>(first);
        const auto second = pricing::parseRuleSetYaml(pricing::emitRuleSetYaml(rules), "emitted", nullptr);
        QCOMPARE(errorOf(second), QStringLiteral("(accepted)"));
        QVERIFY(std::get<std::vector<pricing::PricingRule>>(second) == rules);
    }

    void segmentSetRefusals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("path");
        // Accepted silently before the shared reader: yaml-cpp's as<int>() and as<bool>().
        QTest::newRow("quoted number")
            << QString::fromStdString(edited(kSegments, "holdout_percent: 10", "holdout_percent: \"10\""))
            << "s:3:20: policy.holdout_percent must be a whole number from 0 to 100, got the quoted text \"10\""
            << "policy.holdout_percent";
        QTest::newRow("text for a number")
            << QString::fromStdString(edited(kSegments, "count: 1", "count: one"))
            << "s:10:18: segments[0].cap.count must be a whole number from 0 to 2147483647, got \"one\""
            << "segments[0].cap.count";
        QTest::newRow("yes for a boolean") << QString::fromStdString(edited(kSegments, "enabled: true", "enabled: yes"))
                                           << "s:12:14: segments[0].enabled must be true or false, got \"yes\""
                                           << "segments[0].enabled";
        QTest::newRow("mapping for a name")
            << QString::fromStdString(edited(kSegments, "name: \"VIP\"", "name: {en: VIP}"))
            << "s:7:11: segments[0].name must be a single value, got a mapping"
            << "segments[0].name";
        QTest::newRow("unknown channel") << QString::fromStdString(edited(kSegments, "[push, sms]", "[push, fax]"))
                                         << "s:11:22: segments[0].channels[1] must be push, sms or in_app, got \"fax\""
                                         << "segments[0].channels[1]";
        QTest::newRow("unknown key") << QString::fromStdString(edited(kSegments, "priority: 5", "weight: 5"))
                                     << "s:9:5: unknown key \"weight\" in segments[0]; expected id, name, expression, "
                                        "priority, cap, channels, enabled"
                                     << "segments[0].weight";
        QTest::newRow("unknown key in cap") << QString::fromStdString(edited(kSegments, "per: day", "period: day"))
                                            << "s:10:21: unknown key \"period\" in segments[0].cap; expected count, per"
                                            << "segments[0].cap.period";
        QTest::newRow("missing key") << QString::fromStdString(edited(kSegments, "    channels: [push, sms]\n", ""))
                                     << "s:6:5: segments[0] has no \"channels\""
                                     << "segments[0]";
        QTest::newRow("missing policy") << QString::fromStdString(edited(kSegments, "policy:", "policies:"))
                                        << "s:1:1: unknown key \"policies\" at the top level; expected policy, segments"
                                        << "policies";
    }
    void segmentSetRefusals()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QFETCH(QString, path);
        const auto result = segments::parseSegmentSetYaml(text.toStdString(), "s");
        QCOMPARE(errorOf(result), error);
        QCOMPARE(pathOf(result), path);
    }

    void segmentSetRoundTrip()
    {
        const auto first = segments::parseSegmentSetYaml(kSegments, "s");
        QCOMPARE(errorOf(first), QStringLiteral("(accepted)"));
        segments::SegmentSet set = std::get<segments::SegmentSet>(first);
        QCOMPARE(set.policy.holdoutPercent, 10);
        QCOMPARE(set.segments.size(), std::size_t(1));
        QCOMPARE(set.segments[0].capPeriod, segments::CapPeriod::Day);
        segments::Segment second = set.segments[0];
        second.id = "lapsed";
        second.name = "Lapsed: \"come back\"";
        second.priority = -2;
        second.capCount = 3;
        second.capPeriod = segments::CapPeriod::Week;
        second.channels = {segments::Channel::InApp};
        second.enabled = false;
        set.segments.push_back(second);
        set.policy.seedExpression = "level >= 2";
        const auto back = segments::parseSegmentSetYaml(segments::emitSegmentSetYaml(set), "emitted");
        QCOMPARE(errorOf(back), QStringLiteral("(accepted)"));
        QVERIFY(std::get<segments::SegmentSet>(back) == set);
        const auto empty = segments::parseSegmentSetYaml(segments::emitSegmentSetYaml({}), "emitted");
        QCOMPARE(errorOf(empty), QStringLiteral("(accepted)"));
        QVERIFY(std::get<segments::SegmentSet>(empty) == segments::SegmentSet{});
    }

    void programRefusals_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("path");
        QTest::newRow("text for a number")
            << QString::fromStdString(edited(kProgram, "level1_rate_bp: 1000", "level1_rate_bp: ten"))
            << "r:3:17: level1_rate_bp must be a whole number from -2147483648 to 2147483647, got \"ten\""
            << "level1_rate_bp";
        QTest::newRow("decimal for a number")
            << QString::fromStdString(edited(kProgram, "inviter_reward_minor: 500", "inviter_reward_minor: 5.00"))
            << "r:1:23: inviter_reward_minor must be a whole number from -922337203685477580 to 922337203685477580, "
               "got \"5.00\""
            << "inviter_reward_minor";
        QTest::newRow("unknown key")
            << QString::fromStdString(edited(kProgram, "token_ttl_hours: 24", "token_ttl: 24"))
            << "r:9:1: unknown key \"token_ttl\" at the top level; expected inviter_reward_minor, "
               "invitee_reward_minor, "
               "level1_rate_bp, level2_rate_bp, max_clicks_per_ip_per_hour, max_clicks_per_device_per_day, "
               "min_inviter_age_hours, inviter_active_within_days, token_ttl_hours, clock_leeway_seconds"
            << "token_ttl";
        QTest::newRow("missing key") << QString::fromStdString(edited(kProgram, "clock_leeway_seconds: 60\n", ""))
                                     << "r:1:1: the document has no \"clock_leeway_seconds\""
                                     << "";
        QTest::newRow("not a mapping") << QStringLiteral("[1, 2]\n")
                                       << "r:1:1: the document must be a mapping with the keys inviter_reward_minor, "
                                          "invitee_reward_minor, level1_rate_bp, level2_rate_bp, "
                                          "max_clicks_per_ip_per_hour, max_clicks_per_device_per_day, "
                                          "min_inviter_age_hours, inviter_active_within_days, token_ttl_hours, "
                                          "clock_leeway_seconds, got a list"
                                       << "";
    }
    void programRefusals()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        QFETCH(QString, path);
        const auto result = referral::programFromYaml(text.toStdString(), "r");
        QCOMPARE(errorOf(result), error);
        QCOMPARE(pathOf(result), path);
    }

    void programRoundTrip()
    {
        const auto first = referral::programFromYaml(kProgram, "r");
        QCOMPARE(errorOf(first), QStringLiteral("(accepted)"));
        QVERIFY(std::get<referral::Program>(first) == referral::Program{});
        referral::Program p;
        p.inviterReward = Money(1234);
        p.level2RateBp = 0;
        p.tokenTtlHours = 72;
        const auto back = referral::programFromYaml(referral::programToYaml(p), "emitted");
        QCOMPARE(errorOf(back), QStringLiteral("(accepted)"));
        QVERIFY(std::get<referral::Program>(back) == p);
    }
};

QTEST_APPLESS_MAIN(TestYamlCodecs)
#include "tst_yamlcodecs.moc"
