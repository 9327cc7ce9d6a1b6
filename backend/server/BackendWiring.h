#pragma once

#include "auth/TokenAuthProcessor.h"
#include "domain/Catalog.h"
#include "domain/Order.h"
#include "referral/ReferralManager.h"
#include "server/Backend.h"

#include <grpcpp/security/server_credentials.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace grpc {
class Server;
class ServerCredentials;
} // namespace grpc

namespace flywheel::auth {
class TokensFileWatcher;
class Callers;
class TokenBook;
} // namespace flywheel::auth

namespace flywheel {

class Store;
class MetricsAggregator;
namespace orders {
class OrderBook;
class IdempotencyTable;
} // namespace orders
class OrderWriter;
class InventorySnapshotter;
struct JournalEntry;
struct ServiceContext;
class SystemServiceImpl;
class CatalogServiceImpl;
class OrderServiceImpl;
class MetricsServiceImpl;
class PricingServiceImpl;
class InventoryServiceImpl;
class SegmentServiceImpl;
class ReferralServiceImpl;
class ExperimentServiceImpl;
namespace experiments {
class ExperimentManager;
}
class AuditServiceImpl;
namespace versioning {
class DocumentRegistry;
}
class TokenServiceImpl;
class TrafficSimulator;
class ReferralSimulator;
namespace pricing {
class PricingManager;
}
namespace inventory {
class InventoryLedger;
}
namespace segments {
class SegmentManager;
}
namespace subsidy {
class SubsidyManager;
}
class SubsidyServiceImpl;
class AlertServiceImpl;
namespace alerts {
class AlertManager;
}
class PaymentsPart;
class PaymentServiceImpl;
class RequestMetrics;
class BusinessMetrics;
namespace metrics {
class Registry;
}
namespace http {
class HttpListener;
}

/// Builds, owns and stops the parts of one `Backend`. `start()` runs one step per
/// part, in an order where each part finds the ones it needs already running;
/// `stop()` takes them down so that nothing committed is lost. The order of both
/// is described in docs/architecture.md ("Start-up and shutdown").
class BackendWiring final {
public:
    /// Checks the options; throws StartupError naming the one that is out of range.
    explicit BackendWiring(const BackendOptions &options);
    ~BackendWiring();
    BackendWiring(const BackendWiring &) = delete;
    BackendWiring &operator=(const BackendWiring &) = delete;

    /// Runs every step; throws StartupError. After a failure nothing is left running.
    void start();
    /// Stops the simulators, ends open streams, lets calls in flight finish (up to
    /// `grace`), flushes pending orders and closes the database. Idempotent; only
    /// after a successful start().
    void stop(std::chrono::milliseconds grace);

    std::shared_ptr<grpc::Channel> inProcessChannel();
    std::shared_ptr<grpc::Channel>
    inProcessChannel(std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors);
    int port() const { return m_port; }
    /// The admin API's port: port() when one listener serves both APIs.
    int adminPort() const { return m_adminPort; }
    std::string databasePath() const;
    int metricsPort() const;
    std::string metricsUrl() const;
    /// The process's Prometheus metrics (served at metricsListen when given).
    metrics::Registry &registry() { return *m_registry; }

    /// One housekeeping pass at the clock's time: expires lapsed reservations, forgets
    /// settled orders and idempotency keys that left the in-memory window, saves an
    /// inventory snapshot when one is due. With
    /// `waitUntilStored`, returns when the expiries it made are stored.
    void housekeepOnce(bool waitUntilStored);

    /// Returns when the stored-key filter's start-up scan has ended; true when it
    /// completed. Not concurrently with stop().
    bool waitForStoredKeys();

    /// The experiments (VariantChooser, lifecycle, results); after start().
    experiments::ExperimentManager &experiments() { return *m_experiments; }
    /// A first-order subsidy was redeemed (paid): its cost counts against the buyer's
    /// experiment variants. For the subsidy manager's redeemed listener.
    void subsidyRedeemed(std::int64_t uid, Money amount, TimePoint at);
    /// The first-order subsidies (for the experiments' hooks and tests).
    subsidy::SubsidyManager &subsidies() { return *m_subsidies; }
    PaymentsPart &payments() { return *m_payments; }

private:
    // The steps of start(), in their order.
    void openStore();
    void loadCatalogAndUsers();
    void startSegments();
    /// ExperimentManager: the experiment set (the demo's invite-copy experiment for a
    /// new demo database) and the stored exposures.
    void startExperiments();
    void startReferral();
    void startPricing();
    void startMetrics();
    /// First-order subsidies: the config (an enabled initial one for a demo), the
    /// grants and spend, the category averages.
    void startSubsidy();
    /// The business alerts: thresholds and history from the store.
    void startAlerts();
    /// One evaluation of the alerts, after feeding them the pricing reloads and the
    /// budgets' shares (from housekeepOnce).
    void evaluateAlerts();
    /// The demo's subsidy experiment, on a fresh demo database with simulated traffic.
    void seedDemoSubsidyExperiment();
    void startOrders();
    /// The stored-key filter's start-up scan, on m_storedKeyLoader.
    void loadStoredKeys(const std::stop_token &stop);
    void startOrderWriter();
    /// After the writer: payments settle orders through it.
    void startPayments();
    void buildServiceContext();
    void buildServices();
    /// Refuses what must not be served (plaintext on a network address without
    /// `insecure`, TLS without its files, split listeners, tokens over plaintext on
    /// a network address) and reads the PEM files.
    void checkListeners();
    /// Reads the tokens file and starts watching it (StartupError for a bad file).
    void loadTokens();
    /// Whether the storefront and admin APIs have listeners of their own.
    bool splitListeners() const;
    /// Plaintext or TLS; with a tokens file or for a listener of one API only
    /// (`only`), credentials whose processor checks tokens and the API (TLS, or local
    /// TCP on loopback: gRPC's insecure credentials take no processor).
    std::shared_ptr<grpc::ServerCredentials> serverCredentials(std::optional<auth::TokenAuthProcessor::OnlyApi> only);
    void listen();
    /// The Prometheus listener (BackendOptions::metricsListen), before the gRPC listeners.
    void serveMetrics();
    /// The gauges and counters read from the parts at scrape time.
    void registerGauges();
    void startHousekeeper();
    void startSimulators();

