#pragma once

#include "domain/Clock.h"

#include <cstdint>
#include <stdexcept>
#include <string>

namespace flywheel {

/// A storage failure. The message names the database and says what went wrong in
/// words an operator can act on.
class StorageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// One saved version of a set the operators edit (pricing rules, segments), as YAML text.
struct StoredVersion {
    std::int64_t version = 0;
    std::string yaml;
    std::string reason;
    /// "console", "file", "rollback" or "initial".
    std::string source;
    TimePoint createdAt;
    /// A candidate: stored, audited and listed, but never in force (see
    /// versioning::Document::saveCandidate). Never "the newest" of documentVersion(0).
    bool candidate = false;
};

/// What every store area has in common. Each area interface inherits it virtually,
/// so an implementation of several areas (SqliteStore) has one location().
class StoreArea {
public:
    virtual ~StoreArea() = default;

    /// Where the data lives, for messages: a file name or a connection description.
    virtual std::string location() const = 0;

protected:
    StoreArea() = default;
    StoreArea(const StoreArea &) = default;
    StoreArea &operator=(const StoreArea &) = default;
};

} // namespace flywheel
