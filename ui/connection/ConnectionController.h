#pragma once

#include "connection/ConnectionProfile.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QWidget;

namespace flywheel::ui {

class BackendConnection;
class ConnectionProfileStore;
class EnvironmentPolicy;
class SecretStore;

/// Connects the console through a profile: the token typed, else the keychain's, else
/// asks for it (and says why: nothing stored, or no keychain on this computer); then
/// replaces the connection's channel and tells the environment policy.
class ConnectionController final : public QObject {
    Q_OBJECT

public:
    /// Asks the operator for the token of `profile`; `why` says why it is asked. Nullopt
    /// when they cancel; an empty token connects without one.
    using TokenPrompt = std::function<std::optional<QString>(const ConnectionProfile &profile, const QString &why)>;

    ConnectionController(BackendConnection *connection, EnvironmentPolicy *policy, ConnectionProfileStore *store,
                         SecretStore *secrets, QWidget *window);

    /// Replaces the prompt (tests).
    void setTokenPrompt(TokenPrompt prompt) { m_prompt = std::move(prompt); }

    /// File → Connect…
    void openDialog();
    /// Connects through `profile`, with `token` when it is not empty.
    void connectProfile(const ConnectionProfile &profile, const QString &token);

Q_SIGNALS:
    /// The channel of `profile` is in place.
    void connected(const QString &profile);
    /// Connecting was given up: cancelled, or the channel could not be made (`error`).
    void notConnected(const QString &error);

private:
    void askToken(const ConnectionProfile &profile, const QString &why);
    void finish(const ConnectionProfile &profile, const QString &token);

    BackendConnection *m_connection;
    EnvironmentPolicy *m_policy;
    ConnectionProfileStore *m_store;
    SecretStore *m_secrets;
    QWidget *m_window;
    TokenPrompt m_prompt;
};

} // namespace flywheel::ui
