#include "experiments/DifferenceChart.h"

#include "experiments/ExperimentText.h"

#include <QPainter>
#include <QPaintEvent>

#include <algorithm>
#include <cmath>

namespace flywheel::ui {

namespace {

constexpr int kLabelWidth = 270;
constexpr int kPlotWidthMin = 160;
constexpr int kTop = 24;
const QColor kSignificant(0x1f, 0x6f, 0xeb);
const QColor kUnclear(0x8c, 0x95, 0x9f);
const QColor kZero(0xcf, 0x22, 0x2e);

} // namespace

DifferenceChart::DifferenceChart(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    showMessage(tr("Waiting for results…"));
}

void DifferenceChart::showMessage(const QString &message)
{
    m_rows.clear();
    m_message = message;
    updateGeometry();
    update();
}

void DifferenceChart::setResults(const v1::ExperimentResults &results)
{
    m_rows.clear();
    m_message.clear();
    const QString currency = QString::fromStdString(results.currency());
    const QString control =
        results.variants_size() > 0 ? QString::fromStdString(results.variants(0).variant_key()) : QString();
    for (const v1::VariantResult &variant : results.variants()) {
        for (const v1::MetricDifference &d : variant.differences()) {
            Row row;
            row.variant = QString::fromStdString(variant.variant_key());
            row.metric = d.metric();
            row.label = tr("%1 · %2 vs %3").arg(ExperimentText::metricName(d.metric()), row.variant, control);
            row.difference = d.difference();
            row.low = d.ci_low();
            row.high = d.ci_high();
            row.significant = d.significant() && !d.insufficient_data();
            row.insufficient = d.insufficient_data();
            if (row.insufficient) {
                row.values = tr("too little data for the %1 yet").arg(ExperimentText::testName(d.test()));
            } else {
                // The verdict first: a narrow window elides the end of the line.
                row.values = tr("%1 · %2 (%3) · %4")
                                 .arg(row.significant ? tr("significant") : tr("not clear"),
                                      ExperimentText::metricDifference(d.metric(), d.difference(), currency),
                                      ExperimentText::interval(d.metric(), d.ci_low(), d.ci_high(), currency),
                                      results.variants_size() > 2
                                          ? tr("%1, Holm-adjusted").arg(ExperimentText::pValue(d.adjusted_p_value()))
                                          : ExperimentText::pValue(d.adjusted_p_value()));
            }
            m_rows.append(row);
        }
    }
    if (m_rows.isEmpty())
        m_message = tr("No differences yet: they appear once the control and a variant both have exposures.");
    updateGeometry();
    update();
}

QSize DifferenceChart::sizeHint() const
{
    return {kLabelWidth + kPlotWidthMin + 380, kTop + std::max(int(m_rows.size()), 3) * kRowHeight + 10};
}

QSize DifferenceChart::minimumSizeHint() const
{
    return {kLabelWidth + kPlotWidthMin, kTop + std::max(int(m_rows.size()), 2) * kRowHeight + 10};
}

void DifferenceChart::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect(), palette().base());
    if (!m_message.isEmpty()) {
        painter.setPen(palette().placeholderText().color());
        painter.drawText(rect().adjusted(12, 8, -12, -8), Qt::AlignCenter | Qt::TextWordWrap, m_message);
        return;
    }
    const int valuesWidth = std::max(360, width() * 2 / 5);
    const int plotLeft = kLabelWidth;
    const int plotRight = std::max(plotLeft + kPlotWidthMin, width() - valuesWidth - 12);
    const int plotMid = (plotLeft + plotRight) / 2;
    const int half = (plotRight - plotLeft) / 2 - 6;

    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    painter.setFont(small);
    painter.setPen(palette().placeholderText().color());
    // Across the whole width: the plot alone is too narrow for the sentence in a small window.
    painter.drawText(QRect(8, 2, width() - 16, kTop - 4), Qt::AlignLeft | Qt::AlignVCenter,
                     tr("difference against control, 95 % interval (each row to its own scale)"));

    for (int i = 0; i < m_rows.size(); ++i) {
        const Row &row = m_rows[i];
        const int top = kTop + i * kRowHeight;
        const int y = top + kRowHeight / 2;
        if (i % 2 == 1)
            painter.fillRect(QRect(0, top, width(), kRowHeight), palette().alternateBase());
        painter.setPen(palette().text().color());
        painter.drawText(QRect(8, top, kLabelWidth - 16, kRowHeight), Qt::AlignVCenter | Qt::AlignLeft,
                         painter.fontMetrics().elidedText(row.label, Qt::ElideRight, kLabelWidth - 16));
        // The zero line: no difference.
        painter.setPen(QPen(kZero, 1, Qt::DashLine));
        painter.drawLine(plotMid, top + 2, plotMid, top + kRowHeight - 2);
        const QColor color = row.significant ? kSignificant : kUnclear;
        if (!row.insufficient) {
            const double extent =
                std::max({std::fabs(row.low), std::fabs(row.high), std::fabs(row.difference), 1e-12}) * 1.1;
            const auto x = [&](double v) { return plotMid + int(std::lround(v / extent * half)); };
            painter.setPen(QPen(color, 2));
            painter.drawLine(x(row.low), y, x(row.high), y);
            painter.drawLine(x(row.low), y - 5, x(row.low), y + 5);
            painter.drawLine(x(row.high), y - 5, x(row.high), y + 5);
            painter.setBrush(color);
            painter.drawEllipse(QPoint(x(row.difference), y), 4, 4);
            painter.setBrush(Qt::NoBrush);
        }
        painter.setPen(row.significant ? kSignificant : palette().text().color());
        QFont valueFont = small;
        valueFont.setBold(row.significant);
        painter.setFont(valueFont);
        painter.drawText(QRect(plotRight + 12, top, width() - plotRight - 16, kRowHeight),
                         Qt::AlignVCenter | Qt::AlignLeft,
                         painter.fontMetrics().elidedText(row.values, Qt::ElideRight, width() - plotRight - 16));
        painter.setFont(small);
    }
}

} // namespace flywheel::ui
