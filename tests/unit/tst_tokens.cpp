// The token registry, the tokens file and its watcher: only digests are kept,
// expiry and revocation are refused by name, and a bad file is refused at its line
// and column (the watcher then keeps the last good tokens).

#include "auth/TokensFile.h"
#include "auth/TokensFileWatcher.h"
#include "auth/UtcTime.h"
#include "domain/auth/RoleTable.h"
#include "domain/auth/TokenSecret.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

#include <variant>

using namespace flywheel;
using namespace flywheel::auth;
using namespace std::chrono_literals;

namespace {

const TimePoint kNow = *parseUtc("2026-12-07T09:30:00Z");

TokenEntry entry(const std::string &name, Role role, const std::string &token)
{
    TokenEntry e;
    e.name = name;
    e.role = role;
    e.sha256 = TokenSecret::digest(token);
    e.created = kNow;
    return e;
}

/// The error a document gets, or an empty string when it is accepted.
std::string errorOf(const std::string &text)
{
    const auto parsed = TokensFile::parse(text, "tokens.yaml");
    const auto *error = std::get_if<common::YamlError>(&parsed);
    return error ? error->describe() : std::string();
}

const std::string kDigest(64, 'a');

void writeText(const QString &path, const std::string &text)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(text.data(), static_cast<qint64>(text.size()));
}

} // namespace

