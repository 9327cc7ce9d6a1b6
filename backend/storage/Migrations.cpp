#include "storage/Migrations.h"

#include <array>
#include <stdexcept>
#include <string>

namespace flywheel {

namespace {

/// Entry N-1 migrates version N-1 to N. Append, never edit.
constexpr std::array<const char *, kSqliteSchemaVersion> kMigrations{
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
    // 4: order lifecycle, event-sourced inventory, idempotency keys. Orders stored
    // before are paid; the catalogue's stock becomes the first receipts.
    R"sql(
ALTER TABLE orders ADD COLUMN status INTEGER NOT NULL DEFAULT 1;
ALTER TABLE orders ADD COLUMN expires_at_ms INTEGER;
ALTER TABLE orders ADD COLUMN paid_at_ms INTEGER;
ALTER TABLE orders ADD COLUMN closed_at_ms INTEGER;
UPDATE orders SET paid_at_ms = created_at_ms;
DROP INDEX orders_by_created_at;
CREATE INDEX orders_by_paid_at ON orders (paid_at_ms) WHERE paid_at_ms IS NOT NULL;
CREATE TABLE inventory_events (
    seq INTEGER PRIMARY KEY,
    type INTEGER NOT NULL,
    sku TEXT NOT NULL,
    order_id INTEGER NOT NULL,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER,
    reason INTEGER NOT NULL DEFAULT 0
);
INSERT INTO inventory_events (type, sku, order_id, quantity, at_ms)
    SELECT 0, sku, 0, stock, CAST(strftime('%s', 'now') AS INTEGER) * 1000 FROM products WHERE stock > 0 ORDER BY sku;
CREATE TABLE idempotency_keys (
    key TEXT NOT NULL,
    fingerprint INTEGER NOT NULL,
    order_id INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL
);
)sql",
    // 5: user profiles, segment sets and the messages reach sent
    R"sql(
CREATE TABLE profiles (
    uid INTEGER PRIMARY KEY,
    registered_day INTEGER NOT NULL,
    last_active_day INTEGER NOT NULL,
    active_days INTEGER NOT NULL,
    pay_count INTEGER NOT NULL CHECK (pay_count >= 0),
    session_depth INTEGER NOT NULL,
    session_at_ms INTEGER NOT NULL,
    device TEXT NOT NULL,
    region TEXT NOT NULL,
    install_channel TEXT NOT NULL,
    registered INTEGER NOT NULL,
    paid INTEGER NOT NULL,
    tags TEXT NOT NULL
);
CREATE TABLE segment_set_versions (
    version INTEGER PRIMARY KEY,
    yaml TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE reach_deliveries (
    uid INTEGER NOT NULL,
    segment_id TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('push', 'sms', 'in_app')),
    at_ms INTEGER NOT NULL,
    set_version INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX reach_deliveries_by_time ON reach_deliveries (at_ms);
)sql",
    // 6: referral — programme versions, invite links, used invite tokens, bindings,
    // the commission ledger with its transitions, funnel and refusal counts.
    R"sql(
CREATE TABLE referral_program_versions (
    version INTEGER PRIMARY KEY,
    yaml TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE invite_links (
    code TEXT PRIMARY KEY,
    inviter_uid INTEGER NOT NULL,
    campaign_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    UNIQUE (inviter_uid, campaign_id, channel)
);
CREATE TABLE used_invite_tokens (
    jti TEXT PRIMARY KEY,
    expires_at_s INTEGER NOT NULL
);
CREATE TABLE invite_bindings (
    uid INTEGER PRIMARY KEY,
    inviter_uid INTEGER NOT NULL CHECK (inviter_uid <> uid),
    registered_at_ms INTEGER NOT NULL,
    campaign_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    jti TEXT NOT NULL UNIQUE,
    inviter_reward_minor INTEGER NOT NULL,
    invitee_reward_minor INTEGER NOT NULL
);
CREATE INDEX invite_bindings_by_inviter ON invite_bindings (inviter_uid);
CREATE TABLE commissions (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL UNIQUE,
    buyer_uid INTEGER NOT NULL,
    level1_uid INTEGER NOT NULL,
    level2_uid INTEGER NOT NULL,
    order_total_minor INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'reviewing', 'confirmed', 'settled', 'reversed')),
    level1_minor INTEGER NOT NULL,
    level2_minor INTEGER NOT NULL,
    level1_rate_bp INTEGER NOT NULL,
    level2_rate_bp INTEGER NOT NULL,
    program_version INTEGER NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
-- Settled and reversed are final, whatever the code does.
CREATE TRIGGER commissions_final BEFORE UPDATE ON commissions
WHEN OLD.state IN ('settled', 'reversed')
BEGIN
    SELECT RAISE(ABORT, 'a settled or reversed commission cannot change');
END;
-- Each state is reached at most once per commission: nothing is settled twice.
CREATE TABLE commission_transitions (
    commission_id INTEGER NOT NULL REFERENCES commissions (id),
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    level1_minor INTEGER NOT NULL,
    level2_minor INTEGER NOT NULL,
    PRIMARY KEY (commission_id, to_state)
);
CREATE TABLE funnel_counts (
    campaign_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    step TEXT NOT NULL CHECK (step IN ('share', 'click', 'register', 'first_order')),
    count INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, channel, step)
);
CREATE TABLE refusal_counts (
    minute INTEGER NOT NULL,
    reason TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (minute, reason)
);
)sql",
    // 7: an order's lines and price adjustments live in its own row, as JSON arrays
    // (a line is [sku, quantity, unit_price_minor, list_price_minor], an adjustment
    // [rule_id, rule_name, amount_minor]), so that storing an order writes one row
    // instead of one per line and per adjustment. order_lines and order_adjustments
    // become views with the columns the tables had, for every query that reads them.
    R"sql(
