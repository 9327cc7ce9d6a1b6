#pragma once

#include <string>

namespace flywheel::common {

/// Where and why a YAML document (a pricing file, a stored segment set or
/// referral programme) was refused. Line and column count from 1.
struct YamlError {
    /// What the document is: a file name, or e.g. "rule set version 4".
    std::string file;
    int line = 0;
    int column = 0;
    /// The key path of the offending node ("rules[0].unit_price"); empty for the
    /// whole document or a syntax error.
    std::string path;
    /// The reason in words, naming the key path.
    std::string reason;
    /// "pricing.yaml:12:7: rules[0].unit_price must be ..."
    std::string describe() const;
};

} // namespace flywheel::common
