#include "services/AlertService.h"

#include "common/Log.h"
#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"

#include <chrono>

namespace flywheel {

namespace {

constexpr std::size_t kStreamHistory = 100;

grpc::Status invalid(std::string message)
{
    return {grpc::StatusCode::INVALID_ARGUMENT, std::move(message)};
}

void toProto(const alerts::Alert &a, v1::Alert *out)
{
    out->set_id(a.name);
    out->set_enabled(a.enabled);
    out->set_state(a.state == alerts::AlertState::Firing ? v1::ALERT_STATE_FIRING : v1::ALERT_STATE_OK);
    if (a.state == alerts::AlertState::Firing && a.since != TimePoint{})
        convert::toProto(a.since, out->mutable_since());
    if (a.resolvedAt != TimePoint{})
        convert::toProto(a.resolvedAt, out->mutable_resolved_at());
    out->set_value(a.value);
    out->set_threshold(a.threshold);
    out->set_count(a.count);
    out->set_samples(a.samples);
    out->set_min_samples(a.minSamples);
    out->set_window_seconds(a.windowSeconds);
    out->set_slow_after_ms(a.slowAfterMs);
    out->set_order_id(a.orderId);
    out->set_from_state(a.from);
    out->set_to_state(a.to);
    out->set_budget(a.budget);
    out->set_error(a.error);
    out->set_explanation(a.explanation);
    if (a.evaluatedAt != TimePoint{})
        convert::toProto(a.evaluatedAt, out->mutable_evaluated_at());
}

} // namespace

void AlertServiceImpl::toProto(const alerts::AlertThresholds &t, v1::AlertThresholds *out)
{
    auto *slow = out->mutable_inventory_confirmation_slow();
    slow->set_enabled(t.inventoryConfirmationSlow.enabled);
    slow->set_window_seconds(t.inventoryConfirmationSlow.windowSeconds);
    slow->set_slow_after_ms(t.inventoryConfirmationSlow.slowAfterMs);
    slow->set_share(t.inventoryConfirmationSlow.share);
    slow->set_min_paid_orders(t.inventoryConfirmationSlow.minPaidOrders);
    auto *illegal = out->mutable_illegal_transition();
    illegal->set_enabled(t.illegalTransition.enabled);
    illegal->set_window_seconds(t.illegalTransition.windowSeconds);
    illegal->set_max_attempts(t.illegalTransition.maxAttempts);
    out->mutable_pricing_reload_failed()->set_enabled(t.pricingReloadFailed.enabled);
    auto *p99 = out->mutable_order_path_p99();
    p99->set_enabled(t.orderPathP99.enabled);
    p99->set_window_seconds(t.orderPathP99.windowSeconds);
    p99->set_threshold_ms(t.orderPathP99.thresholdMs);
    p99->set_min_samples(t.orderPathP99.minSamples);
    out->mutable_budget_near_cap()->set_enabled(t.budgetNearCap.enabled);
    out->mutable_budget_near_cap()->set_share(t.budgetNearCap.share);
}

alerts::AlertThresholds AlertServiceImpl::fromProto(const v1::AlertThresholds &in)
{
    alerts::AlertThresholds t;
    const auto &slow = in.inventory_confirmation_slow();
    t.inventoryConfirmationSlow = {slow.enabled(), slow.window_seconds(), slow.slow_after_ms(), slow.share(),
                                   slow.min_paid_orders()};
    const auto &illegal = in.illegal_transition();
    t.illegalTransition = {illegal.enabled(), illegal.window_seconds(), illegal.max_attempts()};
    t.pricingReloadFailed = {in.pricing_reload_failed().enabled()};
    const auto &p99 = in.order_path_p99();
    t.orderPathP99 = {p99.enabled(), p99.window_seconds(), p99.threshold_ms(), p99.min_samples()};
    t.budgetNearCap = {in.budget_near_cap().enabled(), in.budget_near_cap().share()};
    return t;
}

AlertServiceImpl::AlertServiceImpl(ServiceContext &context, alerts::AlertManager &alerts)
    : m_context(context), m_alerts(alerts)
{
    m_publisher = std::thread([this] { publishLoop(); });
}

AlertServiceImpl::~AlertServiceImpl()
{
    closeAll();
}

std::shared_ptr<const v1::AlertsSnapshot> AlertServiceImpl::snapshot(std::size_t historyLimit) const
{
    auto out = std::make_shared<v1::AlertsSnapshot>();
    for (const alerts::Alert &a : m_alerts.monitor().current())
        flywheel::toProto(a, out->add_alerts());
    for (const alerts::AlertChange &change : m_alerts.monitor().history(historyLimit)) {
        v1::AlertChange *row = out->add_history();
        convert::toProto(change.at, row->mutable_at());
        row->set_fired(change.kind == alerts::ChangeKind::Fired);
        flywheel::toProto(change.alert, row->mutable_alert());
    }
    out->set_thresholds_version(m_alerts.thresholdsVersion());
    out->set_demo(m_alerts.demo());
    return out;
}

grpc::ServerUnaryReactor *AlertServiceImpl::ListAlerts(grpc::CallbackServerContext *context,
                                                       const v1::ListAlertsRequest *request,
                                                       v1::AlertsSnapshot *response)
{
    if (request->history_limit() < 0 || request->history_limit() > 500)
        return finished(context, invalid("history_limit must be from 0 (100) to 500, not " +
                                         std::to_string(request->history_limit())));
    const auto limit = static_cast<std::size_t>(request->history_limit() == 0 ? 100 : request->history_limit());
    *response = *snapshot(limit);
    return finished(context, grpc::Status::OK);
}

grpc::ServerWriteReactor<v1::AlertsSnapshot> *AlertServiceImpl::StreamAlerts(grpc::CallbackServerContext *,
                                                                             const v1::StreamAlertsRequest *)
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
        stream->offer(snapshot(kStreamHistory));
    return stream.get();
}

