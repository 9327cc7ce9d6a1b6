#include "alerts/AlertsPage.h"

#include "alerts/AlertText.h"
#include "alerts/ThresholdsTab.h"
#include "client/AlertClient.h"
#include "client/BackendConnection.h"
#include "common/PageHeader.h"
#include "common/TimeText.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

QTableWidget *table(const QStringList &headers, QWidget *parent)
{
    auto *t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setWordWrap(true);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    // Rows as high as their wrapped text at the columns' current widths.
    t->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    return t;
}

QTableWidgetItem *item(const QString &text, const QString &tooltip = {})
{
    auto *i = new QTableWidgetItem(text);
    i->setToolTip(tooltip.isEmpty() ? text : tooltip);
    return i;
}

/// Firing rows stand out: the state cell in the warning colour, bold.
void markFiring(QTableWidgetItem *state)
{
    state->setForeground(QColor(0xb0, 0x1c, 0x1c));
    QFont font = state->font();
    font.setBold(true);
    state->setFont(font);
}

} // namespace

AlertsPage::AlertsPage(BackendConnection *connection, AlertClient *client, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(client), m_header(new PageHeader(tr("Alerts"), this)),
      m_tabs(new QTabWidget(this)),
      m_current(table({tr("Alert"), tr("State"), tr("Value"), tr("Threshold"), tr("What it means")}, this)),
      m_history(table({tr("When"), tr("Alert"), tr("Change"), tr("Value"), tr("Threshold"), tr("What it meant")}, this)),
      m_thresholds(new ThresholdsTab(client, this))
{
    m_header->setSummary(tr("Waiting for the backend's alerts…"));

    auto *now = new QWidget(this);
    auto *nowLayout = new QVBoxLayout(now);
    nowLayout->setContentsMargins(0, 0, 0, 0);
    auto *split = new QSplitter(Qt::Vertical, now);
    auto *currentBox = new QWidget(split);
    auto *currentLayout = new QVBoxLayout(currentBox);
    currentLayout->setContentsMargins(0, 0, 0, 0);
    currentLayout->addWidget(new QLabel(tr("Now (evaluated every second over sliding windows)"), currentBox));
    currentLayout->addWidget(m_current, 1);
    auto *historyBox = new QWidget(split);
    auto *historyLayout = new QVBoxLayout(historyBox);
    historyLayout->setContentsMargins(0, 0, 0, 0);
    historyLayout->addWidget(new QLabel(tr("History (newest first)"), historyBox));
    historyLayout->addWidget(m_history, 1);
    split->addWidget(currentBox);
    split->addWidget(historyBox);
    split->setChildrenCollapsible(false);
    split->setSizes({230, 400});
    nowLayout->addWidget(split);
    m_current->setColumnWidth(0, 240);
    m_current->setColumnWidth(1, 200);
    m_current->setColumnWidth(2, 90);
    m_current->setColumnWidth(3, 90);
    m_history->setColumnWidth(0, 150);
    m_history->setColumnWidth(1, 240);
    m_history->setColumnWidth(2, 90);

    m_tabs->addTab(now, tr("Alerts"));
    m_tabs->addTab(m_thresholds, tr("Thresholds"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);

    connect(m_client, &AlertClient::alertsReceived, this, &AlertsPage::setSnapshot);
    connect(m_client, &AlertClient::alertsInterrupted, this, &AlertsPage::setInterrupted);
    connect(m_thresholds, &ThresholdsTab::loadFailed, this,
            [this](const QString &why, bool) { m_header->showProblem(tr("The thresholds could not be loaded. %1").arg(why)); });
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (isVisible())
            m_thresholds->refresh();
    });
}

void AlertsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_thresholds->refresh();
}

void AlertsPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

QString AlertsPage::headerText() const
{
    return m_header->summary();
}

QString AlertsPage::problemText() const
{
    return m_header->problem();
}

void AlertsPage::setSnapshot(const v1::AlertsSnapshot &snapshot)
{
    m_header->clearProblem();
    m_firing = 0;
    m_current->setRowCount(snapshot.alerts_size());
    for (int row = 0; row < snapshot.alerts_size(); ++row) {
        const v1::Alert &a = snapshot.alerts(row);
        const bool firing = a.enabled() && a.state() == v1::ALERT_STATE_FIRING;
        m_firing += firing ? 1 : 0;
        m_current->setItem(row, 0, item(AlertText::title(a.id()), AlertText::description(a.id())));
        auto *state = item(AlertText::state(a));
        if (firing)
            markFiring(state);
        m_current->setItem(row, 1, state);
        m_current->setItem(row, 2, item(AlertText::value(a)));
        m_current->setItem(row, 3, item(AlertText::threshold(a)));
        m_current->setItem(row, 4, item(AlertText::explanation(a)));
    }
    m_history->setRowCount(snapshot.history_size());
    for (int row = 0; row < snapshot.history_size(); ++row) {
        const v1::AlertChange &c = snapshot.history(row);
        m_history->setItem(row, 0, item(TimeText::timestamp(c.at())));
        m_history->setItem(row, 1, item(AlertText::title(c.alert().id())));
        auto *change = item(c.fired() ? tr("Fired") : tr("Resolved"));
        if (c.fired())
            markFiring(change);
        m_history->setItem(row, 2, change);
        m_history->setItem(row, 3, item(AlertText::value(c.alert())));
        m_history->setItem(row, 4, item(AlertText::threshold(c.alert())));
        m_history->setItem(row, 5, item(AlertText::explanation(c.alert())));
    }
    m_header->setSummary(m_firing == 0
                             ? tr("No alert is firing. Thresholds version %1.").arg(snapshot.thresholds_version())
                             : tr("%1 of %2 alerts firing. Thresholds version %3.")
                                   .arg(m_firing)
                                   .arg(snapshot.alerts_size())
                                   .arg(snapshot.thresholds_version()));
    const bool first = !m_loaded;
    m_loaded = true;
    if (first)
        Q_EMIT firstDataShown();
}

void AlertsPage::setInterrupted(const QString &why, int retryInSeconds, bool unimplemented)
{
    if (unimplemented) {
        m_header->showProblem(tr("This backend has no business alerts (an older version)."));
        const bool first = !m_loaded;
        m_loaded = true;
        if (first)
            Q_EMIT firstDataShown();
        return;
    }
    m_header->showProblem(tr("The alerts are not current: %1 Trying again in %2 s.").arg(why).arg(retryInSeconds));
}

} // namespace flywheel::ui
