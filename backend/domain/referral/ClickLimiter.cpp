#include "domain/referral/ClickLimiter.h"

#include <functional>

namespace flywheel::referral {

std::uint64_t ClickLimiter::keyOf(std::string_view key)
{
    return std::hash<std::string_view>()(key);
}

std::size_t ClickLimiter::Window::expire(std::int64_t nowMs, std::int64_t windowMs)
{
    if (!more.empty()) {
        std::size_t drop = 0;
        while (drop < more.size() && nowMs >= more[drop] + windowMs)
            ++drop;
        more.erase(more.begin(), more.begin() + static_cast<std::ptrdiff_t>(drop));
        return more.size();
    }
    while (size > 0 && nowMs >= ring[head] + windowMs) {
        head = static_cast<std::uint16_t>((head + 1) % ring.size());
        --size;
    }
    return size;
}

void ClickLimiter::Window::push(std::int64_t t, std::size_t limit)
{
    if (limit > ring.size() || !more.empty()) {
        // Move the ring over once, then keep every time in the vector.
        for (; size > 0; --size, head = static_cast<std::uint16_t>((head + 1) % ring.size()))
            more.push_back(ring[head]);
        more.push_back(t);
        return;
    }
    ring[(head + size) % ring.size()] = t;
    ++size;
}

std::int64_t ClickLimiter::Window::newest() const
{
    if (!more.empty())
        return more.back();
    return size == 0 ? 0 : ring[(head + size - 1) % ring.size()];
}

std::size_t ClickLimiter::Window::countAt(std::int64_t nowMs, std::int64_t windowMs) const
{
    std::size_t n = 0;
    if (!more.empty()) {
        for (const std::int64_t t : more)
            n += nowMs < t + windowMs ? 1 : 0;
        return n;
    }
    for (std::uint16_t i = 0; i < size; ++i)
        n += nowMs < ring[(head + i) % ring.size()] + windowMs ? 1 : 0;
    return n;
}

std::optional<Refusal> ClickLimiter::admit(std::string_view ip, std::string_view device, TimePoint now,
                                           const Limits &limits)
{
    const std::int64_t nowMs = toEpochMs(now);
    const std::uint64_t ipKey = keyOf(ip);
    const std::uint64_t deviceKey = keyOf(device);
    // Always the IP shard before the device shard: no two threads wait on each other.
    Shard &ipShard = m_ips[(ipKey >> 32) % kShards];
    Shard &deviceShard = m_devices[(deviceKey >> 32) % kShards];
    const std::lock_guard ipLock(ipShard.mutex);
    Window &ipWindow = ipShard.windows[ipKey];
    if (ipWindow.expire(nowMs, limits.ipWindow.count()) >= static_cast<std::size_t>(limits.ipLimit))
        return Refusal::IpLimit;
    const std::lock_guard deviceLock(deviceShard.mutex);
    Window &deviceWindow = deviceShard.windows[deviceKey];
    if (deviceWindow.expire(nowMs, limits.deviceWindow.count()) >= static_cast<std::size_t>(limits.deviceLimit))
        return Refusal::DeviceLimit;
    ipWindow.push(nowMs, static_cast<std::size_t>(limits.ipLimit));
    deviceWindow.push(nowMs, static_cast<std::size_t>(limits.deviceLimit));
    return std::nullopt;
}

std::size_t ClickLimiter::purge(TimePoint now, Milliseconds longestWindow)
{
    const std::int64_t cutoff = toEpochMs(now) - longestWindow.count();
    std::size_t removed = 0;
    for (Shards *shards : {&m_ips, &m_devices}) {
        for (Shard &shard : *shards) {
            const std::lock_guard lock(shard.mutex);
            removed += absl::erase_if(shard.windows, [cutoff](const auto &entry) {
                return entry.second.empty() || entry.second.newest() <= cutoff;
            });
        }
    }
    return removed;
}

int ClickLimiter::countIn(const Shards &shards, std::string_view key, TimePoint now, Milliseconds window)
{
    const std::uint64_t hashed = keyOf(key);
    const Shard &shard = shards[(hashed >> 32) % kShards];
    const std::lock_guard lock(shard.mutex);
    const auto it = shard.windows.find(hashed);
    return it == shard.windows.end() ? 0 : static_cast<int>(it->second.countAt(toEpochMs(now), window.count()));
}

int ClickLimiter::ipCount(std::string_view ip, TimePoint now, Milliseconds window) const
{
    return countIn(m_ips, ip, now, window);
}

int ClickLimiter::deviceCount(std::string_view device, TimePoint now, Milliseconds window) const
{
    return countIn(m_devices, device, now, window);
}

} // namespace flywheel::referral
