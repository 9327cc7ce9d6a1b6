#pragma once

#include <QObject>

#include <memory>

namespace flywheel::ui {

class BackendConnection;
class EnvironmentPolicy;
template <typename Target>
class GuiBridge;

/// Asks the backend who the console is connected as (SystemService.WhoAmI) whenever
/// the connection gets a channel, and again when that failed (once the backend is
/// reachable, or after kRetrySeconds), and tells the environment policy, which greys out what the role may not do. A
/// backend without WhoAmI leaves the role unknown: nothing is greyed out, the backend
/// still refuses.
class CallerLookup final : public QObject {
    Q_OBJECT

public:
    CallerLookup(BackendConnection *connection, EnvironmentPolicy *policy, QObject *parent = nullptr);
    ~CallerLookup() override;

    /// Asks now (unless a question is on its way).
    void lookUp();
    /// The latest answer came (for tests).
    bool known() const { return m_known; }

    static constexpr int kDeadlineMs = 10000;
    /// After a failed question, when it is asked again (if nothing else connected meanwhile).
    static constexpr int kRetrySeconds = 2;

Q_SIGNALS:
    /// WhoAmI answered (or refused); the policy knows the caller.
    void lookedUp();

private:
    BackendConnection *m_connection;
    EnvironmentPolicy *m_policy;
    std::shared_ptr<GuiBridge<CallerLookup>> m_bridge;
    bool m_asking = false;
    bool m_known = false;
    /// Bumped by every new channel: answers about an older one are dropped.
    int m_generation = 0;
};

} // namespace flywheel::ui
