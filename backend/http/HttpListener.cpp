#include "http/HttpListener.h"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <stdexcept>

namespace flywheel::http {

namespace {

/// Connections the kernel keeps waiting for an accept.
constexpr int kBacklog = 1024;

/// An httplib server whose accept queue holds a burst of connections. httplib
/// listens with a backlog of 5 (CPPHTTPLIB_LISTEN_BACKLOG, compiled into Debian's
/// libcpp-httplib): more connections at once than that overflow it, and the kernel drops
/// them, to be resent by the sender's TCP a second or more later (the payments bench saw
/// thousands of overflows from 16 senders). listen() again on the bound socket sets
/// the backlog anew.
template <typename Server>
class DeepQueue final : public Server {
public:
    using Server::Server;
    bool deepen() { return ::listen(this->svr_sock_.load(), kBacklog) == 0; }
};

} // namespace

std::pair<std::string, int> splitAddress(const std::string &what, const std::string &address)
{
    const std::size_t colon = address.rfind(':');
    if (colon == std::string::npos)
        throw std::invalid_argument(what + ": \"" + address + "\" is not HOST:PORT");
    std::string host = address.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty())
        host = "0.0.0.0";
    const std::string portText = address.substr(colon + 1);
    int port = 0;
    std::size_t used = 0;
    try {
        port = std::stoi(portText, &used);
    } catch (const std::exception &) {
        used = 0;
    }
    if (used == 0 || used != portText.size())
        throw std::invalid_argument(what + ": \"" + address + "\" has no port number");
    if (port < 0 || port > 65535)
        throw std::invalid_argument(what + ": port " + std::to_string(port) + " is out of range");
    return {host, port};
}

HttpListener::HttpListener(const Options &options, const Routes &routes)
{
    std::pair<std::string, int> hostPort;
    try {
        hostPort = splitAddress(options.what, options.address);
    } catch (const std::invalid_argument &e) {
        throw std::runtime_error(e.what());
    }
    const auto &[host, port] = hostPort;
    m_host = host;
    std::function<bool()> deepen;
    if (!options.certFile.empty() || !options.keyFile.empty()) {
        auto tls = std::make_unique<DeepQueue<httplib::SSLServer>>(options.certFile.c_str(), options.keyFile.c_str());
        if (!tls->is_valid())
            throw std::runtime_error(options.what + ": the certificate " + options.certFile + " or key " +
                                     options.keyFile + " cannot be used");
        deepen = [server = tls.get()] { return server->deepen(); };
        m_server = std::move(tls);
        m_tls = true;
    } else {
        auto plain = std::make_unique<DeepQueue<httplib::Server>>();
        deepen = [server = plain.get()] { return server->deepen(); };
        m_server = std::move(plain);
    }
    const std::size_t threads = options.threads;
    m_server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    m_server->set_payload_max_length(options.maxBody);
    m_server->set_read_timeout(10, 0);
    m_server->set_write_timeout(10, 0);
    m_server->set_keep_alive_max_count(1000);
    // httplib's default also sets SO_REUSEPORT, with which Linux lets a second server
    // bind the same port and share its traffic: a port in use must be refused.
    m_server->set_socket_options([](int sock) {
        const int yes = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    routes(*m_server);
    if (port == 0)
        m_port = m_server->bind_to_any_port(host);
    else
        m_port = m_server->bind_to_port(host, port) ? port : -1;
    if (m_port <= 0)
        throw std::runtime_error(options.what + ": cannot listen on " + options.address +
                                 " (in use, or not an address of this machine)");
    if (!deepen())
        throw std::runtime_error(options.what + ": cannot set the accept queue of " + options.address);
    m_thread = std::thread([this] { m_server->listen_after_bind(); });
    // stop() does nothing to a server that is not running yet: return once it is
    // (httplib 0.11 has no wait_until_ready).
    while (!m_server->is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

HttpListener::~HttpListener()
{
    stop();
}

void HttpListener::stop()
{
    if (m_server)
        m_server->stop();
    if (m_thread.joinable())
        m_thread.join();
}

std::string HttpListener::localUrl() const
{
    const std::string host = m_host == "0.0.0.0" ? "127.0.0.1" : (m_host == "::" ? "::1" : m_host);
    const bool v6 = host.find(':') != std::string::npos;
    return std::string(m_tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
           std::to_string(m_port);
}

} // namespace flywheel::http
