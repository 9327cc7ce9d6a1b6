#include "dashboard/ReachChart.h"

#include "client/SegmentClient.h"

#include <grpcpp/support/status.h>

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QHorizontalStackedBarSeries>
#include <QLabel>
#include <QLegend>
#include <QLocale>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace flywheel::ui {

namespace {

struct ChannelStyle {
    v1::ReachChannel channel;
    const char *name;
    QColor color;
};

const ChannelStyle kChannels[] = {
    {v1::REACH_CHANNEL_PUSH, QT_TRANSLATE_NOOP("flywheel::ui::ReachChart", "Push"), QColor(0x1f, 0x6f, 0xeb)},
    {v1::REACH_CHANNEL_SMS, QT_TRANSLATE_NOOP("flywheel::ui::ReachChart", "SMS"), QColor(0xbf, 0x87, 0x00)},
    {v1::REACH_CHANNEL_IN_APP, QT_TRANSLATE_NOOP("flywheel::ui::ReachChart", "In-app"), QColor(0x2d, 0xa4, 0x4e)},
};

} // namespace

ReachChart::ReachChart(BackendConnection *connection, QWidget *parent)
    : ChartPanel(tr("Reach · messages sent by segment and channel"), parent),
      m_client(new SegmentClient(connection, this)), m_delivery(new QLabel(this))
{
    chart()->legend()->setAlignment(Qt::AlignRight);
    m_delivery->setWordWrap(true);
    m_delivery->setTextInteractionFlags(Qt::TextSelectableByMouse);
    panelLayout()->addWidget(m_delivery);
    showEmpty(tr("Waiting for the backend…"));

    m_timer.setInterval(kRefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &ReachChart::refresh);
}

void ReachChart::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    m_timer.start();
}

void ReachChart::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer.stop();
}

void ReachChart::refresh()
{
    if (m_waiting)
        return; // one call at a time: a slow backend is not asked again meanwhile
    m_waiting = true;
    m_client->getReachStats([this](const grpc::Status &status, const v1::ReachStats &stats) {
        m_waiting = false;
        if (!status.ok()) {
            if (m_segments.isEmpty())
                showEmpty(
                    tr("Reach figures are not available: %1").arg(QString::fromStdString(status.error_message())));
            return; // keep the last figures
        }
        setStats(stats);
    });
}

std::pair<qreal, int> ReachChart::messageAxis() const
{
    for (QAbstractAxis *axis : chart()->axes(Qt::Horizontal)) {
        if (const auto *values = qobject_cast<QValueAxis *>(axis))
            return {values->max(), values->tickCount()};
    }
    return {0, 0};
}

QString ReachChart::deliveryText() const
{
    return m_delivery->text();
}

void ReachChart::setStats(const v1::ReachStats &stats)
{
    // segment → channel → messages; segments by total, largest at the top.
    std::map<QString, std::map<int, qint64>> bySegment;
    std::map<QString, qint64> totals;
    m_total = 0;
    m_failed = 0;
    for (const v1::ReachCount &c : stats.counts()) {
        const QString segment = QString::fromStdString(c.segment_id());
        bySegment[segment][c.channel()] += c.messages();
        totals[segment] += c.messages();
        m_total += c.messages();
        m_failed += c.failed();
    }
    const QString sender = QString::fromStdString(stats.sender());
    const QString where = sender == QLatin1String("simulated")
                              ? tr("Sending is simulated: messages are recorded and count against the caps, "
                                   "but nothing leaves the backend.")
                              : tr("Messages go to the %1.").arg(sender);
    if (m_failed == 0) {
        m_delivery->setStyleSheet(QString());
        m_delivery->setText(where);
    } else {
        m_delivery->setStyleSheet(QStringLiteral("color: #b3261e;"));
        m_delivery->setText(tr("%1 %n message(s) could not be handed over; they still count against the caps. "
                               "Last refusal: %2",
                               nullptr, static_cast<int>(std::min<qint64>(m_failed, INT_MAX)))
                                .arg(where, QString::fromStdString(stats.last_failure())));
    }
    QStringList order;
    for (const auto &[segment, total] : totals)
        order.append(segment);
    std::stable_sort(order.begin(), order.end(),
                     [&](const QString &a, const QString &b) { return totals[a] < totals[b]; });
    m_segments = QStringList(order.crbegin(), order.crend());

    clear();
    if (order.isEmpty()) {
        showEmpty(tr("No messages sent yet. Reach decisions appear here as segments match users."));
        return;
    }
    hideEmpty();
    auto *series = new QHorizontalStackedBarSeries();
    for (const ChannelStyle &style : kChannels) {
        auto *set = new QBarSet(tr(style.name));
        set->setColor(style.color);
        set->setBorderColor(style.color);
        for (const QString &segment : order)
            set->append(static_cast<qreal>(bySegment[segment][style.channel]));
        series->append(set);
    }
    series->setBarWidth(0.7);
    chart()->addSeries(series);
    auto *categories = new QBarCategoryAxis();
    categories->append(order);
    auto *values = new QValueAxis();
    values->setTitleText(tr("messages since the backend started (%1 in all)").arg(QLocale().toString(m_total)));
    chart()->addAxis(categories, Qt::AlignLeft);
    chart()->addAxis(values, Qt::AlignBottom);
    series->attachAxis(categories);
    series->attachAxis(values);
    // Whole messages in round steps, so that no two labels read the same.
    qint64 largest = 0;
    for (const auto &[segment, total] : totals)
        largest = std::max(largest, total);
    setCountRange(values, largest);
}

} // namespace flywheel::ui
