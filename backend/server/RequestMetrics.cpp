#include "server/RequestMetrics.h"

#include "domain/auth/RoleTable.h"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace flywheel {

namespace {

using Type = grpc::experimental::ServerRpcInfo::Type;
using Hook = grpc::experimental::InterceptionHookPoints;

const char *typeName(Type type)
{
    switch (type) {
    case Type::UNARY:
        return "unary";
    case Type::CLIENT_STREAMING:
        return "client_stream";
    case Type::SERVER_STREAMING:
        return "server_stream";
    case Type::BIDI_STREAMING:
        return "bidi_stream";
    }
    return "unary";
}

/// At most this many methods outside the role table get series of their own (health
/// checking and reflection have a handful); others share "unknown".
constexpr std::size_t kMaxOtherMethods = 32;

class CallInterceptor final : public grpc::experimental::Interceptor {
public:
    CallInterceptor(RequestMetrics &metrics, RequestMetrics::Method &method)
        : m_metrics(metrics), m_method(method), m_start(std::chrono::steady_clock::now())
    {
        m_metrics.startedCall(m_method);
    }
    ~CallInterceptor() override
    {
        // A call that ended without sending a status: the client went away.
        if (!m_finished)
            m_metrics.finished(m_method, static_cast<int>(grpc::StatusCode::CANCELLED),
                               std::chrono::steady_clock::now() - m_start);
    }

    void Intercept(grpc::experimental::InterceptorBatchMethods *methods) override
    {
        if (!m_finished && methods->QueryInterceptionHookPoint(Hook::PRE_SEND_STATUS)) {
            m_finished = true;
            m_metrics.finished(m_method, static_cast<int>(methods->GetSendStatus().error_code()),
                               std::chrono::steady_clock::now() - m_start);
        }
        methods->Proceed();
    }

private:
    RequestMetrics &m_metrics;
    RequestMetrics::Method &m_method;
    const std::chrono::steady_clock::time_point m_start;
    bool m_finished = false;
};

/// The child of `family` in `slot`, made on first use.
template <typename Metric, typename Make>
Metric &lazily(std::atomic<Metric *> &slot, Make make)
{
    Metric *m = slot.load(std::memory_order_acquire);
    if (m == nullptr) {
        m = &make(); // a family returns the same child to concurrent first users
        slot.store(m, std::memory_order_release);
    }
    return *m;
}

std::unique_ptr<RequestMetrics::Method> makeMethod(std::string_view fullName, Type type)
{
    auto m = std::make_unique<RequestMetrics::Method>();
    // "/flywheel.v1.OrderService/CreateOrder"
    const std::string_view path = fullName.starts_with('/') ? fullName.substr(1) : fullName;
    const std::size_t slash = path.find('/');
    if (slash == std::string_view::npos) {
        m->service = "unknown";
        m->name = "unknown";
    } else {
        m->service = std::string(path.substr(0, slash));
        m->name = std::string(path.substr(slash + 1));
    }
    m->handler = RequestMetrics::snakeCase(m->name);
    m->type.store(typeName(type));
    return m;
}

} // namespace

RequestMetrics::RequestMetrics(metrics::Registry &registry)
    : m_started(registry.counter("grpc_server_started_total", "RPCs started on the server.",
                                 {"grpc_type", "grpc_service", "grpc_method"})),
      m_handled(registry.counter("grpc_server_handled_total",
                                 "RPCs completed on the server, whatever their status code.",
                                 {"grpc_type", "grpc_service", "grpc_method", "grpc_code"})),
      m_seconds(registry.histogram("grpc_server_handling_seconds",
                                   "Time from an RPC's arrival to its status being sent, in seconds.",
                                   {"grpc_type", "grpc_service", "grpc_method"}, metrics::latencyBuckets())),
      m_requests(registry.counter("http_requests_total",
                                  "Requests handled, by handler (the RPC in snake_case) and gRPC status code.",
                                  {"handler", "code"}))
{
    // The RPC's kind is known only from a call; the role table's methods are filled in
    // with their first call's kind (every call of a method has the same).
    for (const auto &[name, access] : auth::RoleTable::instance().methods()) {
        auto method = makeMethod(name, Type::UNARY);
        method->type.store(nullptr);
        const std::string_view key = name;
        m_known.emplace(key, std::move(method));
    }
    m_unknown = makeMethod("unknown", Type::UNARY);
    m_unknown->service = "unknown";
    m_unknown->name = "unknown";
    m_unknown->handler = "unknown";
}

