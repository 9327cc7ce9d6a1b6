#pragma once

#include "payments/Http.h"

namespace flywheel::payments {

/// HttpClient over libcurl: HTTPS with the system's CA store and peer verification
/// always on; plain http only for loopback endpoints (the sandboxes). One easy
/// handle per call, so calls may run concurrently on the payment workers.
class CurlHttpClient final : public HttpClient {
public:
    CurlHttpClient();
    ~CurlHttpClient() override;
    CurlHttpClient(const CurlHttpClient &) = delete;
    CurlHttpClient &operator=(const CurlHttpClient &) = delete;

    Result<HttpResponse> send(const std::string &url, const HttpRequest &request,
                              std::chrono::milliseconds timeout) override;
};

} // namespace flywheel::payments
