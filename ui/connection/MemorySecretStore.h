#pragma once

#include "connection/SecretStore.h"

#include <QHash>
#include <QObject>

namespace flywheel::ui {

/// A SecretStore in memory, for tests: answers asynchronously like a keychain, and can
/// play a computer without a keychain (setAvailable(false)).
class MemorySecretStore final : public QObject, public SecretStore {
    Q_OBJECT

public:
    explicit MemorySecretStore(QObject *parent = nullptr);

    void setAvailable(bool available) { m_available = available; }
    const QHash<QString, QString> &secrets() const { return m_secrets; }

    void read(const QString &profile, Done done) override;
    void write(const QString &profile, const QString &secret, Done done) override;
    void remove(const QString &profile, Done done) override;

private:
    void answer(Done done, Result result);

    QHash<QString, QString> m_secrets;
    bool m_available = true;
};

} // namespace flywheel::ui
