#pragma once
// Private to the expression language: the code generator. It turns the Bool part of the
// syntax tree into a jump graph (Program.h): each node is one test with a successor for
// true and one for false, so `&&`, `||` and `!` cost nothing at run time and
// short-circuit by construction. The common test "feature <cmp> constant" is one fused
// opcode; arithmetic runs in a tiny stack machine.

#include "domain/segments/expression/Ast.h"
#include "domain/segments/expression/Program.h"

#include <cstdint>
#include <vector>

namespace flywheel::segments::expression {

/// Compiles the tree under `root` into `program` and returns the entry of its jump graph
/// (or kTrue/kFalse). `ids` are the dictionary ids of the parser's strings, by index.
std::int32_t compile(const std::vector<Node> &nodes, std::int32_t root, std::vector<std::int32_t> ids,
                     Expression::Program &program);

} // namespace flywheel::segments::expression
