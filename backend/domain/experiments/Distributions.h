#pragma once

namespace flywheel::experiments {

/// The distribution functions the experiment statistics need, in double precision. Arguments
/// outside a function's domain give NaN; callers validate first (Statistics.cpp does).

/// Standard normal CDF Φ(x), via erfc (accurate in both tails).
double normalCdf(double x);
/// Φ⁻¹(p) for 0 < p < 1: Acklam's rational approximation refined by one Halley step.
double normalQuantile(double p);

/// Regularised incomplete beta I_x(a, b), by the Lentz continued fraction (with the symmetry
/// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly).
double incompleteBeta(double a, double b, double x);
/// Regularised upper incomplete gamma Q(a, x): series below x = a + 1, continued fraction above.
double upperIncompleteGamma(double a, double x);

/// Student t with ν > 0 degrees of freedom (ν may be +∞: the normal).
double studentTCdf(double t, double df);
/// P(|T| ≥ |t|), computed directly from I_{ν/(ν+t²)}(ν/2, 1/2) so small p keep their digits.
double studentTTwoSidedP(double t, double df);
/// The t with F(t) = p, 0 < p < 1 (bisection on the CDF to full precision).
double studentTQuantile(double p, double df);

/// Chi-squared survival function P(X ≥ x) with k > 0 degrees of freedom: Q(k/2, x/2).
double chiSquaredSf(double x, double df);

} // namespace flywheel::experiments
