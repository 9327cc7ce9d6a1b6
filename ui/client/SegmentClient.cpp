#include "client/SegmentClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/segments.grpc.pb.h"

#include <chrono>

namespace flywheel::ui {

SegmentClient::SegmentClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<SegmentClient>>(this))
{}

SegmentClient::~SegmentClient()
{
    m_bridge->detach();
}

bool SegmentClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

template <typename Request, typename Response, typename Start>
void SegmentClient::call(const Request &request, Start start, Done<Response> done)
{
    startUnaryCall<v1::SegmentService>(this, m_bridge, m_connection, request, std::move(start), std::move(done),
                                       std::chrono::milliseconds(kDeadlineMs), kRetrySeconds);
}

void SegmentClient::getSegmentSet(qint64 version, Done<v1::SegmentSetVersion> done)
{
    v1::GetSegmentSetRequest request;
    request.set_version(version);
    call(request, FLYWHEEL_ASYNC_METHOD(GetSegmentSet), std::move(done));
}

void SegmentClient::listVersions(int limit, Done<v1::ListSegmentSetVersionsResponse> done)
{
    v1::ListSegmentSetVersionsRequest request;
    request.set_limit(limit);
    call(request, FLYWHEEL_ASYNC_METHOD(ListSegmentSetVersions), std::move(done));
}

void SegmentClient::saveSegmentSet(const v1::SaveSegmentSetRequest &request, Done<v1::SegmentSetVersion> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(SaveSegmentSet), std::move(done));
}

void SegmentClient::rollback(qint64 toVersion, const QString &reason, Done<v1::SegmentSetVersion> done)
{
    v1::RollbackSegmentSetRequest request;
    request.set_to_version(toVersion);
    request.set_reason(reason.toStdString());
    call(request, FLYWHEEL_ASYNC_METHOD(RollbackSegmentSet), std::move(done));
}

void SegmentClient::listFeatures(Done<v1::ListFeaturesResponse> done)
{
    call(v1::ListFeaturesRequest(), FLYWHEEL_ASYNC_METHOD(ListFeatures), std::move(done));
}

void SegmentClient::previewSegment(const QString &expression, int sampleSize, Done<v1::PreviewSegmentResponse> done)
{
    v1::PreviewSegmentRequest request;
    request.set_expression(expression.toStdString());
    request.set_sample_size(sampleSize);
    call(request, FLYWHEEL_ASYNC_METHOD(PreviewSegment), std::move(done));
}

void SegmentClient::lookupUser(qint64 uid, Done<v1::UserLookup> done)
{
    v1::LookupUserRequest request;
    request.set_uid(uid);
    call(request, FLYWHEEL_ASYNC_METHOD(LookupUser), std::move(done));
}

void SegmentClient::getReachStats(Done<v1::ReachStats> done)
{
    call(v1::GetReachStatsRequest(), FLYWHEEL_ASYNC_METHOD(GetReachStats), std::move(done));
}

} // namespace flywheel::ui
