#include "services/ReferralService.h"

#include "domain/experiments/ExperimentSet.h"
#include "referral/ProgramYaml.h"
#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"

#include <chrono>
#include <unordered_set>

namespace flywheel {

namespace {

using referral::CommissionState;

v1::CommissionState toProto(CommissionState state)
{
    switch (state) {
    case CommissionState::Pending:
        return v1::COMMISSION_STATE_PENDING;
    case CommissionState::Reviewing:
        return v1::COMMISSION_STATE_REVIEWING;
    case CommissionState::Confirmed:
        return v1::COMMISSION_STATE_CONFIRMED;
    case CommissionState::Settled:
        return v1::COMMISSION_STATE_SETTLED;
    case CommissionState::Reversed:
        return v1::COMMISSION_STATE_REVERSED;
    }
    return v1::COMMISSION_STATE_UNSPECIFIED;
}

std::optional<CommissionState> fromProto(int state)
{
    switch (state) {
    case v1::COMMISSION_STATE_PENDING:
        return CommissionState::Pending;
    case v1::COMMISSION_STATE_REVIEWING:
        return CommissionState::Reviewing;
    case v1::COMMISSION_STATE_CONFIRMED:
        return CommissionState::Confirmed;
    case v1::COMMISSION_STATE_SETTLED:
        return CommissionState::Settled;
    case v1::COMMISSION_STATE_REVERSED:
        return CommissionState::Reversed;
    default:
        return std::nullopt;
    }
}

void toProto(const referral::Program &p, const std::string &currency, v1::ReferralProgram *out)
{
    out->mutable_inviter_reward()->set_minor_units(p.inviterReward.minorUnits());
    out->mutable_inviter_reward()->set_currency(currency);
    out->mutable_invitee_reward()->set_minor_units(p.inviteeReward.minorUnits());
    out->mutable_invitee_reward()->set_currency(currency);
    out->set_level1_rate_bp(p.level1RateBp);
    out->set_level2_rate_bp(p.level2RateBp);
    out->set_max_clicks_per_ip_per_hour(p.maxClicksPerIpPerHour);
    out->set_max_clicks_per_device_per_day(p.maxClicksPerDevicePerDay);
    out->set_min_inviter_age_hours(p.minInviterAgeHours);
    out->set_inviter_active_within_days(p.inviterActiveWithinDays);
    out->set_token_ttl_hours(p.tokenTtlHours);
    out->set_clock_leeway_seconds(p.clockLeewaySeconds);
}

std::variant<referral::Program, std::string> fromProto(const v1::ReferralProgram &in, const std::string &currency)
{
    for (const auto *money : {&in.inviter_reward(), &in.invitee_reward()}) {
        if (!money->currency().empty() && money->currency() != currency)
            return "rewards must be in " + currency + ", not " + money->currency();
    }
    referral::Program p;
    p.inviterReward = Money(in.inviter_reward().minor_units());
    p.inviteeReward = Money(in.invitee_reward().minor_units());
    p.level1RateBp = in.level1_rate_bp();
    p.level2RateBp = in.level2_rate_bp();
    p.maxClicksPerIpPerHour = in.max_clicks_per_ip_per_hour();
    p.maxClicksPerDevicePerDay = in.max_clicks_per_device_per_day();
    p.minInviterAgeHours = in.min_inviter_age_hours();
    p.inviterActiveWithinDays = in.inviter_active_within_days();
    p.tokenTtlHours = in.token_ttl_hours();
    p.clockLeewaySeconds = in.clock_leeway_seconds();
    return p;
}

grpc::Status versionToProto(const StoredProgram &stored, const std::string &currency, v1::ProgramVersion *out)
{
    auto parsed =
        referral::programFromYaml(stored.yaml, "referral programme version " + std::to_string(stored.version));
    if (const auto *error = std::get_if<common::YamlError>(&parsed))
        return {grpc::StatusCode::INTERNAL, "cannot read " + error->describe()};
    out->set_version(stored.version);
    toProto(std::get<referral::Program>(parsed), currency, out->mutable_program());
    out->set_reason(stored.reason);
    out->set_source(stored.source);
    convert::toProto(stored.createdAt, out->mutable_created_at());
    return grpc::Status::OK;
}

grpc::Status refusedStatus(const std::variant<referral::Registration, referral::Refused, Error> &r)
{
    if (const auto *refused = std::get_if<referral::Refused>(&r))
        return convert::toStatus(refused->error);
    return convert::toStatus(std::get<Error>(r));
}

} // namespace

ReferralServiceImpl::ReferralServiceImpl(ServiceContext &context, referral::ReferralManager &referral)
    : m_context(context), m_referral(referral), m_publisher([this] { publishLoop(); })
{}

ReferralServiceImpl::~ReferralServiceImpl()
{
    closeAll();
}

void ReferralServiceImpl::toProto(Money money, v1::Money *out) const
{
    out->set_minor_units(money.minorUnits());
    out->set_currency(m_context.currency);
}

void ReferralServiceImpl::toProto(const referral::Commission &c, v1::Commission *out) const
{
    out->set_id(c.id);
    out->set_order_id(c.orderId);
    out->set_buyer_uid(c.buyerUid);
    out->set_level1_uid(c.level1Uid);
    out->set_level2_uid(c.level2Uid);
    toProto(c.orderTotal, out->mutable_order_total());
    out->set_state(flywheel::toProto(c.state));
    toProto(c.level1Amount, out->mutable_level1_amount());
    toProto(c.level2Amount, out->mutable_level2_amount());
    out->set_level1_rate_bp(c.level1RateBp);
    out->set_level2_rate_bp(c.level2RateBp);
    out->set_program_version(c.programVersion);
    convert::toProto(c.createdAt, out->mutable_created_at());
    convert::toProto(c.updatedAt, out->mutable_updated_at());
}

grpc::ServerUnaryReactor *ReferralServiceImpl::GetInviteLink(grpc::CallbackServerContext *context,
                                                             const v1::GetInviteLinkRequest *request,
                                                             v1::InviteLink *response)
{
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    m_referral.inviteLink(request->uid(), request->campaign_id(), request->channel(),
                          [this, reactor, response](Result<StoredInviteLink> link) {
                              if (!link.ok())
                                  return reactor->Finish(convert::toStatus(link.error()));
                              // The copy of the user's variant, recorded as an exposure the first time.
                              if (m_context.variants) {
                                  const experiments::VariantChoice choice = m_context.variants->choose(
                                      experiments::Surface::InviteCopy, link.value().inviterUid, m_context.clock.now());
                                  response->set_copy(std::string(choice.inviteCopy));
                                  response->set_experiment_key(std::string(choice.experimentKey));
                                  response->set_variant_key(std::string(choice.variantKey));
                              } else {
                                  response->set_copy(experiments::Defaults{}.inviteCopy);
                              }
                              const StoredInviteLink &l = link.value();
                              response->set_ref_code(l.code);
                              response->set_url("https://flywheel.example/invite?ref=" + l.code);
                              response->set_inviter_uid(l.inviterUid);
                              response->set_campaign_id(l.campaignId);
                              response->set_channel(l.channel);
                              reactor->Finish(grpc::Status::OK);
                          });
    return reactor;
}

grpc::ServerUnaryReactor *ReferralServiceImpl::ClickInvite(grpc::CallbackServerContext *context,
                                                           const v1::ClickInviteRequest *request,
                                                           v1::InviteToken *response)
{
    auto r =
        m_referral.click(request->ref_code(), request->visitor_uid(), request->ip(), request->device_fingerprint());
    if (const auto *refused = std::get_if<referral::Refused>(&r))
        return finished(context, convert::toStatus(refused->error));
    if (const auto *error = std::get_if<Error>(&r))
        return finished(context, convert::toStatus(*error));
    const auto &token = std::get<referral::IssuedToken>(r);
    response->set_token(token.token);
    response->set_inviter_uid(token.inviterUid);
    convert::toProto(token.expiresAt, response->mutable_expires_at());
    response->set_jti(token.jti);
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *ReferralServiceImpl::RegisterWithInvite(grpc::CallbackServerContext *context,
                                                                  const v1::RegisterWithInviteRequest *request,
                                                                  v1::Registration *response)
{
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    m_referral.registerWithInvite(
        request->token(), request->uid(), request->device().empty() ? "web" : request->device(), request->region(),
        [this, reactor, response](std::variant<referral::Registration, referral::Refused, Error> r) {
            const auto *registration = std::get_if<referral::Registration>(&r);
            if (!registration)
                return reactor->Finish(refusedStatus(r));
            response->set_uid(registration->binding.uid);
            response->set_inviter_uid(registration->binding.inviterUid);
            response->set_level2_uid(registration->level2Uid);
            toProto(registration->inviterReward, response->mutable_inviter_reward());
            toProto(registration->inviteeReward, response->mutable_invitee_reward());
            response->set_campaign_id(registration->binding.campaignId);
            response->set_channel(registration->binding.channel);
            reactor->Finish(grpc::Status::OK);
        });
    return reactor;
}

grpc::ServerUnaryReactor *ReferralServiceImpl::RecordShare(grpc::CallbackServerContext *context,
                                                           const v1::RecordShareRequest *request,
                                                           v1::RecordShareResponse *)
{
    const auto r = m_referral.share(request->uid(), request->campaign_id(), request->channel());
    return finished(context, r.ok() ? grpc::Status::OK : convert::toStatus(r.error()));
}

grpc::ServerUnaryReactor *ReferralServiceImpl::GetProgram(grpc::CallbackServerContext *context,
                                                          const v1::GetProgramRequest *request,
                                                          v1::ProgramVersion *response)
{
    if (request->version() < 0)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "version must be 0 (current) or positive"});
    try {
        const auto stored = m_referral.storedProgram(request->version());
        if (!stored)
            return finished(context, {grpc::StatusCode::NOT_FOUND,
                                      "there is no programme version " + std::to_string(request->version())});
        return finished(context, versionToProto(*stored, m_context.currency, response));
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *ReferralServiceImpl::ListProgramVersions(grpc::CallbackServerContext *context,
                                                                   const v1::ListProgramVersionsRequest *request,
                                                                   v1::ListProgramVersionsResponse *response)
{
    if (request->limit() < 0 || request->limit() > 500)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "limit must be from 0 (50) to 500, not " + std::to_string(request->limit())});
    try {
        for (const StoredProgram &stored : m_referral.programVersions(request->limit() == 0 ? 50 : request->limit())) {
            if (const grpc::Status s = versionToProto(stored, m_context.currency, response->add_versions()); !s.ok())
                return finished(context, s);
        }
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *ReferralServiceImpl::SaveProgram(grpc::CallbackServerContext *context,
                                                           const v1::SaveProgramRequest *request,
                                                           v1::ProgramVersion *response)
{
    auto program = fromProto(request->program(), m_context.currency);
    if (const auto *error = std::get_if<std::string>(&program))
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, *error});
    const auto saved = m_referral.saveProgram(request->base_version(), std::get<referral::Program>(program),
                                              request->reason(), actorOf(m_context.callers, *context));
    if (!saved.ok())
        return finished(context, convert::toStatus(saved.error()));
    return finished(context, versionToProto(saved.value(), m_context.currency, response));
}

