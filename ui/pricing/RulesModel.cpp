#include "pricing/RulesModel.h"

#include "pricing/RuleText.h"

#include <QBrush>
#include <QColor>

namespace flywheel::ui {

RulesModel::RulesModel(QObject *parent) : QAbstractTableModel(parent)
{}

void RulesModel::setRules(std::vector<v1::PricingRule> next)
{
    if (next.size() == m_rules.size()) {
        bool same = true;
        for (std::size_t i = 0; same && i < next.size(); ++i)
            same = next[i].SerializeAsString() == m_rules[i].SerializeAsString();
        if (same)
            return; // keep the selection and scroll position across refreshes
    }
    beginResetModel();
    m_rules = std::move(next);
    endResetModel();
}

int RulesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rules.size());
}

int RulesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RulesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const v1::PricingRule &rule = m_rules[static_cast<std::size_t>(index.row())];
    if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
        switch (index.column()) {
        case Name:
            return QString::fromStdString(rule.name());
        case Id:
            return QString::fromStdString(rule.id());
        case Type:
            return RuleText::kindName(rule.kind());
        case Priority:
            return rule.priority();
        case State:
            return RuleText::stateName(rule.state());
        case Effect:
            return RuleText::describe(rule, true);
        case Scope:
            return RuleText::scope(rule);
        case Window:
            return RuleText::window(rule);
        default:
            return {};
        }
    }
    if (role == Qt::ForegroundRole && index.column() == State) {
        switch (rule.state()) {
        case v1::RULE_STATE_ACTIVE:
            return QBrush(QColor(0x1a, 0x7f, 0x37));
        case v1::RULE_STATE_SCHEDULED:
            return QBrush(QColor(0x09, 0x69, 0xda));
        case v1::RULE_STATE_EXPIRED:
            return QBrush(QColor(0x9a, 0x67, 0x00));
        default:
            return QBrush(QColor(0x6e, 0x77, 0x81));
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() == Priority)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant RulesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Name:
        return tr("Name");
    case Id:
        return tr("Id");
    case Type:
        return tr("Type");
    case Priority:
        return tr("Priority");
    case State:
        return tr("State");
    case Effect:
        return tr("What it does");
    case Scope:
        return tr("Scope");
    case Window:
        return tr("When");
    default:
        return {};
    }
}

} // namespace flywheel::ui
