#include "segments/SegmentEditor.h"

#include "segments/ExpressionEditor.h"
#include "segments/SegmentText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

namespace flywheel::ui {

namespace {

bool validId(const QString &id)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9_-]{1,64}$"));
    return pattern.match(id).hasMatch();
}

} // namespace

SegmentEditor::SegmentEditor(SegmentClient *client, QWidget *parent)
    : QGroupBox(tr("Segment"), parent), m_idEdit(new QLineEdit(this)), m_nameEdit(new QLineEdit(this)),
      m_priority(new QSpinBox(this)), m_enabled(new QCheckBox(tr("Enabled"), this)), m_capCount(new QSpinBox(this)),
      m_capPeriod(new QComboBox(this)), m_channels(new QListWidget(this)), m_channelUp(new QPushButton(tr("Up"), this)),
      m_channelDown(new QPushButton(tr("Down"), this)), m_expression(new ExpressionEditor(client, true, this)),
      m_problem(new QLabel(this))
{
    m_idEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[a-z0-9_-]{0,64}")), m_idEdit));
    m_idEdit->setToolTip(tr("Lowercase letters, digits, “_” and “-”; unique in the set. Messages and statistics "
                            "name the segment by it."));
    m_priority->setRange(-1000000, 1000000);
    m_priority->setToolTip(tr("A user in several segments is reached for the one with the highest priority."));
    m_enabled->setToolTip(tr("A disabled segment is kept but never matches."));
    m_capCount->setRange(1, 100);
    m_capCount->setToolTip(tr("At most this many messages per user and channel in the period."));
    m_capPeriod->addItem(tr("per day"), int(v1::CAP_PERIOD_DAY));
    m_capPeriod->addItem(tr("per week"), int(v1::CAP_PERIOD_WEEK));
    m_channels->setDragDropMode(QAbstractItemView::InternalMove);
    m_channels->setDefaultDropAction(Qt::MoveAction);
    m_channels->setSelectionMode(QAbstractItemView::SingleSelection);
    m_channels->setToolTip(tr("Drag to reorder: the first channel that is not capped is used. Untick a channel "
                              "to never use it for this segment."));
    m_channels->setFixedHeight(m_channels->fontMetrics().height() * 3 + 24);
    m_expression->setEmptyText(tr("Type who belongs to the segment, e.g. pay_count >= 1 && days_since_reg <= 3. "
                                  "Ctrl+Space completes feature and tag names."));
    m_expression->setPlaceholderText(tr("pay_count >= 1 && days_since_reg <= 3"));
    m_expression->textEdit()->setFixedHeight(m_expression->textEdit()->fontMetrics().lineSpacing() * 3 + 14);
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(QStringLiteral("color: #cf222e;"));
    m_problem->hide();

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
    auto *formWidget = new QWidget(this);
    auto *formLayout = new QVBoxLayout(formWidget);
    formLayout->setContentsMargins(0, 0, 0, 0);
    formLayout->addLayout(form);
    formLayout->addWidget(m_problem);
    formLayout->addStretch(1);
    formWidget->setMinimumWidth(300);
    formWidget->setMaximumWidth(380);

    auto *expressionPart = new QVBoxLayout();
    expressionPart->addWidget(new QLabel(tr("Who is in the segment (expression):"), this));
    expressionPart->addWidget(m_expression, 1);

    auto *layout = new QHBoxLayout(this);
    layout->addWidget(formWidget);
    layout->addLayout(expressionPart, 1);

    connect(m_nameEdit, &QLineEdit::textEdited, this, [this](const QString &text) {
        edit(Field::Name, [&](v1::Segment &s) { s.set_name(text.toStdString()); });
    });
    connect(m_idEdit, &QLineEdit::textEdited, this,
            [this](const QString &text) { edit(Field::Id, [&](v1::Segment &s) { s.set_id(text.toStdString()); }); });
    connect(m_priority, &QSpinBox::valueChanged, this,
            [this](int value) { edit(Field::Priority, [&](v1::Segment &s) { s.set_priority(value); }); });
    connect(m_enabled, &QCheckBox::toggled, this,
            [this](bool on) { edit(Field::Enabled, [&](v1::Segment &s) { s.set_enabled(on); }); });
    connect(m_capCount, &QSpinBox::valueChanged, this,
            [this](int value) { edit(Field::Cap, [&](v1::Segment &s) { s.set_cap_count(value); }); });
    connect(m_capPeriod, &QComboBox::currentIndexChanged, this, [this] {
        const auto period = static_cast<v1::CapPeriod>(m_capPeriod->currentData().toInt());
        edit(Field::Cap, [&](v1::Segment &s) { s.set_cap_period(period); });
    });
    connect(m_expression, &ExpressionEditor::edited, this, [this](const QString &text) {
        edit(Field::Expression, [&](v1::Segment &s) { s.set_expression(text.toStdString()); });
    });
    // A drop inserts the moved item and then removes the old one: read the order once it is done.
    const auto channelsLater = [this] {
        if (!m_loading)
            QMetaObject::invokeMethod(this, &SegmentEditor::onChannelsChanged, Qt::QueuedConnection);
    };
    connect(m_channels, &QListWidget::itemChanged, this, channelsLater);
    connect(m_channels->model(), &QAbstractItemModel::rowsMoved, this, channelsLater);
    connect(m_channels->model(), &QAbstractItemModel::rowsRemoved, this, channelsLater);
    connect(m_channels, &QListWidget::currentRowChanged, this, &SegmentEditor::updateEnabled);
    connect(m_channelUp, &QPushButton::clicked, this, [this] { moveChannel(-1); });
    connect(m_channelDown, &QPushButton::clicked, this, [this] { moveChannel(1); });
    showSegment(v1::SegmentSetVersion(), -1);
}

