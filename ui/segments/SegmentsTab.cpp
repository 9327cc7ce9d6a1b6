#include "segments/SegmentsTab.h"

#include "client/SegmentClient.h"
#include "common/MessageBar.h"
#include "common/ReasonDialog.h"
#include "connection/EnvironmentPolicy.h"
#include "segments/SegmentDraftCommand.h"
#include "segments/SegmentsModel.h"
#include "segments/SegmentText.h"

#include <grpcpp/support/status.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSplitter>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

SegmentsTab::SegmentsTab(SegmentClient *client, MessageBar *messages, QWidget *parent)
    : QWidget(parent), m_client(client), m_messages(messages), m_model(new SegmentsModel(this)),
      m_undo(new QUndoStack(this))
{
    m_newButton = new QPushButton(tr("New segment"), this);
    m_deleteButton = new QPushButton(tr("Delete"), this);
    m_undoButton = new QPushButton(tr("Undo"), this);
    m_redoButton = new QPushButton(tr("Redo"), this);
    m_rebaseButton = new QPushButton(this); // "Base my draft on version N"
    m_rebaseButton->setToolTip(
        tr("Someone saved the segments after you started this draft. Saving your draft then replaces their "
           "version: look at it in History first."));
    m_rebaseButton->hide();
    m_discardButton = new QPushButton(tr("Discard draft"), this);
    m_saveButton = new QPushButton(tr("Save…"), this);
    auto *tools = new QHBoxLayout();
    for (QPushButton *button : {m_newButton, m_deleteButton, m_undoButton, m_redoButton})
        tools->addWidget(button);
    tools->addStretch(1);
    tools->addWidget(m_rebaseButton);
    tools->addWidget(m_discardButton);
    tools->addWidget(m_saveButton);

    m_draftLabel = new QLabel(this);
    m_draftLabel->setWordWrap(true);
    m_draftLabel->setStyleSheet(QStringLiteral("color: #9a6700; font-weight: bold;"));
    m_draftLabel->hide();

    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(SegmentsModel::Expression, QHeaderView::Stretch);
    m_view->setMinimumHeight(110);
    m_emptySegments = new QLabel(tr("There are no segments: every seed user is left to the generic strategy. "
                                    "Add one with “New segment”."),
                                 this);
    m_emptySegments->setAlignment(Qt::AlignCenter);
    m_emptySegments->setWordWrap(true);
    m_emptySegments->hide();

    auto *listPart = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listPart);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_view, 1);
    listLayout->addWidget(m_emptySegments);

    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QHBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    // Created here, after the list, so that Tab moves from the list into the editors.
    m_editor = new SegmentEditor(client, bottom);
    m_policy = new ReachPolicyEditor(client, bottom);
    bottomLayout->addWidget(m_editor, 5);
    bottomLayout->addWidget(m_policy, 2);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(listPart);
    splitter->addWidget(bottom);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addWidget(m_draftLabel);
    layout->addWidget(splitter, 1);

    connect(m_newButton, &QPushButton::clicked, this, &SegmentsTab::addSegment);
    connect(m_deleteButton, &QPushButton::clicked, this, [this] {
        const QString id = selectedSegmentId();
        if (!id.isEmpty())
            deleteSegment(id);
    });
    connect(m_undoButton, &QPushButton::clicked, m_undo, &QUndoStack::undo);
    connect(m_redoButton, &QPushButton::clicked, m_undo, &QUndoStack::redo);
    connect(m_rebaseButton, &QPushButton::clicked, this, &SegmentsTab::rebaseDraft);
    connect(m_discardButton, &QPushButton::clicked, this, &SegmentsTab::discardDraft);
    connect(m_saveButton, &QPushButton::clicked, this, &SegmentsTab::askSave);
    connect(m_undo, &QUndoStack::indexChanged, this, &SegmentsTab::updateEditing);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &SegmentsTab::onSelectionChanged);
    connect(m_editor, &SegmentEditor::edited, this, &SegmentsTab::onSegmentEdited);
    connect(m_policy, &ReachPolicyEditor::edited, this, &SegmentsTab::onPolicyEdited);
    loadEditor();
    updateEditing();
    EnvironmentPolicy::watch(this, [this] { updateEditing(); });
}

