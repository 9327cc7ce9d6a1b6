// The referral domain: click limits at their exact boundaries with an injected
// clock, the invite graph's self-invite and cycle checks, the commission state
// machine under 32 threads, rounding of commissions, programme validation, and the
// funnel against a hand-computed fixture.

#include "domain/referral/ClickLimiter.h"
#include "domain/referral/CommissionLedger.h"
#include "domain/referral/Funnel.h"
#include "domain/referral/InviteGraph.h"
#include "domain/referral/Program.h"

#include <QTest>

#include <atomic>
#include <barrier>
#include <thread>

using namespace flywheel;
using namespace flywheel::referral;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z

Commission pendingFor(std::int64_t orderId, std::int64_t total, std::int64_t level2 = 0)
{
    Commission c;
    c.orderId = orderId;
    c.buyerUid = 300;
    c.level1Uid = 200;
    c.level2Uid = level2;
    c.orderTotal = Money(total);
    c.level1RateBp = 1000;
    c.level2RateBp = 300;
    c.programVersion = 1;
    c.createdAt = T0;
    return c;
}

} // namespace

class TestReferral final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void ipLimitAtItsExactBoundaries()
    {
        ClickLimiter limiter;
        const ClickLimiter::Limits limits; // 3 per IP per hour, 5 per device per day
        QVERIFY(!limiter.admit("10.0.0.1", "d1", T0, limits));
        QVERIFY(!limiter.admit("10.0.0.1", "d2", T0 + 10min, limits));
        QVERIFY(!limiter.admit("10.0.0.1", "d3", T0 + 20min, limits));
        // The 4th within the hour is refused, up to the last millisecond of it.
        QCOMPARE(limiter.admit("10.0.0.1", "d4", T0 + 30min, limits), std::optional(Refusal::IpLimit));
        QCOMPARE(limiter.admit("10.0.0.1", "d4", T0 + 1h - 1ms, limits), std::optional(Refusal::IpLimit));
        QCOMPARE(limiter.ipCount("10.0.0.1", T0 + 1h - 1ms, 1h), 3);
        // Exactly an hour after the first, that one no longer counts.
        QVERIFY(!limiter.admit("10.0.0.1", "d4", T0 + 1h, limits));
        QCOMPARE(limiter.admit("10.0.0.1", "d5", T0 + 1h + 1s, limits), std::optional(Refusal::IpLimit));
        // Another IP is not affected.
        QVERIFY(!limiter.admit("10.0.0.2", "d6", T0 + 30min, limits));
    }

    void deviceLimitAtItsExactBoundaries()
    {
        ClickLimiter limiter;
        const ClickLimiter::Limits limits;
        for (int i = 0; i < 5; ++i)
            QVERIFY(!limiter.admit("192.168.0." + std::to_string(i), "phone", T0 + i * 1h, limits));
        QCOMPARE(limiter.admit("192.168.1.1", "phone", T0 + 23h, limits), std::optional(Refusal::DeviceLimit));
        // A refused click counts in neither window.
        QCOMPARE(limiter.ipCount("192.168.1.1", T0 + 23h, 1h), 0);
        QCOMPARE(limiter.admit("192.168.1.1", "phone", T0 + 24h - 1ms, limits), std::optional(Refusal::DeviceLimit));
        QVERIFY(!limiter.admit("192.168.1.1", "phone", T0 + 24h, limits));
        QCOMPARE(limiter.deviceCount("phone", T0 + 24h, 24h), 5);
        QVERIFY(limiter.purge(T0 + 72h, 24h) >= 6);
        QCOMPARE(limiter.deviceCount("phone", T0 + 72h, 24h), 0);
    }

    void limitsHoldUnderConcurrentClicks()
    {
        ClickLimiter limiter;
        ClickLimiter::Limits limits;
        limits.ipLimit = 100;
        limits.deviceLimit = 1000000;
        std::atomic<int> admitted{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 16; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 50; ++i) {
                    if (!limiter.admit("10.9.9.9", "d" + std::to_string(t * 100 + i), T0, limits))
                        ++admitted;
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(admitted.load(), 100);
    }

    void inviteGraphRefusesSelfInvitesAndCycles()
    {
        InviteGraph graph;
        QCOMPARE(graph.check(1, 1), std::optional(InviteGraph::Problem::SelfInvite));
        QVERIFY(!graph.bind(Binding{2, 1, T0, "c", "link", "j2"}));
        QVERIFY(!graph.bind(Binding{3, 2, T0, "c", "link", "j3"}));
        QCOMPARE(graph.inviterOf(3), 2);
        QCOMPARE(graph.inviterOf(1), 0);
        // 1 → 2 → 3: 3 inviting 1 would close a cycle, and so would 3 inviting 2.
        QCOMPARE(graph.check(1, 3), std::optional(InviteGraph::Problem::Cycle));
        QCOMPARE(graph.bind(Binding{2, 3, T0, "c", "link", "x"}), std::optional(InviteGraph::Problem::AlreadyBound));
        QCOMPARE(graph.check(1, 3), std::optional(InviteGraph::Problem::Cycle));
        QVERIFY(!graph.check(4, 3));
        QCOMPARE(graph.inviteesOf(1).size(), std::size_t{1});
        graph.unbind(3);
        QVERIFY(graph.inviteesOf(2).empty());
        QVERIFY(!graph.bindingOf(3));
    }

    void commissionsMoveThroughTheirStatesWithTheirAmounts()
    {
        CommissionLedger ledger;
        const auto created = ledger.create(pendingFor(10, 12345, 100));
        QVERIFY(created);
        QVERIFY(!ledger.create(pendingFor(10, 12345, 100))); // one per order
        QCOMPARE(created->level1Amount, Money(0));
        const std::int64_t id = created->id;

        auto r = ledger.transition(id, CommissionState::Reviewing, T0 + 1h);
        QVERIFY(r.ok());
        QCOMPARE(r.value().level1Amount, Money(1235)); // 1234.5 rounds half away from zero
        QCOMPARE(r.value().level2Amount, Money(0));
        r = ledger.transition(id, CommissionState::Confirmed, T0 + 2h);
        QVERIFY(r.ok());
        QCOMPARE(r.value().level2Amount, Money(370)); // 370.35
        CommissionState from = CommissionState::Pending;
        r = ledger.transition(id, CommissionState::Settled, T0 + 3h, &from);
        QVERIFY(r.ok());
        QCOMPARE(from, CommissionState::Confirmed);
        QCOMPARE(r.value().updatedAt, T0 + 3h);

        // Settled is final; nothing changes.
        const Commission settled = *ledger.find(id);
        for (const auto to : {CommissionState::Settled, CommissionState::Reversed, CommissionState::Reviewing,
                              CommissionState::Confirmed}) {
            const auto refused = ledger.transition(id, to, T0 + 4h);
            QVERIFY(!refused.ok());
            QCOMPARE(refused.error().code, ErrorCode::FailedPrecondition);
            QVERIFY2(refused.error().message.find("settled") != std::string::npos, refused.error().message.c_str());
        }
        QCOMPARE(*ledger.find(id), settled);
        QCOMPARE(ledger.transition(id, CommissionState::Pending, T0).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(ledger.transition(999, CommissionState::Reviewing, T0).error().code, ErrorCode::NotFound);
    }

    void illegalTransitionsAreRefusedAndChangeNothing()
    {
        CommissionLedger ledger;
        const std::int64_t id = ledger.create(pendingFor(11, 10000))->id;
        const Commission before = *ledger.find(id);
        for (const auto to : {CommissionState::Settled, CommissionState::Confirmed}) {
            const auto r = ledger.transition(id, to, T0);
            QVERIFY(!r.ok());
            QVERIFY2(r.error().message.find("cannot go to") != std::string::npos, r.error().message.c_str());
        }
        QCOMPARE(*ledger.find(id), before);
        QVERIFY(ledger.transition(id, CommissionState::Reviewing, T0).ok());
        const auto again = ledger.transition(id, CommissionState::Reviewing, T0);
        QVERIFY(!again.ok());
        QVERIFY2(again.error().message.find("reviewing already") != std::string::npos, again.error().message.c_str());
        // A refund before settlement reverses it: nothing owed, and final.
        const auto reversed = ledger.transition(id, CommissionState::Reversed, T0);
        QVERIFY(reversed.ok());
        QCOMPARE(reversed.value().level1Amount, Money(0));
        QVERIFY(!ledger.transition(id, CommissionState::Reviewing, T0).ok());
        // Without a level-2 user, confirming adds nothing.
        const std::int64_t lone = ledger.create(pendingFor(12, 10000))->id;
        QVERIFY(ledger.transition(lone, CommissionState::Reviewing, T0).ok());
        QCOMPARE(ledger.transition(lone, CommissionState::Confirmed, T0).value().level2Amount, Money(0));
    }

    void thirtyTwoThreadsTransitionOnceEach()
    {
        CommissionLedger ledger;
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 200; ++i)
            ids.push_back(ledger.create(pendingFor(100 + i, 999, 7))->id);
        for (const auto to : {CommissionState::Reviewing, CommissionState::Confirmed, CommissionState::Settled}) {
            std::atomic<int> succeeded{0};
            std::atomic<int> refused{0};
            std::barrier start(32);
            std::vector<std::thread> threads;
            for (int t = 0; t < 32; ++t) {
                threads.emplace_back([&] {
                    start.arrive_and_wait();
                    for (const std::int64_t id : ids) {
                        if (ledger.transition(id, to, T0).ok())
                            ++succeeded;
                        else
                            ++refused;
                    }
                });
            }
            for (auto &thread : threads)
                thread.join();
            QCOMPARE(succeeded.load(), 200); // exactly one per commission
            QCOMPARE(refused.load(), 31 * 200);
        }
        const auto totals = ledger.totals();
        QCOMPARE(totals.at(CommissionState::Settled).count, 200);
        QCOMPARE(totals.at(CommissionState::Settled).level1, Money(200 * 100)); // 99.9 → 100 each
        QCOMPARE(totals.at(CommissionState::Settled).level2, Money(200 * 30));  // 29.97 → 30 each
        QCOMPARE(ledger.earnedBy(7), Money(200 * 30));
    }

    void listingFiltersAndPages()
    {
        CommissionLedger ledger;
        for (int i = 0; i < 10; ++i)
            ledger.create(pendingFor(500 + i, 1000, i % 2 == 0 ? 42 : 0));
        QVERIFY(ledger.transition(3, CommissionState::Reviewing, T0).ok());
        CommissionLedger::Filter filter;
        filter.limit = 4;
        auto page = ledger.list(filter);
        QCOMPARE(page.size(), std::size_t{4});
        QCOMPARE(page.front().id, 10);
        filter.beforeId = page.back().id;
        page = ledger.list(filter);
        QCOMPARE(page.front().id, 6);
        filter = {};
        filter.states = {CommissionState::Reviewing};
        QCOMPARE(ledger.list(filter).size(), std::size_t{1});
        filter = {};
        filter.uid = 42;
        QCOMPARE(ledger.list(filter).size(), std::size_t{5});
    }

    void programmesAreValidatedNamingTheField()
    {
        QVERIFY(!validate(Program{}));
        Program p;
        p.level1RateBp = 6000;
        QVERIFY2(validate(p)->find("level1_rate_bp") == 0, validate(p)->c_str());
        p = {};
        p.level1RateBp = 4000;
        p.level2RateBp = 2000;
        QVERIFY2(validate(p)->find("together") != std::string::npos, validate(p)->c_str());
        p = {};
        p.maxClicksPerIpPerHour = 0;
        QVERIFY2(validate(p)->find("max_clicks_per_ip_per_hour must be from 1 to 1000") == 0, validate(p)->c_str());
        p = {};
        p.inviterReward = Money(-1);
        QVERIFY2(validate(p)->find("inviter_reward") == 0, validate(p)->c_str());
        p = {};
        p.clockLeewaySeconds = 301;
        QVERIFY(validate(p));
        QCOMPARE(commissionFor(Money(5), 1000), Money(1)); // 0.5 → 1
        QCOMPARE(commissionFor(Money(4), 1000), Money(0));
        QCOMPARE(commissionFor(Money(std::numeric_limits<std::int64_t>::max()), 5000),
                 Money(std::numeric_limits<std::int64_t>::max() / 2 + 1));
    }

    void funnelMatchesAHandComputedFixture()
    {
        Funnel funnel;
        // spring/wechat: 10 shares, 6 clicks, 3 registrations, 1 first order.
        funnel.record(FunnelStep::Share, "spring", "wechat", 10);
        for (int i = 0; i < 6; ++i)
            funnel.record(FunnelStep::Click, "spring", "wechat");
        funnel.record(FunnelStep::Register, "spring", "wechat", 3);
        funnel.record(FunnelStep::FirstOrder, "spring", "wechat");
        // spring/sms: clicks without shares recorded.
        funnel.record(FunnelStep::Click, "spring", "sms", 4);
        funnel.record(FunnelStep::Register, "spring", "sms", 4);
        const auto rows = funnel.rows();
        QCOMPARE(rows.size(), std::size_t{2});
        QCOMPARE(rows[0].channel, std::string("sms"));
        QCOMPARE(rows[1].count(FunnelStep::Share), 10);
        QCOMPARE(rows[1].count(FunnelStep::Click), 6);
        QVERIFY(!rows[1].conversion(FunnelStep::Share));
        QCOMPARE(*rows[1].conversion(FunnelStep::Click), 0.6);
        QCOMPARE(*rows[1].conversion(FunnelStep::Register), 0.5);
        QCOMPARE(*rows[1].conversion(FunnelStep::FirstOrder), 1.0 / 3.0);
        QVERIFY(!rows[0].conversion(FunnelStep::Click)); // no shares: no conversion, not infinity
        QCOMPARE(*rows[0].conversion(FunnelStep::Register), 1.0);

        funnel.refuse(Refusal::IpLimit, T0);
        funnel.refuse(Refusal::IpLimit, T0 + 30s);
        funnel.refuse(Refusal::Cycle, T0 + 61s);
        QCOMPARE(funnel.refusals()[static_cast<std::size_t>(Refusal::IpLimit)], 2);
        const auto recent = funnel.recentRefusals(T0 + 2min);
        QCOMPARE(recent.size(), std::size_t{60});
        QCOMPARE(recent[57].counts[static_cast<std::size_t>(Refusal::IpLimit)], 2);
        QCOMPARE(recent[58].counts[static_cast<std::size_t>(Refusal::Cycle)], 1);
        QCOMPARE(recent[59].counts[static_cast<std::size_t>(Refusal::Cycle)], 0);

        // Changes are handed out once, and can be put back.
        auto changes = funnel.takeChanges();
        QCOMPARE(changes.steps.size(), std::size_t{6});
        QCOMPARE((changes.steps.at({"spring", "wechat", FunnelStep::Click})), 6);
        QCOMPARE(changes.refusals.size(), std::size_t{2});
        QVERIFY(funnel.takeChanges().empty());
        funnel.returnChanges(changes);
        QCOMPARE(funnel.takeChanges().steps.size(), std::size_t{6});
    }
};

QTEST_GUILESS_MAIN(TestReferral)
#include "tst_referral.moc"
