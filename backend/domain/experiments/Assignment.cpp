#include "domain/experiments/Assignment.h"

#include <charconv>
#include <iterator>
#include <set>

namespace flywheel::experiments {

namespace {

constexpr std::uint32_t kFnvOffset = 0x811c9dc5u;

Error invalid(std::string message)
{
    return Error{ErrorCode::InvalidArgument, std::move(message)};
}

std::uint32_t fnv1a32Continue(std::uint32_t hash, std::string_view text)
{
    for (const char c : text) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 0x01000193u; // unsigned arithmetic wraps modulo 2^32
    }
    return hash;
}

} // namespace

std::uint32_t fnv1a32(std::string_view text)
{
    return fnv1a32Continue(kFnvOffset, text);
}

std::int32_t bucketOf(std::string_view salt, std::string_view uid)
{
    // FNV-1a is a running hash, so hashing salt then uid equals hashing salt + uid.
    const std::uint32_t first = fnv1a32Continue(fnv1a32Continue(kFnvOffset, salt), uid);
    char decimal[16];
    const auto [end, ec] = std::to_chars(std::begin(decimal), std::end(decimal), first);
    (void)ec; // ten digits always fit
    const std::uint32_t second = fnv1a32(std::string_view(decimal, static_cast<std::size_t>(end - decimal)));
    return static_cast<std::int32_t>(second % static_cast<std::uint32_t>(kBucketCount));
}

std::optional<Error> validate(const Design &design)
{
    if (design.salt.empty())
        return invalid("salt must not be empty");
    if (design.trafficBp < 1 || design.trafficBp > kBucketCount)
        return invalid("traffic share must be from 1 to 10000 basis points, not " + std::to_string(design.trafficBp));
    if (design.variants.size() < 2)
        return invalid("an experiment needs at least two variants (a control and a treatment), not " +
                       std::to_string(design.variants.size()));
    std::set<std::string> keys;
    std::int64_t total = 0;
    for (std::size_t i = 0; i < design.variants.size(); ++i) {
        const Variant &v = design.variants[i];
        if (v.key.empty())
            return invalid("variant " + std::to_string(i + 1) + " has an empty key");
        if (!keys.insert(v.key).second)
            return invalid("variant key \"" + v.key + "\" appears more than once");
        if (v.weightBp < 0)
            return invalid("variant \"" + v.key + "\" has a negative weight (" + std::to_string(v.weightBp) +
                           " basis points)");
        total += v.weightBp;
    }
    if (total != kBucketCount)
        return invalid("variant weights must total 10000 basis points, not " + std::to_string(total));
    return std::nullopt;
}

std::optional<Error> validateChange(const Design &running, const Design &next)
{
    if (auto e = validate(next))
        return e;
    if (next.salt != running.salt)
        return Error{ErrorCode::FailedPrecondition,
                     "the salt of a running experiment cannot change (it would re-randomise every user)"};
    for (const Variant &old : running.variants) {
        bool kept = false;
        for (const Variant &v : next.variants)
            kept = kept || v.key == old.key;
        if (!kept)
            return Error{ErrorCode::FailedPrecondition, "variant \"" + old.key +
                                                            "\" cannot be removed from a running experiment; "
                                                            "set its weight to 0 instead"};
    }
    return std::nullopt;
}

std::vector<BucketRange> bucketRanges(const Design &design)
{
    std::vector<BucketRange> ranges;
    ranges.reserve(design.variants.size());
    std::int32_t start = 0;
    for (const Variant &v : design.variants) {
        const auto width =
            static_cast<std::int32_t>(static_cast<std::int64_t>(v.weightBp) * design.trafficBp / kBucketCount);
        ranges.push_back({start, start + width});
        start += v.weightBp;
    }
    return ranges;
}

Result<Assigner> Assigner::create(Design design)
{
    if (auto e = validate(design))
        return *e;
    std::vector<BucketRange> ranges = bucketRanges(design);
    return Assigner(std::move(design), std::move(ranges));
}

Result<Assignment> Assigner::assign(std::string_view uid, std::optional<std::string_view> storedVariantKey) const
{
    if (uid.empty())
        return invalid("uid must not be empty");
    Assignment out;
    out.bucket = bucketOf(m_design.salt, uid);
    if (storedVariantKey) {
        for (std::size_t i = 0; i < m_design.variants.size(); ++i) {
            if (m_design.variants[i].key == *storedVariantKey) {
                out.variant = i;
                return out;
            }
        }
        return Error{ErrorCode::FailedPrecondition, "the stored variant \"" + std::string(*storedVariantKey) +
                                                        "\" is not a variant of this experiment"};
    }
    for (std::size_t i = 0; i < m_ranges.size(); ++i) {
        if (out.bucket >= m_ranges[i].begin && out.bucket < m_ranges[i].end) {
            out.variant = i;
            out.isNew = true;
            return out;
        }
    }
    return out;
}

Result<Assignment> assign(const Design &design, std::string_view uid, std::optional<std::string_view> storedVariantKey)
{
    auto assigner = Assigner::create(design);
    if (!assigner.ok())
        return assigner.error();
    return assigner.value().assign(uid, storedVariantKey);
}

} // namespace flywheel::experiments
