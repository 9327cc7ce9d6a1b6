#include "connection/EnvironmentBar.h"

#include "connection/EnvironmentPolicy.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace flywheel::ui {

EnvironmentBar::EnvironmentBar(EnvironmentPolicy *policy, QWidget *parent)
    : QFrame(parent), m_policy(policy), m_label(new QLabel(this)),
      m_unlock(new QPushButton(tr("Unlock editing…"), this))
{
    setObjectName(QStringLiteral("environmentBar"));
    QFont font = m_label->font();
    font.setBold(true);
    m_label->setFont(font);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(12, 4, 8, 4);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_unlock);
    connect(m_unlock, &QPushButton::clicked, this, [this] { m_policy->unlock(window()); });
    connect(m_policy, &EnvironmentPolicy::profileChanged, this, &EnvironmentBar::refresh);
    refresh();
}

QString EnvironmentBar::text() const
{
    return isHidden() ? QString() : m_label->text();
}

void EnvironmentBar::refresh()
{
    const auto &profile = m_policy->profile();
    setVisible(profile.has_value());
    if (!profile)
        return;
    const QString colour = profile->shownColour().name();
    setStyleSheet(
        QStringLiteral("#environmentBar { background: %1; } #environmentBar QLabel { color: white; }").arg(colour));
    QString text =
        tr("%1 — %2 (%3)").arg(environmentName(profile->environment).toUpper(), profile->name, profile->address);
    if (m_policy->isProduction())
        text += m_policy->environmentAllowsEditing() ? tr(" — editing unlocked for this session") : tr(" — read-only");
    m_label->setText(text);
    m_unlock->setVisible(!m_policy->environmentAllowsEditing());
}

} // namespace flywheel::ui
