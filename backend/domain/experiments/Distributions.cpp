#include "domain/experiments/Distributions.h"

#include <cmath>
#include <limits>
#include <numbers>

namespace flywheel::experiments {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kEps = 1e-16;
constexpr double kTiny = 1e-300;
constexpr int kMaxIterations = 100'000;

/// The continued fraction of I_x(a, b) (modified Lentz), without the prefactor.
double betaContinuedFraction(double a, double b, double x)
{
    const double qab = a + b;
    const double qap = a + 1.0;
    const double qam = a - 1.0;
    double c = 1.0;
    double d = 1.0 - qab * x / qap;
    if (std::fabs(d) < kTiny)
        d = kTiny;
    d = 1.0 / d;
    double h = d;
    for (int m = 1; m <= kMaxIterations; ++m) {
        const double m2 = 2.0 * m;
        double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if (std::fabs(d) < kTiny)
            d = kTiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < kTiny)
            c = kTiny;
        d = 1.0 / d;
        h *= d * c;
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if (std::fabs(d) < kTiny)
            d = kTiny;
        c = 1.0 + aa / c;
        if (std::fabs(c) < kTiny)
            c = kTiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1.0) < kEps)
            return h;
    }
    return kNaN;
}

double lowerGammaSeries(double a, double x)
{
    double term = 1.0 / a;
    double sum = term;
    for (int n = 1; n <= kMaxIterations; ++n) {
        term *= x / (a + n);
        sum += term;
        if (std::fabs(term) < std::fabs(sum) * kEps)
            return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
    }
    return kNaN;
}

double upperGammaFraction(double a, double x)
{
    double b = x + 1.0 - a;
    double c = 1.0 / kTiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i <= kMaxIterations; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = an * d + b;
        if (std::fabs(d) < kTiny)
            d = kTiny;
        c = b + an / c;
        if (std::fabs(c) < kTiny)
            c = kTiny;
        d = 1.0 / d;
        const double delta = d * c;
        h *= delta;
        if (std::fabs(delta - 1.0) < kEps)
            return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
    }
    return kNaN;
}

} // namespace

double normalCdf(double x)
{
    return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double normalQuantile(double p)
{
    if (!(p > 0.0 && p < 1.0))
        return kNaN;
    // Acklam's coefficients (relative error below 1.15e-9 before refinement).
    static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                   1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                   6.680131188771972e+01, -1.328068155288572e+01};
    static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                   -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                   3.754408661907416e+00};
    constexpr double low = 0.02425;
    double x = 0.0;
    if (p < low) {
        const double q = std::sqrt(-2.0 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    } else if (p <= 1.0 - low) {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
    } else {
        const double q = std::sqrt(-2.0 * std::log(1.0 - p));
        x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
    }
    // One Halley step against the exact CDF.
    const double e = normalCdf(x) - p;
    const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
    return x - u / (1.0 + x * u / 2.0);
}

double incompleteBeta(double a, double b, double x)
{
    if (!(a > 0.0 && b > 0.0 && x >= 0.0 && x <= 1.0))
        return kNaN;
    if (x == 0.0 || x == 1.0)
        return x;
    const double logFront = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
    const double front = std::exp(logFront);
    if (x < (a + 1.0) / (a + b + 2.0))
        return front * betaContinuedFraction(a, b, x) / a;
    return 1.0 - front * betaContinuedFraction(b, a, 1.0 - x) / b;
}

double upperIncompleteGamma(double a, double x)
{
    if (!(a > 0.0 && x >= 0.0))
        return kNaN;
    if (x == 0.0)
        return 1.0;
    if (x < a + 1.0)
        return 1.0 - lowerGammaSeries(a, x);
    return upperGammaFraction(a, x);
}

double studentTTwoSidedP(double t, double df)
{
    if (!(df > 0.0) || std::isnan(t))
        return kNaN;
    if (std::isinf(df))
        return std::erfc(std::fabs(t) / std::sqrt(2.0));
    if (std::isinf(t))
        return 0.0;
    return incompleteBeta(df / 2.0, 0.5, df / (df + t * t));
}

double studentTCdf(double t, double df)
{
    const double twoSided = studentTTwoSidedP(t, df);
    return t >= 0.0 ? 1.0 - twoSided / 2.0 : twoSided / 2.0;
}

double studentTQuantile(double p, double df)
{
    if (!(p > 0.0 && p < 1.0 && df > 0.0))
        return kNaN;
    if (std::isinf(df))
        return normalQuantile(p);
    if (p == 0.5)
        return 0.0;
    if (p < 0.5)
        return -studentTQuantile(1.0 - p, df);
    // Bracket [0, hi] with F(hi) ≥ p, then bisect until the bracket cannot shrink.
    double lo = 0.0;
    double hi = 1.0;
    while (studentTCdf(hi, df) < p) {
        lo = hi;
        hi *= 2.0;
        if (hi > 1e300)
            return kNaN;
    }
    for (int i = 0; i < 200; ++i) {
        const double mid = lo + (hi - lo) / 2.0;
        if (mid <= lo || mid >= hi)
            break;
        if (studentTCdf(mid, df) < p)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2.0;
}

double chiSquaredSf(double x, double df)
{
    if (!(df > 0.0) || std::isnan(x))
        return kNaN;
    if (x <= 0.0)
        return 1.0;
    return upperIncompleteGamma(df / 2.0, x / 2.0);
}

} // namespace flywheel::experiments
