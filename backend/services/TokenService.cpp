#include "services/TokenService.h"

#include "auth/TokenBook.h"
#include "auth/TokensFile.h"
#include "auth/UtcTime.h"
#include "common/Log.h"
#include "domain/ChangeReason.h"
#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"

#include <sstream>
#include <variant>

namespace flywheel {

namespace {

constexpr auto kNoTokensFile =
    "this backend has no tokens file (tokens_file, --tokens-file), so it takes no tokens and there are none to "
    "manage; demo mode and a loopback daemon without one let every caller in as the local operator";

std::string stateOf(const auth::TokenEntry &entry, TimePoint now)
{
    if (entry.revoked)
        return "revoked";
    return entry.expiredAt(now) ? "expired" : "active";
}

void toProto(const auth::TokenEntry &entry, TimePoint now, v1::TokenInfo *out)
{
    out->set_name(entry.name);
    out->set_role(std::string(auth::roleName(entry.role)));
    convert::toProto(entry.created, out->mutable_created());
    if (entry.expires)
        convert::toProto(*entry.expires, out->mutable_expires());
    if (entry.revoked)
        convert::toProto(*entry.revoked, out->mutable_revoked());
    out->set_state(stateOf(entry, now));
}

/// The entry for the audit log, as YAML: never the token, nor its digest.
std::string auditYaml(const auth::TokenEntry &entry)
{
    std::ostringstream out;
    out << "name: " << entry.name << "\n"
        << "role: " << auth::roleName(entry.role) << "\n"
        << "created: " << auth::formatUtc(entry.created) << "\n";
    if (entry.expires)
        out << "expires: " << auth::formatUtc(*entry.expires) << "\n";
    if (entry.revoked)
        out << "revoked: " << auth::formatUtc(*entry.revoked) << "\n";
    return out.str();
}

grpc::Status toStatus(const auth::TokenRefusal &refusal)
{
    switch (refusal.kind) {
    case auth::TokenRefusal::Kind::BadName:
    case auth::TokenRefusal::Kind::BadExpiry:
        return {grpc::StatusCode::INVALID_ARGUMENT, refusal.message};
    case auth::TokenRefusal::Kind::NameTaken:
        return {grpc::StatusCode::ALREADY_EXISTS, refusal.message};
    case auth::TokenRefusal::Kind::NotFound:
        return {grpc::StatusCode::NOT_FOUND, refusal.message};
    }
    return {grpc::StatusCode::INTERNAL, refusal.message};
}

/// The tokens file could not be read or written: said to the caller and logged
/// (the message names the file, never a token).
grpc::Status fileFailure(const std::exception &e)
{
    common::Log::error(std::string("token management: ") + e.what());
    return {grpc::StatusCode::INTERNAL, e.what()};
}

std::optional<grpc::Status> checkReason(const std::string &reason, const char *change)
{
    if (const auto problem = checkChangeReason(reason, change))
        return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, problem->message);
    return std::nullopt;
}

} // namespace

grpc::ServerUnaryReactor *TokenServiceImpl::ListTokens(grpc::CallbackServerContext *context,
                                                       const v1::ListTokensRequest *, v1::ListTokensResponse *response)
{
    if (m_book == nullptr)
        return finished(context, {grpc::StatusCode::FAILED_PRECONDITION, kNoTokensFile});
    try {
        const auth::TokenRegistry registry = m_book->list(true);
        const TimePoint now = m_context.clock.now();
        for (const auth::TokenEntry &entry : registry.entries())
            toProto(entry, now, response->add_tokens());
        return finished(context, grpc::Status::OK);
    } catch (const std::exception &e) {
        return finished(context, fileFailure(e));
    }
}

