#include "payments/Crypto.h"
#include "payments/CurlHttpClient.h"

#include <QTest>

#include <string>

namespace crypto = flywheel::payments::crypto;
using crypto::RsaKey;
using flywheel::Result;

namespace {

std::string flipped(std::string text, std::size_t at)
{
    text[at] = static_cast<char>(text[at] ^ 0x01);
    return text;
}

/// A PEM body without its BEGIN/END lines and line breaks: the bare Base64 of the DER.
std::string bareBase64(const std::string &pem)
{
    std::string out;
    std::size_t pos = 0;
    while (pos < pem.size()) {
        const std::size_t end = pem.find('\n', pos);
        const std::string line = pem.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (line.rfind("-----", 0) != 0)
            out += line;
        if (end == std::string::npos)
            break;
        pos = end + 1;
    }
    return out;
}

} // namespace

class TestPayCrypto final : public QObject {
    Q_OBJECT

private:
    // One key for the whole test: generating RSA keys is slow.
    RsaKey m_key = RsaKey::generate();

private Q_SLOTS:
    // Outbound payment calls go over https; plain http only to this machine (the
    // sandboxes), and nothing that merely starts like a loopback address.
    void plainHttpOnlyToThisMachine()
    {
        flywheel::payments::CurlHttpClient http;
        flywheel::payments::HttpRequest request;
        request.method = "GET";
        for (const char *url : {"http://127.evil.example/x", "http://localhost:1@evil.example/", "http://127.0.0.1.nip.io/",
                                "http://localhostx:80/", "ftp://127.0.0.1/", "http://10.0.0.1/"}) {
            const auto sent = http.send(url, request, std::chrono::milliseconds(200));
            QVERIFY2(!sent.ok() && sent.error().code == flywheel::ErrorCode::InvalidArgument, url);
            QVERIFY2(sent.error().message.find("https") != std::string::npos, url);
        }
        // Loopback addresses are tried (nothing listens on port 9: the transport fails).
        for (const char *url : {"http://127.0.0.1:9/x", "http://localhost:9/", "http://[::1]:9/"}) {
            const auto sent = http.send(url, request, std::chrono::milliseconds(500));
            QVERIFY2(!sent.ok() && sent.error().code == flywheel::ErrorCode::Unavailable, url);
        }
    }

    void signVerifyRoundTrip()
    {
        QVERIFY(m_key.hasPrivate());
        const std::string message = "POST\n/v3/pay/transactions/native\n1733560000\nNONCE\n{\"a\":1}\n";
        const std::string signature = m_key.signSha256Base64(message);
        QVERIFY(m_key.verifySha256Base64(message, signature));

        Result<RsaKey> pub = RsaKey::fromPem(m_key.publicPem());
        QVERIFY2(pub.ok(), pub.ok() ? "" : pub.error().message.c_str());
        QVERIFY(!pub.value().hasPrivate());
        QVERIFY(pub.value().verifySha256Base64(message, signature));
        // A different key does not verify it.
        const RsaKey other = RsaKey::generate();
        QVERIFY(!other.verifySha256Base64(message, signature));
    }

    void flippedMessageOrSignatureFails()
    {
        const std::string message = "1733560000\nnonce\n{\"id\":\"EV-1\"}\n";
        const std::string signature = m_key.signSha256Base64(message);
        for (std::size_t i : {std::size_t(0), message.size() / 2, message.size() - 1})
            QVERIFY(!m_key.verifySha256Base64(flipped(message, i), signature));
        const std::string raw = *crypto::base64Decode(signature);
        for (std::size_t i : {std::size_t(0), raw.size() / 2, raw.size() - 1})
            QVERIFY(!m_key.verifySha256Base64(message, crypto::base64Encode(flipped(raw, i))));
        // Truncated or extended signatures.
        QVERIFY(!m_key.verifySha256Base64(message, crypto::base64Encode(raw.substr(0, raw.size() - 1))));
        QVERIFY(!m_key.verifySha256Base64(message, crypto::base64Encode(raw + "x")));
        QVERIFY(!m_key.verifySha256Base64(message, ""));
        // WeChat's deliberate probe.
        QVERIFY(!m_key.verifySha256Base64(message, "WECHATPAY/SIGNTEST/" + signature));
    }

    void badBase64SignatureFails()
    {
        const std::string message = "hello";
        const std::string signature = m_key.signSha256Base64(message);
        QVERIFY(!m_key.verifySha256Base64(message, signature.substr(1)));
        QVERIFY(!m_key.verifySha256Base64(message, "!" + signature.substr(1)));
        QVERIFY(!m_key.verifySha256Base64(message, signature + "\n"));
        QVERIFY(!m_key.verifySha256Base64(message, "not base64 at all"));
    }

