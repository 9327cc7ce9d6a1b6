#include "auth/UtcTime.h"

#include <cstdio>
#include <ctime>

namespace flywheel::auth {

std::string formatUtc(TimePoint time)
{
    const std::time_t seconds = static_cast<std::time_t>(
        std::chrono::floor<std::chrono::seconds>(time).time_since_epoch().count());
    std::tm parts{};
    gmtime_r(&seconds, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::optional<TimePoint> parseUtc(std::string_view text)
{
    if (text.size() != 20)
        return std::nullopt;
    const std::string copy(text);
    std::tm parts{};
    int consumed = 0;
    if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
                    &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &consumed) != 6 ||
        consumed != 20)
        return std::nullopt;
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    const std::time_t seconds = timegm(&parts);
    const TimePoint time{std::chrono::seconds(seconds)};
    // timegm normalises 2026-02-31 into March: such a date is refused.
    if (formatUtc(time) != copy)
        return std::nullopt;
    return time;
}

} // namespace flywheel::auth
