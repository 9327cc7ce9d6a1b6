#pragma once

#include "client/BackendConnection.h"

#include <QMainWindow>
#include <QStringList>

class QAction;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace flywheel::ui {

class AuditPage;
class ConnectionController;
class DashboardFeed;
class DashboardPage;
class EnvironmentBar;
class EnvironmentPolicy;
class ExperimentsPage;
class InventoryPage;
class PaymentsPage;
class PricingPage;
class ReferralPage;
class SubsidyPage;
class SegmentsPage;
class TokensPage;
class CallerLookup;

/// The console: page navigation on the left, the page on the right, and the
/// connection to the backend in the status bar (and in a banner when it is down).
class MainWindow final : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(BackendConnection *connection, QWidget *parent = nullptr);
    ~MainWindow() override;

    /// Names accepted by showPage(), e.g. for --page.
    static QStringList pageNames();
    /// False when there is no page of that name.
    bool showPage(const QString &name);
    QString currentPageName() const;
    /// Whether the page shown has its first data (the dashboard a snapshot, the other
    /// pages their set, programme or stock levels; the experiments page its set, or the
    /// backend's answer that it runs none).
    bool currentPageHasData() const;

    DashboardPage *dashboardPage() const { return m_dashboard; }
    PricingPage *pricingPage() const { return m_pricing; }
    SegmentsPage *segmentsPage() const { return m_segments; }
    ReferralPage *referralPage() const { return m_referral; }
    SubsidyPage *subsidyPage() const { return m_subsidy; }
    PaymentsPage *paymentsPage() const { return m_payments; }
    ExperimentsPage *experimentsPage() const { return m_experiments; }
    InventoryPage *inventoryPage() const { return m_inventory; }
    TokensPage *tokensPage() const { return m_tokens; }
    /// Asks WhoAmI after connecting; the policy then greys out what the role may not do.
    CallerLookup *callerLookup() const { return m_callerLookup; }
    /// "Signed in as console-alice (operator)" in the status bar; empty while unknown.
    QString callerText() const;
    AuditPage *auditPage() const { return m_audit; }
    QString connectionText() const;
    /// What the profile connected to allows (read-only production, …); pages find it
    /// through EnvironmentPolicy::of().
    EnvironmentPolicy *environmentPolicy() const { return m_policy; }
    EnvironmentBar *environmentBar() const { return m_environmentBar; }
    QAction *connectAction() const { return m_connectAction; }
    /// Enables File → Connect…, which opens the controller's dialog.
    void setConnectionController(ConnectionController *controller);
    QString bannerText() const;

Q_SIGNALS:
    /// The page `name` shows its first data.
    void pageDataShown(const QString &name);

private:
    void onConnectionState(BackendConnection::State state, const QString &detail);
    void updateTitle();

    BackendConnection *m_connection;
    EnvironmentPolicy *m_policy;
    ConnectionController *m_controller = nullptr;
    QAction *m_connectAction = nullptr;
    EnvironmentBar *m_environmentBar = nullptr;
    DashboardFeed *m_feed;
    QListWidget *m_navigation;
    QStackedWidget *m_pages;
    DashboardPage *m_dashboard;
    PricingPage *m_pricing;
    SegmentsPage *m_segments;
    ReferralPage *m_referral;
    SubsidyPage *m_subsidy;
    PaymentsPage *m_payments;
    ExperimentsPage *m_experiments;
    InventoryPage *m_inventory;
    AuditPage *m_audit;
    TokensPage *m_tokens;
    CallerLookup *m_callerLookup;
    QLabel *m_callerLabel;
    QLabel *m_banner;
    QLabel *m_connectionLabel;
};

} // namespace flywheel::ui
