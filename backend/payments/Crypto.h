#pragma once

#include "domain/Result.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace flywheel::payments::crypto {

/// OpenSSL, wrapped for the payment adapters: RSA PKCS#1 v1.5 with SHA-256 (WeChat
/// Pay's WECHATPAY2-SHA256-RSA2048, Alipay's RSA2), AES-256-GCM (WeChat's
/// AEAD_AES_256_GCM), HMAC-SHA256 (BTCPay-Sig), Base64 and hex. Keys are held in
/// memory only; nothing here logs.

/// An RSA key (private, or public only). Loaded from PEM: PKCS#8 or PKCS#1 private
/// keys, SubjectPublicKeyInfo public keys, or an X.509 certificate (its public key).
class RsaKey final {
public:
    ~RsaKey();
    RsaKey(RsaKey &&) noexcept;
    RsaKey &operator=(RsaKey &&) noexcept;

    /// InvalidArgument naming what the text is not.
    static Result<RsaKey> fromPem(std::string_view pem);
    /// The same from a file; NotFound/InvalidArgument naming the path (never its content).
    static Result<RsaKey> fromPemFile(const std::string &path);
    /// A new key (tests and sandboxes).
    static RsaKey generate(int bits = 2048);

    bool hasPrivate() const { return m_private; }
    /// PEM of the private key (PKCS#8) and of the public key (SubjectPublicKeyInfo).
    std::string privatePem() const;
    std::string publicPem() const;

    /// Base64 of the SHA256withRSA signature of `message`; the key must be private.
    std::string signSha256Base64(std::string_view message) const;
    /// Whether `signatureBase64` is a valid SHA256withRSA signature of `message`. False
    /// for anything malformed (bad Base64, wrong length), never throws.
    bool verifySha256Base64(std::string_view message, std::string_view signatureBase64) const;

private:
    struct Impl;
    RsaKey(std::unique_ptr<Impl> impl, bool isPrivate);
    std::unique_ptr<Impl> m_impl;
    bool m_private = false;
};

/// AES-256-GCM with a 16-byte tag appended to the ciphertext, as WeChat sends it.
/// `key` must be 32 bytes, `nonce` 12. nullopt when the key or nonce has the wrong size or the
/// tag does not verify.
std::optional<std::string> aes256GcmDecrypt(std::string_view key, std::string_view nonce,
                                            std::string_view associatedData, std::string_view ciphertextAndTag);
/// The inverse (sandboxes, tests): ciphertext ‖ 16-byte tag.
std::string aes256GcmEncrypt(std::string_view key, std::string_view nonce, std::string_view associatedData,
                             std::string_view plaintext);

/// Raw 32-byte HMAC-SHA256.
std::string hmacSha256(std::string_view key, std::string_view message);
std::string sha256(std::string_view message);

std::string base64Encode(std::string_view bytes);
/// nullopt for text that is not strict Base64 (padding included).
std::optional<std::string> base64Decode(std::string_view text);
/// Lower-case hex.
std::string hexEncode(std::string_view bytes);

/// Constant-time comparison (different lengths are unequal).
bool equalConstantTime(std::string_view a, std::string_view b);

/// `n` characters from [0-9a-zA-Z] from the OpenSSL random generator (WeChat's nonce).
std::string randomAlnum(std::size_t n);

/// Reads a secret file (a key, an API key); trailing newline removed. NotFound or
/// PermissionDenied-like Unavailable naming the path, never the content.
Result<std::string> readSecretFile(const std::string &path);

} // namespace flywheel::payments::crypto
