#include "domain/referral/Program.h"

namespace flywheel::referral {

namespace {

std::optional<std::string> outside(const char *field, std::int64_t value, std::int64_t min, std::int64_t max,
                                   const char *unit)
{
    if (value >= min && value <= max)
        return std::nullopt;
    return std::string(field) + " must be from " + std::to_string(min) + " to " + std::to_string(max) + unit +
           ", not " + std::to_string(value);
}

} // namespace

std::optional<std::string> validate(const Program &p)
{
    constexpr std::int64_t kMaxReward = 100'000'000; // one million in major units
    if (auto e = outside("inviter_reward", p.inviterReward.minorUnits(), 0, kMaxReward, " minor units"))
        return e;
    if (auto e = outside("invitee_reward", p.inviteeReward.minorUnits(), 0, kMaxReward, " minor units"))
        return e;
    if (auto e = outside("level1_rate_bp", p.level1RateBp, 0, 5000, " basis points"))
        return e;
    if (auto e = outside("level2_rate_bp", p.level2RateBp, 0, 5000, " basis points"))
        return e;
    if (p.level1RateBp + p.level2RateBp > 5000)
        return "level1_rate_bp and level2_rate_bp together must be at most 5000 basis points (50 %), not " +
               std::to_string(p.level1RateBp + p.level2RateBp);
    if (auto e = outside("max_clicks_per_ip_per_hour", p.maxClicksPerIpPerHour, 1, 1000, ""))
        return e;
    if (auto e = outside("max_clicks_per_device_per_day", p.maxClicksPerDevicePerDay, 1, 1000, ""))
        return e;
    if (auto e = outside("min_inviter_age_hours", p.minInviterAgeHours, 0, 720, " hours"))
        return e;
    if (auto e = outside("inviter_active_within_days", p.inviterActiveWithinDays, 1, 365, " days"))
        return e;
    if (auto e = outside("token_ttl_hours", p.tokenTtlHours, 1, 168, " hours"))
        return e;
    if (auto e = outside("clock_leeway_seconds", p.clockLeewaySeconds, 0, 300, " seconds"))
        return e;
    return std::nullopt;
}

Money commissionFor(Money total, std::int32_t rateBp)
{
    // At most half of the total (rates are ≤ 5000 bp), so the result always fits;
    // the product may not, so it is formed in 128 bits.
    __extension__ using Int128 = __int128;
    const Int128 product = static_cast<Int128>(total.minorUnits()) * rateBp;
    const Int128 magnitude = product < 0 ? -product : product;
    const Int128 rounded = (magnitude + 5000) / 10000;
    return Money(static_cast<std::int64_t>(product < 0 ? -rounded : rounded));
}

} // namespace flywheel::referral
