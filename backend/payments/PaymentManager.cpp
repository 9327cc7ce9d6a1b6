#include "payments/PaymentManager.h"

#include "common/Log.h"
#include "domain/payments/Decimal.h"
#include "payments/ChannelConfigYaml.h"
#include "payments/Crypto.h"
#include "storage/OrderWriter.h"

#include <algorithm>
#include <future>

namespace flywheel::payments {

namespace {

versioning::DocumentSpec channelSpec()
{
    return versioning::DocumentSpec{
        kPaymentsArea, "channel configuration", "the payment channels change",
        [](std::int64_t base, std::int64_t current) {
            return "the payment channels were changed meanwhile: version " + std::to_string(current) +
                   " is current, not " + std::to_string(base) + "; reload and apply your changes again";
        }};
}

/// The first query waits this long at least, whatever the config says.
constexpr auto kMinQueryAfter = std::chrono::seconds(10);
/// Queries back off up to this.
constexpr auto kMaxQueryInterval = std::chrono::minutes(5);
/// Pending refunds are asked about this often.
constexpr auto kRefundCheck = std::chrono::seconds(30);
/// A pending refund the provider does not know is asked for again after this long
/// (its first call has surely been answered or given up by then).
constexpr auto kRefundResendAfter = std::chrono::minutes(2);
/// Payments queued for a query per tick, at most.
constexpr std::size_t kQueriesPerTick = 64;

std::string amountText(std::int64_t minor, const std::string &currency)
{
    return formatMinorDecimal(minor, currencyFractionDigits(currency)) + " " + currency;
}

} // namespace

/// Holds one payment's slot busy: concurrent handlers of the same payment wait, so
/// each sees the state the one before it left.
class PaymentManager::SlotClaim final {
public:
    SlotClaim(PaymentManager &owner, std::int64_t id, PaymentState stored) : m_owner(owner), m_id(id)
    {
        std::unique_lock lock(owner.m_slotMutex);
        owner.m_slots.try_emplace(id, Slot{stored, false});
        if (owner.m_slots[id].busy) {
            m_waited = true;
            owner.m_slotFree.wait(lock, [&] { return !owner.m_slots[id].busy; });
        }
        Slot &slot = owner.m_slots[id];
        // States only move forward (created < pending < the end states): what this
        // process saw last and what was read from the store, the later of the two.
        if (!isFinal(slot.state) && static_cast<int>(stored) > static_cast<int>(slot.state))
            slot.state = stored;
        slot.busy = true;
        m_state = slot.state;
    }
    ~SlotClaim()
    {
        {
            const std::lock_guard lock(m_owner.m_slotMutex);
            Slot &slot = m_owner.m_slots[m_id];
            slot.busy = false;
            slot.state = m_state;
            // Settled payments need no slot: the store's guard stands behind them.
            if (isFinal(m_state) && m_owner.m_slots.size() > 100'000)
                m_owner.m_slots.erase(m_id);
        }
        m_owner.m_slotFree.notify_all();
    }
    SlotClaim(const SlotClaim &) = delete;
    SlotClaim &operator=(const SlotClaim &) = delete;

    PaymentState state() const { return m_state; }
    void set(PaymentState state) { m_state = state; }
    /// Whether another handler held the payment when this one came.
    bool waited() const { return m_waited; }

private:
    PaymentManager &m_owner;
    std::int64_t m_id;
    PaymentState m_state = PaymentState::Created;
    bool m_waited = false;
};

PaymentManager::PaymentManager(PaymentStore &store, OrderStore &orders, orders::OrderBook &book, OrderWriter &writer,
                               HttpClient &http, const Clock &clock, Options options)
    : m_store(store), m_orders(orders), m_book(book), m_writer(writer), m_http(http), m_clock(clock),
      m_options(std::move(options)),
      m_document(store, clock, channelSpec(), channelConfigCodec(),
                 [this](ChannelConfig config, const StoredVersion &stored) {
                     std::shared_ptr<const LiveChannels> live = build(std::move(config), stored.version);
                     const std::lock_guard lock(m_liveMutex);
                     m_live = std::move(live);
                     m_configGeneration.fetch_add(1);
                 })
{
}

PaymentManager::~PaymentManager()
{
    stop();
}

void PaymentManager::setCallbackBase(const std::string &base)
{
    const std::lock_guard lock(m_optionsMutex);
    m_options.callbackBase = base;
}

void PaymentManager::setSandboxEndpoints(std::map<std::string, std::string> endpoints)
{
    const std::lock_guard lock(m_optionsMutex);
    m_options.sandboxEndpoints = std::move(endpoints);
}

void PaymentManager::start(const ChannelConfig &initial)
{
    if (!m_document.open()) {
        const auto installed = m_document.replace(initial, channelConfigCodec().emit(initial),
                                                  "the initial payment channels", "initial", std::nullopt);
        if (!installed.ok())
            throw StorageError(installed.error().message);
    }
    const TimePoint now = m_clock.now();
    // The success windows and charts pick up where the last run left them.
    const auto live = this->live();
    const Milliseconds window = std::chrono::minutes(std::max(live->config.successWindowMinutes, 60));
    for (const Payment &p : m_store.loadPaymentsSettledSince(now - window)) {
        if (p.state == PaymentState::Succeeded) {
            m_window.record(p.channelId, true, p.updatedAt);
            m_stats.succeeded(p.channelId, p.amountMinor,
                              std::chrono::duration_cast<Milliseconds>(p.updatedAt - p.createdAt), p.updatedAt);
        } else {
            m_window.record(p.channelId, false, p.updatedAt);
            m_stats.failed(p.channelId, p.updatedAt);
        }
    }
    for (const Payment &p : m_store.loadOpenPayments())
        schedule(p.id, p.orderId, std::max(now, p.createdAt + std::chrono::seconds(live->config.queryAfterSeconds)));
    m_nextRefundCheck = now;
    const std::lock_guard lock(m_workMutex);
    m_stopping = false;
    for (int i = 0; i < std::max(1, m_options.workers); ++i)
        m_workers.emplace_back([this](const std::stop_token &stop) { work(stop); });
}

void PaymentManager::stop()
{
    {
        const std::lock_guard lock(m_workMutex);
        if (m_stopping && m_workers.empty())
            return;
        m_stopping = true;
        m_work.clear();
    }
    m_workReady.notify_all();
    m_workIdle.notify_all();
    for (std::jthread &worker : m_workers) {
        worker.request_stop();
        if (worker.joinable())
            worker.join();
    }
    m_workers.clear();
}

void PaymentManager::post(std::function<void()> job)
{
    {
        const std::lock_guard lock(m_workMutex);
        if (m_stopping)
            return;
        m_work.push_back(std::move(job));
    }
    m_workReady.notify_one();
}

void PaymentManager::work(const std::stop_token &stop)
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock lock(m_workMutex);
            m_workReady.wait(lock, [&] { return m_stopping || !m_work.empty(); });
            if (m_stopping || stop.stop_requested())
                return;
            job = std::move(m_work.front());
            m_work.pop_front();
            ++m_busyWorkers;
        }
        try {
            job();
        } catch (const std::exception &e) {
            common::Log::error(std::string("payments: a provider call failed unexpectedly: ") + e.what());
        }
        {
            const std::lock_guard lock(m_workMutex);
            --m_busyWorkers;
        }
        m_workIdle.notify_all();
    }
}

