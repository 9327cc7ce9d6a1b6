#pragma once

#include "flywheel/v1/audit.pb.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class BackendConnection;
template <typename Target>
class GuiBridge;

/// The Audit page's calls to AuditService. Every call is asynchronous: the answer
/// crosses from gRPC's thread to the GUI thread by a queued call and is handed to `done`
/// there, unless the client is gone by then. Transport failures are reported to the
/// BackendConnection; refusals of the request itself (ABORTED, NOT_FOUND,
/// INVALID_ARGUMENT, FAILED_PRECONDITION) are left to the caller.
class AuditClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit AuditClient(BackendConnection *connection, QObject *parent = nullptr);
    ~AuditClient() override;

    bool hasChannel() const;

    void listEntries(const v1::ListAuditEntriesRequest &request, Done<v1::ListAuditEntriesResponse> done);
    /// Makes `version` of `area` current again; `baseVersion` is the area's version the
    /// operator saw as current.
    void restoreVersion(const QString &area, qint64 version, qint64 baseVersion, const QString &reason,
                        Done<v1::RestoreVersionResponse> done);

    /// Deadline of every call.
    static constexpr int kDeadlineMs = 10000;
    /// When the connection tries again after a failed call.
    static constexpr int kRetrySeconds = 2;

private:
    template <typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<AuditClient>> m_bridge;
};

} // namespace flywheel::ui
