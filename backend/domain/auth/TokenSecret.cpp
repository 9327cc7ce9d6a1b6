#include "domain/auth/TokenSecret.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace flywheel::auth {

namespace {

std::string toHex(const unsigned char *bytes, std::size_t size)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        hex.push_back(kDigits[bytes[i] >> 4]);
        hex.push_back(kDigits[bytes[i] & 0x0f]);
    }
    return hex;
}

bool lowerHex(std::string_view text)
{
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return false;
    }
    return true;
}

} // namespace

std::string TokenSecret::generate()
{
    std::array<unsigned char, kHexDigits / 2> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("OpenSSL cannot produce random bytes for a token");
    return std::string(kPrefix) + toHex(bytes.data(), bytes.size());
}

bool TokenSecret::wellFormed(std::string_view token)
{
    return token.size() == kPrefix.size() + kHexDigits && token.substr(0, kPrefix.size()) == kPrefix &&
           lowerHex(token.substr(kPrefix.size()));
}

std::string TokenSecret::digest(std::string_view token)
{
    std::array<unsigned char, 32> digest{};
    unsigned int length = 0;
    if (EVP_Digest(token.data(), token.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1 ||
        length != digest.size())
        throw std::runtime_error("OpenSSL cannot compute a SHA-256 digest");
    return toHex(digest.data(), digest.size());
}

bool TokenSecret::isDigest(std::string_view text)
{
    return text.size() == 64 && lowerHex(text);
}

} // namespace flywheel::auth
