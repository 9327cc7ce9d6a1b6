#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>

namespace httplib {
class Server;
}

namespace flywheel::http {

/// "HOST:PORT" (or "[v6]:PORT"; an empty host is 0.0.0.0) split in two; throws
/// std::invalid_argument naming `what` and the address when it is not one.
std::pair<std::string, int> splitAddress(const std::string &what, const std::string &address);

/// One embedded HTTP(S) server (Debian's cpp-httplib) on its own threads: the payment
/// callback listener and the metrics listener. Its accept queue holds 1024 waiting
/// connections, not httplib's compiled-in 5, so a burst of new connections is not
/// dropped by the kernel (each drop costs the sender a TCP resend a second later).
class HttpListener final {
public:
    struct Options {
        /// What it is, for error messages: "payment callback listener".
        std::string what;
        /// HOST:PORT; port 0 picks a free one.
        std::string address;
        /// Both or neither: HTTPS only with them.
        std::string certFile;
        std::string keyFile;
        std::size_t threads = 4;
        std::size_t maxBody = 64 * 1024;
    };
    /// Adds the routes and handlers before the server starts.
    using Routes = std::function<void(httplib::Server &)>;

    /// Binds and starts serving; throws std::runtime_error naming the address (and the
    /// certificate files) when it cannot.
    HttpListener(const Options &options, const Routes &routes);
    /// Stops and joins.
    ~HttpListener();
    HttpListener(const HttpListener &) = delete;
    HttpListener &operator=(const HttpListener &) = delete;

    int port() const { return m_port; }
    bool tls() const { return m_tls; }
    /// "http://127.0.0.1:PORT" (or https; 127.0.0.1 for a listener on every address).
    std::string localUrl() const;
    void stop();

private:
    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    std::string m_host;
    int m_port = 0;
    bool m_tls = false;
};

} // namespace flywheel::http
