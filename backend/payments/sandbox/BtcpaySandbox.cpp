#include "payments/sandbox/BtcpaySandbox.h"

#include "domain/payments/Decimal.h"
#include "payments/Crypto.h"
#include "payments/CurlHttpClient.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace flywheel::payments::sandbox {

using nlohmann::json;
using nlohmann::ordered_json;

struct BtcpaySandbox::Invoice {
    std::string id;
    std::string orderId;
    std::int64_t amountMinor = 0;
    std::string currency;
    std::string status = "New";
    std::string additional = "None";
    std::string speedPolicy = "MediumSpeed";
    int expirationMinutes = 15;
    /// paymentTolerance in basis points (BTCPay's percent x 100).
    std::int64_t toleranceBp = 0;
    int confirmationsRequired = 1;
    int confirmations = 0;
    std::int64_t paidMinor = 0;
    TimePoint createdAt;
    TimePoint expiresAt;
};

struct BtcpaySandbox::PullPayment {
    std::string id;
    std::string name;
    std::string description;
    std::string invoiceId;
    std::string currency;
    std::int64_t amountMinor = 0;
    /// Empty until the buyer claims it; then AwaitingPayment or Completed.
    std::string payoutState;
    std::string payoutId;
};

namespace {

/// Confirmations BTCPay waits for per speed policy (NBXplorerListener.ConfirmationRequired).
int confirmationsFor(const std::string &speedPolicy)
{
    if (speedPolicy == "HighSpeed")
        return 0;
    if (speedPolicy == "MediumSpeed")
        return 1;
    if (speedPolicy == "LowMediumSpeed")
        return 2;
    return 6;
}

/// BTCPay's default monitoringMinutes: how long after expiry payments are still watched.
constexpr std::chrono::minutes kMonitoring{1440};

std::int64_t epochSeconds(TimePoint t)
{
    return toEpochMs(t) / 1000;
}

void answer(httplib::Response &response, int status, const json &body)
{
    response.status = status;
    response.set_content(body.dump(), "application/json");
}

void error(httplib::Response &response, int status, const std::string &code, const std::string &message)
{
    answer(response, status, json{{"code", code}, {"message", message}});
}

void validation(httplib::Response &response, const std::string &path, const std::string &message)
{
    answer(response, 422, json::array({json{{"path", path}, {"message", message}}}));
}

std::string text(const json &object, const char *key, const std::string &fallback = {})
{
    if (!object.is_object() || !object.contains(key) || !object[key].is_string())
        return fallback;
    return object[key].get<std::string>();
}

Result<std::string> writeSecret(const std::filesystem::path &path, const std::string &secret)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return Error{ErrorCode::Unavailable, "cannot write " + path.string()};
    const auto written = ::write(fd, secret.data(), secret.size());
    ::fchmod(fd, 0600);
    ::close(fd);
    if (written != static_cast<ssize_t>(secret.size()))
        return Error{ErrorCode::Unavailable, "cannot write " + path.string()};
    return path.string();
}

} // namespace

BtcpaySandbox::BtcpaySandbox(const Clock &clock)
    : m_clock(clock), // The store id stays the same from one start to the next, as a real store's does;
      // the keys (rewritten to the same files) change.
      m_storeId("StoreFlywheelDemo"), m_apiKey(crypto::randomAlnum(40)),
      m_webhookSecret(crypto::randomAlnum(32)), m_http(std::make_unique<CurlHttpClient>()),
      m_server(std::make_unique<httplib::Server>())
{
    serve();
    m_port = m_server->bind_to_any_port("127.0.0.1");
    if (m_port > 0) {
        m_serverThread = std::thread([this] { m_server->listen_after_bind(); });
        // stop() is a no-op until the server runs: wait for it so the destructor can stop it.
        while (!m_server->is_running())
            std::this_thread::yield();
    }
    m_deliveryThread = std::thread([this] { deliveryLoop(); });
}

BtcpaySandbox::~BtcpaySandbox()
{
    {
        std::lock_guard lock(m_taskMutex);
        m_stopping = true;
        m_tasks.clear();
    }
    m_taskCv.notify_all();
    m_deliveryThread.join();
    if (m_serverThread.joinable()) {
        m_server->stop();
        m_serverThread.join();
    }
}

std::string BtcpaySandbox::endpoint() const
{
    return "http://127.0.0.1:" + std::to_string(m_port);
}