void PaymentManager::drain()
{
    std::unique_lock lock(m_workMutex);
    m_workIdle.wait(lock, [&] { return m_stopping || (m_work.empty() && m_busyWorkers == 0); });
}

// --- configuration -----------------------------------------------------------

AdapterSettings PaymentManager::settingsFor(const ChannelSettings &channel,
                                            std::map<std::string, std::string> &unusable) const
{
    AdapterSettings s;
    s.channelId = channel.id;
    {
        const std::lock_guard lock(m_optionsMutex);
        s.endpoint = channel.endpoint;
        if (channel.endpoint == "sandbox") {
            const auto found = m_options.sandboxEndpoints.find(channel.provider);
            if (found == m_options.sandboxEndpoints.end())
                unusable[channel.id] = "its endpoint is the local sandbox, which only runs in demo mode";
            else
                s.endpoint = found->second;
        }
        s.notifyUrl = m_options.callbackBase + "/notify/" + channel.id;
    }
    s.merchantId = channel.merchantId;
    s.appId = channel.appId;
    s.merchantSerial = channel.merchantSerial;
    s.platformSerial = channel.platformSerial;
    s.confirmations = channel.confirmations;
    s.invoiceExpiryMinutes = channel.invoiceExpiryMinutes;
    s.paymentToleranceBp = channel.paymentToleranceBp;
    for (const std::string &name : requiredCredentials(channel.provider)) {
        Result<std::string> content = crypto::readSecretFile(channel.credential(name));
        if (!content.ok()) {
            // The reason reaches viewers and the storefront (routing): no path in it.
            // The log names the file for the operator who fixes it.
            common::Log::warning("payment channel " + channel.id + ": credential " + name + ": " +
                                 content.error().message);
            unusable.try_emplace(channel.id, "credential " + name + " is missing or cannot be read");
            continue;
        }
        std::string value = std::move(content).value();
        if (name == "merchant_private_key" || name == "app_private_key")
            s.merchantPrivateKeyPem = std::move(value);
        else if (name == "platform_public_key" || name == "alipay_public_key")
            s.providerPublicKeyPem = std::move(value);
        else if (name == "apiv3_key" || name == "api_key")
            s.apiKey = std::move(value);
        else if (name == "webhook_secret")
            s.webhookSecret = std::move(value);
    }
    return s;
}

std::shared_ptr<LiveChannels> PaymentManager::build(ChannelConfig config, std::int64_t version) const
{
    auto live = std::make_shared<LiveChannels>();
    live->version = version;
    for (const ChannelSettings &channel : config.channels) {
        AdapterSettings settings = settingsFor(channel, live->unusable);
        if (live->unusable.count(channel.id) != 0)
            continue;
        Result<std::unique_ptr<PaymentAdapter>> adapter = makeAdapter(channel.provider, settings, m_http, m_clock);
        if (!adapter.ok()) {
            live->unusable[channel.id] = adapter.error().message;
            continue;
        }
        live->adapters[channel.id] = std::shared_ptr<PaymentAdapter>(std::move(adapter).value());
    }
    for (const auto &[id, why] : live->unusable)
        common::Log::warning("payment channel " + id + " cannot be used: " + why);
    live->config = std::move(config);
    return live;
}

std::shared_ptr<const LiveChannels> PaymentManager::live() const
{
    const std::lock_guard lock(m_liveMutex);
    return m_live;
}

std::optional<std::pair<ChannelConfig, StoredVersion>> PaymentManager::stored(std::int64_t version) const
{
    const std::optional<StoredVersion> found = m_document.version(version);
    if (!found)
        return std::nullopt;
    Result<ChannelConfig> parsed =
        channelConfigCodec().parse(found->yaml, "payment channels version " + std::to_string(found->version));
    if (!parsed.ok())
        throw StorageError(parsed.error().message);
    return std::pair{std::move(parsed).value(), *found};
}

Result<StoredVersion> PaymentManager::save(std::int64_t baseVersion, const ChannelConfig &config,
                                           const std::string &reason, const audit::Actor &actor)
{
    return m_document.save(baseVersion, config, reason, actor);
}

Result<StoredVersion> PaymentManager::rollback(std::int64_t toVersion, std::int64_t baseVersion,
                                               const std::string &reason, const audit::Actor &actor)
{
    return m_document.restore(toVersion, baseVersion, reason, actor);
}

std::map<std::string, std::vector<CredentialStatus>>
PaymentManager::credentialStatus(const ChannelConfig &config) const
{
    std::map<std::string, std::vector<CredentialStatus>> out;
    for (const ChannelSettings &channel : config.channels) {
        std::vector<CredentialStatus> &list = out[channel.id];
        for (const std::string &name : requiredCredentials(channel.provider)) {
            CredentialStatus status;
            status.name = name;
            status.path = channel.credential(name);
            Result<std::string> content = crypto::readSecretFile(status.path);
            status.set = content.ok();
            if (!content.ok())
                status.detail = content.error().message;
            list.push_back(std::move(status));
        }
    }
    return out;
}

RouteDecision PaymentManager::preview(std::int64_t amountMinor, const std::string &currency,
                                      const std::optional<ChannelConfig> &draft) const
{
    const auto live = this->live();
    if (!draft)
        return route(live->config, amountMinor, currency, m_window, m_clock.now(), live->unusable);
    // A draft's channels are judged by their settings; credentials are checked now.
    std::map<std::string, std::string> unusable;
    for (const auto &[id, statuses] : credentialStatus(*draft)) {
        for (const CredentialStatus &status : statuses) {
            if (!status.set) {
                unusable.try_emplace(id, "credential " + status.name + " is missing or cannot be read");
                break;
            }
        }
    }
    return route(*draft, amountMinor, currency, m_window, m_clock.now(), unusable);
}

// --- creating payments --------------------------------------------------------

void PaymentManager::create(std::int64_t orderId, const std::string &channelId, const std::string &idempotencyKey,
                            PaymentDone done)
{
    post([this, orderId, channelId, idempotencyKey, done = std::move(done)] {
        try {
            createNow(orderId, channelId, idempotencyKey, done);
        } catch (const StorageError &e) {
            done(Error{ErrorCode::Unavailable, e.what()});
        } catch (const std::exception &e) {
            done(Error{ErrorCode::Internal, std::string("the payment could not be created: ") + e.what()});
        }
    });
}

