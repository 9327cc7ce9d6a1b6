// flywheeld --config: the YAML daemon config, its refusals, the packaged example,
// and the rule for plaintext listeners.

#include "server/DaemonConfig.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <sys/stat.h>

using namespace flywheel;

namespace {

DaemonConfig parsed(const std::string &text, const std::string &file = "/etc/flywheel/flywheeld.yaml")
{
    auto result = parseDaemonConfig(text, file);
    if (const auto *error = std::get_if<common::YamlError>(&result))
        qFatal("unexpected refusal: %s", error->describe().c_str());
    return std::get<DaemonConfig>(result);
}

common::YamlError refused(const std::string &text, const std::string &file = "/etc/flywheel/flywheeld.yaml")
{
    auto result = parseDaemonConfig(text, file);
    if (!std::holds_alternative<common::YamlError>(result))
        qFatal("accepted what should be refused: %s", text.c_str());
    return std::get<common::YamlError>(result);
}

void write(const std::string &path, const std::string &text)
{
    std::ofstream(path) << text;
}

} // namespace

class TestDaemonConfig final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    // The commented example that ships in packaging/ loads as it is.
    void thePackagedExampleLoads()
    {
        const std::string path = std::string(FLYWHEEL_SOURCE_DIR) + "/packaging/flywheeld.yaml";
        auto loaded = loadDaemonConfig(path);
        if (const auto *error = std::get_if<common::YamlError>(&loaded))
            QFAIL(error->describe().c_str());
        const DaemonConfig &config = std::get<DaemonConfig>(loaded);
        QCOMPARE(*config.database, std::string("/var/lib/flywheel/flywheel.sqlite"));
        QCOMPARE(*config.metricsListen, std::string("127.0.0.1:9464"));
        QCOMPARE(*config.storefrontListen, std::string("127.0.0.1:50051"));
        QCOMPARE(*config.adminListen, std::string("127.0.0.1:50051"));
        QVERIFY(!config.tls.has_value());
        QCOMPARE(*config.insecure, false);
        QCOMPARE(*config.reflection, false);
        QCOMPARE(*config.reservationTtlSeconds, 900);
        QCOMPARE(*config.simulate, 0.0);
        QCOMPARE(*config.logFormat, std::string("text"));
        QVERIFY(!config.tokensFile.has_value());
    }

    void aMetricsAddressMustBeHostAndPort()
    {
        QCOMPARE(*parsed("metrics_listen: 127.0.0.1:0\n").metricsListen, std::string("127.0.0.1:0"));
        QVERIFY(!parsed("").metricsListen.has_value());
        const std::string error = refused("metrics_listen: nowhere\n").describe();
        QVERIFY2(error.find("metrics_listen") != std::string::npos && error.find("1:17") != std::string::npos,
                 error.c_str());
    }

    void anEmptyFileKeepsEveryDefault()
    {
        const DaemonConfig config = parsed("");
        QVERIFY(!config.database && !config.storefrontListen && !config.tls && !config.insecure);
        QVERIFY(!parsed("# only comments\n").database);
    }

    // Files named by keys: relative to the config's folder, and refused at the key
    // when they cannot be read.
    void filesAreAnchoredAndChecked()
    {
        QTemporaryDir dir;
        const std::string base = dir.path().toStdString();
        write(base + "/server.crt", "-----BEGIN CERTIFICATE-----\n");
        write(base + "/server.key", "-----BEGIN PRIVATE KEY-----\n");
        write(base + "/pricing.yaml", "rules: []\n");
        const std::string file = base + "/flywheeld.yaml";
        const DaemonConfig config = parsed("database: data/flywheel.sqlite\ntls:\n  cert: server.crt\n  key: " + base +
                                               "/server.key\npricing_file: pricing.yaml\n",
                                           file);
        QCOMPARE(*config.database, base + "/data/flywheel.sqlite");
        QCOMPARE(config.tls->cert, base + "/server.crt");
        QCOMPARE(config.tls->key, base + "/server.key");
        QVERIFY(!config.tls->clientCa.has_value());
        QCOMPARE(*config.pricingFile, base + "/pricing.yaml");

        const common::YamlError missing = refused("tls:\n  cert: server.crt\n  key: nowhere.key\n", file);
        QCOMPARE(missing.line, 3);
        QCOMPARE(missing.column, 8);
        QVERIFY2(
            QString::fromStdString(missing.reason).contains(QStringLiteral("tls.key names ")) &&
                QString::fromStdString(missing.reason).contains(QStringLiteral("nowhere.key, which cannot be read")),
            missing.reason.c_str());
        const common::YamlError noKey = refused("tls:\n  cert: server.crt\n", file);
        QVERIFY2(QString::fromStdString(noKey.reason).contains(QStringLiteral("key")), noKey.reason.c_str());
        QVERIFY(QString::fromStdString(refused("tokens_file: tokens.yaml\n", file).reason)
                    .contains(QStringLiteral("tokens_file names")));
        QVERIFY(QString::fromStdString(refused("invite_secret_file: ''\n", file).reason)
                    .contains(QStringLiteral("must name a file")));
    }

    // Unknown keys, wrong types and values out of range are refused with
    // file:line:col and the key path.
    void badValuesAreRefusedWithWhereAndWhy()
    {
        const common::YamlError unknown = refused("database: a.sqlite\nlisten: 127.0.0.1:1\n");
        QCOMPARE(unknown.line, 2);
        QVERIFY2(
            QString::fromStdString(unknown.describe()).startsWith(QStringLiteral("/etc/flywheel/flywheeld.yaml:2:1: ")),
            unknown.describe().c_str());
        QVERIFY2(QString::fromStdString(unknown.reason).contains(QStringLiteral("listen")), unknown.reason.c_str());

        const auto reasonOf = [](const std::string &text) { return QString::fromStdString(refused(text).reason); };
        QVERIFY(reasonOf("insecure: yes\n").contains(QStringLiteral("insecure")));
        QVERIFY(reasonOf("reflection: \"true\"\n").contains(QStringLiteral("reflection")));
        QVERIFY(reasonOf("reservation_ttl_seconds: 0\n").contains(QStringLiteral("reservation_ttl_seconds")));
        QVERIFY(reasonOf("reservation_ttl_seconds: 90000\n").contains(QStringLiteral("reservation_ttl_seconds")));
        QVERIFY(reasonOf("reservation_ttl_seconds: 1.5\n").contains(QStringLiteral("reservation_ttl_seconds")));
        QVERIFY(reasonOf("simulate: fast\n").contains(QStringLiteral("simulate must be a number")));
        QVERIFY(reasonOf("simulate: 20001\n").contains(QStringLiteral("simulate must be a number")));
        QVERIFY(reasonOf("simulate: \"5\"\n").contains(QStringLiteral("simulate")));
        QVERIFY(reasonOf("log_format: xml\n").contains(QStringLiteral("log_format must be text or json")));
        QVERIFY(reasonOf("storefront_listen: 127.0.0.1\n").contains(QStringLiteral("HOST:PORT")));
        QVERIFY(reasonOf("admin_listen: host:70000\n").contains(QStringLiteral("HOST:PORT")));
        QVERIFY(reasonOf("database: [a, b]\n").contains(QStringLiteral("database")));
        QVERIFY(reasonOf("tls: on\n").contains(QStringLiteral("tls")));
        QVERIFY(reasonOf("database: a\ndatabase: b\n").contains(QStringLiteral("database")));
        QVERIFY(reasonOf("- a\n- b\n").contains(QStringLiteral("mapping")));
        const common::YamlError syntax = refused("database: [unclosed\n");
        QVERIFY(syntax.line >= 1);
        QCOMPARE(parsed("simulate: 12.5\n").simulate.value(), 12.5);
        QCOMPARE(parsed("log_format: json\n").logFormat.value(), std::string("json"));
        // The payment callback listener.
        QVERIFY(reasonOf("payments: {callback_listen: nowhere}\n").contains(QStringLiteral("HOST:PORT")));
        QVERIFY(reasonOf("payments: {callback_url: http://pay.example.com}\n").contains(QStringLiteral("https://")));
        QVERIFY(reasonOf("payments: {sandboxes: maybe}\n").contains(QStringLiteral("sandboxes")));
        QVERIFY(reasonOf("payments: {port: 1}\n").contains(QStringLiteral("port")));
        const DaemonConfig payments =
            parsed("payments: {callback_listen: 0.0.0.0:8443, callback_url: https://pay.example.com/fw, sandboxes: true}\n");
        QCOMPARE(payments.payments->callbackListen.value(), std::string("0.0.0.0:8443"));
        QCOMPARE(payments.payments->callbackUrl.value(), std::string("https://pay.example.com/fw"));
        QVERIFY(payments.payments->sandboxes.value());
    }

    void anUnreadableConfigIsNamed()
    {
        auto loaded = loadDaemonConfig("/nonexistent/flywheeld.yaml");
        const auto *error = std::get_if<common::YamlError>(&loaded);
        QVERIFY(error != nullptr);
        QCOMPARE(error->file, std::string("/nonexistent/flywheeld.yaml"));
        QVERIFY(QString::fromStdString(error->reason).contains(QStringLiteral("cannot read the config file")));
    }

    void addresses()
    {
        QVERIFY(isListenAddress("127.0.0.1:0"));
        QVERIFY(isListenAddress("[::]:50051"));
        QVERIFY(isListenAddress("example.com:443"));
        QVERIFY(!isListenAddress(":50051"));
        QVERIFY(!isListenAddress("127.0.0.1"));
        QVERIFY(!isListenAddress("127.0.0.1:65536"));
        QVERIFY(!isListenAddress("127.0.0.1:5x"));
        QVERIFY(isLoopbackAddress("127.0.0.1:1"));
        QVERIFY(isLoopbackAddress("127.3.4.5:1"));
        QVERIFY(isLoopbackAddress("localhost:1"));
        QVERIFY(isLoopbackAddress("[::1]:1"));
        QVERIFY(!isLoopbackAddress("0.0.0.0:1"));
        QVERIFY(!isLoopbackAddress("[::]:1"));
        QVERIFY(!isLoopbackAddress("10.0.0.5:1"));
        QVERIFY(!isLoopbackAddress("128.0.0.1:1"));
        QVERIFY(!isLoopbackAddress("localhost.example.com:1"));
    }

    // Plaintext only on loopback; insecure accepts the risk with a warning; TLS
    // anywhere; in-process (no address) always.
    void plaintextOnlyOnLoopbackUnlessInsecure()
    {
        QVERIFY(checkListen("127.0.0.1:0", false, false).refusal.empty());
        QVERIFY(checkListen("127.0.0.1:0", false, false).warning.empty());
        QVERIFY(checkListen("", false, false).refusal.empty());
        const ListenCheck open = checkListen("0.0.0.0:50051", false, false);
        QVERIFY2(QString::fromStdString(open.refusal)
                     .contains(QStringLiteral("refusing to serve plaintext on 0.0.0.0:50051")),
                 open.refusal.c_str());
        QVERIFY(QString::fromStdString(open.refusal).contains(QStringLiteral("insecure: true")));
        QVERIFY(!checkListen("[::]:50051", false, false).refusal.empty());
        const ListenCheck accepted = checkListen("0.0.0.0:50051", false, true);
        QVERIFY(accepted.refusal.empty());
        QVERIFY(QString::fromStdString(accepted.warning).contains(QStringLiteral("plaintext on 0.0.0.0:50051")));
        const ListenCheck tls = checkListen("0.0.0.0:50051", true, false);
        QVERIFY(tls.refusal.empty() && tls.warning.empty());
    }
};

QTEST_GUILESS_MAIN(TestDaemonConfig)
#include "tst_daemonconfig.moc"
