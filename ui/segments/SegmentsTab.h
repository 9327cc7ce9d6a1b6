#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QString>
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
class QTableView;
class QUndoStack;

namespace flywheel::ui {

class ExpressionEditor;
class MessageBar;
class SegmentClient;
class SegmentsModel;

/// The Segments page's first tab: the segments in force with their live sizes, and an
/// editor for a draft of the whole set (expression with colours, completion and a live
/// count; frequency cap; channel order) and the reach policy, with undo and redo until
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

Q_SIGNALS:
    /// The draft was saved as `set`, now in force.
    void saved(const flywheel::v1::SegmentSetVersion &set);
    /// The backend refused the draft: which version is in force may have changed.
    void saveRefused();
    /// After each answer to a save, for tests and the status line.
    void actionFinished(bool ok);

private:
    friend class SegmentDraftCommand;
    enum class Field { Id = 1, Name, Expression, Priority, Enabled, Cap, Channels, Seed, Holdout, RateLimit };

    QWidget *buildEditor(QWidget *parent);
    QWidget *buildPolicy(QWidget *parent);
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

    SegmentClient *m_client;
    MessageBar *m_messages;
    SegmentsModel *m_model;
    QUndoStack *m_undo;
    std::optional<v1::SegmentSetVersion> m_current;
    std::optional<v1::SegmentSetVersion> m_draft;
    qint64 m_draftBase = 0;
    /// Row of the segment in the editor, -1 for none.
    int m_editRow = -1;
    bool m_loadingEditor = false;
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
};

} // namespace flywheel::ui
