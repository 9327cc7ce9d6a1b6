// flywheel-bench scenario `referral`.

#include "Scenarios.h"

#include "flywheel/v1/referral.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"

#include "domain/referral/ClickLimiter.h"
#include "domain/referral/JtiRegistry.h"
#include "referral/InviteTokens.h"

#include <mutex>
#include <random>
#include <thread>

namespace flywheel::bench {

using namespace std::chrono_literals;

namespace {

/// The first error of concurrent calls, for the message when some failed.
class FirstError {
public:
    void note(const std::string &message)
    {
        const std::lock_guard lock(m_mutex);
        if (m_message.empty())
            m_message = message.empty() ? std::string("an unexpected answer") : message;
    }
    std::string message()
    {
        const std::lock_guard lock(m_mutex);
        return m_message;
    }

private:
    std::mutex m_mutex;
    std::string m_message;
};

/// RegisterWithInvite through gRPC, with its durable write: `kRegistrations` new
/// users, each with the token of its own click (a distinct IP and device, so the
/// anti-fraud limits refuse none), 64 calls in flight. Only the registrations are
/// timed, and every one must be answered with the new user bound to `inviter`.
bool measureInviteRegistrations(flywheel::v1::ReferralService::Stub &referral, const std::string &refCode,
                                std::int64_t inviter, double *perSecond)
{
    constexpr std::int64_t kRegistrations = 20000;
    constexpr std::int64_t kFirstUid = 60000001;
    std::vector<std::string> tokens(static_cast<std::size_t>(kRegistrations));
    FirstError clickError;
    std::int64_t clickFailures = 0;
    runCount(
        kRegistrations, 64,
        [&](std::int64_t n, std::function<void(bool)> done) {
            struct Call {
                grpc::ClientContext context;
                flywheel::v1::ClickInviteRequest request;
                flywheel::v1::InviteToken token;
            };
            auto call = std::make_shared<Call>();
            call->request.set_ref_code(refCode);
            call->request.set_visitor_uid(kFirstUid + n);
            call->request.set_ip("10." + std::to_string(2 + n / 65536) + "." + std::to_string(n / 256 % 256) + "." +
                                 std::to_string(n % 256));
            call->request.set_device_fingerprint("bench-register-" + std::to_string(n));
            referral.async()->ClickInvite(&call->context, &call->request, &call->token,
                                          [call, n, &tokens, &clickError, done](grpc::Status s) {
                                              const bool ok = s.ok() && !call->token.token().empty();
                                              if (ok)
                                                  tokens[static_cast<std::size_t>(n)] = call->token.token();
                                              else
                                                  clickError.note(s.error_message());
                                              done(ok);
                                          });
        },
        &clickFailures);
    if (clickFailures > 0) {
        std::fprintf(stderr, "flywheel-bench: %lld of %lld invite clicks failed (%s); no registration rate\n",
                     static_cast<long long>(clickFailures), static_cast<long long>(kRegistrations),
                     clickError.message().c_str());
        return false;
    }
    FirstError registerError;
    std::atomic<std::int64_t> registered{0};
    std::int64_t registerFailures = 0;
    const double seconds = runCount(
        kRegistrations, 64,
        [&](std::int64_t n, std::function<void(bool)> done) {
            struct Call {
                grpc::ClientContext context;
                flywheel::v1::RegisterWithInviteRequest request;
                flywheel::v1::Registration registration;
            };
            auto call = std::make_shared<Call>();
            const std::int64_t uid = kFirstUid + n;
            call->request.set_token(tokens[static_cast<std::size_t>(n)]);
            call->request.set_uid(uid);
            call->request.set_device(n % 3 == 0 ? "ios" : "android");
            referral.async()->RegisterWithInvite(
                &call->context, &call->request, &call->registration,
                [call, uid, inviter, &registered, &registerError, done](grpc::Status s) {
                    const bool ok =
                        s.ok() && call->registration.uid() == uid && call->registration.inviter_uid() == inviter;
                    if (ok)
                        ++registered;
                    else
                        registerError.note(s.error_message());
                    done(ok);
                });
        },
        &registerFailures);
    if (registerFailures > 0 || registered != kRegistrations) {
        std::fprintf(stderr, "flywheel-bench: %lld of %lld invite registrations succeeded (%s); no registration rate\n",
                     static_cast<long long>(registered.load()), static_cast<long long>(kRegistrations),
                     registerError.message().c_str());
        return false;
    }
    *perSecond = static_cast<double>(kRegistrations) / seconds;
    return true;
}

} // namespace

/// Scenario `referral`: commission transitions and invite registrations through
/// the API, invite tokens verified in process, and the anti-fraud check in process.
bool referralScenario(Shared &shared)
{
    // Referral: commissions for 40,000 referred orders (20 invitees of one demo
    // user), then each moved pending → reviewing → confirmed through
    // TransitionCommissions, 10 per call and 64 calls in flight; every transition
    // is durable when its call returns.
    constexpr std::int64_t kReferredOrders = 40000;
    constexpr int kIdsPerCall = 10;
    std::int64_t referralFailures = 0;
    double transitionsPerSecond = 0;
    double registerPerSecond = 0;
    {
        auto referral = flywheel::v1::ReferralService::NewStub(shared.client.channels.front());
        auto segmentsStub = flywheel::v1::SegmentService::NewStub(shared.client.channels.front());
        constexpr std::int64_t kInviter = 100001;
        {
            grpc::ClientContext context;
            flywheel::v1::IngestEventsRequest login;
            auto *e = login.add_events();
            e->set_uid(kInviter);
            e->set_type("login");
            e->mutable_ts()->set_seconds(
                std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                    .count());
            flywheel::v1::IngestEventsResponse applied;
            if (const grpc::Status s = segmentsStub->IngestEvents(&context, login, &applied);
                !s.ok() || applied.applied() != 1) {
                std::fprintf(stderr, "flywheel-bench: the inviter's login event: %s\n", s.error_message().c_str());
                return false;
            }
        }
        grpc::ClientContext linkContext;
        flywheel::v1::GetInviteLinkRequest linkRequest;
        linkRequest.set_uid(kInviter);
        linkRequest.set_campaign_id("bench");
        flywheel::v1::InviteLink link;
        if (const grpc::Status s = referral->GetInviteLink(&linkContext, linkRequest, &link); !s.ok()) {
            std::fprintf(stderr, "flywheel-bench: GetInviteLink: %s\n", s.error_message().c_str());
            return false;
        }
        std::vector<std::int64_t> invitees;
        for (int i = 0; i < 20; ++i) {
            const std::int64_t uid = 40000001 + i;
            grpc::ClientContext clickContext;
            flywheel::v1::ClickInviteRequest click;
            click.set_ref_code(link.ref_code());
            click.set_visitor_uid(uid);
            click.set_ip("10.1." + std::to_string(i) + ".1");
            click.set_device_fingerprint("bench-" + std::to_string(i));
            flywheel::v1::InviteToken token;
            grpc::Status s = referral->ClickInvite(&clickContext, click, &token);
            if (s.ok()) {
                grpc::ClientContext regContext;
                flywheel::v1::RegisterWithInviteRequest reg;
                reg.set_token(token.token());
                reg.set_uid(uid);
                reg.set_device("android");
                flywheel::v1::Registration registration;
                s = referral->RegisterWithInvite(&regContext, reg, &registration);
            }
            if (!s.ok()) {
                std::fprintf(stderr, "flywheel-bench: invite %d: %s\n", i, s.error_message().c_str());
                return false;
            }
            invitees.push_back(uid);
        }
        const std::function<void(std::int64_t, std::function<void(bool)>)> referredOrder =
            [&](std::int64_t n, std::function<void(bool)> done) {
                struct Call {
                    grpc::ClientContext create;
                    grpc::ClientContext pay;
                    flywheel::v1::CreateOrderRequest request;
                    flywheel::v1::PayOrderRequest payRequest;
                    flywheel::v1::Order order;
                };
                auto call = std::make_shared<Call>();
                call->request.set_uid(invitees[static_cast<std::size_t>(n) % invitees.size()]);
                call->request.set_channel("app");
                call->request.set_idempotency_key("ref-create-" + std::to_string(n));
                auto *item = call->request.add_items();
                item->set_sku(kSkus[n % 7]);
                item->set_quantity(1);
                auto *stub = shared.client.orders[static_cast<std::size_t>(n) % shared.client.orders.size()].get();
                stub->async()->CreateOrder(
                    &call->create, &call->request, &call->order, [call, stub, n, done](grpc::Status s) {
                        if (!s.ok())
                            return done(false);
                        call->payRequest.set_order_id(call->order.order_id());
                        call->payRequest.set_idempotency_key("ref-pay-" + std::to_string(n));
                        stub->async()->PayOrder(&call->pay, &call->payRequest, &call->order,
                                                [call, done](grpc::Status paid) { done(paid.ok()); });
                    });
            };
        std::int64_t orderFailures = 0;
        runCount(kReferredOrders, 128, referredOrder, &orderFailures);
        referralFailures += orderFailures;
        // The commissions are created once the payments are committed: one pending
        // commission per paid order must appear, or there is nothing to measure.
        const std::int64_t expected = kReferredOrders - orderFailures;
        std::vector<std::int64_t> ids;
        const auto pollDeadline = Clock::now() + 60s;
        for (;;) {
            ids.clear();
            std::int64_t before = 0;
            for (;;) {
                grpc::ClientContext context;
                flywheel::v1::ListCommissionsRequest list;
                list.add_states(flywheel::v1::COMMISSION_STATE_PENDING);
                list.set_limit(2000);
                list.set_before_id(before);
                flywheel::v1::ListCommissionsResponse page;
                if (const grpc::Status s = referral->ListCommissions(&context, list, &page); !s.ok()) {
                    std::fprintf(stderr, "flywheel-bench: ListCommissions: %s\n", s.error_message().c_str());
                    return false;
                }
                if (page.commissions().empty())
                    break;
                for (const auto &c : page.commissions())
                    ids.push_back(c.id());
                before = page.commissions().rbegin()->id();
            }
            if (static_cast<std::int64_t>(ids.size()) >= expected)
                break;
            if (Clock::now() > pollDeadline) {
                std::fprintf(stderr,
                             "flywheel-bench: %zu pending commissions 60 s after %lld referred orders were paid, "
                             "expected %lld; no transition rate\n",
                             ids.size(), static_cast<long long>(expected), static_cast<long long>(expected));
                return false;
            }
            std::this_thread::sleep_for(100ms);
        }
        const auto calls = static_cast<std::int64_t>((ids.size() + kIdsPerCall - 1) / kIdsPerCall);
        double seconds = 0;
        std::int64_t transitioned = 0;
        std::mutex countMutex;
        for (const auto to : {flywheel::v1::COMMISSION_STATE_REVIEWING, flywheel::v1::COMMISSION_STATE_CONFIRMED}) {
            const std::function<void(std::int64_t, std::function<void(bool)>)> transition =
                [&, to](std::int64_t n, std::function<void(bool)> done) {
                    struct Call {
                        grpc::ClientContext context;
                        flywheel::v1::TransitionCommissionsRequest request;
                        flywheel::v1::TransitionCommissionsResponse response;
                    };
                    auto call = std::make_shared<Call>();
                    call->request.set_to(to);
                    for (std::int64_t i = n * kIdsPerCall;
                         i < std::min<std::int64_t>((n + 1) * kIdsPerCall, static_cast<std::int64_t>(ids.size())); ++i)
                        call->request.add_ids(ids[static_cast<std::size_t>(i)]);
                    auto *stub = referral.get();
                    stub->async()->TransitionCommissions(&call->context, &call->request, &call->response,
                                                         [call, done, &transitioned, &countMutex](grpc::Status s) {
                                                             std::int64_t ok = 0;
                                                             for (const auto &r : call->response.results())
                                                                 ok += r.ok() ? 1 : 0;
                                                             {
                                                                 const std::lock_guard lock(countMutex);
                                                                 transitioned += ok;
                                                             }
                                                             done(s.ok() && ok == call->request.ids_size());
                                                         });
                };
            seconds += runCount(calls, 64, transition, &referralFailures);
        }
        if (transitioned != 2 * static_cast<std::int64_t>(ids.size())) {
            std::fprintf(stderr, "flywheel-bench: %lld of %zu commission transitions succeeded; no transition rate\n",
                         static_cast<long long>(transitioned), 2 * ids.size());
            return false;
        }
        transitionsPerSecond = static_cast<double>(transitioned) / seconds;
        if (!measureInviteRegistrations(*referral, link.ref_code(), kInviter, &registerPerSecond))
            return false;
    }

    // Invite tokens: verification with the replay check, in this process (no gRPC,
    // no storage), on two threads (the machine's cores), over 400,000 distinct tokens.
    double verifyPerSecond = 0;
    {
        const flywheel::referral::InviteTokens tokens(std::string(32, 'k'));
        constexpr int kTokens = 400000;
        std::vector<std::string> issued;
        issued.reserve(kTokens);
        const std::int64_t now =
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        for (int i = 0; i < kTokens; ++i) {
            flywheel::referral::InviteClaims claims;
            claims.uid = 50000000 + i;
            claims.inviterId = 100001;
            claims.inviteTime = now;
            claims.exp = now + 86400;
            claims.jti = flywheel::referral::InviteTokens::newJti();
            issued.push_back(tokens.issue(claims));
        }
        flywheel::referral::JtiRegistry registry;
        std::atomic<std::int64_t> accepted{0};
        const auto began = Clock::now();
        std::vector<std::thread> threads;
        for (int t = 0; t < 2; ++t) {
            threads.emplace_back([&, t] {
                std::int64_t ok = 0;
                for (int i = t; i < kTokens; i += 2) {
                    auto result = tokens.verify(issued[static_cast<std::size_t>(i)], now, 60);
                    if (const auto *claims = std::get_if<flywheel::referral::InviteClaims>(&result))
                        ok += registry.claim(claims->jti, claims->exp) ? 1 : 0;
                }
                accepted += ok;
            });
        }
        for (auto &t : threads)
            t.join();
        verifyPerSecond = static_cast<double>(kTokens) / std::chrono::duration<double>(Clock::now() - began).count();
        if (accepted != kTokens) {
            std::fprintf(stderr, "flywheel-bench: %lld of %d tokens verified\n",
                         static_cast<long long>(accepted.load()), kTokens);
            return false;
        }
    }

    // Anti-fraud: one IP + device check against windows populated by 100,000 IPs
    // and devices, with time moving on as in real traffic (a million checks over
    // an hour), on one thread.
    double antifraudNs = 0;
    {
        flywheel::referral::ClickLimiter limiter;
        const flywheel::referral::ClickLimiter::Limits limits;
        constexpr int kKeys = 100000;
        std::vector<std::string> ips;
        std::vector<std::string> devices;
        std::mt19937_64 rng(7);
        for (int i = 0; i < kKeys; ++i) {
            ips.push_back(std::to_string(rng() % 224 + 1) + "." + std::to_string(rng() % 256) + "." +
                          std::to_string(rng() % 256) + "." + std::to_string(rng() % 256));
            devices.push_back("fp-" + std::to_string(rng()));
        }
        const auto t0 = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
        for (int i = 0; i < kKeys * 2; ++i)
            limiter.admit(ips[static_cast<std::size_t>(i % kKeys)], devices[static_cast<std::size_t>(i % kKeys)], t0,
                          limits);
        constexpr int kChecks = 1000000;
        std::vector<std::size_t> picks(kChecks);
        for (auto &p : picks)
            p = static_cast<std::size_t>(rng() % kKeys);
        std::int64_t refused = 0;
        const auto began = Clock::now();
        for (int i = 0; i < kChecks; ++i) {
            const std::size_t k = picks[static_cast<std::size_t>(i)];
            refused +=
                limiter.admit(ips[k], devices[(k * 7) % kKeys], t0 + std::chrono::milliseconds(i * 3), limits) ? 1 : 0;
        }
        antifraudNs = std::chrono::duration<double, std::nano>(Clock::now() - began).count() / kChecks;
        if (refused == 0 || refused == kChecks) {
            std::fprintf(stderr, "flywheel-bench: the anti-fraud check refused %lld of %d\n",
                         static_cast<long long>(refused), kChecks);
            return false;
        }
    }

    print("commission_transitions_per_s", transitionsPerSecond);
    print("commission_transitions_per_call", static_cast<std::int64_t>(kIdsPerCall));
    print("referral_failed_calls", referralFailures);
    print("invite_verify_per_s", verifyPerSecond); // the old name of the next figure
    print("invite_verify_in_process_per_s", verifyPerSecond);
    print("invite_register_per_s", registerPerSecond);
    print("antifraud_check_ns", antifraudNs);
    return true;
}

} // namespace flywheel::bench
