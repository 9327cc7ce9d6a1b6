#pragma once

#include "domain/Clock.h"

#include <grpcpp/channel.h>
#include <grpcpp/support/client_interceptor.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace flywheel::payments {
class PaymentManager;
}

namespace flywheel {

class BackendWiring;

/// Why the backend could not start; the message names what was wrong.
class StartupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct BackendOptions {
    /// The SQLite file; created when missing.
    std::string databasePath;
    /// "127.0.0.1:50051", "localhost:0", ...; empty for in-process use only. Only
    /// loopback addresses are accepted until TLS is configured.
    std::string listenAddress;
    /// The admin API's address; empty or equal to listenAddress: the same listener
    /// serves both APIs. Otherwise listenAddress serves the storefront API only and
    /// this one the admin API only (a method both use, such as GetOrder, on both).
    std::string adminListenAddress;
    /// PEM files: with cert and key the listener serves TLS only; clientCa also
    /// requires clients to present a certificate it signed (mutual TLS).
    struct Tls {
        std::string certFile;
        std::string keyFile;
        std::string clientCaFile;
    } tls;
    /// Allows a listener on a non-loopback address without TLS; warned at start and
    /// in GetServerInfo. Without it such a start is refused.
    bool insecure = false;
    /// Serve gRPC server reflection (what grpcurl list and describe use).
    bool reflection = false;
    /// Orders per second of the built-in traffic simulator; 0 for none.
    double simulateRate = 0;
    /// Seed a new, empty database with the demo catalogue, users and order history.
    bool seedDemoData = false;
    /// Average orders per hour of the two weeks of demo history that seeding writes.
    std::size_t demoHistoryOrdersPerHour = 1200;
    /// Users that seeding creates.
    std::size_t demoUsers = 200000;
    /// "daemon" or "demo", reported by GetServerInfo.
    std::string mode = "daemon";
    /// A pricing.yaml to take the pricing rules from, watched for changes; empty
    /// to edit the rules in the console.
    std::string pricingFile;
    /// Give a database that has never had pricing rules the example rules (the
    /// console's demo mode); ignored with a pricing file.
    bool examplePricingRules = false;
    /// How long an unpaid order holds its stock before the reservation expires.
    std::chrono::milliseconds reservationTtl = std::chrono::minutes(15);
    /// A SKU is shown as low on stock at or below this many available units.
    std::int64_t lowStockThreshold = 10;
    /// Tag weight decay per event that names the tag: w = w * decay + delta.
    double tagDecay = 0.95;
    /// A file to append reach messages to (JSON lines); empty to simulate sending.
    std::string reachOutbox;
    /// A file holding the secret invite tokens are signed with (at least 256 bits).
    /// Empty: a demo database (seeded or simulated) gets one created next to it
    /// (DATABASE.invite-secret, mode 0600); otherwise invites are off.
    std::string inviteSecretFile;
    /// The tokens file (see docs/operations.md, "Tokens and roles"): every call on the
    /// listener then needs a bearer token whose role the method allows, and the file is
    /// watched for changes. Empty: no token checks, and only loopback addresses are
    /// listened on. The in-process channel never needs a token (the local operator).
    std::string tokensFile;
    /// HOST:PORT of the Prometheus listener (GET /metrics, docs/operations.md); empty:
    /// none, and no request metrics are recorded. Port 0 picks a free one. HTTPS with
    /// the tls files; a network address needs them, or `insecure`.
    std::string metricsListen;
    /// Payment channels (docs/payments.md).
    struct Payments {
        /// HOST:PORT of the HTTP(S) listener providers send notifications to; empty:
        /// none. Port 0 picks a free one (the demo's 127.0.0.1:0).
        std::string callbackListen;
        /// The base URL providers are told to notify ("https://pay.example.com/flywheel");
        /// empty: the listener's own address.
        std::string callbackUrl;
        /// PEM files: the listener serves HTTPS with them.
        std::string certFile;
        std::string keyFile;
        /// Start the local sandboxes of the three providers (demo mode): a database
        /// without a channel configuration gets three channels on them, and the
        /// simulator's buyers pay through them.
        bool sandboxes = false;
    } payments;
    /// Null for the system clock.
    const Clock *clock = nullptr;
    /// The housekeeper saves an inventory snapshot once more than this many inventory
    /// events were stored since the last one (and shutdown saves one)...
    std::int64_t inventorySnapshotEvents = 100'000;
    /// ...and more than this many times the entries the snapshot holds (open
    /// reservations, SKUs, recent events), so that its cost is spread over that many
    /// events per entry; a restart replays at most about the larger of the two. 0:
    /// the first rule alone.
    std::int64_t inventorySnapshotEventsPerEntry = 2;
    /// Tests: no housekeeper thread; expiry and purging run only when Backend::housekeep()
    /// is called, at the clock's time. Off in flywheeld and the console.
    bool manualHousekeeping = false;
};

/// One complete backend: storage, domain, the gRPC services and optionally the
/// traffic simulator. Linked into flywheeld and, for demo mode, into the console.
class Backend final {
public:
    /// Opens the database, seeds and replays it, and starts serving.
    /// Throws StartupError with a message an operator can act on.
    static std::unique_ptr<Backend> start(const BackendOptions &options);
    ~Backend();
    Backend(const Backend &) = delete;
    Backend &operator=(const Backend &) = delete;

    /// A channel to this backend that needs no socket.
    std::shared_ptr<grpc::Channel> inProcessChannel();
    /// The same with client interceptors in front of it (tests count the calls made).
    std::shared_ptr<grpc::Channel>
    inProcessChannel(std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors);
    /// The TCP port listened on (useful with port 0), 0 when not listening; the
    /// storefront API's when the APIs have listeners of their own.
    int port() const;
    /// The admin API's port: port() when one listener serves both.
    int adminPort() const;
    std::string databasePath() const;
    /// The payment callback listener's port; 0 without one (BackendOptions::payments).
    int paymentCallbackPort() const;
    /// The metrics listener's port; 0 without one (BackendOptions::metricsListen).
    int metricsPort() const;
    /// "http://127.0.0.1:PORT/metrics"; empty without a metrics listener.
    std::string metricsUrl() const;
    /// The payment channels (tests and the bench: counters, drain, the query schedule).
    payments::PaymentManager &payments();

    /// One housekeeping pass at the clock's time: expires lapsed reservations, forgets
    /// settled orders and old idempotency keys. Returns when the expiries it made are
    /// stored. The housekeeper thread does this every 200 ms; with
    /// BackendOptions::manualHousekeeping only this does (tests drive it with their clock).
    void housekeep();

    /// Returns when the idempotency keys the database held at start are in the
    /// in-memory filter that spares new keys a database read (a background scan
    /// after start); false when the scan failed and every key is looked up.
    bool waitForStoredKeys();

    /// Stops the simulator, ends open streams, lets calls in flight finish (up to
    /// `grace`), flushes pending orders and closes the database. Idempotent.
    void shutdown(std::chrono::milliseconds grace = std::chrono::seconds(5));

private:
    explicit Backend(std::unique_ptr<BackendWiring> wiring);
    std::unique_ptr<BackendWiring> m_wiring;
};

} // namespace flywheel
