#pragma once

#include "flywheel/v1/catalog.pb.h"
#include "flywheel/v1/pricing.pb.h"
#include "flywheel/v1/segments.pb.h"

#include <QObject>

#include <functional>
#include <memory>

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class BackendConnection;
template <typename Target>
class GuiBridge;

/// The Pricing page's calls to PricingService (and CatalogService.ListProducts, and
/// SegmentService.GetSegmentSet for the segment ids segment prices name).
/// Every call is asynchronous: the answer crosses from gRPC's thread to the GUI thread
/// by a queued call and is handed to `done` there, unless the client is gone by then.
/// Transport failures are reported to the BackendConnection; refusals of the request
/// itself (ABORTED, FAILED_PRECONDITION, INVALID_ARGUMENT, ...) are left to the caller.
class PricingClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit PricingClient(BackendConnection *connection, QObject *parent = nullptr);
    ~PricingClient() override;

    bool hasChannel() const;

    void getStatus(Done<v1::PricingStatus> done);
    void getRuleSet(qint64 version, Done<v1::RuleSetVersion> done);
    void listVersions(int limit, Done<v1::ListRuleSetVersionsResponse> done);
    void saveRuleSet(const v1::SaveRuleSetRequest &request, Done<v1::RuleSetVersion> done);
    void rollback(qint64 toVersion, const QString &reason, Done<v1::RuleSetVersion> done);
    void quoteCart(const v1::QuoteCartRequest &request, Done<v1::QuoteCartResponse> done);
    /// The backend's problems with draft rules (nothing is saved).
    void validateRuleSet(const v1::ValidateRuleSetRequest &request, Done<v1::ValidateRuleSetResponse> done);
    void listProducts(Done<v1::ListProductsResponse> done);
    /// The current segment set.
    void getSegmentSet(Done<v1::SegmentSetVersion> done);

    /// Deadline of every call.
    static constexpr int kDeadlineMs = 10000;

private:
    template <typename Service, typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<PricingClient>> m_bridge;
};

} // namespace flywheel::ui
