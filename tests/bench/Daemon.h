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
/// in it when this goes, or when the bench is stopped by a signal.
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

/// One flywheeld child. It gets SIGTERM when the bench dies, however it dies (a
/// parent-death signal): no orphan flywheeld is left holding a port and a database.
/// When the bench is stopped by SIGINT, SIGTERM or SIGHUP it also waits for its
/// children to stop and removes its temporary directories first.
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
    /// The Prometheus listener's port (--metrics-listen); 0 without one.
    int metricsPort() const { return m_metricsPort; }
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
    int m_metricsPort = 0;
};

/// The daemon's resident set size (VmRSS) in bytes, or -1 when it cannot be read.
std::int64_t residentBytes(pid_t pid);

/// Call first in main, before any thread starts: from then on SIGINT, SIGTERM and
/// SIGHUP stop the children, remove the temporary directories and end the bench
/// with 128 + the signal's number.
void cleanUpOnStopSignals();

/// The other flywheeld and flywheel-bench processes running on this machine, as
/// "flywheeld (pid 123), ..."; empty when there are none. Two benchmarks at once, or
/// a bench next to a busy daemon, halve every figure.
std::string otherBenchProcesses();

} // namespace flywheel::bench
