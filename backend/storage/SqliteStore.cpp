#include "storage/SqliteStore.h"

#include "storage/Migrations.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace flywheel {

namespace {

// Status and event codes as stored; append only.
int statusCode(OrderStatus status)
{
    return static_cast<int>(status); // created 0, paid 1, cancelled 2, expired 3, refunded 4
}
int eventCode(inventory::EventType type)
{
    return static_cast<int>(type); // received 0, reserved 1, confirmed 2, released 3
}
int reasonCode(inventory::ReleaseReason reason)
{
    return static_cast<int>(reason); // none 0, cancelled 1, expired 2, refunded 3
}

/// A prepared statement that finalizes itself.
class Statement final {
public:
    Statement(sqlite3 *db, const char *sql) { m_rc = sqlite3_prepare_v2(db, sql, -1, &m_stmt, nullptr); }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement &) = delete;
    Statement &operator=(const Statement &) = delete;
    int prepareResult() const { return m_rc; }
    sqlite3_stmt *get() const { return m_stmt; }

private:
    sqlite3_stmt *m_stmt = nullptr;
    int m_rc = SQLITE_OK;
};

std::string text(sqlite3_stmt *stmt, int column)
{
    const unsigned char *value = sqlite3_column_text(stmt, column);
    return value == nullptr ? std::string() : std::string(reinterpret_cast<const char *>(value));
}

/// What an operator should understand from an SQLite result code.
std::string explain(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return "the file is not a Flywheel database or is corrupt";
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return "the database is locked: another flywheeld or console is using it";
    case SQLITE_READONLY:
    case SQLITE_PERM:
        return "the database is not writable";
    case SQLITE_CANTOPEN:
        return "the file cannot be opened (check that the directory exists and is writable)";
    case SQLITE_FULL:
        return "the disk is full";
    case SQLITE_IOERR:
        return "an I/O error occurred";
    default:
        return "the database reported an error";
    }
}

/// SQLite reports permission problems as I/O errors or not at all until the first
/// write; say plainly what is wrong before opening.
void checkWritable(const std::string &path)
{
    if (::access(path.c_str(), F_OK) == 0) {
        if (::access(path.c_str(), R_OK | W_OK) != 0)
            throw StorageError("database " + path + " is not writable: " + std::strerror(errno));
        return;
    }
    const auto slash = path.find_last_of('/');
    const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    if (::access(dir.c_str(), F_OK) != 0)
        throw StorageError("database " + path + " cannot be created: the directory " + dir + " does not exist");
    if (::access(dir.c_str(), W_OK) != 0)
        throw StorageError("database " + path + " cannot be created: the directory " + dir +
                           " is not writable: " + std::strerror(errno));
}

} // namespace

void SqliteStore::fail(const std::string &what, int rc) const
{
    failOn(m_db, what, rc);
}

void SqliteStore::failOn(sqlite3 *db, const std::string &what, int rc) const
{
    std::string message = "database " + m_path + ": " + what + " failed: " + explain(rc);
    if (db != nullptr) {
        message += " (";
        message += sqlite3_errmsg(db);
        if (const int err = sqlite3_system_errno(db); err != 0)
            message += std::string(", ") + std::strerror(err);
        message += ")";
    }
    throw StorageError(message);
}

std::unique_ptr<SqliteStore> SqliteStore::open(const std::string &path)
{
    return openAtVersion(path, kSchemaVersion);
}

std::unique_ptr<SqliteStore> SqliteStore::openAtVersion(const std::string &path, int version)
{
    if (path.empty())
        throw StorageError("database path is empty");
    checkWritable(path);
    sqlite3 *db = nullptr;
    // Every use of the connection holds m_mutex (or happens here, before the store
    // is shared), so SQLite's own per-call connection mutex would only be taken a
    // second time, on each of the ten or so calls a stored row costs.
    const int rc =
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    std::unique_ptr<SqliteStore> store(new SqliteStore(path, db));
    if (rc != SQLITE_OK)
        store->fail("opening", rc);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 2000);
    // One backend per file: an advisory lock on the file, held while the store is
    // open. (Not SQLite's exclusive locking mode: that would shut out the store's
    // own read connection, see findIdempotencyKey.) Other programs may read the file.
    store->m_lockFd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (store->m_lockFd < 0)
        throw StorageError("database " + path + ": opening failed: " + std::strerror(errno));
    if (::flock(store->m_lockFd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        // Closing a descriptor of the file would drop the locks SQLite holds on it
        // for the store that owns it when that store is in this process (POSIX
        // record locks belong to the process): this one descriptor is left open,
        // as SQLite itself does with its own in that case.
        store->m_lockFd = -1;
        if (error == EWOULDBLOCK)
            throw StorageError("database " + path + ": opening failed: " + explain(SQLITE_BUSY));
        throw StorageError("database " + path + ": opening failed: cannot lock the file: " + std::strerror(error));
    }
    // Read the header before anything else: a file that is not a database is refused here.
    store->m_version = static_cast<int>(store->scalar("PRAGMA user_version"));
    // Refuse foreign files before changing anything in them (even the journal mode).
    if (store->m_version > kSchemaVersion)
        throw StorageError("database " + path + " has schema version " + std::to_string(store->m_version) +
                           ", newer than this build understands (" + std::to_string(kSchemaVersion) +
                           "); use a newer Flywheel");
    if (store->m_version == 0 && store->scalar("SELECT COUNT(*) FROM sqlite_master") > 0)
        throw StorageError("database " + path +
                           " is an SQLite database of another program (it has tables but no Flywheel schema "
                           "version); choose another file");
    const std::string mode = store->pragma("journal_mode = WAL");
    if (mode != "wal")
        throw StorageError("database " + path + ": cannot switch to WAL journaling (journal mode is " + mode + ")");
    store->exec("PRAGMA synchronous = FULL");
    store->exec("PRAGMA foreign_keys = ON");
    store->migrateTo(version);
    // The second connection, for idempotency key lookups: in WAL mode it reads the
    // last committed state without waiting for the writer's transactions.
    const int readRc = sqlite3_open_v2(path.c_str(), &store->m_reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                                       nullptr);
    if (readRc != SQLITE_OK)
        store->fail("opening the read connection", readRc);
    sqlite3_extended_result_codes(store->m_reader, 1);
    sqlite3_busy_timeout(store->m_reader, 2000);
    return store;
}

SqliteStore::SqliteStore(std::string path, sqlite3 *db) : m_path(std::move(path)), m_db(db)
{}

SqliteStore::~SqliteStore()
{
    sqlite3_finalize(m_insertOrder);
    sqlite3_finalize(m_insertEvent);
    sqlite3_finalize(m_updateStatus);
    sqlite3_finalize(m_insertKey);
    sqlite3_finalize(m_oldestKey);
    sqlite3_finalize(m_purgeKeys);
    sqlite3_finalize(m_findKey);
    sqlite3_close_v2(m_reader);
    sqlite3_finalize(m_addRuleUsage);
    sqlite3_finalize(m_addOrderCount);
    sqlite3_close_v2(m_db);
    if (m_lockFd >= 0)
        ::close(m_lockFd);
}

void SqliteStore::exec(const char *sql)
{
    char *error = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK)
        fail(std::string("\"") + sql + "\"", rc);
}

