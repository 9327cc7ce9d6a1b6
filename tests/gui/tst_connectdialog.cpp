// File → Connect…: profiles added, edited and deleted through the dialog, tokens into
// the secret store (an in-memory double) and never into the settings file; without a
// keychain the dialog says so; connecting through the controller with the stored
// token, or asking for it.
#include "client/BackendConnection.h"
#include "connection/ConnectDialog.h"
#include "connection/ConnectionController.h"
#include "connection/ConnectionProfileStore.h"
#include "connection/EnvironmentPolicy.h"
#include "connection/MemorySecretStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

using namespace flywheel::ui;

namespace {

const QString kToken = QStringLiteral("fw_tok_9c1d2e3f4a5b6c7d");

void fill(ConnectDialog &dialog, const QString &name, const QString &address, Environment environment)
{
    dialog.newButton()->click();
    dialog.nameField()->setText(name);
    dialog.addressField()->setText(address);
    dialog.environmentBox()->setCurrentIndex(dialog.environmentBox()->findData(static_cast<int>(environment)));
}

} // namespace

class TestConnectDialog final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString settingsPath() const { return m_dir.filePath(QStringLiteral("console.ini")); }

private Q_SLOTS:
    void init() { QFile::remove(settingsPath()); }

    void savesProfileAndTokenApart()
    {
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        MemorySecretStore secrets;
        ConnectDialog dialog(&store, &secrets);
        fill(dialog, QStringLiteral("prod-eu"), QStringLiteral("flywheel.eu.example:443"), Environment::Production);
        dialog.tlsBox()->setChecked(true);
        QCOMPARE(dialog.tokenField()->echoMode(), QLineEdit::Password);
        dialog.tokenField()->setText(kToken);
        QSignalSpy answered(&dialog, &ConnectDialog::secretStoreAnswered);
        dialog.saveButton()->click();
        QVERIFY(answered.wait());
        QCOMPARE(dialog.statusText(), QStringLiteral("Profile “prod-eu” saved; its token is in the system keychain."));
        QCOMPARE(secrets.secrets().value(QStringLiteral("prod-eu")), kToken);
        QVERIFY(dialog.tokenField()->text().isEmpty());
        const auto saved = store.find(QStringLiteral("prod-eu"));
        QVERIFY(saved);
        QVERIFY(saved->tls);
        QCOMPARE(saved->environment, Environment::Production);
        QCOMPARE(dialog.profileList()->count(), 1);

        // The settings file holds the profile and not a byte of the token.
        settings.sync();
        QFile file(settingsPath());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY2(bytes.contains("flywheel.eu.example:443"), bytes.constData());
        QVERIFY2(!bytes.contains(kToken.toUtf8()), bytes.constData());
        QVERIFY(!bytes.contains("fw_tok"));
    }

    void refusesABadProfileInWords()
    {
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        MemorySecretStore secrets;
        ConnectDialog dialog(&store, &secrets);
        fill(dialog, QStringLiteral("lab"), QStringLiteral("lab.example"), Environment::Local);
        dialog.tokenField()->setText(kToken);
        dialog.connectButton()->click();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(dialog.statusText(),
                 QStringLiteral("The address must be HOST:PORT with a port from 1 to 65535, got “lab.example”."));
        QVERIFY(store.names().isEmpty());
        QVERIFY(secrets.secrets().isEmpty());
    }

    void saysWhenThereIsNoKeychain()
    {
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        MemorySecretStore secrets;
        secrets.setAvailable(false);
        ConnectDialog dialog(&store, &secrets);
        fill(dialog, QStringLiteral("staging"), QStringLiteral("staging.example:50051"), Environment::Staging);
        dialog.tokenField()->setText(kToken);
        QSignalSpy answered(&dialog, &ConnectDialog::secretStoreAnswered);
        dialog.saveButton()->click();
        QVERIFY(answered.wait());
        QCOMPARE(dialog.statusText(),
                 QStringLiteral("There is no system keychain on this computer (No keychain is available), so the "
                                "token was not stored: you will be asked for it each time you connect."));
        QVERIFY(secrets.secrets().isEmpty());
        QVERIFY(store.find(QStringLiteral("staging")));
    }

    void editsAndDeletes()
    {
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        MemorySecretStore secrets;
        ConnectDialog dialog(&store, &secrets);
        fill(dialog, QStringLiteral("lab"), QStringLiteral("lab.example:1"), Environment::Local);
        dialog.tokenField()->setText(kToken);
        QSignalSpy answered(&dialog, &ConnectDialog::secretStoreAnswered);
        dialog.saveButton()->click();
        QVERIFY(answered.wait());
        fill(dialog, QStringLiteral("staging"), QStringLiteral("staging.example:2"), Environment::Staging);
        QVERIFY(dialog.saveProfile());

        dialog.selectProfile(QStringLiteral("lab"));
        QCOMPARE(dialog.addressField()->text(), QStringLiteral("lab.example:1"));
        dialog.addressField()->setText(QStringLiteral("lab.example:3"));
        QVERIFY(dialog.saveProfile());
        QCOMPARE(store.find(QStringLiteral("lab"))->address, QStringLiteral("lab.example:3"));
        QCOMPARE(store.names().size(), 2);

        dialog.selectProfile(QStringLiteral("lab"));
        dialog.deleteButton()->click();
        QVERIFY(answered.wait());
        QCOMPARE(store.names(), QStringList{QStringLiteral("staging")});
        QVERIFY(!secrets.secrets().contains(QStringLiteral("lab")));
        QCOMPARE(dialog.statusText(), QStringLiteral("Profile “lab” deleted, with its token."));
    }

    void connectsWithTheStoredToken()
    {
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        MemorySecretStore secrets;
        ConnectDialog dialog(&store, &secrets);
        fill(dialog, QStringLiteral("prod-eu"), QStringLiteral("127.0.0.1:1"), Environment::Production);
        dialog.tokenField()->setText(kToken);
        dialog.connectButton()->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.chosenProfile());
        QCOMPARE(dialog.chosenProfile()->name, QStringLiteral("prod-eu"));
        QCOMPARE(dialog.typedToken(), kToken);
        QTRY_COMPARE(secrets.secrets().value(QStringLiteral("prod-eu")), kToken);

        QWidget window;
        BackendConnection connection(QStringLiteral("demo"));
        EnvironmentPolicy policy;
        ConnectionController controller(&connection, &policy, &store, &secrets, &window);
        int prompts = 0;
        controller.setTokenPrompt([&](const ConnectionProfile &, const QString &) -> std::optional<QString> {
            ++prompts;
            return std::nullopt;
        });
        QSignalSpy connected(&controller, &ConnectionController::connected);
        controller.connectProfile(*dialog.chosenProfile(), QString());
        QVERIFY(connected.wait());
        QCOMPARE(prompts, 0); // the keychain had it
        QVERIFY(connection.channel());
        QCOMPARE(connection.description(), QStringLiteral("prod-eu (127.0.0.1:1)"));
        QVERIFY(policy.isProduction());
        QVERIFY(!policy.editingAllowed());
    }

    void asksForTheTokenWithoutAKeychain()
    {
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        ConnectionProfile staging;
        staging.name = QStringLiteral("staging");
        staging.address = QStringLiteral("127.0.0.1:2");
        staging.environment = Environment::Staging;
        QCOMPARE(store.save(staging), QString());
        MemorySecretStore secrets;
        secrets.setAvailable(false);
        QWidget window;
        BackendConnection connection(QStringLiteral("demo"));
        EnvironmentPolicy policy;
        ConnectionController controller(&connection, &policy, &store, &secrets, &window);
        QString asked;
        controller.setTokenPrompt([&](const ConnectionProfile &p, const QString &why) -> std::optional<QString> {
            asked = p.name + u'|' + why;
            return kToken;
        });
        QSignalSpy connected(&controller, &ConnectionController::connected);
        controller.connectProfile(staging, QString());
        QVERIFY(connected.wait());
        QCOMPARE(asked, QStringLiteral("staging|There is no system keychain on this computer (No keychain is "
                                       "available), so tokens are not stored: type it for this connection."));
        QVERIFY(policy.editingAllowed());

        // Cancelling the question does not connect.
        controller.setTokenPrompt([](const ConnectionProfile &, const QString &) { return std::nullopt; });
        QSignalSpy refused(&controller, &ConnectionController::notConnected);
        controller.connectProfile(staging, QString());
        QVERIFY(refused.wait());
        QCOMPARE(refused.first().first().toString(), QStringLiteral("Connecting to “staging” was cancelled."));
    }

    void rendersForPeople()
    {
        // FLYWHEEL_SCREENSHOT_DIR=/tmp renders the dialog to look at.
        const QString dir = qEnvironmentVariable("FLYWHEEL_SCREENSHOT_DIR");
        if (dir.isEmpty())
            QSKIP("set FLYWHEEL_SCREENSHOT_DIR to render the dialog");
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        MemorySecretStore secrets;
        ConnectDialog dialog(&store, &secrets);
        fill(dialog, QStringLiteral("staging"), QStringLiteral("staging.example:50051"), Environment::Staging);
        QVERIFY(dialog.saveProfile());
        fill(dialog, QStringLiteral("prod-eu"), QStringLiteral("flywheel.eu.example:443"), Environment::Production);
        dialog.tlsBox()->setChecked(true);
        dialog.caFileField()->setText(QStringLiteral("/etc/flywheel/ca.pem"));
        dialog.tokenField()->setText(kToken);
        dialog.show();
        QVERIFY(dialog.grab().save(dir + QStringLiteral("/connect-dialog.png")));
    }
};

QTEST_MAIN(TestConnectDialog)
#include "tst_connectdialog.moc"
