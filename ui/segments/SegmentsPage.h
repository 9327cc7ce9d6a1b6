#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QElapsedTimer>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <optional>

class QPushButton;
class QTabWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class PageHeader;
class BackendConnection;
class MessageBar;
class SegmentClient;
class SegmentHistoryTab;
class SegmentsTab;
class UserLookupTab;

/// Seed segments and reach, in three tabs as the Referral page: the segments in force
/// with an editor for a draft of the set and the reach policy (SegmentsTab), the version
/// history with rollback (SegmentHistoryTab), and one user's profile, memberships and reach
/// decision (UserLookupTab). The page loads the set in force, the history and the features
/// every few seconds and shows what the tabs' actions did in one message bar; every call is
/// asynchronous.
class SegmentsPage final : public QWidget {
    Q_OBJECT

public:
    explicit SegmentsPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~SegmentsPage() override;

    static constexpr int kRefreshMs = 5000;
    enum Tab { Segments, History, Lookup };

    /// Asks the backend for the set in force (with sizes), the history and the features now.
    void refresh();
    void showTab(Tab tab);

    SegmentsTab *segmentsTab() const { return m_segments; }
    SegmentHistoryTab *historyTab() const { return m_history; }
    UserLookupTab *lookupTab() const { return m_lookup; }

    std::optional<v1::SegmentSetVersion> current() const { return m_current; }
    /// True once the set in force has been loaded (what a screenshot waits for).
    bool hasData() const { return m_current.has_value(); }
    QString headerText() const;
    /// Why the page could not load, empty when it could.
    QString problemText() const;
    /// The latest outcome of an operator's action (save, rollback), or why it failed.
    QString messageText() const;

Q_SIGNALS:
    /// After each answer to an action of a tab (save, rollback, lookup), for tests and the status line.
    void actionFinished(bool ok);
    /// The set in force was loaded for the first time.
    void firstDataShown();

private:
    void onSegmentSet(const v1::SegmentSetVersion &set);
    /// After a save or a rollback here: `set` is in force and the history is stale.
    void onChanged(const v1::SegmentSetVersion &set);
    void onRefreshFailed(const grpc::Status &status);

    BackendConnection *m_connection;
    SegmentClient *m_client;
    QTimer m_refreshTimer;
    bool m_refreshing = false;
    std::optional<v1::SegmentSetVersion> m_current;
    bool m_haveFeatures = false;
    QElapsedTimer m_featuresAge;

    PageHeader *m_header;
    MessageBar *m_message;
    QPushButton *m_refreshButton;
    QTabWidget *m_tabs;
    SegmentsTab *m_segments;
    SegmentHistoryTab *m_history;
    UserLookupTab *m_lookup;
};

} // namespace flywheel::ui