AdapterSettings BtcpaySandbox::settings() const
{
    AdapterSettings settings;
    settings.channelId = "btcpay-sandbox";
    settings.endpoint = endpoint();
    settings.merchantId = m_storeId;
    settings.apiKey = m_apiKey;
    settings.webhookSecret = m_webhookSecret;
    std::lock_guard lock(m_mutex);
    settings.notifyUrl = m_webhookUrl;
    return settings;
}

std::vector<std::pair<std::string, std::string>> BtcpaySandbox::writeCredentials(const std::string &folder) const
{
    if (folder.empty())
        return {};
    std::error_code ec;
    std::filesystem::create_directories(folder, ec);
    std::vector<std::pair<std::string, std::string>> out;
    const auto key = writeSecret(std::filesystem::path(folder) / "btcpay_api_key", m_apiKey);
    const auto secret = writeSecret(std::filesystem::path(folder) / "btcpay_webhook_secret", m_webhookSecret);
    if (key.ok())
        out.emplace_back("api_key", key.value());
    if (secret.ok())
        out.emplace_back("webhook_secret", secret.value());
    return out;
}

void BtcpaySandbox::setBehaviour(const Behaviour &behaviour)
{
    std::lock_guard lock(m_mutex);
    m_behaviour = behaviour;
}

void BtcpaySandbox::setWebhookUrl(const std::string &url)
{
    std::lock_guard lock(m_mutex);
    m_webhookUrl = url;
}

void BtcpaySandbox::setAutoConfirm(bool on)
{
    std::lock_guard lock(m_mutex);
    m_autoConfirm = on;
}

std::int64_t BtcpaySandbox::created() const
{
    std::lock_guard lock(m_mutex);
    return m_created;
}

std::int64_t BtcpaySandbox::notificationsSent() const
{
    std::lock_guard lock(m_mutex);
    return m_sent;
}

BtcpaySandbox::Invoice *BtcpaySandbox::findByOrderLocked(const std::string &outTradeNo)
{
    Invoice *found = nullptr;
    for (auto &[id, invoice] : m_invoices) {
        if (invoice->orderId == outTradeNo && (!found || invoice->createdAt >= found->createdAt))
            found = invoice.get();
    }
    return found;
}

void BtcpaySandbox::expireLocked(Invoice &invoice)
{
    // InvoiceWatcher: Processing past monitoringExpiration without enough confirmations -> Invalid.
    if (invoice.status == "Processing" && m_clock.now() >= invoice.expiresAt + kMonitoring) {
        invoice.status = "Invalid";
        queueEventsLocked(invoice, {{"InvoiceInvalid", json{{"manuallyMarked", false}}.dump()}}, Delivery::Normal);
        return;
    }
    if (invoice.status != "New" || m_clock.now() < invoice.expiresAt)
        return;
    invoice.status = "Expired";
    const bool partial = invoice.paidMinor > 0;
    invoice.additional = partial ? "PaidPartial" : "None";
    queueEventsLocked(invoice, {{"InvoiceExpired", json{{"partiallyPaid", partial}}.dump()}}, Delivery::Normal);
}

bool BtcpaySandbox::settleLocked(Invoice &invoice)
{
    if (invoice.status != "Processing" || invoice.confirmations < invoice.confirmationsRequired)
        return false;
    invoice.status = "Settled";
    return true;
}

bool BtcpaySandbox::pay(const std::string &outTradeNo, Delivery delivery, std::optional<std::int64_t> paidMinor)
{
    std::lock_guard lock(m_mutex);
    Invoice *invoice = findByOrderLocked(outTradeNo);
    if (!invoice)
        return false;
    expireLocked(*invoice);
    if (invoice->status == "Settled" || invoice->status == "Invalid")
        return false;
    const std::int64_t rest = invoice->amountMinor - invoice->paidMinor;
    const std::int64_t paid = paidMinor.value_or(rest > 0 ? rest : invoice->amountMinor);
    if (paid <= 0)
        return false;
    invoice->paidMinor += paid;
    // InvoiceEntity: paid in full when Price x (1 - tolerance%) - Paid <= 0, in integers.
    const bool full = invoice->paidMinor * 10000 >= invoice->amountMinor * (10000 - invoice->toleranceBp);
    const bool over = invoice->paidMinor > invoice->amountMinor;

    std::vector<std::pair<std::string, std::string>> events;
    const bool afterExpiry = invoice->status == "Expired";
    events.emplace_back("InvoiceReceivedPayment",
                        json{{"afterExpiration", afterExpiry}, {"paymentMethodId", "BTC-CHAIN"}}.dump());
    if (afterExpiry) {
        invoice->additional = full ? "PaidLate" : "PaidPartial";
        if (full)
            events.emplace_back("InvoicePaidAfterExpiration", "{}");
    } else if (invoice->status == "New") {
        if (full) {
            invoice->status = "Processing";
            invoice->additional = over ? "PaidOver" : "None";
            events.emplace_back("InvoiceProcessing", json{{"overPaid", over}}.dump());
            if (settleLocked(*invoice)) {
                events.emplace_back("InvoiceSettled", json{{"manuallyMarked", false}, {"overPaid", over}}.dump());
            } else if (m_autoConfirm) {
                const std::string id = invoice->id;
                schedule(m_behaviour.lateDelay, [this, id] {
                    std::lock_guard lock(m_mutex);
                    const auto it = m_invoices.find(id);
                    if (it != m_invoices.end())
                        confirmLocked(*it->second, it->second->confirmationsRequired);
                });
            }
        } else {
            invoice->additional = "PaidPartial";
        }
    } else if (over) {
        invoice->additional = "PaidOver";
    }
    queueEventsLocked(*invoice, events, delivery);
    return true;
}

