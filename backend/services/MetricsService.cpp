#include "services/MetricsService.h"

#include "services/Convert.h"

#include <array>
#include <chrono>

namespace flywheel {

/// One StreamDashboard call. Keeps at most one write in flight and one snapshot
/// waiting. gRPC operations are started only after the lock is released, because a
/// reaction can run inline inside them (the in-process transport does that). The
/// stream holds a reference to itself until OnDone, and the service holds one while
/// subscribed, so neither ever sees a deleted stream.
class DashboardStream final : public grpc::ServerWriteReactor<v1::DashboardSnapshot> {
public:
    static std::shared_ptr<DashboardStream> create(MetricsServiceImpl &service, MetricsWindow window)
    {
        auto stream = std::shared_ptr<DashboardStream>(new DashboardStream(service, window));
        stream->m_self = stream;
        return stream;
    }

    MetricsWindow window() const { return m_window; }

    void offer(std::shared_ptr<const v1::DashboardSnapshot> snapshot)
    {
        {
            const std::lock_guard lock(m_mutex);
            if (m_finishing)
                return;
            if (m_writing) {
                m_waiting = std::move(snapshot);
                return;
            }
            m_writing = true;
            m_inFlight = std::move(snapshot);
        }
        StartWrite(m_inFlight.get());
    }

    void close(grpc::Status status)
    {
        {
            const std::lock_guard lock(m_mutex);
            if (m_finishing)
                return;
            m_finishing = true;
            m_waiting.reset();
            m_status = std::move(status);
            if (m_writing)
                return; // OnWriteDone sends it
            m_finishSent = true;
        }
        Finish(m_status);
    }

    void OnWriteDone(bool ok) override
    {
        enum class Next { Nothing, Write, Finish } next = Next::Nothing;
        {
            const std::lock_guard lock(m_mutex);
            m_writing = false;
            if (!ok && !m_finishing) {
                m_finishing = true;
                m_status = grpc::Status(grpc::StatusCode::CANCELLED, "the client went away");
            }
            if (m_finishing) {
                if (!m_finishSent) {
                    m_finishSent = true;
                    next = Next::Finish;
                }
            } else if (m_waiting) {
                m_writing = true;
                m_inFlight = std::move(m_waiting);
                next = Next::Write;
            }
        }
        if (next == Next::Finish)
            Finish(m_status);
        else if (next == Next::Write)
            StartWrite(m_inFlight.get());
    }

    void OnCancel() override { close(grpc::Status::CANCELLED); }

    void OnDone() override
    {
        m_service.unsubscribe(this);
        // Deletes this stream once no publisher holds it any more.
        const auto self = std::move(m_self);
    }

private:
    DashboardStream(MetricsServiceImpl &service, MetricsWindow window) : m_service(service), m_window(window) {}

    MetricsServiceImpl &m_service;
    const MetricsWindow m_window;
    std::shared_ptr<DashboardStream> m_self;
    std::mutex m_mutex;
    // Touched only by the one thread that set m_writing.
    std::shared_ptr<const v1::DashboardSnapshot> m_inFlight;
    std::shared_ptr<const v1::DashboardSnapshot> m_waiting;
    bool m_writing = false;
    bool m_finishing = false;
    bool m_finishSent = false;
    grpc::Status m_status;
};

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
    const auto stream = DashboardStream::create(*this, window.value_or(MetricsWindow::FiveMinutes));
    if (!window) {
        stream->close(
            {grpc::StatusCode::INVALID_ARGUMENT, "window must be one of METRICS_WINDOW_5M, _1H, _24H or _7D, got " +
                                                     std::to_string(static_cast<int>(request->window()))});
        return stream.get();
    }
    bool closed = false;
    {
        const std::lock_guard lock(m_mutex);
        closed = m_closed;
        if (!closed)
            m_streams.emplace(stream.get(), stream);
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
            for (const auto &[raw, stream] : m_streams)
                streams.push_back(stream);
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
        std::vector<std::shared_ptr<DashboardStream>> streams;
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
            for (const auto &[raw, stream] : m_streams)
                streams.push_back(stream);
        }
        for (MetricsWindow window : kAllWindows) {
            std::shared_ptr<const v1::DashboardSnapshot> message;
            for (const auto &stream : streams) {
                if (stream->window() != window)
                    continue;
                if (!message)
                    message = snapshot(window); // once per window, shared by its streams
                stream->offer(message);
            }
        }
    }
}

} // namespace flywheel
