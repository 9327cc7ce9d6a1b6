// flywheel-bench scenario `tls`: what TLS and the bearer-token check cost the order
// path. Two daemons of its own, one plaintext without tokens and one serving TLS
// with a tokens file, both seeded alike; CreateOrder as fast as each answers, in
// alternating rounds, and the ratio of the rounds' rates.

#include "Daemon.h"
#include "Scenarios.h"
#include "TestPki.h"

#include "auth/TokensFile.h"
#include "domain/Clock.h"

#include <grpcpp/security/credentials.h>

#include <fstream>

namespace flywheel::bench {

using namespace std::chrono_literals;

namespace {

constexpr int kRounds = 5;

/// A token of `role` named `name`, added to `registry`; returns the token itself.
std::string addToken(auth::TokenRegistry &registry, const std::string &name, auth::Role role)
{
    return registry.issue(name, role, SystemClock::instance().now()).second;
}

void writeText(const std::filesystem::path &path, const std::string &text)
{
    std::ofstream(path) << text;
}

} // namespace

bool tlsScenario(const Settings &settings, const std::filesystem::path &binary)
{
    const TempDir dir;
    const std::vector<std::string> seeded = {"--seed-demo", "--history-per-hour", "0"};

    std::vector<std::string> plainArgs = {"--db", (dir.path() / "plain.sqlite").string(), "--listen", "127.0.0.1:0"};
    plainArgs.insert(plainArgs.end(), seeded.begin(), seeded.end());
    Daemon plain(binary, plainArgs, dir.path() / "plain.log");

    const test::Pki pki = test::makePki("flywheel-bench CA", 1);
    writeText(dir.path() / "server.crt", pki.leafCert);
    writeText(dir.path() / "server.key", pki.leafKey);
    auth::TokenRegistry registry;
    Security security;
    security.storefrontToken = addToken(registry, "bench-storefront", auth::Role::Storefront);
    security.operatorToken = addToken(registry, "bench-operator", auth::Role::Operator);
    auth::TokensFile::save((dir.path() / "tokens.yaml").string(), registry);
    writeText(dir.path() / "flywheeld.yaml", "database: tls.sqlite\n"
                                             "storefront_listen: 127.0.0.1:0\n"
                                             "tls:\n  cert: server.crt\n  key: server.key\n"
                                             "tokens_file: tokens.yaml\n");
    std::vector<std::string> tlsArgs = {"--config", (dir.path() / "flywheeld.yaml").string()};
    tlsArgs.insert(tlsArgs.end(), seeded.begin(), seeded.end());
    Daemon secured(binary, tlsArgs, dir.path() / "tls.log");
    if (!plain.start(60s) || !secured.start(60s))
        return false;

    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = pki.caCert;
    security.credentials = grpc::SslCredentials(ssl);
    Client plainClient(plain.target(), settings.options.channels);
    Client tlsClient(secured.target(), settings.options.channels, security);
    if (!plainClient.stock(10000000) || !tlsClient.stock(10000000))
        return false;

    std::vector<double> plainRates;
    std::vector<double> tlsRates;
    std::vector<double> ratios;
    std::int64_t failures = 0;
    std::int64_t tlsCompleted = 0;
    for (int round = 0; round < kRounds; ++round) {
        const Result p = closedLoop(settings.options, plainClient.createOrder);
        const Result t = closedLoop(settings.options, tlsClient.createOrder);
        failures += p.failures + t.failures;
        tlsCompleted += t.completed;
        plainRates.push_back(p.qps);
        tlsRates.push_back(t.qps);
        ratios.push_back(t.qps / p.qps);
    }
    // Every call answered: a refused token or a failed handshake would fail them all.
    if (tlsCompleted == 0) {
        std::fprintf(stderr, "flywheel-bench: no order was created over TLS with a token; no TLS figures\n");
        return false;
    }
    print("order_create_plain_qps", medianOf(plainRates));
    print("order_create_tls_token_qps", medianOf(tlsRates));
    print("order_create_tls_token_vs_plain_ratio", medianOf(ratios));
    print("order_create_tls_token_vs_plain_ratio_rounds", ratios);
    print("tls_failed_calls", failures);
    return plain.stop() && secured.stop();
}

} // namespace flywheel::bench
