#include "pricing/RuleSetYaml.h"

#include "common/YamlReader.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <set>

namespace flywheel::pricing {

namespace {

/// Digits with at most `decimals` decimals, as an integer scaled by 10^decimals.
std::optional<std::int64_t> parseDecimal(const std::string &text, int decimals)
{
    if (text.empty() || text.size() > 20)
        return std::nullopt;
    std::int64_t value = 0;
    int seenDecimals = -1;
    for (char c : text) {
        if (c == '.') {
            if (seenDecimals >= 0)
                return std::nullopt;
            seenDecimals = 0;
            continue;
        }
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return std::nullopt;
        if (seenDecimals >= 0 && ++seenDecimals > decimals)
            return std::nullopt;
        // Too many digits for 64 bits: not a number this reads (the callers' ranges are far smaller).
        if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, c - '0', &value))
            return std::nullopt;
    }
    if (text.front() == '.' || text.back() == '.')
        return std::nullopt;
    for (int i = std::max(seenDecimals, 0); i < decimals; ++i) {
        if (__builtin_mul_overflow(value, 10, &value))
            return std::nullopt;
    }
    return value;
}

} // namespace

std::optional<Money> parseMoney(const std::string &text)
{
    const auto minor = parseDecimal(text, 2);
    if (!minor || *minor > 1'000'000'000'000'00LL) // a trillion: far beyond any price
        return std::nullopt;
    return Money(*minor);
}

std::optional<int> parsePercent(const std::string &text)
{
    const auto bp = parseDecimal(text, 2);
    if (!bp || *bp > kBasisPoints)
        return std::nullopt;
    return static_cast<int>(*bp);
}

std::optional<TimePoint> parseTimestamp(const std::string &text)
{
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &consumed) != 6 ||
        consumed != 19)
        return std::nullopt;
    const std::string zone = text.substr(19);
    int offsetMinutes = 0;
    if (zone != "Z") {
        int oh = 0, om = 0, used = 0;
        if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
            std::sscanf(zone.c_str() + 1, "%2d:%2d%n", &oh, &om, &used) != 2 || used != 5 || oh > 14 || om > 59)
            return std::nullopt;
        offsetMinutes = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om);
    }
    const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
                                           std::chrono::day(static_cast<unsigned>(d))};
    if (!date.ok() || y < 2000 || y > 2200 || h > 23 || mi > 59 || s > 59)
        return std::nullopt;
    const auto local = std::chrono::sys_days(date) + std::chrono::hours(h) + std::chrono::minutes(mi) +
                       std::chrono::seconds(s) - std::chrono::minutes(offsetMinutes);
    return std::chrono::time_point_cast<Milliseconds>(local);
}

