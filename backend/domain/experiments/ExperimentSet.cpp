#include "domain/experiments/ExperimentSet.h"

#include <set>

namespace flywheel::experiments {

namespace {

Error invalid(std::string message)
{
    return Error{ErrorCode::InvalidArgument, std::move(message)};
}

} // namespace

Design Experiment::design() const
{
    Design d;
    d.salt = salt;
    d.trafficBp = trafficBp;
    for (const VariantSpec &v : variants)
        d.variants.push_back(Variant{v.key, v.weightBp});
    return d;
}

const VariantSpec *Experiment::variant(const std::string &wanted) const
{
    for (const VariantSpec &v : variants)
        if (v.key == wanted)
            return &v;
    return nullptr;
}

const Experiment *ExperimentSet::find(const std::string &key) const
{
    for (const Experiment &e : experiments)
        if (e.key == key)
            return &e;
    return nullptr;
}

Experiment *ExperimentSet::find(const std::string &key)
{
    for (Experiment &e : experiments)
        if (e.key == key)
            return &e;
    return nullptr;
}

const Experiment *ExperimentSet::running(Surface surface) const
{
    for (const Experiment &e : experiments)
        if (e.status == Status::Running && e.surface == surface)
            return &e;
    return nullptr;
}

const char *statusName(Status status)
{
    switch (status) {
    case Status::Draft:
        return "draft";
    case Status::Running:
        return "running";
    case Status::Stopped:
        return "stopped";
    case Status::Shipped:
        return "shipped";
    }
    return "draft";
}

const char *surfaceName(Surface surface)
{
    return surface == Surface::InviteCopy ? "invite_copy" : "first_order_subsidy";
}

bool validKey(const std::string &key)
{
    if (key.empty() || key.size() > 40)
        return false;
    for (const char c : key)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    return true;
}

std::optional<Error> validate(const Experiment &e, const std::string &where)
{
    if (!validKey(e.key))
        return invalid(where + ".key must be 1-40 characters of a-z, 0-9, _ and -, not \"" + e.key + "\"");
    if (e.name.size() > 200)
        return invalid(where + ".name must be at most 200 characters");
    if (e.hypothesis.size() > 2000)
        return invalid(where + ".hypothesis must be at most 2000 characters");
    if (e.salt.empty() || e.salt.size() > 64)
        return invalid(where + ".salt must be 1-64 characters");
    if (e.trafficBp < 1 || e.trafficBp > kBucketCount)
        return invalid(where + ".traffic_bp must be from 1 to 10000, not " + std::to_string(e.trafficBp));
    if (e.minRunHours < 0 || e.minRunHours > kMaxMinRunHours)
        return invalid(where + ".min_run_hours must be from 0 to 720, not " + std::to_string(e.minRunHours));
    if (e.variants.size() < kMinVariants || e.variants.size() > kMaxVariants)
        return invalid(where + ".variants must hold 2 to 10 variants, not " + std::to_string(e.variants.size()));
    std::set<std::string> keys;
    std::int64_t total = 0;
    for (std::size_t i = 0; i < e.variants.size(); ++i) {
        const VariantSpec &v = e.variants[i];
        const std::string at = where + ".variants[" + std::to_string(i) + "]";
        if (!validKey(v.key))
            return invalid(at + ".key must be 1-40 characters of a-z, 0-9, _ and -, not \"" + v.key + "\"");
        if (!keys.insert(v.key).second)
            return invalid(at + ".key \"" + v.key + "\" is used by another variant");
        if (v.name.size() > 200)
            return invalid(at + ".name must be at most 200 characters");
        if (v.weightBp < 0 || v.weightBp > kBucketCount)
            return invalid(at + ".weight_bp must be from 0 to 10000, not " + std::to_string(v.weightBp));
        total += v.weightBp;
        if (e.surface == Surface::InviteCopy) {
            if (v.payload.inviteCopy.empty() || v.payload.inviteCopy.size() > kMaxInviteCopy)
                return invalid(at + ".payload.invite_copy must be 1-200 characters for an invite-copy experiment");
            if (v.payload.subsidyConfigVersion != 0)
                return invalid(at + ".payload.subsidy_config_version must be 0 for an invite-copy experiment");
        } else {
            if (v.payload.subsidyConfigVersion <= 0)
                return invalid(at + ".payload.subsidy_config_version must be a stored subsidy config version (> 0)");
            if (!v.payload.inviteCopy.empty())
                return invalid(at + ".payload.invite_copy must be empty for a first-order subsidy experiment");
        }
    }
    if (total != kBucketCount)
        return invalid(where + ".variants' weight_bp must total 10000, not " + std::to_string(total));
    if (e.status != Status::Draft && e.startedAt == TimePoint{})
        return invalid(where + ".started_at is required once the experiment has run");
    if (e.status == Status::Shipped && e.variant(e.shippedVariant) == nullptr)
        return invalid(where + ".shipped_variant must name one of its variants, not \"" + e.shippedVariant + "\"");
    return std::nullopt;
}

std::optional<Error> validate(const ExperimentSet &set)
{
    if (set.defaults.inviteCopy.empty() || set.defaults.inviteCopy.size() > kMaxInviteCopy)
        return invalid("defaults.invite_copy must be 1-200 characters");
    if (set.defaults.subsidyConfigVersion < 0)
        return invalid("defaults.subsidy_config_version must not be negative");
    std::set<std::string> keys;
    bool running[2] = {false, false};
    for (std::size_t i = 0; i < set.experiments.size(); ++i) {
        const Experiment &e = set.experiments[i];
        const std::string where = "experiments[" + std::to_string(i) + "]";
        if (auto error = validate(e, where))
            return error;
        if (!keys.insert(e.key).second)
            return invalid(where + ".key \"" + e.key + "\" is used by another experiment");
        if (e.status == Status::Running) {
            bool &taken = running[e.surface == Surface::InviteCopy ? 0 : 1];
            if (taken)
                return Error{ErrorCode::FailedPrecondition,
                             where + ": another experiment already runs on the " + surfaceName(e.surface) +
                                 " surface"};
            taken = true;
        }
    }
    return std::nullopt;
}

std::optional<Error> validateRunningChange(const Experiment &current, const Experiment &next)
{
    if (next.salt != current.salt)
        return invalid("experiment.salt cannot change while the experiment runs");
    if (next.surface != current.surface)
        return invalid("experiment.surface cannot change while the experiment runs");
    if (next.variants.size() < current.variants.size())
        return invalid("experiment.variants cannot lose a variant while the experiment runs");
    for (std::size_t i = 0; i < current.variants.size(); ++i) {
        const std::string at = "experiment.variants[" + std::to_string(i) + "]";
        if (next.variants[i].key != current.variants[i].key)
            return invalid(at + ".key cannot change while the experiment runs (was \"" + current.variants[i].key +
                           "\")");
        if (!(next.variants[i].payload == current.variants[i].payload))
            return invalid(at + ".payload cannot change while the experiment runs");
    }
    return std::nullopt;
}

} // namespace flywheel::experiments
