#include "dashboard/DashboardPage.h"

#include "client/DashboardFeed.h"
#include "common/Format.h"
#include "common/PageHeader.h"
#include "common/TimeText.h"
#include "dashboard/KpiTile.h"
#include "dashboard/MetricChart.h"
#include "dashboard/ReachChart.h"

#include <QButtonGroup>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace flywheel::ui {

namespace {

QString windowName(DashboardWindow window)
{
    switch (window) {
    case DashboardWindow::FiveMinutes:
        return DashboardPage::tr("5 minutes");
    case DashboardWindow::OneHour:
        return DashboardPage::tr("hour");
    case DashboardWindow::OneDay:
        return DashboardPage::tr("24 hours");
    case DashboardWindow::SevenDays:
        return DashboardPage::tr("7 days");
    }
    return {};
}

QString timeFormat(DashboardWindow window)
{
    switch (window) {
    case DashboardWindow::FiveMinutes:
    case DashboardWindow::OneHour:
    case DashboardWindow::OneDay:
        return QStringLiteral("HH:mm");
    case DashboardWindow::SevenDays:
        return QStringLiteral("ddd d");
    }
    return QStringLiteral("HH:mm");
}

double relativeChange(double current, double previous)
{
    if (previous <= 0)
        return std::numeric_limits<double>::quiet_NaN();
    return (current - previous) / previous;
}

QString bucketName(qint64 seconds)
{
    if (seconds < 60)
        return DashboardPage::tr("per %1 s").arg(seconds);
    if (seconds < 3600)
        return DashboardPage::tr("per %1 min").arg(seconds / 60);
    return DashboardPage::tr("per %1 h").arg(seconds / 3600);
}

/// Time between two labels of the time axis: round clock times.
qint64 labelStepSeconds(DashboardWindow window)
{
    switch (window) {
    case DashboardWindow::FiveMinutes:
        return 60;
    case DashboardWindow::OneHour:
        return 10 * 60;
    case DashboardWindow::OneDay:
        return 4 * 3600;
    case DashboardWindow::SevenDays:
        return 24 * 3600;
    }
    return 60;
}

} // namespace

