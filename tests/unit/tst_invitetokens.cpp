#include "domain/referral/JtiRegistry.h"
#include "referral/InviteTokens.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

using namespace flywheel::referral;

namespace {

using Verdict = std::variant<InviteClaims, TokenRefusal>;

// 64 hex digits: 256 bits.
const std::string kSecret = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
constexpr std::int64_t T0 = 1767225600;   // 2026-01-01T00:00:00Z
constexpr std::int64_t kExp = T0 + 86400; // 2026-01-02T00:00:00Z
constexpr std::int64_t kLeeway = 60;
const std::string kHeader = R"({"alg":"HS256","typ":"JWT"})";
const std::string kPayload = R"({"uid":42,"inviter_id":7,"invite_time":1767225600,"exp":1767312000,"jti":"abc"})";

/// Claims for user 42 invited by 7 at T0.
InviteClaims claimsFor(std::int64_t exp = kExp, std::string jti = "abc", std::string ref = {})
{
    return InviteClaims{42, 7, T0, exp, std::move(jti), std::move(ref)};
}

/// The tokens below are built here, with OpenSSL alone, as an attacker would.
std::string b64url(std::string_view data)
{
    std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                                  reinterpret_cast<const unsigned char *>(data.data()), static_cast<int>(data.size()));
    out.resize(static_cast<std::size_t>(n));
    while (!out.empty() && out.back() == '=')
        out.pop_back();
    for (char &c : out)
        c = c == '+' ? '-' : c == '/' ? '_' : c;
    return out;
}

std::string unb64url(std::string_view text)
{
    std::string padded(text);
    for (char &c : padded)
        c = c == '-' ? '+' : c == '_' ? '/' : c;
    const std::size_t padding = (4 - padded.size() % 4) % 4;
    padded.append(padding, '=');
    std::string out(padded.size() / 4 * 3, '\0');
    const int n =
        EVP_DecodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                        reinterpret_cast<const unsigned char *>(padded.data()), static_cast<int>(padded.size()));
    out.resize(static_cast<std::size_t>(n) - padding);
    return out;
}

std::string hmac(const EVP_MD *md, std::string_view key, std::string_view data)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char *>(data.data()),
         data.size(), mac, &length);
    return std::string(reinterpret_cast<const char *>(mac), length);
}

/// `header.payload.signature` with the signature computed by `md` under `secret`.
std::string signedToken(std::string_view header, std::string_view payload, const EVP_MD *md = EVP_sha256(),
                        const std::string &secret = kSecret)
{
    const std::string input = b64url(header) + '.' + b64url(payload);
    return input + '.' + b64url(hmac(md, secret, input));
}

/// Signs already encoded parts, which may be malformed.
std::string signParts(const std::string &headerPart, const std::string &payloadPart)
{
    const std::string input = headerPart + '.' + payloadPart;
    return input + '.' + b64url(hmac(EVP_sha256(), kSecret, input));
}

std::vector<std::string> split(const std::string &token)
{
    std::vector<std::string> parts(1);
    for (const char c : token) {
        if (c == '.')
            parts.emplace_back();
        else
            parts.back() += c;
    }
    return parts;
}

/// "accepted" or "reason: message", so that one QCOMPARE checks the outcome and
/// the exact message.
std::string outcome(const Verdict &verdict)
{
    if (const auto *refusal = std::get_if<TokenRefusal>(&verdict))
        return refusal->reason + ": " + refusal->message;
    return "accepted";
}

std::string verifyAt(const std::string &token, std::int64_t now, std::int64_t leeway = kLeeway)
{
    return outcome(InviteTokens(kSecret).verify(token, now, leeway));
}

std::string invalid(const std::string &message)
{
    return "invalid_token: " + message;
}

template <typename Exception, typename F>
std::string thrown(F &&f)
{
    try {
        f();
    } catch (const Exception &e) {
        return e.what();
    }
    return "nothing thrown";
}

