#pragma once

#include "domain/experiments/Results.h"
#include "storage/DocumentStore.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace flywheel {

/// The DocumentStore area of the experiment set (all experiments and their defaults).
inline constexpr const char *kExperimentsArea = "experiments";

/// What one exposed user did after their exposure, in one experiment.
using ExposureMetrics = experiments::Outcome;

/// A user's first assignment in an experiment, with what they did since.
struct StoredExposure {
    std::string experiment;
    std::int64_t uid = 0;
    std::string variant;
    TimePoint at;
    ExposureMetrics metrics;
};

/// Exposures: one row per (experiment, uid), PRIMARY KEY (experiment, uid), so a
/// user's first variant is kept by the database itself (a second insert is ignored).
class ExperimentStore : public virtual DocumentStore {
public:
    /// In one transaction: inserts `exposures` unless the user already has one in
    /// that experiment (INSERT OR IGNORE: the stored variant never changes), then sets
    /// the metrics of `metrics` on their rows. Returns how many exposures were new.
    /// Throws StorageError (then nothing was written).
    virtual std::int64_t writeExposures(const std::vector<StoredExposure> &exposures,
                                        const std::vector<StoredExposure> &metrics) = 0;
    /// Every stored exposure, in no particular order. Throws StorageError.
    virtual void forEachExposure(const std::function<void(const StoredExposure &)> &row) = 0;
};

} // namespace flywheel
