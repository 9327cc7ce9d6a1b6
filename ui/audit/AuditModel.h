#pragma once

#include "flywheel/v1/audit.pb.h"

#include <QAbstractTableModel>

#include <vector>

namespace flywheel::ui {

/// The audit entries listed so far, newest first: one row per entry with its time (in
/// local time), who, from where, area, object, version and reason.
class AuditModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Time, Who, Peer, Area, Object, Version, Reason, ColumnCount };
    /// The entry's seq (qlonglong) in every column.
    static constexpr int SeqRole = Qt::UserRole + 1;

    using QAbstractTableModel::QAbstractTableModel;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Replaces the rows (the first page of a new list).
    void setEntries(std::vector<v1::AuditEntry> entries);
    /// Adds an older page after the rows there are.
    void appendEntries(const std::vector<v1::AuditEntry> &entries);
    const std::vector<v1::AuditEntry> &entries() const { return m_entries; }
    /// The entry in `row`, null when there is none.
    const v1::AuditEntry *entryAt(int row) const;
    /// The row of the entry `seq`, -1 when it is not listed.
    int rowOf(qint64 seq) const;

private:
    std::vector<v1::AuditEntry> m_entries;
};

} // namespace flywheel::ui
