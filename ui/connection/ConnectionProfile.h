#pragma once

#include <QColor>
#include <QString>

#include <optional>

namespace flywheel::ui {

/// Which kind of backend a profile points at; decides the default colour and whether
/// the console opens read-only (production does).
enum class Environment { Production, Staging, Local };

/// One saved way to reach a backend. Kept in QSettings; the token never is: it lives
/// in the system keychain under the profile's name (see SecretStore).
struct ConnectionProfile {
    QString name;
    /// HOST:PORT.
    QString address;
    bool tls = false;
    /// PEM file of the CA that signs the server's certificate; empty for the system's roots.
    QString caFile;
    Environment environment = Environment::Local;
    QColor colour;

    /// The colour shown: the profile's own, else the environment's.
    QColor shownColour() const;

    friend bool operator==(const ConnectionProfile &, const ConnectionProfile &) = default;
};

/// Production red, staging amber, local green.
QColor defaultColour(Environment environment);
/// The environment's name for people, translated ("production").
QString environmentName(Environment environment);
/// The environment's name in settings files ("production").
QString environmentKey(Environment environment);
std::optional<Environment> environmentFromKey(const QString &key);

} // namespace flywheel::ui
