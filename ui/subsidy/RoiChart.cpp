#include "subsidy/RoiChart.h"

#include "common/Format.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace flywheel::ui {

RoiChart::RoiChart(QWidget *parent) : ChartPanel(tr("Subsidies issued and redeemed per minute · last hour"), parent)
{
    showEmpty(tr("Waiting for the subsidy figures…"));
}

void RoiChart::setPoints(const google::protobuf::RepeatedPtrField<v1::SubsidyPoint> &points)
{
    clear();
    m_points = points.size();
    m_issued = 0;
    m_redeemed = 0;
    if (points.empty()) {
        showEmpty(tr("No subsidy issued in the last hour. Issued and redeemed amounts per minute appear here as "
                     "soon as first orders are subsidised."));
        return;
    }
    hideEmpty();
    auto *issued = new QLineSeries();
    issued->setName(tr("Issued"));
    issued->setColor(QColor(0x1f, 0x6f, 0xeb));
    auto *redeemed = new QLineSeries();
    redeemed->setName(tr("Redeemed (paid)"));
    redeemed->setColor(QColor(0x2d, 0xa4, 0x4e));
    double highest = 0;
    QString currency = QStringLiteral("CNY");
    for (const v1::SubsidyPoint &point : points) {
        const qreal x = qreal(point.start().seconds()) * 1000.0;
        m_issued += point.issued_amount().minor_units();
        m_redeemed += point.redeemed_amount().minor_units();
        if (!point.issued_amount().currency().empty())
            currency = QString::fromStdString(point.issued_amount().currency());
        issued->append(x, toMajorUnits(point.issued_amount().minor_units()));
        redeemed->append(x, toMajorUnits(point.redeemed_amount().minor_units()));
        highest = std::max({highest, toMajorUnits(point.issued_amount().minor_units()),
                            toMajorUnits(point.redeemed_amount().minor_units())});
    }
    chart()->addSeries(issued);
    chart()->addSeries(redeemed);
    auto *time = new QDateTimeAxis();
    time->setFormat(QStringLiteral("HH:mm"));
    const qint64 first = points.begin()->start().seconds();
    const qint64 last = std::max<qint64>(points.rbegin()->start().seconds(), first + 60);
    // At most one label per minute, so no two say the same time.
    time->setTickCount(int(std::clamp<qint64>((last - first) / 60 + 1, 2, 7)));
    time->setRange(QDateTime::fromSecsSinceEpoch(first), QDateTime::fromSecsSinceEpoch(last));
    auto *values = new QValueAxis();
    setCountRange(values, qint64(std::ceil(highest)));
    values->setTitleText(currencySymbol(currency).trimmed());
    chart()->addAxis(time, Qt::AlignBottom);
    chart()->addAxis(values, Qt::AlignLeft);
    for (QLineSeries *series : {issued, redeemed}) {
        series->attachAxis(time);
        series->attachAxis(values);
    }
}

} // namespace flywheel::ui
