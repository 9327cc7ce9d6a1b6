#pragma once

#include <string>
#include <string_view>

namespace flywheel::auth {

/// Bearer tokens: "fw_" and 64 lower-case hex digits (256 random bits from OpenSSL's
/// RAND_bytes). Only their SHA-256 digest is ever stored.
class TokenSecret {
public:
    static constexpr std::string_view kPrefix = "fw_";
    static constexpr std::size_t kHexDigits = 64;

    /// A new random token; throws std::runtime_error when OpenSSL has no randomness.
    static std::string generate();
    /// Whether `token` has the shape of a token (prefix, length, hex digits).
    static bool wellFormed(std::string_view token);
    /// SHA-256 of the token's text, as 64 lower-case hex digits.
    static std::string digest(std::string_view token);
    /// Whether `text` is 64 lower-case hex digits (a stored digest).
    static bool isDigest(std::string_view text);
};

} // namespace flywheel::auth
