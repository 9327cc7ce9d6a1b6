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

void EnvironmentPolicy::watch(QWidget *widget, const std::function<void()> &update)
{
    if (EnvironmentPolicy *policy = of(widget))
        connect(policy, &EnvironmentPolicy::editingAllowedChanged, widget, [update](bool) { update(); });
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
    if (editingAllowed())
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
