#pragma once

#include "common/ChartPanel.h"

#include <QDateTime>
#include <QList>
#include <QPointF>

class QCategoryAxis;
class QLineSeries;

namespace flywheel::ui {

/// One time-series chart of the dashboard: a titled line (or filled area) over a
/// date-time axis, a value axis with its unit, and (from ChartPanel) a message over the
/// plot when there is nothing to show.
class MetricChart final : public ChartPanel {
    Q_OBJECT

public:
    enum class Style { Line, Area };

    MetricChart(const QString &title, Style style, const QColor &color, QWidget *parent = nullptr);

    /// The time range shown, labelled every `labelStepSeconds` at round clock times.
    struct TimeAxis {
        QDateTime from;
        QDateTime to;
        qint64 labelStepSeconds = 60;
        QString format;
    };

    /// x of each point is milliseconds since the epoch. `valueFormat` is a printf
    /// format for the value axis labels; `unit` its title.
    void setData(const QList<QPointF> &points, const TimeAxis &time, const QString &valueFormat, const QString &unit,
                 double minimumTop);
    QStringList timeLabels() const;
    /// The value axis' labels, bottom up: "0", "5k", "10k", ….
    QStringList valueLabels() const;
    /// Shows `message` instead of the plot (the line is cleared, the axes stay).
    void showEmpty(const QString &message);

    void setTitle(const QString &title);
    qsizetype pointCount() const;
    using ChartPanel::chart;

protected:
    /// time (local, ISO 8601) and the value in the unit of the axis title, unscaled.
    QList<QStringList> csvRows() const override;

private:
    QList<QPointF> m_points;
    QString m_unit;
    QLineSeries *m_line;
    QCategoryAxis *m_timeAxis;
    /// Labels placed at round values, so that 0 reads "0" and the others carry the unit suffix.
    QCategoryAxis *m_valueAxis;
};

/// The smallest 1, 2 or 5 times a power of ten that is >= value (and >= 1e-9).
double niceCeiling(double value);

} // namespace flywheel::ui
