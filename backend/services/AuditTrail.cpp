#include "services/AuditTrail.h"

#include "common/Log.h"

#include <exception>
#include <string>

namespace flywheel {

grpc::Status AuditTrail::record(audit::Entry change) const
{
    std::vector<audit::Entry> changes;
    changes.push_back(std::move(change));
    return recordAll(std::move(changes));
}

grpc::Status AuditTrail::recordAll(std::vector<audit::Entry> changes) const
{
    if (changes.empty())
        return grpc::Status::OK;
    const TimePoint now = m_clock.now();
    for (audit::Entry &change : changes)
        change.at = now;
    try {
        m_store.appendAudits(changes);
        return grpc::Status::OK;
    } catch (const std::exception &e) {
        const std::string what = "the " + changes.front().area + " change to " + changes.front().object +
                                 (changes.size() > 1 ? " and " + std::to_string(changes.size() - 1) + " more" : "") +
                                 " was made but could not be recorded in the audit log: " + e.what();
        common::Log::error(what);
        return {grpc::StatusCode::INTERNAL, what};
    }
}

} // namespace flywheel
