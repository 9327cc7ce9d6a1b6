#pragma once
// Private to the expression language: the typed syntax tree the parser builds and the
// compiler reads. Nodes live in one vector and refer to each other by index; types are
// checked and constants folded as each node is made, so the tree the compiler sees is
// already well typed.

#include "domain/segments/Expression.h"
#include "domain/segments/expression/FeatureCatalog.h"
#include "domain/segments/expression/Operations.h"

#include <cstdint>
#include <vector>

namespace flywheel::segments::expression {

enum class NK : std::uint8_t { Num, Str, Bool, Feat, Neg, Not, Arith, And, Or, Cmp, In };

struct Node {
    NK kind = NK::Num;
    ValueType type = ValueType::Number;
    double num = 0;
    bool boolean = false;
    std::int32_t str = -1; // Str: literal index; Feat Tag: tag-name index
    Feature feature = Feature::PayCount;
    Cmp cmp = Cmp::Eq;
    bool negated = false; // In: `not in`
    std::vector<std::int32_t> kids;
    std::vector<char> ops; // Arith: ops[i] combines the value so far with kids[i + 1]
    std::vector<double> nums;
    std::vector<std::int32_t> strs; // In over strings: literal indices
};

} // namespace flywheel::segments::expression
