#include "domain/subsidy/Decision.h"

#include <algorithm>
#include <cmath>

namespace flywheel::subsidy {

const char *reasonName(Reason reason)
{
    switch (reason) {
    case Reason::Unspecified:
        return "unspecified";
    case Reason::Granted:
        return "granted";
    case Reason::GrantedDownweighted:
        return "granted_downweighted";
    case Reason::Disabled:
        return "disabled";
    case Reason::NotFirstOrder:
        return "not_first_order";
    case Reason::LtvCacBelowMin:
        return "ltv_cac_below_min";
    case Reason::TooFewActiveDays:
        return "too_few_active_days";
    case Reason::NoCac:
        return "no_cac";
    case Reason::TotalBudgetExhausted:
        return "total_budget_exhausted";
    case Reason::DailyBudgetExhausted:
        return "daily_budget_exhausted";
    case Reason::AmountZero:
        return "amount_zero";
    }
    return "unspecified";
}

namespace {

std::int64_t roundToMinor(double value)
{
    if (!(value > 0))
        return 0;
    if (value > 9.0e18)
        return INT64_MAX / 2;
    return std::llround(value);
}

} // namespace

Ltv predictLtv(const LtvModel &model, const Inputs &in, Money cac)
{
    Ltv out;
    out.expectedOrders = model.baseOrders + model.ordersPerActiveDay * in.activeDaysLast7 +
                         model.ordersPerPastOrder * in.pastPaidOrders;
    out.averageOrderValue = in.categoryOrders >= model.minCategoryOrders && in.categoryOrders > 0 ? in.categoryAverage
                                                                                                   : in.orderTotal;
    out.margin = model.marginBp / 10000.0;
    out.ltv = Money(roundToMinor(out.expectedOrders * static_cast<double>(out.averageOrderValue.minorUnits()) *
                                 out.margin));
    out.cac = cac;
    out.ratio = cac.minorUnits() > 0 ? static_cast<double>(out.ltv.minorUnits()) / static_cast<double>(cac.minorUnits())
                                     : 0;
    return out;
}

Decision decide(const SubsidyConfig &config, const Inputs &in)
{
    Decision d;
    const ChannelCac *cac = config.cacOf(in.channel);
    d.ltv = predictLtv(config.ltv, in, cac != nullptr ? cac->cac : Money());
    if (!config.enabled) {
        d.reason = Reason::Disabled;
        return d;
    }
    if (in.pastPaidOrders > 0) {
        d.reason = Reason::NotFirstOrder;
        return d;
    }
    if (cac == nullptr) {
        d.reason = Reason::NoCac;
        return d;
    }
    if (d.ltv.ratio < config.minLtvCacRatio) {
        d.reason = Reason::LtvCacBelowMin;
        return d;
    }
    if (in.activeDaysLast7 < config.activeDays) {
        d.reason = Reason::TooFewActiveDays;
        return d;
    }
    const std::int64_t cap = roundToMinor(static_cast<double>(config.baseAmount.minorUnits()) * config.capFactor);
    const std::int64_t ofLtv = roundToMinor(0.3 * static_cast<double>(d.ltv.ltv.minorUnits()));
    std::int64_t amount = std::min({cap, ofLtv, in.orderTotal.minorUnits()});
    d.reason = Reason::Granted;
    if (downWeighting(config, in.orderP99Ms) && in.riskScore >= config.risk.scoreThreshold) {
        amount = roundToMinor(static_cast<double>(amount) * config.risk.weight);
        d.reason = Reason::GrantedDownweighted;
    }
    if (amount <= 0) {
        d.reason = Reason::AmountZero;
        amount = 0;
    }
    d.amount = Money(amount);
    return d;
}

} // namespace flywheel::subsidy
