#pragma once

#include "flywheel/v1/referral.pb.h"

#include <QAbstractTableModel>
#include <QList>

#include <vector>

namespace flywheel::ui {

/// Commissions, one per row, as ListCommissions returned them (newest first). Display
/// text is for people; Qt::UserRole holds the sortable value (ids, minor units, seconds).
class CommissionsModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column {
        Id,
        State,
        Order,
        Buyer,
        Level1,
        Level2,
        OrderTotal,
        Level1Amount,
        Level2Amount,
        Rates,
        Created,
        Updated,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole;

    explicit CommissionsModel(QObject *parent = nullptr);

    /// Keeps the rows (and a view's selection) when the same commissions come back.
    void setCommissions(std::vector<v1::Commission> commissions);
    const std::vector<v1::Commission> &commissions() const { return m_commissions; }
    /// Replaces the listed commission with the same id (after a transition); false when
    /// it is not listed.
    bool update(const v1::Commission &commission);
    /// -1 when there is none.
    int rowOf(qint64 id) const;
    /// The commission of a row of this model.
    const v1::Commission &at(int row) const { return m_commissions[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<v1::Commission> m_commissions;
};

} // namespace flywheel::ui
