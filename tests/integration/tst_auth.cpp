// Bearer tokens and roles over a real socket: every RPC of every service, called
// with every role and with no, a wrong, a malformed, an expired and a revoked token,
// is allowed or refused exactly as the role table says; the table names every
// method the protos declare; a token revoked in the watched file stops working
// within a second.

#include "TestSupport.h"

#include "auth/TokensFile.h"
#include "domain/auth/RoleTable.h"
#include "domain/auth/TokenSecret.h"

#include "flywheel/v1/system.grpc.pb.h"

#include <google/protobuf/descriptor.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

/// How a call ended: refused by the token check, or answered by the service
/// ("allowed": any status other than UNAUTHENTICATED and PERMISSION_DENIED).
struct Outcome {
    grpc::StatusCode code = grpc::StatusCode::UNKNOWN;
    std::string message;
    bool answered = false;
};

/// Calls `method` with one empty request message, whatever kind of RPC it is: the
/// first response message (or the final status) tells whether the call got through.
Outcome callMethod(grpc::GenericStub &stub, const std::string &method, const std::string &authorization)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 20s);
    if (!authorization.empty())
        context.AddMetadata("authorization", authorization);
    grpc::CompletionQueue queue;
    void *tag = nullptr;
    bool ok = false;
    auto call = stub.PrepareCall(&context, method, &queue);
    call->StartCall(reinterpret_cast<void *>(1));
    queue.Next(&tag, &ok);
    grpc::Slice empty("", 0);
    grpc::ByteBuffer request(&empty, 1);
    call->WriteLast(request, grpc::WriteOptions(), reinterpret_cast<void *>(2));
    queue.Next(&tag, &ok);
    grpc::ByteBuffer response;
    call->Read(&response, reinterpret_cast<void *>(3));
    queue.Next(&tag, &ok);
    Outcome outcome;
    if (ok) {
        outcome.answered = true; // a response message: the service ran
        context.TryCancel();     // streams would go on
    }
    grpc::Status status;
    call->Finish(&status, reinterpret_cast<void *>(4));
    queue.Next(&tag, &ok);
    queue.Shutdown();
    while (queue.Next(&tag, &ok)) {
    }
    outcome.code = outcome.answered ? grpc::StatusCode::OK : status.error_code();
    outcome.message = status.error_message();
    return outcome;
}

bool refused(const Outcome &outcome)
{
    return !outcome.answered &&
           (outcome.code == grpc::StatusCode::UNAUTHENTICATED || outcome.code == grpc::StatusCode::PERMISSION_DENIED);
}

/// Every method of every flywheel.v1 service, from the generated descriptors of every
/// .proto file in proto/flywheel/v1 (a new file or service is found without this test
/// knowing its name).
std::set<std::string> declaredMethods(QStringList *missingFiles)
{
    std::set<std::string> methods;
    const QDir dir(QStringLiteral(FLYWHEEL_PROTO_DIR "/flywheel/v1"));
    const auto *pool = google::protobuf::DescriptorPool::generated_pool();
    for (const QString &name : dir.entryList({QStringLiteral("*.proto")}, QDir::Files)) {
        const auto *file = pool->FindFileByName("flywheel/v1/" + name.toStdString());
        if (file == nullptr) {
            missingFiles->append(name);
            continue;
        }
        for (int s = 0; s < file->service_count(); ++s) {
            const auto *service = file->service(s);
            for (int m = 0; m < service->method_count(); ++m)
                methods.insert("/" + service->full_name() + "/" + service->method(m)->name());
        }
    }
    return methods;
}

} // namespace

