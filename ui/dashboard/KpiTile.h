#pragma once

#include <QFrame>

class QLabel;

namespace flywheel::ui {

/// One headline number: its name, its value in the window, and how it changed
/// against the previous window of the same length.
class KpiTile final : public QFrame {
    Q_OBJECT

public:
    explicit KpiTile(const QString &title, const QString &help, QWidget *parent = nullptr);

    /// `change` is the relative change against the previous window (0.1 = +10 %),
    /// or NaN when there is nothing to compare with; `comparison` says with what.
    void setValue(const QString &value, double change, const QString &comparison);
    void setEmpty(const QString &reason);

    QString valueText() const;

private:
    QLabel *m_title;
    QLabel *m_value;
    QLabel *m_change;
};

} // namespace flywheel::ui
