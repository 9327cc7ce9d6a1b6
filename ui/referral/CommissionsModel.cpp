#include "referral/CommissionsModel.h"

#include "common/TimeText.h"
#include "referral/ReferralText.h"

#include <QBrush>
#include <QColor>

namespace flywheel::ui {

namespace {

QColor stateColor(v1::CommissionState state)
{
    switch (state) {
    case v1::COMMISSION_STATE_PENDING:
        return QColor(0x9a, 0x67, 0x00);
    case v1::COMMISSION_STATE_REVIEWING:
        return QColor(0x09, 0x69, 0xda);
    case v1::COMMISSION_STATE_CONFIRMED:
        return QColor(0x82, 0x50, 0xdf);
    case v1::COMMISSION_STATE_SETTLED:
        return QColor(0x1a, 0x7f, 0x37);
    case v1::COMMISSION_STATE_REVERSED:
        return QColor(0x6e, 0x77, 0x81);
    default:
        return {};
    }
}

} // namespace

CommissionsModel::CommissionsModel(QObject *parent) : QAbstractTableModel(parent)
{}

void CommissionsModel::setCommissions(std::vector<v1::Commission> commissions)
{
    bool sameRows = commissions.size() == m_commissions.size();
    for (std::size_t i = 0; sameRows && i < commissions.size(); ++i)
        sameRows = commissions[i].id() == m_commissions[i].id();
    if (sameRows) {
        m_commissions = std::move(commissions);
        if (!m_commissions.empty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_commissions = std::move(commissions);
    endResetModel();
}

bool CommissionsModel::update(const v1::Commission &commission)
{
    const int row = rowOf(commission.id());
    if (row < 0)
        return false;
    m_commissions[static_cast<std::size_t>(row)] = commission;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    return true;
}

int CommissionsModel::rowOf(qint64 id) const
{
    for (std::size_t i = 0; i < m_commissions.size(); ++i) {
        if (m_commissions[i].id() == id)
            return static_cast<int>(i);
    }
    return -1;
}

int CommissionsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_commissions.size());
}

int CommissionsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CommissionsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const v1::Commission &c = at(index.row());
    const auto uid = [](qint64 value) -> QVariant {
        return value == 0 ? QVariant(ReferralText::tr("—")) : QVariant(QString::number(value));
    };
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Id:
            return QString::number(c.id());
        case State:
            return ReferralText::stateName(c.state());
        case Order:
            return QString::number(c.order_id());
        case Buyer:
            return QString::number(c.buyer_uid());
        case Level1:
            return uid(c.level1_uid());
        case Level2:
            return uid(c.level2_uid());
        case OrderTotal:
            return ReferralText::money(c.order_total());
        case Level1Amount:
            return ReferralText::money(c.level1_amount());
        case Level2Amount:
            return c.level2_uid() == 0 ? uid(0) : QVariant(ReferralText::money(c.level2_amount()));
        case Rates:
            return c.level2_uid() == 0 ? ReferralText::rate(c.level1_rate_bp())
                                       : tr("%1 + %2").arg(ReferralText::rate(c.level1_rate_bp()),
                                                           ReferralText::rate(c.level2_rate_bp()));
        case Created:
            return TimeText::timestamp(c.created_at());
        case Updated:
            return TimeText::timestamp(c.updated_at());
        default:
            return {};
        }
    }
    if (role == SortRole) {
        switch (index.column()) {
        case Id:
            return static_cast<qlonglong>(c.id());
        case State:
            return static_cast<int>(c.state());
        case Order:
            return static_cast<qlonglong>(c.order_id());
        case Buyer:
            return static_cast<qlonglong>(c.buyer_uid());
        case Level1:
            return static_cast<qlonglong>(c.level1_uid());
        case Level2:
            return static_cast<qlonglong>(c.level2_uid());
        case OrderTotal:
            return static_cast<qlonglong>(c.order_total().minor_units());
        case Level1Amount:
            return static_cast<qlonglong>(c.level1_amount().minor_units());
        case Level2Amount:
            return static_cast<qlonglong>(c.level2_amount().minor_units());
        case Rates:
            return c.level1_rate_bp() + c.level2_rate_bp();
        case Created:
            return static_cast<qlonglong>(c.created_at().seconds());
        case Updated:
            return static_cast<qlonglong>(c.updated_at().seconds());
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole) {
        if (index.column() == State || index.column() == Created || index.column() == Updated)
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role == Qt::ForegroundRole && index.column() == State)
        return QBrush(stateColor(c.state()));
    if (role == Qt::ToolTipRole) {
        if (index.column() == Rates)
            return tr("The rates the commission was created with, under programme version %1.")
                .arg(c.program_version());
        if (index.column() == Level1)
            return tr("Earns the level-1 commission: invited the buyer.");
        if (index.column() == Level2)
            return tr("Earns the level-2 commission: invited the level-1 user.");
    }
    return {};
}

QVariant CommissionsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id:
        return tr("Id");
    case State:
        return tr("State");
    case Order:
        return tr("Order");
    case Buyer:
        return tr("Buyer");
    case Level1:
        return tr("Level 1\nuser");
    case Level2:
        return tr("Level 2\nuser");
    case OrderTotal:
        return tr("Order\ntotal");
    case Level1Amount:
        return tr("Level 1\namount");
    case Level2Amount:
        return tr("Level 2\namount");
    case Rates:
        return tr("Rates");
    case Created:
        return tr("Created");
    case Updated:
        return tr("Updated");
    default:
        return {};
    }
}

} // namespace flywheel::ui