void ReferralServiceImpl::fillNode(std::int64_t uid, int depth, v1::InviteNode *node,
                                   std::vector<v1::InviteNode *> &nodes) const
{
    nodes.push_back(node);
    constexpr std::size_t kMaxInvitees = 200;
    node->set_uid(uid);
    if (const auto binding = m_referral.graph().bindingOf(uid)) {
        convert::toProto(binding->registeredAt, node->mutable_registered_at());
        node->set_campaign_id(binding->campaignId);
        node->set_channel(binding->channel);
    } else if (const User *user = m_context.users.find(uid)) {
        convert::toProto(user->registeredAt, node->mutable_registered_at());
    }
    const auto [orders, total] = m_referral.paidBy(uid);
    node->set_paid_orders(orders);
    toProto(total, node->mutable_paid_total());
    if (depth <= 0)
        return;
    const auto invitees = m_referral.graph().inviteesOf(uid);
    for (std::size_t i = 0; i < invitees.size() && i < kMaxInvitees; ++i)
        fillNode(invitees[i].uid, depth - 1, node->add_invitees(), nodes);
    if (invitees.size() > kMaxInvitees)
        node->set_more_invitees(static_cast<std::int64_t>(invitees.size() - kMaxInvitees));
}

grpc::ServerUnaryReactor *ReferralServiceImpl::GetInviteTree(grpc::CallbackServerContext *context,
                                                             const v1::GetInviteTreeRequest *request,
                                                             v1::InviteTree *response)
{
    const std::int64_t uid = request->uid();
    if (uid <= 0)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "uid must be a positive user id, not " + std::to_string(uid)});
    if (request->depth() < 0 || request->depth() > 5)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "depth must be from 0 (2) to 5, not " + std::to_string(request->depth())});
    if (!m_context.users.find(uid) && !m_referral.graph().bindingOf(uid) && m_referral.graph().inviteesOf(uid).empty())
        return finished(context, {grpc::StatusCode::NOT_FOUND, "user " + std::to_string(uid) + " is not known"});
    response->set_inviter_uid(m_referral.graph().inviterOf(uid));
    std::vector<v1::InviteNode *> nodes;
    fillNode(uid, request->depth() == 0 ? 2 : request->depth(), response->mutable_root(), nodes);
    // What each user earns, from one pass over the ledger for the whole tree.
    std::unordered_set<std::int64_t> uids;
    for (const v1::InviteNode *node : nodes)
        uids.insert(node->uid());
    const auto earned = m_referral.ledger().earnedBy(uids);
    for (v1::InviteNode *node : nodes) {
        const auto it = earned.find(node->uid());
        toProto(it == earned.end() ? Money(0) : it->second, node->mutable_commission_earned());
    }
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *ReferralServiceImpl::ListCommissions(grpc::CallbackServerContext *context,
                                                               const v1::ListCommissionsRequest *request,
                                                               v1::ListCommissionsResponse *response)
{
    referral::CommissionLedger::Filter filter;
    for (const int s : request->states()) {
        const auto state = fromProto(s);
        if (!state)
            return finished(context,
                            {grpc::StatusCode::INVALID_ARGUMENT,
                             "states must be commission states, not " + convert::enumName<v1::CommissionState>(s)});
        filter.states.push_back(*state);
    }
    if (request->limit() < 0 || request->limit() > 2000)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "limit must be from 0 (200) to 2000, not " + std::to_string(request->limit())});
    if (request->uid() < 0 || request->before_id() < 0)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "uid and before_id must not be negative"});
    filter.uid = request->uid();
    filter.beforeId = request->before_id();
    filter.limit = request->limit() == 0 ? 200 : static_cast<std::size_t>(request->limit());
    for (const referral::Commission &c : m_referral.ledger().list(filter))
        toProto(c, response->add_commissions());
    for (const auto &[state, totals] : m_referral.ledger().totals()) {
        v1::CommissionTotals *t = response->add_totals();
        t->set_state(flywheel::toProto(state));
        t->set_count(totals.count);
        toProto(totals.level1, t->mutable_level1_amount());
        toProto(totals.level2, t->mutable_level2_amount());
    }
    return finished(context, grpc::Status::OK);
}

