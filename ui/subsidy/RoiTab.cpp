#include "subsidy/RoiTab.h"

#include "common/Format.h"
#include "common/TimeText.h"
#include "subsidy/RoiChart.h"
#include "subsidy/RoiCompareChart.h"
#include "subsidy/RoiRateChart.h"
#include "subsidy/SubsidyText.h"

#include <QComboBox>
#include <QDateTime>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <initializer_list>

namespace flywheel::ui {

namespace {

constexpr int kBarScale = 1000; // permille
// The selector's item data: the campaign, the channel, and whether it is the "other" series.
constexpr int kCampaignRole = Qt::UserRole;
constexpr int kChannelRole = Qt::UserRole + 1;
constexpr int kOtherRole = Qt::UserRole + 2;

using Points = google::protobuf::RepeatedPtrField<v1::SubsidyPoint>;

/// A series' points on `recent`'s minutes: the backend sends only the minutes with
/// something in them, so a minute it left out is a zero point.
Points onMinutesOf(const Points &recent, const Points &sparse)
{
    Points out;
    int next = 0;
    for (const v1::SubsidyPoint &minute : recent) {
        while (next < sparse.size() && sparse[next].start().seconds() < minute.start().seconds())
            ++next;
        if (next < sparse.size() && sparse[next].start().seconds() == minute.start().seconds())
            *out.Add() = sparse[next];
        else
            *out.Add()->mutable_start() = minute.start();
    }
    return out;
}

QString barStyle(const QString &color)
{
    return QStringLiteral("QProgressBar { border: 1px solid #d0d7de; border-radius: 3px; text-align: center; "
                          "height: 18px; } QProgressBar::chunk { background: %1; }")
        .arg(color);
}

void setBar(QProgressBar *bar, const v1::Money &spent, const v1::Money &budget, bool exhausted)
{
    const qint64 b = budget.minor_units();
    const qint64 s = spent.minor_units();
    const double share = b > 0 ? double(s) / double(b) : 0.0;
    bar->setRange(0, kBarScale);
    bar->setValue(int(std::clamp(share, 0.0, 1.0) * kBarScale));
    const QString text = RoiTab::tr("%1 of %2 (%3)")
                             .arg(SubsidyText::money(spent), SubsidyText::money(budget), formatPercent(share));
    bar->setFormat(text);
    bar->setToolTip(text);
    bar->setStyleSheet(barStyle(exhausted || share >= 1.0 ? QStringLiteral("#cf222e")
                                : share >= 0.9            ? QStringLiteral("#d4a72c")
                                                          : QStringLiteral("#2da44e")));
}

} // namespace

RoiTab::RoiTab(QWidget *parent)
    : QWidget(parent), m_status(new QLabel(this)), m_risk(new QLabel(this)), m_reasons(new QLabel(this)),
      m_budgetGrid(nullptr), m_noBudgets(new QLabel(this)), m_table(new QTableWidget(0, ColumnCount, this)),
      m_selector(new QComboBox(this)), m_chart(new RoiChart(this)), m_rateChart(new RoiRateChart(this)),
      m_roaCompare(new RoiCompareChart(RoiCompareChart::Metric::Roa, this)),
      m_rateCompare(new RoiCompareChart(RoiCompareChart::Metric::RedemptionRate, this))
{
    for (QLabel *label : {m_status, m_risk, m_reasons}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_status->setText(tr("Waiting for the subsidy figures…"));

    auto *budgets = new QGroupBox(tr("Campaign budgets"), this);
    m_budgetGrid = new QGridLayout(budgets);
    m_budgetGrid->addWidget(new QLabel(tr("Campaign"), budgets), 0, 0);
    m_budgetGrid->addWidget(new QLabel(tr("Total budget"), budgets), 0, 1);
    m_budgetGrid->addWidget(new QLabel(tr("Today (UTC)"), budgets), 0, 2);
    m_budgetGrid->setColumnStretch(1, 1);
    m_budgetGrid->setColumnStretch(2, 1);
    m_noBudgets->setText(tr("No campaign budget yet: budgets are part of the subsidy config."));
    m_noBudgets->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    m_budgetGrid->addWidget(m_noBudgets, 1, 0, 1, 4);

    m_table->setHorizontalHeaderLabels({tr("Campaign"), tr("Channel"), tr("Issued"), tr("Issued amount"),
                                        tr("Redeemed"), tr("Redeemed amount"), tr("Given back"),
                                        tr("Redemption rate"), tr("GMV"), tr("ROA"), tr("Issue → redeem p95")});
    m_table->horizontalHeaderItem(RedemptionRate)
        ->setToolTip(tr("Redeemed (the subsidised order was paid) per issued subsidy."));
    m_table->horizontalHeaderItem(Roa)->setToolTip(
        tr("Return on subsidy: GMV of the redeemed orders per unit of subsidy redeemed."));
    m_table->horizontalHeaderItem(IssueToRedeemP95)
        ->setToolTip(tr("95th percentile of the time from the order's creation to its payment."));
    m_table->horizontalHeaderItem(Released)->setToolTip(tr("Orders cancelled or expired unpaid: the subsidy went "
                                                           "back to the budget."));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_risk);
    topLayout->addWidget(budgets);
    topLayout->addWidget(m_reasons);
    m_selector->setAccessibleName(tr("Campaign and channel charted"));
    m_selector->setToolTip(tr("The campaign and acquisition channel the two charts of the last hour show."));
    m_selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_selector->addItem(tr("All campaigns and channels"));
    connect(m_selector, &QComboBox::currentIndexChanged, this, [this] { drawCharts(); });
    auto *charts = new QWidget(this);
    auto *chartGrid = new QGridLayout(charts);
    chartGrid->setContentsMargins(0, 0, 0, 0);
    auto *selectorRow = new QHBoxLayout();
    selectorRow->addWidget(new QLabel(tr("Last hour of:"), charts));
    selectorRow->addWidget(m_selector);
    selectorRow->addStretch(1);
    chartGrid->addLayout(selectorRow, 0, 0, 1, 2);
    chartGrid->addWidget(m_chart, 1, 0);
    chartGrid->addWidget(m_rateChart, 1, 1);
    chartGrid->addWidget(m_roaCompare, 2, 0);
    chartGrid->addWidget(m_rateCompare, 2, 1);
    chartGrid->setRowStretch(1, 2);
    chartGrid->setRowStretch(2, 1);
    m_table->setMinimumHeight(90);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(charts);
    split->addWidget(m_table);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(top);
    layout->addWidget(split, 1);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(kRedrawMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &RoiTab::redraw);
}

void RoiTab::setSnapshot(const v1::SubsidyRoiSnapshot &snapshot)
{
    m_latest = snapshot;
    m_dirty = true;
    const QDateTime at =
        snapshot.has_at() ? QDateTime::fromSecsSinceEpoch(snapshot.at().seconds()) : QDateTime::currentDateTime();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Live: updated whenever a subsidy is issued, redeemed or given back. Config version %1. "
                         "Last update %2.")
                          .arg(snapshot.config_version())
                          .arg(TimeText::clockTime(at)));
    if (isVisible() && !m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void RoiTab::setInterrupted(const QString &why, int retryInSeconds, bool unimplemented)
{
    m_status->setStyleSheet(QStringLiteral("color: #cf222e;"));
    if (unimplemented) {
        m_status->setText(tr("This backend does not offer subsidies yet, so there are no budgets or ROI to show. "
                             "The page asks again in %n s.",
                             nullptr, retryInSeconds));
        for (ChartPanel *chart : std::initializer_list<ChartPanel *>{m_chart, m_rateChart, m_roaCompare, m_rateCompare})
            chart->showEmpty(tr("This backend does not offer subsidies yet."));
        return;
    }
    m_status->setText(
        m_latest ? tr("The subsidy figures are not live: %1 Reconnecting in %n s; the figures below are the last "
                      "received.",
                      nullptr, retryInSeconds)
                       .arg(why)
                 : tr("The subsidy figures are not available: %1 Reconnecting in %n s.", nullptr, retryInSeconds)
                       .arg(why));
    if (!m_latest) {
        for (ChartPanel *chart : std::initializer_list<ChartPanel *>{m_chart, m_rateChart, m_roaCompare, m_rateCompare})
            chart->showEmpty(tr("The figures appear here once the backend answers."));
    }
}

QString RoiTab::statusText() const
{
    return m_status->text();
}

QString RoiTab::riskText() const
{
    return m_risk->text();
}

QString RoiTab::reasonsText() const
{
    return m_reasons->text();
}

void RoiTab::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        redraw();
}

