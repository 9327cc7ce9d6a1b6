#pragma once

#include <QDialog>
#include <QString>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace flywheel::ui {

/// Asks for a new token: who holds it (its name), its role, when it expires (in days,
/// or never) and why it is made. Says what is wrong and stays open until it is right.
class NewTokenDialog final : public QDialog {
    Q_OBJECT

public:
    /// The backend's limits.
    static constexpr int kMaxNameLength = 64;
    static constexpr int kMaxExpiresDays = 3650;
    static constexpr int kDefaultExpiresDays = 90;
    static constexpr int kMaxReasonLength = 500;

    explicit NewTokenDialog(QWidget *parent = nullptr);

    QString name() const;
    /// "viewer", "operator", "admin" or "storefront".
    QString role() const;
    /// 0: never expires.
    int expiresDays() const;
    /// Trimmed.
    QString reason() const;

    /// What is wrong with the name (1 to 64 of A-Z a-z 0-9 . _ -), or empty.
    static QString nameProblem(const QString &name);
    /// What is wrong with what was typed, empty when nothing is.
    QString problem() const;
    QString problemText() const;

    QLineEdit *nameField() const { return m_name; }
    QComboBox *roleBox() const { return m_role; }
    QCheckBox *neverBox() const { return m_never; }
    QSpinBox *daysBox() const { return m_days; }
    QLineEdit *reasonField() const { return m_reason; }
    QPushButton *createButton() const { return m_create; }

    /// Accepts only a complete request; otherwise says why.
    void accept() override;

private:
    QLineEdit *m_name;
    QComboBox *m_role;
    QCheckBox *m_never;
    QSpinBox *m_days;
    QLineEdit *m_reason;
    QLabel *m_problem;
    QPushButton *m_create;
};

} // namespace flywheel::ui
