#pragma once

#include <QString>

namespace flywheel::ui {

/// Amounts and percentages that operators type and read, held exactly as hundredths:
/// minor units of money, or basis points (hundredths of a percent). No floating point.

/// Parses "149.90", "59.9" or "300" into hundredths: exact, at most two decimals, no
/// sign, at most twelve digits before the point. False when the text is not such a number.
bool parseDecimal(const QString &text, qint64 *hundredths);

enum class ZeroCents {
    Drop, ///< "300" for 30000
    Keep  ///< "300.00" for 30000
};

/// "149.90" from 14990: digits and a point, as parseDecimal() reads them back (for a field
/// the operator edits, so never grouped or localised).
QString plainDecimal(qint64 hundredths, ZeroCents zeroCents = ZeroCents::Drop);

/// "1,234.56" from 123456, in the user's locale (grouping and decimal point); "-" before
/// a negative number.
QString localeDecimal(qint64 hundredths);

} // namespace flywheel::ui
