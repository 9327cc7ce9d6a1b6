#pragma once

#include <QString>
#include <QWidget>

class QChart;
class QChartView;
class QValueAxis;
class QLabel;
class QVBoxLayout;

namespace flywheel::ui {

/// A titled chart that says, over the plot, what will appear while there is nothing to
/// draw. Every chart of the console builds on it: the dashboard's metric and reach charts
/// and the referral page's charts.
class ChartPanel : public QWidget {
    Q_OBJECT

public:
    ChartPanel(const QString &title, QWidget *parent = nullptr);

    bool isShowingEmptyMessage() const;
    QString emptyMessage() const;
    /// Shows `message` over the plot (after clear(), nothing is drawn under it).
    void showEmpty(const QString &message);

protected:
    QChart *chart() const { return m_chart; }
    /// The panel's layout: the chart, then whatever a subclass adds below it.
    QVBoxLayout *panelLayout() const { return m_layout; }
    /// The plot's minimum height (180 px unless set), for a panel that needs less or more.
    void setPlotMinimumHeight(int pixels);
    /// Removes every series and axis.
    void clear();
    void hideEmpty();
    /// An axis of counts from 0 with four equal steps of 1, 2 or 5 × 10ⁿ above `highest`.
    static void setCountRange(QValueAxis *axis, qint64 highest);
    void resizeEvent(QResizeEvent *event) override;

private:
    QChartView *m_view;
    QChart *m_chart;
    QLabel *m_empty;
    QVBoxLayout *m_layout;
};

} // namespace flywheel::ui
