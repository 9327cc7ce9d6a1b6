#include "auth/TokenBook.h"

#include "auth/TokensFile.h"

#include <chrono>

namespace flywheel::auth {

std::optional<std::string> TokenBook::expiresDaysProblem(long long days)
{
    if (days < 1 || days > kMaxExpiresDays)
        return "must be a whole number of days from 1 to " + std::to_string(kMaxExpiresDays) + ", not " +
               std::to_string(days);
    return std::nullopt;
}

TokenRegistry TokenBook::list(bool missingIsEmpty) const
{
    const std::lock_guard lock(m_mutex);
    return TokensFile::load(m_path, missingIsEmpty);
}

std::variant<CreatedToken, TokenRefusal> TokenBook::create(const std::string &name, Role role, int expiresDays,
                                                           TimePoint now)
{
    if (const auto problem = TokenRegistry::nameProblem(name))
        return TokenRefusal{TokenRefusal::Kind::BadName, "name " + *problem + ", got \"" + name + "\""};
    if (expiresDays != 0) {
        if (const auto problem = expiresDaysProblem(expiresDays))
            return TokenRefusal{TokenRefusal::Kind::BadExpiry, "expiry " + *problem};
    }
    const std::lock_guard lock(m_mutex);
    TokenRegistry registry = TokensFile::load(m_path, true);
    if (registry.live(name) != nullptr)
        return TokenRefusal{TokenRefusal::Kind::NameTaken, "a token named \"" + name + "\" already exists in " +
                                                               m_path + "; revoke it first or choose another name"};
    CreatedToken created;
    std::tie(created.entry, created.secret) =
        registry.issue(name, role, now,
                       expiresDays > 0 ? std::optional<TimePoint>(now + std::chrono::days(expiresDays)) : std::nullopt);
    TokensFile::save(m_path, registry);
    return created;
}

std::variant<std::pair<TokenEntry, TokenEntry>, TokenRefusal> TokenBook::revoke(const std::string &name, TimePoint now)
{
    const std::lock_guard lock(m_mutex);
    TokenRegistry registry = TokensFile::load(m_path);
    const TokenEntry *live = registry.live(name);
    if (live == nullptr)
        return TokenRefusal{TokenRefusal::Kind::NotFound,
                            "no token named \"" + name + "\" in " + m_path + " (or it is revoked already)"};
    const TokenEntry before = *live;
    registry.revoke(name, now);
    TokensFile::save(m_path, registry);
    TokenEntry after = before;
    after.revoked = now;
    return std::make_pair(before, after);
}

} // namespace flywheel::auth
