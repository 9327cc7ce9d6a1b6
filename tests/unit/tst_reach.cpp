#include "domain/segments/ProfileStore.h"
#include "domain/segments/ReachDecider.h"

#include <QTest>

#include <thread>

using namespace flywheel;
using namespace flywheel::segments;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z

Segment segment(std::string id, std::string expression, int priority = 0, int capCount = 1,
                CapPeriod period = CapPeriod::Day, std::vector<Channel> channels = {Channel::Push})
{
    return Segment{id, "Segment " + id, std::move(expression), priority, capCount, period, std::move(channels), true};
}

std::shared_ptr<const CompiledSegmentSet> compiled(SegmentSet set, Dictionary &dictionary)
{
    auto result = compileSegmentSet(std::move(set), 7, dictionary);
    if (!result.ok())
        qFatal("%s", result.error().message.c_str());
    return result.value();
}

Profile payer(std::int64_t uid, int payCount)
{
    Profile p;
    p.uid = uid;
    p.registered = true;
    p.registeredDay = dayOf(T0);
    p.lastActiveDay = dayOf(T0);
    p.activeDays = 1;
    p.payCount = payCount;
    p.paid = payCount > 0;
    return p;
}

std::string compileError(SegmentSet set)
{
    Dictionary dictionary;
    const auto result = compileSegmentSet(std::move(set), 1, dictionary);
    return result.ok() ? std::string() : result.error().message;
}

} // namespace

