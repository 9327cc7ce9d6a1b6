#include "domain/segments/Expression.h"

#include "domain/segments/expression/Compiler.h"
#include "domain/segments/expression/Lexer.h"
#include "domain/segments/expression/Parser.h"
#include "domain/segments/expression/Program.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

// How it works (docs/expressions.md has the language); each step is its own file in
// expression/, whose headers are private to the language:
// 1. Lexer.cpp turns the text into tokens with line/column; it stops at the first lexical
//    error, which becomes an Error token that the parser reports when it reaches it, so
//    the error reported is always the first one in reading order.
// 2. Parser.cpp, a recursive-descent parser, builds a typed AST (Ast.h). Types are checked
//    and constants folded as each node is made (bottom-up), so no later pass walks the
//    tree. Chains such as `a + b - c` or `a && b && c` become one n-ary node, prefix
//    operators are collected in a loop: the tree is only as deep as the parentheses,
//    whose depth is limited.
// 3. Compiler.cpp turns the Bool part into a jump graph ("Cond" nodes, Program.h): each
//    node is one test with a successor for true and one for false, so `&&`, `||` and `!`
//    cost nothing at run time and short-circuit by construction. The common test
//    "feature <cmp> constant" is one fused opcode; arithmetic runs in a tiny stack machine.
// 4. Evaluator.cpp runs that graph against a profile (Expression::matches).
// FeatureCatalog.h/.cpp hold the features every step reads (names, types, accessors).

namespace flywheel::segments {

const char *valueTypeName(ValueType type)
{
    switch (type) {
    case ValueType::Number:
        return "Number";
    case ValueType::String:
        return "String";
    case ValueType::Bool:
        return "Bool";
    }
    return "?";
}

std::string ExpressionError::text() const
{
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

Expression::Expression()
{
    static const std::shared_ptr<const Program> empty = std::make_shared<Program>();
    m_program = empty;
}

Expression::Expression(std::shared_ptr<const Program> program) : m_program(std::move(program))
{}

const std::string &Expression::source() const
{
    return m_program->source;
}

const std::vector<std::string> &Expression::features() const
{
    return m_program->features;
}

std::variant<Expression, ExpressionError> compileExpression(std::string_view source, Dictionary &dictionary,
                                                            const ExpressionLimits &limits)
{
    // The length first, in O(1) for huge input: a character is at most 4 bytes.
    const auto tooLong = [&] {
        return ExpressionError{1, 1,
                               "the expression is longer than " + std::to_string(limits.maxLength) + " characters"};
    };
    if (source.size() / 4 > limits.maxLength)
        return tooLong();
    if (source.size() > limits.maxLength) {
        const std::size_t characters = static_cast<std::size_t>(std::count_if(source.begin(), source.end(), [](char c) {
            return !expression::isContinuation(static_cast<unsigned char>(c));
        }));
        if (characters > limits.maxLength)
            return tooLong();
    }
    const int maxDepth = std::clamp(limits.maxDepth, 0, ExpressionLimits::kMaxDepthCap);
    try {
        expression::ParsedExpression parsed = expression::parse(source, expression::tokenize(source), maxDepth);
        std::vector<std::int32_t> ids;
        ids.reserve(parsed.strings.size());
        for (const std::string &s : parsed.strings)
            ids.push_back(dictionary.intern(s));
        auto program = std::make_shared<Expression::Program>();
        program->source = std::string(source);
        program->features = std::move(parsed.features);
        program->entry = expression::compile(parsed.nodes, parsed.root, std::move(ids), *program);
        return Expression(std::move(program));
    } catch (const expression::Failure &f) {
        return ExpressionError{f.line, f.column, f.message};
    }
}

} // namespace flywheel::segments
