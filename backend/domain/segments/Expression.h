#pragma once
// The segment expression language (docs/expressions.md): a boolean expression over a
// profile's features, e.g. `pay_count >= 1 && days_since_reg <= 3 && tag.sports > 0.5`.
// compileExpression() lexes, parses and type-checks the text once and compiles it to a
// compact jump graph of specialised tests; Expression::matches() then evaluates it with
// no allocation, no virtual call and no string comparison. The implementation is one
// file per step in expression/ (lexer, parser, compiler, evaluator, feature catalogue);
// the headers there are private to the language.

#include "domain/segments/Profile.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace flywheel::segments {

enum class ValueType { Number, String, Bool };

/// "Number", "String" or "Bool".
const char *valueTypeName(ValueType type);

struct FeatureInfo {
    std::string name;
    ValueType type;
    std::string description;
};

/// Every feature an expression may name (tag.NAME is described once as "tag.NAME").
const std::vector<FeatureInfo> &featureCatalog();

struct ExpressionLimits {
    /// In characters (UTF-8 code points); checked before anything else.
    std::size_t maxLength = 64 * 1024;
    /// Parentheses open at once. Values above kMaxDepthCap are treated as kMaxDepthCap,
    /// so no setting can make the parser recurse deep enough to exhaust a thread's stack.
    int maxDepth = 64;
    static constexpr int kMaxDepthCap = 256;
};

struct ExpressionError {
    int line = 1;             // 1-based
    int column = 1;           // 1-based, in characters of the source line
    std::string message;      // says what was expected / what is wrong, e.g. "expected ')' to close '(' at column 3"
    std::string text() const; // "line L, column C: message"
};

/// A compiled expression: immutable, cheap to copy (shared state), safe to evaluate from many threads.
class Expression {
public:
    /// An empty expression that matches no profile (source() is "").
    Expression();

    bool matches(const Profile &profile, Day today) const;
    /// As matches(), and adds to `*tests` the number of leaf tests (comparisons, `in`,
    /// Bool features) evaluated: shows that `&&` and `||` short-circuit.
    bool matches(const Profile &profile, Day today, int *tests) const;

    const std::string &source() const;
    /// Feature names the expression reads, in first-use order without repeats, e.g. {"pay_count", "tag.sports"}.
    const std::vector<std::string> &features() const;

    struct Program; // the compiled form: expression/Program.h, private to the language

private:
    friend std::variant<Expression, ExpressionError> compileExpression(std::string_view source, Dictionary &dictionary,
                                                                       const ExpressionLimits &limits);
    explicit Expression(std::shared_ptr<const Program> program);
    std::shared_ptr<const Program> m_program;
};

/// Either the compiled expression or the first error. String literals and tag names are interned in `dictionary`.
std::variant<Expression, ExpressionError> compileExpression(std::string_view source, Dictionary &dictionary,
                                                            const ExpressionLimits &limits = {});

/// A feature's value for display in a sample table: "3", "0.72", "ios", "true"; "" for an unknown feature.
std::string featureText(std::string_view feature, const Profile &profile, Day today, const Dictionary &dictionary);

} // namespace flywheel::segments