namespace {

using common::YamlMap;
using common::YamlValue;

Money money(const YamlValue &value)
{
    const char *expected = "an amount like 59 or 59.90 (at most two decimals)";
    const auto amount = parseMoney(value.plainText(expected));
    if (!amount)
        value.refuse(std::string("must be ") + expected + ", got \"" + value.node().Scalar() + "\"");
    return *amount;
}

int percent(const YamlValue &value)
{
    const char *expected = "a percentage from 0 to 100 (at most two decimals)";
    const auto bp = parsePercent(value.plainText(expected));
    if (!bp)
        value.refuse(std::string("must be ") + expected + ", got \"" + value.node().Scalar() + "\"");
    return *bp;
}

TimePoint timestamp(const YamlValue &value)
{
    const std::string text = value.text();
    const auto time = parseTimestamp(text);
    if (!time)
        value.refuse("must be a time like 2026-06-01T00:00:00Z or 2026-06-01T08:00:00+08:00, got \"" + text + "\"");
    return *time;
}

std::vector<std::string> names(const YamlValue &value)
{
    std::vector<std::string> out;
    for (const YamlValue &item : value.list()) {
        std::string text = item.text();
        if (text.empty())
            item.refuse("is empty");
        out.push_back(std::move(text));
    }
    return out;
}

/// The node a problem of validateRule is about, so that the error points at it.
YamlValue fieldValue(const YamlMap &rule, const std::string &field)
{
    const auto dot = field.find('.');
    const auto outer = rule.optional(field.substr(0, dot).c_str());
    if (!outer)
        return rule.value();
    if (dot == std::string::npos || !outer->node().IsMap())
        return *outer;
    const auto inner = outer->map({"skus", "categories"}).optional(field.substr(dot + 1).c_str());
    return inner ? *inner : *outer;
}

PricingRule parseRule(const YamlValue &value, const Catalog *catalog)
{
    const YamlMap node = value.map({"id", "name", "type", "enabled", "priority", "stackable", "exclusion_group",
                                    "starts_at", "ends_at", "per_user_limit", "scope", "unit_price", "percent_of_list",
                                    "segment", "percent_off", "max_off", "tiers"});
    PricingRule rule;
    rule.id = node.required("id").text();
    rule.name = node.required("name").text();
    const YamlValue type = node.required("type");
    const auto kind = parseRuleKind(type.text());
    if (!kind)
        type.refuse("must be one of sku_price, category_price, segment_price, percent_off, threshold; got \"" +
                    type.node().Scalar() + "\"");
    rule.kind = *kind;
    if (const auto n = node.optional("enabled"))
        rule.enabled = n->boolean();
    if (const auto n = node.optional("priority"))
        rule.priority = static_cast<int>(n->integer(-1000000, 1000000));
    if (const auto n = node.optional("stackable"))
        rule.stackable = n->boolean();
    if (const auto n = node.optional("exclusion_group"))
        rule.exclusionGroup = n->text();
    if (const auto n = node.optional("starts_at"))
        rule.startsAt = timestamp(*n);
    if (const auto n = node.optional("ends_at"))
        rule.endsAt = timestamp(*n);
    if (const auto n = node.optional("per_user_limit"))
        rule.perUserLimit = static_cast<int>(n->integer(0, 1000000));
    if (const auto n = node.optional("scope")) {
        const YamlMap scope = n->map({"skus", "categories"});
        if (const auto skus = scope.optional("skus"))
            rule.scope.skus = names(*skus);
        if (const auto categories = scope.optional("categories"))
            rule.scope.categories = names(*categories);
    }

    // Each type takes its own parameters and no others.
    const auto forbid = [&](std::initializer_list<const char *> keys) {
        for (const char *key : keys) {
            if (const auto n = node.optional(key))
                n->refuse(std::string("does not apply to a ") + ruleKindName(rule.kind) + " rule");
        }
    };
    switch (rule.kind) {
    case RuleKind::SkuPrice:
        forbid({"percent_of_list", "segment", "percent_off", "max_off", "tiers"});
        rule.unitPrice = money(node.required("unit_price"));
        break;
    case RuleKind::CategoryPrice:
        forbid({"unit_price", "segment", "percent_off", "max_off", "tiers"});
        rule.percentOfList = percent(node.required("percent_of_list"));
        break;
    case RuleKind::SegmentPrice:
        forbid({"unit_price", "percent_off", "max_off", "tiers"});
        rule.percentOfList = percent(node.required("percent_of_list"));
        rule.segment = node.required("segment").text();
        break;
    case RuleKind::PercentOff:
        forbid({"unit_price", "percent_of_list", "segment", "tiers"});
        rule.percentOff = percent(node.required("percent_off"));
        if (const auto n = node.optional("max_off"))
            rule.maxOff = money(*n);
        break;
    case RuleKind::Threshold:
        forbid({"unit_price", "percent_of_list", "segment", "percent_off", "max_off"});
        for (const YamlValue &item : node.required("tiers").list()) {
            const YamlMap tier = item.map({"spend", "off"});
            rule.tiers.push_back(Tier{money(tier.required("spend")), money(tier.required("off"))});
        }
        break;
    }
    if (const auto problems = ruleProblems(rule, catalog); !problems.empty())
        fieldValue(node, problems.front().field)
            .refuseWith(value.path() + " (\"" + rule.id + "\"): " + problems.front().message);
    return rule;
}

} // namespace

std::variant<std::vector<PricingRule>, YamlError> parseRuleSetYaml(const std::string &text, const std::string &file,
                                                                   const Catalog *catalog)
{
    if (text.size() > kMaxPricingFileBytes)
        return YamlError{file, 1, 1, {}, "the file is larger than " + std::to_string(kMaxPricingFileBytes) + " bytes"};
    return common::readYaml<std::vector<PricingRule>>(text, file, [&](const YamlValue &root) {
        const YamlValue list = root.map({"rules"}).required("rules");
        const std::vector<YamlValue> items = list.list(true);
        if (items.size() > kMaxRules)
            list.refuse("may hold at most " + std::to_string(kMaxRules) + " rules, got " +
                        std::to_string(items.size()));
        std::vector<PricingRule> rules;
        std::set<std::string> ids;
        for (const YamlValue &item : items) {
            PricingRule rule = parseRule(item, catalog);
            if (!ids.insert(rule.id).second)
                YamlValue(item.node()["id"], item.path() + ".id")
                    .refuse("\"" + rule.id + "\" is used by an earlier rule");
            rules.push_back(std::move(rule));
        }
        sortForEvaluation(rules);
        return rules;
    });
}