bool BtcpaySandbox::confirm(const std::string &outTradeNo, int confirmations)
{
    std::lock_guard lock(m_mutex);
    Invoice *invoice = findByOrderLocked(outTradeNo);
    if (!invoice)
        return false;
    confirmLocked(*invoice, confirmations);
    return true;
}

void BtcpaySandbox::confirmLocked(Invoice &invoice, int confirmations)
{
    invoice.confirmations = std::max(invoice.confirmations, confirmations);
    if (!settleLocked(invoice))
        return;
    const json settled{{"manuallyMarked", false}, {"overPaid", invoice.additional == "PaidOver"}};
    queueEventsLocked(invoice, {{"InvoiceSettled", settled.dump()}}, Delivery::Normal);
}

void BtcpaySandbox::completePayouts()
{
    std::lock_guard lock(m_mutex);
    for (auto &[id, pull] : m_pullPayments) {
        if (!pull->payoutState.empty())
            pull->payoutState = "Completed";
    }
}

std::optional<HttpRequest> BtcpaySandbox::notificationFor(const std::string &outTradeNo)
{
    std::lock_guard lock(m_mutex);
    Invoice *invoice = findByOrderLocked(outTradeNo);
    if (!invoice)
        return std::nullopt;
    expireLocked(*invoice);
    std::string type = "InvoiceCreated";
    if (invoice->status == "Settled")
        type = "InvoiceSettled";
    else if (invoice->status == "Processing")
        type = "InvoiceProcessing";
    else if (invoice->status == "Invalid")
        type = "InvoiceInvalid";
    else if (invoice->status == "Expired")
        type = invoice->additional == "PaidLate" ? "InvoicePaidAfterExpiration" : "InvoiceExpired";
    else if (invoice->paidMinor > 0)
        type = "InvoiceReceivedPayment";
    return webhookLocked(*invoice, type, "{}", false);
}

HttpRequest BtcpaySandbox::webhookLocked(const Invoice &invoice, const std::string &type, const std::string &extraJson,
                                         bool redelivery) const
{
    // The envelope in BTCPay's order (WebhookEvent, WebhookInvoiceEvent), indented.
    ordered_json body;
    body["deliveryId"] = crypto::randomAlnum(22);
    body["webhookId"] = "SandboxWebhook";
    body["originalDeliveryId"] = body["deliveryId"];
    body["isRedelivery"] = redelivery;
    body["type"] = type;
    body["timestamp"] = epochSeconds(m_clock.now());
    body["storeId"] = m_storeId;
    body["invoiceId"] = invoice.id;
    body["metadata"] = ordered_json{{"orderId", invoice.orderId}};
    const auto extra = ordered_json::parse(extraJson, nullptr, false);
    if (extra.is_object())
        body.update(extra);

    HttpRequest request;
    request.method = "POST";
    const auto slash =
        m_webhookUrl.find('/', m_webhookUrl.find("://") == std::string::npos ? 0 : m_webhookUrl.find("://") + 3);
    request.target = slash == std::string::npos ? "/" : m_webhookUrl.substr(slash);
    request.body = body.dump(2);
    request.headers["Content-Type"] = "application/json";
    request.headers["BTCPay-Sig"] = "sha256=" + crypto::hexEncode(crypto::hmacSha256(m_webhookSecret, request.body));
    return request;
}

