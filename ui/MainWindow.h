#pragma once

#include "client/BackendConnection.h"

#include "flywheel/v1/alerts.pb.h"

#include <QMainWindow>
#include <QStringList>

class QAction;
class QLabel;
class QListWidget;
class QMenu;
class QStackedWidget;
class QToolButton;

namespace flywheel::ui {

class AlertClient;
class ChartPanel;
class ExportJob;
class AlertsPage;
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
    AlertsPage *alertsPage() const { return m_alerts; }
    /// "⚠ 2 alerts firing" in the status bar, on every page; empty until the backend answered.
    QString alertBadgeText() const;
    QToolButton *alertBadge() const { return m_alertBadge; }
    /// Demo → Trigger alert; visible only when the backend runs the console's demo.
    QMenu *demoMenu() const { return m_demoMenu; }
    /// Asks the backend to make alert `id` fire (demo mode); the outcome in the status bar.
    void triggerAlert(const QString &id);
    /// File → Export charts…: the visible charts of the page shown.
    QList<ChartPanel *> chartsOfCurrentPage() const;
    /// A job writing each of them to `directory` as STEM.png and STEM.csv, off the GUI
    /// thread, once started (connect to it first); it deletes itself once finished.
    ExportJob *exportCharts(const QString &directory);
    QAction *exportAction() const { return m_exportAction; }
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
    void onAlerts(const v1::AlertsSnapshot &snapshot);
    void askExportCharts();

    BackendConnection *m_connection;
    EnvironmentPolicy *m_policy;
    ConnectionController *m_controller = nullptr;
    QAction *m_connectAction = nullptr;
    QAction *m_exportAction = nullptr;
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
    AlertClient *m_alertClient;
    AlertsPage *m_alerts;
    QToolButton *m_alertBadge;
    QMenu *m_demoMenu = nullptr;
    CallerLookup *m_callerLookup;
    QLabel *m_callerLabel;
    QLabel *m_banner;
    QLabel *m_connectionLabel;
};

} // namespace flywheel::ui