namespace {

std::string percentText(int basisPoints)
{
    std::string text = std::to_string(basisPoints / 100);
    if (const int fraction = basisPoints % 100; fraction != 0)
        text += (fraction % 10 == 0 ? "." + std::to_string(fraction / 10)
                                    : (fraction < 10 ? ".0" : ".") + std::to_string(fraction));
    return text;
}

std::string timeText(TimePoint t)
{
    const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
    const auto days = std::chrono::floor<std::chrono::days>(seconds);
    const std::chrono::year_month_day date(days);
    const std::chrono::hh_mm_ss time(seconds - days);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()),
                  static_cast<long>(time.seconds().count()));
    return buffer;
}

} // namespace

std::string emitRuleSetYaml(const std::vector<PricingRule> &rules)
{
    if (rules.empty())
        return "rules: []\n";
    YAML::Emitter out;
    out << YAML::BeginMap << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
    for (const PricingRule &r : rules) {
        out << YAML::BeginMap;
        out << YAML::Key << "id" << YAML::Value << r.id;
        out << YAML::Key << "name" << YAML::Value << YAML::DoubleQuoted << r.name;
        out << YAML::Key << "type" << YAML::Value << ruleKindName(r.kind);
        if (!r.enabled)
            out << YAML::Key << "enabled" << YAML::Value << "false";
        if (r.priority != 0)
            out << YAML::Key << "priority" << YAML::Value << std::to_string(r.priority);
        if (!r.stackable)
            out << YAML::Key << "stackable" << YAML::Value << "false";
        if (!r.exclusionGroup.empty())
            out << YAML::Key << "exclusion_group" << YAML::Value << YAML::DoubleQuoted << r.exclusionGroup;
        if (r.startsAt)
            out << YAML::Key << "starts_at" << YAML::Value << timeText(*r.startsAt);
        if (r.endsAt)
            out << YAML::Key << "ends_at" << YAML::Value << timeText(*r.endsAt);
        if (r.perUserLimit != 0)
            out << YAML::Key << "per_user_limit" << YAML::Value << std::to_string(r.perUserLimit);
        if (!r.scope.everything()) {
            out << YAML::Key << "scope" << YAML::Value << YAML::Flow << YAML::BeginMap;
            if (!r.scope.skus.empty())
                out << YAML::Key << "skus" << YAML::Value << YAML::Flow << r.scope.skus;
            if (!r.scope.categories.empty()) {
                out << YAML::Key << "categories" << YAML::Value << YAML::Flow << YAML::BeginSeq;
                for (const std::string &c : r.scope.categories)
                    out << YAML::DoubleQuoted << c;
                out << YAML::EndSeq;
            }
            out << YAML::EndMap;
        }
        switch (r.kind) {
        case RuleKind::SkuPrice:
            out << YAML::Key << "unit_price" << YAML::Value << formatMinorUnits(r.unitPrice.minorUnits());
            break;
        case RuleKind::SegmentPrice:
            out << YAML::Key << "segment" << YAML::Value << YAML::DoubleQuoted << r.segment;
            [[fallthrough]];
        case RuleKind::CategoryPrice:
            out << YAML::Key << "percent_of_list" << YAML::Value << percentText(r.percentOfList);
            break;
        case RuleKind::PercentOff:
            out << YAML::Key << "percent_off" << YAML::Value << percentText(r.percentOff);
            if (r.maxOff)
                out << YAML::Key << "max_off" << YAML::Value << formatMinorUnits(r.maxOff->minorUnits());
            break;
        case RuleKind::Threshold:
            out << YAML::Key << "tiers" << YAML::Value << YAML::BeginSeq;
            for (const Tier &t : r.tiers) {
                out << YAML::Flow << YAML::BeginMap << YAML::Key << "spend" << YAML::Value
                    << formatMinorUnits(t.spend.minorUnits()) << YAML::Key << "off" << YAML::Value
                    << formatMinorUnits(t.off.minorUnits()) << YAML::EndMap;
            }
            out << YAML::EndSeq;
            break;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndSeq << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

} // namespace flywheel::pricing
