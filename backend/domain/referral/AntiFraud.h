#pragma once

#include "domain/Clock.h"

#include <array>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace flywheel::referral {

/// Why an invite click or registration was refused; also the keys of the refusal
/// counts ("ip_limit", ...). See docs/referral.md.
enum class Refusal {
    IpLimit,
    DeviceLimit,
    InviterTooNew,
    InviterInactive,
    SelfInvite,
    Cycle,
    InvalidToken,
    ReplayedToken,
    ExpiredToken,
};
const char *refusalName(Refusal refusal);
constexpr std::size_t kRefusalKinds = 9;

/// Sliding-window limits on invite clicks: at most `ipLimit` per IP address within
/// any `ipWindow`, and `deviceLimit` per device fingerprint within any
/// `deviceWindow`. A click counts from its time t while now < t + window, so the
/// (limit+1)-th click within the window is refused and one exactly a window after
/// the first is allowed. Refused clicks do not count. Thread-safe: the windows live
/// in 64 shards with a mutex each.
class ClickLimiter final {
public:
    struct Limits {
        int ipLimit = 3;
        Milliseconds ipWindow = std::chrono::hours(1);
        int deviceLimit = 5;
        Milliseconds deviceWindow = std::chrono::hours(24);
    };

    /// Checks both windows and, when both allow it, records the click in both,
    /// atomically. Returns the refusal (IP first) or nothing.
    std::optional<Refusal> admit(std::string_view ip, std::string_view device, TimePoint now, const Limits &limits);
    /// Forgets windows with nothing newer than `longestWindow` before now.
    std::size_t purge(TimePoint now, Milliseconds longestWindow);
    /// Clicks counted now for an IP / device (tests, diagnostics).
    int ipCount(std::string_view ip, TimePoint now, Milliseconds window) const;
    int deviceCount(std::string_view device, TimePoint now, Milliseconds window) const;

private:
    static constexpr std::size_t kShards = 64;
    struct Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, std::deque<std::int64_t>> windows;
    };
    using Shards = std::array<Shard, kShards>;
    static Shard &shardOf(Shards &shards, std::string_view key);
    static const Shard &shardOf(const Shards &shards, std::string_view key);
    static int countLocked(const Shard &shard, std::string_view key, std::int64_t nowMs, std::int64_t windowMs);

    Shards m_ips;
    Shards m_devices;
};

} // namespace flywheel::referral
