#include "audit/AuditText.h"

#include <QLocale>

namespace flywheel::ui {

QStringList AuditText::areas()
{
    return {QStringLiteral("pricing"),     QStringLiteral("segments"),    QStringLiteral("referral"),
            QStringLiteral("subsidy"),     QStringLiteral("experiments"), QStringLiteral("inventory"),
            QStringLiteral("commissions"), QStringLiteral("orders"),      QStringLiteral("tokens")};
}

QString AuditText::areaName(const QString &area)
{
    if (area == QLatin1String("pricing"))
        return tr("Pricing");
    if (area == QLatin1String("segments"))
        return tr("Segments");
    if (area == QLatin1String("referral"))
        return tr("Referral");
    if (area == QLatin1String("subsidy"))
        return tr("Subsidies");
    if (area == QLatin1String("experiments"))
        return tr("Experiments");
    if (area == QLatin1String("inventory"))
        return tr("Inventory");
    if (area == QLatin1String("commissions"))
        return tr("Commissions");
    if (area == QLatin1String("orders"))
        return tr("Orders");
    if (area == QLatin1String("tokens"))
        return tr("Tokens");
    return area;
}

QString AuditText::areaName(const std::string &area)
{
    return areaName(QString::fromStdString(area));
}

QString AuditText::roleName(const std::string &role)
{
    if (role == "storefront")
        return tr("Storefront");
    if (role == "viewer")
        return tr("Viewer");
    if (role == "operator")
        return tr("Operator");
    if (role == "admin")
        return tr("Administrator");
    return QString::fromStdString(role);
}

QString AuditText::actor(const v1::AuditEntry &entry)
{
    const QString name = QString::fromStdString(entry.actor_name());
    if (name.isEmpty())
        return QStringLiteral("—");
    if (entry.actor_role().empty())
        return name;
    return tr("%1 (%2)").arg(name, roleName(entry.actor_role()));
}

QString AuditText::version(qint64 version)
{
    return version > 0 ? QLocale().toString(version) : QStringLiteral("—");
}

} // namespace flywheel::ui