DashboardPage::DashboardPage(DashboardFeed *feed, QWidget *parent)
    : QWidget(parent), m_feed(feed), m_windowButtons(new QButtonGroup(this)), m_asOf(new QLabel(this)),
      m_gmvTile(new KpiTile(tr("GMV"), tr("Gross merchandise value: the total of all orders in the window"), this)),
      m_ordersTile(new KpiTile(tr("Orders"), tr("Orders created in the window"), this)),
      m_arpuTile(
          new KpiTile(tr("ARPU"), tr("Average revenue per paying user: GMV / distinct users who ordered"), this)),
      m_repeatTile(new KpiTile(tr("Repeat-purchase rate"),
                               tr("Users with two or more orders in the window / users with at least one"), this)),
      m_gmvChart(new MetricChart(tr("GMV"), MetricChart::Style::Area, QColor(0x1f, 0x6f, 0xeb), this)),
      m_ordersChart(new MetricChart(tr("Orders"), MetricChart::Style::Area, QColor(0x2d, 0xa4, 0x4e), this)),
      m_arpuChart(new MetricChart(tr("ARPU"), MetricChart::Style::Line, QColor(0xbf, 0x87, 0x00), this)),
      m_repeatChart(
          new MetricChart(tr("Repeat-purchase rate"), MetricChart::Style::Line, QColor(0x82, 0x50, 0xdf), this)),
      m_reachChart(new ReachChart(feed->connection(), this))
{
    auto *header = new PageHeader(tr("Dashboard"), this);
    header->addToTitleRow(new QLabel(tr("Window:"), this), PageHeader::Place::AfterTitle);
    const std::pair<DashboardWindow, QString> windows[] = {
        {DashboardWindow::FiveMinutes, tr("5 min")},
        {DashboardWindow::OneHour, tr("1 hour")},
        {DashboardWindow::OneDay, tr("24 hours")},
        {DashboardWindow::SevenDays, tr("7 days")},
    };
    for (const auto &[window, label] : windows) {
        auto *button = new QToolButton(this);
        button->setText(label);
        button->setCheckable(true);
        button->setAutoRaise(false);
        button->setToolTip(tr("Show the last %1").arg(windowName(window)));
        m_windowButtons->addButton(button, static_cast<int>(window));
        header->addToTitleRow(button, PageHeader::Place::AfterTitle);
    }
    m_windowButtons->setExclusive(true);
    m_windowButtons->button(static_cast<int>(DashboardWindow::FiveMinutes))->setChecked(true);
    connect(m_windowButtons, &QButtonGroup::idClicked, this,
            [this](int id) { selectWindow(static_cast<DashboardWindow>(id)); });
    m_asOf->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    header->addToTitleRow(m_asOf);

    auto *tiles = new QHBoxLayout();
    tiles->setSpacing(12);
    for (KpiTile *tile : {m_gmvTile, m_ordersTile, m_arpuTile, m_repeatTile})
        tiles->addWidget(tile, 1);

    auto *charts = new QGridLayout();
    charts->setSpacing(12);
    charts->addWidget(m_gmvChart, 0, 0);
    charts->addWidget(m_ordersChart, 0, 1);
    charts->addWidget(m_arpuChart, 1, 0);
    charts->addWidget(m_repeatChart, 1, 1);
    charts->addWidget(m_reachChart, 2, 0, 1, 2);
    charts->setRowStretch(0, 3);
    charts->setRowStretch(1, 3);
    charts->setRowStretch(2, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->setSpacing(12);
    layout->addWidget(header);
    layout->addLayout(tiles);
    layout->addLayout(charts, 1);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(kRedrawIntervalMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &DashboardPage::redraw);
    connect(m_feed, &DashboardFeed::snapshotReceived, this, &DashboardPage::onSnapshot);
    showWaiting();
}

void DashboardPage::selectWindow(DashboardWindow window)
{
    if (QAbstractButton *button = m_windowButtons->button(static_cast<int>(window)))
        button->setChecked(true);
    if (m_feed->window() == window && m_shown && m_shown->window == window)
        return;
    m_pending.reset();
    m_shown.reset();
    showWaiting();
    m_feed->setWindow(window);
}

DashboardWindow DashboardPage::selectedWindow() const
{
    return static_cast<DashboardWindow>(m_windowButtons->checkedId());
}

void DashboardPage::showWaiting()
{
    for (KpiTile *tile : {m_gmvTile, m_ordersTile, m_arpuTile, m_repeatTile})
        tile->setEmpty(tr("waiting for data"));
    for (MetricChart *chart : {m_gmvChart, m_ordersChart, m_arpuChart, m_repeatChart})
        chart->showEmpty(tr("Waiting for data from the backend…"));
    m_asOf->clear();
}

void DashboardPage::onSnapshot(const DashboardData &data)
{
    if (data.window != selectedWindow())
        return; // from the stream of a window no longer shown
    m_pending = data;
    if (!m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void DashboardPage::redraw()
{
    if (!m_pending)
        return;
    const bool first = !m_shown;
    m_shown = std::move(m_pending);
    m_pending.reset();
    ++m_redraws;
    const DashboardData &d = *m_shown;
    const QString window = windowName(d.window);
    const QString previous = tr("previous %1").arg(window);
    const QLocale locale;

    m_asOf->setText(tr("Last %1 · updated %2").arg(window, TimeText::clockTime(d.asOf)));

    if (d.current.orders == 0) {
        const QString reason = tr("no orders in the last %1").arg(window);
        for (KpiTile *tile : {m_gmvTile, m_ordersTile, m_arpuTile, m_repeatTile})
            tile->setEmpty(reason);
        const QString message =
            tr("No orders in the last %1 yet.\nNew orders appear here within a second.").arg(window);
        for (MetricChart *chart : {m_gmvChart, m_ordersChart, m_arpuChart, m_repeatChart})
            chart->showEmpty(message);
        if (first)
            Q_EMIT firstDataShown();
        return;
    }

    m_gmvTile->setValue(
        formatMoney(d.current.gmvMinor, d.currency),
        relativeChange(static_cast<double>(d.current.gmvMinor), static_cast<double>(d.previous.gmvMinor)), previous);
    m_ordersTile->setValue(
        locale.toString(d.current.orders),
        relativeChange(static_cast<double>(d.current.orders), static_cast<double>(d.previous.orders)), previous);
    m_arpuTile->setValue(
        formatMoney(d.current.arpuMinor, d.currency),
        relativeChange(static_cast<double>(d.current.arpuMinor), static_cast<double>(d.previous.arpuMinor)), previous);
    m_repeatTile->setValue(formatPercent(d.current.repeatRate),
                           relativeChange(d.current.repeatRate, d.previous.repeatRate), previous);

    QList<QPointF> gmv, orders, arpu, repeat;
    for (const SeriesPoint &p : d.series) {
        const auto x = static_cast<double>(p.start.toMSecsSinceEpoch());
        gmv.append(QPointF(x, toMajorUnits(p.gmvMinor)));
        orders.append(QPointF(x, static_cast<double>(p.orders)));
        // Rolling values exist only where there were orders: elsewhere the line bridges the gap.
        if (p.windowPayingUsers > 0) {
            const auto payers = static_cast<double>(p.windowPayingUsers);
            arpu.append(QPointF(x, toMajorUnits(p.windowGmvMinor) / payers));
            repeat.append(QPointF(x, 100.0 * static_cast<double>(p.windowRepeatUsers) / payers));
        }
    }
    const QDateTime from = d.series.isEmpty() ? d.asOf : d.series.first().start;
    const QDateTime to = d.series.isEmpty() ? d.asOf : d.series.last().start.addSecs(d.bucketSeconds);
    const MetricChart::TimeAxis axis{from, to, labelStepSeconds(d.window), timeFormat(d.window)};
    const QString per = bucketName(d.bucketSeconds);
    const QString symbol = currencySymbol(d.currency).trimmed();
    m_gmvChart->setData(gmv, axis, QStringLiteral("%.0f"), tr("%1 %2").arg(symbol, per), 10);
    m_ordersChart->setData(orders, axis, QStringLiteral("%.0f"), tr("orders %1").arg(per), 5);
    m_arpuChart->setTitle(tr("ARPU · rolling %1").arg(window));
    m_repeatChart->setTitle(tr("Repeat-purchase rate · rolling %1").arg(window));
    m_arpuChart->setData(arpu, axis, QStringLiteral("%.0f"), tr("%1 per paying user").arg(symbol), 10);
    m_repeatChart->setData(repeat, axis, QStringLiteral("%.0f%%"), tr("% of paying users"), 10);
    for (MetricChart *chart : {m_gmvChart, m_ordersChart, m_arpuChart, m_repeatChart})
        chart->setExportRange(windowName(d.window), from, to);
    if (first)
        Q_EMIT firstDataShown();
}

} // namespace flywheel::ui
