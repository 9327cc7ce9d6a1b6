#pragma once

#include "domain/audit/Entry.h"
#include "domain/Clock.h"
#include "domain/Result.h"
#include "storage/DocumentStore.h"

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace flywheel::versioning {

/// What an editor declares about its document, besides the codec.
struct DocumentSpec {
    /// The area, as in the audit log and DocumentStore: "pricing", "segments", "referral".
    std::string area;
    /// The object within the area, as in the audit log: "rule set", "segment set", "programme".
    std::string object;
    /// Completes "reason is required: say why ...": "the rules change".
    std::string change;
    /// The refusal of a save from a stale base, given the base and the current version.
    std::function<std::string(std::int64_t base, std::int64_t current)> stale;
    /// Not empty for an area that changes only through its own actions: the audit
    /// log's restore is refused with this (FAILED_PRECONDITION), and its entries are
    /// not offered for restoring.
    std::string restoreRefused = {};
};

/// The type-independent half of a versioned document (see VersionedDocument): its
/// history, the guarded write and restoring an earlier version. This is what the
/// DocumentRegistry and the AuditService see.
///
/// Every change is a new version, appended through DocumentStore together with its
/// audit entry in one transaction, and only when the base the caller started from
/// is still the newest live version. Changes are applied (the editor's install hook)
/// one at a time, in version order.
///
/// A version may also be stored as a candidate (VersionedDocument::saveCandidate):
/// numbered, audited and listed like any save, but not installed and not current;
/// current(), version(0) and open() at start mean the newest live version.
/// Restoring a candidate makes it live as a new version.
class Document {
public:
    virtual ~Document() = default;
    Document(const Document &) = delete;
    Document &operator=(const Document &) = delete;

    const DocumentSpec &spec() const { return m_spec; }
    const std::string &area() const { return m_spec.area; }
    const std::string &object() const { return m_spec.object; }

    /// The version in force and its metadata; version 0 before the first. Never a
    /// candidate (see VersionedDocument::saveCandidate).
    StoredVersion current() const;
    std::int64_t currentVersion() const { return current().version; }
    /// One stored version, live or candidate (0: the newest live one); nullopt when
    /// there is none. Throws StorageError.
    std::optional<StoredVersion> version(std::int64_t version) const;
    /// The newest `limit` versions, candidates included, newest first. Throws StorageError.
    std::vector<StoredVersion> versions(int limit) const;

    /// Refuses console saves and restores with FAILED_PRECONDITION and `why` (e.g.
    /// pricing rules taken from a watched file); empty: editable.
    void setReadOnly(std::string why);

    /// Makes `toVersion` current again as a new version (source "rollback", reason
    /// "<reason> (rollback to version N)"), audited with `actor`. With a base, the
    /// base must still be current (ABORTED otherwise); without, whatever is current
    /// is replaced. NOT_FOUND for a version that does not exist. Restoring a
    /// candidate is how it is made live.
    virtual Result<StoredVersion> restore(std::int64_t toVersion, std::optional<std::int64_t> baseVersion,
                                          const std::string &reason, const audit::Actor &actor) = 0;

protected:
    Document(DocumentStore &store, const Clock &clock, DocumentSpec spec);

    /// Why a console change is refused before anything else: read-only, or the reason.
    std::optional<Error> refusal(const std::string &reason) const;
    /// Stores `yaml` as the next version when `base` is current (nullopt: whatever is
    /// current), with its audit entry when `actor` is given, then calls `install`
    /// with the stored version; all under the document's lock.
    Result<StoredVersion> commit(std::optional<std::int64_t> base, std::string yaml, std::string reason,
                                 std::string source, const std::optional<audit::Actor> &actor,
                                 const std::function<void(const StoredVersion &)> &install);
    /// Stores `yaml` as a candidate: the next version number, audited with `actor`
    /// (the entry's reason ends "(saved as candidate, not in force)"), listed in the
    /// history, but never installed and never current. Not guarded by a base.
    Result<StoredVersion> commitCandidate(std::string yaml, std::string reason, const audit::Actor &actor);
    /// Sets the version in force without storing anything (loading at start).
    void loaded(const StoredVersion &stored);
    /// The stored version `toVersion`, or NOT_FOUND / UNAVAILABLE.
    Result<StoredVersion> target(std::int64_t toVersion) const;
    /// "where" for parse errors: "rule set version 3".
    std::string where(std::int64_t version) const;
    DocumentStore &store() const { return m_store; }

private:
    audit::Entry entry(const audit::Actor &actor, std::string reason, TimePoint at) const;
    /// The store's guarded append; UNAVAILABLE when it throws.
    Result<DocumentAppend> append(std::int64_t base, StoredVersion version, const std::optional<audit::Entry> &draft);

    DocumentStore &m_store;
    const Clock &m_clock;
    const DocumentSpec m_spec;
    /// One change at a time, so versions are installed in their order.
    std::mutex m_commitMutex;
    mutable std::mutex m_currentMutex;
    StoredVersion m_current;
    std::string m_readOnly;
};

} // namespace flywheel::versioning
