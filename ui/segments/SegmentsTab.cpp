#include "segments/SegmentsTab.h"

#include "client/SegmentClient.h"
#include "common/MessageBar.h"
#include "common/ReasonDialog.h"
#include "segments/ExpressionEditor.h"
#include "segments/SegmentsModel.h"
#include "segments/SegmentText.h"

#include <grpcpp/support/status.h>

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSet>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

namespace {

constexpr v1::ReachChannel kChannels[] = {v1::REACH_CHANNEL_PUSH, v1::REACH_CHANNEL_SMS, v1::REACH_CHANNEL_IN_APP};

QLabel *note(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #57606a;"));
    return label;
}

bool validId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9_-]{1,64}$"));
    return pattern.match(id).hasMatch();
}

} // namespace

/// One edit of the draft: the whole set before and after (nullopt: no draft). Consecutive
/// edits of the same field of the same segment merge, so typing an expression is one step.
class SegmentDraftCommand final : public QUndoCommand {
public:
    SegmentDraftCommand(SegmentsTab *page, const QString &text, std::optional<v1::SegmentSetVersion> before,
                        v1::SegmentSetVersion after, int mergeKey)
        : QUndoCommand(text), m_page(page), m_before(std::move(before)), m_after(std::move(after)), m_mergeKey(mergeKey)
    {}
    void undo() override { m_page->setDraft(m_before); }
    void redo() override { m_page->setDraft(m_after); }
    int id() const override { return m_mergeKey; }
    bool mergeWith(const QUndoCommand *other) override
    {
        if (other->id() != m_mergeKey || m_mergeKey < 0)
            return false;
        m_after = static_cast<const SegmentDraftCommand *>(other)->m_after;
        return true;
    }

private:
    SegmentsTab *m_page;
    const std::optional<v1::SegmentSetVersion> m_before;
    v1::SegmentSetVersion m_after;
    const int m_mergeKey;
};

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
    bottomLayout->addWidget(buildEditor(bottom), 5);
    bottomLayout->addWidget(buildPolicy(bottom), 2);

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
    loadEditor();
    updateEditing();
}

SegmentsTab::~SegmentsTab() = default;

