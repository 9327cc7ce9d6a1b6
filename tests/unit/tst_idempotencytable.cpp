// Idempotency keys without gRPC: key validation, the request digest, and the table's
// execute / attach / complete / conflict / forget-on-failure, keys per user, the
// in-memory window and its eviction (bounded however many keys pass), including many
// threads admitting one key at once.

#include "domain/orders/IdempotencyTable.h"

#include <QTest>

#include <algorithm>
#include <array>
#include <atomic>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000);
constexpr std::int64_t kUid = 7;
/// A request's digest, by a number.
orders::RequestDigest req(std::uint64_t n)
{
    return orders::requestDigest("request " + std::to_string(n));
}
using Admission = orders::IdempotencyTable::Admission;
/// For admissions that are not expected to attach (or whose outcome does not matter).
const orders::IdempotencyTable::Waiter noop = [](const orders::IdempotencyTable::Outcome &) {};

Order orderWithId(std::int64_t id)
{
    Order order;
    order.id = id;
    order.uid = 7;
    return order;
}

/// A waiter that counts its calls and keeps the last outcome.
struct Waiters {
    std::mutex mutex;
    int calls = 0;
    std::vector<std::int64_t> orderIds; // 0 for a failure
    std::vector<std::string> errors;

    orders::IdempotencyTable::Waiter make()
    {
        return [this](const orders::IdempotencyTable::Outcome &outcome) {
            const std::lock_guard lock(mutex);
            ++calls;
            if (outcome.ok()) {
                orderIds.push_back(outcome.value().id);
            } else {
                orderIds.push_back(0);
                errors.push_back(outcome.error().message);
            }
        };
    }
};

} // namespace

