#include "Daemon.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>

namespace flywheel::bench {

using namespace std::chrono_literals;

namespace {

/// What a stop signal must clean up: the running children and the temporary
/// directories.
struct Registry {
    std::mutex mutex;
    std::set<pid_t> children;
    std::set<std::filesystem::path> directories;
};

Registry &registry()
{
    static Registry r;
    return r;
}

/// SIGTERM, then SIGKILL if `pid` has not exited after `grace`. Returns its status.
int terminate(pid_t pid, std::chrono::milliseconds grace, bool *exited)
{
    ::kill(pid, SIGTERM);
    int status = 0;
    pid_t done = 0;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while ((done = ::waitpid(pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    if (done == 0) {
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &status, 0);
    }
    *exited = done == pid;
    return status;
}

} // namespace

TempDir::TempDir()
{
    std::string pattern = (std::filesystem::temp_directory_path() / "flywheel-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("cannot create a temporary directory " + pattern + ": " + std::strerror(errno));
    m_path = pattern;
    const std::lock_guard lock(registry().mutex);
    registry().directories.insert(m_path);
}

TempDir::~TempDir()
{
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
    const std::lock_guard lock(registry().mutex);
    registry().directories.erase(m_path);
}

Daemon::Daemon(std::filesystem::path binary, std::vector<std::string> args, std::filesystem::path log)
    : m_binary(std::move(binary)), m_args(std::move(args)), m_log(std::move(log))
{}

Daemon::~Daemon()
{
    stop();
}

bool Daemon::start(std::chrono::seconds timeout)
{
    const std::string bin = m_binary.string();
    std::vector<std::string> args{bin};
    args.insert(args.end(), m_args.begin(), m_args.end());
    std::vector<char *> argv;
    for (auto &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string log = m_log.string();

    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) {
        std::fprintf(stderr, "flywheel-bench: cannot start %s: pipe: %s\n", bin.c_str(), std::strerror(errno));
        return false;
    }
    const pid_t parent = ::getpid();
    m_pid = ::fork();
    if (m_pid < 0) {
        std::fprintf(stderr, "flywheel-bench: cannot start %s: %s\n", bin.c_str(), std::strerror(errno));
        ::close(out[0]);
        ::close(out[1]);
        return false;
    }
    if (m_pid == 0) { // only async-signal-safe calls until exec
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) // the bench died before prctl took effect
            _exit(1);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        const int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (err < 0 || ::dup2(out[1], 1) < 0 || ::dup2(err, 2) < 0)
            _exit(126);
        ::execv(argv[0], argv.data());
        _exit(127);
    }
    ::close(out[1]);
    m_stdout = out[0];
    {
        const std::lock_guard lock(registry().mutex);
        registry().children.insert(m_pid);
    }

    // The daemon prints "listening on HOST:PORT" once it serves.
    const std::regex listening("listening on [^\\s:]+:(\\d+)");
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string text;
    while (m_port == 0) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) {
            std::fprintf(stderr, "flywheel-bench: flywheeld did not start within %lld s\n",
                         static_cast<long long>(timeout.count()));
            printLog();
            stop();
            return false;
        }
        pollfd p{m_stdout, POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 1000)));
        if (ready < 0 && errno != EINTR) {
            std::fprintf(stderr, "flywheel-bench: waiting for flywheeld: %s\n", std::strerror(errno));
            stop();
            return false;
        }
        if (ready <= 0)
            continue;
        char buffer[4096];
        const ssize_t n = ::read(m_stdout, buffer, sizeof buffer);
        if (n <= 0) {
            int status = 0;
            ::waitpid(m_pid, &status, 0);
            {
                const std::lock_guard lock(registry().mutex);
                registry().children.erase(m_pid);
            }
            m_pid = -1;
            if (WIFEXITED(status))
                std::fprintf(stderr, "flywheel-bench: %s exited with code %d before it listened%s\n", bin.c_str(),
                             WEXITSTATUS(status), WEXITSTATUS(status) == 127 ? " (it could not be run)" : "");
            else
                std::fprintf(stderr, "flywheel-bench: flywheeld was killed by signal %d before it listened\n",
                             WIFSIGNALED(status) ? WTERMSIG(status) : 0);
            printLog();
            stop();
            return false;
        }
        text.append(buffer, static_cast<std::size_t>(n));
        std::smatch match;
        if (std::regex_search(text, match, listening)) {
            m_port = std::stoi(match[1]);
            // Printed before the listening line, when the daemon serves metrics.
            static const std::regex metrics("metrics at http://[^\\s]+:(\\d+)/metrics");
            if (std::regex_search(text, match, metrics))
                m_metricsPort = std::stoi(match[1]);
        }
    }
    return true;
}

