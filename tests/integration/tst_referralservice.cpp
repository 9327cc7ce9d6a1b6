// Referral over gRPC with a temporary database and a manual clock: invite links,
// clicks through the anti-fraud checks, registration with signed single-use tokens
// (also after a restart), commissions from paid orders through their states and a
// refund, the funnel stream, the programme's versions, and invites switched off.

#include "TestSupport.h"

#include "flywheel/v1/catalog.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/referral.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z
constexpr std::int64_t kInviter = 100001;        // a demo user, registered long before T0

Milliseconds ms(std::chrono::seconds s)
{
    return std::chrono::duration_cast<Milliseconds>(s);
}

void makeActive(const std::shared_ptr<grpc::Channel> &channel, std::int64_t uid, TimePoint at)
{
    auto stub = v1::SegmentService::NewStub(channel);
    v1::IngestEventsRequest request;
    v1::UserEvent *e = request.add_events();
    e->set_uid(uid);
    e->set_type("login");
    e->mutable_ts()->set_seconds(toEpochMs(at) / 1000);
    grpc::ClientContext context;
    v1::IngestEventsResponse response;
    const grpc::Status s = stub->IngestEvents(&context, request, &response);
    if (!s.ok())
        qFatal("IngestEvents: %s", s.error_message().c_str());
}

v1::InviteLink link(v1::ReferralService::Stub &stub, std::int64_t uid, const std::string &campaign = "spring",
                    const std::string &channel = "wechat")
{
    grpc::ClientContext context;
    v1::GetInviteLinkRequest request;
    request.set_uid(uid);
    request.set_campaign_id(campaign);
    request.set_channel(channel);
    v1::InviteLink out;
    const grpc::Status s = stub.GetInviteLink(&context, request, &out);
    if (!s.ok())
        qFatal("GetInviteLink: %s", s.error_message().c_str());
    return out;
}

grpc::Status click(v1::ReferralService::Stub &stub, const std::string &code, std::int64_t visitor,
                   const std::string &ip, const std::string &device, v1::InviteToken *out)
{
    grpc::ClientContext context;
    v1::ClickInviteRequest request;
    request.set_ref_code(code);
    request.set_visitor_uid(visitor);
    request.set_ip(ip);
    request.set_device_fingerprint(device);
    return stub.ClickInvite(&context, request, out);
}

grpc::Status registerWith(v1::ReferralService::Stub &stub, const std::string &token, std::int64_t uid,
                          v1::Registration *out = nullptr)
{
    grpc::ClientContext context;
    v1::RegisterWithInviteRequest request;
    request.set_token(token);
    request.set_uid(uid);
    v1::Registration ignored;
    return stub.RegisterWithInvite(&context, request, out != nullptr ? out : &ignored);
}

v1::TransitionCommissionsResponse transition(v1::ReferralService::Stub &stub, std::vector<std::int64_t> ids,
                                             v1::CommissionState to)
{
    grpc::ClientContext context;
    v1::TransitionCommissionsRequest request;
    for (const auto id : ids)
        request.add_ids(id);
    request.set_to(to);
    v1::TransitionCommissionsResponse response;
    const grpc::Status s = stub.TransitionCommissions(&context, request, &response);
    if (!s.ok())
        qFatal("TransitionCommissions: %s", s.error_message().c_str());
    return response;
}

v1::ListCommissionsResponse commissions(v1::ReferralService::Stub &stub, std::int64_t uid = 0)
{
    grpc::ClientContext context;
    v1::ListCommissionsRequest request;
    request.set_uid(uid);
    v1::ListCommissionsResponse response;
    const grpc::Status s = stub.ListCommissions(&context, request, &response);
    if (!s.ok())
        qFatal("ListCommissions: %s", s.error_message().c_str());
    return response;
}

std::int64_t paidOrder(const std::shared_ptr<grpc::Channel> &channel, std::int64_t uid)
{
    auto orders = v1::OrderService::NewStub(channel);
    v1::CreateOrderRequest request;
    request.set_uid(uid);
    request.set_channel("app");
    auto *item = request.add_items();
    item->set_sku("ELE-1001");
    item->set_quantity(1);
    v1::Order order;
    grpc::Status s = test::createOrder(*orders, request, &order);
    if (!s.ok())
        qFatal("CreateOrder: %s", s.error_message().c_str());
    s = test::payOrder(*orders, order.order_id(), &order);
    if (!s.ok())
        qFatal("PayOrder: %s", s.error_message().c_str());
    return order.order_id();
}

