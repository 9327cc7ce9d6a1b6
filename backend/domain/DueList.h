#pragma once

#include "domain/Clock.h"

#include <cstddef>
#include <deque>
#include <utility>

namespace flywheel {

/// Keys listed with a time, in the order they were added: the worklist of a
/// clean-up whose cost should be in what it removes, not in what the owner holds.
/// Times are expected to come nearly in order; a key added with an older time than
/// the keys before it comes up late, never early. A key may be listed more than
/// once; the owner checks its current state when the key comes up.
///
/// Not thread-safe: the owner's lock guards it.
template <typename Key>
class DueList final {
public:
    void add(TimePoint at, Key key) { m_items.emplace_back(at, std::move(key)); }

    /// Takes up to `limit` keys listed before `before`, oldest first, handing each
    /// to f(key). Returns true when more such keys are waiting: the caller releases
    /// its lock and calls again, so that no one waits on it for a whole clean-up.
    template <typename F>
    bool takeDue(TimePoint before, std::size_t limit, F f)
    {
        for (std::size_t n = 0; n < limit; ++n) {
            if (m_items.empty() || !(m_items.front().first < before))
                return false;
            Key key = std::move(m_items.front().second);
            m_items.pop_front();
            f(key);
        }
        return !m_items.empty() && m_items.front().first < before;
    }

private:
    std::deque<std::pair<TimePoint, Key>> m_items;
};

} // namespace flywheel
