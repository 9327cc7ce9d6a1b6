#pragma once

#include "domain/Clock.h"
#include "payments/Http.h"
#include "payments/PaymentAdapter.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace flywheel::payments::sandbox {

/// How a sandbox delivers the notification of a payment.
enum class Delivery {
    /// Once, at once.
    Normal,
    /// Once, after `lateDelay`.
    Late,
    /// Twice: at once and again shortly after (a provider resending).
    Twice,
    /// Never: the backend must query to find out.
    Never,
};

/// What a sandbox does, changeable while it runs (thread-safe in every sandbox).
struct Behaviour {
    /// Create calls answer HTTP 500 (the provider is down): routing falls back.
    bool failCreate = false;
    /// Refund calls are refused by the provider.
    bool failRefund = false;
    /// Refunds are confirmed later (PROCESSING, then a notification or a query), not at once.
    bool asyncRefund = false;
    /// Refund calls answer HTTP 503 and the refund is not kept (the request was lost on
    /// its way): a query finds nothing until the refund is asked for again.
    bool loseRefund = false;
    Milliseconds lateDelay{3000};
};

/// A local stand-in for one provider: an HTTP server on 127.0.0.1 (a free port)
/// that speaks the provider's protocol with keys of its own (generated at start),
/// keeps the payments created with it, and plays the buyer: pay() marks one paid
/// and sends the provider's signed notification to its notify_url. The real
/// adapter runs against it unchanged; demo mode and the tests use it. Stopped (and
/// its delivery threads joined) by its destructor.
class Sandbox {
public:
    virtual ~Sandbox() = default;
    virtual std::string provider() const = 0;
    /// "http://127.0.0.1:PORT".
    virtual std::string endpoint() const = 0;
    /// Fills the ids and key material the adapter needs to talk to this sandbox
    /// (merchant ids, serials, PEMs, API keys, endpoint). Also writes them as files
    /// under `folder` when it is not empty and names the files in `credentials`
    /// (CredentialRef name -> path) so a channel config can reference them.
    virtual AdapterSettings settings() const = 0;
    virtual std::vector<std::pair<std::string, std::string>> writeCredentials(const std::string &folder) const = 0;

    virtual void setBehaviour(const Behaviour &behaviour) = 0;
    /// Where notifications go for a provider whose webhooks are set at the provider
    /// rather than in each request (BTCPay: the store's webhook); ignored by the others.
    virtual void setWebhookUrl(const std::string &url) = 0;

    /// The buyer pays `outTradeNo`: `paidMinor` (default: the amount created; crypto
    /// may under- or over-pay), then the notification goes out per `delivery`. False
    /// when the sandbox does not know the payment or it is not payable.
    virtual bool pay(const std::string &outTradeNo, Delivery delivery,
                     std::optional<std::int64_t> paidMinor = std::nullopt) = 0;
    /// The notification pay() would send for `outTradeNo` (signed now), without
    /// sending it: for tests and the bench, which tamper with or replay it.
    virtual std::optional<HttpRequest> notificationFor(const std::string &outTradeNo) = 0;
    /// How many payments were created with it, and how many notifications it sent.
    virtual std::int64_t created() const = 0;
    virtual std::int64_t notificationsSent() const = 0;
};

/// Starts the sandbox of `provider` ("wechatpay", "alipay", "btcpay") on 127.0.0.1
/// and a free port; it sends notifications to the notify_url each create call
/// names. nullptr for an unknown provider.
std::unique_ptr<Sandbox> startSandbox(const std::string &provider, const Clock &clock);

} // namespace flywheel::payments::sandbox
