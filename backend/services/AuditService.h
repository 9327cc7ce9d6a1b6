#pragma once

#include "services/ServiceContext.h"
#include "versioning/DocumentRegistry.h"

#include "flywheel/v1/audit.grpc.pb.h"

namespace flywheel {

/// The change history: audit entries with filters and paging, and restoring an
/// earlier version of any registered versioned document.
class AuditServiceImpl final : public v1::AuditService::CallbackService {
public:
    /// Entries per page when the request says 0, and the most a page may hold.
    static constexpr int kDefaultLimit = 100;
    static constexpr int kMaxLimit = 500;

    AuditServiceImpl(ServiceContext &context, const versioning::DocumentRegistry &documents)
        : m_context(context), m_documents(documents)
    {}

    grpc::ServerUnaryReactor *ListAuditEntries(grpc::CallbackServerContext *context,
                                               const v1::ListAuditEntriesRequest *request,
                                               v1::ListAuditEntriesResponse *response) override;
    grpc::ServerUnaryReactor *RestoreVersion(grpc::CallbackServerContext *context,
                                             const v1::RestoreVersionRequest *request,
                                             v1::RestoreVersionResponse *response) override;

private:
    ServiceContext &m_context;
    const versioning::DocumentRegistry &m_documents;
};

} // namespace flywheel
