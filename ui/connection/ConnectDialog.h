#pragma once

#include "connection/ConnectionProfile.h"

#include <QDialog>

#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace flywheel::ui {

class ConnectionProfileStore;
class SecretStore;

/// File → Connect…: the saved profiles on the left, the one selected on the right
/// (name, HOST:PORT, TLS and its CA file, environment, token). Saving stores the profile
/// in the settings and the token in the keychain; without a keychain it says so and the
/// token is only used for this connection. "Connect" saves and closes the dialog.
class ConnectDialog final : public QDialog {
    Q_OBJECT

public:
    ConnectDialog(ConnectionProfileStore *store, SecretStore *secrets, QWidget *parent = nullptr);

    /// After "Connect": the profile to connect to, and the token typed (empty when none
    /// was typed: the keychain's is used).
    std::optional<ConnectionProfile> chosenProfile() const { return m_chosen; }
    QString typedToken() const { return m_typedToken; }

    QListWidget *profileList() const { return m_list; }
    QLineEdit *nameField() const { return m_name; }
    QLineEdit *addressField() const { return m_address; }
    QCheckBox *tlsBox() const { return m_tls; }
    QLineEdit *caFileField() const { return m_caFile; }
    QComboBox *environmentBox() const { return m_environment; }
    QLineEdit *tokenField() const { return m_token; }
    QPushButton *newButton() const { return m_new; }
    QPushButton *saveButton() const { return m_save; }
    QPushButton *deleteButton() const { return m_delete; }
    QPushButton *connectButton() const { return m_connect; }
    /// What the dialog says about the last action: a refusal, or where the token went.
    QString statusText() const;

    /// Saves the form; false (and the reason shown) when the store refuses it.
    bool saveProfile();
    void selectProfile(const QString &name);

Q_SIGNALS:
    /// The secret store answered a write or delete.
    void secretStoreAnswered();

private:
    ConnectionProfile formProfile() const;
    void reload(const QString &select);
    void showProfile(const std::optional<ConnectionProfile> &profile);
    void say(const QString &text, bool error);
    void updateSwatch();

    ConnectionProfileStore *m_store;
    SecretStore *m_secrets;
    QString m_editing;
    std::optional<ConnectionProfile> m_chosen;
    QString m_typedToken;
    QListWidget *m_list;
    QLineEdit *m_name;
    QLineEdit *m_address;
    QCheckBox *m_tls;
    QLineEdit *m_caFile;
    QPushButton *m_browse;
    QComboBox *m_environment;
    QLabel *m_swatch;
    QLineEdit *m_token;
    QLabel *m_status;
    QPushButton *m_new;
    QPushButton *m_save;
    QPushButton *m_delete;
    QPushButton *m_connect;
};

} // namespace flywheel::ui
