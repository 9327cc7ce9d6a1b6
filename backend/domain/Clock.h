#pragma once

#include <atomic>
#include <chrono>

namespace flywheel {

using Milliseconds = std::chrono::milliseconds;
/// Wall-clock time with millisecond resolution: what orders and metrics are stamped with.
using TimePoint = std::chrono::sys_time<Milliseconds>;

inline std::int64_t toEpochMs(TimePoint t)
{
    return t.time_since_epoch().count();
}
inline TimePoint fromEpochMs(std::int64_t ms)
{
    return TimePoint(Milliseconds(ms));
}

/// All time in the backend comes from a Clock, so windows, expiry and rate limits
/// are tested without sleeping.
class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override
    {
        return std::chrono::time_point_cast<Milliseconds>(std::chrono::system_clock::now());
    }
    static const SystemClock &instance()
    {
        static const SystemClock clock;
        return clock;
    }
};

/// A clock that moves only when told to; safe to read from any thread.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start) : m_ms(toEpochMs(start)) {}
    TimePoint now() const override { return fromEpochMs(m_ms.load()); }
    void set(TimePoint t) { m_ms.store(toEpochMs(t)); }
    void advance(Milliseconds d) { m_ms.fetch_add(d.count()); }

private:
    std::atomic<std::int64_t> m_ms;
};

} // namespace flywheel
