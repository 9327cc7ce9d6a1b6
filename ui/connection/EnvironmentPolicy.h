#pragma once

#include "connection/ConnectionProfile.h"

#include <QObject>
#include <QString>

#include <functional>
#include <initializer_list>
#include <optional>

class QWidget;

namespace flywheel::ui {

/// What the profile the console is connected to allows: production opens read-only
/// until the operator unlocks editing for the session, and every save against
/// production asks for confirmation naming the environment. It also knows who the
/// console is connected as (SystemService.WhoAmI): a viewer edits nothing, and only
/// an admin manages tokens; pages grey out what is not allowed, saying why. MainWindow owns one (as a
/// direct child, so of() finds it from any widget of the window); ReasonDialog::ask,
/// which every save and rollback goes through, asks it first.
class EnvironmentPolicy final : public QObject {
    Q_OBJECT

public:
    /// The role of the caller, as the backend's role table orders them. Unknown until
    /// WhoAmI answers (or when the backend cannot say): nothing is greyed out for it,
    /// and the backend still refuses what the role may not do.
    enum class Role { Unknown, Storefront, Viewer, Operator, Admin };
    /// The role named so by WhoAmI ("viewer", ...); Unknown for any other name.
    static Role roleFromName(const QString &name);
    /// "viewer", "operator", ... as the tokens file and the backend name them.
    static QString roleName(Role role);

    explicit EnvironmentPolicy(QObject *parent = nullptr);

    /// The policy of `widget`'s window, null when it has none (a page on its own).
    static EnvironmentPolicy *of(const QWidget *widget);
    /// Whether `widget`'s window allows editing (true without a policy).
    static bool allowsEditing(const QWidget *widget);
    /// Whether `widget`'s window allows what needs `role` (true without a policy).
    static bool allowsRole(const QWidget *widget, Role role);
    /// Why `widget`'s window does not allow editing, for the tooltip of a greyed-out
    /// control: the role needed, or that production is locked; empty when it does.
    static QString editingBlockedText(const QWidget *widget);
    /// Sets the tooltip of each of `controls` (editing controls of `widget`'s page that
    /// have no tooltip of their own) to editingBlockedText(widget).
    static void explainBlocked(const QWidget *widget, std::initializer_list<QWidget *> controls);
    /// Runs `update` on `widget` whenever editing gets allowed or forbidden in its window,
    /// or the caller changes. For a widget that greys out its editing controls while
    /// !allowsEditing(widget).
    static void watch(QWidget *widget, const std::function<void()> &update);

    /// The profile connected to; nullopt in demo mode or with --connect HOST:PORT.
    void setProfile(const std::optional<ConnectionProfile> &profile);
    const std::optional<ConnectionProfile> &profile() const { return m_profile; }
    bool isProduction() const;
    /// Editing is allowed: by the environment (not locked production) and by the role.
    bool editingAllowed() const;
    /// The environment alone allows editing: not production, or unlocked.
    bool environmentAllowsEditing() const;

    /// Who the console is connected as (WhoAmI); clearCaller() when it changes backend.
    void setCaller(const QString &name, Role role);
    void clearCaller();
    QString callerName() const { return m_callerName; }
    Role callerRole() const { return m_callerRole; }
    /// "Signed in as console-alice (operator)"; empty while unknown.
    QString callerText() const;
    /// Whether the caller's role allows what needs `needed` (true while unknown).
    bool roleAllows(Role needed) const;
    /// Why what needs `needed` is not allowed: the role, else a locked production (when
    /// `editing`); empty when it is allowed.
    QString blockedText(Role needed, bool editing = true) const;

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
    /// The caller (name or role) changed.
    void callerChanged();

private:
    std::optional<ConnectionProfile> m_profile;
    bool m_unlocked = false;
    QString m_callerName;
    Role m_callerRole = Role::Unknown;
};

} // namespace flywheel::ui
