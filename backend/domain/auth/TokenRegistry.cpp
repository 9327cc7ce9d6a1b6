#include "domain/auth/TokenRegistry.h"

#include "domain/auth/TokenSecret.h"

#include <stdexcept>
#include <unordered_set>

namespace flywheel::auth {

std::string TokenCheck::describe() const
{
    switch (outcome) {
    case Outcome::Accepted:
        return "the token is accepted";
    case Outcome::Malformed:
        return "the token is malformed (expected fw_ and 64 hex digits)";
    case Outcome::Unknown:
        return "the token is unknown";
    case Outcome::Expired:
        return "the token \"" + entry->name + "\" has expired";
    case Outcome::Revoked:
        return "the token \"" + entry->name + "\" is revoked";
    }
    return "the token is refused";
}

std::optional<std::string> TokenRegistry::nameProblem(std::string_view name)
{
    if (name.empty() || name.size() > 64)
        return "must be 1 to 64 characters long";
    for (const char c : name) {
        const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                             c == '_' || c == '-';
        if (!allowed)
            return "may hold only letters A-Z and a-z, digits and . _ -";
    }
    return std::nullopt;
}

TokenRegistry::TokenRegistry(std::vector<TokenEntry> entries) : m_entries(std::move(entries))
{
    index();
}

void TokenRegistry::index()
{
    std::unordered_map<std::string, std::size_t> byDigest;
    std::unordered_set<std::string> liveNames;
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        const TokenEntry &entry = m_entries[i];
        if (!TokenSecret::isDigest(entry.sha256))
            throw std::invalid_argument("the token \"" + entry.name + "\" has no valid SHA-256 digest");
        if (!byDigest.emplace(entry.sha256, i).second)
            throw std::invalid_argument("the token \"" + entry.name + "\" has the same digest as an earlier one");
        if (!entry.revoked && !liveNames.insert(entry.name).second)
            throw std::invalid_argument("two tokens that are not revoked are both named \"" + entry.name + "\"");
    }
    m_byDigest = std::move(byDigest);
}

TokenCheck TokenRegistry::check(std::string_view token, TimePoint now) const
{
    if (!TokenSecret::wellFormed(token))
        return {TokenCheck::Outcome::Malformed, nullptr};
    const auto found = m_byDigest.find(TokenSecret::digest(token));
    if (found == m_byDigest.end())
        return {TokenCheck::Outcome::Unknown, nullptr};
    const TokenEntry &entry = m_entries[found->second];
    if (entry.revoked)
        return {TokenCheck::Outcome::Revoked, &entry};
    if (entry.expiredAt(now))
        return {TokenCheck::Outcome::Expired, &entry};
    return {TokenCheck::Outcome::Accepted, &entry};
}

const TokenEntry *TokenRegistry::live(std::string_view name) const
{
    for (const TokenEntry &entry : m_entries) {
        if (!entry.revoked && entry.name == name)
            return &entry;
    }
    return nullptr;
}

void TokenRegistry::add(TokenEntry entry)
{
    m_entries.push_back(std::move(entry));
    try {
        index();
    } catch (...) {
        m_entries.pop_back();
        index();
        throw;
    }
}

bool TokenRegistry::revoke(std::string_view name, TimePoint now)
{
    for (TokenEntry &entry : m_entries) {
        if (!entry.revoked && entry.name == name) {
            entry.revoked = now;
            return true;
        }
    }
    return false;
}

std::pair<TokenEntry, std::string> TokenRegistry::issue(const std::string &name, Role role, TimePoint created,
                                                        std::optional<TimePoint> expires)
{
    std::string token = TokenSecret::generate();
    TokenEntry entry;
    entry.name = name;
    entry.role = role;
    entry.sha256 = TokenSecret::digest(token);
    entry.created = created;
    entry.expires = expires;
    add(entry);
    return {std::move(entry), std::move(token)};
}

} // namespace flywheel::auth
