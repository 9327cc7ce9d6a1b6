#include "referral/FunnelChart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QValueAxis>

#include <algorithm>
#include <map>

namespace flywheel::ui {

namespace {

struct StepStyle {
    const char *name;
    QColor color;
};

const StepStyle kSteps[] = {
    {QT_TRANSLATE_NOOP("flywheel::ui::FunnelChart", "Shares"), QColor(0x8c, 0x95, 0x9f)},
    {QT_TRANSLATE_NOOP("flywheel::ui::FunnelChart", "Clicks"), QColor(0x1f, 0x6f, 0xeb)},
    {QT_TRANSLATE_NOOP("flywheel::ui::FunnelChart", "Registrations"), QColor(0xbf, 0x87, 0x00)},
    {QT_TRANSLATE_NOOP("flywheel::ui::FunnelChart", "First orders"), QColor(0x2d, 0xa4, 0x4e)},
};

} // namespace

FunnelChart::FunnelChart(QWidget *parent) : ChartPanel(tr("Funnel by campaign · all channels, all time"), parent)
{
    showEmpty(tr("Waiting for the funnel…"));
}

qint64 FunnelChart::value(const QString &campaign, int step) const
{
    const qsizetype index = m_campaigns.indexOf(campaign);
    if (index < 0 || step < 0 || step > 3)
        return -1;
    return m_values[index][std::size_t(step)];
}

void FunnelChart::setRows(const google::protobuf::RepeatedPtrField<v1::FunnelRow> &rows)
{
    std::map<QString, std::array<qint64, 4>> byCampaign;
    for (const v1::FunnelRow &row : rows) {
        auto &counts = byCampaign[QString::fromStdString(row.campaign_id())];
        counts[0] += row.shares();
        counts[1] += row.clicks();
        counts[2] += row.registrations();
        counts[3] += row.first_orders();
    }
    std::vector<std::pair<QString, std::array<qint64, 4>>> campaigns(byCampaign.begin(), byCampaign.end());
    std::stable_sort(campaigns.begin(), campaigns.end(),
                     [](const auto &a, const auto &b) { return a.second[1] > b.second[1]; });
    const std::size_t hidden = campaigns.size() > std::size_t(kMaxCampaigns) ? campaigns.size() - kMaxCampaigns : 0;
    campaigns.resize(campaigns.size() - hidden);

    m_campaigns.clear();
    m_values.clear();
    for (const auto &[campaign, counts] : campaigns) {
        m_campaigns.append(campaign);
        m_values.append(counts);
    }
    clear();
    if (m_campaigns.isEmpty()) {
        showEmpty(tr("No invite activity yet. Each campaign's shares, clicks, registrations and first orders appear "
                     "here as soon as users share their invite links."));
        return;
    }
    hideEmpty();
    chart()->setTitle(hidden == 0 ? tr("Funnel by campaign · all channels, all time")
                                  : tr("Funnel of the %1 campaigns with the most clicks · all channels, all time "
                                       "(%n more in the table)",
                                       nullptr, int(hidden))
                                        .arg(kMaxCampaigns));
    auto *series = new QBarSeries();
    qint64 highest = 0;
    for (std::size_t step = 0; step < std::size(kSteps); ++step) {
        auto *set = new QBarSet(tr(kSteps[step].name));
        set->setColor(kSteps[step].color);
        set->setBorderColor(kSteps[step].color);
        for (const auto &counts : std::as_const(m_values)) {
            set->append(static_cast<qreal>(counts[step]));
            highest = std::max(highest, counts[step]);
        }
        series->append(set);
    }
    chart()->addSeries(series);
    auto *categories = new QBarCategoryAxis();
    categories->append(m_campaigns);
    auto *values = new QValueAxis();
    setCountRange(values, highest);
    chart()->addAxis(categories, Qt::AlignBottom);
    chart()->addAxis(values, Qt::AlignLeft);
    series->attachAxis(categories);
    series->attachAxis(values);
}

} // namespace flywheel::ui
