#include "storage/OrderWriter.h"

namespace flywheel {

OrderWriter::OrderWriter(Store &store, CommitListener onCommitted)
    : m_store(store), m_onCommitted(std::move(onCommitted)), m_nextId(store.maxOrderId() + 1),
      m_thread([this] { run(); })
{}

OrderWriter::~OrderWriter()
{
    stop();
}

void OrderWriter::submit(Order order, Completion done)
{
    {
        const std::lock_guard lock(m_mutex);
        if (!m_stopping) {
            m_queue.push_back(Pending{std::move(order), std::move(done)});
            if (m_queue.size() == 1)
                m_wake.notify_one();
            return;
        }
    }
    done(Error{ErrorCode::Unavailable, "the backend is shutting down; the order was not stored"});
}

void OrderWriter::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_thread.joinable())
        m_thread.join();
}

void OrderWriter::run()
{
    std::vector<Pending> batch;
    std::vector<Order> orders;
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
            if (m_queue.empty())
                return; // stopping with nothing left
            if (m_queue.size() <= kMaxBatch) {
                batch.swap(m_queue);
            } else {
                batch.assign(std::make_move_iterator(m_queue.begin()),
                             std::make_move_iterator(m_queue.begin() + kMaxBatch));
                m_queue.erase(m_queue.begin(), m_queue.begin() + kMaxBatch);
            }
        }
        orders.clear();
        orders.reserve(batch.size());
        for (Pending &p : batch) {
            p.order.id = m_nextId++;
            orders.push_back(std::move(p.order)); // the completion gets it back after the commit
        }
        try {
            m_store.appendOrders(orders);
        } catch (const StorageError &e) {
            m_nextId -= static_cast<std::int64_t>(batch.size());
            for (Pending &p : batch)
                p.done(Error{ErrorCode::Unavailable, std::string("the order could not be stored: ") + e.what()});
            batch.clear();
            continue;
        }
        if (m_onCommitted)
            m_onCommitted(orders);
        for (std::size_t i = 0; i < batch.size(); ++i)
            batch[i].done(std::move(orders[i]));
        batch.clear();
    }
}

} // namespace flywheel
