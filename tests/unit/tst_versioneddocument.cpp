// The versioned-document component on SQLite: saves, stale bases, reasons, restores,
// a version and its audit entry stored together or not at all, and concurrent saves
// from several documents on one database.

#include "domain/audit/ChainVerifier.h"
#include "domain/Clock.h"
#include "storage/SqliteStore.h"
#include "TestSupport.h"
#include "versioning/DocumentRegistry.h"
#include "versioning/VersionedDocument.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <barrier>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace flywheel;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z

std::string pathIn(const QTemporaryDir &dir, const char *name)
{
    return dir.filePath(QString::fromLatin1(name)).toStdString();
}

/// SQL with a plain SQLite connection, behind the store's back; the error, empty on success.
std::string run(const std::string &path, const char *sql)
{
    return test::execSql(path, sql);
}

/// A document of one word, stored as "word: <w>"; "forbidden" is not a valid word.
versioning::Codec<std::string> wordCodec()
{
    versioning::Codec<std::string> codec;
    codec.parse = [](const std::string &yaml, const std::string &where) -> Result<std::string> {
        const std::string prefix = "word: ";
        if (yaml.rfind(prefix, 0) != 0 || yaml.back() != '\n')
            return Error{ErrorCode::InvalidArgument, where + ":1:1: expected \"word: ...\""};
        return yaml.substr(prefix.size(), yaml.size() - prefix.size() - 1);
    };
    codec.validate = [](const std::string &word) -> std::optional<Error> {
        if (word == "forbidden")
            return Error{ErrorCode::InvalidArgument, "word: \"forbidden\" is not allowed"};
        return std::nullopt;
    };
    codec.emit = [](const std::string &word) { return "word: " + word + "\n"; };
    return codec;
}

versioning::DocumentSpec wordSpec()
{
    // The pricing area: SqliteStore keeps versions of the three areas it has tables for.
    return versioning::DocumentSpec{"pricing", "rule set", "the rules change", [](std::int64_t base, std::int64_t now) {
                                        return "stale: started from " + std::to_string(base) + ", current is " +
                                               std::to_string(now);
                                    }};
}

/// A document and what its install hook saw.
struct Words {
    Words(DocumentStore &store, const Clock &clock)
        : document(store, clock, wordSpec(), wordCodec(), [this](std::string word, const StoredVersion &stored) {
              installed.emplace_back(std::move(word), stored.version);
          })
    {}
    std::vector<std::pair<std::string, std::int64_t>> installed;
    versioning::VersionedDocument<std::string> document;
};

const audit::Actor kAlice{"alice", "operator", "ipv4:10.0.0.7:5000"};

} // namespace

