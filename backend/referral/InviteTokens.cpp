#include "referral/InviteTokens.h"

#include <nlohmann/json.hpp>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <limits>
#include <stdexcept>
#include <system_error>

namespace flywheel::referral {

namespace {

using Json = nlohmann::json;

constexpr std::size_t kSignatureBytes = 32;
constexpr std::size_t kJtiRandomBytes = 16;
constexpr std::size_t kSecretFileRandomBytes = 32;
/// base64url of {"alg":"HS256","typ":"JWT"}, the only header issue() writes: a
/// token that carries it is checked without decoding and parsing its header.
constexpr std::string_view kHeaderBase64url = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

struct MacFree {
    void operator()(EVP_MAC *mac) const { EVP_MAC_free(mac); }
    void operator()(EVP_MAC_CTX *ctx) const { EVP_MAC_CTX_free(ctx); }
};
using MacPtr = std::unique_ptr<EVP_MAC, MacFree>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, MacFree>;

const unsigned char *bytes(std::string_view s)
{
    return reinterpret_cast<const unsigned char *>(s.data());
}

std::string bits(std::size_t byteCount)
{
    return std::to_string(byteCount * 8);
}

bool allHexDigits(std::string_view text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    });
}

/// Why `secret` is too weak, or empty: hex digits count 4 bits each (32 of them
/// are 128 bits, not 256), any other text 8 bits a byte.
std::string weakness(std::string_view secret)
{
    if (allHexDigits(secret)) {
        const std::size_t digits = secret.size();
        if (digits >= 2 * InviteTokens::kMinSecretBytes)
            return {};
        return std::to_string(digits) + " hex digits, " + std::to_string(digits * 4) + " bits; at least " +
               bits(InviteTokens::kMinSecretBytes) + " bits (" + std::to_string(2 * InviteTokens::kMinSecretBytes) +
               " hex digits) are required";
    }
    if (secret.size() >= InviteTokens::kMinSecretBytes)
        return {};
    return bits(secret.size()) + " bits; at least " + bits(InviteTokens::kMinSecretBytes) + " are required";
}

std::string errnoText()
{
    return std::system_category().message(errno);
}

TokenRefusal invalid(std::string message)
{
    return TokenRefusal{std::string(kInvalidToken), std::move(message)};
}

void appendBase64url(std::string &out, const unsigned char *data, std::size_t size)
{
    const std::size_t start = out.size();
    out.resize(start + 4 * ((size + 2) / 3) + 1); // EVP_EncodeBlock also writes a NUL
    const int written =
        EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data() + start), data, static_cast<int>(size));
    out.resize(start + static_cast<std::size_t>(written));
    while (out.size() > start && out.back() == '=')
        out.pop_back();
    for (std::size_t i = start; i < out.size(); ++i) {
        if (out[i] == '+')
            out[i] = '-';
        else if (out[i] == '/')
            out[i] = '_';
    }
}

std::string base64url(const unsigned char *data, std::size_t size)
{
    std::string out;
    appendBase64url(out, data, size);
    return out;
}

/// The 6-bit value of each base64url character, -1 for other bytes.
constexpr std::array<std::int8_t, 256> kBase64urlValues = [] {
    std::array<std::int8_t, 256> values{};
    values.fill(-1);
    constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (std::size_t i = 0; i < alphabet.size(); ++i)
        values[static_cast<unsigned char>(alphabet[i])] = static_cast<std::int8_t>(i);
    return values;
}();

int base64urlValue(char c)
{
    return kBase64urlValues[static_cast<unsigned char>(c)];
}

std::string hexByte(char c)
{
    static constexpr char kHex[] = "0123456789abcdef";
    const auto u = static_cast<unsigned char>(c);
    return {kHex[u >> 4], kHex[u & 0xf]};
}

/// A character for a message: itself when printable, its code otherwise.
std::string describeChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u <= 0x7e)
        return std::string("'") + c + "'";
    return "byte 0x" + hexByte(c);
}

