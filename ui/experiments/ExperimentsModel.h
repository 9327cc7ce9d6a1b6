#pragma once

#include "flywheel/v1/experiments.pb.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QString>

namespace flywheel::ui {

/// The experiments of the set in force, one row each: key, name, surface, status (in its
/// colour), traffic, variants with their weights, when it started and how long it ran.
class ExperimentsModel final : public QAbstractTableModel {
    Q_OBJECT

public:
    enum Column { Key, Name, Surface, Status, Traffic, Variants, Started, RunningTime, ColumnCount };

    explicit ExperimentsModel(QObject *parent = nullptr);

    /// `now` is when running times of running experiments end.
    void setSet(const v1::ExperimentSet &set, const QDateTime &now);
    const v1::ExperimentSet &set() const { return m_set; }
    /// The row of `key`, -1 when there is none.
    int rowOf(const QString &key) const;
    const v1::Experiment *experimentAt(int row) const;

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    v1::ExperimentSet m_set;
    QDateTime m_now;
};

} // namespace flywheel::ui
