#pragma once

#include "alerts/AlertManager.h"
#include "services/LatestStream.h"
#include "services/ServiceContext.h"

#include "flywheel/v1/alerts.grpc.pb.h"

#include <condition_variable>
#include <map>
#include <thread>

namespace flywheel {

/// The business alerts for the console: the alerts and their history (once, and as a
/// stream), the thresholds document (read, history, save, rollback) and the demo's
/// trigger. StreamAlerts is fed by one publisher thread: a snapshot within half a
/// second of a change and at least every two seconds.
class AlertServiceImpl final : public v1::AlertService::CallbackService {
public:
    AlertServiceImpl(ServiceContext &context, alerts::AlertManager &alerts);
    ~AlertServiceImpl() override;

    grpc::ServerUnaryReactor *ListAlerts(grpc::CallbackServerContext *context, const v1::ListAlertsRequest *request,
                                         v1::AlertsSnapshot *response) override;
    grpc::ServerWriteReactor<v1::AlertsSnapshot> *StreamAlerts(grpc::CallbackServerContext *context,
                                                               const v1::StreamAlertsRequest *request) override;
    grpc::ServerUnaryReactor *GetAlertThresholds(grpc::CallbackServerContext *context,
                                                 const v1::GetAlertThresholdsRequest *request,
                                                 v1::AlertThresholdsVersion *response) override;
    grpc::ServerUnaryReactor *ListAlertThresholdsVersions(grpc::CallbackServerContext *context,
                                                          const v1::ListAlertThresholdsVersionsRequest *request,
                                                          v1::ListAlertThresholdsVersionsResponse *response) override;
    grpc::ServerUnaryReactor *SaveAlertThresholds(grpc::CallbackServerContext *context,
                                                  const v1::SaveAlertThresholdsRequest *request,
                                                  v1::AlertThresholdsVersion *response) override;
    grpc::ServerUnaryReactor *RollbackAlertThresholds(grpc::CallbackServerContext *context,
                                                      const v1::RollbackAlertThresholdsRequest *request,
                                                      v1::AlertThresholdsVersion *response) override;
    grpc::ServerUnaryReactor *TriggerDemoAlert(grpc::CallbackServerContext *context,
                                               const v1::TriggerDemoAlertRequest *request,
                                               v1::TriggerDemoAlertResponse *response) override;

    /// Ends every stream with UNAVAILABLE and stops publishing.
    void closeAll();

    static void toProto(const alerts::AlertThresholds &t, v1::AlertThresholds *out);
    static alerts::AlertThresholds fromProto(const v1::AlertThresholds &in);

private:
    using Stream = LatestStream<v1::AlertsSnapshot>;
    void publishLoop();
    std::shared_ptr<const v1::AlertsSnapshot> snapshot(std::size_t historyLimit) const;
    void versionToProto(const alerts::AlertThresholds &thresholds, const StoredVersion &stored,
                        const std::map<std::int64_t, std::string> &actors, v1::AlertThresholdsVersion *out) const;
    std::map<std::int64_t, std::string> actorsOfVersions() const;

    ServiceContext &m_context;
    alerts::AlertManager &m_alerts;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<Stream *, std::shared_ptr<Stream>> m_streams;
    bool m_closed = false;
    std::thread m_publisher;
};

} // namespace flywheel
