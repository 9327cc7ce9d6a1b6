#include "storage/SqliteStore.h"

#include "storage/Migrations.h"
#include "storage/SqliteStoreInternal.h"

#include <sqlite3.h>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace flywheel {

using sqlite_detail::Statement;
using sqlite_detail::text;

namespace {

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
    const int readRc =
        sqlite3_open_v2(path.c_str(), &store->m_reader, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
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
    for (sqlite3_stmt *stmt : {m_insertGrant, m_openSpend, m_addSpend, m_insertDecision, m_redeemGrant, m_releaseSpend,
                               m_releaseGrant})
        sqlite3_finalize(stmt);
    for (const auto &[sql, stmt] : m_cached)
        sqlite3_finalize(stmt);
    for (const auto &[sql, stmt] : m_readerCached)
        sqlite3_finalize(stmt);
    sqlite3_close_v2(m_db);
    if (m_lockFd >= 0)
        ::close(m_lockFd);
}

sqlite3_stmt *SqliteStore::cachedLocked(const std::string &sql, const std::string &what)
{
    if (const auto found = m_cached.find(sql); found != m_cached.end())
        return found->second;
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                      nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        fail(what, rc);
    }
    m_cached.emplace(sql, stmt);
    return stmt;
}

sqlite3_stmt *SqliteStore::cachedReaderLocked(const std::string &sql, const std::string &what)
{
    if (const auto found = m_readerCached.find(sql); found != m_readerCached.end())
        return found->second;
    sqlite3_stmt *stmt = nullptr;
    const int rc = sqlite3_prepare_v3(m_reader, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                      &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        failOn(m_reader, what, rc);
    }
    m_readerCached.emplace(sql, stmt);
    return stmt;
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
            "closed_at_ms = CASE WHEN ?2 = 1 THEN closed_at_ms ELSE ?3 END "
            // Only a paid order is refunded, whatever the caller thinks: its stock
            // is returned once (the ledger does not remember sold orders).
            "WHERE order_id = ?1 AND (?2 <> 4 OR status = 1)",
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

} // namespace flywheel
