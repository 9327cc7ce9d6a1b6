#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include "common/ChartPanel.h"

class QLabel;

namespace flywheel::ui {

/// Subsidy issued and redeemed per minute over the last hour (left axis) and the GMV of
/// the orders redeemed in each minute (right axis, being many times larger), in the
/// currency's major units, for every campaign and channel or one of them.
class RoiChart final : public ChartPanel {
    Q_OBJECT

public:
    explicit RoiChart(QWidget *parent = nullptr);

    /// Draws one point a minute; when no minute has anything, says `emptyMessage` instead.
    void setPoints(const google::protobuf::RepeatedPtrField<v1::SubsidyPoint> &points, const QString &emptyMessage);
    /// Points drawn per line (0 while the empty message shows).
    int pointCount() const { return m_points; }
    /// The sums drawn, in minor units (what the test checks against).
    qint64 issuedTotal() const { return m_issued; }
    qint64 redeemedTotal() const { return m_redeemed; }
    qint64 gmvTotal() const { return m_gmv; }
    QString caption() const;

private:
    QLabel *m_caption;
    int m_points = 0;
    qint64 m_issued = 0;
    qint64 m_redeemed = 0;
    qint64 m_gmv = 0;
};

} // namespace flywheel::ui
