#include "services/ExperimentService.h"

#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"

namespace flywheel {

namespace {

using experiments::ExperimentManager;
namespace ex = experiments;

v1::ExperimentStatus toProto(ex::Status status)
{
    switch (status) {
    case ex::Status::Draft:
        return v1::EXPERIMENT_STATUS_DRAFT;
    case ex::Status::Running:
        return v1::EXPERIMENT_STATUS_RUNNING;
    case ex::Status::Stopped:
        return v1::EXPERIMENT_STATUS_STOPPED;
    case ex::Status::Shipped:
        return v1::EXPERIMENT_STATUS_SHIPPED;
    }
    return v1::EXPERIMENT_STATUS_UNSPECIFIED;
}

v1::ExperimentSurface toProto(ex::Surface surface)
{
    return surface == ex::Surface::InviteCopy ? v1::EXPERIMENT_SURFACE_INVITE_COPY
                                              : v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY;
}

void toProto(const ex::Experiment &e, v1::Experiment *out)
{
    out->set_key(e.key);
    out->set_name(e.name);
    out->set_hypothesis(e.hypothesis);
    out->set_surface(toProto(e.surface));
    out->set_salt(e.salt);
    out->set_traffic_bp(e.trafficBp);
    for (const ex::VariantSpec &v : e.variants) {
        v1::ExperimentVariant *variant = out->add_variants();
        variant->set_key(v.key);
        variant->set_name(v.name);
        variant->set_weight_bp(v.weightBp);
        variant->mutable_payload()->set_invite_copy(v.payload.inviteCopy);
        variant->mutable_payload()->set_subsidy_config_version(v.payload.subsidyConfigVersion);
    }
    out->set_status(toProto(e.status));
    out->set_min_run_hours(e.minRunHours);
    if (e.startedAt != TimePoint{})
        convert::toProto(e.startedAt, out->mutable_started_at());
    if (e.endedAt != TimePoint{})
        convert::toProto(e.endedAt, out->mutable_ended_at());
    out->set_shipped_variant(e.shippedVariant);
}

/// The experiment of a SaveExperiment request, or what is wrong with it.
Result<ex::Experiment> fromProto(const v1::Experiment &in)
{
    ex::Experiment e;
    e.key = in.key();
    e.name = in.name();
    e.hypothesis = in.hypothesis();
    switch (in.surface()) {
    case v1::EXPERIMENT_SURFACE_INVITE_COPY:
        e.surface = ex::Surface::InviteCopy;
        break;
    case v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY:
        e.surface = ex::Surface::FirstOrderSubsidy;
        break;
    default:
        return Error{ErrorCode::InvalidArgument,
                     "experiment.surface must be EXPERIMENT_SURFACE_INVITE_COPY or "
                     "EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY, not " +
                         std::to_string(in.surface())};
    }
    e.salt = in.salt();
    e.trafficBp = in.traffic_bp();
    e.minRunHours = in.min_run_hours();
    for (const v1::ExperimentVariant &v : in.variants())
        e.variants.push_back(ex::VariantSpec{
            v.key(), v.name(), v.weight_bp(), ex::Payload{v.payload().invite_copy(), v.payload().subsidy_config_version()}});
    return e;
}

void money(std::int64_t minor, const std::string &currency, v1::Money *out)
{
    out->set_minor_units(minor);
    out->set_currency(currency);
}

std::optional<ex::IntervalKind> intervalOf(v1::IntervalKind kind)
{
    switch (kind) {
    case v1::INTERVAL_KIND_UNSPECIFIED:
    case v1::INTERVAL_KIND_SEQUENTIAL:
        return ex::IntervalKind::Sequential;
    case v1::INTERVAL_KIND_FIXED:
        return ex::IntervalKind::FixedHorizon;
    default:
        return std::nullopt;
    }
}

grpc::Status checkChange(const std::string &key, const std::string &reason)
{
    if (key.empty())
        return {grpc::StatusCode::INVALID_ARGUMENT, "key is required: the experiment to change"};
    if (reason.empty())
        return {grpc::StatusCode::INVALID_ARGUMENT, "reason is required: say why the experiments change"};
    if (reason.size() > 500)
        return {grpc::StatusCode::INVALID_ARGUMENT, "reason must be at most 500 characters"};
    return grpc::Status::OK;
}

} // namespace

ExperimentServiceImpl::ExperimentServiceImpl(ServiceContext &context, ExperimentManager &experiments)
    : m_context(context), m_experiments(experiments), m_publisher([this] { publishLoop(); })
{}

ExperimentServiceImpl::~ExperimentServiceImpl()
{
    closeAll();
}

void ExperimentServiceImpl::toProto(const ExperimentManager::Current &current, v1::ExperimentSet *out) const
{
    out->set_version(current.stored.version);
    for (const ex::Experiment &e : current.set.experiments)
        flywheel::toProto(e, out->add_experiments());
    out->mutable_defaults()->set_invite_copy(current.set.defaults.inviteCopy);
    out->set_reason(current.stored.reason);
    out->set_source(current.stored.source);
    convert::toProto(current.stored.createdAt, out->mutable_created_at());
}

grpc::ServerUnaryReactor *ExperimentServiceImpl::answer(grpc::CallbackServerContext *context,
                                                        const Result<ExperimentManager::Current> &result,
                                                        v1::ExperimentSet *response) const
{
    if (!result.ok())
        return finished(context, convert::toStatus(result.error()));
    toProto(result.value(), response);
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *ExperimentServiceImpl::ListExperiments(grpc::CallbackServerContext *context,
                                                                 const v1::ListExperimentsRequest *request,
                                                                 v1::ExperimentSet *response)
{
    if (request->version() < 0)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "version must be 0 (current) or positive, not " + std::to_string(request->version())});
    try {
        const auto found = m_experiments.version(request->version());
        if (!found)
            return finished(context, {grpc::StatusCode::NOT_FOUND, "there is no experiment set version " +
                                                                       std::to_string(request->version())});
        toProto(*found, response);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *ExperimentServiceImpl::ListExperimentVersions(
    grpc::CallbackServerContext *context, const v1::ListExperimentVersionsRequest *request,
    v1::ListExperimentVersionsResponse *response)
{
    if (request->limit() < 0 || request->limit() > 500)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "limit must be from 0 (50) to 500, not " + std::to_string(request->limit())});
    try {
        for (const auto &version : m_experiments.versions(request->limit() == 0 ? 50 : request->limit()))
            toProto(version, response->add_versions());
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *ExperimentServiceImpl::SaveExperiment(grpc::CallbackServerContext *context,
                                                                const v1::SaveExperimentRequest *request,
                                                                v1::ExperimentSet *response)
{
    if (!request->has_experiment())
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "experiment is required"});
    if (const grpc::Status s = checkChange(request->experiment().key(), request->reason()); !s.ok())
        return finished(context, request->experiment().key().empty()
                                     ? grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                                    "experiment.key is required: 1-40 characters of a-z, 0-9, _ and -")
                                     : s);
    auto experiment = fromProto(request->experiment());
    if (!experiment.ok())
        return finished(context, convert::toStatus(experiment.error()));
    try {
        return answer(context,
                      m_experiments.save(request->base_version(), std::move(experiment).value(), request->reason(),
                                         actorOf(m_context.callers, *context)),
                      response);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *ExperimentServiceImpl::StartExperiment(grpc::CallbackServerContext *context,
                                                                 const v1::ChangeExperimentRequest *request,
                                                                 v1::ExperimentSet *response)
{
    if (const grpc::Status s = checkChange(request->key(), request->reason()); !s.ok())
        return finished(context, s);
    return answer(context,
                  m_experiments.startExperiment(request->base_version(), request->key(), request->reason(),
                                                actorOf(m_context.callers, *context)),
                  response);
}

grpc::ServerUnaryReactor *ExperimentServiceImpl::StopExperiment(grpc::CallbackServerContext *context,
                                                                const v1::ChangeExperimentRequest *request,
                                                                v1::ExperimentSet *response)
{
    if (const grpc::Status s = checkChange(request->key(), request->reason()); !s.ok())
        return finished(context, s);
    return answer(context,
                  m_experiments.stopExperiment(request->base_version(), request->key(), request->reason(),
                                               actorOf(m_context.callers, *context)),
                  response);
}

grpc::ServerUnaryReactor *ExperimentServiceImpl::ShipExperiment(grpc::CallbackServerContext *context,
                                                                const v1::ShipExperimentRequest *request,
                                                                v1::ExperimentSet *response)
{
    if (const grpc::Status s = checkChange(request->key(), request->reason()); !s.ok())
        return finished(context, s);
    if (request->variant_key().empty())
        return finished(context,
                        {grpc::StatusCode::INVALID_ARGUMENT, "variant_key is required: the variant to ship"});
    return answer(context,
                  m_experiments.ship(request->base_version(), request->key(), request->variant_key(),
                                     request->reason(), actorOf(m_context.callers, *context)),
                  response);
}

grpc::ServerUnaryReactor *ExperimentServiceImpl::RollbackExperiment(grpc::CallbackServerContext *context,
                                                                    const v1::ChangeExperimentRequest *request,
                                                                    v1::ExperimentSet *response)
{
    if (const grpc::Status s = checkChange(request->key(), request->reason()); !s.ok())
        return finished(context, s);
    return answer(context,
                  m_experiments.rollback(request->base_version(), request->key(), request->reason(),
                                         actorOf(m_context.callers, *context)),
                  response);
}

Result<std::shared_ptr<const v1::ExperimentResults>>
ExperimentServiceImpl::resultsMessage(const std::string &key, ex::IntervalKind kind) const
{
    const auto view = m_experiments.results(key, kind);
    if (!view.ok())
        return view.error();
    const ExperimentManager::ResultsView &r = view.value();
    auto message = std::make_shared<v1::ExperimentResults>();
    message->set_key(r.experiment.key);
    message->set_status(flywheel::toProto(r.experiment.status));
    message->set_interval(kind == ex::IntervalKind::Sequential ? v1::INTERVAL_KIND_SEQUENTIAL
                                                               : v1::INTERVAL_KIND_FIXED);
    convert::toProto(r.at, message->mutable_at());
    if (r.experiment.startedAt != TimePoint{})
        convert::toProto(r.experiment.startedAt, message->mutable_started_at());
    message->set_running_seconds(r.runningSeconds);
    message->set_currency(m_context.currency);
    for (const ex::VariantResult &v : r.results.variants) {
        v1::VariantResult *out = message->add_variants();
        out->set_variant_key(v.key);
        out->set_name(v.name);
        out->set_weight_bp(v.weightBp);
        out->set_exposures(v.totals.exposures);
        out->set_exposure_share(v.exposureShare);
        out->set_sharers(v.totals.sharers);
        out->set_shares(v.totals.shares);
        out->set_share_rate(v.shareRate);
        out->set_registrations(v.totals.registrations);
        out->set_orders(v.totals.orders);
        money(v.totals.gmvMinor, m_context.currency, out->mutable_gmv());
        money(v.totals.subsidyMinor, m_context.currency, out->mutable_subsidy_cost());
        money(v.totals.commissionMinor, m_context.currency, out->mutable_commission_cost());
        money(v.totals.subsidyMinor + v.totals.commissionMinor, m_context.currency, out->mutable_cost());
        out->set_roi_per_1000(v.roiPer1000);
        for (const ex::Difference &d : v.differences) {
            v1::MetricDifference *diff = out->add_differences();
            diff->set_metric(d.metric);
            diff->set_test(d.test);
            diff->set_control(d.control);
            diff->set_variant(d.variant);
            diff->set_difference(d.difference);
            diff->set_ci_low(d.lower);
            diff->set_ci_high(d.upper);
            diff->set_p_value(d.pValue);
            diff->set_adjusted_p_value(d.adjustedPValue);
            diff->set_significant(d.significant);
            diff->set_insufficient_data(d.insufficientData);
        }
    }
    message->mutable_srm()->set_chi_square(r.results.srmChiSquare);
    message->mutable_srm()->set_p_value(r.results.srmPValue);
    message->mutable_srm()->set_mismatch(r.results.srmMismatch);
    message->set_can_ship(r.canShip);
    message->set_ship_blocked_reason(r.shipBlockedReason);
    return std::shared_ptr<const v1::ExperimentResults>(std::move(message));
}

grpc::ServerWriteReactor<v1::ExperimentResults> *
ExperimentServiceImpl::StreamExperimentResults(grpc::CallbackServerContext *,
                                               const v1::StreamExperimentResultsRequest *request)
{
    const auto stream = Stream::create([this](Stream *done) {
        const std::lock_guard lock(m_mutex);
        m_streams.erase(done);
    });
    const auto kind = intervalOf(request->interval());
    if (request->key().empty()) {
        stream->close({grpc::StatusCode::INVALID_ARGUMENT, "key is required: the experiment whose results to stream"});
        return stream.get();
    }
    if (!kind) {
        stream->close({grpc::StatusCode::INVALID_ARGUMENT,
                       "interval must be INTERVAL_KIND_SEQUENTIAL or INTERVAL_KIND_FIXED, not " +
                           std::to_string(request->interval())});
        return stream.get();
    }
    const std::uint64_t generation = m_experiments.generation();
    auto first = resultsMessage(request->key(), *kind);
    if (!first.ok()) {
        stream->close(convert::toStatus(first.error()));
        return stream.get();
    }
    bool closed = false;
    {
        const std::lock_guard lock(m_mutex);
        closed = m_closed;
        if (!closed)
            m_streams.emplace(stream.get(), Subscription{stream, request->key(), *kind,
                                                         std::chrono::steady_clock::now(), generation});
    }
    if (closed)
        stream->close({grpc::StatusCode::UNAVAILABLE, "the backend is shutting down"});
    else
        stream->offer(std::move(first).value());
    return stream.get();
}

void ExperimentServiceImpl::closeAll()
{
    std::vector<std::shared_ptr<Stream>> streams;
    {
        const std::lock_guard lock(m_mutex);
        if (!m_closed) {
            m_closed = true;
            for (const auto &[raw, subscription] : m_streams)
                streams.push_back(subscription.stream);
        }
    }
    for (const auto &stream : streams)
        stream->close({grpc::StatusCode::UNAVAILABLE, "the backend is shutting down"});
    m_wake.notify_all();
    if (m_publisher.joinable())
        m_publisher.join();
}

void ExperimentServiceImpl::publishLoop()
{
    using namespace std::chrono_literals;
    constexpr auto kTick = 1s;
    constexpr auto kHeartbeat = 2s;
    for (;;) {
        std::vector<Subscription> due;
        const std::uint64_t generation = m_experiments.generation();
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, kTick, [this] { return m_closed; });
            if (m_closed)
                return;
            const auto now = std::chrono::steady_clock::now();
            for (auto &[raw, subscription] : m_streams) {
                if (subscription.generation == generation && now - subscription.lastSent < kHeartbeat)
                    continue;
                subscription.generation = generation;
                subscription.lastSent = now;
                due.push_back(subscription);
            }
        }
        std::map<std::pair<std::string, ex::IntervalKind>, std::shared_ptr<const v1::ExperimentResults>> built;
        for (const Subscription &subscription : due) {
            auto &message = built[{subscription.key, subscription.kind}];
            if (!message) {
                auto made = resultsMessage(subscription.key, subscription.kind);
                if (!made.ok()) {
                    subscription.stream->close(convert::toStatus(made.error()));
                    continue;
                }
                message = std::move(made).value();
            }
            subscription.stream->offer(message);
        }
    }
}

} // namespace flywheel