void RoiTab::redraw()
{
    if (!m_latest || !m_dirty)
        return;
    m_dirty = false;
    const v1::SubsidyRoiSnapshot &s = *m_latest;
    m_risk->setText(s.down_weighting()
                        ? tr("Order path live P99: %1 · risky users are being down-weighted now.")
                              .arg(SubsidyText::milliseconds(s.order_p99_ms()))
                        : tr("Order path live P99: %1 · no down-weighting (the P99 is within the latency threshold).")
                              .arg(SubsidyText::milliseconds(s.order_p99_ms())));
    m_risk->setStyleSheet(s.down_weighting() ? QStringLiteral("color: #9a6700; font-weight: bold;") : QString());
    QStringList reasons;
    const QLocale locale;
    for (const v1::ReasonCount &r : s.reasons())
        reasons.append(QStringLiteral("%1 %2").arg(SubsidyText::reasonName(r.reason()), locale.toString(r.count())));
    m_reasons->setText(reasons.isEmpty() ? tr("No first-order decision yet.")
                                         : tr("First-order decisions so far: %1").arg(reasons.join(QStringLiteral(" · "))));
    fillBudgets(s);
    fillTable(s);
    fillSelector(s);
    m_roaCompare->setRows(s.rows());
    m_rateCompare->setRows(s.rows());
    drawCharts();
}

