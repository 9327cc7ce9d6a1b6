#include "domain/referral/AntiFraud.h"

#include <functional>

namespace flywheel::referral {

const char *refusalName(Refusal refusal)
{
    switch (refusal) {
    case Refusal::IpLimit:
        return "ip_limit";
    case Refusal::DeviceLimit:
        return "device_limit";
    case Refusal::InviterTooNew:
        return "inviter_too_new";
    case Refusal::InviterInactive:
        return "inviter_inactive";
    case Refusal::SelfInvite:
        return "self_invite";
    case Refusal::Cycle:
        return "cycle";
    case Refusal::InvalidToken:
        return "invalid_token";
    case Refusal::ReplayedToken:
        return "replayed_token";
    case Refusal::ExpiredToken:
        return "expired_token";
    }
    return "unknown";
}

ClickLimiter::Shard &ClickLimiter::shardOf(Shards &shards, std::string_view key)
{
    return shards[std::hash<std::string_view>()(key) % kShards];
}

const ClickLimiter::Shard &ClickLimiter::shardOf(const Shards &shards, std::string_view key)
{
    return shards[std::hash<std::string_view>()(key) % kShards];
}

int ClickLimiter::countLocked(const Shard &shard, std::string_view key, std::int64_t nowMs, std::int64_t windowMs)
{
    const auto it = shard.windows.find(std::string(key));
    if (it == shard.windows.end())
        return 0;
    int n = 0;
    for (auto t = it->second.rbegin(); t != it->second.rend() && nowMs < *t + windowMs; ++t)
        ++n;
    return n;
}

std::optional<Refusal> ClickLimiter::admit(std::string_view ip, std::string_view device, TimePoint now,
                                           const Limits &limits)
{
    const std::int64_t nowMs = toEpochMs(now);
    // Always the IP shard before the device shard: no two threads wait on each other.
    Shard &ipShard = shardOf(m_ips, ip);
    Shard &deviceShard = shardOf(m_devices, device);
    const std::lock_guard ipLock(ipShard.mutex);
    auto &ipWindow = ipShard.windows[std::string(ip)];
    while (!ipWindow.empty() && nowMs >= ipWindow.front() + limits.ipWindow.count())
        ipWindow.pop_front();
    if (static_cast<int>(ipWindow.size()) >= limits.ipLimit)
        return Refusal::IpLimit;
    const std::lock_guard deviceLock(deviceShard.mutex);
    auto &deviceWindow = deviceShard.windows[std::string(device)];
    while (!deviceWindow.empty() && nowMs >= deviceWindow.front() + limits.deviceWindow.count())
        deviceWindow.pop_front();
    if (static_cast<int>(deviceWindow.size()) >= limits.deviceLimit)
        return Refusal::DeviceLimit;
    ipWindow.push_back(nowMs);
    deviceWindow.push_back(nowMs);
    return std::nullopt;
}

std::size_t ClickLimiter::purge(TimePoint now, Milliseconds longestWindow)
{
    const std::int64_t cutoff = toEpochMs(now) - longestWindow.count();
    std::size_t removed = 0;
    for (Shards *shards : {&m_ips, &m_devices}) {
        for (Shard &shard : *shards) {
            const std::lock_guard lock(shard.mutex);
            for (auto it = shard.windows.begin(); it != shard.windows.end();) {
                if (it->second.empty() || it->second.back() <= cutoff) {
                    it = shard.windows.erase(it);
                    ++removed;
                } else {
                    ++it;
                }
            }
        }
    }
    return removed;
}

int ClickLimiter::ipCount(std::string_view ip, TimePoint now, Milliseconds window) const
{
    const Shard &shard = shardOf(m_ips, ip);
    const std::lock_guard lock(shard.mutex);
    return countLocked(shard, ip, toEpochMs(now), window.count());
}

int ClickLimiter::deviceCount(std::string_view device, TimePoint now, Milliseconds window) const
{
    const Shard &shard = shardOf(m_devices, device);
    const std::lock_guard lock(shard.mutex);
    return countLocked(shard, device, toEpochMs(now), window.count());
}

} // namespace flywheel::referral
