// Inventory snapshots in SQLite: start-up from the newest snapshot and the events
// after it builds exactly what a replay of the whole log builds (also after batches
// that failed to commit), a schema-10 database migrates and replays once, and a
// snapshot never names events that are not stored.

#include "storage/InventorySnapshotter.h"
#include "storage/SqliteStore.h"

#include <sqlite3.h>

#include <QTemporaryDir>
#include <QTest>

#include <iterator>
#include <map>
#include <random>

using namespace flywheel;
using namespace flywheel::inventory;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000);
constexpr auto kTtl = std::chrono::duration_cast<Milliseconds>(15min);

std::string pathIn(const QTemporaryDir &dir, const char *name)
{
    return dir.filePath(QString::fromLatin1(name)).toStdString();
}

DemoDataset smallDataset()
{
    DemoDataOptions options;
    options.productsPerCategory = 2;
    options.users = 20;
    options.ordersPerHour = 0;
    DemoDataset data = makeDemoDataset(T0, options);
    data.history.clear();
    return data;
}

/// One SQL statement's single value, read with a plain SQLite connection.
QString scalar(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt *stmt = nullptr;
    QString result = QStringLiteral("(none)");
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        result = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return result;
}

JournalEntry entryOf(std::vector<Event> events)
{
    JournalEntry entry;
    entry.events = std::move(events);
    return entry;
}

/// A batch the store refuses as a whole: a transition of an order that is not stored.
JournalEntry refusedEntry()
{
    JournalEntry ghost;
    ghost.transition = orders::OrderTransition{999999, 1, Money(0), OrderStatus::Created, OrderStatus::Paid, T0, {}};
    return ghost;
}

/// A new database at `path` holding `data` (its receipts are the first events).
std::unique_ptr<SqliteStore> seededStore(const std::string &path, const DemoDataset &data)
{
    auto store = SqliteStore::open(path);
    DemoDataset seeded = data;
    store->seed(seeded);
    return store;
}

/// Stores `events` as one batch, as the order writer does, and tells the snapshotter.
void commitBatch(SqliteStore &store, InventorySnapshotter &snapshots, const std::vector<Event> &events)
{
    if (events.empty())
        return;
    const std::vector<JournalEntry> batch{entryOf(events)};
    store.appendJournal(batch);
    snapshots.committed(batch);
}

LedgerSnapshot fullReplay(InventoryStore &store)
{
    InventoryLedger ledger;
    ledger.replay(store.loadInventoryEvents(0));
    return ledger.snapshot();
}

} // namespace

