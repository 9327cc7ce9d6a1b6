#include "pricing/RuleSetYaml.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <set>

namespace flywheel::pricing {

std::string YamlError::describe() const
{
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason;
}

namespace {

/// Thrown inside the parser with the node it is about; turned into a YamlError.
struct Refusal {
    YAML::Mark mark;
    std::string reason;
};

[[noreturn]] void refuse(const YAML::Node &node, std::string reason)
{
    throw Refusal{node.Mark(), std::move(reason)};
}

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
        value = value * 10 + (c - '0');
    }
    if (text.front() == '.' || text.back() == '.')
        return std::nullopt;
    for (int i = std::max(seenDecimals, 0); i < decimals; ++i)
        value *= 10;
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

std::string scalar(const YAML::Node &node, const std::string &key)
{
    if (!node.IsScalar())
        refuse(node, key + " must be a single value");
    return node.Scalar();
}

bool boolean(const YAML::Node &node, const std::string &key)
{
    const std::string text = scalar(node, key);
    if (text == "true")
        return true;
    if (text == "false")
        return false;
    refuse(node, key + " must be true or false, got \"" + text + "\"");
}

int integer(const YAML::Node &node, const std::string &key, int min, int max)
{
    const std::string text = scalar(node, key);
    const bool negative = !text.empty() && text[0] == '-';
    const auto value = parseDecimal(negative ? text.substr(1) : text, 0);
    if (!value || *value > max + 0LL || (negative ? -*value : *value) < min)
        refuse(node, key + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                         ", got \"" + text + "\"");
    return static_cast<int>(negative ? -*value : *value);
}

Money money(const YAML::Node &node, const std::string &key)
{
    const std::string text = scalar(node, key);
    const auto value = parseMoney(text);
    if (!value)
        refuse(node, key + " must be an amount like 59 or 59.90 (at most two decimals), got \"" + text + "\"");
    return *value;
}

int percent(const YAML::Node &node, const std::string &key)
{
    const std::string text = scalar(node, key);
    const auto value = parsePercent(text);
    if (!value)
        refuse(node, key + " must be a percentage from 0 to 100 (at most two decimals), got \"" + text + "\"");
    return *value;
}

TimePoint timestamp(const YAML::Node &node, const std::string &key)
{
    const std::string text = scalar(node, key);
    const auto value = parseTimestamp(text);
    if (!value)
        refuse(node,
               key + " must be a time like 2026-06-01T00:00:00Z or 2026-06-01T08:00:00+08:00, got \"" + text + "\"");
    return *value;
}

std::vector<std::string> names(const YAML::Node &node, const std::string &key)
{
    if (!node.IsSequence())
        refuse(node, key + " must be a list");
    std::vector<std::string> out;
    for (const YAML::Node &item : node) {
        const std::string text = scalar(item, key + " entries");
        if (text.empty())
            refuse(item, key + " has an empty entry");
        out.push_back(text);
    }
    return out;
}

const std::set<std::string> kRuleKeys{
    "id",          "name",    "type",           "enabled", "priority",   "stackable",       "exclusion_group",
    "starts_at",   "ends_at", "per_user_limit", "scope",   "unit_price", "percent_of_list", "segment",
    "percent_off", "max_off", "tiers"};

PricingRule parseRule(const YAML::Node &node, const Catalog *catalog)
{
    if (!node.IsMap())
        refuse(node, "each rule must be a mapping of keys to values");
    for (const auto &entry : node) {
        const std::string key = entry.first.Scalar();
        if (kRuleKeys.count(key) == 0)
            refuse(entry.first, "unknown key \"" + key + "\" in a rule");
    }
    const auto required = [&](const char *key) {
        const YAML::Node value = node[key];
        if (!value)
            refuse(node, std::string("the rule has no \"") + key + "\"");
        return value;
    };
    PricingRule rule;
    rule.id = scalar(required("id"), "id");
    rule.name = scalar(required("name"), "name");
    const YAML::Node type = required("type");
    const auto kind = parseRuleKind(scalar(type, "type"));
    if (!kind)
        refuse(type, "type must be one of sku_price, category_price, segment_price, percent_off, threshold; got \"" +
                         type.Scalar() + "\"");
    rule.kind = *kind;
    if (const auto n = node["enabled"])
        rule.enabled = boolean(n, "enabled");
    if (const auto n = node["priority"])
        rule.priority = integer(n, "priority", -1000000, 1000000);
    if (const auto n = node["stackable"])
        rule.stackable = boolean(n, "stackable");
    if (const auto n = node["exclusion_group"])
        rule.exclusionGroup = scalar(n, "exclusion_group");
    if (const auto n = node["starts_at"])
        rule.startsAt = timestamp(n, "starts_at");
    if (const auto n = node["ends_at"])
        rule.endsAt = timestamp(n, "ends_at");
    if (const auto n = node["per_user_limit"])
        rule.perUserLimit = integer(n, "per_user_limit", 0, 1000000);
    if (const auto scope = node["scope"]) {
        if (!scope.IsMap())
            refuse(scope, "scope must be a mapping with skus and/or categories");
        for (const auto &entry : scope) {
            const std::string key = entry.first.Scalar();
            if (key == "skus")
                rule.scope.skus = names(entry.second, "scope.skus");
            else if (key == "categories")
                rule.scope.categories = names(entry.second, "scope.categories");
            else
                refuse(entry.first, "unknown key \"" + key + "\" in scope; expected skus or categories");
        }
    }

    // Each type takes its own parameters and no others.
    const auto forbid = [&](std::initializer_list<const char *> keys) {
        for (const char *key : keys) {
            if (const auto n = node[key])
                refuse(n, std::string(key) + " does not apply to a " + ruleKindName(rule.kind) + " rule");
        }
    };
    switch (rule.kind) {
    case RuleKind::SkuPrice:
        forbid({"percent_of_list", "segment", "percent_off", "max_off", "tiers"});
        rule.unitPrice = money(required("unit_price"), "unit_price");
        break;
    case RuleKind::CategoryPrice:
        forbid({"unit_price", "segment", "percent_off", "max_off", "tiers"});
        rule.percentOfList = percent(required("percent_of_list"), "percent_of_list");
        break;
    case RuleKind::SegmentPrice:
        forbid({"unit_price", "percent_off", "max_off", "tiers"});
        rule.percentOfList = percent(required("percent_of_list"), "percent_of_list");
        rule.segment = scalar(required("segment"), "segment");
        break;
    case RuleKind::PercentOff:
        forbid({"unit_price", "percent_of_list", "segment", "tiers"});
        rule.percentOff = percent(required("percent_off"), "percent_off");
        if (const auto n = node["max_off"])
            rule.maxOff = money(n, "max_off");
        break;
    case RuleKind::Threshold: {
        forbid({"unit_price", "percent_of_list", "segment", "percent_off", "max_off"});
        const YAML::Node tiers = required("tiers");
        if (!tiers.IsSequence())
            refuse(tiers, "tiers must be a list of {spend, off}");
        for (const YAML::Node &tier : tiers) {
            if (!tier.IsMap())
                refuse(tier, "each tier must be a mapping {spend: ..., off: ...}");
            for (const auto &entry : tier) {
                const std::string key = entry.first.Scalar();
                if (key != "spend" && key != "off")
                    refuse(entry.first, "unknown key \"" + key + "\" in a tier; expected spend and off");
            }
            if (!tier["spend"] || !tier["off"])
                refuse(tier, "each tier needs both spend and off");
            rule.tiers.push_back(Tier{money(tier["spend"], "spend"), money(tier["off"], "off")});
        }
        break;
    }
    }
    if (const std::string problem = validateRule(rule, catalog); !problem.empty())
        refuse(node, "rule \"" + rule.id + "\": " + problem);
    return rule;
}

} // namespace

