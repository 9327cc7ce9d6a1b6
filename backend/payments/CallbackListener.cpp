#include "payments/CallbackListener.h"

#include "http/HttpListener.h"

#include <httplib.h>

namespace flywheel::payments {

namespace {

constexpr std::size_t kMaxBody = 64 * 1024;
constexpr std::size_t kThreads = 16;

} // namespace

CallbackListener::CallbackListener(const Options &options, Handler handler)
{
    http::HttpListener::Options listen;
    listen.what = "payment callback listener";
    listen.address = options.address;
    listen.certFile = options.certFile;
    listen.keyFile = options.keyFile;
    listen.threads = kThreads;
    listen.maxBody = kMaxBody;
    m_listener = std::make_unique<http::HttpListener>(listen, [&handler](httplib::Server &server) {
        server.Post(R"(/notify/([a-z0-9_-]{1,40}))", [handler = std::move(handler)](const httplib::Request &req,
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
        server.set_error_handler([](const httplib::Request &, httplib::Response &res) {
            if (res.body.empty()) {
                res.set_content(res.status == 413 ? "the notification is larger than 64 KiB"
                                                  : "no such endpoint: notifications go to POST /notify/<channel id>",
                                "text/plain");
            }
        });
    });
}

CallbackListener::~CallbackListener() = default;

void CallbackListener::stop()
{
    m_listener->stop();
}

int CallbackListener::port() const
{
    return m_listener->port();
}

std::string CallbackListener::localUrl() const
{
    return m_listener->localUrl();
}

} // namespace flywheel::payments
