#pragma once

#include "connection/ConnectionProfile.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

class QSettings;

namespace flywheel::ui {

/// The console's saved connection profiles, in QSettings (group "connectionProfiles").
/// Tokens are never written here. Every change is validated first; a refusal is one
/// sentence naming what is wrong.
class ConnectionProfileStore final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::ConnectionProfileStore)

public:
    /// `settings` outlives the store.
    explicit ConnectionProfileStore(QSettings *settings);

    QList<ConnectionProfile> profiles() const;
    QStringList names() const;
    std::optional<ConnectionProfile> find(const QString &name) const;

    /// What is wrong with `profile`, empty when nothing is. `replacing` is the name of
    /// the profile it replaces (an edit), empty for a new one.
    QString validate(const ConnectionProfile &profile, const QString &replacing = QString()) const;
    /// Adds a profile, or replaces `replacing`; the refusal, empty on success.
    QString save(const ConnectionProfile &profile, const QString &replacing = QString());
    /// False when there is no such profile.
    bool remove(const QString &name);

    /// Whether `text` reads as HOST:PORT (a port from 1 to 65535).
    static bool isAddress(const QString &text);

private:
    void write(const QList<ConnectionProfile> &profiles);

    QSettings *m_settings;
};

} // namespace flywheel::ui
