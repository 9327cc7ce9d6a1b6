// The audit log over gRPC: every operator change made through the admin API is one
// entry, with who, what, before, after and why; the storefront's orders are not.

#include "TestSupport.h"

#include "domain/audit/ChainVerifier.h"
#include "storage/SqliteAuditReader.h"

#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/pricing.grpc.pb.h"
#include "flywheel/v1/referral.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QTemporaryDir>
#include <QTest>

using namespace flywheel;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z
constexpr std::int64_t kInviter = 100001;        // a demo user

void check(const grpc::Status &s, const char *what)
{
    if (!s.ok())
        qFatal("%s: %s", what, s.error_message().c_str());
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
    check(test::createOrder(*orders, request, &order), "CreateOrder");
    check(test::payOrder(*orders, order.order_id(), &order), "PayOrder");
    return order.order_id();
}

v1::ListCommissionsResponse commissions(v1::ReferralService::Stub &stub)
{
    grpc::ClientContext context;
    v1::ListCommissionsResponse response;
    check(stub.ListCommissions(&context, {}, &response), "ListCommissions");
    return response;
}

/// Earns kInviter a commission: 900001 registers through kInviter's link and pays.
void earnCommission(const std::shared_ptr<grpc::Channel> &channel)
{
    auto segments = v1::SegmentService::NewStub(channel);
    {
        v1::IngestEventsRequest request;
        v1::UserEvent *e = request.add_events();
        e->set_uid(kInviter);
        e->set_type("login");
        e->mutable_ts()->set_seconds(toEpochMs(T0) / 1000);
        grpc::ClientContext context;
        v1::IngestEventsResponse response;
        check(segments->IngestEvents(&context, request, &response), "IngestEvents");
    }
    auto referral = v1::ReferralService::NewStub(channel);
    v1::InviteLink link;
    {
        grpc::ClientContext context;
        v1::GetInviteLinkRequest request;
        request.set_uid(kInviter);
        request.set_campaign_id("spring");
        request.set_channel("wechat");
        check(referral->GetInviteLink(&context, request, &link), "GetInviteLink");
    }
    v1::InviteToken token;
    {
        grpc::ClientContext context;
        v1::ClickInviteRequest request;
        request.set_ref_code(link.ref_code());
        request.set_visitor_uid(900001);
        request.set_ip("10.0.0.1");
        request.set_device_fingerprint("a");
        check(referral->ClickInvite(&context, request, &token), "ClickInvite");
    }
    {
        grpc::ClientContext context;
        v1::RegisterWithInviteRequest request;
        request.set_token(token.token());
        request.set_uid(900001);
        v1::Registration registration;
        check(referral->RegisterWithInvite(&context, request, &registration), "RegisterWithInvite");
    }
    paidOrder(channel, 900001);
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

} // namespace