/// Decodes unpadded base64url into `out`. Returns what is wrong with `in`, or an
/// empty string.
std::string decodeBase64url(std::string_view in, std::string &out)
{
    if (in.size() % 4 == 1)
        return "its length of " + std::to_string(in.size()) + " characters is not a possible base64 length";
    const std::size_t padding = (4 - in.size() % 4) % 4;
    // EVP_DecodeBlock reads the standard alphabet with padding.
    std::string padded(in.size() + padding, '=');
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (base64urlValue(c) < 0) {
            if (c == '=')
                return "it has '=' padding at position " + std::to_string(i + 1) + ", which a JWT does not use";
            return describeChar(c) + " at position " + std::to_string(i + 1) + " is not in the base64url alphabet";
        }
        padded[i] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    // The bits of the last character beyond the encoded bytes must be zero, or
    // several texts would decode to the same bytes.
    if (padding > 0 && (base64urlValue(in.back()) & (padding == 2 ? 0x0f : 0x03)) != 0)
        return "its last character has bits set beyond the encoded bytes";
    out.resize(padded.size() / 4 * 3);
    const int decoded =
        EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()), bytes(padded), static_cast<int>(padded.size()));
    if (decoded < 0)
        return "OpenSSL cannot decode it";
    // The count includes a zero byte for each '=' of padding.
    out.resize(static_cast<std::size_t>(decoded) - padding);
    return {};
}

/// An untrusted string for a message: as it is when short and printable, else
/// escaped and cut.
std::string shown(std::string_view s)
{
    constexpr std::size_t kMaxShown = 32;
    std::string out;
    for (const char c : s.substr(0, kMaxShown)) {
        const auto u = static_cast<unsigned char>(c);
        if (u >= 0x20 && u <= 0x7e && c != '\\')
            out += c;
        else
            out += "\\x" + hexByte(c);
    }
    if (s.size() > kMaxShown)
        out += "...";
    return out;
}

/// The kind of a JSON value, as far as the messages tell them apart.
enum class Kind { Missing, Null, Boolean, Integer, OutOfRange, Float, String, Array, Object };

std::string describe(Kind kind)
{
    switch (kind) {
    case Kind::Missing:
        return "missing";
    case Kind::Null:
        return "null";
    case Kind::Boolean:
        return "a boolean";
    case Kind::Integer:
    case Kind::OutOfRange:
        return "a number";
    case Kind::Float:
        return "a floating-point number";
    case Kind::String:
        return "a string";
    case Kind::Array:
        return "an array";
    case Kind::Object:
        return "an object";
    }
    return "unknown";
}

std::string typeOf(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null:
        return describe(Kind::Null);
    case Json::value_t::boolean:
        return describe(Kind::Boolean);
    case Json::value_t::string:
        return describe(Kind::String);
    case Json::value_t::array:
        return describe(Kind::Array);
    case Json::value_t::object:
        return describe(Kind::Object);
    case Json::value_t::number_float:
        return describe(Kind::Float);
    default:
        return describe(Kind::Integer);
    }
}

std::string utcText(std::int64_t unixSeconds)
{
    const auto t = static_cast<std::time_t>(unixSeconds);
    std::tm tm{};
    char text[40];
    if (gmtime_r(&t, &tm) != nullptr && std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0)
        return text;
    return "unix time " + std::to_string(unixSeconds);
}

/// Each InviteTokens has its own generation, so that a thread's cached HMAC
/// context is never used with another instance's key.
std::atomic<std::uint64_t> g_generation{0};

/// HMAC-SHA256 of `input` under the key of `keyed`, into `out`. Each thread keeps
/// a copy of the keyed context and resets it per token: a fresh context costs
/// several times the HMAC itself, and a shared one would need a lock.
bool hmacSha256(const EVP_MAC_CTX *keyed, std::uint64_t generation, std::string_view input,
                unsigned char (&out)[kSignatureBytes])
{
    struct Cached {
        std::uint64_t generation = 0;
        MacCtxPtr ctx;
    };
    thread_local Cached cached;
    if (cached.generation != generation) {
        cached.generation = 0;
        cached.ctx.reset(EVP_MAC_CTX_dup(keyed));
        if (!cached.ctx)
            return false;
        cached.generation = generation;
    } else if (EVP_MAC_init(cached.ctx.get(), nullptr, 0, nullptr) != 1) {
        cached.generation = 0;
        return false;
    }
    std::size_t length = 0;
    if (EVP_MAC_update(cached.ctx.get(), bytes(input), input.size()) != 1 ||
        EVP_MAC_final(cached.ctx.get(), out, &length, kSignatureBytes) != 1 || length != kSignatureBytes) {
        cached.generation = 0;
        return false;
    }
    return true;
}