std::int64_t SqliteStore::scalar(const char *sql)
{
    Statement stmt(m_db, sql);
    if (stmt.prepareResult() != SQLITE_OK)
        fail(std::string("\"") + sql + "\"", stmt.prepareResult());
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW)
        return sqlite3_column_int64(stmt.get(), 0);
    if (rc != SQLITE_DONE)
        fail(std::string("\"") + sql + "\"", rc);
    return 0;
}

std::string SqliteStore::pragma(const std::string &name)
{
    const std::lock_guard lock(m_mutex);
    const std::string sql = "PRAGMA " + name;
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail(sql, stmt.prepareResult());
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW)
        return text(stmt.get(), 0);
    if (rc != SQLITE_DONE)
        fail(sql, rc);
    return {};
}

void SqliteStore::migrateTo(int version)
{
    if (m_version >= version)
        return;
    // All steps in one transaction: a failed migration leaves the file as it was.
    exec("BEGIN IMMEDIATE");
    try {
        for (int v = m_version + 1; v <= version; ++v)
            exec(sqliteMigration(v));
        exec(("PRAGMA user_version = " + std::to_string(version)).c_str());
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    m_version = version;
}

int SqliteStore::schemaVersion() const
{
    const std::lock_guard lock(m_mutex);
    return m_version;
}

bool SqliteStore::isEmpty()
{
    const std::lock_guard lock(m_mutex);
    return scalar("SELECT COUNT(*) FROM products") == 0;
}

void SqliteStore::seed(DemoDataset &data)
{
    const std::lock_guard lock(m_mutex);
    exec("BEGIN IMMEDIATE");
    try {
        Statement product(m_db, "INSERT INTO products (sku, name, category, list_price_minor, stock) "
                                "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (product.prepareResult() != SQLITE_OK)
            fail("preparing the catalogue insert", product.prepareResult());
        for (const Product &p : data.products) {
            sqlite3_bind_text(product.get(), 1, p.sku.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(product.get(), 2, p.name.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(product.get(), 3, p.category.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(product.get(), 4, p.listPrice.minorUnits());
            sqlite3_bind_int64(product.get(), 5, p.stock);
            if (const int rc = sqlite3_step(product.get()); rc != SQLITE_DONE)
                fail("storing product " + p.sku, rc);
            sqlite3_reset(product.get());
        }
        Statement user(m_db, "INSERT INTO users (uid, registered_at_ms, device, region, install_channel) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (user.prepareResult() != SQLITE_OK)
            fail("preparing the user insert", user.prepareResult());
        for (const User &u : data.users) {
            sqlite3_bind_int64(user.get(), 1, u.uid);
            sqlite3_bind_int64(user.get(), 2, toEpochMs(u.registeredAt));
            sqlite3_bind_text(user.get(), 3, deviceTypeName(u.device), -1, SQLITE_STATIC);
            sqlite3_bind_text(user.get(), 4, u.region.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(user.get(), 5, u.installChannel.c_str(), -1, SQLITE_TRANSIENT);
            if (const int rc = sqlite3_step(user.get()); rc != SQLITE_DONE)
                fail("storing user " + std::to_string(u.uid), rc);
            sqlite3_reset(user.get());
        }
        // The catalogue's stock is the first receipt of each SKU.
        std::vector<inventory::Event> receipts;
        std::int64_t seq = scalar("SELECT COALESCE(MAX(seq), 0) FROM inventory_events");
        for (const Product &p : data.products) {
            if (p.stock > 0)
                receipts.push_back(inventory::Event{++seq,
                                                    inventory::EventType::Received,
                                                    p.sku,
                                                    0,
                                                    p.stock,
                                                    data.generatedAt,
                                                    {},
                                                    inventory::ReleaseReason::None});
        }
        prepareLocked();
        insertEventsLocked(receipts);
        std::int64_t nextId = scalar("SELECT COALESCE(MAX(order_id), 0) FROM orders") + 1;
        for (Order &order : data.history)
            order.id = nextId++;
        insertOrdersLocked(data.history);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::vector<Product> SqliteStore::loadProducts()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT sku, name, category, list_price_minor, stock FROM products ORDER BY sku");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the catalogue", stmt.prepareResult());
    std::vector<Product> products;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        products.push_back(Product{text(stmt.get(), 0), text(stmt.get(), 1), text(stmt.get(), 2),
                                   Money(sqlite3_column_int64(stmt.get(), 3)), sqlite3_column_int64(stmt.get(), 4)});
    }
    if (rc != SQLITE_DONE)
        fail("reading the catalogue", rc);
    return products;
}

std::vector<User> SqliteStore::loadUsers()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, registered_at_ms, device, region, install_channel FROM users ORDER BY uid");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading users", stmt.prepareResult());
    std::vector<User> users;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        User u;
        u.uid = sqlite3_column_int64(stmt.get(), 0);
        u.registeredAt = fromEpochMs(sqlite3_column_int64(stmt.get(), 1));
        const std::string device = text(stmt.get(), 2);
        if (!parseDeviceType(device, u.device))
            throw StorageError("database " + m_path + ": user " + std::to_string(u.uid) +
                               " has unknown device type \"" + device + "\"");
        u.region = text(stmt.get(), 3);
        u.installChannel = text(stmt.get(), 4);
        users.push_back(std::move(u));
    }
    if (rc != SQLITE_DONE)
        fail("reading users", rc);
    return users;
}

void SqliteStore::prepareLocked()
{
    if (m_insertOrder != nullptr)
        return;
    const auto prepare = [this](const char *sql, sqlite3_stmt **stmt, const char *what) {
        if (const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, nullptr); rc != SQLITE_OK)
            fail(what, rc);
    };
    prepare("INSERT INTO orders (order_id, uid, channel, total_minor, created_at_ms, list_total_minor, "
            "rule_set_version, status, expires_at_ms, paid_at_ms, closed_at_ms, lines, adjustments) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            &m_insertOrder, "preparing the order insert");
    prepare("INSERT INTO inventory_events (seq, type, sku, order_id, quantity, at_ms, expires_at_ms, reason) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            &m_insertEvent, "preparing the inventory event insert");
    prepare("UPDATE orders SET status = ?2, "
            "paid_at_ms = CASE WHEN ?2 = 1 THEN ?3 ELSE paid_at_ms END, "
            "closed_at_ms = CASE WHEN ?2 = 1 THEN closed_at_ms ELSE ?3 END WHERE order_id = ?1",
            &m_updateStatus, "preparing the order status update");
    prepare("INSERT INTO idempotency_keys (key, fingerprint, order_id, created_at_ms, uid, request_sha256) "
            "VALUES (?1, 0, ?2, ?3, ?4, ?5)",
            &m_insertKey, "preparing the idempotency key insert");
    prepare("SELECT created_at_ms FROM idempotency_keys ORDER BY rowid LIMIT 1", &m_oldestKey,
            "preparing the oldest idempotency key query");
    // Reads `limit` rows from the start of the table, never the whole of it.
    prepare("DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys ORDER BY rowid LIMIT ?2) "
            "AND created_at_ms < ?1",
            &m_purgeKeys, "preparing the idempotency key purge");
    prepare("INSERT INTO rule_usage (uid, rule_id, orders) VALUES (?1, ?2, 1) "
            "ON CONFLICT (uid, rule_id) DO UPDATE SET orders = orders + 1",
            &m_addRuleUsage, "preparing the rule usage update");
    prepare("UPDATE order_counts SET value = value + ?1 WHERE name = 'orders'", &m_addOrderCount,
            "preparing the order count update");
}

namespace {

void bindTime(sqlite3_stmt *stmt, int index, TimePoint t)
{
    if (t == TimePoint{})
        sqlite3_bind_null(stmt, index);
    else
        sqlite3_bind_int64(stmt, index, toEpochMs(t));
}

TimePoint columnTime(sqlite3_stmt *stmt, int column)
{
    return sqlite3_column_type(stmt, column) == SQLITE_NULL ? TimePoint{}
                                                            : fromEpochMs(sqlite3_column_int64(stmt, column));
}

} // namespace

void SqliteStore::insertOrderLocked(const Order &order)
{
    std::string lines;
    std::string adjustments;
    try {
        nlohmann::json array = nlohmann::json::array();
        for (const OrderLine &line : order.lines)
            array.push_back(nlohmann::json::array(
                {line.sku, line.quantity, line.unitPrice.minorUnits(), line.listPrice.minorUnits()}));
        lines = array.dump();
        if (order.adjustments.empty()) {
            adjustments = "[]";
        } else {
            array = nlohmann::json::array();
            for (const PriceAdjustment &a : order.adjustments)
                array.push_back(nlohmann::json::array({a.ruleId, a.ruleName, a.amount.minorUnits()}));
            adjustments = array.dump();
        }
    } catch (const nlohmann::json::exception &e) { // text that is not UTF-8
        throw StorageError("database " + m_path + ": cannot store order " + std::to_string(order.id) + ": " + e.what());
    }
    sqlite3_bind_int64(m_insertOrder, 1, order.id);
    sqlite3_bind_int64(m_insertOrder, 2, order.uid);
    sqlite3_bind_text(m_insertOrder, 3, order.channel.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(m_insertOrder, 4, order.total.minorUnits());
    sqlite3_bind_int64(m_insertOrder, 5, toEpochMs(order.createdAt));
    sqlite3_bind_int64(m_insertOrder, 6, order.listTotal.minorUnits());
    sqlite3_bind_int64(m_insertOrder, 7, order.ruleSetVersion);
    sqlite3_bind_int(m_insertOrder, 8, statusCode(order.status));
    bindTime(m_insertOrder, 9, order.expiresAt);
    bindTime(m_insertOrder, 10, order.paidAt);
    bindTime(m_insertOrder, 11, order.closedAt);
    sqlite3_bind_text(m_insertOrder, 12, lines.data(), static_cast<int>(lines.size()), SQLITE_STATIC);
    sqlite3_bind_text(m_insertOrder, 13, adjustments.data(), static_cast<int>(adjustments.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(m_insertOrder);
    sqlite3_reset(m_insertOrder);
    if (rc != SQLITE_DONE)
        fail("storing order " + std::to_string(order.id), rc);
    addRuleUsageLocked(order);
}

void SqliteStore::addRuleUsageLocked(const Order &order)
{
    // An order counts once per rule, however many of its adjustments name the rule.
    for (std::size_t i = 0; i < order.adjustments.size(); ++i) {
        const std::string &ruleId = order.adjustments[i].ruleId;
        const auto first = order.adjustments.begin() + static_cast<std::ptrdiff_t>(i);
        if (std::any_of(order.adjustments.begin(), first, [&](const PriceAdjustment &a) { return a.ruleId == ruleId; }))
            continue;
        sqlite3_bind_int64(m_addRuleUsage, 1, order.uid);
        sqlite3_bind_text(m_addRuleUsage, 2, ruleId.c_str(), -1, SQLITE_STATIC);
        const int rc = sqlite3_step(m_addRuleUsage);
        sqlite3_reset(m_addRuleUsage);
        if (rc != SQLITE_DONE)
            fail("counting the use of rule " + ruleId + " by user " + std::to_string(order.uid), rc);
    }
}

void SqliteStore::addOrderCountLocked(std::int64_t orders)
{
    if (orders == 0)
        return;
    sqlite3_bind_int64(m_addOrderCount, 1, orders);
    const int rc = sqlite3_step(m_addOrderCount);
    sqlite3_reset(m_addOrderCount);
    if (rc != SQLITE_DONE)
        fail("counting the orders", rc);
    if (sqlite3_changes(m_db) != 1)
        throw StorageError("database " + m_path + " has no order count (order_counts is missing its row)");
}

void SqliteStore::insertOrdersLocked(const std::vector<Order> &orders)
{
    prepareLocked();
    for (const Order &order : orders)
        insertOrderLocked(order);
    addOrderCountLocked(static_cast<std::int64_t>(orders.size()));
}

void SqliteStore::insertEventsLocked(const std::vector<inventory::Event> &events)
{
    for (const inventory::Event &e : events) {
        sqlite3_bind_int64(m_insertEvent, 1, e.seq);
        sqlite3_bind_int(m_insertEvent, 2, eventCode(e.type));
        sqlite3_bind_text(m_insertEvent, 3, e.sku.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(m_insertEvent, 4, e.orderId);
        sqlite3_bind_int64(m_insertEvent, 5, e.quantity);
        sqlite3_bind_int64(m_insertEvent, 6, toEpochMs(e.at));
        bindTime(m_insertEvent, 7, e.expiresAt);
        sqlite3_bind_int(m_insertEvent, 8, reasonCode(e.reason));
        const int rc = sqlite3_step(m_insertEvent);
        sqlite3_reset(m_insertEvent);
        if (rc != SQLITE_DONE)
            fail("storing inventory event " + std::to_string(e.seq) + " (" + e.sku + ")", rc);
    }
}

void SqliteStore::updateStatusLocked(const OrderTransition &t)
{
    sqlite3_bind_int64(m_updateStatus, 1, t.orderId);
    sqlite3_bind_int(m_updateStatus, 2, statusCode(t.to));
    sqlite3_bind_int64(m_updateStatus, 3, toEpochMs(t.at));
    const int rc = sqlite3_step(m_updateStatus);
    sqlite3_reset(m_updateStatus);
    if (rc != SQLITE_DONE)
        fail("marking order " + std::to_string(t.orderId) + " " + orderStatusName(t.to), rc);
    if (sqlite3_changes(m_db) != 1)
        throw StorageError("database " + m_path + ": order " + std::to_string(t.orderId) + " is not stored, so it " +
                           "cannot be marked " + orderStatusName(t.to));
}

void SqliteStore::insertKeyLocked(const IdempotencyTable::Record &record)
{
    sqlite3_bind_text(m_insertKey, 1, record.key.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(m_insertKey, 2, record.orderId);
    sqlite3_bind_int64(m_insertKey, 3, toEpochMs(record.createdAt));
    sqlite3_bind_int64(m_insertKey, 4, record.uid);
    sqlite3_bind_blob(m_insertKey, 5, record.request.data(), static_cast<int>(record.request.size()), SQLITE_STATIC);
    const int rc = sqlite3_step(m_insertKey);
    sqlite3_reset(m_insertKey);
    if (rc != SQLITE_DONE)
        fail("storing an idempotency key", rc);
}

void SqliteStore::appendOrders(const std::vector<Order> &orders)
{
    if (orders.empty())
        return;
    const std::lock_guard lock(m_mutex);
    exec("BEGIN IMMEDIATE");
    try {
        insertOrdersLocked(orders);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

void SqliteStore::appendJournal(const std::vector<JournalEntry> &entries)
{
    if (entries.empty())
        return;
    const std::lock_guard lock(m_mutex);
    prepareLocked();
    exec("BEGIN IMMEDIATE");
    try {
        std::int64_t keys = 0;
        std::int64_t newestKeyMs = 0;
        std::int64_t newOrders = 0;
        for (const JournalEntry &entry : entries) {
            if (entry.newOrder) {
                insertOrderLocked(*entry.newOrder);
                ++newOrders;
            }
            if (entry.transition) {
                updateStatusLocked(*entry.transition);
                insertEventsLocked(entry.transition->events);
            }
            insertEventsLocked(entry.events);
            if (entry.idempotency) {
                insertKeyLocked(*entry.idempotency);
                ++keys;
                newestKeyMs = std::max(newestKeyMs, toEpochMs(entry.idempotency->createdAt));
            }
        }
        addOrderCountLocked(newOrders);
        // Twice as many as came in, and a few: a backlog (after a pause, or from
        // before retention was set) drains while orders keep coming.
        if (keys > 0 && m_keyRetention.count() > 0)
            purgeKeysLocked(newestKeyMs - m_keyRetention.count(), 2 * keys + 16);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::optional<Order> SqliteStore::loadOrder(std::int64_t orderId)
{
    const std::lock_guard lock(m_mutex);
    Statement head(m_db, "SELECT uid, channel, total_minor, created_at_ms, COALESCE(list_total_minor, total_minor), "
                         "rule_set_version, status, expires_at_ms, paid_at_ms, closed_at_ms, lines, adjustments "
                         "FROM orders WHERE order_id = ?1");
    if (head.prepareResult() != SQLITE_OK)
        fail("reading order " + std::to_string(orderId), head.prepareResult());
    sqlite3_bind_int64(head.get(), 1, orderId);
    const int rc = sqlite3_step(head.get());
    if (rc == SQLITE_DONE)
        return std::nullopt;
    if (rc != SQLITE_ROW)
        fail("reading order " + std::to_string(orderId), rc);
    Order order;
    order.id = orderId;
    order.uid = sqlite3_column_int64(head.get(), 0);
    order.channel = text(head.get(), 1);
    order.total = Money(sqlite3_column_int64(head.get(), 2));
    order.createdAt = fromEpochMs(sqlite3_column_int64(head.get(), 3));
    order.listTotal = Money(sqlite3_column_int64(head.get(), 4));
    order.ruleSetVersion = sqlite3_column_int64(head.get(), 5);
    const int status = sqlite3_column_int(head.get(), 6);
    if (status < 0 || status > statusCode(OrderStatus::Refunded))
        throw StorageError("database " + m_path + ": order " + std::to_string(orderId) + " has unknown status " +
                           std::to_string(status));
    order.status = static_cast<OrderStatus>(status);
    order.expiresAt = columnTime(head.get(), 7);
    order.paidAt = columnTime(head.get(), 8);
    order.closedAt = columnTime(head.get(), 9);
    try {
        for (const nlohmann::json &line : nlohmann::json::parse(text(head.get(), 10)))
            order.lines.push_back(OrderLine{line.at(0).get<std::string>(), line.at(1).get<std::int64_t>(),
                                            Money(line.at(2).get<std::int64_t>()),
                                            Money(line.at(3).is_null() ? 0 : line.at(3).get<std::int64_t>())});
        for (const nlohmann::json &a : nlohmann::json::parse(text(head.get(), 11)))
            order.adjustments.push_back(PriceAdjustment{a.at(0).get<std::string>(), a.at(1).get<std::string>(),
                                                        Money(a.at(2).get<std::int64_t>())});
    } catch (const nlohmann::json::exception &e) {
        throw StorageError("database " + m_path + ": the lines or adjustments of order " + std::to_string(orderId) +
                           " are not readable: " + e.what());
    }
    return order;
}

std::vector<inventory::Event> SqliteStore::loadInventoryEvents()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT seq, type, sku, order_id, quantity, at_ms, expires_at_ms, reason "
                         "FROM inventory_events ORDER BY seq");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the inventory events", stmt.prepareResult());
    std::vector<inventory::Event> events;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        const int type = sqlite3_column_int(stmt.get(), 1);
        const int reason = sqlite3_column_int(stmt.get(), 7);
        if (type < 0 || type > eventCode(inventory::EventType::Released) || reason < 0 ||
            reason > reasonCode(inventory::ReleaseReason::Refunded))
            throw StorageError("database " + m_path + ": inventory event " +
                               std::to_string(sqlite3_column_int64(stmt.get(), 0)) + " has an unknown type or reason");
        events.push_back(inventory::Event{sqlite3_column_int64(stmt.get(), 0), static_cast<inventory::EventType>(type),
                                          text(stmt.get(), 2), sqlite3_column_int64(stmt.get(), 3),
                                          sqlite3_column_int64(stmt.get(), 4), columnTime(stmt.get(), 5),
                                          columnTime(stmt.get(), 6), static_cast<inventory::ReleaseReason>(reason)});
    }
    if (rc != SQLITE_DONE)
        fail("reading the inventory events", rc);
    return events;
}

namespace {

/// A stored request digest: 32 bytes, or none (NULL, a key from before schema 9).
std::optional<RequestDigest> columnDigest(sqlite3_stmt *stmt, int column)
{
    if (sqlite3_column_type(stmt, column) != SQLITE_BLOB || sqlite3_column_bytes(stmt, column) != 32)
        return std::nullopt;
    RequestDigest digest{};
    std::memcpy(digest.data(), sqlite3_column_blob(stmt, column), digest.size());
    return digest;
}

} // namespace

std::vector<IdempotencyTable::Record> SqliteStore::loadIdempotencyKeys(TimePoint since)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT key, COALESCE(uid, 0), request_sha256, order_id, created_at_ms FROM idempotency_keys "
                         "WHERE created_at_ms >= ?1");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the idempotency keys", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(since));
    std::vector<IdempotencyTable::Record> records;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        records.push_back(IdempotencyTable::Record{
            sqlite3_column_int64(stmt.get(), 1), text(stmt.get(), 0),
            columnDigest(stmt.get(), 2).value_or(RequestDigest{}), sqlite3_column_int64(stmt.get(), 3),
            fromEpochMs(sqlite3_column_int64(stmt.get(), 4))});
    if (rc != SQLITE_DONE)
        fail("reading the idempotency keys", rc);
    return records;
}

std::optional<StoredIdempotencyKey> SqliteStore::findIdempotencyKey(std::int64_t uid, const std::string &key,
                                                                    TimePoint since)
{
    // The read connection, under its own mutex, held for one index seek: the
    // writer's transactions (and their fsync) hold m_mutex, never this one.
    const std::lock_guard lock(m_readMutex);
    if (m_findKey == nullptr) {
        // Keys of the user, and keys from before schema 9 (no user) whose order is the user's.
        const char *sql = "SELECT order_id, created_at_ms, request_sha256, fingerprint FROM idempotency_keys "
                          "WHERE uid = ?1 AND key = ?2 AND created_at_ms >= ?3 "
                          "UNION ALL "
                          "SELECT k.order_id, k.created_at_ms, NULL, k.fingerprint FROM idempotency_keys k "
                          "JOIN orders o ON o.order_id = k.order_id "
                          "WHERE k.uid IS NULL AND k.key = ?2 AND k.created_at_ms >= ?3 AND o.uid = ?1 "
                          "ORDER BY 2 DESC LIMIT 1";
        if (const int rc = sqlite3_prepare_v3(m_reader, sql, -1, SQLITE_PREPARE_PERSISTENT, &m_findKey, nullptr);
            rc != SQLITE_OK)
            failOn(m_reader, "preparing the idempotency key lookup", rc);
    }
    sqlite3_bind_int64(m_findKey, 1, uid);
    sqlite3_bind_text(m_findKey, 2, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
    sqlite3_bind_int64(m_findKey, 3, toEpochMs(since));
    std::optional<StoredIdempotencyKey> found;
    const int rc = sqlite3_step(m_findKey);
    if (rc == SQLITE_ROW)
        found = StoredIdempotencyKey{sqlite3_column_int64(m_findKey, 0), fromEpochMs(sqlite3_column_int64(m_findKey, 1)),
                                     columnDigest(m_findKey, 2),
                                     static_cast<std::uint64_t>(sqlite3_column_int64(m_findKey, 3))};
    sqlite3_reset(m_findKey);
    sqlite3_clear_bindings(m_findKey);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        failOn(m_reader, "looking up idempotency key \"" + key + "\"", rc);
    return found;
}

void SqliteStore::setIdempotencyKeyRetention(Milliseconds retention)
{
    const std::lock_guard lock(m_mutex);
    m_keyRetention = retention;
}

void SqliteStore::purgeKeysLocked(std::int64_t cutoffMs, std::int64_t limit)
{
    // Most batches find the first key young enough and stop at one index seek.
    int rc = sqlite3_step(m_oldestKey);
    const bool due = rc == SQLITE_ROW && sqlite3_column_int64(m_oldestKey, 0) < cutoffMs;
    sqlite3_reset(m_oldestKey);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fail("reading the oldest idempotency key", rc);
    if (!due)
        return;
    sqlite3_bind_int64(m_purgeKeys, 1, cutoffMs);
    sqlite3_bind_int64(m_purgeKeys, 2, limit);
    rc = sqlite3_step(m_purgeKeys);
    sqlite3_reset(m_purgeKeys);
    if (rc != SQLITE_DONE)
        fail("deleting old idempotency keys", rc);
}

std::vector<OrderFact> SqliteStore::loadOrderFactsSince(TimePoint since)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, paid_at_ms, total_minor FROM orders WHERE paid_at_ms > ?1 "
                         "ORDER BY paid_at_ms, order_id");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading recent orders", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(since));
    std::vector<OrderFact> facts;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        facts.push_back(OrderFact{sqlite3_column_int64(stmt.get(), 0), fromEpochMs(sqlite3_column_int64(stmt.get(), 1)),
                                  sqlite3_column_int64(stmt.get(), 2)});
    }
    if (rc != SQLITE_DONE)
        fail("reading recent orders", rc);
    return facts;
}

std::int64_t SqliteStore::maxOrderId()
{
    const std::lock_guard lock(m_mutex);
    return scalar("SELECT COALESCE(MAX(order_id), 0) FROM orders");
}

std::int64_t SqliteStore::orderCount()
{
    const std::lock_guard lock(m_mutex);
    return scalar("SELECT value FROM order_counts WHERE name = 'orders'");
}

std::string SqliteStore::currency()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT value FROM settings WHERE key = 'currency'");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading the currency", stmt.prepareResult());
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW)
        return text(stmt.get(), 0);
    if (rc != SQLITE_DONE)
        fail("reading the currency", rc);
    throw StorageError("database " + m_path + " has no currency setting");
}

namespace {

/// The tables of versioned sets; the only table names versionTable() accepts.
constexpr const char *kRuleSetTable = "rule_set_versions";
constexpr const char *kSegmentSetTable = "segment_set_versions";
constexpr const char *kProgramTable = "referral_program_versions";

StoredVersion readVersion(sqlite3_stmt *stmt)
{
    return StoredVersion{sqlite3_column_int64(stmt, 0), text(stmt, 1), text(stmt, 2), text(stmt, 3),
                         fromEpochMs(sqlite3_column_int64(stmt, 4))};
}

} // namespace

StoredVersion SqliteStore::appendVersion(const char *table, const StoredVersion &version)
{
    const std::lock_guard lock(m_mutex);
    StoredVersion saved = version;
    exec("BEGIN IMMEDIATE");
    try {
        saved.version = scalar(("SELECT COALESCE(MAX(version), 0) FROM " + std::string(table)).c_str()) + 1;
        const std::string sql = "INSERT INTO " + std::string(table) +
                                " (version, yaml, reason, source, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)";
        Statement stmt(m_db, sql.c_str());
        if (stmt.prepareResult() != SQLITE_OK)
            fail(std::string("preparing the insert into ") + table, stmt.prepareResult());
        sqlite3_bind_int64(stmt.get(), 1, saved.version);
        sqlite3_bind_text(stmt.get(), 2, saved.yaml.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt.get(), 3, saved.reason.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt.get(), 4, saved.source.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt.get(), 5, toEpochMs(saved.createdAt));
        if (const int rc = sqlite3_step(stmt.get()); rc != SQLITE_DONE)
            fail("storing version " + std::to_string(saved.version) + " in " + table, rc);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return saved;
}

std::vector<StoredVersion> SqliteStore::readVersions(const char *table, std::int64_t version, int limit)
{
    const std::lock_guard lock(m_mutex);
    const std::string sql = "SELECT version, yaml, reason, source, created_at_ms FROM " + std::string(table) +
                            (version != 0 ? " WHERE version = ?1" : " ORDER BY version DESC LIMIT ?2");
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail(std::string("reading ") + table, stmt.prepareResult());
    if (version != 0)
        sqlite3_bind_int64(stmt.get(), 1, version);
    else
        sqlite3_bind_int(stmt.get(), 2, limit);
    std::vector<StoredVersion> versions;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        versions.push_back(readVersion(stmt.get()));
    if (rc != SQLITE_DONE)
        fail(std::string("reading ") + table, rc);
    return versions;
}

StoredRuleSet SqliteStore::appendRuleSet(const StoredRuleSet &ruleSet)
{
    return appendVersion(kRuleSetTable, ruleSet);
}

std::optional<StoredRuleSet> SqliteStore::ruleSet(std::int64_t version)
{
    auto versions = readVersions(kRuleSetTable, version, 1);
    return versions.empty() ? std::nullopt : std::optional(std::move(versions.front()));
}

std::vector<StoredRuleSet> SqliteStore::ruleSets(int limit)
{
    return readVersions(kRuleSetTable, 0, limit);
}

StoredSegmentSet SqliteStore::appendSegmentSet(const StoredSegmentSet &set)
{
    return appendVersion(kSegmentSetTable, set);
}

std::optional<StoredSegmentSet> SqliteStore::segmentSet(std::int64_t version)
{
    auto versions = readVersions(kSegmentSetTable, version, 1);
    return versions.empty() ? std::nullopt : std::optional(std::move(versions.front()));
}

std::vector<StoredSegmentSet> SqliteStore::segmentSets(int limit)
{
    return readVersions(kSegmentSetTable, 0, limit);
}

namespace {

/// Tags as "name=weight,name=weight"; weights with 17 significant digits, so a
/// profile reads back exactly as it was.
std::string joinTags(const std::vector<std::pair<std::string, double>> &tags)
{
    std::string out;
    char number[32];
    for (const auto &[name, weight] : tags) {
        std::snprintf(number, sizeof number, "%.17g", weight);
        out += (out.empty() ? "" : ",") + name + "=" + number;
    }
    return out;
}

std::vector<std::pair<std::string, double>> splitTags(const std::string &text)
{
    std::vector<std::pair<std::string, double>> tags;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string item = text.substr(start, end - start);
        if (const std::size_t eq = item.find('='); eq != std::string::npos)
            tags.emplace_back(item.substr(0, eq), std::strtod(item.c_str() + eq + 1, nullptr));
        start = end + 1;
    }
    return tags;
}

} // namespace

void SqliteStore::saveProfiles(const std::vector<StoredProfile> &profiles)
{
    if (profiles.empty())
        return;
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "INSERT OR REPLACE INTO profiles (uid, registered_day, last_active_day, active_days, "
                         "pay_count, session_depth, session_at_ms, device, region, install_channel, registered, paid, "
                         "tags) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("preparing the profile insert", stmt.prepareResult());
    exec("BEGIN IMMEDIATE");
    try {
        for (const StoredProfile &p : profiles) {
            sqlite3_stmt *st = stmt.get();
            const std::string tags = joinTags(p.tags);
            sqlite3_bind_int64(st, 1, p.uid);
            sqlite3_bind_int(st, 2, p.registeredDay);
            sqlite3_bind_int(st, 3, p.lastActiveDay);
            sqlite3_bind_int64(st, 4, p.activeDays);
            sqlite3_bind_int(st, 5, p.payCount);
            sqlite3_bind_int(st, 6, p.sessionDepth);
            sqlite3_bind_int64(st, 7, p.sessionAtMs);
            sqlite3_bind_text(st, 8, p.device.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 9, p.region.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 10, p.installChannel.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 11, p.registered ? 1 : 0);
            sqlite3_bind_int(st, 12, p.paid ? 1 : 0);
            sqlite3_bind_text(st, 13, tags.c_str(), -1, SQLITE_STATIC);
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing the profile of user " + std::to_string(p.uid), rc);
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::vector<StoredProfile> SqliteStore::loadProfiles()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, registered_day, last_active_day, active_days, pay_count, session_depth, "
                         "session_at_ms, device, region, install_channel, registered, paid, tags FROM profiles "
                         "ORDER BY uid");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading profiles", stmt.prepareResult());
    std::vector<StoredProfile> profiles;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        sqlite3_stmt *st = stmt.get();
        StoredProfile p;
        p.uid = sqlite3_column_int64(st, 0);
        p.registeredDay = sqlite3_column_int(st, 1);
        p.lastActiveDay = sqlite3_column_int(st, 2);
        p.activeDays = static_cast<std::uint32_t>(sqlite3_column_int64(st, 3));
        p.payCount = sqlite3_column_int(st, 4);
        p.sessionDepth = sqlite3_column_int(st, 5);
        p.sessionAtMs = sqlite3_column_int64(st, 6);
        p.device = text(st, 7);
        p.region = text(st, 8);
        p.installChannel = text(st, 9);
        p.registered = sqlite3_column_int(st, 10) != 0;
        p.paid = sqlite3_column_int(st, 11) != 0;
        p.tags = splitTags(text(st, 12));
        profiles.push_back(std::move(p));
    }
    if (rc != SQLITE_DONE)
        fail("reading profiles", rc);
    return profiles;
}

std::vector<std::pair<std::int64_t, std::int32_t>> SqliteStore::loadPayCounts()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, COUNT(*) FROM orders WHERE paid_at_ms IS NOT NULL GROUP BY uid ORDER BY uid");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("counting payments per user", stmt.prepareResult());
    std::vector<std::pair<std::int64_t, std::int32_t>> counts;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        counts.emplace_back(sqlite3_column_int64(stmt.get(), 0), sqlite3_column_int(stmt.get(), 1));
    if (rc != SQLITE_DONE)
        fail("counting payments per user", rc);
    return counts;
}

std::vector<PurchaseSummary> SqliteStore::loadPurchaseSummaries()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT o.uid, p.category, COUNT(DISTINCT o.order_id), MAX(o.created_at_ms) FROM orders o "
                         "JOIN json_each(o.lines) l JOIN products p ON p.sku = l.value ->> 0 "
                         "WHERE o.paid_at_ms IS NOT NULL GROUP BY o.uid, p.category ORDER BY o.uid, p.category");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("summarising purchases", stmt.prepareResult());
    std::vector<PurchaseSummary> summaries;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        sqlite3_stmt *st = stmt.get();
        summaries.push_back(PurchaseSummary{sqlite3_column_int64(st, 0), text(st, 1), sqlite3_column_int(st, 2),
                                            fromEpochMs(sqlite3_column_int64(st, 3))});
    }
    if (rc != SQLITE_DONE)
        fail("summarising purchases", rc);
    return summaries;
}

