#include "sim/TrafficSimulator.h"

#include "domain/DemoData.h"
#include "domain/segments/ProfileStore.h"
#include "services/Actor.h"

#include <grpcpp/client_context.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <set>
#include <stdexcept>

namespace flywheel {

namespace {

constexpr auto kCallDeadline = std::chrono::seconds(10);
constexpr auto kActivityTick = std::chrono::milliseconds(250);

void setTime(google::protobuf::Timestamp *ts)
{
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    ts->set_seconds(ms / 1000);
    ts->set_nanos(static_cast<std::int32_t>(ms % 1000) * 1000000);
}

} // namespace

TrafficSimulator::TrafficSimulator(std::shared_ptr<grpc::Channel> channel, double rate)
    : m_channel(std::move(channel)), m_orders(v1::OrderService::NewStub(m_channel)),
      m_payments(v1::PaymentService::NewStub(m_channel)),
      m_inventory(v1::InventoryService::NewStub(m_channel)), m_segments(v1::SegmentService::NewStub(m_channel)),
      m_rate(rate)
{
    if (!(rate > 0 && rate <= kMaxRate))
        throw std::invalid_argument("simulation rate must be between 0 and " + std::to_string(kMaxRate) +
                                    " orders per second");
}

TrafficSimulator::~TrafficSimulator()
{
    stop();
}

void TrafficSimulator::start()
{
    auto catalog = v1::CatalogService::NewStub(m_channel);
    {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
        v1::ListProductsResponse products;
        const grpc::Status status = catalog->ListProducts(&context, v1::ListProductsRequest(), &products);
        if (!status.ok())
            throw std::runtime_error("the simulator could not read the catalogue: " + status.error_message());
        std::set<std::string> tags;
        for (const v1::Product &p : products.products()) {
            m_skus.push_back(p.sku());
            tags.insert(segments::tagForCategory(p.category()));
        }
        m_categoryTags.assign(tags.begin(), tags.end());
    }
    std::int64_t after = 0;
    for (;;) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
        v1::ListUsersRequest request;
        request.set_limit(10000);
        request.set_after_uid(after);
        v1::ListUsersResponse users;
        const grpc::Status status = catalog->ListUsers(&context, request, &users);
        if (!status.ok())
            throw std::runtime_error("the simulator could not read the users: " + status.error_message());
        if (users.users().empty())
            break;
        for (const v1::User &u : users.users())
            m_uids.push_back(u.uid());
        after = users.users().rbegin()->uid();
        m_nextNewUid = std::max(m_nextNewUid, after + 1);
    }
    if (m_skus.empty() || m_uids.empty())
        throw std::runtime_error("there is nothing to simulate: the database has products but no users, or users "
                                 "but no products");
    m_keyPrefix = std::random_device{}();
    m_keyPrefix = (m_keyPrefix << 32) ^ std::random_device{}();
    m_thread = std::thread([this] { run(); });
}

void TrafficSimulator::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    std::unique_lock lock(m_mutex);
    m_changed.wait_for(lock, std::chrono::seconds(15), [this] { return m_inFlight == 0; });
}

TrafficSimulator::Stats TrafficSimulator::stats() const
{
    const std::lock_guard lock(m_mutex);
    return m_stats;
}

