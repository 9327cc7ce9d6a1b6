#pragma once

#include "flywheel/v1/catalog.grpc.pb.h"
#include "flywheel/v1/inventory.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/payments.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"

#include <grpcpp/channel.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace flywheel {

/// Storefront traffic for demo mode: users placing orders through the public gRPC
/// API, exactly as a storefront would, at a steady rate (a few per second up to
/// thousands), with the customer mix of the demo history (pickCustomer).
///
/// Each order then goes the whole way: most are paid a few seconds later, some are
/// cancelled, and some are left unpaid for their reservation to expire. A
/// warehouse restocks SKUs that run low. Users also log in, browse (with tag
/// weights of the categories they look at), share and level up, a few new users
/// register, and reach is decided for some of them: so profiles, segment sizes and
/// messages sent change over time.
class TrafficSimulator final {
public:
    struct Stats {
        std::int64_t sent = 0;
        std::int64_t acknowledged = 0;
        std::int64_t failed = 0;
        /// Refused for lack of stock (not a failure: the warehouse restocks).
        std::int64_t outOfStock = 0;
        std::int64_t paid = 0;
        std::int64_t cancelled = 0;
        std::int64_t leftToExpire = 0;
        std::int64_t restocks = 0;
        std::int64_t events = 0;
        std::int64_t reachDecisions = 0;
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
    /// Pays through payment channels from now on: a buyer who pays starts a payment
    /// (PaymentService.CreatePayment, routed) and `buyer` pays it at the provider
    /// (the demo's sandboxes). Without, buyers pay with OrderService.PayOrder.
    using PaymentBuyer = std::function<void(const std::string &provider, const std::string &outTradeNo)>;
    /// The channel a buyer picks at the checkout; empty: the backend routes the order.
    using ChannelChooser = std::function<std::string()>;
    void setPaymentBuyer(PaymentBuyer buyer, ChannelChooser chooser = {});
    /// Stops sending and waits (at most a few seconds) for orders in flight.
    void stop();

    Stats stats() const;

    static constexpr double kMaxRate = 20000;
    static constexpr int kMaxInFlight = 512;
    /// Shares of created orders that are paid and cancelled; the rest expire.
    static constexpr double kPayShare = 0.85;
    static constexpr double kCancelShare = 0.05;
    /// Buyers whose order carries a subsidy (an adjustment whose rule id starts with
    /// "subsidy:") pay more often, so a subsidy experiment's variants really differ.
    static constexpr double kSubsidisedPayShare = 0.95;
    /// kSubsidisedPayShare for a subsidised order, else kPayShare.
    static double payShareOf(const v1::Order &order);
    /// A SKU at or below this many available units is restocked to kRestockTo.
    static constexpr std::int64_t kRestockBelow = 25;
    static constexpr std::int64_t kRestockTo = 600;

private:
    using SteadyTime = std::chrono::steady_clock::time_point;
    enum class FollowUp { Pay, Cancel };

    void run();
    void sendOne(std::uint64_t random);
    void followUp(std::int64_t orderId, FollowUp action);
    void restock();
    /// One tick's user events and reach decisions; `ticksPerSecond` scales them.
    void activity(std::mt19937_64 &rng, double ticksPerSecond);
    /// A failed call's status, counted; the mutex is held.
    void countFailureLocked(const grpc::Status &status);

    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<v1::OrderService::Stub> m_orders;
    std::unique_ptr<v1::PaymentService::Stub> m_payments;
    PaymentBuyer m_buyer;
    ChannelChooser m_chooser;
    std::unique_ptr<v1::InventoryService::Stub> m_inventory;
    std::unique_ptr<v1::SegmentService::Stub> m_segments;
    const double m_rate;
    std::vector<std::string> m_skus;
    std::vector<std::int64_t> m_uids;

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_stopping = false;
    int m_inFlight = 0;
    Stats m_stats;
    std::multimap<SteadyTime, std::pair<std::int64_t, FollowUp>> m_followUps;
    std::vector<std::string> m_categoryTags;
    std::int64_t m_nextNewUid = 0;
    std::uint64_t m_keyPrefix = 0;
    std::int64_t m_keyCounter = 0;
    std::thread m_thread;
};

} // namespace flywheel