SegmentsTab::~SegmentsTab()
{
    // The undo stack is a child: QWidget's destructor deletes it after this class's
    // part is gone, and clearing itself it emits indexChanged into updateEditing().
    m_undo->disconnect(this);
}

void SegmentsTab::setFeatures(const v1::ListFeaturesResponse &features)
{
    m_editor->setFeatures(features);
    m_policy->setFeatures(features);
}

void SegmentsTab::setCurrent(const v1::SegmentSetVersion &set)
{
    m_current = set;
    showSegments();
    if (!m_selectedOnce && m_model->rowCount() > 0) {
        // The editor shows something from the start: the first segment.
        m_selectedOnce = true;
        if (m_editRow < 0)
            m_view->selectRow(0);
    }
    if (!m_draft)
        loadEditor();
    updateEditing();
}

// ---------------------------------------------------------------------------
// The list and the editor

v1::SegmentSetVersion SegmentsTab::shownSet() const
{
    if (m_draft)
        return *m_draft;
    if (m_current)
        return *m_current;
    return {};
}

void SegmentsTab::showSegments()
{
    const v1::SegmentSetVersion set = shownSet();
    const v1::SegmentSetVersion live = m_current.value_or(v1::SegmentSetVersion());
    m_model->setSegments({set.segments().begin(), set.segments().end()}, live);
    m_emptySegments->setVisible(m_current.has_value() && m_model->rowCount() == 0);
    // A reset clears the selection: the editor keeps its segment.
    if (m_editRow >= m_model->rowCount())
        m_editRow = m_model->rowCount() - 1;
    if (m_editRow >= 0 && m_view->selectionModel()->selectedRows().value(0).row() != m_editRow)
        m_view->selectRow(m_editRow);
}

bool SegmentsTab::selectSegment(const QString &id)
{
    const int row = m_model->rowOf(id);
    if (row < 0)
        return false;
    m_view->selectRow(row);
    return true;
}

QString SegmentsTab::selectedSegmentId() const
{
    if (m_editRow < 0 || m_editRow >= m_model->rowCount())
        return {};
    return QString::fromStdString(m_model->segments()[static_cast<std::size_t>(m_editRow)].id());
}

void SegmentsTab::onSelectionChanged()
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    m_editRow = rows.isEmpty() ? -1 : rows.first().row();
    loadEditor();
    updateEditing();
}

void SegmentsTab::loadEditor()
{
    const v1::SegmentSetVersion set = shownSet();
    m_editor->showSegment(set, m_editRow);
    m_policy->showPolicy(set.policy());
}

bool SegmentsTab::canEdit() const
{
    return m_current.has_value() && EnvironmentPolicy::allowsEditing(this);
}

void SegmentsTab::updateEditing()
{
    const bool editable = canEdit();
    const bool selected = m_editRow >= 0 && m_editRow < m_model->rowCount();
    m_newButton->setEnabled(editable);
    m_deleteButton->setEnabled(editable && selected);
    EnvironmentPolicy::explainBlocked(this, {m_newButton, m_deleteButton, m_saveButton});
    const QString blocked = EnvironmentPolicy::editingBlockedText(this);
    m_undoButton->setEnabled(editable && m_undo->canUndo());
    m_undoButton->setToolTip(!blocked.isEmpty() ? blocked
                             : m_undo->canUndo() ? tr("Undo: %1").arg(m_undo->undoText())
                                                 : QString());
    m_redoButton->setEnabled(editable && m_undo->canRedo());
    m_redoButton->setToolTip(!blocked.isEmpty() ? blocked
                             : m_undo->canRedo() ? tr("Redo: %1").arg(m_undo->redoText())
                                                 : QString());
    m_discardButton->setEnabled(m_draft.has_value());
    m_saveButton->setEnabled(saveEnabled());
    m_rebaseButton->setVisible(m_draft && m_current && m_current->version() != m_draftBase);
    m_rebaseButton->setText(m_current ? tr("Base my draft on version %1").arg(m_current->version()) : QString());
    m_editor->setEditable(editable);
    m_policy->setEnabled(editable);
    const QString draft = draftText();
    m_draftLabel->setText(draft);
    m_draftLabel->setVisible(!draft.isEmpty());
}

