#pragma once

#include "flywheel/v1/payments.pb.h"

#include "common/ChartPanel.h"

#include <QList>
#include <QPointF>

namespace flywheel::ui {

/// One channel's last hour, a point a minute: its success rate (succeeded ÷ outcomes,
/// in %, for minutes with an outcome), its create-to-paid latency (p50 and p95 in ms,
/// for minutes with a payment that succeeded), or its volume (paid, in major units of
/// the snapshot's currency). Says what will appear while there is nothing to draw.
class ChannelMinuteChart final : public ChartPanel {
    Q_OBJECT

public:
    enum class Kind { SuccessRate, Latency, Volume };

    ChannelMinuteChart(Kind kind, QWidget *parent = nullptr);

    /// Draws `minutes` (oldest first); `currency` names the volume's unit.
    void setMinutes(const google::protobuf::RepeatedPtrField<v1::ChannelMinute> &minutes, const QString &currency);
    void showWaiting(const QString &message);
    /// What is drawn: x in ms since the epoch. Series 0: the rate, the p50 or the
    /// volume; series 1: the p95 (latency only).
    QList<QPointF> points(int series = 0) const { return series == 0 ? m_first : m_second; }

private:
    Kind m_kind;
    QList<QPointF> m_first;
    QList<QPointF> m_second;
};

} // namespace flywheel::ui
