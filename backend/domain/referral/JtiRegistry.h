#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace flywheel::referral {

/// The ids (jti) of the invite tokens already used, each with its token's expiry,
/// so that a token is accepted once and every replay is refused. Thread-safe: the
/// ids live in 64 shards with a mutex each, so concurrent claims rarely contend.
class JtiRegistry final {
public:
    /// Records `jti` as used. True the first time, false for every later call (a
    /// replay), whatever the expiry given.
    bool claim(std::string_view jti, std::int64_t expiresAtUnix);
    /// Startup: an id stored as used. Keeps the later expiry when it is known.
    void restore(std::string jti, std::int64_t expiresAtUnix);
    bool contains(std::string_view jti) const;
    /// Forgets the ids whose expiry is before `beforeUnix`; returns how many. A
    /// token is refused once now > exp + leeway, so `now - leeway` is safe: a
    /// forgotten id can no longer be replayed.
    std::size_t purge(std::int64_t beforeUnix);
    std::size_t size() const;

private:
    /// Lets the maps be searched with a string_view, without building a string.
    struct Hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, std::int64_t, Hash, std::equal_to<>> expiries;
    };
    static constexpr std::size_t kShards = 64;
    Shard &shard(std::string_view jti);
    const Shard &shard(std::string_view jti) const;

    std::array<Shard, kShards> m_shards;
};

} // namespace flywheel::referral
