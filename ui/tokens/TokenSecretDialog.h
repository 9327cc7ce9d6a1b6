#pragma once

#include <QDialog>
#include <QString>

class QLabel;
class QLineEdit;
class QPushButton;

namespace flywheel::ui {

/// Shows a token just made, once: the token with a button that copies it, and a
/// warning that it cannot be shown again. Deletes itself (and the token's text with
/// it) when closed.
class TokenSecretDialog final : public QDialog {
    Q_OBJECT

public:
    TokenSecretDialog(const QString &name, const QString &role, const QString &secret, QWidget *parent = nullptr);
    ~TokenSecretDialog() override;

    QString secret() const;
    QString warningText() const;
    QPushButton *copyButton() const { return m_copy; }
    /// "Copied" after the copy button was used.
    QString copiedText() const;

private:
    QLineEdit *m_secret;
    QLabel *m_warning;
    QLabel *m_copied;
    QPushButton *m_copy;
};

} // namespace flywheel::ui
