#pragma once

#include "flywheel/v1/referral.pb.h"

#include "common/ChartPanel.h"

#include <QMap>

class QLabel;

namespace flywheel::ui {

/// Invites the anti-fraud checks refused, per minute over the last hour, one line per
/// reason (only reasons that occurred), with the all-time counts under the chart. Says
/// what will appear while nothing has been refused.
class RefusalChart final : public ChartPanel {
    Q_OBJECT

public:
    explicit RefusalChart(QWidget *parent = nullptr);

    void setSnapshot(const v1::FunnelSnapshot &snapshot);
    /// Refusals in the last hour by reason (the backend's reason names).
    QMap<QString, qint64> recentTotals() const { return m_recent; }
    /// Under the chart: the all-time counts in words.
    QString totalsText() const;

    /// The window drawn: the backend sends the last 60 minutes.
    static constexpr int kMinutes = 60;

private:
    QLabel *m_totals;
    QMap<QString, qint64> m_recent;
};

} // namespace flywheel::ui
