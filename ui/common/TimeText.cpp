#include "common/TimeText.h"

#include <QLocale>

namespace flywheel::ui {

bool TimeText::isSet(const google::protobuf::Timestamp &time)
{
    return time.seconds() != 0 || time.nanos() != 0;
}

QDateTime TimeText::local(const google::protobuf::Timestamp &time)
{
    return QDateTime::fromSecsSinceEpoch(time.seconds()).toLocalTime();
}

QString TimeText::timestamp(const google::protobuf::Timestamp &time, Seconds seconds)
{
    if (!isSet(time))
        return tr("—");
    const QDateTime when = local(time);
    const bool withSeconds = seconds == Seconds::Always || when.time().second() != 0;
    return QLocale().toString(when,
                              withSeconds ? QStringLiteral("yyyy-MM-dd HH:mm:ss") : QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString TimeText::clockTime(const QDateTime &time)
{
    return QLocale().toString(time.toLocalTime().time(), QStringLiteral("HH:mm:ss"));
}

QString TimeText::clockTime(const google::protobuf::Timestamp &time, const QDateTime &now)
{
    if (!isSet(time))
        return tr("—");
    const QDateTime when = local(time);
    if (when.date() == now.toLocalTime().date())
        return clockTime(when);
    return timestamp(time);
}

} // namespace flywheel::ui