/// What is wrong with a token's header, or an empty string.
std::string checkHeader(std::string_view part)
{
    if (part == kHeaderBase64url)
        return {};
    std::string text;
    if (std::string problem = decodeBase64url(part, text); !problem.empty())
        return "the invite token's header is not base64url: " + problem;
    const Json header = Json::parse(text, nullptr, false);
    if (header.is_discarded())
        return "the invite token's header is not JSON";
    if (!header.is_object())
        return "the invite token's header is " + typeOf(header) + ", not a JSON object";
    const auto alg = header.find("alg");
    if (alg == header.end())
        return "the invite token's header has no alg; only HS256 is accepted";
    if (!alg->is_string())
        return "the invite token's alg is " + typeOf(*alg) + "; only HS256 is accepted";
    if (const auto &name = alg->get_ref<const std::string &>(); name != "HS256")
        return "the invite token's algorithm is " + shown(name) + "; only HS256 is accepted";
    if (const auto typ = header.find("typ"); typ != header.end()) {
        if (!typ->is_string())
            return "the invite token's typ is " + typeOf(*typ) + "; only JWT is accepted";
        if (const auto &name = typ->get_ref<const std::string &>(); name != "JWT")
            return "the invite token's typ is " + shown(name) + "; only JWT is accepted";
    }
    // RFC 7515: extensions listed in crit must be understood, and none are.
    if (header.contains("crit"))
        return "the invite token's header has a crit parameter; no JWT extensions are supported";
    return {};
}

/// The top-level members of a payload that verify() reads, collected while the
/// payload is parsed: every token's payload is parsed, and building a document
/// for it would cost more than all the rest of verify() together.
class PayloadReader final : public nlohmann::json_sax<Json> {
public:
    enum Claim { Uid, InviterId, InviteTime, Exp, Jti, Ref, kClaims };
    static constexpr std::array<std::string_view, kClaims> kNames = {"uid", "inviter_id", "invite_time",
                                                                     "exp", "jti",        "ref"};
    struct Member {
        Kind kind = Kind::Missing;
        std::int64_t integer = 0;
        /// A string's value, or the digits of an integer out of range.
        std::string text;
    };

    /// False when `text` is not JSON or names a claim twice.
    bool read(const std::string &text) { return Json::sax_parse(text, this) && m_duplicate.empty(); }
    Kind topLevel() const { return m_topLevel; }
    const Member &member(Claim claim) const { return m_members[claim]; }
    /// A claim given twice, which makes read() fail.
    const std::string &duplicate() const { return m_duplicate; }

    bool null() override
    {
        scalar(Kind::Null);
        return true;
    }
    bool boolean(bool) override
    {
        scalar(Kind::Boolean);
        return true;
    }
    bool number_integer(number_integer_t value) override
    {
        if (Member *m = scalar(Kind::Integer))
            m->integer = value;
        return true;
    }
    bool number_unsigned(number_unsigned_t value) override
    {
        const bool inRange = value <= static_cast<number_unsigned_t>(std::numeric_limits<std::int64_t>::max());
        if (Member *m = scalar(inRange ? Kind::Integer : Kind::OutOfRange)) {
            m->integer = inRange ? static_cast<std::int64_t>(value) : 0;
            if (!inRange)
                m->text = std::to_string(value);
        }
        return true;
    }
    bool number_float(number_float_t, const string_t &) override
    {
        scalar(Kind::Float);
        return true;
    }
    bool string(string_t &value) override
    {
        if (Member *m = scalar(Kind::String))
            m->text = value;
        return true;
    }
    bool binary(binary_t &) override { return false; } // only binary formats have these
    bool start_object(std::size_t) override { return open(Kind::Object); }
    bool end_object() override { return close(); }
    bool start_array(std::size_t) override { return open(Kind::Array); }
    bool end_array() override { return close(); }
    bool key(string_t &name) override
    {
        m_current = nullptr;
        if (m_depth != 1)
            return true;
        const auto it = std::find(kNames.begin(), kNames.end(), name);
        if (it == kNames.end())
            return true; // other claims are ignored
        m_current = &m_members[static_cast<std::size_t>(it - kNames.begin())];
        if (m_current->kind != Kind::Missing) {
            m_duplicate = name;
            return false;
        }
        return true;
    }
    bool parse_error(std::size_t, const std::string &, const nlohmann::detail::exception &) override { return false; }

private:
    /// The member a value at the current place belongs to, if verify() reads it.
    Member *scalar(Kind kind)
    {
        if (m_depth == 0)
            m_topLevel = kind;
        if (m_depth != 1 || m_current == nullptr)
            return nullptr;
        m_current->kind = kind;
        return m_current;
    }
    bool open(Kind kind)
    {
        scalar(kind);
        ++m_depth;
        return true;
    }
    bool close()
    {
        --m_depth;
        return true;
    }

