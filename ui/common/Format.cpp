#include "common/Format.h"

#include <QLocale>

namespace flywheel::ui {

QString currencySymbol(const QString &currencyCode)
{
    if (currencyCode == u"CNY" || currencyCode == u"JPY")
        return QStringLiteral("¥");
    if (currencyCode == u"USD")
        return QStringLiteral("$");
    if (currencyCode == u"EUR")
        return QStringLiteral("€");
    if (currencyCode == u"GBP")
        return QStringLiteral("£");
    return currencyCode + u' ';
}

QString formatMoney(qint64 minorUnits, const QString &currencyCode)
{
    const QLocale locale;
    const bool negative = minorUnits < 0;
    const quint64 magnitude = negative ? 0 - static_cast<quint64>(minorUnits) : static_cast<quint64>(minorUnits);
    const QString whole = locale.toString(static_cast<qulonglong>(magnitude / 100));
    const QString cents = QStringLiteral("%1").arg(magnitude % 100, 2, 10, QLatin1Char('0'));
    return (negative ? QStringLiteral("-") : QString()) + currencySymbol(currencyCode) + whole + locale.decimalPoint() +
           cents;
}

double toMajorUnits(qint64 minorUnits)
{
    return static_cast<double>(minorUnits) / 100.0;
}

QString formatPercent(double ratio)
{
    return QLocale().toString(ratio * 100.0, 'f', 1) + u'%';
}

} // namespace flywheel::ui
