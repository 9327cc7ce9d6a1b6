#pragma once

#include "connection/SecretStore.h"

#include <QObject>

namespace flywheel::ui {

/// Tokens in the system keychain through qtkeychain (Secret Service on Linux, the
/// Keychain on macOS, the Credential Store on Windows). Never falls back to an
/// unencrypted file: without a keychain every operation answers Unavailable.
class KeychainSecretStore final : public QObject, public SecretStore {
    Q_OBJECT

public:
    /// `service` names the console's entries in the keychain.
    explicit KeychainSecretStore(QString service = QStringLiteral("Flywheel console"), QObject *parent = nullptr);

    void read(const QString &profile, Done done) override;
    void write(const QString &profile, const QString &secret, Done done) override;
    void remove(const QString &profile, Done done) override;

private:
    const QString m_service;
};

} // namespace flywheel::ui
