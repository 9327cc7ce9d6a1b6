#include "services/PaymentService.h"

#include "common/Log.h"
#include "domain/orders/IdempotencyTable.h"
#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"
#include "storage/AuditStore.h"

#include <chrono>

namespace flywheel {

namespace {

using payments::ChannelConfig;
using payments::ChannelSettings;

grpc::Status invalid(const std::string &message)
{
    return {grpc::StatusCode::INVALID_ARGUMENT, message};
}

grpc::Status unavailable(const StorageError &e)
{
    return {grpc::StatusCode::UNAVAILABLE, e.what()};
}

void toProto(const payments::Payment &p, v1::Payment *out)
{
    out->set_payment_id(p.id);
    out->set_order_id(p.orderId);
    out->set_channel_id(p.channelId);
    out->set_provider(p.provider);
    out->mutable_amount()->set_minor_units(p.amountMinor);
    out->mutable_amount()->set_currency(p.currency);
    out->set_state(static_cast<v1::PaymentState>(static_cast<int>(p.state)));
    out->set_out_trade_no(p.outTradeNo);
    out->set_provider_payment_id(p.providerPaymentId);
    out->set_pay_url(p.payUrl);
    out->set_route_reason(p.routeReason);
    convert::toProto(p.createdAt, out->mutable_created_at());
    convert::toProto(p.updatedAt, out->mutable_updated_at());
    convert::toProto(p.expiresAt, out->mutable_expires_at());
    out->set_detail(p.detail);
    out->set_difference_minor(p.differenceMinor);
    out->set_confirming(p.confirming);
    out->set_paid_order(p.paidOrder);
    if (const std::int64_t stray = payments::strayMinor(p); stray > 0) {
        out->mutable_refundable()->set_minor_units(stray);
        out->mutable_refundable()->set_currency(p.currency);
    }
}

void toProto(const payments::Refund &r, v1::Refund *out)
{
    out->set_refund_id(r.id);
    out->set_payment_id(r.paymentId);
    out->set_order_id(r.orderId);
    out->mutable_amount()->set_minor_units(r.amountMinor);
    out->mutable_amount()->set_currency(r.currency);
    out->set_state(static_cast<v1::RefundState>(static_cast<int>(r.state)));
    out->set_out_refund_no(r.outRefundNo);
    out->set_provider_refund_id(r.providerRefundId);
    out->set_reason(r.reason);
    convert::toProto(r.createdAt, out->mutable_created_at());
    convert::toProto(r.updatedAt, out->mutable_updated_at());
    out->set_detail(r.detail);
}

/// The console's config. Credentials arrive by name and path; an empty path keeps
/// the base version's (viewers never see paths, admins may leave them alone).
ChannelConfig fromProto(const v1::ChannelConfig &in, const ChannelConfig *base)
{
    ChannelConfig config;
    config.successWindowMinutes = in.success_window_minutes() == 0 ? 15 : in.success_window_minutes();
    config.queryAfterSeconds = in.query_after_seconds() == 0 ? 60 : in.query_after_seconds();
    for (const v1::Channel &c : in.channels()) {
        ChannelSettings s;
        s.id = c.id();
        s.provider = c.provider();
        s.displayName = c.display_name();
        s.enabled = c.enabled();
        s.priority = c.priority();
        s.feeBp = c.fee_bp();
        s.minAmountMinor = c.min_amount_minor();
        s.maxAmountMinor = c.max_amount_minor();
        s.currencies.assign(c.currencies().begin(), c.currencies().end());
        s.successFloorBp = c.success_floor_bp();
        s.minAttempts = c.min_attempts();
        s.endpoint = c.endpoint();
        s.merchantId = c.merchant_id();
        s.appId = c.app_id();
        s.merchantSerial = c.merchant_serial();
        s.platformSerial = c.platform_serial();
        s.confirmations = c.confirmations();
        s.invoiceExpiryMinutes = c.invoice_expiry_minutes();
        s.paymentToleranceBp = c.payment_tolerance_bp();
        const ChannelSettings *before = base != nullptr ? base->find(s.id) : nullptr;
        for (const v1::Credential &credential : c.credentials()) {
            std::string path = credential.path();
            if (path.empty() && before != nullptr)
                path = before->credential(credential.name());
            s.credentials.push_back({credential.name(), path});
        }
        // Credentials the console did not send stay as they were.
        if (before != nullptr) {
            for (const payments::CredentialRef &kept : before->credentials) {
                if (s.credential(kept.name).empty() && !kept.path.empty()) {
                    bool listed = false;
                    for (const payments::CredentialRef &sent : s.credentials)
                        listed = listed || sent.name == kept.name;
                    if (!listed)
                        s.credentials.push_back(kept);
                }
            }
        }
        config.channels.push_back(std::move(s));
    }
    return config;
}

void toProto(const payments::RouteDecision &decision, v1::RouteDecision *out)
{
    out->set_channel_id(decision.order.empty() ? std::string() : decision.order.front());
    out->set_explanation(decision.explanation);
    for (const payments::RouteCandidate &c : decision.candidates) {
        v1::RouteCandidate *candidate = out->add_candidates();
        candidate->set_channel_id(c.channelId);
        candidate->set_eligible(c.eligible);
        candidate->set_reason(c.reason);
        candidate->set_success_rate_bp(c.successRateBp);
        candidate->set_fee_minor(c.feeMinor);
    }
}

bool isAdmin(const audit::Actor &actor)
{
    return actor.role == "admin";
}

} // namespace

PaymentServiceImpl::PaymentServiceImpl(ServiceContext &context, payments::PaymentManager &payments)
    : m_context(context), m_payments(payments), m_publisher([this] { publishLoop(); })
{
}

PaymentServiceImpl::~PaymentServiceImpl()
{
    closeAll();
}

grpc::ServerUnaryReactor *PaymentServiceImpl::CreatePayment(grpc::CallbackServerContext *context,
                                                            const v1::CreatePaymentRequest *request,
                                                            v1::Payment *response)
{
    if (request->order_id() <= 0)
        return finished(context, invalid("order_id must be a positive order number, got " +
                                         std::to_string(request->order_id())));
    if (const std::optional<Error> badKey = orders::checkIdempotencyKey(request->idempotency_key()))
        return finished(context, convert::toStatus(*badKey));
    if (!request->channel_id().empty() && m_payments.live()->config.find(request->channel_id()) == nullptr)
        return finished(context, invalid("channel_id \"" + request->channel_id() + "\" is not a configured channel"));
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    m_payments.create(request->order_id(), request->channel_id(), request->idempotency_key(),
                      [reactor, response](Result<payments::Payment> created) {
                          if (!created.ok()) {
                              reactor->Finish(convert::toStatus(created.error()));
                              return;
                          }
                          toProto(created.value(), response);
                          reactor->Finish(grpc::Status::OK);
                      });
    return reactor;
}

grpc::ServerUnaryReactor *PaymentServiceImpl::GetPayment(grpc::CallbackServerContext *context,
                                                         const v1::GetPaymentRequest *request, v1::Payment *response)
{
    if (request->payment_id() <= 0)
        return finished(context, invalid("payment_id must be a positive payment number, got " +
                                         std::to_string(request->payment_id())));
    try {
        const std::optional<payments::Payment> found = m_payments.payment(request->payment_id());
        if (!found)
            return finished(context, {grpc::StatusCode::NOT_FOUND,
                                      "payment " + std::to_string(request->payment_id()) + " does not exist"});
        toProto(*found, response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, unavailable(e));
    }
}

grpc::ServerUnaryReactor *PaymentServiceImpl::ListOrderPayments(grpc::CallbackServerContext *context,
                                                                const v1::ListOrderPaymentsRequest *request,
                                                                v1::OrderPayments *response)
{
    if (request->order_id() <= 0)
        return finished(context, invalid("order_id must be a positive order number, got " +
                                         std::to_string(request->order_id())));
    try {
        if (!m_context.store.orders.loadOrder(request->order_id()))
            return finished(context, {grpc::StatusCode::NOT_FOUND,
                                      "order " + std::to_string(request->order_id()) + " does not exist"});
        const auto [payments, refunds] = m_payments.forOrder(request->order_id());
        response->set_order_id(request->order_id());
        for (const payments::Payment &p : payments)
            toProto(p, response->add_payments());
        for (const payments::Refund &r : refunds)
            toProto(r, response->add_refunds());
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, unavailable(e));
    }
}

