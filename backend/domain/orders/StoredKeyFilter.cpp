#include "domain/orders/StoredKeyFilter.h"

#include <mutex>
#include <stdexcept>

namespace flywheel::orders {

namespace {

constexpr std::size_t kBitsPerKey = 10;
constexpr std::size_t kBlockBits = 512;
constexpr std::size_t kWordsPerBlock = kBlockBits / 64;
/// Bits set per key, each chosen by 9 bits of the digest's low half.
constexpr int kProbes = 7;

} // namespace

/// One blocked Bloom filter made for `capacity` keys.
struct StoredKeyFilter::Filter {
    explicit Filter(std::size_t capacity)
        : capacity(capacity), blocks((capacity * kBitsPerKey + kBlockBits - 1) / kBlockBits),
          words(std::make_unique<std::atomic<std::uint64_t>[]>(blocks * kWordsPerBlock))
    {
        for (std::size_t i = 0; i < blocks * kWordsPerBlock; ++i)
            words[i].store(0, std::memory_order_relaxed);
    }

    std::atomic<std::uint64_t> *block(std::uint64_t high) const
    {
        return &words[static_cast<std::size_t>(high % blocks) * kWordsPerBlock];
    }

    void set(std::uint64_t high, std::uint64_t low)
    {
        std::atomic<std::uint64_t> *b = block(high);
        for (int i = 0; i < kProbes; ++i) {
            const auto bit = static_cast<unsigned>((low >> (9 * i)) & (kBlockBits - 1));
            b[bit / 64].fetch_or(std::uint64_t{1} << (bit % 64), std::memory_order_release);
        }
    }

    bool test(std::uint64_t high, std::uint64_t low) const
    {
        const std::atomic<std::uint64_t> *b = block(high);
        for (int i = 0; i < kProbes; ++i) {
            const auto bit = static_cast<unsigned>((low >> (9 * i)) & (kBlockBits - 1));
            if ((b[bit / 64].load(std::memory_order_acquire) & (std::uint64_t{1} << (bit % 64))) == 0)
                return false;
        }
        return true;
    }

    const std::size_t capacity;
    const std::size_t blocks;
    /// Keys added; at or past `capacity` the filter is full and the next one takes over.
    std::atomic<std::size_t> count{0};
    std::unique_ptr<std::atomic<std::uint64_t>[]> words;
};

StoredKeyFilter::StoredKeyFilter(Milliseconds slice) : m_slice(slice)
{
    if (slice.count() <= 0)
        throw std::invalid_argument("StoredKeyFilter: the slice must be longer than 0 ms");
}

StoredKeyFilter::~StoredKeyFilter() = default;

std::int64_t StoredKeyFilter::sliceOf(TimePoint createdAt) const
{
    const std::int64_t ms = toEpochMs(createdAt);
    const std::int64_t length = m_slice.count();
    return ms >= 0 ? ms / length : -((-ms + length - 1) / length);
}

void StoredKeyFilter::add(std::uint64_t high, std::uint64_t low, TimePoint createdAt)
{
    const std::int64_t slice = sliceOf(createdAt);
    {
        // The common case: the slice's newest filter has room.
        const std::shared_lock lock(m_mutex);
        if (const auto it = m_slices.find(slice); it != m_slices.end()) {
            Filter &filter = *it->second.filters.back();
            if (filter.count.fetch_add(1, std::memory_order_relaxed) < filter.capacity) {
                filter.set(high, low);
                return;
            }
        }
    }
    const std::unique_lock lock(m_mutex);
    auto [it, inserted] = m_slices.try_emplace(slice);
    std::vector<std::unique_ptr<Filter>> &filters = it->second.filters;
    if (inserted) {
        // Sized by what the newest slice before it held: a steady rate fills one filter a slice.
        std::size_t held = 0;
        if (const auto before = std::make_reverse_iterator(it); before != m_slices.rend()) {
            for (const auto &f : before->second.filters)
                held += std::min(f->count.load(std::memory_order_relaxed), f->capacity);
        }
        std::size_t capacity = kMinCapacity;
        while (capacity < held)
            capacity *= 2;
        filters.push_back(std::make_unique<Filter>(capacity));
    } else if (filters.back()->count.load(std::memory_order_relaxed) >= filters.back()->capacity) {
        filters.push_back(std::make_unique<Filter>(2 * filters.back()->capacity));
    }
    Filter &filter = *filters.back();
    filter.count.fetch_add(1, std::memory_order_relaxed);
    filter.set(high, low);
}

bool StoredKeyFilter::mayContain(std::uint64_t high, std::uint64_t low) const
{
    if (!m_complete.load(std::memory_order_acquire))
        return true;
    const std::shared_lock lock(m_mutex);
    for (const auto &[number, slice] : m_slices) {
        for (const auto &filter : slice.filters) {
            if (filter->test(high, low))
                return true;
        }
    }
    return false;
}

void StoredKeyFilter::markComplete()
{
    m_complete.store(true, std::memory_order_release);
}

bool StoredKeyFilter::complete() const
{
    return m_complete.load(std::memory_order_acquire);
}

std::size_t StoredKeyFilter::dropBefore(TimePoint before)
{
    const std::int64_t ms = toEpochMs(before);
    const std::unique_lock lock(m_mutex);
    std::size_t dropped = 0;
    // A slice goes when its end is not after `before`: all its keys are older.
    while (!m_slices.empty() && (m_slices.begin()->first + 1) * m_slice.count() <= ms) {
        m_slices.erase(m_slices.begin());
        ++dropped;
    }
    return dropped;
}

std::size_t StoredKeyFilter::memoryBytes() const
{
    const std::shared_lock lock(m_mutex);
    std::size_t bytes = 0;
    for (const auto &[number, slice] : m_slices) {
        for (const auto &filter : slice.filters)
            bytes += filter->blocks * kBlockBits / 8;
    }
    return bytes;
}

std::size_t StoredKeyFilter::keys() const
{
    const std::shared_lock lock(m_mutex);
    std::size_t n = 0;
    for (const auto &[number, slice] : m_slices) {
        for (const auto &filter : slice.filters)
            n += std::min(filter->count.load(std::memory_order_relaxed), filter->capacity);
    }
    return n;
}

} // namespace flywheel::orders
