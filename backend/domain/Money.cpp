#include "domain/Money.h"

#include <cstdlib>

namespace flywheel {

std::optional<Money> Money::plus(Money other) const
{
    std::int64_t sum = 0;
    if (__builtin_add_overflow(m_minor, other.m_minor, &sum))
        return std::nullopt;
    return Money(sum);
}

std::optional<Money> Money::times(std::int64_t factor) const
{
    std::int64_t product = 0;
    if (__builtin_mul_overflow(m_minor, factor, &product))
        return std::nullopt;
    return Money(product);
}

std::int64_t divideRounded(std::int64_t numerator, std::int64_t denominator)
{
    const std::int64_t quotient = numerator / denominator;
    const std::int64_t remainder = numerator % denominator;
    // Compare 2|r| with d without overflowing: |r| >= d - |r|.
    const std::int64_t absRemainder = remainder < 0 ? -remainder : remainder;
    if (absRemainder >= denominator - absRemainder)
        return numerator < 0 ? quotient - 1 : quotient + 1;
    return quotient;
}

std::string formatMinorUnits(std::int64_t minorUnits)
{
    const bool negative = minorUnits < 0;
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(minorUnits) : static_cast<std::uint64_t>(minorUnits);
    std::string cents = std::to_string(magnitude % 100);
    if (cents.size() < 2)
        cents.insert(cents.begin(), '0');
    return (negative ? "-" : "") + std::to_string(magnitude / 100) + "." + cents;
}

} // namespace flywheel
