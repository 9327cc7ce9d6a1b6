#pragma once

#include "payments/PaymentManager.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <functional>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

namespace flywheel::payments {
class CallbackListener;
class CurlHttpClient;
namespace sandbox {
class Sandbox;
}
} // namespace flywheel::payments

namespace flywheel {

class Store;

/// The payment channels of one backend (docs/payments.md): the manager, the
/// callback listener providers notify, and in demo mode the three sandboxes with a
/// buyer who pays through them. Owned by BackendWiring.
class PaymentsPart final {
public:
    struct Options {
        /// HOST:PORT of the callback listener; empty: none (notifications cannot arrive).
        std::string listen;
        /// The base URL providers are given ("https://pay.example.com/flywheel");
        /// empty: the listener's own address.
        std::string publicUrl;
        std::string certFile;
        std::string keyFile;
        /// Start the local sandboxes (demo mode): channels with endpoint "sandbox"
        /// talk to them, and their test keys are written under `credentialsFolder`.
        bool sandboxes = false;
        std::string credentialsFolder;
        /// Give a configuration that has never had a version the three sandbox channels.
        bool demoChannels = false;
        std::string currency;
        /// PaymentManager::Options::notified (metrics).
        std::function<void(const std::string &channelId, const char *outcome)> notified;
    };

    PaymentsPart(Options options, Store &store, orders::OrderBook &book, OrderWriter &writer, const Clock &clock);
    ~PaymentsPart();
    PaymentsPart(const PaymentsPart &) = delete;
    PaymentsPart &operator=(const PaymentsPart &) = delete;

    /// Sandboxes, listener, then the manager. Throws StartupError.
    void start();
    /// Stops the demo buyer and the sandboxes' deliveries, the listener, then the
    /// manager's workers. Idempotent.
    void stop();

    payments::PaymentManager &manager() { return *m_manager; }
    /// The callback listener's port; 0 without a listener.
    int callbackPort() const;
    std::string callbackBase() const { return m_callbackBase; }
    /// The running sandbox of `provider`; null when none.
    payments::sandbox::Sandbox *sandbox(const std::string &provider) const;

    /// The demo's buyer pays payment `outTradeNo` of `provider` through its sandbox a
    /// moment later: mostly at once, sometimes late, twice or with no notification at
    /// all (the query schedule then finds it). Returns at once.
    void payLater(const std::string &provider, const std::string &outTradeNo);
    /// The channel a demo buyer picks: mostly none (routed), sometimes Alipay or crypto,
    /// so that every channel has traffic to show.
    std::string chooseChannel();

private:
    payments::ChannelConfig demoConfig() const;
    void buyerLoop();

    Options m_options;
    Store &m_store;
    const Clock &m_clock;
    std::unique_ptr<payments::CurlHttpClient> m_http;
    std::map<std::string, std::unique_ptr<payments::sandbox::Sandbox>> m_sandboxes;
    std::map<std::string, std::vector<std::pair<std::string, std::string>>> m_credentials;
    std::unique_ptr<payments::PaymentManager> m_manager;
    std::unique_ptr<payments::CallbackListener> m_listener;
    std::string m_callbackBase;

    std::mutex m_buyerMutex;
    std::condition_variable m_buyerWake;
    std::deque<std::pair<std::string, std::string>> m_toPay;
    bool m_stopping = false;
    std::thread m_buyer;
    std::mt19937_64 m_rng{20261207};
    std::mutex m_chooserMutex;
    std::mt19937_64 m_chooserRng{7};
};

} // namespace flywheel
