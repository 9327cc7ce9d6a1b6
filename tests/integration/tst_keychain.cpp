// The one test against the real system keychain: KeychainSecretStore writes, reads and
// deletes a token through qtkeychain and the freedesktop Secret Service. It starts its
// own session bus and an unlocked gnome-keyring (dbus-run-session + gnome-keyring-daemon,
// as docs/operations.md describes for headless machines) and runs the round trip inside
// it; without those programs it is skipped, saying so.
#include "connection/KeychainSecretStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

#include <optional>

using namespace flywheel::ui;

namespace {

const char *const kInsideSession = "FLYWHEEL_KEYCHAIN_SESSION";

std::optional<SecretStore::Result> wait(const std::function<void(SecretStore::Done)> &start)
{
    std::optional<SecretStore::Result> result;
    start([&](const SecretStore::Result &r) { result = r; });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 20000))
        return std::nullopt;
    return result;
}

} // namespace

class TestKeychain final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundTripInItsOwnSession()
    {
        if (qEnvironmentVariableIsSet(kInsideSession))
            QSKIP("already inside the session; roundTrip runs here");
        const QString dbus = QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
        const QString keyring = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (dbus.isEmpty() || keyring.isEmpty())
            QSKIP("needs dbus-run-session and gnome-keyring-daemon (Debian: dbus, gnome-keyring) to start a "
                  "Secret Service; scripts/install-deps installs them");
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kInsideSession), QStringLiteral("1"));
        env.insert(QStringLiteral("HOME"), QDir::tempPath()); // the keyring's files go to a throw-away place
        process.setProcessEnvironment(env);
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(dbus, {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                             QStringLiteral("printf flywheel | %1 --unlock --components=secrets >/dev/null && exec "
                                            "\"$0\" roundTrip")
                                 .arg(keyring),
                             QCoreApplication::applicationFilePath()});
        QVERIFY(process.waitForFinished(60000));
        const QString output = QString::fromLocal8Bit(process.readAll());
        if (output.contains(QLatin1String("SKIP   : TestKeychain::roundTrip")))
            QSKIP(qPrintable(QStringLiteral("the keychain session did not come up: ") + output));
        QVERIFY2(process.exitCode() == 0, qPrintable(output));
        QVERIFY2(output.contains(QLatin1String("PASS   : TestKeychain::roundTrip")), qPrintable(output));
    }

    void roundTrip()
    {
        if (!qEnvironmentVariableIsSet(kInsideSession))
            QSKIP("runs inside the session roundTripInItsOwnSession starts");
        KeychainSecretStore store(QStringLiteral("Flywheel console test"));
        const QString profile = QStringLiteral("tst-keychain-%1").arg(QCoreApplication::applicationPid());
        const QString token = QStringLiteral("fw_tok_keychain_test");
        auto written = wait([&](SecretStore::Done done) { store.write(profile, token, done); });
        QVERIFY(written);
        if (written->outcome == SecretStore::Outcome::Unavailable)
            QSKIP(qPrintable(QStringLiteral("no Secret Service answered: ") + written->error));
        QVERIFY2(written->outcome == SecretStore::Outcome::Ok, qPrintable(written->error));
        auto read = wait([&](SecretStore::Done done) { store.read(profile, done); });
        QVERIFY(read);
        QVERIFY2(read->outcome == SecretStore::Outcome::Ok, qPrintable(read->error));
        QCOMPARE(read->secret, token);
        auto removed = wait([&](SecretStore::Done done) { store.remove(profile, done); });
        QVERIFY(removed);
        QVERIFY2(removed->outcome == SecretStore::Outcome::Ok, qPrintable(removed->error));
        auto gone = wait([&](SecretStore::Done done) { store.read(profile, done); });
        QVERIFY(gone);
        QCOMPARE(int(gone->outcome), int(SecretStore::Outcome::NotFound));
    }
};

QTEST_GUILESS_MAIN(TestKeychain)
#include "tst_keychain.moc"
