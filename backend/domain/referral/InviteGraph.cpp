#include "domain/referral/InviteGraph.h"

#include <mutex>

namespace flywheel::referral {

std::optional<InviteGraph::Problem> InviteGraph::checkLocked(std::int64_t uid, std::int64_t inviterUid) const
{
    if (uid == inviterUid)
        return Problem::SelfInvite;
    if (m_bindings.contains(uid))
        return Problem::AlreadyBound;
    std::int64_t up = inviterUid;
    for (int depth = 0; depth < kMaxDepth; ++depth) {
        const auto it = m_bindings.find(up);
        if (it == m_bindings.end())
            return std::nullopt;
        up = it->second.inviterUid;
        if (up == uid)
            return Problem::Cycle;
    }
    return Problem::Cycle;
}

std::optional<InviteGraph::Problem> InviteGraph::check(std::int64_t uid, std::int64_t inviterUid) const
{
    const std::shared_lock lock(m_mutex);
    return checkLocked(uid, inviterUid);
}

std::optional<InviteGraph::Problem> InviteGraph::bind(const Binding &binding)
{
    const std::unique_lock lock(m_mutex);
    if (auto problem = checkLocked(binding.uid, binding.inviterUid))
        return problem;
    m_bindings.emplace(binding.uid, binding);
    m_invitees[binding.inviterUid].push_back(binding.uid);
    return std::nullopt;
}

void InviteGraph::unbind(std::int64_t uid)
{
    const std::unique_lock lock(m_mutex);
    const auto it = m_bindings.find(uid);
    if (it == m_bindings.end())
        return;
    auto &siblings = m_invitees[it->second.inviterUid];
    std::erase(siblings, uid);
    m_bindings.erase(it);
}

void InviteGraph::restore(const Binding &binding)
{
    const std::unique_lock lock(m_mutex);
    if (m_bindings.emplace(binding.uid, binding).second)
        m_invitees[binding.inviterUid].push_back(binding.uid);
}

std::optional<Binding> InviteGraph::bindingOf(std::int64_t uid) const
{
    const std::shared_lock lock(m_mutex);
    const auto it = m_bindings.find(uid);
    if (it == m_bindings.end())
        return std::nullopt;
    return it->second;
}

std::int64_t InviteGraph::inviterOf(std::int64_t uid) const
{
    const std::shared_lock lock(m_mutex);
    const auto it = m_bindings.find(uid);
    return it == m_bindings.end() ? 0 : it->second.inviterUid;
}

std::vector<Binding> InviteGraph::inviteesOf(std::int64_t uid) const
{
    const std::shared_lock lock(m_mutex);
    std::vector<Binding> out;
    if (const auto it = m_invitees.find(uid); it != m_invitees.end()) {
        out.reserve(it->second.size());
        for (const std::int64_t invitee : it->second)
            out.push_back(m_bindings.at(invitee));
    }
    return out;
}

} // namespace flywheel::referral
