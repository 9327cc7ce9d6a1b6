#pragma once

#include "flywheel/v1/referral.pb.h"

#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QPushButton;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class MessageBar;
class ProgramEditor;
class ReferralClient;
class VersionHistoryView;

/// The Referral page's programme tab: the programme in force as a form the operator edits
/// in place, checked before saving; "Save…" asks for a reason and saves on top of the
/// version the edits started from, so a save after someone else's is refused and explained
/// with nothing typed lost. Next to it the version history, each version with what changed
/// against the one before.
class ProgramTab final : public QWidget {
    Q_OBJECT

public:
    /// Asks for the reason of a save: nullopt when the operator cancels.
    using AskReason = std::function<std::optional<QString>(const QString &title, const QString &question)>;

    explicit ProgramTab(ReferralClient *client, QWidget *parent = nullptr);

    /// Asks for the version in force, and for the history when it changed.
    void refresh();
    std::optional<v1::ProgramVersion> current() const { return m_current; }
    ProgramEditor *editor() const { return m_editor; }
    QPushButton *saveButton() const { return m_saveButton; }

    /// The version the edits started from (what a save is based on).
    qint64 baseVersion() const { return m_base; }
    /// Saves what is typed without asking. False, with messageText() saying why, when the
    /// console refuses it before any call: a field out of range, nothing changed, no reason.
    bool save(const QString &reason);
    /// The "Save…" button: asks for the reason, then saves.
    void askSave();
    /// Loads the version in force into the form, dropping what was typed.
    void discardEdits();
    /// Applies the values the operator changed to the version in force, keeping its other
    /// values, so that saving builds on it.
    void rebaseEdits();
    void setAskReason(AskReason ask) { m_askReason = std::move(ask); }

    /// The latest outcome of save, or why it failed.
    QString messageText() const;
    /// Above the form: which version it shows, unsaved changes and whether they are stale.
    QString editingText() const;

    VersionHistoryView *history() const { return m_history; }
    /// History, newest first.
    int versionCount() const;
    qint64 versionAt(int row) const;
    void selectVersion(int row);
    QString diffText() const;

Q_SIGNALS:
    void loaded(const flywheel::v1::ProgramVersion &version);
    /// Loading failed; `why` is for operators.
    void loadFailed(const QString &why);
    /// After each answer to a save, for tests and the status line.
    void actionFinished(bool ok);

private:
    void onProgram(const v1::ProgramVersion &version);
    void onVersions(const v1::ListProgramVersionsResponse &versions);
    void updateEditing();
    void showSelectedDiff();
    void onSaveFailed(const grpc::Status &status);

    ReferralClient *m_client;
    AskReason m_askReason;
    std::optional<v1::ProgramVersion> m_current;
    v1::ListProgramVersionsResponse m_versions;
    qint64 m_base = 0;
    bool m_refreshing = false;
    bool m_saving = false;

    ProgramEditor *m_editor;
    QLabel *m_editing;
    MessageBar *m_message;
    QPushButton *m_discardButton;
    QPushButton *m_rebaseButton;
    QPushButton *m_saveButton;
    VersionHistoryView *m_history;
};

} // namespace flywheel::ui