void SegmentEditor::setFeatures(const v1::ListFeaturesResponse &features)
{
    m_expression->setFeatures(features);
}

void SegmentEditor::showSegment(const v1::SegmentSetVersion &set, int row)
{
    m_loading = true;
    m_shown = row >= 0 && row < set.segments_size();
    m_segment = m_shown ? set.segments(row) : v1::Segment();
    const auto setLine = [](QLineEdit *edit, const std::string &value) {
        const QString text = QString::fromStdString(value);
        if (edit->text() != text)
            edit->setText(text);
    };
    setLine(m_idEdit, m_segment.id());
    setLine(m_nameEdit, m_segment.name());
    m_priority->setValue(m_segment.priority());
    m_enabled->setChecked(m_segment.enabled());
    m_capCount->setValue(std::max(1, m_segment.cap_count()));
    m_capPeriod->setCurrentIndex(std::max(0, m_capPeriod->findData(int(m_segment.cap_period()))));
    m_expression->setText(QString::fromStdString(m_segment.expression()));
    showChannels(m_segment);
    setTitle(m_shown ? tr("Segment %1").arg(QString::fromStdString(m_segment.id()))
                     : tr("Segment (select one in the list, or add a new one)"));
    m_loading = false;

    // What the backend would refuse, said before saving.
    QStringList problems;
    if (m_shown) {
        if (!validId(QString::fromStdString(m_segment.id())))
            problems.append(tr("The id must be 1–64 characters of a–z, 0–9, “_” and “-”."));
        for (int other = 0; other < set.segments_size(); ++other) {
            if (other != row && set.segments(other).id() == m_segment.id()) {
                problems.append(tr("Another segment already has this id."));
                break;
            }
        }
        if (m_segment.name().empty())
            problems.append(tr("The segment needs a name."));
        if (m_segment.channels_size() == 0)
            problems.append(tr("Tick at least one channel."));
    }
    m_problem->setText(problems.join(u'\n'));
    m_problem->setVisible(!problems.isEmpty());
    updateEnabled();
}

void SegmentEditor::showChannels(const v1::Segment &segment)
{
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
    if (same)
        return;
    m_channels->clear();
    for (const int channel : wanted) {
        auto *item = new QListWidgetItem(SegmentText::channelName(static_cast<v1::ReachChannel>(channel)));
        item->setData(Qt::UserRole, channel);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled);
        item->setCheckState(order.contains(channel) ? Qt::Checked : Qt::Unchecked);
        m_channels->addItem(item);
    }
}

void SegmentEditor::setEditable(bool editable)
{
    m_editable = editable;
    updateEnabled();
}

void SegmentEditor::updateEnabled()
{
    const bool editable = m_editable && m_shown;
    for (QWidget *field : std::initializer_list<QWidget *>{m_idEdit, m_nameEdit, m_priority, m_enabled, m_capCount,
                                                           m_capPeriod, m_channels, m_expression})
        field->setEnabled(editable);
    const int channelRow = m_channels->currentRow();
    m_channelUp->setEnabled(editable && channelRow > 0);
    m_channelDown->setEnabled(editable && channelRow >= 0 && channelRow + 1 < m_channels->count());
}

void SegmentEditor::focusName()
{
    m_nameEdit->setFocus();
    m_nameEdit->selectAll();
}

QString SegmentEditor::problemText() const
{
    return m_problem->isHidden() ? QString() : m_problem->text();
}

void SegmentEditor::edit(Field field, const std::function<void(v1::Segment &)> &change)
{
    if (m_loading || !m_shown)
        return;
    v1::Segment after = m_segment;
    change(after);
    if (after.SerializeAsString() != m_segment.SerializeAsString())
        Q_EMIT edited(field, after);
}

void SegmentEditor::onChannelsChanged()
{
    if (m_loading)
        return;
    std::vector<int> channels;
    for (int row = 0; row < m_channels->count(); ++row) {
        if (m_channels->item(row)->checkState() == Qt::Checked)
            channels.push_back(m_channels->item(row)->data(Qt::UserRole).toInt());
    }
    edit(Field::Channels, [&](v1::Segment &s) {
        s.clear_channels();
        for (const int channel : channels)
            s.add_channels(static_cast<v1::ReachChannel>(channel));
    });
    updateEnabled();
}

void SegmentEditor::moveChannel(int delta)
{
    const int row = m_channels->currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_channels->count())
        return;
    m_loading = true; // one edit for the whole move
    QListWidgetItem *item = m_channels->takeItem(row);
    m_channels->insertItem(to, item);
    m_channels->setCurrentRow(to);
    m_loading = false;
    onChannelsChanged();
}

} // namespace flywheel::ui
