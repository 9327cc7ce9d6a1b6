#pragma once

#include "domain/audit/Entry.h"
#include "storage/StoreCommon.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flywheel {

/// What DocumentStore::appendDocumentVersion did.
struct DocumentAppend {
    /// Stored: `stored` (and `entry`, when audited) hold what was written.
    /// Stale: the newest version was not the expected base; nothing was written.
    enum class Outcome { Stored, Stale };
    Outcome outcome = Outcome::Stale;
    StoredVersion stored;
    /// The sealed audit entry; seq 0 when the version was not audited.
    audit::Entry entry;
    /// The newest live version the store holds after the call (stored.version of a
    /// live save, the version that made the base stale, or the unchanged live
    /// version after a candidate).
    std::int64_t newest = 0;
};

/// The versions of the documents operators edit (pricing rule sets, segment sets,
/// referral programmes, ...), one history per area, and their audit entries.
///
/// The write is guarded: appendDocumentVersion inserts the next version (one more than
/// the highest stored) only when the area's newest live version is `base` (a candidate
/// is not guarded, see below), and appends the audit entry of the change
/// in the same transaction, so a version and its audit entry are stored together
/// or not at all. A store on a server database enforces the same with
/// PRIMARY KEY (version) on the version table and one transaction for both rows.
///
/// A version may be a candidate (StoredVersion::candidate, column `candidate`):
/// stored, audited and listed like any other, numbered in the same sequence, but
/// never in force. "The newest" below always means the newest LIVE version (the
/// highest number with candidate = 0); candidates are not guarded by a base.
class DocumentStore : public virtual StoreArea {
public:
    /// Stores `version` (its yaml, reason, source, createdAt and candidate flag; its
    /// number is filled in) as the next version of `area` (one more than the highest
    /// stored, live or candidate) when `base` is the newest live version (0: the
    /// area has none). A candidate is stored whatever `base` is. With `audit`,
    /// appends it to the audit log in the same transaction, with version = the new
    /// version, before = the yaml of the newest live version (empty for the first)
    /// and after = the new yaml. A stale base is an outcome,
    /// not an exception. Throws StorageError (then nothing was written), also for an
    /// area the store does not know.
    virtual DocumentAppend appendDocumentVersion(const std::string &area, std::int64_t base,
                                                 const StoredVersion &version,
                                                 const std::optional<audit::Entry> &audit) = 0;
    /// One version of `area` (live or candidate); 0 for the newest live one. nullopt
    /// when there is none.
    virtual std::optional<StoredVersion> documentVersion(const std::string &area, std::int64_t version) = 0;
    /// The newest `limit` versions of `area`, candidates included, newest first.
    virtual std::vector<StoredVersion> documentVersions(const std::string &area, int limit) = 0;
};

} // namespace flywheel
