#include "payments/PerformanceTab.h"

#include "common/Format.h"
#include "common/TimeText.h"
#include "payments/ChannelMinuteChart.h"
#include "payments/ChannelText.h"
#include "payments/PaymentText.h"

#include <QComboBox>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace flywheel::ui {

PerformanceTab::PerformanceTab(QWidget *parent)
    : QWidget(parent), m_selector(new QComboBox(this)), m_status(new QLabel(this)), m_demoted(new QLabel(this)),
      m_totals(new QLabel(this)), m_success(new ChannelMinuteChart(ChannelMinuteChart::Kind::SuccessRate, this)),
      m_latency(new ChannelMinuteChart(ChannelMinuteChart::Kind::Latency, this)),
      m_volume(new ChannelMinuteChart(ChannelMinuteChart::Kind::Volume, this))
{
    m_status->setWordWrap(true);
    m_status->setText(tr("Waiting for the channel figures…"));
    m_demoted->setStyleSheet(QStringLiteral("background: #cf222e; color: white; font-weight: bold; padding: 2px 8px; "
                                            "border-radius: 8px;"));
    m_demoted->hide();
    m_totals->setWordWrap(true);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_selector->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    auto *top = new QHBoxLayout();
    top->addWidget(new QLabel(tr("Channel"), this));
    top->addWidget(m_selector);
    top->addWidget(m_demoted);
    top->addStretch(1);
    auto *charts = new QGridLayout();
    charts->addWidget(m_success, 0, 0);
    charts->addWidget(m_latency, 0, 1);
    charts->addWidget(m_volume, 1, 0, 1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_totals);
    layout->addLayout(charts, 1);
    layout->addWidget(m_status);

    m_redrawTimer.setSingleShot(true);
    m_redrawTimer.setInterval(kRedrawMs);
    connect(&m_redrawTimer, &QTimer::timeout, this, &PerformanceTab::redraw);
    connect(m_selector, &QComboBox::currentIndexChanged, this, &PerformanceTab::redraw);
}

void PerformanceTab::setSnapshot(const v1::ChannelStatsSnapshot &snapshot)
{
    m_snapshot = snapshot;
    m_status->setText(tr("Live: figures of %1, updated as payments happen. Notifications delivered twice so far "
                         "(no effect): %2.")
                          .arg(TimeText::timestamp(snapshot.at()), QLocale().toString(snapshot.duplicate_notifications())));
    m_status->setStyleSheet(QString());
    // Redraws are coalesced: a burst of snapshots is drawn once.
    if (isVisible() && !m_redrawTimer.isActive())
        m_redrawTimer.start();
}

void PerformanceTab::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    redraw();
}

void PerformanceTab::setInterrupted(const QString &why, int retryInSeconds, bool unimplemented)
{
    m_status->setText(unimplemented ? ChannelText::unimplemented()
                                    : tr("The channel figures stopped: %1 Trying again in %2 s; the charts show what "
                                         "was last received.")
                                          .arg(why)
                                          .arg(retryInSeconds));
    m_status->setStyleSheet(QStringLiteral("color: #cf222e;"));
}

bool PerformanceTab::selectChannel(const QString &id)
{
    const int index = m_selector->findData(id);
    if (index < 0)
        return false;
    m_selector->setCurrentIndex(index);
    redraw();
    return true;
}

void PerformanceTab::redraw()
{
    m_redrawTimer.stop();
    if (!m_snapshot)
        return;
    const QString chosen = m_selector->currentData().toString();
    {
        const QSignalBlocker block(m_selector);
        m_selector->clear();
        for (const v1::ChannelStats &stats : m_snapshot->channels()) {
            const QString id = QString::fromStdString(stats.channel_id());
            m_selector->addItem(QStringLiteral("%1 · %2").arg(id, PaymentText::providerName(stats.provider())), id);
        }
        const int keep = m_selector->findData(chosen);
        m_selector->setCurrentIndex(keep >= 0 ? keep : 0);
    }
    const v1::ChannelStats *stats = nullptr;
    for (const v1::ChannelStats &candidate : m_snapshot->channels()) {
        if (QString::fromStdString(candidate.channel_id()) == m_selector->currentData().toString())
            stats = &candidate;
    }
    if (!stats) {
        const QString none = tr("No payment channel is configured yet.");
        m_totals->setText(none);
        m_demoted->hide();
        for (ChannelMinuteChart *chart : {m_success, m_latency, m_volume})
            chart->showWaiting(none);
        return;
    }
    const QString currency = QString::fromStdString(m_snapshot->currency());
    const QLocale locale;
    m_totals->setText(
        tr("%1 · success rate %2 · succeeded %3 · failed %4 · volume %5 · refused notifications %6 · amount "
           "mismatches %7")
            .arg(stats->enabled() ? tr("enabled") : tr("disabled"),
                 stats->success_rate_bp() < 0 ? tr("— (too few payments)")
                                              : PaymentText::basisPoints(stats->success_rate_bp()),
                 locale.toString(stats->succeeded_total()), locale.toString(stats->failed_total()),
                 formatMoney(stats->volume_total_minor(), currency), locale.toString(stats->refused_notifications()),
                 locale.toString(stats->amount_mismatches())));
    m_demoted->setText(tr("Demoted: below its success floor, tried after the others"));
    m_demoted->setVisible(stats->demoted());
    m_success->setMinutes(stats->minutes(), currency);
    m_latency->setMinutes(stats->minutes(), currency);
    m_volume->setMinutes(stats->minutes(), currency);
}

QString PerformanceTab::totalsText() const
{
    return m_totals->text();
}

bool PerformanceTab::isDemotedShown() const
{
    return !m_demoted->isHidden();
}

QString PerformanceTab::demotedText() const
{
    return m_demoted->text();
}

QString PerformanceTab::statusText() const
{
    return m_status->text();
}

} // namespace flywheel::ui
