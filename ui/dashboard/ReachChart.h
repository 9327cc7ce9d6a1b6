#pragma once

#include "common/ChartPanel.h"

#include "flywheel/v1/segments.pb.h"

#include <QTimer>

class QLabel;

namespace flywheel::ui {

class BackendConnection;
class SegmentClient;

/// The dashboard's reach chart: messages sent since the backend started, one bar
/// per segment, stacked by channel. Asks the backend every 2 s while shown.
class ReachChart final : public ChartPanel {
    Q_OBJECT

public:
    explicit ReachChart(BackendConnection *connection, QWidget *parent = nullptr);

    /// Draws `stats` (also what a refresh does with the backend's answer).
    void setStats(const v1::ReachStats &stats);
    /// Segments on the chart, in drawing order, and the total messages shown.
    QStringList segments() const { return m_segments; }
    qint64 totalMessages() const { return m_total; }
    qint64 failedMessages() const { return m_failed; }
    /// The message axis: its range and tick count (tests).
    std::pair<qreal, int> messageAxis() const;
    /// Under the chart: where messages go and how many the senders refused.
    QString deliveryText() const;
    void refresh();

    static constexpr int kRefreshMs = 2000;

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    SegmentClient *m_client;
    QLabel *m_delivery;
    QTimer m_timer;
    QStringList m_segments;
    qint64 m_total = 0;
    qint64 m_failed = 0;
    bool m_waiting = false;
};

} // namespace flywheel::ui
