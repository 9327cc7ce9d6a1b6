#include "auth/TokensFileWatcher.h"

#include "auth/TokensFile.h"
#include "common/Log.h"

#include <sys/stat.h>

namespace flywheel::auth {

TokensFileWatcher::TokensFileWatcher(std::string path, std::chrono::milliseconds interval)
    : m_path(std::move(path)), m_interval(interval)
{
    m_seen = signature();
    m_current = std::make_shared<const TokenRegistry>(TokensFile::load(m_path));
    m_thread = std::thread([this] { run(); });
}

TokensFileWatcher::~TokensFileWatcher()
{
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_stopRequested.notify_all();
    m_thread.join();
}

std::shared_ptr<const TokenRegistry> TokensFileWatcher::current() const
{
    const std::lock_guard lock(m_mutex);
    return m_current;
}

TokensFileWatcher::Signature TokensFileWatcher::signature() const
{
    struct stat info{};
    if (::stat(m_path.c_str(), &info) != 0)
        return Signature{};
    return Signature{true,
                     static_cast<unsigned long long>(info.st_dev),
                     static_cast<unsigned long long>(info.st_ino),
                     static_cast<long long>(info.st_size),
                     static_cast<long long>(info.st_mtim.tv_sec) * 1'000'000'000LL + info.st_mtim.tv_nsec,
                     static_cast<long long>(info.st_ctim.tv_sec) * 1'000'000'000LL + info.st_ctim.tv_nsec};
}

void TokensFileWatcher::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_stopRequested.wait_for(lock, m_interval, [this] { return m_stopping; })) {
        lock.unlock();
        const Signature now = signature();
        if (now == m_seen) {
            lock.lock();
            continue;
        }
        // Let a writer finish (an editor that truncates and writes in place): the
        // same signature twice in a row, half an interval apart, before reading. A
        // half-written file would otherwise apply a part of the tokens for a moment.
        lock.lock();
        if (m_stopRequested.wait_for(lock, m_interval / 2, [this] { return m_stopping; }))
            break;
        lock.unlock();
        if (!(signature() == now)) {
            lock.lock();
            continue;
        }
        m_seen = now;
        std::shared_ptr<const TokenRegistry> fresh;
        try {
            fresh = std::make_shared<const TokenRegistry>(TokensFile::load(m_path));
        } catch (const TokensFileError &e) {
            common::Log::error(std::string("tokens file not applied, the last good tokens stay in force: ") + e.what());
        }
        lock.lock();
        if (fresh)
            m_current = std::move(fresh);
    }
}

} // namespace flywheel::auth
