#pragma once

#include "domain/Clock.h"
#include "domain/referral/ClickLimiter.h"
#include "domain/referral/CommissionLedger.h"
#include "domain/referral/Funnel.h"
#include "domain/referral/InviteGraph.h"
#include "domain/referral/JtiRegistry.h"
#include "domain/referral/Program.h"
#include "domain/Result.h"
#include "referral/InviteTokens.h"
#include "storage/ReferralStore.h"
#include "versioning/VersionedDocument.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace flywheel::referral {

/// An issued invite token.
struct IssuedToken {
    std::string token;
    std::int64_t inviterUid = 0;
    TimePoint expiresAt;
    std::string jti;
};

struct Registration {
    Binding binding;
    std::int64_t level2Uid = 0;
    Money inviterReward;
    Money inviteeReward;
};

/// A refusal with its reason counted (docs/referral.md); code is ResourceExhausted,
/// FailedPrecondition or Unauthenticated-like (see the service).
struct Refused {
    Refusal reason;
    Error error;
};

/// The referral side of one backend: invite links and tokens, anti-fraud, the invite
/// graph, the commission ledger and the funnel, with their persistence.
///
/// Changes that must be durable before they are acknowledged (links, registrations,
/// commission transitions) go through a writer thread that stores everything queued
/// in one transaction (group commit) and then calls each caller back, on that
/// thread. Funnel and refusal counts are written once a second.
class ReferralManager final {
public:
    struct Hooks {
        /// When uid registered; nullopt when unknown.
        std::function<std::optional<TimePoint>(std::int64_t uid)> registeredAt;
        /// Whole days since uid was last active; nullopt when unknown.
        std::function<std::optional<int>(std::int64_t uid)> daysSinceActive;
        /// A user registered through an invite (after it is durable).
        std::function<void(const User &user)> registered;
        /// uid shared an invite (RecordShare accepted), at the clock's time.
        std::function<void(std::int64_t uid, TimePoint at)> shared;
        /// A commission was created for a paid order (before it is stored).
        std::function<void(const Commission &commission)> commissionCreated;
        /// For metrics; each optional. A click that issued a token; a click or
        /// registration refused, with why; a commission moved (once stored) to `to`;
        /// a commission transition refused (illegal, or by the database's guard).
        std::function<void()> clicked;
        std::function<void(Refusal reason)> refused;
        std::function<void(CommissionState to)> commissionMoved;
        std::function<void()> commissionRefused;
    };

    /// Without a secret, invites are off: clicks and registrations are refused.
    ReferralManager(ReferralStore &store, const Clock &clock, std::optional<std::string> secret, Hooks hooks);
    ~ReferralManager();
    ReferralManager(const ReferralManager &) = delete;
    ReferralManager &operator=(const ReferralManager &) = delete;

    /// Loads everything, installs the default programme as version 1 when there is
    /// none, starts the writer and the flusher. Throws StorageError.
    void start();
    /// Drains the writer, writes the counts, stops. Idempotent.
    void stop();

    bool invitesEnabled() const { return m_tokens != nullptr; }

    // --- the storefront ---
    using LinkDone = std::function<void(Result<StoredInviteLink>)>;
    void inviteLink(std::int64_t uid, std::string campaignId, std::string channel, LinkDone done);
    /// Anti-fraud and a token; synchronous (nothing to store).
    std::variant<IssuedToken, Refused, Error> click(const std::string &code, std::int64_t visitorUid,
                                                    const std::string &ip, const std::string &device);
    using RegisterDone = std::function<void(std::variant<Registration, Refused, Error>)>;
    /// `device` is "ios", "android" or "web"; region may be empty.
    void registerWithInvite(const std::string &token, std::int64_t uid, const std::string &device,
                            const std::string &region, RegisterDone done);
    Result<bool> share(std::int64_t uid, const std::string &campaignId, const std::string &channel);

    // --- the order path (from the order writer's commit listener) ---
    void orderPaid(std::int64_t orderId, std::int64_t buyerUid, Money total, TimePoint at);
    void orderRefunded(std::int64_t orderId);

    // --- the console ---
    std::pair<Program, std::int64_t> program() const;
    std::optional<StoredProgram> storedProgram(std::int64_t version);
    std::vector<StoredProgram> programVersions(int limit);
    /// `program` as a new version when `baseVersion` is still current; audited with `actor`.
    Result<StoredProgram> saveProgram(std::int64_t baseVersion, const Program &program, const std::string &reason,
                                      const audit::Actor &actor);
    /// The programme as a versioned document (area "referral"), for the DocumentRegistry.
    versioning::Document &document() { return m_document; }

    using TransitionDone = std::function<void(std::vector<Result<Commission>>)>;
    /// With `actor` (an operator's call from the admin API) each stored transition is
    /// an audit entry (area "commissions"), written in the same transaction.
    void transition(std::vector<std::int64_t> ids, CommissionState to, std::optional<audit::Actor> actor,
                    TransitionDone done);

    const CommissionLedger &ledger() const { return m_ledger; }
    const InviteGraph &graph() const { return m_graph; }
    const Funnel &funnel() const { return m_funnel; }
    /// Paid orders and their total per buyer, since start or from the commissions.
    std::pair<std::int64_t, Money> paidBy(std::int64_t uid) const;

    /// Campaign and channel ids: [a-z0-9_-]{1,40}.
    static bool validId(const std::string &id);

private:
    struct Pending {
        ReferralWrite write;
        std::function<void(std::optional<std::string> refused, std::optional<std::string> failed)> done;
    };
    void submit(std::vector<Pending> items);
    void writerLoop();
    void flusherLoop();
    void flushCounts();
    Refused refuse(Refusal reason, ErrorCode code, std::string message);
    std::string newCode();

    ReferralStore &m_store;
    const Clock &m_clock;
    Hooks m_hooks;
    std::unique_ptr<InviteTokens> m_tokens;

    mutable std::mutex m_programMutex;
    Program m_program;
    std::int64_t m_programVersion = 0;

    ClickLimiter m_limiter;
    JtiRegistry m_jtis;
    InviteGraph m_graph;
    CommissionLedger m_ledger;
    Funnel m_funnel;

    mutable std::mutex m_linksMutex;
    std::unordered_map<std::string, StoredInviteLink> m_links; // by code
    std::map<std::tuple<std::int64_t, std::string, std::string>, std::string>
        m_codes; // (uid, campaign, channel) → code

    mutable std::mutex m_paidMutex;
    std::unordered_map<std::int64_t, std::pair<std::int64_t, Money>> m_paid; // referred buyer → orders, total

    std::mutex m_queueMutex;
    std::condition_variable m_queueWake;
    std::condition_variable m_flusherWake;
    std::deque<Pending> m_queue;
    bool m_stopping = false;
    std::thread m_writer;
    std::thread m_flusher;
    std::mutex m_flushMutex;
    /// Last: its install hook uses the members above.
    versioning::VersionedDocument<Program> m_document;
};

} // namespace flywheel::referral
