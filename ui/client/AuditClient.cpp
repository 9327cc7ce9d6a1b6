#include "client/AuditClient.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/UnaryCall.h"

#include "flywheel/v1/audit.grpc.pb.h"

#include <chrono>

namespace flywheel::ui {

AuditClient::AuditClient(BackendConnection *connection, QObject *parent)
    : QObject(parent), m_connection(connection), m_bridge(std::make_shared<GuiBridge<AuditClient>>(this))
{}

AuditClient::~AuditClient()
{
    m_bridge->detach();
}

bool AuditClient::hasChannel() const
{
    return m_connection->channel() != nullptr;
}

template <typename Request, typename Response, typename Start>
void AuditClient::call(const Request &request, Start start, Done<Response> done)
{
    startUnaryCall<v1::AuditService>(this, m_bridge, m_connection, request, std::move(start), std::move(done),
                                     std::chrono::milliseconds(kDeadlineMs), kRetrySeconds);
}

void AuditClient::listEntries(const v1::ListAuditEntriesRequest &request, Done<v1::ListAuditEntriesResponse> done)
{
    call(request, FLYWHEEL_ASYNC_METHOD(ListAuditEntries), std::move(done));
}

void AuditClient::restoreVersion(const QString &area, qint64 version, qint64 baseVersion, const QString &reason,
                                 Done<v1::RestoreVersionResponse> done)
{
    v1::RestoreVersionRequest request;
    request.set_area(area.toStdString());
    request.set_version(version);
    request.set_base_version(baseVersion);
    request.set_reason(reason.toStdString());
    call(request, FLYWHEEL_ASYNC_METHOD(RestoreVersion), std::move(done));
}

} // namespace flywheel::ui
