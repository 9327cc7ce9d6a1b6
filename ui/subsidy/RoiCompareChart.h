#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include "common/ChartPanel.h"

#include <QList>
#include <QStringList>

namespace flywheel::ui {

/// One figure of every campaign · channel row side by side, all time, as horizontal
/// bars (the highest on top): the ROA (GMV per subsidy unit) of the rows with something
/// redeemed, or the redemption rate of the rows with something issued. Each bar's label
/// carries its value in the locale's format.
class RoiCompareChart final : public ChartPanel {
    Q_OBJECT

public:
    enum class Metric { Roa, RedemptionRate };

    explicit RoiCompareChart(Metric metric, QWidget *parent = nullptr);

    void setRows(const google::protobuf::RepeatedPtrField<v1::SubsidyRoiRow> &rows);
    /// The bars, top first: their labels and values (ROA as a multiple, the rate in percent).
    QStringList labels() const { return m_labels; }
    QList<double> values() const { return m_values; }

private:
    Metric m_metric;
    QStringList m_labels;
    QList<double> m_values;
};

} // namespace flywheel::ui
