#pragma once

#include "domain/Clock.h"
#include "domain/auth/TokenRegistry.h"

#include <mutex>
#include <optional>
#include <string>
#include <variant>

namespace flywheel::auth {

/// A token just made: its entry as stored, and the token itself, to be shown once.
struct CreatedToken {
    TokenEntry entry;
    std::string secret;
};

/// Why TokenBook refused a request; `message` names the field and the file.
struct TokenRefusal {
    enum class Kind { BadName, BadExpiry, NameTaken, NotFound };
    Kind kind;
    std::string message;
};

/// Creates, lists and revokes the tokens of one tokens file: each change reads the
/// file, changes it and replaces it at once (TokensFile::save), one change at a time
/// per TokenBook. `flywheeld token` and TokenService both go through it, so they check
/// and write tokens the same way. Throws TokensFileError when the file cannot be read
/// or written; a refused request is a TokenRefusal.
class TokenBook {
public:
    /// The longest expiry a token may have, in days.
    static constexpr int kMaxExpiresDays = 3650;

    explicit TokenBook(std::string path) : m_path(std::move(path)) {}

    const std::string &path() const { return m_path; }

    /// Why `days` is not an expiry (1 to kMaxExpiresDays days), or nothing.
    static std::optional<std::string> expiresDaysProblem(long long days);

    /// The tokens in the file; with `missingIsEmpty` a missing file holds none.
    TokenRegistry list(bool missingIsEmpty = false) const;
    /// A new random token named `name` with `role`, expiring `expiresDays` days after
    /// `now` (0: never). A missing file is created.
    std::variant<CreatedToken, TokenRefusal> create(const std::string &name, Role role, int expiresDays,
                                                    TimePoint now);
    /// Revokes the live token named `name` at `now`: its entry before and after.
    std::variant<std::pair<TokenEntry, TokenEntry>, TokenRefusal> revoke(const std::string &name, TimePoint now);

private:
    const std::string m_path;
    mutable std::mutex m_mutex;
};

} // namespace flywheel::auth
