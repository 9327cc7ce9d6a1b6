#pragma once

#include "domain/Clock.h"
#include "domain/orders/OrderBook.h"
#include "domain/payments/ChannelConfig.h"
#include "domain/payments/ChannelStats.h"
#include "domain/payments/Payment.h"
#include "domain/payments/Router.h"
#include "payments/Http.h"
#include "payments/PaymentAdapter.h"
#include "storage/OrderStore.h"
#include "storage/PaymentStore.h"
#include "versioning/VersionedDocument.h"

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace flywheel {
class OrderWriter;
}

namespace flywheel::payments {

/// A credential's state, for the console: never its content.
struct CredentialStatus {
    std::string name;
    std::string path;
    bool set = false;
    /// Why it is missing.
    std::string detail;
};

/// The channel configuration in force, with what it takes to use it.
struct LiveChannels {
    ChannelConfig config;
    std::int64_t version = 0;
    /// Channel id -> its adapter, for the channels whose credentials could be read.
    std::map<std::string, std::shared_ptr<PaymentAdapter>> adapters;
    /// Channel id -> why it cannot be used (a credential missing, a key that does not parse).
    std::map<std::string, std::string> unusable;
};

/// What a notification did.
enum class NotifyOutcome { Applied, Duplicate, Refused, Failed };

/// Payment channels of one backend (docs/payments.md): the channel configuration
/// (a versioned document, area "payments"), routing, creating payments at the
/// providers, provider notifications turned into paid orders, the query schedule
/// for notifications that never come, refunds through the channel that took the
/// money, and the figures per channel. Thread-safe.
///
/// A payment settles once: in memory one thread at a time per payment (others wait
/// and then find it settled: a duplicate), and in the database by a guarded update
/// in the order's own transaction (PaymentChange), which refuses a second settle
/// from another replica. An order is paid only when the provider's verified amount
/// and currency equal the payment's, which are the order's.
///
/// Outbound provider calls run on the manager's workers (never a gRPC thread);
/// notifications are handled on the callback listener's threads, which wait until
/// the change is durably stored before the provider is answered.
class PaymentManager final {
public:
    struct Options {
        /// Where providers send notifications: "<base>/notify/<channel id>".
        std::string callbackBase;
        /// The orders' currency.
        std::string currency;
        /// Provider -> endpoint of its local sandbox: a channel whose endpoint is
        /// "sandbox" talks to it (demo mode); without, such a channel is unusable.
        std::map<std::string, std::string> sandboxEndpoints;
        /// Workers for provider calls (each adapter bounds its own calls' time).
        int workers = 4;
        /// For metrics: each notification's channel (a configured channel's id, or
        /// "unknown") and outcome: "applied", "duplicate", "refused", "failed".
        std::function<void(const std::string &channelId, const char *outcome)> notified;
    };

    PaymentManager(PaymentStore &store, OrderStore &orders, orders::OrderBook &book, OrderWriter &writer,
                   HttpClient &http, const Clock &clock, Options options);
    PaymentManager(const PaymentManager &) = delete;
    PaymentManager &operator=(const PaymentManager &) = delete;
    ~PaymentManager();

    /// Installs the newest configuration (or `initial` as version 1 when there is
    /// none), loads the open payments into the query schedule and the last hour's
    /// outcomes into the success windows, and starts the workers. Throws StorageError.
    void start(const ChannelConfig &initial);
    /// Stops the workers; calls still queued are dropped (their payments stay open and
    /// are queried after the next start). Idempotent.
    void stop();
    /// Where providers send notifications; set before start when the listener's
    /// port is only known then.
    void setCallbackBase(const std::string &base);
    void setSandboxEndpoints(std::map<std::string, std::string> endpoints);

    // --- the configuration ---
    versioning::Document &document() { return m_document; }
    std::shared_ptr<const LiveChannels> live() const;
    std::optional<std::pair<ChannelConfig, StoredVersion>> stored(std::int64_t version) const;
    Result<StoredVersion> save(std::int64_t baseVersion, const ChannelConfig &config, const std::string &reason,
                               const audit::Actor &actor);
    Result<StoredVersion> rollback(std::int64_t toVersion, std::int64_t baseVersion, const std::string &reason,
                                   const audit::Actor &actor);
    /// Each channel's credentials, checked now (readable or not).
    std::map<std::string, std::vector<CredentialStatus>> credentialStatus(const ChannelConfig &config) const;
    /// Where an order of `amountMinor` `currency` would go now (under `draft` when given).
    RouteDecision preview(std::int64_t amountMinor, const std::string &currency,
                          const std::optional<ChannelConfig> &draft) const;

    // --- payments ---
    using PaymentDone = std::function<void(Result<Payment>)>;
    /// Starts paying `orderId` (see PaymentService.CreatePayment); `done` runs on a
    /// worker. Idempotent per (order, key).
    void create(std::int64_t orderId, const std::string &channelId, const std::string &idempotencyKey,
                PaymentDone done);
    /// A provider notification for `channelId`, raw. Returns the answer its provider
    /// expects once the change is durably stored (or refused). Blocks.
    HttpResponse notify(const std::string &channelId, const HttpRequest &request);
    /// What the last notify did (tests and the bench count outcomes).
    struct Counters {
        std::int64_t applied = 0;
        std::int64_t duplicates = 0;
        std::int64_t refused = 0;
        std::int64_t failed = 0;
    };
    Counters counters() const;

