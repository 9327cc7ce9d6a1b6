#pragma once

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <QMetaObject>

#include <chrono>
#include <functional>
#include <memory>

namespace flywheel::ui {

/// Where the answer to one unary call goes, on the GUI thread.
template <typename Response>
using CallDone = std::function<void(const grpc::Status &status, const Response &response)>;

/// Tells the connection how a call went. Transport failures and a refused token make
/// it unreachable; an answer, even a refusal of the request (also PERMISSION_DENIED:
/// the token is good, its role may not do this one thing), means the backend is there.
inline void reportCall(BackendConnection *connection, const grpc::Status &status, int retryInSeconds)
{
    switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::CANCELLED:
    case grpc::StatusCode::UNIMPLEMENTED:
    case grpc::StatusCode::UNAUTHENTICATED:
        connection->reportFailure(status, retryInSeconds);
        break;
    default:
        connection->reportSuccess();
        break;
    }
}

/// Whether UNIMPLEMENTED means the backend is unreachable (the default: the console is
/// pointed at something that offers none of its services) or only that this one service
/// is missing (an older backend; the page says so, and the connection stays as it is).
enum class Unimplemented { MeansUnreachable, MeansServiceMissing };

/// reportCall, except that UNIMPLEMENTED leaves the connection alone with
/// MeansServiceMissing.
inline void reportCall(BackendConnection *connection, const grpc::Status &status, int retryInSeconds,
                       Unimplemented unimplemented)
{
    if (unimplemented == Unimplemented::MeansServiceMissing && status.error_code() == grpc::StatusCode::UNIMPLEMENTED)
        return;
    reportCall(connection, status, retryInSeconds);
}

/// The `start` of startUnaryCall for the stub's async method `Method`: a lambda
/// because the async stub overloads each method (callback and reactor forms).
#define FLYWHEEL_ASYNC_METHOD(Method)                                                                                  \
    [](auto *async, auto *context, auto *request, auto *response, auto callback) {                                     \
        async->Method(context, request, response, std::move(callback));                                                \
    }

/// Starts one asynchronous call of `Service` on the connection's channel: `start` calls
/// the stub's async method with (async stub, context, request, response, callback). The
/// answer crosses from gRPC's thread to the client's by `bridge` and is handed to `done`
/// there, unless the client is gone by then; the connection hears how it went, and
/// `retryInSeconds` is when the caller tries again. Without a channel `done` gets
/// UNAVAILABLE, also asynchronously.
template <typename Service, typename Client, typename Request, typename Response, typename Start>
void startUnaryCall(Client *client, const std::shared_ptr<GuiBridge<Client>> &bridge, BackendConnection *connection,
                    const Request &request, Start start, CallDone<Response> done, std::chrono::milliseconds deadline,
                    int retryInSeconds, Unimplemented unimplemented = Unimplemented::MeansUnreachable)
{
    const auto channel = connection->channel();
    if (!channel) {
        const grpc::Status status(grpc::StatusCode::UNAVAILABLE,
                                  BackendConnection::tr("not connected yet").toStdString());
        QMetaObject::invokeMethod(
            client, [done, status] { done(status, Response()); }, Qt::QueuedConnection);
        return;
    }
    // Everything gRPC needs until the callback has run; the callback holds it.
    struct Call {
        std::unique_ptr<typename Service::Stub> stub;
        grpc::ClientContext context;
        Request request;
        Response response;
    };
    auto state = std::make_shared<Call>();
    state->stub = Service::NewStub(channel);
    state->request = request;
    state->context.set_deadline(std::chrono::system_clock::now() + deadline);
    start(state->stub->async(), &state->context, &state->request, &state->response,
          [state, bridge, connection, retryInSeconds, unimplemented, done = std::move(done)](grpc::Status status) {
              // The connection lives as long as the client's window; the client is alive when this runs.
              bridge->post([state, status, done, connection, retryInSeconds, unimplemented](Client *) {
                  reportCall(connection, status, retryInSeconds, unimplemented);
                  done(status, state->response);
              });
          });
}

} // namespace flywheel::ui
