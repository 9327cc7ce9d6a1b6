#include "experiments/ExperimentText.h"

#include "client/BackendConnection.h"
#include "common/Format.h"

#include <grpcpp/support/status.h>

#include <QLocale>

#include <cmath>

namespace flywheel::ui {

namespace {

enum class Unit { Rate, PerThousand, Money, Ratio };

Unit unitOf(const std::string &metric)
{
    if (metric == "share_rate")
        return Unit::Rate;
    if (metric == "registrations_per_exposure" || metric == "orders_per_exposure")
        return Unit::PerThousand;
    if (metric == "gmv_per_cost")
        return Unit::Ratio;
    return Unit::Money; // gmv_per_exposure, cost_per_exposure, roi_per_1000: minor units
}

const QChar kMinus(0x2212);

/// `value` with `decimals` decimals in the locale, its sign written out when `signed`.
QString number(double value, int decimals, bool withSign)
{
    const QString digits = QLocale().toString(std::fabs(value), 'f', decimals);
    const bool zero = QLocale().toDouble(digits) == 0.0;
    if (value < 0 && !zero)
        return kMinus + digits;
    return (withSign && !zero ? QStringLiteral("+") : QString()) + digits;
}

QString formatted(const std::string &metric, double value, const QString &currency, bool withSign)
{
    switch (unitOf(metric)) {
    case Unit::Rate:
        // Differences of rates are percentage points.
        return withSign ? ExperimentText::tr("%1 pp").arg(number(value * 100.0, 2, true)).replace(u' ', QChar::Nbsp)
                        : ExperimentText::tr("%1 %").arg(number(value * 100.0, 2, false)).replace(u' ', QChar::Nbsp);
    case Unit::PerThousand:
        return ExperimentText::tr("%1 per 1,000").arg(number(value * 1000.0, 2, withSign));
    case Unit::Ratio:
        return ExperimentText::tr("%1×").arg(number(value, 2, withSign));
    case Unit::Money:
        break;
    }
    const QString symbol = currencySymbol(currency.isEmpty() ? QStringLiteral("CNY") : currency);
    const QString sign = value < 0 ? QString(kMinus) : (withSign ? QStringLiteral("+") : QString());
    const QString digits = QLocale().toString(std::fabs(value) / 100.0, 'f', 2);
    if (QLocale().toDouble(digits) == 0.0)
        return symbol + digits;
    return sign + symbol + digits;
}

} // namespace

QString ExperimentText::statusName(v1::ExperimentStatus status)
{
    switch (status) {
    case v1::EXPERIMENT_STATUS_DRAFT:
        return tr("draft");
    case v1::EXPERIMENT_STATUS_RUNNING:
        return tr("running");
    case v1::EXPERIMENT_STATUS_STOPPED:
        return tr("stopped");
    case v1::EXPERIMENT_STATUS_SHIPPED:
        return tr("shipped");
    default:
        return tr("unknown");
    }
}

QColor ExperimentText::statusColor(v1::ExperimentStatus status)
{
    switch (status) {
    case v1::EXPERIMENT_STATUS_RUNNING:
        return QColor(0x1a, 0x7f, 0x37);
    case v1::EXPERIMENT_STATUS_SHIPPED:
        return QColor(0x1f, 0x6f, 0xeb);
    case v1::EXPERIMENT_STATUS_STOPPED:
        return QColor(0x9a, 0x67, 0x00);
    default:
        return QColor(0x57, 0x60, 0x6a);
    }
}

QString ExperimentText::surfaceName(v1::ExperimentSurface surface)
{
    switch (surface) {
    case v1::EXPERIMENT_SURFACE_INVITE_COPY:
        return tr("Invite copy");
    case v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY:
        return tr("First-order subsidy");
    default:
        return tr("(no surface)");
    }
}

QString ExperimentText::metricName(const std::string &metric)
{
    if (metric == "share_rate")
        return tr("Share rate");
    if (metric == "registrations_per_exposure")
        return tr("Registrations per exposure");
    if (metric == "orders_per_exposure")
        return tr("Orders per exposure");
    if (metric == "gmv_per_exposure")
        return tr("GMV per exposure");
    if (metric == "cost_per_exposure")
        return tr("Cost per exposure");
    if (metric == "roi_per_1000")
        return tr("ROI per 1,000 exposures");
    if (metric == "gmv_per_cost")
        return tr("GMV per unit of cost");
    return QString::fromStdString(metric);
}

QString ExperimentText::testName(const std::string &test)
{
    if (test == "two_proportion_z")
        return tr("two-proportion z test");
    if (test == "welch_t")
        return tr("Welch's t test");
    if (test == "delta_ratio")
        return tr("delta method");
    return QString::fromStdString(test);
}

QString ExperimentText::metricValue(const std::string &metric, double value, const QString &currency)
{
    return formatted(metric, value, currency, false);
}

QString ExperimentText::metricDifference(const std::string &metric, double difference, const QString &currency)
{
    return formatted(metric, difference, currency, true);
}

QString ExperimentText::interval(const std::string &metric, double low, double high, const QString &currency)
{
    return tr("%1 to %2").arg(metricDifference(metric, low, currency), metricDifference(metric, high, currency));
}

QString ExperimentText::pValue(double p)
{
    if (p < 0.001)
        return tr("p < %1").arg(QLocale().toString(0.001, 'f', 3));
    return tr("p = %1").arg(QLocale().toString(p, 'f', 3));
}

QString ExperimentText::basisPoints(int basisPoints)
{
    const QString digits = basisPoints % 100 == 0 ? QLocale().toString(basisPoints / 100)
                                                  : QLocale().toString(basisPoints / 100.0, 'f', 2);
    return tr("%1 %").arg(digits).replace(u' ', QChar::Nbsp);
}

QString ExperimentText::duration(std::int64_t seconds)
{
    if (seconds < 0)
        seconds = 0;
    const std::int64_t days = seconds / 86400;
    const std::int64_t hours = seconds % 86400 / 3600;
    const std::int64_t minutes = seconds % 3600 / 60;
    if (days > 0)
        return tr("%1 d %2 h").arg(days).arg(hours);
    if (hours > 0)
        return tr("%1 h %2 min").arg(hours).arg(minutes);
    if (minutes > 0)
        return tr("%1 min").arg(minutes);
    return tr("%1 s").arg(seconds);
}

QString ExperimentText::intervalKindName(v1::IntervalKind kind)
{
    return kind == v1::INTERVAL_KIND_FIXED ? tr("fixed-horizon") : tr("always-valid (sequential)");
}

QString ExperimentText::intervalKindExplanation(v1::IntervalKind kind)
{
    if (kind == v1::INTERVAL_KIND_FIXED)
        return tr("Fixed-horizon 95 % intervals are valid only when read once, at the end planned before the start. "
                  "Watching them live and stopping at the first “significant” moment finds differences that are not "
                  "there far more often than 5 % of the time.");
    return tr(
        "Always-valid (sequential) intervals stay valid however often you look: they are wider than fixed-horizon "
        "ones early on, so a difference marked significant here may be acted on while the experiment runs.");
}

QString ExperimentText::refusal(const grpc::Status &status, const QString &action)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::ABORTED:
        return tr("The experiment was not %1: someone else changed the experiments while you were looking. The page "
                  "now shows their version; check it and try again.")
            .arg(action);
    case grpc::StatusCode::FAILED_PRECONDITION:
        return tr("The experiment was not %1: %2").arg(action, detail);
    case grpc::StatusCode::INVALID_ARGUMENT:
        return tr("The experiment was not %1: the backend refused it: %2").arg(action, detail);
    case grpc::StatusCode::NOT_FOUND:
        return tr("The experiment was not %1: the backend does not know it (%2). It may have been removed; the list is "
                  "reloaded.")
            .arg(action, detail);
    default:
        return tr("The experiment was not %1. %2").arg(action, BackendConnection::explain(status));
    }
}

} // namespace flywheel::ui
