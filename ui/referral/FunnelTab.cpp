#include "referral/FunnelTab.h"

#include "common/TimeText.h"
#include "referral/FunnelChart.h"
#include "referral/ReferralText.h"
#include "referral/RefusalChart.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace flywheel::ui {

namespace {

constexpr int kIdRole = Qt::UserRole;

struct Counts {
    qint64 shares = 0;
    qint64 clicks = 0;
    qint64 registrations = 0;
    qint64 firstOrders = 0;

    void add(const v1::FunnelRow &row)
    {
        add(Counts{row.shares(), row.clicks(), row.registrations(), row.first_orders()});
    }
    void add(const Counts &other)
    {
        shares += other.shares;
        clicks += other.clicks;
        registrations += other.registrations;
        firstOrders += other.firstOrders;
    }
};

} // namespace

FunnelTab::FunnelTab(QWidget *parent)
    : QWidget(parent), m_funnel(new FunnelChart(this)), m_refusals(new RefusalChart(this)),
      m_table(new QTableWidget(0, ColumnCount, this)), m_status(new QLabel(this)), m_emptyTable(new QLabel(this))
{
    m_status->setWordWrap(true);
    m_status->setText(tr("Waiting for the funnel…"));
    m_table->setHorizontalHeaderLabels({tr("Campaign"), tr("Channel"), tr("Shares"), tr("Clicks"), tr("Registrations"),
                                        tr("First orders"), tr("Click / share"), tr("Registration / click"),
                                        tr("First order / registration")});
    m_table->horizontalHeaderItem(ClickPerShare)->setToolTip(tr("Clicks on invite links per share, in percent."));
    m_table->horizontalHeaderItem(RegisterPerClick)
        ->setToolTip(tr("Registrations with an invite per click, in percent."));
    m_table->horizontalHeaderItem(OrderPerRegister)
        ->setToolTip(tr("Invited users who paid a first order per registration, in percent."));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_emptyTable->setWordWrap(true);
    m_emptyTable->setAlignment(Qt::AlignCenter);
    m_emptyTable->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    m_emptyTable->setText(tr("One row per campaign and channel appears here, with the conversion from each step to "
                             "the next, once invite links are shared."));
    m_emptyTable->hide();

    auto *charts = new QSplitter(Qt::Horizontal, this);
    charts->addWidget(m_funnel);
    charts->addWidget(m_refusals);
    charts->setChildrenCollapsible(false);
    auto *tableBox = new QWidget(this);
    auto *tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(m_table, 1);
    tableLayout->addWidget(m_emptyTable, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(charts);
    split->addWidget(tableBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(split, 1);

    // Snapshots come up to twice a second: redraw at most every kRedrawMs, and only while shown.
    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(kRedrawMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &FunnelTab::redraw);
}

void FunnelTab::setSnapshot(const v1::FunnelSnapshot &snapshot)
{
    m_latest = snapshot;
    m_dirty = true;
    const QDateTime at =
        snapshot.has_at() ? QDateTime::fromSecsSinceEpoch(snapshot.at().seconds()) : QDateTime::currentDateTime();
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Live: updated whenever invites are shared, clicked, registered or refused. Last update "
                         "%1.")
                          .arg(TimeText::clockTime(at)));
    if (isVisible() && !m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void FunnelTab::setInterrupted(const QString &why, int retryInSeconds)
{
    m_status->setStyleSheet(QStringLiteral("color: #cf222e;"));
    m_status->setText(
        m_latest ? tr("The funnel is not live: %1 Reconnecting in %n s; the figures below are the last received.",
                      nullptr, retryInSeconds)
                       .arg(why)
                 : tr("The funnel is not available: %1 Reconnecting in %n s.", nullptr, retryInSeconds).arg(why));
    if (!m_latest) {
        m_funnel->showEmpty(tr("The funnel appears here once the backend answers."));
        m_refusals->showEmpty(tr("Refusals appear here once the backend answers."));
    }
}

QString FunnelTab::statusText() const
{
    return m_status->text();
}

void FunnelTab::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_dirty)
        redraw();
}

void FunnelTab::redraw()
{
    if (!m_latest || !m_dirty)
        return;
    m_dirty = false;
    m_funnel->setRows(m_latest->rows());
    m_refusals->setSnapshot(*m_latest);
    fillTable(*m_latest);
}

void FunnelTab::fillTable(const v1::FunnelSnapshot &snapshot)
{
    // campaign → channel → counts, both in alphabetical order.
    std::map<std::string, std::map<std::string, Counts>> campaigns;
    for (const v1::FunnelRow &row : snapshot.rows())
        campaigns[row.campaign_id()][row.channel()].add(row);

    const QLocale locale;
    int rows = 0;
    for (const auto &[campaign, channels] : campaigns)
        rows += int(channels.size()) + (channels.size() > 1 ? 1 : 0);
    m_table->setSortingEnabled(false);
    m_table->setRowCount(rows);
    int row = 0;
    const auto put = [&](const QString &campaign, const QString &channelId, const QString &channelText,
                         const Counts &counts, bool total) {
        const QString texts[ColumnCount] = {
            campaign,
            channelText,
            locale.toString(counts.shares),
            locale.toString(counts.clicks),
            locale.toString(counts.registrations),
            locale.toString(counts.firstOrders),
            ReferralText::conversion(counts.clicks, counts.shares),
            ReferralText::conversion(counts.registrations, counts.clicks),
            ReferralText::conversion(counts.firstOrders, counts.registrations),
        };
        for (int column = 0; column < ColumnCount; ++column) {
            auto *item = new QTableWidgetItem(texts[column]);
            if (column >= Shares)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (total) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
            m_table->setItem(row, column, item);
        }
        m_table->item(row, Campaign)->setData(kIdRole, campaign);
        m_table->item(row, Channel)->setData(kIdRole, channelId);
        ++row;
    };
    for (const auto &[campaignId, channels] : campaigns) {
        const QString campaign = QString::fromStdString(campaignId);
        if (channels.size() > 1) {
            Counts all;
            for (const auto &[channel, counts] : channels)
                all.add(counts);
            put(campaign, QString(), tr("all channels"), all, true);
        }
        for (const auto &[channelId, counts] : channels) {
            const QString channel = QString::fromStdString(channelId);
            put(campaign, channel, channel, counts, false);
        }
    }
    m_table->setVisible(rows > 0);
    m_emptyTable->setVisible(rows == 0);
}

QString FunnelTab::cell(const QString &campaign, const QString &channel, int column) const
{
    int only = -1;
    int rowsOfCampaign = 0;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, Campaign)->data(kIdRole).toString() != campaign)
            continue;
        ++rowsOfCampaign;
        only = row;
        if (m_table->item(row, Channel)->data(kIdRole).toString() == channel)
            return m_table->item(row, column)->text();
    }
    if (channel.isEmpty() && rowsOfCampaign == 1)
        return m_table->item(only, column)->text();
    return {};
}

} // namespace flywheel::ui
