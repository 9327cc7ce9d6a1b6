#include "connection/ConnectionController.h"

#include "client/BackendConnection.h"
#include "connection/ChannelFactory.h"
#include "connection/ConnectDialog.h"
#include "connection/EnvironmentPolicy.h"
#include "connection/SecretStore.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPointer>
#include <QWidget>

namespace flywheel::ui {

ConnectionController::ConnectionController(BackendConnection *connection, EnvironmentPolicy *policy,
                                           ConnectionProfileStore *store, SecretStore *secrets, QWidget *window)
    : QObject(window), m_connection(connection), m_policy(policy), m_store(store), m_secrets(secrets), m_window(window)
{
    m_prompt = [this](const ConnectionProfile &profile, const QString &why) -> std::optional<QString> {
        bool ok = false;
        const QString token = QInputDialog::getText(
            m_window, tr("Token for %1").arg(profile.name),
            why + u'\n' + tr("Token for “%1” (%2), empty to connect without one:").arg(profile.name, profile.address),
            QLineEdit::Password, QString(), &ok);
        if (!ok)
            return std::nullopt;
        return token;
    };
}

void ConnectionController::openDialog()
{
    ConnectDialog dialog(m_store, m_secrets, m_window);
    if (m_policy->profile())
        dialog.selectProfile(m_policy->profile()->name);
    if (dialog.exec() != QDialog::Accepted || !dialog.chosenProfile())
        return;
    connectProfile(*dialog.chosenProfile(), dialog.typedToken());
}

void ConnectionController::connectProfile(const ConnectionProfile &profile, const QString &token)
{
    if (!token.isEmpty()) {
        finish(profile, token);
        return;
    }
    m_secrets->read(profile.name, [self = QPointer<ConnectionController>(this), profile](const SecretStore::Result &r) {
        if (!self)
            return;
        switch (r.outcome) {
        case SecretStore::Outcome::Ok:
            self->finish(profile, r.secret);
            break;
        case SecretStore::Outcome::NotFound:
            self->askToken(profile, tr("No token is stored for this profile."));
            break;
        case SecretStore::Outcome::Unavailable:
            self->askToken(profile, tr("There is no system keychain on this computer (%1), so tokens are not "
                                       "stored: type it for this connection.")
                                        .arg(r.error));
            break;
        case SecretStore::Outcome::Failed:
            self->askToken(profile, tr("The system keychain did not give the token: %1.").arg(r.error));
            break;
        }
    });
}

void ConnectionController::askToken(const ConnectionProfile &profile, const QString &why)
{
    const std::optional<QString> token = m_prompt(profile, why);
    if (!token) {
        Q_EMIT notConnected(tr("Connecting to “%1” was cancelled.").arg(profile.name));
        return;
    }
    finish(profile, *token);
}

void ConnectionController::finish(const ConnectionProfile &profile, const QString &token)
{
    QString error;
    auto channel = ChannelFactory::create(profile, token, &error);
    if (!channel) {
        QMessageBox::warning(m_window, tr("Cannot connect"), error);
        Q_EMIT notConnected(error);
        return;
    }
    m_policy->setProfile(profile);
    m_connection->switchTo(tr("%1 (%2)").arg(profile.name, profile.address), profile.tls ? profile.caFile : QString(),
                           std::move(channel));
    Q_EMIT connected(profile.name);
}

} // namespace flywheel::ui
