#include "services/AuditService.h"

#include "auth/UtcTime.h"
#include "domain/audit/EntryHash.h"
#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"

#include <cstdint>
#include <map>

namespace flywheel {

namespace {

/// Why `t` is not a timestamp this service accepts, naming `field`; empty when it is.
std::string timestampProblem(const google::protobuf::Timestamp &t, const char *field)
{
    if (t.nanos() < 0 || t.nanos() > 999'999'999)
        return std::string(field) + ".nanos must be between 0 and 999999999, got " + std::to_string(t.nanos());
    if (t.seconds() < 0)
        return std::string(field) + " must not be before 1970-01-01T00:00:00Z, got " + std::to_string(t.seconds()) +
               " seconds";
    // The last second protobuf's Timestamp allows; beyond it, seconds * 1000 would overflow.
    constexpr std::int64_t kLastSecond = 253'402'300'799; // 9999-12-31T23:59:59Z
    if (t.seconds() > kLastSecond)
        return std::string(field) + " must not be after 9999-12-31T23:59:59Z (" + std::to_string(kLastSecond) +
               " seconds), got " + std::to_string(t.seconds()) + " seconds";
    return {};
}

void toProto(const audit::Entry &e, bool restorable, v1::AuditEntry *out)
{
    out->set_seq(e.seq);
    convert::toProto(e.at, out->mutable_at());
    out->set_actor_name(e.actor.name);
    out->set_actor_role(e.actor.role);
    out->set_peer(e.actor.peer);
    out->set_area(e.area);
    out->set_object(e.object);
    out->set_version(e.version);
    out->set_before(e.before);
    out->set_after(e.after);
    out->set_reason(e.reason);
    out->set_hash(audit::toHex(e.hash));
    out->set_restorable(restorable);
}

} // namespace

grpc::ServerUnaryReactor *AuditServiceImpl::ListAuditEntries(grpc::CallbackServerContext *context,
                                                             const v1::ListAuditEntriesRequest *request,
                                                             v1::ListAuditEntriesResponse *response)
{
    if (request->limit() < 0 || request->limit() > kMaxLimit)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "limit must be between 1 and " + std::to_string(kMaxLimit) + " (0 means " +
                                      std::to_string(kDefaultLimit) + "), got " + std::to_string(request->limit())});
    if (request->before_seq() < 0)
        return finished(
            context, {grpc::StatusCode::INVALID_ARGUMENT, "before_seq must be 0 (the newest) or a positive seq, got " +
                                                              std::to_string(request->before_seq())});
    for (const auto &[t, field] : {std::pair{&request->from(), "from"}, std::pair{&request->until(), "until"}}) {
        if (const std::string problem = timestampProblem(*t, field); !problem.empty())
            return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, problem});
    }
    AuditQuery query;
    query.area = request->area();
    query.actorName = request->actor_name();
    if (request->has_from())
        query.from = convert::fromProto(request->from());
    if (request->has_until())
        query.until = convert::fromProto(request->until());
    if (request->has_from() && request->has_until() && query.from > query.until)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "from must not be after until: nothing happened between " +
                                      auth::formatUtc(query.from) + " and " + auth::formatUtc(query.until)});
    query.beforeSeq = request->before_seq();
    const int limit = request->limit() == 0 ? kDefaultLimit : request->limit();
    query.limit = limit + 1; // one more, to know whether there is a next page
    std::map<std::string, std::pair<std::string, std::int64_t>> current; // area -> object, version
    for (const versioning::Document *document : m_documents.all()) {
        current[document->area()] = {document->object(), document->currentVersion()};
        (*response->mutable_current_versions())[document->area()] = document->currentVersion();
    }
    std::vector<audit::Entry> entries;
    try {
        entries = m_context.store.audit.auditEntries(query);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
    const bool more = entries.size() > static_cast<std::size_t>(limit);
    if (more)
        entries.resize(static_cast<std::size_t>(limit));
    for (const audit::Entry &e : entries) {
        const auto it = current.find(e.area);
        const versioning::Document *document = m_documents.find(e.area);
        const bool restorable = it != current.end() && it->second.first == e.object && e.version > 0 &&
                                e.version != it->second.second && document != nullptr &&
                                document->spec().restoreRefused.empty();
        toProto(e, restorable, response->add_entries());
    }
    response->set_next_before_seq(more && !entries.empty() ? entries.back().seq : 0);
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *AuditServiceImpl::RestoreVersion(grpc::CallbackServerContext *context,
                                                           const v1::RestoreVersionRequest *request,
                                                           v1::RestoreVersionResponse *response)
{
    versioning::Document *document = m_documents.find(request->area());
    if (document == nullptr)
        return finished(context, {grpc::StatusCode::NOT_FOUND, "there is no versioned area \"" + request->area() +
                                                                   "\": choose " + m_documents.areaNames()});
    if (!document->spec().restoreRefused.empty())
        return finished(context, {grpc::StatusCode::FAILED_PRECONDITION, document->spec().restoreRefused});
    if (request->base_version() < 0)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "base_version must be the current version of " + request->area() + " (" +
                                      std::to_string(document->currentVersion()) + "), got " +
                                      std::to_string(request->base_version())});
    const auto restored = document->restore(request->version(), request->base_version(), request->reason(),
                                            actorOf(m_context.callers, *context));
    if (!restored.ok())
        return finished(context, convert::toStatus(restored.error()));
    response->set_area(document->area());
    response->set_version(restored.value().version);
    response->set_restored_from(request->version());
    return finished(context, grpc::Status::OK);
}

} // namespace flywheel