class TestAudit final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void everyOperatorChangeIsOneEntry()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, "127.0.0.1:0", 0, &clock);
        const std::string path = backend->databasePath();
        // Over TCP, so that the peer is a real address.
        auto channel =
            grpc::CreateChannel("127.0.0.1:" + std::to_string(backend->port()), grpc::InsecureChannelCredentials());
        auto pricing = v1::PricingService::NewStub(channel);
        auto segments = v1::SegmentService::NewStub(channel);
        auto referral = v1::ReferralService::NewStub(channel);
        auto orders = v1::OrderService::NewStub(channel);

        // The storefront's orders and the referral flow are not operator changes.
        earnCommission(channel);
        QTRY_COMPARE_WITH_TIMEOUT(commissions(*referral).commissions_size(), 1, 5000);
        const std::int64_t commissionId = commissions(*referral).commissions(0).id();
        const std::int64_t toRefund = paidOrder(channel, 100002);
        v1::Order toCancel;
        {
            v1::CreateOrderRequest request;
            request.set_uid(100003);
            auto *item = request.add_items();
            item->set_sku("ELE-1001");
            item->set_quantity(1);
            check(test::createOrder(*orders, request, &toCancel), "CreateOrder");
        }
        {
            // A buyer's cancellation (here the simulator's) is the storefront's too.
            v1::CreateOrderRequest request;
            request.set_uid(100004);
            auto *item = request.add_items();
            item->set_sku("ELE-1001");
            item->set_quantity(1);
            v1::Order created;
            check(test::createOrder(*orders, request, &created), "CreateOrder");
            grpc::ClientContext context;
            context.AddMetadata("flywheel-traffic", "simulated");
            v1::CancelOrderRequest cancel;
            cancel.set_order_id(created.order_id());
            check(orders->CancelOrder(&context, cancel, &created), "CancelOrder");
        }
        QCOMPARE(SqliteAuditReader::readChain(path).size(), std::size_t{0});

        // 1-3: pricing save, save, rollback.
        v1::RuleSetVersion ruleSet;
        for (int i = 1; i <= 2; ++i) {
            v1::SaveRuleSetRequest save;
            save.set_base_version(i - 1);
            save.set_reason(i == 1 ? "launch week" : "second week");
            v1::PricingRule *rule = save.add_rules();
            rule->set_id("launch");
            rule->set_name("Launch");
            rule->set_kind(v1::RULE_KIND_PERCENT_OFF);
            rule->set_enabled(true);
            rule->set_stackable(true);
            rule->set_percent_off_bp(i * 1000);
            grpc::ClientContext context;
            check(pricing->SaveRuleSet(&context, save, &ruleSet), "SaveRuleSet");
        }
        {
            v1::SaveRuleSetRequest stale; // refused: records nothing
            stale.set_base_version(1);
            stale.set_reason("too late");
            grpc::ClientContext context;
            QCOMPARE(pricing->SaveRuleSet(&context, stale, &ruleSet).error_code(), grpc::StatusCode::ABORTED);
        }
        {
            v1::RollbackRuleSetRequest rollback;
            rollback.set_to_version(1);
            rollback.set_reason("undo");
            grpc::ClientContext context;
            check(pricing->RollbackRuleSet(&context, rollback, &ruleSet), "RollbackRuleSet");
        }
        // 4-5: segments save and rollback.
        v1::SegmentSetVersion initial;
        {
            grpc::ClientContext context;
            check(segments->GetSegmentSet(&context, {}, &initial), "GetSegmentSet");
        }
        v1::SegmentSetVersion segmentSet;
        {
            v1::SaveSegmentSetRequest save;
            save.set_base_version(initial.version());
            for (const v1::Segment &s : initial.segments())
                *save.add_segments() = s;
            *save.mutable_policy() = initial.policy();
            save.mutable_policy()->set_holdout_percent(initial.policy().holdout_percent() + 5);
            save.set_reason("more holdout");
            grpc::ClientContext context;
            check(segments->SaveSegmentSet(&context, save, &segmentSet), "SaveSegmentSet");
        }
        {
            v1::RollbackSegmentSetRequest rollback;
            rollback.set_to_version(initial.version());
            rollback.set_reason("back again");
            grpc::ClientContext context;
            check(segments->RollbackSegmentSet(&context, rollback, &segmentSet), "RollbackSegmentSet");
        }
        // 6: the referral programme.
        v1::ProgramVersion program;
        {
            grpc::ClientContext context;
            check(referral->GetProgram(&context, {}, &program), "GetProgram");
            v1::SaveProgramRequest save;
            save.set_base_version(program.version());
            *save.mutable_program() = program.program();
            save.mutable_program()->set_level1_rate_bp(1500);
            save.set_reason("spring campaign");
            grpc::ClientContext saveContext;
            check(referral->SaveProgram(&saveContext, save, &program), "SaveProgram");
        }
        // 7: stock received.
        check(test::receiveStock(channel, "ELE-1001", 5), "ReceiveStock");
        // 8: a commission transition.
        {
            grpc::ClientContext context;
            v1::TransitionCommissionsRequest request;
            request.add_ids(commissionId);
            request.add_ids(987654321); // no such commission: not a change
            request.set_to(v1::COMMISSION_STATE_REVIEWING);
            v1::TransitionCommissionsResponse response;
            check(referral->TransitionCommissions(&context, request, &response), "TransitionCommissions");
            QVERIFY(response.results(0).ok());
            QVERIFY(!response.results(1).ok());
        }
        // 9-10: a refund and a cancellation.
        v1::Order order;
        {
            grpc::ClientContext context;
            v1::RefundOrderRequest refund;
            refund.set_order_id(toRefund);
            check(orders->RefundOrder(&context, refund, &order), "RefundOrder");
        }
        {
            grpc::ClientContext context;
            v1::CancelOrderRequest cancel;
            cancel.set_order_id(toCancel.order_id());
            check(orders->CancelOrder(&context, cancel, &order), "CancelOrder");
        }
        backend->shutdown();
        backend.reset();

        const std::vector<audit::Entry> entries = SqliteAuditReader::readChain(path);
        const audit::Verdict verdict = audit::verify(entries);
        QVERIFY2(verdict.intact(), verdict.message.c_str());
        QCOMPARE(entries.size(), std::size_t{10});
        for (const audit::Entry &e : entries) {
            QCOMPARE(e.actor.name, std::string("local"));
            QCOMPARE(e.actor.role, std::string("admin"));
            QVERIFY2(contains(e.actor.peer, "127.0.0.1:"), e.actor.peer.c_str());
            QCOMPARE(toEpochMs(e.at), toEpochMs(T0));
        }
        const auto expect = [&](std::size_t i, const char *area, const std::string &object, std::int64_t version) {
            QCOMPARE(entries[i].seq, std::int64_t(i + 1));
            QCOMPARE(entries[i].area, std::string(area));
            QCOMPARE(entries[i].object, object);
            QCOMPARE(entries[i].version, version);
        };
        expect(0, "pricing", "rule set", 1);
        QCOMPARE(entries[0].reason, std::string("launch week"));
        QCOMPARE(entries[0].before, std::string());
        QVERIFY2(contains(entries[0].after, "percent_off: 10"), entries[0].after.c_str());
        expect(1, "pricing", "rule set", 2);
        QCOMPARE(entries[1].before, entries[0].after);
        QVERIFY2(contains(entries[1].after, "percent_off: 20"), entries[1].after.c_str());
        expect(2, "pricing", "rule set", 3);
        QCOMPARE(entries[2].reason, std::string("undo (rollback to version 1)"));
        QCOMPARE(entries[2].before, entries[1].after);
        QCOMPARE(entries[2].after, entries[0].after);

        expect(3, "segments", "segment set", initial.version() + 1);
        QCOMPARE(entries[3].reason, std::string("more holdout"));
        QVERIFY(!entries[3].before.empty());
        QVERIFY(entries[3].before != entries[3].after);
        QVERIFY2(
            contains(entries[3].after, "holdout_percent: " + std::to_string(initial.policy().holdout_percent() + 5)),
            entries[3].after.c_str());
        expect(4, "segments", "segment set", initial.version() + 2);
        QVERIFY2(contains(entries[4].reason, "back again"), entries[4].reason.c_str());
        QCOMPARE(entries[4].before, entries[3].after);

        expect(5, "referral", "programme", program.version());
        QCOMPARE(entries[5].reason, std::string("spring campaign"));
        QVERIFY(!entries[5].before.empty());
        QVERIFY(entries[5].before != entries[5].after);

        expect(6, "inventory", "ELE-1001", 0);
        QVERIFY2(contains(entries[6].after, "\"quantity\":5"), entries[6].after.c_str());
        QVERIFY2(contains(entries[6].before, "\"received\":"), entries[6].before.c_str());

        expect(7, "commissions", "commission " + std::to_string(commissionId), 0);
        QCOMPARE(entries[7].before, std::string(R"({"state":"pending"})"));
        QCOMPARE(entries[7].after, std::string(R"({"state":"reviewing"})"));

        expect(8, "orders", "order " + std::to_string(toRefund), 0);
        QCOMPARE(entries[8].before, std::string(R"({"status":"paid"})"));
        QCOMPARE(entries[8].after, std::string(R"({"status":"refunded"})"));
        expect(9, "orders", "order " + std::to_string(toCancel.order_id()), 0);
        QCOMPARE(entries[9].before, std::string(R"({"status":"created"})"));
        QCOMPARE(entries[9].after, std::string(R"({"status":"cancelled"})"));
    }

    // A commission transition and its audit entry are one transaction: when the
    // entry cannot be appended, the transition is not stored either (and the call
    // says so); when it can, exactly one entry per stored transition.
    void aTransitionAndItsEntryAreStoredTogether()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        const std::string path = backend->databasePath();
        auto channel = backend->inProcessChannel();
        auto referral = v1::ReferralService::NewStub(channel);
        earnCommission(channel);
        QTRY_COMPARE_WITH_TIMEOUT(commissions(*referral).commissions_size(), 1, 5000);
        const std::int64_t commissionId = commissions(*referral).commissions(0).id();
        // Behind the backend's back: every audit append fails.
        QCOMPARE(test::execSql(path, "CREATE TRIGGER no_audit BEFORE INSERT ON audit_entries "
                                     "BEGIN SELECT RAISE(ABORT, 'the audit log is full'); END"),
                 std::string());
        const auto transition = [&] {
            grpc::ClientContext context;
            v1::TransitionCommissionsRequest request;
            request.add_ids(commissionId);
            request.set_to(v1::COMMISSION_STATE_REVIEWING);
            v1::TransitionCommissionsResponse response;
            check(referral->TransitionCommissions(&context, request, &response), "TransitionCommissions");
            return response.results(0);
        };
        const v1::TransitionResult refused = transition();
        QVERIFY(!refused.ok());
        QVERIFY2(contains(refused.error(), "could not be stored") && contains(refused.error(), "audit log is full"),
                 refused.error().c_str());
        QCOMPARE(refused.commission().state(), v1::COMMISSION_STATE_PENDING);
        QCOMPARE(commissions(*referral).commissions(0).state(), v1::COMMISSION_STATE_PENDING);
        QCOMPARE(test::execSql(path, "DROP TRIGGER no_audit"), std::string());

        const v1::TransitionResult stored = transition();
        QVERIFY2(stored.ok(), stored.error().c_str());
        QCOMPARE(stored.commission().state(), v1::COMMISSION_STATE_REVIEWING);
        backend->shutdown();
        backend.reset();
        const std::vector<audit::Entry> entries = SqliteAuditReader::readChain(path);
        QVERIFY(audit::verify(entries).intact());
        QCOMPARE(entries.size(), std::size_t{1});
        QCOMPARE(entries[0].area, std::string("commissions"));
        QCOMPARE(entries[0].before, std::string(R"({"state":"pending"})"));
        QCOMPARE(entries[0].after, std::string(R"({"state":"reviewing"})"));
    }
};

QTEST_GUILESS_MAIN(TestAudit)
#include "tst_audit.moc"
