#pragma once

#include "services/LatestStream.h"
#include "services/ServiceContext.h"

#include "flywheel/v1/metrics.grpc.pb.h"

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace flywheel {

/// One StreamDashboard call (see LatestStream).
using DashboardStream = LatestStream<v1::DashboardSnapshot>;

/// Streams dashboard snapshots to every subscriber. One publisher thread computes
/// each window's snapshot once per tick when orders arrived (at most four times a
/// second) or when a second has passed, and hands the same message to all of that
/// window's streams; a slow client gets only the newest snapshot, never a backlog.
class MetricsServiceImpl final : public v1::MetricsService::CallbackService {
public:
    explicit MetricsServiceImpl(ServiceContext &context);
    ~MetricsServiceImpl() override;

    grpc::ServerWriteReactor<v1::DashboardSnapshot> *
    StreamDashboard(grpc::CallbackServerContext *context, const v1::StreamDashboardRequest *request) override;

    /// Ends every open stream with UNAVAILABLE and stops publishing; streams opened
    /// later are refused. Call before shutting the server down.
    void closeAll();

    std::shared_ptr<const v1::DashboardSnapshot> snapshot(MetricsWindow window);
    void unsubscribe(DashboardStream *stream);

private:
    void publishLoop();

    ServiceContext &m_context;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    struct Subscription {
        std::shared_ptr<DashboardStream> stream;
        MetricsWindow window;
    };
    std::map<DashboardStream *, Subscription> m_streams;
    bool m_closed = false;
    std::thread m_publisher;
};

} // namespace flywheel
