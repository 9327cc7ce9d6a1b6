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
#include <regex>
#include <stdexcept>
#include <thread>

namespace flywheel::bench {

using namespace std::chrono_literals;

TempDir::TempDir()
{
    std::string pattern = (std::filesystem::temp_directory_path() / "flywheel-bench-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        throw std::runtime_error("cannot create a temporary directory " + pattern + ": " + std::strerror(errno));
    m_path = pattern;
}

TempDir::~TempDir()
{
    std::error_code ignored;
    std::filesystem::remove_all(m_path, ignored);
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
            m_pid = -1;
            if (WIFEXITED(status))
                std::fprintf(stderr, "flywheel-bench: flywheeld exited with code %d before it listened\n",
                             WEXITSTATUS(status));
            else
                std::fprintf(stderr, "flywheel-bench: flywheeld was killed by signal %d before it listened\n",
                             WIFSIGNALED(status) ? WTERMSIG(status) : 0);
            printLog();
            stop();
            return false;
        }
        text.append(buffer, static_cast<std::size_t>(n));
        std::smatch match;
        if (std::regex_search(text, match, listening))
            m_port = std::stoi(match[1]);
    }
    return true;
}

bool Daemon::stop()
{
    bool clean = true;
    if (m_pid > 0) {
        ::kill(m_pid, SIGTERM);
        int status = 0;
        pid_t done = 0;
        const auto deadline = std::chrono::steady_clock::now() + 60s;
        while ((done = ::waitpid(m_pid, &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(10ms);
        if (done == 0) {
            std::fprintf(stderr, "flywheel-bench: flywheeld (pid %d) did not stop within a minute; killing it\n",
                         static_cast<int>(m_pid));
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, &status, 0);
        }
        clean = done == m_pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
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

} // namespace flywheel::bench
