// Idempotency keys without gRPC: key validation, the fingerprint, and the table's
// execute / attach / complete / conflict / forget-on-failure / purge, including many
// threads admitting one key at once.

#include "domain/orders/IdempotencyTable.h"

#include <QTest>

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
using Admission = IdempotencyTable::Admission;
/// For admissions that are not expected to attach (or whose outcome does not matter).
const IdempotencyTable::Waiter noop = [](const IdempotencyTable::Outcome &) {};

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

    IdempotencyTable::Waiter make()
    {
        return [this](const IdempotencyTable::Outcome &outcome) {
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
        const std::optional<Error> error = checkIdempotencyKey(std::string_view(key.constData(), key.size()));
        if (message.isEmpty()) {
            QVERIFY2(!error, error ? error->message.c_str() : "");
            return;
        }
        QVERIFY(error);
        QCOMPARE(error->code, ErrorCode::InvalidArgument);
        QCOMPARE(QString::fromStdString(error->message), message);
    }

    void fingerprintIsStableFnv1a()
    {
        // Published FNV-1a 64 test vectors: the value is stored, so it must never change.
        QCOMPARE(requestFingerprint(""), 0xcbf29ce484222325ULL);
        QCOMPARE(requestFingerprint("a"), 0xaf63dc4c8601ec8cULL);
        QCOMPARE(requestFingerprint("foobar"), 0x85944171f73967e8ULL);
        QVERIFY(requestFingerprint("create|1|app|A*1") != requestFingerprint("create|1|app|A*2"));
    }

    void executeAttachComplete()
    {
        IdempotencyTable table;
        Waiters waiters;
        const auto first = table.admit("k", 11, T0, waiters.make());
        QCOMPARE(first.admission, Admission::Execute);
        QCOMPARE(first.orderId, 0);
        QCOMPARE(table.size(), std::size_t(1));

        // While it executes: the same request attaches, a different one conflicts.
        const auto second = table.admit("k", 11, T0 + 1ms, waiters.make());
        QCOMPARE(second.admission, Admission::Attached);
        const auto third = table.admit("k", 11, T0 + 2ms, waiters.make());
        QCOMPARE(third.admission, Admission::Attached);
        const auto different = table.admit("k", 12, T0 + 3ms, waiters.make());
        QCOMPARE(different.admission, Admission::Conflict);
        QCOMPARE(different.orderId, 0); // no order yet
        QCOMPARE(waiters.calls, 0);

        table.complete("k", orderWithId(42));
        // Only the attached requests' waiters ran, once each.
        QCOMPARE(waiters.calls, 2);
        QCOMPARE(waiters.orderIds, (std::vector<std::int64_t>{42, 42}));

        const auto later = table.admit("k", 11, T0 + 1h, waiters.make());
        QCOMPARE(later.admission, Admission::Completed);
        QCOMPARE(later.orderId, 42);
        const auto laterDifferent = table.admit("k", 12, T0 + 1h, waiters.make());
        QCOMPARE(laterDifferent.admission, Admission::Conflict);
        QCOMPARE(laterDifferent.orderId, 42);
        QCOMPARE(waiters.calls, 2); // waiters of Completed and Conflict are not kept
        QCOMPARE(table.size(), std::size_t(1));

        // The waiters ran once: a stray second complete() does not run them again.
        table.complete("k", orderWithId(42));
        QCOMPARE(waiters.calls, 2);
    }

    void keysAreIndependent()
    {
        IdempotencyTable table;
        QCOMPARE(table.admit("create:k", 1, T0, noop).admission, Admission::Execute);
        QCOMPARE(table.admit("pay:k", 1, T0, noop).admission, Admission::Execute);
        QCOMPARE(table.admit("K", 1, T0, noop).admission, Admission::Execute); // case matters
        table.complete("create:k", orderWithId(5));
        QCOMPARE(table.admit("pay:k", 1, T0, noop).admission, Admission::Attached);
        QCOMPARE(table.size(), std::size_t(3));
    }

    void aFailureForgetsTheKey()
    {
        IdempotencyTable table;
        Waiters waiters;
        QCOMPARE(table.admit("k", 11, T0, waiters.make()).admission, Admission::Execute);
        QCOMPARE(table.admit("k", 11, T0, waiters.make()).admission, Admission::Attached);
        table.complete("k", Error{ErrorCode::FailedPrecondition, "not enough stock of A"});
        QCOMPARE(waiters.calls, 1);
        QCOMPARE(waiters.orderIds, std::vector<std::int64_t>{0});
        QCOMPARE(waiters.errors, std::vector<std::string>{"not enough stock of A"});
        QCOMPARE(table.size(), std::size_t(0));

        // The client may retry, even with a corrected request.
        QCOMPARE(table.admit("k", 12, T0, waiters.make()).admission, Admission::Execute);
        table.complete("k", orderWithId(9));
        QCOMPARE(table.admit("k", 12, T0, noop).orderId, 9);
        QCOMPARE(table.admit("k", 11, T0, noop).admission, Admission::Conflict);
        QCOMPARE(waiters.calls, 1);

        // Completing a key that is not there does nothing.
        table.complete("unknown", orderWithId(1));
        table.complete("unknown", Error{ErrorCode::Internal, "x"});
        QCOMPARE(table.size(), std::size_t(1));
    }

    void restoreAndPurge()
    {
        IdempotencyTable table;
        table.restore({"old", 1, 100, T0 - 49h});
        table.restore({"edge", 2, 101, T0 - 48h});
        table.restore({"new", 3, 102, T0 - 1h});
        QCOMPARE(table.admit("executing", 4, T0 - 72h, noop).admission, Admission::Execute);
        QCOMPARE(table.size(), std::size_t(4));

        const auto restored = table.admit("new", 3, T0, noop);
        QCOMPARE(restored.admission, Admission::Completed);
        QCOMPARE(restored.orderId, 102);
        QCOMPARE(table.admit("new", 4, T0, noop).admission, Admission::Conflict);

        // Completed keys created before the cutoff go; one executing stays, however old.
        QCOMPARE(table.purge(T0 - 48h), std::size_t(1));
        QCOMPARE(table.size(), std::size_t(3));
        QCOMPARE(table.admit("old", 1, T0, noop).admission, Admission::Execute);
        QCOMPARE(table.admit("edge", 2, T0, noop).admission, Admission::Completed);
        QCOMPARE(table.admit("executing", 4, T0, noop).admission, Admission::Attached);
        QCOMPARE(table.purge(T0 + 1h), std::size_t(2)); // edge and new; old and executing are executing
        QCOMPARE(table.size(), std::size_t(2));
        QCOMPARE(table.purge(T0 + 1h), std::size_t(0));

        // restore() replaces what the key had.
        table.restore({"old", 7, 200, T0});
        QCOMPARE(table.admit("old", 7, T0, noop).orderId, 200);
    }

    // Purge reads the completed keys from the oldest: many more than a chunk per
    // stripe, one second apart, go exactly up to the cutoff; a key that completes
    // late with an old time goes too, once the keys listed before it have gone.
    void purgesCompletedKeysFromTheOldest()
    {
        IdempotencyTable table;
        const int n = static_cast<int>(64 * IdempotencyTable::kPurgeChunk * 2);
        for (int i = 0; i < n; ++i) {
            const std::string key = "k" + std::to_string(i);
            QCOMPARE(table.admit(key, 1, T0 + std::chrono::seconds(i), noop).admission, Admission::Execute);
            if (i != 10) {
                Order order;
                order.id = i + 1;
                table.complete(key, order);
            }
        }
        QCOMPARE(table.purge(T0), std::size_t(0));
        QCOMPARE(table.purge(T0 + std::chrono::seconds(100)), std::size_t(99)); // 0..99 but the executing 10
        QCOMPARE(table.admit("k99", 1, T0, noop).admission, Admission::Execute);
        QCOMPARE(table.admit("k100", 1, T0, noop).admission, Admission::Completed);
        Order late;
        late.id = 11;
        table.complete("k10", late);
        QCOMPARE(table.purge(T0 + std::chrono::seconds(n)), std::size_t(n - 100 + 1)); // the rest, and k10
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
        IdempotencyTable table;
        std::atomic<std::int64_t> clock{0};
        std::atomic<bool> done{false};
        std::atomic<std::size_t> purged{0};
        std::thread purger([&] {
            while (!done) {
                purged += table.purge(T0 + std::chrono::milliseconds(clock.load() / 2));
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
                    if (table.admit(key, 1, T0 + std::chrono::milliseconds(at), noop).admission != Admission::Execute)
                        ++notExecuted;
                    table.complete(key, orderWithId(i + 1));
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        done = true;
        purger.join();
        QCOMPARE(notExecuted.load(), 0);

        constexpr std::int64_t kCutoff = kTotal / 2;
        purged += table.purge(T0 + std::chrono::milliseconds(kCutoff));
        std::int64_t oldLeft = 0;
        for (int t = 0; t < kThreads; ++t) {
            for (int i = 0; i < kPerThread; ++i) {
                const auto admit = table.admit(std::to_string(t) + ":" + std::to_string(i), 1, T0, noop);
                if (made[t][i] >= kCutoff) {
                    QCOMPARE(admit.admission, Admission::Completed); // never early
                    QCOMPARE(admit.orderId, i + 1);
                } else if (admit.admission == Admission::Completed) {
                    ++oldLeft; // late: completed after a younger key of its stripe
                } else {
                    table.complete(std::to_string(t) + ":" + std::to_string(i), Error{ErrorCode::Internal, "probe"});
                }
            }
        }
        QCOMPARE(static_cast<std::int64_t>(purged.load()) + oldLeft, kCutoff); // each old key once
        QVERIFY2(oldLeft < kTotal / 100, std::to_string(oldLeft).c_str());
        purged += table.purge(T0 + std::chrono::milliseconds(kTotal));
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
            IdempotencyTable table;
            const std::string key = "key-" + std::to_string(round);
            const std::int64_t orderId = 1000 + round;
            std::atomic<int> executed{0}, attached{0}, completed{0}, other{0};
            std::atomic<int> waiterCalls{0}, waiterWrong{0};
            std::latch start(kThreads);
            std::vector<std::thread> threads;
            for (int t = 0; t < kThreads; ++t) {
                threads.emplace_back([&] {
                    start.arrive_and_wait();
                    const auto admit = table.admit(key, 77, T0, [&](const IdempotencyTable::Outcome &outcome) {
                        ++waiterCalls;
                        if (!outcome.ok() || outcome.value().id != orderId)
                            ++waiterWrong;
                    });
                    switch (admit.admission) {
                    case Admission::Execute:
                        ++executed;
                        std::this_thread::yield();
                        table.complete(key, orderWithId(orderId));
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
        IdempotencyTable table;
        constexpr int kThreads = 8;
        constexpr int kKeys = 2000;
        std::atomic<int> executed{0}, wrong{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&] {
                for (int k = 0; k < kKeys; ++k) {
                    const std::string key = "k" + std::to_string(k);
                    const auto admit = table.admit(key, std::uint64_t(k), T0, noop);
                    if (admit.admission == Admission::Execute) {
                        ++executed;
                        table.complete(key, orderWithId(k + 1));
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
            QCOMPARE(table.admit("k" + std::to_string(k), std::uint64_t(k), T0, noop).orderId, k + 1);
    }
};

QTEST_GUILESS_MAIN(TestIdempotencyTable)
#include "tst_idempotencytable.moc"
