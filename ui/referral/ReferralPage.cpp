#include "referral/ReferralPage.h"

#include "client/BackendConnection.h"
#include "client/ReferralClient.h"
#include "common/PageHeader.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "referral/CommissionsTab.h"
#include "referral/FunnelTab.h"
#include "referral/InviteTreeTab.h"
#include "referral/ProgramTab.h"
#include "referral/ReferralText.h"

#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

ReferralPage::ReferralPage(BackendConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(new ReferralClient(connection, this)),
      m_header(new PageHeader(tr("Referral"), this)), m_refreshButton(new QPushButton(tr("Refresh"), this)),
      m_tabs(new QTabWidget(this)), m_program(new ProgramTab(m_client, this)),
      m_tree(new InviteTreeTab(m_client, this)), m_commissions(new CommissionsTab(m_client, this)),
      m_funnel(new FunnelTab(this))
{
    m_header->setSummary(tr("Loading the referral programme…"));

    m_header->addToTitleRow(m_refreshButton);

    m_tabs->addTab(m_program, tr("Programme"));
    m_tabs->addTab(m_tree, tr("Invite tree"));
    m_tabs->addTab(m_commissions, tr("Commissions"));
    m_tabs->addTab(m_funnel, tr("Funnel"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(m_tabs, 1);

    connect(m_refreshButton, &QPushButton::clicked, this, &ReferralPage::refresh);
    connect(m_program, &ProgramTab::loaded, this, &ReferralPage::onProgram);
    connect(m_program, &ProgramTab::loadFailed, this, &ReferralPage::onLoadFailed);
    connect(m_commissions, &CommissionsTab::loadFailed, this, &ReferralPage::onLoadFailed);
    connect(m_client, &ReferralClient::funnelReceived, m_funnel, &FunnelTab::setSnapshot);
    connect(m_client, &ReferralClient::funnelInterrupted, m_funnel, &FunnelTab::setInterrupted);
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ReferralPage::refresh);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (isVisible())
            refresh();
    });
}

ReferralPage::~ReferralPage() = default;

void ReferralPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Only a page the operator looks at asks the backend; the funnel stream too.
    m_refreshTimer.start();
    m_client->startFunnel();
    refresh();
}

void ReferralPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refreshTimer.stop();
    m_client->stopFunnel();
}

void ReferralPage::refresh()
{
    if (!m_client->hasChannel())
        return;
    m_program->refresh();
    m_commissions->refresh();
}

void ReferralPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

void ReferralPage::onProgram(const v1::ProgramVersion &version)
{
    const bool first = !m_loaded;
    m_loaded = true;
    m_header->clearProblem();
    const v1::ReferralProgram &p = version.program();
    const QString reason = version.reason().empty() ? tr("no reason given") : QString::fromStdString(version.reason());
    m_header->setSummary(
        tr("Programme version %1 · saved %2 · source: %3 · reason: “%4”")
            .arg(version.version())
            .arg(TimeText::timestamp(version.created_at()), VersionHistoryView::sourceName(version.source()), reason) +
        u'\n' +
        tr("Rewards %1 for the inviter and %2 for the new user · commission %3 (level 1) and %4 (level 2) of invited "
           "users' orders · at most %5 invite clicks per IP address per hour")
            .arg(ReferralText::money(p.inviter_reward()), ReferralText::money(p.invitee_reward()),
                 ReferralText::rate(p.level1_rate_bp()), ReferralText::rate(p.level2_rate_bp()))
            .arg(p.max_clicks_per_ip_per_hour()));
    if (first)
        Q_EMIT firstDataShown();
}

void ReferralPage::onLoadFailed(const QString &why)
{
    m_header->showProblem(m_loaded
                              ? tr("Could not refresh the referral page. %1 It shows what was last loaded and tries "
                                   "again every %2 s.")
                                    .arg(why)
                                    .arg(kRefreshMs / 1000)
                              : tr("Could not load the referral programme. %1 The page tries again every %2 s.")
                                    .arg(why)
                                    .arg(kRefreshMs / 1000));
    if (!m_loaded)
        m_header->setSummary(tr("The referral programme is not loaded."));
}

QString ReferralPage::headerText() const
{
    return m_header->summary();
}

QString ReferralPage::problemText() const
{
    return m_header->problem();
}

} // namespace flywheel::ui