grpc::ServerUnaryReactor *PaymentServiceImpl::RefundOrderPayment(grpc::CallbackServerContext *context,
                                                                 const v1::RefundOrderPaymentRequest *request,
                                                                 v1::Refund *response)
{
    if (request->order_id() <= 0)
        return finished(context, invalid("order_id must be a positive order number, got " +
                                         std::to_string(request->order_id())));
    if (request->payment_id() < 0)
        return finished(context, invalid("payment_id must be 0 (the order) or a payment number, got " +
                                         std::to_string(request->payment_id())));
    std::string reason = request->reason();
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        return finished(context, invalid("reason is required: say why the order is refunded"));
    if (reason.size() > 500)
        return finished(context, invalid("reason may be at most 500 characters, not " + std::to_string(reason.size())));
    audit::Entry audited;
    audited.actor = actorOf(m_context.callers, *context);
    audited.area = "orders";
    audited.object = "order " + std::to_string(request->order_id());
    audited.before = request->payment_id() == 0
                         ? std::string("{\"status\":\"paid\"}")
                         : "{\"payment\":" + std::to_string(request->payment_id()) + ",\"stray\":true}";
    audited.reason = reason;
    grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
    m_payments.refund(request->order_id(), request->payment_id(), reason,
                      [this, reactor, response, audited = std::move(audited)](Result<payments::Refund> refund) mutable {
                          if (!refund.ok()) {
                              reactor->Finish(convert::toStatus(refund.error()));
                              return;
                          }
                          const payments::Refund &r = refund.value();
                          audited.after = "{\"refund\":\"" + r.outRefundNo + "\",\"state\":\"" +
                                          std::string(payments::refundStateName(r.state)) + "\"}";
                          if (grpc::Status recorded = m_context.audit.record(std::move(audited)); !recorded.ok()) {
                              reactor->Finish(std::move(recorded));
                              return;
                          }
                          toProto(r, response);
                          reactor->Finish(grpc::Status::OK);
                      });
    return reactor;
}

