#pragma once
// The flywheeld children of flywheel-bench and the temporary directories they run in.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace flywheel::bench {

/// A new directory under the system's temporary directory, removed with everything
/// in it when this goes.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir &) = delete;
    TempDir &operator=(const TempDir &) = delete;

    const std::filesystem::path &path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

/// One flywheeld child. It gets SIGTERM when the bench dies, however it dies: no
/// orphan flywheeld is left holding a port and a database.
class Daemon {
public:
    /// `args` follow the binary's name; the daemon's stderr goes to `log`.
    Daemon(std::filesystem::path binary, std::vector<std::string> args, std::filesystem::path log);
    ~Daemon();
    Daemon(const Daemon &) = delete;
    Daemon &operator=(const Daemon &) = delete;

    /// Starts the daemon and waits until it says where it listens, for at most
    /// `timeout`. On failure it says why on stderr (with the daemon's own log) and
    /// returns false.
    bool start(std::chrono::seconds timeout);
    /// SIGTERM, then waits for the daemon to exit (SIGKILL after a minute). True
    /// when it stopped cleanly (exit code 0) or was not running.
    bool stop();

    pid_t pid() const { return m_pid; }
    int port() const { return m_port; }
    /// host:port to connect to.
    std::string target() const { return "127.0.0.1:" + std::to_string(m_port); }

private:
    void printLog() const;

    std::filesystem::path m_binary;
    std::vector<std::string> m_args;
    std::filesystem::path m_log;
    pid_t m_pid = -1;
    int m_stdout = -1;
    int m_port = 0;
};

/// The daemon's resident set size (VmRSS) in bytes, or -1 when it cannot be read.
std::int64_t residentBytes(pid_t pid);

} // namespace flywheel::bench
