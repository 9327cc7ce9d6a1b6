#pragma once
// Private to the expression language: the operations shared by constant folding (the
// parser) and evaluation, so both agree to the bit, and the comparison operators.

#include <cmath>
#include <cstdint>

namespace flywheel::segments::expression {

enum class Cmp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

inline bool compare(Cmp op, double a, double b)
{
    switch (op) {
    case Cmp::Eq:
        return a == b;
    case Cmp::Ne:
        return a != b;
    case Cmp::Lt:
        return a < b;
    case Cmp::Le:
        return a <= b;
    case Cmp::Gt:
        return a > b;
    case Cmp::Ge:
        return a >= b;
    }
    return false;
}

/// `k < x` is `x > k`: the mirrored operator (exact, NaN included).
inline Cmp mirror(Cmp op)
{
    switch (op) {
    case Cmp::Lt:
        return Cmp::Gt;
    case Cmp::Le:
        return Cmp::Ge;
    case Cmp::Gt:
        return Cmp::Lt;
    case Cmp::Ge:
        return Cmp::Le;
    default:
        return op;
    }
}

/// Division by zero gives 0 (documented); never a trap, never UB.
inline double divide(double a, double b)
{
    return b == 0 ? 0.0 : a / b;
}

/// C's fmod: the sign of the left operand; x % 0 gives 0.
inline double remainder(double a, double b)
{
    return b == 0 ? 0.0 : std::fmod(a, b);
}

inline double arith(char op, double a, double b)
{
    switch (op) {
    case '+':
        return a + b;
    case '-':
        return a - b;
    case '*':
        return a * b;
    case '/':
        return divide(a, b);
    default:
        return remainder(a, b);
    }
}

} // namespace flywheel::segments::expression
