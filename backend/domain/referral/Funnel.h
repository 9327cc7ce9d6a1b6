#pragma once

#include "domain/Clock.h"
#include "domain/referral/Refusal.h"

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flywheel::referral {

enum class FunnelStep { Share, Click, Register, FirstOrder };
constexpr std::size_t kFunnelSteps = 4;
const char *funnelStepName(FunnelStep step);

struct FunnelRow {
    std::string campaignId;
    std::string channel;
    std::array<std::int64_t, kFunnelSteps> counts{};
    std::int64_t count(FunnelStep step) const { return counts[static_cast<std::size_t>(step)]; }
    /// count(step) / count(previous step), nullopt when the previous step is 0; the
    /// first step has no conversion.
    std::optional<double> conversion(FunnelStep step) const;
};

/// A minute's refusals by reason.
struct RefusalMinute {
    std::int64_t minute = 0; // minutes since the epoch
    std::array<std::int64_t, kRefusalKinds> counts{};
};

/// Counts of the funnel steps per campaign and channel, and of refusals by reason,
/// all time and per minute for the last hour. Thread-safe. Changes since the last
/// takeChanges() are kept apart so that they can be persisted as increments.
class Funnel final {
public:
    void record(FunnelStep step, const std::string &campaignId, const std::string &channel, std::int64_t n = 1);
    void refuse(Refusal reason, TimePoint at, std::int64_t n = 1);
    /// Loading from the database: adds without marking anything changed.
    void restore(FunnelStep step, const std::string &campaignId, const std::string &channel, std::int64_t n);
    void restoreRefusals(std::int64_t minute, Refusal reason, std::int64_t n);
    /// Forgets the per-minute counts older than an hour before `now`.
    void pruneMinutes(TimePoint now);

    /// Sorted by campaign, then channel.
    std::vector<FunnelRow> rows() const;
    std::array<std::int64_t, kRefusalKinds> refusals() const;
    /// The minutes of the hour before `now` (60 entries, oldest first, empty minutes included).
    std::vector<RefusalMinute> recentRefusals(TimePoint now) const;
    /// Increments every record/refuse call makes; a counter that moves on each.
    std::uint64_t generation() const;

    struct Changes {
        std::map<std::tuple<std::string, std::string, FunnelStep>, std::int64_t> steps;
        std::map<std::pair<std::int64_t, Refusal>, std::int64_t> refusals;
        bool empty() const { return steps.empty() && refusals.empty(); }
    };
    Changes takeChanges();
    /// Puts back changes that could not be persisted.
    void returnChanges(const Changes &changes);

private:
    using Key = std::pair<std::string, std::string>;
    mutable std::mutex m_mutex;
    std::map<Key, std::array<std::int64_t, kFunnelSteps>> m_counts;
    std::array<std::int64_t, kRefusalKinds> m_refusals{};
    std::map<std::int64_t, std::array<std::int64_t, kRefusalKinds>> m_minutes;
    Changes m_changes;
    std::uint64_t m_generation = 0;
};

} // namespace flywheel::referral
