// flywheeld: the Flywheel backend, headless.

#include "AuditCommand.h"
#include "common/Log.h"
#include "server/Backend.h"
#include "server/DaemonConfig.h"
#include "TokenCommand.h"

#include <getopt.h>
#include <signal.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <variant>

namespace {

constexpr int kUsageError = 2;

void printUsage(std::FILE *out)
{
    std::fprintf(out,
                 "Usage: flywheeld [--config FILE] --db FILE [--listen HOST:PORT] [--tokens-file FILE]\n"
                 "                 [--simulate RATE] [--seed-demo] [--log-format text|json]\n"
                 "       flywheeld token create|list|revoke --tokens-file FILE ...   (flywheeld token --help)\n"
                 "       flywheeld audit verify --db FILE                            (flywheeld audit --help)\n"
                 "\n"
                 "Runs the Flywheel backend: the storefront and console gRPC APIs on one SQLite database.\n"
                 "\n"
                 "  --config FILE       read settings from a YAML file (packaging/flywheeld.yaml is a commented\n"
                 "                      example); the options below override it\n"
                 "  --db FILE           SQLite database; created and migrated when needed (required here\n"
                 "                      or as database: in the config)\n"
                 "  --listen HOST:PORT  address to serve gRPC on (default 127.0.0.1:50051; port 0 picks a free one).\n"
                 "                      An address other machines can reach needs TLS (tls: in the config)\n"
                 "                      and tokens, or insecure: true. With --admin-listen it serves the\n"
                 "                      storefront API only (storefront_listen: in the config)\n"
                 "  --admin-listen HOST:PORT  serve the admin API (what the console uses) on a listener of its\n"
                 "                      own (admin_listen: in the config); the same address as --listen: one\n"
                 "                      listener serves both APIs\n"
                 "  --metrics-listen HOST:PORT  serve Prometheus metrics at http://HOST:PORT/metrics\n"
                 "                      (metrics_listen: in the config; e.g. 127.0.0.1:9464). Without it no\n"
                 "                      request metrics are recorded. A network address needs tls: (HTTPS)\n"
                 "                      or insecure: true\n"
                 "  --tokens-file FILE  every call needs \"authorization: Bearer TOKEN\" with a token from FILE\n"
                 "                      whose role the method allows; FILE is watched and changes apply\n"
                 "                      within a second (see docs/operations.md)\n"
                 "  --reflection        serve gRPC server reflection (for grpcurl list and describe)\n"
                 "  --log-format text|json  how log lines on stderr look (log_format: in the config;\n"
                 "                      default text): json writes one object per line,\n"
                 "                      {\"ts\":...,\"level\":...,\"msg\":...}. The startup lines on stdout\n"
                 "                      stay text\n"
                 "  --simulate RATE     run the storefront traffic simulator at RATE orders per second\n"
                 "                      (seeds the demo catalogue into an empty database)\n"
                 "  --seed-demo         seed an empty database with the demo catalogue, users and order history\n"
                 "  --pricing FILE      take the pricing rules from FILE (see docs/pricing.md) and apply every\n"
                 "                      valid change at once; console edits of the rules are then refused\n"
                 "  --history-per-hour N  orders per hour in the seeded two weeks of history (default 1200)\n"
                 "  --reservation-ttl SECONDS  how long an unpaid order holds its stock before the\n"
                 "                      reservation expires (1 to 86400; default 900, 15 minutes)\n"
                 "  --low-stock UNITS   show a SKU as low on stock at or below UNITS available (default 10)\n"
                 "  --tag-decay D       profile tag weights decay by D per event naming the tag:\n"
                 "                      w = w * D + delta (greater than 0, at most 1; default 0.95)\n"
                 "  --reach-outbox FILE append every reach message to FILE as a JSON line for your own\n"
                 "                      push, SMS and in-app dispatchers (see docs/segments.md); without\n"
                 "                      it sending is simulated and messages are only recorded\n"
                 "  --invite-secret-file FILE  sign invite tokens with the secret in FILE (at least 256 bits:\n"
                 "                      64 hex digits, or 32 bytes of other text; mode 0600); without it\n"
                 "                      invites are off, except that a demo database (--seed-demo,\n"
                 "                      --simulate) gets DB.invite-secret, used by its later starts too\n"
                 "  -h, --help          show this help and exit\n"
                 "  --version           show the version and exit\n"
                 "\n"
                 "flywheeld audit verify --db FILE checks the audit log of a stopped daemon's database.\n"
                 "\n"
                 "SIGTERM or SIGINT stops it cleanly: calls in flight finish and the database is closed.\n");
}

int usageError(const std::string &message)
{
    std::fprintf(stderr, "flywheeld: %s\n\n", message.c_str());
    printUsage(stderr);
    return kUsageError;
}

/// Applies a config file's settings; flags parsed later override them. Returns
/// the exit code of a refusal (1), or 0.
int applyConfig(const std::string &path, flywheel::BackendOptions &options, flywheel::common::LogFormat &logFormat)
{
    auto loaded = flywheel::loadDaemonConfig(path);
    if (const auto *error = std::get_if<flywheel::common::YamlError>(&loaded)) {
        if (error->line == 0)
            std::fprintf(stderr, "flywheeld: %s: %s\n", error->file.c_str(), error->reason.c_str());
        else
            std::fprintf(stderr, "flywheeld: %s\n", error->describe().c_str());
        return 1;
    }
    const auto &config = std::get<flywheel::DaemonConfig>(loaded);
    if (config.logFormat) {
        // The parser has checked the value already.
        const auto format = flywheel::common::Log::parseFormat(*config.logFormat);
        if (!format) {
            std::fprintf(stderr, "flywheeld: %s: log_format must be text or json, got \"%s\"\n", path.c_str(),
                         config.logFormat->c_str());
            return 1;
        }
        logFormat = *format;
    }
    if (config.database)
        options.databasePath = *config.database;
    // One of the two names the single listener when the other is missing.
    if (config.storefrontListen)
        options.listenAddress = *config.storefrontListen;
    else if (config.adminListen)
        options.listenAddress = *config.adminListen;
    if (config.adminListen)
        options.adminListenAddress = *config.adminListen;
    if (config.metricsListen)
        options.metricsListen = *config.metricsListen;
    if (config.tls) {
        options.tls.certFile = config.tls->cert;
        options.tls.keyFile = config.tls->key;
        options.tls.clientCaFile = config.tls->clientCa.value_or(std::string());
    }
    options.insecure = config.insecure.value_or(options.insecure);
    options.reflection = config.reflection.value_or(options.reflection);
    if (config.pricingFile)
        options.pricingFile = *config.pricingFile;
    if (config.inviteSecretFile)
        options.inviteSecretFile = *config.inviteSecretFile;
    if (config.tokensFile)
        options.tokensFile = *config.tokensFile;
    if (config.reservationTtlSeconds)
        options.reservationTtl = std::chrono::seconds(*config.reservationTtlSeconds);
    if (config.simulate)
        options.simulateRate = *config.simulate;
    if (config.payments) {
        options.payments.callbackListen = config.payments->callbackListen.value_or(std::string());
        options.payments.callbackUrl = config.payments->callbackUrl.value_or(std::string());
        options.payments.certFile = config.payments->cert.value_or(std::string());
        options.payments.keyFile = config.payments->key.value_or(std::string());
        options.payments.sandboxes = config.payments->sandboxes.value_or(false);
    }
    return 0;
}

bool parseRate(const char *text, double &rate)
{
    char *end = nullptr;
    errno = 0;
    rate = std::strtod(text, &end);
    return errno == 0 && end != text && *end == '\0' && std::isfinite(rate);
}

} // namespace

