#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include <QString>

#include <functional>

class QDateTimeAxis;
class QLineSeries;

namespace flywheel::ui {

/// The ROI charts' time axis: from the first point's minute to the end of the last one's,
/// in local HH:mm, at most one label a minute (so no two say the same time).
QDateTimeAxis *roiTimeAxis(const google::protobuf::RepeatedPtrField<v1::SubsidyPoint> &points);

/// Ticks at whole steps for an axis from 0 to `top` (1, 2 or 5 × 10ⁿ, see niceCeiling),
/// as on the dashboard: 0-10 in 2s, 0-20 in 5s, 0-50 in 10s.
int roiTickCount(double top);

/// While `series` is hovered, a tooltip "HH:mm · <series name>: <describe(value)>".
void roiTooltips(QLineSeries *series, std::function<QString(double)> describe);

} // namespace flywheel::ui