namespace {} // namespace

grpc::ServerUnaryReactor *ReferralServiceImpl::TransitionCommissions(grpc::CallbackServerContext *context,
                                                                     const v1::TransitionCommissionsRequest *request,
                                                                     v1::TransitionCommissionsResponse *response)
{
    constexpr int kMaxIds = 5000;
    const auto to = fromProto(request->to());
    if (!to || *to == CommissionState::Pending)
        return finished(
            context, {grpc::StatusCode::INVALID_ARGUMENT, "to must be REVIEWING, CONFIRMED, SETTLED or REVERSED, not " +
                                                              convert::enumName<v1::CommissionState>(request->to())});
    if (request->ids_size() == 0 || request->ids_size() > kMaxIds)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "ids must name 1 to " + std::to_string(kMaxIds) +
                                                                          " commissions, not " +
                                                                          std::to_string(request->ids_size())});
    std::vector<std::int64_t> ids(request->ids().begin(), request->ids().end());
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    // Each commission that changes is an audit entry, stored with the change.
    m_referral.transition(std::move(ids), *to, actorOf(m_context.callers, *context),
                          [this, reactor, response, request](std::vector<Result<referral::Commission>> results) {
                              for (std::size_t i = 0; i < results.size(); ++i) {
                                  v1::TransitionResult *r = response->add_results();
                                  const std::int64_t id = request->ids(static_cast<int>(i));
                                  r->set_id(id);
                                  r->set_ok(results[i].ok());
                                  if (results[i].ok()) {
                                      toProto(results[i].value(), r->mutable_commission());
                                  } else {
                                      r->set_error(results[i].error().message);
                                      if (const auto now = m_referral.ledger().find(id))
                                          toProto(*now, r->mutable_commission());
                                  }
                              }
                              reactor->Finish(grpc::Status::OK);
                          });
    return reactor;
}

