#pragma once

#include "domain/audit/Entry.h"
#include "domain/Catalog.h"
#include "domain/referral/CommissionLedger.h"
#include "domain/referral/Funnel.h"
#include "domain/referral/InviteGraph.h"
#include "storage/DocumentStore.h"
#include "storage/StoreCommon.h"

#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace flywheel {

using StoredProgram = StoredVersion;

/// The DocumentStore area of referral programmes.
inline constexpr const char *kReferralArea = "referral";

/// A user's invite link for a campaign and channel.
struct StoredInviteLink {
    std::string code;
    std::int64_t inviterUid = 0;
    std::string campaignId;
    std::string channel;
    TimePoint createdAt;
};

/// One referral change to store with the others of its batch. Exactly one member is set.
struct ReferralWrite {
    std::optional<StoredInviteLink> link;
    /// A used invite token: jti and expiry (Unix seconds). The database refuses a jti twice.
    std::optional<std::pair<std::string, std::int64_t>> usedJti;
    /// A registration through an invite, with the rewards granted (minor units).
    std::optional<referral::Binding> binding;
    /// With a binding: the new user (device, region; install channel "invite").
    std::optional<User> newUser;
    Money inviterReward;
    Money inviteeReward;
    /// A new pending commission.
    std::optional<referral::Commission> newCommission;
    /// A commission after a transition from `from`. Stored only when the stored
    /// state is `from`; each state is reached at most once (the database enforces it).
    std::optional<referral::Commission> transitioned;
    referral::CommissionState from = referral::CommissionState::Pending;
    /// An operator's change (a commission transition from the admin API): appended
    /// to the audit log in the same transaction as the write, and only when the
    /// write is stored, so the change and its entry are kept together or not at all.
    std::optional<audit::Entry> audit;
};

/// Everything referral keeps, as loaded at start.
struct ReferralState {
    std::vector<StoredInviteLink> links;
    std::vector<std::pair<std::string, std::int64_t>> usedJtis;
    std::vector<referral::Binding> bindings;
    std::vector<referral::Commission> commissions;
    std::vector<std::tuple<std::string, std::string, referral::FunnelStep, std::int64_t>> funnel;
    std::vector<std::tuple<std::int64_t, referral::Refusal, std::int64_t>> refusals;
};

/// Referral: programme versions, invite links, used invite tokens, bindings,
/// commissions and the funnel counts.
class ReferralStore : public virtual DocumentStore {
public:
    /// Referral programmes: the document of area "referral", written through DocumentStore.
    std::optional<StoredProgram> program(std::int64_t version) { return documentVersion(kReferralArea, version); }
    std::vector<StoredProgram> programs(int limit) { return documentVersions(kReferralArea, limit); }
    /// Stores a batch of referral changes in one transaction. Per write: nothing, or
    /// why that write was refused (a commission not in the expected state, a jti used
    /// before); a refused write changes nothing and the others are stored. Throws
    /// StorageError when the transaction fails (then nothing is stored).
    virtual std::vector<std::optional<std::string>> appendReferral(const std::vector<ReferralWrite> &writes) = 0;
    /// Adds funnel and refusal counts, in one transaction.
    virtual void addFunnelCounts(const referral::Funnel::Changes &changes) = 0;
    /// Links, bindings, commissions and counts; used jtis expiring at or after
    /// `jtiFrom` (Unix seconds).
    virtual ReferralState loadReferral(std::int64_t jtiFrom) = 0;
    virtual std::optional<referral::Commission> loadCommission(std::int64_t id) = 0;
    /// Deletes used jtis that expired before `before` (Unix seconds); returns how many.
    virtual std::int64_t purgeUsedJtis(std::int64_t before) = 0;
};

} // namespace flywheel
