// flywheel-bench scenario `payments`: provider notifications through the callback listener.
//   payment_notify_per_s: verified WeChat Pay API v3 notifications (RSA-SHA256
//     signature over timestamp\nnonce\nbody\n, AEAD_AES_256_GCM resource) sent over
//     loopback HTTP to the backend's callback listener by 16 senders, each a new
//     connection as providers make them; each one pays its order (the payment and the
//     order's transition committed together) before it is answered. Counted from the
//     first send to the last answer; the rate is printed only when every notification
//     was answered 204 and every order is paid. The senders write each request, made
//     beforehand, on a plain socket and read the answer to the end: the providers'
//     senders do not run on this machine, so theirs is kept to a connect, a write and a
//     read rather than a libcurl handle set up per notification.
//   notify_duplicate_effects: every notification sent twice more, concurrently with
//     itself; what changed because of them: notifications applied again, plus orders
//     whose stored inventory events are not exactly the reservation and the sale.
//     Must be 0.
// The backend runs in this process (its listener is a real TCP listener on
// 127.0.0.1); the payments are created through PaymentService at a WeChat Pay
// sandbox of the bench's own, which signs the notifications with its platform key.

#include "Daemon.h"
#include "Scenarios.h"

#include "payments/PaymentManager.h"
#include "payments/sandbox/Sandbox.h"
#include "server/Backend.h"

#include "flywheel/v1/payments.grpc.pb.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <barrier>
#include <cstring>
#include <thread>

namespace flywheel::bench {

using namespace std::chrono_literals;

namespace {

constexpr int kPayments = 6000;
constexpr int kSenders = 16;

/// `request` as HTTP/1.1 bytes for 127.0.0.1:`port`, closing the connection after it.
std::string wire(const payments::HttpRequest &request, int port, const std::string &path)
{
    std::string out = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                      "\r\nConnection: close\r\nContent-Length: " + std::to_string(request.body.size()) + "\r\n";
    for (const auto &[name, value] : request.headers) {
        if (name != "Content-Length" && name != "Host" && name != "Connection")
            out += name + ": " + value + "\r\n";
    }
    return out + "\r\n" + request.body;
}

/// One request over a new connection to 127.0.0.1:`port`: the answer's status, or -1
/// when the connection, the write or the read failed (each counted as not answered 204).
int postOnce(int port, const std::string &bytes)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const timeval timeout{30, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int status = -1;
    if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0) {
        std::size_t written = 0;
        while (written < bytes.size()) {
            const ssize_t n = ::send(fd, bytes.data() + written, bytes.size() - written, MSG_NOSIGNAL);
            if (n <= 0)
                break;
            written += static_cast<std::size_t>(n);
        }
        if (written == bytes.size()) {
            // Read to the end (the server closes after its answer).
            std::string answer;
            char buffer[4096];
            for (;;) {
                const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
                if (n <= 0) {
                    if (n < 0)
                        answer.clear();
                    break;
                }
                answer.append(buffer, static_cast<std::size_t>(n));
            }
            if (answer.rfind("HTTP/1.1 ", 0) == 0 && answer.size() >= 12)
                status = std::atoi(answer.substr(9, 3).c_str());
        }
    }
    ::close(fd);
    return status;
}

/// Sends `requests` (as wire bytes) to 127.0.0.1:`port` from kSenders threads; returns
/// how many were answered 204.
std::int64_t sendAll(int port, const std::vector<std::string> &requests, int copies)
{
    std::atomic<std::size_t> next{0};
    std::atomic<std::int64_t> accepted{0};
    std::vector<std::thread> senders;
    const std::size_t total = requests.size() * static_cast<std::size_t>(copies);
    for (int i = 0; i < kSenders; ++i) {
        senders.emplace_back([&] {
            for (std::size_t n = next++; n < total; n = next++) {
                // Copies of one notification go out back to back, from different senders.
                if (postOnce(port, requests[n / static_cast<std::size_t>(copies)]) == 204)
                    ++accepted;
            }
        });
    }
    for (std::thread &t : senders)
        t.join();
    return accepted.load();
}

std::int64_t scalar(const std::string &path, const std::string &sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_busy_timeout(db, 10000);
    sqlite3_stmt *stmt = nullptr;
    std::int64_t value = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
}

} // namespace

