#include "common/ReasonDialog.h"

#include "connection/EnvironmentPolicy.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

/// Characters as people count them (a CJK character or an emoji is one).
int characterCount(const QString &text)
{
    return static_cast<int>(text.toUcs4().size());
}

} // namespace

ReasonDialog::ReasonDialog(const QString &title, const QString &question, const QString &consequence,
                           const QString &acceptText, QWidget *parent)
    : QDialog(parent), m_reason(new QLineEdit(this)), m_count(new QLabel(this)), m_problem(new QLabel(this)),
      m_accept(nullptr)
{
    setWindowTitle(title);
    auto *layout = new QVBoxLayout(this);
    if (!consequence.isEmpty()) {
        auto *what = new QLabel(consequence, this);
        what->setWordWrap(true);
        layout->addWidget(what);
    }
    auto *label = new QLabel(question, this);
    label->setWordWrap(true);
    label->setBuddy(m_reason);
    layout->addWidget(label);
    m_reason->setMinimumWidth(420);
    layout->addWidget(m_reason);
    m_count->setStyleSheet(QStringLiteral("color: #57606a;"));
    m_count->setAlignment(Qt::AlignRight);
    layout->addWidget(m_count);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #cf222e; font-weight: bold;"));
    m_problem->hide();
    layout->addWidget(m_problem);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_accept = buttons->addButton(acceptText.isEmpty() ? tr("OK") : acceptText, QDialogButtonBox::AcceptRole);
    m_accept->setDefault(true);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &ReasonDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ReasonDialog::reject);
    connect(m_reason, &QLineEdit::textChanged, this, [this] { check(false); });
    check(false);
}

std::optional<QString> ReasonDialog::ask(QWidget *parent, const QString &title, const QString &question,
                                         const QString &consequence, const QString &acceptText)
{
    // Against production: locked refuses, unlocked asks to confirm naming the environment.
    if (EnvironmentPolicy *policy = EnvironmentPolicy::of(parent); policy && !policy->confirmSave(parent, title))
        return std::nullopt;
    ReasonDialog dialog(title, question, consequence, acceptText, parent);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.reason();
}

QString ReasonDialog::reason() const
{
    return m_reason->text().trimmed();
}

QString ReasonDialog::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void ReasonDialog::check(bool accepting)
{
    const int length = characterCount(reason());
    m_count->setText(tr("%1 / %2 characters").arg(length).arg(kMaxLength));
    QString problem;
    if (length > kMaxLength)
        problem =
            tr("The reason is %1 characters long; at most %2 are allowed. Shorten it.").arg(length).arg(kMaxLength);
    else if (length == 0 && (accepting || !m_problem->isHidden()))
        problem = tr("A reason is required: it is kept in the history.");
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

void ReasonDialog::accept()
{
    check(true);
    if (!problemText().isEmpty()) {
        m_reason->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace flywheel::ui