std::string pathIn(const QTemporaryDir &dir, const char *name)
{
    return dir.filePath(QString::fromLatin1(name)).toStdString();
}

/// Writes `content` to `path`, readable and writable by its owner only.
void writeFile(const std::string &path, const std::string &content)
{
    QFile file(QString::fromStdString(path));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(content.data(), static_cast<qint64>(content.size())), static_cast<qint64>(content.size()));
    QVERIFY(::chmod(path.c_str(), 0600) == 0);
}

} // namespace

class TestInviteTokens final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void aValidTokenRoundTrips()
    {
        const InviteTokens tokens(kSecret);
        const InviteClaims claims = claimsFor(kExp, InviteTokens::newJti());
        const std::string token = tokens.issue(claims);

        const std::vector<std::string> parts = split(token);
        QCOMPARE(parts.size(), std::size_t(3));
        QCOMPARE(token.find('='), std::string::npos);
        QCOMPARE(unb64url(parts[0]), kHeader);
        QCOMPARE(unb64url(parts[1]), R"({"uid":42,"inviter_id":7,"invite_time":1767225600,"exp":1767312000,"jti":)" +
                                         ('"' + claims.jti + '"') + '}');
        QCOMPARE(parts[2], b64url(hmac(EVP_sha256(), kSecret, parts[0] + '.' + parts[1])));

        const Verdict verdict = tokens.verify(token, T0, kLeeway);
        QCOMPARE(outcome(verdict), std::string("accepted"));
        const auto &got = std::get<InviteClaims>(verdict);
        QCOMPARE(got.uid, claims.uid);
        QCOMPARE(got.inviterId, claims.inviterId);
        QCOMPARE(got.inviteTime, claims.inviteTime);
        QCOMPARE(got.exp, claims.exp);
        QCOMPARE(got.jti, claims.jti);
    }

    void anotherHeaderOrderAndExtraClaimsAreAccepted()
    {
        const std::string token =
            signedToken(R"({"typ":"JWT","kid":"k1","alg":"HS256"})",
                        R"({"jti":"x","exp":1767312000,"invite_time":5,"inviter_id":7,"uid":42,"role":"admin"})");
        const Verdict verdict = InviteTokens(kSecret).verify(token, T0, kLeeway);
        QCOMPARE(outcome(verdict), std::string("accepted"));
        QCOMPARE(std::get<InviteClaims>(verdict).jti, std::string("x"));
        QCOMPARE(std::get<InviteClaims>(verdict).inviteTime, std::int64_t(5));
    }

    void theOptionalRefRoundTrips()
    {
        const InviteTokens tokens(kSecret);
        const std::string token = tokens.issue(claimsFor(kExp, "abc", "summer-1"));
        QCOMPARE(unb64url(split(token)[1]),
                 std::string(R"({"uid":42,"inviter_id":7,"invite_time":1767225600,"exp":1767312000,"jti":"abc",)"
                             R"("ref":"summer-1"})"));
        const Verdict verdict = tokens.verify(token, T0, kLeeway);
        QCOMPARE(outcome(verdict), std::string("accepted"));
        QCOMPARE(std::get<InviteClaims>(verdict).ref, std::string("summer-1"));
        QCOMPARE(verifyAt(signedToken(kHeader, R"({"uid":42,"inviter_id":7,"invite_time":1,"exp":1767312000,)"
                                               R"("jti":"abc","ref":7})"),
                          T0),
                 invalid("the invite token's ref claim is a number; a string is required"));
    }

    void newJtisAreRandom()
    {
        const std::string a = InviteTokens::newJti();
        QCOMPARE(a.size(), std::size_t(22)); // 16 bytes
        QCOMPARE(unb64url(a).size(), std::size_t(16));
        QVERIFY(a != InviteTokens::newJti());
    }

    void algNoneIsRefused()
    {
        const std::string none = b64url(R"({"alg":"none","typ":"JWT"})") + '.' + b64url(kPayload);
        const std::string expected = invalid("the invite token's algorithm is none; only HS256 is accepted");
        QCOMPARE(verifyAt(none + '.', T0), expected);
        // Even with a signature that is right for the text, "none" is not accepted.
        QCOMPARE(verifyAt(none + '.' + b64url(hmac(EVP_sha256(), kSecret, none)), T0), expected);
        QCOMPARE(verifyAt(none, T0),
                 invalid("the invite token has 2 parts; a JWT has exactly 3: header.payload.signature"));
        QCOMPARE(verifyAt(b64url(R"({"alg":"None"})") + '.' + b64url(kPayload) + '.', T0),
                 invalid("the invite token's algorithm is None; only HS256 is accepted"));
    }

    void otherAlgorithmsAreRefused()
    {
        // Properly signed with HMAC-SHA512 and the same secret.
        QCOMPARE(verifyAt(signedToken(R"({"alg":"HS512","typ":"JWT"})", kPayload, EVP_sha512()), T0),
                 invalid("the invite token's algorithm is HS512; only HS256 is accepted"));
        // An HS512 signature under a header that claims HS256.
        QCOMPARE(verifyAt(signedToken(kHeader, kPayload, EVP_sha512()), T0),
                 invalid("the invite token's signature is 64 bytes long; an HS256 signature is 32"));
        QCOMPARE(verifyAt(b64url(R"({"alg":"RS256","typ":"JWT"})") + '.' + b64url(kPayload) + '.' +
                              b64url(std::string(256, '\x5a')),
                          T0),
                 invalid("the invite token's algorithm is RS256; only HS256 is accepted"));
        QCOMPARE(verifyAt(signedToken(R"({"typ":"JWT"})", kPayload), T0),
                 invalid("the invite token's header has no alg; only HS256 is accepted"));
        QCOMPARE(verifyAt(signedToken(R"({"alg":["HS256"]})", kPayload), T0),
                 invalid("the invite token's alg is an array; only HS256 is accepted"));
        QCOMPARE(verifyAt(signedToken(R"({"alg":"HS256","typ":"JWE"})", kPayload), T0),
                 invalid("the invite token's typ is JWE; only JWT is accepted"));
        QCOMPARE(verifyAt(signedToken(R"({"alg":"HS256","crit":["exp"]})", kPayload), T0),
                 invalid("the invite token's header has a crit parameter; no JWT extensions are supported"));
        QCOMPARE(verifyAt(signedToken(R"(["HS256"])", kPayload), T0),
                 invalid("the invite token's header is an array, not a JSON object"));
        QCOMPARE(verifyAt(signedToken("{\"alg\":\"HS256\"", kPayload), T0),
                 invalid("the invite token's header is not JSON"));
        // An attacker's string is shown escaped and cut in the message.
        QCOMPARE(
            verifyAt(signedToken("{\"alg\":\"a\\nb" + std::string(40, 'x') + "\"}", kPayload), T0),
            invalid("the invite token's algorithm is a\\x0ab" + std::string(29, 'x') + "...; only HS256 is accepted"));
    }

    void aFlippedSignatureByteIsRefused()
    {
        const std::vector<std::string> parts = split(InviteTokens(kSecret).issue(claimsFor()));
        for (const std::size_t i : {std::size_t(0), std::size_t(13), std::size_t(31)}) {
            std::string signature = unb64url(parts[2]);
            signature[i] = static_cast<char>(signature[i] ^ 0x01);
            QCOMPARE(verifyAt(parts[0] + '.' + parts[1] + '.' + b64url(signature), T0),
                     invalid("the invite token's signature does not match"));
        }
        // Signed under another secret of the same length.
        QCOMPARE(verifyAt(signedToken(kHeader, kPayload, EVP_sha256(), std::string(32, 'k')), T0),
                 invalid("the invite token's signature does not match"));
    }

    void anEmptySignatureIsRefused()
    {
        const std::vector<std::string> parts = split(InviteTokens(kSecret).issue(claimsFor()));
        QCOMPARE(verifyAt(parts[0] + '.' + parts[1] + '.', T0), invalid("the invite token's signature is empty"));
        QCOMPARE(verifyAt(parts[0] + '.' + parts[1] + '.' + b64url(unb64url(parts[2]).substr(0, 31)), T0),
                 invalid("the invite token's signature is 31 bytes long; an HS256 signature is 32"));
    }

    void aFlippedPayloadByteIsRefused()
    {
        const std::vector<std::string> parts = split(InviteTokens(kSecret).issue(claimsFor()));
        std::string payload = unb64url(parts[1]);
        const std::size_t digit = payload.find("42");
        QVERIFY(digit != std::string::npos);
        payload[digit + 1] = static_cast<char>(payload[digit + 1] ^ 0x01); // uid 42 -> 43
        QCOMPARE(payload.substr(0, 10), std::string(R"({"uid":43,)"));
        QCOMPARE(verifyAt(parts[0] + '.' + b64url(payload) + '.' + parts[2], T0),
                 invalid("the invite token's signature does not match"));
    }

    void anExpiredTokenIsRefused()
    {
        const std::string token = InviteTokens(kSecret).issue(claimsFor());
        QCOMPARE(verifyAt(token, kExp + 3600),
                 std::string("expired_token: the invite token expired at 2026-01-02T00:00:00Z (leeway 60 s)"));
    }

    void expiryHonoursTheLeewayToTheSecond()
    {
        const std::string token = InviteTokens(kSecret).issue(claimsFor());
        const std::string expired("expired_token: the invite token expired at 2026-01-02T00:00:00Z (leeway 60 s)");
        QCOMPARE(verifyAt(token, kExp + kLeeway - 1), std::string("accepted"));
        QCOMPARE(verifyAt(token, kExp + kLeeway), std::string("accepted"));
        QCOMPARE(verifyAt(token, kExp + kLeeway + 1), expired);
        QCOMPARE(verifyAt(token, kExp, 0), std::string("accepted"));
        QCOMPARE(verifyAt(token, kExp + 1, 0),
                 std::string("expired_token: the invite token expired at 2026-01-02T00:00:00Z (leeway 0 s)"));
        QCOMPARE(verifyAt(token, kExp + 1, -100),
                 std::string("expired_token: the invite token expired at 2026-01-02T00:00:00Z (leeway 0 s)"));
        // exp + leeway beyond the range of int64 does not wrap around.
        const std::string late = InviteTokens(kSecret).issue(claimsFor(std::numeric_limits<std::int64_t>::max() - 10));
        QCOMPARE(verifyAt(late, T0, std::numeric_limits<std::int64_t>::max()), std::string("accepted"));
    }

    void payloadClaimsAreChecked_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<QByteArray>("expected");
        const auto row = [](const char *name, const std::string &payload, const char *message) {
            QTest::newRow(name) << QByteArray::fromStdString(payload)
                                << (message ? QByteArray("invalid_token: ") + message : QByteArray("accepted"));
        };
        row("no exp", R"({"uid":42,"inviter_id":7,"invite_time":1767225600,"jti":"abc"})",
            "the invite token has no exp claim");
        row("no jti", R"({"uid":42,"inviter_id":7,"invite_time":1767225600,"exp":1767312000})",
            "the invite token has no jti claim");
        row("empty jti", R"({"uid":42,"inviter_id":7,"invite_time":1,"exp":1767312000,"jti":""})",
            "the invite token's jti claim is empty");
        row("jti number", R"({"uid":42,"inviter_id":7,"invite_time":1,"exp":1767312000,"jti":5})",
            "the invite token's jti claim is a number; a string is required");
        const std::string longJti = R"({"uid":42,"inviter_id":7,"invite_time":1,"exp":1767312000,"jti":)" +
                                    ('"' + std::string(129, 'j') + '"') + '}';
        row("jti too long", longJti, "the invite token's jti claim is 129 bytes long; at most 128 are allowed");
        row("exp string", R"({"uid":42,"inviter_id":7,"invite_time":1,"exp":"1767312000","jti":"abc"})",
            "the invite token's exp claim is a string; an integer is required");
        row("exp float", R"({"uid":42,"inviter_id":7,"invite_time":1,"exp":1767312000.0,"jti":"abc"})",
            "the invite token's exp claim is a floating-point number; an integer is required");
        row("exp null", R"({"uid":42,"inviter_id":7,"invite_time":1,"exp":null,"jti":"abc"})",
            "the invite token's exp claim is null; an integer is required");
        row("no uid", R"({"inviter_id":7,"invite_time":1,"exp":1767312000,"jti":"abc"})",
            "the invite token has no uid claim");
        row("uid 0", R"({"uid":0,"inviter_id":7,"invite_time":1,"exp":1767312000,"jti":"abc"})",
            "the invite token's uid claim is 0; it must be positive");
        row("uid too large", R"({"uid":9223372036854775808,"inviter_id":7,"invite_time":1,"exp":1767312000,"jti":"a"})",
            "the invite token's uid claim 9223372036854775808 is out of range");
        row("uid object", R"({"uid":{"uid":42},"inviter_id":7,"invite_time":1,"exp":1767312000,"jti":"a"})",
            "the invite token's uid claim is an object; an integer is required");
        row("uid twice", R"({"uid":42,"inviter_id":7,"invite_time":1,"exp":1767312000,"jti":"a","uid":1})",
            "the invite token has the uid claim twice");
        row("inviter negative", R"({"uid":42,"inviter_id":-7,"invite_time":1,"exp":1767312000,"jti":"abc"})",
            "the invite token's inviter_id claim is -7; it must be positive");
        row("inviter boolean", R"({"uid":42,"inviter_id":true,"invite_time":1,"exp":1767312000,"jti":"a"})",
            "the invite token's inviter_id claim is a boolean; an integer is required");
        row("no invite_time", R"({"uid":42,"inviter_id":7,"exp":1767312000,"jti":"abc"})",
            "the invite token has no invite_time claim");
        row("array", R"([42,7])", "the invite token's payload is an array, not a JSON object");
        row("string", "\"uid\"", "the invite token's payload is a string, not a JSON object");
        row("not JSON", R"({"uid":42,)", "the invite token's payload is not JSON");
        // Claims are read at the top level only.
        row("nested claims",
            R"({"x":{"uid":0,"exp":1},"y":[{"jti":5}],"uid":42,"inviter_id":7,"invite_time":1,)"
            R"("exp":1767312000,"jti":"a"})",
            nullptr);
    }

    void payloadClaimsAreChecked()
    {
        QFETCH(QByteArray, payload);
        QFETCH(QByteArray, expected);
        QCOMPARE(verifyAt(signedToken(kHeader, payload.toStdString()), T0), expected.toStdString());
    }

    void issueRefusesClaimsThatWouldNotVerify()
    {
        const InviteTokens tokens(kSecret);
        QCOMPARE(thrown<std::invalid_argument>([&] {
                     tokens.issue({0, 7, T0, kExp, "abc", {}});
                 }),
                 std::string("an invite token needs a positive uid and inviter_id"));
        QCOMPARE(thrown<std::invalid_argument>([&] { tokens.issue(claimsFor(kExp, "")); }),
                 std::string("an invite token's jti must be 1 to 128 bytes long"));
        QCOMPARE(thrown<std::invalid_argument>([&] { tokens.issue(claimsFor(kExp, "\xff")); }),
                 std::string("an invite token's jti and ref must be UTF-8"));
    }

    void notThreePartsIsRefused()
    {
        QCOMPARE(verifyAt("", T0), invalid("the invite token is empty"));
        QCOMPARE(verifyAt("abc", T0),
                 invalid("the invite token has 1 part; a JWT has exactly 3: header.payload.signature"));
        const std::string token = InviteTokens(kSecret).issue(claimsFor());
        QCOMPARE(verifyAt(token + ".", T0),
                 invalid("the invite token has 4 parts; a JWT has exactly 3: header.payload.signature"));
        QCOMPARE(verifyAt(token + ".a.b", T0),
                 invalid("the invite token has 5 parts; a JWT has exactly 3: header.payload.signature"));
        QCOMPARE(verifyAt(std::string(5000, 'a'), T0),
                 invalid("the invite token is 5000 bytes long; at most 4096 are accepted"));
    }

    void badBase64IsRefused()
    {
        const std::vector<std::string> parts = split(InviteTokens(kSecret).issue(claimsFor()));
        // Standard base64 with its padding.
        const std::string header = R"({"alg":"HS256","typ":"JWT" })";
        std::string padded = b64url(header);
        const std::size_t unpadded = padded.size();
        padded += "==";
        QCOMPARE(verifyAt(padded + '.' + parts[1] + '.' + parts[2], T0),
                 invalid("the invite token's header is not base64url: it has '=' padding at position " +
                         std::to_string(unpadded + 1) + ", which a JWT does not use"));
        QCOMPARE(verifyAt(parts[0] + '.' + parts[1] + '.' + parts[2] + "=", T0),
                 invalid("the invite token's signature is not base64url: it has '=' padding at position 44, which a "
                         "JWT does not use"));
        QCOMPARE(verifyAt(parts[0] + '.' + parts[1] + '.' + parts[2] + "AA", T0),
                 invalid("the invite token's signature is not base64url: its length of 45 characters is not a "
                         "possible base64 length"));
        QCOMPARE(verifyAt(parts[0] + '.' + parts[1] + ".+" + parts[2].substr(1), T0),
                 invalid("the invite token's signature is not base64url: '+' at position 1 is not in the base64url "
                         "alphabet"));
        QCOMPARE(verifyAt(parts[0] + '.' + parts[1] + '.' + parts[2].substr(0, 42) + " ", T0),
                 invalid("the invite token's signature is not base64url: byte 0x20 at position 43 is not in the "
                         "base64url alphabet"));
        // The same bytes written with the unused low bits of the last character set.
        std::string signature = parts[2];
        QCOMPARE(signature.size(), std::size_t(43));
        signature.back() = static_cast<char>(signature.back() + 1);
        QCOMPARE(verifyAt(parts[0] + '.' + parts[1] + '.' + signature, T0),
                 invalid("the invite token's signature is not base64url: its last character has bits set beyond the "
                         "encoded bytes"));
        // A payload that is not base64url, signed: refused when the payload is read.
        std::string payload = parts[1];
        payload[5] = '*';
        QCOMPARE(verifyAt(signParts(parts[0], payload), T0),
                 invalid("the invite token's payload is not base64url: '*' at position 6 is not in the base64url "
                         "alphabet"));
        QCOMPARE(verifyAt("e$." + parts[1] + '.' + parts[2], T0),
                 invalid("the invite token's header is not base64url: '$' at position 2 is not in the base64url "
                         "alphabet"));
    }

    void tokensOfOneSecretFailUnderAnother()
    {
        // Each thread caches a keyed HMAC context; it must follow the instance used.
        auto a = std::make_unique<InviteTokens>(kSecret);
        const InviteTokens b(std::string(64, 'b'));
        const std::string token = a->issue(claimsFor());
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(outcome(a->verify(token, T0, kLeeway)), std::string("accepted"));
            QCOMPARE(outcome(b.verify(token, T0, kLeeway)), invalid("the invite token's signature does not match"));
        }
        a = std::make_unique<InviteTokens>(std::string(64, 'c'));
        QCOMPARE(outcome(a->verify(token, T0, kLeeway)), invalid("the invite token's signature does not match"));
    }

    void shortSecretsAreRejected()
    {
        QCOMPARE(thrown<std::invalid_argument>([] { InviteTokens(std::string(31, 's')); }),
                 std::string("the invite secret is 248 bits; at least 256 are required"));
        QCOMPARE(thrown<std::invalid_argument>([] { InviteTokens(std::string(32, 's')); }),
                 std::string("nothing thrown"));
        // Hex digits carry 4 bits each: 32 of them are 128 bits, 64 are needed.
        QCOMPARE(thrown<std::invalid_argument>([] { InviteTokens(std::string(32, 'a')); }),
                 std::string("the invite secret is 32 hex digits, 128 bits; at least 256 bits (64 hex digits) are "
                             "required"));
        QCOMPARE(thrown<std::invalid_argument>([] { InviteTokens(std::string(63, 'F')); }),
                 std::string("the invite secret is 63 hex digits, 252 bits; at least 256 bits (64 hex digits) are "
                             "required"));
        QCOMPARE(thrown<std::invalid_argument>([] { InviteTokens(std::string(64, 'F')); }),
                 std::string("nothing thrown"));

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string shortFile = pathIn(dir, "short");
        writeFile(shortFile, std::string(31, 's') + "\n");
        QCOMPARE(thrown<std::runtime_error>([&] { loadInviteSecret(shortFile); }),
                 "the invite secret in " + shortFile + " is 248 bits; at least 256 are required");
        const std::string goodFile = pathIn(dir, "good");
        writeFile(goodFile, std::string(32, 's') + "\r\n  \n");
        QCOMPARE(loadInviteSecret(goodFile), std::string(32, 's'));
        const std::string hexFile = pathIn(dir, "hex");
        writeFile(hexFile, "0123456789abcdef0123456789ABCDEF\n");
        QCOMPARE(thrown<std::runtime_error>([&] { loadInviteSecret(hexFile); }),
                 "the invite secret in " + hexFile +
                     " is 32 hex digits, 128 bits; at least 256 bits (64 hex digits) are required");
        writeFile(hexFile, kSecret + "\n");
        QCOMPARE(loadInviteSecret(hexFile), kSecret);
        const std::string emptyFile = pathIn(dir, "empty");
        writeFile(emptyFile, "\n");
        QCOMPARE(thrown<std::runtime_error>([&] { loadInviteSecret(emptyFile); }),
                 "the invite secret file " + emptyFile + " is empty");
        const std::string missing = pathIn(dir, "missing");
        QCOMPARE(thrown<std::runtime_error>([&] { loadInviteSecret(missing); }),
                 "cannot read the invite secret file " + missing + ": No such file or directory");
    }

    void secretFilesOthersCanReadAreRefused()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = pathIn(dir, "invite.secret");
        writeFile(path, kSecret + "\n");
        for (const mode_t mode : {mode_t(0640), mode_t(0604), mode_t(0620), mode_t(0601), mode_t(0644)}) {
            QVERIFY(::chmod(path.c_str(), mode) == 0);
            char octal[8];
            std::snprintf(octal, sizeof octal, "%04o", static_cast<unsigned>(mode));
            QCOMPARE(thrown<std::runtime_error>([&] { loadInviteSecret(path); }),
                     "the invite secret file " + path + " is open to other users (mode " + octal +
                         "); make it readable by its owner only: chmod 600 " + path);
            // createInviteSecretFile reads an existing file the same way.
            QCOMPARE(thrown<std::runtime_error>([&] { createInviteSecretFile(path); }),
                     "the invite secret file " + path + " is open to other users (mode " + octal +
                         "); make it readable by its owner only: chmod 600 " + path);
        }
        for (const mode_t mode : {mode_t(0600), mode_t(0400)}) {
            QVERIFY(::chmod(path.c_str(), mode) == 0);
            QCOMPARE(loadInviteSecret(path), kSecret);
        }
    }

    void createInviteSecretFileCreatesItOnce()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const std::string path = pathIn(dir, "invite.secret");
        const std::string secret = createInviteSecretFile(path);
        QCOMPARE(secret.size(), std::size_t(64));
        QCOMPARE(secret.find_first_not_of("0123456789abcdef"), std::string::npos);
        struct stat info {};
        QCOMPARE(::stat(path.c_str(), &info), 0);
        QCOMPARE(info.st_mode & 07777, mode_t(0600));
        QFile file(QString::fromStdString(path));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().toStdString(), secret + "\n");

        QCOMPARE(createInviteSecretFile(path), secret);
        QCOMPARE(loadInviteSecret(path), secret);
        QVERIFY(createInviteSecretFile(pathIn(dir, "other")) != secret);
        const InviteTokens tokens(secret);
        QCOMPARE(outcome(tokens.verify(tokens.issue(claimsFor()), T0, kLeeway)), std::string("accepted"));

        const std::string nowhere = pathIn(dir, "no/such/dir/secret");
        QCOMPARE(thrown<std::runtime_error>([&] { createInviteSecretFile(nowhere); }),
                 "cannot create the invite secret file " + nowhere + ": No such file or directory");
    }

    void aJtiIsClaimedOnce()
    {
        JtiRegistry registry;
        QVERIFY(!registry.contains("a"));
        QVERIFY(registry.claim("a", kExp));
        QVERIFY(!registry.claim("a", kExp));
        QVERIFY(!registry.claim("a", kExp + 100)); // a replay, whatever its expiry
        QVERIFY(registry.contains("a"));
        QVERIFY(registry.claim("b", kExp));
        QCOMPARE(registry.size(), std::size_t(2));
    }

    void restoredJtisCannotBeClaimed()
    {
        JtiRegistry registry;
        registry.restore("r", kExp);
        QVERIFY(registry.contains("r"));
        QVERIFY(!registry.claim("r", kExp));
        QCOMPARE(registry.size(), std::size_t(1));
    }

    void purgeForgetsExpiredJtis()
    {
        JtiRegistry registry;
        QVERIFY(registry.claim("100", 100));
        QVERIFY(registry.claim("200", 200));
        QVERIFY(registry.claim("300", 300));
        registry.restore("late", 100);
        registry.restore("late", 500); // the later expiry is kept
        QCOMPARE(registry.purge(200), std::size_t(1));
        QVERIFY(!registry.contains("100"));
        QVERIFY(registry.contains("200"));
        QVERIFY(registry.contains("late"));
        QCOMPARE(registry.size(), std::size_t(3));
        QCOMPARE(registry.purge(1000), std::size_t(3));
        QCOMPARE(registry.size(), std::size_t(0));
        QVERIFY(registry.claim("100", 100));
    }

    void concurrentClaimsSucceedOncePerJti()
    {
        constexpr int kThreads = 32;
        constexpr int kJtis = 1000;
        std::vector<std::string> jtis;
        for (int i = 0; i < kJtis; ++i)
            jtis.push_back(InviteTokens::newJti());
        JtiRegistry registry;
        std::atomic<int> successes{0};
        std::atomic<bool> go{false};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                while (!go.load())
                    std::this_thread::yield();
                for (int i = 0; i < kJtis; ++i) {
                    // Threads start at different places and so race on every jti.
                    if (registry.claim(jtis[(i + t * 31) % kJtis], kExp))
                        successes.fetch_add(1);
                }
            });
        }
        go.store(true);
        for (std::thread &thread : threads)
            thread.join();
        QCOMPARE(successes.load(), kJtis);
        QCOMPARE(registry.size(), std::size_t(kJtis));
    }
};

QTEST_GUILESS_MAIN(TestInviteTokens)
#include "tst_invitetokens.moc"
