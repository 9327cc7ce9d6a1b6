#include "domain/subsidy/RoiMinutes.h"

#include <algorithm>

namespace flywheel::subsidy {

namespace {

constexpr std::int64_t kMinuteMs = 60'000;

} // namespace

RoiMinutes::RoiMinutes(std::size_t maxSeries) : m_maxSeries(maxSeries) {}

std::int64_t RoiMinutes::minuteOf(TimePoint t)
{
    const std::int64_t ms = toEpochMs(t);
    return ms >= 0 ? ms / kMinuteMs : (ms - kMinuteMs + 1) / kMinuteMs;
}

void RoiMinutes::prune(std::int64_t nowMinute)
{
    if (nowMinute == m_prunedAt)
        return;
    m_prunedAt = nowMinute;
    const std::int64_t first = nowMinute - kWindowMinutes + 1;
    const auto dropOld = [first](Minutes &minutes) { minutes.erase(minutes.begin(), minutes.lower_bound(first)); };
    for (auto it = m_keys.begin(); it != m_keys.end();) {
        dropOld(it->second);
        it = it->second.empty() ? m_keys.erase(it) : std::next(it);
    }
    dropOld(m_other);
}

RoiMinutes::Minute *RoiMinutes::slot(const std::string &campaignId, const std::string &channel, TimePoint at,
                                     TimePoint now)
{
    const std::int64_t nowMinute = minuteOf(now);
    prune(nowMinute);
    const std::int64_t minute = std::min(minuteOf(at), nowMinute);
    if (minute <= nowMinute - kWindowMinutes)
        return nullptr;
    auto key = std::make_pair(campaignId, channel);
    auto found = m_keys.find(key);
    if (found == m_keys.end()) {
        if (m_keys.size() >= m_maxSeries)
            return &m_other[minute];
        found = m_keys.emplace(std::move(key), Minutes()).first;
    }
    return &found->second[minute];
}

void RoiMinutes::issued(const std::string &campaignId, const std::string &channel, Money amount, TimePoint at,
                        TimePoint now)
{
    if (Minute *m = slot(campaignId, channel, at, now)) {
        ++m->issued;
        m->issuedAmount += amount.minorUnits();
    }
}

void RoiMinutes::redeemed(const std::string &campaignId, const std::string &channel, Money amount, Money gmv,
                          TimePoint at, TimePoint now)
{
    if (Minute *m = slot(campaignId, channel, at, now)) {
        ++m->redeemed;
        m->redeemedAmount += amount.minorUnits();
        m->gmv += gmv.minorUnits();
    }
}

std::vector<RoiPoint> RoiMinutes::points(const std::vector<const Minutes *> &sources, std::int64_t nowMinute)
{
    std::vector<RoiPoint> out;
    out.reserve(static_cast<std::size_t>(kWindowMinutes));
    for (std::int64_t m = nowMinute - kWindowMinutes + 1; m <= nowMinute; ++m) {
        RoiPoint p;
        p.start = fromEpochMs(m * kMinuteMs);
        std::int64_t issuedAmount = 0;
        std::int64_t redeemedAmount = 0;
        std::int64_t gmv = 0;
        for (const Minutes *minutes : sources) {
            const auto found = minutes->find(m);
            if (found == minutes->end())
                continue;
            p.issued += found->second.issued;
            issuedAmount += found->second.issuedAmount;
            p.redeemed += found->second.redeemed;
            redeemedAmount += found->second.redeemedAmount;
            gmv += found->second.gmv;
        }
        p.issuedAmount = Money(issuedAmount);
        p.redeemedAmount = Money(redeemedAmount);
        p.redeemedGmv = Money(gmv);
        out.push_back(p);
    }
    return out;
}

std::vector<RoiPoint> RoiMinutes::total(TimePoint now) const
{
    std::vector<const Minutes *> all;
    all.reserve(m_keys.size() + 1);
    for (const auto &[key, minutes] : m_keys)
        all.push_back(&minutes);
    all.push_back(&m_other);
    return points(all, minuteOf(now));
}

std::vector<RoiSeries> RoiMinutes::series(TimePoint now) const
{
    const std::int64_t nowMinute = minuteOf(now);
    const std::int64_t first = nowMinute - kWindowMinutes + 1;
    const auto inWindow = [&](const Minutes &minutes) {
        const auto it = minutes.lower_bound(first);
        return it != minutes.end() && it->first <= nowMinute;
    };
    std::vector<RoiSeries> out;
    for (const auto &[key, minutes] : m_keys) {
        if (!inWindow(minutes))
            continue;
        out.push_back(RoiSeries{key.first, key.second, false, points({&minutes}, nowMinute)});
    }
    if (inWindow(m_other))
        out.push_back(RoiSeries{std::string(), std::string(), true, points({&m_other}, nowMinute)});
    return out;
}

} // namespace flywheel::subsidy
