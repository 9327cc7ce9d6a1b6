#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace flywheel::ui {

class EnvironmentPolicy;

/// The coloured bar at the top of the window while connected through a profile: the
/// environment's name and colour, the profile, and on production whether editing is
/// locked, with the button that unlocks it for the session.
class EnvironmentBar final : public QFrame {
    Q_OBJECT

public:
    explicit EnvironmentBar(EnvironmentPolicy *policy, QWidget *parent = nullptr);

    QString text() const;
    QPushButton *unlockButton() const { return m_unlock; }

private:
    void refresh();

    EnvironmentPolicy *m_policy;
    QLabel *m_label;
    QPushButton *m_unlock;
};

} // namespace flywheel::ui
