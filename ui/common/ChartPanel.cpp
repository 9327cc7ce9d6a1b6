#include "common/ChartPanel.h"

#include "common/ExportJob.h"

#include <QAbstractAxis>
#include <QBarCategoryAxis>
#include <QBarSet>
#include <QAbstractBarSeries>
#include <QFileDialog>
#include <QMainWindow>
#include <QMenu>
#include <QMessageBox>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QStatusBar>
#include <QXYSeries>
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
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ChartPanel::showExportMenu);

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

QString ChartPanel::title() const
{
    return m_chart->title();
}

void ChartPanel::setExportRange(const QString &window, const QDateTime &from, const QDateTime &to)
{
    m_exportWindow = window;
    m_exportFrom = from;
    m_exportTo = to;
}

QString ChartPanel::exportStem() const
{
    static const QRegularExpression unsafe(QStringLiteral("[\\\\/:*?\"<>|\\s·]+"));
    const auto slug = [](QString text) {
        text.replace(unsafe, QStringLiteral("-"));
        return text.remove(QRegularExpression(QStringLiteral("^-+|-+$")));
    };
    QStringList parts{slug(title())};
    if (!m_exportWindow.isEmpty())
        parts << slug(m_exportWindow);
    const QString day = QStringLiteral("yyyy-MM-dd");
    if (m_exportFrom.isValid() && m_exportTo.isValid()) {
        const QDateTime from = m_exportFrom.toLocalTime();
        const QDateTime to = m_exportTo.toLocalTime();
        parts << from.toString(day + QStringLiteral("_HHmm")) + u'-' +
                     to.toString(from.date() == to.date() ? QStringLiteral("HHmm") : day + QStringLiteral("_HHmm"));
    } else {
        parts << QStringLiteral("at-") + QDateTime::currentDateTime().toString(day + QStringLiteral("_HHmm"));
    }
    parts.removeAll(QString());
    return parts.join(u'_');
}

QImage ChartPanel::exportImage() const
{
    return m_view->grab().toImage();
}

QList<QStringList> ChartPanel::csvRows() const
{
    QList<QStringList> rows;
    for (QAbstractSeries *series : m_chart->series()) {
        if (auto *xy = qobject_cast<QXYSeries *>(series)) {
            if (rows.isEmpty())
                rows.append({tr("series"), tr("x"), tr("y")});
            for (const QPointF &p : xy->points())
                rows.append({xy->name(), QString::number(p.x(), 'g', 15), QString::number(p.y(), 'g', 15)});
        } else if (auto *bars = qobject_cast<QAbstractBarSeries *>(series)) {
            QStringList categories;
            for (QAbstractAxis *axis : m_chart->axes()) {
                if (auto *category = qobject_cast<QBarCategoryAxis *>(axis))
                    categories = category->categories();
            }
            if (rows.isEmpty())
                rows.append({tr("set"), tr("category"), tr("value")});
            for (const QBarSet *set : bars->barSets()) {
                for (int i = 0; i < set->count(); ++i)
                    rows.append({set->label(), categories.value(i, QString::number(i)), QString::number(set->at(i), 'g', 15)});
            }
        }
    }
    return rows;
}

ExportJob *ChartPanel::exportTo(const QString &path)
{
    ExportJob::File file{path, {}, {}};
    if (path.endsWith(QStringLiteral(".png"), Qt::CaseInsensitive))
        file.image = exportImage();
    else if (path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive))
        file.bytes = ExportJob::csv(csvRows());
    else
        return nullptr;
    auto *job = new ExportJob({file}, this);
    connect(job, &ExportJob::finished, job, &QObject::deleteLater);
    return job;
}

void ChartPanel::showExportMenu(const QPoint &at)
{
    QMenu menu(this);
    connect(menu.addAction(tr("Export as PNG…")), &QAction::triggered, this, [this] { askExport(true); });
    connect(menu.addAction(tr("Export data as CSV…")), &QAction::triggered, this, [this] { askExport(false); });
    menu.exec(m_view->mapToGlobal(at));
}

void ChartPanel::askExport(bool png)
{
    QString folder = QStandardPaths::writableLocation(png ? QStandardPaths::PicturesLocation
                                                          : QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    const QString suggested = folder + u'/' + exportStem() + (png ? QStringLiteral(".png") : QStringLiteral(".csv"));
    const QString path = QFileDialog::getSaveFileName(this, png ? tr("Export the chart as PNG") : tr("Export the chart's data as CSV"),
                                                      suggested, png ? tr("PNG images (*.png)") : tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    ExportJob *job = exportTo(path);
    if (job == nullptr) {
        QMessageBox::warning(this, tr("Export"), tr("%1 does not end in .png or .csv: nothing was written.").arg(path));
        return;
    }
    connect(job, &ExportJob::finished, this, [this](const QStringList &written, const QString &error) {
        if (!error.isEmpty()) {
            QMessageBox::warning(this, tr("Export"), tr("The chart was not exported. %1").arg(error));
            return;
        }
        if (auto *main = qobject_cast<QMainWindow *>(window()))
            main->statusBar()->showMessage(tr("Exported %1").arg(written.value(0)), 10000);
    });
    job->start();
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
