#include "TestSupport.h"

#include <QProcessEnvironment>

#include <grpcpp/client_context.h>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>

#include <sqlite3.h>

#include <atomic>
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

Run runProgram(const QString &program, const QStringList &arguments, int timeoutMs)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    process.setProcessEnvironment(env);
    process.start(binaryPath(program), arguments);
    Run r;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
        r.err = QStringLiteral("(timed out)");
        return r;
    }
    r.status = process.exitStatus();
    r.exitCode = r.status == QProcess::NormalExit ? process.exitCode() : -1;
    r.out = QString::fromUtf8(process.readAllStandardOutput());
    r.err = QString::fromUtf8(process.readAllStandardError());
    return r;
}

int startDaemon(QProcess &process, const QStringList &arguments, QString *printed)
{
    process.setProgram(binaryPath(QStringLiteral("flywheeld")));
    process.setArguments(arguments);
    process.start();
    if (!process.waitForStarted(10000))
        return 0;
    QByteArray out;
    const QRegularExpression listening(QStringLiteral("listening on [^ ]*:(\\d+)[ ,]"));
    const QDeadlineTimer deadline(30000);
    while (!deadline.hasExpired() && process.state() == QProcess::Running) {
        process.waitForReadyRead(100);
        out += process.readAllStandardOutput();
        const auto match = listening.match(QString::fromUtf8(out));
        if (match.hasMatch()) {
            if (printed != nullptr)
                *printed = QString::fromUtf8(out);
            return match.captured(1).toInt();
        }
    }
    qWarning("flywheeld did not start: %s %s", out.constData(), process.readAllStandardError().constData());
    return 0;
}

std::string execSql(const std::string &path, const std::string &sql)
{
    sqlite3 *db = nullptr;
    if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
        std::string message = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return message;
    }
    sqlite3_busy_timeout(db, 5000);
    char *error = nullptr;
    sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    std::string message = error != nullptr ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    return message;
}

std::string newIdempotencyKey()
{
    static std::atomic<std::int64_t> counter{0};
    static const std::string prefix = "test-" + std::to_string(QRandomGenerator::global()->generate64()) + "-";
    return prefix + std::to_string(++counter);
}

grpc::Status createOrder(v1::OrderService::Stub &stub, const v1::CreateOrderRequest &request, v1::Order *order)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    if (!request.idempotency_key().empty())
        return stub.CreateOrder(&context, request, order);
    v1::CreateOrderRequest keyed = request;
    keyed.set_idempotency_key(newIdempotencyKey());
    return stub.CreateOrder(&context, keyed, order);
}

grpc::Status payOrder(v1::OrderService::Stub &stub, std::int64_t orderId, v1::Order *order)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::PayOrderRequest request;
    request.set_order_id(orderId);
    request.set_idempotency_key(newIdempotencyKey());
    return stub.PayOrder(&context, request, order);
}

grpc::Status receiveStock(const std::shared_ptr<grpc::Channel> &channel, const std::string &sku, std::int64_t quantity)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::ReceiveStockRequest request;
    request.set_sku(sku);
    request.set_quantity(quantity);
    v1::StockLevel level;
    return v1::InventoryService::NewStub(channel)->ReceiveStock(&context, request, &level);
}

class CallCounter::Factory final : public grpc::experimental::ClientInterceptorFactoryInterface {
public:
    explicit Factory(CallCounter *counter) : m_counter(counter) {}
    grpc::experimental::Interceptor *CreateClientInterceptor(grpc::experimental::ClientRpcInfo *info) override
    {
        m_counter->started(info->method());
        return nullptr; // counting is all: the call goes on untouched
    }

private:
    CallCounter *m_counter;
};

std::shared_ptr<grpc::Channel> CallCounter::channel(Backend &backend)
{
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
    interceptors.push_back(std::make_unique<Factory>(this));
    return backend.inProcessChannel(std::move(interceptors));
}

void CallCounter::started(const std::string &method)
{
    const std::lock_guard lock(m_mutex);
    ++m_calls[method];
}

int CallCounter::count(const std::string &method) const
{
    const std::lock_guard lock(m_mutex);
    int n = 0;
    for (const auto &[name, calls] : m_calls) {
        // "/flywheel.v1.ReferralService/SaveProgram" ends with "/SaveProgram" and with
        // ".ReferralService/SaveProgram".
        if (name.ends_with('/' + method) || name.ends_with('.' + method))
            n += calls;
    }
    return n;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

} // namespace flywheel::test
