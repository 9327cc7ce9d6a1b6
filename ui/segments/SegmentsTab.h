#pragma once

#include "flywheel/v1/segments.pb.h"

#include "segments/ReachPolicyEditor.h"
#include "segments/SegmentEditor.h"

#include <QString>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTableView;
class QUndoStack;

namespace flywheel::ui {

class MessageBar;
class SegmentClient;
class SegmentsModel;

/// The Segments page's first tab: the segments in force with their live sizes
/// (SegmentsModel), and a draft of the whole set, edited one segment at a time
/// (SegmentEditor) and in its reach policy (ReachPolicyEditor), with undo and redo until
/// "Save…", which asks for a reason and saves on top of the version the draft started from.
class SegmentsTab final : public QWidget {
    Q_OBJECT

public:
    SegmentsTab(SegmentClient *client, MessageBar *messages, QWidget *parent = nullptr);
    ~SegmentsTab() override;

    /// The set in force, as last loaded: the list follows it while there is no draft.
    void setCurrent(const v1::SegmentSetVersion &set);
    void setFeatures(const v1::ListFeaturesResponse &features);

    SegmentsModel *segmentsModel() const { return m_model; }
    bool canEdit() const;
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

    /// The editors and their fields, for tests and screenshots.
    SegmentEditor *segmentEditor() const { return m_editor; }
    ReachPolicyEditor *policyEditor() const { return m_policy; }
    ExpressionEditor *expressionEditor() const { return m_editor->expressionEditor(); }
    ExpressionEditor *seedEditor() const { return m_policy->seedEditor(); }
    QLineEdit *idField() const { return m_editor->idField(); }
    QLineEdit *nameField() const { return m_editor->nameField(); }
    QSpinBox *priorityField() const { return m_editor->priorityField(); }
    QCheckBox *enabledField() const { return m_editor->enabledField(); }
    QSpinBox *capCountField() const { return m_editor->capCountField(); }
    QComboBox *capPeriodField() const { return m_editor->capPeriodField(); }
    QListWidget *channelList() const { return m_editor->channelList(); }
    QPushButton *channelUpButton() const { return m_editor->channelUpButton(); }
    QPushButton *channelDownButton() const { return m_editor->channelDownButton(); }
    QSpinBox *holdoutField() const { return m_policy->holdoutField(); }
    QSpinBox *rateLimitField() const { return m_policy->rateLimitField(); }
    /// Problems the console sees in the selected segment before the backend does.
    QString editorProblemText() const { return m_editor->problemText(); }

Q_SIGNALS:
    /// The draft was saved as `set`, now in force.
    void saved(const flywheel::v1::SegmentSetVersion &set);
    /// The backend refused the draft: which version is in force may have changed.
    void saveRefused();
    /// After each answer to a save, for tests and the status line.
    void actionFinished(bool ok);

private:
    friend class SegmentDraftCommand;

    void setDraft(const std::optional<v1::SegmentSetVersion> &draft);
    void editDraft(const QString &description, const v1::SegmentSetVersion &after, int mergeKey);
    void onSegmentEdited(SegmentEditor::Field field, const v1::Segment &after);
    void onPolicyEdited(ReachPolicyEditor::Field field, const v1::ReachPolicy &after);
    void showSegments();
    void loadEditor();
    void updateEditing();
    void onSelectionChanged();
    void askSave();

    SegmentClient *m_client;
    MessageBar *m_messages;
    SegmentsModel *m_model;
    QUndoStack *m_undo;
    std::optional<v1::SegmentSetVersion> m_current;
    std::optional<v1::SegmentSetVersion> m_draft;
    qint64 m_draftBase = 0;
    /// Row of the segment in the editor, -1 for none.
    int m_editRow = -1;
    bool m_selectedOnce = false;

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
    SegmentEditor *m_editor;
    ReachPolicyEditor *m_policy;
};

} // namespace flywheel::ui
