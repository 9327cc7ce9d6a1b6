#pragma once

#include "services/LatestStream.h"
#include "services/ServiceContext.h"
#include "subsidy/SubsidyManager.h"

#include "flywheel/v1/subsidy.grpc.pb.h"

#include <condition_variable>
#include <map>
#include <thread>

namespace flywheel {

/// First-order subsidies for the console: the config (read, history, save,
/// rollback), one user's decision explained, the replay of a draft, and the ROI
/// stream. StreamSubsidyRoi is fed by one publisher thread: a snapshot when
/// something changed (at most two per second) and at least every two seconds.
class SubsidyServiceImpl final : public v1::SubsidyService::CallbackService {
public:
    SubsidyServiceImpl(ServiceContext &context, subsidy::SubsidyManager &subsidies);
    ~SubsidyServiceImpl() override;

    grpc::ServerUnaryReactor *GetSubsidyConfig(grpc::CallbackServerContext *context,
                                               const v1::GetSubsidyConfigRequest *request,
                                               v1::SubsidyConfigVersion *response) override;
    grpc::ServerUnaryReactor *ListSubsidyConfigVersions(grpc::CallbackServerContext *context,
                                                        const v1::ListSubsidyConfigVersionsRequest *request,
                                                        v1::ListSubsidyConfigVersionsResponse *response) override;
    grpc::ServerUnaryReactor *SaveSubsidyConfig(grpc::CallbackServerContext *context,
                                                const v1::SaveSubsidyConfigRequest *request,
                                                v1::SubsidyConfigVersion *response) override;
    grpc::ServerUnaryReactor *RollbackSubsidyConfig(grpc::CallbackServerContext *context,
                                                    const v1::RollbackSubsidyConfigRequest *request,
                                                    v1::SubsidyConfigVersion *response) override;
    grpc::ServerUnaryReactor *ExplainSubsidy(grpc::CallbackServerContext *context,
                                             const v1::ExplainSubsidyRequest *request,
                                             v1::SubsidyExplanation *response) override;
    grpc::ServerUnaryReactor *SimulateSubsidyConfig(grpc::CallbackServerContext *context,
                                                    const v1::SimulateSubsidyConfigRequest *request,
                                                    v1::SubsidySimulation *response) override;
    grpc::ServerWriteReactor<v1::SubsidyRoiSnapshot> *StreamSubsidyRoi(grpc::CallbackServerContext *context,
                                                                      const v1::StreamSubsidyRoiRequest *request) override;

    /// Ends every ROI stream with UNAVAILABLE and stops publishing.
    void closeAll();
    std::shared_ptr<const v1::SubsidyRoiSnapshot> snapshot() const;

private:
    using Stream = LatestStream<v1::SubsidyRoiSnapshot>;
    void publishLoop();
    grpc::Status versionToProto(const subsidy::LiveConfig &config, const StoredVersion &stored,
                                v1::SubsidyConfigVersion *out) const;
    grpc::Status versionToProto(const subsidy::LiveConfig &config, const StoredVersion &stored,
                                v1::SubsidyConfigVersion *out, const std::map<std::int64_t, std::string> &actors) const;
    /// Who saved each version, from the audit entries; an initial version has none.
    std::map<std::int64_t, std::string> actorsOfVersions() const;

    ServiceContext &m_context;
    subsidy::SubsidyManager &m_subsidies;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<Stream *, std::shared_ptr<Stream>> m_streams;
    bool m_closed = false;
    std::thread m_publisher;
};

} // namespace flywheel
