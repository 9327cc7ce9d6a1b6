#pragma once

#include "domain/Clock.h"

#include <array>
#include <cstdint>
#include <string>

namespace flywheel::audit {

/// A SHA-256 digest.
using Hash = std::array<std::uint8_t, 32>;

/// The prev_hash of the first entry: 32 zero bytes.
inline constexpr Hash kGenesisHash{};

/// Who made a change: the token's name and role, and where the call came from.
struct Actor {
    std::string name;
    std::string role;
    /// The caller's address as gRPC reports it, e.g. "ipv4:127.0.0.1:52344".
    std::string peer;
};

/// One operator change, as appended to the audit log. Entries are never changed:
/// each holds the hash of the one before it (prevHash) and its own hash over every
/// field and prevHash (entryHash), so a changed, removed or reordered entry shows.
struct Entry {
    /// 1, 2, 3, ... in the order appended; assigned by the store.
    std::int64_t seq = 0;
    TimePoint at;
    Actor actor;
    /// "pricing", "segments", "referral", "inventory", "commissions", "orders", "tokens".
    std::string area;
    /// What changed within the area, e.g. "rule set", "SKU-1", "order 42".
    std::string object;
    /// The version the change made; 0 when the object has no versions.
    std::int64_t version = 0;
    /// The object before and after (YAML or JSON text); empty when there is none.
    std::string before;
    std::string after;
    std::string reason;
    Hash prevHash{};
    Hash hash{};
};

} // namespace flywheel::audit
