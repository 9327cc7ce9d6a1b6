#include "audit/AuditModel.h"

#include "audit/AuditText.h"
#include "common/TimeText.h"

namespace flywheel::ui {

int AuditModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int AuditModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AuditModel::data(const QModelIndex &index, int role) const
{
    const v1::AuditEntry *entry = entryAt(index.row());
    if (entry == nullptr || index.column() < 0 || index.column() >= ColumnCount)
        return {};
    if (role == SeqRole)
        return static_cast<qlonglong>(entry->seq());
    if (role == Qt::TextAlignmentRole && index.column() == Version)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        if (index.column() == Reason)
            return QString::fromStdString(entry->reason());
        if (index.column() == Who && !entry->actor_role().empty())
            return AuditText::roleName(entry->actor_role());
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Time:
        return TimeText::timestamp(entry->at());
    case Who:
        return AuditText::actor(*entry);
    case Peer:
        return QString::fromStdString(entry->peer());
    case Area:
        return AuditText::areaName(entry->area());
    case Object:
        return QString::fromStdString(entry->object());
    case Version:
        return AuditText::version(entry->version());
    case Reason:
        // One line in the table; the whole reason is in the tooltip and the details.
        return QString::fromStdString(entry->reason()).simplified();
    default:
        return {};
    }
}

QVariant AuditModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Time:
        return tr("Time");
    case Who:
        return tr("Who");
    case Peer:
        return tr("From where");
    case Area:
        return tr("Area");
    case Object:
        return tr("Object");
    case Version:
        return tr("Version");
    case Reason:
        return tr("Reason");
    default:
        return {};
    }
}

void AuditModel::setEntries(std::vector<v1::AuditEntry> entries)
{
    beginResetModel();
    m_entries = std::move(entries);
    endResetModel();
}

void AuditModel::appendEntries(const std::vector<v1::AuditEntry> &entries)
{
    if (entries.empty())
        return;
    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(entries.size()) - 1);
    m_entries.insert(m_entries.end(), entries.begin(), entries.end());
    endInsertRows();
}

const v1::AuditEntry *AuditModel::entryAt(int row) const
{
    if (row < 0 || row >= rowCount())
        return nullptr;
    return &m_entries[static_cast<std::size_t>(row)];
}

int AuditModel::rowOf(qint64 seq) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].seq() == seq)
            return static_cast<int>(i);
    }
    return -1;
}

} // namespace flywheel::ui
