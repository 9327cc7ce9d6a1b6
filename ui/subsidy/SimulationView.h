#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include <QString>
#include <QWidget>

class QLabel;
class QTableWidget;

namespace flywheel::ui {

/// "What would this config have done": the replay of a draft and of the live config over
/// the first orders of the last days, side by side with the difference: first orders,
/// users subsidised, cost, the cost against each campaign's budget, and how many first
/// orders got each reason.
class SimulationView final : public QWidget {
    Q_OBJECT

public:
    explicit SimulationView(QWidget *parent = nullptr);

    void setSimulation(const v1::SubsidySimulation &simulation);
    /// Says `text` instead of results (before a run, while one runs, after a failure).
    void setStatus(const QString &text, bool error);
    /// Marks the results as not of the draft as typed now.
    void setStale();

    QString statusText() const;
    QTableWidget *table() const { return m_table; }
    /// The text of the row labelled `label` in `column`; null when there is no such row.
    QString cell(const QString &label, int column) const;
    bool hasResults() const;

    enum Column { Label, Draft, Live, Difference, ColumnCount };

private:
    QLabel *m_status;
    QTableWidget *m_table;
};

} // namespace flywheel::ui