bool SegmentsTab::saveEnabled() const
{
    return canEdit() && m_draft.has_value();
}

QString SegmentsTab::draftText() const
{
    if (!m_draft)
        return {};
    QString text = tr("Unsaved draft based on version %1: users are reached with the saved segments until you "
                      "save.")
                       .arg(m_draftBase);
    if (m_current && m_current->version() != m_draftBase)
        text += u' ' + tr("Version %1 has been saved since, so saving this draft will be refused. Compare in "
                          "History, then discard the draft or base it on version %1 to replace that version.")
                           .arg(m_current->version());
    return text;
}

void SegmentsTab::setDraft(const std::optional<v1::SegmentSetVersion> &draft)
{
    m_draft = draft;
    showSegments();
    loadEditor();
    updateEditing();
}

void SegmentsTab::editDraft(const QString &description, const v1::SegmentSetVersion &after, int mergeKey)
{
    if (!canEdit())
        return;
    if (!m_draft)
        m_draftBase = m_current->version(); // the draft starts here
    m_undo->push(new SegmentDraftCommand(this, description, m_draft, after, mergeKey));
}

void SegmentsTab::onSegmentEdited(SegmentEditor::Field field, const v1::Segment &after)
{
    if (!canEdit())
        return;
    v1::SegmentSetVersion set = shownSet();
    if (m_editRow < 0 || m_editRow >= set.segments_size())
        return;
    v1::Segment *segment = set.mutable_segments(m_editRow);
    const QString id = QString::fromStdString(segment->id()); // the step names the segment as it was
    *segment = after;
    QString what;
    switch (field) {
    case SegmentEditor::Field::Id:
        what = tr("Change the id of %1");
        break;
    case SegmentEditor::Field::Name:
        what = tr("Rename %1");
        break;
    case SegmentEditor::Field::Expression:
        what = tr("Edit the expression of %1");
        break;
    case SegmentEditor::Field::Priority:
        what = tr("Change the priority of %1");
        break;
    case SegmentEditor::Field::Enabled:
        what = after.enabled() ? tr("Enable %1") : tr("Disable %1");
        break;
    case SegmentEditor::Field::Cap:
        what = tr("Change the frequency cap of %1");
        break;
    case SegmentEditor::Field::Channels:
        what = tr("Change the channels of %1");
        break;
    }
    // Typing into one field of one segment is one step of undo; a tick or a move is a step of its own.
    const bool ownStep = field == SegmentEditor::Field::Enabled || field == SegmentEditor::Field::Channels;
    editDraft(what.arg(id), set, ownStep ? -1 : int(field) * 100000 + m_editRow);
}

void SegmentsTab::onPolicyEdited(ReachPolicyEditor::Field field, const v1::ReachPolicy &after)
{
    if (!canEdit())
        return;
    v1::SegmentSetVersion set = shownSet();
    *set.mutable_policy() = after;
    const QString what = field == ReachPolicyEditor::Field::Seed      ? tr("Edit the seed users")
                         : field == ReachPolicyEditor::Field::Holdout ? tr("Change the holdout")
                                                                      : tr("Change the rate limit");
    editDraft(what, set, int(field) * 100000);
}

