#pragma once

#include <QMetaObject>

#include <mutex>

namespace flywheel::ui {

/// Lets gRPC threads post work to a QObject on the GUI thread for as long as it exists.
/// The object detaches in its destructor; gRPC callbacks hold the bridge (by shared_ptr),
/// never the object.
template <typename Target>
class GuiBridge final {
public:
    explicit GuiBridge(Target *target) : m_target(target) {}

    /// From the target's destructor: later posts are dropped.
    void detach()
    {
        const std::lock_guard lock(m_mutex);
        m_target = nullptr;
    }

    /// Runs function(target) on the target's thread. Queued calls to a deleted object
    /// are discarded by Qt, so the target is alive whenever the function runs.
    template <typename F>
    void post(F function)
    {
        const std::lock_guard lock(m_mutex);
        if (m_target != nullptr) {
            Target *target = m_target;
            QMetaObject::invokeMethod(
                target, [target, function] { function(target); }, Qt::QueuedConnection);
        }
    }

private:
    std::mutex m_mutex;
    Target *m_target;
};

} // namespace flywheel::ui
