#include "services/SubsidyService.h"

#include "common/Log.h"
#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"

#include <chrono>

namespace flywheel {

namespace {

using subsidy::SubsidyConfig;

void money(Money m, const std::string &currency, v1::Money *out)
{
    out->set_minor_units(m.minorUnits());
    out->set_currency(currency);
}

/// The amount, or why not: another currency than the backend's.
std::optional<std::string> amount(const v1::Money &in, const std::string &currency, const std::string &field,
                                  Money &out)
{
    if (!in.currency().empty() && in.currency() != currency)
        return field + " must be in " + currency + ", not " + in.currency();
    out = Money(in.minor_units());
    return std::nullopt;
}

void toProto(const SubsidyConfig &c, const std::string &currency, v1::SubsidyConfig *out)
{
    out->set_enabled(c.enabled);
    out->set_campaign_id(c.campaignId);
    out->set_min_ltv_cac_ratio(c.minLtvCacRatio);
    money(c.baseAmount, currency, out->mutable_base_amount());
    out->set_cap_factor(c.capFactor);
    out->set_active_days(c.activeDays);
    out->mutable_risk()->set_latency_threshold_ms(c.risk.latencyThresholdMs);
    out->mutable_risk()->set_score_threshold(c.risk.scoreThreshold);
    out->mutable_risk()->set_weight(c.risk.weight);
    for (const subsidy::ChannelCac &cac : c.channelCac) {
        v1::ChannelCac *row = out->add_channel_cac();
        row->set_channel(cac.channel);
        money(cac.cac, currency, row->mutable_cac());
    }
    for (const subsidy::CampaignBudget &b : c.budgets) {
        v1::CampaignBudget *row = out->add_budgets();
        row->set_campaign_id(b.campaignId);
        money(b.total, currency, row->mutable_total());
        money(b.daily, currency, row->mutable_daily());
    }
    v1::LtvModel *ltv = out->mutable_ltv();
    ltv->set_base_orders(c.ltv.baseOrders);
    ltv->set_orders_per_active_day(c.ltv.ordersPerActiveDay);
    ltv->set_orders_per_past_order(c.ltv.ordersPerPastOrder);
    ltv->set_margin_bp(c.ltv.marginBp);
    ltv->set_min_category_orders(c.ltv.minCategoryOrders);
}

/// The config as sent, validated; the error names the field under `prefix`
/// ("config." or "draft.").
std::variant<SubsidyConfig, std::string> fromProto(const v1::SubsidyConfig &in, const std::string &currency,
                                                   const std::string &prefix)
{
    SubsidyConfig c;
    c.enabled = in.enabled();
    c.campaignId = in.campaign_id();
    c.minLtvCacRatio = in.min_ltv_cac_ratio();
    if (auto e = amount(in.base_amount(), currency, prefix + "base_amount", c.baseAmount))
        return *e;
    c.capFactor = in.cap_factor();
    c.activeDays = in.active_days();
    c.risk.latencyThresholdMs = in.risk().latency_threshold_ms();
    c.risk.scoreThreshold = in.risk().score_threshold();
    c.risk.weight = in.risk().weight();
    for (int i = 0; i < in.channel_cac_size(); ++i) {
        subsidy::ChannelCac cac{in.channel_cac(i).channel(), Money()};
        if (auto e = amount(in.channel_cac(i).cac(), currency,
                            prefix + "channel_cac[" + std::to_string(i) + "].cac", cac.cac))
            return *e;
        c.channelCac.push_back(std::move(cac));
    }
    for (int i = 0; i < in.budgets_size(); ++i) {
        subsidy::CampaignBudget b{in.budgets(i).campaign_id(), Money(), Money()};
        const std::string where = prefix + "budgets[" + std::to_string(i) + "]";
        if (auto e = amount(in.budgets(i).total(), currency, where + ".total", b.total))
            return *e;
        if (auto e = amount(in.budgets(i).daily(), currency, where + ".daily", b.daily))
            return *e;
        c.budgets.push_back(std::move(b));
    }
    c.ltv.baseOrders = in.ltv().base_orders();
    c.ltv.ordersPerActiveDay = in.ltv().orders_per_active_day();
    c.ltv.ordersPerPastOrder = in.ltv().orders_per_past_order();
    c.ltv.marginBp = in.ltv().margin_bp();
    c.ltv.minCategoryOrders = in.ltv().min_category_orders();
    if (auto error = subsidy::validate(c))
        return prefix + *error;
    return c;
}

v1::SubsidyReason toProto(subsidy::Reason reason)
{
    return static_cast<v1::SubsidyReason>(static_cast<int>(reason));
}

void toProto(const subsidy::CampaignState &s, const std::string &currency, v1::CampaignSpend *out)
{
    out->set_campaign_id(s.campaignId);
    money(s.totalBudget, currency, out->mutable_total_budget());
    money(s.dailyBudget, currency, out->mutable_daily_budget());
    money(s.spentTotal, currency, out->mutable_spent_total());
    money(s.spentToday, currency, out->mutable_spent_today());
    out->set_at_90_percent(s.at90);
    out->set_exhausted(toProto(s.exhausted));
}

void toProto(const subsidy::SimulationOutcome &o, const std::string &currency, v1::SimulationOutcome *out)
{
    out->set_first_orders(o.firstOrders);
    out->set_subsidised_users(o.subsidisedUsers);
    money(o.cost, currency, out->mutable_cost());
    for (const subsidy::CampaignState &s : o.spend)
        toProto(s, currency, out->add_spend());
    for (const subsidy::ReasonCount &r : o.reasons) {
        v1::ReasonCount *row = out->add_reasons();
        row->set_reason(toProto(r.reason));
        row->set_count(r.count);
    }
}

grpc::Status invalid(std::string message)
{
    return {grpc::StatusCode::INVALID_ARGUMENT, std::move(message)};
}

} // namespace

SubsidyServiceImpl::SubsidyServiceImpl(ServiceContext &context, subsidy::SubsidyManager &subsidies)
    : m_context(context), m_subsidies(subsidies), m_publisher([this] { publishLoop(); })
{}

SubsidyServiceImpl::~SubsidyServiceImpl()
{
    closeAll();
}

grpc::Status SubsidyServiceImpl::versionToProto(const subsidy::LiveConfig &config, const StoredVersion &stored,
                                                 v1::SubsidyConfigVersion *out,
                                                 const std::map<std::int64_t, std::string> &actors) const
{
    out->set_version(stored.version);
    toProto(config.config, m_context.currency, out->mutable_config());
    out->set_reason(stored.reason);
    out->set_source(stored.source);
    out->set_candidate(stored.candidate);
    convert::toProto(stored.createdAt, out->mutable_created_at());
    if (const auto found = actors.find(stored.version); found != actors.end())
        out->set_actor(found->second);
    return grpc::Status::OK;
}

grpc::Status SubsidyServiceImpl::versionToProto(const subsidy::LiveConfig &config, const StoredVersion &stored,
                                                 v1::SubsidyConfigVersion *out) const
{
    return versionToProto(config, stored, out, actorsOfVersions());
}

std::map<std::int64_t, std::string> SubsidyServiceImpl::actorsOfVersions() const
{
    // From the versions' audit entries (initial versions have none), in one read:
    // the newest 500 entries of the area cover every version the console lists. A
    // version whose entry cannot be read is answered without its actor rather than
    // failing a call whose change has already happened.
    std::map<std::int64_t, std::string> actors;
    AuditQuery query;
    query.area = kSubsidyArea;
    query.limit = 500;
    try {
        for (const audit::Entry &entry : m_context.store.audit.auditEntries(query))
            actors.emplace(entry.version, entry.actor.name);
    } catch (const StorageError &e) {
        common::Log::warning(std::string("subsidy config versions are answered without their actors: ") + e.what());
    }
    return actors;
}

grpc::ServerUnaryReactor *SubsidyServiceImpl::GetSubsidyConfig(grpc::CallbackServerContext *context,
                                                               const v1::GetSubsidyConfigRequest *request,
                                                               v1::SubsidyConfigVersion *response)
{
    if (request->version() < 0)
        return finished(context, invalid("version must be 0 (current) or positive, not " +
                                         std::to_string(request->version())));
    try {
        const auto found = m_subsidies.stored(request->version());
        if (!found)
            return finished(context, {grpc::StatusCode::NOT_FOUND,
                                      "there is no subsidy config version " + std::to_string(request->version())});
        return finished(context, versionToProto(found->first, found->second, response));
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *SubsidyServiceImpl::ListSubsidyConfigVersions(
    grpc::CallbackServerContext *context, const v1::ListSubsidyConfigVersionsRequest *request,
    v1::ListSubsidyConfigVersionsResponse *response)
{
    if (request->limit() < 0 || request->limit() > 500)
        return finished(context, invalid("limit must be from 0 (50) to 500, not " + std::to_string(request->limit())));
    try {
        const std::map<std::int64_t, std::string> actors = actorsOfVersions();
        for (const StoredVersion &stored : m_subsidies.document().versions(request->limit() == 0 ? 50 : request->limit())) {
            const auto parsed = m_subsidies.stored(stored.version);
            if (!parsed)
                continue;
            versionToProto(parsed->first, parsed->second, response->add_versions(), actors);
        }
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *SubsidyServiceImpl::SaveSubsidyConfig(grpc::CallbackServerContext *context,
                                                                const v1::SaveSubsidyConfigRequest *request,
                                                                v1::SubsidyConfigVersion *response)
{
    // A candidate changes nothing in force: its base_version is ignored.
    if (!request->candidate() && request->base_version() < 0)
        return finished(context, invalid("base_version must be the current version (0 before the first), not " +
                                         std::to_string(request->base_version())));
    if (!request->has_config())
        return finished(context, invalid("config is required"));
    auto config = fromProto(request->config(), m_context.currency, "config.");
    if (const auto *error = std::get_if<std::string>(&config))
        return finished(context, invalid(*error));
    const SubsidyConfig &value = std::get<SubsidyConfig>(config);
    const audit::Actor actor = actorOf(m_context.callers, *context);
    const auto saved = request->candidate() ? m_subsidies.saveCandidate(value, request->reason(), actor)
                                            : m_subsidies.save(request->base_version(), value, request->reason(), actor);
    if (!saved.ok())
        return finished(context, convert::toStatus(saved.error()));
    return finished(context, versionToProto({value, saved.value().version}, saved.value(), response));
}

grpc::ServerUnaryReactor *SubsidyServiceImpl::RollbackSubsidyConfig(grpc::CallbackServerContext *context,
                                                                    const v1::RollbackSubsidyConfigRequest *request,
                                                                    v1::SubsidyConfigVersion *response)
{
    if (request->to_version() <= 0)
        return finished(context, invalid("to_version must be a positive version, not " +
                                         std::to_string(request->to_version())));
    if (request->base_version() <= 0)
        return finished(context, invalid("base_version must be the current version, not " +
                                         std::to_string(request->base_version())));
    const auto restored = m_subsidies.rollback(request->to_version(), request->base_version(), request->reason(),
                                               actorOf(m_context.callers, *context));
    if (!restored.ok())
        return finished(context, convert::toStatus(restored.error()));
    try {
        const auto found = m_subsidies.stored(restored.value().version);
        if (!found)
            return finished(context, {grpc::StatusCode::INTERNAL, "the restored version is not stored"});
        return finished(context, versionToProto(found->first, found->second, response));
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *SubsidyServiceImpl::ExplainSubsidy(grpc::CallbackServerContext *context,
                                                             const v1::ExplainSubsidyRequest *request,
                                                             v1::SubsidyExplanation *response)
{
    if (request->uid() <= 0)
        return finished(context, invalid("uid must be a positive user id, not " + std::to_string(request->uid())));
    if (!request->channel().empty() && !subsidy::validSubsidyId(request->channel()))
        return finished(context, invalid("channel must be 1-40 of a-z, 0-9, _ and -, not \"" + request->channel() +
                                         "\""));
    if (request->items_size() > static_cast<int>(kMaxOrderLines))
        return finished(context, invalid("items may hold at most " + std::to_string(kMaxOrderLines) + " lines, not " +
                                         std::to_string(request->items_size())));
    std::optional<SubsidyConfig> draft;
    if (request->use_draft()) {
        auto parsed = fromProto(request->draft(), m_context.currency, "draft.");
        if (const auto *error = std::get_if<std::string>(&parsed))
            return finished(context, invalid(*error));
        draft = std::get<SubsidyConfig>(std::move(parsed));
    }
    std::vector<OrderRequestItem> items;
    for (const v1::OrderItemRef &item : request->items())
        items.push_back({item.sku(), item.quantity()});
    const auto explained = m_subsidies.explain(request->uid(), request->channel(), items, draft);
    if (!explained.ok())
        return finished(context, convert::toStatus(explained.error()));
    const subsidy::Explanation &e = explained.value();
    const std::string &cur = m_context.currency;
    v1::SubsidyInputs *in = response->mutable_inputs();
    in->set_active_days_last7(e.inputs.activeDaysLast7);
    in->set_past_paid_orders(e.inputs.pastPaidOrders);
    in->set_risk_score(e.inputs.riskScore);
    in->set_channel(e.inputs.channel);
    in->set_category(e.inputs.category);
    money(e.inputs.categoryAverage, cur, in->mutable_category_average_order());
    in->set_category_orders(e.inputs.categoryOrders);
    money(e.inputs.orderTotal, cur, in->mutable_order_total());
    in->set_expected_orders(e.decision.ltv.expectedOrders);
    money(e.decision.ltv.averageOrderValue, cur, in->mutable_average_order_value());
    in->set_margin(e.decision.ltv.margin);
    money(e.decision.ltv.ltv, cur, in->mutable_ltv());
    money(e.decision.ltv.cac, cur, in->mutable_cac());
    in->set_ltv_cac_ratio(e.decision.ltv.ratio);
    in->set_order_p99_ms(e.inputs.orderP99Ms);
    v1::SubsidyDecision *d = response->mutable_decision();
    d->set_reason(toProto(e.decision.reason));
    money(e.decision.amount, cur, d->mutable_amount());
    d->set_campaign_id(e.campaignId);
    d->set_config_version(e.configVersion);
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *SubsidyServiceImpl::SimulateSubsidyConfig(grpc::CallbackServerContext *context,
                                                                    const v1::SimulateSubsidyConfigRequest *request,
                                                                    v1::SubsidySimulation *response)
{
    if (request->days() < 0 || request->days() > 30)
        return finished(context, invalid("days must be from 0 (7) to 30, not " + std::to_string(request->days())));
    if (!request->has_draft())
        return finished(context, invalid("draft is required"));
    auto draft = fromProto(request->draft(), m_context.currency, "draft.");
    if (const auto *error = std::get_if<std::string>(&draft))
        return finished(context, invalid(*error));
    try {
        const subsidy::Simulation s =
            m_subsidies.simulate(std::get<SubsidyConfig>(draft), request->days() == 0 ? 7 : request->days());
        convert::toProto(s.from, response->mutable_from());
        convert::toProto(s.to, response->mutable_to());
        toProto(s.draft, m_context.currency, response->mutable_draft());
        toProto(s.live, m_context.currency, response->mutable_live());
        response->set_newly_subsidised(s.newlySubsidised);
        response->set_no_longer_subsidised(s.noLongerSubsidised);
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

std::shared_ptr<const v1::SubsidyRoiSnapshot> SubsidyServiceImpl::snapshot() const
{
    const subsidy::RoiSnapshot roi = m_subsidies.roi();
    const std::string &cur = m_context.currency;
    auto out = std::make_shared<v1::SubsidyRoiSnapshot>();
    convert::toProto(roi.at, out->mutable_at());
    for (const subsidy::CampaignState &c : roi.campaigns)
        toProto(c, cur, out->add_campaigns());
    for (const subsidy::RoiRow &r : roi.rows) {
        v1::SubsidyRoiRow *row = out->add_rows();
        row->set_campaign_id(r.campaignId);
        row->set_channel(r.channel);
        row->set_issued(r.issued);
        money(r.issuedAmount, cur, row->mutable_issued_amount());
        row->set_redeemed(r.redeemed);
        money(r.redeemedAmount, cur, row->mutable_redeemed_amount());
        row->set_redemption_rate(r.redemptionRate);
        money(r.gmv, cur, row->mutable_gmv());
        row->set_roa(r.roa);
        row->set_issue_to_redeem_p95_seconds(r.issueToRedeemP95Seconds);
        row->set_released(r.released);
    }
    const auto point = [&cur](const subsidy::RoiPoint &p, v1::SubsidyPoint *to) {
        convert::toProto(p.start, to->mutable_start());
        money(p.issuedAmount, cur, to->mutable_issued_amount());
        money(p.redeemedAmount, cur, to->mutable_redeemed_amount());
        money(p.redeemedGmv, cur, to->mutable_redeemed_gmv());
        to->set_issued(p.issued);
        to->set_redeemed(p.redeemed);
    };
    for (const subsidy::RoiPoint &p : roi.recent)
        point(p, out->add_recent());
    for (const subsidy::RoiSeries &s : roi.series) {
        v1::SubsidyRoiSeries *series = out->add_series();
        series->set_campaign_id(s.campaignId);
        series->set_channel(s.channel);
        series->set_other(s.other);
        for (const subsidy::RoiPoint &p : s.points) {
            if (p.issued != 0 || p.redeemed != 0 || p.issuedAmount.minorUnits() != 0 ||
                p.redeemedAmount.minorUnits() != 0 || p.redeemedGmv.minorUnits() != 0)
                point(p, series->add_points()); // the quiet minutes are implied (see the proto)
        }
    }
    for (const subsidy::ReasonCount &r : roi.reasons) {
        v1::ReasonCount *row = out->add_reasons();
        row->set_reason(toProto(r.reason));
        row->set_count(r.count);
    }
    out->set_order_p99_ms(roi.orderP99Ms);
    out->set_down_weighting(roi.downWeighting);
    out->set_config_version(roi.configVersion);
    return out;
}

grpc::ServerWriteReactor<v1::SubsidyRoiSnapshot> *
SubsidyServiceImpl::StreamSubsidyRoi(grpc::CallbackServerContext *, const v1::StreamSubsidyRoiRequest *)
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

void SubsidyServiceImpl::closeAll()
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

void SubsidyServiceImpl::publishLoop()
{
    using namespace std::chrono_literals;
    constexpr auto kTick = 500ms;
    constexpr auto kHeartbeat = 2s;
    std::uint64_t published = m_subsidies.generation();
    auto lastPublish = std::chrono::steady_clock::now();
    for (;;) {
        std::vector<std::shared_ptr<Stream>> streams;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, kTick, [this] { return m_closed; });
            if (m_closed)
                return;
            const std::uint64_t generation = m_subsidies.generation();
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