class TestTokens final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tokensAreRandomAndOnlyTheirDigestIsKept()
    {
        const std::string a = TokenSecret::generate();
        const std::string b = TokenSecret::generate();
        QVERIFY(a != b);
        QVERIFY(TokenSecret::wellFormed(a));
        QCOMPARE(a.size(), std::size_t(3 + 64)); // 256 bits
        QCOMPARE(a.substr(0, 3), std::string("fw_"));
        QVERIFY(TokenSecret::isDigest(TokenSecret::digest(a)));
        // The SHA-256 of "abc" (FIPS 180-2): the digest is plain SHA-256 of the text.
        QCOMPARE(TokenSecret::digest("abc"),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));

        TokenRegistry registry;
        registry.add(entry("alice", Role::Operator, a));
        const std::string text = TokensFile::serialize(registry);
        QVERIFY(text.find(a) == std::string::npos);
        QVERIFY(text.find(a.substr(3)) == std::string::npos);
        QVERIFY(text.find(TokenSecret::digest(a)) != std::string::npos);
    }

    void checkSaysWhyATokenIsRefused()
    {
        const std::string live = TokenSecret::generate();
        const std::string expiring = TokenSecret::generate();
        const std::string revoked = TokenSecret::generate();
        TokenRegistry registry;
        registry.add(entry("live", Role::Viewer, live));
        TokenEntry e = entry("expiring", Role::Admin, expiring);
        e.expires = kNow + 1h;
        registry.add(e);
        registry.add(entry("revoked", Role::Admin, revoked));
        QVERIFY(registry.revoke("revoked", kNow));
        QVERIFY(!registry.revoke("revoked", kNow)); // already revoked
        QVERIFY(!registry.revoke("nobody", kNow));

        TokenCheck check = registry.check(live, kNow);
        QVERIFY(check.accepted());
        QCOMPARE(check.entry->name, std::string("live"));
        QCOMPARE(check.entry->role, Role::Viewer);
        QVERIFY(registry.check(expiring, kNow + 1h - 1ms).accepted());
        check = registry.check(expiring, kNow + 1h);
        QCOMPARE(check.outcome, TokenCheck::Outcome::Expired);
        QVERIFY(check.describe().find("\"expiring\" has expired") != std::string::npos);
        check = registry.check(revoked, kNow);
        QCOMPARE(check.outcome, TokenCheck::Outcome::Revoked);
        QVERIFY(check.describe().find("is revoked") != std::string::npos);
        QCOMPARE(registry.check(TokenSecret::generate(), kNow).outcome, TokenCheck::Outcome::Unknown);
        QCOMPARE(registry.check("fw_123", kNow).outcome, TokenCheck::Outcome::Malformed);
        QCOMPARE(registry.check(live.substr(3), kNow).outcome, TokenCheck::Outcome::Malformed);
        std::string upper = live;
        upper[5] = upper[5] == 'a' ? 'A' : 'F';
        QCOMPARE(registry.check(upper, kNow).outcome, TokenCheck::Outcome::Malformed);
    }

    void namesAreUniqueAmongLiveTokens()
    {
        TokenRegistry registry;
        registry.add(entry("alice", Role::Viewer, TokenSecret::generate()));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                                 registry.add(entry("alice", Role::Admin, TokenSecret::generate())));
        QCOMPARE(registry.entries().size(), std::size_t(1));
        QVERIFY(registry.revoke("alice", kNow));
        registry.add(entry("alice", Role::Admin, TokenSecret::generate())); // a revoked name is free again
        QCOMPARE(registry.live("alice")->role, Role::Admin);
        QVERIFY(TokenRegistry::nameProblem("console-alice_2.eu") == std::nullopt);
        QVERIFY(TokenRegistry::nameProblem("").has_value());
        QVERIFY(TokenRegistry::nameProblem("a b").has_value());
        QVERIFY(TokenRegistry::nameProblem(std::string(65, 'a')).has_value());
    }

    void fileRoundTrips()
    {
        TokenRegistry registry;
        TokenEntry a = entry("alice", Role::Operator, TokenSecret::generate());
        a.expires = kNow + 24h * 90;
        registry.add(a);
        registry.add(entry("shop", Role::Storefront, TokenSecret::generate()));
        QVERIFY(registry.revoke("shop", kNow + 1h));
        const auto parsed = TokensFile::parse(TokensFile::serialize(registry), "tokens.yaml");
        QVERIFY(std::holds_alternative<TokenRegistry>(parsed));
        const auto &entries = std::get<TokenRegistry>(parsed).entries();
        QCOMPARE(entries.size(), std::size_t(2));
        QCOMPARE(entries[0].name, std::string("alice"));
        QCOMPARE(entries[0].role, Role::Operator);
        QCOMPARE(entries[0].sha256, a.sha256);
        QCOMPARE(entries[0].created, kNow);
        QCOMPARE(*entries[0].expires, kNow + 24h * 90);
        QVERIFY(!entries[0].revoked);
        QCOMPARE(*entries[1].revoked, kNow + 1h);
        QCOMPARE(errorOf(""), std::string());
        QCOMPARE(errorOf("tokens: []\n"), std::string());
    }

    void badFilesAreRefusedAtLineAndColumn_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        const QString head = QStringLiteral("tokens:\n  - name: alice\n");
        const QString digest = QStringLiteral("    sha256: %1\n").arg(QString::fromStdString(kDigest));
        const QString created = QStringLiteral("    created: 2026-12-07T09:30:00Z\n");
        QTest::newRow("role") << head + QStringLiteral("    role: boss\n") + digest + created
                              << "tokens.yaml:3:11: tokens[0].role must be storefront, viewer, operator or admin, "
                                 "not \"boss\"";
        QTest::newRow("digest") << head + QStringLiteral("    role: viewer\n    sha256: fw_abc\n") + created
                                << "tokens.yaml:4:13: tokens[0].sha256 must be the SHA-256 of the token: 64 "
                                   "lower-case hex digits";
        QTest::newRow("time") << head + QStringLiteral("    role: viewer\n") + digest +
                                     QStringLiteral("    created: 2026-02-31T09:30:00Z\n")
                              << "tokens.yaml:5:14: tokens[0].created must be a UTC time like 2026-12-07T09:30:00Z";
        QTest::newRow("unknown key") << head + QStringLiteral("    role: viewer\n") + digest + created +
                                            QStringLiteral("    token: fw_secret\n")
                                     << "tokens.yaml:6:5:";
        QTest::newRow("missing digest") << head + QStringLiteral("    role: viewer\n") + created
                                        << "tokens.yaml:2:5:";
        QTest::newRow("name") << QStringLiteral("tokens:\n  - name: alice smith\n    role: viewer\n") + digest +
                                     created
                              << "tokens.yaml:2:11: tokens[0].name may hold only";
        QTest::newRow("twice") << head + QStringLiteral("    role: viewer\n") + digest + created +
                                      QStringLiteral("  - name: alice\n    role: admin\n    sha256: %1\n")
                                          .arg(QString(64, QLatin1Char('b'))) +
                                      created
                               << "tokens.yaml:6:5: two tokens that are not revoked are both named \"alice\"";
        QTest::newRow("syntax") << QStringLiteral("tokens:\n  - name: [alice\n") << "tokens.yaml:";
    }

    void badFilesAreRefusedAtLineAndColumn()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        const std::string got = errorOf(text.toStdString());
        QVERIFY2(got.rfind(error.toStdString(), 0) == 0, got.c_str());
    }

    void roleTableRules()
    {
        const RoleTable &table = RoleTable::instance();
        const Access *create = table.find("/flywheel.v1.OrderService/CreateOrder");
        QVERIFY(create);
        QVERIFY(create->allows(Role::Storefront));
        QVERIFY(!create->allows(Role::Admin));
        const Access *refund = table.find("/flywheel.v1.OrderService/RefundOrder");
        QVERIFY(!refund->allows(Role::Storefront));
        QVERIFY(!refund->allows(Role::Viewer));
        QVERIFY(refund->allows(Role::Operator));
        QVERIFY(refund->allows(Role::Admin));
        QVERIFY(table.find("/grpc.health.v1.Health/Check")->open);
        QVERIFY(table.find("/flywheel.v1.OrderService/Nothing") == nullptr);
        QCOMPARE(table.find("/flywheel.v1.OrderService/CancelOrder")->describe(),
                 std::string("storefront or operator (or higher)"));
    }

    void watcherAppliesChangesAndKeepsTheLastGoodTokens()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("tokens.yaml"));
        const std::string first = TokenSecret::generate();
        TokenRegistry registry;
        registry.add(entry("first", Role::Viewer, first));
        TokensFile::save(path.toStdString(), registry);
        QCOMPARE(QFile(path).permissions() & ~(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadUser |
                                                QFile::WriteUser),
                 QFile::Permissions());

        TokensFileWatcher watcher(path.toStdString(), 20ms);
        QVERIFY(watcher.current()->check(first, kNow).accepted());

        const std::string second = TokenSecret::generate();
        registry.add(entry("second", Role::Admin, second));
        TokensFile::save(path.toStdString(), registry);
        QTRY_VERIFY_WITH_TIMEOUT(watcher.current()->check(second, kNow).accepted(), 5000);

        // A broken edit: one line on stderr, and the tokens stay as they were.
        const QString log = dir.filePath(QStringLiteral("stderr.txt"));
        const int saved = ::dup(STDERR_FILENO);
        const int logFd = ::open(log.toLocal8Bit().constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(logFd, STDERR_FILENO);
        writeText(path, "tokens:\n  - name: [broken\n");
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(log) && QFile(log).size() > 0, 5000);
        ::dup2(saved, STDERR_FILENO);
        ::close(saved);
        ::close(logFd);
        QFile logFile(log);
        QVERIFY(logFile.open(QIODevice::ReadOnly));
        const QByteArray line = logFile.readAll();
        QVERIFY2(line.contains("the last good tokens stay in force") && line.contains(path.toLocal8Bit() + ":"),
                 line.constData());
        QCOMPARE(line.count('\n'), 1);
        QVERIFY(watcher.current()->check(first, kNow).accepted());
        QVERIFY(watcher.current()->check(second, kNow).accepted());
    }

    void utcTimes()
    {
        QCOMPARE(formatUtc(kNow + 1500ms), std::string("2026-12-07T09:30:01Z"));
        QVERIFY(!parseUtc("2026-12-07 09:30:00Z"));
        QVERIFY(!parseUtc("2026-12-07T09:30:00"));
        QVERIFY(!parseUtc("2026-13-07T09:30:00Z"));
    }
};

QTEST_GUILESS_MAIN(TestTokens)
#include "tst_tokens.moc"
