#include "domain/payments/Decimal.h"

#include <limits>

namespace flywheel::payments {

namespace {

Error refused(std::string_view text, const std::string &why)
{
    return Error{ErrorCode::InvalidArgument, "amount \"" + std::string(text) + "\" " + why};
}

} // namespace

Result<std::int64_t> parseDecimalMinor(std::string_view text, int fractionDigits)
{
    if (text.empty())
        return refused(text, "is empty");
    if (text.size() > 40)
        return refused(text.substr(0, 40), "is too long");
    const std::size_t point = text.find('.');
    const std::string_view whole = text.substr(0, point);
    const std::string_view fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
    const auto digitsOnly = [](std::string_view part) {
        for (char c : part) {
            if (c < '0' || c > '9')
                return false;
        }
        return true;
    };
    if (!digitsOnly(whole) || !digitsOnly(fraction))
        return refused(text, "must be digits with at most one decimal point (no sign, spaces or exponent)");
    if (whole.empty() || (point != std::string_view::npos && fraction.empty()))
        return refused(text, "needs digits on both sides of its decimal point");
    if (whole.size() > 1 && whole[0] == '0')
        return refused(text, "has a leading zero");
    if (fraction.size() > static_cast<std::size_t>(fractionDigits))
        return refused(text, "has " + std::to_string(fraction.size()) + " decimal places; the currency has " +
                                 std::to_string(fractionDigits));
    constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
    std::int64_t value = 0;
    const auto push = [&](char c) {
        const int digit = c - '0';
        if (value > (kMax - digit) / 10)
            return false;
        value = value * 10 + digit;
        return true;
    };
    for (char c : whole) {
        if (!push(c))
            return refused(text, "is too large");
    }
    for (int i = 0; i < fractionDigits; ++i) {
        if (!push(static_cast<std::size_t>(i) < fraction.size() ? fraction[static_cast<std::size_t>(i)] : '0'))
            return refused(text, "is too large");
    }
    return value;
}

std::string formatMinorDecimal(std::int64_t minor, int fractionDigits)
{
    const bool negative = minor < 0;
    // Through unsigned so that the smallest int64 has a magnitude.
    std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(minor) : static_cast<std::uint64_t>(minor);
    std::string digits = std::to_string(magnitude);
    if (fractionDigits > 0) {
        const std::size_t f = static_cast<std::size_t>(fractionDigits);
        if (digits.size() <= f)
            digits.insert(0, f + 1 - digits.size(), '0');
        digits.insert(digits.size() - f, ".");
    }
    return negative ? "-" + digits : digits;
}

int currencyFractionDigits(std::string_view currency)
{
    if (currency == "JPY" || currency == "KRW")
        return 0;
    if (currency == "BHD" || currency == "KWD" || currency == "OMR" || currency == "TND")
        return 3;
    if (currency == "BTC")
        return 8;
    return 2;
}

} // namespace flywheel::payments
