#pragma once

#include "domain/auth/TokenEntry.h"

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace flywheel::auth {

/// The outcome of presenting a token.
struct TokenCheck {
    enum class Outcome { Accepted, Malformed, Unknown, Expired, Revoked };
    Outcome outcome = Outcome::Unknown;
    /// The entry the token matched (Accepted, Expired, Revoked); null otherwise.
    const TokenEntry *entry = nullptr;

    bool accepted() const { return outcome == Outcome::Accepted; }
    /// "the token is revoked", ... (never the token itself).
    std::string describe() const;
};

/// The tokens the daemon accepts, looked up by the digest of the presented token.
/// A value: the daemon swaps in a new registry when the tokens file changes.
class TokenRegistry {
public:
    TokenRegistry() = default;
    /// Throws std::invalid_argument when two entries share a digest or two live
    /// (unrevoked) entries share a name.
    explicit TokenRegistry(std::vector<TokenEntry> entries);

    /// Why `name` cannot name a token (1 to 64 of A-Z a-z 0-9 . _ -), or nothing.
    static std::optional<std::string> nameProblem(std::string_view name);

    const std::vector<TokenEntry> &entries() const { return m_entries; }
    TokenCheck check(std::string_view token, TimePoint now) const;

    /// The live entry named `name`, or null.
    const TokenEntry *live(std::string_view name) const;
    /// Adds an entry; throws std::invalid_argument like the constructor.
    void add(TokenEntry entry);
    /// A new random token named `name`: adds its entry (the digest only) and returns
    /// the entry and the token itself, which is kept nowhere.
    std::pair<TokenEntry, std::string> issue(const std::string &name, Role role, TimePoint created,
                                             std::optional<TimePoint> expires = std::nullopt);
    /// Marks the live entry named `name` revoked at `now`; false when there is none.
    bool revoke(std::string_view name, TimePoint now);

private:
    void index();

    std::vector<TokenEntry> m_entries;
    std::unordered_map<std::string, std::size_t> m_byDigest;
};

} // namespace flywheel::auth
