#pragma once

#include "domain/audit/Entry.h"
#include "domain/Clock.h"
#include "storage/AuditStore.h"

#include <grpcpp/support/status.h>

#include <string>
#include <vector>

namespace flywheel {

/// Appends operator changes made through the admin API to the audit log. Call it
/// after the change is stored, and only if it was. (New versions of versioned
/// documents are not recorded here: versioning::Document stores each with its
/// audit entry in one transaction.)
class AuditTrail final {
public:
    AuditTrail(AuditStore &store, const Clock &clock) : m_store(store), m_clock(clock) {}

    /// Appends `change` (its time set from the clock). OK when appended; when the
    /// append fails, logs it to stderr and returns INTERNAL saying that the change
    /// was made but not recorded, for the RPC to answer with.
    grpc::Status record(audit::Entry change) const;
    /// The same for the changes of one call, in one transaction (one sync).
    grpc::Status recordAll(std::vector<audit::Entry> changes) const;

private:
    AuditStore &m_store;
    const Clock &m_clock;
};

} // namespace flywheel