std::map<std::int64_t, std::string> PaymentServiceImpl::actorsOfVersions() const
{
    std::map<std::int64_t, std::string> actors;
    AuditQuery query;
    query.area = kPaymentsArea;
    query.limit = 500;
    try {
        for (const audit::Entry &entry : m_context.store.audit.auditEntries(query))
            actors.emplace(entry.version, entry.actor.name);
    } catch (const StorageError &e) {
        common::Log::warning(std::string("payment channel versions are answered without their actors: ") + e.what());
    }
    return actors;
}

void PaymentServiceImpl::versionToProto(const ChannelConfig &config, const StoredVersion &stored, bool admin,
                                        const std::map<std::int64_t, std::string> &actors,
                                        v1::ChannelConfigVersion *out) const
{
    out->set_version(stored.version);
    out->set_reason(stored.reason);
    out->set_source(stored.source);
    convert::toProto(stored.createdAt, out->mutable_created_at());
    if (const auto actor = actors.find(stored.version); actor != actors.end())
        out->set_actor(actor->second);
    v1::ChannelConfig *c = out->mutable_config();
    c->set_success_window_minutes(config.successWindowMinutes);
    c->set_query_after_seconds(config.queryAfterSeconds);
    const auto statuses = m_payments.credentialStatus(config);
    for (const ChannelSettings &s : config.channels) {
        v1::Channel *channel = c->add_channels();
        channel->set_id(s.id);
        channel->set_provider(s.provider);
        channel->set_display_name(s.displayName);
        channel->set_enabled(s.enabled);
        channel->set_priority(s.priority);
        channel->set_fee_bp(s.feeBp);
        channel->set_min_amount_minor(s.minAmountMinor);
        channel->set_max_amount_minor(s.maxAmountMinor);
        for (const std::string &currency : s.currencies)
            channel->add_currencies(currency);
        channel->set_success_floor_bp(s.successFloorBp);
        channel->set_min_attempts(s.minAttempts);
        channel->set_endpoint(s.endpoint);
        channel->set_merchant_id(s.merchantId);
        channel->set_app_id(s.appId);
        channel->set_merchant_serial(s.merchantSerial);
        channel->set_platform_serial(s.platformSerial);
        channel->set_confirmations(s.confirmations);
        channel->set_invoice_expiry_minutes(s.invoiceExpiryMinutes);
        channel->set_payment_tolerance_bp(s.paymentToleranceBp);
        if (const auto found = statuses.find(s.id); found != statuses.end()) {
            for (const payments::CredentialStatus &status : found->second) {
                v1::Credential *credential = channel->add_credentials();
                credential->set_name(status.name);
                if (admin) {
                    credential->set_path(status.path);
                    credential->set_detail(status.detail);
                } else if (!status.set) {
                    // A viewer learns that it is missing, not where it is looked for.
                    credential->set_detail(status.path.empty() ? "not set" : "cannot be read");
                }
                credential->set_status(status.set ? "set" : "missing");
            }
        }
    }
}

