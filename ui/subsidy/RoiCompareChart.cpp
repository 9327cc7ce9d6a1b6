#include "subsidy/RoiCompareChart.h"

#include "common/Format.h"
#include "dashboard/MetricChart.h"
#include "subsidy/RoiTimeAxis.h"
#include "subsidy/SubsidyText.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalBarSeries>
#include <QLegend>
#include <QValueAxis>

#include <algorithm>
#include <vector>

namespace flywheel::ui {

RoiCompareChart::RoiCompareChart(Metric metric, QWidget *parent)
    : ChartPanel(metric == Metric::Roa ? tr("ROA by campaign · channel · all time")
                                       : tr("Redemption rate by campaign · channel · all time"),
                 parent),
      m_metric(metric)
{
    chart()->legend()->hide(); // one figure per chart: the title names it
    setPlotMinimumHeight(140);  // a few bars; the line charts above need the height more
    setToolTip(metric == Metric::Roa
                   ? tr("ROA: GMV of the redeemed orders per unit of subsidy redeemed (×), since the backend started "
                        "counting; the same figure as the table's ROA column.")
                   : tr("Redemption rate: subsidies redeemed (the order was paid) per subsidy issued (%), since the "
                        "backend started counting; the same figure as the table's column."));
    showEmpty(tr("Waiting for the subsidy figures…"));
}

void RoiCompareChart::setRows(const google::protobuf::RepeatedPtrField<v1::SubsidyRoiRow> &rows)
{
    clear();
    m_labels.clear();
    m_values.clear();
    const bool roa = m_metric == Metric::Roa;
    struct Bar {
        QString name;
        double value;
    };
    std::vector<Bar> bars;
    for (const v1::SubsidyRoiRow &row : rows) {
        if (roa ? row.redeemed() <= 0 : row.issued() <= 0)
            continue;
        bars.push_back({QStringLiteral("%1 · %2").arg(QString::fromStdString(row.campaign_id()),
                                                     SubsidyText::channelName(QString::fromStdString(row.channel()))),
                        roa ? row.roa() : row.redemption_rate() * 100.0});
    }
    if (bars.empty()) {
        showEmpty(roa ? tr("No subsidised order paid yet. Each campaign · channel's ROA appears here once one of its "
                           "subsidised orders is paid.")
                      : tr("No subsidy issued yet. Each campaign · channel's redemption rate appears here once it "
                           "issues one."));
        return;
    }
    hideEmpty();
    // Highest on top: a horizontal bar chart draws its first category at the bottom.
    std::stable_sort(bars.begin(), bars.end(), [](const Bar &a, const Bar &b) { return a.value < b.value; });
    auto *set = new QBarSet(roa ? tr("ROA") : tr("Redemption rate"));
    set->setColor(roa ? QColor(0x82, 0x50, 0xdf) : QColor(0x2d, 0xa4, 0x4e));
    QStringList categories;
    double top = 0;
    for (const Bar &bar : bars) {
        const QString value = roa ? tr("%1×").arg(SubsidyText::number(bar.value)) : formatPercent(bar.value / 100.0);
        categories.append(QStringLiteral("%1  %2").arg(bar.name, value));
        set->append(bar.value);
        top = std::max(top, bar.value);
    }
    for (auto it = categories.crbegin(); it != categories.crend(); ++it)
        m_labels.append(*it);
    for (auto it = bars.crbegin(); it != bars.crend(); ++it)
        m_values.append(it->value);
    auto *series = new QHorizontalBarSeries();
    series->append(set);
    series->setBarWidth(0.6);
    chart()->addSeries(series);
    auto *names = new QBarCategoryAxis();
    names->append(categories);
    auto *values = new QValueAxis();
    const double axisTop = roa ? niceCeiling(std::max(1.0, top * 1.05)) : std::max(100.0, niceCeiling(top));
    values->setRange(0, axisTop);
    const int ticks = roiTickCount(axisTop);
    values->setTickCount(ticks);
    values->setLabelFormat(roa ? (axisTop / (ticks - 1) < 1 ? QStringLiteral("%.1f") : QStringLiteral("%.0f"))
                               : QStringLiteral("%.0f %%"));
    // No axis title: each bar's label carries its value with the unit, the tooltip says what it is.
    names->setTruncateLabels(false);
    values->setTruncateLabels(false);
    chart()->addAxis(names, Qt::AlignLeft);
    chart()->addAxis(values, Qt::AlignBottom);
    series->attachAxis(names);
    series->attachAxis(values);
}

} // namespace flywheel::ui
