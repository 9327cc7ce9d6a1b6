#pragma once

#include "domain/audit/Entry.h"
#include "domain/Clock.h"
#include "storage/AuditStore.h"
#include "storage/StoreCommon.h"

#include <grpcpp/support/status.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace flywheel {

/// Appends operator changes made through the admin API to the audit log. Call it
/// after the change is stored, and only if it was.
class AuditTrail final {
public:
    AuditTrail(AuditStore &store, const Clock &clock) : m_store(store), m_clock(clock) {}

    /// Appends `change` (its time set from the clock). OK when appended; when the
    /// append fails, logs it to stderr and returns INTERNAL saying that the change
    /// was made but not recorded, for the RPC to answer with.
    grpc::Status record(audit::Entry change) const;
    /// The same for the changes of one call, in one transaction (one sync).
    grpc::Status recordAll(std::vector<audit::Entry> changes) const;
    /// Records `saved`, a new version of a versioned set (area "pricing", object
    /// "rule set", ...): after = its YAML, before = the YAML of the version before
    /// it, read with `load` (none for version 1), reason = the stored reason.
    grpc::Status recordVersion(const audit::Actor &actor, const std::string &area, const std::string &object,
                               const StoredVersion &saved,
                               const std::function<std::optional<StoredVersion>(std::int64_t)> &load) const;

private:
    AuditStore &m_store;
    const Clock &m_clock;
};

} // namespace flywheel
