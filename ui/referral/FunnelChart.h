#pragma once

#include "flywheel/v1/referral.pb.h"

#include "common/ChartPanel.h"

#include <QList>
#include <QStringList>

#include <array>

namespace flywheel::ui {

/// The invite funnel as bars: one group per campaign (all channels together) with its
/// shares, clicks, registrations and first orders. Says what will appear while there is
/// nothing to draw.
class FunnelChart final : public ChartPanel {
    Q_OBJECT

public:
    explicit FunnelChart(QWidget *parent = nullptr);

    void setRows(const google::protobuf::RepeatedPtrField<v1::FunnelRow> &rows);
    /// Campaigns drawn, in order.
    QStringList campaigns() const { return m_campaigns; }
    /// The bar of a step (0 shares … 3 first orders) of a campaign; -1 when not drawn.
    qint64 value(const QString &campaign, int step) const;

    /// Campaigns with the most clicks drawn; the table lists every one.
    static constexpr int kMaxCampaigns = 8;

private:
    QStringList m_campaigns;
    QList<std::array<qint64, 4>> m_values;
};

} // namespace flywheel::ui
