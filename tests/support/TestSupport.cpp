#include "TestSupport.h"

#include <grpcpp/client_context.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRegularExpression>

namespace flywheel::test {

QString binaryPath(const QString &name)
{
    const QString dir = qEnvironmentVariableIsSet("FLYWHEEL_BIN_DIR") ? qEnvironmentVariable("FLYWHEEL_BIN_DIR")
                                                                      : QCoreApplication::applicationDirPath();
    return QDir(dir).filePath(name);
}

std::unique_ptr<Backend> startBackend(const QTemporaryDir &dir, const std::string &listen, std::size_t historyPerHour,
                                      const Clock *clock)
{
    BackendOptions options;
    options.databasePath = dir.filePath(QStringLiteral("test.sqlite")).toStdString();
    options.listenAddress = listen;
    options.seedDemoData = true;
    options.demoHistoryOrdersPerHour = historyPerHour;
    options.demoUsers = 12000;
    options.clock = clock;
    return Backend::start(options);
}

int startDaemon(QProcess &process, const QStringList &arguments)
{
    process.setProgram(binaryPath(QStringLiteral("flywheeld")));
    process.setArguments(arguments);
    process.start();
    if (!process.waitForStarted(10000))
        return 0;
    QByteArray out;
    const QRegularExpression listening(QStringLiteral("listening on [^ ]*:(\\d+),"));
    const QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired() && process.state() == QProcess::Running) {
        process.waitForReadyRead(100);
        out += process.readAllStandardOutput();
        const auto match = listening.match(QString::fromUtf8(out));
        if (match.hasMatch())
            return match.captured(1).toInt();
    }
    qWarning("flywheeld did not start: %s %s", out.constData(), process.readAllStandardError().constData());
    return 0;
}

grpc::Status createOrder(v1::OrderService::Stub &stub, const v1::CreateOrderRequest &request, v1::Order *order)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub.CreateOrder(&context, request, order);
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace flywheel::test