void SegmentsTab::setFeatures(const v1::ListFeaturesResponse &features)
{
    m_expression->setFeatures(features);
    m_seed->setFeatures(features);
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

QWidget *SegmentsTab::buildEditor(QWidget *parent)
{
    m_editorBox = new QGroupBox(tr("Segment"), parent);
    m_idEdit = new QLineEdit(m_editorBox);
    m_idEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[a-z0-9_-]{0,64}")), m_idEdit));
    m_idEdit->setToolTip(tr("Lowercase letters, digits, “_” and “-”; unique in the set. Messages and statistics "
                            "name the segment by it."));
    m_nameEdit = new QLineEdit(m_editorBox);
    m_priority = new QSpinBox(m_editorBox);
    m_priority->setRange(-1000000, 1000000);
    m_priority->setToolTip(tr("A user in several segments is reached for the one with the highest priority."));
    m_enabled = new QCheckBox(tr("Enabled"), m_editorBox);
    m_enabled->setToolTip(tr("A disabled segment is kept but never matches."));
    m_capCount = new QSpinBox(m_editorBox);
    m_capCount->setRange(1, 100);
    m_capCount->setToolTip(tr("At most this many messages per user and channel in the period."));
    m_capPeriod = new QComboBox(m_editorBox);
    m_capPeriod->addItem(tr("per day"), int(v1::CAP_PERIOD_DAY));
    m_capPeriod->addItem(tr("per week"), int(v1::CAP_PERIOD_WEEK));
    m_channels = new QListWidget(m_editorBox);
    m_channels->setDragDropMode(QAbstractItemView::InternalMove);
    m_channels->setDefaultDropAction(Qt::MoveAction);
    m_channels->setSelectionMode(QAbstractItemView::SingleSelection);
    m_channels->setToolTip(tr("Drag to reorder: the first channel that is not capped is used. Untick a channel "
                              "to never use it for this segment."));
    m_channels->setFixedHeight(m_channels->fontMetrics().height() * 3 + 24);
    m_channelUp = new QPushButton(tr("Up"), m_editorBox);
    m_channelDown = new QPushButton(tr("Down"), m_editorBox);
    m_expression = new ExpressionEditor(m_client, true, m_editorBox);
    m_expression->setEmptyText(tr("Type who belongs to the segment, e.g. pay_count >= 1 && days_since_reg <= 3. "
                                  "Ctrl+Space completes feature and tag names."));
    m_expression->setPlaceholderText(tr("pay_count >= 1 && days_since_reg <= 3"));
    m_expression->textEdit()->setFixedHeight(m_expression->textEdit()->fontMetrics().lineSpacing() * 3 + 14);
    m_editorProblem = new QLabel(m_editorBox);
    m_editorProblem->setWordWrap(true);
    m_editorProblem->setStyleSheet(QStringLiteral("color: #cf222e;"));
    m_editorProblem->hide();

    auto *capRow = new QHBoxLayout();
    capRow->addWidget(m_capCount);
    capRow->addWidget(m_capPeriod, 1);
    auto *priorityRow = new QHBoxLayout();
    priorityRow->addWidget(m_priority, 1);
    priorityRow->addWidget(m_enabled);
    auto *channelButtons = new QVBoxLayout();
    channelButtons->addWidget(m_channelUp);
    channelButtons->addWidget(m_channelDown);
    channelButtons->addStretch(1);
    auto *channelRow = new QHBoxLayout();
    channelRow->addWidget(m_channels, 1);
    channelRow->addLayout(channelButtons);

    auto *form = new QFormLayout();
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Name"), m_nameEdit);
    form->addRow(tr("Id"), m_idEdit);
    form->addRow(tr("Priority"), priorityRow);
    form->addRow(tr("Frequency cap"), capRow);
    form->addRow(tr("Channels, in order"), channelRow);
    auto *formWidget = new QWidget(m_editorBox);
    auto *formLayout = new QVBoxLayout(formWidget);
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->addLayout(form);
    formLayout->addWidget(m_editorProblem);
    formLayout->addStretch(1);
    formWidget->setMinimumWidth(300);
    formWidget->setMaximumWidth(380);

    auto *expressionPart = new QVBoxLayout();
    expressionPart->addWidget(new QLabel(tr("Who is in the segment (expression):"), m_editorBox));
    expressionPart->addWidget(m_expression, 1);

    auto *layout = new QHBoxLayout(m_editorBox);
    layout->addWidget(formWidget);
    layout->addLayout(expressionPart, 1);

    connect(m_nameEdit, &QLineEdit::textEdited, this, [this](const QString &text) {
        editSegment(Field::Name, [&](v1::Segment &s) { s.set_name(text.toStdString()); });
    });
    connect(m_idEdit, &QLineEdit::textEdited, this, [this](const QString &text) {
        editSegment(Field::Id, [&](v1::Segment &s) { s.set_id(text.toStdString()); });
    });
    connect(m_priority, &QSpinBox::valueChanged, this,
            [this](int value) { editSegment(Field::Priority, [&](v1::Segment &s) { s.set_priority(value); }); });
    connect(m_enabled, &QCheckBox::toggled, this,
            [this](bool on) { editSegment(Field::Enabled, [&](v1::Segment &s) { s.set_enabled(on); }); });
    connect(m_capCount, &QSpinBox::valueChanged, this,
            [this](int value) { editSegment(Field::Cap, [&](v1::Segment &s) { s.set_cap_count(value); }); });
    connect(m_capPeriod, &QComboBox::currentIndexChanged, this, [this] {
        const auto period = static_cast<v1::CapPeriod>(m_capPeriod->currentData().toInt());
        editSegment(Field::Cap, [&](v1::Segment &s) { s.set_cap_period(period); });
    });
    connect(m_expression, &ExpressionEditor::edited, this, [this](const QString &text) {
        editSegment(Field::Expression, [&](v1::Segment &s) { s.set_expression(text.toStdString()); });
    });
    // A drop inserts the moved item and then removes the old one: read the order once it is done.
    const auto channelsLater = [this] {
        if (!m_loadingEditor)
            QMetaObject::invokeMethod(this, &SegmentsTab::onChannelsChanged, Qt::QueuedConnection);
    };
    connect(m_channels, &QListWidget::itemChanged, this, channelsLater);
    connect(m_channels->model(), &QAbstractItemModel::rowsMoved, this, channelsLater);
    connect(m_channels->model(), &QAbstractItemModel::rowsRemoved, this, channelsLater);
    connect(m_channels, &QListWidget::currentRowChanged, this, &SegmentsTab::updateEditing);
    connect(m_channelUp, &QPushButton::clicked, this, [this] { moveChannel(-1); });
    connect(m_channelDown, &QPushButton::clicked, this, [this] { moveChannel(1); });
    return m_editorBox;
}

QWidget *SegmentsTab::buildPolicy(QWidget *parent)
{
    m_policyBox = new QGroupBox(tr("Reach policy (all segments)"), parent);
    m_seed = new ExpressionEditor(m_client, false, m_policyBox);
    m_seed->setEmptyText(tr("Empty: every user is a seed user."));
    m_seed->setPlaceholderText(tr("every user"));
    m_seed->textEdit()->setFixedHeight(m_seed->textEdit()->fontMetrics().lineSpacing() * 3 + 14);
    m_holdout = new QSpinBox(m_policyBox);
    m_holdout->setRange(0, 50);
    m_holdout->setSuffix(tr(" %"));
    m_holdout->setToolTip(tr("Matched users held out of every message, to measure what the messages change."));
    m_rateLimit = new QSpinBox(m_policyBox);
    m_rateLimit->setRange(0, 1000000);
    m_rateLimit->setSpecialValueText(tr("no limit"));
    m_rateLimit->setSuffix(tr(" per second"));
    m_rateLimit->setToolTip(tr("Messages per second across all users and channels; 0 for no limit."));

    auto *form = new QFormLayout();
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Holdout"), m_holdout);
    form->addRow(tr("Rate limit"), m_rateLimit);
    auto *layout = new QVBoxLayout(m_policyBox);
    layout->addWidget(new QLabel(tr("Seed users (the segments apply to them):"), m_policyBox));
    layout->addWidget(m_seed);
    layout->addLayout(form);
    layout->addWidget(
        note(tr("Users who are not seed users get the generic strategy instead of the segments."), m_policyBox));
    layout->addStretch(1);

    connect(m_seed, &ExpressionEditor::edited, this, [this](const QString &text) {
        editPolicy(Field::Seed, [&](v1::ReachPolicy &p) { p.set_seed_expression(text.toStdString()); });
    });
    connect(m_holdout, &QSpinBox::valueChanged, this, [this](int value) {
        editPolicy(Field::Holdout, [&](v1::ReachPolicy &p) { p.set_holdout_percent(value); });
    });
    connect(m_rateLimit, &QSpinBox::valueChanged, this, [this](int value) {
        editPolicy(Field::RateLimit, [&](v1::ReachPolicy &p) { p.set_rate_limit_per_second(value); });
    });
    return m_policyBox;
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
    m_loadingEditor = true;
    const v1::SegmentSetVersion set = shownSet();
    const bool have = m_editRow >= 0 && m_editRow < set.segments_size();
    const v1::Segment segment = have ? set.segments(m_editRow) : v1::Segment();
    const auto setLine = [](QLineEdit *edit, const std::string &value) {
        const QString text = QString::fromStdString(value);
        if (edit->text() != text)
            edit->setText(text);
    };
    setLine(m_idEdit, segment.id());
    setLine(m_nameEdit, segment.name());
    m_priority->setValue(segment.priority());
    m_enabled->setChecked(segment.enabled());
    m_capCount->setValue(std::max(1, segment.cap_count()));
    m_capPeriod->setCurrentIndex(std::max(0, m_capPeriod->findData(int(segment.cap_period()))));
    m_expression->setText(QString::fromStdString(segment.expression()));

    // The segment's channels in its order, ticked; then the others.
    QList<int> order;
    for (const int channel : segment.channels())
        order.append(channel);
    QList<int> shown;
    for (int row = 0; row < m_channels->count(); ++row)
        shown.append(m_channels->item(row)->data(Qt::UserRole).toInt());
    QList<int> wanted = order;
    for (const v1::ReachChannel channel : kChannels) {
        if (!wanted.contains(int(channel)))
            wanted.append(int(channel));
    }
    bool same = shown == wanted;
    for (int row = 0; same && row < m_channels->count(); ++row)
        same = (m_channels->item(row)->checkState() == Qt::Checked) == order.contains(wanted[row]);
    if (!same) {
        m_channels->clear();
        for (const int channel : wanted) {
            auto *item = new QListWidgetItem(SegmentText::channelName(static_cast<v1::ReachChannel>(channel)));
            item->setData(Qt::UserRole, channel);
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled);
            item->setCheckState(order.contains(channel) ? Qt::Checked : Qt::Unchecked);
            m_channels->addItem(item);
        }
    }

    const v1::ReachPolicy &policy = set.policy();
    m_seed->setText(QString::fromStdString(policy.seed_expression()));
    m_holdout->setValue(policy.holdout_percent());
    m_rateLimit->setValue(policy.rate_limit_per_second());

    m_editorBox->setTitle(have ? tr("Segment %1").arg(QString::fromStdString(segment.id()))
                               : tr("Segment (select one in the list, or add a new one)"));
    m_loadingEditor = false;

    // What the backend would refuse, said before saving.
    QStringList problems;
    if (have) {
        if (!validId(QString::fromStdString(segment.id())))
            problems.append(tr("The id must be 1–64 characters of a–z, 0–9, “_” and “-”."));
        for (int row = 0; row < set.segments_size(); ++row) {
            if (row != m_editRow && set.segments(row).id() == segment.id()) {
                problems.append(tr("Another segment already has this id."));
                break;
            }
        }
        if (segment.name().empty())
            problems.append(tr("The segment needs a name."));
        if (segment.channels_size() == 0)
            problems.append(tr("Tick at least one channel."));
    }
    m_editorProblem->setText(problems.join(u'\n'));
    m_editorProblem->setVisible(!problems.isEmpty());
}