    /// What the referral programme asks of the users and their profiles.
    referral::ReferralManager::Hooks referralHooks();
    /// The order writer's commit listener: payments and refunds reach the
    /// metrics, the buyers' profiles and the referral programme once committed.
    void committed(const std::vector<JournalEntry> &entries);
    /// The housekeeper thread: one housekeepOnce() every 200 ms.
    void housekeep();

    class CreatedFiles;

    const BackendOptions m_options;
    /// PEM text read by checkListeners(); empty without TLS.
    std::string m_tlsCert;
    std::string m_tlsKey;
    std::string m_tlsClientCa;
    std::vector<std::string> m_warnings;
    const Clock &m_clock;
    /// Declared before the parts: on a failed start they are closed before it removes files.
    const std::unique_ptr<CreatedFiles> m_created;
    /// Made first, outlives every part that records into it.
    const std::unique_ptr<metrics::Registry> m_registry;
    /// The interceptor's state; null without a metrics listener.
    std::unique_ptr<RequestMetrics> m_requestMetrics;
    std::unique_ptr<BusinessMetrics> m_business;
    // Declared in the order they are built: a failed start destroys them in reverse.
    std::unique_ptr<Store> m_store;
    Catalog m_catalog;
    UserDirectory m_users;
    std::unique_ptr<MetricsAggregator> m_metrics;
    std::unique_ptr<pricing::PricingManager> m_pricing;
    std::unique_ptr<inventory::InventoryLedger> m_ledger;
    std::unique_ptr<InventorySnapshotter> m_snapshots;
    std::unique_ptr<orders::OrderBook> m_book;
    std::unique_ptr<orders::IdempotencyTable> m_idempotency;
    /// Fills the idempotency table's stored-key filter from the database after
    /// start, while orders are already served (until it is done, every key
    /// is looked up). Stopped and joined before the store closes.
    std::jthread m_storedKeyLoader;
    std::unique_ptr<OrderWriter> m_writer;
    std::unique_ptr<ServiceContext> m_context;
    std::unique_ptr<SystemServiceImpl> m_systemService;
    std::unique_ptr<CatalogServiceImpl> m_catalogService;
    std::unique_ptr<OrderServiceImpl> m_orderService;
    std::unique_ptr<MetricsServiceImpl> m_metricsService;
    std::unique_ptr<PricingServiceImpl> m_pricingService;
    std::unique_ptr<InventoryServiceImpl> m_inventoryService;
    std::unique_ptr<segments::SegmentManager> m_segments;
    std::unique_ptr<SegmentServiceImpl> m_segmentService;
    /// Before the referral programme, whose hooks report shares and commissions to it.
    std::unique_ptr<experiments::ExperimentManager> m_experiments;
    std::unique_ptr<referral::ReferralManager> m_referral;
    std::unique_ptr<ReferralServiceImpl> m_referralService;
    std::unique_ptr<ExperimentServiceImpl> m_experimentService;
    std::unique_ptr<subsidy::SubsidyManager> m_subsidies;
    std::unique_ptr<SubsidyServiceImpl> m_subsidyService;
    std::unique_ptr<alerts::AlertManager> m_alerts;
    std::unique_ptr<AlertServiceImpl> m_alertService;
    /// Pricing reloads evaluateAlerts() has seen (housekeeper thread only).
    std::int64_t m_pricingReloadsSeen = 0;
    std::int64_t m_pricingFailuresSeen = 0;
    bool m_pricingFailing = false;
    /// Illegal order transitions, from the OrderBook's listener to evaluateAlerts().
    struct IllegalAttempt {
        TimePoint at;
        std::int64_t orderId = 0;
        OrderStatus from = OrderStatus::Created;
        OrderStatus to = OrderStatus::Created;
    };
    static constexpr std::size_t kMaxIllegalPending = 10000;
    std::mutex m_illegalMutex;
    std::vector<IllegalAttempt> m_illegalPending;
    std::unique_ptr<PaymentsPart> m_payments;
    std::unique_ptr<PaymentServiceImpl> m_paymentService;
    /// The versioned documents of the managers above, for the AuditService.
    std::unique_ptr<versioning::DocumentRegistry> m_documents;
    std::unique_ptr<AuditServiceImpl> m_auditService;
    // Before the server: the server's token checks read it until the server is gone.
    std::unique_ptr<auth::TokensFileWatcher> m_tokens;
    std::unique_ptr<auth::Callers> m_callers;
    /// The tokens file as TokenService edits it; null without one.
    std::unique_ptr<auth::TokenBook> m_tokenBook;
    std::unique_ptr<TokenServiceImpl> m_tokenService;
    std::unique_ptr<grpc::Server> m_server;
    std::unique_ptr<http::HttpListener> m_metricsListener;
    std::unique_ptr<TrafficSimulator> m_simulator;
    std::unique_ptr<ReferralSimulator> m_referralSimulator;
    int m_port = 0;
    int m_adminPort = 0;
    std::thread m_housekeeper;
    std::mutex m_housekeeperMutex;
    std::condition_variable m_housekeeperWake;
    bool m_housekeeperStopping = false;
    std::mutex m_stopMutex;
    bool m_stopped = false;
};

} // namespace flywheel
