#pragma once

#include "flywheel/v1/catalog.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"

#include <grpcpp/channel.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace flywheel {

/// Storefront traffic for demo mode: users placing orders through the public gRPC
/// API, exactly as a storefront would, at a steady rate (a few per second up to
/// thousands), with the customer mix of the demo history (pickCustomer).
class TrafficSimulator final {
public:
    struct Stats {
        std::int64_t sent = 0;
        std::int64_t acknowledged = 0;
        std::int64_t failed = 0;
        std::string lastError;
    };

    /// rate: orders per second, > 0.
    TrafficSimulator(std::shared_ptr<grpc::Channel> channel, double rate);
    ~TrafficSimulator();
    TrafficSimulator(const TrafficSimulator &) = delete;
    TrafficSimulator &operator=(const TrafficSimulator &) = delete;

    /// Loads the catalogue and users through the API, then starts sending. Throws
    /// std::runtime_error when the backend has no catalogue or users to simulate.
    void start();
    /// Stops sending and waits (at most a few seconds) for orders in flight.
    void stop();

    Stats stats() const;

    static constexpr double kMaxRate = 20000;
    static constexpr int kMaxInFlight = 512;

private:
    void run();
    void sendOne(std::uint64_t random);

    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<v1::OrderService::Stub> m_orders;
    const double m_rate;
    std::vector<std::string> m_skus;
    std::vector<std::int64_t> m_uids;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_stopping = false;
    int m_inFlight = 0;
    Stats m_stats;
    std::thread m_thread;
};

} // namespace flywheel
