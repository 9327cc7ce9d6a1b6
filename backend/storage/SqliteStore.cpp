#include "storage/SqliteStore.h"

#include <sqlite3.h>

#include <array>
#include <cerrno>
#include <cstring>

#include <unistd.h>

namespace flywheel {

namespace {

/// Schema scripts: entry N-1 migrates version N-1 to N. Append, never edit.
constexpr std::array<const char *, SqliteStore::kSchemaVersion> kMigrations{
    // 1: catalogue, users, orders
    R"sql(
CREATE TABLE products (
    sku TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    list_price_minor INTEGER NOT NULL CHECK (list_price_minor >= 0),
    stock INTEGER NOT NULL CHECK (stock >= 0)
);
CREATE TABLE users (
    uid INTEGER PRIMARY KEY,
    registered_at_ms INTEGER NOT NULL,
    device TEXT NOT NULL,
    region TEXT NOT NULL,
    install_channel TEXT NOT NULL
);
CREATE TABLE orders (
    order_id INTEGER PRIMARY KEY,
    uid INTEGER NOT NULL REFERENCES users (uid),
    channel TEXT NOT NULL,
    total_minor INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES orders (order_id),
    line_no INTEGER NOT NULL,
    sku TEXT NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_minor INTEGER NOT NULL,
    PRIMARY KEY (order_id, line_no)
) WITHOUT ROWID;
)sql",
    // 2: metrics replay reads recent orders by time; per-deployment settings
    R"sql(
CREATE INDEX orders_by_created_at ON orders (created_at_ms);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('currency', 'CNY');
)sql",
    // 3: pricing rules, and what pricing did to each order
    R"sql(
ALTER TABLE orders ADD COLUMN list_total_minor INTEGER;
ALTER TABLE orders ADD COLUMN rule_set_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE order_lines ADD COLUMN list_price_minor INTEGER;
CREATE TABLE order_adjustments (
    order_id INTEGER NOT NULL REFERENCES orders (order_id),
    position INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    rule_id TEXT NOT NULL,
    rule_name TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    PRIMARY KEY (order_id, position)
) WITHOUT ROWID;
CREATE TABLE rule_set_versions (
    version INTEGER PRIMARY KEY,
    yaml TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
)sql",
};

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
    std::string message = "database " + m_path + ": " + what + " failed: " + explain(rc);
    if (m_db != nullptr) {
        message += " (";
        message += sqlite3_errmsg(m_db);
        if (const int err = sqlite3_system_errno(m_db); err != 0)
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
    const int rc =
        sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
    std::unique_ptr<SqliteStore> store(new SqliteStore(path, db));
    if (rc != SQLITE_OK)
        store->fail("opening", rc);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 2000);
    // Read the header before anything else: a file that is not a database is refused here.
    store->exec("PRAGMA locking_mode = EXCLUSIVE");
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
    return store;
}

SqliteStore::SqliteStore(std::string path, sqlite3 *db) : m_path(std::move(path)), m_db(db)
{}

