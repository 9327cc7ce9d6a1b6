// Connection profiles in QSettings: validation with precise refusals, persistence
// across stores, edits and deletions, and the default colour of each environment.
#include "connection/ConnectionProfileStore.h"

#include <QFile>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace flywheel::ui;

namespace {

ConnectionProfile profile(const QString &name, const QString &address, Environment environment = Environment::Staging)
{
    ConnectionProfile p;
    p.name = name;
    p.address = address;
    p.environment = environment;
    return p;
}

const QByteArray kPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

} // namespace

class TestConnectionProfileStore final : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString settingsPath() const { return m_dir.filePath(QStringLiteral("console.ini")); }

private Q_SLOTS:
    void init() { QFile::remove(settingsPath()); }

    void refusesBadProfiles_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("address");
        QTest::addColumn<bool>("tls");
        QTest::addColumn<QString>("caFile");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty name") << ""
                                    << "h:1" << false << ""
                                    << "The profile needs a name.";
        QTest::newRow("blank name") << "   "
                                    << "h:1" << false << ""
                                    << "The profile needs a name.";
        QTest::newRow("padded name") << " prod"
                                     << "h:1" << false << ""
                                     << "The profile name “ prod” starts or ends with a space.";
        QTest::newRow("colon in name") << "prod:eu"
                                       << "h:1" << false << ""
                                       << "The profile name “prod:eu” contains “:”; --connect would read it as an "
                                          "address.";
        QTest::newRow("duplicate, other case") << "STAGING"
                                               << "h:1" << false << ""
                                               << "A profile named “staging” already exists.";
        QTest::newRow("no port") << "new"
                                 << "backend.example" << false << ""
                                 << "The address must be HOST:PORT with a port from 1 to 65535, got “backend.example”.";
        QTest::newRow("port zero") << "new"
                                   << "h:0" << false << ""
                                   << "The address must be HOST:PORT with a port from 1 to 65535, got “h:0”.";
        QTest::newRow("port too big") << "new"
                                      << "h:70000" << false << ""
                                      << "The address must be HOST:PORT with a port from 1 to 65535, got “h:70000”.";
        QTest::newRow("no host") << "new"
                                 << ":50051" << false << ""
                                 << "The address must be HOST:PORT with a port from 1 to 65535, got “:50051”.";
        QTest::newRow("CA without TLS") << "new"
                                        << "h:1" << false << "ca.pem"
                                        << "A CA file only applies with TLS on.";
        QTest::newRow("CA missing") << "new"
                                    << "h:1" << true << "missing.pem"
                                    << "The CA file “%1/missing.pem” cannot be read: No such file or directory.";
        QTest::newRow("CA not PEM") << "new"
                                    << "h:1" << true << "notpem.txt"
                                    << "The CA file “%1/notpem.txt” holds no PEM certificate.";
    }
    void refusesBadProfiles()
    {
        QFETCH(QString, name);
        QFETCH(QString, address);
        QFETCH(bool, tls);
        QFETCH(QString, caFile);
        QFETCH(QString, message);
        QFile notPem(m_dir.filePath(QStringLiteral("notpem.txt")));
        QVERIFY(notPem.open(QIODevice::WriteOnly));
        notPem.write("hello");
        notPem.close();
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        QCOMPARE(store.save(profile(QStringLiteral("staging"), QStringLiteral("staging.example:50051"))), QString());

        ConnectionProfile p = profile(name, address);
        p.tls = tls;
        p.caFile = caFile.isEmpty() ? QString() : m_dir.filePath(caFile);
        QCOMPARE(store.save(p), message.contains(QLatin1String("%1")) ? message.arg(m_dir.path()) : message);
        QCOMPARE(store.names(), QStringList{QStringLiteral("staging")});
    }

    void keepsProfilesAcrossStores()
    {
        QFile ca(m_dir.filePath(QStringLiteral("ca.pem")));
        QVERIFY(ca.open(QIODevice::WriteOnly));
        ca.write(kPem);
        ca.close();
        ConnectionProfile prod =
            profile(QStringLiteral("prod-eu"), QStringLiteral("flywheel.eu.example:443"), Environment::Production);
        prod.tls = true;
        prod.caFile = ca.fileName();
        {
            QSettings settings(settingsPath(), QSettings::IniFormat);
            ConnectionProfileStore store(&settings);
            QCOMPARE(store.save(prod), QString());
            QCOMPARE(
                store.save(profile(QStringLiteral("laptop"), QStringLiteral("127.0.0.1:50051"), Environment::Local)),
                QString());
        }
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        QCOMPARE(store.names(), (QStringList{QStringLiteral("prod-eu"), QStringLiteral("laptop")}));
        const auto loaded = store.find(QStringLiteral("prod-eu"));
        QVERIFY(loaded);
        QCOMPARE(*loaded, prod);
        QCOMPARE(loaded->shownColour(), defaultColour(Environment::Production));
        QVERIFY(!store.find(QStringLiteral("nope")));
    }

    void editsRenamesAndRemoves()
    {
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        QCOMPARE(store.save(profile(QStringLiteral("a"), QStringLiteral("h:1"))), QString());
        QCOMPARE(store.save(profile(QStringLiteral("b"), QStringLiteral("h:2"))), QString());
        // Saving a profile under its own name is an edit, not a duplicate.
        QCOMPARE(store.save(profile(QStringLiteral("a"), QStringLiteral("h:3")), QStringLiteral("a")), QString());
        QCOMPARE(store.find(QStringLiteral("a"))->address, QStringLiteral("h:3"));
        // Renaming onto another profile's name is refused.
        QCOMPARE(store.save(profile(QStringLiteral("b"), QStringLiteral("h:3")), QStringLiteral("a")),
                 QStringLiteral("A profile named “b” already exists."));
        QCOMPARE(store.save(profile(QStringLiteral("c"), QStringLiteral("h:3")), QStringLiteral("a")), QString());
        QCOMPARE(store.names(), (QStringList{QStringLiteral("c"), QStringLiteral("b")}));
        QVERIFY(store.remove(QStringLiteral("c")));
        QVERIFY(!store.remove(QStringLiteral("c")));
        QCOMPARE(store.names(), QStringList{QStringLiteral("b")});
    }

    void environmentsHaveTheirColours()
    {
        QCOMPARE(defaultColour(Environment::Production).name(), QStringLiteral("#cf222e"));
        QCOMPARE(defaultColour(Environment::Staging).name(), QStringLiteral("#bf8700"));
        QCOMPARE(defaultColour(Environment::Local).name(), QStringLiteral("#1a7f37"));
        ConnectionProfile p = profile(QStringLiteral("x"), QStringLiteral("h:1"));
        p.colour = QColor(QStringLiteral("#123456"));
        QCOMPARE(p.shownColour().name(), QStringLiteral("#123456"));
    }

    void anUnknownEnvironmentIsTreatedAsProduction()
    {
        {
            QSettings settings(settingsPath(), QSettings::IniFormat);
            ConnectionProfileStore store(&settings);
            QCOMPARE(store.save(profile(QStringLiteral("x"), QStringLiteral("h:1"))), QString());
            settings.setValue(QStringLiteral("connectionProfiles/1/environment"), QStringLiteral("prdo"));
        }
        QSettings settings(settingsPath(), QSettings::IniFormat);
        ConnectionProfileStore store(&settings);
        QCOMPARE(store.find(QStringLiteral("x"))->environment, Environment::Production);
    }
};

QTEST_GUILESS_MAIN(TestConnectionProfileStore)
#include "tst_connectionprofilestore.moc"
