#include "storage/SqliteStore.h"
#include "TestSupport.h"

#include <sqlite3.h>

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <tuple>

#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace flywheel;

namespace {

std::string pathIn(const QTemporaryDir &dir, const char *name)
{
    return dir.filePath(QString::fromLatin1(name)).toStdString();
}

/// Runs SQL on a file with a plain SQLite connection, as another tool would.
QString query(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.c_str(), &db);
    QString result;
    char *error = nullptr;
    sqlite3_exec(
        db, sql,
        [](void *out, int columns, char **values, char **) {
            auto *text = static_cast<QString *>(out);
            for (int i = 0; i < columns; ++i) {
                if (!text->isEmpty())
                    text->append(u'|');
                text->append(QString::fromUtf8(values[i] != nullptr ? values[i] : "NULL"));
            }
            return 0;
        },
        &result, &error);
    if (error != nullptr) {
        result = QStringLiteral("ERROR: ") + QString::fromUtf8(error);
        sqlite3_free(error);
    }
    sqlite3_close(db);
    return result;
}

Order sampleOrder(std::int64_t id, std::int64_t uid, std::int64_t atMs)
{
    Order o;
    o.id = id;
    o.uid = uid;
    o.channel = "app";
    o.createdAt = fromEpochMs(atMs);
    o.lines = {OrderLine{"ELE-1001", 2, Money(1000), Money(1000)}, OrderLine{"GRO-1001", 1, Money(990), Money(990)}};
    o.total = Money(2990);
    o.status = OrderStatus::Paid;
    o.paidAt = o.createdAt;
    return o;
}

DemoDataset smallDataset()
{
    DemoDataOptions options;
    options.productsPerCategory = 2;
    options.users = 20;
    options.ordersPerHour = 0;
    return makeDemoDataset(fromEpochMs(1767225600000), options);
}

std::vector<RuleUsage> sortedRuleUsage(PricingStore &store)
{
    std::vector<RuleUsage> usage = store.loadRuleUsage();
    std::sort(usage.begin(), usage.end(), [](const RuleUsage &a, const RuleUsage &b) {
        return std::tie(a.uid, a.ruleId) < std::tie(b.uid, b.ruleId);
    });
    return usage;
}

