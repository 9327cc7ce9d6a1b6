#include "common/YamlReader.h"

#include <cctype>
#include <set>

namespace flywheel::common {

std::string YamlError::describe() const
{
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason;
}

namespace {

/// yaml-cpp tags a scalar written in quotes "!" and a plain one "?".
bool quoted(const YAML::Node &node)
{
    return node.Tag() == "!";
}

std::string quote(const std::string &text)
{
    return "\"" + text + "\"";
}

/// How a value was written, for "got ..." in a refusal.
std::string written(const YAML::Node &node)
{
    return quoted(node) ? "the quoted text " + quote(node.Scalar()) : quote(node.Scalar());
}

} // namespace

YamlValue::YamlValue(YAML::Node node, std::string path) : m_node(std::move(node)), m_path(std::move(path))
{}

std::string YamlValue::where() const
{
    return m_path.empty() ? std::string("the document") : m_path;
}

std::string YamlValue::kindName() const
{
    if (m_node.IsMap())
        return "a mapping";
    if (m_node.IsSequence())
        return "a list";
    if (!m_node.IsDefined() || m_node.IsNull())
        return "an empty value";
    return written(m_node);
}

void YamlValue::refuse(const std::string &reason) const
{
    refuseWith(where() + " " + reason);
}

void YamlValue::refuseWith(const std::string &sentence) const
{
    throw YamlRefusal{m_node.Mark(), m_path, sentence};
}

std::string YamlValue::text() const
{
    if (!m_node.IsScalar())
        refuse("must be a single value, got " + kindName());
    return m_node.Scalar();
}

std::string YamlValue::plainText(const std::string &expected) const
{
    if (!m_node.IsScalar() || quoted(m_node))
        refuse("must be " + expected + ", got " + kindName());
    return m_node.Scalar();
}

bool YamlValue::boolean() const
{
    if (m_node.IsScalar() && !quoted(m_node)) {
        if (m_node.Scalar() == "true")
            return true;
        if (m_node.Scalar() == "false")
            return false;
    }
    refuse("must be true or false, got " + kindName());
}

std::int64_t YamlValue::integer(std::int64_t min, std::int64_t max) const
{
    const std::string range = "must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    if (!m_node.IsScalar() || quoted(m_node))
        refuse(range + ", got " + kindName());
    const std::string &text = m_node.Scalar();
    const bool negative = !text.empty() && text[0] == '-';
    const std::string digits = negative ? text.substr(1) : text;
    if (digits.empty() || digits.size() > 18 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        refuse(range + ", got " + kindName());
    const std::int64_t value = (negative ? -1 : 1) * std::stoll(digits);
    if (value < min || value > max)
        refuse(range + ", got " + kindName());
    return value;
}

std::vector<YamlValue> YamlValue::list(bool emptyIsEmptyList) const
{
    if (emptyIsEmptyList && m_node.IsNull())
        return {};
    if (!m_node.IsSequence())
        refuse("must be a list, got " + kindName());
    std::vector<YamlValue> items;
    items.reserve(m_node.size());
    for (std::size_t i = 0; i < m_node.size(); ++i)
        items.emplace_back(m_node[i], m_path + "[" + std::to_string(i) + "]");
    return items;
}

YamlMap YamlValue::map(std::initializer_list<const char *> keys) const
{
    if (!m_node.IsMap()) {
        std::string names;
        for (const char *key : keys)
            names += std::string(names.empty() ? "" : ", ") + key;
        refuse("must be a mapping with the keys " + names + ", got " + kindName());
    }
    std::set<std::string> seen;
    for (const auto &entry : m_node) {
        const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string();
        const YamlValue keyValue(entry.first, m_path.empty() ? key : m_path + "." + key);
        if (std::none_of(keys.begin(), keys.end(), [&](const char *k) { return key == k; })) {
            std::string expected;
            for (const char *k : keys)
                expected += std::string(expected.empty() ? "" : ", ") + k;
            keyValue.refuseWith("unknown key " + quote(key) + (m_path.empty() ? " at the top level" : " in " + m_path) +
                                "; expected " + expected);
        }
        if (!seen.insert(key).second)
            keyValue.refuseWith("the key " + quote(key) + " appears twice in " + where());
    }
    return YamlMap(*this);
}

YamlValue YamlMap::required(const char *key) const
{
    if (auto value = optional(key))
        return *value;
    m_value.refuse(std::string("has no ") + quote(key));
}

std::optional<YamlValue> YamlMap::optional(const char *key) const
{
    const std::string &path = m_value.path();
    for (const auto &entry : m_value.node()) {
        if (entry.first.IsScalar() && entry.first.Scalar() == key)
            return YamlValue(entry.second, path.empty() ? std::string(key) : path + "." + key);
    }
    return std::nullopt;
}

namespace detail {

YAML::Node loadYaml(const std::string &text)
{
    return YAML::Load(text);
}

YamlError toError(const std::string &file, const YamlRefusal &refusal)
{
    return YamlError{file, std::max(refusal.mark.line, 0) + 1, std::max(refusal.mark.column, 0) + 1, refusal.path,
                     refusal.reason};
}

YamlError toError(const std::string &file, const YAML::Exception &exception)
{
    return YamlError{
        file, std::max(exception.mark.line, 0) + 1, std::max(exception.mark.column, 0) + 1, {}, exception.msg};
}

} // namespace detail

} // namespace flywheel::common
