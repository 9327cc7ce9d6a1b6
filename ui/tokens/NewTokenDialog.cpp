#include "tokens/NewTokenDialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

namespace flywheel::ui {

NewTokenDialog::NewTokenDialog(QWidget *parent)
    : QDialog(parent), m_name(new QLineEdit(this)), m_role(new QComboBox(this)),
      m_never(new QCheckBox(tr("Never expires"), this)), m_days(new QSpinBox(this)), m_reason(new QLineEdit(this)),
      m_problem(new QLabel(this)), m_create(nullptr)
{
    setWindowTitle(tr("New token"));
    setObjectName(QStringLiteral("newTokenDialog"));
    m_name->setPlaceholderText(tr("e.g. console-alice or storefront-eu"));
    m_name->setMaxLength(kMaxNameLength);
    m_role->addItem(tr("viewer — reads the admin API"), QStringLiteral("viewer"));
    m_role->addItem(tr("operator — also changes programmes, stock, commissions and refunds"),
                    QStringLiteral("operator"));
    m_role->addItem(tr("admin — also manages tokens"), QStringLiteral("admin"));
    m_role->addItem(tr("storefront — the storefront API only (orders, events, invites)"),
                    QStringLiteral("storefront"));
    m_days->setRange(1, kMaxExpiresDays);
    m_days->setValue(kDefaultExpiresDays);
    m_days->setSuffix(tr(" days"));
    m_reason->setPlaceholderText(tr("Why is this token made? Kept in the audit log."));
    m_reason->setMaxLength(kMaxReasonLength);
    m_reason->setMinimumWidth(420);
    auto *expiry = new QHBoxLayout();
    expiry->addWidget(m_days);
    expiry->addWidget(m_never);
    expiry->addStretch(1);
    connect(m_never, &QCheckBox::toggled, m_days, &QWidget::setDisabled);

    auto *form = new QFormLayout();
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Role:"), m_role);
    form->addRow(tr("Expires after:"), expiry);
    form->addRow(tr("Reason:"), m_reason);

    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #cf222e; font-weight: bold;"));
    m_problem->hide();

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_create = buttons->addButton(tr("Create token"), QDialogButtonBox::AcceptRole);
    m_create->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &NewTokenDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &NewTokenDialog::reject);

    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("The token is shown once, right after it is made; only its digest is kept."), this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(buttons);
}

QString NewTokenDialog::name() const
{
    return m_name->text().trimmed();
}

QString NewTokenDialog::role() const
{
    return m_role->currentData().toString();
}

int NewTokenDialog::expiresDays() const
{
    return m_never->isChecked() ? 0 : m_days->value();
}

QString NewTokenDialog::reason() const
{
    return m_reason->text().trimmed();
}

QString NewTokenDialog::nameProblem(const QString &name)
{
    if (name.isEmpty())
        return tr("Give the token a name: who or what holds it.");
    if (name.size() > kMaxNameLength)
        return tr("The name is at most %1 characters long.").arg(kMaxNameLength);
    for (const QChar c : name) {
        const bool allowed = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
                             c == u'.' || c == u'_' || c == u'-';
        if (!allowed)
            return tr("The name may hold only letters A-Z and a-z, digits and . _ - (not “%1”).").arg(c);
    }
    return QString();
}

QString NewTokenDialog::problem() const
{
    if (const QString bad = nameProblem(name()); !bad.isEmpty())
        return bad;
    if (reason().isEmpty())
        return tr("Say why the token is made; the reason is kept in the audit log.");
    if (reason().toUcs4().size() > kMaxReasonLength)
        return tr("The reason is at most %1 characters long.").arg(kMaxReasonLength);
    return QString();
}

QString NewTokenDialog::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void NewTokenDialog::accept()
{
    const QString bad = problem();
    m_problem->setText(bad);
    m_problem->setVisible(!bad.isEmpty());
    if (bad.isEmpty())
        QDialog::accept();
}

} // namespace flywheel::ui
