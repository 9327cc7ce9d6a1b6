#include "domain/experiments/Results.h"

#include <cmath>

namespace flywheel::experiments {

void VariantTotals::add(const Outcome &user)
{
    ++exposures;
    if (user.shares > 0)
        ++sharers;
    shares += user.shares;
    registrations += user.registrations;
    orders += user.orders;
    gmvMinor += user.gmvMinor;
    subsidyMinor += user.subsidyMinor;
    commissionMinor += user.commissionMinor;
    registrationsPerUser.add(static_cast<double>(user.registrations));
    ordersPerUser.add(static_cast<double>(user.orders));
    gmvPerUser.addMinorUnits(user.gmvMinor);
    costPerUser.addMinorUnits(user.costMinor());
    roiPer1000.add(static_cast<double>(user.gmvMinor - user.costMinor()) * 1000.0);
    gmvPerCost.addMinorUnits(user.gmvMinor, user.costMinor());
}

namespace {

double meanOf(const MeanSummary &s)
{
    return s.n == 0 ? 0.0 : s.sum / static_cast<double>(s.n);
}

double ratioOf(const RatioSummary &s)
{
    return s.sumD == 0.0 ? 0.0 : s.sumM / s.sumD;
}

/// The fixed-horizon comparison of one metric, or the reason it cannot be made.
Result<Comparison> fixedComparison(std::size_t metric, const VariantTotals &c, const VariantTotals &t)
{
    switch (metric) {
    case 0: {
        auto r = twoProportionZTest({c.exposures, c.sharers}, {t.exposures, t.sharers});
        if (!r.ok())
            return r.error();
        return r.value().unpooled;
    }
    case 1:
        return welchTTest(c.registrationsPerUser, t.registrationsPerUser);
    case 2:
        return welchTTest(c.ordersPerUser, t.ordersPerUser);
    case 3:
        return welchTTest(c.gmvPerUser, t.gmvPerUser);
    case 4:
        return welchTTest(c.costPerUser, t.costPerUser);
    case 5:
        return welchTTest(c.roiPer1000, t.roiPer1000);
    default:
        return compareRatios(c.gmvPerCost, t.gmvPerCost);
    }
}

double valueOf(std::size_t metric, const VariantTotals &v)
{
    switch (metric) {
    case 0:
        return v.exposures == 0 ? 0.0 : static_cast<double>(v.sharers) / static_cast<double>(v.exposures);
    case 1:
        return meanOf(v.registrationsPerUser);
    case 2:
        return meanOf(v.ordersPerUser);
    case 3:
        return meanOf(v.gmvPerUser);
    case 4:
        return meanOf(v.costPerUser);
    case 5:
        return meanOf(v.roiPer1000);
    default:
        return ratioOf(v.gmvPerCost);
    }
}

const char *testOf(std::size_t metric)
{
    return metric == 0 ? "two_proportion_z" : metric == 6 ? "delta_ratio" : "welch_t";
}

} // namespace

Results computeResults(const std::vector<VariantInput> &variants, IntervalKind kind, double tuningN)
{
    Results out;
    std::int64_t total = 0;
    for (const VariantInput &v : variants)
        total += v.totals.exposures;
    std::vector<std::int64_t> observed;
    std::vector<double> weights;
    for (const VariantInput &v : variants) {
        VariantResult r;
        r.key = v.key;
        r.name = v.name;
        r.weightBp = v.weightBp;
        r.totals = v.totals;
        r.exposureShare = total == 0 ? 0.0 : static_cast<double>(v.totals.exposures) / static_cast<double>(total);
        r.shareRate = valueOf(0, v.totals);
        r.roiPer1000 = v.totals.exposures == 0
                           ? 0.0
                           : static_cast<double>(v.totals.gmvMinor - v.totals.subsidyMinor - v.totals.commissionMinor) /
                                 static_cast<double>(v.totals.exposures) * 1000.0;
        out.variants.push_back(std::move(r));
        observed.push_back(v.totals.exposures);
        weights.push_back(static_cast<double>(v.weightBp));
    }
    if (variants.empty())
        return out;
    const VariantTotals &control = variants.front().totals;
    constexpr std::size_t kMetricCount = std::size(kMetrics);
    for (std::size_t i = 1; i < variants.size(); ++i) {
        const VariantTotals &treatment = variants[i].totals;
        for (std::size_t m = 0; m < kMetricCount; ++m) {
            Difference d;
            d.metric = kMetrics[m];
            d.test = testOf(m);
            d.control = valueOf(m, control);
            d.variant = valueOf(m, treatment);
            d.difference = d.variant - d.control;
            Result<Comparison> fixed = fixedComparison(m, control, treatment);
            if (fixed.ok() && kind == IntervalKind::Sequential)
                fixed = sequential(fixed.value(), control.exposures + treatment.exposures, 0.05, tuningN);
            if (fixed.ok()) {
                d.difference = fixed.value().difference;
                d.lower = fixed.value().lower;
                d.upper = fixed.value().upper;
                d.pValue = fixed.value().pValue;
            } else {
                d.insufficientData = true;
                d.lower = d.upper = d.difference;
                d.pValue = 1.0;
            }
            out.variants[i].differences.push_back(std::move(d));
        }
    }
    // Holm over the variants compared with control, per metric.
    for (std::size_t m = 0; m < kMetricCount && variants.size() > 1; ++m) {
        std::vector<double> ps;
        for (std::size_t i = 1; i < variants.size(); ++i)
            ps.push_back(out.variants[i].differences[m].pValue);
        const auto adjusted = holm(ps);
        for (std::size_t i = 1; i < variants.size(); ++i) {
            Difference &d = out.variants[i].differences[m];
            d.adjustedPValue = adjusted.ok() ? adjusted.value()[i - 1] : d.pValue;
            const bool excludesZero = !d.insufficientData && (d.lower > 0.0 || d.upper < 0.0);
            // Holm-corrected in both views: with several treatments an interval alone
            // would count each comparison at 5 % on its own.
            d.significant = excludesZero && d.adjustedPValue < 0.05;
        }
    }
    const auto srm = sampleRatioMismatch(observed, weights);
    if (srm.ok()) {
        out.srmChiSquare = srm.value().chiSquared;
        out.srmPValue = srm.value().pValue;
        out.srmMismatch = srm.value().status == SrmStatus::Mismatch;
    }
    return out;
}

} // namespace flywheel::experiments
