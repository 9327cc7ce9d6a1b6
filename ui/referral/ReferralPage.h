#pragma once

#include "flywheel/v1/referral.pb.h"

#include <QString>
#include <QTimer>
#include <QWidget>

class QPushButton;
class QTabWidget;

namespace flywheel::ui {

class PageHeader;
class BackendConnection;
class CommissionsTab;
class FunnelTab;
class InviteTreeTab;
class ProgramTab;
class ReferralClient;

/// Referral (invite fission): the programme with its version history, one user's invite
/// tree, the commission ledger with its bulk actions, and the live funnel with the
/// anti-fraud refusals. Refreshes the programme and the ledger every few seconds and keeps
/// the funnel stream open while shown; every call is asynchronous.
class ReferralPage final : public QWidget {
    Q_OBJECT

public:
    explicit ReferralPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~ReferralPage() override;

    static constexpr int kRefreshMs = 5000;
    enum Tab { Programme, InviteTree, Commissions, Funnel };

    /// Asks the backend for the programme (and history) and the commissions now.
    void refresh();
    void showTab(Tab tab);

    ProgramTab *programTab() const { return m_program; }
    InviteTreeTab *inviteTreeTab() const { return m_tree; }
    CommissionsTab *commissionsTab() const { return m_commissions; }
    FunnelTab *funnelTab() const { return m_funnel; }
    ReferralClient *client() const { return m_client; }

    /// Under the title: the programme in force in one line.
    QString headerText() const;
    /// Why the page could not load, empty when it could.
    QString problemText() const;
    /// True once the page shows its first data (what a screenshot waits for).
    bool hasData() const { return m_loaded; }

Q_SIGNALS:
    /// The page shows its first data.
    void firstDataShown();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onProgram(const v1::ProgramVersion &version);
    void onLoadFailed(const QString &why);

    BackendConnection *m_connection;
    ReferralClient *m_client;
    QTimer m_refreshTimer;
    bool m_loaded = false;

    PageHeader *m_header;
    QPushButton *m_refreshButton;
    QTabWidget *m_tabs;
    ProgramTab *m_program;
    InviteTreeTab *m_tree;
    CommissionsTab *m_commissions;
    FunnelTab *m_funnel;
};

} // namespace flywheel::ui