bool paymentsScenario()
{
    const TempDir dir;
    const SystemClock &clock = SystemClock::instance();
    std::unique_ptr<payments::sandbox::Sandbox> wechat = payments::sandbox::startSandbox("wechatpay", clock);
    if (!wechat) {
        std::fprintf(stderr, "payments: the WeChat Pay sandbox did not start\n");
        return false;
    }
    BackendOptions options;
    options.databasePath = (dir.path() / "payments.sqlite").string();
    options.seedDemoData = true;
    options.demoHistoryOrdersPerHour = 0;
    options.demoUsers = 12000;
    options.payments.callbackListen = "127.0.0.1:0";
    std::unique_ptr<Backend> backend = Backend::start(options);
    const int port = backend->paymentCallbackPort();
    auto channel = backend->inProcessChannel();
    auto paymentsStub = flywheel::v1::PaymentService::NewStub(channel);
    auto ordersStub = flywheel::v1::OrderService::NewStub(channel);
    {
        auto inventory = flywheel::v1::InventoryService::NewStub(channel);
        for (const char *sku : kSkus) {
            grpc::ClientContext context;
            flywheel::v1::ReceiveStockRequest request;
            request.set_sku(sku);
            request.set_quantity(1'000'000);
            flywheel::v1::StockLevel level;
            if (!inventory->ReceiveStock(&context, request, &level).ok())
                return false;
        }
    }
    // One WeChat Pay channel on the sandbox.
    {
        const payments::AdapterSettings ids = wechat->settings();
        flywheel::v1::SaveChannelConfigRequest save;
        save.set_base_version(1);
        save.set_reason("bench");
        flywheel::v1::ChannelConfig *config = save.mutable_config();
        config->set_success_window_minutes(15);
        config->set_query_after_seconds(3600);
        flywheel::v1::Channel *c = config->add_channels();
        c->set_id("wechat");
        c->set_provider("wechatpay");
        c->set_enabled(true);
        c->set_priority(1);
        c->set_min_amount_minor(1);
        c->add_currencies("CNY");
        c->set_min_attempts(20);
        c->set_endpoint(wechat->endpoint());
        c->set_merchant_id(ids.merchantId);
        c->set_app_id(ids.appId);
        c->set_merchant_serial(ids.merchantSerial);
        c->set_platform_serial(ids.platformSerial);
        c->set_confirmations(1);
        c->set_invoice_expiry_minutes(15);
        for (const auto &[name, path] : wechat->writeCredentials((dir.path() / "keys").string())) {
            auto *cred = c->add_credentials();
            cred->set_name(name);
            cred->set_path(path);
        }
        grpc::ClientContext context;
        flywheel::v1::ChannelConfigVersion saved;
        if (const grpc::Status s = paymentsStub->SaveChannelConfig(&context, save, &saved); !s.ok()) {
            std::fprintf(stderr, "payments: the channel was not saved: %s\n", s.error_message().c_str());
            return false;
        }
    }
    // Orders and their payments at the sandbox, then the notifications (signed now).
    std::vector<std::string> tradeNos;
    std::vector<std::int64_t> orderIds;
    for (int i = 0; i < kPayments; ++i) {
        grpc::ClientContext orderContext;
        flywheel::v1::CreateOrderRequest request;
        request.set_uid(100001 + i % 12000);
        request.set_idempotency_key("bench-pay-" + std::to_string(i));
        auto *item = request.add_items();
        item->set_sku(kSkus[i % 7]);
        item->set_quantity(1);
        flywheel::v1::Order order;
        if (const grpc::Status s = ordersStub->CreateOrder(&orderContext, request, &order); !s.ok()) {
            std::fprintf(stderr, "payments: order %d was refused: %s\n", i, s.error_message().c_str());
            return false;
        }
        grpc::ClientContext payContext;
        flywheel::v1::CreatePaymentRequest pay;
        pay.set_order_id(order.order_id());
        pay.set_idempotency_key("bench-" + std::to_string(i));
        flywheel::v1::Payment payment;
        if (const grpc::Status s = paymentsStub->CreatePayment(&payContext, pay, &payment); !s.ok()) {
            std::fprintf(stderr, "payments: payment %d was refused: %s\n", i, s.error_message().c_str());
            return false;
        }
        if (!wechat->pay(payment.out_trade_no(), payments::sandbox::Delivery::Never)) {
            std::fprintf(stderr, "payments: the sandbox could not pay %s\n", payment.out_trade_no().c_str());
            return false;
        }
        tradeNos.push_back(payment.out_trade_no());
        orderIds.push_back(order.order_id());
    }
    std::vector<std::string> notifications;
    notifications.reserve(tradeNos.size());
    for (const std::string &no : tradeNos) {
        std::optional<payments::HttpRequest> n = wechat->notificationFor(no);
        if (!n) {
            std::fprintf(stderr, "payments: no notification for %s\n", no.c_str());
            return false;
        }
        notifications.push_back(wire(*n, port, "/notify/wechat"));
    }

    const auto before = backend->payments().counters();
    const auto start = std::chrono::steady_clock::now();
    const std::int64_t accepted = sendAll(port, notifications, 1);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto after = backend->payments().counters();
    const std::int64_t firstApplied = after.applied - before.applied;
    const std::string db = backend->databasePath();
    const std::int64_t paid = scalar(db, "SELECT COUNT(*) FROM payments WHERE state = 3");
    if (accepted != kPayments || firstApplied != kPayments || paid != kPayments) {
        std::fprintf(stderr,
                     "payments: %lld of %d notifications answered 204, %lld applied, %lld payments succeeded; no "
                     "rate printed\n",
                     static_cast<long long>(accepted), kPayments, static_cast<long long>(firstApplied),
                     static_cast<long long>(paid));
        return false;
    }
    print("payment_notify_per_s", static_cast<double>(kPayments) / seconds);
    print("payment_notify_failed", static_cast<std::int64_t>(kPayments - accepted));

    // The same notifications twice more, each copy from another sender at once.
    const std::int64_t again = sendAll(port, notifications, 2);
    const auto last = backend->payments().counters();
    const std::int64_t reapplied = last.applied - after.applied;
    const std::int64_t wrongOrders =
        scalar(db, "SELECT COUNT(*) FROM (SELECT order_id FROM inventory_events WHERE order_id IN (SELECT order_id "
                   "FROM payments) GROUP BY order_id HAVING COUNT(*) <> 2)");
    const std::int64_t extraPaid = scalar(db, "SELECT COUNT(*) FROM payments WHERE state = 3") - kPayments;
    print("notify_duplicate_effects", reapplied + wrongOrders + extraPaid);
    print("notify_duplicates_answered", again);
    backend->shutdown();
    return true;
}

} // namespace flywheel::bench
