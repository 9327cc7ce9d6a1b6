#include "experiments/ResultsPanel.h"

#include "common/Banner.h"
#include "common/Format.h"
#include "common/TimeText.h"
#include "experiments/DifferenceChart.h"
#include "experiments/ExperimentText.h"

#include <QButtonGroup>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QRadioButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QTableWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

constexpr qint64 kFewExposures = 100;

QTableWidgetItem *cell(const QString &text, bool number = true)
{
    auto *item = new QTableWidgetItem(text);
    item->setTextAlignment(Qt::AlignVCenter | (number ? Qt::AlignRight : Qt::AlignLeft));
    item->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    return item;
}

QString money(const v1::Money &m, const QString &currency)
{
    return formatMoney(m.minor_units(), m.currency().empty() ? currency : QString::fromStdString(m.currency()));
}

} // namespace

ResultsPanel::ResultsPanel(QWidget *parent)
    : QWidget(parent), m_summary(new QLabel(this)),
      m_sequential(new QRadioButton(tr("Always-valid (sequential)"), this)),
      m_fixed(new QRadioButton(tr("Fixed-horizon"), this)), m_intervalText(new QLabel(this)),
      m_srm(new Banner(Banner::Tone::Problem, this)), m_dataNote(new Banner(Banner::Tone::Information, this)),
      m_interrupted(new Banner(Banner::Tone::Problem, this)), m_message(new QLabel(this)),
      m_table(new QTableWidget(0, Roi + 1, this)), m_chart(new DifferenceChart(this))
{
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_intervalText->setWordWrap(true);
    m_intervalText->setStyleSheet(QStringLiteral("color: palette(placeholder-text);"));
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_message->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding); // the panel's space, text at the top
    m_message->setStyleSheet(QStringLiteral("color: #57606a; padding: 24px;"));
    m_message->hide();
    m_sequential->setChecked(true);
    m_sequential->setToolTip(ExperimentText::intervalKindExplanation(v1::INTERVAL_KIND_SEQUENTIAL));
    m_fixed->setToolTip(ExperimentText::intervalKindExplanation(v1::INTERVAL_KIND_FIXED));
    auto *group = new QButtonGroup(this);
    group->addButton(m_sequential);
    group->addButton(m_fixed);

    m_table->setHorizontalHeaderLabels({tr("Variant"), tr("Weight"), tr("Exposures"), tr("Share of exposures"),
                                        tr("Shares"), tr("Share rate"), tr("Registrations"), tr("Orders"), tr("GMV"),
                                        tr("Cost"), tr("ROI per 1,000 exposures")});
    m_table->horizontalHeaderItem(Cost)->setToolTip(tr("Subsidies plus commissions."));
    m_table->horizontalHeaderItem(Roi)->setToolTip(tr("(GMV − cost) / exposures × 1,000"));
    m_table->horizontalHeaderItem(ShareRate)->setToolTip(tr("Exposed users who shared at least once."));
    m_table->horizontalHeaderItem(Shares)->setToolTip(
        tr("Invite links shared by the variant's users, and by how many of them."));
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_controls = new QWidget(this);
    auto *controls = new QVBoxLayout(m_controls);
    controls->setContentsMargins(0, 0, 0, 0);
    auto *toggle = new QHBoxLayout();
    toggle->addWidget(new QLabel(tr("Intervals:"), this));
    toggle->addWidget(m_sequential);
    toggle->addWidget(m_fixed);
    toggle->addStretch(1);

    m_chartArea = new QScrollArea(this);
    m_chartArea->setWidget(m_chart);
    m_chartArea->setWidgetResizable(true);
    m_chartArea->setFrameShape(QFrame::StyledPanel);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    controls->addWidget(m_summary);
    controls->addLayout(toggle);
    controls->addWidget(m_intervalText);
    layout->addWidget(m_controls);
    layout->addWidget(m_interrupted);
    layout->addWidget(m_srm);
    layout->addWidget(m_dataNote);
    layout->addWidget(m_message);
    layout->addWidget(m_table);
    layout->addWidget(m_chartArea, 1);

    connect(m_sequential, &QRadioButton::toggled, this, [this](bool) {
        updateIntervalText();
        Q_EMIT intervalKindChanged(intervalKind());
    });
    updateIntervalText();
    showMessage(tr("Select an experiment to see its results."));
}

v1::IntervalKind ResultsPanel::intervalKind() const
{
    return m_fixed->isChecked() ? v1::INTERVAL_KIND_FIXED : v1::INTERVAL_KIND_SEQUENTIAL;
}

void ResultsPanel::setIntervalKind(v1::IntervalKind kind)
{
    (kind == v1::INTERVAL_KIND_FIXED ? m_fixed : m_sequential)->setChecked(true);
}

void ResultsPanel::updateIntervalText()
{
    // What is shown is what the backend said it computed, once it said so.
    const v1::IntervalKind shown =
        m_results && m_results->interval() != v1::INTERVAL_KIND_UNSPECIFIED ? m_results->interval() : intervalKind();
    m_intervalText->setText(
        tr("Shown: %1 95 % intervals. %2")
            .arg(ExperimentText::intervalKindName(shown), ExperimentText::intervalKindExplanation(shown)));
}

void ResultsPanel::showMessage(const QString &message)
{
    m_results.reset();
    m_message->setText(message);
    m_message->show();
    m_controls->hide();
    m_interrupted->showText(QString());
    m_summary->clear();
    m_srm->showText(QString());
    m_dataNote->showText(QString());
    m_table->setRowCount(0);
    m_table->hide();
    m_chart->showMessage(message);
    m_chartArea->hide();
    updateIntervalText();
}

