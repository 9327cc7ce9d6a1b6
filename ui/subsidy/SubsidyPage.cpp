#include "subsidy/SubsidyPage.h"

#include "client/BackendConnection.h"
#include "client/SubsidyClient.h"
#include "common/PageHeader.h"
#include "common/TimeText.h"
#include "subsidy/ConfigTab.h"
#include "subsidy/ExplainTab.h"
#include "subsidy/RoiTab.h"
#include "subsidy/SubsidyConfigEditor.h"
#include "subsidy/SubsidyText.h"

#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

SubsidyPage::SubsidyPage(BackendConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(new SubsidyClient(connection, this)),
      m_header(new PageHeader(tr("First-order subsidies"), this)),
      m_refreshButton(new QPushButton(tr("Refresh"), this)), m_tabs(new QTabWidget(this)),
      m_config(new ConfigTab(m_client, this)), m_explain(new ExplainTab(m_client, this)), m_roi(new RoiTab(this))
{
    m_header->setSummary(tr("Loading the subsidy config…"));
    m_header->addToTitleRow(m_refreshButton);

    m_tabs->addTab(m_config, tr("Config"));
    m_tabs->addTab(m_explain, tr("Explain a user"));
    m_tabs->addTab(m_roi, tr("Budgets and ROI"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);

    m_explain->setDraftSource([this]() -> std::optional<v1::SubsidyConfig> {
        if (!m_config->editor()->isValid())
            return std::nullopt;
        return m_config->editor()->config();
    });
    connect(m_refreshButton, &QPushButton::clicked, this, &SubsidyPage::refresh);
    connect(m_config, &ConfigTab::loaded, this, &SubsidyPage::onConfig);
    connect(m_config, &ConfigTab::loadFailed, this, &SubsidyPage::onLoadFailed);
    connect(m_client, &SubsidyClient::roiReceived, m_roi, &RoiTab::setSnapshot);
    connect(m_client, &SubsidyClient::roiInterrupted, m_roi, &RoiTab::setInterrupted);
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SubsidyPage::refresh);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (isVisible())
            refresh();
    });
}

SubsidyPage::~SubsidyPage() = default;

void SubsidyPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Only a page the operator looks at asks the backend; the ROI stream too.
    m_refreshTimer.start();
    m_client->startRoi();
    refresh();
}

void SubsidyPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refreshTimer.stop();
    m_client->stopRoi();
}

void SubsidyPage::refresh()
{
    if (!m_client->hasChannel())
        return;
    m_config->refresh();
}

void SubsidyPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

void SubsidyPage::markLoaded()
{
    const bool first = !m_loaded;
    m_loaded = true;
    if (first)
        Q_EMIT firstDataShown();
}

void SubsidyPage::onConfig(const v1::SubsidyConfigVersion &version)
{
    m_hasConfig = true;
    m_unimplemented = false;
    m_header->clearProblem();
    const QString reason = version.reason().empty() ? tr("no reason given") : QString::fromStdString(version.reason());
    m_header->setSummary(tr("Config version %1 · saved %2 · source: %3 · reason: “%4”")
                             .arg(version.version())
                             .arg(TimeText::timestamp(version.created_at()), SubsidyText::sourceName(version.source()),
                                  reason) +
                         u'\n' + SubsidyText::summary(version.config()));
    markLoaded();
}

void SubsidyPage::onLoadFailed(const QString &why, bool unimplemented)
{
    m_unimplemented = unimplemented;
    if (unimplemented) {
        m_header->showProblem(tr("This backend does not offer subsidies yet. Subsidies need a backend version with "
                                 "the subsidy service; the rest of the console works as before. The page asks again "
                                 "every %1 s.")
                                  .arg(kRefreshMs / 1000));
        m_header->setSummary(tr("No subsidy config: the backend has no subsidies."));
        markLoaded(); // a definite answer to show
        return;
    }
    m_header->showProblem(m_hasConfig ? tr("Could not refresh the subsidy page. %1 It shows what was last loaded and "
                                           "tries again every %2 s.")
                                            .arg(why)
                                            .arg(kRefreshMs / 1000)
                                      : tr("Could not load the subsidy config. %1 The page tries again every %2 s.")
                                            .arg(why)
                                            .arg(kRefreshMs / 1000));
    if (!m_hasConfig)
        m_header->setSummary(tr("The subsidy config is not loaded."));
}

QString SubsidyPage::headerText() const
{
    return m_header->summary();
}

QString SubsidyPage::problemText() const
{
    return m_header->problem();
}

} // namespace flywheel::ui