void BtcpaySandbox::queueEventsLocked(const Invoice &invoice,
                                      const std::vector<std::pair<std::string, std::string>> &events, Delivery delivery)
{
    if (m_webhookUrl.empty() || delivery == Delivery::Never)
        return;
    const std::string url = m_webhookUrl;
    for (const auto &[type, extra] : events) {
        HttpRequest first = webhookLocked(invoice, type, extra, false);
        const auto delay = delivery == Delivery::Late ? m_behaviour.lateDelay : Milliseconds(0);
        if (delivery == Delivery::Twice) {
            // BTCPay's resend: the same event, a new deliveryId, isRedelivery, the original timestamp.
            auto event = ordered_json::parse(first.body);
            event["deliveryId"] = crypto::randomAlnum(22);
            event["isRedelivery"] = true;
            HttpRequest second = first;
            second.body = event.dump(2);
            second.headers["BTCPay-Sig"] =
                "sha256=" + crypto::hexEncode(crypto::hmacSha256(m_webhookSecret, second.body));
            schedule(delay, [this, url, first] { post(url, first); });
            schedule(delay, [this, url, second] { post(url, second); });
        } else {
            schedule(delay, [this, url, first] { post(url, first); });
        }
    }
}

void BtcpaySandbox::post(const std::string &url, const HttpRequest &request)
{
    // BTCPay retries failed deliveries (10 s, 1 min, 6 x 10 min); the sandbox sends
    // once: a missed webhook is what the manager's query schedule is for.
    // Counted before it goes, so whoever has received it sees it counted.
    {
        std::lock_guard lock(m_mutex);
        ++m_sent;
    }
    m_http->send(url, request, std::chrono::milliseconds(5000));
}

void BtcpaySandbox::schedule(std::chrono::milliseconds delay, std::function<void()> run)
{
    {
        std::lock_guard lock(m_taskMutex);
        if (m_stopping)
            return;
        m_tasks.push_back(Task{std::chrono::steady_clock::now() + delay, std::move(run)});
    }
    m_taskCv.notify_all();
}

void BtcpaySandbox::deliveryLoop()
{
    std::unique_lock lock(m_taskMutex);
    while (!m_stopping) {
        if (m_tasks.empty()) {
            m_taskCv.wait(lock);
            continue;
        }
        // The earliest due task; among equals the first queued, so events keep their order.
        auto next = std::min_element(m_tasks.begin(), m_tasks.end(),
                                     [](const Task &a, const Task &b) { return a.due < b.due; });
        if (next->due > std::chrono::steady_clock::now()) {
            m_taskCv.wait_until(lock, next->due);
            continue;
        }
        Task task = std::move(*next);
        m_tasks.erase(next);
        lock.unlock();
        task.run();
        lock.lock();
    }
}

