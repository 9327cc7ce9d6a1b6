#include "services/SegmentService.h"

#include "segments/SegmentSetYaml.h"
#include "services/Actor.h"
#include "services/Convert.h"
#include "services/Reactors.h"

namespace flywheel {

namespace {

using segments::Channel;

constexpr int kMaxEventsPerBatch = 10000;

using convert::fromProto;
using convert::toProto;

v1::ReachOutcome toProto(segments::ReachOutcome outcome)
{
    switch (outcome) {
    case segments::ReachOutcome::Reach:
        return v1::REACH_OUTCOME_REACH;
    case segments::ReachOutcome::Generic:
        return v1::REACH_OUTCOME_GENERIC;
    case segments::ReachOutcome::NoSegment:
        return v1::REACH_OUTCOME_NO_SEGMENT;
    case segments::ReachOutcome::Capped:
        return v1::REACH_OUTCOME_CAPPED;
    case segments::ReachOutcome::RateLimited:
        return v1::REACH_OUTCOME_RATE_LIMITED;
    case segments::ReachOutcome::HeldOut:
        return v1::REACH_OUTCOME_HELD_OUT;
    }
    return v1::REACH_OUTCOME_UNSPECIFIED;
}

v1::FeatureType toProto(segments::ValueType type)
{
    switch (type) {
    case segments::ValueType::Number:
        return v1::FEATURE_TYPE_NUMBER;
    case segments::ValueType::String:
        return v1::FEATURE_TYPE_STRING;
    case segments::ValueType::Bool:
        return v1::FEATURE_TYPE_BOOL;
    }
    return v1::FEATURE_TYPE_UNSPECIFIED;
}

void toProto(const segments::ReachDecision &d, v1::ReachDecision *out)
{
    out->set_uid(d.uid);
    out->set_outcome(toProto(d.outcome));
    out->set_segment_id(d.segmentId);
    if (d.channel)
        out->set_channel(toProto(*d.channel));
    out->set_reason(d.reason);
    out->set_segment_set_version(d.setVersion);
    convert::toProto(d.at, out->mutable_decided_at());
}

Result<std::vector<segments::UserEvent>> fromProto(const google::protobuf::RepeatedPtrField<v1::UserEvent> &events)
{
    if (events.size() > kMaxEventsPerBatch)
        return Error{ErrorCode::InvalidArgument, "at most " + std::to_string(kMaxEventsPerBatch) +
                                                     " events per batch, not " + std::to_string(events.size())};
    std::vector<segments::UserEvent> out;
    out.reserve(static_cast<std::size_t>(events.size()));
    for (const v1::UserEvent &e : events) {
        if (!e.has_ts())
            return Error{ErrorCode::InvalidArgument,
                         "event " + std::to_string(out.size()) +
                             ": ts is missing: it must be a google.protobuf.Timestamp, when the event happened "
                             "(seconds and nanos since 1970-01-01T00:00:00Z; in JSON an RFC 3339 string such as "
                             "\"2026-01-01T08:00:00Z\")"};
        segments::UserEvent event;
        event.uid = e.uid();
        event.type = e.type();
        event.at = convert::fromProto(e.ts());
        event.props.assign(e.props().begin(), e.props().end());
        event.attrs.assign(e.attrs().begin(), e.attrs().end());
        out.push_back(std::move(event));
    }
    return out;
}

Result<segments::SegmentSet> fromProto(const v1::SaveSegmentSetRequest &request)
{
    segments::SegmentSet set;
    set.policy.seedExpression = request.policy().seed_expression();
    set.policy.holdoutPercent = request.policy().holdout_percent();
    set.policy.rateLimitPerSecond = request.policy().rate_limit_per_second();
    for (int i = 0; i < request.segments_size(); ++i) {
        const v1::Segment &p = request.segments(i);
        const std::string where = "segment " + std::to_string(i + 1) + " ('" + p.id().substr(0, 64) + "')";
        segments::Segment s;
        s.id = p.id();
        s.name = p.name();
        s.expression = p.expression();
        s.priority = p.priority();
        s.capCount = p.cap_count();
        if (p.cap_period() == v1::CAP_PERIOD_DAY)
            s.capPeriod = segments::CapPeriod::Day;
        else if (p.cap_period() == v1::CAP_PERIOD_WEEK)
            s.capPeriod = segments::CapPeriod::Week;
        else
            return Error{ErrorCode::InvalidArgument, where + ": the cap period must be a day or a week"};
        for (const int c : p.channels()) {
            const auto channel = fromProto(static_cast<v1::ReachChannel>(c));
            if (!channel)
                return Error{ErrorCode::InvalidArgument,
                             where + ": channel " + convert::enumName<v1::ReachChannel>(c) + " is unknown"};
            s.channels.push_back(*channel);
        }
        s.enabled = p.enabled();
        set.segments.push_back(std::move(s));
    }
    return set;
}

/// Reads batches until the client finishes; the first bad batch ends the call.
class EventStream final : public grpc::ServerReadReactor<v1::IngestEventsRequest> {
public:
    EventStream(segments::SegmentManager &segments, v1::IngestEventsResponse *response)
        : m_segments(segments), m_response(response)
    {
        StartRead(&m_batch);
    }
    void OnReadDone(bool ok) override
    {
        if (!ok) { // the client is done sending
            m_response->set_applied(m_applied);
            Finish(grpc::Status::OK);
            return;
        }
        auto events = fromProto(m_batch.events());
        Result<std::size_t> applied =
            events.ok() ? m_segments.ingest(events.value()) : Result<std::size_t>(events.error());
        if (!applied.ok()) {
            Error error = applied.error();
            error.message = "batch " + std::to_string(m_batches) + ", " + error.message + " (" +
                            std::to_string(m_applied) + " events of earlier batches were applied)";
            Finish(convert::toStatus(error));
            return;
        }
        m_applied += static_cast<std::int64_t>(applied.value());
        ++m_batches;
        StartRead(&m_batch);
    }
    void OnDone() override { delete this; }

private:
    segments::SegmentManager &m_segments;
    v1::IngestEventsResponse *m_response;
    v1::IngestEventsRequest m_batch;
    std::int64_t m_applied = 0;
    std::int64_t m_batches = 0;
};

} // namespace

grpc::ServerUnaryReactor *SegmentServiceImpl::IngestEvents(grpc::CallbackServerContext *context,
                                                           const v1::IngestEventsRequest *request,
                                                           v1::IngestEventsResponse *response)
{
    auto events = fromProto(request->events());
    if (!events.ok())
        return finished(context, convert::toStatus(events.error()));
    const auto applied = m_segments.ingest(events.value());
    if (!applied.ok())
        return finished(context, convert::toStatus(applied.error()));
    response->set_applied(static_cast<std::int64_t>(applied.value()));
    return finished(context, grpc::Status::OK);
}

grpc::ServerReadReactor<v1::IngestEventsRequest> *SegmentServiceImpl::StreamEvents(grpc::CallbackServerContext *,
                                                                                   v1::IngestEventsResponse *response)
{
    return new EventStream(m_segments, response); // deletes itself in OnDone
}

grpc::ServerUnaryReactor *SegmentServiceImpl::LookupUser(grpc::CallbackServerContext *context,
                                                         const v1::LookupUserRequest *request, v1::UserLookup *response)
{
    const auto profile = m_segments.profiles().find(request->uid());
    if (!profile)
        return finished(context, {grpc::StatusCode::NOT_FOUND, "user " + std::to_string(request->uid()) +
                                                                   " has no profile (no event has named them)"});
    const auto set = m_segments.current();
    const segments::Day today = segments::dayOf(m_context.clock.now());
    const auto &dictionary = m_segments.profiles().dictionary();
    response->set_uid(profile->uid);
    for (const segments::FeatureInfo &f : segments::featureCatalog()) {
        if (f.name.starts_with("tag."))
            continue;
        auto *value = response->add_features();
        value->set_name(f.name);
        value->set_value(segments::featureText(f.name, *profile, today, dictionary));
    }
    for (const segments::TagWeight &t : profile->tags)
        (*response->mutable_tags())[dictionary.text(t.tag)] = t.weight;
    response->set_seed(!set->seed || set->seed->matches(*profile, today));
    for (const auto &[segment, expression] : set->ordered) {
        if (expression.matches(*profile, today))
            response->add_segments(segment->id);
    }
    const auto decision = m_segments.decide(request->uid(), false);
    if (decision.ok())
        toProto(decision.value(), response->mutable_decision());
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *SegmentServiceImpl::PreviewSegment(grpc::CallbackServerContext *context,
                                                             const v1::PreviewSegmentRequest *request,
                                                             v1::PreviewSegmentResponse *response)
{
    if (request->sample_size() < 0 || request->sample_size() > 100)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT, "sample_size must be 0 (for 20) to 100, not " +
                                                                          std::to_string(request->sample_size())});
    auto result = m_segments.preview(request->expression(), request->sample_size() == 0 ? 20 : request->sample_size());
    if (const auto *error = std::get_if<segments::ExpressionError>(&result)) {
        v1::ExpressionError details;
        details.set_line(error->line);
        details.set_column(error->column);
        details.set_message(error->message);
        return finished(context,
                        grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, error->text(), details.SerializeAsString()));
    }
    const auto &preview = std::get<segments::SegmentPreview>(result);
    response->set_matching(preview.matching);
    response->set_total(preview.total);
    response->set_elapsed_ms(preview.elapsedMs);
    for (const std::string &feature : preview.features)
        response->add_features(feature);
    for (const auto &[uid, values] : preview.sample) {
        auto *row = response->add_sample();
        row->set_uid(uid);
        for (std::size_t i = 0; i < values.size(); ++i) {
            auto *value = row->add_values();
            value->set_name(preview.features[i]);
            value->set_value(values[i]);
        }
    }
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *SegmentServiceImpl::ListFeatures(grpc::CallbackServerContext *context,
                                                           const v1::ListFeaturesRequest *,
                                                           v1::ListFeaturesResponse *response)
{
    for (const segments::FeatureInfo &f : segments::featureCatalog()) {
        auto *feature = response->add_features();
        feature->set_name(f.name);
        feature->set_type(toProto(f.type));
        feature->set_description(f.description);
    }
    // Dictionary entries are tags and string values alike; sort them by what they are.
    std::set<std::string> tags, devices, regions, channels;
    const auto &dictionary = m_segments.profiles().dictionary();
    m_segments.profiles().forEach([&](const segments::Profile &p) {
        for (const segments::TagWeight &t : p.tags)
            tags.insert(dictionary.text(t.tag));
        devices.insert(dictionary.text(p.device));
        regions.insert(dictionary.text(p.region));
        channels.insert(dictionary.text(p.installChannel));
        return true;
    });
    const auto copy = [](const std::set<std::string> &from, google::protobuf::RepeatedPtrField<std::string> *to) {
        for (const std::string &s : from) {
            if (!s.empty())
                to->Add(std::string(s));
        }
    };
    copy(tags, response->mutable_tags());
    copy(devices, response->mutable_devices());
    copy(regions, response->mutable_regions());
    copy(channels, response->mutable_install_channels());
    return finished(context, grpc::Status::OK);
}

