#pragma once

#include "domain/Clock.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <shared_mutex>
#include <vector>

namespace flywheel::orders {

/// Which idempotency keys the database may hold: a Bloom filter over the keys of
/// the retention (48 hours), so that a new key, nearly every key, is admitted
/// without a database read, and only a key the filter may hold (an old key's retry,
/// or about one new key in a hundred) is looked up there.
///
/// A key is given as the 128-bit digest its owner already computed. Keys are kept
/// in slices of creation time; a slice is dropped whole once all of its keys are
/// older than the retention, which is when the database stops honouring them too.
/// Each slice holds one or more blocked Bloom filters (the seven bits of a key in
/// one 64-byte block, so a test costs one cache line per filter) of about ten bits
/// a key: about 1.5 bytes per stored key, and 1 % to 2 % false positives.
///
/// Until the keys the database held at start-up have all been added
/// (markComplete()), every key "may be stored". Thread-safe.
class StoredKeyFilter final {
public:
    static constexpr Milliseconds kDefaultSlice{6 * 3600 * 1000};
    /// The fewest keys a filter is made for; a full one is followed by one twice its size.
    static constexpr std::size_t kMinCapacity = 1 << 16;

    explicit StoredKeyFilter(Milliseconds slice = kDefaultSlice);
    StoredKeyFilter(const StoredKeyFilter &) = delete;
    StoredKeyFilter &operator=(const StoredKeyFilter &) = delete;
    ~StoredKeyFilter();

    /// A key stored (or about to be) with creation time `createdAt`.
    void add(std::uint64_t high, std::uint64_t low, TimePoint createdAt);
    /// False only when the key is certainly not among those added since their slice
    /// was dropped, and the filter is complete.
    bool mayContain(std::uint64_t high, std::uint64_t low) const;
    /// Every key the database held when the process started has been added.
    void markComplete();
    bool complete() const;
    /// Drops the slices whose keys were all created before `before`; returns how many.
    std::size_t dropBefore(TimePoint before);

    /// Bytes of filter bits held.
    std::size_t memoryBytes() const;
    /// Keys added and not dropped (a key added twice counts twice).
    std::size_t keys() const;

private:
    struct Filter;
    struct Slice {
        std::vector<std::unique_ptr<Filter>> filters;
    };

    /// The slice of a creation time: whole multiples of the slice length.
    std::int64_t sliceOf(TimePoint createdAt) const;

    const Milliseconds m_slice;
    mutable std::shared_mutex m_mutex;
    /// By slice number. Readers and adders share the lock; a new filter or a
    /// dropped slice takes it alone.
    std::map<std::int64_t, Slice> m_slices;
    std::atomic<bool> m_complete{false};
};

} // namespace flywheel::orders
