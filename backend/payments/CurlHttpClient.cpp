#include "payments/CurlHttpClient.h"

#include <curl/curl.h>

#include <memory>
#include <string_view>
#include <mutex>

namespace flywheel::payments {

namespace {

std::once_flag g_curlInit;

std::size_t appendBody(char *data, std::size_t size, std::size_t count, void *out)
{
    static_cast<std::string *>(out)->append(data, size * count);
    return size * count;
}

std::size_t appendHeader(char *data, std::size_t size, std::size_t count, void *out)
{
    const std::string line(data, size * count);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::string value = line.substr(colon + 1);
        const auto first = value.find_first_not_of(" \t");
        const auto last = value.find_last_not_of(" \t\r\n");
        value = first == std::string::npos ? std::string() : value.substr(first, last - first + 1);
        (*static_cast<Headers *>(out))[name] = value;
    }
    return size * count;
}

/// http://HOST[:PORT][/...] where HOST is exactly localhost, [::1] or a dotted 127.x.y.z
/// (no user info, nothing that only starts like one: "http://127.evil.example").
bool isLoopbackHttp(const std::string &url)
{
    constexpr std::string_view kScheme = "http://";
    if (url.rfind(kScheme, 0) != 0)
        return false;
    const std::string_view rest = std::string_view(url).substr(kScheme.size());
    const std::size_t end = rest.find_first_of("/?#");
    const std::string_view authority = rest.substr(0, end);
    if (authority.find('@') != std::string_view::npos)
        return false;
    std::string_view host = authority;
    if (host.rfind("[::1]", 0) == 0)
        host = host.substr(5);
    else {
        const std::size_t colon = host.find(':');
        const std::string_view name = host.substr(0, colon);
        host = colon == std::string_view::npos ? std::string_view() : host.substr(colon);
        if (name != "localhost") {
            if (name.rfind("127.", 0) != 0)
                return false;
            int dots = 0;
            for (char c : name) {
                if (c == '.')
                    ++dots;
                else if (c < '0' || c > '9')
                    return false;
            }
            if (dots != 3)
                return false;
        }
    }
    // What is left is empty or ":PORT".
    if (host.empty())
        return true;
    if (host.front() != ':' || host.size() < 2)
        return false;
    return host.substr(1).find_first_not_of("0123456789") == std::string_view::npos;
}

} // namespace

CurlHttpClient::CurlHttpClient()
{
    std::call_once(g_curlInit, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

CurlHttpClient::~CurlHttpClient() = default;

Result<HttpResponse> CurlHttpClient::send(const std::string &url, const HttpRequest &request,
                                          std::chrono::milliseconds timeout)
{
    if (url.rfind("https://", 0) != 0 && !isLoopbackHttp(url))
        return Error{ErrorCode::InvalidArgument,
                     "refusing to send a payment request over plain http to " + url + "; use https"};
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl)
        return Error{ErrorCode::Internal, "libcurl could not create a handle"};
    curl_slist *list = nullptr;
    for (const auto &[name, value] : request.headers)
        list = curl_slist_append(list, (name + ": " + value).c_str());
    // No "Expect: 100-continue" round trip for bodies.
    list = curl_slist_append(list, "Expect:");
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(list, &curl_slist_free_all);

    HttpResponse response;
    char errorBuffer[CURL_ERROR_SIZE] = {};
    CURL *h = curl.get();
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "GET")
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    else {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &appendBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &appendHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<std::int64_t>(timeout.count(), 5000)));
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errorBuffer);
    const CURLcode code = curl_easy_perform(h);
    if (code != CURLE_OK) {
        const std::string why = errorBuffer[0] != '\0' ? errorBuffer : curl_easy_strerror(code);
        return Error{ErrorCode::Unavailable, request.method + " " + url + " failed: " + why};
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    return response;
}

} // namespace flywheel::payments
