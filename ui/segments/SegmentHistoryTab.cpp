#include "segments/SegmentHistoryTab.h"

#include "client/SegmentClient.h"
#include "common/MessageBar.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "connection/EnvironmentPolicy.h"
#include "segments/SegmentText.h"

#include <grpcpp/support/status.h>

#include <QPushButton>
#include <QVBoxLayout>

namespace flywheel::ui {

SegmentHistoryTab::SegmentHistoryTab(SegmentClient *client, MessageBar *messages, QWidget *parent)
    : QWidget(parent), m_client(client), m_messages(messages), m_view(new VersionHistoryView(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);
    connect(m_view, &VersionHistoryView::selectionChanged, this, &SegmentHistoryTab::showSelectedDiff);
    connect(m_view, &VersionHistoryView::rollbackRequested, this, &SegmentHistoryTab::askRollback);
    EnvironmentPolicy::watch(this, [this] { showSelectedDiff(); });
}

void SegmentHistoryTab::setCurrent(const v1::SegmentSetVersion &set)
{
    const bool changed = !m_current || m_current->version() != set.version();
    m_current = set;
    if (changed)
        showSelectedDiff();
}

void SegmentHistoryTab::setVersions(const v1::ListSegmentSetVersionsResponse &versions)
{
    m_versions = versions;
    QList<VersionHistoryView::Row> rows;
    for (const v1::SegmentSetVersion &version : versions.versions())
        rows.append({version.version(),
                     TimeText::timestamp(version.created_at()),
                     VersionHistoryView::sourceName(version.source()),
                     QString::fromStdString(version.reason()),
                     {}});
    m_view->setVersions(rows);
}

qint64 SegmentHistoryTab::newestVersion() const
{
    return m_versions.versions_size() == 0 ? 0 : m_versions.versions(0).version();
}

void SegmentHistoryTab::forgetVersions()
{
    m_versions.clear_versions();
}

int SegmentHistoryTab::versionCount() const
{
    return m_view->versionCount();
}

qint64 SegmentHistoryTab::versionAt(int row) const
{
    return m_view->versionAt(row);
}

void SegmentHistoryTab::selectVersion(int row)
{
    m_view->selectRow(row);
}

QString SegmentHistoryTab::diffText() const
{
    return m_view->diffText();
}

void SegmentHistoryTab::showSelectedDiff()
{
    QPushButton *rollback = m_view->rollbackButton();
    rollback->setEnabled(false);
    const int row = m_view->selectedRow();
    if (row < 0 || row >= m_versions.versions_size()) {
        m_view->setDiff(QString());
        return;
    }
    const v1::SegmentSetVersion &version = m_versions.versions(row);
    const bool current = m_current && m_current->version() == version.version();
    rollback->setEnabled(!current && EnvironmentPolicy::allowsEditing(this));
    rollback->setToolTip(current ? tr("This version is the one in force.")
                                 : EnvironmentPolicy::editingBlockedText(this));

    QStringList lines;
    if (row + 1 < m_versions.versions_size()) {
        lines = SegmentText::diff(m_versions.versions(row + 1), version);
    } else if (version.version() > 1) {
        m_view->setDiff(
            tr("Version %1 is the oldest one listed; the versions before it are not shown.").arg(version.version()));
        return;
    } else {
        lines = SegmentText::diff(v1::SegmentSetVersion(), version);
    }
    QString text = tr("Version %1 (%2, %3): %4")
                       .arg(version.version())
                       .arg(VersionHistoryView::sourceName(version.source()), TimeText::timestamp(version.created_at()),
                            QString::fromStdString(version.reason()));
    text += u'\n';
    if (lines.isEmpty())
        text += u'\n' + tr("Nothing changed.");
    for (const QString &line : lines)
        text += QStringLiteral("\n• ") + line;
    m_view->setDiff(text);
}

void SegmentHistoryTab::askRollback(qint64 version)
{
    const std::optional<QString> reason = ReasonDialog::ask(
        this, tr("Roll back"), tr("Why roll back to version %1? (required; it is kept in the history)").arg(version),
        tr("Make the segments and reach policy of version %1 the ones in force? Users are reached by them from "
           "now on. This is saved as a new version.")
            .arg(version),
        tr("Roll back"));
    if (reason)
        rollbackTo(version, *reason);
}

void SegmentHistoryTab::rollbackTo(qint64 version, const QString &reason)
{
    m_view->rollbackButton()->setEnabled(false);
    m_client->rollback(
        version, reason, [this, version](const grpc::Status &status, const v1::SegmentSetVersion &saved) {
            if (!status.ok()) {
                m_messages->showMessage(SegmentText::failure(status, tr("Nothing was rolled back")), true);
                showSelectedDiff();
                Q_EMIT actionFinished(false);
                return;
            }
            m_messages->showMessage(tr("Rolled back to version %1: the segments in force are now version %2.")
                                        .arg(version)
                                        .arg(saved.version()),
                                    false);
            forgetVersions();
            Q_EMIT rolledBack(saved);
            Q_EMIT actionFinished(true);
        });
}

} // namespace flywheel::ui
