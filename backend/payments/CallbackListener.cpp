#include "payments/CallbackListener.h"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <functional>
#include <stdexcept>

namespace flywheel::payments {

namespace {

constexpr std::size_t kMaxBody = 64 * 1024;
constexpr std::size_t kThreads = 16;
/// Connections the kernel keeps waiting for an accept.
constexpr int kBacklog = 1024;

/// An httplib server whose accept queue holds a burst of notifications. httplib
/// listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into Debian's
/// libcpp-httplib): more connections at once than that overflow it, and the kernel drops
/// them, to be resent by the sender's TCP a second or more later (the bench saw
/// thousands of overflows from 16 senders). listen() again on the bound socket sets
/// the backlog anew.
template <typename Server>
class DeepQueue final : public Server {
public:
    using Server::Server;
    bool deepen() { return ::listen(this->svr_sock_.load(), kBacklog) == 0; }
};

std::pair<std::string, int> splitAddress(const std::string &address)
{
    const std::size_t colon = address.rfind(':');
    if (colon == std::string::npos)
        throw std::runtime_error("payment callback listener: \"" + address + "\" is not HOST:PORT");
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty())
        host = "0.0.0.0";
    int port = 0;
    try {
        port = std::stoi(address.substr(colon + 1));
    } catch (const std::exception &) {
        throw std::runtime_error("payment callback listener: \"" + address + "\" has no port number");
    }
    if (port < 0 || port > 65535)
        throw std::runtime_error("payment callback listener: port " + std::to_string(port) + " is out of range");
    return {host, port};
}

} // namespace

CallbackListener::CallbackListener(const Options &options, Handler handler)
{
    auto [host, port] = splitAddress(options.address);
    m_host = host;
    std::function<bool()> deepen;
    if (!options.certFile.empty() || !options.keyFile.empty()) {
        auto tls = std::make_unique<DeepQueue<httplib::SSLServer>>(options.certFile.c_str(), options.keyFile.c_str());
        if (!tls->is_valid())
            throw std::runtime_error("payment callback listener: the certificate " + options.certFile + " or key " +
                                     options.keyFile + " cannot be used");
        deepen = [server = tls.get()] { return server->deepen(); };
        m_server = std::move(tls);
        m_tls = true;
    } else {
        auto plain = std::make_unique<DeepQueue<httplib::Server>>();
        deepen = [server = plain.get()] { return server->deepen(); };
        m_server = std::move(plain);
    }
    m_server->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
    m_server->set_payload_max_length(kMaxBody);
    m_server->set_read_timeout(10, 0);
    m_server->set_write_timeout(10, 0);
    m_server->set_keep_alive_max_count(1000);
    m_server->Post(R"(/notify/([a-z0-9_-]{1,40}))", [handler = std::move(handler)](const httplib::Request &req,
                                                                                    httplib::Response &res) {
        HttpRequest request;
        request.method = req.method;
        request.target = req.target;
        request.body = req.body;
        request.peer = req.remote_addr + ":" + std::to_string(req.remote_port);
        for (const auto &[name, value] : req.headers)
            request.headers[name] = value;
        const HttpResponse response = handler(req.matches[1].str(), request);
        res.status = response.status;
        std::string contentType = "text/plain";
        for (const auto &[name, value] : response.headers) {
            if (name == "Content-Type" || name == "content-type")
                contentType = value;
            else
                res.set_header(name, value);
        }
        if (!response.body.empty())
            res.set_content(response.body, contentType);
    });
    m_server->set_error_handler([](const httplib::Request &, httplib::Response &res) {
        if (res.body.empty()) {
            res.set_content(res.status == 413 ? "the notification is larger than 64 KiB"
                                              : "no such endpoint: notifications go to POST /notify/<channel id>",
                            "text/plain");
        }
    });
    if (port == 0)
        m_port = m_server->bind_to_any_port(host);
    else
        m_port = m_server->bind_to_port(host, port) ? port : -1;
    if (m_port <= 0)
        throw std::runtime_error("payment callback listener: cannot listen on " + options.address +
                                 " (in use, or not an address of this machine)");
    if (!deepen())
        throw std::runtime_error("payment callback listener: cannot set the accept queue of " + options.address);
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    // stop() does nothing to a server that is not running yet: return once it is
    // (httplib 0.11 has no wait_until_ready).
    while (!m_server->is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

CallbackListener::~CallbackListener()
{
    stop();
}

void CallbackListener::stop()
{
    if (m_server)
        m_server->stop();
    if (m_thread.joinable())
        m_thread.join();
}

std::string CallbackListener::localUrl() const
{
    const std::string host = m_host == "0.0.0.0" ? "127.0.0.1" : m_host;
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(m_tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
           std::to_string(m_port);
}

} // namespace flywheel::payments