void SqliteStore::appendDeliveries(const std::vector<StoredDelivery> &deliveries)
{
    if (deliveries.empty())
        return;
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "INSERT INTO reach_deliveries (uid, segment_id, channel, at_ms, set_version, status, error) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("preparing the delivery insert", stmt.prepareResult());
    exec("BEGIN IMMEDIATE");
    try {
        for (const StoredDelivery &d : deliveries) {
            sqlite3_stmt *st = stmt.get();
            sqlite3_bind_int64(st, 1, d.uid);
            sqlite3_bind_text(st, 2, d.segmentId.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, d.channel.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, toEpochMs(d.at));
            sqlite3_bind_int64(st, 5, d.setVersion);
            sqlite3_bind_text(st, 6, d.status.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 7, d.error.c_str(), -1, SQLITE_STATIC);
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing a message to user " + std::to_string(d.uid), rc);
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

std::vector<StoredDelivery> SqliteStore::loadDeliveriesSince(TimePoint since)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, segment_id, channel, at_ms, set_version, status, error FROM reach_deliveries "
                         "WHERE at_ms >= ?1 ORDER BY at_ms, rowid");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading sent messages", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(since));
    std::vector<StoredDelivery> deliveries;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
        sqlite3_stmt *st = stmt.get();
        deliveries.push_back(StoredDelivery{sqlite3_column_int64(st, 0), text(st, 1), text(st, 2),
                                            fromEpochMs(sqlite3_column_int64(st, 3)), sqlite3_column_int64(st, 4),
                                            text(st, 5), text(st, 6)});
    }
    if (rc != SQLITE_DONE)
        fail("reading sent messages", rc);
    return deliveries;
}

