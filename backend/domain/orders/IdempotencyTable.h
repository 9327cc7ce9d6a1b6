#pragma once

#include "domain/Clock.h"
#include "domain/DueList.h"
#include "domain/Order.h"
#include "domain/Result.h"
#include "domain/orders/StoredKeyFilter.h"

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flywheel::orders {

/// Checks a client's idempotency key: 1 to 128 printable ASCII characters.
/// InvalidArgument naming the problem otherwise.
std::optional<Error> checkIdempotencyKey(std::string_view key);

/// SHA-256 of a request's canonical text: what tells a retry from a different
/// request that reuses a key. Stored with the key.
using RequestDigest = std::array<std::uint8_t, 32>;
RequestDigest requestDigest(std::string_view canonical);

/// The 64-bit FNV-1a fingerprint keys were stored with before schema version 9.
/// Only to recognise a retry of a request made before the upgrade: such a key has
/// no SHA-256, and the same canonical text gives the same fingerprint.
std::uint64_t legacyRequestFingerprint(std::string_view canonical);

/// Remembers what each idempotency key did, so that a retried request returns the
/// original result instead of acting twice. A key belongs to a user (the buyer):
/// the same key of two users is two keys.
///
/// The table holds only the keys of the last `window` (a minute by default): that
/// is where retries come, and what bounds its memory by a time window instead of by
/// the two days of traffic the keys are kept for. Older keys are in the database. A
/// Bloom filter of the stored keys (StoredKeyFilter, about 1.5 bytes a key) tells
/// which of them the database may hold: a key it certainly does not hold is admitted
/// as Execute, without a database read; one it may hold (an old key's retry, or a
/// new key among the filter's 1 % to 2 % of false positives) as LookUp, and the
/// caller looks it up there before it executes anything
/// (OrderStore::findIdempotencyKey). Until loadedStoredKeys() says the keys the
/// database held at start-up are all in the filter, every unknown key is a LookUp.
///
/// The first request with a key executes; requests with the same key that arrive
/// while it runs wait for its outcome and get the same result; later ones (within
/// the window) replay the stored order. A different request with the same key is
/// refused. A key whose request failed is forgotten, so the client may retry it.
/// Thread-safe.
class IdempotencyTable final {
public:
    using Outcome = Result<Order>;
    using Waiter = std::function<void(const Outcome &)>;

    /// How long keys stay in memory.
    static constexpr Milliseconds kDefaultWindow{60 * 1000};
    /// How long keys are kept in the database and honoured (at least 24 hours are promised).
    static constexpr Milliseconds kDefaultRetention{48 * 3600 * 1000};

    explicit IdempotencyTable(Milliseconds window = kDefaultWindow, Milliseconds retention = kDefaultRetention);

    enum class Admission {
        /// A new key, certainly not in the database either: the caller executes the
        /// request and calls complete().
        Execute,
        /// The table does not hold the key and the database may: the caller looks
        /// it up there (keys older than the window), then executes the request or
        /// settles the key with what it found, and calls complete() either way.
        LookUp,
        /// The same request is executing; `waiter` runs with its outcome.
        Attached,
        /// The same request completed earlier: replay order `orderId`.
        Completed,
        /// The key was used for a different request; FailedPrecondition.
        Conflict,
    };
    struct Admit {
        Admission admission = Admission::Execute;
        std::int64_t orderId = 0;
    };

    /// A key as stored with its order.
    struct Record {
        /// Whose key: the buyer of the order.
        std::int64_t uid = 0;
        /// "create:" or "pay:" and the client's key.
        std::string key;
        RequestDigest request{};
        std::int64_t orderId = 0;
        TimePoint createdAt;
    };

    /// `waiter` is kept only for Attached. A completed key older than the window is
    /// not held any more, even before evict() has run: LookUp.
    Admit admit(std::int64_t uid, const std::string &key, const RequestDigest &request, TimePoint now,
                Waiter waiter);
    /// Ends an Execute: a success is remembered for order `outcome.value().id`,
    /// a failure forgets the key. Runs the waiters with the outcome.
    void complete(std::int64_t uid, const std::string &key, const Outcome &outcome);
    /// The same for a success or a failure, copying the order only for waiters.
    void complete(std::int64_t uid, const std::string &key, const Order &order);
    void complete(std::int64_t uid, const std::string &key, const Error &error);
    /// A key stored with its order (a key of the window, after a restart).
    void restore(const Record &record);
    /// A key the database holds, for the filter only (the start-up scan of the
    /// keys of the retention). Call loadedStoredKeys() when all are added.
    void addStoredKey(std::int64_t uid, std::string_view key, TimePoint createdAt);
    void loadedStoredKeys();
    /// True once the filter answers "not stored" (after loadedStoredKeys()).
    bool storedKeysLoaded() const;
    /// Forgets completed keys that have left the window at `now` (created before
    /// now - window), and the filter's slices of keys older than the retention;
    /// returns how many keys it forgot from the window. Its cost is in the keys it forgets, not in
    /// the keys the table holds, and it holds a stripe's lock for kEvictChunk keys
    /// at most: call it often (the housekeeper does, every tick).
    std::size_t evict(TimePoint now);
    static constexpr std::size_t kEvictChunk = 512;
    std::size_t size() const;
    /// Bytes of the stored-key filter.
    std::size_t filterBytes() const { return m_stored.memoryBytes(); }
    Milliseconds window() const { return m_window; }
    Milliseconds retention() const { return m_retention; }

private:
    /// A key's 128-bit digest, with its user, from two independently salted hashes:
    /// what the table remembers instead of the key, so that each entry is one flat
    /// slot and a lookup one or two cache lines. Two different keys share a digest
    /// with a probability near 2^-128, and the per-process salt keeps a client from
    /// steering one key onto another's.
    struct Digest {
        std::uint64_t high = 0;
        std::uint64_t low = 0;
        friend bool operator==(const Digest &, const Digest &) = default;
        template <typename H>
        friend H AbslHashValue(H h, const Digest &d)
        {
            return H::combine(std::move(h), d.high, d.low);
        }
    };
    static Digest digest(std::int64_t uid, std::string_view key);
    struct Entry {
        RequestDigest request{};
        std::int64_t orderId = 0; // 0 while executing
        TimePoint createdAt;
        /// Retries waiting for the executing request; rare, so kept aside.
        std::unique_ptr<std::vector<Waiter>> waiters;
    };
    struct Stripe {
        mutable std::mutex mutex;
        absl::flat_hash_map<Digest, Entry> entries;
        /// Completed keys by when they were made, about oldest first (requests
        /// complete in nearly the order they arrived): evict's worklist.
        DueList<Digest> completed;
    };
    static constexpr std::size_t kStripes = 64;
    /// Records the outcome and hands back the waiters to run.
    std::vector<Waiter> settle(std::int64_t uid, const std::string &key, bool success, std::int64_t orderId);
    Stripe &stripe(const Digest &d) { return m_stripes[d.low % kStripes]; }

    const Milliseconds m_window;
    const Milliseconds m_retention;
    std::array<Stripe, kStripes> m_stripes;
    /// Every key completed or stored within the retention.
    StoredKeyFilter m_stored;
};

} // namespace flywheel::orders