class TestIdempotencyTable final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void keysAreChecked_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty") << QByteArray()
                               << "idempotency_key is required: choose one per order and send the same key when "
                                  "retrying";
        QTest::newRow("129 characters") << QByteArray(129, 'k')
                                        << "idempotency_key is 129 characters long; at most 128 are allowed";
        QTest::newRow("space") << QByteArray("order 1")
                               << "idempotency_key has a character that is not printable ASCII at position 6";
        QTest::newRow("tab") << QByteArray("\tx")
                             << "idempotency_key has a character that is not printable ASCII at position 1";
        QTest::newRow("newline") << QByteArray("abc\n")
                                 << "idempotency_key has a character that is not printable ASCII at position 4";
        QTest::newRow("DEL") << QByteArray("ab\x7f")
                             << "idempotency_key has a character that is not printable ASCII at position 3";
        QTest::newRow("NUL") << QByteArray("a\0b", 3)
                             << "idempotency_key has a character that is not printable ASCII at position 2";
        QTest::newRow("UTF-8") << QByteArray("k\xc3\xa9y")
                               << "idempotency_key has a character that is not printable ASCII at position 2";
        QTest::newRow("1 character") << QByteArray("k") << QString();
        QTest::newRow("128 characters") << QByteArray(128, 'k') << QString();
        QTest::newRow("printable punctuation") << QByteArray("!~{}[]-_.:/\"'`@#$%^&*()+=|\\<>?,;") << QString();
        QTest::newRow("uuid") << QByteArray("0b3e0f5c-8a3d-4f0e-9c1b-2f6d8e7a9b10") << QString();
    }
    void keysAreChecked()
    {
        QFETCH(QByteArray, key);
        QFETCH(QString, message);
        const std::optional<Error> error = orders::checkIdempotencyKey(std::string_view(key.constData(), key.size()));
        if (message.isEmpty()) {
            QVERIFY2(!error, error ? error->message.c_str() : "");
            return;
        }
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::InvalidArgument);
        QCOMPARE(QString::fromStdString(error->message), message);
    }

    void digestIsSha256()
    {
        // FIPS 180-2 test vectors: the digest is stored, so it must never change.
        const auto hex = [](const orders::RequestDigest &d) {
            return QByteArray(reinterpret_cast<const char *>(d.data()), static_cast<int>(d.size())).toHex();
        };
        QCOMPARE(hex(orders::requestDigest("")), QByteArray("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(hex(orders::requestDigest("abc")),
                 QByteArray("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QVERIFY(orders::requestDigest("create|1|app|A*1") != orders::requestDigest("create|1|app|A*2"));
    }

    void legacyFingerprintIsStableFnv1a()
    {
        // Published FNV-1a 64 test vectors: keys stored before schema 9 carry it.
        QCOMPARE(orders::legacyRequestFingerprint(""), 0xcbf29ce484222325ULL);
        QCOMPARE(orders::legacyRequestFingerprint("a"), 0xaf63dc4c8601ec8cULL);
        QCOMPARE(orders::legacyRequestFingerprint("foobar"), 0x85944171f73967e8ULL);
    }

    void executeAttachComplete()
    {
        orders::IdempotencyTable table;
        table.loadedStoredKeys(); // the database held no keys at start
        Waiters waiters;
        const auto first = table.admit(kUid, "k", req(11), T0, waiters.make());
        QCOMPARE(first.admission, Admission::Execute);
        QCOMPARE(first.orderId, 0);
        QCOMPARE(table.size(), std::size_t(1));

        // While it executes: the same request attaches, a different one conflicts.
        const auto second = table.admit(kUid, "k", req(11), T0 + 1ms, waiters.make());
        QCOMPARE(second.admission, Admission::Attached);
        const auto third = table.admit(kUid, "k", req(11), T0 + 2ms, waiters.make());
        QCOMPARE(third.admission, Admission::Attached);
        const auto different = table.admit(kUid, "k", req(12), T0 + 3ms, waiters.make());
        QCOMPARE(different.admission, Admission::Conflict);
        QCOMPARE(different.orderId, 0); // no order yet
        QCOMPARE(waiters.calls, 0);

        table.complete(kUid, "k", orderWithId(42));
        // Only the attached requests' waiters ran, once each.
        QCOMPARE(waiters.calls, 2);
        QCOMPARE(waiters.orderIds, (std::vector<std::int64_t>{42, 42}));

        const auto later = table.admit(kUid, "k", req(11), T0 + 30s, waiters.make());
        QCOMPARE(later.admission, Admission::Completed);
        QCOMPARE(later.orderId, 42);
        const auto laterDifferent = table.admit(kUid, "k", req(12), T0 + 30s, waiters.make());
        QCOMPARE(laterDifferent.admission, Admission::Conflict);
        QCOMPARE(laterDifferent.orderId, 42);
        QCOMPARE(waiters.calls, 2); // waiters of Completed and Conflict are not kept
        QCOMPARE(table.size(), std::size_t(1));

        // The waiters ran once: a stray second complete() does not run them again.
        table.complete(kUid, "k", orderWithId(42));
        QCOMPARE(waiters.calls, 2);
    }

    void keysAreIndependent()
    {
        orders::IdempotencyTable table;
        table.loadedStoredKeys(); // the database held no keys at start
        QCOMPARE(table.admit(kUid, "create:k", req(1), T0, noop).admission, Admission::Execute);
        QCOMPARE(table.admit(kUid, "pay:k", req(1), T0, noop).admission, Admission::Execute);
        QCOMPARE(table.admit(kUid, "K", req(1), T0, noop).admission, Admission::Execute); // case matters
        table.complete(kUid, "create:k", orderWithId(5));
        QCOMPARE(table.admit(kUid, "pay:k", req(1), T0, noop).admission, Admission::Attached);
        QCOMPARE(table.size(), std::size_t(3));

        // A key belongs to its user: another user's same key is another key, with
        // any request; neither disturbs the other.
        QCOMPARE(table.admit(kUid + 1, "create:k", req(2), T0, noop).admission, Admission::Execute);
        QCOMPARE(table.admit(kUid, "create:k", req(1), T0, noop).orderId, 5);
        table.complete(kUid + 1, "create:k", orderWithId(6));
        QCOMPARE(table.admit(kUid + 1, "create:k", req(2), T0, noop).orderId, 6);
        QCOMPARE(table.admit(kUid + 1, "create:k", req(1), T0, noop).admission, Admission::Conflict);
        QCOMPARE(table.admit(kUid, "create:k", req(1), T0, noop).orderId, 5);
        QCOMPARE(table.size(), std::size_t(4));
    }

    void aFailureForgetsTheKey()
    {
        orders::IdempotencyTable table;
        table.loadedStoredKeys(); // the database held no keys at start
        Waiters waiters;
        QCOMPARE(table.admit(kUid, "k", req(11), T0, waiters.make()).admission, Admission::Execute);
        QCOMPARE(table.admit(kUid, "k", req(11), T0, waiters.make()).admission, Admission::Attached);
        table.complete(kUid, "k", Error{ErrorCode::FailedPrecondition, "not enough stock of A"});
        QCOMPARE(waiters.calls, 1);
        QCOMPARE(waiters.orderIds, std::vector<std::int64_t>{0});
        QCOMPARE(waiters.errors, std::vector<std::string>{"not enough stock of A"});
        QCOMPARE(table.size(), std::size_t(0));

        // The client may retry, even with a corrected request.
        QCOMPARE(table.admit(kUid, "k", req(12), T0, waiters.make()).admission, Admission::Execute);
        table.complete(kUid, "k", orderWithId(9));
        QCOMPARE(table.admit(kUid, "k", req(12), T0, noop).orderId, 9);
        QCOMPARE(table.admit(kUid, "k", req(11), T0, noop).admission, Admission::Conflict);
        QCOMPARE(waiters.calls, 1);

        // Completing a key that is not there does nothing.
        table.complete(kUid, "unknown", orderWithId(1));
        table.complete(kUid, "unknown", Error{ErrorCode::Internal, "x"});
        QCOMPARE(table.size(), std::size_t(1));
    }

    // The table holds a minute of keys: a completed key older than that is not
    // held (LookUp: the caller asks the database), at once and before any
    // eviction; eviction forgets exactly the completed keys that left the window,
    // never one executing, however old.
    void windowAndEviction()
    {
        orders::IdempotencyTable table; // the default window
        table.loadedStoredKeys(); // the database held no keys at start
        QCOMPARE(table.window(), Milliseconds(60000));
        QCOMPARE(table.retention(), Milliseconds(48 * 3600 * 1000));
        table.restore({kUid, "old", req(1), 100, T0 - 61s});
        table.restore({kUid, "edge", req(2), 101, T0 - 60s});
        table.restore({kUid, "new", req(3), 102, T0 - 1s});
        QCOMPARE(table.admit(kUid, "executing", req(4), T0 - 1h, noop).admission, Admission::Execute);
        QCOMPARE(table.size(), std::size_t(4));

        const auto restored = table.admit(kUid, "new", req(3), T0, noop);
        QCOMPARE(restored.admission, Admission::Completed);
        QCOMPARE(restored.orderId, 102);
        QCOMPARE(table.admit(kUid, "new", req(4), T0, noop).admission, Admission::Conflict);
        QCOMPARE(table.admit(kUid, "edge", req(2), T0, noop).admission, Admission::Completed); // 60 s: still in

        // Out of the window, before evict(): a retry and a different request alike
        // are the caller's to look up (the filter knows the key is stored), one of
        // them at a time.
        QCOMPARE(table.admit(kUid, "old", req(1), T0, noop).admission, Admission::LookUp);
        QCOMPARE(table.admit(kUid, "old", req(1), T0, noop).admission, Admission::Attached);
        QCOMPARE(table.admit(kUid, "old", req(5), T0, noop).admission, Admission::Conflict);
        table.complete(kUid, "old", orderWithId(100)); // found in the database
        QCOMPARE(table.admit(kUid, "old", req(1), T0 + 59s, noop).orderId, 100); // a new minute in memory

        // evict(T0 + 1s): "edge" left (created T0 - 60 s); the others stay.
        QCOMPARE(table.evict(T0 + 1s), std::size_t(1));
        QCOMPARE(table.size(), std::size_t(4 - 1));
        QCOMPARE(table.admit(kUid, "edge", req(2), T0 + 1s, noop).admission, Admission::LookUp);
        table.complete(kUid, "edge", Error{ErrorCode::Internal, "probe"});
        QCOMPARE(table.size(), std::size_t(3));
        // An hour on: everything completed goes; the executing key stays, and its
        // retries still wait for it.
        QCOMPARE(table.evict(T0 + 1h), std::size_t(2));
        QCOMPARE(table.evict(T0 + 1h), std::size_t(0));
        QCOMPARE(table.size(), std::size_t(1));
        QCOMPARE(table.admit(kUid, "executing", req(4), T0 + 1h, noop).admission, Admission::Attached);

        // restore() replaces what the key had.
        table.restore({kUid, "old", req(7), 200, T0 + 1h});
        QCOMPARE(table.admit(kUid, "old", req(7), T0 + 1h, noop).orderId, 200);

        // Another window.
        orders::IdempotencyTable short_(Milliseconds(500), Milliseconds(1000));
        short_.loadedStoredKeys(); // the database held no keys at start
        QCOMPARE(short_.admit(kUid, "k", req(1), T0, noop).admission, Admission::Execute);
        short_.complete(kUid, "k", orderWithId(3));
        QCOMPARE(short_.admit(kUid, "k", req(1), T0 + 500ms, noop).orderId, 3);
        QCOMPARE(short_.admit(kUid, "k", req(1), T0 + 501ms, noop).admission, Admission::LookUp);
    }

    // However many keys pass, the table holds about a window of them: a million
    // keys at 10,000 a second of the injected clock, evicted every 200 ms as the
    // housekeeper does, never hold more than 60 s and two ticks of keys.
    void sizeIsBoundedByTheWindow()
    {
        orders::IdempotencyTable table;
        table.loadedStoredKeys(); // the database held no keys at start
        constexpr int kKeys = 1000000;
        constexpr int kPerSecond = 10000;
        constexpr int kPerTick = kPerSecond / 5;
        constexpr std::size_t kBound = 60 * kPerSecond + 2 * kPerTick;
        std::size_t largest = 0;
        std::size_t evicted = 0;
        std::size_t lookUps = 0;
        for (int i = 0; i < kKeys; ++i) {
            const TimePoint now = T0 + std::chrono::microseconds(std::int64_t(i) * 1000000 / kPerSecond) / 1ms * 1ms;
            const std::string key = "create:" + std::to_string(i);
            const std::int64_t uid = i % 1000;
            const Admission admission = table.admit(uid, key, req(1), now, noop).admission;
            // New keys: Execute, or LookUp for the filter's false positives.
            QVERIFY(admission == Admission::Execute || admission == Admission::LookUp);
            lookUps += admission == Admission::LookUp ? 1 : 0;
            table.complete(uid, key, orderWithId(i + 1));
            if ((i + 1) % kPerTick == 0) {
                evicted += table.evict(now);
                largest = std::max(largest, table.size());
            }
        }
        QVERIFY2(largest <= kBound, std::to_string(largest).c_str());
        QVERIFY(largest >= 60 * kPerSecond); // it does hold the whole window
        // A million new keys: at most 3 % went to the database.
        QVERIFY2(lookUps < std::size_t(kKeys) * 3 / 100, std::to_string(lookUps).c_str());
        // The filter holds every key (they are all within the retention), at about
        // ten bits a key with the growth slack of doubling filters.
        QVERIFY2(table.filterBytes() < std::size_t(kKeys) * 3, std::to_string(table.filterBytes()).c_str());
        QCOMPARE(evicted + table.size(), std::size_t(kKeys));
        // The last keys are still answered from memory.
        QCOMPARE(table.admit((kKeys - 1) % 1000, "create:" + std::to_string(kKeys - 1), req(1),
                             T0 + std::chrono::seconds(kKeys / kPerSecond), noop)
                     .orderId,
                 kKeys);
    }

    // Eviction reads the completed keys from the oldest: many more than a chunk per
    // stripe, one second apart, go exactly up to the cutoff; a key that completes
    // late with an old time goes too, once the keys listed before it have gone.
    void purgesCompletedKeysFromTheOldest()
    {
        orders::IdempotencyTable table(Milliseconds(0)); // evict(t) forgets the keys created before t
        table.loadedStoredKeys(); // the database held no keys at start
        const int n = static_cast<int>(64 * orders::IdempotencyTable::kEvictChunk * 2);
        for (int i = 0; i < n; ++i) {
            const std::string key = "k" + std::to_string(i);
            const Admission admission = table.admit(kUid, key, req(1), T0 + std::chrono::seconds(i), noop).admission;
            QVERIFY(admission == Admission::Execute || admission == Admission::LookUp); // new, or a false positive
            if (i != 10) {
                Order order;
                order.id = i + 1;
                table.complete(kUid, key, order);
            }
        }
        QCOMPARE(table.evict(T0), std::size_t(0));
        QCOMPARE(table.evict(T0 + std::chrono::seconds(100)), std::size_t(99)); // 0..99 but the executing 10
        QCOMPARE(table.admit(kUid, "k99", req(1), T0, noop).admission, Admission::LookUp);
        QCOMPARE(table.admit(kUid, "k100", req(1), T0, noop).admission, Admission::Completed);
        Order late;
        late.id = 11;
        table.complete(kUid, "k10", late);
        QCOMPARE(table.evict(T0 + std::chrono::seconds(n)), std::size_t(n - 100 + 1)); // the rest, and k10
        QCOMPARE(table.size(), std::size_t(1)); // k99, executing again
    }

    // Eight threads make and complete keys, each at the next millisecond of a shared
    // clock, while another purges up to a cutoff that follows the clock: a key is
    // never purged before its time, and every key goes exactly once (late at worst,
    // when it completed after younger keys of its stripe).
    void purgeRacesAdmissions()
    {
        constexpr int kThreads = 8;
        constexpr int kPerThread = 20000;
        constexpr std::int64_t kTotal = kThreads * kPerThread;
        orders::IdempotencyTable table(Milliseconds(0)); // evict(t) forgets the keys created before t
        table.loadedStoredKeys(); // the database held no keys at start
        std::atomic<std::int64_t> clock{0};
        std::atomic<bool> done{false};
        std::atomic<std::size_t> purged{0};
        std::thread purger([&] {
            while (!done) {
                purged += table.evict(T0 + std::chrono::milliseconds(clock.load() / 2));
                std::this_thread::yield();
            }
        });
        std::vector<std::vector<std::int64_t>> made(kThreads); // each key's time, by thread and index
        std::atomic<int> notExecuted{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    const std::string key = std::to_string(t) + ":" + std::to_string(i);
                    const std::int64_t at = clock.fetch_add(1);
                    made[t].push_back(at);
                    // New keys: Execute, or LookUp for the filter's false positives.
                    if (const auto a = table.admit(kUid, key, req(1), T0 + std::chrono::milliseconds(at), noop).admission;
                        a != Admission::Execute && a != Admission::LookUp)
                        ++notExecuted;
                    table.complete(kUid, key, orderWithId(i + 1));
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        done = true;
        purger.join();
        QCOMPARE(notExecuted.load(), 0);

        constexpr std::int64_t kCutoff = kTotal / 2;
        purged += table.evict(T0 + std::chrono::milliseconds(kCutoff));
        std::int64_t oldLeft = 0;
        for (int t = 0; t < kThreads; ++t) {
            for (int i = 0; i < kPerThread; ++i) {
                const auto admit = table.admit(kUid, std::to_string(t) + ":" + std::to_string(i), req(1), T0, noop);
                if (made[t][i] >= kCutoff) {
                    QCOMPARE(admit.admission, Admission::Completed); // never early
                    QCOMPARE(admit.orderId, i + 1);
                } else if (admit.admission == Admission::Completed) {
                    ++oldLeft; // late: completed after a younger key of its stripe
                } else {
                    table.complete(kUid, std::to_string(t) + ":" + std::to_string(i), Error{ErrorCode::Internal, "probe"});
                }
            }
        }
        QCOMPARE(static_cast<std::int64_t>(purged.load()) + oldLeft, kCutoff); // each old key once
        QVERIFY2(oldLeft < kTotal / 100, std::to_string(oldLeft).c_str());
        purged += table.evict(T0 + std::chrono::milliseconds(kTotal));
        QCOMPARE(static_cast<std::int64_t>(purged.load()), kTotal);
        QCOMPARE(table.size(), std::size_t(0));
    }

    // 64 threads admit one key at the same moment, 20 times over: exactly one
    // executes; every other is attached (and gets the outcome once) or, if it came
    // after the completion, replays the same order.
    void concurrentAdmitsExecuteOnce()
    {
        constexpr int kThreads = 64;
        for (int round = 0; round < 20; ++round) {
            orders::IdempotencyTable table;
            table.loadedStoredKeys(); // the database held no keys at start
            const std::string key = "key-" + std::to_string(round);
            const std::int64_t orderId = 1000 + round;
            std::atomic<int> executed{0}, attached{0}, completed{0}, other{0};
            std::atomic<int> waiterCalls{0}, waiterWrong{0};
            std::latch start(kThreads);
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([&] {
                    start.arrive_and_wait();
                    const auto admit = table.admit(kUid, key, req(77), T0, [&](const orders::IdempotencyTable::Outcome &outcome) {
                        ++waiterCalls;
                        if (!outcome.ok() || outcome.value().id != orderId)
                            ++waiterWrong;
                    });
                    switch (admit.admission) {
                    case Admission::Execute:
                    case Admission::LookUp: // a false positive of the filter: nothing stored, executes
                        ++executed;
                        std::this_thread::yield();
                        table.complete(kUid, key, orderWithId(orderId));
                        break;
                    case Admission::Attached:
                        ++attached;
                        break;
                    case Admission::Completed:
                        if (admit.orderId == orderId)
                            ++completed;
                        else
                            ++other;
                        break;
                    case Admission::Conflict:
                        ++other;
                        break;
                    }
                });
            }
            for (auto &thread : threads)
                thread.join();
            QCOMPARE(executed.load(), 1);
            QCOMPARE(other.load(), 0);
            QCOMPARE(attached.load() + completed.load(), kThreads - 1);
            QCOMPARE(waiterCalls.load(), attached.load());
            QCOMPARE(waiterWrong.load(), 0);
            QCOMPARE(table.size(), std::size_t(1));
        }
    }

    // Many keys from many threads: each executes once, and none disturbs another.
    void concurrentDistinctKeys()
    {
        orders::IdempotencyTable table;
        table.loadedStoredKeys(); // the database held no keys at start
        constexpr int kThreads = 8;
        constexpr int kKeys = 2000;
        std::atomic<int> executed{0}, wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&] {
                for (int k = 0; k < kKeys; ++k) {
                    const std::string key = "k" + std::to_string(k);
                    const auto admit = table.admit(kUid, key, req(std::uint64_t(k)), T0, noop);
                    if (admit.admission == Admission::Execute || admit.admission == Admission::LookUp) {
                        ++executed;
                        table.complete(kUid, key, orderWithId(k + 1));
                    } else if (admit.admission == Admission::Completed && admit.orderId != k + 1) {
                        ++wrong;
                    } else if (admit.admission == Admission::Conflict) {
                        ++wrong;
                    }
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(executed.load(), kKeys);
        QCOMPARE(wrong.load(), 0);
        QCOMPARE(table.size(), std::size_t(kKeys));
        for (int k = 0; k < kKeys; ++k)
            QCOMPARE(table.admit(kUid, "k" + std::to_string(k), req(std::uint64_t(k)), T0, noop).orderId, k + 1);
    }
    // Until the keys the database held at start are in the filter, every key the
    // table does not hold is looked up; after, only those the filter may hold: a
    // stored key always (no false negative), until the retention has passed.
    void storedKeysSendOnlyTheirRetriesToTheDatabase()
    {
        orders::IdempotencyTable table(Milliseconds(60000), Milliseconds(48 * 3600 * 1000));
        QVERIFY(!table.storedKeysLoaded());
        QCOMPARE(table.admit(kUid, "new", req(1), T0, noop).admission, Admission::LookUp);
        table.complete(kUid, "new", Error{ErrorCode::Internal, "probe"});
        for (int i = 0; i < 10000; ++i)
            table.addStoredKey(kUid + i % 7, "create:old" + std::to_string(i), T0 - 47h);
        table.loadedStoredKeys();
        QVERIFY(table.storedKeysLoaded());
        for (int i = 0; i < 10000; ++i) {
            const std::string key = "create:old" + std::to_string(i);
            QCOMPARE(table.admit(kUid + i % 7, key, req(1), T0, noop).admission, Admission::LookUp);
            table.complete(kUid + i % 7, key, Error{ErrorCode::Internal, "probe"});
        }
        int lookUps = 0;
        for (int i = 0; i < 10000; ++i) {
            const std::string key = "create:fresh" + std::to_string(i);
            const Admission a = table.admit(kUid, key, req(1), T0, noop).admission;
            QVERIFY(a == Admission::Execute || a == Admission::LookUp);
            lookUps += a == Admission::LookUp ? 1 : 0;
            table.complete(kUid, key, Error{ErrorCode::Internal, "probe"});
        }
        QVERIFY2(lookUps < 300, std::to_string(lookUps).c_str());
        // The same key of another user is another key.
        int otherUserLookUps = 0;
        for (int i = 0; i < 1000; ++i) {
            const std::string key = "create:old" + std::to_string(i);
            otherUserLookUps += table.admit(kUid + 100, key, req(1), T0, noop).admission == Admission::LookUp;
            table.complete(kUid + 100, key, Error{ErrorCode::Internal, "probe"});
        }
        QVERIFY2(otherUserLookUps < 30, std::to_string(otherUserLookUps).c_str());
        // Two days after the keys were made the database no longer honours them,
        // and the filter has let them go with their slice.
        table.evict(T0 + 7h); // 48 h after the end of the keys' 6-hour slice
        int stillStored = 0;
        for (int i = 0; i < 1000; ++i) {
            const std::string key = "create:old" + std::to_string(i);
            stillStored += table.admit(kUid + i % 7, key, req(1), T0 + 7h, noop).admission == Admission::LookUp;
            table.complete(kUid + i % 7, key, Error{ErrorCode::Internal, "probe"});
        }
        QVERIFY2(stillStored < 30, std::to_string(stillStored).c_str());
    }

    // Keys added by eight threads while eight others test keys that were added
    // before them: never a false negative, and each added key is found after.
    void filterUnderConcurrency()
    {
        orders::StoredKeyFilter filter(Milliseconds(1000));
        filter.markComplete();
        constexpr int kThreads = 8;
        constexpr std::uint64_t kPerThread = 50000;
        // How many keys each adding thread has added: thread t adds keys t, t + 8, ...
        std::array<std::atomic<std::uint64_t>, kThreads> added{};
        std::atomic<int> missed{0};
        // A key's two halves from its number, spread by a 64-bit mix.
        const auto half = [](std::uint64_t n, std::uint64_t salt) {
            std::uint64_t z = n * 0x9e3779b97f4a7c15ULL + salt;
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
            return z ^ (z >> 31);
        };
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (std::uint64_t i = 0; i < kPerThread; ++i) {
                    const std::uint64_t n = i * kThreads + std::uint64_t(t);
                    // Forty one-second slices, so that filters and slices are made while others read.
                    filter.add(half(n, 1), half(n, 2), T0 + std::chrono::milliseconds(n / 10));
                    added[std::size_t(t)].store(i + 1, std::memory_order_release);
                }
            });
            threads.emplace_back([&, t] {
                for (std::uint64_t i = 0; i < kPerThread; ++i) {
                    // A key some thread has certainly added already.
                    const std::uint64_t n = (i * 7919 + std::uint64_t(t)) % (kThreads * kPerThread);
                    if (n / kThreads < added[n % kThreads].load(std::memory_order_acquire) &&
                        !filter.mayContain(half(n, 1), half(n, 2)))
                        ++missed;
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(missed.load(), 0);
        for (std::uint64_t n = 0; n < kThreads * kPerThread; ++n) {
            if (!filter.mayContain(half(n, 1), half(n, 2)))
                QFAIL(("key " + std::to_string(n) + " was added and is not found").c_str());
        }
        QCOMPARE(filter.keys(), std::size_t(kThreads * kPerThread));
        int falsePositives = 0;
        for (std::uint64_t n = 1000000000; n < 1000100000; ++n)
            falsePositives += filter.mayContain(half(n, 1), half(n, 2)) ? 1 : 0;
        QVERIFY2(falsePositives < 3000, std::to_string(falsePositives).c_str());
        // Every slice ends by T0 + 41 s: all go.
        QCOMPARE(filter.dropBefore(T0 + std::chrono::seconds(41)), std::size_t(40));
        QCOMPARE(filter.keys(), std::size_t(0));
        QCOMPARE(filter.memoryBytes(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestIdempotencyTable)
#include "tst_idempotencytable.moc"