void TrafficSimulator::run()
{
    using Clock = std::chrono::steady_clock;
    std::mt19937_64 rng(std::random_device{}());
    const auto started = Clock::now();
    auto nextRestock = started;
    auto nextActivity = started;
    std::int64_t due = 0;
    std::int64_t sent = 0;
    // Small ticks at high rates, so the load is smooth rather than bursty.
    const auto tick = m_rate >= 200 ? std::chrono::milliseconds(5) : std::chrono::milliseconds(50);
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_changed.wait_for(lock, tick, [this] { return m_stopping; });
        if (m_stopping)
            break;
        const auto now = Clock::now();
        const double elapsed = std::chrono::duration<double>(now - started).count();
        due = static_cast<std::int64_t>(elapsed * m_rate);
        while (sent < due && m_inFlight < kMaxInFlight && !m_stopping) {
            ++sent;
            ++m_inFlight;
            ++m_stats.sent;
            lock.unlock();
            sendOne(rng());
            lock.lock();
        }
        // When the backend cannot keep up, drop the backlog instead of bursting later.
        if (due - sent > static_cast<std::int64_t>(m_rate))
            sent = due;
        while (!m_followUps.empty() && m_followUps.begin()->first <= now && m_inFlight < kMaxInFlight && !m_stopping) {
            const auto [orderId, action] = m_followUps.begin()->second;
            m_followUps.erase(m_followUps.begin());
            ++m_inFlight;
            lock.unlock();
            followUp(orderId, action);
            lock.lock();
        }
        if (now >= nextActivity && !m_stopping) {
            nextActivity = now + kActivityTick;
            m_inFlight += 1;
            lock.unlock();
            activity(rng, 1000.0 / static_cast<double>(kActivityTick.count()));
            lock.lock();
        }
        if (now >= nextRestock && !m_stopping) {
            nextRestock = now + std::chrono::seconds(2);
            ++m_inFlight;
            lock.unlock();
            restock();
            lock.lock();
        }
    }
}

void TrafficSimulator::countFailureLocked(const grpc::Status &status)
{
    if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION &&
        status.error_message().rfind("not enough stock", 0) == 0) {
        ++m_stats.outOfStock;
        return;
    }
    ++m_stats.failed;
    m_stats.lastError = status.error_message();
}

void TrafficSimulator::sendOne(std::uint64_t random)
{
    struct Call {
        grpc::ClientContext context;
        v1::CreateOrderRequest request;
        v1::Order response;
        double fate = 0;
        std::chrono::milliseconds delay{0};
    };
    auto call = std::make_shared<Call>();
    std::mt19937_64 rng(random);
    call->request.set_uid(m_uids[pickCustomer(rng(), m_uids.size())]);
    static constexpr const char *kChannels[] = {"app", "mini_program", "web"};
    call->request.set_channel(kChannels[rng() % 3]);
    const int lines = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < lines; ++i) {
        v1::OrderItem *item = call->request.add_items();
        item->set_sku(m_skus[rng() % m_skus.size()]);
        item->set_quantity(1 + static_cast<std::int64_t>(rng() % 2));
    }
    {
        const std::lock_guard lock(m_mutex);
        call->request.set_idempotency_key("sim-" + std::to_string(m_keyPrefix) + "-" + std::to_string(++m_keyCounter));
    }
    call->fate = std::uniform_real_distribution<double>(0, 1)(rng);
    // Buyers pay within a few seconds; cancellations come a little later.
    call->delay = std::chrono::milliseconds(300 + static_cast<std::int64_t>(rng() % 4000));
    call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    m_orders->async()->CreateOrder(&call->context, &call->request, &call->response, [this, call](grpc::Status status) {
        const std::lock_guard lock(m_mutex);
        --m_inFlight;
        if (status.ok()) {
            ++m_stats.acknowledged;
            const auto at = std::chrono::steady_clock::now() + call->delay;
            const double payShare = payShareOf(call->response);
            if (call->fate < payShare)
                m_followUps.emplace(at, std::pair{call->response.order_id(), FollowUp::Pay});
            else if (call->fate < payShare + kCancelShare)
                m_followUps.emplace(at + std::chrono::seconds(5),
                                    std::pair{call->response.order_id(), FollowUp::Cancel});
            else
                ++m_stats.leftToExpire;
        } else {
            countFailureLocked(status);
        }
        m_changed.notify_all();
    });
}

