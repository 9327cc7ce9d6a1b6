#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include "common/ChartPanel.h"

#include <QList>
#include <QPointF>

class QLabel;

namespace flywheel::ui {

/// The redemption rate (left axis, %) and the ROA (right axis, GMV per subsidy unit)
/// over the last hour, each cumulative from the start of the hour shown so that one
/// busy or quiet minute does not swing the lines: at a minute, redeemed ÷ issued and
/// GMV ÷ subsidy redeemed over every minute up to it. A line starts at its first
/// minute with something to divide by.
class RoiRateChart final : public ChartPanel {
    Q_OBJECT

public:
    explicit RoiRateChart(QWidget *parent = nullptr);

    /// Draws from one point a minute; when nothing was issued or redeemed, says `emptyMessage`.
    void setPoints(const google::protobuf::RepeatedPtrField<v1::SubsidyPoint> &points, const QString &emptyMessage);
    /// What is drawn: x in ms since the epoch; the rate in percent, the ROA as a multiple.
    QList<QPointF> ratePoints() const { return m_rate; }
    QList<QPointF> roaPoints() const { return m_roa; }
    QString caption() const;

private:
    QLabel *m_caption;
    QList<QPointF> m_rate;
    QList<QPointF> m_roa;
};

} // namespace flywheel::ui
