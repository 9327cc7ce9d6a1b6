#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include "common/ChartPanel.h"

namespace flywheel::ui {

/// Subsidy amounts issued and redeemed per minute over the last hour (two lines, in the
/// currency's major units), from the ROI stream's `recent` points.
class RoiChart final : public ChartPanel {
    Q_OBJECT

public:
    explicit RoiChart(QWidget *parent = nullptr);

    void setPoints(const google::protobuf::RepeatedPtrField<v1::SubsidyPoint> &points);
    /// Points drawn per line.
    int pointCount() const { return m_points; }
    /// The sums drawn, in minor units (what the test checks against).
    qint64 issuedTotal() const { return m_issued; }
    qint64 redeemedTotal() const { return m_redeemed; }

private:
    int m_points = 0;
    qint64 m_issued = 0;
    qint64 m_redeemed = 0;
};

} // namespace flywheel::ui
