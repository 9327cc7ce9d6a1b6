#pragma once

#include "flywheel/v1/experiments.pb.h"

#include <QString>
#include <QWidget>

#include <optional>

class QLabel;
class QRadioButton;
class QScrollArea;
class QTableWidget;

namespace flywheel::ui {

class Banner;
class DifferenceChart;

/// The results of one experiment as StreamExperimentResults sends them: how long it has
/// run and which kind of interval is shown (with a switch between always-valid and
/// fixed-horizon, and why the first is safe to watch live), the sample-ratio-mismatch
/// warning, a note while there is too little data, the per-variant table and the chart
/// of each metric's difference against control.
class ResultsPanel final : public QWidget {
    Q_OBJECT

public:
    explicit ResultsPanel(QWidget *parent = nullptr);

    void setResults(const v1::ExperimentResults &results);
    /// No results to show: says `message` instead (a draft, a backend without experiments…).
    void showMessage(const QString &message);
    /// Keeps the last results and says why they are not updating (until the next ones).
    void showInterrupted(const QString &why);

    v1::IntervalKind intervalKind() const;
    void setIntervalKind(v1::IntervalKind kind);
    const std::optional<v1::ExperimentResults> &results() const { return m_results; }

    QTableWidget *table() const { return m_table; }
    DifferenceChart *chart() const { return m_chart; }
    QRadioButton *sequentialButton() const { return m_sequential; }
    QRadioButton *fixedButton() const { return m_fixed; }
    QString summaryText() const;
    QString intervalText() const;
    /// The SRM warning, empty while there is none.
    QString srmText() const;
    /// The note about too little data, empty while there is none.
    QString dataNoteText() const;
    QString messageText() const;

    enum Column { Variant, Weight, Exposures, ExposureShare, Shares, ShareRate, Registrations, Orders, Gmv, Cost, Roi };

Q_SIGNALS:
    /// The operator chose the other kind of interval.
    void intervalKindChanged(flywheel::v1::IntervalKind kind);

private:
    void updateIntervalText();

    std::optional<v1::ExperimentResults> m_results;
    QWidget *m_controls;
    QLabel *m_summary;
    QRadioButton *m_sequential;
    QRadioButton *m_fixed;
    QLabel *m_intervalText;
    Banner *m_srm;
    Banner *m_dataNote;
    Banner *m_interrupted;
    QLabel *m_message;
    QTableWidget *m_table;
    DifferenceChart *m_chart;
    QScrollArea *m_chartArea;
};

} // namespace flywheel::ui
