#pragma once

#include "domain/Clock.h"

#include <cstdint>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace flywheel::referral {

/// One user registered through an invite.
struct Binding {
    std::int64_t uid = 0;
    std::int64_t inviterUid = 0;
    TimePoint registeredAt;
    std::string campaignId;
    std::string channel;
    std::string jti;
};

/// Who invited whom. Thread-safe (readers share, binding excludes).
class InviteGraph final {
public:
    /// The checks before binding: self-invite, or `uid` already upstream of
    /// `inviterUid` (a cycle), or `uid` already bound. Returns a message naming the
    /// users, or nothing.
    enum class Problem { SelfInvite, Cycle, AlreadyBound };
    std::optional<Problem> check(std::int64_t uid, std::int64_t inviterUid) const;
    /// Binds after the same checks, atomically with them.
    std::optional<Problem> bind(const Binding &binding);
    /// Takes back a binding that could not be stored.
    void unbind(std::int64_t uid);
    /// Loading from the database: no checks.
    void restore(const Binding &binding);

    std::optional<Binding> bindingOf(std::int64_t uid) const;
    /// The inviter of uid, 0 when none.
    std::int64_t inviterOf(std::int64_t uid) const;
    /// Users uid invited, in the order they registered.
    std::vector<Binding> inviteesOf(std::int64_t uid) const;

    /// How far up the chain checks look; a chain longer than this is refused as a cycle
    /// would be, since no programme pays that deep.
    static constexpr int kMaxDepth = 64;

private:
    std::optional<Problem> checkLocked(std::int64_t uid, std::int64_t inviterUid) const;

    mutable std::shared_mutex m_mutex;
    std::unordered_map<std::int64_t, Binding> m_bindings;
    std::unordered_map<std::int64_t, std::vector<std::int64_t>> m_invitees;
};

} // namespace flywheel::referral
