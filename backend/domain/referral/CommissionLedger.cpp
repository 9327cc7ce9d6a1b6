#include "domain/referral/CommissionLedger.h"

#include "domain/referral/Program.h"

#include <algorithm>

namespace flywheel::referral {

const char *commissionStateName(CommissionState state)
{
    switch (state) {
    case CommissionState::Pending:
        return "pending";
    case CommissionState::Reviewing:
        return "reviewing";
    case CommissionState::Confirmed:
        return "confirmed";
    case CommissionState::Settled:
        return "settled";
    case CommissionState::Reversed:
        return "reversed";
    }
    return "unknown";
}

std::optional<CommissionState> commissionStateFromName(std::string_view name)
{
    for (const CommissionState s : {CommissionState::Pending, CommissionState::Reviewing, CommissionState::Confirmed,
                                    CommissionState::Settled, CommissionState::Reversed}) {
        if (name == commissionStateName(s))
            return s;
    }
    return std::nullopt;
}

bool isLegal(CommissionState from, CommissionState to)
{
    switch (to) {
    case CommissionState::Reviewing:
        return from == CommissionState::Pending;
    case CommissionState::Confirmed:
        return from == CommissionState::Reviewing;
    case CommissionState::Settled:
        return from == CommissionState::Confirmed;
    case CommissionState::Reversed:
        return from == CommissionState::Pending || from == CommissionState::Reviewing ||
               from == CommissionState::Confirmed;
    case CommissionState::Pending:
        return false;
    }
    return false;
}

std::optional<Commission> CommissionLedger::create(Commission pending)
{
    {
        const std::unique_lock lock(m_orderMutex);
        if (m_byOrder.contains(pending.orderId))
            return std::nullopt;
        pending.id = m_nextId++;
        m_byOrder.emplace(pending.orderId, pending.id);
    }
    pending.state = CommissionState::Pending;
    pending.level1Amount = Money(0);
    pending.level2Amount = Money(0);
    pending.updatedAt = pending.createdAt;
    Shard &shard = shardOf(pending.id);
    const std::lock_guard lock(shard.mutex);
    shard.byId[pending.id] = pending;
    return pending;
}

Result<Commission> CommissionLedger::transition(std::int64_t id, CommissionState to, TimePoint now,
                                                CommissionState *from)
{
    if (to == CommissionState::Pending)
        return Error{ErrorCode::InvalidArgument, "a commission cannot be moved back to pending"};
    Shard &shard = shardOf(id);
    const std::lock_guard lock(shard.mutex);
    const auto it = shard.byId.find(id);
    if (it == shard.byId.end())
        return Error{ErrorCode::NotFound, "there is no commission " + std::to_string(id)};
    Commission &c = it->second;
    if (!isLegal(c.state, to)) {
        std::string why = "commission " + std::to_string(id) + " is " + commissionStateName(c.state);
        if (c.state == to)
            why += " already";
        else if (c.state == CommissionState::Settled)
            why += "; a settled commission cannot change";
        else if (c.state == CommissionState::Reversed)
            why += "; a reversed commission cannot change";
        else
            why += std::string("; it cannot go to ") + commissionStateName(to) + " from there";
        return Error{ErrorCode::FailedPrecondition, why};
    }
    switch (to) {
    case CommissionState::Reviewing:
        c.level1Amount = commissionFor(c.orderTotal, c.level1RateBp);
        break;
    case CommissionState::Confirmed:
        c.level2Amount = c.level2Uid != 0 ? commissionFor(c.orderTotal, c.level2RateBp) : Money(0);
        break;
    case CommissionState::Reversed:
        c.level1Amount = Money(0);
        c.level2Amount = Money(0);
        break;
    case CommissionState::Settled:
    case CommissionState::Pending:
        break;
    }
    if (from != nullptr)
        *from = c.state;
    c.state = to;
    c.updatedAt = now;
    return c;
}

std::optional<Commission> CommissionLedger::forOrder(std::int64_t orderId) const
{
    std::int64_t id = 0;
    {
        const std::shared_lock lock(m_orderMutex);
        const auto it = m_byOrder.find(orderId);
        if (it == m_byOrder.end())
            return std::nullopt;
        id = it->second;
    }
    return find(id);
}

std::optional<Commission> CommissionLedger::find(std::int64_t id) const
{
    const Shard &shard = shardOf(id);
    const std::lock_guard lock(shard.mutex);
    const auto it = shard.byId.find(id);
    if (it == shard.byId.end())
        return std::nullopt;
    return it->second;
}

void CommissionLedger::restore(const Commission &commission)
{
    {
        const std::unique_lock lock(m_orderMutex);
        m_byOrder[commission.orderId] = commission.id;
        m_nextId = std::max(m_nextId, commission.id + 1);
    }
    Shard &shard = shardOf(commission.id);
    const std::lock_guard lock(shard.mutex);
    shard.byId[commission.id] = commission;
}

std::vector<Commission> CommissionLedger::list(const Filter &filter) const
{
    std::vector<Commission> out;
    for (const Shard &shard : m_shards) {
        const std::lock_guard lock(shard.mutex);
        for (const auto &[id, c] : shard.byId) {
            if (filter.beforeId != 0 && id >= filter.beforeId)
                break;
            if (!filter.states.empty() &&
                std::find(filter.states.begin(), filter.states.end(), c.state) == filter.states.end())
                continue;
            if (filter.uid != 0 && c.buyerUid != filter.uid && c.level1Uid != filter.uid && c.level2Uid != filter.uid)
                continue;
            out.push_back(c);
        }
    }
    std::sort(out.begin(), out.end(), [](const Commission &a, const Commission &b) { return a.id > b.id; });
    if (out.size() > filter.limit)
        out.resize(filter.limit);
    return out;
}

std::map<CommissionState, CommissionLedger::Totals> CommissionLedger::totals() const
{
    std::map<CommissionState, Totals> out;
    for (const Shard &shard : m_shards) {
        const std::lock_guard lock(shard.mutex);
        for (const auto &[id, c] : shard.byId) {
            Totals &t = out[c.state];
            ++t.count;
            t.level1 = Money(t.level1.minorUnits() + c.level1Amount.minorUnits());
            t.level2 = Money(t.level2.minorUnits() + c.level2Amount.minorUnits());
        }
    }
    return out;
}

std::unordered_map<std::int64_t, Money> CommissionLedger::earnedBy(const std::unordered_set<std::int64_t> &uids) const
{
    std::unordered_map<std::int64_t, Money> earned;
    const auto add = [&](std::int64_t uid, Money amount) {
        if (uid != 0 && amount.minorUnits() != 0 && uids.contains(uid))
            earned[uid] = Money(earned[uid].minorUnits() + amount.minorUnits());
    };
    for (const Shard &shard : m_shards) {
        const std::lock_guard lock(shard.mutex);
        for (const auto &[id, c] : shard.byId) {
            add(c.level1Uid, c.level1Amount);
            add(c.level2Uid, c.level2Amount);
        }
    }
    return earned;
}

Money CommissionLedger::earnedBy(std::int64_t uid) const
{
    const auto earned = earnedBy(std::unordered_set<std::int64_t>{uid});
    const auto it = earned.find(uid);
    return it == earned.end() ? Money(0) : it->second;
}

} // namespace flywheel::referral