SqliteStore::~SqliteStore()
{
    sqlite3_finalize(m_insertOrder);
    sqlite3_finalize(m_insertLine);
    sqlite3_finalize(m_insertAdjustment);
    sqlite3_close_v2(m_db);
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
            exec(kMigrations[static_cast<std::size_t>(v - 1)]);
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

void SqliteStore::insertOrdersLocked(const std::vector<Order> &orders)
{
    if (m_insertOrder == nullptr) {
        if (const int rc = sqlite3_prepare_v3(m_db,
                                              "INSERT INTO orders (order_id, uid, channel, total_minor, created_at_ms, "
                                              "list_total_minor, rule_set_version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                              -1, SQLITE_PREPARE_PERSISTENT, &m_insertOrder, nullptr);
            rc != SQLITE_OK)
            fail("preparing the order insert", rc);
        if (const int rc = sqlite3_prepare_v3(m_db,
                                              "INSERT INTO order_lines (order_id, line_no, sku, quantity, "
                                              "unit_price_minor, list_price_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                              -1, SQLITE_PREPARE_PERSISTENT, &m_insertLine, nullptr);
            rc != SQLITE_OK)
            fail("preparing the order line insert", rc);
        if (const int rc = sqlite3_prepare_v3(m_db,
                                              "INSERT INTO order_adjustments (order_id, position, uid, rule_id, "
                                              "rule_name, amount_minor) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                              -1, SQLITE_PREPARE_PERSISTENT, &m_insertAdjustment, nullptr);
            rc != SQLITE_OK)
            fail("preparing the order adjustment insert", rc);
    }
    for (const Order &order : orders) {
        sqlite3_bind_int64(m_insertOrder, 1, order.id);
        sqlite3_bind_int64(m_insertOrder, 2, order.uid);
        sqlite3_bind_text(m_insertOrder, 3, order.channel.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(m_insertOrder, 4, order.total.minorUnits());
        sqlite3_bind_int64(m_insertOrder, 5, toEpochMs(order.createdAt));
        sqlite3_bind_int64(m_insertOrder, 6, order.listTotal.minorUnits());
        sqlite3_bind_int64(m_insertOrder, 7, order.ruleSetVersion);
        const int rc = sqlite3_step(m_insertOrder);
        sqlite3_reset(m_insertOrder);
        if (rc != SQLITE_DONE)
            fail("storing order " + std::to_string(order.id), rc);
        for (std::size_t i = 0; i < order.lines.size(); ++i) {
            const OrderLine &line = order.lines[i];
            sqlite3_bind_int64(m_insertLine, 1, order.id);
            sqlite3_bind_int64(m_insertLine, 2, static_cast<std::int64_t>(i));
            sqlite3_bind_text(m_insertLine, 3, line.sku.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(m_insertLine, 4, line.quantity);
            sqlite3_bind_int64(m_insertLine, 5, line.unitPrice.minorUnits());
            sqlite3_bind_int64(m_insertLine, 6, line.listPrice.minorUnits());
            const int lineRc = sqlite3_step(m_insertLine);
            sqlite3_reset(m_insertLine);
            if (lineRc != SQLITE_DONE)
                fail("storing a line of order " + std::to_string(order.id), lineRc);
        }
        for (std::size_t i = 0; i < order.adjustments.size(); ++i) {
            const PriceAdjustment &a = order.adjustments[i];
            sqlite3_bind_int64(m_insertAdjustment, 1, order.id);
            sqlite3_bind_int64(m_insertAdjustment, 2, static_cast<std::int64_t>(i));
            sqlite3_bind_int64(m_insertAdjustment, 3, order.uid);
            sqlite3_bind_text(m_insertAdjustment, 4, a.ruleId.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_text(m_insertAdjustment, 5, a.ruleName.c_str(), -1, SQLITE_STATIC);
            sqlite3_bind_int64(m_insertAdjustment, 6, a.amount.minorUnits());
            const int adjustmentRc = sqlite3_step(m_insertAdjustment);
            sqlite3_reset(m_insertAdjustment);
            if (adjustmentRc != SQLITE_DONE)
                fail("storing a price adjustment of order " + std::to_string(order.id), adjustmentRc);
        }
    }
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

std::vector<OrderFact> SqliteStore::loadOrderFactsSince(TimePoint since)
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, created_at_ms, total_minor FROM orders WHERE created_at_ms > ?1 "
                         "ORDER BY created_at_ms, order_id");
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
    return scalar("SELECT COUNT(*) FROM orders");
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

StoredRuleSet SqliteStore::appendRuleSet(const StoredRuleSet &ruleSet)
{
    const std::lock_guard lock(m_mutex);
    StoredRuleSet saved = ruleSet;
    exec("BEGIN IMMEDIATE");
    try {
        saved.version = scalar("SELECT COALESCE(MAX(version), 0) FROM rule_set_versions") + 1;
        Statement stmt(m_db, "INSERT INTO rule_set_versions (version, yaml, reason, source, created_at_ms) "
                             "VALUES (?1, ?2, ?3, ?4, ?5)");
        if (stmt.prepareResult() != SQLITE_OK)
            fail("preparing the rule set insert", stmt.prepareResult());
        sqlite3_bind_int64(stmt.get(), 1, saved.version);
        sqlite3_bind_text(stmt.get(), 2, saved.yaml.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt.get(), 3, saved.reason.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt.get(), 4, saved.source.c_str(), -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt.get(), 5, toEpochMs(saved.createdAt));
        if (const int rc = sqlite3_step(stmt.get()); rc != SQLITE_DONE)
            fail("storing rule set version " + std::to_string(saved.version), rc);
        exec("COMMIT");
    } catch (...) {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
    }
    return saved;
}

namespace {

constexpr const char *kRuleSetColumns = "SELECT version, yaml, reason, source, created_at_ms FROM rule_set_versions ";

StoredRuleSet readRuleSet(sqlite3_stmt *stmt)
{
    return StoredRuleSet{sqlite3_column_int64(stmt, 0), text(stmt, 1), text(stmt, 2), text(stmt, 3),
                         fromEpochMs(sqlite3_column_int64(stmt, 4))};
}

} // namespace

std::optional<StoredRuleSet> SqliteStore::ruleSet(std::int64_t version)
{
    const std::lock_guard lock(m_mutex);
    const std::string sql =
        std::string(kRuleSetColumns) + (version == 0 ? "ORDER BY version DESC LIMIT 1" : "WHERE version = ?1");
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading a rule set", stmt.prepareResult());
    if (version != 0)
        sqlite3_bind_int64(stmt.get(), 1, version);
    const int rc = sqlite3_step(stmt.get());
    if (rc == SQLITE_ROW)
        return readRuleSet(stmt.get());
    if (rc != SQLITE_DONE)
        fail("reading a rule set", rc);
    return std::nullopt;
}

std::vector<StoredRuleSet> SqliteStore::ruleSets(int limit)
{
    const std::lock_guard lock(m_mutex);
    const std::string sql = std::string(kRuleSetColumns) + "ORDER BY version DESC LIMIT ?1";
    Statement stmt(m_db, sql.c_str());
    if (stmt.prepareResult() != SQLITE_OK)
        fail("reading rule set versions", stmt.prepareResult());
    sqlite3_bind_int(stmt.get(), 1, limit);
    std::vector<StoredRuleSet> sets;
    int rc = SQLITE_OK;
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW)
        sets.push_back(readRuleSet(stmt.get()));
    if (rc != SQLITE_DONE)
        fail("reading rule set versions", rc);
    return sets;
}

std::vector<RuleUsage> SqliteStore::loadRuleUsage()
{
    const std::lock_guard lock(m_mutex);
    Statement stmt(m_db, "SELECT uid, rule_id, COUNT(DISTINCT order_id) FROM order_adjustments GROUP BY uid, rule_id");
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

} // namespace flywheel
