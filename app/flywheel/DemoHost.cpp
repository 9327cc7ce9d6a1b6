#include "DemoHost.h"

#include "server/Backend.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMetaObject>
#include <QStandardPaths>

#include <fcntl.h>
#include <unistd.h>

namespace flywheel::app {

DemoHost::DemoHost(QObject *parent) : QObject(parent)
{}

DemoHost::~DemoHost()
{
    stop();
}

QString DemoHost::databasePath(const QString &dataDirectory)
{
    const QString dir =
        dataDirectory.isEmpty() ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) : dataDirectory;
    return QDir(dir).filePath(QStringLiteral("demo.sqlite"));
}

bool DemoHost::resetDatabase(const QString &path, QString *error)
{
    // A console that has the database open holds SQLite's lock on it: never delete
    // a database in use.
    if (const int fd = ::open(QFile::encodeName(path).constData(), O_RDWR); fd >= 0) {
        struct flock probe {};
        probe.l_type = F_WRLCK;
        probe.l_whence = SEEK_SET;
        const bool probed = ::fcntl(fd, F_GETLK, &probe) == 0;
        ::close(fd);
        if (probed && probe.l_type != F_UNLCK) {
            *error = tr("%1 is in use by another Flywheel (process %2); close it first").arg(path).arg(probe.l_pid);
            return false;
        }
    }
    for (const QString &file : {path, path + QStringLiteral("-wal"), path + QStringLiteral("-shm")}) {
        QFile f(file);
        if (f.exists() && !f.remove()) {
            *error = tr("cannot delete %1: %2").arg(file, f.errorString());
            return false;
        }
    }
    return true;
}

void DemoHost::start(const QString &databasePath, double simulateRate, std::size_t historyOrdersPerHour)
{
    const QFileInfo info(databasePath);
    if (!QDir().mkpath(info.absolutePath())) {
        Q_EMIT failed(tr("cannot create the data directory %1").arg(info.absolutePath()));
        return;
    }
    BackendOptions options;
    options.databasePath = databasePath.toStdString();
    options.simulateRate = simulateRate;
    options.seedDemoData = true;
    options.examplePricingRules = true;
    options.demoHistoryOrdersPerHour = historyOrdersPerHour;
    options.mode = "demo";
    // Payments go through the three providers' local sandboxes, which notify a
    // callback listener on this machine only.
    options.payments.sandboxes = true;
    options.payments.callbackListen = "127.0.0.1:0";
    m_starter = std::thread([this, options] {
        std::shared_ptr<Backend> backend;
        QString error;
        try {
            backend = Backend::start(options);
        } catch (const std::exception &e) {
            error = QString::fromStdString(e.what());
        }
        // Queued to the GUI thread. If the host is deleted first, Qt discards the
        // call, and with it the last reference to the backend, which shuts it down.
        QMetaObject::invokeMethod(
            this,
            [this, backend, error] {
                if (!backend) {
                    Q_EMIT failed(error);
                    return;
                }
                m_backend = backend;
                Q_EMIT started(m_backend->inProcessChannel());
            },
            Qt::QueuedConnection);
    });
}

void DemoHost::stop()
{
    if (m_starter.joinable())
        m_starter.join();
    if (m_backend)
        m_backend->shutdown();
    m_backend.reset();
}

} // namespace flywheel::app
