#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QElapsedTimer>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;
class QTabWidget;
class QTableView;
class QTableWidget;
class QTextEdit;
class QTreeWidget;
class QUndoStack;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class BackendConnection;
class ExpressionEditor;
class SegmentClient;
class SegmentsModel;

/// Seed segments and reach: the segments in force with their live sizes, an editor for a
/// draft of the whole set (expression with colours, completion and a live count; frequency
/// cap; channel order) and the reach policy, with undo and redo until "Save…"; the version
/// history with a diff per version and rollback; and one user's profile, memberships and
/// reach decision. Refreshes itself every few seconds; every call is asynchronous.
class SegmentsPage final : public QWidget {
    Q_OBJECT

public:
    explicit SegmentsPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~SegmentsPage() override;

    static constexpr int kRefreshMs = 5000;

    /// Asks the backend for the set in force (with sizes), the history and the features now.
    void refresh();

    SegmentsModel *segmentsModel() const { return m_model; }
    std::optional<v1::SegmentSetVersion> current() const { return m_current; }
    QString headerText() const;
    /// Why the page could not load, empty when it could.
    QString problemText() const;
    /// The latest outcome of an operator's action (save, rollback), or why it failed.
    QString messageText() const;

    /// Editing: changes go to a draft of the whole set (with undo and redo) until it is saved.
    bool canEdit() const { return m_current.has_value(); }
    bool hasDraft() const { return m_draft.has_value(); }
    /// The draft, or the set in force when there is none.
    v1::SegmentSetVersion shownSet() const;
    QUndoStack *undoStack() const { return m_undo; }
    /// Selects the segment for the editor; false when there is none with that id.
    bool selectSegment(const QString &id);
    /// The id of the segment in the editor, empty when none is.
    QString selectedSegmentId() const;
    /// Adds a new segment to the draft and selects it.
    void addSegment();
    void deleteSegment(const QString &id);
    void discardDraft();
    /// Makes the draft start from the version in force, so that saving replaces it.
    void rebaseDraft();
    /// Saves the draft without asking (the button asks for the reason first).
    void saveDraft(const QString &reason);
    bool saveEnabled() const;
    QString draftText() const;

    /// The editor's fields, for tests and screenshots.
    ExpressionEditor *expressionEditor() const { return m_expression; }
    ExpressionEditor *seedEditor() const { return m_seed; }
    QLineEdit *idField() const { return m_idEdit; }
    QLineEdit *nameField() const { return m_nameEdit; }
    QSpinBox *priorityField() const { return m_priority; }
    QCheckBox *enabledField() const { return m_enabled; }
    QSpinBox *capCountField() const { return m_capCount; }
    QComboBox *capPeriodField() const { return m_capPeriod; }
    QListWidget *channelList() const { return m_channels; }
    QPushButton *channelUpButton() const { return m_channelUp; }
    QPushButton *channelDownButton() const { return m_channelDown; }
    QSpinBox *holdoutField() const { return m_holdout; }
    QSpinBox *rateLimitField() const { return m_rateLimit; }
    /// Problems the console sees in the selected segment before the backend does.
    QString editorProblemText() const;

    /// History, newest first.
    int versionCount() const;
    qint64 versionAt(int row) const;
    void selectVersion(int row);
    QString diffText() const;
    /// Rolls back without asking (the button asks for a reason and confirmation first).
    void rollbackTo(qint64 version, const QString &reason);

    /// User lookup.
    void lookUpUser(qint64 uid);
    /// Everything the lookup shows in sentences: who, seed or not, memberships, decision.
    QString lookupText() const;
    /// A feature's value in the lookup's table; null when it is not there.
    QString lookupFeature(const QString &name) const;
    int lookupTagCount() const;

    void showTab(int index);

Q_SIGNALS:
    /// After each answer to a page action (save, rollback, lookup), for tests and the status line.
    void actionFinished(bool ok);

private:
    friend class SegmentDraftCommand;
    enum class Field { Id = 1, Name, Expression, Priority, Enabled, Cap, Channels, Seed, Holdout, RateLimit };

    QWidget *buildSegmentsTab();
    QWidget *buildEditor(QWidget *parent);
    QWidget *buildPolicy(QWidget *parent);
    QWidget *buildHistoryTab();
    QWidget *buildLookupTab();

    void setDraft(const std::optional<v1::SegmentSetVersion> &draft);
    void editDraft(const QString &description, const v1::SegmentSetVersion &after, int mergeKey);
    void editSegment(Field field, const std::function<void(v1::Segment &)> &change);
    void editPolicy(Field field, const std::function<void(v1::ReachPolicy &)> &change);
    void showSegments();
    void loadEditor();
    void updateEditing();
    void onSelectionChanged();
    void onChannelsChanged();
    void moveChannel(int delta);
    void askSave();
    void askRollback();
    QString askReason(const QString &title, const QString &question, const QString &refusal);
    void onSegmentSet(const v1::SegmentSetVersion &set);
    void onVersions(const v1::ListSegmentSetVersionsResponse &versions);
    void onFeatures(const v1::ListFeaturesResponse &features);
    void onRefreshFailed(const grpc::Status &status);
    void onLookup(qint64 uid, const grpc::Status &status, const v1::UserLookup &lookup);
    void showSelectedDiff();
    void showMessage(const QString &text, bool error);
    void showFailure(const grpc::Status &status, const QString &action);

    BackendConnection *m_connection;
    SegmentClient *m_client;
    SegmentsModel *m_model;
    QTimer m_refreshTimer;
    bool m_refreshing = false;
    std::optional<v1::SegmentSetVersion> m_current;
    v1::ListSegmentSetVersionsResponse m_versions;
    bool m_haveFeatures = false;
    QElapsedTimer m_featuresAge;

    QUndoStack *m_undo;
    std::optional<v1::SegmentSetVersion> m_draft;
    qint64 m_draftBase = 0;
    /// Row of the segment in the editor, -1 for none.
    int m_editRow = -1;
    bool m_loadingEditor = false;
    bool m_selectedOnce = false;

    QLabel *m_header;
    QLabel *m_problem;
    QLabel *m_message;
    QPushButton *m_refreshButton;
    QTabWidget *m_tabs;

    QTableView *m_view;
    QLabel *m_emptySegments;
    QLabel *m_draftLabel;
    QPushButton *m_newButton;
    QPushButton *m_deleteButton;
    QPushButton *m_undoButton;
    QPushButton *m_redoButton;
    QPushButton *m_rebaseButton;
    QPushButton *m_discardButton;
    QPushButton *m_saveButton;

    QGroupBox *m_editorBox;
    QLineEdit *m_idEdit;
    QLineEdit *m_nameEdit;
    QSpinBox *m_priority;
    QCheckBox *m_enabled;
    QSpinBox *m_capCount;
    QComboBox *m_capPeriod;
    QListWidget *m_channels;
    QPushButton *m_channelUp;
    QPushButton *m_channelDown;
    ExpressionEditor *m_expression;
    QLabel *m_editorProblem;

    QGroupBox *m_policyBox;
    ExpressionEditor *m_seed;
    QSpinBox *m_holdout;
    QSpinBox *m_rateLimit;

    QTreeWidget *m_versionList;
    QTextEdit *m_diff;
    QPushButton *m_rollbackButton;

    QLineEdit *m_uidEdit;
    QPushButton *m_lookupButton;
    QLabel *m_lookupTitle;
    QLabel *m_decision;
    QLabel *m_memberships;
    QTableWidget *m_lookupFeatures;
    QTableWidget *m_lookupTags;
};

} // namespace flywheel::ui