    std::array<Member, kClaims> m_members;
    Member *m_current = nullptr;
    std::size_t m_depth = 0;
    Kind m_topLevel = Kind::Missing;
    std::string m_duplicate;
};

/// Reads integer claim `claim` into `value`. Returns what is wrong, or an empty string.
std::string integerClaim(const PayloadReader &payload, PayloadReader::Claim claim, std::int64_t &value)
{
    const PayloadReader::Member &member = payload.member(claim);
    const std::string name(PayloadReader::kNames[claim]);
    switch (member.kind) {
    case Kind::Integer:
        value = member.integer;
        return {};
    case Kind::Missing:
        return "the invite token has no " + name + " claim";
    case Kind::OutOfRange:
        return "the invite token's " + name + " claim " + member.text + " is out of range";
    default:
        return "the invite token's " + name + " claim is " + describe(member.kind) + "; an integer is required";
    }
}

std::string positiveClaim(const PayloadReader &payload, PayloadReader::Claim claim, std::int64_t &value)
{
    if (std::string problem = integerClaim(payload, claim, value); !problem.empty())
        return problem;
    if (value <= 0)
        return "the invite token's " + std::string(PayloadReader::kNames[claim]) + " claim is " +
               std::to_string(value) + "; it must be positive";
    return {};
}

/// Reads string claim `claim` into `value`: at most `maxLength` bytes, and not
/// empty when `required`. Returns what is wrong, or an empty string.
std::string stringClaim(const PayloadReader &payload, PayloadReader::Claim claim, bool required, std::size_t maxLength,
                        std::string &value)
{
    const PayloadReader::Member &member = payload.member(claim);
    const std::string_view name = PayloadReader::kNames[claim];
    if (member.kind == Kind::Missing && !required)
        return {};
    if (member.kind == Kind::Missing)
        return "the invite token has no " + std::string(name) + " claim";
    if (member.kind != Kind::String)
        return "the invite token's " + std::string(name) + " claim is " + describe(member.kind) +
               "; a string is required";
    if (member.text.empty() && required)
        return "the invite token's " + std::string(name) + " claim is empty";
    if (member.text.size() > maxLength)
        return "the invite token's " + std::string(name) + " claim is " + std::to_string(member.text.size()) +
               " bytes long; at most " + std::to_string(maxLength) + " are allowed";
    value = member.text;
    return {};
}

std::variant<InviteClaims, TokenRefusal> verifyToken(const EVP_MAC_CTX *keyed, std::uint64_t generation,
                                                     std::string_view token, std::int64_t now, std::int64_t leeway)
{
    if (token.empty())
        return invalid("the invite token is empty");
    if (token.size() > InviteTokens::kMaxTokenLength)
        return invalid("the invite token is " + std::to_string(token.size()) + " bytes long; at most " +
                       std::to_string(InviteTokens::kMaxTokenLength) + " are accepted");
    const std::size_t dot1 = token.find('.');
    const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
        const auto parts = std::count(token.begin(), token.end(), '.') + 1;
        return invalid("the invite token has " + std::to_string(parts) + (parts == 1 ? " part" : " parts") +
                       "; a JWT has exactly 3: header.payload.signature");
    }
    if (std::string problem = checkHeader(token.substr(0, dot1)); !problem.empty())
        return invalid(std::move(problem));

    const std::string_view signature = token.substr(dot2 + 1);
    if (signature.empty())
        return invalid("the invite token's signature is empty");
    std::string given;
    if (std::string problem = decodeBase64url(signature, given); !problem.empty())
        return invalid("the invite token's signature is not base64url: " + problem);
    if (given.size() != kSignatureBytes)
        return invalid("the invite token's signature is " + std::to_string(given.size()) +
                       " bytes long; an HS256 signature is " + std::to_string(kSignatureBytes));
    unsigned char expected[kSignatureBytes];
    if (!hmacSha256(keyed, generation, token.substr(0, dot2), expected))
        return invalid("the invite token could not be checked: OpenSSL cannot compute HMAC-SHA256");
    if (CRYPTO_memcmp(expected, given.data(), kSignatureBytes) != 0)
        return invalid("the invite token's signature does not match");

    // Signed by us: only now is the payload read.
    std::string text;
    if (std::string problem = decodeBase64url(token.substr(dot1 + 1, dot2 - dot1 - 1), text); !problem.empty())
        return invalid("the invite token's payload is not base64url: " + problem);
    PayloadReader payload;
    if (!payload.read(text)) {
        if (!payload.duplicate().empty())
            return invalid("the invite token has the " + payload.duplicate() + " claim twice");
        return invalid("the invite token's payload is not JSON");
    }
    if (payload.topLevel() != Kind::Object)
        return invalid("the invite token's payload is " + describe(payload.topLevel()) + ", not a JSON object");
    InviteClaims claims;
    using Claim = PayloadReader::Claim;
    for (std::string problem :
         {positiveClaim(payload, Claim::Uid, claims.uid), positiveClaim(payload, Claim::InviterId, claims.inviterId),
          integerClaim(payload, Claim::InviteTime, claims.inviteTime), integerClaim(payload, Claim::Exp, claims.exp),
          stringClaim(payload, Claim::Jti, true, InviteTokens::kMaxJtiLength, claims.jti),
          stringClaim(payload, Claim::Ref, false, InviteTokens::kMaxRefLength, claims.ref)}) {
        if (!problem.empty())
            return invalid(std::move(problem));
    }

    leeway = std::max<std::int64_t>(leeway, 0);
    // now > exp + leeway, without overflowing.
    if (claims.exp <= std::numeric_limits<std::int64_t>::max() - leeway && now > claims.exp + leeway)
        return TokenRefusal{std::string(kExpiredToken), "the invite token expired at " + utcText(claims.exp) +
                                                            " (leeway " + std::to_string(leeway) + " s)"};
    return claims;
}

