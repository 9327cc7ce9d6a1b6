#include "sim/TrafficSimulator.h"

#include "domain/DemoData.h"

#include <grpcpp/client_context.h>

#include <chrono>
#include <random>
#include <stdexcept>

namespace flywheel {

namespace {

constexpr auto kCallDeadline = std::chrono::seconds(10);

} // namespace

TrafficSimulator::TrafficSimulator(std::shared_ptr<grpc::Channel> channel, double rate)
    : m_channel(std::move(channel)), m_orders(v1::OrderService::NewStub(m_channel)), m_rate(rate)
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
        for (const v1::Product &p : products.products())
            m_skus.push_back(p.sku());
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
    }
    if (m_skus.empty() || m_uids.empty())
        throw std::runtime_error("there is nothing to simulate: the database has products but no users, or users "
                                 "but no products");
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
    std::int64_t due = 0;
    std::int64_t sent = 0;
    // Small ticks at high rates, so the load is smooth rather than bursty.
    const auto tick = m_rate >= 200 ? std::chrono::milliseconds(5) : std::chrono::milliseconds(50);
    std::unique_lock lock(m_mutex);
    while (!m_stopping) {
        m_changed.wait_for(lock, tick, [this] { return m_stopping; });
        if (m_stopping)
            break;
        const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
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
    }
}

void TrafficSimulator::sendOne(std::uint64_t random)
{
    struct Call {
        grpc::ClientContext context;
        v1::CreateOrderRequest request;
        v1::Order response;
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
    call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    m_orders->async()->CreateOrder(&call->context, &call->request, &call->response, [this, call](grpc::Status status) {
        const std::lock_guard lock(m_mutex);
        --m_inFlight;
        if (status.ok()) {
            ++m_stats.acknowledged;
        } else {
            ++m_stats.failed;
            m_stats.lastError = status.error_message();
        }
        m_changed.notify_all();
    });
}

} // namespace flywheel
