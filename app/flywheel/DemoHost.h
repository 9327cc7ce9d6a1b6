#pragma once

#include <QObject>
#include <QString>

#include <memory>
#include <thread>

namespace grpc {
class Channel;
}

namespace flywheel {
class Backend;
}

namespace flywheel::app {

/// The backend inside the console for local demo mode. Starting it (opening,
/// seeding and replaying the database) happens on a worker thread so the window
/// stays responsive; the console then talks to it over an in-process gRPC channel,
/// the same API a remote flywheeld serves.
class DemoHost final : public QObject {
    Q_OBJECT

public:
    explicit DemoHost(QObject *parent = nullptr);
    ~DemoHost() override;

    /// The demo database in `dataDirectory` (the user's data directory when empty).
    static QString databasePath(const QString &dataDirectory);
    /// Deletes the demo database (and its WAL files). False with `error` set when
    /// a file exists and cannot be removed.
    static bool resetDatabase(const QString &path, QString *error);

    /// `historyOrdersPerHour` sizes the two weeks of order history a new database is seeded with.
    void start(const QString &databasePath, double simulateRate, std::size_t historyOrdersPerHour = 1200);
    /// Stops the embedded backend; blocks until it is down (used at exit).
    void stop();

Q_SIGNALS:
    void started(std::shared_ptr<grpc::Channel> channel);
    void failed(const QString &message);

private:
    std::shared_ptr<Backend> m_backend;
    std::thread m_starter;
};

} // namespace flywheel::app
