#pragma once

#include "payments/PaymentManager.h"
#include "services/LatestStream.h"
#include "services/ServiceContext.h"

#include "flywheel/v1/payments.grpc.pb.h"

#include <condition_variable>
#include <map>
#include <thread>

namespace flywheel {

/// Payment channels (docs/payments.md): the storefront's CreatePayment and
/// GetPayment, the console's channel configuration (read, history, save, rollback:
/// admins), routing preview, payments and refunds of an order, refused
/// notifications and the per-channel stream (one publisher thread, as
/// SubsidyServiceImpl). Provider calls run on the manager's workers, never here.
class PaymentServiceImpl final : public v1::PaymentService::CallbackService {
public:
    PaymentServiceImpl(ServiceContext &context, payments::PaymentManager &payments);
    ~PaymentServiceImpl() override;

    grpc::ServerUnaryReactor *CreatePayment(grpc::CallbackServerContext *context,
                                            const v1::CreatePaymentRequest *request, v1::Payment *response) override;
    grpc::ServerUnaryReactor *GetPayment(grpc::CallbackServerContext *context, const v1::GetPaymentRequest *request,
                                         v1::Payment *response) override;
    grpc::ServerUnaryReactor *ListOrderPayments(grpc::CallbackServerContext *context,
                                                const v1::ListOrderPaymentsRequest *request,
                                                v1::OrderPayments *response) override;
    grpc::ServerUnaryReactor *RefundOrderPayment(grpc::CallbackServerContext *context,
                                                 const v1::RefundOrderPaymentRequest *request,
                                                 v1::Refund *response) override;
    grpc::ServerUnaryReactor *GetChannelConfig(grpc::CallbackServerContext *context,
                                               const v1::GetChannelConfigRequest *request,
                                               v1::ChannelConfigVersion *response) override;
    grpc::ServerUnaryReactor *ListChannelConfigVersions(grpc::CallbackServerContext *context,
                                                        const v1::ListChannelConfigVersionsRequest *request,
                                                        v1::ListChannelConfigVersionsResponse *response) override;
    grpc::ServerUnaryReactor *SaveChannelConfig(grpc::CallbackServerContext *context,
                                                const v1::SaveChannelConfigRequest *request,
                                                v1::ChannelConfigVersion *response) override;
    grpc::ServerUnaryReactor *RollbackChannelConfig(grpc::CallbackServerContext *context,
                                                    const v1::RollbackChannelConfigRequest *request,
                                                    v1::ChannelConfigVersion *response) override;
    grpc::ServerUnaryReactor *PreviewRoute(grpc::CallbackServerContext *context,
                                           const v1::PreviewRouteRequest *request,
                                           v1::RouteDecision *response) override;
    grpc::ServerUnaryReactor *ListRefusedNotifications(grpc::CallbackServerContext *context,
                                                       const v1::ListRefusedNotificationsRequest *request,
                                                       v1::ListRefusedNotificationsResponse *response) override;
    grpc::ServerWriteReactor<v1::ChannelStatsSnapshot> *
    StreamChannelStats(grpc::CallbackServerContext *context, const v1::StreamChannelStatsRequest *request) override;

    /// Ends every stream with UNAVAILABLE and stops publishing.
    void closeAll();
    std::shared_ptr<const v1::ChannelStatsSnapshot> snapshot() const;

private:
    using Stream = LatestStream<v1::ChannelStatsSnapshot>;
    void publishLoop();
    /// The version as the caller may see it: credential paths for admins only.
    void versionToProto(const payments::ChannelConfig &config, const StoredVersion &stored, bool admin,
                        const std::map<std::int64_t, std::string> &actors, v1::ChannelConfigVersion *out) const;
    std::map<std::int64_t, std::string> actorsOfVersions() const;

    ServiceContext &m_context;
    payments::PaymentManager &m_payments;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::map<Stream *, std::shared_ptr<Stream>> m_streams;
    bool m_closed = false;
    std::thread m_publisher;
};

} // namespace flywheel