std::shared_ptr<const v1::FunnelSnapshot> ReferralServiceImpl::snapshot() const
{
    auto message = std::make_shared<v1::FunnelSnapshot>();
    const referral::Funnel &funnel = m_referral.funnel();
    for (const referral::FunnelRow &row : funnel.rows()) {
        v1::FunnelRow *r = message->add_rows();
        r->set_campaign_id(row.campaignId);
        r->set_channel(row.channel);
        r->set_shares(row.count(referral::FunnelStep::Share));
        r->set_clicks(row.count(referral::FunnelStep::Click));
        r->set_registrations(row.count(referral::FunnelStep::Register));
        r->set_first_orders(row.count(referral::FunnelStep::FirstOrder));
    }
    const auto refusals = funnel.refusals();
    for (std::size_t i = 0; i < refusals.size(); ++i) {
        v1::RefusalCount *c = message->add_refusals();
        c->set_reason(referral::refusalName(static_cast<referral::Refusal>(i)));
        c->set_count(refusals[i]);
    }
    const TimePoint now = m_context.clock.now();
    for (const referral::RefusalMinute &minute : funnel.recentRefusals(now)) {
        v1::RefusalBucket *bucket = message->add_recent_refusals();
        convert::toProto(fromEpochMs(minute.minute * 60'000), bucket->mutable_start());
        for (std::size_t i = 0; i < minute.counts.size(); ++i) {
            if (minute.counts[i] == 0)
                continue;
            v1::RefusalCount *c = bucket->add_counts();
            c->set_reason(referral::refusalName(static_cast<referral::Refusal>(i)));
            c->set_count(minute.counts[i]);
        }
    }
    convert::toProto(now, message->mutable_at());
    return message;
}

grpc::ServerWriteReactor<v1::FunnelSnapshot> *ReferralServiceImpl::StreamFunnel(grpc::CallbackServerContext *,
                                                                                const v1::StreamFunnelRequest *)
{
    const auto stream = Stream::create([this](Stream *done) {
        const std::lock_guard lock(m_mutex);
        m_streams.erase(done);
    });
    bool closed = false;
    {
        const std::lock_guard lock(m_mutex);
        closed = m_closed;
        if (!closed)
            m_streams.emplace(stream.get(), stream);
    }
    if (closed)
        stream->close({grpc::StatusCode::UNAVAILABLE, "the backend is shutting down"});
    else
        stream->offer(snapshot());
    return stream.get();
}

void ReferralServiceImpl::closeAll()
{
    std::vector<std::shared_ptr<Stream>> streams;
    {
        const std::lock_guard lock(m_mutex);
        if (!m_closed) {
            m_closed = true;
            for (const auto &[raw, stream] : m_streams)
                streams.push_back(stream);
        }
    }
    for (const auto &stream : streams)
        stream->close({grpc::StatusCode::UNAVAILABLE, "the backend is shutting down"});
    m_wake.notify_all();
    if (m_publisher.joinable())
        m_publisher.join();
}

void ReferralServiceImpl::publishLoop()
{
    using namespace std::chrono_literals;
    constexpr auto kTick = 500ms;
    constexpr auto kHeartbeat = 5s;
    std::uint64_t published = m_referral.funnel().generation();
    auto lastPublish = std::chrono::steady_clock::now();
    for (;;) {
        std::vector<std::shared_ptr<Stream>> streams;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, kTick, [this] { return m_closed; });
            if (m_closed)
                return;
            const std::uint64_t generation = m_referral.funnel().generation();
            const auto now = std::chrono::steady_clock::now();
            if (m_streams.empty() || (generation == published && now - lastPublish < kHeartbeat))
                continue;
            published = generation;
            lastPublish = now;
            for (const auto &[raw, stream] : m_streams)
                streams.push_back(stream);
        }
        const auto message = snapshot();
        for (const auto &stream : streams)
            stream->offer(message);
    }
}

} // namespace flywheel
