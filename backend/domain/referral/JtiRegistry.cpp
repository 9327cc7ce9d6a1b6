#include "domain/referral/JtiRegistry.h"

#include <algorithm>

namespace flywheel::referral {

namespace {

/// The shard of an id. The high bits of the hash pick it, so that the map inside
/// the shard, which buckets by the low bits, still spreads its ids evenly.
std::size_t shardIndex(std::string_view jti, std::size_t shards)
{
    const std::size_t hash = std::hash<std::string_view>{}(jti);
    return (hash >> (sizeof(std::size_t) * 8 - 6)) % shards;
}

} // namespace

JtiRegistry::Shard &JtiRegistry::shard(std::string_view jti)
{
    static_assert(kShards == 64, "shardIndex takes 6 bits of the hash");
    return m_shards[shardIndex(jti, kShards)];
}

const JtiRegistry::Shard &JtiRegistry::shard(std::string_view jti) const
{
    return m_shards[shardIndex(jti, kShards)];
}

bool JtiRegistry::claim(std::string_view jti, std::int64_t expiresAtUnix)
{
    Shard &s = shard(jti);
    const std::lock_guard lock(s.mutex);
    if (s.expiries.find(jti) != s.expiries.end())
        return false;
    s.expiries.emplace(std::string(jti), expiresAtUnix);
    return true;
}

void JtiRegistry::restore(std::string jti, std::int64_t expiresAtUnix)
{
    Shard &s = shard(jti);
    const std::lock_guard lock(s.mutex);
    const auto [it, inserted] = s.expiries.try_emplace(std::move(jti), expiresAtUnix);
    if (!inserted)
        it->second = std::max(it->second, expiresAtUnix);
}

bool JtiRegistry::contains(std::string_view jti) const
{
    const Shard &s = shard(jti);
    const std::lock_guard lock(s.mutex);
    return s.expiries.find(jti) != s.expiries.end();
}

std::size_t JtiRegistry::purge(std::int64_t beforeUnix)
{
    std::size_t purged = 0;
    for (Shard &s : m_shards) {
        const std::lock_guard lock(s.mutex);
        purged += std::erase_if(s.expiries, [beforeUnix](const auto &item) { return item.second < beforeUnix; });
    }
    return purged;
}

std::size_t JtiRegistry::size() const
{
    std::size_t n = 0;
    for (const Shard &s : m_shards) {
        const std::lock_guard lock(s.mutex);
        n += s.expiries.size();
    }
    return n;
}

} // namespace flywheel::referral
