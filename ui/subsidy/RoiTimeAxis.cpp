#include "subsidy/RoiTimeAxis.h"

#include <QCursor>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QLocale>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace flywheel::ui {

QDateTimeAxis *roiTimeAxis(const google::protobuf::RepeatedPtrField<v1::SubsidyPoint> &points)
{
    auto *time = new QDateTimeAxis();
    time->setFormat(QStringLiteral("HH:mm"));
    // From the first minute's start to the last one's end: an hour in six steps of 10 minutes.
    const qint64 first = points.empty() ? 0 : points.begin()->start().seconds();
    const qint64 last = std::max<qint64>(points.empty() ? 0 : points.rbegin()->start().seconds(), first) + 60;
    time->setTickCount(int(std::clamp<qint64>((last - first) / 60 + 1, 2, 7)));
    time->setTruncateLabels(false);
    time->setRange(QDateTime::fromSecsSinceEpoch(first), QDateTime::fromSecsSinceEpoch(last));
    return time;
}

int roiTickCount(double top)
{
    const double leading = top / std::pow(10.0, std::floor(std::log10(top)));
    return std::abs(leading - 2.0) < 1e-9 ? 5 : 6;
}

void roiTooltips(QLineSeries *series, std::function<QString(double)> describe)
{
    QObject::connect(series, &QLineSeries::hovered, series,
                     [series, describe = std::move(describe)](const QPointF &point, bool state) {
                         if (!state) {
                             QToolTip::hideText();
                             return;
                         }
                         const QString time = QLocale().toString(
                             QDateTime::fromMSecsSinceEpoch(qint64(point.x())).time(), QLocale::ShortFormat);
                         QToolTip::showText(QCursor::pos(), QStringLiteral("%1 · %2: %3")
                                                                .arg(time, series->name(), describe(point.y())));
                     });
}

} // namespace flywheel::ui
