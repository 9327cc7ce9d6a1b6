#include "common/Log.h"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace flywheel::common {

namespace {

std::atomic<LogFormat> g_format{LogFormat::Text};
std::mutex g_writeMutex;

const char *levelName(LogLevel level)
{
    switch (level) {
    case LogLevel::Info:
        return "info";
    case LogLevel::Warning:
        return "warning";
    case LogLevel::Error:
        return "error";
    }
    return "error";
}

/// "2026-12-07T03:51:57.123Z"
std::string timestamp(std::chrono::system_clock::time_point time)
{
    using namespace std::chrono;
    const auto millis = floor<milliseconds>(time);
    const auto seconds = floor<std::chrono::seconds>(millis);
    const std::time_t whole = system_clock::to_time_t(seconds);
    std::tm utc{};
    gmtime_r(&whole, &utc);
    char text[96]; // room for any int the fields could hold
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
                  utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>((millis - seconds).count()));
    return text;
}

} // namespace

void Log::setFormat(LogFormat format)
{
    g_format.store(format);
}

LogFormat Log::format()
{
    return g_format.load();
}

std::optional<LogFormat> Log::parseFormat(std::string_view name)
{
    if (name == "text")
        return LogFormat::Text;
    if (name == "json")
        return LogFormat::Json;
    return std::nullopt;
}

void Log::info(std::string_view message)
{
    write(LogLevel::Info, message);
}

void Log::warning(std::string_view message)
{
    write(LogLevel::Warning, message);
}

void Log::error(std::string_view message)
{
    write(LogLevel::Error, message);
}

std::string Log::line(LogFormat format, LogLevel level, std::chrono::system_clock::time_point time,
                      std::string_view message)
{
    if (format == LogFormat::Text) {
        std::string text = level == LogLevel::Warning ? "flywheeld: warning: " : "flywheeld: ";
        text.append(message);
        text.push_back('\n');
        return text;
    }
    // ensure_ascii off: UTF-8 stays as it is; replace: a stray byte becomes U+FFFD
    // instead of an exception.
    const std::string msg =
        nlohmann::json(std::string(message)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return "{\"ts\":\"" + timestamp(time) + "\",\"level\":\"" + levelName(level) + "\",\"msg\":" + msg + "}\n";
}

void Log::write(LogLevel level, std::string_view message)
{
    const std::string text = line(format(), level, std::chrono::system_clock::now(), message);
    const std::lock_guard lock(g_writeMutex);
    // One write() for the line; the loop only finishes a write a signal cut short.
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(STDERR_FILENO, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return; // stderr is gone: nowhere left to say so
        done += static_cast<std::size_t>(n);
    }
}

} // namespace flywheel::common
