#pragma once

#include "flywheel/v1/inventory.pb.h"

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

/// The Inventory page's calls to InventoryService. Every call is asynchronous: the
/// answer crosses from gRPC's thread to the GUI thread by a queued call and is handed
/// to `done` there, unless the client is gone by then. Transport failures are reported
/// to the BackendConnection; refusals of the request itself are left to the caller.
class InventoryClient final : public QObject {
    Q_OBJECT

public:
    template <typename Response>
    using Done = std::function<void(const grpc::Status &status, const Response &response)>;

    explicit InventoryClient(BackendConnection *connection, QObject *parent = nullptr);
    ~InventoryClient() override;

    bool hasChannel() const;

    void listStock(Done<v1::ListStockResponse> done);
    /// The newest `limit` events of `sku`, newest first.
    void listEvents(const QString &sku, int limit, Done<v1::ListInventoryEventsResponse> done);
    void receiveStock(const QString &sku, qint64 quantity, Done<v1::StockLevel> done);

    /// Deadline of every call.
    static constexpr int kDeadlineMs = 10000;
    /// When the page tries again after a failed call (it refreshes every 2 s).
    static constexpr int kRetrySeconds = 2;

private:
    template <typename Request, typename Response, typename Start>
    void call(const Request &request, Start start, Done<Response> done);

    BackendConnection *m_connection;
    std::shared_ptr<GuiBridge<InventoryClient>> m_bridge;
};

} // namespace flywheel::ui