class TestAuth final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_tokensFile = m_dir.filePath(QStringLiteral("tokens.yaml")).toStdString();
        const TimePoint now = SystemClock::instance().now();
        auth::TokenRegistry registry;
        for (const auth::Role role :
             {auth::Role::Storefront, auth::Role::Viewer, auth::Role::Operator, auth::Role::Admin}) {
            const std::string name = "test-" + std::string(auth::roleName(role));
            m_tokens[role] = add(registry, name, role, now);
        }
        m_expired = add(registry, "old-admin", auth::Role::Admin, now - 48h);
        m_revoked = add(registry, "gone-admin", auth::Role::Admin, now - 1h);
        QVERIFY(registry.revoke("gone-admin", now - 30min));
        auth::TokensFile::save(m_tokensFile, registry);

        BackendOptions options;
        options.databasePath = m_dir.filePath(QStringLiteral("test.sqlite")).toStdString();
        options.listenAddress = "127.0.0.1:0";
        options.tokensFile = m_tokensFile;
        options.seedDemoData = true;
        options.demoHistoryOrdersPerHour = 0;
        options.demoUsers = 2000;
        m_backend = Backend::start(options);
        QVERIFY(m_backend->port() > 0);
        m_channel =
            grpc::CreateChannel("127.0.0.1:" + std::to_string(m_backend->port()), grpc::InsecureChannelCredentials());
        m_stub = std::make_unique<grpc::GenericStub>(m_channel);
    }

    void cleanupTestCase()
    {
        m_stub.reset();
        m_channel.reset();
        if (m_backend)
            m_backend->shutdown();
    }

    void everyDeclaredMethodIsInTheTable()
    {
        QStringList missingFiles;
        const std::set<std::string> declared = declaredMethods(&missingFiles);
        QVERIFY2(missingFiles.isEmpty(),
                 qPrintable(QStringLiteral("no generated descriptors for ") + missingFiles.join(QStringLiteral(", "))));
        QVERIFY(declared.size() >= 40);
        QStringList missing;
        for (const std::string &method : declared) {
            if (auth::RoleTable::instance().find(method) == nullptr)
                missing << QString::fromStdString(method);
        }
        QVERIFY2(missing.isEmpty(),
                 qPrintable(QStringLiteral("not in the role table: ") + missing.join(QStringLiteral(", "))));
        QStringList stale;
        for (const auto &[method, access] : auth::RoleTable::instance().methods()) {
            if (method.rfind("/flywheel.", 0) == 0 && declared.count(method) == 0)
                stale << QString::fromStdString(method);
        }
        QVERIFY2(stale.isEmpty(), qPrintable(QStringLiteral("in the table but declared by no proto: ") +
                                             stale.join(QStringLiteral(", "))));
    }

    void everyMethodWithEveryCaller()
    {
        QStringList missingFiles;
        std::set<std::string> methods = declaredMethods(&missingFiles);
        for (const auto &[method, access] : auth::RoleTable::instance().methods())
            methods.insert(method);
        methods.insert("/flywheel.v1.SystemService/NotARealMethod"); // a method the table does not name
        QStringList failures;
        const auto expect = [&](const std::string &method, const std::string &caller, const Outcome &outcome,
                                const QString &wanted, bool ok) {
            if (!ok)
                failures << QString::fromStdString(method + " as " + caller + ": wanted ") + wanted +
                                QStringLiteral(", got code %1 \"%2\"")
                                    .arg(static_cast<int>(outcome.code))
                                    .arg(QString::fromStdString(outcome.message));
        };
        for (const std::string &method : methods) {
            const auth::Access *access = auth::RoleTable::instance().find(method);
            // Callers whose token is refused whatever the method.
            const std::vector<std::tuple<std::string, std::string, std::string>> strangers = {
                {"no token", "", "no token"},
                {"a wrong token", "Bearer " + auth::TokenSecret::generate(), "unknown"},
                {"a malformed token", "Bearer not-a-token", "malformed"},
                {"a token without Bearer", m_tokens[auth::Role::Admin], "malformed"},
                {"an expired token", "Bearer " + m_expired, "expired"},
                {"a revoked token", "Bearer " + m_revoked, "revoked"},
            };
            for (const auto &[caller, header, why] : strangers) {
                const Outcome outcome = callMethod(*m_stub, method, header);
                if (access == nullptr) {
                    expect(method, caller, outcome, QStringLiteral("PERMISSION_DENIED (not in the role table)"),
                           outcome.code == grpc::StatusCode::PERMISSION_DENIED &&
                               outcome.message.find("not in the role table") != std::string::npos);
                } else if (access->open) {
                    expect(method, caller, outcome, QStringLiteral("allowed (open)"), !refused(outcome));
                } else {
                    const bool secretEchoed =
                        header.size() > 10 && outcome.message.find(header.substr(7)) != std::string::npos;
                    expect(method, caller, outcome,
                           QStringLiteral("UNAUTHENTICATED naming ") + QString::fromStdString(why),
                           outcome.code == grpc::StatusCode::UNAUTHENTICATED &&
                               outcome.message.find(why) != std::string::npos && !secretEchoed);
                }
            }
            for (const auto &[role, token] : m_tokens) {
                const std::string caller(auth::roleName(role));
                const Outcome outcome = callMethod(*m_stub, method, "Bearer " + token);
                if (access == nullptr) {
                    expect(method, caller, outcome, QStringLiteral("PERMISSION_DENIED (not in the role table)"),
                           outcome.code == grpc::StatusCode::PERMISSION_DENIED);
                } else if (access->allows(role)) {
                    expect(method, caller, outcome, QStringLiteral("allowed"), !refused(outcome));
                } else {
                    expect(method, caller, outcome,
                           QStringLiteral("PERMISSION_DENIED naming the required role and the caller's"),
                           outcome.code == grpc::StatusCode::PERMISSION_DENIED &&
                               outcome.message.find(access->describe()) != std::string::npos &&
                               outcome.message.find("has the role " + caller) != std::string::npos);
                }
            }
        }
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
    }

    void spotChecksIndependentOfTheTable()
    {
        const auto as = [&](auth::Role role, const std::string &method) {
            return callMethod(*m_stub, method, "Bearer " + m_tokens[role]);
        };
        const std::string refund = "/flywheel.v1.OrderService/RefundOrder";
        QCOMPARE(as(auth::Role::Viewer, refund).code, grpc::StatusCode::PERMISSION_DENIED);
        QCOMPARE(as(auth::Role::Storefront, refund).code, grpc::StatusCode::PERMISSION_DENIED);
        QVERIFY(!refused(as(auth::Role::Operator, refund)));
        const Outcome users = as(auth::Role::Storefront, "/flywheel.v1.CatalogService/ListUsers");
        QCOMPARE(users.code, grpc::StatusCode::PERMISSION_DENIED);
        QVERIFY2(users.message.find("needs the role viewer (or higher); the token \"test-storefront\" has the role "
                                    "storefront") != std::string::npos,
                 users.message.c_str());
        QVERIFY(as(auth::Role::Viewer, "/flywheel.v1.CatalogService/ListUsers").answered);
        QVERIFY(as(auth::Role::Storefront, "/flywheel.v1.CatalogService/ListProducts").answered);
        QVERIFY(!refused(as(auth::Role::Viewer, "/flywheel.v1.MetricsService/StreamDashboard")));
        QCOMPARE(as(auth::Role::Admin, "/flywheel.v1.OrderService/CreateOrder").code,
                 grpc::StatusCode::PERMISSION_DENIED);
        // Payments: the storefront starts payments; refunds are an operator's; the
        // channels and their credentials are the admin's.
        const std::string createPayment = "/flywheel.v1.PaymentService/CreatePayment";
        QVERIFY(!refused(as(auth::Role::Storefront, createPayment)));
        QCOMPARE(as(auth::Role::Admin, createPayment).code, grpc::StatusCode::PERMISSION_DENIED);
        const std::string saveChannels = "/flywheel.v1.PaymentService/SaveChannelConfig";
        QCOMPARE(as(auth::Role::Operator, saveChannels).code, grpc::StatusCode::PERMISSION_DENIED);
        QCOMPARE(as(auth::Role::Viewer, saveChannels).code, grpc::StatusCode::PERMISSION_DENIED);
        QVERIFY(!refused(as(auth::Role::Admin, saveChannels)));
        const std::string refundPayment = "/flywheel.v1.PaymentService/RefundOrderPayment";
        QCOMPARE(as(auth::Role::Viewer, refundPayment).code, grpc::StatusCode::PERMISSION_DENIED);
        QVERIFY(!refused(as(auth::Role::Operator, refundPayment)));
        QCOMPARE(as(auth::Role::Storefront, "/flywheel.v1.PaymentService/GetChannelConfig").code,
                 grpc::StatusCode::PERMISSION_DENIED);
        QVERIFY(callMethod(*m_stub, "/grpc.health.v1.Health/Check", "").answered);
        const Outcome none = callMethod(*m_stub, "/flywheel.v1.SystemService/Ping", "");
        QCOMPARE(none.code, grpc::StatusCode::UNAUTHENTICATED);
    }

    void whoAmI()
    {
        auto stub = v1::SystemService::NewStub(m_channel);
        for (const auto &[role, token] : m_tokens) {
            grpc::ClientContext context;
            context.AddMetadata("authorization", "Bearer " + token);
            v1::WhoAmIResponse me;
            const grpc::Status status = stub->WhoAmI(&context, {}, &me);
            QVERIFY2(status.ok(), status.error_message().c_str());
            QCOMPARE(me.name(), "test-" + std::string(auth::roleName(role)));
            QCOMPARE(me.role(), std::string(auth::roleName(role)));
        }
        // The in-process channel is the local operator and needs no token.
        grpc::ClientContext context;
        v1::WhoAmIResponse me;
        QVERIFY(v1::SystemService::NewStub(m_backend->inProcessChannel())->WhoAmI(&context, {}, &me).ok());
        QCOMPARE(me.name(), std::string("local"));
        QCOMPARE(me.role(), std::string("admin"));
    }

    void changesToTheFileApplyWithinASecond()
    {
        auth::TokenRegistry registry = auth::TokensFile::load(m_tokensFile);
        const std::string token = add(registry, "late-viewer", auth::Role::Viewer, SystemClock::instance().now());
        const auto works = [&] {
            return callMethod(*m_stub, "/flywheel.v1.SystemService/GetServerInfo", "Bearer " + token).answered;
        };
        QVERIFY(!works());
        QElapsedTimer timer;
        timer.start();
        auth::TokensFile::save(m_tokensFile, registry);
        QTRY_VERIFY_WITH_TIMEOUT(works(), 1000);
        qInfo("a new token worked after %lld ms", static_cast<long long>(timer.elapsed()));

        QVERIFY(registry.revoke("late-viewer", SystemClock::instance().now()));
        timer.restart();
        auth::TokensFile::save(m_tokensFile, registry);
        QTRY_VERIFY_WITH_TIMEOUT(!works(), 1000);
        qInfo("a revoked token was refused after %lld ms", static_cast<long long>(timer.elapsed()));
        const Outcome outcome = callMethod(*m_stub, "/flywheel.v1.SystemService/GetServerInfo", "Bearer " + token);
        QCOMPARE(outcome.code, grpc::StatusCode::UNAUTHENTICATED);
        QVERIFY2(outcome.message.find("revoked") != std::string::npos, outcome.message.c_str());
    }

    // storefront_listen and admin_listen apart: each listener serves the methods of
    // its API and refuses the others' with UNIMPLEMENTED naming where they are
    // served, before any token check; with a tokens file and without one.
    void eachListenerServesItsApiOnly()
    {
        for (const bool withTokens : {true, false}) {
            BackendOptions options;
            options.databasePath =
                m_dir.filePath(withTokens ? QStringLiteral("split-tokens.sqlite") : QStringLiteral("split.sqlite"))
                    .toStdString();
            options.listenAddress = "127.0.0.1:0";
            options.adminListenAddress = "localhost:0";
            if (withTokens)
                options.tokensFile = m_tokensFile;
            options.seedDemoData = true;
            options.demoHistoryOrdersPerHour = 0;
            options.demoUsers = 200;
            auto backend = Backend::start(options);
            QVERIFY(backend->port() > 0);
            QVERIFY(backend->adminPort() > 0);
            grpc::GenericStub storefront(grpc::CreateChannel("127.0.0.1:" + std::to_string(backend->port()),
                                                             grpc::InsecureChannelCredentials()));
            grpc::GenericStub admin(grpc::CreateChannel("127.0.0.1:" + std::to_string(backend->adminPort()),
                                                        grpc::InsecureChannelCredentials()));
            QStringList failures;
            int servedOnBoth = 0;
            for (const auto &[method, access] : auth::RoleTable::instance().methods()) {
                for (const auth::Api api : {auth::Api::Storefront, auth::Api::Admin}) {
                    // A token the method allows, so that only the listener can refuse.
                    std::string header;
                    if (withTokens && !access.open)
                        header = "Bearer " + m_tokens[access.storefront && api == auth::Api::Storefront
                                                          ? auth::Role::Storefront
                                                          : access.lowest.value_or(auth::Role::Admin)];
                    const Outcome outcome =
                        callMethod(api == auth::Api::Storefront ? storefront : admin, method, header);
                    const bool listenerRefused = outcome.code == grpc::StatusCode::UNIMPLEMENTED &&
                                                 outcome.message.find("is part of the") != std::string::npos;
                    const bool wanted =
                        access.partOf(api)
                            ? !listenerRefused && !refused(outcome) && outcome.code != grpc::StatusCode::UNAVAILABLE
                            : listenerRefused && outcome.message.find("served on") != std::string::npos;
                    if (!wanted)
                        failures << QString::fromStdString(method + " on the " + auth::apiName(api) +
                                                           " listener: got code ") +
                                        QString::number(static_cast<int>(outcome.code)) + QLatin1Char(' ') +
                                        QString::fromStdString(outcome.message);
                }
                servedOnBoth += access.partOf(auth::Api::Storefront) && access.partOf(auth::Api::Admin) ? 1 : 0;
            }
            QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1Char('\n'))));
            QVERIFY(servedOnBoth >= 5); // GetOrder, CancelOrder, QuoteCart, ListProducts, Ping, WhoAmI, health
            // Spot checks independent of the table.
            const Outcome createOnAdmin = callMethod(admin, "/flywheel.v1.OrderService/CreateOrder",
                                                     withTokens ? "Bearer " + m_tokens[auth::Role::Storefront] : "");
            QCOMPARE(createOnAdmin.code, grpc::StatusCode::UNIMPLEMENTED);
            QVERIFY2(createOnAdmin.message.find("storefront API, served on 127.0.0.1:0") != std::string::npos,
                     createOnAdmin.message.c_str());
            const Outcome stockOnStorefront = callMethod(storefront, "/flywheel.v1.InventoryService/ListStock",
                                                         withTokens ? "Bearer " + m_tokens[auth::Role::Admin] : "");
            QCOMPARE(stockOnStorefront.code, grpc::StatusCode::UNIMPLEMENTED);
            if (withTokens) {
                // Without a good token nothing is told about the other listener.
                const Outcome stranger = callMethod(storefront, "/flywheel.v1.InventoryService/ListStock", "");
                QCOMPARE(stranger.code, grpc::StatusCode::UNAUTHENTICATED);
                QVERIFY2(stranger.message.find("served on") == std::string::npos, stranger.message.c_str());
            }
            QVERIFY(callMethod(admin, "/flywheel.v1.InventoryService/ListStock",
                               withTokens ? "Bearer " + m_tokens[auth::Role::Viewer] : "")
                        .answered);
            QVERIFY(callMethod(storefront, "/grpc.health.v1.Health/Check", "").answered);
            QVERIFY(callMethod(admin, "/grpc.health.v1.Health/Check", "").answered);
            backend->shutdown();
        }
    }

    void splitListenersRefusedWhereTheyCannotBeTold()
    {
        BackendOptions other;
        other.databasePath = m_dir.filePath(QStringLiteral("split-refused.sqlite")).toStdString();
        other.listenAddress = "127.0.0.1:0";
        other.adminListenAddress = "127.0.0.2:0";
        QString why;
        try {
            Backend::start(other);
        } catch (const StartupError &e) {
            why = QString::fromUtf8(e.what());
        }
        QVERIFY2(why.contains(QStringLiteral("cannot check which API a call is for on 127.0.0.2:0 without TLS")),
                 qPrintable(why));

        BackendOptions options;
        options.databasePath = m_dir.filePath(QStringLiteral("split-refused.sqlite")).toStdString();
        options.listenAddress = "127.0.0.1:0";
        options.adminListenAddress = "0.0.0.0:0";
        options.insecure = true;
        QString refusal;
        try {
            Backend::start(options);
        } catch (const StartupError &e) {
            refusal = QString::fromUtf8(e.what());
        }
        QVERIFY2(refusal.contains(QStringLiteral("on listeners of their own need tls on a network address such as "
                                                 "0.0.0.0:0")),
                 qPrintable(refusal));
    }

private:
    /// Adds a token named `name` created at `created` (expired a day later when that
    /// is in the past) and returns the token.
    static std::string add(auth::TokenRegistry &registry, const std::string &name, auth::Role role, TimePoint created)
    {
        const bool past = created + 24h < SystemClock::instance().now();
        return registry.issue(name, role, created, past ? std::optional<TimePoint>(created + 24h) : std::nullopt)
            .second;
    }

    QTemporaryDir m_dir;
    std::string m_tokensFile;
    std::map<auth::Role, std::string> m_tokens;
    std::string m_expired;
    std::string m_revoked;
    std::unique_ptr<Backend> m_backend;
    std::shared_ptr<grpc::Channel> m_channel;
    std::unique_ptr<grpc::GenericStub> m_stub;
};

QTEST_GUILESS_MAIN(TestAuth)
#include "tst_auth.moc"