    using RefundDone = std::function<void(Result<Refund>)>;
    /// Refunds through the channel that took the money; `done` runs on a worker with
    /// the refund as recorded after the provider's first answer. With `paymentId` 0,
    /// the paid order: its paying payment, and the order becomes refunded when the
    /// provider confirms. Otherwise that payment of the order on its own: money that
    /// did not pay the order (strayMinor), and the order does not change.
    void refund(std::int64_t orderId, std::int64_t paymentId, const std::string &reason, RefundDone done);

    /// The order was cancelled or expired (the order writer's commit listener calls
    /// it; cheap): its open payments are closed at their providers from the next tick,
    /// so the buyer can no longer pay them.
    void orderClosed(std::int64_t orderId);

    /// Due queries (payments without news, pending refunds) and expiries. The
    /// housekeeper calls it every tick; cheap when nothing is due.
    void tick();
    /// Waits until every queued provider call has run (tests, the bench).
    void drain();

    // --- reads ---
    std::optional<Payment> payment(std::int64_t paymentId) const;
    std::pair<std::vector<Payment>, std::vector<Refund>> forOrder(std::int64_t orderId) const;
    std::vector<RefusedNotification> refusals(int limit) const;
    const ChannelStats &stats() const { return m_stats; }
    const SuccessWindow &window() const { return m_window; }
    std::uint64_t generation() const { return m_stats.generation() + m_configGeneration.load(); }

private:
    struct Slot {
        PaymentState state = PaymentState::Created;
        bool busy = false;
    };
    class SlotClaim;

    std::shared_ptr<LiveChannels> build(ChannelConfig config, std::int64_t version) const;
    AdapterSettings settingsFor(const ChannelSettings &channel, std::map<std::string, std::string> &unusable) const;
    void post(std::function<void()> job);
    void work(const std::stop_token &stop);

    void createNow(std::int64_t orderId, const std::string &channelId, const std::string &key, const PaymentDone &done);
    /// Applies a verified report to `payment`; `source` names where it came from.
    NotifyOutcome apply(Payment payment, const PaymentReport &report, const std::string &source,
                        std::string *why = nullptr);
    NotifyOutcome applyRefund(const RefundReport &report, const std::string &source);
    /// Stores a settle of `payment` with the order's transition; waits for the commit.
    std::optional<Error> settle(const Payment &before, Payment after, std::string *detail);
    void queryNow(std::int64_t paymentId);
    void queryRefundNow(std::int64_t refundId, const std::string &outRefundNo);
    void refuse(RefusedNotification refused);
    /// Queries `paymentId` (open, of `orderId`) at `at`.
    void schedule(std::int64_t paymentId, std::int64_t orderId, TimePoint at);
    /// The payment left the schedule for good (it reached an end state or is gone).
    void unschedule(std::int64_t paymentId);
    /// Why `payment` must be closed now rather than waited for; empty when it need not.
    std::string closeReason(const Payment &payment, TimePoint now) const;
    /// Asks the provider to refund `refund` of `payment` (again, with the same refund
    /// number, when it never arrived) and applies the first answer.
    /// `again`: a resend, whose refusal leaves the refund pending for an operator (the
    /// first call may yet be paid out) instead of failing it.
    std::optional<Error> sendRefund(PaymentAdapter &adapter, const Payment &payment, const Refund &refund,
                                    bool again = false);
    /// Notes on a pending refund why it waits (under m_refundMutex; never fails the caller).
    void noteOnRefund(const Refund &refund, const std::string &detail);
    std::optional<Error> commitRefund(const Refund &before, Refund after);

    PaymentStore &m_store;
    OrderStore &m_orders;
    orders::OrderBook &m_book;
    OrderWriter &m_writer;
    HttpClient &m_http;
    const Clock &m_clock;
    Options m_options;
    mutable std::mutex m_optionsMutex;

    versioning::VersionedDocument<ChannelConfig> m_document;
    mutable std::mutex m_liveMutex;
    std::shared_ptr<const LiveChannels> m_live;
    std::atomic<std::uint64_t> m_configGeneration{0};

    SuccessWindow m_window;
    ChannelStats m_stats;

    mutable std::mutex m_slotMutex;
    std::condition_variable m_slotFree;
    std::unordered_map<std::int64_t, Slot> m_slots;

    mutable std::mutex m_counterMutex;
    Counters m_counters;

    /// Orders the book paid whose commit failed (the database has them unpaid): the
    /// transition to store again with the next success of a payment of the order.
    std::mutex m_unstoredMutex;
    struct Unstored {
        orders::OrderTransition transition;
        int attempts = 0;
    };
    std::unordered_map<std::int64_t, Unstored> m_unstoredPaid;
    /// Stores an unstored transition again this many times at most.
    static constexpr int kUnstoredAttempts = 3;

    std::mutex m_scheduleMutex;
    /// When each open payment is next queried; attempts so far (for the back-off).
    std::multimap<TimePoint, std::int64_t> m_due;
    std::unordered_map<std::int64_t, int> m_queries;
    std::set<std::int64_t> m_queued;
    /// The open payments of each order, and each open payment's order (orderClosed).
    std::unordered_map<std::int64_t, std::set<std::int64_t>> m_openByOrder;
    std::unordered_map<std::int64_t, std::int64_t> m_orderOfOpen;
    /// When each open payment is next due: an entry of m_due at another time is stale.
    std::unordered_map<std::int64_t, TimePoint> m_nextDue;
    TimePoint m_nextRefundCheck;
    std::atomic<bool> m_checkingRefunds{false};
    std::mutex m_refundMutex;

    std::mutex m_workMutex;
    std::condition_variable m_workReady;
    std::condition_variable m_workIdle;
    std::deque<std::function<void()>> m_work;
    int m_busyWorkers = 0;
    bool m_stopping = false;
    std::vector<std::jthread> m_workers;
};

} // namespace flywheel::payments
