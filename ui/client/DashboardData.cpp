#include "client/DashboardData.h"

#include "flywheel/v1/metrics.pb.h"

namespace flywheel::ui {

namespace {

QDateTime toDateTime(const google::protobuf::Timestamp &t)
{
    return QDateTime::fromMSecsSinceEpoch(t.seconds() * 1000 + t.nanos() / 1000000);
}

KpiValues toKpis(const v1::Kpis &k)
{
    return KpiValues{k.gmv_minor(), k.orders(), k.paying_users(), k.repeat_users(), k.arpu_minor(), k.repeat_rate()};
}

DashboardWindow toWindow(v1::MetricsWindow window)
{
    switch (window) {
    case v1::METRICS_WINDOW_1H:
        return DashboardWindow::OneHour;
    case v1::METRICS_WINDOW_24H:
        return DashboardWindow::OneDay;
    case v1::METRICS_WINDOW_7D:
        return DashboardWindow::SevenDays;
    default:
        return DashboardWindow::FiveMinutes;
    }
}

} // namespace

DashboardData DashboardData::fromProto(const v1::DashboardSnapshot &snapshot)
{
    DashboardData data;
    data.window = toWindow(snapshot.window());
    data.asOf = toDateTime(snapshot.as_of());
    data.currency = QString::fromStdString(snapshot.currency());
    data.current = toKpis(snapshot.current());
    data.previous = toKpis(snapshot.previous());
    data.bucketSeconds = snapshot.bucket_seconds();
    data.series.reserve(snapshot.series_size());
    for (const v1::SeriesPoint &p : snapshot.series())
        data.series.push_back(SeriesPoint{toDateTime(p.start()), p.gmv_minor(), p.orders(), p.window_gmv_minor(),
                                          p.window_paying_users(), p.window_repeat_users()});
    return data;
}

} // namespace flywheel::ui
