#include "common/Decimal.h"

#include <QLocale>
#include <QRegularExpression>

namespace flywheel::ui {

bool parseDecimal(const QString &text, qint64 *hundredths)
{
    static const QRegularExpression pattern(QStringLiteral("^(\\d{1,12})(?:\\.(\\d{1,2}))?$"));
    const QRegularExpressionMatch match = pattern.match(text.trimmed());
    if (!match.hasMatch())
        return false;
    qint64 value = match.captured(1).toLongLong() * 100;
    const QString decimals = match.captured(2);
    if (!decimals.isEmpty())
        value += decimals.size() == 1 ? decimals.toLongLong() * 10 : decimals.toLongLong();
    *hundredths = value;
    return true;
}

QString plainDecimal(qint64 hundredths, ZeroCents zeroCents)
{
    if (zeroCents == ZeroCents::Drop && hundredths % 100 == 0)
        return QString::number(hundredths / 100);
    return QStringLiteral("%1.%2").arg(hundredths / 100).arg(hundredths % 100, 2, 10, QLatin1Char('0'));
}

QString localeDecimal(qint64 hundredths)
{
    const QLocale locale;
    const bool negative = hundredths < 0;
    const qint64 magnitude = negative ? -hundredths : hundredths;
    return (negative ? QStringLiteral("-") : QString()) + locale.toString(magnitude / 100) + locale.decimalPoint() +
           QStringLiteral("%1").arg(magnitude % 100, 2, 10, QLatin1Char('0'));
}

} // namespace flywheel::ui
