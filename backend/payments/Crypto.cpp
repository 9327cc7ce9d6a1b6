#include "payments/Crypto.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace flywheel::payments::crypto {

namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

BioPtr memoryBio(std::string_view text)
{
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), &BIO_free);
}

/// WeChat's AEAD_AES_256_GCM nonce is 12 bytes (GCM's standard IV size).
constexpr std::size_t kGcmNonce = 12;

/// No passphrase: an encrypted key is refused. Without this callback OpenSSL would
/// prompt for one on the controlling terminal and block the daemon.
int noPassphrase(char *, int, int, void *)
{
    return -1;
}

std::string bioText(BIO *bio)
{
    char *data = nullptr;
    const long n = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<std::size_t>(n));
}

} // namespace

struct RsaKey::Impl {
    PkeyPtr key{nullptr, &EVP_PKEY_free};
};

RsaKey::RsaKey(std::unique_ptr<Impl> impl, bool isPrivate) : m_impl(std::move(impl)), m_private(isPrivate) {}
RsaKey::~RsaKey() = default;
RsaKey::RsaKey(RsaKey &&) noexcept = default;
RsaKey &RsaKey::operator=(RsaKey &&) noexcept = default;

Result<RsaKey> RsaKey::fromPem(std::string_view pem)
{
    auto impl = std::make_unique<Impl>();
    bool isPrivate = false;
    if (pem.find("PRIVATE KEY-----") != std::string_view::npos) {
        BioPtr bio = memoryBio(pem);
        impl->key.reset(PEM_read_bio_PrivateKey(bio.get(), nullptr, &noPassphrase, nullptr));
        isPrivate = true;
    } else if (pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos) {
        BioPtr bio = memoryBio(pem);
        std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(bio.get(), nullptr, &noPassphrase, nullptr),
                                                        &X509_free);
        if (cert)
            impl->key.reset(X509_get_pubkey(cert.get()));
    } else if (pem.find("PUBLIC KEY-----") != std::string_view::npos) {
        BioPtr bio = memoryBio(pem);
        impl->key.reset(PEM_read_bio_PUBKEY(bio.get(), nullptr, &noPassphrase, nullptr));
    } else if (pem.find("-----BEGIN") == std::string_view::npos && !pem.empty()) {
        // Alipay hands out its public key (and the app key tools their keys) as bare
        // Base64 of the DER, without PEM lines: SubjectPublicKeyInfo or PKCS#8.
        std::string compact;
        for (char c : pem) {
            if (c != '\n' && c != '\r' && c != ' ' && c != '\t')
                compact.push_back(c);
        }
        const std::optional<std::string> der = base64Decode(compact);
        if (!der)
            return Error{ErrorCode::InvalidArgument,
                         "not a PEM key or certificate, nor Base64 of one (expected -----BEGIN PRIVATE KEY-----, "
                         "PUBLIC KEY or CERTIFICATE)"};
        const auto *p = reinterpret_cast<const unsigned char *>(der->data());
        impl->key.reset(d2i_PUBKEY(nullptr, &p, static_cast<long>(der->size())));
        if (!impl->key) {
            p = reinterpret_cast<const unsigned char *>(der->data());
            impl->key.reset(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der->size())));
            isPrivate = impl->key != nullptr;
        }
    } else {
        return Error{ErrorCode::InvalidArgument,
                     "not a PEM key or certificate (expected -----BEGIN PRIVATE KEY-----, PUBLIC KEY or CERTIFICATE)"};
    }
    ERR_clear_error();
    if (!impl->key)
        return Error{ErrorCode::InvalidArgument, "the PEM text does not parse as a key or certificate"};
    if (EVP_PKEY_base_id(impl->key.get()) != EVP_PKEY_RSA)
        return Error{ErrorCode::InvalidArgument, "the key is not an RSA key"};
    if (EVP_PKEY_bits(impl->key.get()) < 2048)
        return Error{ErrorCode::InvalidArgument,
                     "the RSA key has " + std::to_string(EVP_PKEY_bits(impl->key.get())) +
                         " bits; at least 2048 are required"};
    return RsaKey(std::move(impl), isPrivate);
}

Result<RsaKey> RsaKey::fromPemFile(const std::string &path)
{
    Result<std::string> text = readSecretFile(path);
    if (!text.ok())
        return text.error();
    Result<RsaKey> key = fromPem(text.value());
    if (!key.ok())
        return Error{key.error().code, path + ": " + key.error().message};
    return key;
}

RsaKey RsaKey::generate(int bits)
{
    auto impl = std::make_unique<Impl>();
    impl->key.reset(EVP_RSA_gen(static_cast<unsigned>(bits)));
    if (!impl->key)
        throw std::runtime_error("OpenSSL could not generate an RSA key");
    return RsaKey(std::move(impl), true);
}

std::string RsaKey::privatePem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PrivateKey(bio.get(), m_impl->key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    return bioText(bio.get());
}

std::string RsaKey::publicPem() const
{
    BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
    PEM_write_bio_PUBKEY(bio.get(), m_impl->key.get());
    return bioText(bio.get());
}

std::string RsaKey::signSha256Base64(std::string_view message) const
{
    if (!m_private)
        throw std::logic_error("signing needs a private key");
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    std::size_t length = 0;
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, m_impl->key.get()) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char *>(message.data()),
                       message.size()) != 1)
        throw std::runtime_error("OpenSSL could not sign");
    std::string signature(length, '\0');
    if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length,
                       reinterpret_cast<const unsigned char *>(message.data()), message.size()) != 1)
        throw std::runtime_error("OpenSSL could not sign");
    signature.resize(length);
    return base64Encode(signature);
}

