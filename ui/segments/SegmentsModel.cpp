#include "segments/SegmentsModel.h"

#include "common/TimeText.h"
#include "segments/SegmentText.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

namespace flywheel::ui {

SegmentsModel::SegmentsModel(QObject *parent) : QAbstractTableModel(parent)
{}

void SegmentsModel::setSegments(std::vector<v1::Segment> segments, const v1::SegmentSetVersion &live)
{
    std::vector<LiveSize> sizes(segments.size());
    for (std::size_t i = 0; i < segments.size(); ++i) {
        for (const v1::Segment &counted : live.segments()) {
            if (counted.id() == segments[i].id() && counted.expression() == segments[i].expression() &&
                counted.has_size_at()) {
                sizes[i] = LiveSize{true, counted.size(), counted.size_at()};
                break;
            }
        }
    }
    bool sameRows = segments.size() == m_segments.size();
    for (std::size_t i = 0; sameRows && i < segments.size(); ++i)
        sameRows = segments[i].id() == m_segments[i].id();
    if (sameRows) {
        m_segments = std::move(segments);
        m_sizes = std::move(sizes);
        if (!m_segments.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_segments = std::move(segments);
    m_sizes = std::move(sizes);
    endResetModel();
}

int SegmentsModel::rowOf(const QString &id) const
{
    for (std::size_t i = 0; i < m_segments.size(); ++i) {
        if (QString::fromStdString(m_segments[i].id()) == id)
            return static_cast<int>(i);
    }
    return -1;
}

int SegmentsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_segments.size());
}

int SegmentsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SegmentsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const v1::Segment &segment = m_segments[static_cast<std::size_t>(index.row())];
    const LiveSize &size = m_sizes[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Id:
            return QString::fromStdString(segment.id());
        case Name:
            return QString::fromStdString(segment.name());
        case Expression:
            // One line in the table; the tooltip and the editor keep the line breaks.
            return QString::fromStdString(segment.expression()).simplified();
        case Priority:
            return segment.priority();
        case Cap:
            return SegmentText::cap(segment.cap_count(), segment.cap_period());
        case Channels:
            return SegmentText::channels(segment.channels());
        case Enabled:
            return segment.enabled() ? tr("yes") : tr("no");
        case Size:
            return size.known ? QLocale().toString(size.size) : tr("not counted yet");
        default:
            return {};
        }
    }
    if (role == Qt::UserRole && index.column() == Size)
        return size.known ? QVariant(size.size) : QVariant();
    if (role == Qt::ToolTipRole) {
        if (index.column() == Size)
            return size.known ? tr("Users matching now (counted %1)").arg(TimeText::timestamp(size.at))
                              : tr("The size is counted once the set is saved.");
        if (index.column() == Expression)
            return QString::fromStdString(segment.expression());
    }
    if (role == Qt::TextAlignmentRole && (index.column() == Priority || index.column() == Size))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole) {
        if (!segment.enabled())
            return QBrush(QColor(0x6e, 0x77, 0x81));
        if (index.column() == Size && !size.known)
            return QBrush(QColor(0x6e, 0x77, 0x81));
    }
    if (role == Qt::FontRole && index.column() == Expression) {
        QFont font(QStringLiteral("monospace"));
        font.setStyleHint(QFont::Monospace);
        return font;
    }
    return {};
}

QVariant SegmentsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("Id");
    case Name:
        return tr("Name");
    case Expression:
        return tr("Expression");
    case Priority:
        return tr("Priority");
    case Cap:
        return tr("Frequency cap");
    case Channels:
        return tr("Channels");
    case Enabled:
        return tr("Enabled");
    case Size:
        return tr("Users now");
    default:
        return {};
    }
}

} // namespace flywheel::ui