class TestVersionedDocument : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void savesVersionsWithTheirAuditEntries()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "doc.sqlite"));
        ManualClock clock(T0);
        Words words(*store, clock);
        QVERIFY(!words.document.open());
        QCOMPARE(words.document.currentVersion(), 0);

        const auto first = words.document.save(0, "apple", "first word", kAlice);
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        QCOMPARE(first.value().version, 1);
        QCOMPARE(first.value().yaml, std::string("word: apple\n"));
        QCOMPARE(first.value().source, std::string("console"));
        QCOMPARE(first.value().createdAt, T0);
        clock.advance(std::chrono::seconds(5));
        const auto second = words.document.save(1, "pear", "second word", kAlice);
        QVERIFY(second.ok());
        QCOMPARE(second.value().version, 2);

        QCOMPARE(words.installed.size(), std::size_t{2});
        QCOMPARE(words.installed[1], std::make_pair(std::string("pear"), std::int64_t{2}));
        QCOMPARE(words.document.currentVersion(), 2);
        QCOMPARE(words.document.versions(10).size(), std::size_t{2});
        QCOMPARE(words.document.versions(10).front().reason, std::string("second word"));
        QCOMPARE(words.document.version(1)->yaml, std::string("word: apple\n"));

        const std::vector<audit::Entry> chain = store->auditChain();
        QVERIFY(audit::verify(chain).intact());
        QCOMPARE(chain.size(), std::size_t{2});
        QCOMPARE(chain[0].area, std::string("pricing"));
        QCOMPARE(chain[0].object, std::string("rule set"));
        QCOMPARE(chain[0].version, 1);
        QCOMPARE(chain[0].actor.name, std::string("alice"));
        QCOMPARE(chain[0].actor.role, std::string("operator"));
        QCOMPARE(chain[0].actor.peer, std::string("ipv4:10.0.0.7:5000"));
        QCOMPARE(chain[0].before, std::string());
        QCOMPARE(chain[0].after, std::string("word: apple\n"));
        QCOMPARE(chain[0].reason, std::string("first word"));
        QCOMPARE(chain[0].at, T0);
        QCOMPARE(chain[1].version, 2);
        QCOMPARE(chain[1].before, std::string("word: apple\n"));
        QCOMPARE(chain[1].after, std::string("word: pear\n"));
        QCOMPARE(chain[1].at, T0 + std::chrono::seconds(5));

        // A second document on the same database starts from the newest version.
        Words reopened(*store, clock);
        QVERIFY(reopened.document.open());
        QCOMPARE(reopened.document.currentVersion(), 2);
        QCOMPARE(reopened.installed.front(), std::make_pair(std::string("pear"), std::int64_t{2}));
    }

    void refusesAStaleBaseAndStoresNothing()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "doc.sqlite"));
        ManualClock clock(T0);
        Words words(*store, clock);
        QVERIFY(words.document.save(0, "apple", "first", kAlice).ok());
        for (const std::int64_t base : {0, 2, -1}) {
            const auto stale = words.document.save(base, "pear", "late", kAlice);
            QVERIFY(!stale.ok());
            QCOMPARE(stale.error().code, ErrorCode::Aborted);
            QCOMPARE(stale.error().message, "stale: started from " + std::to_string(base) + ", current is 1");
        }
        QCOMPARE(words.document.versions(10).size(), std::size_t{1});
        QCOMPARE(store->auditChain().size(), std::size_t{1});
        QCOMPARE(words.installed.size(), std::size_t{1});
    }

    void refusesBadReasonsAndValues()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "doc.sqlite"));
        ManualClock clock(T0);
        Words words(*store, clock);
        const auto empty = words.document.save(0, "apple", "", kAlice);
        QCOMPARE(empty.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(empty.error().message, std::string("reason is required: say why the rules change"));
        const auto tooLong = words.document.save(0, "apple", std::string(501, 'x'), kAlice);
        QCOMPARE(tooLong.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(tooLong.error().message, std::string("reason is 501 characters long; at most 500 are allowed"));
        std::string chinese;
        for (int i = 0; i < 500; ++i)
            chinese += "改"; // 500 characters, 1500 bytes: allowed
        QVERIFY(words.document.save(0, "apple", chinese, kAlice).ok());
        const auto invalid = words.document.save(1, "forbidden", "try", kAlice);
        QCOMPARE(invalid.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(invalid.error().message, std::string("word: \"forbidden\" is not allowed"));
        const auto badYaml = words.document.saveYaml(1, "colour: red\n", "try", kAlice);
        QCOMPARE(badYaml.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(badYaml.error().message, std::string("the rule set:1:1: expected \"word: ...\""));
        QVERIFY(words.document.saveYaml(1, "word: plum\n", "as text", kAlice).ok());
        QCOMPARE(words.document.versions(10).size(), std::size_t{2});
        QCOMPARE(store->auditChain().size(), std::size_t{2});
    }

    void readOnlyRefusesConsoleChangesButNotTheBackendsOwn()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "doc.sqlite"));
        ManualClock clock(T0);
        Words words(*store, clock);
        QVERIFY(words.document.replace("apple", "word: apple\n", "initial value", "initial", std::nullopt).ok());
        words.document.setReadOnly("edit words.yaml instead");
        const auto save = words.document.save(1, "pear", "try", kAlice);
        QCOMPARE(save.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(save.error().message, std::string("edit words.yaml instead"));
        const auto restore = words.document.restore(1, 1, "try", kAlice);
        QCOMPARE(restore.error().code, ErrorCode::FailedPrecondition);
        const audit::Actor file{"file", "", "/etc/words.yaml"};
        const auto reloaded = words.document.replace("plum", "word: plum\n", "the file changed", "file", file);
        QVERIFY(reloaded.ok());
        QCOMPARE(reloaded.value().version, 2);
        // The initial value is not an operator's change; the reload is audited.
        const std::vector<audit::Entry> chain = store->auditChain();
        QCOMPARE(chain.size(), std::size_t{1});
        QCOMPARE(chain[0].version, 2);
        QCOMPARE(chain[0].actor.name, std::string("file"));
        QCOMPARE(chain[0].actor.role, std::string());
        QCOMPARE(chain[0].actor.peer, std::string("/etc/words.yaml"));
        QCOMPARE(chain[0].before, std::string("word: apple\n"));
    }

    void restoresAnEarlierVersionAsANewOne()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "doc.sqlite"));
        ManualClock clock(T0);
        Words words(*store, clock);
        QVERIFY(words.document.save(0, "apple", "one", kAlice).ok());
        QVERIFY(words.document.save(1, "pear", "two", kAlice).ok());

        const auto missing = words.document.restore(9, 2, "back", kAlice);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QCOMPARE(missing.error().message, std::string("there is no rule set version 9"));
        QCOMPARE(words.document.restore(0, 2, "back", kAlice).error().code, ErrorCode::NotFound);
        const auto stale = words.document.restore(1, 1, "back", kAlice);
        QCOMPARE(stale.error().code, ErrorCode::Aborted);
        QCOMPARE(words.document.restore(1, 2, "", kAlice).error().code, ErrorCode::InvalidArgument);

        const auto restored = words.document.restore(1, 2, "back", kAlice);
        QVERIFY(restored.ok());
        QCOMPARE(restored.value().version, 3);
        QCOMPARE(restored.value().yaml, std::string("word: apple\n"));
        QCOMPARE(restored.value().source, std::string("rollback"));
        QCOMPARE(restored.value().reason, std::string("back (rollback to version 1)"));
        QCOMPARE(words.installed.back(), std::make_pair(std::string("apple"), std::int64_t{3}));
        // Without a base (the old Rollback RPCs), whatever is current is replaced.
        QCOMPARE(words.document.restore(2, std::nullopt, "again", kAlice).value().version, 4);

        const std::vector<audit::Entry> chain = store->auditChain();
        QCOMPARE(chain.size(), std::size_t{4});
        QCOMPARE(chain[2].version, 3);
        QCOMPARE(chain[2].before, std::string("word: pear\n"));
        QCOMPARE(chain[2].after, std::string("word: apple\n"));
        QCOMPARE(chain[2].reason, std::string("back (rollback to version 1)"));
    }

    void candidatesAreStoredAuditedAndListedButNeverInForce()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "doc.sqlite");
        ManualClock clock(T0);
        {
            auto store = SqliteStore::open(path);
            Words words(*store, clock);
            QVERIFY(words.document.save(0, "apple", "one", kAlice).ok());

            // A candidate takes the next number, changes nothing in force.
            clock.advance(std::chrono::seconds(1));
            const auto candidate = words.document.saveCandidate("pear", "try pear", kAlice);
            QVERIFY2(candidate.ok(), candidate.ok() ? "" : candidate.error().message.c_str());
            QCOMPARE(candidate.value().version, 2);
            QVERIFY(candidate.value().candidate);
            QCOMPARE(candidate.value().reason, std::string("try pear"));
            QCOMPARE(candidate.value().source, std::string("console"));
            QCOMPARE(words.installed.size(), std::size_t{1}); // not installed
            QCOMPARE(words.document.currentVersion(), 1);      // not current
            QCOMPARE(words.document.version(0)->version, 1);   // "the newest" is the newest live one
            QVERIFY(!words.document.version(0)->candidate);
            QVERIFY(words.document.version(2)->candidate);     // but stored, by its number
            QCOMPARE(words.document.version(2)->yaml, std::string("word: pear\n"));
            const std::vector<StoredVersion> listed = words.document.versions(10);
            QCOMPARE(listed.size(), std::size_t{2});
            QCOMPARE(listed[0].version, 2);
            QVERIFY(listed[0].candidate);
            QVERIFY(!listed[1].candidate);

            // Audited as a candidate, against the live version.
            std::vector<audit::Entry> chain = store->auditChain();
            QVERIFY(audit::verify(chain).intact());
            QCOMPARE(chain.size(), std::size_t{2});
            QCOMPARE(chain[1].version, 2);
            QCOMPARE(chain[1].reason, std::string("try pear (saved as candidate, not in force)"));
            QCOMPARE(chain[1].before, std::string("word: apple\n"));
            QCOMPARE(chain[1].after, std::string("word: pear\n"));
            QCOMPARE(chain[1].actor.name, std::string("alice"));

            // Same refusals as a save; nothing is stored for them.
            QCOMPARE(words.document.saveCandidate("plum", "", kAlice).error().code, ErrorCode::InvalidArgument);
            const auto invalid = words.document.saveCandidate("forbidden", "try", kAlice);
            QCOMPARE(invalid.error().code, ErrorCode::InvalidArgument);
            QCOMPARE(invalid.error().message, std::string("word: \"forbidden\" is not allowed"));
            words.document.setReadOnly("edit words.yaml instead");
            QCOMPARE(words.document.saveCandidate("plum", "try", kAlice).error().code,
                     ErrorCode::FailedPrecondition);
            words.document.setReadOnly("");
            QCOMPARE(words.document.versions(10).size(), std::size_t{2});

            // A live save still bases on the live version (1), not on the candidate's
            // number, and takes the next number after it.
            const auto live = words.document.save(1, "plum", "three", kAlice);
            QVERIFY2(live.ok(), live.ok() ? "" : live.error().message.c_str());
            QCOMPARE(live.value().version, 3);
            QVERIFY(!live.value().candidate);
            QCOMPARE(words.document.save(2, "fig", "stale", kAlice).error().code, ErrorCode::Aborted);
            QCOMPARE(store->auditChain().back().before, std::string("word: apple\n"));

            // A candidate newer than the live version.
            QCOMPARE(words.document.saveCandidate("kiwi", "try kiwi", kAlice).value().version, 4);
            QCOMPARE(words.document.currentVersion(), 3);
        }
        {
            // A restart installs the newest live version, not the newer candidate.
            auto store = SqliteStore::open(path);
            Words words(*store, clock);
            QVERIFY(words.document.open());
            QCOMPARE(words.document.currentVersion(), 3);
            QCOMPARE(words.installed.size(), std::size_t{1});
            QCOMPARE(words.installed.front(), std::make_pair(std::string("plum"), std::int64_t{3}));

            // Restoring a candidate makes it live, as a new version.
            const auto restored = words.document.restore(2, 3, "pear won", kAlice);
            QVERIFY2(restored.ok(), restored.ok() ? "" : restored.error().message.c_str());
            QCOMPARE(restored.value().version, 5);
            QVERIFY(!restored.value().candidate);
            QCOMPARE(restored.value().yaml, std::string("word: pear\n"));
            QCOMPARE(restored.value().reason, std::string("pear won (rollback to version 2)"));
            QCOMPARE(words.installed.back(), std::make_pair(std::string("pear"), std::int64_t{5}));
            QCOMPARE(words.document.currentVersion(), 5);
            QVERIFY(words.document.version(2)->candidate); // the candidate itself stays what it was
            const audit::Entry last = store->auditChain().back();
            QCOMPARE(last.version, 5);
            QCOMPARE(last.before, std::string("word: plum\n"));
        }
        // The column is a guarded value a database enforces.
        QVERIFY(!run(path, "INSERT INTO rule_set_versions (version, yaml, reason, source, created_at_ms, candidate) "
                           "VALUES (9, 'word: x\n', 'r', 'console', 0, 2)")
                     .empty());
    }

    void aVersionWhoseAuditEntryFailsIsNotStored()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "doc.sqlite");
        SqliteStore::open(path).reset();
        QCOMPARE(run(path, "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_entries "
                           "BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END;"),
                 std::string());
        auto store = SqliteStore::open(path);
        ManualClock clock(T0);
        Words words(*store, clock);
        const auto save = words.document.save(0, "apple", "first", kAlice);
        QVERIFY(!save.ok());
        QCOMPARE(save.error().code, ErrorCode::Unavailable);
        QVERIFY2(save.error().message.find("audit refused by the test") != std::string::npos,
                 save.error().message.c_str());
        QVERIFY(words.document.versions(10).empty());
        QVERIFY(words.installed.empty());
        QCOMPARE(words.document.currentVersion(), 0);
        // An initial value (not audited) is stored all the same.
        QVERIFY(words.document.replace("pear", "word: pear\n", "initial", "initial", std::nullopt).ok());
        QCOMPARE(words.document.versions(10).size(), std::size_t{1});
    }

    void concurrentSavesOnOneBaseLetExactlyOneWin()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "doc.sqlite"));
        ManualClock clock(T0);
        constexpr int kThreads = 8;
        constexpr int kRounds = 10;
        // A document per thread, as if each were its own backend on the database:
        // only the store's guarded write keeps them apart.
        std::vector<std::unique_ptr<Words>> documents;
        for (int i = 0; i < kThreads; ++i)
            documents.push_back(std::make_unique<Words>(*store, clock));
        std::barrier roundStart(kThreads);
        std::atomic<int> wins[kRounds] = {};
        std::atomic<int> aborted{0};
        std::atomic<int> other{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int round = 0; round < kRounds; ++round) {
                    roundStart.arrive_and_wait();
                    const audit::Actor actor{"thread" + std::to_string(t), "operator", "test"};
                    const auto saved = documents[static_cast<std::size_t>(t)]->document.save(
                        round, "w" + std::to_string(t) + "r" + std::to_string(round), "race", actor);
                    if (saved.ok())
                        ++wins[round];
                    else if (saved.error().code == ErrorCode::Aborted)
                        ++aborted;
                    else
                        ++other;
                    roundStart.arrive_and_wait(); // everyone has tried before the next round
                }
            });
        }
        for (std::thread &thread : threads)
            thread.join();
        for (int round = 0; round < kRounds; ++round)
            QCOMPARE(wins[round].load(), 1);
        QCOMPARE(aborted.load(), kRounds * (kThreads - 1));
        QCOMPARE(other.load(), 0);

        const std::vector<StoredVersion> versions = store->documentVersions("pricing", 100);
        QCOMPARE(versions.size(), std::size_t{kRounds});
        const std::vector<audit::Entry> chain = store->auditChain();
        const audit::Verdict verdict = audit::verify(chain);
        QVERIFY2(verdict.intact(), verdict.message.c_str());
        QCOMPARE(chain.size(), versions.size());
        for (std::size_t i = 0; i < chain.size(); ++i) {
            const StoredVersion &stored = versions[versions.size() - 1 - i];
            QCOMPARE(chain[i].version, stored.version);
            QCOMPARE(chain[i].after, stored.yaml);
            if (i > 0)
                QCOMPARE(chain[i].before, chain[i - 1].after);
        }
    }

    void theRegistryFindsDocumentsByArea()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "doc.sqlite"));
        ManualClock clock(T0);
        Words words(*store, clock);
        versioning::DocumentRegistry registry;
        registry.add(words.document);
        QCOMPARE(registry.find("pricing"), &words.document);
        QCOMPARE(registry.find("tokens"), nullptr);
        QCOMPARE(registry.areaNames(), std::string("pricing"));
        Words twin(*store, clock);
        QVERIFY_THROWS_EXCEPTION(std::logic_error, registry.add(twin.document));
    }
};

QTEST_GUILESS_MAIN(TestVersionedDocument)
#include "tst_versioneddocument.moc"
