#pragma once

#include "domain/Clock.h"
#include "domain/experiments/Assignment.h"
#include "domain/experiments/VariantChooser.h"
#include "domain/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flywheel::experiments {

enum class Status { Draft, Running, Stopped, Shipped };

/// What a variant gives its users on the experiment's surface.
struct Payload {
    /// Surface::InviteCopy: 1-200 characters.
    std::string inviteCopy;
    /// Surface::FirstOrderSubsidy: a stored subsidy config version (> 0).
    std::int64_t subsidyConfigVersion = 0;

    bool operator==(const Payload &) const = default;
};

struct VariantSpec {
    /// [a-z0-9_-]{1,40}; the first variant is the control.
    std::string key;
    std::string name;
    std::int32_t weightBp = 0;
    Payload payload;

    bool operator==(const VariantSpec &) const = default;
};

struct Experiment {
    std::string key;
    std::string name;
    std::string hypothesis;
    Surface surface = Surface::InviteCopy;
    std::string salt;
    std::int32_t trafficBp = kBucketCount;
    std::vector<VariantSpec> variants;
    Status status = Status::Draft;
    std::int32_t minRunHours = 24;
    TimePoint startedAt;
    TimePoint endedAt;
    std::string shippedVariant;
    /// What was the default on the surface before the ship (restored by a rollback):
    /// the invite copy, or the subsidy config version live before (0: none known).
    std::string inviteCopyBeforeShip;
    std::int64_t subsidyVersionBeforeShip = 0;

    bool operator==(const Experiment &) const = default;
    /// The assignment design of this experiment.
    Design design() const;
    const VariantSpec *variant(const std::string &key) const;
};

/// What users outside any running experiment get.
struct Defaults {
    std::string inviteCopy = "Join me on Flywheel and we both get a reward on your first order.";
    /// The subsidy config version a shipped subsidy variant made live (0: none shipped).
    std::int64_t subsidyConfigVersion = 0;

    bool operator==(const Defaults &) const = default;
};

/// Every experiment and the defaults: the one versioned document of area "experiments".
struct ExperimentSet {
    std::vector<Experiment> experiments;
    Defaults defaults;

    bool operator==(const ExperimentSet &) const = default;
    const Experiment *find(const std::string &key) const;
    Experiment *find(const std::string &key);
    /// The running experiment on `surface`, or nullptr.
    const Experiment *running(Surface surface) const;
};

inline constexpr std::size_t kMaxInviteCopy = 200;
inline constexpr std::int32_t kMaxMinRunHours = 720;
inline constexpr std::size_t kMinVariants = 2;
inline constexpr std::size_t kMaxVariants = 10;

const char *statusName(Status status);
const char *surfaceName(Surface surface);
/// [a-z0-9_-]{1,40}.
bool validKey(const std::string &key);

/// The first thing wrong with one experiment (INVALID_ARGUMENT naming the field, e.g.
/// "experiments[0].variants[1].payload.invite_copy ..."); nullopt when valid.
std::optional<Error> validate(const Experiment &experiment, const std::string &where = "experiment");
/// Each experiment valid, keys unique, at most one running experiment per surface,
/// the default copy 1-200 characters.
std::optional<Error> validate(const ExperimentSet &set);

/// Whether `next` may replace `current` (same key) while `current` runs: only the
/// traffic, the weights, names, hypothesis, minimum run time and new variants may change.
std::optional<Error> validateRunningChange(const Experiment &current, const Experiment &next);

} // namespace flywheel::experiments