std::int64_t SqliteStore::purgeDeliveries(TimePoint cutoff)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "DELETE FROM reach_deliveries WHERE at_ms < ?1");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("purging old messages", stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, toEpochMs(cutoff));
    if (const int rc = sqlite3_step(stmt.get()); rc != SQLITE_DONE)
        fail("purging old messages", rc);
    return sqlite3_changes(m_db);
}

std::vector<RuleUsage> SqliteStore::loadRuleUsage()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, rule_id, orders FROM rule_usage");
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading rule usage", stmt.prepareResult());
    std::vector<RuleUsage> usage;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        usage.push_back(
            RuleUsage{sqlite3_column_int64(stmt.get(), 0), text(stmt.get(), 1), sqlite3_column_int(stmt.get(), 2)});
    if (rc != SQLITE_DONE)
        fail("reading rule usage", rc);
    return usage;
}

StoredProgram SqliteStore::appendProgram(const StoredProgram &program)
{
    return appendVersion(kProgramTable, program);
}

std::optional<StoredProgram> SqliteStore::program(std::int64_t version)
{
    auto versions = readVersions(kProgramTable, version, 1);
    if (versions.empty())
        return std::nullopt;
    return versions.front();
}

std::vector<StoredProgram> SqliteStore::programs(int limit)
{
    return readVersions(kProgramTable, 0, limit);
}