void PaymentManager::createNow(std::int64_t orderId, const std::string &channelId, const std::string &key,
                               const PaymentDone &done)
{
    const TimePoint now = m_clock.now();
    const std::optional<Order> order = m_orders.loadOrder(orderId);
    if (!order)
        return done(Error{ErrorCode::NotFound, "order " + std::to_string(orderId) + " does not exist"});
    // A retry with the same key gets what the first call recorded, whatever the order is now.
    if (std::optional<Payment> earlier = m_store.findPaymentByKey(orderId, key))
        return done(*earlier);
    // The book's state is newer than the stored one.
    const std::optional<orders::OrderState> state = m_book.find(orderId);
    const OrderStatus status = state ? state->status : order->status;
    const TimePoint expiresAt = state ? state->expiresAt : order->expiresAt;
    const auto live = this->live();
    const std::string currency = m_options.currency;
    const std::int64_t amount = order->total.minorUnits();

    Payment draft;
    draft.orderId = orderId;
    draft.amountMinor = amount;
    draft.currency = currency;
    draft.state = PaymentState::Created;
    draft.createdAt = now;
    draft.updatedAt = now;
    draft.expiresAt = expiresAt;

    const RouteDecision decision = route(live->config, amount, currency, m_window, now, live->unusable);
    std::vector<std::string> order_;
    if (!channelId.empty()) {
        const auto eligible = std::find(decision.order.begin(), decision.order.end(), channelId);
        if (eligible == decision.order.end()) {
            std::string why = "no such channel";
            for (const RouteCandidate &c : decision.candidates) {
                if (c.channelId == channelId)
                    why = c.reason;
            }
            return done(Error{ErrorCode::FailedPrecondition,
                              "channel \"" + channelId + "\" cannot take this order: " + why});
        }
        order_ = {channelId};
        draft.routeReason = "asked for " + channelId;
    } else {
        order_ = decision.order;
        draft.routeReason = decision.explanation;
    }
    if (order_.empty())
        return done(Error{ErrorCode::FailedPrecondition, decision.explanation});
    draft.channelId = order_.front();
    draft.provider = live->config.find(draft.channelId)->provider;

    if (status != OrderStatus::Created)
        return done(Error{ErrorCode::FailedPrecondition, "order " + std::to_string(orderId) + " is " +
                                                             std::string(orderStatusName(status)) +
                                                             ", not awaiting payment"});
    if (expiresAt <= now)
        return done(Error{ErrorCode::FailedPrecondition,
                          "order " + std::to_string(orderId) + "'s reservation has lapsed; it can no longer be paid"});

    PaymentStore::Inserted inserted = m_store.insertPayment(draft, key);
    if (!inserted.created)
        return done(inserted.payment);
    Payment payment = inserted.payment;
    std::string failures;
    for (std::size_t i = 0; i < order_.size(); ++i) {
        const std::string &id = order_[i];
        const ChannelSettings *channel = live->config.find(id);
        const auto adapter = live->adapters.find(id);
        if (channel == nullptr || adapter == live->adapters.end())
            continue;
        if (payment.channelId != id) {
            // Nothing was created at the provider before: the same out_trade_no moves on.
            Payment moved = payment;
            moved.channelId = id;
            moved.provider = channel->provider;
            moved.routeReason = payment.routeReason + "; " + failures + "fell back to " + id;
            moved.updatedAt = m_clock.now();
            if (!m_store.updatePayment({moved, {PaymentState::Created}}))
                return done(Error{ErrorCode::Aborted, "payment " + std::to_string(payment.id) +
                                                          " changed while it was being created; look it up"});
            payment = moved;
        }
        m_stats.attempted(id, m_clock.now());
        CreateRequest request;
        request.outTradeNo = payment.outTradeNo;
        request.amountMinor = payment.amountMinor;
        request.currency = payment.currency;
        request.description = "Order " + std::to_string(orderId);
        request.expiresAt = payment.expiresAt;
        Result<CreateResult> created = adapter->second->create(request);
        if (created.ok()) {
            Payment pending = payment;
            pending.state = PaymentState::Pending;
            pending.providerPaymentId = created.value().providerPaymentId;
            pending.payUrl = created.value().payUrl;
            pending.updatedAt = m_clock.now();
            if (!m_store.updatePayment({pending, {PaymentState::Created}}))
                return done(Error{ErrorCode::Aborted, "payment " + std::to_string(payment.id) +
                                                          " changed while it was being created; look it up"});
            schedule(pending.id, pending.orderId,
                     std::max(pending.createdAt + std::chrono::seconds(live->config.queryAfterSeconds),
                              pending.createdAt + std::chrono::duration_cast<std::chrono::seconds>(kMinQueryAfter)));
            {
                // An earlier payment of the order still open (the buyer chose another
                // channel) is closed at its provider now, so the order is paid once.
                const std::lock_guard lock(m_scheduleMutex);
                if (const auto open = m_openByOrder.find(orderId); open != m_openByOrder.end()) {
                    const TimePoint now = m_clock.now();
                    for (const std::int64_t earlier : open->second) {
                        if (earlier != pending.id) {
                            m_due.emplace(now, earlier);
                            m_nextDue.insert_or_assign(earlier, now);
                        }
                    }
                }
            }
            return done(pending);
        }
        m_window.record(id, false, m_clock.now());
        m_stats.failed(id, m_clock.now());
        common::Log::warning("payment " + std::to_string(payment.id) + ": " + id + " refused to create it: " +
                          created.error().message);
        // Only an unreachable provider is worth another channel; a refusal is final.
        if (created.error().code != ErrorCode::Unavailable || i + 1 == order_.size()) {
            Payment failed = payment;
            failed.state = PaymentState::Failed;
            failed.detail = id + ": " + created.error().message;
            failed.updatedAt = m_clock.now();
            (void)m_store.updatePayment({failed, {PaymentState::Created}});
            return done(Error{created.error().code == ErrorCode::Unavailable ? ErrorCode::Unavailable
                                                                            : ErrorCode::FailedPrecondition,
                              "payment " + std::to_string(payment.id) + " could not be created: " + failures +
                                  id + ": " + created.error().message});
        }
        failures += id + " unavailable (" + created.error().message + "); ";
    }
    Payment failed = payment;
    failed.state = PaymentState::Failed;
    failed.detail = "no channel could be used";
    failed.updatedAt = m_clock.now();
    (void)m_store.updatePayment({failed, {PaymentState::Created}});
    done(Error{ErrorCode::Unavailable, "no channel could create the payment: " + failures});
}

// --- notifications -------------------------------------------------------------

void PaymentManager::refuse(RefusedNotification refused)
{
    common::Log::warning("payments: refused a notification for channel " + refused.channelId + " (" +
                      std::string(refusalReasonName(refused.reason)) + "): " + refused.detail);
    m_stats.refused(refused.channelId, refused.reason == RefusalReason::AmountMismatch);
    {
        const std::lock_guard lock(m_counterMutex);
        ++m_counters.refused;
    }
    try {
        m_store.recordRefusedNotification(refused);
    } catch (const StorageError &e) {
        common::Log::error(std::string("payments: a refused notification was not recorded: ") + e.what());
    }
}

