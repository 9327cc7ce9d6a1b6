#include "services/MetricsService.h"

#include "services/Convert.h"

#include <array>
#include <chrono>

namespace flywheel {

MetricsServiceImpl::MetricsServiceImpl(ServiceContext &context)
    : m_context(context), m_publisher([this] { publishLoop(); })
{}

MetricsServiceImpl::~MetricsServiceImpl()
{
    closeAll();
}

std::shared_ptr<const v1::DashboardSnapshot> MetricsServiceImpl::snapshot(MetricsWindow window)
{
    auto message = std::make_shared<v1::DashboardSnapshot>();
    convert::toProto(m_context.metrics.snapshot(window), m_context.currency, message.get());
    return message;
}

grpc::ServerWriteReactor<v1::DashboardSnapshot> *
MetricsServiceImpl::StreamDashboard(grpc::CallbackServerContext *context, const v1::StreamDashboardRequest *request)
{
    const std::optional<MetricsWindow> window = convert::fromProto(request->window());
    const auto stream = DashboardStream::create([this](DashboardStream *done) { unsubscribe(done); });
    if (!window) {
        stream->close(
            {grpc::StatusCode::INVALID_ARGUMENT, "window must be one of METRICS_WINDOW_5M, _1H, _24H or _7D, got " +
                                                     convert::enumName<v1::MetricsWindow>(request->window())});
        return stream.get();
    }
    bool closed = false;
    {
        const std::lock_guard lock(m_mutex);
        closed = m_closed;
        if (!closed)
            m_streams.emplace(stream.get(), Subscription{stream, *window});
    }
    if (closed)
        stream->close({grpc::StatusCode::UNAVAILABLE, "the backend is shutting down"});
    else
        stream->offer(snapshot(*window));
    return stream.get();
}

void MetricsServiceImpl::unsubscribe(DashboardStream *stream)
{
    const std::lock_guard lock(m_mutex);
    m_streams.erase(stream);
}

void MetricsServiceImpl::closeAll()
{
    std::vector<std::shared_ptr<DashboardStream>> streams;
    {
        const std::lock_guard lock(m_mutex);
        if (!m_closed) {
            m_closed = true;
            for (const auto &[raw, subscription] : m_streams)
                streams.push_back(subscription.stream);
        }
    }
    for (const auto &stream : streams)
        stream->close({grpc::StatusCode::UNAVAILABLE, "the backend is shutting down"});
    m_wake.notify_all();
    if (m_publisher.joinable())
        m_publisher.join();
}

void MetricsServiceImpl::publishLoop()
{
    using namespace std::chrono_literals;
    constexpr auto kTick = 250ms;
    constexpr auto kHeartbeat = 1s;
    std::uint64_t publishedVersion = m_context.metrics.version();
    auto lastPublish = std::chrono::steady_clock::now();
    for (;;) {
        std::vector<Subscription> streams;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_for(lock, kTick, [this] { return m_closed; });
            if (m_closed)
                return;
            const std::uint64_t version = m_context.metrics.version();
            const auto now = std::chrono::steady_clock::now();
            if (version == publishedVersion && now - lastPublish < kHeartbeat)
                continue;
            publishedVersion = version;
            lastPublish = now;
            for (const auto &[raw, subscription] : m_streams)
                streams.push_back(subscription);
        }
        for (MetricsWindow window : kAllWindows) {
            std::shared_ptr<const v1::DashboardSnapshot> message;
            for (const auto &subscription : streams) {
                if (subscription.window != window)
                    continue;
                if (!message)
                    message = snapshot(window); // once per window, shared by its streams
                subscription.stream->offer(message);
            }
        }
    }
}

} // namespace flywheel
