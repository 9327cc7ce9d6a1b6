#include "subsidy/RoiChart.h"

#include "common/Format.h"
#include "subsidy/RoiTimeAxis.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace flywheel::ui {

RoiChart::RoiChart(QWidget *parent)
    : ChartPanel(tr("Subsidy and GMV per minute · last hour"), parent), m_caption(new QLabel(this))
{
    m_caption->setWordWrap(true);
    m_caption->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    panelLayout()->addWidget(m_caption);
    showEmpty(tr("Waiting for the subsidy figures…"));
}

QString RoiChart::caption() const
{
    return m_caption->text();
}

void RoiChart::setPoints(const google::protobuf::RepeatedPtrField<v1::SubsidyPoint> &points,
                         const QString &emptyMessage)
{
    clear();
    m_points = 0;
    m_issued = 0;
    m_redeemed = 0;
    m_gmv = 0;
    QString currency = QStringLiteral("CNY");
    bool any = false;
    for (const v1::SubsidyPoint &point : points) {
        any = any || point.issued() > 0 || point.redeemed() > 0 || point.issued_amount().minor_units() != 0 ||
              point.redeemed_amount().minor_units() != 0 || point.redeemed_gmv().minor_units() != 0;
        if (!point.issued_amount().currency().empty())
            currency = QString::fromStdString(point.issued_amount().currency());
    }
    const QString symbol = currencySymbol(currency).trimmed();
    m_caption->setText(tr("Left: subsidy issued and redeemed (paid) per minute, %1. Right, dashed: GMV (paid totals) "
                          "of the orders redeemed in that minute, %1.")
                           .arg(symbol));
    if (!any) {
        showEmpty(emptyMessage);
        return;
    }
    hideEmpty();
    m_points = points.size();
    auto *issued = new QLineSeries();
    issued->setName(tr("Issued"));
    issued->setColor(QColor(0x1f, 0x6f, 0xeb));
    auto *redeemed = new QLineSeries();
    redeemed->setName(tr("Redeemed (paid)"));
    redeemed->setColor(QColor(0x2d, 0xa4, 0x4e));
    auto *gmv = new QLineSeries();
    gmv->setName(tr("GMV of redeemed orders (right axis)"));
    QPen gmvPen(QColor(0x82, 0x50, 0xdf));
    gmvPen.setWidthF(2.0);
    gmvPen.setStyle(Qt::DashLine);
    gmv->setPen(gmvPen);
    double highest = 0;
    double highestGmv = 0;
    for (const v1::SubsidyPoint &point : points) {
        const qreal x = qreal(point.start().seconds()) * 1000.0;
        m_issued += point.issued_amount().minor_units();
        m_redeemed += point.redeemed_amount().minor_units();
        m_gmv += point.redeemed_gmv().minor_units();
        const double i = toMajorUnits(point.issued_amount().minor_units());
        const double r = toMajorUnits(point.redeemed_amount().minor_units());
        const double g = toMajorUnits(point.redeemed_gmv().minor_units());
        issued->append(x, i);
        redeemed->append(x, r);
        gmv->append(x, g);
        highest = std::max({highest, i, r});
        highestGmv = std::max(highestGmv, g);
    }
    const auto money = [currency](double major) { return formatMoney(std::llround(major * 100.0), currency); };
    for (QLineSeries *series : {issued, redeemed, gmv}) {
        chart()->addSeries(series);
        roiTooltips(series, money);
    }
    QDateTimeAxis *time = roiTimeAxis(points);
    auto *values = new QValueAxis();
    setCountRange(values, qint64(std::ceil(highest)));
    values->setTitleText(tr("Subsidy, %1").arg(symbol));
    auto *gmvValues = new QValueAxis();
    setCountRange(gmvValues, qint64(std::ceil(highestGmv)));
    gmvValues->setTitleText(tr("GMV, %1").arg(symbol));
    gmvValues->setLinePen(gmvPen);
    values->setTruncateLabels(false);
    gmvValues->setTruncateLabels(false);
    chart()->addAxis(time, Qt::AlignBottom);
    chart()->addAxis(values, Qt::AlignLeft);
    chart()->addAxis(gmvValues, Qt::AlignRight);
    for (QLineSeries *series : {issued, redeemed, gmv})
        series->attachAxis(time);
    issued->attachAxis(values);
    redeemed->attachAxis(values);
    gmv->attachAxis(gmvValues);
}

} // namespace flywheel::ui