HttpResponse PaymentManager::notify(const std::string &channelId, const HttpRequest &request)
{
    const TimePoint now = m_clock.now();
    const auto live = this->live();
    // The listener runs before the configuration is installed (its port is part of
    // the notify URL): a provider's retry that arrives then is asked to come again.
    if (!live)
        return HttpResponse{503, {{"Content-Type", "text/plain"}}, "starting; try again\n"};
    const ChannelSettings *channel = live->config.find(channelId);
    const auto adapter = live->adapters.find(channelId);
    RefusedNotification refused;
    refused.at = now;
    refused.channelId = channelId;
    refused.peer = request.peer;
    if (channel == nullptr || adapter == live->adapters.end()) {
        refused.reason = RefusalReason::UnknownChannel;
        refused.detail = channel == nullptr ? "no channel \"" + channelId + "\" is configured"
                                            : "channel \"" + channelId + "\" cannot be used: " +
                                                  live->unusable.at(channelId);
        refuse(refused);
        if (m_options.notified)
            m_options.notified("unknown", "refused");
        return HttpResponse{404, {{"Content-Type", "text/plain"}}, "unknown payment channel\n"};
    }
    refused.provider = channel->provider;
    PaymentAdapter &provider = *adapter->second;
    auto verified = provider.verifyNotification(request, now);
    if (auto *refusal = std::get_if<NotificationRefusal>(&verified)) {
        refused.reason = refusal->reason;
        refused.detail = refusal->detail;
        refused.notificationId = refusal->notificationId;
        refuse(refused);
        if (m_options.notified)
            m_options.notified(channelId, "refused");
        return provider.acknowledge(false, true);
    }
    const Notification &notification = std::get<Notification>(verified);
    refused.notificationId = notification.notificationId;
    const auto answer = [&](NotifyOutcome outcome) {
        if (m_options.notified) {
            m_options.notified(channelId, outcome == NotifyOutcome::Applied     ? "applied"
                                          : outcome == NotifyOutcome::Duplicate ? "duplicate"
                                          : outcome == NotifyOutcome::Refused   ? "refused"
                                                                                : "failed");
        }
        const std::lock_guard lock(m_counterMutex);
        switch (outcome) {
        case NotifyOutcome::Applied:
            ++m_counters.applied;
            return provider.acknowledge(true, false);
        case NotifyOutcome::Duplicate:
            ++m_counters.duplicates;
            return provider.acknowledge(true, false);
        case NotifyOutcome::Refused:
            return provider.acknowledge(false, true);
        case NotifyOutcome::Failed:
            ++m_counters.failed;
            return provider.acknowledge(false, false);
        }
        return provider.acknowledge(false, false);
    };
    try {
        if (notification.refund)
            return answer(applyRefund(*notification.refund, "notification " + notification.notificationId));
        std::string outTradeNo = notification.payment ? notification.payment->outTradeNo : notification.queryOutTradeNo;
        const std::optional<Payment> payment =
            outTradeNo.empty() ? std::nullopt : m_store.findPaymentByOutTradeNo(outTradeNo);
        if (!payment || payment->channelId != channelId) {
            refused.reason = RefusalReason::UnknownOrder;
            refused.detail = !payment ? "no payment has out_trade_no \"" + outTradeNo + "\""
                                      : "payment " + outTradeNo + " belongs to channel " + payment->channelId;
            refuse(refused);
            return answer(NotifyOutcome::Refused);
        }
        refused.orderId = payment->orderId;
        PaymentReport report;
        if (notification.payment) {
            report = *notification.payment;
        } else {
            // The notification only says "look again" (BTCPay): the provider's own answer decides.
            Result<PaymentReport> queried = provider.query(
                payment->outTradeNo,
                notification.queryProviderId.empty() ? payment->providerPaymentId : notification.queryProviderId);
            if (!queried.ok()) {
                common::Log::warning("payments: payment " + std::to_string(payment->id) +
                                  " could not be queried after its notification: " + queried.error().message);
                return answer(NotifyOutcome::Failed);
            }
            report = std::move(queried).value();
        }
        std::string why;
        const NotifyOutcome outcome = apply(*payment, report, "notification " + notification.notificationId, &why);
        if (outcome == NotifyOutcome::Refused) {
            refused.reason = why.rfind("amount", 0) == 0 ? RefusalReason::AmountMismatch : RefusalReason::NotPayable;
            refused.detail = why;
            refuse(refused);
        }
        return answer(outcome);
    } catch (const StorageError &e) {
        common::Log::error(std::string("payments: a notification could not be stored: ") + e.what());
        return answer(NotifyOutcome::Failed);
    }
}

NotifyOutcome PaymentManager::apply(Payment payment, const PaymentReport &report, const std::string &source,
                                    std::string *why)
{
    SlotClaim claim(*this, payment.id, payment.state);
    if (isFinal(claim.state())) {
        if (report.state == PaymentState::Succeeded && claim.state() != PaymentState::Succeeded) {
            if (why != nullptr)
                *why = "payment " + std::to_string(payment.id) + " had " +
                       std::string(paymentStateName(claim.state())) +
                       " when the provider reported it paid; refund the money at the provider";
            return NotifyOutcome::Refused;
        }
        m_stats.duplicate();
        return NotifyOutcome::Duplicate;
    }
    // Another handler of this payment ran while this one waited: what it stored is newer
    // than the row read before the wait. (Without a wait, the row is as fresh as it gets.)
    if (claim.waited()) {
        if (const std::optional<Payment> current = m_store.loadPayment(payment.id))
            payment = *current;
    }
    if (isFinal(payment.state)) {
        claim.set(payment.state);
        m_stats.duplicate();
        return NotifyOutcome::Duplicate;
    }
    const TimePoint now = m_clock.now();
    Payment after = payment;
    after.updatedAt = now;
    if (!report.providerPaymentId.empty())
        after.providerPaymentId = report.providerPaymentId;
    after.differenceMinor = report.differenceMinor;
    after.confirming = report.confirming;

    if (report.state == PaymentState::Succeeded) {
        if (report.amountMinor != payment.amountMinor || report.currency != payment.currency) {
            if (why != nullptr)
                *why = "amount " + amountText(report.amountMinor, report.currency) + " reported for payment " +
                       std::to_string(payment.id) + " of " + amountText(payment.amountMinor, payment.currency) +
                       " (order " + std::to_string(payment.orderId) + "); the order stays unpaid";
            common::Log::warning("payments: " + source + ": " + (why != nullptr ? *why : std::string("amount mismatch")));
            return NotifyOutcome::Refused;
        }
        after.state = PaymentState::Succeeded;
        after.confirming = false;
        std::string detail;
        if (const std::optional<Error> error = settle(payment, after, &detail)) {
            common::Log::error("payments: payment " + std::to_string(payment.id) + " (" + source +
                               ") was not stored: " + error->message);
            return NotifyOutcome::Failed;
        }
        claim.set(PaymentState::Succeeded);
        m_window.record(payment.channelId, true, now);
        m_stats.succeeded(payment.channelId, payment.amountMinor,
                          std::chrono::duration_cast<Milliseconds>(now - payment.createdAt), now);
        return NotifyOutcome::Applied;
    }
    if (report.state == PaymentState::Failed || report.state == PaymentState::Expired) {
        after.state = report.state;
        after.detail = report.detail.empty() ? std::string(paymentStateName(report.state)) : report.detail;
        if (!m_store.updatePayment({after, {PaymentState::Created, PaymentState::Pending}}))
            return NotifyOutcome::Duplicate;
        claim.set(after.state);
        m_window.record(payment.channelId, false, now);
        m_stats.failed(payment.channelId, now);
        return NotifyOutcome::Applied;
    }
    // Still pending: keep what changed (confirmations, a partial payment).
    if (!report.detail.empty())
        after.detail = report.detail;
    if (after.providerPaymentId == payment.providerPaymentId && after.differenceMinor == payment.differenceMinor &&
        after.confirming == payment.confirming && after.detail == payment.detail)
        return NotifyOutcome::Duplicate;
    if (!m_store.updatePayment({after, {PaymentState::Pending}}))
        return NotifyOutcome::Duplicate;
    return NotifyOutcome::Applied;
}