/// Closes a file descriptor when it goes out of scope.
class FileDescriptor final {
public:
    explicit FileDescriptor(int fd) : m_fd(fd) {}
    ~FileDescriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

bool writeAll(int fd, std::string_view data)
{
    while (!data.empty()) {
        const ssize_t written = ::write(fd, data.data(), data.size());
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return false;
        data.remove_prefix(static_cast<std::size_t>(written));
    }
    return true;
}

} // namespace

struct InviteTokens::Mac {
    std::uint64_t generation = 0;
    /// HMAC-SHA256 keyed with the secret; only ever copied, so it is shared by all
    /// threads without a lock.
    MacCtxPtr keyed;
};

InviteTokens::InviteTokens(std::string secret)
{
    if (const std::string weak = weakness(secret); !weak.empty()) {
        OPENSSL_cleanse(secret.data(), secret.size());
        throw std::invalid_argument("the invite secret is " + weak);
    }
    const MacPtr hmac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    MacCtxPtr keyed(hmac ? EVP_MAC_CTX_new(hmac.get()) : nullptr);
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    const bool keyedOk = keyed && EVP_MAC_init(keyed.get(), bytes(secret), secret.size(), params) == 1;
    OPENSSL_cleanse(secret.data(), secret.size());
    if (!keyedOk)
        throw std::runtime_error("OpenSSL cannot set up HMAC-SHA256 for invite tokens");
    m_mac = std::make_unique<Mac>(Mac{++g_generation, std::move(keyed)});
}

InviteTokens::~InviteTokens() = default;
InviteTokens::InviteTokens(InviteTokens &&) noexcept = default;
InviteTokens &InviteTokens::operator=(InviteTokens &&) noexcept = default;

std::string InviteTokens::issue(const InviteClaims &claims) const
{
    if (claims.uid <= 0 || claims.inviterId <= 0)
        throw std::invalid_argument("an invite token needs a positive uid and inviter_id");
    if (claims.jti.empty() || claims.jti.size() > kMaxJtiLength)
        throw std::invalid_argument("an invite token's jti must be 1 to " + std::to_string(kMaxJtiLength) +
                                    " bytes long");
    if (claims.ref.size() > kMaxRefLength)
        throw std::invalid_argument("an invite token's ref must be at most " + std::to_string(kMaxRefLength) +
                                    " bytes long");
    nlohmann::ordered_json payload = {{"uid", claims.uid},
                                      {"inviter_id", claims.inviterId},
                                      {"invite_time", claims.inviteTime},
                                      {"exp", claims.exp},
                                      {"jti", claims.jti}};
    if (!claims.ref.empty())
        payload["ref"] = claims.ref;
    std::string payloadText;
    try {
        payloadText = payload.dump();
    } catch (const nlohmann::json::type_error &) {
        throw std::invalid_argument("an invite token's jti and ref must be UTF-8");
    }
    std::string token(kHeaderBase64url);
    token += '.';
    appendBase64url(token, bytes(payloadText), payloadText.size());
    unsigned char signature[kSignatureBytes];
    if (!hmacSha256(m_mac->keyed.get(), m_mac->generation, token, signature))
        throw std::runtime_error("OpenSSL cannot compute HMAC-SHA256 for an invite token");
    token += '.';
    appendBase64url(token, signature, kSignatureBytes);
    return token;
}

