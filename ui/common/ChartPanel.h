#pragma once

#include <QDateTime>
#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

class QChart;
class QChartView;
class QValueAxis;
class QLabel;
class QVBoxLayout;

namespace flywheel::ui {

class ExportJob;

/// A titled chart that says, over the plot, what will appear while there is nothing to
/// draw. Every chart of the console builds on it: the dashboard's metric and reach charts
/// and the referral page's charts.
///
/// Every chart exports itself as a PNG image and its data as CSV (its context menu, and
/// File → Export charts… for all the charts of a page), under a file name that holds its
/// title, window and time range; the files are written off the GUI thread (ExportJob).
class ChartPanel : public QWidget {
    Q_OBJECT

public:
    ChartPanel(const QString &title, QWidget *parent = nullptr);

    bool isShowingEmptyMessage() const;
    QString emptyMessage() const;
    /// Shows `message` over the plot (after clear(), nothing is drawn under it).
    void showEmpty(const QString &message);

    QString title() const;
    /// What export file names say about the data: the window ("1 hour", "all time") and
    /// the time range shown; an invalid range is left out (the export's time is used).
    void setExportRange(const QString &window, const QDateTime &from = {}, const QDateTime &to = {});
    /// "GMV_hour_2026-12-08_0010-0110": title, window, range; no character a file system refuses.
    QString exportStem() const;
    /// The plot as it is drawn now (GUI thread).
    QImage exportImage() const;
    /// The data as CSV rows, the header first.
    QList<QStringList> exportRows() const { return csvRows(); }
    /// A job that writes the chart to `path`, PNG or CSV by its suffix, once started
    /// (connect to it first); it deletes itself when finished. Null for another suffix.
    ExportJob *exportTo(const QString &path);

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
    /// The data for CSV: by default every line's points (series, x, y) and every bar
    /// set's values (set, category, value). A chart with better names overrides it.
    virtual QList<QStringList> csvRows() const;

private:
    void showExportMenu(const QPoint &at);
    void askExport(bool png);

    QString m_exportWindow;
    QDateTime m_exportFrom;
    QDateTime m_exportTo;
    QChartView *m_view;
    QChart *m_chart;
    QLabel *m_empty;
    QVBoxLayout *m_layout;
};

} // namespace flywheel::ui
