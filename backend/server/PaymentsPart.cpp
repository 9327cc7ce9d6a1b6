#include "server/PaymentsPart.h"

#include "common/Log.h"
#include "payments/CallbackListener.h"
#include "payments/CurlHttpClient.h"
#include "payments/sandbox/Sandbox.h"
#include "server/Backend.h"
#include "storage/Store.h"

#include <filesystem>

namespace flywheel {

using payments::sandbox::Delivery;

PaymentsPart::PaymentsPart(Options options, Store &store, orders::OrderBook &book, OrderWriter &writer,
                           const Clock &clock)
    : m_options(std::move(options)), m_store(store), m_clock(clock),
      m_http(std::make_unique<payments::CurlHttpClient>())
{
    payments::PaymentManager::Options managerOptions;
    managerOptions.notified = m_options.notified;
    managerOptions.currency = m_options.currency;
    m_manager = std::make_unique<payments::PaymentManager>(store, store, book, writer, *m_http, clock, managerOptions);
}

PaymentsPart::~PaymentsPart()
{
    stop();
}

void PaymentsPart::start()
{
    if (m_options.sandboxes) {
        std::error_code error;
        std::filesystem::create_directories(m_options.credentialsFolder, error);
        if (error)
            throw StartupError("payment sandboxes: cannot create " + m_options.credentialsFolder + ": " +
                               error.message());
        std::filesystem::permissions(m_options.credentialsFolder, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace, error);
        std::map<std::string, std::string> endpoints;
        for (const std::string &provider : payments::knownProviders()) {
            std::unique_ptr<payments::sandbox::Sandbox> box = payments::sandbox::startSandbox(provider, m_clock);
            if (!box)
                throw StartupError("payment sandboxes: there is no sandbox for provider " + provider);
            endpoints[provider] = box->endpoint();
            const std::string folder = m_options.credentialsFolder + "/" + provider;
            std::filesystem::create_directories(folder, error);
            m_credentials[provider] = box->writeCredentials(folder);
            if (error || m_credentials[provider].empty())
                throw StartupError("payment sandboxes: the " + provider + " sandbox's test keys could not be written to " +
                                   folder);
            m_sandboxes[provider] = std::move(box);
        }
        m_manager->setSandboxEndpoints(std::move(endpoints));
    }
    if (!m_options.listen.empty()) {
        try {
            m_listener = std::make_unique<payments::CallbackListener>(
                payments::CallbackListener::Options{m_options.listen, m_options.certFile, m_options.keyFile},
                [this](const std::string &channel, const payments::HttpRequest &request) {
                    return m_manager->notify(channel, request);
                });
        } catch (const std::exception &e) {
            throw StartupError(e.what());
        }
        m_callbackBase = m_options.publicUrl.empty() ? m_listener->localUrl() : m_options.publicUrl;
    } else {
        m_callbackBase = m_options.publicUrl;
    }
    while (!m_callbackBase.empty() && m_callbackBase.back() == '/')
        m_callbackBase.pop_back();
    m_manager->setCallbackBase(m_callbackBase);
    payments::ChannelConfig initial;
    if (m_options.demoChannels && m_options.sandboxes)
        initial = demoConfig();
    try {
        m_manager->start(initial);
    } catch (const StorageError &e) {
        throw StartupError(e.what());
    }
    // BTCPay's webhooks are set at the provider, per store: the demo's store sends
    // them to the btc channel.
    if (const auto btc = m_sandboxes.find("btcpay"); btc != m_sandboxes.end()) {
        for (const payments::ChannelSettings &c : m_manager->live()->config.channels) {
            if (c.provider == "btcpay" && c.endpoint == "sandbox")
                btc->second->setWebhookUrl(m_callbackBase + "/notify/" + c.id);
        }
    }
    if (!m_sandboxes.empty())
        m_buyer = std::thread([this] { buyerLoop(); });
}

payments::ChannelConfig PaymentsPart::demoConfig() const
{
    payments::ChannelConfig config;
    const auto channel = [&](const std::string &id, const std::string &provider, const std::string &name,
                             int priority, int feeBp, std::int64_t min, std::int64_t max) {
        const payments::AdapterSettings ids = m_sandboxes.at(provider)->settings();
        payments::ChannelSettings c;
        c.id = id;
        c.provider = provider;
        c.displayName = name;
        c.enabled = true;
        c.priority = priority;
        c.feeBp = feeBp;
        c.minAmountMinor = min;
        c.maxAmountMinor = max;
        c.currencies = {m_options.currency};
        c.successFloorBp = 8000;
        c.minAttempts = 20;
        c.endpoint = "sandbox";
        c.merchantId = ids.merchantId;
        c.appId = ids.appId;
        c.merchantSerial = ids.merchantSerial;
        c.platformSerial = ids.platformSerial;
        c.confirmations = 1;
        c.invoiceExpiryMinutes = 15;
        for (const auto &[name, path] : m_credentials.at(provider))
            c.credentials.push_back({name, path});
        config.channels.push_back(std::move(c));
    };
    // WeChat first up to ¥5,000; Alipay for everything; crypto last, from ¥1.
    channel("wechat", "wechatpay", "WeChat Pay", 1, 60, 1, 500'000);
    channel("alipay", "alipay", "Alipay", 2, 55, 1, 0);
    channel("btc", "btcpay", "Bitcoin (BTCPay)", 3, 100, 100, 0);
    return config;
}

void PaymentsPart::stop()
{
    {
        const std::lock_guard lock(m_buyerMutex);
        m_stopping = true;
        m_toPay.clear();
    }
    m_buyerWake.notify_all();
    if (m_buyer.joinable())
        m_buyer.join();
    // No new notifications, then no provider calls in flight, then the sandboxes those
    // calls (and late deliveries) would reach.
    if (m_listener)
        m_listener->stop();
    if (m_manager)
        m_manager->stop();
    m_sandboxes.clear();
}

int PaymentsPart::callbackPort() const
{
    return m_listener ? m_listener->port() : 0;
}

payments::sandbox::Sandbox *PaymentsPart::sandbox(const std::string &provider) const
{
    const auto found = m_sandboxes.find(provider);
    return found == m_sandboxes.end() ? nullptr : found->second.get();
}

void PaymentsPart::payLater(const std::string &provider, const std::string &outTradeNo)
{
    {
        const std::lock_guard lock(m_buyerMutex);
        if (m_stopping || m_toPay.size() > 10'000)
            return;
        m_toPay.emplace_back(provider, outTradeNo);
    }
    m_buyerWake.notify_one();
}

std::string PaymentsPart::chooseChannel()
{
    const std::lock_guard lock(m_chooserMutex);
    const int roll = std::uniform_int_distribution<int>(0, 99)(m_chooserRng);
    // Only the demo's own channels, and only while they are configured.
    const auto live = m_manager->live();
    const auto has = [&](const char *id) { return live->config.find(id) != nullptr; };
    if (roll < 25 && has("alipay"))
        return "alipay";
    if (roll < 35 && has("btc"))
        return "btc";
    return {};
}

void PaymentsPart::buyerLoop()
{
    for (;;) {
        std::pair<std::string, std::string> next;
        {
            std::unique_lock lock(m_buyerMutex);
            m_buyerWake.wait(lock, [this] { return m_stopping || !m_toPay.empty(); });
            if (m_stopping)
                return;
            next = std::move(m_toPay.front());
            m_toPay.pop_front();
        }
        payments::sandbox::Sandbox *box = sandbox(next.first);
        if (box == nullptr)
            continue;
        // Providers misbehave: late, repeated and lost notifications.
        const auto roll = std::uniform_int_distribution<int>(0, 99)(m_rng);
        const Delivery delivery = roll < 80 ? Delivery::Normal : roll < 88 ? Delivery::Late
                                                           : roll < 95 ? Delivery::Twice
                                                                       : Delivery::Never;
        if (!box->pay(next.second, delivery))
            common::Log::warning("demo buyer: the " + next.first + " sandbox could not pay " + next.second);
    }
}

} // namespace flywheel