grpc::ServerUnaryReactor *TokenServiceImpl::CreateToken(grpc::CallbackServerContext *context,
                                                        const v1::CreateTokenRequest *request,
                                                        v1::CreateTokenResponse *response)
{
    if (m_book == nullptr)
        return finished(context, {grpc::StatusCode::FAILED_PRECONDITION, kNoTokensFile});
    if (const auto problem = auth::TokenRegistry::nameProblem(request->name()))
        return finished(context,
                        {grpc::StatusCode::INVALID_ARGUMENT, "name " + *problem + ", got \"" + request->name() + "\""});
    if (request->role().empty())
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "role is required: " + auth::roleChoices()});
    const auto role = auth::parseRole(request->role());
    if (!role)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "role must be " + auth::roleChoices() + ", got \"" + request->role() + "\""});
    if (request->expires_days() != 0) {
        if (const auto problem = auth::TokenBook::expiresDaysProblem(request->expires_days()))
            return finished(context,
                            {grpc::StatusCode::INVALID_ARGUMENT, "expires_days " + *problem + " (0 for never)"});
    }
    if (const auto refused = checkReason(request->reason(), "the token is created"))
        return finished(context, *refused);
    try {
        auto outcome = m_book->create(request->name(), *role, request->expires_days(), m_context.clock.now());
        if (const auto *refusal = std::get_if<auth::TokenRefusal>(&outcome))
            return finished(context, toStatus(*refusal));
        const auth::CreatedToken &created = std::get<auth::CreatedToken>(outcome);
        audit::Entry change;
        change.actor = actorOf(m_context.callers, *context);
        change.area = "tokens";
        change.object = created.entry.name;
        change.after = auditYaml(created.entry);
        change.reason = request->reason();
        if (grpc::Status recorded = m_context.audit.record(std::move(change)); !recorded.ok()) {
            // A token nobody saw and nothing recorded must not stay live: revoke it
            // at once and keep its secret to ourselves.
            m_book->revoke(created.entry.name, m_context.clock.now());
            return finished(context, {grpc::StatusCode::UNAVAILABLE,
                                      "the token \"" + created.entry.name +
                                          "\" was not made: its audit entry could not be written, so it was "
                                          "revoked at once and its secret is not shown (" +
                                          recorded.error_message() + ")"});
        }
        toProto(created.entry, m_context.clock.now(), response->mutable_token());
        response->set_secret(created.secret);
        return finished(context, grpc::Status::OK);
    } catch (const std::exception &e) {
        return finished(context, fileFailure(e));
    }
}

grpc::ServerUnaryReactor *TokenServiceImpl::RevokeToken(grpc::CallbackServerContext *context,
                                                        const v1::RevokeTokenRequest *request, v1::TokenInfo *response)
{
    if (m_book == nullptr)
        return finished(context, {grpc::StatusCode::FAILED_PRECONDITION, kNoTokensFile});
    if (const auto problem = auth::TokenRegistry::nameProblem(request->name()))
        return finished(context,
                        {grpc::StatusCode::INVALID_ARGUMENT, "name " + *problem + ", got \"" + request->name() + "\""});
    if (const auto refused = checkReason(request->reason(), "the token is revoked"))
        return finished(context, *refused);
    try {
        const auto outcome = m_book->revoke(request->name(), m_context.clock.now());
        if (const auto *refusal = std::get_if<auth::TokenRefusal>(&outcome))
            return finished(context, toStatus(*refusal));
        const auto &[before, after] = std::get<std::pair<auth::TokenEntry, auth::TokenEntry>>(outcome);
        audit::Entry change;
        change.actor = actorOf(m_context.callers, *context);
        change.area = "tokens";
        change.object = after.name;
        change.before = auditYaml(before);
        change.after = auditYaml(after);
        change.reason = request->reason();
        if (grpc::Status recorded = m_context.audit.record(std::move(change)); !recorded.ok())
            return finished(context, recorded);
        toProto(after, m_context.clock.now(), response);
        return finished(context, grpc::Status::OK);
    } catch (const std::exception &e) {
        return finished(context, fileFailure(e));
    }
}

} // namespace flywheel