std::optional<Error> PaymentManager::settle(const Payment &before, Payment after, std::string *detail)
{
    const TimePoint now = m_clock.now();
    // The book holds every order of the last minutes (its state wins over the stored
    // one anyway); only an older order is read from the store.
    std::optional<orders::OrderState> known = m_book.find(before.orderId);
    if (!known) {
        const std::optional<Order> order = m_orders.loadOrder(before.orderId);
        if (!order)
            return Error{ErrorCode::Internal, "order " + std::to_string(before.orderId) + " is not stored"};
        known = orders::OrderState{order->uid,    order->total,    order->status, order->expiresAt,
                                   order->paidAt, order->closedAt, {}};
    }
    // The payment is stored with the order's transition (created -> paid) in one
    // transaction. It is submitted inside the book's sink, so the journal gets the
    // book's changes in the order they were made, and waited for after. A commit that
    // fails leaves the book ahead of the database: the transition is kept, and the
    // provider's next report of a payment of the order stores it again.
    struct Pending {
        std::optional<orders::OrderTransition> transition;
        std::future<std::optional<Error>> committed;
        bool queued = false;
    };
    const auto submit = [this](const orders::OrderTransition &transition, const Payment &settled, Pending &pending) {
        auto stored = std::make_shared<std::promise<std::optional<Error>>>();
        pending.committed = stored->get_future();
        pending.transition = transition;
        JournalEntry entry;
        entry.transition = transition;
        entry.payment = PaymentChange{settled, {PaymentState::Created, PaymentState::Pending}};
        pending.queued = m_writer.submit(std::move(entry), [stored](const JournalEntry &, const std::optional<Error> &e) {
            stored->set_value(e);
        });
    };
    const auto wait = [this, &before](Pending &pending, int attempts) -> std::optional<Error> {
        const std::optional<Error> error = pending.queued ? pending.committed.get()
                                                          : Error{ErrorCode::Unavailable, "the backend is shutting down"};
        const std::lock_guard lock(m_unstoredMutex);
        if (!error)
            m_unstoredPaid.erase(before.orderId);
        else if (attempts < kUnstoredAttempts)
            m_unstoredPaid.insert_or_assign(before.orderId, Unstored{*pending.transition, attempts + 1});
        return error;
    };
    after.paidOrder = true;
    Pending pending;
    const orders::OrderState state = *known;
    Result<orders::OrderTransition> paid = m_book.pay(
        before.orderId, state, now, [&](const orders::OrderTransition &t) { submit(t, after, pending); });
    if (paid.ok())
        return wait(pending, 0);
    // The book has the order paid but the database does not (that commit failed): this
    // payment pays it now, with the transition the book made then, provided the stored
    // order still awaits payment and no payment of it is stored as its payer. A few
    // attempts at most: a failure that lasts makes it money to give back, below.
    std::optional<Unstored> unstored;
    {
        const std::lock_guard lock(m_unstoredMutex);
        if (const auto found = m_unstoredPaid.find(before.orderId); found != m_unstoredPaid.end()) {
            unstored = std::move(found->second);
            m_unstoredPaid.erase(found);
        }
    }
    if (unstored) {
        const std::optional<Order> stored = m_orders.loadOrder(before.orderId);
        const std::vector<Payment> others = m_store.loadOrderPayments(before.orderId);
        const bool payable = stored && stored->status == OrderStatus::Created &&
                             std::none_of(others.begin(), others.end(), [](const Payment &p) { return p.paidOrder; });
        if (payable) {
            common::Log::warning("payments: order " + std::to_string(before.orderId) +
                                 " is stored as paid again, with payment " + std::to_string(before.id) +
                                 ": its earlier commit failed");
            submit(unstored->transition, after, pending);
            return wait(pending, unstored->attempts);
        }
    }
    after.paidOrder = false;
    // The order can no longer be paid (expired, cancelled, or paid by another payment):
    // the money is recorded on the payment, to be refunded.
    const std::optional<orders::OrderState> now_ = m_book.find(before.orderId);
    after.detail = "the order was already " + std::string(orderStatusName(now_ ? now_->status : state.status)) +
                   " when this payment succeeded; refund it";
    if (detail != nullptr)
        *detail = after.detail;
    if (!m_store.updatePayment({after, {PaymentState::Created, PaymentState::Pending}}))
        return Error{ErrorCode::Aborted, "payment " + std::to_string(before.id) + " settled meanwhile"};
    return std::nullopt;
}

PaymentManager::Counters PaymentManager::counters() const
{
    const std::lock_guard lock(m_counterMutex);
    return m_counters;
}

// --- queries and expiry --------------------------------------------------------

void PaymentManager::schedule(std::int64_t paymentId, std::int64_t orderId, TimePoint at)
{
    const std::lock_guard lock(m_scheduleMutex);
    m_due.emplace(at, paymentId);
    m_nextDue.insert_or_assign(paymentId, at);
    if (m_orderOfOpen.emplace(paymentId, orderId).second)
        m_openByOrder[orderId].insert(paymentId);
}

void PaymentManager::unschedule(std::int64_t paymentId)
{
    const std::lock_guard lock(m_scheduleMutex);
    m_queued.erase(paymentId);
    m_queries.erase(paymentId);
    m_nextDue.erase(paymentId);
    const auto order = m_orderOfOpen.find(paymentId);
    if (order == m_orderOfOpen.end())
        return;
    if (const auto open = m_openByOrder.find(order->second); open != m_openByOrder.end()) {
        open->second.erase(paymentId);
        if (open->second.empty())
            m_openByOrder.erase(open);
    }
    m_orderOfOpen.erase(order);
}

void PaymentManager::orderClosed(std::int64_t orderId)
{
    const TimePoint now = m_clock.now();
    const std::lock_guard lock(m_scheduleMutex);
    const auto open = m_openByOrder.find(orderId);
    if (open == m_openByOrder.end())
        return;
    for (const std::int64_t paymentId : open->second) {
        m_due.emplace(now, paymentId);
        m_nextDue.insert_or_assign(paymentId, now);
    }
}

