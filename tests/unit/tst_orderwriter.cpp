#include "storage/OrderWriter.h"
#include "storage/SqliteStore.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace flywheel;

namespace {

/// A stock receipt: a journal entry that needs no order or user.
JournalEntry receipt(std::int64_t seq)
{
    JournalEntry entry;
    entry.events.push_back(inventory::Event{seq,
                                            inventory::EventType::Received,
                                            "SKU-" + std::to_string(seq % 7),
                                            0,
                                            1,
                                            fromEpochMs(1767225600000),
                                            {},
                                            inventory::ReleaseReason::None});
    return entry;
}

std::int64_t lastSeq(SqliteStore &store)
{
    const std::vector<inventory::Event> events = store.loadInventoryEvents(0);
    return events.empty() ? 0 : events.back().seq;
}

} // namespace

class TestOrderWriter final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void concurrentEntriesShareCommitsAndEachIsAnsweredOnceAfterIt()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("w.sqlite")).toStdString());
        const std::int64_t base = lastSeq(*store);
        std::mutex mutex;
        std::vector<std::size_t> batches;
        std::set<std::int64_t> seen; // by the commit listener
        OrderWriter writer(*store, [&](const std::vector<JournalEntry> &entries) {
            const std::lock_guard lock(mutex);
            batches.push_back(entries.size());
            for (const JournalEntry &e : entries)
                seen.insert(e.events.front().seq);
        });

        constexpr int kThreads = 8;
        constexpr int kPerThread = 400;
        std::atomic<int> answered{0};
        std::atomic<int> answeredEarly{0};
        std::atomic<int> failed{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < kPerThread; ++i) {
                    const std::int64_t seq = base + 1 + t * kPerThread + i;
                    const bool queued =
                        writer.submit(receipt(seq), [&, seq](const JournalEntry &e, const std::optional<Error> &error) {
                            if (error || e.events.front().seq != seq)
                                ++failed;
                            // Its batch was committed, and seen by the listener, first.
                            const std::lock_guard lock(mutex);
                            if (seen.count(seq) == 0)
                                ++answeredEarly;
                            ++answered;
                        });
                    if (!queued)
                        ++failed;
                }
            });
        }
        for (std::thread &t : threads)
            t.join();
        writer.stop();

        constexpr int kTotal = kThreads * kPerThread;
        QCOMPARE(answered.load(), kTotal);
        QCOMPARE(failed.load(), 0);
        QCOMPARE(answeredEarly.load(), 0);
        QCOMPARE(seen.size(), static_cast<std::size_t>(kTotal));
        // Group commit: fewer transactions than entries, none above the cap.
        QVERIFY2(batches.size() < static_cast<std::size_t>(kTotal), qPrintable(QString::number(batches.size())));
        for (std::size_t size : batches)
            QVERIFY(size >= 1 && size <= OrderWriter::kMaxBatch);
        QCOMPARE(lastSeq(*store), base + kTotal);
        QCOMPARE(store->loadInventoryEvents(0).size(), static_cast<std::size_t>(base + kTotal));
    }

    void aLoneClientIsCommittedOneEntryAtATime()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("w.sqlite")).toStdString());
        const std::int64_t base = lastSeq(*store);
        std::vector<std::size_t> batches;
        OrderWriter writer(*store,
                           [&](const std::vector<JournalEntry> &entries) { batches.push_back(entries.size()); });
        for (int i = 1; i <= 20; ++i) {
            std::mutex mutex;
            std::condition_variable wake;
            bool done = false;
            bool ok = false;
            QVERIFY(writer.submit(receipt(base + i), [&](const JournalEntry &, const std::optional<Error> &error) {
                const std::lock_guard lock(mutex);
                ok = !error;
                done = true;
                wake.notify_one();
            }));
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return done; });
            QVERIFY(ok);
        }
        writer.stop();
        QCOMPARE(batches, std::vector<std::size_t>(20, 1));
    }

    void aFailedCommitAnswersEveryEntryOfItsBatchWithTheError()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("w.sqlite")).toStdString());
        const std::int64_t base = lastSeq(*store);
        OrderWriter writer(*store, {});
        int stored = 0;
        int refused = 0;
        std::string message;
        std::mutex mutex;
        std::condition_variable wake;
        int answered = 0;
        const auto count = [&](const JournalEntry &, const std::optional<Error> &error) {
            const std::lock_guard lock(mutex);
            if (error) {
                ++refused;
                message = error->message;
            } else {
                ++stored;
            }
            ++answered;
            wake.notify_one();
        };
        QVERIFY(writer.submit(receipt(base + 1), count));
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return answered == 1; });
        }
        // The same event position again violates the log's primary key.
        QVERIFY(writer.submit(receipt(base + 1), count));
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return answered == 2; });
        }
        QVERIFY(writer.submit(receipt(base + 2), count));
        writer.stop();
        QCOMPARE(stored, 2);
        QCOMPARE(refused, 1);
        QVERIFY2(message.find("nothing was stored") != std::string::npos, message.c_str());
        QCOMPARE(lastSeq(*store), base + 2);
    }

    void nothingIsQueuedAfterStop()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("w.sqlite")).toStdString());
        OrderWriter writer(*store, {});
        writer.stop();
        bool ran = false;
        QVERIFY(!writer.submit(receipt(lastSeq(*store) + 1),
                               [&](const JournalEntry &, const std::optional<Error> &) { ran = true; }));
        writer.stop(); // idempotent
        QVERIFY(!ran);
    }
};

QTEST_GUILESS_MAIN(TestOrderWriter)
#include "tst_orderwriter.moc"
