#pragma once

#include "domain/auth/TokenRegistry.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace flywheel::auth {

/// Keeps the daemon's tokens in step with the tokens file: a thread looks at the
/// file's inode, size and modification time every `interval` and reads it again when
/// one changed. A file that cannot be read or is refused keeps the last good tokens
/// and logs one line to stderr per change.
class TokensFileWatcher {
public:
    /// Reads the file once; throws TokensFileError when it cannot (the daemon does
    /// not start with a bad tokens file).
    explicit TokensFileWatcher(std::string path,
                               std::chrono::milliseconds interval = std::chrono::milliseconds(250));
    ~TokensFileWatcher();
    TokensFileWatcher(const TokensFileWatcher &) = delete;
    TokensFileWatcher &operator=(const TokensFileWatcher &) = delete;

    /// The tokens in force; safe from any thread.
    std::shared_ptr<const TokenRegistry> current() const;
    const std::string &path() const { return m_path; }

private:
    struct Signature {
        bool exists = false;
        unsigned long long device = 0, inode = 0;
        long long size = 0, modifiedNs = 0, changedNs = 0;
        bool operator==(const Signature &) const = default;
    };
    Signature signature() const;
    void run();

    const std::string m_path;
    const std::chrono::milliseconds m_interval;
    mutable std::mutex m_mutex;
    std::condition_variable m_stopRequested;
    bool m_stopping = false;
    std::shared_ptr<const TokenRegistry> m_current;
    Signature m_seen;
    std::thread m_thread;
};

} // namespace flywheel::auth