RequestMetrics::Method &RequestMetrics::methodOf(std::string_view fullName, Type type)
{
    if (const auto it = m_known.find(fullName); it != m_known.end()) {
        Method &m = *it->second;
        if (m.type.load(std::memory_order_relaxed) == nullptr)
            m.type.store(typeName(type), std::memory_order_relaxed); // the same for every call
        return m;
    }
    // gRPC's own services (health checking, reflection) by name; any other path a
    // client makes up (no tokens file: nothing refuses it before this) is "unknown",
    // so that label values stay bounded and printable.
    const bool grpcService = fullName.starts_with("/grpc.") &&
                             std::all_of(fullName.begin(), fullName.end(), [](char c) {
                                 return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '/' || c == '_';
                             });
    if (!grpcService)
        return *m_unknown;
    const std::lock_guard lock(m_otherMutex);
    const std::string key(fullName);
    if (const auto it = m_other.find(key); it != m_other.end())
        return *it->second;
    if (m_other.size() >= kMaxOtherMethods)
        return *m_unknown;
    return *m_other.emplace(key, makeMethod(fullName, type)).first->second;
}

grpc::experimental::Interceptor *RequestMetrics::CreateServerInterceptor(grpc::experimental::ServerRpcInfo *info)
{
    return new CallInterceptor(*this, methodOf(info->method() ? info->method() : "", info->type()));
}

void RequestMetrics::startedCall(Method &method)
{
    lazily(method.started, [&]() -> metrics::Counter & {
        return m_started.with({method.type.load(), method.service, method.name});
    }).inc();
}

void RequestMetrics::finished(Method &method, int code, std::chrono::nanoseconds took)
{
    if (code < 0 || code >= 17)
        code = static_cast<int>(grpc::StatusCode::UNKNOWN);
    const auto index = static_cast<std::size_t>(code);
    lazily(method.handled[index], [&]() -> metrics::Counter & {
        return m_handled.with({method.type.load(), method.service, method.name, codeName(code)});
    }).inc();
    lazily(method.requests[index], [&]() -> metrics::Counter & {
        return m_requests.with({method.handler, codeName(code)});
    }).inc();
    lazily(method.seconds, [&]() -> metrics::Histogram & {
        return m_seconds.with({method.type.load(), method.service, method.name});
    }).observe(took);
}

std::string RequestMetrics::snakeCase(std::string_view name)
{
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const auto c = static_cast<unsigned char>(name[i]);
        if (std::isupper(c)) {
            if (i > 0)
                out += '_';
            out += static_cast<char>(std::tolower(c));
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

const char *RequestMetrics::codeName(int code)
{
    static constexpr const char *kNames[] = {"OK",
                                             "CANCELLED",
                                             "UNKNOWN",
                                             "INVALID_ARGUMENT",
                                             "DEADLINE_EXCEEDED",
                                             "NOT_FOUND",
                                             "ALREADY_EXISTS",
                                             "PERMISSION_DENIED",
                                             "RESOURCE_EXHAUSTED",
                                             "FAILED_PRECONDITION",
                                             "ABORTED",
                                             "OUT_OF_RANGE",
                                             "UNIMPLEMENTED",
                                             "INTERNAL",
                                             "UNAVAILABLE",
                                             "DATA_LOSS",
                                             "UNAUTHENTICATED"};
    return code >= 0 && code < 17 ? kNames[code] : "UNKNOWN";
}

} // namespace flywheel
