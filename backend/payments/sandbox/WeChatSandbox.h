#pragma once

#include "payments/Crypto.h"
#include "payments/sandbox/Sandbox.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace httplib {
class Server;
struct Request;
struct Response;
} // namespace httplib

namespace flywheel::payments {
class CurlHttpClient;
}

namespace flywheel::payments::sandbox {

/// WeChat Pay API v3 (Native) played locally: the merchant's key (handed to the
/// adapter; the sandbox checks every request's Authorization with its public half),
/// the platform key (signs every answer and notification), a 32-character APIv3 key
/// (encrypts notification resources), the endpoints the adapter uses, and the buyer
/// (pay()). Errors answer as WeChat does: 401 SIGN_ERROR, 404 ORDER_NOT_EXIST, …
class WeChatSandbox final : public Sandbox {
public:
    explicit WeChatSandbox(const Clock &clock);
    ~WeChatSandbox() override;
    WeChatSandbox(const WeChatSandbox &) = delete;
    WeChatSandbox &operator=(const WeChatSandbox &) = delete;

    std::string provider() const override { return "wechatpay"; }
    std::string endpoint() const override;
    AdapterSettings settings() const override;
    std::vector<std::pair<std::string, std::string>> writeCredentials(const std::string &folder) const override;
    void setBehaviour(const Behaviour &behaviour) override;
    void setWebhookUrl(const std::string &) override {}
    bool pay(const std::string &outTradeNo, Delivery delivery, std::optional<std::int64_t> paidMinor) override;
    std::optional<HttpRequest> notificationFor(const std::string &outTradeNo) override;
    std::int64_t created() const override { return m_created.load(); }
    std::int64_t notificationsSent() const override { return m_sent.load(); }

    /// The platform key (tests forge notifications of other merchants with it).
    const crypto::RsaKey &platformKey() const { return m_platformKey; }
    /// Builds a notification of `eventType` around `resource` (JSON text, encrypted
    /// here), signed with the platform key at the clock's time.
    HttpRequest buildNotification(const std::string &eventType, const std::string &resourceJson,
                                  const std::string &notifyUrl) const;

private:
    struct Order {
        std::string appid;
        std::string description;
        std::string notifyUrl;
        std::int64_t amount = 0;
        std::int64_t paid = 0;
        std::int64_t refunded = 0;
        std::string currency;
        std::string state = "NOTPAY";
        std::string transactionId;
        std::string codeUrl;
        TimePoint paidAt;
        TimePoint expiresAt;
    };
    struct Refund {
        std::string outTradeNo;
        std::string refundId;
        std::string status;
        std::string notifyUrl;
        std::int64_t amount = 0;
        TimePoint createdAt;
        TimePoint succeededAt;
    };

    void route();
    /// Why the request's Authorization is wrong; nothing when it verifies.
    std::optional<std::string> badSignature(const httplib::Request &request) const;
    /// Answers `body` (or nothing) with `status`, signed with the platform key.
    void answer(httplib::Response &response, int status, const std::string &body) const;
    void answerError(httplib::Response &response, int status, const std::string &code,
                     const std::string &message) const;
    void createOrder(const httplib::Request &request, httplib::Response &response);
    void queryOrder(const httplib::Request &request, httplib::Response &response);
    void closeOrder(const httplib::Request &request, httplib::Response &response);
    void createRefund(const httplib::Request &request, httplib::Response &response);
    void queryRefund(const httplib::Request &request, httplib::Response &response);
    std::string transactionJson(const std::string &outTradeNo, const Order &order, bool asPaid) const;
    std::string refundJson(const std::string &outRefundNo, const Refund &refund, const Order &order) const;
    std::string refundResourceJson(const std::string &outRefundNo, const Refund &refund, const Order &order) const;
    void finishRefund(const std::string &outRefundNo);

    void deliver(const HttpRequest &notification, const std::string &url);
    void schedule(Milliseconds delay, std::function<void()> task);
    void runTasks();

    const Clock &m_clock;
    crypto::RsaKey m_merchantKey;
    crypto::RsaKey m_platformKey;
    std::string m_apiKey;
    std::string m_mchid = "1900000109";
    std::string m_appid = "wxd678efh567hg6787";
    std::string m_merchantSerial;
    std::string m_platformSerial;
    std::unique_ptr<CurlHttpClient> m_http;

    mutable std::mutex m_mutex;
    std::map<std::string, Order> m_orders;
    std::map<std::string, Refund> m_refunds;
    Behaviour m_behaviour;
    std::atomic<std::int64_t> m_created{0};
    std::atomic<std::int64_t> m_sent{0};

    std::mutex m_taskMutex;
    std::condition_variable m_taskChanged;
    std::multimap<std::chrono::steady_clock::time_point, std::function<void()>> m_tasks;
    bool m_stopping = false;
    std::thread m_worker;

    std::unique_ptr<httplib::Server> m_server;
    int m_port = 0;
    std::thread m_serverThread;
};

} // namespace flywheel::payments::sandbox