ALTER TABLE orders ADD COLUMN lines TEXT NOT NULL DEFAULT '[]';
ALTER TABLE orders ADD COLUMN adjustments TEXT NOT NULL DEFAULT '[]';
UPDATE orders SET lines = (
    SELECT json_group_array(json_array(sku, quantity, unit_price_minor, list_price_minor))
    FROM (SELECT * FROM order_lines l WHERE l.order_id = orders.order_id ORDER BY line_no))
WHERE order_id IN (SELECT order_id FROM order_lines);
UPDATE orders SET adjustments = (
    SELECT json_group_array(json_array(rule_id, rule_name, amount_minor))
    FROM (SELECT * FROM order_adjustments a WHERE a.order_id = orders.order_id ORDER BY position))
WHERE order_id IN (SELECT order_id FROM order_adjustments);
DROP TABLE order_lines;
DROP TABLE order_adjustments;
CREATE VIEW order_lines (order_id, line_no, sku, quantity, unit_price_minor, list_price_minor) AS
    SELECT o.order_id, l.key, l.value ->> 0, l.value ->> 1, l.value ->> 2, l.value ->> 3
    FROM orders o, json_each(o.lines) l;
CREATE VIEW order_adjustments (order_id, position, uid, rule_id, rule_name, amount_minor) AS
    SELECT o.order_id, a.key, o.uid, a.value ->> 0, a.value ->> 1, a.value ->> 2
    FROM orders o, json_each(o.adjustments) a;
)sql",
    // 8: used invite tokens by expiry, so that the hourly purge reads only what it
    // deletes instead of the whole table (under the mutex every order commit waits on).
    R"sql(
CREATE INDEX used_invite_tokens_by_expiry ON used_invite_tokens (expires_at_s);
)sql",
    // 9: what start-up used to count over every order, kept up to date by each
    // batch that stores orders, in the batch's transaction: how many orders each
    // pricing rule priced per user (per-user limits), and how many orders there are.
    // Built here once from the history, with the queries start-up used to run. The
    // metrics replay reads recent paid orders from an index that holds all it needs.
    R"sql(
CREATE TABLE rule_usage (
    uid INTEGER NOT NULL,
    rule_id TEXT NOT NULL,
    orders INTEGER NOT NULL CHECK (orders > 0),
    PRIMARY KEY (uid, rule_id)
) WITHOUT ROWID;
INSERT INTO rule_usage (uid, rule_id, orders)
    SELECT uid, rule_id, COUNT(DISTINCT order_id) FROM order_adjustments GROUP BY uid, rule_id;