bool Daemon::stop()
{
    bool clean = true;
    if (m_pid > 0) {
        bool exited = false;
        const int status = terminate(m_pid, 60s, &exited);
        if (!exited)
            std::fprintf(stderr, "flywheel-bench: flywheeld (pid %d) did not stop within a minute; killed it\n",
                         static_cast<int>(m_pid));
        clean = exited && WIFEXITED(status) && WEXITSTATUS(status) == 0;
        {
            const std::lock_guard lock(registry().mutex);
            registry().children.erase(m_pid);
        }
        m_pid = -1;
    }
    if (m_stdout >= 0) {
        ::close(m_stdout);
        m_stdout = -1;
    }
    m_port = 0;
    return clean;
}

void Daemon::printLog() const
{
    std::ifstream in(m_log);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!text.empty())
        std::fprintf(stderr, "flywheel-bench: flywheeld's log (%s):\n%s", m_log.c_str(), text.c_str());
}

std::int64_t residentBytes(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        long long kb = 0;
        if (std::sscanf(line.c_str(), "VmRSS: %lld kB", &kb) == 1)
            return static_cast<std::int64_t>(kb) * 1024;
    }
    return -1;
}

void cleanUpOnStopSignals()
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    // Every thread started from here on inherits the mask; this one waits for them.
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
    std::thread([stop] {
        int signal = 0;
        sigwait(&stop, &signal);
        Registry &r = registry();
        const std::lock_guard lock(r.mutex);
        for (const pid_t child : r.children) {
            bool exited = false;
            terminate(child, 10s, &exited);
        }
        for (const auto &directory : r.directories) {
            std::error_code ignored;
            std::filesystem::remove_all(directory, ignored);
        }
        std::fprintf(
            stderr,
            "flywheel-bench: stopped by %s; its flywheeld children are stopped and its temporary files removed\n",
            strsignal(signal));
        std::fflush(stderr);
        _exit(128 + signal);
    }).detach();
}

std::string otherBenchProcesses()
{
    const pid_t self = ::getpid();
    std::string found;
    std::error_code error;
    for (const auto &entry : std::filesystem::directory_iterator("/proc", error)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
            continue;
        const pid_t pid = static_cast<pid_t>(std::stol(name));
        if (pid == self)
            continue;
        std::string comm;
        std::getline(std::ifstream(entry.path() / "comm"), comm);
        if (comm != "flywheeld" && comm != "flywheel-bench") {
            // comm is the name the process gave itself; the executable's name decides too.
            std::error_code ignored;
            comm = std::filesystem::read_symlink(entry.path() / "exe", ignored).filename().string();
            if (comm != "flywheeld" && comm != "flywheel-bench")
                continue;
        }
        // A zombie is not running; its parent has not collected it yet.
        std::string stat;
        std::getline(std::ifstream(entry.path() / "stat"), stat);
        const auto close = stat.rfind(')');
        if (close == std::string::npos || close + 2 >= stat.size() || stat[close + 2] == 'Z' || stat[close + 2] == 'X')
            continue;
        found += (found.empty() ? "" : ", ") + comm + " (pid " + name + ")";
    }
    return found;
}

} // namespace flywheel::bench