grpc::Status SegmentServiceImpl::versionToProto(const StoredSegmentSet &stored, v1::SegmentSetVersion *out)
{
    auto parsed = segments::parseSegmentSetYaml(stored.yaml, "segment set version " + std::to_string(stored.version));
    if (const auto *error = std::get_if<common::YamlError>(&parsed))
        return {grpc::StatusCode::INTERNAL, "cannot read " + error->describe()};
    const auto &set = std::get<segments::SegmentSet>(parsed);
    out->set_version(stored.version);
    out->set_reason(stored.reason);
    out->set_source(stored.source);
    convert::toProto(stored.createdAt, out->mutable_created_at());
    out->mutable_policy()->set_seed_expression(set.policy.seedExpression);
    out->mutable_policy()->set_holdout_percent(set.policy.holdoutPercent);
    out->mutable_policy()->set_rate_limit_per_second(set.policy.rateLimitPerSecond);
    const auto current = m_segments.current();
    const auto [sizes, sizesAt] = m_segments.sizes();
    for (const segments::Segment &s : set.segments) {
        auto *segment = out->add_segments();
        segment->set_id(s.id);
        segment->set_name(s.name);
        segment->set_expression(s.expression);
        segment->set_priority(s.priority);
        segment->set_cap_count(s.capCount);
        segment->set_cap_period(s.capPeriod == segments::CapPeriod::Day ? v1::CAP_PERIOD_DAY : v1::CAP_PERIOD_WEEK);
        for (const Channel c : s.channels)
            segment->add_channels(toProto(c));
        segment->set_enabled(s.enabled);
        if (stored.version == current->version) {
            if (const auto it = sizes.find(s.id); it != sizes.end()) {
                segment->set_size(it->second);
                convert::toProto(sizesAt, segment->mutable_size_at());
            }
        }
    }
    return grpc::Status::OK;
}

