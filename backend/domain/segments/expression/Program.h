#pragma once
// Private to the expression language: the compiled form of an expression, written by the
// compiler (Compiler.cpp) and run by the evaluator (Evaluator.cpp). The Bool part is a
// jump graph of Cond nodes: each is one test with a successor for true and one for false
// (kTrue/kFalse end the run); arithmetic runs as small value programs on a stack.

#include "domain/segments/Expression.h"
#include "domain/segments/expression/FeatureCatalog.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flywheel::segments::expression {

constexpr std::int32_t kTrue = -1;
constexpr std::int32_t kFalse = -2;

enum Op : std::uint8_t {
    // 0..35: number feature <cmp> constant k, fused: NumFeatK + feature * 6 + cmp; arg = tag id.
    NumFeatK = 0,
    StrFeatEqK = 36, // sub = feature, arg = id
    StrFeatEqFeat,   // sub = feature, arg = other feature; equal only when both are known
    StrFeatIn,       // sub = feature, arg = list
    NumFeatIn,       // sub = feature, arg = tag id, arg2 = list
    BoolFeat,        // key_path_complete
    NumExprCmpK,     // cmp; arg = value program (one value) compared with k
    NumExprCmp,      // cmp; arg = value program (two values)
    NumExprIn,       // arg = value program (one value), arg2 = list
    BoolEq,          // arg, arg2 = entries of two sub-graphs; true when they agree
};

struct Cond {
    std::uint8_t op = 0;
    std::uint8_t sub = 0;
    std::uint8_t cmp = 0;
    std::int32_t arg = 0;
    std::int32_t arg2 = 0;
    std::int32_t ifTrue = kTrue;
    std::int32_t ifFalse = kFalse;
    double k = 0;
};

enum class VOp : std::uint8_t { PushK, PushFeature, Neg, Arith, ArithK };

struct ValueInstr {
    VOp op = VOp::PushK;
    char arith = '+';
    Feature feature = Feature::PayCount;
    std::int32_t tag = 0;
    double k = 0;
};

struct ValueProgram {
    std::int32_t begin = 0;
    std::int32_t end = 0;
    std::int32_t maxStack = 0;
};

struct List {
    std::int32_t offset = 0;
    std::int32_t count = 0;
};

} // namespace flywheel::segments::expression

namespace flywheel::segments {

struct Expression::Program {
    std::string source;
    std::vector<std::string> features;
    std::int32_t entry = expression::kFalse;
    std::vector<expression::Cond> conds;
    std::vector<expression::ValueInstr> code;
    std::vector<expression::ValueProgram> programs;
    std::vector<expression::List> lists;
    std::vector<double> numbers;
    std::vector<std::int32_t> ids;
};

} // namespace flywheel::segments
