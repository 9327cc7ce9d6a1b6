#include "subsidy/SubsidyText.h"

#include "common/Format.h"
#include "common/VersionHistoryView.h"

#include <QLocale>

#include <cmath>
#include <map>

namespace flywheel::ui {

QStringList SubsidyText::knownChannels()
{
    return {QStringLiteral("app"), QStringLiteral("mini_program"), QStringLiteral("web")};
}

QString SubsidyText::channelName(const QString &channel)
{
    if (channel == u"app")
        return tr("App");
    if (channel == u"mini_program")
        return tr("Mini program");
    if (channel == u"web")
        return tr("Web");
    return channel;
}

QString SubsidyText::reasonName(v1::SubsidyReason reason)
{
    switch (reason) {
    case v1::SUBSIDY_REASON_GRANTED:
        return tr("Granted");
    case v1::SUBSIDY_REASON_GRANTED_DOWNWEIGHTED:
        return tr("Granted, down-weighted");
    case v1::SUBSIDY_REASON_DISABLED:
        return tr("Subsidies switched off");
    case v1::SUBSIDY_REASON_NOT_FIRST_ORDER:
        return tr("Not a first order");
    case v1::SUBSIDY_REASON_LTV_CAC_BELOW_MIN:
        return tr("LTV/CAC below the minimum");
    case v1::SUBSIDY_REASON_TOO_FEW_ACTIVE_DAYS:
        return tr("Too few active days");
    case v1::SUBSIDY_REASON_NO_CAC:
        return tr("No CAC for the channel");
    case v1::SUBSIDY_REASON_TOTAL_BUDGET_EXHAUSTED:
        return tr("Campaign budget used up");
    case v1::SUBSIDY_REASON_DAILY_BUDGET_EXHAUSTED:
        return tr("Today's budget used up");
    case v1::SUBSIDY_REASON_AMOUNT_ZERO:
        return tr("Amount comes to nothing");
    default:
        return tr("Unknown reason (%1)").arg(int(reason));
    }
}

QString SubsidyText::reasonSentence(v1::SubsidyReason reason)
{
    switch (reason) {
    case v1::SUBSIDY_REASON_GRANTED:
        return tr("The user is worth it: their predicted lifetime value covers the acquisition cost by at least "
                  "the minimum ratio and they were active on enough days, so the first order is subsidised.");
    case v1::SUBSIDY_REASON_GRANTED_DOWNWEIGHTED:
        return tr("Subsidised, but reduced by the risk weight: the order path is slow right now (its live P99 is "
                  "above the threshold) and the user's risk score is at or above the risk threshold.");
    case v1::SUBSIDY_REASON_DISABLED:
        return tr("No subsidy: subsidies are switched off in this config.");
    case v1::SUBSIDY_REASON_NOT_FIRST_ORDER:
        return tr("No subsidy: the user already has a paid order, or a first-order subsidy that is still in "
                  "force.");
    case v1::SUBSIDY_REASON_LTV_CAC_BELOW_MIN:
        return tr("No subsidy: the predicted lifetime value divided by the channel's acquisition cost is below the "
                  "minimum ratio.");
    case v1::SUBSIDY_REASON_TOO_FEW_ACTIVE_DAYS:
        return tr("No subsidy: the user was active on fewer of the last 7 days than the config asks for.");
    case v1::SUBSIDY_REASON_NO_CAC:
        return tr("No subsidy: the config has no acquisition cost for the user's channel.");
    case v1::SUBSIDY_REASON_TOTAL_BUDGET_EXHAUSTED:
        return tr("No subsidy: the campaign's total budget is used up.");
    case v1::SUBSIDY_REASON_DAILY_BUDGET_EXHAUSTED:
        return tr("No subsidy: the campaign's budget for today (UTC) is used up.");
    case v1::SUBSIDY_REASON_AMOUNT_ZERO:
        return tr("No subsidy: the user qualifies, but the amount rounds to zero — the order is free, "
                  "or the cap, 30 % of the LTV and the risk weight leave nothing.");
    default:
        return tr("The backend gave a reason this console does not know (%1).").arg(int(reason));
    }
}

bool SubsidyText::isGranted(v1::SubsidyReason reason)
{
    return reason == v1::SUBSIDY_REASON_GRANTED || reason == v1::SUBSIDY_REASON_GRANTED_DOWNWEIGHTED;
}

QString SubsidyText::money(const v1::Money &money)
{
    const QString currency = money.currency().empty() ? QStringLiteral("CNY") : QString::fromStdString(money.currency());
    return formatMoney(money.minor_units(), currency);
}

QString SubsidyText::number(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals);
}

QString SubsidyText::milliseconds(double ms)
{
    return tr("%1 ms").arg(QLocale().toString(ms, 'f', 0));
}