    void aesGcmRoundTripWithAad()
    {
        const std::string key = "0123456789abcdefghijklmnopqrstuv"; // 32 ASCII bytes, as WeChat's APIv3 key
        const std::string nonce = "a1b2c3d4e5f6";                   // 12 bytes
        const std::string aad = "transaction";
        const std::string plain = R"({"out_trade_no":"7-1","amount":{"total":128000}})";
        const std::string sealed = crypto::aes256GcmEncrypt(key, nonce, aad, plain);
        QCOMPARE(sealed.size(), plain.size() + 16);
        QCOMPARE(crypto::aes256GcmDecrypt(key, nonce, aad, sealed).value_or("<nullopt>"), plain);
        // Empty AAD and empty plaintext work as well.
        const std::string sealedNoAad = crypto::aes256GcmEncrypt(key, nonce, "", plain);
        QCOMPARE(crypto::aes256GcmDecrypt(key, nonce, "", sealedNoAad).value_or("<nullopt>"), plain);
        const std::string sealedEmpty = crypto::aes256GcmEncrypt(key, nonce, aad, "");
        QCOMPARE(crypto::aes256GcmDecrypt(key, nonce, aad, sealedEmpty).value_or("<nullopt>"), std::string());
        // Through Base64, as it travels.
        const std::optional<std::string> travelled = crypto::base64Decode(crypto::base64Encode(sealed));
        QVERIFY(travelled.has_value());
        QCOMPARE(crypto::aes256GcmDecrypt(key, nonce, aad, *travelled).value_or("<nullopt>"), plain);
    }

