#pragma once

#include "domain/Result.h"
#include "storage/OrderStore.h"

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace flywheel {

/// Makes changes durable with group commit: entries submitted from any number of
/// threads are written by one thread, as many per transaction as are waiting, so
/// one fsync serves a whole batch. Each entry's completion runs only after its
/// transaction committed, so an acknowledged change is never lost. Completions run
/// on a second thread, so that answering one batch overlaps writing the next.
class OrderWriter final {
public:
    /// Gets the entry back, and nullopt when it is stored or why it is not.
    using Completion = std::function<void(const JournalEntry &, const std::optional<Error> &)>;
    using CommitListener = std::function<void(const std::vector<JournalEntry> &)>;

    /// `onCommitted` sees every committed batch before its completions run.
    OrderWriter(OrderStore &store, CommitListener onCommitted);
    ~OrderWriter();
    OrderWriter(const OrderWriter &) = delete;
    OrderWriter &operator=(const OrderWriter &) = delete;

    /// Stores `entry`; `done` runs on the completion thread once it is committed or
    /// has failed. After stop() nothing is queued, `done` never runs, and this
    /// returns false: the caller answers (it may hold locks `done` would take).
    [[nodiscard]] bool submit(JournalEntry entry, Completion done);
    /// Writes what is queued, runs every completion, then stops. Idempotent.
    void stop();

    static constexpr std::size_t kMaxBatch = 2048;
    /// Under concurrent load (the last batch had more than one entry) the writer
    /// waits up to kLinger for kTargetBatch entries before it commits: every
    /// commit costs an fsync and a page write per table it touches, whatever its
    /// size, so fewer, larger commits leave the processor to the requests. A lone
    /// client is never kept waiting.
    static constexpr std::size_t kTargetBatch = 128;
    static constexpr std::chrono::microseconds kLinger{1000};

private:
    struct Batch {
        std::vector<JournalEntry> entries;
        std::vector<Completion> completions;
        std::optional<Error> error;
    };
    void write();
    void complete();

    OrderStore &m_store;
    CommitListener m_onCommitted;

    std::mutex m_mutex;
    std::condition_variable m_wake;
    Batch m_queue;
    bool m_stopping = false;

    std::mutex m_doneMutex;
    std::condition_variable m_doneWake;
    std::deque<Batch> m_done;
    bool m_writerFinished = false;

    std::thread m_writer;
    std::thread m_completer;
};

} // namespace flywheel
