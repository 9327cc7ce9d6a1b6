#include "storage/OrderWriter.h"

namespace flywheel {

OrderWriter::OrderWriter(OrderStore &store, CommitListener onCommitted)
    : m_store(store), m_onCommitted(std::move(onCommitted)), m_writer([this] { write(); }),
      m_completer([this] { complete(); })
{}

OrderWriter::~OrderWriter()
{
    stop();
}

bool OrderWriter::submit(JournalEntry entry, Completion done)
{
    const std::lock_guard lock(m_mutex);
    if (m_stopping)
        return false;
    m_queue.entries.push_back(std::move(entry));
    m_queue.completions.push_back(std::move(done));
    if (m_queue.entries.size() == 1 || m_queue.entries.size() == kTargetBatch)
        m_wake.notify_one();
    return true;
}

void OrderWriter::stop()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    if (m_writer.joinable())
        m_writer.join();
    if (m_completer.joinable())
        m_completer.join();
}

void OrderWriter::write()
{
    std::size_t lastBatch = 0;
    for (;;) {
        Batch batch;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_stopping || !m_queue.entries.empty(); });
            if (m_queue.entries.empty())
                break; // stopping with nothing left
            if (lastBatch > 1 && m_queue.entries.size() < kTargetBatch)
                m_wake.wait_for(lock, kLinger, [this] { return m_stopping || m_queue.entries.size() >= kTargetBatch; });
            if (m_queue.entries.size() <= kMaxBatch) {
                std::swap(batch, m_queue);
                // The next batch grows to the target without moving its entries.
                m_queue.entries.reserve(kTargetBatch);
                m_queue.completions.reserve(kTargetBatch);
            } else {
                const auto n = static_cast<std::ptrdiff_t>(kMaxBatch);
                batch.entries.assign(std::make_move_iterator(m_queue.entries.begin()),
                                     std::make_move_iterator(m_queue.entries.begin() + n));
                batch.completions.assign(std::make_move_iterator(m_queue.completions.begin()),
                                         std::make_move_iterator(m_queue.completions.begin() + n));
                m_queue.entries.erase(m_queue.entries.begin(), m_queue.entries.begin() + n);
                m_queue.completions.erase(m_queue.completions.begin(), m_queue.completions.begin() + n);
            }
        }
        lastBatch = batch.entries.size();
        try {
            m_store.appendJournal(batch.entries);
        } catch (const StorageError &e) {
            batch.error = Error{ErrorCode::Unavailable, std::string("nothing was stored: ") + e.what()};
        }
        {
            const std::lock_guard lock(m_doneMutex);
            m_done.push_back(std::move(batch));
        }
        m_doneWake.notify_one();
    }
    {
        const std::lock_guard lock(m_doneMutex);
        m_writerFinished = true;
    }
    m_doneWake.notify_one();
}

void OrderWriter::complete()
{
    for (;;) {
        Batch batch;
        {
            std::unique_lock lock(m_doneMutex);
            m_doneWake.wait(lock, [this] { return m_writerFinished || !m_done.empty(); });
            if (m_done.empty())
                return;
            batch = std::move(m_done.front());
            m_done.pop_front();
        }
        if (!batch.error && m_onCommitted)
            m_onCommitted(batch.entries);
        for (std::size_t i = 0; i < batch.completions.size(); ++i)
            batch.completions[i](batch.entries[i], batch.error);
    }
}

} // namespace flywheel