std::string PaymentManager::closeReason(const Payment &payment, TimePoint now) const
{
    if (now >= payment.expiresAt)
        return "expired unpaid";
    OrderStatus status = OrderStatus::Created;
    if (const std::optional<orders::OrderState> state = m_book.find(payment.orderId)) {
        status = state->status;
    } else {
        const std::optional<Order> order = m_orders.loadOrder(payment.orderId);
        if (!order)
            return "closed unpaid: order " + std::to_string(payment.orderId) + " is not stored";
        status = order->status;
    }
    if (status != OrderStatus::Created)
        return "closed unpaid: the order was " + std::string(orderStatusName(status));
    for (const Payment &other : m_store.loadOrderPayments(payment.orderId)) {
        // A newer payment the provider has (a Created one may yet fail, leaving the buyer
        // nothing to pay).
        if (other.id > payment.id && (other.state == PaymentState::Pending || other.state == PaymentState::Succeeded))
            return "closed unpaid: replaced by payment " + std::to_string(other.id) + " through " + other.channelId;
    }
    return {};
}

void PaymentManager::tick()
{
    const TimePoint now = m_clock.now();
    std::vector<std::int64_t> due;
    bool refunds = false;
    {
        const std::lock_guard lock(m_scheduleMutex);
        while (!m_due.empty() && m_due.begin()->first <= now && due.size() < kQueriesPerTick) {
            const auto [at, id] = *m_due.begin();
            m_due.erase(m_due.begin());
            // An entry of a payment that left the schedule (settled), or one moved to
            // another time (orderClosed moves it earlier): nothing to ask.
            const auto next = m_nextDue.find(id);
            if (next != m_nextDue.end() && next->second == at && m_queued.insert(id).second)
                due.push_back(id);
        }
        if (now >= m_nextRefundCheck) {
            refunds = true;
            m_nextRefundCheck = now + kRefundCheck;
        }
    }
    for (std::int64_t id : due) {
        post([this, id] {
            try {
                queryNow(id);
            } catch (const std::exception &e) {
                // The database failed mid-way: asked again in 30 s, not dropped.
                common::Log::error("payments: payment " + std::to_string(id) + " could not be queried: " + e.what());
                const std::lock_guard lock(m_scheduleMutex);
                m_queued.erase(id);
                if (m_nextDue.count(id) != 0) {
                    const TimePoint at = m_clock.now() + std::chrono::seconds(30);
                    m_due.emplace(at, id);
                    m_nextDue.insert_or_assign(id, at);
                }
            }
        });
    }
    if (refunds && !m_checkingRefunds.exchange(true)) {
        post([this] {
            const struct Done {
                std::atomic<bool> &flag;
                ~Done() { flag = false; }
            } clear{m_checkingRefunds};
            try {
                for (const Refund &r : m_store.loadPendingRefunds())
                    queryRefundNow(r.id, r.outRefundNo);
            } catch (const StorageError &e) {
                common::Log::error(std::string("payments: pending refunds could not be read: ") + e.what());
            }
        });
    }
}

void PaymentManager::queryNow(std::int64_t paymentId)
{
    const auto unqueue = [this, paymentId] {
        const std::lock_guard lock(m_scheduleMutex);
        m_queued.erase(paymentId);
    };
    // A payment that leaves the schedule for good forgets its back-off too.
    const auto done = [this, paymentId] { unschedule(paymentId); };
    std::optional<Payment> payment;
    try {
        payment = m_store.loadPayment(paymentId);
    } catch (const StorageError &e) {
        common::Log::error(std::string("payments: a payment to query could not be read: ") + e.what());
        unqueue();
        {
            const std::lock_guard lock(m_scheduleMutex);
            const TimePoint at = m_clock.now() + std::chrono::seconds(30);
            m_due.emplace(at, paymentId);
            m_nextDue.insert_or_assign(paymentId, at);
        }
        return;
    }
    if (!payment || isFinal(payment->state))
        return done();
    const auto live = this->live();
    const auto adapter = live->adapters.find(payment->channelId);
    const TimePoint now = m_clock.now();
    int attempts = 0;
    {
        const std::lock_guard lock(m_scheduleMutex);
        attempts = ++m_queries[paymentId];
    }
    const auto later = [&] {
        const auto wait = std::min<Milliseconds>(kMaxQueryInterval, std::chrono::seconds(10) * (1 << std::min(attempts, 5)));
        unqueue();
        schedule(paymentId, payment->orderId, now + wait);
    };
    if (adapter == live->adapters.end()) {
        // The channel went away or lost its credentials; the payment can still expire.
        if (now >= payment->expiresAt) {
            PaymentReport expired;
            expired.state = PaymentState::Expired;
            expired.detail = "expired unpaid; its channel could not be queried";
            if (apply(*payment, expired, "the query schedule") == NotifyOutcome::Failed)
                return later();
            return done();
        }
        return later();
    }
    Result<PaymentReport> report = adapter->second->query(payment->outTradeNo, payment->providerPaymentId);
    if (report.ok() && report.value().state != PaymentState::Pending) {
        std::string why;
        const NotifyOutcome outcome = apply(*payment, report.value(), "a query", &why);
        // Not stored (the database failed): asked again later, the provider still knows.
        if (outcome == NotifyOutcome::Failed)
            return later();
        if (outcome == NotifyOutcome::Refused) {
            RefusedNotification refused;
            refused.at = now;
            refused.channelId = payment->channelId;
            refused.provider = payment->provider;
            refused.reason = why.rfind("amount", 0) == 0 ? RefusalReason::AmountMismatch : RefusalReason::NotPayable;
            refused.detail = "query: " + why;
            refused.orderId = payment->orderId;
            refuse(refused);
            // Asking again would only refuse again: the payment fails with the reason.
            Payment failed = *payment;
            failed.state = PaymentState::Failed;
            failed.detail = why;
            failed.updatedAt = m_clock.now();
            try {
                (void)m_store.updatePayment({failed, {PaymentState::Created, PaymentState::Pending}});
            } catch (const StorageError &e) {
                common::Log::error(std::string("payments: a refused payment was not marked failed: ") + e.what());
            }
        }
        return done();
    }
    if (report.ok())
        (void)apply(*payment, report.value(), "a query");
    // Money already seen (a crypto payment confirming, or partly paid) is never closed
    // away: it is asked about until the provider settles or ends it.
    const bool moneySeen = report.ok() && (report.value().confirming || report.value().differenceMinor != 0);
    // Closed at its expiry, or before when it can no longer pay its order (the order was
    // cancelled, or paid, or the buyer chose another payment).
    const std::string closing = moneySeen ? std::string() : closeReason(*payment, now);
    if (!closing.empty()) {
        // Closed first, then asked once more: a payment made just before the close still
        // counts. A close that fails (the provider unreachable) expires nothing: the buyer
        // might still pay, so it is tried again later.
        Result<bool> closed = adapter->second->close(payment->outTradeNo, payment->providerPaymentId);
        if (!closed.ok() && closed.error().code != ErrorCode::NotFound) {
            common::Log::warning("payments: payment " + std::to_string(paymentId) +
                                 " could not be closed at the provider; it stays open: " + closed.error().message);
            return later();
        }
        Result<PaymentReport> last = adapter->second->query(payment->outTradeNo, payment->providerPaymentId);
        if (!last.ok() && last.error().code != ErrorCode::NotFound)
            return later();
        PaymentReport final;
        if (last.ok() && last.value().state == PaymentState::Succeeded)
            final = last.value();
        else {
            final.state = PaymentState::Expired;
            final.detail = last.ok() && !last.value().detail.empty() ? closing + " (" + last.value().detail + ")"
                                                                     : closing;
            if (last.ok())
                final.differenceMinor = last.value().differenceMinor;
        }
        if (apply(*payment, final, "expiry") == NotifyOutcome::Failed)
            return later();
        return done();
    }
    if (!report.ok())
        common::Log::warning("payments: payment " + std::to_string(paymentId) + " could not be queried: " +
                          report.error().message);
    later();
}