void SegmentsTab::addSegment()
{
    if (!canEdit())
        return;
    v1::SegmentSetVersion set = shownSet();
    QSet<QString> ids;
    int lowest = 0;
    for (const v1::Segment &segment : set.segments()) {
        ids.insert(QString::fromStdString(segment.id()));
        lowest = std::min(lowest, segment.priority());
    }
    QString id = QStringLiteral("segment");
    for (int n = 2; ids.contains(id); ++n)
        id = QStringLiteral("segment_%1").arg(n);
    v1::Segment *segment = set.add_segments();
    segment->set_id(id.toStdString());
    segment->set_name(tr("New segment").toStdString());
    segment->set_priority(set.segments_size() > 1 ? lowest : 0);
    segment->set_cap_count(1);
    segment->set_cap_period(v1::CAP_PERIOD_DAY);
    for (const v1::ReachChannel channel : SegmentEditor::kChannels)
        segment->add_channels(channel);
    segment->set_enabled(true);
    m_editRow = set.segments_size() - 1;
    editDraft(tr("Add segment %1").arg(id), set, -1);
    m_view->selectRow(m_editRow);
    m_editor->focusName();
}

void SegmentsTab::deleteSegment(const QString &id)
{
    v1::SegmentSetVersion set = shownSet();
    auto *segments = set.mutable_segments();
    const auto it = std::find_if(segments->begin(), segments->end(),
                                 [&](const v1::Segment &s) { return QString::fromStdString(s.id()) == id; });
    if (it == segments->end())
        return;
    segments->erase(it);
    editDraft(tr("Delete segment %1").arg(id), set, -1);
}

void SegmentsTab::discardDraft()
{
    m_undo->clear();
    setDraft(std::nullopt);
    m_messages->showMessage(QString(), false);
}

void SegmentsTab::rebaseDraft()
{
    if (!m_draft || !m_current)
        return;
    m_draftBase = m_current->version();
    m_messages->showMessage(
        tr("Your draft is now based on version %1: saving it replaces that version's segments.").arg(m_draftBase),
        false);
    updateEditing();
}

// ---------------------------------------------------------------------------
// Saving

void SegmentsTab::askSave()
{
    if (!saveEnabled())
        return;
    const std::optional<QString> reason =
        ReasonDialog::ask(this, tr("Save the segments"), tr("Why this change? (required; it is kept in the history)"),
                          QString(), tr("Save"));
    if (reason)
        saveDraft(*reason);
}

void SegmentsTab::saveDraft(const QString &reason)
{
    if (!saveEnabled())
        return;
    v1::SaveSegmentSetRequest request;
    request.set_base_version(m_draftBase);
    request.set_reason(reason.toStdString());
    *request.mutable_policy() = m_draft->policy();
    for (const v1::Segment &segment : m_draft->segments()) {
        v1::Segment *saved = request.add_segments();
        *saved = segment;
        saved->clear_size(); // output only
        saved->clear_size_at();
    }
    m_saveButton->setEnabled(false);
    m_client->saveSegmentSet(request, [this](const grpc::Status &status, const v1::SegmentSetVersion &saved) {
        if (!status.ok()) {
            m_messages->showMessage(SegmentText::failure(status, tr("The segments were not saved")), true);
            if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
                // "segment 2 ('x'): …": show that segment in the editor.
                static const QRegularExpression where(QStringLiteral("^segment (\\d+)"));
                const QRegularExpressionMatch match = where.match(QString::fromStdString(status.error_message()));
                if (match.hasMatch())
                    m_view->selectRow(match.captured(1).toInt() - 1);
            }
            updateEditing();
            Q_EMIT saveRefused(); // a stale draft: learn which version is in force now
            Q_EMIT actionFinished(false);
            return;
        }
        m_undo->clear();
        m_draft.reset();
        Q_EMIT this->saved(saved);
        loadEditor();
        m_messages->showMessage(tr("Saved as version %1.").arg(saved.version()), false);
        Q_EMIT actionFinished(true);
    });
}

} // namespace flywheel::ui