void TrafficSimulator::followUp(std::int64_t orderId, FollowUp action)
{
    struct Call {
        grpc::ClientContext context;
        v1::PayOrderRequest pay;
        v1::CancelOrderRequest cancel;
        v1::Order response;
    };
    auto call = std::make_shared<Call>();
    call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    const auto done = [this, action](const grpc::Status &status) {
        const std::lock_guard lock(m_mutex);
        --m_inFlight;
        if (status.ok())
            ++(action == FollowUp::Pay ? m_stats.paid : m_stats.cancelled);
        else
            countFailureLocked(status);
        m_changed.notify_all();
    };
    if (action == FollowUp::Pay && m_buyer) {
        struct PaymentCall {
            grpc::ClientContext context;
            v1::CreatePaymentRequest request;
            v1::Payment response;
        };
        auto payment = std::make_shared<PaymentCall>();
        payment->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
        payment->request.set_order_id(orderId);
        if (m_chooser)
            payment->request.set_channel_id(m_chooser());
        payment->request.set_idempotency_key("sim-payment-" + std::to_string(m_keyPrefix) + "-" +
                                             std::to_string(orderId));
        m_payments->async()->CreatePayment(&payment->context, &payment->request, &payment->response,
                                           [this, payment, done](grpc::Status status) {
                                               if (status.ok())
                                                   m_buyer(payment->response.provider(),
                                                           payment->response.out_trade_no());
                                               done(status);
                                           });
    } else if (action == FollowUp::Pay) {
        call->pay.set_order_id(orderId);
        call->pay.set_idempotency_key("sim-pay-" + std::to_string(m_keyPrefix) + "-" + std::to_string(orderId));
        m_orders->async()->PayOrder(&call->context, &call->pay, &call->response,
                                    [call, done](grpc::Status status) { done(status); });
    } else {
        call->cancel.set_order_id(orderId);
        // A buyer's cancellation, not an operator's: kept out of the audit log.
        call->context.AddMetadata(kTrafficHeader, "simulated");
        m_orders->async()->CancelOrder(&call->context, &call->cancel, &call->response,
                                       [call, done](grpc::Status status) { done(status); });
    }
}

void TrafficSimulator::setPaymentBuyer(PaymentBuyer buyer, ChannelChooser chooser)
{
    m_buyer = std::move(buyer);
    m_chooser = std::move(chooser);
}

void TrafficSimulator::restock()
{
    struct Call {
        grpc::ClientContext context;
        v1::ListStockRequest request;
        v1::ListStockResponse response;
    };
    auto call = std::make_shared<Call>();
    call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    m_inventory->async()->ListStock(&call->context, &call->request, &call->response, [this, call](grpc::Status status) {
        std::vector<std::pair<std::string, std::int64_t>> receipts;
        if (status.ok()) {
            for (const v1::StockLevel &level : call->response.items()) {
                if (level.available() <= kRestockBelow)
                    receipts.emplace_back(level.sku(), kRestockTo - level.available());
            }
        }
        {
            const std::lock_guard lock(m_mutex);
            --m_inFlight;
            if (!status.ok())
                countFailureLocked(status);
            m_inFlight += static_cast<int>(receipts.size());
        }
        for (const auto &[sku, quantity] : receipts) {
            struct Receipt {
                grpc::ClientContext context;
                v1::ReceiveStockRequest request;
                v1::StockLevel response;
            };
            auto receipt = std::make_shared<Receipt>();
            receipt->request.set_sku(sku);
            receipt->request.set_quantity(quantity);
            receipt->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
            m_inventory->async()->ReceiveStock(&receipt->context, &receipt->request, &receipt->response,
                                               [this, receipt](grpc::Status receiptStatus) {
                                                   const std::lock_guard receiptLock(m_mutex);
                                                   --m_inFlight;
                                                   if (receiptStatus.ok())
                                                       ++m_stats.restocks;
                                                   else
                                                       countFailureLocked(receiptStatus);
                                                   m_changed.notify_all();
                                               });
        }
        const std::lock_guard lock(m_mutex);
        m_changed.notify_all();
    });
}