void BtcpaySandbox::serve()
{
    // Every route: the API key, then the store.
    auto guarded = [this](auto handler) {
        return [this, handler](const httplib::Request &request, httplib::Response &response) {
            if (request.get_header_value("Authorization") != "token " + m_apiKey) {
                error(response, 401, "unauthenticated", "Authorization: token <api key> missing or wrong");
                return;
            }
            if (request.matches[1] != m_storeId) {
                error(response, 403, "store-not-found", "this API key has no permission for the store");
                return;
            }
            std::lock_guard lock(m_mutex);
            handler(request, response);
        };
    };
    auto invoiceJson = [this](const Invoice &invoice) {
        return json{
            {"id", invoice.id},
            {"storeId", m_storeId},
            {"amount", formatMinorDecimal(invoice.amountMinor, currencyFractionDigits(invoice.currency))},
            // Not in BTCPay's InvoiceData: what the buyer paid, in the invoice currency.
            {"amountPaid", formatMinorDecimal(invoice.paidMinor, currencyFractionDigits(invoice.currency))},
            {"currency", invoice.currency},
            {"status", invoice.status},
            {"additionalStatus", invoice.additional},
            {"checkoutLink", endpoint() + "/i/" + invoice.id},
            {"createdTime", epochSeconds(invoice.createdAt)},
            {"expirationTime", epochSeconds(invoice.expiresAt)},
            {"monitoringExpiration", epochSeconds(invoice.expiresAt + kMonitoring)},
            {"metadata", {{"orderId", invoice.orderId}}},
            {"checkout",
             {{"speedPolicy", invoice.speedPolicy},
              {"expirationMinutes", invoice.expirationMinutes},
              {"paymentTolerance", static_cast<double>(invoice.toleranceBp) / 100.0}}},
        };
    };
    auto pullJson = [](const PullPayment &pull) {
        return json{{"id", pull.id},
                    {"name", pull.name},
                    {"description", pull.description},
                    {"currency", pull.currency},
                    {"amount", formatMinorDecimal(pull.amountMinor, currencyFractionDigits(pull.currency))},
                    {"archived", false}};
    };
    auto findInvoice = [this](const std::string &id, httplib::Response &response) -> Invoice * {
        const auto it = m_invoices.find(id);
        if (it == m_invoices.end()) {
            error(response, 404, "invoice-not-found", "invoice " + id + " not found");
            return nullptr;
        }
        expireLocked(*it->second);
        return it->second.get();
    };

    m_server->Post(
        R"(/api/v1/stores/([^/]+)/invoices)",
        guarded([this, invoiceJson](const httplib::Request &request, httplib::Response &response) {
            if (m_behaviour.failCreate) {
                error(response, 500, "sandbox-failure", "the sandbox was told to fail creates");
                return;
            }
            const auto body = json::parse(request.body, nullptr, false);
            if (!body.is_object()) {
                validation(response, "", "the body is not a JSON object");
                return;
            }
            auto invoice = std::make_unique<Invoice>();
            invoice->currency = text(body, "currency");
            if (invoice->currency.empty()) {
                validation(response, "currency", "currency is required");
                return;
            }
            const auto amount = parseDecimalMinor(text(body, "amount"), currencyFractionDigits(invoice->currency));
            if (!amount.ok() || amount.value() <= 0) {
                validation(response, "amount", amount.ok() ? "amount must be positive" : amount.error().message);
                return;
            }
            invoice->amountMinor = amount.value();
            invoice->orderId = body.contains("metadata") ? text(body["metadata"], "orderId") : "";
            const json checkout = body.value("checkout", json::object());
            invoice->speedPolicy = text(checkout, "speedPolicy", "MediumSpeed");
            if (checkout.contains("expirationMinutes") && checkout["expirationMinutes"].is_number_integer())
                invoice->expirationMinutes = checkout["expirationMinutes"].get<int>();
            if (checkout.contains("paymentTolerance") && checkout["paymentTolerance"].is_number()) {
                const double percent = checkout["paymentTolerance"].get<double>();
                if (percent < 0 || percent > 100) {
                    validation(response, "checkout.paymentTolerance", "must be between 0 and 100");
                    return;
                }
                invoice->toleranceBp = std::llround(percent * 100);
            }
            invoice->confirmationsRequired = confirmationsFor(invoice->speedPolicy);
            invoice->id = crypto::randomAlnum(22);
            invoice->createdAt = m_clock.now();
            invoice->expiresAt = invoice->createdAt + std::chrono::minutes(invoice->expirationMinutes);
            ++m_created;
            answer(response, 200, invoiceJson(*invoice));
            m_invoices.emplace(invoice->id, std::move(invoice));
        }));

    m_server->Get(R"(/api/v1/stores/([^/]+)/invoices)",
                  guarded([this, invoiceJson](const httplib::Request &request, httplib::Response &response) {
                      const std::string orderId = request.get_param_value("orderId");
                      json list = json::array();
                      for (auto &[id, invoice] : m_invoices) {
                          if (!orderId.empty() && invoice->orderId != orderId)
                              continue;
                          expireLocked(*invoice);
                          list.push_back(invoiceJson(*invoice));
                      }
                      answer(response, 200, list);
                  }));

    m_server->Get(R"(/api/v1/stores/([^/]+)/invoices/([^/]+))",
                  guarded([invoiceJson, findInvoice](const httplib::Request &request, httplib::Response &response) {
                      if (Invoice *invoice = findInvoice(request.matches[2], response))
                          answer(response, 200, invoiceJson(*invoice));
                  }));

    m_server->Post(
        R"(/api/v1/stores/([^/]+)/invoices/([^/]+)/status)",
        guarded([this, invoiceJson, findInvoice](const httplib::Request &request, httplib::Response &response) {
            Invoice *invoice = findInvoice(request.matches[2], response);
            if (!invoice)
                return;
            const auto body = json::parse(request.body, nullptr, false);
            const std::string status = text(body, "status");
            if (status != "Invalid" && status != "Settled") {
                validation(response, "status", "status must be Invalid or Settled");
                return;
            }
            if (invoice->status == "Settled" || invoice->status == "Invalid") {
                error(response, 400, "invoice-not-markable",
                      "invoice " + invoice->id + " is " + invoice->status + " and cannot be marked");
                return;
            }
            invoice->status = status;
            invoice->additional = "Marked";
            queueEventsLocked(
                *invoice,
                {{status == "Invalid" ? "InvoiceInvalid" : "InvoiceSettled", json{{"manuallyMarked", true}}.dump()}},
                Delivery::Normal);
            answer(response, 200, invoiceJson(*invoice));
        }));

    m_server->Post(
        R"(/api/v1/stores/([^/]+)/invoices/([^/]+)/refund)",
        guarded([this, pullJson, findInvoice](const httplib::Request &request, httplib::Response &response) {
            Invoice *invoice = findInvoice(request.matches[2], response);
            if (!invoice)
                return;
            if (m_behaviour.loseRefund) {
                error(response, 503, "unavailable", "the sandbox was told to lose refund requests");
                return;
            }
            if (m_behaviour.failRefund) {
                error(response, 400, "refund-failed", "the sandbox was told to refuse refunds");
                return;
            }
            if (invoice->paidMinor <= 0 || (invoice->status != "Settled" && invoice->status != "Expired")) {
                error(response, 400, "non-refundable",
                      "invoice " + invoice->id + " (" + invoice->status + ") has nothing to refund");
                return;
            }
            const auto body = json::parse(request.body, nullptr, false);
            const std::string variant = text(body, "refundVariant");
            auto pull = std::make_unique<PullPayment>();
            pull->currency = invoice->currency;
            if (variant == "Custom") {
                if (text(body, "customCurrency") != invoice->currency) {
                    validation(response, "customCurrency", "must be the invoice currency " + invoice->currency);
                    return;
                }
                const auto amount =
                    parseDecimalMinor(text(body, "customAmount"), currencyFractionDigits(invoice->currency));
                if (!amount.ok() || amount.value() <= 0 || amount.value() > invoice->paidMinor) {
                    validation(response, "customAmount",
                               amount.ok() ? "must be positive and at most what was paid" : amount.error().message);
                    return;
                }
                pull->amountMinor = amount.value();
            } else if (variant == "Fiat" || variant == "RateThen" || variant == "CurrentRate") {
                pull->amountMinor = std::min(invoice->paidMinor, invoice->amountMinor);
            } else {
                validation(response, "refundVariant", "unknown refundVariant \"" + variant + "\"");
                return;
            }
            pull->id = crypto::randomAlnum(20);
            pull->name = text(body, "name");
            pull->description = text(body, "description");
            pull->invoiceId = invoice->id;
            // The buyer claims at once; the payout completes at once unless asyncRefund.
            pull->payoutId = crypto::randomAlnum(20);
            pull->payoutState = m_behaviour.asyncRefund ? "AwaitingPayment" : "Completed";
            answer(response, 200, pullJson(*pull));
            m_pullPayments.emplace(pull->id, std::move(pull));
        }));

    m_server->Get(R"(/api/v1/stores/([^/]+)/pull-payments)",
                  guarded([this, pullJson](const httplib::Request &, httplib::Response &response) {
                      json list = json::array();
                      for (const auto &[id, pull] : m_pullPayments)
                          list.push_back(pullJson(*pull));
                      answer(response, 200, list);
                  }));

    m_server->Get(R"(/api/v1/stores/([^/]+)/pull-payments/([^/]+))",
                  guarded([this, pullJson](const httplib::Request &request, httplib::Response &response) {
                      const auto it = m_pullPayments.find(request.matches[2]);
                      if (it == m_pullPayments.end())
                          error(response, 404, "pullpayment-not-found", "pull payment not found");
                      else
                          answer(response, 200, pullJson(*it->second));
                  }));

    m_server->Get(R"(/api/v1/stores/([^/]+)/pull-payments/([^/]+)/payouts)",
                  guarded([this](const httplib::Request &request, httplib::Response &response) {
                      const auto it = m_pullPayments.find(request.matches[2]);
                      if (it == m_pullPayments.end()) {
                          error(response, 404, "pullpayment-not-found", "pull payment not found");
                          return;
                      }
                      const PullPayment &pull = *it->second;
                      json list = json::array();
                      if (!pull.payoutState.empty())
                          list.push_back(json{
                              {"id", pull.payoutId},
                              {"pullPaymentId", pull.id},
                              {"state", pull.payoutState},
                              {"amount", formatMinorDecimal(pull.amountMinor, currencyFractionDigits(pull.currency))}});
                      answer(response, 200, list);
                  }));
}

} // namespace flywheel::payments::sandbox