std::variant<std::vector<PricingRule>, YamlError> parseRuleSetYaml(const std::string &text, const std::string &file,
                                                                   const Catalog *catalog)
{
    if (text.size() > kMaxPricingFileBytes)
        return YamlError{file, 1, 1, "the file is larger than " + std::to_string(kMaxPricingFileBytes) + " bytes"};
    try {
        const YAML::Node root = YAML::Load(text);
        if (!root.IsMap())
            refuse(root, "the file must be a mapping with a \"rules\" list");
        for (const auto &entry : root) {
            const std::string key = entry.first.Scalar();
            if (key != "rules")
                refuse(entry.first, "unknown top-level key \"" + key + "\"; expected rules");
        }
        const YAML::Node list = root["rules"];
        if (!list)
            refuse(root, "the file has no \"rules\" list");
        if (!list.IsSequence() && !list.IsNull())
            refuse(list, "rules must be a list");
        if (list.size() > kMaxRules)
            refuse(list,
                   "at most " + std::to_string(kMaxRules) + " rules are allowed, got " + std::to_string(list.size()));
        std::vector<PricingRule> rules;
        std::set<std::string> ids;
        for (const YAML::Node &node : list) {
            PricingRule rule = parseRule(node, catalog);
            if (!ids.insert(rule.id).second)
                refuse(node["id"], "the id \"" + rule.id + "\" is used by an earlier rule");
            rules.push_back(std::move(rule));
        }
        sortForEvaluation(rules);
        return rules;
    } catch (const Refusal &r) {
        return YamlError{file, std::max(r.mark.line, 0) + 1, std::max(r.mark.column, 0) + 1, r.reason};
    } catch (const YAML::Exception &e) {
        return YamlError{file, std::max(e.mark.line, 0) + 1, std::max(e.mark.column, 0) + 1, e.msg};
    }
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
