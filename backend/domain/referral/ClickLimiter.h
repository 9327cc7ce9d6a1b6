#pragma once

#include "domain/Clock.h"
#include "domain/referral/Refusal.h"

#include <absl/container/flat_hash_map.h>

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::referral {

/// Sliding-window limits on invite clicks: at most `ipLimit` per IP address within
/// any `ipWindow`, and `deviceLimit` per device fingerprint within any
/// `deviceWindow`. A click counts from its time t while now < t + window, so the
/// (limit+1)-th click within the window is refused and one exactly a window after
/// the first is allowed. Refused clicks do not count. Thread-safe: the windows live
/// in 64 shards with a mutex each, in open-addressing tables keyed by a 64-bit hash
/// of the IP or device (a collision would merely share a window), each window's
/// times inline for limits up to 8, so that a check costs a cache miss or two.
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
    /// The click times of one key, oldest first: a ring of 8 inline, or a vector
    /// when a limit above 8 is configured.
    struct Window {
        std::array<std::int64_t, 8> ring{};
        std::uint16_t head = 0;
        std::uint16_t size = 0;
        std::vector<std::int64_t> more;

        /// Drops the times that no longer count at nowMs; returns how many still do.
        std::size_t expire(std::int64_t nowMs, std::int64_t windowMs);
        void push(std::int64_t t, std::size_t limit);
        std::int64_t newest() const;
        bool empty() const { return size == 0 && more.empty(); }
        std::size_t countAt(std::int64_t nowMs, std::int64_t windowMs) const;
    };
    struct Shard {
        mutable std::mutex mutex;
        absl::flat_hash_map<std::uint64_t, Window> windows;
    };
    using Shards = std::array<Shard, kShards>;
    static std::uint64_t keyOf(std::string_view key);
    static int countIn(const Shards &shards, std::string_view key, TimePoint now, Milliseconds window);

    Shards m_ips;
    Shards m_devices;
};

} // namespace flywheel::referral