class TestInventorySnapshots final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // Random receipts, reservations, payments, cancellations, refunds (of the
    // order's own lines) and expiries, stored as the order writer stores them, some
    // receipts in batches that fail; snapshots at random points. A restart from the
    // newest snapshot and the events after it equals a replay of the whole log.
    void snapshotAndTailEqualAFullReplay()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "random.sqlite");
        const DemoDataset data = smallDataset();
        auto store = seededStore(path, data);
        std::vector<std::string> skus;
        for (std::size_t i = 0; i < 4; ++i)
            skus.push_back(data.products[i].sku);

        InventoryLedger live;
        InventorySnapshotter snapshots(*store, 40, 0);
        QCOMPARE(snapshots.load(live), data.products.size()); // the seeded receipts
        std::mt19937_64 rng(7);
        std::map<std::int64_t, std::vector<ReservationLine>> reserved;
        std::map<std::int64_t, std::vector<ReservationLine>> sold;
        std::int64_t nextOrder = 1;
        TimePoint now = T0;
        int failedBatches = 0;
        int saved = 0;
        const auto commit = [&](const std::vector<Event> &events) { commitBatch(*store, snapshots, events); };
        const auto pick = [&](std::map<std::int64_t, std::vector<ReservationLine>> &orders) {
            auto it = orders.begin();
            std::advance(it, static_cast<std::ptrdiff_t>(rng() % orders.size()));
            return it;
        };
        for (int step = 0; step < 2000; ++step) {
            const int op = static_cast<int>(rng() % 6);
            if (op == 0) {
                const auto events =
                    live.receive(skus[rng() % skus.size()], 1 + static_cast<std::int64_t>(rng() % 5), now);
                if (rng() % 10 == 0) {
                    // Not stored: the live ledger has it, the log (and so a restart) does not.
                    bool threw = false;
                    try {
                        store->appendJournal({entryOf(events), refusedEntry()});
                    } catch (const StorageError &) {
                        threw = true;
                    }
                    QVERIFY(threw);
                    ++failedBatches;
                } else {
                    commit(events);
                }
            } else if (op == 1) {
                std::vector<ReservationLine> lines;
                for (int i = 0, n = 1 + static_cast<int>(rng() % 3); i < n; ++i)
                    lines.push_back({skus[rng() % skus.size()], 1 + static_cast<std::int64_t>(rng() % 3)});
                const auto r = live.reserve(nextOrder, lines, now, kTtl);
                if (r.ok()) {
                    commit(r.value());
                    reserved[nextOrder] = lines;
                }
                ++nextOrder;
            } else if ((op == 2 || op == 3) && !reserved.empty()) {
                const auto it = pick(reserved);
                const auto r =
                    op == 2 ? live.confirm(it->first, now) : live.release(it->first, ReleaseReason::Cancelled, now);
                QVERIFY(r.ok());
                commit(r.value());
                if (op == 2)
                    sold.insert(*it);
                reserved.erase(it);
            } else if (op == 4 && !sold.empty()) {
                const auto it = pick(sold);
                const auto r = live.refund(it->first, it->second, now);
                QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
                commit(r.value());
                sold.erase(it);
            } else {
                now += std::chrono::minutes(rng() % 6);
                const auto events = live.expire(now);
                for (const Event &e : events)
                    reserved.erase(e.orderId);
                commit(events);
            }
            if (rng() % 25 == 0)
                saved += snapshots.snapshotIfDue(now) ? 1 : 0;
        }
        QVERIFY(failedBatches > 0);
        QVERIFY(saved > 3);
        const LedgerSnapshot full = fullReplay(*store);
        QCOMPARE(snapshots.stored(), full);
        QVERIFY(!(live.snapshot() == full)); // the receipts that were not stored

        const std::int64_t snapshotSeq = snapshots.snapshotSeq();
        QVERIFY(snapshotSeq > 0);
        QCOMPARE(scalar(path, "SELECT COUNT(*) || ' ' || MAX(seq) FROM inventory_snapshots"),
                 QStringLiteral("1 %1").arg(snapshotSeq)); // older ones are dropped
        const std::size_t tail = store->loadInventoryEvents(snapshotSeq).size();
        QVERIFY(tail < store->loadInventoryEvents(0).size());

        store.reset();
        store = SqliteStore::open(path);
        InventoryLedger restarted;
        InventorySnapshotter again(*store);
        QCOMPARE(again.load(restarted), tail);
        QCOMPARE(restarted.snapshot(), full);
        QCOMPARE(again.snapshotSeq(), snapshotSeq);
        // The recent events of each SKU, as a full replay shows them.
        InventoryLedger replayed;
        replayed.replay(store->loadInventoryEvents(0));
        for (const std::string &sku : skus)
            QCOMPARE(restarted.recentEvents(sku, 50), replayed.recentEvents(sku, 50));
        // And both go on the same way: the open reservations expire alike.
        QCOMPARE(restarted.expire(now + 1h), replayed.expire(now + 1h));
        QCOMPARE(restarted.snapshot(), replayed.snapshot());
        QCOMPARE(restarted.openReservations(), std::size_t(0));
    }

    // A snapshot costs what the ledger holds, so it waits for more events than twice
    // its entries (open reservations, SKUs, recent events): with many reservations
    // open it waits longer, and once it is taken, a restart replays fewer events
    // than that bound.
    void snapshotsWaitForEventsInProportionToTheirSize()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "size.sqlite");
        const DemoDataset data = smallDataset();
        auto store = seededStore(path, data);
        const std::string sku = data.products[0].sku;
        InventoryLedger live;
        InventorySnapshotter snapshots(*store, 1, 2);
        snapshots.load(live);
        const auto commit = [&](const std::vector<Event> &events) { commitBatch(*store, snapshots, events); };
        commit(live.receive(sku, 100000, T0));
        // 300 reservations stay open: every event adds an entry, so none is ever due.
        std::int64_t order = 1;
        for (; order <= 300; ++order) {
            commit(live.reserve(order, {{sku, 1}}, T0, kTtl).value());
            QVERIFY(!snapshots.snapshotIfDue(T0));
        }
        // Reserved and paid at once: the entries stop growing (the recent list is
        // capped), the events do not; due once they pass twice the entries.
        std::int64_t sinceStart = 0;
        bool saved = false;
        while (!saved && order < 5000) {
            commit(live.reserve(order, {{sku, 1}}, T0, kTtl).value());
            commit(live.confirm(order, T0).value());
            ++order;
            saved = snapshots.snapshotIfDue(T0);
            sinceStart = live.lastSeq();
        }
        QVERIFY(saved);
        const std::int64_t entries = static_cast<std::int64_t>(live.snapshotEntries());
        QVERIFY2(sinceStart > 2 * entries, (std::to_string(sinceStart) + " events, " + std::to_string(entries) +
                                            " entries").c_str());
        QVERIFY2(sinceStart <= 2 * entries + 3, (std::to_string(sinceStart) + " events, " +
                                                 std::to_string(entries) + " entries").c_str());
        QCOMPARE(snapshots.snapshotSeq(), live.lastSeq());
        QCOMPARE(snapshots.stored(), live.snapshot());
        // Not due again until as many events again.
        commit(live.reserve(order, {{sku, 1}}, T0, kTtl).value());
        QVERIFY(!snapshots.snapshotIfDue(T0));
    }

    // A schema-10 database with events has no snapshot: it migrates, replays every
    // event once, and the next start replays only what came after the snapshot,
    // open reservations included, which still expire at their time.
    void migratesASchemaTenDatabaseWithEvents()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "v10.sqlite");
        std::size_t logged = 0;
        std::string sku;
        {
            auto v10 = SqliteStore::openAtVersion(path, 10);
            DemoDataset data = smallDataset();
            v10->seed(data);
            InventoryLedger ledger;
            ledger.replay(v10->loadInventoryEvents(0));
            sku = data.products[0].sku;
            const auto paid = ledger.reserve(1, {{sku, 1}}, T0, kTtl);
            QVERIFY(paid.ok());
            v10->appendJournal({entryOf(paid.value()), entryOf(ledger.confirm(1, T0).value())});
            const auto open = ledger.reserve(2, {{sku, 2}}, T0 + 1min, kTtl);
            QVERIFY(open.ok());
            v10->appendJournal({entryOf(open.value())});
            logged = v10->loadInventoryEvents(0).size();
        }
        QCOMPARE(scalar(path, "PRAGMA user_version"), QStringLiteral("10"));
        QCOMPARE(scalar(path, "SELECT name FROM sqlite_master WHERE name = 'inventory_snapshots'"),
                 QStringLiteral("(none)"));

        LedgerSnapshot before;
        {
            auto store = SqliteStore::open(path);
            QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
            QVERIFY(!store->loadInventorySnapshot());
            InventoryLedger live;
            InventorySnapshotter snapshots(*store, 1000, 0);
            QCOMPARE(snapshots.load(live), logged); // every event, once
            QCOMPARE(live.snapshot(), fullReplay(*store));
            QVERIFY(!snapshots.snapshotIfDue(T0));   // fewer than 1000 since the last (none)
            QVERIFY(snapshots.snapshot(T0 + 2min));  // as at a clean shutdown
            QVERIFY(!snapshots.snapshot(T0 + 3min)); // nothing new
            before = live.snapshot();
            QCOMPARE(before.reservations.size(), std::size_t(1));
        }
        QCOMPARE(scalar(path, "SELECT seq || ' ' || taken_at_ms FROM inventory_snapshots"),
                 QStringLiteral("%1 %2").arg(logged).arg(toEpochMs(T0 + 2min)));

        auto store = SqliteStore::open(path);
        const auto loaded = store->loadInventorySnapshot();
        QVERIFY(loaded);
        QCOMPARE(*loaded, before);
        InventoryLedger live;
        InventorySnapshotter snapshots(*store);
        QCOMPARE(snapshots.load(live), std::size_t(0)); // nothing after the snapshot
        QCOMPARE(live.snapshot(), before);
        QCOMPARE(live.reservedUntil(2), std::optional(T0 + 1min + kTtl));
        QVERIFY(live.expire(T0 + 1min + kTtl - 1ms).empty());
        const auto expired = live.expire(T0 + 1min + kTtl);
        QCOMPARE(expired.size(), std::size_t(1));
        QCOMPARE(expired[0].orderId, 2);
        QCOMPARE(expired[0].quantity, 2);
        QCOMPARE(expired[0].seq, static_cast<std::int64_t>(logged) + 1);
        // The order paid before the snapshot is refunded from its own lines.
        QCOMPARE(live.level(sku).sold, 1);
        QVERIFY(live.refund(1, {{sku, 1}}, T0 + 1h).ok());
        QCOMPARE(live.level(sku).sold, 0);
    }

    void refusesASnapshotOfEventsThatAreNotStored()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "ahead.sqlite");
        auto store = SqliteStore::open(path);
        DemoDataset data = smallDataset();
        store->seed(data);
        InventoryLedger ledger;
        ledger.replay(store->loadInventoryEvents(0));
        store->saveInventorySnapshot(ledger.snapshot(), T0);
        ledger.receive(data.products[0].sku, 5, T0); // applied, never stored
        const LedgerSnapshot ahead = ledger.snapshot();
        QString error;
        try {
            store->saveInventorySnapshot(ahead, T0);
        } catch (const StorageError &e) {
            error = QString::fromUtf8(e.what());
        }
        QVERIFY2(error.contains(QStringLiteral("the inventory snapshot at event %1 is ahead of the stored events "
                                               "(the last is %2)")
                                    .arg(ahead.seq)
                                    .arg(ahead.seq - 1)),
                 qPrintable(error));
        QCOMPARE(store->loadInventorySnapshot()->seq, ahead.seq - 1); // the older one stays
    }
};

QTEST_GUILESS_MAIN(TestInventorySnapshots)
#include "tst_inventorysnapshots.moc"