// --- refunds --------------------------------------------------------------------

void PaymentManager::refund(std::int64_t orderId, std::int64_t paymentId, const std::string &reason, RefundDone done)
{
    post([this, orderId, paymentId, reason, done = std::move(done)] {
        try {
            const std::optional<Order> order = m_orders.loadOrder(orderId);
            if (!order)
                return done(Error{ErrorCode::NotFound, "order " + std::to_string(orderId) + " does not exist"});
            const std::optional<orders::OrderState> state = m_book.find(orderId);
            const OrderStatus status = state ? state->status : order->status;
            const auto [payments, refunds] = forOrder(orderId);
            const Payment *target = nullptr;
            std::int64_t amount = 0;
            if (paymentId == 0) {
                // The order: the payment that paid it.
                const auto paid = std::find_if(payments.begin(), payments.end(), [](const Payment &p) {
                    return p.state == PaymentState::Succeeded && p.paidOrder;
                });
                if (paid == payments.end()) {
                    std::string more;
                    for (const Payment &p : payments) {
                        if (strayMinor(p) > 0) {
                            more = "; payment " + std::to_string(p.id) +
                                   " took money that did not pay it: refund that payment on its own";
                            break;
                        }
                    }
                    return done(Error{ErrorCode::FailedPrecondition,
                                      "order " + std::to_string(orderId) +
                                          " was not paid through a payment channel, so there is nothing to refund "
                                          "through one" +
                                          more});
                }
                if (status != OrderStatus::Paid)
                    return done(Error{ErrorCode::FailedPrecondition, "order " + std::to_string(orderId) + " is " +
                                                                         std::string(orderStatusName(status)) +
                                                                         ", not paid"});
                target = &*paid;
                amount = paid->amountMinor;
            } else {
                // One payment on its own: money that did not pay the order.
                const auto found = std::find_if(payments.begin(), payments.end(),
                                                [paymentId](const Payment &p) { return p.id == paymentId; });
                if (found == payments.end())
                    return done(Error{ErrorCode::NotFound, "order " + std::to_string(orderId) + " has no payment " +
                                                               std::to_string(paymentId)});
                if (found->paidOrder)
                    return done(Error{ErrorCode::FailedPrecondition,
                                      "payment " + std::to_string(paymentId) + " paid order " +
                                          std::to_string(orderId) +
                                          ": refund the order instead, which makes it refunded"});
                amount = strayMinor(*found);
                if (amount <= 0)
                    return done(Error{ErrorCode::FailedPrecondition,
                                      "payment " + std::to_string(paymentId) + " is " +
                                          std::string(paymentStateName(found->state)) +
                                          " and holds no money of the buyer's to give back"});
                target = &*found;
            }
            for (const Refund &r : refunds) {
                if (r.paymentId == target->id && r.state != RefundState::Failed)
                    return done(Error{ErrorCode::FailedPrecondition,
                                      "payment " + std::to_string(target->id) + " of order " + std::to_string(orderId) +
                                          " already has refund " + std::to_string(r.id) + " " +
                                          std::string(refundStateName(r.state))});
            }
            const auto live = this->live();
            const auto adapter = live->adapters.find(target->channelId);
            if (adapter == live->adapters.end())
                return done(Error{ErrorCode::FailedPrecondition,
                                  "channel " + target->channelId +
                                      ", which took the money, cannot be used now; a refund must go through it"});
            Refund draft;
            draft.paymentId = target->id;
            draft.orderId = orderId;
            draft.amountMinor = amount;
            draft.currency = target->currency;
            draft.state = RefundState::Pending;
            draft.reason = reason;
            draft.createdAt = m_clock.now();
            draft.updatedAt = draft.createdAt;
            const Refund refund = m_store.insertRefund(draft);
            if (const std::optional<Error> refused = sendRefund(*adapter->second, *target, refund))
                return done(*refused);
            const std::optional<Refund> now = m_store.findRefundByOutRefundNo(refund.outRefundNo);
            done(now ? *now : refund);
        } catch (const StorageError &e) {
            // The database refused a second refund of the payment, or could not be reached.
            const bool refused = std::string_view(e.what()).find("already has a refund") != std::string_view::npos;
            done(Error{refused ? ErrorCode::FailedPrecondition : ErrorCode::Unavailable, e.what()});
        } catch (const std::exception &e) {
            done(Error{ErrorCode::Internal, std::string("the refund could not be made: ") + e.what()});
        }
    });
}

void PaymentManager::noteOnRefund(const Refund &refund, const std::string &detail)
{
    try {
        const std::lock_guard lock(m_refundMutex);
        const std::optional<Refund> now = m_store.findRefundByOutRefundNo(refund.outRefundNo);
        if (!now || now->state != RefundState::Pending)
            return;
        Refund noted = *now;
        noted.detail = detail;
        noted.updatedAt = m_clock.now();
        (void)m_store.updateRefund({noted, RefundState::Pending});
    } catch (const StorageError &e) {
        common::Log::error("payments: refund " + refund.outRefundNo + ": \"" + detail + "\" was not noted: " + e.what());
    }
}