int main(int argc, char **argv)
{
    if (argc > 1 && std::strcmp(argv[1], "audit") == 0)
        return flywheel::app::runAuditCommand(argc - 1, argv + 1);
    if (argc >= 2 && std::strcmp(argv[1], "token") == 0)
        return flywheel::app::runTokenCommand(argc - 2, argv + 2, flywheel::SystemClock::instance());

    flywheel::BackendOptions options;
    options.listenAddress = "127.0.0.1:50051";
    options.mode = "daemon";

    enum Option {
        Db = 1000,
        Listen,
        AdminListen,
        Simulate,
        SeedDemo,
        HistoryPerHour,
        Pricing,
        ReservationTtl,
        LowStock,
        TagDecay,
        ReachOutbox,
        InviteSecret,
        Config,
        LogFormat,
        Reflection,
        TokensFile,
        MetricsListen,
        Version
    };
    static const option longOptions[] = {
        {"db", required_argument, nullptr, Db},
        {"listen", required_argument, nullptr, Listen},
        {"admin-listen", required_argument, nullptr, AdminListen},
        {"metrics-listen", required_argument, nullptr, MetricsListen},
        {"simulate", required_argument, nullptr, Simulate},
        {"seed-demo", no_argument, nullptr, SeedDemo},
        {"history-per-hour", required_argument, nullptr, HistoryPerHour},
        {"pricing", required_argument, nullptr, Pricing},
        {"reservation-ttl", required_argument, nullptr, ReservationTtl},
        {"low-stock", required_argument, nullptr, LowStock},
        {"tag-decay", required_argument, nullptr, TagDecay},
        {"reach-outbox", required_argument, nullptr, ReachOutbox},
        {"invite-secret-file", required_argument, nullptr, InviteSecret},
        {"config", required_argument, nullptr, Config},
        {"log-format", required_argument, nullptr, LogFormat},
        {"reflection", no_argument, nullptr, Reflection},
        {"tokens-file", required_argument, nullptr, TokensFile},
        {"help", no_argument, nullptr, 'h'},
        {"version", no_argument, nullptr, Version},
        {nullptr, 0, nullptr, 0},
    };
    opterr = 0; // our own messages, followed by the usage
    int opt = 0;
    // The config first, wherever --config stands: the other flags override it.
    std::string configFile;
    // Until it is set, below, every line is text: a refused config or flag is
    // said to whoever started the daemon.
    auto logFormat = flywheel::common::LogFormat::Text;
    while ((opt = getopt_long(argc, argv, ":h", longOptions, nullptr)) != -1) {
        if (opt == Config) {
            if (!configFile.empty())
                return usageError("--config is given twice");
            configFile = optarg;
            if (configFile.empty())
                return usageError("--config needs the path of a flywheeld.yaml");
        }
    }
    if (!configFile.empty()) {
        if (const int refused = applyConfig(configFile, options, logFormat); refused != 0)
            return refused;
    }
    optind = 0; // glibc: start the scan again, from scratch
    while ((opt = getopt_long(argc, argv, ":h", longOptions, nullptr)) != -1) {
        switch (opt) {
        case Config:
            break; // read above
        case Reflection:
            options.reflection = true;
            break;
        case LogFormat:
            if (const auto format = flywheel::common::Log::parseFormat(optarg))
                logFormat = *format;
            else
                return usageError(std::string("--log-format needs text or json, got \"") + optarg + "\"");
            break;
        case Db:
            options.databasePath = optarg;
            break;
        case Listen:
            options.listenAddress = optarg;
            break;
        case AdminListen:
            options.adminListenAddress = optarg;
            break;
        case MetricsListen:
            options.metricsListen = optarg;
            break;
        case Simulate:
            if (!parseRate(optarg, options.simulateRate) || options.simulateRate < 0 || options.simulateRate > 20000)
                return usageError(
                    std::string("--simulate needs a number of orders per second from 0 to 20000, got \"") + optarg +
                    "\"");
            break;
        case SeedDemo:
            options.seedDemoData = true;
            break;
        case TagDecay:
            if (!parseRate(optarg, options.tagDecay) || !(options.tagDecay > 0 && options.tagDecay <= 1))
                return usageError(std::string("--tag-decay needs a number greater than 0 and at most 1, got \"") +
                                  optarg + "\"");
            break;
        case InviteSecret:
            options.inviteSecretFile = optarg;
            if (options.inviteSecretFile.empty())
                return usageError("--invite-secret-file needs the path of a file holding the secret");
            break;
        case TokensFile:
            options.tokensFile = optarg;
            if (options.tokensFile.empty())
                return usageError("--tokens-file needs the path of a tokens file");
            break;
        case ReachOutbox:
            options.reachOutbox = optarg;
            if (options.reachOutbox.empty())
                return usageError("--reach-outbox needs the path of a file to append messages to");
            break;
        case Pricing:
            options.pricingFile = optarg;
            if (options.pricingFile.empty())
                return usageError("--pricing needs the path of a pricing.yaml");
            break;
        case HistoryPerHour: {
            double perHour = 0;
            if (!parseRate(optarg, perHour) || perHour < 0 || perHour > 1e6 || perHour != std::floor(perHour))
                return usageError(
                    std::string("--history-per-hour needs a whole number of orders from 0 to 1000000, got \"") +
                    optarg + "\"");
            options.demoHistoryOrdersPerHour = static_cast<std::size_t>(perHour);
            break;
        }
        case ReservationTtl: {
            double seconds = 0;
            if (!parseRate(optarg, seconds) || seconds < 1 || seconds > 86400 || seconds != std::floor(seconds))
                return usageError(
                    std::string("--reservation-ttl needs a whole number of seconds from 1 to 86400, got \"") + optarg +
                    "\"");
            options.reservationTtl = std::chrono::seconds(static_cast<std::int64_t>(seconds));
            break;
        }
        case LowStock: {
            double units = 0;
            if (!parseRate(optarg, units) || units < 0 || units > 1e6 || units != std::floor(units))
                return usageError(std::string("--low-stock needs a whole number of units from 0 to 1000000, got \"") +
                                  optarg + "\"");
            options.lowStockThreshold = static_cast<std::int64_t>(units);
            break;
        }
        case 'h':
            printUsage(stdout);
            return 0;
        case Version:
            std::printf("flywheeld %s\n", FLYWHEEL_VERSION);
            return 0;
        case ':':
            return usageError(std::string(argv[optind - 1]) + " needs a value");
        default:
            // optopt names a short option; for a long one getopt leaves it 0.
            return usageError(optopt != 0 ? std::string("unknown option -") + static_cast<char>(optopt)
                                          : std::string("unknown option ") + argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usageError(std::string("unexpected argument \"") + argv[optind] + "\"");
    if (options.databasePath.empty())
        return usageError("--db FILE (or database: in the config) is required");
    if (!flywheel::isListenAddress(options.listenAddress))
        return usageError("--listen needs HOST:PORT with a port from 0 to 65535, got \"" + options.listenAddress +
                          "\"");
    if (!options.adminListenAddress.empty() && !flywheel::isListenAddress(options.adminListenAddress))
        return usageError("--admin-listen needs HOST:PORT with a port from 0 to 65535, got \"" +
                          options.adminListenAddress + "\"");
    if (!options.metricsListen.empty() && !flywheel::isListenAddress(options.metricsListen))
        return usageError("--metrics-listen needs HOST:PORT with a port from 0 to 65535, got \"" +
                          options.metricsListen + "\"");

    // Log lines from here on (stderr) take the format; the startup lines on stdout,
    // which scripts and flywheel-bench read, stay text.
    flywheel::common::Log::setFormat(logFormat);

    // Block the stop signals in every thread the backend starts; main waits for them.
    sigset_t stopSignals;
    sigemptyset(&stopSignals);
    sigaddset(&stopSignals, SIGTERM);
    sigaddset(&stopSignals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stopSignals, nullptr);

    std::unique_ptr<flywheel::Backend> backend;
    try {
        backend = flywheel::Backend::start(options);
    } catch (const std::exception &e) {
        flywheel::common::Log::error(std::string("cannot start: ") + e.what());
        return 1;
    }
    const auto hostOf = [](const std::string &address) { return address.substr(0, address.rfind(':')); };
    const char *transport = options.tls.certFile.empty()       ? "plaintext"
                            : options.tls.clientCaFile.empty() ? "TLS"
                                                               : "mutual TLS";
    // Before the listening line, which tells scripts the daemon is ready.
    if (backend->metricsPort() != 0)
        std::printf("flywheeld: metrics at %s\n", backend->metricsUrl().c_str());
    // Apart by address, not by port: 127.0.0.1:50051 and [::1]:50051 are two listeners.
    if (options.adminListenAddress.empty() || options.adminListenAddress == options.listenAddress) {
        std::printf("flywheeld: listening on %s:%d (%s), database %s\n", hostOf(options.listenAddress).c_str(),
                    backend->port(), transport, backend->databasePath().c_str());
    } else {
        std::printf("flywheeld: listening on %s:%d (storefront API) and %s:%d (admin API), %s, database %s\n",
                    hostOf(options.listenAddress).c_str(), backend->port(), hostOf(options.adminListenAddress).c_str(),
                    backend->adminPort(), transport, backend->databasePath().c_str());
    }
    if (!options.tokensFile.empty())
        std::printf("flywheeld: every call needs a bearer token from %s\n", options.tokensFile.c_str());
    if (options.simulateRate > 0)
        std::printf("flywheeld: simulating %g orders per second\n", options.simulateRate);
    std::fflush(stdout);

    int signal = 0;
    sigwait(&stopSignals, &signal);
    flywheel::common::Log::info(std::string(signal == SIGTERM ? "SIGTERM" : "SIGINT") + " received, stopping");
    backend->shutdown();
    backend.reset();
    flywheel::common::Log::info("stopped cleanly");
    return 0;
}
