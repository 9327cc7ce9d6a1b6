#pragma once
// Private to the expression language: the parser. Recursive descent, one function per
// precedence level, building a typed syntax tree (Ast.h). Chains such as `a + b - c` or
// `a && b && c` become one n-ary node and prefix operators are collected in a loop, so
// the tree is only as deep as the parentheses, whose depth is limited.

#include "domain/segments/expression/Ast.h"
#include "domain/segments/expression/Lexer.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::segments::expression {

/// The first error in an expression; thrown by parse(), caught by compileExpression().
struct Failure {
    int line;
    int column;
    std::string message;
};

struct ParsedExpression {
    std::int32_t root = 0; // a Bool node
    std::vector<Node> nodes;
    std::vector<std::string> strings;  // literals and tag names, each once, by Node::str / Node::strs index
    std::vector<std::string> features; // feature names in first-use order, without repeats
};

/// Parses and type-checks the tokens of `source` (from tokenize()); throws Failure.
ParsedExpression parse(std::string_view source, std::vector<Token> tokens, int maxDepth);

} // namespace flywheel::segments::expression
