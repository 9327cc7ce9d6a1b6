#include "versioning/Document.h"

#include "domain/ChangeReason.h"

namespace flywheel::versioning {

Document::Document(DocumentStore &store, const Clock &clock, DocumentSpec spec)
    : m_store(store), m_clock(clock), m_spec(std::move(spec))
{}

StoredVersion Document::current() const
{
    const std::lock_guard lock(m_currentMutex);
    return m_current;
}

std::optional<StoredVersion> Document::version(std::int64_t version) const
{
    return m_store.documentVersion(m_spec.area, version);
}

std::vector<StoredVersion> Document::versions(int limit) const
{
    return m_store.documentVersions(m_spec.area, limit);
}

void Document::setReadOnly(std::string why)
{
    const std::lock_guard lock(m_currentMutex);
    m_readOnly = std::move(why);
}

std::optional<Error> Document::refusal(const std::string &reason) const
{
    {
        const std::lock_guard lock(m_currentMutex);
        if (!m_readOnly.empty())
            return Error{ErrorCode::FailedPrecondition, m_readOnly};
    }
    return checkChangeReason(reason, m_spec.change);
}

void Document::loaded(const StoredVersion &stored)
{
    const std::lock_guard lock(m_currentMutex);
    m_current = stored;
}

std::string Document::where(std::int64_t version) const
{
    return m_spec.object + " version " + std::to_string(version);
}

Result<StoredVersion> Document::target(std::int64_t toVersion) const
{
    std::optional<StoredVersion> found;
    try {
        found = toVersion > 0 ? version(toVersion) : std::nullopt;
    } catch (const StorageError &e) {
        return Error{ErrorCode::Unavailable, "the " + m_spec.object + " versions could not be read: " + e.what()};
    }
    if (!found)
        return Error{ErrorCode::NotFound, "there is no " + where(toVersion)};
    return *std::move(found);
}

Result<StoredVersion> Document::commit(std::optional<std::int64_t> base, std::string yaml, std::string reason,
                                       std::string source, const std::optional<audit::Actor> &actor,
                                       const std::function<void(const StoredVersion &)> &install)
{
    const std::lock_guard lock(m_commitMutex);
    const std::int64_t expected = base ? *base : currentVersion();
    const TimePoint now = m_clock.now();
    const std::optional<audit::Entry> draft = actor ? std::optional(entry(*actor, reason, now)) : std::nullopt;
    Result<DocumentAppend> appended =
        append(expected, StoredVersion{0, std::move(yaml), std::move(reason), std::move(source), now}, draft);
    if (!appended.ok())
        return appended.error();
    if (appended.value().outcome == DocumentAppend::Outcome::Stale)
        return Error{ErrorCode::Aborted, m_spec.stale(expected, appended.value().newest)};
    install(appended.value().stored);
    loaded(appended.value().stored);
    return std::move(appended).value().stored;
}

Result<StoredVersion> Document::commitCandidate(std::string yaml, std::string reason, const audit::Actor &actor)
{
    const std::lock_guard lock(m_commitMutex);
    // The audit entry says what it is: nothing in force changed.
    const TimePoint now = m_clock.now();
    const audit::Entry draft = entry(actor, reason + " (saved as candidate, not in force)", now);
    StoredVersion version{0, std::move(yaml), std::move(reason), "console", now};
    version.candidate = true;
    Result<DocumentAppend> appended = append(currentVersion(), std::move(version), draft);
    if (!appended.ok())
        return appended.error();
    // Never stale (a candidate is not guarded by a base), never installed, never current.
    return std::move(appended).value().stored;
}

audit::Entry Document::entry(const audit::Actor &actor, std::string reason, TimePoint at) const
{
    audit::Entry draft;
    draft.at = at;
    draft.actor = actor;
    draft.area = m_spec.area;
    draft.object = m_spec.object;
    draft.reason = std::move(reason);
    return draft;
}

Result<DocumentAppend> Document::append(std::int64_t base, StoredVersion version,
                                        const std::optional<audit::Entry> &draft)
{
    try {
        return m_store.appendDocumentVersion(m_spec.area, base, version, draft);
    } catch (const StorageError &e) {
        return Error{ErrorCode::Unavailable, "the " + m_spec.object + " could not be saved: " + e.what()};
    }
}

} // namespace flywheel::versioning
