#pragma once

#include <QString>

namespace flywheel::ui {

/// "¥" for CNY, "$" for USD, ...; the code itself when there is no common symbol.
QString currencySymbol(const QString &currencyCode);
/// "¥1,234.56" from 123456 minor units (two decimals), in the user's locale.
QString formatMoney(qint64 minorUnits, const QString &currencyCode);
/// Major units as a double, for chart axes only (never for arithmetic on money).
double toMajorUnits(qint64 minorUnits);
/// "12.3%" from 0.123.
QString formatPercent(double ratio);

} // namespace flywheel::ui
