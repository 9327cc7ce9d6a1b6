#include "subsidy/RoiRateChart.h"

#include "dashboard/MetricChart.h"
#include "subsidy/RoiTimeAxis.h"
#include "subsidy/SubsidyText.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QLabel>
#include <QLineSeries>
#include <QLocale>
#include <QPen>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

RoiRateChart::RoiRateChart(QWidget *parent)
    : ChartPanel(tr("Redemption rate and ROA · cumulative over the last hour"), parent), m_caption(new QLabel(this))
{
    m_caption->setWordWrap(true);
    m_caption->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    m_caption->setText(tr("Cumulative from the start of the hour shown, so the lines settle. Redemption rate = "
                          "redeemed ÷ issued (left, %; above 100 % when earlier subsidies are paid). ROA = GMV of "
                          "the redeemed orders ÷ subsidy redeemed (right, dashed, ×)."));
    panelLayout()->addWidget(m_caption);
    showEmpty(tr("Waiting for the subsidy figures…"));
}

QString RoiRateChart::caption() const
{
    return m_caption->text();
}

void RoiRateChart::setPoints(const google::protobuf::RepeatedPtrField<v1::SubsidyPoint> &points,
                             const QString &emptyMessage)
{
    clear();
    m_rate.clear();
    m_roa.clear();
    qint64 issued = 0;
    qint64 redeemed = 0;
    qint64 redeemedAmount = 0;
    qint64 gmv = 0;
    for (const v1::SubsidyPoint &point : points) {
        const qreal x = qreal(point.start().seconds()) * 1000.0;
        issued += point.issued();
        redeemed += point.redeemed();
        redeemedAmount += point.redeemed_amount().minor_units();
        gmv += point.redeemed_gmv().minor_units();
        if (issued > 0)
            m_rate.append(QPointF(x, 100.0 * double(redeemed) / double(issued)));
        if (redeemedAmount > 0)
            m_roa.append(QPointF(x, double(gmv) / double(redeemedAmount)));
    }
    if (m_rate.isEmpty() && m_roa.isEmpty()) {
        showEmpty(emptyMessage);
        return;
    }
    hideEmpty();
    auto *rate = new QLineSeries();
    rate->setName(tr("Redemption rate"));
    rate->setColor(QColor(0x2d, 0xa4, 0x4e));
    rate->replace(m_rate);
    auto *roa = new QLineSeries();
    roa->setName(tr("ROA (right axis)"));
    QPen roaPen(QColor(0x82, 0x50, 0xdf));
    roaPen.setWidthF(2.0);
    roaPen.setStyle(Qt::DashLine);
    roa->setPen(roaPen);
    roa->replace(m_roa);
    chart()->addSeries(rate);
    chart()->addSeries(roa);
    roiTooltips(rate, [](double percent) { return QLocale().toString(percent, 'f', 1) + QStringLiteral(" %"); });
    roiTooltips(roa, [](double multiple) { return tr("%1×").arg(SubsidyText::number(multiple)); });

    double topRate = 100;
    for (const QPointF &p : m_rate)
        topRate = std::max(topRate, p.y());
    auto *rateAxis = new QValueAxis();
    // A little above the top, so that a line at 100 % is not drawn on the frame.
    const double rateTop = topRate <= 100 ? 100 : niceCeiling(topRate);
    rateAxis->setRange(0, rateTop * 1.05);
    rateAxis->setTickType(QValueAxis::TicksDynamic);
    rateAxis->setTickAnchor(0);
    rateAxis->setTickInterval(rateTop / (roiTickCount(rateTop) - 1));
    rateAxis->setLabelFormat(QStringLiteral("%.0f %%"));
    rateAxis->setTitleText(tr("Rate, %"));
    rateAxis->setTruncateLabels(false);
    double topRoa = 0;
    for (const QPointF &p : m_roa)
        topRoa = std::max(topRoa, p.y());
    auto *roaAxis = new QValueAxis();
    const double roaTop = niceCeiling(std::max(1.0, topRoa * 1.05));
    roaAxis->setRange(0, roaTop);
    const int roaTicks = roiTickCount(roaTop);
    roaAxis->setTickCount(roaTicks);
    roaAxis->setLabelFormat(roaTop / (roaTicks - 1) < 1 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"));
    roaAxis->setTitleText(tr("ROA, ×"));
    roaAxis->setTruncateLabels(false);
    roaAxis->setLinePen(roaPen);
    QDateTimeAxis *time = roiTimeAxis(points);
    chart()->addAxis(time, Qt::AlignBottom);
    chart()->addAxis(rateAxis, Qt::AlignLeft);
    chart()->addAxis(roaAxis, Qt::AlignRight);
    rate->attachAxis(time);
    rate->attachAxis(rateAxis);
    roa->attachAxis(time);
    roa->attachAxis(roaAxis);
}

} // namespace flywheel::ui
