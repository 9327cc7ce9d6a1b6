#pragma once

#include "domain/Result.h"

#include <cstdint>
#include <vector>

namespace flywheel::experiments {

/// The statistics behind an experiment's results (docs/experiments.md). Every function is a
/// closed form of per-variant sums, so the accumulators merge across shards and days. Money
/// enters the accumulators in integer minor units and becomes double only here.
/// Refusals: InvalidArgument for impossible input (negative counts, α outside (0, 1));
/// FailedPrecondition when the data cannot support the test yet (too few units, zero
/// variance, a zero control mean for a relative lift). No function returns NaN.

/// A mean metric: n units, Σx, Σx².
struct MeanSummary {
    std::int64_t n = 0;
    double sum = 0.0;
    double sumSquares = 0.0;

    void add(double x);
    /// For a value in minor units (revenue per exposure in fen).
    void addMinorUnits(std::int64_t x) { add(static_cast<double>(x)); }
};

/// A proportion: n units, of which `successes` converted.
struct ProportionSummary {
    std::int64_t n = 0;
    std::int64_t successes = 0;
};

/// A ratio metric Σm / Σd randomised by a unit (a user) other than the analysis unit: per unit
/// n, Σm, Σm², Σd, Σd², Σmd. ROI per exposure: m = GMV − cost of the user in minor units,
/// d = the user's exposures.
struct RatioSummary {
    std::int64_t n = 0;
    double sumM = 0.0;
    double sumM2 = 0.0;
    double sumD = 0.0;
    double sumD2 = 0.0;
    double sumMD = 0.0;

    void add(double m, double d);
    void addMinorUnits(std::int64_t netMinor, std::int64_t exposures)
    {
        add(static_cast<double>(netMinor), static_cast<double>(exposures));
    }
};

/// One arm reduced to what the tests use: units, the estimate, the per-unit variance σ̂².
struct ArmMoments {
    std::int64_t n = 0;
    double mean = 0.0;
    double variance = 0.0;
};

/// Σx/n and (Σx² − (Σx)²/n)/(n − 1) (0 when n = 1).
Result<ArmMoments> momentsOf(const MeanSummary &summary);
/// p̂ and p̂(1 − p̂) (no n/(n − 1) factor, as GrowthBook).
Result<ArmMoments> momentsOf(const ProportionSummary &summary);
/// Σm/Σd and the delta-method per-unit variance
/// σ_M²/μ_D² + σ_D²μ_M²/μ_D⁴ − 2σ_MD μ_M/μ_D³; the estimate's variance is that over n.
/// `scale` multiplies the ratio (1000 for "per 1,000 exposures").
Result<ArmMoments> momentsOf(const RatioSummary &summary, double scale = 1.0);

/// Absolute: μ_T − μ_C. Relative: (μ_T − μ_C)/|μ_C| (the lift, delta-method variance).
enum class Scale { Absolute, Relative };
/// WelchT: Student t with Welch–Satterthwaite df. Z: the normal approximation.
enum class Test { WelchT, Z };
/// Which interval a Comparison carries: fixed-horizon (valid once, at a planned end) or
/// always-valid (a confidence sequence, safe to watch continuously).
enum class IntervalKind { FixedHorizon, Sequential };

struct Options {
    Scale scale = Scale::Absolute;
    Test test = Test::WelchT;
    /// Two-sided; the interval has 1 − α coverage.
    double alpha = 0.05;
};

/// A treatment-versus-control difference with its interval and p-value; significance at α
/// and "the interval excludes 0" always agree because both come from the same estimate.
struct Comparison {
    double difference = 0.0;
    double standardError = 0.0;
    /// t or z.
    double statistic = 0.0;
    /// Welch–Satterthwaite ν; +∞ for a z test.
    double degreesOfFreedom = 0.0;
    double pValue = 1.0;
    double lower = 0.0;
    double upper = 0.0;
    IntervalKind interval = IntervalKind::FixedHorizon;
};

/// The core test on two arms' moments. Needs n ≥ 2 per arm and a positive standard error.
Result<Comparison> compare(const ArmMoments &control, const ArmMoments &treatment, const Options &options = {});

/// Welch's t test for per-unit means (revenue per exposure).
Result<Comparison> welchTTest(const MeanSummary &control, const MeanSummary &treatment, Scale scale = Scale::Absolute,
                              double alpha = 0.05);

/// The classic two-proportion z test on the absolute difference: the interval and p-value
/// use the unpooled standard error (so they agree); the pooled z and its p-value, the
/// textbook test of equal rates (= the 2×2 χ²), come alongside.
struct TwoProportionTest {
    Comparison unpooled;
    double pooledStandardError = 0.0;
    double pooledZ = 0.0;
    double pooledPValue = 1.0;
};
Result<TwoProportionTest> twoProportionZTest(const ProportionSummary &control, const ProportionSummary &treatment,
                                             double alpha = 0.05);

/// A ratio metric compared by the delta method (Welch df over per-unit variances);
/// `scale` = 1000 gives ROI per 1,000 exposures.
Result<Comparison> compareRatios(const RatioSummary &control, const RatioSummary &treatment,
                                 const Options &options = {}, double scale = 1.0);

/// GrowthBook's asymptotic confidence sequence (Waudby-Smith et al.), the always-valid
/// interval for the live view. With N = n_C + n_T, s² = SE²·N and
/// ρ = √((−2 ln α + ln(−2 ln α + 1))/N*): half-width = s·√(2(Nρ² + 1) ln(√(Nρ² + 1)/α)/(N²ρ²)),
/// p = min(1, 1/e) with e = exp(ρ²·st²/(2(Nρ² + 1)))/√(Nρ² + 1), st² = Δ²N/SE².
/// `tuningN` (N*) is the expected total sample of the pair at decision time (default 5000).
Result<Comparison> sequential(const Comparison &fixedHorizon, std::int64_t totalUnits, double alpha = 0.05,
                              double tuningN = 5000.0);

/// The health of an experiment's split.
enum class SrmStatus { NotEnoughTraffic, Healthy, Mismatch };
struct SrmCheck {
    double chiSquared = 0.0;
    int degreesOfFreedom = 0;
    double pValue = 1.0;
    SrmStatus status = SrmStatus::NotEnoughTraffic;
};
/// Chi-squared goodness of fit of the unique assigned users per variant against the
/// weights: e_i = w_i/Σw · Σo; variants with weight 0 are left out (as GrowthBook). Not
/// enough traffic below `minPerVariant` × variants users; a mismatch at p < `threshold`.
Result<SrmCheck> sampleRatioMismatch(const std::vector<std::int64_t> &observed, const std::vector<double> &weights,
                                     double threshold = 0.001, std::int64_t minPerVariant = 8);

/// Holm–Bonferroni adjusted p-values (family-wise error), in the input order.
Result<std::vector<double>> holm(const std::vector<double> &pValues);
/// Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order.
Result<std::vector<double>> benjaminiHochberg(const std::vector<double> &pValues);

} // namespace flywheel::experiments