QString SubsidyText::sourceName(const std::string &source)
{
    if (source == "experiment")
        return tr("experiment");
    return VersionHistoryView::sourceName(source);
}

bool SubsidyText::parseNumber(const QString &text, double *value)
{
    QString t = text.trimmed();
    if (t.isEmpty())
        return false;
    const QLocale locale;
    if (locale.decimalPoint() != u".")
        t.replace(locale.decimalPoint(), QStringLiteral("."));
    bool ok = false;
    const double v = QLocale::c().toDouble(t, &ok);
    if (!ok || !std::isfinite(v))
        return false;
    *value = v;
    return true;
}

QString SubsidyText::editNumber(double value)
{
    return QString::number(value, 'g', 12);
}

QList<QPair<QString, QString>> SubsidyText::describe(const v1::SubsidyConfig &c)
{
    QList<QPair<QString, QString>> lines;
    // Every digit the config holds, so that the history's diff shows any change.
    const auto exact = [](double value) { return QLocale().toString(value, 'g', 12); };
    const auto add = [&](const QString &label, const QString &value) { lines.append({label, value}); };
    add(tr("Subsidies"), c.enabled() ? tr("on") : tr("off"));
    add(tr("Campaign"), QString::fromStdString(c.campaign_id()));
    add(tr("Minimum LTV/CAC"), exact(c.min_ltv_cac_ratio()));
    add(tr("Base amount"), money(c.base_amount()));
    add(tr("Cap factor"), exact(c.cap_factor()));
    add(tr("Active days (of the last 7)"), QString::number(c.active_days()));
    add(tr("Latency threshold"), milliseconds(c.risk().latency_threshold_ms()));
    add(tr("Risk score threshold"), QString::number(c.risk().score_threshold()));
    add(tr("Risk weight"), exact(c.risk().weight()));
    std::map<std::string, const v1::ChannelCac *> cacs;
    for (const v1::ChannelCac &cac : c.channel_cac())
        cacs[cac.channel()] = &cac;
    for (const auto &[channel, cac] : cacs)
        add(tr("CAC, %1").arg(channelName(QString::fromStdString(channel))), money(cac->cac()));
    std::map<std::string, const v1::CampaignBudget *> budgets;
    for (const v1::CampaignBudget &budget : c.budgets())
        budgets[budget.campaign_id()] = &budget;
    for (const auto &[campaign, budget] : budgets) {
        add(tr("Budget of %1, total").arg(QString::fromStdString(campaign)), money(budget->total()));
        add(tr("Budget of %1, per day").arg(QString::fromStdString(campaign)), money(budget->daily()));
    }
    add(tr("LTV: base orders"), exact(c.ltv().base_orders()));
    add(tr("LTV: orders per active day"), exact(c.ltv().orders_per_active_day()));
    add(tr("LTV: orders per past order"), exact(c.ltv().orders_per_past_order()));
    add(tr("LTV: margin"), QStringLiteral("%1 %").arg(exact(c.ltv().margin_bp() / 100.0)));
    add(tr("LTV: category history needed"), tr("%n order(s)", nullptr, c.ltv().min_category_orders()));
    return lines;
}

QStringList SubsidyText::diff(const v1::SubsidyConfig &before, const v1::SubsidyConfig &after)
{
    const auto old = describe(before);
    const auto now = describe(after);
    std::map<QString, QString> oldValues;
    for (const auto &[label, value] : old)
        oldValues[label] = value;
    std::map<QString, bool> seen;
    QStringList lines;
    for (const auto &[label, value] : now) {
        seen[label] = true;
        const auto it = oldValues.find(label);
        if (it == oldValues.end())
            lines.append(tr("%1: added, %2").arg(label, value));
        else if (it->second != value)
            lines.append(tr("%1: %2 → %3").arg(label, it->second, value));
    }
    for (const auto &[label, value] : old) {
        if (!seen.count(label))
            lines.append(tr("%1: removed (was %2)").arg(label, value));
    }
    return lines;
}

QString SubsidyText::summary(const v1::SubsidyConfig &c)
{
    if (!c.enabled())
        return tr("Subsidies are switched off: no first order is subsidised (decisions are still recorded).");
    return tr("First orders of users with LTV/CAC ≥ %1 and at least %2 active days get up to %3, charged to "
              "campaign “%4”.")
        .arg(number(c.min_ltv_cac_ratio()))
        .arg(c.active_days())
        .arg(formatMoney(qint64(std::llround(double(c.base_amount().minor_units()) * c.cap_factor())),
                         c.base_amount().currency().empty() ? QStringLiteral("CNY")
                                                            : QString::fromStdString(c.base_amount().currency())),
             QString::fromStdString(c.campaign_id()));
}

} // namespace flywheel::ui