std::map<std::int64_t, std::string> AlertServiceImpl::actorsOfVersions() const
{
    std::map<std::int64_t, std::string> actors;
    AuditQuery query;
    query.area = kAlertsArea;
    query.limit = 500;
    try {
        for (const audit::Entry &entry : m_context.store.audit.auditEntries(query))
            actors.emplace(entry.version, entry.actor.name);
    } catch (const StorageError &e) {
        common::Log::warning(std::string("alert thresholds versions are answered without their actors: ") + e.what());
    }
    return actors;
}

void AlertServiceImpl::versionToProto(const alerts::AlertThresholds &thresholds, const StoredVersion &stored,
                                      const std::map<std::int64_t, std::string> &actors,
                                      v1::AlertThresholdsVersion *out) const
{
    out->set_version(stored.version);
    toProto(thresholds, out->mutable_thresholds());
    out->set_reason(stored.reason);
    out->set_source(stored.source);
    convert::toProto(stored.createdAt, out->mutable_created_at());
    if (const auto found = actors.find(stored.version); found != actors.end())
        out->set_actor(found->second);
}

grpc::ServerUnaryReactor *AlertServiceImpl::GetAlertThresholds(grpc::CallbackServerContext *context,
                                                               const v1::GetAlertThresholdsRequest *request,
                                                               v1::AlertThresholdsVersion *response)
{
    if (request->version() < 0)
        return finished(context, invalid("version must be 0 (current) or positive, not " +
                                         std::to_string(request->version())));
    try {
        const auto found = m_alerts.stored(request->version());
        if (!found)
            return finished(context, {grpc::StatusCode::NOT_FOUND,
                                      "there is no alert thresholds version " + std::to_string(request->version())});
        versionToProto(found->first, found->second, actorsOfVersions(), response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *AlertServiceImpl::ListAlertThresholdsVersions(
    grpc::CallbackServerContext *context, const v1::ListAlertThresholdsVersionsRequest *request,
    v1::ListAlertThresholdsVersionsResponse *response)
{
    if (request->limit() < 0 || request->limit() > 500)
        return finished(context, invalid("limit must be from 0 (50) to 500, not " + std::to_string(request->limit())));
    try {
        const std::map<std::int64_t, std::string> actors = actorsOfVersions();
        for (const StoredVersion &stored : m_alerts.document().versions(request->limit() == 0 ? 50 : request->limit())) {
            if (const auto parsed = m_alerts.stored(stored.version))
                versionToProto(parsed->first, parsed->second, actors, response->add_versions());
        }
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *AlertServiceImpl::SaveAlertThresholds(grpc::CallbackServerContext *context,
                                                                const v1::SaveAlertThresholdsRequest *request,
                                                                v1::AlertThresholdsVersion *response)
{
    if (request->base_version() < 0)
        return finished(context, invalid("base_version must be the current version, not " +
                                         std::to_string(request->base_version())));
    if (!request->has_thresholds())
        return finished(context, invalid("thresholds are required"));
    const alerts::AlertThresholds value = fromProto(request->thresholds());
    const auto saved =
        m_alerts.save(request->base_version(), value, request->reason(), actorOf(m_context.callers, *context));
    if (!saved.ok())
        return finished(context, convert::toStatus(saved.error()));
    versionToProto(value, saved.value(), actorsOfVersions(), response);
    m_wake.notify_all();
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *AlertServiceImpl::RollbackAlertThresholds(grpc::CallbackServerContext *context,
                                                                    const v1::RollbackAlertThresholdsRequest *request,
                                                                    v1::AlertThresholdsVersion *response)
{
    if (request->to_version() <= 0)
        return finished(context, invalid("to_version must be a positive version, not " +
                                         std::to_string(request->to_version())));
    if (request->base_version() <= 0)
        return finished(context, invalid("base_version must be the current version, not " +
                                         std::to_string(request->base_version())));
    const auto restored = m_alerts.rollback(request->to_version(), request->base_version(), request->reason(),
                                            actorOf(m_context.callers, *context));
    if (!restored.ok())
        return finished(context, convert::toStatus(restored.error()));
    try {
        const auto found = m_alerts.stored(restored.value().version);
        if (!found)
            return finished(context, {grpc::StatusCode::INTERNAL, "the restored version is not stored"});
        versionToProto(found->first, found->second, actorsOfVersions(), response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *AlertServiceImpl::TriggerDemoAlert(grpc::CallbackServerContext *context,
                                                             const v1::TriggerDemoAlertRequest *request,
                                                             v1::TriggerDemoAlertResponse *)
{
    if (request->alert().empty())
        return finished(context, invalid("alert is required: the name of the alert to trigger"));
    if (const auto refused = m_alerts.trigger(request->alert()))
        return finished(context, convert::toStatus(*refused));
    return finished(context, grpc::Status::OK);
}

void AlertServiceImpl::closeAll()
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

void AlertServiceImpl::publishLoop()
{
    using namespace std::chrono_literals;
    constexpr auto kTick = 500ms;
    constexpr auto kHeartbeat = 2s;
    std::uint64_t published = m_alerts.generation();
    auto lastPublish = std::chrono::steady_clock::now();
    for (;;) {
        std::vector<std::shared_ptr<Stream>> streams;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, kTick, [this] { return m_closed; });
            if (m_closed)
                return;
            const std::uint64_t generation = m_alerts.generation();
            const auto now = std::chrono::steady_clock::now();
            if (m_streams.empty() || (generation == published && now - lastPublish < kHeartbeat))
                continue;
            published = generation;
            lastPublish = now;
            for (const auto &[raw, stream] : m_streams)
                streams.push_back(stream);
        }
        const auto message = snapshot(kStreamHistory);
        for (const auto &stream : streams)
            stream->offer(message);
    }
}

} // namespace flywheel
