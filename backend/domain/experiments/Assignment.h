#pragma once

#include "domain/Result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::experiments {

/// The number of buckets a user hashes into; weights and traffic share are counted in them.
inline constexpr std::int32_t kBucketCount = 10'000;

/// FNV-1a, 32 bits, over the bytes of `text` (equal to GrowthBook's UTF-16 code units for
/// ASCII text, so keep uids and salts ASCII to match its SDKs).
std::uint32_t fnv1a32(std::string_view text);

/// GrowthBook hash version 2: fnv1a32(decimal(fnv1a32(salt + uid))) % 10,000, in 0..9,999.
/// The salt goes in before the uid and the first hash is hashed again as text, so buckets
/// under different salts behave like independent uniform draws (docs/experiments.md).
std::int32_t bucketOf(std::string_view salt, std::string_view uid);

struct Variant {
    std::string key;
    /// Share of the experiment's traffic, in buckets out of 10,000 (basis points); all
    /// variants together must total exactly 10,000. Zero is allowed: such a variant takes no
    /// new users but keeps the ones it has.
    std::int32_t weightBp = 0;
};

/// What assignment needs to know about an experiment. The first variant is the control.
struct Design {
    std::string salt;
    /// Share of all users that enter the experiment, in basis points, 1..10,000.
    std::int32_t trafficBp = kBucketCount;
    std::vector<Variant> variants;
};

/// The first thing wrong with `design`, as an InvalidArgument error naming the field;
/// nullopt when it is valid.
std::optional<Error> validate(const Design &design);

/// Whether `next` may replace `running` while the experiment runs: the salt must stay and no
/// variant may disappear (users already in it would have nowhere to go). Weights, traffic
/// share and new variants may change; only new users feel the change.
std::optional<Error> validateChange(const Design &running, const Design &next);

/// The bucket ranges of `design` (which must be valid): variant i owns
/// [start_i, start_i + width_i) with start_i = Σ_{j<i} weight_j and
/// width_i = weight_i × traffic / 10,000 (rounded down), as GrowthBook's getBucketRanges does.
/// Growing the traffic share later therefore keeps every included user in its variant.
struct BucketRange {
    std::int32_t begin = 0;
    std::int32_t end = 0;
};
std::vector<BucketRange> bucketRanges(const Design &design);

struct Assignment {
    /// Index into Design::variants; nullopt when the user is outside the traffic share.
    std::optional<std::size_t> variant;
    /// The user's bucket, 0..9,999.
    std::int32_t bucket = 0;
    /// True when this call placed the user (record an exposure); false when the stored
    /// assignment was kept or the user is outside the experiment.
    bool isNew = false;
};

/// Places users in one validated design; build it once per design version and share it
/// (it is immutable, so concurrent assign calls are safe). assign allocates nothing on the
/// success path.
///
/// Sticky across weight changes: pass the variant key stored for the user the first time
/// they were assigned (nullopt if none) and it is returned unchanged, so changing the
/// weights of a running experiment moves nobody; only users without a stored assignment
/// are placed by the current weights and traffic share. The caller stores the key of a new
/// assignment (isNew) and records its exposure. Errors: an empty uid (InvalidArgument), or
/// a stored key that names no variant of the design (FailedPrecondition).
class Assigner final {
public:
    /// The design's first validation error, or an assigner for it.
    static Result<Assigner> create(Design design);

    const Design &design() const { return m_design; }
    const std::vector<BucketRange> &ranges() const { return m_ranges; }

    Result<Assignment> assign(std::string_view uid,
                              std::optional<std::string_view> storedVariantKey = std::nullopt) const;

private:
    Assigner(Design design, std::vector<BucketRange> ranges) : m_design(std::move(design)), m_ranges(std::move(ranges))
    {}

    Design m_design;
    std::vector<BucketRange> m_ranges;
};

/// One-off form of Assigner::assign that validates `design` on every call (errors as
/// validate); prefer an Assigner on hot paths.
Result<Assignment> assign(const Design &design, std::string_view uid,
                          std::optional<std::string_view> storedVariantKey = std::nullopt);

} // namespace flywheel::experiments