template <typename F>
QString errorOf(F &&function)
{
    try {
        function();
    } catch (const StorageError &e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(no error)");
}

/// The uid and gid of "nobody" on Debian.
constexpr uid_t kNobody = 65534;

/// What SqliteStore::open(path) says to a user without root's privileges. Root may write
/// any file and create in any directory, so as root (CI runs as root) the open runs in a
/// child process that has dropped to "nobody" first; `path` and its directory must be
/// readable by others. Starts with "cannot drop root" when the child could not.
QString errorOfUnprivileged(const std::string &path)
{
    if (::geteuid() != 0)
        return errorOf([&] { SqliteStore::open(path); });
    int out[2];
    if (::pipe(out) != 0)
        return QStringLiteral("cannot drop root: pipe: ") + QString::fromLocal8Bit(std::strerror(errno));
    const pid_t child = ::fork();
    if (child == 0) {
        ::close(out[0]);
        std::string message;
        if (::setgroups(0, nullptr) != 0 || ::setgid(kNobody) != 0 || ::setuid(kNobody) != 0) {
            message = std::string("cannot drop root: ") + std::strerror(errno);
        } else {
            try {
                SqliteStore::open(path);
                message = "(no error)";
            } catch (const StorageError &e) {
                message = e.what();
            }
        }
        const ssize_t written = ::write(out[1], message.data(), message.size());
        ::_exit(written == static_cast<ssize_t>(message.size()) ? 0 : 1);
    }
    ::close(out[1]);
    QByteArray message;
    char buffer[512];
    for (ssize_t n; (n = ::read(out[0], buffer, sizeof buffer)) > 0;)
        message.append(buffer, n);
    ::close(out[0]);
    int status = 0;
    if (child < 0 || ::waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return QStringLiteral("cannot drop root: the child process failed (%1)").arg(QString::fromUtf8(message));
    return QString::fromUtf8(message);
}

} // namespace

class TestSqliteStore final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void migratesFromEmpty()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "new.sqlite");
        {
            auto store = SqliteStore::open(path);
            QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
            QCOMPARE(store->pragma("journal_mode"), std::string("wal"));
            QCOMPARE(store->pragma("synchronous"), std::string("2")); // FULL
            QVERIFY(store->isEmpty());
            QCOMPARE(store->currency(), std::string("CNY"));
            QCOMPARE(store->orderCount(), 0);
            QCOMPARE(store->maxOrderId(), 0);
        }
        QCOMPARE(query(path, "PRAGMA user_version"), QString::number(SqliteStore::kSchemaVersion));
        QCOMPARE(query(path, "PRAGMA journal_mode"), QStringLiteral("wal"));
        // Metrics replay reads paid orders by payment time; creation time needs no index.
        QCOMPARE(query(path, "SELECT name FROM sqlite_master WHERE name = 'orders_by_paid_at'"),
                 QStringLiteral("orders_by_paid_at"));
        QCOMPARE(query(path, "SELECT name FROM sqlite_master WHERE name = 'orders_by_created_at'"), QString());
        QCOMPARE(query(path, "SELECT COUNT(*) FROM inventory_events"), QStringLiteral("0"));
        QCOMPARE(query(path, "SELECT COUNT(*) FROM idempotency_keys"), QStringLiteral("0"));
    }

    void migratesVersionThreeOrdersToPaidAndStockToReceipts()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "v3.sqlite");
        SqliteStore::openAtVersion(path, 3).reset();
        QCOMPARE(query(path, "INSERT INTO users VALUES (7, 1000, 'ios', 'Beijing', 'app_store');"
                             "INSERT INTO products VALUES ('SKU-1', 'Kettle', 'Home', 5900, 3);"
                             "INSERT INTO products VALUES ('SKU-2', 'Pillow', 'Home', 2900, 0);"
                             "INSERT INTO orders (order_id, uid, channel, total_minor, created_at_ms) "
                             "VALUES (1, 7, 'web', 5900, 2000);"
                             "INSERT INTO order_lines VALUES (1, 0, 'SKU-1', 1, 5900, 5900);"),
                 QString());
        auto store = SqliteStore::open(path);
        QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
        const std::optional<Order> order = store->loadOrder(1);
        QVERIFY(order.has_value());
        QCOMPARE(order->status, OrderStatus::Paid);
        QCOMPARE(toEpochMs(order->paidAt), 2000);
        QCOMPARE(order->lines.size(), std::size_t(1));
        QCOMPARE(order->listTotal.minorUnits(), 5900);
        QCOMPARE(store->loadOrderFactsSince(fromEpochMs(0)).size(), std::size_t(1));
        // The catalogue's stock becomes the first receipt; a SKU without stock gets none.
        const std::vector<inventory::Event> events = store->loadInventoryEvents(0);
        QCOMPARE(events.size(), std::size_t(1));
        QCOMPARE(events[0].type, inventory::EventType::Received);
        QCOMPARE(events[0].sku, std::string("SKU-1"));
        QCOMPARE(events[0].quantity, 3);
        QVERIFY(events[0].seq > 0);
    }

    void journalStoresOrdersTransitionsEventsAndKeysTogether()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "journal.sqlite");
        DemoDataset data = smallDataset();
        data.history.clear();
        auto store = SqliteStore::open(path);
        store->seed(data);
        const std::int64_t receipts = static_cast<std::int64_t>(store->loadInventoryEvents(0).size());
        QCOMPARE(receipts, static_cast<std::int64_t>(data.products.size()));

        Order order = sampleOrder(1, data.users[0].uid, 5000);
        order.status = OrderStatus::Created;
        order.paidAt = {};
        order.expiresAt = fromEpochMs(905000);
        order.adjustments = {PriceAdjustment{"r1", "Rule one", Money(-10)}};
        const std::int64_t seq = receipts + 1;
        JournalEntry created;
        created.newOrder = order;
        created.events = {inventory::Event{seq, inventory::EventType::Reserved, "ELE-1001", 1, 2, fromEpochMs(5000),
                                           fromEpochMs(905000), inventory::ReleaseReason::None},
                          inventory::Event{seq + 1, inventory::EventType::Reserved, "GRO-1001", 1, 1, fromEpochMs(5000),
                                           fromEpochMs(905000), inventory::ReleaseReason::None}};
        created.idempotency =
            orders::IdempotencyTable::Record{order.uid, "create:k1", orders::requestDigest("create one"), 1, fromEpochMs(5000)};
        store->appendJournal({created});

        std::optional<Order> loaded = store->loadOrder(1);
        QVERIFY(loaded.has_value());
        QCOMPARE(loaded->status, OrderStatus::Created);
        QCOMPARE(toEpochMs(loaded->expiresAt), 905000);
        QCOMPARE(loaded->paidAt, TimePoint{});
        QCOMPARE(loaded->lines.size(), std::size_t(2));
        QCOMPARE(loaded->adjustments.size(), std::size_t(1));
        QCOMPARE(loaded->adjustments[0].amount.minorUnits(), -10);
        QVERIFY(!store->loadOrder(2).has_value());
        QVERIFY(store->loadOrderFactsSince(fromEpochMs(0)).empty()); // not paid yet

        JournalEntry paid;
        paid.transition = orders::OrderTransition{1,
                                          order.uid,
                                          order.total,
                                          OrderStatus::Created,
                                          OrderStatus::Paid,
                                          fromEpochMs(7000),
                                          {inventory::Event{seq + 2,
                                                            inventory::EventType::Confirmed,
                                                            "ELE-1001",
                                                            1,
                                                            2,
                                                            fromEpochMs(7000),
                                                            {},
                                                            inventory::ReleaseReason::None}}};
        store->appendJournal({paid});
        loaded = store->loadOrder(1);
        QCOMPARE(loaded->status, OrderStatus::Paid);
        QCOMPARE(toEpochMs(loaded->paidAt), 7000);
        QCOMPARE(store->loadOrderFactsSince(fromEpochMs(0)).size(), std::size_t(1));

        // A transition of an order that is not stored fails the whole batch.
        JournalEntry ghost = paid;
        ghost.transition->orderId = 99;
        ghost.transition->events[0].seq = seq + 3;
        JournalEntry receipt;
        receipt.events = {inventory::Event{seq + 4,
                                           inventory::EventType::Received,
                                           "ELE-1001",
                                           0,
                                           5,
                                           fromEpochMs(8000),
                                           {},
                                           inventory::ReleaseReason::None}};
        bool threw = false;
        try {
            store->appendJournal({receipt, ghost});
        } catch (const StorageError &e) {
            threw = true;
            QVERIFY2(std::string(e.what()).find("order 99 is not stored") != std::string::npos, e.what());
        }
        QVERIFY(threw);

        const std::vector<inventory::Event> events = store->loadInventoryEvents(0);
        QCOMPARE(static_cast<std::int64_t>(events.size()), receipts + 3); // the failed batch left nothing
        QCOMPARE(events.back().type, inventory::EventType::Confirmed);
        QCOMPARE(toEpochMs(events[static_cast<std::size_t>(receipts)].expiresAt), 905000);
        for (std::size_t i = 1; i < events.size(); ++i)
            QVERIFY(events[i - 1].seq < events[i].seq);

        const auto keys = store->loadIdempotencyKeys(fromEpochMs(0));
        QCOMPARE(keys.size(), std::size_t(1));
        QCOMPARE(keys[0].key, std::string("create:k1"));
        QCOMPARE(keys[0].uid, order.uid);
        QVERIFY(keys[0].request == orders::requestDigest("create one")); // all 32 bytes survive
        QCOMPARE(keys[0].orderId, 1);
        QVERIFY(store->loadIdempotencyKeys(fromEpochMs(5001)).empty());
    }

    // With a retention set, each journal batch deletes old keys in its own
    // transaction, twice as many as it adds and a few more: a backlog drains, a key
    // younger than the retention is never deleted, and nothing is deleted until a
    // retention is set.
    void journalBatchesDeleteKeysPastTheirRetention()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "keys.sqlite"));
        const auto keysAt = [](std::int64_t first, std::int64_t count, std::int64_t atMs) {
            std::vector<JournalEntry> batch(static_cast<std::size_t>(count));
            for (std::int64_t i = 0; i < count; ++i)
                batch[static_cast<std::size_t>(i)].idempotency =
                    orders::IdempotencyTable::Record{7, "create:" + std::to_string(first + i), orders::RequestDigest{}, first + i,
                                             fromEpochMs(atMs + i)};
            return batch;
        };
        for (std::int64_t b = 0; b < 10; ++b)
            store->appendJournal(keysAt(b * 100, 100, b * 100)); // created at 0 .. 999 ms
        store->appendJournal(keysAt(1000, 1, 5000));
        QCOMPARE(store->loadIdempotencyKeys(fromEpochMs(0)).size(), std::size_t(1001)); // no retention yet

        store->setIdempotencyKeyRetention(Milliseconds(4500)); // keys before 500 ms are due at 5000 ms
        store->appendJournal(keysAt(1001, 1, 5000));
        QCOMPARE(store->loadIdempotencyKeys(fromEpochMs(0)).size(), std::size_t(1002 - 18)); // 2 * 1 + 16
        for (std::int64_t b = 0; b < 20; ++b)
            store->appendJournal(keysAt(2000 + b * 10, 10, 4991)); // the newest at 5000; 36 each, 500 due in all
        const auto kept = store->loadIdempotencyKeys(fromEpochMs(0));
        QCOMPARE(kept.size(), std::size_t(1002 + 200 - 500));
        const auto oldest = std::min_element(kept.begin(), kept.end(), [](const auto &a, const auto &b) {
            return a.createdAt < b.createdAt;
        });
        QCOMPARE(toEpochMs(oldest->createdAt), 500);
        QCOMPARE(oldest->key, std::string("create:500"));
    }

    // Keys by user and key, through the read connection: the newest of the user's
    // key at or after `since`; another user's same key is not it; a key stored
    // before schema 10 (no user, a 64-bit fingerprint) is its order's buyer's. The
    // lookup reads the (uid, key) index, and sees what the writer committed.
    void findsIdempotencyKeysByUserAndKey()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "find.sqlite");
        SqliteStore::openAtVersion(path, 8).reset();
        // A version-8 build's order and key (global key, FNV fingerprint).
        QCOMPARE(query(path, "INSERT INTO orders (order_id, uid, channel, total_minor, created_at_ms, status) "
                             "VALUES (50, 3, 'app', 100, 1000, 0);"
                             "INSERT INTO idempotency_keys VALUES ('create:legacy', 1234567890123, 50, 1000);"),
                 QString());
        auto store = SqliteStore::open(path);
        QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);

        const auto keyAt = [](std::int64_t uid, const std::string &key, const char *request, std::int64_t orderId,
                              std::int64_t atMs) {
            JournalEntry entry;
            entry.idempotency = orders::IdempotencyTable::Record{uid, key, orders::requestDigest(request), orderId, fromEpochMs(atMs)};
            return entry;
        };
        store->appendJournal({keyAt(1, "create:k", "one", 10, 2000), keyAt(2, "create:k", "two", 11, 2000),
                              keyAt(1, "pay:k", "pay", 10, 2500)});
        store->appendJournal({keyAt(1, "create:k", "one again", 12, 3000)}); // reused after a retention

        auto found = store->findIdempotencyKey(1, "create:k", fromEpochMs(0));
        QVERIFY(found.has_value());
        QCOMPARE(found->orderId, 12); // the newest
        QCOMPARE(toEpochMs(found->createdAt), 3000);
        QVERIFY(found->request == orders::requestDigest("one again"));
        found = store->findIdempotencyKey(1, "create:k", fromEpochMs(2000));
        QCOMPARE(found->orderId, 12);
        QVERIFY(!store->findIdempotencyKey(1, "create:k", fromEpochMs(3001)).has_value()); // past the retention
        found = store->findIdempotencyKey(2, "create:k", fromEpochMs(0));
        QCOMPARE(found->orderId, 11);
        QVERIFY(found->request == orders::requestDigest("two"));
        QCOMPARE(store->findIdempotencyKey(1, "pay:k", fromEpochMs(0))->orderId, 10);
        QVERIFY(!store->findIdempotencyKey(3, "create:k", fromEpochMs(0)).has_value());
        QVERIFY(!store->findIdempotencyKey(1, "create:K", fromEpochMs(0)).has_value());

        // The legacy key: its order's buyer (3) finds it, with its fingerprint and no digest.
        found = store->findIdempotencyKey(3, "create:legacy", fromEpochMs(0));
        QVERIFY(found.has_value());
        QCOMPARE(found->orderId, 50);
        QVERIFY(!found->request.has_value());
        QCOMPARE(found->legacyFingerprint, std::uint64_t(1234567890123));
        QVERIFY(!store->findIdempotencyKey(4, "create:legacy", fromEpochMs(0)).has_value());
        QVERIFY(!store->findIdempotencyKey(3, "create:legacy", fromEpochMs(1001)).has_value());

        // The query plan: index seeks on (uid, key), for both branches, no table scan.
        const QString plan =
            query(path, "EXPLAIN QUERY PLAN SELECT order_id, created_at_ms, request_sha256, fingerprint "
                        "FROM idempotency_keys WHERE uid = 1 AND key = 'k' AND created_at_ms >= 0 UNION ALL "
                        "SELECT k.order_id, k.created_at_ms, NULL, k.fingerprint FROM idempotency_keys k "
                        "JOIN orders o ON o.order_id = k.order_id "
                        "WHERE k.uid IS NULL AND k.key = 'k' AND k.created_at_ms >= 0 AND o.uid = 1 "
                        "ORDER BY 2 DESC LIMIT 1");
        QCOMPARE(plan.count(QStringLiteral("USING INDEX idempotency_keys_by_user (uid=? AND key=?")), 2);
        QVERIFY2(!plan.contains(QStringLiteral("SCAN idempotency_keys")) && !plan.contains(QStringLiteral("SCAN k")),
                 qPrintable(plan));

        // The start-up scan of the filter: every key since a time, the legacy one
        // as its buyer's, in the order stored; and it stops when asked to.
        std::vector<std::string> seen;
        store->forEachIdempotencyKey(fromEpochMs(0), [&](std::int64_t uid, std::string_view key, TimePoint at) {
            seen.push_back(std::to_string(uid) + "|" + std::string(key) + "|" + std::to_string(toEpochMs(at)));
            return true;
        });
        QCOMPARE(seen, (std::vector<std::string>{"3|create:legacy|1000", "1|create:k|2000", "2|create:k|2000",
                                                 "1|pay:k|2500", "1|create:k|3000"}));
        seen.clear();
        store->forEachIdempotencyKey(fromEpochMs(2500), [&](std::int64_t uid, std::string_view key, TimePoint) {
            seen.push_back(std::to_string(uid) + "|" + std::string(key));
            return true;
        });
        QCOMPARE(seen, (std::vector<std::string>{"1|pay:k", "1|create:k"}));
        int calls = 0;
        store->forEachIdempotencyKey(fromEpochMs(0), [&](std::int64_t, std::string_view, TimePoint) {
            ++calls;
            return false;
        });
        QCOMPARE(calls, 1);
    }

    // A lookup does not wait for the writer: while another connection holds a
    // write transaction open (as the writer does between BEGIN and COMMIT), the
    // read connection answers with what was committed before it.
    void findsKeysWhileAWriteIsOpen()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "concurrent.sqlite");
        auto store = SqliteStore::open(path);
        JournalEntry entry;
        entry.idempotency = orders::IdempotencyTable::Record{1, "create:k", orders::requestDigest("one"), 10, fromEpochMs(2000)};
        store->appendJournal({entry});
        sqlite3 *other = nullptr;
        QCOMPARE(sqlite3_open(path.c_str(), &other), SQLITE_OK);
        QCOMPARE(sqlite3_exec(other,
                              "BEGIN IMMEDIATE; INSERT INTO idempotency_keys (key, fingerprint, order_id, created_at_ms, "
                              "uid) VALUES ('create:k', 0, 20, 3000, 1)",
                              nullptr, nullptr, nullptr),
                 SQLITE_OK);
        const auto found = store->findIdempotencyKey(1, "create:k", fromEpochMs(0));
        QVERIFY(found.has_value());
        QCOMPARE(found->orderId, 10); // the uncommitted key is not seen
        sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
        sqlite3_close(other);
    }

    void migratesFromThePreviousVersion()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "v1.sqlite");
        {
            auto v1 = SqliteStore::openAtVersion(path, 1);
            QCOMPARE(v1->schemaVersion(), 1);
        }
        // Data written by a version-1 build.
        QCOMPARE(query(path, "INSERT INTO users VALUES (7, 1000, 'ios', 'Beijing', 'app_store');"
                             "INSERT INTO products VALUES ('SKU-1', 'Kettle', 'Home', 5900, 3);"
                             "INSERT INTO orders VALUES (1, 7, 'web', 5900, 2000);"
                             "INSERT INTO order_lines VALUES (1, 0, 'SKU-1', 1, 5900);"),
                 QString());
        QCOMPARE(query(path, "SELECT name FROM sqlite_master WHERE name = 'settings'"), QString());

        auto store = SqliteStore::open(path);
        QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
        QCOMPARE(store->orderCount(), 1);
        QCOMPARE(store->maxOrderId(), 1);
        QCOMPARE(store->currency(), std::string("CNY"));
        const auto facts = store->loadOrderFactsSince(fromEpochMs(0));
        QCOMPARE(facts.size(), std::size_t(1));
        QCOMPARE(facts[0].uid, 7);
        QCOMPARE(facts[0].gmvMinor, 5900);
        QCOMPARE(store->loadUsers().at(0).region, std::string("Beijing"));
        QCOMPARE(store->loadProducts().at(0).listPrice.minorUnits(), 5900);
    }

    void migratesVersionSixLinesAndAdjustmentsIntoTheOrderRow()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "v6.sqlite");
        SqliteStore::openAtVersion(path, 6).reset();
        // Rows inserted out of order, a line of schema 2 without a list price, an
        // order without adjustments and a name that needs quoting in JSON.
        QCOMPARE(query(path, "INSERT INTO users VALUES (7, 1000, 'ios', 'Beijing', 'app_store');"
                             "INSERT INTO products VALUES ('SKU-1', 'Kettle', 'Home', 5900, 3);"
                             "INSERT INTO products VALUES ('SKU-2', 'Mug', 'Kitchen', 1200, 3);"
                             "INSERT INTO orders (order_id, uid, channel, total_minor, created_at_ms, list_total_minor, "
                             "status, paid_at_ms) VALUES (1, 7, 'web', 6000, 2000, 7100, 1, 2000);"
                             "INSERT INTO orders (order_id, uid, channel, total_minor, created_at_ms, status) "
                             "VALUES (2, 7, 'app', 1200, 3000, 0);"
                             "INSERT INTO order_lines VALUES (1, 1, 'SKU-2', 1, 1200, NULL);"
                             "INSERT INTO order_lines VALUES (1, 0, 'SKU-1', 1, 5900, 5900);"
                             "INSERT INTO order_lines VALUES (2, 0, 'SKU-2', 1, 1200, 1200);"
                             "INSERT INTO order_adjustments VALUES (1, 1, 7, 'r2', 'Spend \"100\", save 10', -1000);"
                             "INSERT INTO order_adjustments VALUES (1, 0, 7, 'r1', '满减', -100);"),
                 QString());
        auto store = SqliteStore::open(path);
        QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
        const std::optional<Order> first = store->loadOrder(1);
        QVERIFY(first.has_value());
        QCOMPARE(first->lines.size(), std::size_t(2));
        QCOMPARE(first->lines[0].sku, std::string("SKU-1"));
        QCOMPARE(first->lines[0].listPrice.minorUnits(), 5900);
        QCOMPARE(first->lines[1].sku, std::string("SKU-2"));
        QCOMPARE(first->lines[1].unitPrice.minorUnits(), 1200);
        QCOMPARE(first->lines[1].listPrice.minorUnits(), 0); // unknown, as before
        QCOMPARE(first->adjustments.size(), std::size_t(2));
        QCOMPARE(first->adjustments[0].ruleName, std::string("满减"));
        QCOMPARE(first->adjustments[1].ruleName, std::string("Spend \"100\", save 10"));
        QCOMPARE(first->adjustments[1].amount.minorUnits(), -1000);
        const std::optional<Order> second = store->loadOrder(2);
        QVERIFY(second.has_value());
        QCOMPARE(second->lines.size(), std::size_t(1));
        QVERIFY(second->adjustments.empty());
        const std::vector<RuleUsage> usage = store->loadRuleUsage();
        QCOMPARE(usage.size(), std::size_t(2));
        QCOMPARE(usage[0].count, 1);
        const std::vector<PurchaseSummary> summaries = store->loadPurchaseSummaries(); // paid orders only
        QCOMPARE(summaries.size(), std::size_t(2));
        QCOMPARE(summaries[0].category, std::string("Home"));
        QCOMPARE(summaries[1].category, std::string("Kitchen"));
        store.reset();
        // The old tables are views now, with their columns, for every reader.
        QCOMPARE(query(path, "SELECT type FROM sqlite_master WHERE name IN ('order_lines', 'order_adjustments')"),
                 QStringLiteral("view|view"));
        QCOMPARE(query(path, "SELECT order_id, line_no, sku, quantity, unit_price_minor, list_price_minor "
                             "FROM order_lines ORDER BY order_id, line_no"),
                 QStringLiteral("1|0|SKU-1|1|5900|5900|1|1|SKU-2|1|1200|NULL|2|0|SKU-2|1|1200|1200"));
        QCOMPARE(query(path, "SELECT uid, rule_id, amount_minor FROM order_adjustments ORDER BY position"),
                 QStringLiteral("7|r1|-100|7|r2|-1000"));
    }

    void storesAnOrderInOneRow()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "rows.sqlite");
        SqliteStore::open(path).reset();
        QCOMPARE(query(path, "INSERT INTO users VALUES (5, 1000, 'ios', 'Beijing', 'app_store');"), QString());
        {
            auto store = SqliteStore::open(path);
            Order order = sampleOrder(1, 5, 4000);
            order.adjustments = {PriceAdjustment{"r1", "Rule \\ one", Money(-10)},
                                 PriceAdjustment{"r2", "Rule two", Money(-20)}};
            JournalEntry entry;
            entry.newOrder = order;
            store->appendJournal({entry});
            const std::optional<Order> loaded = store->loadOrder(1);
            QVERIFY(loaded.has_value());
            QCOMPARE(loaded->lines.size(), std::size_t(2));
            QCOMPARE(loaded->lines[1].sku, std::string("GRO-1001"));
            QCOMPARE(loaded->lines[1].listPrice.minorUnits(), 990);
            QCOMPARE(loaded->adjustments.size(), std::size_t(2));
            QCOMPARE(loaded->adjustments[0].ruleName, std::string("Rule \\ one"));
            QCOMPARE(loaded->adjustments[1].amount.minorUnits(), -20);
        }
        QCOMPARE(query(path, "SELECT lines, adjustments FROM orders"),
                 QStringLiteral("[[\"ELE-1001\",2,1000,1000],[\"GRO-1001\",1,990,990]]|"
                                "[[\"r1\",\"Rule \\\\ one\",-10],[\"r2\",\"Rule two\",-20]]"));
        QCOMPARE(query(path, "SELECT COUNT(*) FROM order_lines"), QStringLiteral("2"));
    }

    void migratesVersionTwoOrdersAndAddsPricing()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "v2.sqlite");
        SqliteStore::openAtVersion(path, 2).reset();
        QCOMPARE(query(path, "INSERT INTO users VALUES (7, 1000, 'ios', 'Beijing', 'app_store');"
                             "INSERT INTO orders VALUES (1, 7, 'web', 5900, 2000);"
                             "INSERT INTO order_lines VALUES (1, 0, 'SKU-1', 1, 5900);"),
                 QString());
        auto store = SqliteStore::open(path);
        QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
        QCOMPARE(store->orderCount(), 1);
        QVERIFY(!store->ruleSet(0).has_value());
        const DocumentAppend saved = store->appendDocumentVersion(
            kPricingArea, 0, {0, "rules: []\n", "first", "console", fromEpochMs(5)}, std::nullopt);
        QCOMPARE(saved.stored.version, 1);
        QCOMPARE(store
                     ->appendDocumentVersion(kPricingArea, 1, {0, "rules: []\n", "second", "file", fromEpochMs(6)},
                                             std::nullopt)
                     .stored.version,
                 2);
        QCOMPARE(store->ruleSet(0)->reason, std::string("second"));
        QCOMPARE(store->ruleSet(1)->source, std::string("console"));
        QCOMPARE(store->ruleSets(10).size(), std::size_t(2));
        QCOMPARE(store->ruleSets(10).front().version, 2);
        QVERIFY(store->loadRuleUsage().empty());
    }

    void keepsDataAcrossReopen()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "reopen.sqlite");
        DemoDataset data = smallDataset();
        {
            auto store = SqliteStore::open(path);
            store->seed(data);
            store->appendOrders({sampleOrder(1, data.users[0].uid, 5000), sampleOrder(2, data.users[1].uid, 4000)});
            store->appendOrders({sampleOrder(3, data.users[0].uid, 6000)});
        }
        auto store = SqliteStore::open(path);
        QVERIFY(!store->isEmpty());
        QCOMPARE(store->loadProducts().size(), data.products.size());
        QCOMPARE(store->loadUsers().size(), data.users.size());
        QCOMPARE(store->orderCount(), 3);
        QCOMPARE(store->maxOrderId(), 3);
        const auto facts = store->loadOrderFactsSince(fromEpochMs(4500));
        QCOMPARE(facts.size(), std::size_t(2)); // oldest first, only after the given time
        QCOMPARE(toEpochMs(facts[0].at), 5000);
        QCOMPARE(toEpochMs(facts[1].at), 6000);
        // While a backend owns the file, a second one is refused (refusesALockedFile);
        // other programs may read it.
        QCOMPARE(query(path, "SELECT COUNT(*) FROM orders"), QStringLiteral("3"));
    }

    void refusesADuplicateOrderAndKeepsTheBatchOut()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "dup.sqlite"));
        DemoDataset data = smallDataset();
        store->seed(data);
        store->appendOrders({sampleOrder(1, data.users[0].uid, 1000)});
        const QString error = errorOf([&] {
            store->appendOrders({sampleOrder(2, data.users[0].uid, 1000), sampleOrder(1, data.users[0].uid, 1000)});
        });
        QVERIFY2(error.contains(QStringLiteral("storing order 1 failed")), qPrintable(error));
        QCOMPARE(store->orderCount(), 1); // the whole batch was rolled back
    }

    void maintainedAggregatesEqualAFullScanOfTheOrders()
    {
        // A random history through every path that stores orders: seed, appendOrders,
        // journal batches with new orders, payments, cancellations, expiries and
        // refunds, and a batch that fails. The maintained tables must say what
        // counting every order says.
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "aggregates.sqlite");
        DemoDataset data = smallDataset();
        std::mt19937_64 rng(20261206);
        const auto pick = [&rng](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
        const std::vector<std::string> rules{"welcome", "spend-100", "toys-weekend", "vip"};
        std::int64_t nextId = 1;
        const auto randomOrder = [&](std::int64_t atMs) {
            Order o = sampleOrder(nextId++, data.users[pick(data.users.size())].uid, atMs);
            o.status = OrderStatus::Created;
            o.paidAt = {};
            const std::size_t adjustments = pick(4); // 0 to 3, a rule named twice now and then
            for (std::size_t i = 0; i < adjustments; ++i)
                o.adjustments.push_back(PriceAdjustment{rules[pick(rules.size())], "a rule", Money(-10)});
            return o;
        };
        {
            auto store = SqliteStore::open(path);
            store->seed(data);
            std::vector<Order> imported;
            for (int i = 0; i < 50; ++i) {
                imported.push_back(randomOrder(1000 + i));
                imported.back().status = OrderStatus::Paid;
                imported.back().paidAt = imported.back().createdAt;
            }
            store->appendOrders(imported);
            std::vector<std::int64_t> open;
            std::vector<std::pair<std::int64_t, std::int64_t>> paid; // order id, uid
            for (int batch = 0; batch < 40; ++batch) {
                std::vector<JournalEntry> entries;
                for (std::size_t n = pick(30) + 1; n > 0; --n) {
                    JournalEntry entry;
                    const std::size_t what = pick(5);
                    if (what <= 1 || open.empty()) {
                        entry.newOrder = randomOrder(100000 + batch);
                        open.push_back(entry.newOrder->id);
                    } else if (what == 4 && !paid.empty()) {
                        const std::size_t i = pick(paid.size());
                        entry.transition = orders::OrderTransition{paid[i].first, paid[i].second, Money(2990),
                                                           OrderStatus::Paid, OrderStatus::Refunded,
                                                           fromEpochMs(200000 + batch), {}};
                        paid.erase(paid.begin() + static_cast<std::ptrdiff_t>(i));
                    } else {
                        const std::size_t i = pick(open.size());
                        const auto to = what == 2 ? OrderStatus::Paid
                                                  : (pick(2) == 0 ? OrderStatus::Cancelled : OrderStatus::Expired);
                        entry.transition = orders::OrderTransition{open[i], 0, Money(2990), OrderStatus::Created, to,
                                                           fromEpochMs(200000 + batch), {}};
                        if (to == OrderStatus::Paid)
                            paid.emplace_back(open[i], 0);
                        open.erase(open.begin() + static_cast<std::ptrdiff_t>(i));
                    }
                    entries.push_back(std::move(entry));
                }
                store->appendJournal(entries);
            }
            // A batch that fails on its last entry (an order id in use) adds nothing.
            JournalEntry fresh;
            fresh.newOrder = randomOrder(300000);
            fresh.newOrder->adjustments = {PriceAdjustment{"welcome", "a rule", Money(-10)}};
            JournalEntry duplicate;
            duplicate.newOrder = sampleOrder(1, data.users[0].uid, 300000);
            QVERIFY(errorOf([&] { store->appendJournal({fresh, duplicate}); }).contains(QStringLiteral("order 1")));
        }
        const QString scanned = query(path, "SELECT uid, rule_id, COUNT(DISTINCT order_id) FROM order_adjustments "
                                            "GROUP BY uid, rule_id ORDER BY uid, rule_id");
        QVERIFY(!scanned.isEmpty());
        QCOMPARE(query(path, "SELECT uid, rule_id, orders FROM rule_usage ORDER BY uid, rule_id"), scanned);
        QCOMPARE(query(path, "SELECT value FROM order_counts WHERE name = 'orders'"),
                 query(path, "SELECT COUNT(*) FROM orders"));
        // And what start-up reads after a restart.
        auto store = SqliteStore::open(path);
        std::vector<RuleUsage> usage = sortedRuleUsage(*store);
        QString loaded;
        for (const RuleUsage &u : usage)
            loaded += (loaded.isEmpty() ? QString() : QStringLiteral("|")) +
                      QStringLiteral("%1|%2|%3").arg(u.uid).arg(QString::fromStdString(u.ruleId)).arg(u.count);
        QCOMPARE(loaded, scanned);
        QCOMPARE(store->orderCount(), nextId - 2); // every order but the refused batch's
    }

    void migratingVersionEightBuildsTheAggregatesFromTheHistory()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "v8.sqlite");
        SqliteStore::openAtVersion(path, 8).reset();
        // Orders of every status, one naming a rule twice, one without adjustments.
        QCOMPARE(query(path, "INSERT INTO users VALUES (7, 1000, 'ios', 'Beijing', 'app_store');"
                             "INSERT INTO users VALUES (8, 1000, 'ios', 'Beijing', 'app_store');"
                             "INSERT INTO orders (order_id, uid, channel, total_minor, created_at_ms, status, "
                             "paid_at_ms, lines, adjustments) VALUES "
                             "(1, 7, 'web', 900, 2000, 1, 2000, '[[\"SKU-1\",1,900,1000]]', "
                             "'[[\"welcome\",\"Welcome\",-50],[\"spend\",\"Spend\",-50]]'),"
                             "(2, 7, 'web', 900, 3000, 2, NULL, '[[\"SKU-1\",1,900,1000]]', "
                             "'[[\"spend\",\"Spend\",-50],[\"spend\",\"Spend again\",-50]]'),"
                             "(3, 8, 'app', 900, 4000, 4, 4000, '[[\"SKU-1\",1,900,1000]]', "
                             "'[[\"welcome\",\"Welcome\",-100]]'),"
                             "(4, 8, 'app', 1000, 5000, 0, NULL, '[[\"SKU-1\",1,1000,1000]]', '[]');"),
                 QString());
        auto store = SqliteStore::open(path);
        QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
        QCOMPARE(store->orderCount(), 4);
        std::vector<RuleUsage> usage = sortedRuleUsage(*store);
        QCOMPARE(usage.size(), std::size_t(3));
        QCOMPARE(usage[0].uid, 7);
        QCOMPARE(usage[0].ruleId, std::string("spend"));
        QCOMPARE(usage[0].count, 2); // order 2 counts once
        QCOMPARE(usage[1].ruleId, std::string("welcome"));
        QCOMPARE(usage[1].count, 1);
        QCOMPARE(usage[2].uid, 8);
        QCOMPARE(usage[2].count, 1);
        // The metrics replay reads paid orders from the index alone.
        const auto facts = store->loadOrderFactsSince(fromEpochMs(0));
        QCOMPARE(facts.size(), std::size_t(2));
        QCOMPARE(facts[1].uid, 8);
        // New orders keep counting from there.
        Order next = sampleOrder(5, 7, 6000);
        next.adjustments = {PriceAdjustment{"spend", "Spend", Money(-10)}};
        JournalEntry entry;
        entry.newOrder = next;
        store->appendJournal({entry});
        QCOMPARE(store->orderCount(), 5);
        usage = store->loadRuleUsage();
        const auto spend = std::find_if(usage.begin(), usage.end(),
                                        [](const RuleUsage &u) { return u.uid == 7 && u.ruleId == "spend"; });
        QVERIFY(spend != usage.end());
        QCOMPARE(spend->count, 3);
        store.reset();
        QCOMPARE(query(path, "EXPLAIN QUERY PLAN SELECT uid, paid_at_ms, total_minor FROM orders WHERE paid_at_ms > 0 "
                             "ORDER BY paid_at_ms, order_id")
                     .contains(QStringLiteral("COVERING INDEX orders_by_paid_at")),
                 true);
    }

    void theDatabaseGuardsCommissionsAndTokens()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "referral.sqlite");
        auto store = SqliteStore::open(path);
        referral::Commission c;
        c.id = 1;
        c.orderId = 77;
        c.buyerUid = 3;
        c.level1Uid = 2;
        c.orderTotal = Money(10000);
        c.level1RateBp = 1000;
        c.createdAt = c.updatedAt = fromEpochMs(1767225600000);
        ReferralWrite create;
        create.newCommission = c;
        ReferralWrite jti;
        jti.usedJti = std::make_pair(std::string("jti-1"), std::int64_t{1767312000});
        auto results = store->appendReferral({create, jti, jti});
        QVERIFY(!results[0] && !results[1]);
        QVERIFY(results[2]); // the same token id twice: refused by the database
        QVERIFY2(results[2]->find("jti-1") != std::string::npos, results[2]->c_str());

        const auto move = [&](referral::CommissionState from, referral::CommissionState to) {
            ReferralWrite w;
            c.state = to;
            w.transitioned = c;
            w.from = from;
            return store->appendReferral({w}).front();
        };
        using S = referral::CommissionState;
        QVERIFY(!move(S::Pending, S::Reviewing));
        QVERIFY(move(S::Pending, S::Reviewing)); // the stored state is no longer pending
        QVERIFY(!move(S::Reviewing, S::Confirmed));
        QVERIFY(!move(S::Confirmed, S::Settled));
        // Settled twice, even when the code claims the state it expects: refused.
        const auto twice = move(S::Settled, S::Settled);
        QVERIFY(twice);
        QCOMPARE(store->loadCommission(1)->state, S::Settled);
        store.reset(); // the file is locked while a store has it open
        // The trigger refuses any change to a settled commission, whoever makes it.
        QVERIFY(query(path, "UPDATE commissions SET state = 'reversed' WHERE id = 1")
                    .contains(QStringLiteral("cannot change")));
        QCOMPARE(query(path, "SELECT COUNT(*) FROM commission_transitions WHERE commission_id = 1"),
                 QStringLiteral("3"));
    }

    void purgesUsedInviteTokensByExpiryInChunks()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "tokens.sqlite");
        auto store = SqliteStore::open(path);
        // Expiring at 1000 .. 2299 s, stored out of order; 1300 rows, 1200 due.
        std::vector<ReferralWrite> writes;
        for (std::int64_t i = 0; i < 1300; ++i) {
            ReferralWrite w;
            const std::int64_t expires = 1000 + (i * 7) % 1300;
            w.usedJti = std::make_pair("jti-" + std::to_string(expires), expires);
            writes.push_back(w);
        }
        for (const auto &result : store->appendReferral(writes))
            QVERIFY(!result);
        QCOMPARE(store->purgeUsedJtis(1000), std::int64_t{0});
        // More than two chunks: every token expiring before 2200 goes, nothing else.
        QVERIFY(1200 > 2 * SqliteStore::kPurgeChunk);
        QCOMPARE(store->purgeUsedJtis(2200), std::int64_t{1200});
        const auto kept = store->loadReferral(0).usedJtis;
        QCOMPARE(kept.size(), std::size_t(100));
        for (const auto &[jti, expires] : kept)
            QVERIFY2(expires >= 2200 && jti == "jti-" + std::to_string(expires), jti.c_str());
        QCOMPARE(store->purgeUsedJtis(2200), std::int64_t{0});
        store.reset();
        // The purge reads the expiry index, not the whole table.
        QVERIFY2(query(path, "EXPLAIN QUERY PLAN SELECT rowid FROM used_invite_tokens WHERE expires_at_s < 5 "
                             "ORDER BY expires_at_s LIMIT 512")
                     .contains(QStringLiteral("used_invite_tokens_by_expiry")),
                 qPrintable(query(path, "EXPLAIN QUERY PLAN SELECT rowid FROM used_invite_tokens "
                                        "WHERE expires_at_s < 5 ORDER BY expires_at_s LIMIT 512")));
    }

    void refusesACorruptFileAndLeavesItAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("corrupt.sqlite"));
        QByteArray garbage(8192, 'x');
        garbage.prepend("this is not a database");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(garbage);
        file.close();
        const QString error = errorOf([&] { SqliteStore::open(path.toStdString()); });
        QVERIFY2(error.contains(path), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("not a Flywheel database or is corrupt")), qPrintable(error));
        QCOMPARE(test::readAll(path), garbage);
    }

    void refusesALockedFile()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "locked.sqlite");
        auto owner = SqliteStore::open(path);
        const QString error = errorOf([&] { SqliteStore::open(path); });
        QVERIFY2(error.contains(QString::fromStdString(path)), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("locked")), qPrintable(error));
        // The owner is unaffected.
        owner->appendOrders({});
        QCOMPARE(owner->orderCount(), 0);
    }

    void refusesAPathItCannotOpen()
    {
        QTemporaryDir dir;
        const std::string missingDir = pathIn(dir, "no/such/dir/db.sqlite");
        QString error = errorOf([&] { SqliteStore::open(missingDir); });
        QVERIFY2(error.contains(QString::fromStdString(missingDir)), qPrintable(error));
        QVERIFY2(error.contains(QStringLiteral("the directory")) && error.contains(QStringLiteral("does not exist")),
                 qPrintable(error));

        const std::string directory = dir.path().toStdString();
        error = errorOf([&] { SqliteStore::open(directory); });
        QVERIFY2(error.contains(QString::fromStdString(directory)), qPrintable(error));

        error = errorOf([&] { SqliteStore::open(""); });
        QCOMPARE(error, QStringLiteral("database path is empty"));
    }

    // As any user, root included: as root the open runs as "nobody" (see errorOfUnprivileged).
    void refusesAReadOnlyFile()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "ro.sqlite");
        SqliteStore::open(path).reset();
        const QString qpath = QString::fromStdString(path);
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                      QFile::ReadOther | QFile::ExeOther));
        QVERIFY(QFile::setPermissions(qpath, QFile::ReadOwner | QFile::ReadOther));
        const QByteArray before = test::readAll(qpath);
        const QString error = errorOfUnprivileged(path);
        QCOMPARE(error, QStringLiteral("database %1 is not writable: Permission denied").arg(qpath));
        QCOMPARE(test::readAll(qpath), before);
    }

    void refusesADirectoryItCannotCreateIn()
    {
        QTemporaryDir dir;
        QVERIFY(QFile::setPermissions(dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner |
                                                      QFile::ReadOther | QFile::ExeOther));
        const std::string path = pathIn(dir, "new.sqlite");
        QCOMPARE(errorOfUnprivileged(path),
                 QStringLiteral("database %1 cannot be created: the directory %2 is not writable: Permission denied")
                     .arg(QString::fromStdString(path), dir.path()));
        QVERIFY(!QFile::exists(QString::fromStdString(path)));

        // A "directory" that is a regular file: nobody, root included, creates in it.
        const std::string file = pathIn(dir, "plain-file");
        QFile plain(QString::fromStdString(file));
        QVERIFY(plain.open(QIODevice::WriteOnly));
        plain.close();
        const std::string underFile = file + "/db.sqlite";
        const QString error = errorOf([&] { SqliteStore::open(underFile); });
        QVERIFY2(error.startsWith(QStringLiteral("database %1").arg(QString::fromStdString(underFile))) &&
                     error.contains(QStringLiteral("Not a directory")),
                 qPrintable(error));
    }

    void refusesANewerSchema()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "future.sqlite");
        SqliteStore::open(path).reset();
        QCOMPARE(query(path, "PRAGMA user_version = 99"), QString());
        const QString error = errorOf([&] { SqliteStore::open(path); });
        QVERIFY2(error.contains(QStringLiteral("schema version 99, newer than this build understands (%1)")
                                    .arg(SqliteStore::kSchemaVersion)),
                 qPrintable(error));
        QCOMPARE(query(path, "PRAGMA user_version"), QStringLiteral("99"));  // untouched
        QCOMPARE(query(path, "PRAGMA journal_mode"), QStringLiteral("wal")); // it was WAL already
    }

    void refusesAnotherProgramsDatabase()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "other.sqlite");
        QCOMPARE(query(path, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me')"), QString());
        const QString error = errorOf([&] { SqliteStore::open(path); });
        QVERIFY2(error.contains(QStringLiteral("an SQLite database of another program")), qPrintable(error));
        QCOMPARE(query(path, "PRAGMA journal_mode"), QStringLiteral("delete")); // not even the journal changed
        QCOMPARE(query(path, "SELECT name FROM sqlite_master"), QStringLiteral("notes"));
    }
};

QTEST_GUILESS_MAIN(TestSqliteStore)
#include "tst_sqlitestore.moc"