grpc::ServerUnaryReactor *PaymentServiceImpl::GetChannelConfig(grpc::CallbackServerContext *context,
                                                               const v1::GetChannelConfigRequest *request,
                                                               v1::ChannelConfigVersion *response)
{
    if (request->version() < 0)
        return finished(context, invalid("version must be 0 (current) or positive, not " +
                                         std::to_string(request->version())));
    try {
        const auto found = m_payments.stored(request->version());
        if (!found)
            return finished(context, {grpc::StatusCode::NOT_FOUND,
                                      request->version() == 0
                                          ? std::string("there is no payment channel configuration yet")
                                          : "payment channel configuration version " +
                                                std::to_string(request->version()) + " does not exist"});
        versionToProto(found->first, found->second, isAdmin(actorOf(m_context.callers, *context)),
                       actorsOfVersions(), response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, unavailable(e));
    }
}

grpc::ServerUnaryReactor *PaymentServiceImpl::ListChannelConfigVersions(
    grpc::CallbackServerContext *context, const v1::ListChannelConfigVersionsRequest *request,
    v1::ListChannelConfigVersionsResponse *response)
{
    if (request->limit() < 0 || request->limit() > 500)
        return finished(context, invalid("limit must be from 0 (50) to 500, not " + std::to_string(request->limit())));
    try {
        const bool admin = isAdmin(actorOf(m_context.callers, *context));
        const auto actors = actorsOfVersions();
        for (const StoredVersion &stored : m_payments.document().versions(request->limit() == 0 ? 50 : request->limit())) {
            const auto parsed = m_payments.stored(stored.version);
            if (parsed)
                versionToProto(parsed->first, parsed->second, admin, actors, response->add_versions());
        }
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, unavailable(e));
    }
}

grpc::ServerUnaryReactor *PaymentServiceImpl::SaveChannelConfig(grpc::CallbackServerContext *context,
                                                                const v1::SaveChannelConfigRequest *request,
                                                                v1::ChannelConfigVersion *response)
{
    if (request->base_version() < 0)
        return finished(context, invalid("base_version must be the current version (0 before the first), not " +
                                         std::to_string(request->base_version())));
    if (!request->has_config())
        return finished(context, invalid("config is required"));
    try {
        const auto base = request->base_version() > 0 ? m_payments.stored(request->base_version()) : std::nullopt;
        const ChannelConfig config = fromProto(request->config(), base ? &base->first : nullptr);
        const audit::Actor actor = actorOf(m_context.callers, *context);
        const auto saved = m_payments.save(request->base_version(), config, request->reason(), actor);
        if (!saved.ok())
            return finished(context, convert::toStatus(saved.error()));
        versionToProto(config, saved.value(), true, {{saved.value().version, actor.name}}, response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, unavailable(e));
    }
}

grpc::ServerUnaryReactor *PaymentServiceImpl::RollbackChannelConfig(grpc::CallbackServerContext *context,
                                                                    const v1::RollbackChannelConfigRequest *request,
                                                                    v1::ChannelConfigVersion *response)
{
    if (request->to_version() <= 0)
        return finished(context, invalid("to_version must be a positive version, not " +
                                         std::to_string(request->to_version())));
    if (request->base_version() <= 0)
        return finished(context, invalid("base_version must be the current version, not " +
                                         std::to_string(request->base_version())));
    const audit::Actor actor = actorOf(m_context.callers, *context);
    const auto restored = m_payments.rollback(request->to_version(), request->base_version(), request->reason(), actor);
    if (!restored.ok())
        return finished(context, convert::toStatus(restored.error()));
    try {
        const auto found = m_payments.stored(restored.value().version);
        if (!found)
            return finished(context, {grpc::StatusCode::INTERNAL, "the restored version is not stored"});
        versionToProto(found->first, found->second, true, {{found->second.version, actor.name}}, response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, unavailable(e));
    }
}

