#include "inventory/StockModel.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace flywheel::ui {

namespace {

bool sameSkus(const std::vector<v1::StockLevel> &a, const std::vector<v1::StockLevel> &b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                      [](const v1::StockLevel &x, const v1::StockLevel &y) { return x.sku() == y.sku(); });
}

qint64 number(const v1::StockLevel &level, int column)
{
    switch (column) {
    case StockModel::Available:
        return level.available();
    case StockModel::Reserved:
        return level.reserved();
    case StockModel::Sold:
        return level.sold();
    case StockModel::Received:
        return level.received();
    default:
        return 0;
    }
}

/// Out of stock first, then low, then the rest.
int urgency(const v1::StockLevel &level)
{
    if (level.available() <= 0)
        return 0;
    return level.low() ? 1 : 2;
}

} // namespace

StockModel::StockModel(QObject *parent) : QAbstractTableModel(parent)
{}

void StockModel::setLevels(std::vector<v1::StockLevel> levels, qint64 lowStockThreshold)
{
    const bool thresholdChanged = lowStockThreshold != m_threshold;
    m_threshold = lowStockThreshold;
    if (!sameSkus(m_levels, levels)) {
        beginResetModel();
        m_levels = std::move(levels);
        endResetModel();
        return;
    }
    for (std::size_t row = 0; row < levels.size(); ++row) {
        if (!thresholdChanged && levels[row].SerializeAsString() == m_levels[row].SerializeAsString())
            continue;
        m_levels[row] = std::move(levels[row]);
        const int r = static_cast<int>(row);
        Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1));
    }
}

bool StockModel::updateLevel(const v1::StockLevel &level)
{
    const int row = rowOf(QString::fromStdString(level.sku()));
    if (row < 0)
        return false;
    m_levels[static_cast<std::size_t>(row)] = level;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return true;
}

int StockModel::rowOf(const QString &sku) const
{
    const std::string key = sku.toStdString();
    const auto it = std::find_if(m_levels.begin(), m_levels.end(),
                                 [&key](const v1::StockLevel &level) { return level.sku() == key; });
    return it == m_levels.end() ? -1 : static_cast<int>(it - m_levels.begin());
}

int StockModel::lowCount() const
{
    return static_cast<int>(
        std::count_if(m_levels.begin(), m_levels.end(), [](const v1::StockLevel &level) { return level.low(); }));
}

int StockModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_levels.size());
}

int StockModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StockModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const v1::StockLevel &level = m_levels[static_cast<std::size_t>(index.row())];
    const int column = index.column();
    const bool numeric = column >= Available && column <= Received;
    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Sku:
            return QString::fromStdString(level.sku());
        case Name:
            return QString::fromStdString(level.name());
        case Category:
            return QString::fromStdString(level.category());
        case Status:
            if (level.available() <= 0)
                return tr("Out of stock");
            return level.low() ? tr("Low") : QString();
        default:
            return QLocale().toString(number(level, column));
        }
    case SortRole:
        if (numeric)
            return number(level, column);
        if (column == Status)
            return urgency(level);
        return data(index, Qt::DisplayRole);
    case SkuRole:
        return QString::fromStdString(level.sku());
    case CategoryRole:
        return QString::fromStdString(level.category());
    case LowRole:
        return level.low();
    case Qt::TextAlignmentRole:
        if (numeric)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::BackgroundRole:
        if (level.low())
            return QBrush(QColor(0xff, 0xeb, 0xe9));
        return {};
    case Qt::ForegroundRole:
        // Explicit, so the text stays readable on the highlight with a dark palette.
        if (level.low())
            return QBrush(column == Available || column == Status ? QColor(0xa4, 0x0e, 0x26)
                                                                  : QColor(0x1f, 0x23, 0x28));
        return {};
    case Qt::FontRole:
        if (level.low() && (column == Available || column == Status)) {
            QFont font;
            font.setBold(true);
            return font;
        }
        return {};
    case Qt::ToolTipRole:
        if (level.available() <= 0)
            return tr("Out of stock: nothing is available to order. Receive stock to sell it again.");
        if (level.low())
            return tr("Low on stock: %1 available, at or below the threshold of %2.")
                .arg(QLocale().toString(level.available()), QLocale().toString(m_threshold));
        if (column == Reserved)
            return tr("Held by unpaid orders until they are paid, cancelled or their reservation expires.");
        return {};
    default:
        return {};
    }
}

QVariant StockModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Available:
            return tr("Units that can be ordered now.");
        case Reserved:
            return tr("Units held by unpaid orders.");
        case Sold:
            return tr("Units of paid orders.");
        case Received:
            return tr("All units ever received: available + reserved + sold.");
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Sku:
        return tr("SKU");
    case Name:
        return tr("Name");
    case Category:
        return tr("Category");
    case Available:
        return tr("Available");
    case Reserved:
        return tr("Reserved");
    case Sold:
        return tr("Sold");
    case Received:
        return tr("Received");
    case Status:
        return tr("Status");
    default:
        return {};
    }
}

} // namespace flywheel::ui
