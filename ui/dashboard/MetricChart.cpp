#include "dashboard/MetricChart.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QChart>
#include <QFontMetrics>
#include <QLegend>
#include <QLineSeries>
#include <QLocale>

#include <algorithm>
#include <cmath>

namespace flywheel::ui {

double niceCeiling(double value)
{
    value = std::max(value, 1e-9);
    const double magnitude = std::pow(10.0, std::floor(std::log10(value)));
    for (double step : {1.0, 2.0, 5.0, 10.0}) {
        if (step * magnitude >= value * (1 - 1e-12))
            return step * magnitude;
    }
    return 10.0 * magnitude;
}

MetricChart::MetricChart(const QString &title, Style style, const QColor &color, QWidget *parent)
    : ChartPanel(title, parent), m_line(new QLineSeries()), m_timeAxis(new QCategoryAxis()),
      m_valueAxis(new QCategoryAxis())
{
    setMinimumHeight(220);
    chart()->legend()->hide(); // one series per chart: the title names it

    QPen pen(color);
    pen.setWidthF(2.0);
    m_line->setPen(pen);
    QAbstractSeries *plotted = m_line;
    if (style == Style::Area) {
        auto *area = new QAreaSeries(m_line);
        m_line->setParent(area); // an area series does not own its upper line; the chart owns the area
        QColor fill = color;
        fill.setAlpha(70);
        area->setBrush(fill);
        area->setPen(pen);
        plotted = area;
    }
    chart()->addSeries(plotted);
    m_timeAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_valueAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_valueAxis->setStartValue(0);
    m_valueAxis->setRange(0, 1);
    chart()->addAxis(m_timeAxis, Qt::AlignBottom);
    chart()->addAxis(m_valueAxis, Qt::AlignLeft);
    plotted->attachAxis(m_timeAxis);
    plotted->attachAxis(m_valueAxis);
}

void MetricChart::setData(const QList<QPointF> &points, const TimeAxis &time, const QString &valueFormat,
                          const QString &unit, double minimumTop)
{
    hideEmpty();
    m_points = points;
    m_unit = unit;

    // Labels at whole steps of local clock time (QDateTimeAxis would put them at
    // arbitrary seconds).
    const qint64 fromMs = time.from.toMSecsSinceEpoch();
    const qint64 toMs = time.to.toMSecsSinceEpoch();
    const qint64 stepMs = time.labelStepSeconds * 1000;
    const qint64 offsetMs = qint64(time.from.offsetFromUtc()) * 1000;
    qint64 tick = ((fromMs + offsetMs + stepMs - 1) / stepMs) * stepMs - offsetMs;
    for (const QString &label : m_timeAxis->categoriesLabels())
        m_timeAxis->remove(label);
    int widestLabel = 0;
    const QFontMetrics metrics(m_timeAxis->labelsFont());
    for (; tick <= toMs; tick += stepMs) {
        const QString label = QLocale().toString(QDateTime::fromMSecsSinceEpoch(tick), time.format);
        widestLabel = std::max(widestLabel, metrics.horizontalAdvance(label));
        m_timeAxis->append(label, static_cast<double>(tick));
    }
    m_timeAxis->setRange(static_cast<double>(fromMs), static_cast<double>(toMs));
    // A label is centred on its time: the one at the right end needs half its width
    // beside the plot, or the chart cuts it off.
    chart()->setMargins(QMargins(4, 4, std::max(4, widestLabel / 2 + 4), 4));

    double top = minimumTop;
    for (const QPointF &p : points)
        top = std::max(top, p.y());
    // Large values in thousands or millions, so labels stay short and readable.
    double scale = 1;
    QString suffix;
    if (top >= 1'000'000) {
        scale = 1'000'000;
        suffix = QStringLiteral("M");
    } else if (top >= 10'000) {
        scale = 1'000;
        suffix = QStringLiteral("k");
    }
    QList<QPointF> scaled = points;
    for (QPointF &p : scaled)
        p.setY(p.y() / scale);
    m_line->replace(scaled);
    const double axisTop = niceCeiling(top * 1.05 / scale);
    // Ticks at whole steps: 0-10 in 2s, 0-20 in 5s, 0-50 in 10s.
    const double leading = axisTop / std::pow(10.0, std::floor(std::log10(axisTop)));
    const int ticks = std::abs(leading - 2.0) < 1e-9 ? 5 : 6;
    QString format = valueFormat;
    const double step = axisTop / (ticks - 1);
    if (step < 1) // steps of 0.2 or 0.5 need a decimal
        format.replace(QStringLiteral("%.0f"), QStringLiteral("%.1f"));
    for (const QString &label : m_valueAxis->categoriesLabels())
        m_valueAxis->remove(label);
    for (int i = 0; i < ticks; ++i) {
        const double value = step * i;
        // Zero is zero in any unit: "0", not "0k".
        const QString label = i == 0 ? QString::asprintf(qPrintable(valueFormat), 0.0)
                                     : QString::asprintf(qPrintable(format), value) + suffix;
        m_valueAxis->append(label, value);
    }
    m_valueAxis->setRange(0, axisTop);
    m_valueAxis->setTitleText(unit);
}

QStringList MetricChart::timeLabels() const
{
    return m_timeAxis->categoriesLabels();
}

QStringList MetricChart::valueLabels() const
{
    return m_valueAxis->categoriesLabels();
}

void MetricChart::showEmpty(const QString &message)
{
    m_line->clear();
    ChartPanel::showEmpty(message);
}

void MetricChart::setTitle(const QString &title)
{
    chart()->setTitle(title);
}

qsizetype MetricChart::pointCount() const
{
    return m_line->count();
}

QList<QStringList> MetricChart::csvRows() const
{
    QList<QStringList> rows{{tr("time"), m_unit.isEmpty() ? title() : tr("%1 (%2)").arg(title(), m_unit)}};
    for (const QPointF &p : m_points)
        rows.append({QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(p.x())).toString(Qt::ISODate),
                     QString::number(p.y(), 'f', 2)});
    return rows;
}

} // namespace flywheel::ui
