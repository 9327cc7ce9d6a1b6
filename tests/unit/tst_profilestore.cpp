#include "domain/segments/ProfileStore.h"

#include <QTest>

#include <thread>

using namespace flywheel;
using namespace flywheel::segments;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z
const Day D0 = dayOf(T0);

UserEvent userEvent(std::int64_t uid, std::string type, TimePoint at,
                    std::vector<std::pair<std::string, double>> props = {},
                    std::vector<std::pair<std::string, std::string>> attrs = {})
{
    return UserEvent{uid, std::move(type), at, std::move(props), std::move(attrs)};
}

std::string applyError(ProfileStore &store, const UserEvent &e)
{
    const auto r = store.apply(std::span(&e, 1));
    return r.ok() ? std::string() : r.error().message;
}

} // namespace

class TestProfileStore final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void registrationPaymentsAndAttributes()
    {
        ProfileStore store;
        const std::vector<UserEvent> events = {
            userEvent(7, "register", T0 + 3h, {},
                      {{"device", "ios"}, {"region", "CN-31"}, {"install_channel", "app_store"}}),
            userEvent(7, "pay", T0 + 2 * 24h, {{"amount_minor", 1999}}),
            userEvent(7, "pay", T0 + 2 * 24h + 1min),
            userEvent(7, "login", T0 + 2 * 24h, {{"depth", 5}}),
            userEvent(7, "session", T0 + 24h, {{"depth", 9}}), // older session: depth stays 5
        };
        QVERIFY(store.apply(events).ok());
        const auto p = store.find(7);
        QVERIFY(p.has_value());
        QCOMPARE(p->payCount, 2);
        QVERIFY(p->registered);
        QVERIFY(p->keyPathComplete());
        QCOMPARE(p->registeredDay, D0);
        QCOMPARE(p->daysSinceRegistration(D0 + 3), 3);
        QCOMPARE(p->sessionDepth, 5);
        QCOMPARE(store.dictionary().text(p->device), std::string("ios"));
        QCOMPARE(store.dictionary().text(p->region), std::string("CN-31"));
        QCOMPARE(store.dictionary().text(p->installChannel), std::string("app_store"));
        QVERIFY(!store.find(8).has_value());
    }

    void activeDaysAreASetOfDays()
    {
        ProfileStore store;
        // Out of order, with repeats: days D0, D0+2, D0+5 and one 40 days back (outside the window).
        for (const auto offset : {5, 0, 2, 5, -40, 0})
            QVERIFY(store.apply(std::vector{userEvent(1, "view", T0 + offset * 24h + 1h)}).ok());
        const auto p = store.find(1);
        QCOMPARE(p->lastActiveDay, D0 + 5);
        QCOMPARE(p->lastActiveDays(D0 + 5), 0);
        QCOMPARE(p->lastActiveDays(D0 + 12), 7);
        QCOMPARE(p->activeDaysLast7(D0 + 5), 3); // D0-1..D0+5 holds D0, D0+2, D0+5
        QCOMPARE(p->activeDaysLast7(D0 + 7), 2); // D0+1..D0+7 holds D0+2, D0+5
        QCOMPARE(p->activeDaysLast7(D0 + 11), 1);
        QCOMPARE(p->activeDaysLast7(D0 + 12), 0);
        QVERIFY(!p->registered);
        QCOMPARE(p->registeredDay, D0 - 40); // first seen, until a register event says otherwise
    }

    void tagWeightsDecay()
    {
        ProfileStore store(ProfileOptions{0.5});
        QVERIFY(store.apply(std::vector{userEvent(1, "share", T0, {{"tag.sports", 1.0}})}).ok());
        QVERIFY(store.apply(std::vector{userEvent(1, "share", T0, {{"tag.sports", 1.0}, {"tag.books", 0.25}})}).ok());
        QVERIFY(store.apply(std::vector{userEvent(1, "view", T0, {{"tag.sports", 0.0}})}).ok());
        const auto p = store.find(1);
        const auto sports = store.dictionary().find("sports");
        const auto books = store.dictionary().find("books");
        // absent → 1.0; 1.0 * 0.5 + 1.0 = 1.5; 1.5 * 0.5 + 0 = 0.75
        QCOMPARE(p->tag(sports), 0.75);
        QCOMPARE(p->tag(books), 0.25);
        QCOMPARE(p->tag(store.dictionary().intern("never")), 0.0);

        ProfileStore standard;
        double expected = 0;
        for (int i = 0; i < 20; ++i) {
            QVERIFY(standard.apply(std::vector{userEvent(2, "view", T0, {{"tag.tech", 0.1}})}).ok());
            expected = i == 0 ? 0.1 : expected * 0.95 + 0.1;
        }
        QCOMPARE(standard.find(2)->tag(standard.dictionary().find("tech")), expected);
    }

    void badEventsAreRefusedWithTheReasonAndChangeNothing()
    {
        ProfileStore store;
        QCOMPARE(applyError(store, userEvent(0, "login", T0)),
                 std::string("event 0: uid must be a positive user id, not 0"));
        QCOMPARE(applyError(store, userEvent(1, "logn", T0)),
                 std::string("event 0: unknown event type 'logn' (expected register, login, session, pay, share, "
                             "click, level_up or view)"));
        QCOMPARE(applyError(store, userEvent(1, "login", TimePoint{})),
                 std::string("event 0: the event's time ts must be after 1970-01-01T00:00:00Z"));
        QCOMPARE(applyError(store, userEvent(1, "login", T0, {{"tag.Sports", 1}})),
                 std::string("event 0: tag name 'Sports' must be 1-64 characters of a-z, 0-9 and _"));
        QCOMPARE(applyError(store, userEvent(1, "login", T0, {{"tag.", 1}})),
                 std::string("event 0: tag name '' must be 1-64 characters of a-z, 0-9 and _"));
        QCOMPARE(applyError(store, userEvent(1, "login", T0, {{"tag.x", std::nan("")}})),
                 std::string("event 0: property 'tag.x' is not a finite number"));
        QCOMPARE(applyError(store, userEvent(1, "pay", T0, {{"depth", 3}})),
                 std::string("event 0: property 'depth' belongs to login and session events, not 'pay'"));
        QCOMPARE(applyError(store, userEvent(1, "login", T0, {{"depth", 2.5}})),
                 std::string("event 0: depth must be a whole number of pages from 0 to 1000000"));
        QCOMPARE(applyError(store, userEvent(1, "login", T0, {{"colour", 1}})),
                 std::string("event 0: unknown property 'colour' (expected tag.NAME, depth or amount_minor)"));
        QCOMPARE(applyError(store, userEvent(1, "login", T0, {}, {{"os", "ios"}})),
                 std::string("event 0: unknown attribute 'os' (expected device, region or install_channel)"));
        QCOMPARE(applyError(store, userEvent(1, "login", T0, {}, {{"device", ""}})),
                 std::string("event 0: attribute 'device' must be 1-64 characters"));
        QCOMPARE(store.size(), std::size_t(0));

        // One bad event in a batch: the whole batch is refused, naming its index.
        const std::vector<UserEvent> batch = {userEvent(1, "pay", T0), userEvent(2, "pay", T0),
                                              userEvent(3, "pai", T0)};
        const auto r = store.apply(batch);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, ErrorCode::InvalidArgument);
        QVERIFY(r.error().message.starts_with("event 2: unknown event type 'pai'"));
        QCOMPARE(store.size(), std::size_t(0));
        QVERIFY(!store.find(1).has_value());
    }

    void concurrentEventsForTheSameUsersLoseNothing()
    {
        // Each thread sends events for every user, with its own tag, so the order within
        // a tag is the thread's order and the final profiles are those of a sequential
        // replay, thread after thread.
        constexpr int kThreads = 8;
        constexpr int kUsers = 50;
        constexpr int kRounds = 200;
        const auto eventsOf = [&](int thread) {
            std::vector<UserEvent> events;
            for (int round = 0; round < kRounds; ++round) {
                for (int u = 1; u <= kUsers; ++u) {
                    const std::string tag = "tag.t" + std::to_string(thread);
                    events.push_back(userEvent(u, round % 3 == 0 ? "pay" : "view",
                                               T0 + std::chrono::hours((round * 7 + thread) % 240),
                                               {{tag, 0.01 * (round % 10)}}));
                }
            }
            return events;
        };
        ProfileStore concurrent;
        {
            std::vector<std::jthread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([&, t] {
                    const auto events = eventsOf(t);
                    for (std::size_t i = 0; i < events.size(); i += 7) // batches of 7
                        QVERIFY(
                            concurrent.apply(std::span(events).subspan(i, std::min<std::size_t>(7, events.size() - i)))
                                .ok());
                });
            }
            // Scans while events arrive see whole profiles only.
            for (int scan = 0; scan < 20; ++scan) {
                concurrent.forEach([](const Profile &p) {
                    [&] { QVERIFY(p.payCount >= 0 && p.uid > 0); }();
                    return true;
                });
            }
        }
        ProfileStore sequential;
        for (int t = 0; t < kThreads; ++t)
            QVERIFY(sequential.apply(eventsOf(t)).ok());

        QCOMPARE(concurrent.size(), std::size_t(kUsers));
        for (int u = 1; u <= kUsers; ++u) {
            const auto a = concurrent.find(u);
            const auto b = sequential.find(u);
            QCOMPARE(a->payCount, b->payCount);
            QCOMPARE(a->payCount, kThreads * ((kRounds + 2) / 3));
            QCOMPARE(a->activeDays, b->activeDays);
            QCOMPARE(a->lastActiveDay, b->lastActiveDay);
            QCOMPARE(a->registeredDay, b->registeredDay);
            for (int t = 0; t < kThreads; ++t) {
                const std::string tag = "t" + std::to_string(t);
                QCOMPARE(a->tag(concurrent.dictionary().find(tag)), b->tag(sequential.dictionary().find(tag)));
            }
        }
    }

    void dirtyProfilesAreReportedOnce()
    {
        ProfileStore store;
        QVERIFY(
            store.apply(std::vector{userEvent(1, "view", T0), userEvent(2, "view", T0), userEvent(1, "pay", T0)}).ok());
        auto dirty = store.takeDirty();
        std::sort(dirty.begin(), dirty.end());
        QCOMPARE(dirty, (std::vector<std::int64_t>{1, 2}));
        QVERIFY(store.takeDirty().empty());
        Profile seeded;
        seeded.uid = 3;
        seeded.registered = true;
        seeded.registeredDay = D0;
        store.put(seeded);
        QVERIFY(store.takeDirty().empty()); // loaded, not changed
        QCOMPARE(store.find(3)->registeredDay, D0);
    }

    void manyProfilesSpanBlocks()
    {
        ProfileStore store;
        std::vector<UserEvent> events;
        for (int u = 1; u <= 5000; ++u)
            events.push_back(userEvent(u, "register", T0));
        QVERIFY(store.apply(events).ok());
        QCOMPARE(store.size(), std::size_t(5000));
        QCOMPARE(store.blockCount(), std::size_t(5));
        std::int64_t sum = 0;
        std::size_t seen = 0;
        store.forEach([&](const Profile &p) {
            sum += p.uid;
            ++seen;
            return true;
        });
        QCOMPARE(seen, std::size_t(5000));
        QCOMPARE(sum, std::int64_t(5000) * 5001 / 2);
        seen = 0;
        store.forEach([&](const Profile &) { return ++seen < 10; });
        QCOMPARE(seen, std::size_t(10));
    }
};

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
