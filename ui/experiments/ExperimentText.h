#pragma once

#include "flywheel/v1/experiments.pb.h"

#include <QColor>
#include <QCoreApplication>
#include <QString>

#include <cstdint>
#include <string>

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

/// Experiments in words for operators: statuses (and their colours), surfaces, metrics
/// with their units, differences with their intervals, basis points as percentages,
/// running times, and the backend's refusals of an action.
class ExperimentText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::ExperimentText)

public:
    /// "draft", "running", "stopped", "shipped".
    static QString statusName(v1::ExperimentStatus status);
    /// Green running, grey draft and stopped, blue shipped.
    static QColor statusColor(v1::ExperimentStatus status);
    /// "Invite copy", "First-order subsidy".
    static QString surfaceName(v1::ExperimentSurface surface);
    /// "Share rate", "GMV per exposure", …; the metric's name itself when unknown.
    static QString metricName(const std::string &metric);
    /// "two-proportion z test", "Welch's t test", "delta method".
    static QString testName(const std::string &test);
    /// A value of the metric in its unit: "12.3 %", "¥1.23", "45.6 per 1,000", "3.21×".
    static QString metricValue(const std::string &metric, double value, const QString &currency);
    /// A difference with its sign: "+1.2 pp", "−¥0.40", "+3.4 per 1,000".
    static QString metricDifference(const std::string &metric, double difference, const QString &currency);
    /// "−0.4 pp to +2.1 pp".
    static QString interval(const std::string &metric, double low, double high, const QString &currency);
    /// "p = 0.012" ("p < 0.001" below).
    static QString pValue(double p);

    /// "12.5 %" from basis points.
    static QString basisPoints(int basisPoints);
    /// "3 d 4 h", "5 h 12 min", "40 s".
    static QString duration(std::int64_t seconds);
    /// "always-valid (sequential)" or "fixed-horizon".
    static QString intervalKindName(v1::IntervalKind kind);
    /// Why the kind shown may or may not be looked at while the experiment runs.
    static QString intervalKindExplanation(v1::IntervalKind kind);

    /// What a refused action means for the operator, naming `action` ("started", ...).
    static QString refusal(const grpc::Status &status, const QString &action);
};

} // namespace flywheel::ui