CREATE TABLE order_counts (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL CHECK (value >= 0)
);
INSERT INTO order_counts (name, value) SELECT 'orders', COUNT(*) FROM orders;
DROP INDEX orders_by_paid_at;
CREATE INDEX orders_by_paid_at ON orders (paid_at_ms, order_id, uid, total_minor) WHERE paid_at_ms IS NOT NULL;
)sql",
    // 10: idempotency (issue 15) — keys belong to a user (the buyer) and name their
    // request by its SHA-256; the order path looks keys older than its in-memory
    // window up by (uid, key). Keys stored before keep uid NULL and their 64-bit
    // FNV fingerprint (request_sha256 NULL): they still answer a retry, as the key
    // of their order's buyer, until the 48-hour retention deletes them. New keys
    // store 0 as fingerprint.
    R"sql(
ALTER TABLE idempotency_keys ADD COLUMN uid INTEGER;
ALTER TABLE idempotency_keys ADD COLUMN request_sha256 BLOB;
CREATE INDEX idempotency_keys_by_user ON idempotency_keys (uid, key, created_at_ms);
)sql",
    // 11: inventory snapshots (issue 15) — the ledger's state after event `seq`, so
    // that start-up replays only the events after the newest one instead of the
    // whole log. levels: [[sku, received, available, reserved, sold], ...];
    // reservations: [[order_id, expires_at_ms, [[sku, quantity], ...]], ...];
    // recent: the seqs of the events each SKU's recent list held, which stay in
    // inventory_events (the audit trail is kept whole). A database from before has
    // no snapshot and replays every event once.
    R"sql(
CREATE TABLE inventory_snapshots (
    seq INTEGER PRIMARY KEY,
    taken_at_ms INTEGER NOT NULL,
    levels TEXT NOT NULL,
    reservations TEXT NOT NULL,
    recent TEXT NOT NULL
);
)sql",
    // 12: the audit log of operator changes (issue 16) — append-only and hash
    // chained (domain/audit): seq runs 1, 2, 3, ...; each entry holds the hash of the
    // one before. prev_hash is UNIQUE, so a second entry following the same one (a
    // fork of the chain) is refused by the database itself. The triggers refuse
    // UPDATE and DELETE: they stop accidents, not someone with the file (that is what
    // `flywheeld audit verify` is for).
    R"sql(
CREATE TABLE audit_entries (
    seq INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_peer TEXT NOT NULL,
    area TEXT NOT NULL,
    object TEXT NOT NULL,
    version INTEGER NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    reason TEXT NOT NULL,
    prev_hash BLOB NOT NULL UNIQUE CHECK (length(prev_hash) = 32),
    hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32)
);
CREATE INDEX audit_entries_by_area ON audit_entries (area, seq);
CREATE INDEX audit_entries_by_actor ON audit_entries (actor_name, seq);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END;
)sql",
    // 13: the audit chain guarded by a trigger instead of UNIQUE prev_hash and hash.
    // The two UNIQUE indexes on random 32-byte values put each new entry on two
    // random index pages: a batch of N entries wrote about 2N pages, which made a
    // call's commission transitions five times slower with their entries. The
    // trigger checks more at the cost of two lookups by primary key: a new entry
    // must take the next seq and hold the hash of the entry before it (32 zero
    // bytes for the first), so the database itself refuses a fork or a gap.
    R"sql(
CREATE TABLE audit_entries_13 (
    seq INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    actor_name TEXT NOT NULL,
    actor_role TEXT NOT NULL,
    actor_peer TEXT NOT NULL,
    area TEXT NOT NULL,
    object TEXT NOT NULL,
    version INTEGER NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    reason TEXT NOT NULL,
    prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash BLOB NOT NULL CHECK (length(hash) = 32)
);
INSERT INTO audit_entries_13 SELECT seq, at_ms, actor_name, actor_role, actor_peer, area, object, version,
    before, after, reason, prev_hash, hash FROM audit_entries ORDER BY seq;
