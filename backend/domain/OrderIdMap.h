#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <utility>

namespace flywheel {

/// A map from order id to V that never stops the world to grow. One hash map of
/// every open order would rehash all of them at once each time it doubles: with a
/// million reservations that is a pause of tens of milliseconds under the lock
/// that every order takes. Spread over kShards maps (order ids are sequential, so
/// evenly), each growth moves 1/kShards of the entries.
///
/// Not thread-safe: the owner's lock guards it.
template <typename V>
class OrderIdMap final {
public:
    static constexpr std::size_t kShards = 256;

    V *find(std::int64_t id)
    {
        auto &shard = shardOf(id);
        const auto it = shard.find(id);
        return it == shard.end() ? nullptr : &it->second;
    }
    const V *find(std::int64_t id) const
    {
        const auto &shard = shardOf(id);
        const auto it = shard.find(id);
        return it == shard.end() ? nullptr : &it->second;
    }
    bool contains(std::int64_t id) const { return find(id) != nullptr; }

    /// The entry of `id`, made from `args` when there was none; true when made.
    template <typename... Args>
    std::pair<V &, bool> tryEmplace(std::int64_t id, Args &&...args)
    {
        auto [it, inserted] = shardOf(id).try_emplace(id, std::forward<Args>(args)...);
        m_size += inserted ? 1 : 0;
        return {it->second, inserted};
    }
    V &operator[](std::int64_t id) { return tryEmplace(id).first; }

    bool erase(std::int64_t id)
    {
        const bool erased = shardOf(id).erase(id) != 0;
        m_size -= erased ? 1 : 0;
        return erased;
    }

    template <typename F>
    void forEach(F f) const
    {
        for (const auto &shard : m_shards)
            for (const auto &[id, value] : shard)
                f(id, value);
    }

    std::size_t size() const { return m_size; }

private:
    using Shard = std::unordered_map<std::int64_t, V>;
    static std::size_t indexOf(std::int64_t id) { return static_cast<std::size_t>(id) % kShards; }
    Shard &shardOf(std::int64_t id) { return m_shards[indexOf(id)]; }
    const Shard &shardOf(std::int64_t id) const { return m_shards[indexOf(id)]; }

    std::array<Shard, kShards> m_shards;
    std::size_t m_size = 0;
};

} // namespace flywheel