grpc::ServerUnaryReactor *PaymentServiceImpl::PreviewRoute(grpc::CallbackServerContext *context,
                                                           const v1::PreviewRouteRequest *request,
                                                           v1::RouteDecision *response)
{
    if (!request->has_amount() || request->amount().minor_units() <= 0)
        return finished(context, invalid("amount must be positive, in minor units"));
    const std::string currency = request->amount().currency().empty() ? m_context.currency : request->amount().currency();
    if (currency.size() != 3 || currency.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
        return finished(context, invalid("amount.currency must be an ISO 4217 code such as CNY, not \"" + currency + "\""));
    std::optional<ChannelConfig> draft;
    try {
        if (request->has_config()) {
            const auto live = m_payments.live();
            draft = fromProto(request->config(), &live->config);
            if (const auto problem = payments::validateChannelConfig(*draft))
                return finished(context, invalid("the draft cannot be previewed: " + problem->message));
        }
        toProto(m_payments.preview(request->amount().minor_units(), currency, draft), response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, unavailable(e));
    }
}

grpc::ServerUnaryReactor *PaymentServiceImpl::ListRefusedNotifications(grpc::CallbackServerContext *context,
                                                                       const v1::ListRefusedNotificationsRequest *request,
                                                                       v1::ListRefusedNotificationsResponse *response)
{
    if (request->limit() < 0 || request->limit() > 1000)
        return finished(context, invalid("limit must be from 0 (100) to 1000, not " + std::to_string(request->limit())));
    try {
        for (const payments::RefusedNotification &r : m_payments.refusals(request->limit() == 0 ? 100 : request->limit())) {
            v1::RefusedNotification *out = response->add_notifications();
            convert::toProto(r.at, out->mutable_at());
            out->set_channel_id(r.channelId);
            out->set_provider(r.provider);
            out->set_reason(std::string(payments::refusalReasonName(r.reason)));
            out->set_detail(r.detail);
            out->set_notification_id(r.notificationId);
            out->set_order_id(r.orderId);
            out->set_peer(r.peer);
        }
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, unavailable(e));
    }
}

std::shared_ptr<const v1::ChannelStatsSnapshot> PaymentServiceImpl::snapshot() const
{
    auto out = std::make_shared<v1::ChannelStatsSnapshot>();
    const TimePoint now = m_context.clock.now();
    convert::toProto(now, out->mutable_at());
    out->set_currency(m_context.currency);
    const auto live = m_payments.live();
    const payments::ChannelStats &stats = m_payments.stats();
    out->set_duplicate_notifications(stats.duplicates());
    const Milliseconds window = std::chrono::minutes(live->config.successWindowMinutes);
    for (const ChannelSettings &s : live->config.channels) {
        v1::ChannelStats *c = out->add_channels();
        c->set_channel_id(s.id);
        c->set_provider(s.provider);
        c->set_enabled(s.enabled && live->unusable.count(s.id) == 0);
        const payments::SuccessWindow::Rate rate = m_payments.window().rate(s.id, now, window);
        const int bp = rate.attempts >= std::max(1, s.minAttempts)
                           ? static_cast<int>(rate.succeeded * 10000 / rate.attempts)
                           : -1;
        c->set_success_rate_bp(bp);
        c->set_demoted(bp >= 0 && s.successFloorBp > 0 && bp < s.successFloorBp);
        const payments::ChannelTotals totals = stats.totals(s.id);
        c->set_succeeded_total(totals.succeeded);
        c->set_failed_total(totals.failed);
        c->set_volume_total_minor(totals.volumeMinor);
        c->set_refused_notifications(totals.refused);
        c->set_amount_mismatches(totals.amountMismatches);
        for (const payments::ChannelMinute &m : stats.minutes(s.id, now)) {
            v1::ChannelMinute *minute = c->add_minutes();
            convert::toProto(m.minute, minute->mutable_minute());
            minute->set_attempts(m.attempts);
            minute->set_succeeded(m.succeeded);
            minute->set_failed(m.failed);
            minute->set_volume_minor(m.volumeMinor);
            minute->set_latency_p50_ms(m.latencyP50Ms);
            minute->set_latency_p95_ms(m.latencyP95Ms);
        }
    }
    return out;
}

grpc::ServerWriteReactor<v1::ChannelStatsSnapshot> *
PaymentServiceImpl::StreamChannelStats(grpc::CallbackServerContext *, const v1::StreamChannelStatsRequest *)
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

void PaymentServiceImpl::closeAll()
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

void PaymentServiceImpl::publishLoop()
{
    using namespace std::chrono_literals;
    constexpr auto kTick = 500ms;
    constexpr auto kHeartbeat = 2s;
    std::uint64_t published = m_payments.generation();
    auto lastPublish = std::chrono::steady_clock::now();
    for (;;) {
        std::vector<std::shared_ptr<Stream>> streams;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, kTick, [this] { return m_closed; });
            if (m_closed)
                return;
            const std::uint64_t generation = m_payments.generation();
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