DROP TRIGGER audit_entries_no_update;
DROP TRIGGER audit_entries_no_delete;
DROP TABLE audit_entries;
ALTER TABLE audit_entries_13 RENAME TO audit_entries;
CREATE INDEX audit_entries_by_area ON audit_entries (area, seq);
CREATE INDEX audit_entries_by_actor ON audit_entries (actor_name, seq);
CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;
CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries
BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END;
CREATE TRIGGER audit_entries_chain BEFORE INSERT ON audit_entries
WHEN NEW.seq IS NOT COALESCE((SELECT MAX(seq) FROM audit_entries), 0) + 1
  OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_entries WHERE seq = NEW.seq - 1), zeroblob(32))
BEGIN SELECT RAISE(ABORT, 'an audit entry must continue the chain: the next seq, and the hash of the last entry as prev_hash'); END;
)sql",
    // 14: first-order subsidies (docs/subsidies.md). The config's versions; the
    // grants, written with their orders in the orders' transaction: at most one grant
    // in force (issued or redeemed) per user, refused by the database itself; the
    // campaign spend (day -1: the total), raised only WHERE it stays within the
    // budget the grant was reserved against; and each first-order decision with its
    // raw inputs, for replaying a draft config.
    R"sql(
CREATE TABLE subsidy_config_versions (
    version INTEGER PRIMARY KEY,
    yaml TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE subsidy_grants (
    order_id INTEGER PRIMARY KEY,
    uid INTEGER NOT NULL,
    campaign_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    day INTEGER NOT NULL,
    reason INTEGER NOT NULL,
    status INTEGER NOT NULL CHECK (status IN (0, 1, 2)),
    created_at_ms INTEGER NOT NULL,
    redeemed_at_ms INTEGER,
    closed_at_ms INTEGER,
    order_total_minor INTEGER NOT NULL,
    experiment_key TEXT NOT NULL,
    variant_key TEXT NOT NULL,
    config_version INTEGER NOT NULL
);
CREATE UNIQUE INDEX subsidy_grants_in_force ON subsidy_grants (uid) WHERE status IN (0, 1);
CREATE TABLE subsidy_spend (
    campaign_id TEXT NOT NULL,
    day INTEGER NOT NULL,
    spent_minor INTEGER NOT NULL CHECK (spent_minor >= 0),
    PRIMARY KEY (campaign_id, day)
) WITHOUT ROWID;
CREATE TABLE subsidy_decisions (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    order_id INTEGER NOT NULL,
    channel TEXT NOT NULL,
    category TEXT NOT NULL,
    active_days INTEGER NOT NULL,
    past_orders INTEGER NOT NULL,
    risk_score INTEGER NOT NULL,
    category_average_minor INTEGER NOT NULL,
    category_orders INTEGER NOT NULL,
    order_total_minor INTEGER NOT NULL,
    p99_ms REAL NOT NULL,
    reason INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    campaign_id TEXT NOT NULL,
    config_version INTEGER NOT NULL,
    experiment_key TEXT NOT NULL,
    variant_key TEXT NOT NULL
);
CREATE INDEX subsidy_decisions_by_time ON subsidy_decisions (at_ms);
)sql",
    // 15 (issue 17): experiments. The experiment set's versions (area "experiments"),
    // and one row per user's first assignment in an experiment: PRIMARY KEY
    // (experiment, uid) keeps the first variant (INSERT OR IGNORE), with what the
    // user did after it, so the results are rebuilt from this table after a restart.
    R"sql(
