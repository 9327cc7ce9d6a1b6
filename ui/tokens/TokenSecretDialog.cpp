#include "tokens/TokenSecretDialog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace flywheel::ui {

TokenSecretDialog::TokenSecretDialog(const QString &name, const QString &role, const QString &secret,
                                     QWidget *parent)
    : QDialog(parent), m_secret(new QLineEdit(secret, this)), m_warning(new QLabel(this)),
      m_copied(new QLabel(this)), m_copy(new QPushButton(tr("Copy"), this))
{
    setObjectName(QStringLiteral("tokenSecretDialog"));
    setWindowTitle(tr("Token “%1” created").arg(name));
    setAttribute(Qt::WA_DeleteOnClose);
    auto *intro = new QLabel(tr("The token “%1” (role %2) was created. Give it to whoever holds it; they enter it "
                                "in their connection profile.")
                                 .arg(name, role),
                             this);
    intro->setWordWrap(true);
    m_warning->setText(tr("This is the only time the token is shown. Copy it now: it cannot be shown again, only "
                          "revoked and replaced."));
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color: #9a6700; font-weight: bold;"));
    m_secret->setReadOnly(true);
    m_secret->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_secret->setMinimumWidth(m_secret->fontMetrics().horizontalAdvance(secret) + 24);
    m_copied->setStyleSheet(QStringLiteral("color: #1a7f37;"));
    auto *row = new QHBoxLayout();
    row->addWidget(m_secret, 1);
    row->addWidget(m_copy);
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_secret->text());
        m_copied->setText(tr("Copied to the clipboard."));
    });
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_warning);
    layout->addLayout(row);
    layout->addWidget(m_copied);
    layout->addWidget(buttons);
}

TokenSecretDialog::~TokenSecretDialog()
{
    m_secret->clear();
}

QString TokenSecretDialog::secret() const
{
    return m_secret->text();
}

QString TokenSecretDialog::warningText() const
{
    return m_warning->text();
}

QString TokenSecretDialog::copiedText() const
{
    return m_copied->text();
}

} // namespace flywheel::ui
