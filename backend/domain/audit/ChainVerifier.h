#pragma once

#include "domain/audit/Entry.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace flywheel::audit {

/// What verify() found.
struct Verdict {
    enum class Problem { None, Altered, Removed, Reordered };
    Problem problem = Problem::None;
    /// The first bad entry (for Removed: the first missing one); 0 when intact.
    std::int64_t seq = 0;
    /// One line naming the entry and what is wrong; empty when intact.
    std::string message;
    /// How many entries were checked.
    std::size_t entries = 0;

    bool intact() const { return problem == Problem::None; }
};

/// Checks a chain of entries in the order they are stored (by seq): seq runs
/// 1, 2, 3, ... without gaps, each entry's hash matches its contents, and each
/// prevHash is the hash of the entry before (kGenesisHash for the first).
/// Reports the first problem only.
///
/// The chain alone cannot show that entries were removed from its end: a log cut
/// after entry N is a valid chain of N entries. Detecting that needs an anchor
/// kept outside the database (a head hash someone holds; see docs/operations.md).
Verdict verify(const std::vector<Entry> &entries);

} // namespace flywheel::audit