namespace {

referral::Commission readCommission(sqlite3_stmt *st)
{
    referral::Commission c;
    c.id = sqlite3_column_int64(st, 0);
    c.orderId = sqlite3_column_int64(st, 1);
    c.buyerUid = sqlite3_column_int64(st, 2);
    c.level1Uid = sqlite3_column_int64(st, 3);
    c.level2Uid = sqlite3_column_int64(st, 4);
    c.orderTotal = Money(sqlite3_column_int64(st, 5));
    c.state = referral::commissionStateFromName(text(st, 6)).value_or(referral::CommissionState::Pending);
    c.level1Amount = Money(sqlite3_column_int64(st, 7));
    c.level2Amount = Money(sqlite3_column_int64(st, 8));
    c.level1RateBp = sqlite3_column_int(st, 9);
    c.level2RateBp = sqlite3_column_int(st, 10);
    c.programVersion = sqlite3_column_int64(st, 11);
    c.createdAt = fromEpochMs(sqlite3_column_int64(st, 12));
    c.updatedAt = fromEpochMs(sqlite3_column_int64(st, 13));
    return c;
}

constexpr const char *kCommissionColumns =
    "id, order_id, buyer_uid, level1_uid, level2_uid, order_total_minor, state, level1_minor, level2_minor, "
    "level1_rate_bp, level2_rate_bp, program_version, created_at_ms, updated_at_ms";

} // namespace

