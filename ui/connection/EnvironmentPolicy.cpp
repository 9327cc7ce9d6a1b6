#include "connection/EnvironmentPolicy.h"

#include <QMessageBox>
#include <QPushButton>
#include <QWidget>

namespace flywheel::ui {

EnvironmentPolicy::EnvironmentPolicy(QObject *parent) : QObject(parent)
{
    setObjectName(QStringLiteral("environmentPolicy"));
}

EnvironmentPolicy *EnvironmentPolicy::of(const QWidget *widget)
{
    if (!widget)
        return nullptr;
    return widget->window()->findChild<EnvironmentPolicy *>(QStringLiteral("environmentPolicy"),
                                                            Qt::FindDirectChildrenOnly);
}

bool EnvironmentPolicy::allowsEditing(const QWidget *widget)
{
    const EnvironmentPolicy *policy = of(widget);
    return !policy || policy->editingAllowed();
}

bool EnvironmentPolicy::allowsRole(const QWidget *widget, Role role)
{
    const EnvironmentPolicy *policy = of(widget);
    return !policy || policy->roleAllows(role);
}

QString EnvironmentPolicy::editingBlockedText(const QWidget *widget)
{
    const EnvironmentPolicy *policy = of(widget);
    return policy ? policy->blockedText(Role::Operator) : QString();
}

void EnvironmentPolicy::explainBlocked(const QWidget *widget, std::initializer_list<QWidget *> controls)
{
    const QString blocked = editingBlockedText(widget);
    for (QWidget *control : controls)
        control->setToolTip(blocked);
}

void EnvironmentPolicy::watch(QWidget *widget, const std::function<void()> &update)
{
    if (EnvironmentPolicy *policy = of(widget)) {
        connect(policy, &EnvironmentPolicy::editingAllowedChanged, widget, [update](bool) { update(); });
        connect(policy, &EnvironmentPolicy::callerChanged, widget, [update] { update(); });
    }
}

EnvironmentPolicy::Role EnvironmentPolicy::roleFromName(const QString &name)
{
    for (const Role role : {Role::Storefront, Role::Viewer, Role::Operator, Role::Admin}) {
        if (name == roleName(role))
            return role;
    }
    return Role::Unknown;
}

QString EnvironmentPolicy::roleName(Role role)
{
    switch (role) {
    case Role::Storefront:
        return QStringLiteral("storefront");
    case Role::Viewer:
        return QStringLiteral("viewer");
    case Role::Operator:
        return QStringLiteral("operator");
    case Role::Admin:
        return QStringLiteral("admin");
    case Role::Unknown:
        break;
    }
    return QString();
}

void EnvironmentPolicy::setCaller(const QString &name, Role role)
{
    if (name == m_callerName && role == m_callerRole)
        return;
    const bool before = editingAllowed();
    m_callerName = name;
    m_callerRole = role;
    Q_EMIT callerChanged();
    if (before != editingAllowed())
        Q_EMIT editingAllowedChanged(editingAllowed());
}

void EnvironmentPolicy::clearCaller()
{
    setCaller(QString(), Role::Unknown);
}

QString EnvironmentPolicy::callerText() const
{
    if (m_callerName.isEmpty())
        return QString();
    if (m_callerRole == Role::Unknown)
        return tr("Signed in as %1").arg(m_callerName);
    return tr("Signed in as %1 (%2)").arg(m_callerName, roleName(m_callerRole));
}

bool EnvironmentPolicy::roleAllows(Role needed) const
{
    return m_callerRole == Role::Unknown || m_callerRole >= needed;
}

QString EnvironmentPolicy::blockedText(Role needed, bool editing) const
{
    if (!roleAllows(needed)) {
        return tr("This needs the role %1 (or higher); you are signed in as %2 with the role %3.")
            .arg(roleName(needed), m_callerName, roleName(m_callerRole));
    }
    if (editing && !environmentAllowsEditing())
        return tr("Editing %1 is locked. Unlock it from the bar at the top of the window first.")
            .arg(environmentName(m_profile->environment).toUpper());
    return QString();
}

void EnvironmentPolicy::setProfile(const std::optional<ConnectionProfile> &profile)
{
    const bool before = editingAllowed();
    m_profile = profile;
    m_unlocked = false; // every connection to production starts read-only
    Q_EMIT profileChanged();
    if (before != editingAllowed())
        Q_EMIT editingAllowedChanged(editingAllowed());
}

bool EnvironmentPolicy::isProduction() const
{
    return m_profile && m_profile->environment == Environment::Production;
}

bool EnvironmentPolicy::editingAllowed() const
{
    return environmentAllowsEditing() && roleAllows(Role::Operator);
}

bool EnvironmentPolicy::environmentAllowsEditing() const
{
    return !isProduction() || m_unlocked;
}

void EnvironmentPolicy::setUnlocked(bool unlocked)
{
    const bool before = editingAllowed();
    m_unlocked = unlocked;
    Q_EMIT profileChanged();
    if (before != editingAllowed())
        Q_EMIT editingAllowedChanged(editingAllowed());
}

QString EnvironmentPolicy::unlockQuestion() const
{
    return tr("Unlock editing on %1 (profile “%2”, %3) for this session? Changes you save go to %1 "
              "at once, and every save will still ask.")
        .arg(environmentName(m_profile->environment).toUpper(), m_profile->name, m_profile->address);
}

QString EnvironmentPolicy::saveQuestion(const QString &title) const
{
    return tr("“%1” changes %2 (profile “%3”, %4). Go ahead on %2?")
        .arg(title, environmentName(m_profile->environment).toUpper(), m_profile->name, m_profile->address);
}

bool EnvironmentPolicy::unlock(QWidget *parent)
{
    if (environmentAllowsEditing())
        return true;
    QMessageBox box(QMessageBox::Warning, tr("Unlock editing"), unlockQuestion(), QMessageBox::Cancel, parent);
    box.setObjectName(QStringLiteral("unlockConfirmation"));
    QPushButton *yes =
        box.addButton(tr("Unlock editing on %1").arg(environmentName(m_profile->environment)), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != yes)
        return false;
    setUnlocked(true);
    return true;
}

bool EnvironmentPolicy::confirmSave(QWidget *parent, const QString &title)
{
    if (!isProduction())
        return true;
    if (!m_unlocked) {
        QMessageBox box(QMessageBox::Information, title,
                        tr("Editing %1 is locked. Unlock it from the bar at the top of the window first.")
                            .arg(environmentName(m_profile->environment).toUpper()),
                        QMessageBox::Ok, parent);
        box.setObjectName(QStringLiteral("editingLocked"));
        box.exec();
        return false;
    }
    QMessageBox box(QMessageBox::Warning, title, saveQuestion(title), QMessageBox::Cancel, parent);
    box.setObjectName(QStringLiteral("productionSaveConfirmation"));
    QPushButton *yes =
        box.addButton(tr("Go ahead on %1").arg(environmentName(m_profile->environment)), QMessageBox::AcceptRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == yes;
}

} // namespace flywheel::ui
