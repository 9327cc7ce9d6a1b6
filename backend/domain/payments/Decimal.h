#pragma once

#include "domain/Result.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace flywheel::payments {

/// Exact decimal amounts as providers write them ("1280.00", "0.5") to and from
/// integer minor units, never through floating point.
///
/// parseDecimalMinor("12.3", 2) == 1230. Refused (InvalidArgument naming the text):
/// empty text, a sign, spaces, exponents, more than one point, a point without digits
/// on both sides ("12." and ".5"), more fraction digits than `fractionDigits`
/// ("1.005" for yuan), leading zeros other than "0.xx", and amounts above int64.
Result<std::int64_t> parseDecimalMinor(std::string_view text, int fractionDigits);
/// formatMinorDecimal(1230, 2) == "12.30"; negative amounts get a leading '-'.
std::string formatMinorDecimal(std::int64_t minor, int fractionDigits);
/// Minor-unit digits of an ISO 4217 currency: 0 for JPY and KRW, 3 for BHD, KWD,
/// OMR and TND, 8 for BTC, 2 otherwise.
int currencyFractionDigits(std::string_view currency);

} // namespace flywheel::payments
