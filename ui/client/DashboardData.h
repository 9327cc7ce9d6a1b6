#pragma once

#include <QDateTime>
#include <QMetaType>
#include <QString>
#include <QVector>

namespace flywheel::v1 {
class DashboardSnapshot;
}

namespace flywheel::ui {

enum class DashboardWindow { FiveMinutes, OneHour, OneDay, SevenDays };

struct KpiValues {
    qint64 gmvMinor = 0;
    qint64 orders = 0;
    qint64 payingUsers = 0;
    qint64 repeatUsers = 0;
    qint64 arpuMinor = 0;
    double repeatRate = 0;
};

/// A chart point: sums over its bucket, and the rolling window as of its last order.
struct SeriesPoint {
    QDateTime start;
    qint64 gmvMinor = 0;
    qint64 orders = 0;
    qint64 windowGmvMinor = 0;
    qint64 windowPayingUsers = 0;
    qint64 windowRepeatUsers = 0;
};

/// One dashboard update, in the console's own types.
struct DashboardData {
    DashboardWindow window = DashboardWindow::FiveMinutes;
    QDateTime asOf;
    QString currency;
    KpiValues current;
    KpiValues previous;
    qint64 bucketSeconds = 0;
    QVector<SeriesPoint> series;

    static DashboardData fromProto(const v1::DashboardSnapshot &snapshot);
};

} // namespace flywheel::ui

Q_DECLARE_METATYPE(flywheel::ui::DashboardData)
