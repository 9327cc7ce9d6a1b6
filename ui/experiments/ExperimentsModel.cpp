#include "experiments/ExperimentsModel.h"

#include "common/TimeText.h"
#include "experiments/ExperimentText.h"

#include <QBrush>
#include <QFont>
#include <QStringList>

namespace flywheel::ui {

ExperimentsModel::ExperimentsModel(QObject *parent) : QAbstractTableModel(parent)
{}

void ExperimentsModel::setSet(const v1::ExperimentSet &set, const QDateTime &now)
{
    beginResetModel();
    m_set = set;
    m_now = now;
    endResetModel();
}

int ExperimentsModel::rowOf(const QString &key) const
{
    const std::string wanted = key.toStdString();
    for (int row = 0; row < m_set.experiments_size(); ++row) {
        if (m_set.experiments(row).key() == wanted)
            return row;
    }
    return -1;
}

const v1::Experiment *ExperimentsModel::experimentAt(int row) const
{
    if (row < 0 || row >= m_set.experiments_size())
        return nullptr;
    return &m_set.experiments(row);
}

int ExperimentsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_set.experiments_size();
}

int ExperimentsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ExperimentsModel::data(const QModelIndex &index, int role) const
{
    const v1::Experiment *e = experimentAt(index.row());
    if (!e)
        return {};
    if (role == Qt::ForegroundRole && index.column() == Status)
        return QBrush(ExperimentText::statusColor(e->status()));
    if (role == Qt::FontRole && index.column() == Status) {
        QFont font;
        font.setBold(true);
        return font;
    }
    if (role == Qt::ToolTipRole && index.column() == Name && !e->hypothesis().empty())
        return tr("Hypothesis: %1").arg(QString::fromStdString(e->hypothesis()));
    if (role == Qt::TextAlignmentRole && index.column() == Traffic)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Key:
        return QString::fromStdString(e->key());
    case Name:
        return QString::fromStdString(e->name());
    case Surface:
        return ExperimentText::surfaceName(e->surface());
    case Status: {
        QString text = ExperimentText::statusName(e->status());
        if (e->status() == v1::EXPERIMENT_STATUS_SHIPPED && !e->shipped_variant().empty())
            text = tr("shipped: %1").arg(QString::fromStdString(e->shipped_variant()));
        return text;
    }
    case Traffic:
        return ExperimentText::basisPoints(e->traffic_bp());
    case Variants: {
        QStringList parts;
        for (const v1::ExperimentVariant &v : e->variants())
            parts.append(tr("%1 %2").arg(QString::fromStdString(v.key()), ExperimentText::basisPoints(v.weight_bp())));
        return parts.join(QStringLiteral(" · "));
    }
    case Started:
        return TimeText::timestamp(e->started_at(), TimeText::Seconds::WhenNotZero);
    case RunningTime: {
        if (!TimeText::isSet(e->started_at()))
            return QStringLiteral("—");
        const QDateTime end = TimeText::isSet(e->ended_at()) && e->status() != v1::EXPERIMENT_STATUS_RUNNING
                                  ? TimeText::local(e->ended_at())
                                  : m_now;
        return ExperimentText::duration(TimeText::local(e->started_at()).secsTo(end));
    }
    default:
        return {};
    }
}

QVariant ExperimentsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Key:
        return tr("Key");
    case Name:
        return tr("Name");
    case Surface:
        return tr("Surface");
    case Status:
        return tr("Status");
    case Traffic:
        return tr("Traffic");
    case Variants:
        return tr("Variants and weights");
    case Started:
        return tr("Started");
    case RunningTime:
        return tr("Running time");
    default:
        return {};
    }
}

} // namespace flywheel::ui
