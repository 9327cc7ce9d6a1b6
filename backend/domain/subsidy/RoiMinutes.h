#pragma once

#include "domain/Clock.h"
#include "domain/Money.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace flywheel::subsidy {

/// One minute of subsidies: issued and redeemed (counts and amounts), and the GMV of
/// the redeemed orders. Money in minor units.
struct RoiPoint {
    TimePoint start;
    std::int64_t issued = 0;
    Money issuedAmount;
    std::int64_t redeemed = 0;
    Money redeemedAmount;
    Money redeemedGmv;
};

/// The last hour of one campaign and acquisition channel, one point a minute. `other`
/// holds the keys beyond RoiMinutes' cap (campaign and channel then empty).
struct RoiSeries {
    std::string campaignId;
    std::string channel;
    bool other = false;
    std::vector<RoiPoint> points;
};

/// Subsidies per minute over the last 60 minutes, per campaign and channel and over
/// all of them, for the ROI charts. Memory is bounded: at most kWindowMinutes minutes
/// per key and at most `maxSeries` keys; a key with nothing in the window is dropped.
/// When all `maxSeries` keys are taken, a new key's figures go to one "other" series
/// (still in the totals) until a key has had nothing for an hour and frees its place.
/// A minute older than the window (relative to the `now` given) is ignored, a later
/// one counts in now's. Not
/// thread-safe: the owner locks.
class RoiMinutes final {
public:
    static constexpr std::int64_t kWindowMinutes = 60;
    static constexpr std::size_t kDefaultMaxSeries = 32;

    explicit RoiMinutes(std::size_t maxSeries = kDefaultMaxSeries);

    void issued(const std::string &campaignId, const std::string &channel, Money amount, TimePoint at,
                TimePoint now);
    /// A redemption at `at` of a subsidy of `amount` on an order of `gmv` (paid total).
    void redeemed(const std::string &campaignId, const std::string &channel, Money amount, Money gmv, TimePoint at,
                  TimePoint now);

    /// Every key together: the 60 minutes up to now's, oldest first, empty minutes included.
    std::vector<RoiPoint> total(TimePoint now) const;
    /// One series per key with something in the window, by campaign then channel, each
    /// of the same 60 minutes as total(); the "other" series last when it has anything.
    std::vector<RoiSeries> series(TimePoint now) const;
    /// Keys held now (the "other" series not counted).
    std::size_t keyCount() const { return m_keys.size(); }
    std::size_t maxSeries() const { return m_maxSeries; }

    static std::int64_t minuteOf(TimePoint t);

private:
    struct Minute {
        std::int64_t issued = 0;
        std::int64_t issuedAmount = 0;
        std::int64_t redeemed = 0;
        std::int64_t redeemedAmount = 0;
        std::int64_t gmv = 0;
    };
    using Minutes = std::map<std::int64_t, Minute>;

    /// The minute of `at` for the key, or nullptr when it is older than the window.
    Minute *slot(const std::string &campaignId, const std::string &channel, TimePoint at, TimePoint now);
    void prune(std::int64_t nowMinute);
    static std::vector<RoiPoint> points(const std::vector<const Minutes *> &sources, std::int64_t nowMinute);

    std::size_t m_maxSeries;
    std::map<std::pair<std::string, std::string>, Minutes> m_keys;
    Minutes m_other;
    std::int64_t m_prunedAt = 0;
};

} // namespace flywheel::subsidy
