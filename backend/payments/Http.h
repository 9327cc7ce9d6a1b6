#pragma once

#include "domain/Result.h"

#include <chrono>
#include <map>
#include <string>

namespace flywheel::payments {

/// Header names compared case-insensitively, as HTTP does.
struct HeaderLess {
    bool operator()(const std::string &a, const std::string &b) const;
};
using Headers = std::map<std::string, std::string, HeaderLess>;

/// An HTTP request as it travels: the raw body bytes are kept as they came, since
/// every provider signs the bytes, never a re-serialised body.
struct HttpRequest {
    std::string method;
    /// Path and query exactly as sent ("/v3/pay/transactions/out-trade-no/7?mchid=1").
    std::string target;
    Headers headers;
    std::string body;
    /// The caller's address, for the refusal log ("127.0.0.1:53122").
    std::string peer;
};

struct HttpResponse {
    int status = 0;
    Headers headers;
    std::string body;
};

/// Outbound HTTP(S) (libcurl in production, CurlHttpClient). Blocking: callers run
/// it on the payment workers, never on a gRPC or GUI thread.
class HttpClient {
public:
    virtual ~HttpClient() = default;
    /// `url` is absolute ("https://api.mch.weixin.qq.com/v3/..."). Unavailable with
    /// the transport's message when no HTTP answer came (refused, timed out, TLS);
    /// any HTTP status is a response.
    virtual Result<HttpResponse> send(const std::string &url, const HttpRequest &request,
                                      std::chrono::milliseconds timeout) = 0;
};

} // namespace flywheel::payments
