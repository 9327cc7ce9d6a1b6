#include "connection/KeychainSecretStore.h"

#include <qt6keychain/keychain.h>

namespace flywheel::ui {

namespace {

QString keyOf(const QString &profile)
{
    return QStringLiteral("connection-profile/") + profile;
}

SecretStore::Result resultOf(const QKeychain::Job *job)
{
    using Outcome = SecretStore::Outcome;
    switch (job->error()) {
    case QKeychain::NoError:
        return {Outcome::Ok, QString(), QString()};
    case QKeychain::EntryNotFound:
        return {Outcome::NotFound, QString(), QString()};
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        return {Outcome::Unavailable, QString(), job->errorString()};
    default:
        return {Outcome::Failed, QString(), job->errorString()};
    }
}

/// Starts `job` and hands its result to `done` when it finishes; the job deletes itself.
template <typename Job>
void run(Job *job, const QString &profile, SecretStore::Done done)
{
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(keyOf(profile));
    QObject::connect(job, &QKeychain::Job::finished, job, [done = std::move(done)](QKeychain::Job *finished) {
        SecretStore::Result result = resultOf(finished);
        if (result.outcome == SecretStore::Outcome::Ok) {
            if (auto *read = qobject_cast<QKeychain::ReadPasswordJob *>(finished))
                result.secret = read->textData();
        }
        done(result);
    });
    job->start();
}

} // namespace

KeychainSecretStore::KeychainSecretStore(QString service, QObject *parent)
    : QObject(parent), m_service(std::move(service))
{}

void KeychainSecretStore::read(const QString &profile, Done done)
{
    run(new QKeychain::ReadPasswordJob(m_service), profile, std::move(done));
}

void KeychainSecretStore::write(const QString &profile, const QString &secret, Done done)
{
    auto *job = new QKeychain::WritePasswordJob(m_service);
    job->setTextData(secret);
    run(job, profile, std::move(done));
}

void KeychainSecretStore::remove(const QString &profile, Done done)
{
    run(new QKeychain::DeletePasswordJob(m_service), profile, std::move(done));
}

} // namespace flywheel::ui
