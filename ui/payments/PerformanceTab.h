#pragma once

#include "flywheel/v1/payments.pb.h"

#include <QString>
#include <QTimer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;

namespace flywheel::ui {

class ChannelMinuteChart;

/// Each channel's last hour from StreamChannelStats: success rate, latency and volume a
/// minute, for the channel chosen, with its totals (succeeded, failed, volume, refused
/// notifications, amount mismatches) and a badge while it is demoted below its success
/// floor. Snapshots are drawn at most every kRedrawMs, the choice of channel kept.
class PerformanceTab final : public QWidget {
    Q_OBJECT

public:
    static constexpr int kRedrawMs = 250;

    explicit PerformanceTab(QWidget *parent = nullptr);

    void setSnapshot(const v1::ChannelStatsSnapshot &snapshot);
    void setInterrupted(const QString &why, int retryInSeconds, bool unimplemented);
    /// Draws what has arrived now rather than at the next redraw.
    void redraw();
    bool hasSnapshot() const { return m_snapshot.has_value(); }

    QComboBox *channelSelector() const { return m_selector; }
    /// Chooses channel `id`; false when the snapshot has no such channel.
    bool selectChannel(const QString &id);
    ChannelMinuteChart *successChart() const { return m_success; }
    ChannelMinuteChart *latencyChart() const { return m_latency; }
    ChannelMinuteChart *volumeChart() const { return m_volume; }
    QString totalsText() const;
    bool isDemotedShown() const;
    QString demotedText() const;
    QString statusText() const;

protected:
    void showEvent(QShowEvent *event) override;

private:
    std::optional<v1::ChannelStatsSnapshot> m_snapshot;
    QTimer m_redrawTimer;
    QComboBox *m_selector;
    QLabel *m_status;
    QLabel *m_demoted;
    QLabel *m_totals;
    ChannelMinuteChart *m_success;
    ChannelMinuteChart *m_latency;
    ChannelMinuteChart *m_volume;
};

} // namespace flywheel::ui