class TestReach final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void segmentsAreTriedByPriority()
    {
        Dictionary dictionary;
        ManualClock clock(T0);
        ReachDecider decider(clock);
        SegmentSet set;
        set.segments = {segment("low", "pay_count >= 1", 1), segment("high", "pay_count >= 3", 5),
                        segment("tie", "pay_count >= 1", 1)};
        const auto s = compiled(set, dictionary);
        QCOMPARE(s->ordered.size(), std::size_t(3));
        QCOMPARE(s->ordered[0].first->id, std::string("high"));
        QCOMPARE(s->ordered[1].first->id, std::string("low")); // ties keep their order
        QCOMPARE(decider.decide(*s, payer(1, 5), false).segmentId, std::string("high"));
        QCOMPARE(decider.decide(*s, payer(1, 1), false).segmentId, std::string("low"));
        const ReachDecision none = decider.decide(*s, payer(1, 0), false);
        QCOMPARE(none.outcome, ReachOutcome::NoSegment);
        QCOMPARE(none.reason, std::string("a seed user that no enabled segment matches"));
        QCOMPARE(none.setVersion, std::int64_t(7));

        set.segments[1].enabled = false;
        QCOMPARE(decider.decide(*compiled(set, dictionary), payer(1, 5), false).segmentId, std::string("low"));
    }

    void nonSeedUsersGetTheGenericStrategy()
    {
        Dictionary dictionary;
        ManualClock clock(T0 + 10 * 24h);
        ReachDecider decider(clock);
        SegmentSet set;
        set.policy.seedExpression = "days_since_reg <= 7";
        set.segments = {segment("all", "pay_count >= 0")};
        const auto s = compiled(set, dictionary);
        const ReachDecision d = decider.decide(*s, payer(1, 0), true);
        QCOMPARE(d.outcome, ReachOutcome::Generic);
        QCOMPARE(d.reason, std::string("not a seed user (days_since_reg <= 7 is false): the generic strategy applies"));
        clock.set(T0 + 7 * 24h);
        QCOMPARE(decider.decide(*s, payer(1, 0), true).outcome, ReachOutcome::Reach);
    }

    void frequencyCapsAtTheirExactBoundaries()
    {
        Dictionary dictionary;
        ManualClock clock(T0);
        ReachDecider decider(clock);
        SegmentSet set;
        set.segments = {segment("d", "pay_count >= 1", 0, 2, CapPeriod::Day, {Channel::Push, Channel::InApp})};
        const auto s = compiled(set, dictionary);
        const Profile p = payer(42, 1);

        // Two pushes a day, then in-app twice, then capped.
        for (const Channel expected : {Channel::Push, Channel::Push, Channel::InApp, Channel::InApp}) {
            const ReachDecision d = decider.decide(*s, p, true);
            QCOMPARE(d.outcome, ReachOutcome::Reach);
            QCOMPARE(*d.channel, expected);
            clock.advance(1min);
        }
        ReachDecision d = decider.decide(*s, p, true);
        QCOMPARE(d.outcome, ReachOutcome::Capped);
        QCOMPARE(d.reason, std::string("segment d matched; every channel is capped (push, in_app: 2 per day)"));
        // A preview (commit false) changes nothing.
        clock.set(T0 + 24h);
        QCOMPARE(decider.decide(*s, p, false).channel, std::optional(Channel::Push));
        // One millisecond before a day after the first push: still capped.
        clock.set(T0 + 24h - 1ms);
        QCOMPARE(decider.decide(*s, p, true).outcome, ReachOutcome::Capped);
        // Exactly a day after the first push (sent at T0) it no longer counts.
        clock.set(T0 + 24h);
        d = decider.decide(*s, p, true);
        QCOMPARE(d.outcome, ReachOutcome::Reach);
        QCOMPARE(*d.channel, Channel::Push);
        QCOMPARE(d.reason, std::string("segment d matched; push allowed"));
        // The second push (T0 + 1 min) and both in-app messages (T0 + 2 and 3 min) still count.
        QCOMPARE(decider.decide(*s, p, true).outcome, ReachOutcome::Capped);
        clock.set(T0 + 24h + 2min);
        QCOMPARE(decider.decide(*s, p, true).channel, std::optional(Channel::Push));
        QCOMPARE(decider.decide(*s, p, true).channel, std::optional(Channel::InApp));

        // Weekly caps, and deliveries remembered from storage count as well.
        SegmentSet weekly;
        weekly.segments = {segment("w", "pay_count >= 1", 0, 1, CapPeriod::Week)};
        const auto w = compiled(weekly, dictionary);
        ReachDecider restarted(clock);
        restarted.remember(Delivery{42, "w", Channel::Push, clock.now() - 7 * 24h + 1ms});
        QCOMPARE(restarted.decide(*w, p, true).outcome, ReachOutcome::Capped);
        clock.advance(1ms);
        QCOMPARE(restarted.decide(*w, p, true).outcome, ReachOutcome::Reach);
        QCOMPARE(restarted.decide(*w, p, true).outcome, ReachOutcome::Capped);
        // Another user, another segment: separate caps.
        QCOMPARE(restarted.decide(*w, payer(43, 1), true).outcome, ReachOutcome::Reach);
        clock.advance(std::chrono::duration_cast<Milliseconds>(7 * 24h));
        QCOMPARE(restarted.prune(), std::size_t(3));
    }

    void rateLimitAtItsExactBoundaries()
    {
        Dictionary dictionary;
        ManualClock clock(T0);
        ReachDecider decider(clock);
        SegmentSet set;
        set.policy.rateLimitPerSecond = 4;
        set.segments = {segment("all", "pay_count >= 0", 0, 100)};
        const auto s = compiled(set, dictionary);
        for (int uid = 1; uid <= 4; ++uid)
            QCOMPARE(decider.decide(*s, payer(uid, 0), true).outcome, ReachOutcome::Reach);
        ReachDecision d = decider.decide(*s, payer(5, 0), true);
        QCOMPARE(d.outcome, ReachOutcome::RateLimited);
        QCOMPARE(d.reason, std::string("segment all matched; the limit of 4 messages per second is reached"));
        clock.advance(249ms); // a token every 250 ms
        QCOMPARE(decider.decide(*s, payer(5, 0), true).outcome, ReachOutcome::RateLimited);
        clock.advance(1ms);
        QCOMPARE(decider.decide(*s, payer(5, 0), true).outcome, ReachOutcome::Reach);
        QCOMPARE(decider.decide(*s, payer(6, 0), true).outcome, ReachOutcome::RateLimited);
        clock.advance(10s); // the bucket holds one second's worth, no more
        for (int uid = 10; uid < 14; ++uid)
            QCOMPARE(decider.decide(*s, payer(uid, 0), true).outcome, ReachOutcome::Reach);
        QCOMPARE(decider.decide(*s, payer(14, 0), true).outcome, ReachOutcome::RateLimited);
    }

    void holdoutIsAStableShareOfUsers()
    {
        Dictionary dictionary;
        ManualClock clock(T0);
        ReachDecider decider(clock);
        SegmentSet set;
        set.policy.holdoutPercent = 10;
        set.segments = {segment("all", "pay_count >= 0", 0, 100)};
        const auto s = compiled(set, dictionary);
        int held = 0;
        for (int uid = 1; uid <= 20000; ++uid) {
            const ReachDecision d = decider.decide(*s, payer(uid, 0), false);
            QCOMPARE(d.outcome == ReachOutcome::HeldOut, heldOut(uid, 10));
            held += d.outcome == ReachOutcome::HeldOut ? 1 : 0;
        }
        QVERIFY2(held > 1800 && held < 2200, std::to_string(held).c_str());
        QVERIFY(!heldOut(12345, 0));
        for (int uid = 1; uid < 1000; ++uid)
            QVERIFY(!heldOut(uid, 5) || heldOut(uid, 10)); // a larger holdout contains a smaller one
    }

    void capsHoldUnderConcurrentDecisions()
    {
        Dictionary dictionary;
        ManualClock clock(T0);
        ReachDecider decider(clock);
        SegmentSet set;
        set.segments = {segment("all", "pay_count >= 0", 0, 3, CapPeriod::Day, {Channel::Push, Channel::Sms})};
        const auto s = compiled(set, dictionary);
        std::atomic<int> reached{0};
        {
            std::vector<std::jthread> threads;
            for (int t = 0; t < 8; ++t) {
                threads.emplace_back([&] {
                    for (int i = 0; i < 200; ++i) {
                        if (decider.decide(*s, payer(1 + i % 10, 0), true).outcome == ReachOutcome::Reach)
                            ++reached;
                    }
                });
            }
        }
        QCOMPARE(reached.load(), 10 * 6); // 10 users, 3 pushes and 3 SMS each
    }

    void invalidSetsNameTheSegmentAndField()
    {
        QCOMPARE(compileError({{segment("Bad Id", "pay_count > 1")}, {}}),
                 std::string("segment 1 ('Bad Id'): the id must be 1-64 characters of a-z, 0-9, _ and -"));
        QCOMPARE(compileError({{segment("", "pay_count > 1")}, {}}),
                 std::string("segment 1: the id must be 1-64 characters of a-z, 0-9, _ and -"));
        Segment unnamed = segment("a", "pay_count > 1");
        unnamed.name.clear();
        QCOMPARE(compileError({{unnamed}, {}}), std::string("segment 1 ('a'): the name must be 1-200 characters"));
        QCOMPARE(compileError({{segment("a", "pay_count > 1", 0, 0)}, {}}),
                 std::string("segment 1 ('a'): the frequency cap must be 1 to 100 messages per day, not 0"));
        QCOMPARE(
            compileError({{segment("a", "pay_count > 1", 0, 1, CapPeriod::Week, {Channel::Sms, Channel::Sms})}, {}}),
            std::string("segment 1 ('a'): channel sms is listed twice"));
        QVERIFY(compileError({{segment("a", "pay_count >")}, {}})
                    .starts_with("segment 1 ('a'): expression line 1, column "));
        QVERIFY(compileError({{}, {"tag.x >", 0, 0}}).starts_with("seed user expression: line 1, column "));
        QCOMPARE(compileError({{}, {"", 51, 0}}), std::string("holdout must be 0 to 50 percent, not 51"));
        QCOMPARE(compileError({{}, {"", 0, -1}}),
                 std::string("the rate limit must be 0 (none) to 1000000 messages per second, not -1"));
        QCOMPARE(compileError({{segment("a", "pay_count > 1")}, {}}), std::string());
    }
};

QTEST_GUILESS_MAIN(TestReach)
#include "tst_reach.moc"