CREATE TABLE experiment_set_versions (
    version INTEGER PRIMARY KEY,
    yaml TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL
);
CREATE TABLE experiment_exposures (
    experiment TEXT NOT NULL,
    uid INTEGER NOT NULL,
    variant TEXT NOT NULL,
    at_ms INTEGER NOT NULL,
    shares INTEGER NOT NULL DEFAULT 0 CHECK (shares >= 0),
    registrations INTEGER NOT NULL DEFAULT 0 CHECK (registrations >= 0),
    orders INTEGER NOT NULL DEFAULT 0 CHECK (orders >= 0),
    gmv_minor INTEGER NOT NULL DEFAULT 0,
    subsidy_minor INTEGER NOT NULL DEFAULT 0,
    commission_minor INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (experiment, uid)
) WITHOUT ROWID;
CREATE TRIGGER experiment_exposures_variant_fixed BEFORE UPDATE OF experiment, uid, variant, at_ms
ON experiment_exposures
BEGIN SELECT RAISE(ABORT, 'an exposure keeps its experiment, user, variant and time'); END;
)sql",
    // 16 (issue 17): candidate versions. A version stored with candidate = 1 is kept,
    // audited and listed but never in force: the version in force is the newest row
    // with candidate = 0. Every versioned document's table gets the column (only the
    // subsidy config saves candidates today); existing rows are live versions.
    R"sql(
ALTER TABLE rule_set_versions ADD COLUMN candidate INTEGER NOT NULL DEFAULT 0 CHECK (candidate IN (0, 1));
ALTER TABLE segment_set_versions ADD COLUMN candidate INTEGER NOT NULL DEFAULT 0 CHECK (candidate IN (0, 1));
ALTER TABLE referral_program_versions ADD COLUMN candidate INTEGER NOT NULL DEFAULT 0 CHECK (candidate IN (0, 1));
ALTER TABLE experiment_set_versions ADD COLUMN candidate INTEGER NOT NULL DEFAULT 0 CHECK (candidate IN (0, 1));
ALTER TABLE subsidy_config_versions ADD COLUMN candidate INTEGER NOT NULL DEFAULT 0 CHECK (candidate IN (0, 1));
)sql",
    // 17 (issue 18): payment channels (docs/payments.md). The channel config's
    // versions (area "payments"); each payment attempt, each refund, and each refused
    // provider notification. The invariants are the database's own: a payment's
    // (order, idempotency key) and out_trade_no are unique; it leaves created or
    // pending once (UPDATE ... WHERE state IN (...), never read-then-write); at most
    // one refund pending or succeeded per payment (a partial unique index); a
    // refund's out_refund_no is unique; a payment or refund in an end state never
    // changes, and a payment keeps what identifies it (triggers). States as stored:
    // payments created 1, pending 2, succeeded 3, failed 4, expired 5; refunds
    // pending 1, succeeded 2, failed 3.
    R"sql(
CREATE TABLE payment_channel_versions (
    version INTEGER PRIMARY KEY,
    yaml TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    candidate INTEGER NOT NULL DEFAULT 0 CHECK (candidate IN (0, 1))
);
CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL,
    channel_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    state INTEGER NOT NULL CHECK (state IN (1, 2, 3, 4, 5)),
    out_trade_no TEXT NOT NULL UNIQUE,
    provider_payment_id TEXT NOT NULL DEFAULT '',
    pay_url TEXT NOT NULL DEFAULT '',
    route_reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    difference_minor INTEGER NOT NULL DEFAULT 0,
    confirming INTEGER NOT NULL DEFAULT 0 CHECK (confirming IN (0, 1)),
    idempotency_key TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER,
    UNIQUE (order_id, idempotency_key)
);
CREATE INDEX payments_open ON payments (state, id) WHERE state IN (1, 2);
CREATE INDEX payments_by_settled ON payments (updated_at_ms) WHERE state IN (3, 4, 5);
CREATE TABLE refunds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payment_id INTEGER NOT NULL REFERENCES payments (id),
    order_id INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency TEXT NOT NULL,
    state INTEGER NOT NULL CHECK (state IN (1, 2, 3)),
    out_refund_no TEXT NOT NULL UNIQUE,
    provider_refund_id TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '',
    created_at_ms INTEGER NOT NULL,
    updated_at_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX refunds_one_in_force ON refunds (payment_id) WHERE state IN (1, 2);
