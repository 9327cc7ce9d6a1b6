#pragma once

#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/referral.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"

#include <grpcpp/channel.h>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace flywheel {

/// Invite traffic for demo mode, through the public ReferralService API: users
/// share their links, visitors click and register, invitees place and pay orders,
/// and a finance team reviews, confirms and settles commissions now and then. Every
/// so often a fraudster bursts clicks from one IP address or one device, invites
/// themselves, or replays a token, so the refusals show on the Referral page.
/// About one share a second, whatever the order rate; calls are made from its own
/// thread.
class ReferralSimulator final {
public:
    struct Stats {
        std::int64_t shares = 0;
        std::int64_t clicks = 0;
        std::int64_t registrations = 0;
        std::int64_t refused = 0;
        std::int64_t orders = 0;
        std::int64_t transitions = 0;
        std::int64_t failed = 0;
        std::string lastError;
    };

    /// `inviters`: the users who may share (the demo's users); `skus` to order.
    /// `audience`: the users who see their invite link and copy (kAudiencePerTick a
    /// tick) and share it more or less often by the copy's variant (shareChance); empty:
    /// `inviters`.
    ReferralSimulator(std::shared_ptr<grpc::Channel> channel, std::vector<std::int64_t> inviters,
                      std::vector<std::string> skus, std::vector<std::int64_t> audience = {});

    /// Users of the audience shown their invite copy each tick.
    static constexpr int kAudiencePerTick = 20;
    /// How likely a user shown an invite copy shares it, in percent: the demo's
    /// invite-copy experiment (docs/experiments.md) has a control ("control", 20 %) and
    /// a warmer copy (any other variant, 30 %); outside the experiment 25 %.
    static int shareChance(const std::string &variantKey);
    ~ReferralSimulator();
    ReferralSimulator(const ReferralSimulator &) = delete;
    ReferralSimulator &operator=(const ReferralSimulator &) = delete;

    void start();
    void stop();
    Stats stats() const;

private:
    void run();
    void tick();
    /// Clicks a link as a new visitor and, with `registerToo`, registers; the new uid or 0.
    std::int64_t visit(const std::string &code, const std::string &ip, const std::string &device, bool registerToo);
    void order(std::int64_t uid);
    /// Shows invite links to part of the audience; each shares by its copy's chance.
    void showCopies();
    void review();
    void failed(const grpc::Status &status);

    std::unique_ptr<v1::ReferralService::Stub> m_referral;
    std::unique_ptr<v1::OrderService::Stub> m_orders;
    std::unique_ptr<v1::SegmentService::Stub> m_segments;
    std::vector<std::int64_t> m_inviters;
    std::vector<std::string> m_skus;
    std::vector<std::int64_t> m_invitees;
    std::vector<std::int64_t> m_audience;
    std::mt19937_64 m_rng;
    std::int64_t m_nextVisitor = 0;
    std::int64_t m_ticks = 0;
    std::uint64_t m_keyPrefix = 0;
    std::int64_t m_keyCounter = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    Stats m_stats;
    std::thread m_thread;
};

} // namespace flywheel
