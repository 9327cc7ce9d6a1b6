#pragma once

#include <QDialog>
#include <QString>

#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;

namespace flywheel::ui {

/// Asks why a versioned set (pricing rules, segments, the referral programme) is saved or
/// rolled back. The reason is required and kept in the history, at most kMaxLength
/// characters; the dialog says what is wrong with it and stays open until it is right.
/// For a rollback it also says what rolling back does, so one dialog asks and confirms.
class ReasonDialog final : public QDialog {
    Q_OBJECT

public:
    /// The backend refuses longer reasons.
    static constexpr int kMaxLength = 500;

    /// `consequence` (may be empty) is said above the question; `acceptText` names the
    /// button that goes ahead ("Save", "Roll back").
    ReasonDialog(const QString &title, const QString &question, const QString &consequence, const QString &acceptText,
                 QWidget *parent = nullptr);

    /// Shows the dialog; the trimmed reason, or nullopt when the operator cancelled.
    static std::optional<QString> ask(QWidget *parent, const QString &title, const QString &question,
                                      const QString &consequence, const QString &acceptText);

    /// The reason typed, trimmed.
    QString reason() const;
    /// What is wrong with the reason, empty when nothing is (or nothing was tried yet).
    QString problemText() const;
    QLineEdit *reasonField() const { return m_reason; }
    QPushButton *acceptButton() const { return m_accept; }

    /// Accepts only a reason that is there and not too long; otherwise says why.
    void accept() override;

private:
    void check(bool accepting);

    QLineEdit *m_reason;
    QLabel *m_count;
    QLabel *m_problem;
    QPushButton *m_accept;
};

} // namespace flywheel::ui
