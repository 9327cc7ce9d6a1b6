#pragma once

#include "domain/Clock.h"
#include "domain/Money.h"
#include "domain/subsidy/SubsidyConfig.h"

#include <cstdint>
#include <string>

namespace flywheel::subsidy {

/// Why a first order got what it got (the numbers of v1.SubsidyReason).
enum class Reason : std::int32_t {
    Unspecified = 0,
    Granted = 1,
    /// Granted, down-weighted: the order path's live P99 above the threshold and a risky user.
    GrantedDownweighted = 2,
    Disabled = 3,
    /// The user already has a paid order, or a first-order subsidy in force.
    NotFirstOrder = 4,
    LtvCacBelowMin = 5,
    TooFewActiveDays = 6,
    NoCac = 7,
    TotalBudgetExhausted = 8,
    DailyBudgetExhausted = 9,
    /// Everything passed, but the amount comes to nothing (a free order, or a rule
    /// that rounds to less than one minor unit).
    AmountZero = 10,
};
inline constexpr int kReasonCount = 11;

const char *reasonName(Reason reason);
inline bool granted(Reason r)
{
    return r == Reason::Granted || r == Reason::GrantedDownweighted;
}

/// The raw inputs of one decision: what is stored with it, so a draft config can be
/// replayed over them.
struct Inputs {
    std::int32_t activeDaysLast7 = 0;
    std::int32_t pastPaidOrders = 0;
    /// The profile's tag "risk_score", clamped to 0-100; 0 when absent.
    std::int32_t riskScore = 0;
    std::string channel;
    /// The order's main category (its largest line); empty when unknown.
    std::string category;
    /// The category's average paid order over 30 days and how many orders it is from.
    Money categoryAverage;
    std::int64_t categoryOrders = 0;
    Money orderTotal;
    /// The order path's live P99 (CreateOrder, last 60 s), milliseconds.
    double orderP99Ms = 0;
};

/// The LTV model's intermediate values.
struct Ltv {
    double expectedOrders = 0;
    Money averageOrderValue;
    double margin = 0;
    Money ltv;
    /// The channel's CAC; 0 when it has none.
    Money cac;
    /// ltv / cac; 0 without a CAC.
    double ratio = 0;
};

/// What the config decides for one first order before budgets are looked at.
struct Decision {
    Reason reason = Reason::Unspecified;
    /// The subsidy (positive minor units) when granted; 0 otherwise.
    Money amount;
    Ltv ltv;
};

/// LTV = (base_orders + orders_per_active_day × active days + orders_per_past_order ×
/// past paid orders) × average order value × margin_bp / 10000, rounded to minor
/// units; the average order value is the category's average once it has
/// min_category_orders paid orders, else this order's total.
Ltv predictLtv(const LtvModel &model, const Inputs &in, Money cac);

/// The pure decision (docs/subsidies.md), budgets aside:
///   disabled → Disabled; past paid orders → NotFirstOrder; no CAC for the channel →
///   NoCac; LTV/CAC < min → LtvCacBelowMin; active days < active_days →
///   TooFewActiveDays; else amount = min(base × cap_factor, 0.3 × LTV, order total),
///   × weight (GrantedDownweighted) when P99 > latency threshold and risk score ≥
///   score threshold. An amount that rounds to 0 is AmountZero.
Decision decide(const SubsidyConfig &config, const Inputs &in);

/// Whether risky users are down-weighted at this P99.
inline bool downWeighting(const SubsidyConfig &config, double p99Ms)
{
    return p99Ms > config.risk.latencyThresholdMs;
}

/// Days since 1970-01-01 UTC.
inline std::int64_t utcDay(TimePoint t)
{
    const std::int64_t ms = toEpochMs(t);
    return ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
}

} // namespace flywheel::subsidy
