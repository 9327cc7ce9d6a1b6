#pragma once

#include "common/YamlError.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace flywheel::common {

class YamlMap;

/// The one way Flywheel reads its YAML documents (rule sets, segment sets, referral
/// programmes). A YamlValue is a node together with its key path, and every accessor
/// is strict: a value of the wrong type, an unknown key, a missing required key or a
/// repeated key is refused by throwing, so that a codec reads as straight-line code
/// and readYaml turns the refusal into a YamlError with line, column and key path.
class YamlValue {
public:
    YamlValue(YAML::Node node, std::string path);

    /// "rules[0].unit_price"; empty for the document itself.
    const std::string &path() const { return m_path; }
    /// The path for a sentence: "the document" for the root.
    std::string where() const;
    const YAML::Node &node() const { return m_node; }

    /// A single value as written (a plain 5 is the text "5"); a mapping, a list or
    /// an empty value is refused.
    std::string text() const;
    /// The text of a value written without quotes, for numbers in their own notation
    /// (money, percentages): "59.90" in quotes is text, not a number, and is refused.
    /// `expected` says what the value should be, e.g. "an amount like 59.90".
    std::string plainText(const std::string &expected) const;
    /// Exactly true or false, unquoted (not yes/no/on/off).
    bool boolean() const;
    /// A whole number without quotes, from min to max.
    std::int64_t integer(std::int64_t min, std::int64_t max) const;
    /// A list (an empty value counts as an empty list only when `emptyIsEmptyList`).
    std::vector<YamlValue> list(bool emptyIsEmptyList = false) const;
    /// A mapping whose keys are all among `keys`; other and repeated keys are refused.
    YamlMap map(std::initializer_list<const char *> keys) const;

    /// Refuses this value: the error points at it and the reason follows its path,
    /// e.g. refuse("must be positive") -> "rules[0].max_off must be positive".
    [[noreturn]] void refuse(const std::string &reason) const;
    /// Refuses with a whole sentence of its own, pointing at this value.
    [[noreturn]] void refuseWith(const std::string &sentence) const;

private:
    std::string kindName() const;

    YAML::Node m_node;
    std::string m_path;
};

/// A mapping read through YamlValue::map.
class YamlMap {
public:
    explicit YamlMap(YamlValue value) : m_value(std::move(value)) {}

    /// The value of `key`; refused when the key is missing.
    YamlValue required(const char *key) const;
    /// The value of `key`, or nothing when the key is missing.
    std::optional<YamlValue> optional(const char *key) const;
    /// The mapping itself.
    const YamlValue &value() const { return m_value; }

private:
    YamlValue m_value;
};

/// Thrown by YamlValue when it refuses; caught by readYaml.
struct YamlRefusal {
    YAML::Mark mark;
    std::string path;
    std::string reason;
};

namespace detail {
YAML::Node loadYaml(const std::string &text);
YamlError toError(const std::string &file, const YamlRefusal &refusal);
YamlError toError(const std::string &file, const YAML::Exception &exception);
} // namespace detail

/// Parses `text` (named `file` in errors) and hands the root value to `read`, which
/// returns a T or throws through YamlValue's refusals.
template <typename T, typename Read>
std::variant<T, YamlError> readYaml(const std::string &text, const std::string &file, Read read)
{
    try {
        return read(YamlValue(detail::loadYaml(text), std::string()));
    } catch (const YamlRefusal &refusal) {
        return detail::toError(file, refusal);
    } catch (const YAML::Exception &e) {
        return detail::toError(file, e);
    }
}

} // namespace flywheel::common
