#pragma once

#include <climits>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace flywheel::segments {

/// Days since 1970-01-01 (UTC): the unit of every day-based feature.
using Day = std::int32_t;

/// Interns the values of the string features (device, region, install channel) and
/// the tag names, so that a profile holds small integers and an expression compares
/// integers. Ids are never reused; lookups are safe from any thread.
class Dictionary {
public:
    static constexpr std::int32_t kUnknown = -1;
    /// The id of `text`, adding it when new.
    std::int32_t intern(std::string_view text);
    /// The id of `text`, or kUnknown when no profile has ever had it.
    std::int32_t find(std::string_view text) const;
    std::string text(std::int32_t id) const;
    std::vector<std::string> all() const;

private:
    mutable std::shared_mutex m_mutex;
    std::unordered_map<std::string, std::int32_t> m_ids;
    std::vector<std::string> m_texts;
};

struct TagWeight {
    std::int32_t tag = 0;
    double weight = 0;
};

/// One user's profile. Day-relative features (days since registration, last active
/// days, active days in the last 7) are derived from stored days at evaluation time,
/// so a profile needs no update when a day passes. See docs/segments.md.
struct Profile {
    std::int64_t uid = 0;
    Day registeredDay = 0;
    Day lastActiveDay = 0;
    /// Bit i set: active on lastActiveDay - i (32 days of history).
    std::uint32_t activeDays = 0;
    std::int32_t payCount = 0;
    /// Pages viewed in the latest session (the one with the latest timestamp).
    std::int32_t sessionDepth = 0;
    std::int64_t sessionAtMs = 0;
    /// Dictionary ids; kUnknown when never told.
    std::int32_t device = Dictionary::kUnknown;
    std::int32_t region = Dictionary::kUnknown;
    std::int32_t installChannel = Dictionary::kUnknown;
    bool registered = false;
    bool paid = false;
    /// Tag weights, in no particular order; a tag that is absent weighs 0.
    std::vector<TagWeight> tags;

    double tag(std::int32_t id) const
    {
        for (const TagWeight &t : tags) {
            if (t.tag == id)
                return t.weight;
        }
        return 0;
    }
    std::int32_t daysSinceRegistration(Day today) const { return daysBetween(registeredDay, today); }
    std::int32_t lastActiveDays(Day today) const { return daysBetween(lastActiveDay, today); }
    std::int32_t activeDaysLast7(Day today) const
    {
        const std::int32_t shift = daysBetween(lastActiveDay, today);
        if (shift >= 7 || shift < 0)
            return shift < 0 ? __builtin_popcount(activeDays & 0x7fu) : 0;
        return __builtin_popcount(activeDays & (0x7fu >> shift));
    }
    /// register → first payment.
    bool keyPathComplete() const { return registered && paid; }

    /// to - from, without overflow for any two days (clamped to the int32 range).
    static std::int32_t daysBetween(Day from, Day to)
    {
        const std::int64_t days = static_cast<std::int64_t>(to) - from;
        return static_cast<std::int32_t>(days < INT32_MIN ? INT32_MIN : (days > INT32_MAX ? INT32_MAX : days));
    }
};

} // namespace flywheel::segments