QString SegmentsTab::editorProblemText() const
{
    return m_editorProblem->isHidden() ? QString() : m_editorProblem->text();
}

void SegmentsTab::updateEditing()
{
    const bool editable = canEdit();
    const bool selected = m_editRow >= 0 && m_editRow < m_model->rowCount();
    m_newButton->setEnabled(editable);
    m_deleteButton->setEnabled(editable && selected);
    m_undoButton->setEnabled(editable && m_undo->canUndo());
    m_undoButton->setToolTip(m_undo->canUndo() ? tr("Undo: %1").arg(m_undo->undoText()) : QString());
    m_redoButton->setEnabled(editable && m_undo->canRedo());
    m_redoButton->setToolTip(m_undo->canRedo() ? tr("Redo: %1").arg(m_undo->redoText()) : QString());
    m_discardButton->setEnabled(m_draft.has_value());
    m_saveButton->setEnabled(saveEnabled());
    m_rebaseButton->setVisible(m_draft && m_current && m_current->version() != m_draftBase);
    m_rebaseButton->setText(m_current ? tr("Base my draft on version %1").arg(m_current->version()) : QString());
    for (QWidget *field : std::initializer_list<QWidget *>{m_idEdit, m_nameEdit, m_priority, m_enabled, m_capCount,
                                                           m_capPeriod, m_channels, m_expression})
        field->setEnabled(editable && selected);
    const int channelRow = m_channels->currentRow();
    m_channelUp->setEnabled(editable && selected && channelRow > 0);
    m_channelDown->setEnabled(editable && selected && channelRow >= 0 && channelRow + 1 < m_channels->count());
    m_policyBox->setEnabled(editable);
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

void SegmentsTab::editSegment(Field field, const std::function<void(v1::Segment &)> &change)
{
    if (m_loadingEditor || !canEdit())
        return;
    v1::SegmentSetVersion set = shownSet();
    if (m_editRow < 0 || m_editRow >= set.segments_size())
        return;
    v1::Segment *segment = set.mutable_segments(m_editRow);
    const v1::Segment before = *segment;
    change(*segment);
    if (segment->SerializeAsString() == before.SerializeAsString())
        return;
    QString what;
    switch (field) {
    case Field::Id:
        what = tr("Change the id of %1");
        break;
    case Field::Name:
        what = tr("Rename %1");
        break;
    case Field::Expression:
        what = tr("Edit the expression of %1");
        break;
    case Field::Priority:
        what = tr("Change the priority of %1");
        break;
    case Field::Enabled:
        what = segment->enabled() ? tr("Enable %1") : tr("Disable %1");
        break;
    case Field::Cap:
        what = tr("Change the frequency cap of %1");
        break;
    default:
        what = tr("Change the channels of %1");
        break;
    }
    // Typing into one field of one segment is one step of undo; a tick or a move is a step of its own.
    const int mergeKey = field == Field::Enabled || field == Field::Channels ? -1 : int(field) * 100000 + m_editRow;
    editDraft(what.arg(QString::fromStdString(before.id())), set, mergeKey);
}

void SegmentsTab::editPolicy(Field field, const std::function<void(v1::ReachPolicy &)> &change)
{
    if (m_loadingEditor || !canEdit())
        return;
    v1::SegmentSetVersion set = shownSet();
    const std::string before = set.policy().SerializeAsString();
    change(*set.mutable_policy());
    if (set.policy().SerializeAsString() == before)
        return;
    const QString what = field == Field::Seed      ? tr("Edit the seed users")
                         : field == Field::Holdout ? tr("Change the holdout")
                                                   : tr("Change the rate limit");
    editDraft(what, set, int(field) * 100000);
}

void SegmentsTab::onChannelsChanged()
{
    if (m_loadingEditor)
        return;
    std::vector<int> channels;
    for (int row = 0; row < m_channels->count(); ++row) {
        if (m_channels->item(row)->checkState() == Qt::Checked)
            channels.push_back(m_channels->item(row)->data(Qt::UserRole).toInt());
    }
    editSegment(Field::Channels, [&](v1::Segment &s) {
        s.clear_channels();
        for (const int channel : channels)
            s.add_channels(static_cast<v1::ReachChannel>(channel));
    });
    updateEditing();
}

void SegmentsTab::moveChannel(int delta)
{
    const int row = m_channels->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_channels->count())
        return;
    m_loadingEditor = true; // one edit for the whole move
    QListWidgetItem *item = m_channels->takeItem(row);
    m_channels->insertItem(to, item);
    m_channels->setCurrentRow(to);
    m_loadingEditor = false;
    onChannelsChanged();
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
    for (const v1::ReachChannel channel : kChannels)
        segment->add_channels(channel);
    segment->set_enabled(true);
    m_editRow = set.segments_size() - 1;
    editDraft(tr("Add segment %1").arg(id), set, -1);
    m_view->selectRow(m_editRow);
    m_nameEdit->setFocus();
    m_nameEdit->selectAll();
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