void TrafficSimulator::activity(std::mt19937_64 &rng, double ticksPerSecond)
{
    // About three profile events per order, at least a few a second; one reach
    // decision per five orders, at least one a tick.
    const auto perTick = [&](double perSecond, double atLeast, double atMost) {
        return static_cast<int>(std::clamp(perSecond / ticksPerSecond, atLeast, atMost));
    };
    const int events = perTick(m_rate * 3, 5, 2000);
    const int decisions = perTick(m_rate / 5, 1, 200);
    std::uniform_real_distribution<double> unit(0, 1);
    const auto someone = [&] { return m_uids[static_cast<std::size_t>(rng() % m_uids.size())]; };

    struct Batch {
        grpc::ClientContext context;
        v1::IngestEventsRequest request;
        v1::IngestEventsResponse response;
    };
    auto batch = std::make_shared<Batch>();
    for (int i = 0; i < events; ++i) {
        v1::UserEvent *e = batch->request.add_events();
        setTime(e->mutable_ts());
        const double kind = unit(rng);
        if (kind < 0.01) { // a new user
            const std::int64_t uid = m_nextNewUid++;
            e->set_uid(uid);
            e->set_type("register");
            (*e->mutable_attrs())["device"] = kind < 0.004 ? "ios" : (kind < 0.009 ? "android" : "web");
            (*e->mutable_attrs())["install_channel"] = kind < 0.004 ? "app_store" : "huawei_appgallery";
            continue;
        }
        e->set_uid(someone());
        if (kind < 0.3) {
            e->set_type("login");
            (*e->mutable_props())["depth"] = static_cast<double>(1 + rng() % 12);
        } else if (kind < 0.9) {
            e->set_type("view");
            const std::string &tag = m_categoryTags[static_cast<std::size_t>(rng() % m_categoryTags.size())];
            (*e->mutable_props())["tag." + tag] = 0.05 + 0.15 * unit(rng);
        } else if (kind < 0.97) {
            e->set_type("share");
            const std::string &tag = m_categoryTags[static_cast<std::size_t>(rng() % m_categoryTags.size())];
            (*e->mutable_props())["tag." + tag] = 0.3;
        } else {
            e->set_type("level_up");
        }
    }
    batch->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    {
        const std::lock_guard lock(m_mutex);
        m_inFlight += decisions;
    }
    m_segments->async()->IngestEvents(&batch->context, &batch->request, &batch->response,
                                      [this, batch](grpc::Status status) {
                                          const std::lock_guard lock(m_mutex);
                                          --m_inFlight;
                                          if (status.ok())
                                              m_stats.events += batch->response.applied();
                                          else
                                              countFailureLocked(status);
                                          m_changed.notify_all();
                                      });
    for (int i = 0; i < decisions; ++i) {
        struct Decision {
            grpc::ClientContext context;
            v1::DecideReachRequest request;
            v1::ReachDecision response;
        };
        auto decision = std::make_shared<Decision>();
        decision->request.set_uid(someone());
        decision->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
        m_segments->async()->DecideReach(&decision->context, &decision->request, &decision->response,
                                         [this, decision](grpc::Status status) {
                                             const std::lock_guard lock(m_mutex);
                                             --m_inFlight;
                                             // A user without a profile yet is not a failure of the demo.
                                             if (status.ok())
                                                 ++m_stats.reachDecisions;
                                             else if (status.error_code() != grpc::StatusCode::NOT_FOUND)
                                                 countFailureLocked(status);
                                             m_changed.notify_all();
                                         });
    }
}

double TrafficSimulator::payShareOf(const v1::Order &order)
{
    for (const v1::PriceAdjustment &a : order.adjustments())
        if (a.rule_id().starts_with("subsidy:"))
            return kSubsidisedPayShare;
    return kPayShare;
}

} // namespace flywheel
