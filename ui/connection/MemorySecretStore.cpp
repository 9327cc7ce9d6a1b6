#include "connection/MemorySecretStore.h"

#include <QMetaObject>

namespace flywheel::ui {

MemorySecretStore::MemorySecretStore(QObject *parent) : QObject(parent)
{}

void MemorySecretStore::answer(Done done, Result result)
{
    if (!m_available)
        result = Result{Outcome::Unavailable, QString(), QStringLiteral("No keychain is available")};
    QMetaObject::invokeMethod(
        this, [done = std::move(done), result] { done(result); }, Qt::QueuedConnection);
}

void MemorySecretStore::read(const QString &profile, Done done)
{
    const auto it = m_secrets.constFind(profile);
    Result result =
        it == m_secrets.cend() ? Result{Outcome::NotFound, QString(), QString()} : Result{Outcome::Ok, *it, QString()};
    answer(std::move(done), result);
}

void MemorySecretStore::write(const QString &profile, const QString &secret, Done done)
{
    if (m_available)
        m_secrets.insert(profile, secret);
    answer(std::move(done), Result{});
}

void MemorySecretStore::remove(const QString &profile, Done done)
{
    if (m_available)
        m_secrets.remove(profile);
    answer(std::move(done), Result{});
}

} // namespace flywheel::ui
