#pragma once

#include "domain/experiments/Statistics.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flywheel::experiments {

/// What one exposed user did after their exposure (counted only while the experiment
/// runs). Money in minor units.
struct Outcome {
    std::int64_t shares = 0;
    std::int64_t registrations = 0;
    std::int64_t orders = 0;
    std::int64_t gmvMinor = 0;
    std::int64_t subsidyMinor = 0;
    std::int64_t commissionMinor = 0;

    bool operator==(const Outcome &) const = default;
    std::int64_t costMinor() const { return subsidyMinor + commissionMinor; }
};

/// One variant's users reduced to sums: counts, and per metric Σx and Σx² over the
/// exposed users (each user is one unit and one exposure).
struct VariantTotals {
    std::int64_t exposures = 0;
    std::int64_t sharers = 0;
    std::int64_t shares = 0;
    std::int64_t registrations = 0;
    std::int64_t orders = 0;
    std::int64_t gmvMinor = 0;
    std::int64_t subsidyMinor = 0;
    std::int64_t commissionMinor = 0;
    MeanSummary registrationsPerUser;
    MeanSummary ordersPerUser;
    MeanSummary gmvPerUser;
    MeanSummary costPerUser;
    /// (GMV − cost) × 1000 per user: its mean is ROI per 1,000 exposures.
    MeanSummary roiPer1000;
    /// m = GMV, d = cost per user: Σm/Σd is GMV per unit of cost.
    RatioSummary gmvPerCost;

    void add(const Outcome &user);
};

struct VariantInput {
    std::string key;
    std::string name;
    std::int32_t weightBp = 0;
    VariantTotals totals;
};

/// One metric of a variant against control (see ExperimentResults in experiments.proto).
struct Difference {
    std::string metric;
    std::string test;
    double control = 0.0;
    double variant = 0.0;
    double difference = 0.0;
    double lower = 0.0;
    double upper = 0.0;
    double pValue = 1.0;
    double adjustedPValue = 1.0;
    bool significant = false;
    bool insufficientData = false;
};

struct VariantResult {
    std::string key;
    std::string name;
    std::int32_t weightBp = 0;
    VariantTotals totals;
    double exposureShare = 0.0;
    double shareRate = 0.0;
    double roiPer1000 = 0.0;
    /// Empty for the control.
    std::vector<Difference> differences;
};

struct Results {
    std::vector<VariantResult> variants;
    double srmChiSquare = 0.0;
    double srmPValue = 1.0;
    bool srmMismatch = false;
};

/// The metrics compared, in this order, with their tests.
inline constexpr const char *kMetrics[] = {"share_rate",        "registrations_per_exposure",
                                           "orders_per_exposure", "gmv_per_exposure",
                                           "cost_per_exposure", "roi_per_1000",
                                           "gmv_per_cost"};

/// The results of an experiment's variants (the first is the control): each metric of
/// each other variant against control with its test (two-proportion z for the share
/// rate, Welch's t for per-exposure means, the delta method for GMV per cost), the
/// interval of `kind` at 95 % (sequential: GrowthBook's confidence sequence with N* =
/// `tuningN`), Holm-adjusted p-values over the variants per metric, and the SRM check
/// of exposures against the weights (mismatch at p < 0.001).
Results computeResults(const std::vector<VariantInput> &variants, IntervalKind kind, double tuningN = 5000.0);

} // namespace flywheel::experiments
