#include "connection/ConnectionProfileStore.h"

#include <QFile>
#include <QSettings>

namespace flywheel::ui {

namespace {

const QString kGroup = QStringLiteral("connectionProfiles");

} // namespace

ConnectionProfileStore::ConnectionProfileStore(QSettings *settings) : m_settings(settings)
{}

bool ConnectionProfileStore::isAddress(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    if (colon <= 0)
        return false;
    bool ok = false;
    const int port = text.mid(colon + 1).toInt(&ok);
    return ok && port > 0 && port <= 65535 && !text.left(colon).trimmed().isEmpty() && !text.contains(u' ');
}

QList<ConnectionProfile> ConnectionProfileStore::profiles() const
{
    QList<ConnectionProfile> result;
    const int count = m_settings->beginReadArray(kGroup);
    for (int i = 0; i < count; ++i) {
        m_settings->setArrayIndex(i);
        ConnectionProfile p;
        p.name = m_settings->value(QStringLiteral("name")).toString();
        p.address = m_settings->value(QStringLiteral("address")).toString();
        p.tls = m_settings->value(QStringLiteral("tls")).toBool();
        p.caFile = m_settings->value(QStringLiteral("caFile")).toString();
        p.environment = environmentFromKey(m_settings->value(QStringLiteral("environment")).toString())
                            .value_or(Environment::Production); // an unknown one is treated as the careful one
        const QString colour = m_settings->value(QStringLiteral("colour")).toString();
        if (!colour.isEmpty())
            p.colour = QColor::fromString(colour);
        if (!p.name.isEmpty())
            result.append(p);
    }
    m_settings->endArray();
    return result;
}

QStringList ConnectionProfileStore::names() const
{
    QStringList result;
    for (const ConnectionProfile &p : profiles())
        result.append(p.name);
    return result;
}

std::optional<ConnectionProfile> ConnectionProfileStore::find(const QString &name) const
{
    for (const ConnectionProfile &p : profiles()) {
        if (p.name == name)
            return p;
    }
    return std::nullopt;
}

QString ConnectionProfileStore::validate(const ConnectionProfile &profile, const QString &replacing) const
{
    const QString name = profile.name.trimmed();
    if (name.isEmpty())
        return tr("The profile needs a name.");
    if (name != profile.name)
        return tr("The profile name “%1” starts or ends with a space.").arg(profile.name);
    if (name.contains(u':'))
        return tr("The profile name “%1” contains “:”; --connect would read it as an address.").arg(name);
    for (const ConnectionProfile &other : profiles()) {
        if (other.name.compare(name, Qt::CaseInsensitive) == 0 && other.name != replacing)
            return tr("A profile named “%1” already exists.").arg(other.name);
    }
    if (!isAddress(profile.address))
        return tr("The address must be HOST:PORT with a port from 1 to 65535, got “%1”.").arg(profile.address);
    if (!profile.caFile.isEmpty()) {
        if (!profile.tls)
            return tr("A CA file only applies with TLS on.");
        QFile file(profile.caFile);
        if (!file.open(QIODevice::ReadOnly))
            return tr("The CA file “%1” cannot be read: %2.").arg(profile.caFile, file.errorString());
        if (!file.peek(4096).contains("-----BEGIN CERTIFICATE-----"))
            return tr("The CA file “%1” holds no PEM certificate.").arg(profile.caFile);
    }
    return QString();
}

QString ConnectionProfileStore::save(const ConnectionProfile &profile, const QString &replacing)
{
    if (const QString problem = validate(profile, replacing); !problem.isEmpty())
        return problem;
    QList<ConnectionProfile> all = profiles();
    bool replaced = false;
    for (ConnectionProfile &p : all) {
        if (!replacing.isEmpty() && p.name == replacing) {
            p = profile;
            replaced = true;
        }
    }
    if (!replaced)
        all.append(profile);
    write(all);
    return QString();
}

bool ConnectionProfileStore::remove(const QString &name)
{
    QList<ConnectionProfile> all = profiles();
    const qsizetype removed = all.removeIf([&](const ConnectionProfile &p) { return p.name == name; });
    if (removed == 0)
        return false;
    write(all);
    return true;
}

void ConnectionProfileStore::write(const QList<ConnectionProfile> &profiles)
{
    m_settings->remove(kGroup);
    m_settings->beginWriteArray(kGroup, static_cast<int>(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        const ConnectionProfile &p = profiles[i];
        m_settings->setArrayIndex(i);
        m_settings->setValue(QStringLiteral("name"), p.name);
        m_settings->setValue(QStringLiteral("address"), p.address);
        m_settings->setValue(QStringLiteral("tls"), p.tls);
        m_settings->setValue(QStringLiteral("caFile"), p.caFile);
        m_settings->setValue(QStringLiteral("environment"), environmentKey(p.environment));
        m_settings->setValue(QStringLiteral("colour"), p.colour.isValid() ? p.colour.name() : QString());
    }
    m_settings->endArray();
    m_settings->sync();
}

} // namespace flywheel::ui
