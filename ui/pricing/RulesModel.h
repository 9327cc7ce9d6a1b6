#pragma once

#include "flywheel/v1/pricing.pb.h"

#include <QAbstractTableModel>

#include <vector>

namespace flywheel::ui {

/// The rules of one rule set, one row per rule, in the order the backend gave them.
class RulesModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Name, Id, Type, Priority, State, Effect, Scope, Window, ColumnCount };

    explicit RulesModel(QObject *parent = nullptr);

    void setRules(std::vector<v1::PricingRule> rules);
    const std::vector<v1::PricingRule> &rules() const { return m_rules; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<v1::PricingRule> m_rules;
};

} // namespace flywheel::ui