std::optional<Error> PaymentManager::sendRefund(PaymentAdapter &adapter, const Payment &payment,
                                                const Refund &refund, bool again)
{
    RefundRequest request;
    request.outTradeNo = payment.outTradeNo;
    request.providerPaymentId = payment.providerPaymentId;
    request.outRefundNo = refund.outRefundNo;
    request.refundMinor = refund.amountMinor;
    // What the provider took: the amount, or more when the buyer paid more (crypto).
    request.totalMinor = std::max(payment.amountMinor, refund.amountMinor);
    request.currency = payment.currency;
    request.reason = refund.reason;
    Result<RefundReport> answered = adapter.refund(request);
    if (!answered.ok()) {
        if (answered.error().code == ErrorCode::Unavailable) {
            // Unknown whether it arrived: the refund stays pending and is queried (and
            // asked for again, with the same number, when the provider has none).
            noteOnRefund(refund, "the provider did not answer: " + answered.error().message);
            return std::nullopt;
        }
        if (again) {
            // The first call may still be paid out: not failed (which would allow another
            // refund of the payment), left pending for an operator to check at the provider.
            noteOnRefund(refund, "asked for again, the provider refused: " + answered.error().message +
                                     "; check the refund at the provider");
            return std::nullopt;
        }
        Refund failed = refund;
        failed.state = RefundState::Failed;
        failed.detail = answered.error().message;
        failed.updatedAt = m_clock.now();
        (void)m_store.updateRefund({failed, RefundState::Pending});
        return Error{ErrorCode::FailedPrecondition,
                     "the provider refused refund " + refund.outRefundNo + ": " + answered.error().message};
    }
    RefundReport report = answered.value();
    report.outRefundNo = refund.outRefundNo;
    (void)applyRefund(report, "the refund call");
    return std::nullopt;
}

NotifyOutcome PaymentManager::applyRefund(const RefundReport &report, const std::string &source)
{
    // The refund call's answer, the provider's notification and the refund check may
    // report the same refund at once: one at a time, each reading what the one before
    // stored (refunds are rare; one lock for all of them is enough).
    const std::lock_guard lock(m_refundMutex);
    const std::optional<Refund> refund = m_store.findRefundByOutRefundNo(report.outRefundNo);
    if (!refund) {
        common::Log::warning("payments: " + source + " names refund " + report.outRefundNo + ", which is not ours");
        return NotifyOutcome::Refused;
    }
    if (refund->state != RefundState::Pending)
        return NotifyOutcome::Duplicate;
    Refund after = *refund;
    after.updatedAt = m_clock.now();
    if (!report.providerRefundId.empty())
        after.providerRefundId = report.providerRefundId;
    if (!report.detail.empty())
        after.detail = report.detail;
    if (report.state == RefundState::Pending) {
        if (after.providerRefundId == refund->providerRefundId && after.detail == refund->detail)
            return NotifyOutcome::Duplicate;
        return m_store.updateRefund({after, RefundState::Pending}) ? NotifyOutcome::Applied : NotifyOutcome::Duplicate;
    }
    after.state = report.state;
    if (const std::optional<Error> error = commitRefund(*refund, after)) {
        common::Log::error("payments: refund " + refund->outRefundNo + " (" + source + ") was not stored: " +
                           error->message);
        return NotifyOutcome::Failed;
    }
    return NotifyOutcome::Applied;
}

std::optional<Error> PaymentManager::commitRefund(const Refund &before, Refund after)
{
    if (after.state != RefundState::Succeeded)
        return m_store.updateRefund({after, RefundState::Pending})
                   ? std::nullopt
                   : std::optional<Error>(Error{ErrorCode::Aborted, "the refund changed meanwhile"});
    // Money that did not pay the order: given back, and the order does not change.
    const std::optional<Payment> payment = m_store.loadPayment(before.paymentId);
    if (!payment || !payment->paidOrder)
        return m_store.updateRefund({after, RefundState::Pending})
                   ? std::nullopt
                   : std::optional<Error>(Error{ErrorCode::Aborted, "the refund changed meanwhile"});
    // Confirmed: the order moves to refunded in the refund's transaction.
    const std::optional<Order> order = m_orders.loadOrder(before.orderId);
    if (!order)
        return Error{ErrorCode::Internal, "order " + std::to_string(before.orderId) + " is not stored"};
    const orders::OrderState state{order->uid,    order->total,    order->status, order->expiresAt,
                                   order->paidAt, order->closedAt, {}};
    auto stored = std::make_shared<std::promise<std::optional<Error>>>();
    std::future<std::optional<Error>> committed = stored->get_future();
    bool queued = true;
    Result<orders::OrderTransition> refunded =
        m_book.refund(before.orderId, state, order->lines, m_clock.now(), [&](const orders::OrderTransition &t) {
            JournalEntry entry;
            entry.transition = t;
            entry.refund = RefundChange{after, RefundState::Pending};
            queued = m_writer.submit(std::move(entry), [stored](const JournalEntry &, const std::optional<Error> &e) {
                stored->set_value(e);
            });
        });
    if (refunded.ok())
        return queued ? committed.get() : std::optional<Error>(Error{ErrorCode::Unavailable, "shutting down"});
    // The order is no longer paid (refunded another way): the money went back all the same.
    after.detail = "the order was not paid any more: " + refunded.error().message;
    return m_store.updateRefund({after, RefundState::Pending})
               ? std::nullopt
               : std::optional<Error>(Error{ErrorCode::Aborted, "the refund changed meanwhile"});
}

void PaymentManager::queryRefundNow(std::int64_t refundId, const std::string &outRefundNo)
{
    const std::optional<Refund> refund = m_store.findRefundByOutRefundNo(outRefundNo);
    if (!refund || refund->state != RefundState::Pending)
        return;
    const std::optional<Payment> payment = m_store.loadPayment(refund->paymentId);
    const auto live = this->live();
    if (!payment)
        return;
    const auto adapter = live->adapters.find(payment->channelId);
    if (adapter == live->adapters.end())
        return;
    Result<RefundReport> report = adapter->second->queryRefund(outRefundNo, payment->outTradeNo);
    if (!report.ok() && report.error().code == ErrorCode::NotFound && refund->providerRefundId.empty() &&
        adapter->second->refundNumbersAreIdempotent() && m_clock.now() - refund->updatedAt >= kRefundResendAfter) {
        // The provider has no such refund and never gave it an id: the request never
        // arrived (it was not answered). Asked for again with the same refund number,
        // which this provider takes once; a call still on its way has long had its answer
        // by now (the last call or note is at least kRefundResendAfter old).
        common::Log::warning("payments: refund " + outRefundNo + " is unknown to " + payment->channelId +
                             "; asking for it again");
        (void)sendRefund(*adapter->second, *payment, *refund, true);
        return;
    }
    if (!report.ok()) {
        common::Log::warning("payments: refund " + std::to_string(refundId) + " could not be queried: " +
                          report.error().message);
        return;
    }
    RefundReport r = report.value();
    r.outRefundNo = outRefundNo;
    (void)applyRefund(r, "a refund query");
}

// --- reads ----------------------------------------------------------------------

std::optional<Payment> PaymentManager::payment(std::int64_t paymentId) const
{
    return m_store.loadPayment(paymentId);
}

std::pair<std::vector<Payment>, std::vector<Refund>> PaymentManager::forOrder(std::int64_t orderId) const
{
    return {m_store.loadOrderPayments(orderId), m_store.loadOrderRefunds(orderId)};
}

std::vector<RefusedNotification> PaymentManager::refusals(int limit) const
{
    return m_store.loadRefusedNotifications(limit);
}

} // namespace flywheel::payments
