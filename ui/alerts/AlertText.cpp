#include "alerts/AlertText.h"

#include "common/Format.h"
#include "common/TimeText.h"

#include <QLocale>

namespace flywheel::ui {

namespace {

QString percent(double share)
{
    // Thresholds such as 0.5 % need their decimal; Format's formatPercent rounds to one.
    return QLocale().toString(share * 100.0, 'f', share < 0.1 ? 2 : 1) + QStringLiteral(" %");
}

QString number(qint64 n)
{
    return QLocale().toString(n);
}

/// An order state as the backend names it, in the operator's language.
QString orderState(const std::string &state)
{
    if (state == "created")
        return AlertText::tr("created");
    if (state == "paid")
        return AlertText::tr("paid");
    if (state == "cancelled")
        return AlertText::tr("cancelled");
    if (state == "expired")
        return AlertText::tr("expired");
    if (state == "refunded")
        return AlertText::tr("refunded");
    return QString::fromStdString(state);
}

} // namespace

QStringList AlertText::ids()
{
    return {QStringLiteral("inventory_confirmation_slow"), QStringLiteral("illegal_transition"),
            QStringLiteral("pricing_reload_failed"), QStringLiteral("order_path_p99"),
            QStringLiteral("budget_near_cap")};
}

QString AlertText::title(const std::string &id)
{
    if (id == "inventory_confirmation_slow")
        return tr("Slow stock confirmation of paid orders");
    if (id == "illegal_transition")
        return tr("Illegal order state change");
    if (id == "pricing_reload_failed")
        return tr("Pricing file reload failed");
    if (id == "order_path_p99")
        return tr("Slow order creation (P99)");
    if (id == "budget_near_cap")
        return tr("Subsidy budget near its cap");
    return QString::fromStdString(id);
}

QString AlertText::description(const std::string &id)
{
    if (id == "inventory_confirmation_slow")
        return tr("Fires when more than the threshold share of paid orders waited longer than the limit for their "
                  "stock to be confirmed, over the window.");
    if (id == "illegal_transition")
        return tr("Fires when more than the allowed number of illegal order state changes (a paid order "
                  "cancelled, an expired order paid…) were attempted within the window.");
    if (id == "pricing_reload_failed")
        return tr("Fires when the watched pricing file could not be applied; the rules in force stay. Resolves at "
                  "the next good reload.");
    if (id == "order_path_p99")
        return tr("Fires when the 99th percentile of order creation time over the window is above the threshold.");
    if (id == "budget_near_cap")
        return tr("Fires when a first-order subsidy budget has spent the threshold share of its total or daily "
                  "cap.");
    return {};
}

QString AlertText::state(const v1::Alert &alert)
{
    if (!alert.enabled())
        return tr("Disabled");
    if (alert.state() == v1::ALERT_STATE_FIRING)
        return tr("Firing since %1").arg(TimeText::timestamp(alert.since()));
    return tr("OK");
}

QString AlertText::value(const v1::Alert &alert)
{
    const std::string &id = alert.id();
    if (id == "inventory_confirmation_slow" || id == "budget_near_cap")
        return percent(alert.value());
    if (id == "illegal_transition")
        return number(static_cast<qint64>(alert.value()));
    if (id == "pricing_reload_failed")
        return alert.value() > 0 ? tr("failed") : tr("applied");
    if (id == "order_path_p99")
        return tr("%1 ms").arg(QLocale().toString(alert.value(), 'f', 0));
    return QLocale().toString(alert.value());
}

QString AlertText::threshold(const v1::Alert &alert)
{
    const std::string &id = alert.id();
    if (id == "inventory_confirmation_slow" || id == "budget_near_cap")
        return percent(alert.threshold());
    if (id == "illegal_transition")
        return number(static_cast<qint64>(alert.threshold()));
    if (id == "pricing_reload_failed")
        return tr("any failure");
    if (id == "order_path_p99")
        return tr("%1 ms").arg(QLocale().toString(alert.threshold(), 'f', 0));
    return QLocale().toString(alert.threshold());
}

QString AlertText::window(int seconds)
{
    if (seconds > 0 && seconds % 60 == 0)
        return seconds == 60 ? tr("minute") : tr("%1 minutes").arg(seconds / 60);
    return seconds == 1 ? tr("second") : tr("%1 seconds").arg(seconds);
}

QString AlertText::explanation(const v1::Alert &alert)
{
    if (!alert.enabled())
        return tr("Disabled in the thresholds: it never fires.");
    const std::string &id = alert.id();
    const bool tooFew = alert.min_samples() > 0 && alert.samples() < alert.min_samples();
    if (id == "inventory_confirmation_slow") {
        if (tooFew)
            return tr("%1 paid orders in the last %2: too few to judge (at least %3).")
                .arg(number(alert.samples()), window(alert.window_seconds()), number(alert.min_samples()));
        return tr("%1 of %2 paid orders (%3) in the last %4 waited more than %5 s for their stock to be confirmed; "
                  "threshold %6.")
            .arg(number(alert.count()), number(alert.samples()), percent(alert.value()),
                 window(alert.window_seconds()), QLocale().toString(alert.slow_after_ms() / 1000.0, 'g', 4),
                 percent(alert.threshold()));
    }
    if (id == "illegal_transition") {
        if (alert.count() == 0)
            return tr("No illegal order state change was attempted in the last %1.").arg(window(alert.window_seconds()));
        const QString from = orderState(alert.from_state());
        const QString to = orderState(alert.to_state());
        const QString last = alert.order_id() == 0
                                 ? tr("the last on a demo order, %1 → %2").arg(from, to)
                                 : tr("the last on order %1, %2 → %3").arg(QString::number(alert.order_id()), from, to);
        if (alert.count() == 1)
            return tr("One illegal order state change was attempted in the last %1 (%2).")
                .arg(window(alert.window_seconds()), last);
        return tr("%1 illegal order state changes were attempted in the last %2 (%3).")
            .arg(number(alert.count()), window(alert.window_seconds()), last);
    }
    if (id == "pricing_reload_failed") {
        if (alert.value() > 0)
            return tr("The pricing file could not be applied: %1. The rules in force stay until it is fixed.")
                .arg(QString::fromStdString(alert.error()));
        return tr("The pricing file's last reload was applied (or no file is watched).");
    }
    if (id == "order_path_p99") {
        if (tooFew)
            return tr("%1 orders created in the last %2: too few to judge (at least %3).")
                .arg(number(alert.samples()), window(alert.window_seconds()), number(alert.min_samples()));
        return tr("99 % of the %1 orders created in the last %2 took at most %3 ms; threshold %4 ms.")
            .arg(number(alert.samples()), window(alert.window_seconds()), QLocale().toString(alert.value(), 'f', 0),
                 QLocale().toString(alert.threshold(), 'f', 0));
    }
    if (id == "budget_near_cap") {
        if (alert.budget().empty())
            return tr("No first-order subsidy budget is in force.");
        return tr("Budget “%1” has spent %2 of its cap; threshold %3.")
            .arg(QString::fromStdString(alert.budget()), percent(alert.value()), percent(alert.threshold()));
    }
    return QString::fromStdString(alert.explanation());
}

QString AlertText::badge(int firing)
{
    if (firing == 0)
        return tr("No alerts firing");
    return firing == 1 ? tr("1 alert firing") : tr("%1 alerts firing").arg(firing);
}

} // namespace flywheel::ui