    void aesGcmTamperingFails()
    {
        const std::string key = "0123456789abcdefghijklmnopqrstuv";
        const std::string nonce = "a1b2c3d4e5f6";
        const std::string aad = "transaction";
        const std::string plain = R"({"trade_state":"SUCCESS"})";
        const std::string sealed = crypto::aes256GcmEncrypt(key, nonce, aad, plain);
        // Ciphertext bytes and tag bytes (the last 16).
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce, aad, flipped(sealed, 0)));
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce, aad, flipped(sealed, plain.size() - 1)));
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce, aad, flipped(sealed, plain.size())));
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce, aad, flipped(sealed, sealed.size() - 1)));
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce, aad, sealed.substr(0, sealed.size() - 1)));
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce, aad, sealed.substr(0, 15)));
        // AAD, nonce, key.
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce, flipped(aad, 0), sealed));
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce, "", sealed));
        QVERIFY(!crypto::aes256GcmDecrypt(key, flipped(nonce, 11), aad, sealed));
        QVERIFY(!crypto::aes256GcmDecrypt(flipped(key, 31), nonce, aad, sealed));
    }

    void aesGcmWrongSizesFail()
    {
        const std::string key = "0123456789abcdefghijklmnopqrstuv";
        const std::string nonce = "a1b2c3d4e5f6";
        const std::string sealed = crypto::aes256GcmEncrypt(key, nonce, "", "payload");
        QVERIFY(!crypto::aes256GcmDecrypt(key.substr(0, 31), nonce, "", sealed));
        QVERIFY(!crypto::aes256GcmDecrypt(key + "w", nonce, "", sealed));
        QVERIFY(!crypto::aes256GcmDecrypt("", nonce, "", sealed));
        // WeChat's nonce is 12 bytes; anything else is refused, not tried.
        QVERIFY(!crypto::aes256GcmDecrypt(key, "", "", sealed));
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce.substr(0, 11), "", sealed));
        QVERIFY(!crypto::aes256GcmDecrypt(key, nonce + "7", "", sealed));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, crypto::aes256GcmEncrypt(key.substr(1), nonce, "", "x"));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, crypto::aes256GcmEncrypt(key, nonce + "7", "", "x"));
    }

    void hmacSha256Rfc4231Case2()
    {
        QCOMPARE(crypto::hexEncode(crypto::hmacSha256("Jefe", "what do ya want for nothing?")),
                 std::string("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        QCOMPARE(crypto::hexEncode(crypto::sha256("abc")),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    void base64Strictness_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("decoded");
        QTest::newRow("empty") << "" << true << "";
        QTest::newRow("one byte") << "QQ==" << true << "A";
        QTest::newRow("two bytes") << "QUI=" << true << "AB";
        QTest::newRow("three bytes") << "QUJD" << true << "ABC";
        QTest::newRow("plus and slash") << "+/+/" << true << "";
        QTest::newRow("missing padding") << "QQ" << false << "";
        QTest::newRow("too much padding") << "Q===" << false << "";
        QTest::newRow("padding only") << "====" << false << "";
        QTest::newRow("padding in the middle") << "QQ==QUJD" << false << "";
        QTest::newRow("padding then data") << "QU=D" << false << "";
        QTest::newRow("url-safe alphabet") << "-_-_" << false << "";
        QTest::newRow("space") << "QUJD QUJD" << false << "";
        QTest::newRow("newline") << "QUJD\nQUJD" << false << "";
        QTest::newRow("trailing newline") << "QUJD\n" << false << "";
        QTest::newRow("nul byte") << QString::fromLatin1("QUJ\0", 4) << false << "";
    }
    void base64Strictness()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(QString, decoded);
        const std::string input = text.toStdString();
        const std::optional<std::string> out = crypto::base64Decode(input);
        QCOMPARE(out.has_value(), valid);
        if (valid && QTest::currentDataTag() != QByteArray("plus and slash"))
            QCOMPARE(*out, decoded.toStdString());
    }

    void base64RoundTripsEveryLength()
    {
        std::string bytes;
        for (int i = 0; i < 70; ++i) {
            const std::string text = crypto::base64Encode(bytes);
            QCOMPARE(text.size() % 4, std::size_t(0));
            QCOMPARE(crypto::base64Decode(text).value_or("<nullopt>"), bytes);
            bytes.push_back(static_cast<char>((i * 37) & 0xff));
        }
    }

    void hexAndConstantTimeCompare()
    {
        QCOMPARE(crypto::hexEncode(std::string("\x00\x0f\xf0\xff", 4)), std::string("000ff0ff"));
        QVERIFY(crypto::equalConstantTime("abc", "abc"));
        QVERIFY(!crypto::equalConstantTime("abc", "abd"));
        QVERIFY(!crypto::equalConstantTime("abc", "abcd"));
        QVERIFY(crypto::equalConstantTime("", ""));
    }

    void randomAlnumIsAlnum()
    {
        const std::string a = crypto::randomAlnum(32);
        const std::string b = crypto::randomAlnum(32);
        QCOMPARE(a.size(), std::size_t(32));
        QVERIFY(a != b);
        for (char c : a + b)
            QVERIFY((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
        QCOMPARE(crypto::randomAlnum(0), std::string());
        QCOMPARE(crypto::randomAlnum(1000).size(), std::size_t(1000));
    }

    void fromPemRefusesGarbage()
    {
        const std::vector<std::string> garbage = {
            "",
            "hello",
            "-----BEGIN PUBLIC KEY-----\nnot base64\n-----END PUBLIC KEY-----\n",
            "-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----\n",
            "-----BEGIN CERTIFICATE-----\nQUJD\n-----END CERTIFICATE-----\n",
            "-----BEGIN SOMETHING-----\nQUJD\n-----END SOMETHING-----\n",
            "QUJD", // Base64, but not of a key
        };
        for (const std::string &text : garbage) {
            Result<RsaKey> key = RsaKey::fromPem(text);
            QVERIFY2(!key.ok(), text.c_str());
            QCOMPARE(key.error().code, flywheel::ErrorCode::InvalidArgument);
            QVERIFY(!key.error().message.empty());
        }
    }

    void fromPemRefusesShortKeys()
    {
        const RsaKey weak = RsaKey::generate(1024);
        for (const std::string &pem : {weak.privatePem(), weak.publicPem()}) {
            Result<RsaKey> key = RsaKey::fromPem(pem);
            QVERIFY(!key.ok());
            QCOMPARE(key.error().code, flywheel::ErrorCode::InvalidArgument);
            QVERIFY2(key.error().message.find("1024 bits") != std::string::npos, key.error().message.c_str());
            QVERIFY(key.error().message.find("2048") != std::string::npos);
        }
    }

    void fromPemAcceptsBareBase64Der()
    {
        const std::string message = "sorted&params=1";
        const std::string signature = m_key.signSha256Base64(message);

        Result<RsaKey> pub = RsaKey::fromPem(bareBase64(m_key.publicPem()));
        QVERIFY2(pub.ok(), pub.ok() ? "" : pub.error().message.c_str());
        QVERIFY(!pub.value().hasPrivate());
        QVERIFY(pub.value().verifySha256Base64(message, signature));

        Result<RsaKey> priv = RsaKey::fromPem(bareBase64(m_key.privatePem()));
        QVERIFY2(priv.ok(), priv.ok() ? "" : priv.error().message.c_str());
        QVERIFY(priv.value().hasPrivate());
        QVERIFY(pub.value().verifySha256Base64(message, priv.value().signSha256Base64(message)));

        // The private PEM loads as a private key that signs what the public half verifies.
        Result<RsaKey> pem = RsaKey::fromPem(m_key.privatePem());
        QVERIFY(pem.ok());
        QVERIFY(pem.value().hasPrivate());
        QVERIFY(m_key.verifySha256Base64("x", pem.value().signSha256Base64("x")));
    }

    void signingWithPublicKeyThrows()
    {
        Result<RsaKey> pub = RsaKey::fromPem(m_key.publicPem());
        QVERIFY(pub.ok());
        QVERIFY_THROWS_EXCEPTION(std::logic_error, pub.value().signSha256Base64("x"));
    }

    void readSecretFileNamesThePath()
    {
        Result<std::string> missing = crypto::readSecretFile("/nonexistent/flywheel/apiv3.key");
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.find("/nonexistent/flywheel/apiv3.key") != std::string::npos);
        QVERIFY(!crypto::readSecretFile("").ok());
    }
};

QTEST_GUILESS_MAIN(TestPayCrypto)
#include "tst_paycrypto.moc"