grpc::ServerUnaryReactor *SegmentServiceImpl::GetSegmentSet(grpc::CallbackServerContext *context,
                                                            const v1::GetSegmentSetRequest *request,
                                                            v1::SegmentSetVersion *response)
{
    const std::int64_t version = request->version() == 0 ? m_segments.current()->version : request->version();
    if (version == 0)
        return finished(context, grpc::Status::OK); // no set saved yet: an empty version 0
    try {
        const auto stored = m_segments.stored(version);
        if (!stored)
            return finished(
                context, {grpc::StatusCode::NOT_FOUND, "there is no segment set version " + std::to_string(version)});
        return finished(context, versionToProto(*stored, response));
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *SegmentServiceImpl::ListSegmentSetVersions(grpc::CallbackServerContext *context,
                                                                     const v1::ListSegmentSetVersionsRequest *request,
                                                                     v1::ListSegmentSetVersionsResponse *response)
{
    if (request->limit() < 0 || request->limit() > 500)
        return finished(context, {grpc::StatusCode::INVALID_ARGUMENT,
                                  "limit must be 0 (for 50) to 500, not " + std::to_string(request->limit())});
    try {
        for (const StoredSegmentSet &stored : m_segments.versions(request->limit() == 0 ? 50 : request->limit())) {
            if (grpc::Status s = versionToProto(stored, response->add_versions()); !s.ok())
                return finished(context, s);
        }
        return finished(context, grpc::Status::OK);
    } catch (const StorageError &e) {
        return finished(context, {grpc::StatusCode::UNAVAILABLE, e.what()});
    }
}

grpc::ServerUnaryReactor *SegmentServiceImpl::SaveSegmentSet(grpc::CallbackServerContext *context,
                                                             const v1::SaveSegmentSetRequest *request,
                                                             v1::SegmentSetVersion *response)
{
    auto set = fromProto(*request);
    if (!set.ok())
        return finished(context, convert::toStatus(set.error()));
    const auto saved = m_segments.save(request->base_version(), std::move(set).value(), request->reason(),
                                       actorOf(m_context.callers, *context));
    if (!saved.ok())
        return finished(context, convert::toStatus(saved.error()));
    return finished(context, versionToProto(saved.value(), response));
}

grpc::ServerUnaryReactor *SegmentServiceImpl::RollbackSegmentSet(grpc::CallbackServerContext *context,
                                                                 const v1::RollbackSegmentSetRequest *request,
                                                                 v1::SegmentSetVersion *response)
{
    const auto saved =
        m_segments.rollback(request->to_version(), request->reason(), actorOf(m_context.callers, *context));
    if (!saved.ok())
        return finished(context, convert::toStatus(saved.error()));
    return finished(context, versionToProto(saved.value(), response));
}

grpc::ServerUnaryReactor *SegmentServiceImpl::DecideReach(grpc::CallbackServerContext *context,
                                                          const v1::DecideReachRequest *request,
                                                          v1::ReachDecision *response)
{
    const auto decision = m_segments.decide(request->uid(), true);
    if (!decision.ok())
        return finished(context, convert::toStatus(decision.error()));
    toProto(decision.value(), response);
    return finished(context, grpc::Status::OK);
}

grpc::ServerUnaryReactor *SegmentServiceImpl::GetReachStats(grpc::CallbackServerContext *context,
                                                            const v1::GetReachStatsRequest *, v1::ReachStats *response)
{
    const segments::ReachStatistics stats = m_segments.statistics();
    for (const auto &[key, messages] : stats.messages) {
        auto *count = response->add_counts();
        count->set_segment_id(key.first);
        count->set_channel(toProto(key.second));
        count->set_messages(messages);
        if (const auto failed = stats.failed.find(key); failed != stats.failed.end())
            count->set_failed(failed->second);
    }
    response->set_sender(stats.sender);
    response->set_last_failure(stats.lastFailure);
    for (const auto &[outcome, count] : stats.outcomes)
        (*response->mutable_outcomes())[segments::reachOutcomeName(outcome)] = count;
    return finished(context, grpc::Status::OK);
}

} // namespace flywheel
