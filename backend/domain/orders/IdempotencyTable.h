#pragma once

#include "domain/Clock.h"
#include "domain/DueList.h"
#include "domain/Order.h"
#include "domain/Result.h"

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

namespace flywheel {

/// Checks a client's idempotency key: 1 to 128 printable ASCII characters.
/// InvalidArgument naming the problem otherwise.
std::optional<Error> checkIdempotencyKey(std::string_view key);

/// A stable 64-bit fingerprint (FNV-1a) of a request's canonical text, to tell a
/// retry from a different request that reuses a key. Stable across builds: it is
/// stored with the key.
std::uint64_t requestFingerprint(std::string_view canonical);

/// Remembers what each idempotency key did, so that a retried request returns the
/// original result instead of acting twice.
///
/// The first request with a key executes; requests with the same key that arrive
/// while it runs wait for its outcome and get the same result; later ones replay
/// the stored order. A different request with the same key is refused. A key
/// whose request failed is forgotten, so the client may retry it. Thread-safe.
class IdempotencyTable final {
public:
    using Outcome = Result<Order>;
    using Waiter = std::function<void(const Outcome &)>;

    enum class Admission {
        /// The caller executes the request and then calls complete().
        Execute,
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

    struct Record {
        std::string key;
        std::uint64_t fingerprint = 0;
        std::int64_t orderId = 0;
        TimePoint createdAt;
    };

    /// `waiter` is kept only for Attached.
    Admit admit(const std::string &key, std::uint64_t fingerprint, TimePoint now, Waiter waiter);
    /// Ends an Execute: a success is remembered for order `outcome.value().id`,
    /// a failure forgets the key. Runs the waiters with the outcome.
    void complete(const std::string &key, const Outcome &outcome);
    /// The same for a success or a failure, copying the order only for waiters.
    void complete(const std::string &key, const Order &order);
    void complete(const std::string &key, const Error &error);
    /// Startup: a key stored with its order.
    void restore(const Record &record);
    /// Forgets completed keys created before `cutoff`; returns how many. Its cost is
    /// in the keys it forgets, not in the keys the table holds, and it holds a
    /// stripe's lock for kPurgeChunk keys at most: call it often (the housekeeper
    /// does, every tick).
    std::size_t purge(TimePoint cutoff);
    static constexpr std::size_t kPurgeChunk = 512;
    std::size_t size() const;

private:
    /// A key's 128-bit digest, from two independently salted hashes: what the
    /// table remembers instead of the key. A day of keys at thousands of orders a
    /// second is tens of millions of entries; the digest keeps each entry in one
    /// flat slot (about 50 bytes, where a string key in a node took about 140) and
    /// a lookup to one or two cache lines. Two different keys share a digest with
    /// a probability near 2^-128, and the per-process salt keeps a client from
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
    static Digest digest(std::string_view key);
    struct Entry {
        std::uint64_t fingerprint = 0;
        std::int64_t orderId = 0; // 0 while executing
        TimePoint createdAt;
        /// Retries waiting for the executing request; rare, so kept aside.
        std::unique_ptr<std::vector<Waiter>> waiters;
    };
    struct Stripe {
        mutable std::mutex mutex;
        absl::flat_hash_map<Digest, Entry> entries;
        /// Completed keys by when they were made, about oldest first (requests
        /// complete in nearly the order they arrived): purge's worklist. 24 bytes
        /// a key, where a sweep of every entry would hold the stripe for tens of
        /// milliseconds once it has millions.
        DueList<Digest> completed;
    };
    static constexpr std::size_t kStripes = 64;
    /// Records the outcome and hands back the waiters to run.
    std::vector<Waiter> settle(const std::string &key, bool success, std::int64_t orderId);
    Stripe &stripe(const Digest &d) { return m_stripes[d.low % kStripes]; }

    std::array<Stripe, kStripes> m_stripes;
};

} // namespace flywheel
