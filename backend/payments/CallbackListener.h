#pragma once

#include "payments/Http.h"

#include <functional>
#include <memory>
#include <string>

namespace flywheel::http {
class HttpListener;
}

namespace flywheel::payments {

/// flywheeld's HTTP(S) listener for provider notifications (docs/payments.md):
/// POST /notify/<channel id> hands the raw request to the handler, which answers
/// what the channel's provider expects. Anything else is 404; bodies above 64 KiB
/// are refused (413).
///
/// With a certificate and key it serves HTTPS only. Handlers run on the listener's
/// own threads (16), never on gRPC's; a handler may block until the notification is
/// durably recorded.
class CallbackListener final {
public:
    using Handler = std::function<HttpResponse(const std::string &channelId, const HttpRequest &request)>;
    struct Options {
        /// HOST:PORT; port 0 picks a free one.
        std::string address;
        std::string certFile;
        std::string keyFile;
    };

    /// Binds and starts serving; throws std::runtime_error naming the address (and the
    /// certificate files) when it cannot.
    CallbackListener(const Options &options, Handler handler);
    /// Stops and joins.
    ~CallbackListener();
    CallbackListener(const CallbackListener &) = delete;
    CallbackListener &operator=(const CallbackListener &) = delete;

    int port() const;
    /// "http://127.0.0.1:PORT" (or https); a public URL for providers is the
    /// config's payments.callback_url.
    std::string localUrl() const;
    void stop();

private:
    std::unique_ptr<http::HttpListener> m_listener;
};

} // namespace flywheel::payments