void RoiTab::fillSelector(const v1::SubsidyRoiSnapshot &snapshot)
{
    // Every campaign · channel of the table (all time) and of the last hour, sorted.
    QList<QPair<QString, QString>> keys;
    for (const v1::SubsidyRoiRow &row : snapshot.rows())
        keys.append({QString::fromStdString(row.campaign_id()), QString::fromStdString(row.channel())});
    bool other = false;
    for (const v1::SubsidyRoiSeries &series : snapshot.series()) {
        if (series.other())
            other = true;
        else
            keys.append({QString::fromStdString(series.campaign_id()), QString::fromStdString(series.channel())});
    }
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    // Unchanged (the usual case): leave the selector alone.
    const int wanted = 1 + int(keys.size()) + (other ? 1 : 0);
    bool same = m_selector->count() == wanted;
    for (int i = 0; same && i < keys.size(); ++i)
        same = m_selector->itemData(i + 1, kCampaignRole).toString() == keys[i].first &&
               m_selector->itemData(i + 1, kChannelRole).toString() == keys[i].second &&
               !m_selector->itemData(i + 1, kOtherRole).toBool();
    if (same)
        return;
    const QVariant campaign = m_selector->currentData(kCampaignRole);
    const QVariant channel = m_selector->currentData(kChannelRole);
    const bool wasOther = m_selector->currentData(kOtherRole).toBool();
    const QSignalBlocker block(m_selector);
    while (m_selector->count() > 1)
        m_selector->removeItem(1);
    int current = 0;
    for (const auto &[c, ch] : keys) {
        m_selector->addItem(QStringLiteral("%1 · %2").arg(c, SubsidyText::channelName(ch)));
        const int index = m_selector->count() - 1;
        m_selector->setItemData(index, c, kCampaignRole);
        m_selector->setItemData(index, ch, kChannelRole);
        if (campaign.isValid() && campaign.toString() == c && channel.toString() == ch)
            current = index;
    }
    if (other) {
        m_selector->addItem(tr("Other campaigns and channels (beyond the ones charted one by one)"));
        m_selector->setItemData(m_selector->count() - 1, true, kOtherRole);
        if (wasOther)
            current = m_selector->count() - 1;
    }
    m_selector->setCurrentIndex(current);
}

bool RoiTab::selectSeries(const QString &campaign, const QString &channel)
{
    for (int i = 1; i < m_selector->count(); ++i) {
        if (m_selector->itemData(i, kCampaignRole).toString() == campaign &&
            m_selector->itemData(i, kChannelRole).toString() == channel &&
            !m_selector->itemData(i, kOtherRole).toBool()) {
            m_selector->setCurrentIndex(i);
            return true;
        }
    }
    return false;
}

void RoiTab::selectAll()
{
    m_selector->setCurrentIndex(0);
}

void RoiTab::drawCharts()
{
    if (!m_latest)
        return;
    const v1::SubsidyRoiSnapshot &s = *m_latest;
    if (m_selector->currentIndex() <= 0) {
        m_chart->setPoints(s.recent(), tr("No subsidy issued or redeemed in the last hour. The subsidy issued and "
                                          "redeemed per minute, and the GMV of the redeemed orders, appear here as "
                                          "soon as first orders are subsidised."));
        m_rateChart->setPoints(s.recent(), tr("Nothing issued or redeemed in the last hour. The redemption rate "
                                              "appears once subsidies are issued, the ROA once a subsidised order "
                                              "is paid."));
        return;
    }
    const bool other = m_selector->currentData(kOtherRole).toBool();
    const std::string campaign = m_selector->currentData(kCampaignRole).toString().toStdString();
    const std::string channel = m_selector->currentData(kChannelRole).toString().toStdString();
    const QString name = m_selector->currentText();
    for (const v1::SubsidyRoiSeries &series : s.series()) {
        if (series.other() != other || (!other && (series.campaign_id() != campaign || series.channel() != channel)))
            continue;
        const Points points = onMinutesOf(s.recent(), series.points());
        m_chart->setPoints(points, tr("Nothing issued or redeemed for %1 in the last hour.").arg(name));
        m_rateChart->setPoints(points, tr("Nothing issued or redeemed for %1 in the last hour.").arg(name));
        return;
    }
    const QString quiet = tr("No subsidy issued or redeemed for %1 in the last hour. Its minutes appear here with "
                             "its next subsidy; its all-time figures are in the table and the bars below.")
                              .arg(name);
    m_chart->setPoints({}, quiet);
    m_rateChart->setPoints({}, quiet);
}

