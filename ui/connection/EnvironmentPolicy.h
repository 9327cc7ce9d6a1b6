#pragma once

#include "connection/ConnectionProfile.h"

#include <QObject>
#include <QString>

#include <functional>
#include <optional>

class QWidget;

namespace flywheel::ui {

/// What the profile the console is connected to allows: production opens read-only
/// until the operator unlocks editing for the session, and every save against
/// production asks for confirmation naming the environment. MainWindow owns one (as a
/// direct child, so of() finds it from any widget of the window); ReasonDialog::ask,
/// which every save and rollback goes through, asks it first.
class EnvironmentPolicy final : public QObject {
    Q_OBJECT

public:
    explicit EnvironmentPolicy(QObject *parent = nullptr);

    /// The policy of `widget`'s window, null when it has none (a page on its own).
    static EnvironmentPolicy *of(const QWidget *widget);
    /// Whether `widget`'s window allows editing (true without a policy).
    static bool allowsEditing(const QWidget *widget);
    /// Runs `update` on `widget` whenever editing gets allowed or forbidden in its window.
    /// For a widget that greys out its editing controls while !allowsEditing(widget).
    static void watch(QWidget *widget, const std::function<void()> &update);

    /// The profile connected to; nullopt in demo mode or with --connect HOST:PORT.
    void setProfile(const std::optional<ConnectionProfile> &profile);
    const std::optional<ConnectionProfile> &profile() const { return m_profile; }
    bool isProduction() const;
    bool editingAllowed() const;

    /// Asks the operator to confirm, naming the environment; unlocks editing when they do.
    bool unlock(QWidget *parent);
    void setUnlocked(bool unlocked);

    /// Before a save or rollback titled `title`: true to go ahead. Outside production at
    /// once; on production locked, says editing is locked and refuses; unlocked, asks.
    bool confirmSave(QWidget *parent, const QString &title);

    /// Texts of the questions, for tests and for the dialogs.
    QString unlockQuestion() const;
    QString saveQuestion(const QString &title) const;

Q_SIGNALS:
    void profileChanged();
    void editingAllowedChanged(bool allowed);

private:
    std::optional<ConnectionProfile> m_profile;
    bool m_unlocked = false;
};

} // namespace flywheel::ui
