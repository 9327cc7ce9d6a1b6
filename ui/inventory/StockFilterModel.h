#pragma once

#include <QSortFilterProxyModel>
#include <QString>

namespace flywheel::ui {

/// The stock table as the operator filters and sorts it: by category, by text in the
/// SKU or name, and optionally only the SKUs low on stock. Sorts numbers as numbers.
class StockFilterModel final : public QSortFilterProxyModel {
    Q_OBJECT

public:
    explicit StockFilterModel(QObject *parent = nullptr);

    /// Empty for every category.
    void setCategory(const QString &category);
    QString category() const { return m_category; }
    /// Case-insensitive, in the SKU or the name; empty for everything.
    void setText(const QString &text);
    void setLowOnly(bool lowOnly);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_category;
    QString m_text;
    bool m_lowOnly = false;
};

} // namespace flywheel::ui
