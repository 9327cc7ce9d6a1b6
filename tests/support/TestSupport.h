#pragma once

#include "server/Backend.h"

#include "flywheel/v1/inventory.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"

#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace flywheel::test {

/// Path of a program built next to the tests (flywheeld, flywheel).
QString binaryPath(const QString &name);

/// How a program run by runProgram ended.
struct Run {
    /// The exit code; -1 when it crashed or timed out.
    int exitCode = -1;
    QProcess::ExitStatus status = QProcess::CrashExit;
    QString out;
    QString err;
};
/// Runs a program built next to the tests (QT_QPA_PLATFORM=offscreen) to its end,
/// killing it after `timeoutMs` (err then says "(timed out)").
Run runProgram(const QString &program, const QStringList &arguments, int timeoutMs = 30000);

/// A backend on a new database in `dir`: demo catalogue and users, `historyPerHour`
/// orders per hour of seeded history (0 for none), no simulator.
std::unique_ptr<Backend> startBackend(const QTemporaryDir &dir, const std::string &listen = {},
                                      std::size_t historyPerHour = 0, const Clock *clock = nullptr);

/// Starts flywheeld with `arguments` (which should listen on port 0) and returns
/// the port it reports, or 0 when it did not come up within 30 s. `printed` gets
/// what it wrote on stdout until then.
int startDaemon(QProcess &process, const QStringList &arguments, QString *printed = nullptr);

/// Runs `sql` on the SQLite database at `path` with a connection of its own (behind
/// a store's back: triggers, tampering); the error message, empty on success.
std::string execSql(const std::string &path, const std::string &sql);

/// A new idempotency key, unique within the test process.
std::string newIdempotencyKey();

/// CreateOrder with a 10 s deadline; a request without an idempotency key gets a new one.
grpc::Status createOrder(v1::OrderService::Stub &stub, const v1::CreateOrderRequest &request, v1::Order *order);
/// PayOrder with a new idempotency key and a 10 s deadline.
grpc::Status payOrder(v1::OrderService::Stub &stub, std::int64_t orderId, v1::Order *order);

/// InventoryService.ReceiveStock with a 10 s deadline.
grpc::Status receiveStock(const std::shared_ptr<grpc::Channel> &channel, const std::string &sku, std::int64_t quantity);

/// Counts the calls started on the channels it makes, by method, so that a test can
/// check that a page sent nothing (or exactly one call) without waiting to see.
class CallCounter {
public:
    /// An in-process channel to `backend` whose calls are counted here. The counter
    /// must outlive the channel.
    std::shared_ptr<grpc::Channel> channel(Backend &backend);
    /// Calls started so far whose method ends with `method` ("SaveProgram" or
    /// "ReferralService/SaveProgram").
    int count(const std::string &method) const;

private:
    class Factory;
    friend class Factory;
    void started(const std::string &method);

    mutable std::mutex m_mutex;
    std::map<std::string, int> m_calls;
};

/// The whole of a file, for checks that something was left untouched.
QByteArray readAll(const QString &path);

} // namespace flywheel::test
