#include "inventory/StockFilterModel.h"

#include "inventory/StockModel.h"

namespace flywheel::ui {

StockFilterModel::StockFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setSortRole(StockModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void StockFilterModel::setCategory(const QString &category)
{
    if (category == m_category)
        return;
    m_category = category;
    invalidateFilter();
}

void StockFilterModel::setText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_text)
        return;
    m_text = trimmed;
    invalidateFilter();
}

void StockFilterModel::setLowOnly(bool lowOnly)
{
    if (lowOnly == m_lowOnly)
        return;
    m_lowOnly = lowOnly;
    invalidateFilter();
}

bool StockFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *model = sourceModel();
    const QModelIndex sku = model->index(sourceRow, StockModel::Sku, sourceParent);
    if (!m_category.isEmpty() && sku.data(StockModel::CategoryRole).toString() != m_category)
        return false;
    if (m_lowOnly && !sku.data(StockModel::LowRole).toBool())
        return false;
    if (m_text.isEmpty())
        return true;
    return sku.data().toString().contains(m_text, Qt::CaseInsensitive) ||
           model->index(sourceRow, StockModel::Name, sourceParent)
               .data()
               .toString()
               .contains(m_text, Qt::CaseInsensitive);
}

} // namespace flywheel::ui