/// Every user ListUsers returns, page by page, and the total it reports.
std::pair<std::vector<std::int64_t>, std::int64_t> allUsers(const std::shared_ptr<grpc::Channel> &channel,
                                                            int pageSize)
{
    auto catalog = v1::CatalogService::NewStub(channel);
    std::vector<std::int64_t> uids;
    std::int64_t total = -1;
    std::int64_t after = 0;
    for (;;) {
        grpc::ClientContext context;
        v1::ListUsersRequest request;
        request.set_limit(pageSize);
        request.set_after_uid(after);
        v1::ListUsersResponse response;
        const grpc::Status s = catalog->ListUsers(&context, request, &response);
        if (!s.ok())
            qFatal("ListUsers: %s", s.error_message().c_str());
        total = response.total();
        if (response.users().empty())
            return {uids, total};
        for (const v1::User &user : response.users())
            uids.push_back(user.uid());
        after = uids.back();
    }
}

} // namespace

class TestReferralService final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void invitesRegistrationsAndTheirRefusals()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        auto channel = backend->inProcessChannel();
        auto stub = v1::ReferralService::NewStub(channel);
        makeActive(channel, kInviter, T0);

        const v1::InviteLink l = link(*stub, kInviter);
        QCOMPARE(link(*stub, kInviter).ref_code(), l.ref_code()); // the same link again
        QVERIFY(l.url().find("ref=" + l.ref_code()) != std::string::npos);
        QVERIFY(link(*stub, kInviter, "spring", "sms").ref_code() != l.ref_code());
        {
            grpc::ClientContext context;
            v1::GetInviteLinkRequest bad;
            bad.set_uid(kInviter);
            bad.set_campaign_id("Spring Sale!");
            v1::InviteLink out;
            const grpc::Status s = stub->GetInviteLink(&context, bad, &out);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY2(s.error_message().find("campaign_id") != std::string::npos, s.error_message().c_str());
        }

        v1::InviteToken token;
        QVERIFY(click(*stub, l.ref_code(), 900001, "10.0.0.1", "dev-a", &token).ok());
        QCOMPARE(token.inviter_uid(), kInviter);
        QCOMPARE(token.expires_at().seconds(), toEpochMs(T0 + 24h) / 1000);
        QCOMPARE(click(*stub, "nosuchcode", 900001, "10.0.0.1", "dev-a", &token).error_code(),
                 grpc::StatusCode::NOT_FOUND);
        v1::InviteToken second;
        QVERIFY(click(*stub, l.ref_code(), 900001, "10.0.0.2", "dev-b", &second).ok());

        // A token is bound to its visitor, and used once.
        grpc::Status s = registerWith(*stub, token.token(), 900002);
        QCOMPARE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        QVERIFY2(s.error_message().find("issued for user 900001") != std::string::npos, s.error_message().c_str());
        v1::Registration registration;
        QVERIFY(registerWith(*stub, token.token(), 900001, &registration).ok());
        QCOMPARE(registration.inviter_uid(), kInviter);
        QCOMPARE(registration.campaign_id(), std::string("spring"));
        QCOMPARE(registration.channel(), std::string("wechat"));
        QVERIFY(registration.invitee_reward().minor_units() > 0);
        s = registerWith(*stub, token.token(), 900001);
        QCOMPARE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        QVERIFY2(s.error_message().find("used before") != std::string::npos, s.error_message().c_str());
        s = registerWith(*stub, second.token(), 900001); // another token, same user
        QCOMPARE(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY2(s.error_message().find("invited already") != std::string::npos, s.error_message().c_str());
        std::string tampered = token.token(); // one signature character changed, always
        char &c = tampered[tampered.rfind('.') + 5];
        c = c == 'A' ? 'B' : 'A';
        s = registerWith(*stub, tampered, 900001);
        QCOMPARE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);

        // Self-invites and cycles.
        s = click(*stub, l.ref_code(), kInviter, "10.0.0.3", "dev-c", &token);
        QCOMPARE(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY2(s.error_message().find("self-invite") != std::string::npos, s.error_message().c_str());
        const v1::InviteLink downstream = link(*stub, 900001);
        s = click(*stub, downstream.ref_code(), kInviter, "10.0.0.3", "dev-c", &token);
        QCOMPARE(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY2(s.error_message().find("cycle") != std::string::npos, s.error_message().c_str());

        // The new user may invite only 24 hours after registering: 23:59:59 no, 24:00:01 yes.
        clock.advance(ms(24h - 1s));
        makeActive(channel, 900001, clock.now());
        s = click(*stub, downstream.ref_code(), 900050, "10.0.1.1", "dev-x", &token);
        QCOMPARE(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY2(s.error_message().find("less than 24 hours") != std::string::npos, s.error_message().c_str());
        clock.advance(ms(2s));
        QVERIFY(click(*stub, downstream.ref_code(), 900050, "10.0.1.1", "dev-x", &token).ok());

        // At most 3 clicks per IP within any hour: the 4th is refused, and allowed after the hour.
        const TimePoint burst = clock.now();
        QVERIFY(click(*stub, l.ref_code(), 900101, "10.7.7.7", "d1", &token).ok());
        QVERIFY(click(*stub, l.ref_code(), 900102, "10.7.7.7", "d2", &token).ok());
        QVERIFY(click(*stub, l.ref_code(), 900103, "10.7.7.7", "d3", &token).ok());
        s = click(*stub, l.ref_code(), 900104, "10.7.7.7", "d4", &token);
        QCOMPARE(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
        QVERIFY2(s.error_message().find("10.7.7.7") != std::string::npos, s.error_message().c_str());
        clock.set(burst + 1h);
        QVERIFY(click(*stub, l.ref_code(), 900104, "10.7.7.7", "d4", &token).ok());

        // An expired token: 24 h and the 60 s leeway, and a second more.
        QVERIFY(click(*stub, l.ref_code(), 900200, "10.8.8.8", "e1", &token).ok());
        clock.advance(ms(24h + 61s));
        s = registerWith(*stub, token.token(), 900200);
        QCOMPARE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
        QVERIFY2(s.error_message().find("expired") != std::string::npos, s.error_message().c_str());

        // Every refusal is counted by its reason, and the funnel counts the steps.
        grpc::ClientContext streamContext;
        auto reader = stub->StreamFunnel(&streamContext, {});
        v1::FunnelSnapshot snapshot;
        QVERIFY(reader->Read(&snapshot));
        std::map<std::string, std::int64_t> refusals;
        for (const auto &r : snapshot.refusals())
            refusals[r.reason()] = r.count();
        QCOMPARE(refusals["ip_limit"], 1);
        QCOMPARE(refusals["self_invite"], 1);
        QCOMPARE(refusals["cycle"], 1);
        QCOMPARE(refusals["inviter_too_new"], 1);
        QCOMPARE(refusals["replayed_token"], 1);
        QCOMPARE(refusals["expired_token"], 1);
        QCOMPARE(refusals["invalid_token"], 2);
        bool found = false;
        for (const auto &row : snapshot.rows()) {
            if (row.campaign_id() == "spring" && row.channel() == "wechat") {
                found = true;
                QCOMPARE(row.clicks(), 8);
                QCOMPARE(row.registrations(), 1);
            }
        }
        QVERIFY(found);
        streamContext.TryCancel();
        backend->shutdown();
    }

    void listUsersIncludesUsersRegisteredThroughAnInvite()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        const auto [before, totalBefore] = [&] {
            auto backend = test::startBackend(dir, {}, 0, &clock);
            return allUsers(backend->inProcessChannel(), 10000);
        }();
        QCOMPARE(totalBefore, std::int64_t(before.size()));
        QVERIFY(before.front() > 50 && before.back() < 900001); // the new ones go first and last
        {
            auto backend = test::startBackend(dir, {}, 0, &clock);
            auto channel = backend->inProcessChannel();
            auto stub = v1::ReferralService::NewStub(channel);
            makeActive(channel, kInviter, T0);
            const std::string code = link(*stub, kInviter).ref_code();
            v1::InviteToken token;
            QVERIFY(click(*stub, code, 50, "10.0.0.1", "a", &token).ok());
            QVERIFY(registerWith(*stub, token.token(), 50).ok());
            QVERIFY(click(*stub, code, 900001, "10.0.0.2", "b", &token).ok());
            QVERIFY(registerWith(*stub, token.token(), 900001).ok());

            std::vector<std::int64_t> expected = before;
            expected.insert(expected.begin(), 50);
            expected.push_back(900001);
            for (const int pageSize : {10000, 7}) { // one page, and pages that end between the two kinds
                const auto [uids, total] = allUsers(channel, pageSize);
                QCOMPARE(total, totalBefore + 2);
                QCOMPARE(uids, expected);
            }
            // The invited user as registered.
            auto catalog = v1::CatalogService::NewStub(channel);
            grpc::ClientContext context;
            v1::ListUsersRequest request;
            request.set_limit(1);
            v1::ListUsersResponse response;
            QVERIFY(catalog->ListUsers(&context, request, &response).ok());
            QCOMPARE(response.users_size(), 1);
            QCOMPARE(response.users(0).uid(), std::int64_t(50));
            QCOMPARE(response.users(0).install_channel(), std::string("invite"));
            backend->shutdown();
        }
        // And after a restart, from the database.
        auto backend = test::startBackend(dir, {}, 0, &clock);
        const auto [uids, total] = allUsers(backend->inProcessChannel(), 10000);
        QCOMPARE(total, totalBefore + 2);
        QCOMPARE(uids.front(), std::int64_t(50));
        QCOMPARE(uids.back(), std::int64_t(900001));
    }

    void commissionsFollowOrdersAndSurviveARestart()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        std::string usedToken;
        std::int64_t first = 0;
        {
            auto backend = test::startBackend(dir, {}, 0, &clock);
            auto channel = backend->inProcessChannel();
            auto stub = v1::ReferralService::NewStub(channel);
            makeActive(channel, kInviter, T0);
            // kInviter → 900001 → 900002 (two levels).
            v1::InviteToken token;
            QVERIFY(click(*stub, link(*stub, kInviter).ref_code(), 900001, "10.0.0.1", "a", &token).ok());
            QVERIFY(registerWith(*stub, token.token(), 900001).ok());
            usedToken = token.token();
            clock.advance(ms(25h));
            makeActive(channel, 900001, clock.now());
            QVERIFY(click(*stub, link(*stub, 900001).ref_code(), 900002, "10.0.0.2", "b", &token).ok());
            v1::Registration registration;
            QVERIFY(registerWith(*stub, token.token(), 900002, &registration).ok());
            QCOMPARE(registration.level2_uid(), kInviter);

            const std::int64_t orderId = paidOrder(channel, 900002);
            QTRY_COMPARE_WITH_TIMEOUT(commissions(*stub).commissions_size(), 1, 5000);
            v1::Commission c = commissions(*stub).commissions(0);
            first = c.id();
            QCOMPARE(c.order_id(), orderId);
            QCOMPARE(c.level1_uid(), 900001);
            QCOMPARE(c.level2_uid(), kInviter);
            QCOMPARE(c.state(), v1::COMMISSION_STATE_PENDING);
            QCOMPARE(c.level1_amount().minor_units(), 0);

            // 32 clients review the same commission at once: exactly one succeeds.
            std::atomic<int> succeeded{0};
            std::vector<std::thread> clients;
            for (int t = 0; t < 32; ++t) {
                clients.emplace_back([&] {
                    if (transition(*stub, {first}, v1::COMMISSION_STATE_REVIEWING).results(0).ok())
                        ++succeeded;
                });
            }
            for (auto &client : clients)
                client.join();
            QCOMPARE(succeeded.load(), 1);
            QCOMPARE(commissions(*stub).commissions(0).state(), v1::COMMISSION_STATE_REVIEWING);
            auto r = transition(*stub, {first, 424242}, v1::COMMISSION_STATE_REVIEWING);
            QVERIFY(!r.results(0).ok()); // reviewing already
            QCOMPARE(r.results(0).commission().level1_amount().minor_units(),
                     (c.order_total().minor_units() * 1000 + 5000) / 10000);
            QVERIFY(!r.results(1).ok());
            QVERIFY2(r.results(1).error().find("no commission 424242") != std::string::npos,
                     r.results(1).error().c_str());
            r = transition(*stub, {first}, v1::COMMISSION_STATE_SETTLED);
            QVERIFY(!r.results(0).ok()); // reviewing → settled skips confirmed
            QCOMPARE(r.results(0).commission().state(), v1::COMMISSION_STATE_REVIEWING);
            QVERIFY(transition(*stub, {first}, v1::COMMISSION_STATE_CONFIRMED).results(0).ok());
            QVERIFY(transition(*stub, {first}, v1::COMMISSION_STATE_SETTLED).results(0).ok());
            r = transition(*stub, {first}, v1::COMMISSION_STATE_SETTLED);
            QVERIFY(!r.results(0).ok());
            QVERIFY2(r.results(0).error().find("settled") != std::string::npos, r.results(0).error().c_str());

            // A refund before settlement reverses the commission.
            const std::int64_t refunded = paidOrder(channel, 900002);
            QTRY_COMPARE_WITH_TIMEOUT(commissions(*stub).commissions_size(), 2, 5000);
            auto orders = v1::OrderService::NewStub(channel);
            grpc::ClientContext refundContext;
            v1::RefundOrderRequest refund;
            refund.set_order_id(refunded);
            v1::Order order;
            QVERIFY(orders->RefundOrder(&refundContext, refund, &order).ok());
            QTRY_COMPARE_WITH_TIMEOUT(commissions(*stub).commissions(0).state(), v1::COMMISSION_STATE_REVERSED, 5000);

            // The invite tree.
            grpc::ClientContext treeContext;
            v1::GetInviteTreeRequest treeRequest;
            treeRequest.set_uid(kInviter);
            v1::InviteTree tree;
            QVERIFY(stub->GetInviteTree(&treeContext, treeRequest, &tree).ok());
            QCOMPARE(tree.root().invitees_size(), 1);
            QCOMPARE(tree.root().invitees(0).uid(), 900001);
            QCOMPARE(tree.root().invitees(0).invitees(0).uid(), 900002);
            QCOMPARE(tree.root().invitees(0).invitees(0).paid_orders(), 2);
            QVERIFY(tree.root().commission_earned().minor_units() > 0); // level 2 of the settled one
            backend->shutdown();
        }
        {
            auto backend = test::startBackend(dir, {}, 0, &clock);
            auto stub = v1::ReferralService::NewStub(backend->inProcessChannel());
            // The used token stays used, and the ledger is as it was.
            clock.set(T0 + 1h); // the token has not expired
            const grpc::Status s = registerWith(*stub, usedToken, 900001);
            QCOMPARE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
            const auto list = commissions(*stub);
            QCOMPARE(list.commissions_size(), 2);
            QCOMPARE(list.commissions(1).id(), first);
            QCOMPARE(list.commissions(1).state(), v1::COMMISSION_STATE_SETTLED);
            QVERIFY(!transition(*stub, {first}, v1::COMMISSION_STATE_REVERSED).results(0).ok());
            grpc::ClientContext streamContext;
            auto reader = stub->StreamFunnel(&streamContext, {});
            v1::FunnelSnapshot snapshot;
            QVERIFY(reader->Read(&snapshot));
            std::int64_t firstOrders = 0;
            for (const auto &row : snapshot.rows())
                firstOrders += row.first_orders();
            QCOMPARE(firstOrders, 1);
            streamContext.TryCancel();
        }
    }

    // Refusals name enum values as the contract does, not by number.
    void refusalsNameEnumValues()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto stub = v1::ReferralService::NewStub(backend->inProcessChannel());
        {
            grpc::ClientContext context;
            v1::TransitionCommissionsRequest request;
            request.add_ids(1);
            request.set_to(v1::COMMISSION_STATE_PENDING);
            v1::TransitionCommissionsResponse ignored;
            const grpc::Status s = stub->TransitionCommissions(&context, request, &ignored);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QCOMPARE(s.error_message(), std::string("to must be REVIEWING, CONFIRMED, SETTLED or REVERSED, not "
                                                    "COMMISSION_STATE_PENDING"));
        }
        {
            grpc::ClientContext context;
            v1::ListCommissionsRequest request;
            request.add_states(v1::COMMISSION_STATE_UNSPECIFIED);
            v1::ListCommissionsResponse ignored;
            const grpc::Status s = stub->ListCommissions(&context, request, &ignored);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QCOMPARE(s.error_message(),
                     std::string("states must be commission states, not COMMISSION_STATE_UNSPECIFIED"));
        }
    }

    void programmeIsVersionedAndValidated()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto stub = v1::ReferralService::NewStub(backend->inProcessChannel());
        grpc::ClientContext context;
        v1::ProgramVersion current;
        QVERIFY(stub->GetProgram(&context, {}, &current).ok());
        QCOMPARE(current.version(), 1);
        QCOMPARE(current.program().max_clicks_per_ip_per_hour(), 3);

        v1::SaveProgramRequest save;
        save.set_base_version(1);
        *save.mutable_program() = current.program();
        save.mutable_program()->set_level1_rate_bp(1500);
        save.set_reason("spring campaign");
        v1::ProgramVersion saved;
        grpc::ClientContext saveContext;
        QVERIFY(stub->SaveProgram(&saveContext, save, &saved).ok());
        QCOMPARE(saved.version(), 2);
        QCOMPARE(saved.program().level1_rate_bp(), 1500);

        grpc::ClientContext staleContext;
        QCOMPARE(stub->SaveProgram(&staleContext, save, &saved).error_code(), grpc::StatusCode::ABORTED);
        save.set_base_version(2);
        save.mutable_program()->set_max_clicks_per_device_per_day(0);
        grpc::ClientContext badContext;
        const grpc::Status bad = stub->SaveProgram(&badContext, save, &saved);
        QCOMPARE(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(bad.error_message().find("max_clicks_per_device_per_day") != std::string::npos,
                 bad.error_message().c_str());
        save.mutable_program()->set_max_clicks_per_device_per_day(5);
        save.set_reason("");
        grpc::ClientContext noReason;
        QCOMPARE(stub->SaveProgram(&noReason, save, &saved).error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        std::string chinese; // 501 characters, 1,503 bytes
        for (int i = 0; i < 501; ++i)
            chinese += "\u6539"; // 改
        save.set_reason(chinese);
        grpc::ClientContext longReason;
        const grpc::Status tooLong = stub->SaveProgram(&longReason, save, &saved);
        QCOMPARE(tooLong.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QCOMPARE(tooLong.error_message(), std::string("reason is 501 characters long; at most 500 are allowed"));
        chinese.resize(chinese.size() - 3); // 500 characters: allowed
        save.set_reason(chinese);
        grpc::ClientContext longestReason;
        QVERIFY(stub->SaveProgram(&longestReason, save, &saved).ok());
        QCOMPARE(saved.reason(), chinese);

        grpc::ClientContext listContext;
        v1::ListProgramVersionsResponse versions;
        QVERIFY(stub->ListProgramVersions(&listContext, {}, &versions).ok());
        QCOMPARE(versions.versions_size(), 3);
        QCOMPARE(versions.versions(1).reason(), std::string("spring campaign"));
    }

    void aDemoDatabaseKeepsInvitesWithoutTheDemoOptions()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        test::startBackend(dir, {}, 0, &clock)->shutdown(); // seeded: creates test.sqlite.invite-secret
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("test.sqlite.invite-secret"))));
        BackendOptions options; // as `flywheeld --db test.sqlite`, without --seed-demo
        options.databasePath = dir.filePath(QStringLiteral("test.sqlite")).toStdString();
        options.clock = &clock;
        auto backend = Backend::start(options);
        auto channel = backend->inProcessChannel();
        auto stub = v1::ReferralService::NewStub(channel);
        makeActive(channel, kInviter, T0);
        v1::InviteToken token;
        const grpc::Status s = click(*stub, link(*stub, kInviter).ref_code(), 900001, "10.0.0.1", "d", &token);
        QVERIFY2(s.ok(), s.error_message().c_str());
        QVERIFY(registerWith(*stub, token.token(), 900001).ok());
    }

    void invitesAreOffWithoutASecretAndShortSecretsAreRefused()
    {
        QTemporaryDir dir;
        BackendOptions options;
        options.databasePath = dir.filePath(QStringLiteral("plain.sqlite")).toStdString();
        {
            auto backend = Backend::start(options);
            auto stub = v1::ReferralService::NewStub(backend->inProcessChannel());
            v1::InviteToken token;
            const grpc::Status s = click(*stub, "whatever", 5, "10.0.0.1", "d", &token);
            QCOMPARE(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
            QVERIFY2(s.error_message().find("--invite-secret-file") != std::string::npos, s.error_message().c_str());
        }
        const QString secret = dir.filePath(QStringLiteral("short.secret"));
        QFile file(secret);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("0123456789abcdef0123456789abcdef\n"); // 32 hex digits: 128 bits
        file.close();
        options.inviteSecretFile = secret.toStdString();
        const auto refusal = [&options]() -> std::string {
            try {
                Backend::start(options);
                return "started";
            } catch (const StartupError &e) {
                return e.what();
            }
        };
        // Others may read it (QFile creates files 0644 under the usual umask).
        QVERIFY(QFile::setPermissions(secret, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        std::string why = refusal();
        QVERIFY2(why.find("mode 0604") != std::string::npos && why.find("chmod 600 " + secret.toStdString()) !=
                                                                  std::string::npos,
                 why.c_str());
        QVERIFY(QFile::setPermissions(secret, QFile::ReadOwner | QFile::WriteOwner));
        why = refusal();
        QVERIFY2(why.find("32 hex digits, 128 bits; at least 256 bits (64 hex digits)") != std::string::npos,
                 why.c_str());
    }
};

QTEST_GUILESS_MAIN(TestReferralService)
#include "tst_referralservice.moc"
