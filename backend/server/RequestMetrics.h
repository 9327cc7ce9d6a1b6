#pragma once

#include "metrics/Registry.h"

#include <grpcpp/support/server_interceptor.h>

#include <array>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace flywheel {

/// The request metrics of every RPC, in the names of the gRPC ecosystem's Prometheus
/// middleware (go-grpc-prometheus): grpc_server_started_total,
/// grpc_server_handled_total{grpc_code} and the grpc_server_handling_seconds
/// histogram, labelled grpc_type, grpc_service and grpc_method; plus the founding
/// document's http_requests_total{handler="create_order",code="OK"}.
///
/// A server interceptor: it sees each call when gRPC matches it and when its status
/// is sent, so the latency is the server's whole handling of the call. Calls refused
/// by the token check before matching (UNAUTHENTICATED, PERMISSION_DENIED) never reach
/// it; those are counted by flywheel_auth_refused_total. A method's series appear on its
/// first call.
class RequestMetrics final : public grpc::experimental::ServerInterceptorFactoryInterface {
public:
    explicit RequestMetrics(metrics::Registry &registry);
    grpc::experimental::Interceptor *CreateServerInterceptor(grpc::experimental::ServerRpcInfo *info) override;

    /// One method's series, made on first use (a method's first call).
    struct Method {
        std::string service;
        std::string name;
        std::string handler;
        /// "unary", "server_stream"...; a role-table method's is set by its first call.
        std::atomic<const char *> type{nullptr};
        std::atomic<metrics::Counter *> started{nullptr};
        std::atomic<metrics::Histogram *> seconds{nullptr};
        std::array<std::atomic<metrics::Counter *>, 17> handled{};
        std::array<std::atomic<metrics::Counter *>, 17> requests{};
    };
    /// Records one call's end: its status code and how long it took.
    void finished(Method &method, int code, std::chrono::nanoseconds took);
    void startedCall(Method &method);
    Method &methodOf(std::string_view fullName, grpc::experimental::ServerRpcInfo::Type type);

    /// "create_order" for "CreateOrder".
    static std::string snakeCase(std::string_view name);
    /// "OK", "INVALID_ARGUMENT", ... for a gRPC status code.
    static const char *codeName(int code);

private:
    metrics::Family<metrics::Counter> &m_started;
    metrics::Family<metrics::Counter> &m_handled;
    metrics::Family<metrics::Histogram> &m_seconds;
    metrics::Family<metrics::Counter> &m_requests;
    /// Every method of the role table, made at construction: looked up without a lock.
    std::unordered_map<std::string_view, std::unique_ptr<Method>> m_known;
    /// Any other method (health checking, reflection, an unknown path) under one entry
    /// per service/method kept bounded: the last resort "unknown".
    std::unique_ptr<Method> m_unknown;
    std::mutex m_otherMutex;
    std::unordered_map<std::string, std::unique_ptr<Method>> m_other;
};

} // namespace flywheel
