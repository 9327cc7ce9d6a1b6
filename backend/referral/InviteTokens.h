#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

namespace flywheel::referral {

/// What an invite token asserts: user `uid` was invited by `inviterId` at
/// `inviteTime`; the token is valid until `exp` and used once, by its id `jti`.
struct InviteClaims {
    std::int64_t uid = 0;
    std::int64_t inviterId = 0;
    std::int64_t inviteTime = 0; // unix seconds
    std::int64_t exp = 0;        // unix seconds
    std::string jti;
    /// Optional: the code of the invite link the token came from; empty for none,
    /// and then not written into the token.
    std::string ref;
};

/// Why a token was refused: `reason` is kInvalidToken or kExpiredToken, `message`
/// tells an operator or developer exactly what was wrong with it.
struct TokenRefusal {
    std::string reason;
    std::string message;
};
inline constexpr std::string_view kInvalidToken = "invalid_token";
inline constexpr std::string_view kExpiredToken = "expired_token";

/// Issues and verifies invite tokens: JWTs signed with HMAC-SHA256 under one
/// secret. Only HS256 is accepted, whatever a token's header says. Thread-safe.
class InviteTokens final {
public:
    static constexpr std::size_t kMinSecretBytes = 32;
    static constexpr std::size_t kMaxJtiLength = 128;
    static constexpr std::size_t kMaxRefLength = 128;
    /// Longer tokens are refused before any decoding.
    static constexpr std::size_t kMaxTokenLength = 4096;

    /// Throws std::invalid_argument when `secret` holds less than kMinSecretBytes of
    /// entropy: a secret of hex digits only counts 4 bits a digit (64 digits are
    /// needed), any other text 8 bits a byte.
    explicit InviteTokens(std::string secret);
    ~InviteTokens();
    InviteTokens(InviteTokens &&) noexcept;
    InviteTokens &operator=(InviteTokens &&) noexcept;

    /// `header.payload.signature`, each part base64url without padding. Throws
    /// std::invalid_argument for claims that verify() would refuse (uid or
    /// inviterId not positive, jti empty, jti or ref too long or not UTF-8).
    std::string issue(const InviteClaims &claims) const;
    /// The claims of a token that is well formed, signed with this secret and not
    /// expired: refused when nowUnixSeconds > exp + leewaySeconds (a negative
    /// leeway counts as 0). The signature is checked before the payload is read.
    /// Never throws. Does not check replays: see JtiRegistry.
    std::variant<InviteClaims, TokenRefusal> verify(std::string_view token, std::int64_t nowUnixSeconds,
                                                    std::int64_t leewaySeconds) const;
    /// A new token id: 16 random bytes, base64url (22 characters).
    static std::string newJti();

private:
    struct Mac;
    std::unique_ptr<Mac> m_mac;
};

/// The secret in file `path`, without trailing newlines, carriage returns and
/// spaces. Throws std::runtime_error naming the path when the file cannot be read,
/// is open to group or others (any of mode 077), is empty or holds too weak a
/// secret (see InviteTokens).
std::string loadInviteSecret(const std::string &path);
/// Creates `path` (mode 0600) holding a new secret, 32 random bytes as 64
/// lowercase hex digits and a newline, and returns the secret; when the file
/// exists already, returns loadInviteSecret(path). Throws std::runtime_error
/// naming the path on failure.
std::string createInviteSecretFile(const std::string &path);

} // namespace flywheel::referral
