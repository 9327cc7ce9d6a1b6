#pragma once

#include "payments/sandbox/Sandbox.h"

#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace flywheel::payments::sandbox {

/// A BTCPay Server stand-in: the Greenfield endpoints BtcpayAdapter uses (invoices,
/// their status, refunds as pull payments with payouts) for one store, checked
/// against "Authorization: token <api key>" (401 otherwise), and the store's
/// webhook, signed "BTCPay-Sig: sha256=<hex>" over an indented JSON body as BTCPay
/// sends it.
///
/// Invoices: New -> Processing (paid in full, awaiting confirmations) -> Settled
/// (confirmations reached); New -> Expired at expirationTime by the clock, checked
/// whenever the invoice is touched; paid in full after that -> Expired + PaidLate;
/// less than due minus paymentTolerance -> New/Expired + PaidPartial; more than
/// due -> PaidOver; Processing still unconfirmed a day after expiry -> Invalid. pay() with a speed policy that needs no
/// confirmation (HighSpeed) settles at once; otherwise the invoice waits in Processing until confirm(), or until an
/// automatic confirmation after Behaviour::lateDelay when setAutoConfirm(true) (the demo's default; tests turn it off
/// and confirm).
class BtcpaySandbox final : public Sandbox {
public:
    explicit BtcpaySandbox(const Clock &clock);
    ~BtcpaySandbox() override;
    BtcpaySandbox(const BtcpaySandbox &) = delete;
    BtcpaySandbox &operator=(const BtcpaySandbox &) = delete;

    /// False when the server could not bind.
    bool running() const { return m_port > 0; }

    std::string provider() const override { return "btcpay"; }
    std::string endpoint() const override;
    AdapterSettings settings() const override;
    std::vector<std::pair<std::string, std::string>> writeCredentials(const std::string &folder) const override;
    void setBehaviour(const Behaviour &behaviour) override;
    void setWebhookUrl(const std::string &url) override;
    bool pay(const std::string &outTradeNo, Delivery delivery,
             std::optional<std::int64_t> paidMinor = std::nullopt) override;
    std::optional<HttpRequest> notificationFor(const std::string &outTradeNo) override;
    std::int64_t created() const override;
    std::int64_t notificationsSent() const override;

    /// Beyond the interface. The payment of `outTradeNo` now has `confirmations`:
    /// a Processing invoice whose speed policy needs no more settles (and its
    /// InvoiceSettled webhook goes out). False for an unknown order.
    bool confirm(const std::string &outTradeNo, int confirmations);
    /// Whether pay() confirms Processing invoices by itself after lateDelay.
    void setAutoConfirm(bool on);
    /// Completes the payouts of every pull payment (asyncRefund: the buyer claimed it).
    void completePayouts();
    const std::string &storeId() const { return m_storeId; }

    struct Invoice;
    struct PullPayment;

private:
    struct Task {
        std::chrono::steady_clock::time_point due;
        std::function<void()> run;
    };

    void serve();
    void deliveryLoop();
    void schedule(std::chrono::milliseconds delay, std::function<void()> run);
    /// Queues the webhooks of `events` (type, extra fields as a JSON object text) for
    /// `invoice` per `delivery`; m_mutex held.
    void queueEventsLocked(const Invoice &invoice, const std::vector<std::pair<std::string, std::string>> &events,
                           Delivery delivery);
    /// The signed webhook request; m_mutex held.
    HttpRequest webhookLocked(const Invoice &invoice, const std::string &type, const std::string &extraJson,
                              bool redelivery) const;
    void post(const std::string &url, const HttpRequest &request);
    /// New -> Expired when its time has come, Processing -> Invalid when monitoring ends
    /// unconfirmed (their webhooks queued); m_mutex held.
    void expireLocked(Invoice &invoice);
    Invoice *findByOrderLocked(const std::string &outTradeNo);
    /// Processing -> Settled when confirmations suffice; m_mutex held.
    bool settleLocked(Invoice &invoice);
    /// The payment has `confirmations`; settles (and queues InvoiceSettled) when enough.
    void confirmLocked(Invoice &invoice, int confirmations);

    const Clock &m_clock;
    std::string m_storeId;
    std::string m_apiKey;
    std::string m_webhookSecret;
    std::unique_ptr<HttpClient> m_http;
    std::unique_ptr<httplib::Server> m_server;
    int m_port = 0;
    std::thread m_serverThread;

    mutable std::mutex m_mutex;
    Behaviour m_behaviour;
    bool m_autoConfirm = true;
    std::string m_webhookUrl;
    std::map<std::string, std::unique_ptr<Invoice>> m_invoices;
    std::map<std::string, std::unique_ptr<PullPayment>> m_pullPayments;
    std::int64_t m_created = 0;
    std::int64_t m_sent = 0;
    std::int64_t m_nextId = 1;

    std::mutex m_taskMutex;
    std::condition_variable m_taskCv;
    std::vector<Task> m_tasks;
    bool m_stopping = false;
    std::thread m_deliveryThread;
};

} // namespace flywheel::payments::sandbox
