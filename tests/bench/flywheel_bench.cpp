// flywheel-bench: measures flywheeld child processes over loopback gRPC and prints
// key=value lines. Both sides of every ratio are measured in the same run against
// the same daemon. One function per scenario (Scenarios.h); `--only` chooses among
// them.

#include "Daemon.h"
#include "Scenarios.h"

#include <absl/synchronization/mutex.h>

#include <cstdlib>
#include <exception>
#include <fstream>
#include <sstream>

namespace {

using namespace flywheel::bench;
using namespace std::chrono_literals;

/// The scenarios in the order they run, whatever order `--only` names them in.
const char *const kScenarios[] = {"money", "pricing", "segments", "referral", "tls", "subsidy", "restart", "memory", "experiments", "payments", "metrics"};
/// The first of them share one daemon.
const char *const kSharedScenarios[] = {"money", "pricing", "segments", "referral"};

void printUsage(std::FILE *out)
{
    std::fprintf(out, "Usage: flywheel-bench [--duration SECONDS] [--only LIST | --money-only]\n"
                      "                      [--memory-settle SECONDS] [--memory-window SECONDS]\n"
                      "\n"
                      "Measures flywheeld children over loopback gRPC and prints key=value lines.\n"
                      "\n"
                      "  --duration SECONDS  measured time of one round of a rate (default 4)\n"
                      "  --only LIST         run only these scenarios, a comma list of:\n"
                      "                      money, pricing, segments, referral, tls, subsidy, restart,\n"
                      "                      memory, experiments, payments, metrics\n"
                      "  --money-only        the order path only: the same as --only money,pricing\n"
                      "  --memory-settle SECONDS  load before the memory scenario measures (default 90)\n"
                      "  --memory-window SECONDS  the memory scenario's measured window (default 120)\n"
                      "  -h, --help          show this help and exit\n"
                      "\n"
                      "Exit codes: 0 when every figure was measured, 1 when a measurement failed (the\n"
                      "reason is on stderr), 2 for a command-line mistake, 3 when another flywheeld or\n"
                      "flywheel-bench is running on this machine. SIGINT or SIGTERM stops the flywheeld\n"
                      "children and removes the temporary files.\n");
}

int usageError(const std::string &message)
{
    std::fprintf(stderr, "flywheel-bench: %s\n\n", message.c_str());
    printUsage(stderr);
    return 2;
}

/// Parses the command line into `settings`; returns an exit code when the bench
/// must not run (-1 when it should).
int parseCommandLine(int argc, char **argv, Settings &settings)
{
    bool moneyOnly = false;
    bool onlyGiven = false;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        const auto seconds = [&](std::chrono::seconds &into) {
            if (i + 1 == argc) {
                usageError(arg + " needs a whole number of seconds from 1 to 3600");
                return false;
            }
            const std::string value = argv[++i];
            char *end = nullptr;
            const long n = std::strtol(value.c_str(), &end, 10);
            if (value.empty() || *end != '\0' || n <= 0 || n > 3600) {
                usageError(arg + " needs a whole number of seconds from 1 to 3600, got \"" + value + "\"");
                return false;
            }
            into = std::chrono::seconds(n);
            return true;
        };
        if (arg == "--duration") {
            if (!seconds(settings.options.duration))
                return 2;
        } else if (arg == "--memory-settle") {
            if (!seconds(settings.memorySettle))
                return 2;
        } else if (arg == "--memory-window") {
            if (!seconds(settings.memoryWindow))
                return 2;
        } else if (arg == "--money-only") {
            moneyOnly = true;
        } else if (arg == "--only") {
            if (i + 1 == argc)
                return usageError("--only needs a comma list of scenarios");
            onlyGiven = true;
            std::stringstream list(argv[++i]);
            std::string name;
            while (std::getline(list, name, ',')) {
                if (std::find(std::begin(kScenarios), std::end(kScenarios), name) == std::end(kScenarios)) {
                    std::string known;
                    for (const char *s : kScenarios)
                        known += std::string(known.empty() ? "" : ", ") + s;
                    return usageError("--only: unknown scenario \"" + name + "\"; the scenarios are " + known);
                }
                settings.only.insert(name);
            }
            if (settings.only.empty())
                return usageError("--only needs a comma list of scenarios");
        } else if (arg == "-h" || arg == "--help") {
            printUsage(stdout);
            return 0;
        } else {
            return usageError("unknown option " + arg);
        }
    }
    if (moneyOnly && onlyGiven)
        return usageError("--money-only and --only cannot be combined; --money-only is --only money,pricing");
    if (moneyOnly)
        settings.only = {"money", "pricing"};
    return -1;
}

