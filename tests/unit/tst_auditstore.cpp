// The audit log in SQLite: appends, reads with filters, concurrent appends, the
// read-only reader `flywheeld audit verify` uses.

#include "domain/audit/ChainVerifier.h"
#include "storage/SqliteAuditReader.h"
#include "storage/SqliteStore.h"
#include "TestSupport.h"

#include <sqlite3.h>

#include <QTemporaryDir>
#include <QTest>

#include <string>
#include <thread>
#include <vector>

using namespace flywheel;

namespace {

std::string pathIn(const QTemporaryDir &dir, const char *name)
{
    return dir.filePath(QString::fromLatin1(name)).toStdString();
}

/// SQL with a plain SQLite connection, behind the store's back; the error, empty on success.
std::string run(const std::string &path, const char *sql)
{
    return test::execSql(path, sql);
}

/// The one integer `sql` selects.
int count(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.c_str(), &db);
    int value = -1;
    sqlite3_exec(
        db, sql,
        [](void *out, int, char **columns, char **) {
            *static_cast<int *>(out) = std::atoi(columns[0]);
            return 0;
        },
        &value, nullptr);
    sqlite3_close(db);
    return value;
}

audit::Entry change(const std::string &area, const std::string &who, std::int64_t atMs)
{
    audit::Entry e;
    e.at = fromEpochMs(atMs);
    e.actor = audit::Actor{who, "admin", "ipv4:127.0.0.1:1234"};
    e.area = area;
    e.object = area == "pricing" ? "rule set" : "SKU-1";
    e.version = area == "pricing" ? 2 : 0;
    e.before = "before";
    e.after = "after";
    e.reason = "because";
    return e;
}

} // namespace

class TestAuditStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void appendsAChainAndReadsItBack()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "a.db");
        {
            auto store = SqliteStore::open(path);
            const audit::Entry first = store->appendAudit(change("pricing", "alice", 1000));
            const audit::Entry second = store->appendAudit(change("inventory", "bob", 2000));
            QCOMPARE(first.seq, 1);
            QVERIFY(first.prevHash == audit::kGenesisHash);
            QCOMPARE(second.seq, 2);
            QVERIFY(second.prevHash == first.hash);
            const auto chain = store->auditChain();
            QCOMPARE(chain.size(), std::size_t{2});
            QCOMPARE(chain[0].actor.name, std::string("alice"));
            QCOMPARE(chain[0].object, std::string("rule set"));
            QCOMPARE(chain[0].version, 2);
            QCOMPARE(toEpochMs(chain[1].at), 2000);
            QVERIFY(chain[1].hash == second.hash);
            QVERIFY(audit::verify(chain).intact());
        }
        // Appends continue the chain after a restart.
        auto store = SqliteStore::open(path);
        const audit::Entry third = store->appendAudit(change("pricing", "alice", 3000));
        QCOMPARE(third.seq, 3);
        const auto chain = SqliteAuditReader::readChain(path);
        QCOMPARE(chain.size(), std::size_t{3});
        QVERIFY(audit::verify(chain).intact());
    }

    void filters()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "f.db"));
        for (int i = 0; i < 10; ++i)
            store->appendAudit(change(i % 2 == 0 ? "pricing" : "inventory", i < 5 ? "alice" : "bob", 1000 * (i + 1)));
        const auto all = store->auditEntries({});
        QCOMPARE(all.size(), std::size_t{10});
        QCOMPARE(all.front().seq, 10); // newest first
        AuditQuery byArea;
        byArea.area = "pricing";
        const auto pricing = store->auditEntries(byArea);
        QCOMPARE(pricing.size(), std::size_t{5});
        for (const auto &e : pricing)
            QCOMPARE(e.area, std::string("pricing"));
        AuditQuery byActor;
        byActor.actorName = "bob";
        byActor.area = "inventory";
        const auto bobs = store->auditEntries(byActor);
        QCOMPARE(bobs.size(), std::size_t{3}); // seq 6, 8, 10
        QCOMPARE(bobs.back().seq, 6);
        AuditQuery byTime;
        byTime.from = fromEpochMs(3000);
        byTime.until = fromEpochMs(6000);
        const auto window = store->auditEntries(byTime);
        QCOMPARE(window.size(), std::size_t{3}); // at 3000, 4000, 5000
        QCOMPARE(window.front().seq, 5);
        QCOMPARE(window.back().seq, 3);
        AuditQuery page;
        page.limit = 4;
        page.beforeSeq = 9;
        const auto older = store->auditEntries(page);
        QCOMPARE(older.size(), std::size_t{4});
        QCOMPARE(older.front().seq, 8);
        QCOMPARE(older.back().seq, 5);
    }

    void concurrentAppendsKeepOneChain()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "c.db");
        auto store = SqliteStore::open(path);
        constexpr int kThreads = 4;
        constexpr int kEach = 40;
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&store, t] {
                for (int i = 0; i < kEach; ++i)
                    store->appendAudit(change("inventory", "thread " + std::to_string(t), 1000 + i));
            });
        for (auto &thread : threads)
            thread.join();
        const auto chain = store->auditChain();
        QCOMPARE(chain.size(), std::size_t{kThreads * kEach});
        const audit::Verdict verdict = audit::verify(chain);
        QVERIFY2(verdict.intact(), verdict.message.c_str());
        for (int t = 0; t < kThreads; ++t) {
            AuditQuery mine;
            mine.actorName = "thread " + std::to_string(t);
            mine.limit = 1000;
            QCOMPARE(store->auditEntries(mine).size(), std::size_t{kEach});
        }
    }

    void databaseRefusesForksAndEdits()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "r.db");
        {
            auto store = SqliteStore::open(path);
            store->appendAudit(change("pricing", "alice", 1000));
            store->appendAudit(change("pricing", "alice", 2000));
        }
        // A second entry after entry 1 (a fork) repeats its prev_hash; a gap skips a
        // seq; a made-up prev_hash links to nothing. The database refuses each.
        const std::string chain = "an audit entry must continue the chain";
        const auto insert = [&](const char *seq, const char *prevHash) {
            const std::string sql = std::string("INSERT INTO audit_entries SELECT ") + seq +
                                    ", at_ms, actor_name, actor_role, actor_peer, area, object, version, before, "
                                    "after, reason, " +
                                    prevHash + ", randomblob(32) FROM audit_entries WHERE seq = 2";
            return run(path, sql.c_str());
        };
        const std::string fork = insert("3", "prev_hash");
        QVERIFY2(fork.find(chain) != std::string::npos, fork.c_str());
        const std::string gap = insert("4", "hash");
        QVERIFY2(gap.find(chain) != std::string::npos, gap.c_str());
        const std::string unlinked = insert("3", "randomblob(32)");
        QVERIFY2(unlinked.find(chain) != std::string::npos, unlinked.c_str());
        // The next entry by hand, done right, is taken: the trigger is no stricter than the chain.
        QCOMPARE(insert("3", "hash"), std::string());
        QCOMPARE(run(path, "UPDATE audit_entries SET reason = 'x' WHERE seq = 1"),
                 std::string("audit entries cannot be changed"));
        QCOMPARE(run(path, "DELETE FROM audit_entries WHERE seq = 1"), std::string("audit entries cannot be deleted"));
        // Entry 3, made by hand with a random hash, does not verify; 1 and 2 do.
        const audit::Verdict verdict = audit::verify(SqliteAuditReader::readChain(path));
        QVERIFY(!verdict.intact());
        QVERIFY2(verdict.message.find("3") != std::string::npos, verdict.message.c_str());
    }

    // Schema 13 rebuilt the table without the UNIQUE hash indexes: entries written
    // by a version-12 build keep their chain, and appends go on from them.
    void entriesOfVersionTwelveStayChained()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "v12.db");
        {
            auto v12 = SqliteStore::openAtVersion(path, 12);
            v12->appendAudit(change("pricing", "alice", 1000));
            v12->appendAudit(change("tokens", "bob", 2000));
        }
        auto store = SqliteStore::open(path);
        QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
        store->appendAudit(change("segments", "carol", 3000));
        const auto chain = store->auditChain();
        QCOMPARE(chain.size(), std::size_t{3});
        QVERIFY(audit::verify(chain).intact());
        QCOMPARE(chain[1].actor.name, std::string("bob"));
        QCOMPARE(count(path, "SELECT count(*) FROM sqlite_master WHERE tbl_name = 'audit_entries' AND sql LIKE "
                             "'%UNIQUE%'"),
                 0);
        QCOMPARE(run(path, "DELETE FROM audit_entries"), std::string("audit entries cannot be deleted"));
    }

    void readerFindsAnEditBehindTheStoresBack()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "e.db");
        {
            auto store = SqliteStore::open(path);
            for (int i = 0; i < 4; ++i)
                store->appendAudit(change("pricing", "alice", 1000 * (i + 1)));
        }
        QCOMPARE(run(path, "DROP TRIGGER audit_entries_no_update; "
                           "UPDATE audit_entries SET actor_name = 'mallory' WHERE seq = 3"),
                 std::string());
        const audit::Verdict verdict = audit::verify(SqliteAuditReader::readChain(path));
        QCOMPARE(verdict.problem, audit::Verdict::Problem::Altered);
        QCOMPARE(verdict.seq, 3);
    }

    void readerRefusesWhatItCannotVerify()
    {
        QTemporaryDir dir;
        const auto message = [](const std::string &path) {
            try {
                SqliteAuditReader::readChain(path);
            } catch (const StorageError &e) {
                return std::string(e.what());
            }
            return std::string("no error");
        };
        const std::string missing = pathIn(dir, "missing.db");
        QCOMPARE(message(missing), "database " + missing + " does not exist");
        const std::string old = pathIn(dir, "old.db");
        SqliteStore::openAtVersion(old, 11).reset();
        QVERIFY2(message(old).find("has schema version 11, from before the audit log") != std::string::npos,
                 message(old).c_str());
        const std::string foreign = pathIn(dir, "foreign.db");
        QCOMPARE(run(foreign, "CREATE TABLE t (x)"), std::string());
        QVERIFY2(message(foreign).find("is not a Flywheel database") != std::string::npos, message(foreign).c_str());
        // Reading changes nothing: the old file stays at version 11.
        sqlite3 *db = nullptr;
        sqlite3_open(old.c_str(), &db);
        sqlite3_stmt *stmt = nullptr;
        sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, nullptr);
        sqlite3_step(stmt);
        QCOMPARE(sqlite3_column_int(stmt, 0), 11);
        sqlite3_finalize(stmt);
        sqlite3_close(db);
    }
};

QTEST_GUILESS_MAIN(TestAuditStore)
#include "tst_auditstore.moc"
