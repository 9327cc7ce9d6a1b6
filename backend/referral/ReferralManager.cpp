#include "referral/ReferralManager.h"

#include "common/Log.h"
#include "referral/ProgramYaml.h"

#include <openssl/rand.h>

#include <string>

namespace flywheel::referral {

namespace {

constexpr auto kFlushEvery = std::chrono::seconds(1);
constexpr std::size_t kMaxBatch = 5000;

std::int64_t unixSeconds(TimePoint t)
{
    return toEpochMs(t) / 1000;
}

versioning::DocumentSpec programSpec()
{
    return versioning::DocumentSpec{
        kReferralArea, "programme", "the programme changes", [](std::int64_t base, std::int64_t current) {
            return "the programme was changed meanwhile: version " + std::to_string(current) + " is current, not " +
                   std::to_string(base) + "; reload and apply your changes again";
        }};
}

versioning::Codec<Program> programCodec()
{
    versioning::Codec<Program> codec;
    codec.parse = [](const std::string &yaml, const std::string &where) -> Result<Program> {
        auto parsed = programFromYaml(yaml, where);
        if (const auto *error = std::get_if<common::YamlError>(&parsed))
            return Error{ErrorCode::InvalidArgument, "cannot read " + error->describe()};
        return std::get<Program>(std::move(parsed));
    };
    codec.validate = [](const Program &program) -> std::optional<Error> {
        if (auto error = validate(program))
            return Error{ErrorCode::InvalidArgument, *error};
        return std::nullopt;
    };
    codec.emit = [](const Program &program) { return programToYaml(program); };
    return codec;
}

} // namespace

ReferralManager::ReferralManager(ReferralStore &store, const Clock &clock, std::optional<std::string> secret,
                                 Hooks hooks)
    : m_store(store), m_clock(clock), m_hooks(std::move(hooks)),
      m_document(store, clock, programSpec(), programCodec(), [this](Program program, const StoredProgram &stored) {
          const std::lock_guard lock(m_programMutex);
          m_program = std::move(program);
          m_programVersion = stored.version;
      })
{
    if (secret)
        m_tokens = std::make_unique<InviteTokens>(std::move(*secret));
}

ReferralManager::~ReferralManager()
{
    stop();
}

bool ReferralManager::validId(const std::string &id)
{
    if (id.empty() || id.size() > 40)
        return false;
    for (const char c : id) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

void ReferralManager::start()
{
    if (!m_document.open()) {
        const auto installed = m_document.replace(Program{}, programToYaml(Program{}), "the default referral programme",
                                                  "initial", std::nullopt);
        if (!installed.ok())
            throw StorageError(installed.error().message);
    }
    const TimePoint now = m_clock.now();
    ReferralState state = m_store.loadReferral(unixSeconds(now) - 3600);
    for (StoredInviteLink &link : state.links) {
        m_codes[{link.inviterUid, link.campaignId, link.channel}] = link.code;
        m_links.emplace(link.code, std::move(link));
    }
    for (auto &[jti, exp] : state.usedJtis)
        m_jtis.restore(std::move(jti), exp);
    for (const Binding &b : state.bindings)
        m_graph.restore(b);
    for (const Commission &c : state.commissions) {
        m_ledger.restore(c);
        auto &[orders, total] = m_paid[c.buyerUid];
        ++orders;
        total = Money(total.minorUnits() + c.orderTotal.minorUnits());
    }
    for (const auto &[campaign, channel, step, n] : state.funnel)
        m_funnel.restore(step, campaign, channel, n);
    for (const auto &[minute, reason, n] : state.refusals)
        m_funnel.restoreRefusals(minute, reason, n);
    m_funnel.pruneMinutes(now);

    m_stopping = false;
    m_writer = std::thread([this] { writerLoop(); });
    m_flusher = std::thread([this] { flusherLoop(); });
}

void ReferralManager::stop()
{
    {
        const std::lock_guard lock(m_queueMutex);
        if (!m_writer.joinable())
            return;
        m_stopping = true;
    }
    m_queueWake.notify_all();
    m_flusherWake.notify_all();
    m_writer.join();
    m_flusher.join();
    try {
        flushCounts();
    } catch (const StorageError &e) {
        common::Log::error(std::string("the last referral counts could not be saved: ") + e.what());
    }
}

// --- persistence ---

void ReferralManager::submit(std::vector<Pending> items)
{
    {
        const std::lock_guard lock(m_queueMutex);
        if (m_stopping) {
            for (Pending &p : items)
                p.done(std::nullopt, "the backend is shutting down");
            return;
        }
        for (Pending &p : items)
            m_queue.push_back(std::move(p));
    }
    m_queueWake.notify_one();
}

void ReferralManager::writerLoop()
{
    for (;;) {
        std::vector<Pending> batch;
        {
            std::unique_lock lock(m_queueMutex);
            m_queueWake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping, and everything is written
            while (!m_queue.empty() && batch.size() < kMaxBatch) {
                batch.push_back(std::move(m_queue.front()));
                m_queue.pop_front();
            }
        }
        std::vector<ReferralWrite> writes;
        writes.reserve(batch.size());
        for (const Pending &p : batch)
            writes.push_back(p.write);
        try {
            const auto results = m_store.appendReferral(writes);
            for (std::size_t i = 0; i < batch.size(); ++i)
                batch[i].done(results[i], std::nullopt);
        } catch (const StorageError &e) {
            for (Pending &p : batch)
                p.done(std::nullopt, e.what());
        }
    }
}

void ReferralManager::flusherLoop()
{
    auto nextPurge = std::chrono::steady_clock::now() + std::chrono::hours(1);
    std::unique_lock lock(m_queueMutex);
    while (!m_stopping) {
        m_flusherWake.wait_for(lock, kFlushEvery, [this] { return m_stopping; });
        if (m_stopping)
            break;
        lock.unlock();
        try {
            flushCounts();
            if (std::chrono::steady_clock::now() >= nextPurge) {
                const std::int64_t now = unixSeconds(m_clock.now());
                m_jtis.purge(now - 3600);
                m_store.purgeUsedJtis(now - 3600);
                m_limiter.purge(m_clock.now(), std::chrono::hours(24));
                nextPurge = std::chrono::steady_clock::now() + std::chrono::hours(1);
            }
        } catch (const StorageError &e) {
            common::Log::error(std::string("referral counts could not be saved (will retry): ") + e.what());
        }
        lock.lock();
    }
}

void ReferralManager::flushCounts()
{
    const std::lock_guard lock(m_flushMutex);
    const Funnel::Changes changes = m_funnel.takeChanges();
    try {
        m_store.addFunnelCounts(changes);
    } catch (const StorageError &) {
        m_funnel.returnChanges(changes);
        throw;
    }
}

// --- invites ---

std::string ReferralManager::newCode()
{
    static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
    unsigned char bytes[10];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        throw std::runtime_error("no random bytes for an invite code");
    std::string code;
    for (const unsigned char b : bytes)
        code += kAlphabet[b % (sizeof kAlphabet - 1)];
    return code;
}

void ReferralManager::inviteLink(std::int64_t uid, std::string campaignId, std::string channel, LinkDone done)
{
    if (campaignId.empty())
        campaignId = "default";
    if (channel.empty())
        channel = "link";
    if (uid <= 0)
        return done(Error{ErrorCode::InvalidArgument, "uid must be a positive user id, not " + std::to_string(uid)});
    if (!validId(campaignId))
        return done(Error{ErrorCode::InvalidArgument,
                          "campaign_id must be 1 to 40 of a-z, 0-9, _ and -, not \"" + campaignId + "\""});
    if (!validId(channel))
        return done(
            Error{ErrorCode::InvalidArgument, "channel must be 1 to 40 of a-z, 0-9, _ and -, not \"" + channel + "\""});
    StoredInviteLink link{"", uid, campaignId, channel, m_clock.now()};
    {
        const std::lock_guard lock(m_linksMutex);
        if (const auto it = m_codes.find({uid, campaignId, channel}); it != m_codes.end())
            return done(m_links.at(it->second));
        do {
            link.code = newCode();
        } while (m_links.contains(link.code));
        m_codes[{uid, campaignId, channel}] = link.code;
        m_links.emplace(link.code, link);
    }
    Pending p;
    p.write.link = link;
    p.done = [this, link, done = std::move(done)](std::optional<std::string> refused,
                                                  std::optional<std::string> failed) {
        if (!refused && !failed)
            return done(link);
        {
            const std::lock_guard lock(m_linksMutex);
            m_codes.erase({link.inviterUid, link.campaignId, link.channel});
            m_links.erase(link.code);
        }
        done(Error{failed ? ErrorCode::Unavailable : ErrorCode::Internal,
                   "the invite link could not be stored: " + (failed ? *failed : *refused)});
    };
    std::vector<Pending> items;
    items.push_back(std::move(p));
    submit(std::move(items));
}

Refused ReferralManager::refuse(Refusal reason, ErrorCode code, std::string message)
{
    m_funnel.refuse(reason, m_clock.now());
    if (m_hooks.refused)
        m_hooks.refused(reason);
    return Refused{reason, Error{code, std::move(message)}};
}

std::variant<IssuedToken, Refused, Error> ReferralManager::click(const std::string &code, std::int64_t visitorUid,
                                                                 const std::string &ip, const std::string &device)
{
    if (!m_tokens)
        return Error{ErrorCode::FailedPrecondition,
                     "invites are off: the backend was started without an invite secret (--invite-secret-file)"};
    if (visitorUid <= 0)
        return Error{ErrorCode::InvalidArgument,
                     "visitor_uid must be a positive user id, not " + std::to_string(visitorUid)};
    if (ip.empty() || ip.size() > 64)
        return Error{ErrorCode::InvalidArgument, "ip must be the client's address (1 to 64 characters)"};
    if (device.empty() || device.size() > 256)
        return Error{ErrorCode::InvalidArgument, "device_fingerprint must be 1 to 256 characters"};
    StoredInviteLink link;
    {
        const std::lock_guard lock(m_linksMutex);
        const auto it = m_links.find(code);
        if (it == m_links.end())
            return Error{ErrorCode::NotFound, "there is no invite link with the code \"" + code + "\""};
        link = it->second;
    }
    const std::int64_t inviter = link.inviterUid;
    const auto [program, version] = this->program();
    const TimePoint now = m_clock.now();
    if (visitorUid == inviter)
        return refuse(Refusal::SelfInvite, ErrorCode::FailedPrecondition,
                      "self-invite: user " + std::to_string(inviter) + " followed their own invite link");
    if (const auto problem = m_graph.check(visitorUid, inviter)) {
        if (*problem == InviteGraph::Problem::Cycle)
            return refuse(Refusal::Cycle, ErrorCode::FailedPrecondition,
                          "invitation cycle: user " + std::to_string(visitorUid) + " is upstream of inviter " +
                              std::to_string(inviter));
        if (*problem == InviteGraph::Problem::AlreadyBound)
            return Error{ErrorCode::FailedPrecondition, "user " + std::to_string(visitorUid) +
                                                            " was invited already, by user " +
                                                            std::to_string(m_graph.inviterOf(visitorUid))};
    }
    std::optional<TimePoint> registered;
    if (const auto binding = m_graph.bindingOf(inviter))
        registered = binding->registeredAt; // to the millisecond
    else if (m_hooks.registeredAt)
        registered = m_hooks.registeredAt(inviter);
    const auto minAge = std::chrono::hours(program.minInviterAgeHours);
    if (!registered || now - *registered < minAge)
        return refuse(Refusal::InviterTooNew, ErrorCode::FailedPrecondition,
                      "inviter " + std::to_string(inviter) +
                          (registered
                               ? " registered less than " + std::to_string(program.minInviterAgeHours) + " hours ago"
                               : " is not a registered user"));
    const std::optional<int> idle = m_hooks.daysSinceActive ? m_hooks.daysSinceActive(inviter) : std::nullopt;
    if (!idle || *idle > program.inviterActiveWithinDays)
        return refuse(Refusal::InviterInactive, ErrorCode::FailedPrecondition,
                      "inviter " + std::to_string(inviter) + " has not been active within " +
                          std::to_string(program.inviterActiveWithinDays) + " days");
    const ClickLimiter::Limits limits{program.maxClicksPerIpPerHour, std::chrono::hours(1),
                                      program.maxClicksPerDevicePerDay, std::chrono::hours(24)};
    if (const auto limited = m_limiter.admit(ip, device, now, limits)) {
        if (*limited == Refusal::IpLimit)
            return refuse(Refusal::IpLimit, ErrorCode::ResourceExhausted,
                          "too many invite requests from IP " + ip + ": at most " +
                              std::to_string(program.maxClicksPerIpPerHour) + " per hour");
        return refuse(Refusal::DeviceLimit, ErrorCode::ResourceExhausted,
                      "too many invite requests from this device: at most " +
                          std::to_string(program.maxClicksPerDevicePerDay) + " per day");
    }
    InviteClaims claims;
    claims.uid = visitorUid;
    claims.inviterId = inviter;
    claims.inviteTime = unixSeconds(now);
    claims.exp = claims.inviteTime + std::int64_t{program.tokenTtlHours} * 3600;
    claims.jti = InviteTokens::newJti();
    claims.ref = link.code;
    IssuedToken issued{m_tokens->issue(claims), inviter, fromEpochMs(claims.exp * 1000), claims.jti};
    m_funnel.record(FunnelStep::Click, link.campaignId, link.channel);
    if (m_hooks.clicked)
        m_hooks.clicked();
    return issued;
}

void ReferralManager::registerWithInvite(const std::string &token, std::int64_t uid, const std::string &device,
                                         const std::string &region, RegisterDone done)
{
    if (!m_tokens)
        return done(Error{ErrorCode::FailedPrecondition,
                          "invites are off: the backend was started without an invite secret (--invite-secret-file)"});
    if (uid <= 0)
        return done(Error{ErrorCode::InvalidArgument, "uid must be a positive user id, not " + std::to_string(uid)});
    User user{uid, {}, DeviceType::Web, region, "invite"};
    if (!parseDeviceType(device, user.device))
        return done(Error{ErrorCode::InvalidArgument, "device must be ios, android or web, not \"" + device + "\""});
    if (region.size() > 64)
        return done(Error{ErrorCode::InvalidArgument, "region must be at most 64 characters"});
    const auto [program, version] = this->program();
    const TimePoint now = m_clock.now();
    user.registeredAt = now;
    auto verified = m_tokens->verify(token, unixSeconds(now), program.clockLeewaySeconds);
    if (const auto *refusal = std::get_if<TokenRefusal>(&verified)) {
        const Refusal reason = refusal->reason == kExpiredToken ? Refusal::ExpiredToken : Refusal::InvalidToken;
        return done(refuse(reason, ErrorCode::Unauthenticated, refusal->message));
    }
    const InviteClaims claims = std::get<InviteClaims>(std::move(verified));
    if (claims.uid != uid)
        return done(refuse(Refusal::InvalidToken, ErrorCode::Unauthenticated,
                           "the invite token was issued for user " + std::to_string(claims.uid) + ", not " +
                               std::to_string(uid)));
    if (m_hooks.registeredAt && m_hooks.registeredAt(uid) && !m_graph.bindingOf(uid))
        return done(Error{ErrorCode::FailedPrecondition,
                          "user " + std::to_string(uid) + " is registered already; invites are for new users"});
    if (!m_jtis.claim(claims.jti, claims.exp))
        return done(refuse(Refusal::ReplayedToken, ErrorCode::Unauthenticated,
                           "the invite token " + claims.jti + " was used before"));
    StoredInviteLink link{claims.ref, claims.inviterId, "default", "link", now};
    {
        const std::lock_guard lock(m_linksMutex);
        if (const auto it = m_links.find(claims.ref); it != m_links.end())
            link = it->second;
    }
    Binding binding{uid, claims.inviterId, now, link.campaignId, link.channel, claims.jti};
    if (const auto problem = m_graph.bind(binding)) {
        if (*problem == InviteGraph::Problem::AlreadyBound)
            return done(Error{ErrorCode::FailedPrecondition, "user " + std::to_string(uid) +
                                                                 " was invited already, by user " +
                                                                 std::to_string(m_graph.inviterOf(uid))});
        return done(refuse(*problem == InviteGraph::Problem::SelfInvite ? Refusal::SelfInvite : Refusal::Cycle,
                           ErrorCode::FailedPrecondition,
                           *problem == InviteGraph::Problem::SelfInvite
                               ? "self-invite: user " + std::to_string(uid) + " cannot invite themselves"
                               : "invitation cycle: user " + std::to_string(uid) + " is upstream of inviter " +
                                     std::to_string(claims.inviterId)));
    }
    Registration registration{binding, m_graph.inviterOf(claims.inviterId), program.inviterReward,
                              program.inviteeReward};
    // Both writes or neither: the second's callback decides, the first's only notes.
    auto outcome = std::make_shared<std::optional<std::string>>();
    std::vector<Pending> items(2);
    items[0].write.usedJti = std::make_pair(claims.jti, claims.exp);
    items[0].done = [outcome](std::optional<std::string> refused, std::optional<std::string> failed) {
        if (refused || failed)
            *outcome = failed ? *failed : *refused;
    };
    items[1].write.binding = binding;
    items[1].write.newUser = user;
    items[1].write.inviterReward = program.inviterReward;
    items[1].write.inviteeReward = program.inviteeReward;
    items[1].done = [this, outcome, registration, user, done = std::move(done)](std::optional<std::string> refused,
                                                                                std::optional<std::string> failed) {
        if (failed || refused || *outcome) {
            m_graph.unbind(registration.binding.uid);
            if (failed)
                return done(Error{ErrorCode::Unavailable, "the registration could not be stored: " + *failed});
            return done(refuse(Refusal::ReplayedToken, ErrorCode::Unauthenticated,
                               "the invite token was used before: " + (refused ? *refused : **outcome)));
        }
        m_funnel.record(FunnelStep::Register, registration.binding.campaignId, registration.binding.channel);
        if (m_hooks.registered)
            m_hooks.registered(user);
        done(registration);
    };
    submit(std::move(items));
}

Result<bool> ReferralManager::share(std::int64_t uid, const std::string &campaignId, const std::string &channel)
{
    const std::string campaign = campaignId.empty() ? "default" : campaignId;
    const std::string via = channel.empty() ? "link" : channel;
    if (uid <= 0)
        return Error{ErrorCode::InvalidArgument, "uid must be a positive user id, not " + std::to_string(uid)};
    if (!validId(campaign))
        return Error{ErrorCode::InvalidArgument,
                     "campaign_id must be 1 to 40 of a-z, 0-9, _ and -, not \"" + campaign + "\""};
    if (!validId(via))
        return Error{ErrorCode::InvalidArgument, "channel must be 1 to 40 of a-z, 0-9, _ and -, not \"" + via + "\""};
    m_funnel.record(FunnelStep::Share, campaign, via);
    if (m_hooks.shared)
        m_hooks.shared(uid, m_clock.now());
    return true;
}

// --- orders ---

void ReferralManager::orderPaid(std::int64_t orderId, std::int64_t buyerUid, Money total, TimePoint at)
{
    const auto binding = m_graph.bindingOf(buyerUid);
    if (!binding || binding->registeredAt > at)
        return;
    bool first = false;
    {
        const std::lock_guard lock(m_paidMutex);
        auto &[orders, sum] = m_paid[buyerUid];
        first = orders == 0;
        ++orders;
        sum = Money(sum.minorUnits() + total.minorUnits());
    }
    if (first)
        m_funnel.record(FunnelStep::FirstOrder, binding->campaignId, binding->channel);
    const auto [program, version] = this->program();
    Commission pending;
    pending.orderId = orderId;
    pending.buyerUid = buyerUid;
    pending.level1Uid = binding->inviterUid;
    pending.level2Uid = m_graph.inviterOf(binding->inviterUid);
    pending.orderTotal = total;
    pending.level1RateBp = program.level1RateBp;
    pending.level2RateBp = program.level2RateBp;
    pending.programVersion = version;
    pending.createdAt = at;
    const auto created = m_ledger.create(pending);
    if (!created)
        return;
    if (m_hooks.commissionCreated)
        m_hooks.commissionCreated(*created);
    std::vector<Pending> items(1);
    items[0].write.newCommission = *created;
    items[0].done = [orderId](std::optional<std::string> refused, std::optional<std::string> failed) {
        if (refused || failed)
            common::Log::error("the commission of order " + std::to_string(orderId) +
                               " could not be stored: " + (failed ? *failed : *refused));
    };
    submit(std::move(items));
}

void ReferralManager::orderRefunded(std::int64_t orderId)
{
    const auto commission = m_ledger.forOrder(orderId);
    if (!commission || !isLegal(commission->state, CommissionState::Reversed))
        return; // none, or settled already: a settled commission stays paid
    transition({commission->id}, CommissionState::Reversed, std::nullopt, [orderId](std::vector<Result<Commission>> results) {
        if (!results.front().ok())
            common::Log::error("the commission of refunded order " + std::to_string(orderId) +
                               " was not reversed: " + results.front().error().message);
    });
}

std::pair<std::int64_t, Money> ReferralManager::paidBy(std::int64_t uid) const
{
    const std::lock_guard lock(m_paidMutex);
    const auto it = m_paid.find(uid);
    return it == m_paid.end() ? std::pair<std::int64_t, Money>{0, Money(0)} : it->second;
}

// --- programme ---

std::pair<Program, std::int64_t> ReferralManager::program() const
{
    const std::lock_guard lock(m_programMutex);
    return {m_program, m_programVersion};
}

std::optional<StoredProgram> ReferralManager::storedProgram(std::int64_t version)
{
    return m_store.program(version);
}

std::vector<StoredProgram> ReferralManager::programVersions(int limit)
{
    return m_store.programs(limit);
}

Result<StoredProgram> ReferralManager::saveProgram(std::int64_t baseVersion, const Program &program,
                                                   const std::string &reason, const audit::Actor &actor)
{
    return m_document.save(baseVersion, program, reason, actor);
}

// --- commissions ---

namespace {

/// A commission's state as the audit log shows it.
std::string stateJson(CommissionState state)
{
    return std::string("{\"state\":\"") + commissionStateName(state) + "\"}";
}

} // namespace

void ReferralManager::transition(std::vector<std::int64_t> ids, CommissionState to, std::optional<audit::Actor> actor,
                                 TransitionDone done)
{
    struct Batch {
        std::mutex mutex;
        std::vector<Result<Commission>> results;
        std::size_t outstanding = 0;
        TransitionDone done;
    };
    auto batch = std::make_shared<Batch>();
    batch->done = std::move(done);
    batch->results.reserve(ids.size());
    std::vector<Pending> items;
    const TimePoint now = m_clock.now();
    for (const std::int64_t id : ids) {
        CommissionState from = CommissionState::Pending;
        Result<Commission> r = m_ledger.transition(id, to, now, &from);
        if (!r.ok() && r.error().code == ErrorCode::FailedPrecondition && m_hooks.commissionRefused)
            m_hooks.commissionRefused();
        const std::size_t index = batch->results.size();
        if (r.ok()) {
            Pending p;
            p.write.transitioned = r.value();
            p.write.from = from;
            if (actor) {
                audit::Entry change;
                change.at = now;
                change.actor = *actor;
                change.area = "commissions";
                change.object = "commission " + std::to_string(id);
                change.before = stateJson(from);
                change.after = stateJson(to);
                p.write.audit = std::move(change);
            }
            p.done = [this, batch, index, id, to](std::optional<std::string> refused,
                                                  std::optional<std::string> failed) {
                std::optional<Error> error;
                if (refused && m_hooks.commissionRefused)
                    m_hooks.commissionRefused();
                if (!refused && !failed && m_hooks.commissionMoved)
                    m_hooks.commissionMoved(to);
                if (refused || failed) {
                    // The database is the truth: take its state back.
                    try {
                        if (const auto stored = m_store.loadCommission(id))
                            m_ledger.restore(*stored);
                    } catch (const StorageError &) {
                    }
                    error = Error{failed ? ErrorCode::Unavailable : ErrorCode::FailedPrecondition,
                                  failed ? "commission " + std::to_string(id) + " could not be stored: " + *failed
                                         : *refused};
                }
                TransitionDone finish;
                {
                    const std::lock_guard lock(batch->mutex);
                    if (error)
                        batch->results[index] = *error;
                    if (--batch->outstanding == 0)
                        finish = std::move(batch->done);
                }
                if (finish)
                    finish(std::move(batch->results));
            };
            items.push_back(std::move(p));
        }
        batch->results.push_back(std::move(r));
    }
    {
        const std::lock_guard lock(batch->mutex);
        batch->outstanding = items.size();
    }
    if (items.empty())
        return batch->done(std::move(batch->results));
    submit(std::move(items));
}

} // namespace flywheel::referral
