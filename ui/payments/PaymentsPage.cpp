#include "payments/PaymentsPage.h"

#include "client/BackendConnection.h"
#include "client/PaymentClient.h"
#include "common/PageHeader.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "payments/ChannelsTab.h"
#include "payments/ChannelText.h"
#include "payments/OrderLookupTab.h"
#include "payments/PerformanceTab.h"
#include "payments/RefusedTab.h"
#include "payments/RoutePreviewTab.h"

#include <QLocale>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

PaymentsPage::PaymentsPage(BackendConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(new PaymentClient(connection, this)),
      m_header(new PageHeader(tr("Payment channels"), this)), m_refreshButton(new QPushButton(tr("Refresh"), this)),
      m_tabs(new QTabWidget(this)), m_channels(new ChannelsTab(m_client, this)),
      m_preview(new RoutePreviewTab(m_client, this)), m_performance(new PerformanceTab(this)),
      m_refused(new RefusedTab(m_client, this)), m_orders(new OrderLookupTab(m_client, this))
{
    m_header->setSummary(tr("Loading the payment channels…"));
    m_header->addToTitleRow(m_refreshButton);
    m_tabs->addTab(m_channels, tr("Channels"));
    m_tabs->addTab(m_preview, tr("Routing preview"));
    m_tabs->addTab(m_performance, tr("Performance"));
    m_tabs->addTab(m_refused, tr("Refused notifications"));
    m_tabs->addTab(m_orders, tr("Order lookup"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);

    m_preview->setDraftSource([this] { return m_channels->draft(); });
    connect(m_channels, &ChannelsTab::draftChanged, m_preview, &RoutePreviewTab::markStale);
    connect(m_refreshButton, &QPushButton::clicked, this, [this] {
        refresh();
        m_refused->refresh();
    });
    connect(m_channels, &ChannelsTab::loaded, this, &PaymentsPage::onConfig);
    connect(m_channels, &ChannelsTab::loadFailed, this, &PaymentsPage::onLoadFailed);
    connect(m_client, &PaymentClient::statsReceived, m_performance, &PerformanceTab::setSnapshot);
    connect(m_client, &PaymentClient::statsInterrupted, m_performance, &PerformanceTab::setInterrupted);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        // The refused list is read when looked at, not on every refresh.
        if (index == Refused && m_client->hasChannel())
            m_refused->refresh();
        // The preview answers for the channels as they are when it is opened.
        if (index == Preview && m_hasConfig && m_preview->needsPreview())
            m_preview->preview();
    });
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &PaymentsPage::refresh);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (isVisible()) {
            refresh();
            m_client->startStats();
        }
    });
}

PaymentsPage::~PaymentsPage() = default;

void PaymentsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Only a page the operator looks at asks the backend; the statistics stream too.
    m_refreshTimer.start();
    m_client->startStats();
    refresh();
}

void PaymentsPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refreshTimer.stop();
    m_client->stopStats();
}

void PaymentsPage::refresh()
{
    if (!m_client->hasChannel())
        return;
    m_channels->refresh();
}

void PaymentsPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

void PaymentsPage::markLoaded()
{
    const bool first = !m_loaded;
    m_loaded = true;
    if (first)
        Q_EMIT firstDataShown();
}

void PaymentsPage::onConfig(const v1::ChannelConfigVersion &version)
{
    m_hasConfig = true;
    // Opened on the preview before the channels were read (--tab preview): it answers now.
    if (m_tabs->currentIndex() == Preview && m_preview->needsPreview())
        m_preview->preview();
    m_unimplemented = false;
    m_header->clearProblem();
    int enabled = 0;
    int missing = 0;
    for (const v1::Channel &channel : version.config().channels()) {
        enabled += channel.enabled() ? 1 : 0;
        for (const v1::Credential &credential : channel.credentials())
            missing += credential.status() == "set" ? 0 : 1;
    }
    const QString reason = version.reason().empty() ? tr("no reason given") : QString::fromStdString(version.reason());
    QString summary = tr("Channels version %1 · saved %2 · source: %3 · reason: “%4”")
                          .arg(version.version())
                          .arg(TimeText::timestamp(version.created_at()),
                               VersionHistoryView::sourceName(version.source()), reason);
    summary += u'\n' + tr("%1 channels, %2 enabled.")
                           .arg(QLocale().toString(version.config().channels_size()), QLocale().toString(enabled));
    if (missing > 0)
        summary += u' ' + tr("%1 credentials missing: those channels cannot take payments.").arg(missing);
    m_header->setSummary(summary);
    markLoaded();
}

void PaymentsPage::onLoadFailed(const QString &why, bool unimplemented)
{
    m_unimplemented = unimplemented;
    if (unimplemented) {
        m_header->showProblem(
            tr("%1 The page asks again every %2 s.").arg(ChannelText::unimplemented()).arg(kRefreshMs / 1000));
        m_header->setSummary(tr("No payment channels: the backend has none."));
        markLoaded(); // a definite answer to show
        return;
    }
    m_header->showProblem(m_hasConfig ? tr("Could not refresh the payment channels. %1 The page shows what was last "
                                           "loaded and tries again every %2 s.")
                                            .arg(why)
                                            .arg(kRefreshMs / 1000)
                                      : tr("Could not load the payment channels. %1 The page tries again every %2 s.")
                                            .arg(why)
                                            .arg(kRefreshMs / 1000));
    if (!m_hasConfig)
        m_header->setSummary(tr("The payment channels are not loaded."));
}

QString PaymentsPage::headerText() const
{
    return m_header->summary();
}

QString PaymentsPage::problemText() const
{
    return m_header->problem();
}

} // namespace flywheel::ui
