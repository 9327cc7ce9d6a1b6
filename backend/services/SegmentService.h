#pragma once

#include "segments/SegmentManager.h"
#include "services/ServiceContext.h"

#include "flywheel/v1/segments.grpc.pb.h"

namespace flywheel {

/// Events in, profiles, segment sets, previews and reach decisions out.
class SegmentServiceImpl final : public v1::SegmentService::CallbackService {
public:
    SegmentServiceImpl(ServiceContext &context, segments::SegmentManager &segments)
        : m_context(context), m_segments(segments)
    {}

    grpc::ServerUnaryReactor *IngestEvents(grpc::CallbackServerContext *context, const v1::IngestEventsRequest *request,
                                           v1::IngestEventsResponse *response) override;
    grpc::ServerReadReactor<v1::IngestEventsRequest> *StreamEvents(grpc::CallbackServerContext *context,
                                                                   v1::IngestEventsResponse *response) override;
    grpc::ServerUnaryReactor *LookupUser(grpc::CallbackServerContext *context, const v1::LookupUserRequest *request,
                                         v1::UserLookup *response) override;
    grpc::ServerUnaryReactor *PreviewSegment(grpc::CallbackServerContext *context,
                                             const v1::PreviewSegmentRequest *request,
                                             v1::PreviewSegmentResponse *response) override;
    grpc::ServerUnaryReactor *ListFeatures(grpc::CallbackServerContext *context, const v1::ListFeaturesRequest *request,
                                           v1::ListFeaturesResponse *response) override;
    grpc::ServerUnaryReactor *GetSegmentSet(grpc::CallbackServerContext *context,
                                            const v1::GetSegmentSetRequest *request,
                                            v1::SegmentSetVersion *response) override;
    grpc::ServerUnaryReactor *ListSegmentSetVersions(grpc::CallbackServerContext *context,
                                                     const v1::ListSegmentSetVersionsRequest *request,
                                                     v1::ListSegmentSetVersionsResponse *response) override;
    grpc::ServerUnaryReactor *SaveSegmentSet(grpc::CallbackServerContext *context,
                                             const v1::SaveSegmentSetRequest *request,
                                             v1::SegmentSetVersion *response) override;
    grpc::ServerUnaryReactor *RollbackSegmentSet(grpc::CallbackServerContext *context,
                                                 const v1::RollbackSegmentSetRequest *request,
                                                 v1::SegmentSetVersion *response) override;
    grpc::ServerUnaryReactor *DecideReach(grpc::CallbackServerContext *context, const v1::DecideReachRequest *request,
                                          v1::ReachDecision *response) override;
    grpc::ServerUnaryReactor *GetReachStats(grpc::CallbackServerContext *context,
                                            const v1::GetReachStatsRequest *request, v1::ReachStats *response) override;

private:
    /// Fills `out` with a stored version; the error when it cannot be read.
    grpc::Status versionToProto(const StoredSegmentSet &stored, v1::SegmentSetVersion *out);

    ServiceContext &m_context;
    segments::SegmentManager &m_segments;
};

} // namespace flywheel
