#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QPushButton;
class QTabWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class MessageBar;
class SimulationView;
class SubsidyClient;
class SubsidyConfigEditor;
class VersionHistoryView;

/// The Subsidy page's config tab: the config in force as a form the operator edits in
/// place, checked as they type (Save stays disabled while anything is wrong); "What would
/// it have done?" replays the draft over the last 7 days of first orders next to the live
/// config, before saving; "Save…" asks for a reason (and, on production, confirmation) and
/// saves on top of the version the edits started from, so a save after someone else's is
/// refused and explained with the draft kept. Beside it the version history with what
/// each version changed and a rollback. "Save as candidate…" stores the draft as a
/// version that is not in force (for an experiment's variant, or to roll back to later);
/// the history marks candidates.
class ConfigTab final : public QWidget {
    Q_OBJECT

public:
    /// Asks for the reason of a save or rollback: nullopt when the operator cancels.
    using AskReason = std::function<std::optional<QString>(const QString &title, const QString &question,
                                                           const QString &consequence, const QString &accept)>;

    explicit ConfigTab(SubsidyClient *client, QWidget *parent = nullptr);

    /// Asks for the version in force, and for the history when it changed.
    void refresh();
    std::optional<v1::SubsidyConfigVersion> current() const { return m_current; }
    SubsidyConfigEditor *editor() const { return m_editor; }
    QPushButton *saveButton() const { return m_saveButton; }
    QPushButton *candidateButton() const { return m_candidateButton; }
    QPushButton *simulateButton() const { return m_simulateButton; }
    QPushButton *rebaseButton() const { return m_rebaseButton; }
    SimulationView *simulation() const { return m_simulation; }
    VersionHistoryView *history() const { return m_history; }

    /// The version the edits started from (what a save is based on).
    qint64 baseVersion() const { return m_base; }
    /// Saves what is typed without asking. False, with messageText() saying why, when the
    /// console refuses before any call.
    bool save(const QString &reason);
    void askSave();
    /// Saves what is typed as a candidate (not in force) without asking; false, with
    /// messageText() saying why, when the console refuses before any call.
    bool saveCandidate(const QString &reason);
    void askSaveCandidate();
    /// Replays the draft as typed (SimulateSubsidyConfig).
    void simulate();
    /// Loads the version in force into the form, dropping what was typed.
    void discardEdits();
    /// After someone else saved: the draft as typed is saved on top of the newest version.
    void rebaseEdits();
    void rollbackTo(qint64 version, const QString &reason);
    void setAskReason(AskReason ask) { m_askReason = std::move(ask); }

    QString messageText() const;
    QString editingText() const;
    QString diffText() const;

Q_SIGNALS:
    void loaded(const flywheel::v1::SubsidyConfigVersion &version);
    /// Loading failed; `why` is for operators; `unimplemented` when the backend has no subsidies.
    void loadFailed(const QString &why, bool unimplemented);
    /// After each answer to a save, rollback or replay.
    void actionFinished(bool ok);

private:
    void onConfig(const v1::SubsidyConfigVersion &version);
    void onVersions(const v1::ListSubsidyConfigVersionsResponse &versions);
    void updateEditing();
    void showSelectedDiff();
    void askRollback(qint64 version);
    void onRefused(const QString &what, const grpc::Status &status);
    /// The console's own checks before a save (live or candidate); false with the message shown.
    bool checkDraft(const QString &reason);
    /// The row `row` is compared with, -1 when none is listed: for a live version the
    /// newest live one older than it (what it replaced); for a candidate the version in
    /// force (what making it live would replace).
    int comparedRow(int row) const;

    SubsidyClient *m_client;
    AskReason m_askReason;
    std::optional<v1::SubsidyConfigVersion> m_current;
    v1::ListSubsidyConfigVersionsResponse m_versions;
    qint64 m_base = 0;
    bool m_refreshing = false;
    /// Bumped when a save or rollback answers: a load begun before then is stale.
    quint64 m_loads = 0;
    /// Edits of the draft so far: a replay's answer is stale when they changed meanwhile.
    quint64 m_edits = 0;
    bool m_saving = false;
    bool m_simulating = false;
    bool m_unimplemented = false;

    SubsidyConfigEditor *m_editor;
    QLabel *m_editing;
    MessageBar *m_message;
    QPushButton *m_discardButton;
    QPushButton *m_rebaseButton;
    QPushButton *m_simulateButton;
    QPushButton *m_saveButton;
    QPushButton *m_candidateButton;
    QTabWidget *m_side;
    SimulationView *m_simulation;
    VersionHistoryView *m_history;
};

} // namespace flywheel::ui
