#pragma once

#include "domain/audit/Entry.h"
#include "storage/StoreCommon.h"

#include <cstdint>
#include <string>
#include <vector>

namespace flywheel {

/// Which audit entries to read; empty / default fields do not filter.
struct AuditQuery {
    std::string area;
    std::string actorName;
    /// At or after `from`, before `until`.
    TimePoint from;
    TimePoint until;
    /// Only entries with a smaller seq (paging backwards); 0 for the newest.
    std::int64_t beforeSeq = 0;
    int limit = 100;
};

/// The audit log: append-only, hash-chained entries of operator changes.
class AuditStore : public virtual StoreArea {
public:
    /// Appends `draft` as the next entry: seq = the last seq + 1 and prevHash = the
    /// last entry's hash, read and written in one write transaction, so concurrent
    /// appends (from any thread) keep one linear chain. Fills seq, prevHash and hash
    /// and returns the stored entry; when this returns it survives a crash.
    /// Throws StorageError; then nothing was appended.
    audit::Entry appendAudit(const audit::Entry &draft) { return appendAudits({draft}).front(); }
    /// Appends `drafts` in order as the next entries, in one write transaction
    /// (one sync for the lot: a call that changes many objects, such as a batch of
    /// commission transitions, costs one). All or nothing.
    virtual std::vector<audit::Entry> appendAudits(const std::vector<audit::Entry> &drafts) = 0;
    /// Entries matching `query`, newest first.
    virtual std::vector<audit::Entry> auditEntries(const AuditQuery &query) = 0;
    /// Every entry, by seq: for verification.
    virtual std::vector<audit::Entry> auditChain() = 0;
};

} // namespace flywheel
