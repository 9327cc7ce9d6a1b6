#pragma once

#include "client/DashboardData.h"

#include <QTimer>
#include <QWidget>

#include <optional>

class QButtonGroup;
class QLabel;

namespace flywheel::ui {

class DashboardFeed;
class KpiTile;
class MetricChart;
class ReachChart;

/// Live GMV, orders, ARPU and repeat-purchase rate: KPI tiles comparing the chosen
/// window with the one before it, and a chart of each over the window. Snapshots
/// may arrive in bursts; the page redraws at most once every 40 ms.
class DashboardPage final : public QWidget {
    Q_OBJECT

public:
    explicit DashboardPage(DashboardFeed *feed, QWidget *parent = nullptr);

    void selectWindow(DashboardWindow window);
    DashboardWindow selectedWindow() const;

    /// For tests and screenshots: what is on screen.
    const std::optional<DashboardData> &shownData() const { return m_shown; }
    int redrawCount() const { return m_redraws; }
    /// True once the page shows its first data (what a screenshot waits for).
    bool hasData() const { return m_shown.has_value(); }
    MetricChart *gmvChart() const { return m_gmvChart; }
    MetricChart *ordersChart() const { return m_ordersChart; }
    KpiTile *gmvTile() const { return m_gmvTile; }
    ReachChart *reachChart() const { return m_reachChart; }

    static constexpr int kRedrawIntervalMs = 40;

Q_SIGNALS:
    /// The page shows its first data.
    void firstDataShown();

private:
    void onSnapshot(const DashboardData &data);
    void redraw();
    void showWaiting();

    DashboardFeed *m_feed;
    QButtonGroup *m_windowButtons;
    QLabel *m_asOf;
    KpiTile *m_gmvTile;
    KpiTile *m_ordersTile;
    KpiTile *m_arpuTile;
    KpiTile *m_repeatTile;
    MetricChart *m_gmvChart;
    MetricChart *m_ordersChart;
    MetricChart *m_arpuChart;
    MetricChart *m_repeatChart;
    ReachChart *m_reachChart;
    QTimer m_redrawTimer;
    std::optional<DashboardData> m_pending;
    std::optional<DashboardData> m_shown;
    int m_redraws = 0;
};

} // namespace flywheel::ui
