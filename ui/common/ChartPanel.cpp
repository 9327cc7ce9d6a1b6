#include "common/ChartPanel.h"

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QLabel>
#include <QLegend>
#include <QValueAxis>
#include <QVBoxLayout>

#include <algorithm>
#include <iterator>

namespace flywheel::ui {

ChartPanel::ChartPanel(const QString &title, QWidget *parent)
    : QWidget(parent), m_view(new QChartView(this)), m_chart(new QChart()), m_empty(new QLabel(this)),
      m_layout(new QVBoxLayout(this))
{
    m_chart->setTitle(title);
    QFont titleFont = m_chart->titleFont();
    titleFont.setBold(true);
    m_chart->setTitleFont(titleFont);
    m_chart->setAnimationOptions(QChart::NoAnimation);
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->setBackgroundRoundness(6);
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    // The view owns the chart; the default chart it made itself is released, not deleted.
    QChart *const defaultChart = m_view->chart();
    m_view->setChart(m_chart);
    delete defaultChart;
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(180);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(2);
    m_layout->addWidget(m_view, 1);

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_empty->setStyleSheet(QStringLiteral("color: palette(placeholder-text); background: transparent;"));
}

void ChartPanel::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_empty->setGeometry(m_view->geometry().adjusted(0, 40, 0, 0)); // below the title
}

bool ChartPanel::isShowingEmptyMessage() const
{
    return !m_empty->isHidden();
}

QString ChartPanel::emptyMessage() const
{
    return m_empty->text();
}

void ChartPanel::showEmpty(const QString &message)
{
    m_empty->setText(message);
    m_empty->show();
    m_empty->raise();
}

void ChartPanel::hideEmpty()
{
    m_empty->hide();
}

void ChartPanel::setPlotMinimumHeight(int pixels)
{
    m_view->setMinimumHeight(pixels);
}

void ChartPanel::setCountRange(QValueAxis *axis, qint64 highest)
{
    constexpr int kSteps = 4;
    qint64 step = 1;
    for (qint64 scale = 1;; scale *= 10) {
        const qint64 candidates[] = {scale, 2 * scale, 5 * scale};
        const auto fits = [&](qint64 s) { return s * kSteps > highest; };
        const auto it = std::find_if(std::begin(candidates), std::end(candidates), fits);
        if (it != std::end(candidates)) {
            step = *it;
            break;
        }
    }
    axis->setLabelFormat(QStringLiteral("%.0f"));
    axis->setRange(0, static_cast<qreal>(step * kSteps));
    axis->setTickCount(kSteps + 1);
}

void ChartPanel::clear()
{
    m_chart->removeAllSeries();
    for (QAbstractAxis *axis : m_chart->axes()) {
        m_chart->removeAxis(axis); // gives the axis back to us
        delete axis;
    }
}

} // namespace flywheel::ui