std::variant<InviteClaims, TokenRefusal> InviteTokens::verify(std::string_view token, std::int64_t nowUnixSeconds,
                                                              std::int64_t leewaySeconds) const
{
    try {
        return verifyToken(m_mac->keyed.get(), m_mac->generation, token, nowUnixSeconds, leewaySeconds);
    } catch (const std::exception &e) {
        return invalid(std::string("the invite token could not be checked: ") + e.what());
    }
}

std::string InviteTokens::newJti()
{
    unsigned char random[kJtiRandomBytes];
    if (RAND_bytes(random, sizeof random) != 1)
        throw std::runtime_error("OpenSSL cannot generate random bytes for an invite token id");
    return base64url(random, sizeof random);
}

std::string loadInviteSecret(const std::string &path)
{
    // A secret is a line of text; anything far longer is the wrong file.
    constexpr std::size_t kMaxFileBytes = 4096;
    const FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.get() < 0)
        throw std::runtime_error("cannot read the invite secret file " + path + ": " + errnoText());
    struct stat info {};
    if (::fstat(file.get(), &info) != 0)
        throw std::runtime_error("cannot read the invite secret file " + path + ": " + errnoText());
    if ((info.st_mode & 077) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(info.st_mode & 07777));
        throw std::runtime_error("the invite secret file " + path + " is open to other users (mode " + mode +
                                 "); make it readable by its owner only: chmod 600 " + path);
    }
    std::string secret;
    char buffer[1024];
    for (;;) {
        const ssize_t n = ::read(file.get(), buffer, sizeof buffer);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw std::runtime_error("cannot read the invite secret file " + path + ": " + errnoText());
        if (n == 0)
            break;
        secret.append(buffer, static_cast<std::size_t>(n));
        if (secret.size() > kMaxFileBytes)
            throw std::runtime_error("the invite secret file " + path + " is larger than " +
                                     std::to_string(kMaxFileBytes) + " bytes; it cannot be a secret");
    }
    OPENSSL_cleanse(buffer, sizeof buffer);
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r' || secret.back() == ' '))
        secret.pop_back();
    if (secret.empty())
        throw std::runtime_error("the invite secret file " + path + " is empty");
    if (const std::string weak = weakness(secret); !weak.empty()) {
        OPENSSL_cleanse(secret.data(), secret.size());
        throw std::runtime_error("the invite secret in " + path + " is " + weak);
    }
    return secret;
}

std::string createInviteSecretFile(const std::string &path)
{
    const FileDescriptor file(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (file.get() < 0) {
        if (errno == EEXIST)
            return loadInviteSecret(path);
        throw std::runtime_error("cannot create the invite secret file " + path + ": " + errnoText());
    }
    const auto fail = [&path](const std::string &what) {
        const std::string reason = errnoText();
        ::unlink(path.c_str());
        return std::runtime_error(what + path + ": " + reason);
    };
    // The umask may have taken the owner's bits too; the mode is exactly 0600.
    if (::fchmod(file.get(), 0600) != 0)
        throw fail("cannot set the mode of the invite secret file ");
    unsigned char random[kSecretFileRandomBytes];
    if (RAND_bytes(random, sizeof random) != 1) {
        ::unlink(path.c_str());
        throw std::runtime_error("OpenSSL cannot generate random bytes for the invite secret file " + path);
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string secret;
    secret.reserve(2 * sizeof random + 1);
    for (const unsigned char b : random) {
        secret += kHex[b >> 4];
        secret += kHex[b & 0xf];
    }
    OPENSSL_cleanse(random, sizeof random);
    if (!writeAll(file.get(), secret + '\n') || ::fsync(file.get()) != 0)
        throw fail("cannot write the invite secret file ");
    return secret;
}

} // namespace flywheel::referral