bool RsaKey::verifySha256Base64(std::string_view message, std::string_view signatureBase64) const
{
    const std::optional<std::string> signature = base64Decode(signatureBase64);
    if (!signature || signature->empty())
        return false;
    MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, m_impl->key.get()) != 1)
        return false;
    const int ok = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char *>(signature->data()),
                                    signature->size(), reinterpret_cast<const unsigned char *>(message.data()),
                                    message.size());
    ERR_clear_error();
    return ok == 1;
}

std::optional<std::string> aes256GcmDecrypt(std::string_view key, std::string_view nonce,
                                            std::string_view associatedData, std::string_view ciphertextAndTag)
{
    constexpr std::size_t kTag = 16;
    if (key.size() != 32 || nonce.size() != kGcmNonce || ciphertextAndTag.size() < kTag)
        return std::nullopt;
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    const std::size_t n = ciphertextAndTag.size() - kTag;
    std::string plain(n, '\0');
    int length = 0;
    int total = 0;
    const auto *k = reinterpret_cast<const unsigned char *>(key.data());
    const auto *iv = reinterpret_cast<const unsigned char *>(nonce.data());
    if (!ctx || EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, k, iv) != 1)
        return std::nullopt;
    if (!associatedData.empty() &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char *>(associatedData.data()),
                          static_cast<int>(associatedData.size())) != 1)
        return std::nullopt;
    if (n > 0 && EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(plain.data()), &length,
                                   reinterpret_cast<const unsigned char *>(ciphertextAndTag.data()),
                                   static_cast<int>(n)) != 1)
        return std::nullopt;
    total = n > 0 ? length : 0;
    std::string tag(ciphertextAndTag.substr(n));
    if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTag), tag.data()) != 1)
        return std::nullopt;
    if (EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(plain.data()) + total, &length) != 1) {
        ERR_clear_error();
        return std::nullopt;
    }
    plain.resize(static_cast<std::size_t>(total + length));
    return plain;
}

std::string aes256GcmEncrypt(std::string_view key, std::string_view nonce, std::string_view associatedData,
                             std::string_view plaintext)
{
    if (key.size() != 32 || nonce.size() != kGcmNonce)
        throw std::invalid_argument("AES-256-GCM needs a 32-byte key and a 12-byte nonce");
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
    std::string out(plaintext.size() + 16, '\0');
    int length = 0;
    int total = 0;
    const auto *k = reinterpret_cast<const unsigned char *>(key.data());
    const auto *iv = reinterpret_cast<const unsigned char *>(nonce.data());
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, k, iv) != 1)
        throw std::runtime_error("OpenSSL could not start AES-256-GCM");
    if (!associatedData.empty())
        EVP_EncryptUpdate(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char *>(associatedData.data()),
                          static_cast<int>(associatedData.size()));
    if (!plaintext.empty()) {
        EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &length,
                          reinterpret_cast<const unsigned char *>(plaintext.data()),
                          static_cast<int>(plaintext.size()));
        total = length;
    }
    EVP_EncryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + total, &length);
    total += length;
    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, out.data() + total);
    out.resize(static_cast<std::size_t>(total) + 16);
    return out;
}

std::string hmacSha256(std::string_view key, std::string_view message)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char *>(message.data()), message.size(), out, &length);
    return std::string(reinterpret_cast<const char *>(out), length);
}

std::string sha256(std::string_view message)
{
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_Digest(message.data(), message.size(), out, &length, EVP_sha256(), nullptr);
    return std::string(reinterpret_cast<const char *>(out), length);
}

std::string base64Encode(std::string_view bytes)
{
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64Decode(std::string_view text)
{
    if (text.size() % 4 != 0)
        return std::nullopt;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (alnum || c == '+' || c == '/')
            continue;
        // Padding only at the end, at most two.
        if (c == '=' && i + 2 >= text.size() && (i + 1 == text.size() || text[i + 1] == '='))
            continue;
        return std::nullopt;
    }
    if (text.empty())
        return std::string();
    std::string out(3 * text.size() / 4, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(text.data()),
                                  static_cast<int>(text.size()));
    if (n < 0)
        return std::nullopt;
    std::size_t size = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts the padding as zero bytes.
    if (text.back() == '=')
        --size;
    if (text.size() >= 2 && text[text.size() - 2] == '=')
        --size;
    out.resize(size);
    return out;
}

std::string hexEncode(std::string_view bytes)
{
    static const char *const kDigits = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out.push_back(kDigits[c >> 4]);
        out.push_back(kDigits[c & 15]);
    }
    return out;
}

bool equalConstantTime(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string randomAlnum(std::size_t n)
{
    static const char *const kAlphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    std::string out;
    out.reserve(n);
    unsigned char buffer[64];
    while (out.size() < n) {
        if (RAND_bytes(buffer, sizeof buffer) != 1)
            throw std::runtime_error("OpenSSL's random generator failed");
        for (unsigned char c : buffer) {
            // 62 * 4 = 248: reject the top values so every character is equally likely.
            if (c < 248 && out.size() < n)
                out.push_back(kAlphabet[c % 62]);
        }
    }
    return out;
}

Result<std::string> readSecretFile(const std::string &path)
{
    if (path.empty())
        return Error{ErrorCode::NotFound, "no file is set"};
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        const int err = errno;
        return Error{ErrorCode::NotFound, path + ": " + (err != 0 ? std::strerror(err) : "cannot be read")};
    }
    std::ostringstream text;
    text << in.rdbuf();
    std::string content = text.str();
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r'))
        content.pop_back();
    if (content.empty())
        return Error{ErrorCode::InvalidArgument, path + ": the file is empty"};
    return content;
}

} // namespace flywheel::payments::crypto
