#include "auth/TokenAuthProcessor.h"

#include <optional>
#include <string>
#include <string_view>

namespace flywheel::auth {

namespace {

std::string_view view(const grpc::string_ref &ref)
{
    return std::string_view(ref.data(), ref.size());
}

grpc::Status unauthenticated(const std::string &why)
{
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "refused: " + why);
}

} // namespace

TokenAuthProcessor::TokenAuthProcessor(Tokens tokens, const Clock &clock, std::optional<OnlyApi> only,
                                       const RoleTable &table)
    : m_tokens(std::move(tokens)), m_clock(clock), m_only(std::move(only)), m_table(table)
{}

grpc::Status TokenAuthProcessor::Process(const InputMetadata &metadata, grpc::AuthContext *, OutputMetadata *,
                                         OutputMetadata *)
{
    const auto path = metadata.find(":path");
    const std::string method = path == metadata.end() ? std::string() : std::string(view(path->second));
    const Access *access = m_table.find(method);
    if (access == nullptr)
        return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                            "refused: " + (method.empty() ? std::string("the call names no method") : method) +
                                " is not in the role table");
    // A method of the other API. With tokens this is said only to a caller whose
    // token is good: where the admin API listens is nobody else's business.
    const auto wrongListener = [&]() -> std::optional<grpc::Status> {
        if (!m_only || access->partOf(m_only->api))
            return std::nullopt;
        const Api other = m_only->api == Api::Storefront ? Api::Admin : Api::Storefront;
        return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                            "refused: " + method + " is part of the " + apiName(other) + ", served on " +
                                m_only->otherAddress + "; this listener serves the " + apiName(m_only->api));
    };
    if (access->open || !m_tokens)
        return wrongListener().value_or(grpc::Status::OK);

    const auto header = metadata.find("authorization");
    if (header == metadata.end())
        return unauthenticated("no token: send the metadata \"authorization: Bearer <token>\"");
    if (metadata.count("authorization") > 1)
        return unauthenticated("more than one authorization header");
    constexpr std::string_view kBearer = "Bearer ";
    const std::string_view value = view(header->second);
    if (value.size() <= kBearer.size() || value.substr(0, kBearer.size()) != kBearer)
        return unauthenticated("the authorization header is malformed (expected \"Bearer <token>\")");

    const std::shared_ptr<const TokenRegistry> tokens = m_tokens();
    const TokenCheck check = tokens->check(value.substr(kBearer.size()), m_clock.now());
    if (!check.accepted())
        return unauthenticated(check.describe());
    if (auto refused = wrongListener())
        return *std::move(refused);
    const TokenEntry &entry = *check.entry;
    if (!access->allows(entry.role))
        return grpc::Status(grpc::StatusCode::PERMISSION_DENIED,
                            "refused: " + method + " needs the role " + access->describe() + "; the token \"" +
                                entry.name + "\" has the role " + std::string(roleName(entry.role)));
    return grpc::Status::OK;
}

} // namespace flywheel::auth