void RoiTab::fillBudgets(const v1::SubsidyRoiSnapshot &snapshot)
{
    QStringList seen;
    for (const v1::CampaignSpend &spend : snapshot.campaigns()) {
        const QString id = QString::fromStdString(spend.campaign_id());
        seen.append(id);
        if (!m_budgets.contains(id)) {
            const int row = m_budgetGrid->rowCount();
            QWidget *box = m_budgetGrid->parentWidget();
            Budget b{new QLabel(id, box), new QProgressBar(box), new QProgressBar(box), new QLabel(box)};
            b.total->setAccessibleName(tr("Total budget of %1").arg(id));
            b.today->setAccessibleName(tr("Today's budget of %1").arg(id));
            m_budgetGrid->addWidget(b.name, row, 0);
            m_budgetGrid->addWidget(b.total, row, 1);
            m_budgetGrid->addWidget(b.today, row, 2);
            m_budgetGrid->addWidget(b.state, row, 3);
            m_budgets.insert(id, b);
        }
        const Budget &b = m_budgets[id];
        const bool totalOut = spend.exhausted() == v1::SUBSIDY_REASON_TOTAL_BUDGET_EXHAUSTED;
        const bool dailyOut = spend.exhausted() == v1::SUBSIDY_REASON_DAILY_BUDGET_EXHAUSTED;
        setBar(b.total, spend.spent_total(), spend.total_budget(), totalOut);
        setBar(b.today, spend.spent_today(), spend.daily_budget(), dailyOut || totalOut);
        QString state;
        if (totalOut)
            state = tr("used up: no more subsidies from this campaign");
        else if (dailyOut)
            state = tr("used up for today: subsidies resume tomorrow (UTC)");
        else if (spend.at_90_percent())
            state = tr("at 90 %");
        b.state->setText(state);
        b.state->setStyleSheet(totalOut || dailyOut ? QStringLiteral("color: #cf222e; font-weight: bold;")
                                                    : QStringLiteral("color: #9a6700; font-weight: bold;"));
    }
    for (auto it = m_budgets.begin(); it != m_budgets.end();) {
        if (seen.contains(it.key())) {
            ++it;
            continue;
        }
        delete it->name;
        delete it->total;
        delete it->today;
        delete it->state;
        it = m_budgets.erase(it);
    }
    m_noBudgets->setVisible(m_budgets.isEmpty());
}

void RoiTab::fillTable(const v1::SubsidyRoiSnapshot &snapshot)
{
    const QLocale locale;
    m_table->setRowCount(snapshot.rows_size());
    for (int r = 0; r < snapshot.rows_size(); ++r) {
        const v1::SubsidyRoiRow &row = snapshot.rows(r);
        const QString texts[ColumnCount] = {
            QString::fromStdString(row.campaign_id()),
            SubsidyText::channelName(QString::fromStdString(row.channel())),
            locale.toString(row.issued()),
            SubsidyText::money(row.issued_amount()),
            locale.toString(row.redeemed()),
            SubsidyText::money(row.redeemed_amount()),
            locale.toString(row.released()),
            row.issued() > 0 ? formatPercent(row.redemption_rate()) : QStringLiteral("—"),
            SubsidyText::money(row.gmv()),
            row.redeemed() > 0 ? tr("%1×").arg(SubsidyText::number(row.roa())) : QStringLiteral("—"),
            row.redeemed() > 0 ? tr("%1 s").arg(locale.toString(row.issue_to_redeem_p95_seconds(), 'f', 1))
                               : QStringLiteral("—"),
        };
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(texts[c]);
            if (c >= Issued)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (c == Channel)
                item->setData(Qt::UserRole, QString::fromStdString(row.channel()));
            m_table->setItem(r, c, item);
        }
    }
}

QString RoiTab::cell(const QString &campaign, const QString &channel, int column) const
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, Campaign)->text() == campaign &&
            m_table->item(row, Channel)->data(Qt::UserRole).toString() == channel)
            return m_table->item(row, column)->text();
    }
    return {};
}

QProgressBar *RoiTab::budgetBar(const QString &campaign, bool today) const
{
    if (!m_budgets.contains(campaign))
        return nullptr;
    const Budget &b = m_budgets[campaign];
    return today ? b.today : b.total;
}

QString RoiTab::budgetText(const QString &campaign, bool today) const
{
    const QProgressBar *bar = budgetBar(campaign, today);
    return bar ? bar->format() : QString();
}

QString RoiTab::budgetState(const QString &campaign) const
{
    return m_budgets.contains(campaign) ? m_budgets[campaign].state->text() : QString();
}

} // namespace flywheel::ui
