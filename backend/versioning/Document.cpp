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
    std::optional<audit::Entry> draft;
    if (actor) {
        draft.emplace();
        draft->at = now;
        draft->actor = *actor;
        draft->area = m_spec.area;
        draft->object = m_spec.object;
        draft->reason = reason;
    }
    DocumentAppend appended;
    try {
        appended = m_store.appendDocumentVersion(
            m_spec.area, expected, StoredVersion{0, std::move(yaml), std::move(reason), std::move(source), now}, draft);
    } catch (const StorageError &e) {
        return Error{ErrorCode::Unavailable, "the " + m_spec.object + " could not be saved: " + e.what()};
    }
    if (appended.outcome == DocumentAppend::Outcome::Stale)
        return Error{ErrorCode::Aborted, m_spec.stale(expected, appended.newest)};
    install(appended.stored);
    loaded(appended.stored);
    return std::move(appended.stored);
}

} // namespace flywheel::versioning
