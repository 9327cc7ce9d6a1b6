#include "services/AuditTrail.h"

#include <exception>
#include <iostream>

namespace flywheel {

grpc::Status AuditTrail::record(audit::Entry change) const
{
    change.at = m_clock.now();
    try {
        m_store.appendAudit(change);
        return grpc::Status::OK;
    } catch (const std::exception &e) {
        const std::string what = "the " + change.area + " change to " + change.object +
                                 " was made but could not be recorded in the audit log: " + e.what();
        std::cerr << "flywheeld: " << what << std::endl;
        return {grpc::StatusCode::INTERNAL, what};
    }
}

grpc::Status AuditTrail::recordVersion(const audit::Actor &actor, const std::string &area, const std::string &object,
                                       const StoredVersion &saved,
                                       const std::function<std::optional<StoredVersion>(std::int64_t)> &load) const
{
    audit::Entry change;
    change.actor = actor;
    change.area = area;
    change.object = object;
    change.version = saved.version;
    change.after = saved.yaml;
    change.reason = saved.reason;
    if (saved.version > 1) {
        try {
            if (const std::optional<StoredVersion> before = load(saved.version - 1))
                change.before = before->yaml;
        } catch (const std::exception &e) {
            const std::string what = "the " + area + " change to " + object + " version " +
                                     std::to_string(saved.version) +
                                     " was made but could not be recorded in the audit log: reading version " +
                                     std::to_string(saved.version - 1) + " failed: " + e.what();
            std::cerr << "flywheeld: " << what << std::endl;
            return {grpc::StatusCode::INTERNAL, what};
        }
    }
    return record(std::move(change));
}

} // namespace flywheel
