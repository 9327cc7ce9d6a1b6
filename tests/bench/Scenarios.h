#pragma once
// What the scenarios of flywheel-bench share: the command line, a client of one
// flywheeld child, and the shared daemon's state. One scenario per function.

#include "Load.h"

#include "flywheel/v1/inventory.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/system.grpc.pb.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace flywheel::bench {

inline const char *const kSkus[] = {"ELE-1001", "HOM-1002", "BEA-1003", "SPO-1004", "GRO-1005", "TOY-1006", "FAS-1007"};

/// How a client reaches a daemon that wants TLS and tokens; the default is plaintext
/// without tokens.
struct Security {
    /// Null: plaintext.
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    /// Sent as "authorization: Bearer TOKEN" with the order path's calls (storefront
    /// role) and with the stock deliveries (operator role); empty: none.
    std::string storefrontToken;
    std::string operatorToken;
};

/// Channels and stubs to one daemon, and the two calls the order-path loops send.
class Client {
public:
    Client(const std::string &target, int channelCount, Security security = {}) : m_security(std::move(security))
    {
        for (int i = 0; i < channelCount; ++i) {
            grpc::ChannelArguments args;
            args.SetInt("flywheel.bench.channel", i); // distinct channels, distinct connections
            if (m_security.credentials)
                args.SetSslTargetNameOverride("localhost");
            channels.push_back(grpc::CreateCustomChannel(
                target, m_security.credentials ? m_security.credentials : grpc::InsecureChannelCredentials(), args));
        }
        for (const auto &channel : channels) {
            system.push_back(flywheel::v1::SystemService::NewStub(channel));
            orders.push_back(flywheel::v1::OrderService::NewStub(channel));
        }
        ping = [this](std::function<void(bool)> done) {
            using Call = ArenaCall<flywheel::v1::PingRequest, flywheel::v1::PingResponse>;
            auto call = std::make_shared<Call>();
            authorize(call->context, m_security.storefrontToken);
            const auto n = counter++;
            system[n % system.size()]->async()->Ping(&call->context, call->request, call->response,
                                                     [call, done](grpc::Status s) { done(s.ok()); });
        };
        createOrder = [this](std::function<void(bool)> done) {
            using Call = ArenaCall<flywheel::v1::CreateOrderRequest, flywheel::v1::Order>;
            auto call = std::make_shared<Call>();
            authorize(call->context, m_security.storefrontToken);
            const auto n = counter++;
            flywheel::v1::CreateOrderRequest &request = *call->request;
            request.set_uid(100001 + static_cast<std::int64_t>(n % 12000));
            request.set_channel("app");
            request.set_idempotency_key("bench-" + std::to_string(n));
            for (int i = 0; i < 2; ++i) {
                auto *item = request.add_items();
                item->set_sku(kSkus[(n + static_cast<std::uint64_t>(i)) % 7]);
                item->set_quantity(1 + static_cast<std::int64_t>(n % 2));
            }
            orders[n % orders.size()]->async()->CreateOrder(&call->context, call->request, call->response,
                                                            [call, done](grpc::Status s) { done(s.ok()); });
        };
    }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;

    /// Receives `units` of each SKU the loops order, in ten deliveries.
    bool stock(std::int64_t units)
    {
        auto inventory = flywheel::v1::InventoryService::NewStub(channels.front());
        for (const char *sku : kSkus) {
            for (int i = 0; i < 10; ++i) {
                grpc::ClientContext context;
                authorize(context, m_security.operatorToken);
                flywheel::v1::ReceiveStockRequest request;
                request.set_sku(sku);
                request.set_quantity(units / 10);
                flywheel::v1::StockLevel level;
                if (const grpc::Status s = inventory->ReceiveStock(&context, request, &level); !s.ok()) {
                    std::fprintf(stderr, "flywheel-bench: could not stock %s: %s\n", sku, s.error_message().c_str());
                    return false;
                }
            }
        }
        return true;
    }

    std::vector<std::shared_ptr<grpc::Channel>> channels;
    std::vector<std::unique_ptr<flywheel::v1::SystemService::Stub>> system;
    std::vector<std::unique_ptr<flywheel::v1::OrderService::Stub>> orders;
    std::atomic<std::uint64_t> counter{0};
    Issue ping;
    Issue createOrder;

private:
    static void authorize(grpc::ClientContext &context, const std::string &token)
    {
        if (!token.empty())
            context.AddMetadata("authorization", "Bearer " + token);
    }

    Security m_security;
};

/// The command line.
struct Settings {
    Options options;
    std::set<std::string> only; // empty: all
    std::chrono::seconds memorySettle{90};
    std::chrono::seconds memoryWindow{120};
    bool runs(const std::string &scenario) const { return only.empty() || only.count(scenario) > 0; }
};

/// The daemon that the money, pricing, segments and referral scenarios share, in
/// that order (each later one runs on what the earlier ones left).
struct Shared {
    Options options;
    std::filesystem::path pricingFile;
    Client &client;
    /// The money scenario's closed-loop order rate; 0 until measured.
    double createQps = 0;
    /// The failed calls of the money and pricing loops (`failed_calls`).
    std::int64_t failedCalls = 0;
    /// Sends the open loops skipped (`openloop_skipped_sends`), failed calls too.
    std::int64_t skippedSends = 0;
};

/// The middle value (of an even count, the upper of the two in the middle).
inline double medianOf(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return values[values.size() / 2];
}

/// The scenarios of the shared daemon, in the order they run; false (with a line on
/// stderr) when one could not measure what it measures.
bool moneyScenario(Shared &shared);
bool pricingScenario(Shared &shared);
bool segmentsScenario(Shared &shared);
bool referralScenario(Shared &shared);
/// The scenarios with daemons of their own.
bool restartScenario(const std::filesystem::path &binary);
/// In process: ExperimentManager::choose for new and already exposed users.
bool experimentsScenario();
/// Provider notifications through the payment callback listener (in this process).
bool paymentsScenario();
/// CreateOrder over TLS with a bearer token against plaintext without one, on two
/// daemons of its own, alternating rounds.
bool tlsScenario(const Settings &settings, const std::filesystem::path &binary);
/// One first-order subsidy decision in-process, and CreateOrder with subsidies on
/// against off, on two daemons of its own, alternating rounds.
bool subsidyScenario(const Settings &settings, const std::filesystem::path &binary);
/// CreateOrder on a daemon recording Prometheus metrics against one without, alternating
/// rounds; and the time of a full scrape of /metrics while orders are created.
bool metricsScenario(const Settings &settings, const std::filesystem::path &binary);
bool memoryScenario(const Settings &settings, const std::filesystem::path &binary, std::int64_t *skippedSends);

} // namespace flywheel::bench