void ResultsPanel::showInterrupted(const QString &why)
{
    if (!m_results) {
        showMessage(why);
        return;
    }
    m_interrupted->showText(why);
}

void ResultsPanel::setResults(const v1::ExperimentResults &results)
{
    m_results = results;
    m_message->hide();
    m_controls->show();
    m_interrupted->showText(QString());
    m_table->show();
    m_chartArea->show();
    const QString currency = QString::fromStdString(results.currency());
    const QLocale locale;

    const QString since = TimeText::timestamp(results.started_at(), TimeText::Seconds::WhenNotZero);
    const QString ran = ExperimentText::duration(results.running_seconds());
    const QString at = TimeText::clockTime(results.at(), QDateTime::currentDateTime());
    m_summary->setText(results.status() == v1::EXPERIMENT_STATUS_RUNNING
                           ? tr("Running for %1 (since %2) · results as of %3").arg(ran, since, at)
                           : tr("%1 · ran for %2 (from %3) · results as of %4")
                                 .arg(ExperimentText::statusName(results.status()), ran, since, at));
    updateIntervalText();

    if (results.srm().mismatch()) {
        m_srm->showText(
            tr("Sample ratio mismatch: the variants' exposures do not match their weights (χ² = %1, %2). Users are "
               "not being assigned as designed — a bug in assignment or exposure logging, a variant that fails or "
               "redirects, or bots — so every number below may be biased and shipping is blocked. Find and fix the "
               "cause (check the exposure log per variant and recent deployments), then stop this experiment and "
               "create a new one; do not trust these results.")
                .arg(locale.toString(results.srm().chi_square(), 'f', 1),
                     ExperimentText::pValue(results.srm().p_value())));
    } else {
        m_srm->showText(QString());
    }

    qint64 exposures = 0;
    bool insufficient = false;
    for (const v1::VariantResult &variant : results.variants()) {
        exposures += variant.exposures();
        for (const v1::MetricDifference &d : variant.differences())
            insufficient = insufficient || d.insufficient_data();
    }
    if (results.variants_size() == 0 || exposures == 0) {
        m_dataNote->showText(tr("No exposures yet: users are counted the first time they are assigned to a variant."));
    } else if (insufficient) {
        m_dataNote->showText(tr("Insufficient data: some metrics have too few exposures, or no variation yet, for a "
                                "test. They are marked so below; wait for more users."));
    } else if (exposures < kFewExposures) {
        m_dataNote->showText(tr("Only %1 exposures so far: intervals are wide until more users arrive.")
                                 .arg(locale.toString(exposures)));
    } else {
        m_dataNote->showText(QString());
    }

    m_table->setRowCount(results.variants_size());
    for (int row = 0; row < results.variants_size(); ++row) {
        const v1::VariantResult &v = results.variants(row);
        QString name = QString::fromStdString(v.variant_key());
        if (!v.name().empty() && v.name() != v.variant_key())
            name += QStringLiteral(" — ") + QString::fromStdString(v.name());
        if (row == 0)
            name += u' ' + tr("(control)");
        m_table->setItem(row, Variant, cell(name, false));
        m_table->setItem(row, Weight, cell(ExperimentText::basisPoints(v.weight_bp())));
        m_table->setItem(row, Exposures, cell(locale.toString(v.exposures())));
        m_table->setItem(row, ExposureShare, cell(formatPercent(v.exposure_share())));
        m_table->setItem(row, Shares,
                         cell(tr("%1 by %2").arg(locale.toString(v.shares()), locale.toString(v.sharers()))));
        m_table->setItem(row, ShareRate, cell(formatPercent(v.share_rate())));
        m_table->setItem(row, Registrations, cell(locale.toString(v.registrations())));
        m_table->setItem(row, Orders, cell(locale.toString(v.orders())));
        m_table->setItem(row, Gmv, cell(money(v.gmv(), currency)));
        auto *cost = cell(money(v.cost(), currency));
        cost->setToolTip(tr("Subsidies %1 + commissions %2")
                             .arg(money(v.subsidy_cost(), currency), money(v.commission_cost(), currency)));
        m_table->setItem(row, Cost, cost);
        m_table->setItem(row, Roi, cell(ExperimentText::metricValue("roi_per_1000", v.roi_per_1000(), currency)));
    }
    m_table->resizeColumnsToContents();
    // Every variant's row stays in view: the height of the header, the rows and a
    // horizontal scroll bar (a narrow window scrolls the columns, never the rows).
    int height = m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    for (int row = 0; row < m_table->rowCount(); ++row)
        height += m_table->rowHeight(row);
    height += m_table->horizontalScrollBar()->sizeHint().height();
    m_table->setFixedHeight(height);
    m_chart->setResults(results);
}

QString ResultsPanel::summaryText() const
{
    return m_summary->text();
}

QString ResultsPanel::intervalText() const
{
    return m_intervalText->text();
}

QString ResultsPanel::srmText() const
{
    return m_srm->shownText();
}

QString ResultsPanel::dataNoteText() const
{
    return m_dataNote->shownText();
}

QString ResultsPanel::messageText() const
{
    if (!m_message->isHidden())
        return m_message->text();
    return m_interrupted->shownText();
}

} // namespace flywheel::ui
