#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace flywheel {

/// An amount of money in integer minor units (cents, fen). The money path never
/// uses floating point; arithmetic that would overflow reports it instead.
class Money final {
public:
    constexpr Money() = default;
    constexpr explicit Money(std::int64_t minorUnits) : m_minor(minorUnits) {}

    constexpr std::int64_t minorUnits() const { return m_minor; }

    /// nullopt when the result does not fit in 64 bits.
    std::optional<Money> plus(Money other) const;
    std::optional<Money> times(std::int64_t factor) const;

    friend constexpr bool operator==(Money, Money) = default;
    friend constexpr auto operator<=>(Money, Money) = default;

private:
    std::int64_t m_minor = 0;
};

/// numerator / denominator rounded half away from zero. The one rounding rule of the
/// project (docs/architecture.md); denominator must be positive.
std::int64_t divideRounded(std::int64_t numerator, std::int64_t denominator);

/// "1234.56" for 123456 minor units with two decimals; for logs and tests.
std::string formatMinorUnits(std::int64_t minorUnits);

} // namespace flywheel
