#pragma once

#include "flywheel/v1/inventory.pb.h"

#include <QAbstractTableModel>

#include <vector>

namespace flywheel::ui {

/// Stock per SKU, one row per SKU in the order the backend gave them. Rows the
/// backend marks low on stock are highlighted, with the reason in their tooltip.
class StockModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Sku, Name, Category, Available, Reserved, Sold, Received, Status, ColumnCount };
    enum Role {
        /// The value to sort by: numbers as numbers, text as text.
        SortRole = Qt::UserRole,
        SkuRole,
        CategoryRole,
        LowRole,
    };

    explicit StockModel(QObject *parent = nullptr);

    /// Replaces the rows. When the SKUs are the same as before only the numbers change,
    /// so views keep their selection and scroll position.
    void setLevels(std::vector<v1::StockLevel> levels, qint64 lowStockThreshold);
    /// One SKU's new numbers (after goods in); false when the SKU is not in the model.
    bool updateLevel(const v1::StockLevel &level);
    const std::vector<v1::StockLevel> &levels() const { return m_levels; }
    /// -1 when the SKU is not in the model.
    int rowOf(const QString &sku) const;
    int lowCount() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<v1::StockLevel> m_levels;
    qint64 m_threshold = 0;
};

} // namespace flywheel::ui
