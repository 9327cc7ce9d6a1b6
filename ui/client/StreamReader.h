#pragma once

#include "client/GuiBridge.h"

#include <grpcpp/client_context.h>
#include <grpcpp/support/client_callback.h>

#include <QString>

#include <functional>
#include <memory>

namespace flywheel::ui {

/// One server-streaming call whose messages and end reach `Owner` on the GUI thread
/// through its GuiBridge, tagged with the generation it was opened with (so that an
/// owner ignores what an earlier stream still delivers). It lives until gRPC is done
/// with it (it holds itself until OnDone) and as long as its owner holds it, so
/// cancel() is always safe.
template <typename Owner, typename Message>
class StreamReader final : public grpc::ClientReadReactor<Message> {
public:
    /// Runs on the gRPC thread for each message: what to do with it on the owner.
    using OnMessage = std::function<std::function<void(Owner *)>(const Message &message, quint64 generation)>;
    /// Runs on the GUI thread when the stream has ended, with its status.
    using OnEnded = void (*)(Owner *owner, int code, const QString &message, quint64 generation);
    /// Calls the stub's async method with the context and this reactor.
    using Start = std::function<void(grpc::ClientContext *context, grpc::ClientReadReactor<Message> *reactor)>;

    /// `call` keeps the stub and the request alive for as long as the stream.
    static std::shared_ptr<StreamReader> open(std::shared_ptr<GuiBridge<Owner>> bridge, quint64 generation,
                                              OnMessage onMessage, OnEnded onEnded, std::shared_ptr<void> call,
                                              const Start &start)
    {
        auto reader = std::shared_ptr<StreamReader>(
            new StreamReader(std::move(bridge), generation, std::move(onMessage), onEnded, std::move(call)));
        reader->m_self = reader;
        start(&reader->m_context, reader.get());
        reader->StartRead(&reader->m_message);
        reader->StartCall();
        return reader;
    }

    void cancel() { m_context.TryCancel(); }

    void OnReadDone(bool ok) override
    {
        if (!ok)
            return; // the stream ended; OnDone says how
        m_bridge->post(m_onMessage(m_message, m_generation));
        this->StartRead(&m_message);
    }

    void OnDone(const grpc::Status &status) override
    {
        const int code = status.error_code();
        const QString message = QString::fromStdString(status.error_message());
        const quint64 generation = m_generation;
        const OnEnded onEnded = m_onEnded;
        m_bridge->post(
            [onEnded, code, message, generation](Owner *owner) { onEnded(owner, code, message, generation); });
        const auto self = std::move(m_self); // may delete this on return
    }

private:
    StreamReader(std::shared_ptr<GuiBridge<Owner>> bridge, quint64 generation, OnMessage onMessage, OnEnded onEnded,
                 std::shared_ptr<void> call)
        : m_bridge(std::move(bridge)), m_generation(generation), m_onMessage(std::move(onMessage)), m_onEnded(onEnded),
          m_call(std::move(call))
    {}

    std::shared_ptr<GuiBridge<Owner>> m_bridge;
    const quint64 m_generation;
    const OnMessage m_onMessage;
    const OnEnded m_onEnded;
    std::shared_ptr<void> m_call;
    std::shared_ptr<StreamReader> m_self;
    grpc::ClientContext m_context;
    Message m_message;
};

} // namespace flywheel::ui
