#pragma once

#include "domain/Order.h"
#include "domain/Result.h"
#include "storage/Store.h"

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace flywheel {

/// Makes orders durable with group commit: orders submitted from any number of
/// threads are written by one thread, as many per transaction as are waiting, so
/// one fsync serves a whole batch. Each order's completion runs only after its
/// transaction committed, and so an acknowledged order is never lost.
class OrderWriter final {
public:
    using Completion = std::function<void(Result<Order>)>;
    using CommitListener = std::function<void(const std::vector<Order> &)>;

    /// `onCommitted` sees every committed batch before the completions run.
    OrderWriter(Store &store, CommitListener onCommitted);
    ~OrderWriter();
    OrderWriter(const OrderWriter &) = delete;
    OrderWriter &operator=(const OrderWriter &) = delete;

    /// Assigns the order an id and stores it; `done` runs on the writer thread.
    /// After stop() the completion runs at once with Unavailable.
    void submit(Order order, Completion done);
    /// Writes what is queued, then stops the writer thread. Idempotent.
    void stop();

    static constexpr std::size_t kMaxBatch = 2048;

private:
    struct Pending {
        Order order;
        Completion done;
    };
    void run();

    Store &m_store;
    CommitListener m_onCommitted;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::vector<Pending> m_queue;
    bool m_stopping = false;
    std::int64_t m_nextId;
    std::thread m_thread;
};

} // namespace flywheel