std::vector<std::optional<std::string>> SqliteStore::appendReferral(const std::vector<ReferralWrite> &writes)
{
    std::vector<std::optional<std::string>> results(writes.size());
    if (writes.empty())
        return results;
    const std::lock_guard lock(m_mutex);
    Statement link(m_db, "INSERT OR IGNORE INTO invite_links (code, inviter_uid, campaign_id, channel, created_at_ms) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)");
    Statement jti(m_db, "INSERT INTO used_invite_tokens (jti, expires_at_s) VALUES (?1, ?2)");
    Statement binding(m_db, "INSERT INTO invite_bindings (uid, inviter_uid, registered_at_ms, campaign_id, channel, "
                            "jti, inviter_reward_minor, invitee_reward_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    Statement user(m_db, "INSERT INTO users (uid, registered_at_ms, device, region, install_channel) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)");
    Statement create(m_db, ("INSERT INTO commissions (" + std::string(kCommissionColumns) +
                            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)")
                               .c_str());
    Statement update(m_db,
                     "UPDATE commissions SET state = ?1, level1_minor = ?2, level2_minor = ?3, updated_at_ms = ?4 "
                     "WHERE id = ?5 AND state = ?6");
    Statement history(m_db, "INSERT INTO commission_transitions (commission_id, from_state, to_state, at_ms, "
                            "level1_minor, level2_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (Statement *stmt : {&link, &jti, &binding, &user, &create, &update, &history}) {
        if (stmt->prepareResult() != SQLITE_OK)
            fail("preparing the referral writes", stmt->prepareResult());
    }
    // A refused write (a constraint) rolls back its own statements only: each write
    // runs inside a savepoint.
    const auto step = [this](Statement &stmt, const std::string &what) {
        const int rc = sqlite3_step(stmt.get());
        sqlite3_reset(stmt.get());
        sqlite3_clear_bindings(stmt.get());
        if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
            return std::optional<std::string>(what + ": " + sqlite3_errmsg(m_db));
        if (rc != SQLITE_DONE)
            fail(what, rc);
        return std::optional<std::string>();
    };
    exec("BEGIN IMMEDIATE");
    try {
        for (std::size_t i = 0; i < writes.size(); ++i) {
            const ReferralWrite &w = writes[i];
            exec("SAVEPOINT w");
            std::optional<std::string> refused;
            if (w.link) {
                sqlite3_stmt *st = link.get();
                sqlite3_bind_text(st, 1, w.link->code.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 2, w.link->inviterUid);
                sqlite3_bind_text(st, 3, w.link->campaignId.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 4, w.link->channel.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 5, toEpochMs(w.link->createdAt));
                refused = step(link, "storing invite link " + w.link->code);
            } else if (w.usedJti) {
                sqlite3_bind_text(jti.get(), 1, w.usedJti->first.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_int64(jti.get(), 2, w.usedJti->second);
                refused = step(jti, "invite token " + w.usedJti->first + " was used before");
            } else if (w.binding) {
                const referral::Binding &b = *w.binding;
                sqlite3_stmt *st = binding.get();
                sqlite3_bind_int64(st, 1, b.uid);
                sqlite3_bind_int64(st, 2, b.inviterUid);
                sqlite3_bind_int64(st, 3, toEpochMs(b.registeredAt));
                sqlite3_bind_text(st, 4, b.campaignId.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 5, b.channel.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_text(st, 6, b.jti.c_str(), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 7, w.inviterReward.minorUnits());
                sqlite3_bind_int64(st, 8, w.inviteeReward.minorUnits());
                refused = step(binding, "binding user " + std::to_string(b.uid));
                if (!refused && w.newUser) {
                    st = user.get();
                    sqlite3_bind_int64(st, 1, w.newUser->uid);
                    sqlite3_bind_int64(st, 2, toEpochMs(w.newUser->registeredAt));
                    sqlite3_bind_text(st, 3, deviceTypeName(w.newUser->device), -1, SQLITE_STATIC);
                    sqlite3_bind_text(st, 4, w.newUser->region.c_str(), -1, SQLITE_STATIC);
                    sqlite3_bind_text(st, 5, w.newUser->installChannel.c_str(), -1, SQLITE_STATIC);
                    refused = step(user, "user " + std::to_string(w.newUser->uid) + " is registered already");
                }
            } else if (w.newCommission) {
                const referral::Commission &c = *w.newCommission;
                sqlite3_stmt *st = create.get();
                sqlite3_bind_int64(st, 1, c.id);
                sqlite3_bind_int64(st, 2, c.orderId);
                sqlite3_bind_int64(st, 3, c.buyerUid);
                sqlite3_bind_int64(st, 4, c.level1Uid);
                sqlite3_bind_int64(st, 5, c.level2Uid);
                sqlite3_bind_int64(st, 6, c.orderTotal.minorUnits());
                sqlite3_bind_text(st, 7, referral::commissionStateName(c.state), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 8, c.level1Amount.minorUnits());
                sqlite3_bind_int64(st, 9, c.level2Amount.minorUnits());
                sqlite3_bind_int(st, 10, c.level1RateBp);
                sqlite3_bind_int(st, 11, c.level2RateBp);
                sqlite3_bind_int64(st, 12, c.programVersion);
                sqlite3_bind_int64(st, 13, toEpochMs(c.createdAt));
                sqlite3_bind_int64(st, 14, toEpochMs(c.updatedAt));
                refused = step(create, "storing the commission of order " + std::to_string(c.orderId));
            } else if (w.transitioned) {
                const referral::Commission &c = *w.transitioned;
                sqlite3_stmt *st = update.get();
                sqlite3_bind_text(st, 1, referral::commissionStateName(c.state), -1, SQLITE_STATIC);
                sqlite3_bind_int64(st, 2, c.level1Amount.minorUnits());
                sqlite3_bind_int64(st, 3, c.level2Amount.minorUnits());
                sqlite3_bind_int64(st, 4, toEpochMs(c.updatedAt));
                sqlite3_bind_int64(st, 5, c.id);
                sqlite3_bind_text(st, 6, referral::commissionStateName(w.from), -1, SQLITE_STATIC);
                refused = step(update, "commission " + std::to_string(c.id));
                if (!refused && sqlite3_changes(m_db) != 1)
                    refused = "commission " + std::to_string(c.id) + " is not " +
                              referral::commissionStateName(w.from) + " in the database";
                if (!refused) {
                    st = history.get();
                    sqlite3_bind_int64(st, 1, c.id);
                    sqlite3_bind_text(st, 2, referral::commissionStateName(w.from), -1, SQLITE_STATIC);
                    sqlite3_bind_text(st, 3, referral::commissionStateName(c.state), -1, SQLITE_STATIC);
                    sqlite3_bind_int64(st, 4, toEpochMs(c.updatedAt));
                    sqlite3_bind_int64(st, 5, c.level1Amount.minorUnits());
                    sqlite3_bind_int64(st, 6, c.level2Amount.minorUnits());
                    refused = step(history, "commission " + std::to_string(c.id) + " was " +
                                                referral::commissionStateName(c.state) + " before");
                }
            }
            if (refused) {
                exec("ROLLBACK TO w");
                results[i] = std::move(refused);
            }
            exec("RELEASE w");
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return results;
}

void SqliteStore::addFunnelCounts(const referral::Funnel::Changes &changes)
{
    if (changes.empty())
        return;
    const std::lock_guard lock(m_mutex);
    Statement step(m_db, "INSERT INTO funnel_counts (campaign_id, channel, step, count) VALUES (?1, ?2, ?3, ?4) "
                         "ON CONFLICT (campaign_id, channel, step) DO UPDATE SET count = count + excluded.count");
    Statement refusal(m_db, "INSERT INTO refusal_counts (minute, reason, count) VALUES (?1, ?2, ?3) "
                            "ON CONFLICT (minute, reason) DO UPDATE SET count = count + excluded.count");
    if (step.prepareResult() != SQLITE_OK || refusal.prepareResult() != SQLITE_OK)
        fail("preparing the funnel counts",
             step.prepareResult() != SQLITE_OK ? step.prepareResult() : refusal.prepareResult());
    exec("BEGIN IMMEDIATE");
    try {
        for (const auto &[key, n] : changes.steps) {
            sqlite3_stmt *st = step.get();
            sqlite3_bind_text(st, 1, std::get<0>(key).c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 2, std::get<1>(key).c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 3, referral::funnelStepName(std::get<2>(key)), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 4, n);
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing funnel counts", rc);
        }
        for (const auto &[key, n] : changes.refusals) {
            sqlite3_stmt *st = refusal.get();
            sqlite3_bind_int64(st, 1, key.first);
            sqlite3_bind_text(st, 2, referral::refusalName(key.second), -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 3, n);
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                fail("storing refusal counts", rc);
        }
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
}

ReferralState SqliteStore::loadReferral(std::int64_t jtiFrom)
{
    const std::lock_guard lock(m_mutex);
    ReferralState state;
    const auto each = [this](const std::string &sql, const std::function<void(sqlite3_stmt *)> &row,
                             const std::function<void(sqlite3_stmt *)> &bind = {}) {
        Statement stmt(m_db, sql.c_str());
        if (stmt.prepareResult() != SQLITE_OK)
            fail("reading the referral data", stmt.prepareResult());
        if (bind)
            bind(stmt.get());
        int rc = SQLITE_OK;
        while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
            row(stmt.get());
        if (rc != SQLITE_DONE)
            fail("reading the referral data", rc);
    };
    each("SELECT code, inviter_uid, campaign_id, channel, created_at_ms FROM invite_links", [&](sqlite3_stmt *st) {
        state.links.push_back(StoredInviteLink{text(st, 0), sqlite3_column_int64(st, 1), text(st, 2), text(st, 3),
                                               fromEpochMs(sqlite3_column_int64(st, 4))});
    });
    each(
        "SELECT jti, expires_at_s FROM used_invite_tokens WHERE expires_at_s >= ?1",
        [&](sqlite3_stmt *st) { state.usedJtis.emplace_back(text(st, 0), sqlite3_column_int64(st, 1)); },
        [&](sqlite3_stmt *st) { sqlite3_bind_int64(st, 1, jtiFrom); });
    each("SELECT uid, inviter_uid, registered_at_ms, campaign_id, channel, jti FROM invite_bindings "
         "ORDER BY registered_at_ms, uid",
         [&](sqlite3_stmt *st) {
             state.bindings.push_back(referral::Binding{sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
                                                        fromEpochMs(sqlite3_column_int64(st, 2)), text(st, 3),
                                                        text(st, 4), text(st, 5)});
         });
    each("SELECT " + std::string(kCommissionColumns) + " FROM commissions ORDER BY id",
         [&](sqlite3_stmt *st) { state.commissions.push_back(readCommission(st)); });
    each("SELECT campaign_id, channel, step, count FROM funnel_counts", [&](sqlite3_stmt *st) {
        const std::string step = text(st, 2);
        for (const auto s : {referral::FunnelStep::Share, referral::FunnelStep::Click, referral::FunnelStep::Register,
                             referral::FunnelStep::FirstOrder}) {
            if (step == referral::funnelStepName(s))
                state.funnel.emplace_back(text(st, 0), text(st, 1), s, sqlite3_column_int64(st, 3));
        }
    });
    each("SELECT minute, reason, count FROM refusal_counts", [&](sqlite3_stmt *st) {
        const std::string reason = text(st, 1);
        for (std::size_t r = 0; r < referral::kRefusalKinds; ++r) {
            const auto refusal = static_cast<referral::Refusal>(r);
            if (reason == referral::refusalName(refusal))
                state.refusals.emplace_back(sqlite3_column_int64(st, 0), refusal, sqlite3_column_int64(st, 2));
        }
    });
    return state;
}

std::optional<referral::Commission> SqliteStore::loadCommission(std::int64_t id)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, ("SELECT " + std::string(kCommissionColumns) + " FROM commissions WHERE id = ?1").c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading commission " + std::to_string(id), stmt.prepareResult());
    sqlite3_bind_int64(stmt.get(), 1, id);
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW)
        return readCommission(stmt.get());
    if (rc != SQLITE_DONE)
        fail("reading commission " + std::to_string(id), rc);
    return std::nullopt;
}

std::int64_t SqliteStore::purgeUsedJtis(std::int64_t before)
{
    // In chunks, each its own transaction, taking the mutex for one chunk at a time:
    // an hour of expired tokens never holds up the order writer for long.
    std::int64_t purged = 0;
    for (;;) {
        const std::lock_guard lock(m_mutex);
        Statement stmt(m_db, "DELETE FROM used_invite_tokens WHERE rowid IN (SELECT rowid FROM used_invite_tokens "
                             "WHERE expires_at_s < ?1 ORDER BY expires_at_s LIMIT ?2)");
        if (stmt.prepareResult() != SQLITE_OK)
            fail("purging used invite tokens", stmt.prepareResult());
        sqlite3_bind_int64(stmt.get(), 1, before);
        sqlite3_bind_int64(stmt.get(), 2, kPurgeChunk);
        if (const int rc = sqlite3_step(stmt.get()); rc != SQLITE_DONE)
            fail("purging used invite tokens", rc);
        const std::int64_t deleted = sqlite3_changes(m_db);
        purged += deleted;
        if (deleted < kPurgeChunk)
            return purged;
    }
}

} // namespace flywheel
