#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace flywheel::common {

/// How flywheeld writes its log lines on stderr (log_format: in the config).
enum class LogFormat { Text, Json };

enum class LogLevel { Info, Warning, Error };

/// The daemon's log: one line on stderr per message, written with one write()
/// under a lock, so lines from different threads never interleave.
///
/// Text (the default): "flywheeld: MESSAGE", and "flywheeld: warning: MESSAGE" for
/// a warning. Json: one object per line,
/// {"ts":"2026-12-07T03:51:57.123Z","level":"warning","msg":"MESSAGE"}.
class Log {
public:
    /// Set once at start, before the backend starts its threads.
    static void setFormat(LogFormat format);
    static LogFormat format();
    /// "text" or "json"; nothing for anything else.
    static std::optional<LogFormat> parseFormat(std::string_view name);

    static void info(std::string_view message);
    static void warning(std::string_view message);
    static void error(std::string_view message);

    /// The line (ending in '\n') that a message at `time` becomes. In JSON the
    /// message is a JSON string: quotes, backslashes and control characters
    /// escaped, UTF-8 passed through, and a byte that is not UTF-8 replaced by
    /// U+FFFD so that the line always parses.
    static std::string line(LogFormat format, LogLevel level, std::chrono::system_clock::time_point time,
                            std::string_view message);

private:
    static void write(LogLevel level, std::string_view message);
};

} // namespace flywheel::common
