#include "segments/SegmentsPage.h"

#include "client/BackendConnection.h"
#include "client/SegmentClient.h"
#include "common/MessageBar.h"
#include "common/PageHeader.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "segments/SegmentHistoryTab.h"
#include "segments/SegmentsTab.h"
#include "segments/SegmentText.h"
#include "segments/UserLookupTab.h"

#include <grpcpp/support/status.h>

#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

constexpr int kVersionLimit = 50;

} // namespace

SegmentsPage::SegmentsPage(BackendConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(new SegmentClient(connection, this)),
      m_header(new PageHeader(tr("Segments and reach"), this)), m_message(new MessageBar(this)),
      m_refreshButton(new QPushButton(tr("Refresh"), this)), m_tabs(new QTabWidget(this)),
      m_segments(new SegmentsTab(m_client, m_message, this)),
      m_history(new SegmentHistoryTab(m_client, m_message, this)), m_lookup(new UserLookupTab(m_client, this))
{
    m_header->setSummary(tr("Loading the segments…"));

    m_header->addToTitleRow(m_refreshButton);

    m_tabs->addTab(m_segments, tr("Segments"));
    m_tabs->addTab(m_history, tr("History"));
    m_tabs->addTab(m_lookup, tr("User lookup"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(m_message);
    layout->addWidget(m_tabs, 1);

    connect(m_segments, &SegmentsTab::saved, this, &SegmentsPage::onChanged);
    connect(m_segments, &SegmentsTab::saveRefused, this, &SegmentsPage::refresh);
    connect(m_history, &SegmentHistoryTab::rolledBack, this, &SegmentsPage::onChanged);
    connect(m_segments, &SegmentsTab::actionFinished, this, &SegmentsPage::actionFinished);
    connect(m_history, &SegmentHistoryTab::actionFinished, this, &SegmentsPage::actionFinished);
    connect(m_lookup, &UserLookupTab::actionFinished, this, &SegmentsPage::actionFinished);

    connect(m_refreshButton, &QPushButton::clicked, this, &SegmentsPage::refresh);
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &SegmentsPage::refresh);
    m_refreshTimer.start();
    connect(m_connection, &BackendConnection::channelReady, this, &SegmentsPage::refresh);
    if (m_client->hasChannel())
        refresh();
}

SegmentsPage::~SegmentsPage() = default;

void SegmentsPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

void SegmentsPage::refresh()
{
    if (!m_client->hasChannel())
        return;
    if (!m_haveFeatures || m_featuresAge.elapsed() > 60000) {
        m_featuresAge.start(); // at most one call a minute, answered or not
        m_client->listFeatures([this](const grpc::Status &status, const v1::ListFeaturesResponse &features) {
            m_haveFeatures = status.ok();
            if (status.ok())
                m_segments->setFeatures(features);
        });
    }
    if (m_refreshing)
        return;
    m_refreshing = true;
    m_client->getSegmentSet(0, [this](const grpc::Status &status, const v1::SegmentSetVersion &set) {
        if (!status.ok()) {
            m_refreshing = false;
            onRefreshFailed(status);
            return;
        }
        m_header->clearProblem();
        onSegmentSet(set);
        if (m_history->newestVersion() == set.version() || set.version() == 0) {
            m_refreshing = false;
            return;
        }
        m_client->listVersions(kVersionLimit,
                               [this](const grpc::Status &status, const v1::ListSegmentSetVersionsResponse &list) {
                                   m_refreshing = false;
                                   if (status.ok())
                                       m_history->setVersions(list);
                               });
    });
}

void SegmentsPage::onRefreshFailed(const grpc::Status &status)
{
    const QString why = BackendConnection::explain(status);
    m_header->showProblem(
        m_current
            ? tr("Could not refresh the segments. %1 The page shows version %2 as last loaded "
                 "and tries again every %3 s.")
                  .arg(why)
                  .arg(m_current->version())
                  .arg(kRefreshMs / 1000)
            : tr("Could not load the segments. %1 The page tries again every %2 s.").arg(why).arg(kRefreshMs / 1000));
    if (!m_current)
        m_header->setSummary(tr("The segments are not loaded."));
}

void SegmentsPage::onChanged(const v1::SegmentSetVersion &set)
{
    onSegmentSet(set);
    m_history->forgetVersions();
    m_refreshing = false; // a refresh under way may have read the version before this one
    refresh();
}

void SegmentsPage::onSegmentSet(const v1::SegmentSetVersion &set)
{
    const bool first = !m_current;
    m_current = set;
    m_segments->setCurrent(set);
    m_history->setCurrent(set);
    if (set.version() == 0) {
        m_header->setSummary(tr("No segments have been saved yet: every user gets the generic strategy."));
    } else {
        const QString reason = set.reason().empty() ? tr("no reason given") : QString::fromStdString(set.reason());
        const v1::ReachPolicy &policy = set.policy();
        const QString limit = policy.rate_limit_per_second() == 0
                                  ? tr("no rate limit")
                                  : tr("at most %1 messages per second").arg(policy.rate_limit_per_second());
        m_header->setSummary(
            tr("Version %1 · saved %2 · source: %3 · reason: “%4” · %n segment(s)", nullptr, set.segments_size())
                .arg(set.version())
                .arg(TimeText::timestamp(set.created_at()), VersionHistoryView::sourceName(set.source()), reason) +
            u'\n' +
            tr("Seed users: %1 · holdout %2 % · %3")
                .arg(SegmentText::seedExpression(policy))
                .arg(policy.holdout_percent())
                .arg(limit));
    }
    if (first)
        Q_EMIT firstDataShown();
}

QString SegmentsPage::headerText() const
{
    return m_header->summary();
}

QString SegmentsPage::problemText() const
{
    return m_header->problem();
}

QString SegmentsPage::messageText() const
{
    return m_message->text();
}

} // namespace flywheel::ui
