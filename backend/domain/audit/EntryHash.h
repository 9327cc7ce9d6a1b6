#pragma once

#include "domain/audit/Entry.h"

#include <string>

namespace flywheel::audit {

/// The hash an entry must hold: SHA-256 over a canonical serialisation of every
/// field but `hash` (prevHash included). The serialisation is unambiguous: a
/// version tag, then each field in a fixed order, integers as 8 big-endian bytes
/// and text as its 8-byte big-endian length followed by its bytes, so no two
/// different entries serialise alike. Changing it means a new version tag.
Hash entryHash(const Entry &entry);

/// Fills in seq, prevHash and hash of `entry`, to follow an entry whose hash is
/// `previous` (kGenesisHash for the first).
void seal(Entry &entry, std::int64_t seq, const Hash &previous);

/// Lower-case hexadecimal, for messages.
std::string toHex(const Hash &hash);

} // namespace flywheel::audit
