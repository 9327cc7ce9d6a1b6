#pragma once

#include <grpcpp/support/server_callback.h>

#include <functional>
#include <memory>
#include <mutex>

namespace flywheel {

/// A server stream that sends only the newest message: at most one write in flight
/// and one message waiting, so a slow client gets the latest state, never a
/// backlog. gRPC operations start only after the lock is released, because a
/// reaction can run inline inside them (the in-process transport does that). The
/// stream holds a reference to itself until OnDone, and whoever publishes to it
/// holds one while subscribed, so neither ever sees a deleted stream.
template <typename Message>
class LatestStream final : public grpc::ServerWriteReactor<Message> {
public:
    /// `onDone` runs once the call is over (to unsubscribe).
    static std::shared_ptr<LatestStream> create(std::function<void(LatestStream *)> onDone)
    {
        auto stream = std::shared_ptr<LatestStream>(new LatestStream(std::move(onDone)));
        stream->m_self = stream;
        return stream;
    }

    void offer(std::shared_ptr<const Message> message)
    {
        {
            const std::lock_guard lock(m_mutex);
            if (m_finishing)
                return;
            if (m_writing) {
                m_waiting = std::move(message);
                return;
            }
            m_writing = true;
            m_inFlight = std::move(message);
        }
        this->StartWrite(m_inFlight.get());
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
        this->Finish(m_status);
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
            this->Finish(m_status);
        else if (next == Next::Write)
            this->StartWrite(m_inFlight.get());
    }

    void OnCancel() override { close(grpc::Status::CANCELLED); }

    void OnDone() override
    {
        if (m_onDone)
            m_onDone(this);
        // Deletes this stream once no publisher holds it any more.
        const auto self = std::move(m_self);
    }

private:
    explicit LatestStream(std::function<void(LatestStream *)> onDone) : m_onDone(std::move(onDone)) {}

    std::function<void(LatestStream *)> m_onDone;
    std::shared_ptr<LatestStream> m_self;
    std::mutex m_mutex;
    // Touched only by the one thread that set m_writing.
    std::shared_ptr<const Message> m_inFlight;
    std::shared_ptr<const Message> m_waiting;
    bool m_writing = false;
    bool m_finishing = false;
    bool m_finishSent = false;
    grpc::Status m_status;
};

} // namespace flywheel
