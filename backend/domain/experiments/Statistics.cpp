#include "domain/experiments/Statistics.h"

#include "domain/experiments/Distributions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>

namespace flywheel::experiments {

namespace {

Error invalid(std::string message)
{
    return Error{ErrorCode::InvalidArgument, std::move(message)};
}

Error notYet(std::string message)
{
    return Error{ErrorCode::FailedPrecondition, std::move(message)};
}

std::optional<Error> checkAlpha(double alpha)
{
    if (!(alpha > 0.0 && alpha < 1.0))
        return invalid("alpha must be between 0 and 1 (exclusive), not " + std::to_string(alpha));
    return std::nullopt;
}

std::optional<Error> checkUnits(std::int64_t n)
{
    if (n < 0)
        return invalid("a unit count must not be negative, not " + std::to_string(n));
    if (n == 0)
        return notYet("an arm has no units (exposures) yet");
    return std::nullopt;
}

bool finite(double x)
{
    return std::isfinite(x);
}

} // namespace

void MeanSummary::add(double x)
{
    ++n;
    sum += x;
    sumSquares += x * x;
}

void RatioSummary::add(double m, double d)
{
    ++n;
    sumM += m;
    sumM2 += m * m;
    sumD += d;
    sumD2 += d * d;
    sumMD += m * d;
}

Result<ArmMoments> momentsOf(const MeanSummary &s)
{
    if (auto e = checkUnits(s.n))
        return *e;
    if (!finite(s.sum) || !finite(s.sumSquares))
        return invalid("the sums of a mean metric must be finite numbers");
    const auto n = static_cast<double>(s.n);
    const double variance = s.n <= 1 ? 0.0 : std::max(0.0, (s.sumSquares - s.sum * s.sum / n) / (n - 1.0));
    return ArmMoments{s.n, s.sum / n, variance};
}

Result<ArmMoments> momentsOf(const ProportionSummary &s)
{
    if (auto e = checkUnits(s.n))
        return *e;
    if (s.successes < 0 || s.successes > s.n)
        return invalid("successes must be from 0 to the unit count " + std::to_string(s.n) + ", not " +
                       std::to_string(s.successes));
    const double p = static_cast<double>(s.successes) / static_cast<double>(s.n);
    return ArmMoments{s.n, p, p * (1.0 - p)};
}

Result<ArmMoments> momentsOf(const RatioSummary &s, double scale)
{
    if (auto e = checkUnits(s.n))
        return *e;
    if (!(finite(scale) && scale > 0.0))
        return invalid("a ratio's scale must be a positive number, not " + std::to_string(scale));
    if (!finite(s.sumM) || !finite(s.sumM2) || !finite(s.sumD) || !finite(s.sumD2) || !finite(s.sumMD))
        return invalid("the sums of a ratio metric must be finite numbers");
    if (s.sumD == 0.0)
        return notYet("a ratio's denominator sums to zero (no exposures yet)");
    const auto n = static_cast<double>(s.n);
    const double muM = s.sumM / n;
    const double muD = s.sumD / n;
    double variance = 0.0;
    if (s.n > 1) {
        const double varM = (s.sumM2 - s.sumM * s.sumM / n) / (n - 1.0);
        const double varD = (s.sumD2 - s.sumD * s.sumD / n) / (n - 1.0);
        const double covMD = (s.sumMD - s.sumM * s.sumD / n) / (n - 1.0);
        variance = varM / (muD * muD) + varD * muM * muM / std::pow(muD, 4) - 2.0 * covMD * muM / std::pow(muD, 3);
        variance = std::max(0.0, variance);
    }
    return ArmMoments{s.n, scale * muM / muD, scale * scale * variance};
}

Result<Comparison> compare(const ArmMoments &c, const ArmMoments &t, const Options &options)
{
    if (auto e = checkAlpha(options.alpha))
        return *e;
    for (const ArmMoments *arm : {&c, &t}) {
        if (arm->n < 0)
            return invalid("a unit count must not be negative, not " + std::to_string(arm->n));
        if (arm->n < 2)
            return notYet("each arm needs at least 2 units for a test, one has " + std::to_string(arm->n));
        if (!finite(arm->mean) || !finite(arm->variance) || arm->variance < 0.0)
            return invalid("an arm's mean and variance must be finite and the variance not negative");
    }
    const auto nC = static_cast<double>(c.n);
    const auto nT = static_cast<double>(t.n);
    const double vC = c.variance / nC; // variance of each arm's estimate
    const double vT = t.variance / nT;
    if (vC + vT <= 0.0)
        return notYet("both arms have zero variance, so the difference has no standard error");

    Comparison out;
    if (options.scale == Scale::Absolute) {
        out.difference = t.mean - c.mean;
        out.standardError = std::sqrt(vC + vT);
    } else {
        if (c.mean == 0.0)
            return notYet("the control mean is 0, so a relative lift is undefined");
        const double muC = std::fabs(c.mean);
        out.difference = (t.mean - c.mean) / muC;
        out.standardError = std::sqrt(vT / (muC * muC) + vC * t.mean * t.mean / std::pow(muC, 4));
    }
    if (options.test == Test::Z) {
        out.degreesOfFreedom = std::numeric_limits<double>::infinity();
    } else {
        // Welch–Satterthwaite, on the per-unit variances for both scales.
        out.degreesOfFreedom = (vC + vT) * (vC + vT) / (vC * vC / (nC - 1.0) + vT * vT / (nT - 1.0));
    }
    out.statistic = out.difference / out.standardError;
    out.pValue = std::min(1.0, studentTTwoSidedP(out.statistic, out.degreesOfFreedom));
    const double critical = studentTQuantile(1.0 - options.alpha / 2.0, out.degreesOfFreedom);
    out.lower = out.difference - critical * out.standardError;
    out.upper = out.difference + critical * out.standardError;
    if (!finite(out.pValue) || !finite(out.lower) || !finite(out.upper))
        return Error{ErrorCode::Internal, "the test produced a non-finite result"};
    return out;
}

Result<Comparison> welchTTest(const MeanSummary &control, const MeanSummary &treatment, Scale scale, double alpha)
{
    auto c = momentsOf(control);
    if (!c.ok())
        return c.error();
    auto t = momentsOf(treatment);
    if (!t.ok())
        return t.error();
    return compare(c.value(), t.value(), Options{scale, Test::WelchT, alpha});
}

Result<TwoProportionTest> twoProportionZTest(const ProportionSummary &control, const ProportionSummary &treatment,
                                             double alpha)
{
    auto c = momentsOf(control);
    if (!c.ok())
        return c.error();
    auto t = momentsOf(treatment);
    if (!t.ok())
        return t.error();
    auto unpooled = compare(c.value(), t.value(), Options{Scale::Absolute, Test::Z, alpha});
    if (!unpooled.ok())
        return unpooled.error();
    TwoProportionTest out{unpooled.value()};
    const auto nC = static_cast<double>(control.n);
    const auto nT = static_cast<double>(treatment.n);
    const double pooled = static_cast<double>(control.successes + treatment.successes) / (nC + nT);
    out.pooledStandardError = std::sqrt(pooled * (1.0 - pooled) * (1.0 / nC + 1.0 / nT));
    // The unpooled SE is positive, so some arm converts and some does not: pooled is in (0, 1).
    out.pooledZ = out.unpooled.difference / out.pooledStandardError;
    out.pooledPValue = std::erfc(std::fabs(out.pooledZ) / std::sqrt(2.0));
    return out;
}

Result<Comparison> compareRatios(const RatioSummary &control, const RatioSummary &treatment, const Options &options,
                                 double scale)
{
    auto c = momentsOf(control, scale);
    if (!c.ok())
        return c.error();
    auto t = momentsOf(treatment, scale);
    if (!t.ok())
        return t.error();
    return compare(c.value(), t.value(), options);
}

Result<Comparison> sequential(const Comparison &fixed, std::int64_t totalUnits, double alpha, double tuningN)
{
    if (auto e = checkAlpha(alpha))
        return *e;
    if (totalUnits < 2)
        return notYet("a confidence sequence needs at least 2 units, not " + std::to_string(totalUnits));
    if (!(finite(tuningN) && tuningN > 0.0))
        return invalid("the sequential tuning sample N* must be positive, not " + std::to_string(tuningN));
    if (!(finite(fixed.standardError) && fixed.standardError > 0.0) || !finite(fixed.difference))
        return invalid("the comparison needs a finite difference and a positive standard error");
    const auto n = static_cast<double>(totalUnits);
    const double logAlpha = -2.0 * std::log(alpha);
    const double rho2 = (logAlpha + std::log(logAlpha + 1.0)) / tuningN;
    const double s2 = fixed.standardError * fixed.standardError * n;
    const double grow = n * rho2 + 1.0;
    const double halfWidth = std::sqrt(s2 * 2.0 * grow * std::log(std::sqrt(grow) / alpha) / (n * n * rho2));
    const double st2 = fixed.difference * fixed.difference * n / (fixed.standardError * fixed.standardError);
    const double logE = rho2 * st2 / (2.0 * grow) - 0.5 * std::log(grow);

    Comparison out = fixed;
    out.interval = IntervalKind::Sequential;
    out.lower = fixed.difference - halfWidth;
    out.upper = fixed.difference + halfWidth;
    out.pValue = logE <= 0.0 ? 1.0 : std::exp(-logE);
    return out;
}

Result<SrmCheck> sampleRatioMismatch(const std::vector<std::int64_t> &observed, const std::vector<double> &weights,
                                     double threshold, std::int64_t minPerVariant)
{
    if (observed.size() != weights.size())
        return invalid("SRM needs one weight per variant: " + std::to_string(observed.size()) + " counts, " +
                       std::to_string(weights.size()) + " weights");
    if (auto e = checkAlpha(threshold))
        return Error{ErrorCode::InvalidArgument, "SRM threshold: " + e->message};
    double weightSum = 0.0;
    std::int64_t total = 0;
    int used = 0;
    for (std::size_t i = 0; i < observed.size(); ++i) {
        if (observed[i] < 0)
            return invalid("variant " + std::to_string(i + 1) + " has a negative user count");
        if (!(finite(weights[i]) && weights[i] >= 0.0))
            return invalid("variant " + std::to_string(i + 1) + " has a negative or non-finite weight");
        if (weights[i] > 0.0) {
            weightSum += weights[i];
            total += observed[i];
            ++used;
        }
    }
    if (used < 2)
        return invalid("SRM needs at least two variants with a positive weight, not " + std::to_string(used));
    SrmCheck out;
    out.degreesOfFreedom = used - 1;
    if (total < minPerVariant * used) {
        out.status = SrmStatus::NotEnoughTraffic;
        return out;
    }
    for (std::size_t i = 0; i < observed.size(); ++i) {
        if (weights[i] <= 0.0)
            continue;
        const double expected = weights[i] / weightSum * static_cast<double>(total);
        const double gap = static_cast<double>(observed[i]) - expected;
        out.chiSquared += gap * gap / expected;
    }
    out.pValue = chiSquaredSf(out.chiSquared, out.degreesOfFreedom);
    out.status = out.pValue < threshold ? SrmStatus::Mismatch : SrmStatus::Healthy;
    return out;
}

namespace {

std::optional<Error> checkPValues(const std::vector<double> &p)
{
    if (p.empty())
        return invalid("no p-values to correct");
    for (const double v : p) {
        if (!(v >= 0.0 && v <= 1.0))
            return invalid("a p-value must be from 0 to 1, not " + std::to_string(v));
    }
    return std::nullopt;
}

std::vector<std::size_t> orderBy(const std::vector<double> &p)
{
    std::vector<std::size_t> order(p.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
    return order;
}

} // namespace

Result<std::vector<double>> holm(const std::vector<double> &p)
{
    if (auto e = checkPValues(p))
        return *e;
    const std::vector<std::size_t> order = orderBy(p);
    const std::size_t m = p.size();
    std::vector<double> adjusted(m);
    double running = 0.0;
    for (std::size_t rank = 0; rank < m; ++rank) {
        running = std::max(running, std::min(1.0, static_cast<double>(m - rank) * p[order[rank]]));
        adjusted[order[rank]] = running;
    }
    return adjusted;
}

Result<std::vector<double>> benjaminiHochberg(const std::vector<double> &p)
{
    if (auto e = checkPValues(p))
        return *e;
    const std::vector<std::size_t> order = orderBy(p);
    const std::size_t m = p.size();
    std::vector<double> adjusted(m);
    double running = 1.0;
    for (std::size_t rank = m; rank-- > 0;) {
        running = std::min(running, static_cast<double>(m) / static_cast<double>(rank + 1) * p[order[rank]]);
        adjusted[order[rank]] = running;
    }
    return adjusted;
}

} // namespace flywheel::experiments
