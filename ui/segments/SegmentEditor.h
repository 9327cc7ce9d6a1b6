#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QGroupBox>
#include <QString>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSpinBox;

namespace flywheel::ui {

class ExpressionEditor;
class SegmentClient;

/// The Segments tab's editor of one segment of the draft: name, id, priority, whether it
/// is enabled, frequency cap, channels in order, and who is in it (an expression with
/// colours, completion and a live count). It says what the backend would refuse before
/// the draft is saved. It changes nothing itself: each edit is reported with the segment
/// as it now reads, and the tab puts it into the draft (with undo).
class SegmentEditor final : public QGroupBox {
    Q_OBJECT

public:
    /// What an edit changed. The values are part of the tab's undo merge keys.
    enum class Field { Id = 1, Name, Expression, Priority, Enabled, Cap, Channels };
    /// Every channel, in the order a new segment uses them.
    static constexpr v1::ReachChannel kChannels[] = {v1::REACH_CHANNEL_PUSH, v1::REACH_CHANNEL_SMS,
                                                     v1::REACH_CHANNEL_IN_APP};

    SegmentEditor(SegmentClient *client, QWidget *parent = nullptr);

    void setFeatures(const v1::ListFeaturesResponse &features);
    /// Shows segment `row` of `set`, or an empty, disabled editor when `row` is not one.
    void showSegment(const v1::SegmentSetVersion &set, int row);
    /// Whether the operator may edit the segment shown (never when none is shown).
    void setEditable(bool editable);
    /// Puts the cursor into the name, selected, as for a new segment.
    void focusName();
    /// Problems the console sees in the segment before the backend does.
    QString problemText() const;

    ExpressionEditor *expressionEditor() const { return m_expression; }
    QLineEdit *idField() const { return m_idEdit; }
    QLineEdit *nameField() const { return m_nameEdit; }
    QSpinBox *priorityField() const { return m_priority; }
    QCheckBox *enabledField() const { return m_enabled; }
    QSpinBox *capCountField() const { return m_capCount; }
    QComboBox *capPeriodField() const { return m_capPeriod; }
    QListWidget *channelList() const { return m_channels; }
    QPushButton *channelUpButton() const { return m_channelUp; }
    QPushButton *channelDownButton() const { return m_channelDown; }

Q_SIGNALS:
    /// The operator changed `field`; `after` is the whole segment as it now reads.
    void edited(flywheel::ui::SegmentEditor::Field field, const flywheel::v1::Segment &after);

private:
    void edit(Field field, const std::function<void(v1::Segment &)> &change);
    void showChannels(const v1::Segment &segment);
    void onChannelsChanged();
    void moveChannel(int delta);
    void updateEnabled();

    v1::Segment m_segment;
    bool m_shown = false;
    bool m_editable = false;
    bool m_loading = false;

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
    QLabel *m_problem;
};

} // namespace flywheel::ui