CREATE INDEX refunds_by_order ON refunds (order_id);
CREATE INDEX refunds_pending ON refunds (id) WHERE state = 1;
CREATE TABLE payment_refusals (
    id INTEGER PRIMARY KEY,
    at_ms INTEGER NOT NULL,
    channel_id TEXT NOT NULL,
    provider TEXT NOT NULL,
    reason INTEGER NOT NULL,
    detail TEXT NOT NULL,
    notification_id TEXT NOT NULL,
    order_id INTEGER NOT NULL,
    peer TEXT NOT NULL
);
CREATE INDEX payment_refusals_by_time ON payment_refusals (at_ms);
CREATE TRIGGER payments_final BEFORE UPDATE ON payments WHEN OLD.state IN (3, 4, 5)
BEGIN SELECT RAISE(ABORT, 'a payment that succeeded, failed or expired never changes'); END;
CREATE TRIGGER payments_fixed BEFORE UPDATE OF order_id, channel_id, provider, amount_minor, currency,
    out_trade_no, idempotency_key, created_at_ms ON payments
WHEN NEW.order_id IS NOT OLD.order_id
  OR (OLD.state <> 1 AND (NEW.channel_id IS NOT OLD.channel_id OR NEW.provider IS NOT OLD.provider))
  OR NEW.amount_minor IS NOT OLD.amount_minor OR NEW.currency IS NOT OLD.currency
  OR (OLD.out_trade_no <> '' AND NEW.out_trade_no IS NOT OLD.out_trade_no)
  OR NEW.idempotency_key IS NOT OLD.idempotency_key OR NEW.created_at_ms IS NOT OLD.created_at_ms
BEGIN SELECT RAISE(ABORT, 'a payment keeps its order, amount, currency, out_trade_no and key, and its channel once the provider has it'); END;
CREATE TRIGGER refunds_final BEFORE UPDATE ON refunds WHEN OLD.state IN (2, 3)
BEGIN SELECT RAISE(ABORT, 'a refund that succeeded or failed never changes'); END;
)sql",
    // 18: which payment paid its order. At most one per order (a partial unique index,
    // so a second replica's settle of another payment cannot pay the order again); a
    // payment that succeeded without it took money to give back. Earlier rows: the
    // succeeded payments whose detail does not say the order had gone already.
    R"sql(
ALTER TABLE payments ADD COLUMN paid_order INTEGER NOT NULL DEFAULT 0 CHECK (paid_order IN (0, 1));
DROP TRIGGER payments_final;
UPDATE payments SET paid_order = 1
 WHERE state = 3 AND detail NOT LIKE '%when this payment succeeded%'
   AND id = (SELECT MIN(p.id) FROM payments p
              WHERE p.order_id = payments.order_id AND p.state = 3
                AND p.detail NOT LIKE '%when this payment succeeded%');
CREATE TRIGGER payments_final BEFORE UPDATE ON payments WHEN OLD.state IN (3, 4, 5)
BEGIN SELECT RAISE(ABORT, 'a payment that succeeded, failed or expired never changes'); END;
CREATE UNIQUE INDEX payments_one_paid_order ON payments (order_id) WHERE paid_order = 1;
CREATE TRIGGER payments_paid_order BEFORE UPDATE OF paid_order ON payments
WHEN NEW.paid_order = 1 AND NEW.state <> 3
BEGIN SELECT RAISE(ABORT, 'only a payment that succeeded can have paid its order'); END;
)sql",
    // 19 (issue 19): business alerts. The thresholds document's versions, and the
    // history of the alerts' changes of state (each row the alert as it was then).
    R"sql(
CREATE TABLE alert_threshold_versions (
    version INTEGER PRIMARY KEY,
    yaml TEXT NOT NULL,
    reason TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at_ms INTEGER NOT NULL,
    candidate INTEGER NOT NULL DEFAULT 0 CHECK (candidate IN (0, 1))
);
CREATE TABLE alert_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms INTEGER NOT NULL,
    alert TEXT NOT NULL,
    fired INTEGER NOT NULL CHECK (fired IN (0, 1)),
    snapshot TEXT NOT NULL
);
)sql",
};

} // namespace

const char *sqliteMigration(int version)
{
    if (version < 1 || version > kSqliteSchemaVersion)
        throw std::out_of_range("no SQLite schema migration to version " + std::to_string(version));
    return kMigrations[static_cast<std::size_t>(version - 1)];
}

} // namespace flywheel
