#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QString>
#include <QWidget>

#include <optional>

namespace flywheel::ui {

class MessageBar;
class SegmentClient;
class VersionHistoryView;

/// The Segments page's History tab: the saved versions of the segment set, what each one
/// changed against the one before, and rolling back to one (with a reason, as a new version).
class SegmentHistoryTab final : public QWidget {
    Q_OBJECT

public:
    SegmentHistoryTab(SegmentClient *client, MessageBar *messages, QWidget *parent = nullptr);

    /// The set in force: its version cannot be rolled back to.
    void setCurrent(const v1::SegmentSetVersion &set);
    void setVersions(const v1::ListSegmentSetVersionsResponse &versions);
    /// The newest version listed, 0 when none is (the list needs loading).
    qint64 newestVersion() const;
    /// Forgets the list, after a change made here: the next refresh loads it again.
    void forgetVersions();

    /// History, newest first.
    int versionCount() const;
    qint64 versionAt(int row) const;
    void selectVersion(int row);
    QString diffText() const;
    /// Rolls back without asking (the button asks for a reason and confirmation first).
    void rollbackTo(qint64 version, const QString &reason);
    VersionHistoryView *view() const { return m_view; }

Q_SIGNALS:
    /// Rolled back: `set` is now in force.
    void rolledBack(const flywheel::v1::SegmentSetVersion &set);
    /// After each answer to a rollback, for tests and the status line.
    void actionFinished(bool ok);

private:
    void showSelectedDiff();
    void askRollback(qint64 version);

    SegmentClient *m_client;
    MessageBar *m_messages;
    VersionHistoryView *m_view;
    std::optional<v1::SegmentSetVersion> m_current;
    v1::ListSegmentSetVersionsResponse m_versions;
};

} // namespace flywheel::ui