/// Runs the scenarios on the shared daemon; false when one failed.
bool runShared(const Settings &settings, const std::filesystem::path &binary, std::int64_t *skippedSends)
{
    const TempDir dir;
    const std::filesystem::path pricingFile = dir.path() / "pricing.yaml";
    std::ofstream(pricingFile) << "rules: []\n";
    Daemon daemon(binary,
                  {"--db", (dir.path() / "bench.sqlite").string(), "--listen", "127.0.0.1:0", "--seed-demo",
                   "--history-per-hour", "0", "--pricing", pricingFile.string()},
                  dir.path() / "flywheeld.log");
    if (!daemon.start(60s))
        return false;
    Client client(daemon.target(), settings.options.channels);
    // Enough stock that no order of the run is refused for the lack of it.
    if (!client.stock(10000000))
        return false;
    Shared shared{settings.options, pricingFile, client};
    if (settings.runs("money") && !moneyScenario(shared))
        return false;
    if (settings.runs("pricing") && !pricingScenario(shared))
        return false;
    if (settings.runs("segments") && !segmentsScenario(shared))
        return false;
    if (settings.runs("referral") && !referralScenario(shared))
        return false;
    *skippedSends += shared.skippedSends;
    if (settings.runs("money") || settings.runs("pricing"))
        print("failed_calls", shared.failedCalls);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    // As flywheeld does (Backend::start): no lock-order graph for every gRPC mutex;
    // Debian's Abseil keeps one, which costs the client about a microsecond a call.
    absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
    Settings settings;
    if (const int exitCode = parseCommandLine(argc, argv, settings); exitCode >= 0)
        return exitCode;
    if (const std::string others = otherBenchProcesses(); !others.empty()) {
        std::fprintf(stderr,
                     "flywheel-bench: not starting: already running on this machine: %s. A benchmark next to "
                     "another one or next to a daemon halves every figure; stop them and run again.\n",
                     others.c_str());
        return 3;
    }
    cleanUpOnStopSignals();
    try {
        const std::filesystem::path binary = std::filesystem::canonical("/proc/self/exe").parent_path() / "flywheeld";
        const bool shared = std::any_of(std::begin(kSharedScenarios), std::end(kSharedScenarios),
                                        [&](const char *s) { return settings.runs(s); });
        std::int64_t skippedSends = 0;
        if (shared && !runShared(settings, binary, &skippedSends))
            return 1;
        if (settings.runs("tls") && !tlsScenario(settings, binary))
            return 1;
        if (settings.runs("subsidy") && !subsidyScenario(settings, binary))
            return 1;
        if (settings.runs("metrics") && !metricsScenario(settings, binary))
            return 1;
        if (settings.runs("restart") && !restartScenario(binary))
            return 1;
        if (settings.runs("memory") && !memoryScenario(settings, binary, &skippedSends))
            return 1;
        if (settings.runs("experiments") && !experimentsScenario())
            return 1;
        if (settings.runs("payments") && !paymentsScenario())
            return 1;
        if (settings.runs("money") || settings.runs("pricing") || settings.runs("memory"))
            print("openloop_skipped_sends", skippedSends); // every open loop's, each a failed call too
    } catch (const std::exception &e) {
        std::fprintf(stderr, "flywheel-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
