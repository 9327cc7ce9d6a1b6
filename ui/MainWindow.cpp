#include "MainWindow.h"

#include "alerts/AlertText.h"
#include "alerts/AlertsPage.h"
#include "audit/AuditPage.h"
#include "client/AlertClient.h"
#include "client/CallerLookup.h"
#include "common/ChartPanel.h"
#include "common/ExportJob.h"
#include "client/DashboardFeed.h"
#include "connection/ConnectionController.h"
#include "connection/EnvironmentBar.h"
#include "connection/EnvironmentPolicy.h"
#include "dashboard/DashboardPage.h"
#include "experiments/ExperimentsPage.h"
#include "inventory/InventoryPage.h"
#include "payments/PaymentsPage.h"
#include "pricing/PricingPage.h"
#include "referral/ReferralPage.h"
#include "segments/SegmentsPage.h"
#include "subsidy/SubsidyPage.h"
#include "tokens/TokensPage.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStandardPaths>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
#include <QToolButton>
#include <grpcpp/support/status.h>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

struct PageEntry {
    const char *name;
    const char *title;
};

// Command-line names and titles of the pages, in navigation order.
constexpr PageEntry kPages[] = {
    {"dashboard", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Dashboard")},
    {"pricing", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Pricing")},
    {"segments", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Segments")},
    {"referral", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Referral")},
    {"subsidy", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Subsidies")},
    {"payments", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Payment channels")},
    {"experiments", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Experiments")},
    {"inventory", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Inventory")},
    {"audit", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Audit")},
    {"tokens", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Access tokens")},
    {"alerts", QT_TRANSLATE_NOOP("flywheel::ui::MainWindow", "Alerts")},
};

} // namespace

MainWindow::MainWindow(BackendConnection *connection, QWidget *parent)
    : QMainWindow(parent), m_connection(connection), m_policy(new EnvironmentPolicy(this)),
      m_feed(new DashboardFeed(connection, this)), m_navigation(new QListWidget(this)),
      m_pages(new QStackedWidget(this)), m_dashboard(new DashboardPage(m_feed, this)),
      m_pricing(new PricingPage(connection, this)), m_segments(new SegmentsPage(connection, this)),
      m_referral(new ReferralPage(connection, this)), m_subsidy(new SubsidyPage(connection, this)),
      m_payments(new PaymentsPage(connection, this)),
      m_experiments(new ExperimentsPage(connection, this)), m_inventory(new InventoryPage(connection, this)),
      m_audit(new AuditPage(connection, this)), m_tokens(new TokensPage(connection, this)),
      m_alertClient(new AlertClient(connection, this)), m_alerts(new AlertsPage(connection, m_alertClient, this)),
      m_alertBadge(new QToolButton(this)),
      m_callerLookup(new CallerLookup(connection, m_policy, this)), m_callerLabel(new QLabel(this)),
      m_banner(new QLabel(this)), m_connectionLabel(new QLabel(this))
{
    updateTitle();
    connect(m_connection, &BackendConnection::descriptionChanged, this, &MainWindow::updateTitle);
    connect(m_policy, &EnvironmentPolicy::profileChanged, this, &MainWindow::updateTitle);
    QMenu *file = menuBar()->addMenu(tr("&File"));
    m_connectAction = file->addAction(tr("&Connect…"));
    m_connectAction->setEnabled(false);
    connect(m_connectAction, &QAction::triggered, this, [this] {
        if (m_controller)
            m_controller->openDialog();
    });
    m_exportAction = file->addAction(tr("&Export charts…"));
    m_exportAction->setToolTip(tr("Every chart of this page as a PNG image and its data as CSV"));
    connect(m_exportAction, &QAction::triggered, this, &MainWindow::askExportCharts);
    file->addSeparator();
    connect(file->addAction(tr("&Quit")), &QAction::triggered, this, &QWidget::close);
    // Demo mode only (the alerts stream says so): make each business alert fire.
    m_demoMenu = menuBar()->addMenu(tr("&Demo"));
    QMenu *trigger = m_demoMenu->addMenu(tr("&Trigger alert"));
    for (const QString &id : AlertText::ids()) {
        QAction *action = trigger->addAction(AlertText::title(id.toStdString()));
        action->setToolTip(AlertText::description(id.toStdString()));
        connect(action, &QAction::triggered, this, [this, id] { triggerAlert(id); });
    }
    m_demoMenu->menuAction()->setVisible(false);
    m_environmentBar = new EnvironmentBar(m_policy, this);
    resize(1280, 820);

    for (const PageEntry &page : kPages)
        m_navigation->addItem(tr(page.title));
    m_navigation->setCurrentRow(0);
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setStyleSheet(QStringLiteral("QListWidget { background: transparent; font-size: 11pt; }"
                                               "QListWidget::item { padding: 7px 12px; border-radius: 4px; }"
                                               "QListWidget::item:selected { background: #1f6feb; color: white; }"
                                               "QListWidget { outline: 0; }"));
    m_pages->addWidget(m_dashboard);
    m_pages->addWidget(m_pricing);
    m_pages->addWidget(m_segments);
    m_pages->addWidget(m_referral);
    m_pages->addWidget(m_subsidy);
    m_pages->addWidget(m_payments);
    m_pages->addWidget(m_experiments);
    m_pages->addWidget(m_inventory);
    m_pages->addWidget(m_audit);
    m_pages->addWidget(m_tokens);
    m_pages->addWidget(m_alerts);
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);
    const auto announce = [this](const char *name) {
        return [this, name] { Q_EMIT pageDataShown(QString::fromLatin1(name)); };
    };
    // By name, so that a page added to kPages cannot shift another page's announcement.
    connect(m_dashboard, &DashboardPage::firstDataShown, this, announce("dashboard"));
    connect(m_pricing, &PricingPage::firstDataShown, this, announce("pricing"));
    connect(m_segments, &SegmentsPage::firstDataShown, this, announce("segments"));
    connect(m_referral, &ReferralPage::firstDataShown, this, announce("referral"));
    connect(m_subsidy, &SubsidyPage::firstDataShown, this, announce("subsidy"));
    connect(m_payments, &PaymentsPage::firstDataShown, this, announce("payments"));
    connect(m_experiments, &ExperimentsPage::firstDataShown, this, announce("experiments"));
    connect(m_inventory, &InventoryPage::firstDataShown, this, announce("inventory"));
    connect(m_audit, &AuditPage::firstDataShown, this, announce("audit"));
    connect(m_tokens, &TokensPage::firstDataShown, this, announce("tokens"));
    connect(m_alerts, &AlertsPage::firstDataShown, this, announce("alerts"));

    m_banner->setWordWrap(true);
    m_banner->setMargin(8);
    m_banner->setStyleSheet(QStringLiteral("background: #fff1e5; color: #8a4600; border-bottom: 1px solid #f0b37e;"));
    m_banner->hide();

    auto *right = new QVBoxLayout();
    right->setContentsMargins(0, 0, 0, 0);
    right->setSpacing(0);
    right->addWidget(m_environmentBar);
    right->addWidget(m_banner);
    right->addWidget(m_pages, 1);
    auto *brand = new QLabel(QStringLiteral("Flywheel"), this);
    QFont brandFont = brand->font();
    brandFont.setPointSizeF(brandFont.pointSizeF() * 1.6);
    brandFont.setBold(true);
    brand->setFont(brandFont);
    brand->setStyleSheet(QStringLiteral("color: #1f6feb; padding: 14px 12px 10px 12px;"));
    auto *sidebar = new QFrame(this);
    sidebar->setObjectName(QStringLiteral("sidebar"));
    sidebar->setStyleSheet(
        QStringLiteral("#sidebar { background: palette(window); border-right: 1px solid palette(mid); }"));
    sidebar->setFixedWidth(180);
    auto *sidebarLayout = new QVBoxLayout(sidebar);
    sidebarLayout->setContentsMargins(6, 0, 6, 6);
    sidebarLayout->addWidget(brand);
    sidebarLayout->addWidget(m_navigation, 1);

    auto *central = new QWidget(this);
    auto *layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(sidebar);
    layout->addLayout(right, 1);
    setCentralWidget(central);

    statusBar()->addWidget(m_connectionLabel, 1);
    m_alertBadge->setAutoRaise(true);
    m_alertBadge->setToolTip(tr("The backend's business alerts: open the Alerts page"));
    m_alertBadge->hide(); // until the backend says how many fire
    connect(m_alertBadge, &QToolButton::clicked, this, [this] { showPage(QStringLiteral("alerts")); });
    statusBar()->addPermanentWidget(m_alertBadge);
    statusBar()->addPermanentWidget(m_callerLabel);
    connect(m_alertClient, &AlertClient::alertsReceived, this, &MainWindow::onAlerts);
    connect(m_alertClient, &AlertClient::alertsInterrupted, this, [this](const QString &, int, bool unimplemented) {
        if (unimplemented) {
            m_alertBadge->hide(); // an older backend without alerts: nothing to count
            return;
        }
        // The count shown may be old now: say so rather than keep a green tick.
        m_alertBadge->setText(QStringLiteral("? ") + tr("Alerts not current"));
        m_alertBadge->setStyleSheet(QStringLiteral("QToolButton { color: palette(placeholder-text); }"));
    });
    connect(m_policy, &EnvironmentPolicy::callerChanged, this,
            [this] { m_callerLabel->setText(m_policy->callerText()); });
    connect(m_connection, &BackendConnection::stateChanged, this, &MainWindow::onConnectionState);
    onConnectionState(m_connection->state(), m_connection->detail());
    m_feed->start();
    m_alertClient->startAlerts();
}

void MainWindow::onAlerts(const v1::AlertsSnapshot &snapshot)
{
    int firing = 0;
    for (const v1::Alert &alert : snapshot.alerts())
        firing += alert.enabled() && alert.state() == v1::ALERT_STATE_FIRING ? 1 : 0;
    m_alertBadge->setText((firing > 0 ? QStringLiteral("⚠ ") : QStringLiteral("✓ ")) + AlertText::badge(firing));
    m_alertBadge->setStyleSheet(firing > 0 ? QStringLiteral("QToolButton { color: #cf222e; font-weight: bold; }")
                                           : QStringLiteral("QToolButton { color: #1a7f37; }"));
    m_alertBadge->show();
    m_demoMenu->menuAction()->setVisible(snapshot.demo());
}

QList<ChartPanel *> MainWindow::chartsOfCurrentPage() const
{
    QList<ChartPanel *> charts;
    for (ChartPanel *chart : m_pages->currentWidget()->findChildren<ChartPanel *>()) {
        if (chart->isVisible())
            charts.append(chart);
    }
    return charts;
}

void MainWindow::askExportCharts()
{
    if (chartsOfCurrentPage().isEmpty()) {
        statusBar()->showMessage(tr("This page shows no chart to export: open a page (or tab) with charts first."),
                                 10000);
        return;
    }
    QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    if (folder.isEmpty())
        folder = QDir::homePath();
    const QString directory =
        QFileDialog::getExistingDirectory(this, tr("Export the charts of this page to a folder"), folder);
    if (directory.isEmpty())
        return;
    ExportJob *job = exportCharts(directory);
    auto *progress = new QProgressDialog(tr("Exporting the charts…"), tr("Cancel"), 0, job->total(), this);
    progress->setAttribute(Qt::WA_DeleteOnClose);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    connect(job, &ExportJob::progress, progress, &QProgressDialog::setValue);
    connect(progress, &QProgressDialog::canceled, job, &ExportJob::cancel);
    connect(job, &ExportJob::finished, progress, &QWidget::close);
    connect(job, &ExportJob::finished, this, [this, directory](const QStringList &written, const QString &error) {
        if (!error.isEmpty())
            QMessageBox::warning(this, tr("Export"),
                                 tr("%1 of the files were written to %2. %3").arg(written.size()).arg(directory, error));
        else
            statusBar()->showMessage(tr("Exported %1 files to %2").arg(written.size()).arg(directory), 10000);
    });
    job->start();
}

ExportJob *MainWindow::exportCharts(const QString &directory)
{
    // Taken now, on this thread: what the charts show at this moment; written elsewhere.
    QList<ExportJob::File> files;
    QStringList stems;
    for (ChartPanel *chart : chartsOfCurrentPage()) {
        QString stem = chart->exportStem();
        for (int n = 2; stems.contains(stem); ++n)
            stem = chart->exportStem() + QStringLiteral("_%1").arg(n);
        stems.append(stem);
        const QString base = QDir(directory).filePath(stem);
        files.append({base + QStringLiteral(".png"), chart->exportImage(), {}});
        files.append({base + QStringLiteral(".csv"), {}, ExportJob::csv(chart->exportRows())});
    }
    auto *job = new ExportJob(std::move(files), this);
    connect(job, &ExportJob::finished, job, &QObject::deleteLater);
    return job;
}

QString MainWindow::alertBadgeText() const
{
    return m_alertBadge->isHidden() ? QString() : m_alertBadge->text();
}

void MainWindow::triggerAlert(const QString &id)
{
    m_alertClient->trigger(id, [this, id](const grpc::Status &status, const v1::TriggerDemoAlertResponse &) {
        const QString title = AlertText::title(id.toStdString());
        if (status.ok())
            statusBar()->showMessage(
                tr("Triggered “%1”: it fires within a second and resolves by itself once its window has passed.")
                    .arg(title),
                10000);
        else
            statusBar()->showMessage(tr("“%1” was not triggered: %2")
                                         .arg(title, status.error_code() == grpc::StatusCode::FAILED_PRECONDITION ||
                                                             status.error_code() == grpc::StatusCode::INVALID_ARGUMENT
                                                         ? QString::fromStdString(status.error_message())
                                                         : BackendConnection::explain(status)),
                                     10000);
    });
}

MainWindow::~MainWindow() = default;

QStringList MainWindow::pageNames()
{
    QStringList names;
    for (const PageEntry &page : kPages)
        names.append(QString::fromLatin1(page.name));
    return names;
}

bool MainWindow::showPage(const QString &name)
{
    const qsizetype index = pageNames().indexOf(name);
    if (index < 0)
        return false;
    m_navigation->setCurrentRow(static_cast<int>(index));
    return true;
}

QString MainWindow::currentPageName() const
{
    return pageNames().value(m_pages->currentIndex());
}

bool MainWindow::currentPageHasData() const
{
    // By widget, not by index: the pages' order lives in kPages alone.
    QWidget *page = m_pages->currentWidget();
    if (page == m_dashboard)
        return m_dashboard->hasData();
    if (page == m_pricing)
        return m_pricing->hasData();
    if (page == m_segments)
        return m_segments->hasData();
    if (page == m_referral)
        return m_referral->hasData();
    if (page == m_subsidy)
        return m_subsidy->hasData();
    if (page == m_payments)
        return m_payments->hasData();
    if (page == m_experiments)
        return m_experiments->hasData();
    if (page == m_inventory)
        return m_inventory->hasData();
    if (page == m_audit)
        return m_audit->hasData();
    if (page == m_tokens)
        return m_tokens->hasData();
    if (page == m_alerts)
        return m_alerts->hasData();
    return false;
}

void MainWindow::setConnectionController(ConnectionController *controller)
{
    m_controller = controller;
    m_connectAction->setEnabled(controller != nullptr);
}

void MainWindow::updateTitle()
{
    const auto &profile = m_policy->profile();
    if (!profile) {
        setWindowTitle(tr("Flywheel — %1").arg(m_connection->description()));
        return;
    }
    setWindowTitle(tr("Flywheel — %1 — %2 (%3)")
                       .arg(environmentName(profile->environment).toUpper(), profile->name, profile->address));
}

QString MainWindow::connectionText() const
{
    return m_connectionLabel->text();
}

QString MainWindow::callerText() const
{
    return m_callerLabel->text();
}

QString MainWindow::bannerText() const
{
    return m_banner->isHidden() ? QString() : m_banner->text();
}

void MainWindow::onConnectionState(BackendConnection::State state, const QString &detail)
{
    const QString who = m_connection->description();
    QString text;
    QString color;
    switch (state) {
    case BackendConnection::State::Starting:
        text = tr("Starting %1…").arg(who);
        color = QStringLiteral("#9a6700");
        break;
    case BackendConnection::State::Connecting:
        text = tr("Connecting to %1…").arg(who);
        color = QStringLiteral("#9a6700");
        break;
    case BackendConnection::State::Connected:
        text = tr("Connected to %1").arg(who);
        color = QStringLiteral("#1a7f37");
        break;
    case BackendConnection::State::Unreachable:
        text = tr("Disconnected from %1. %2").arg(who, detail);
        color = QStringLiteral("#cf222e");
        break;
    case BackendConnection::State::Failed:
        text = tr("%1 could not be started: %2").arg(who, detail);
        color = QStringLiteral("#cf222e");
        break;
    }
    m_connectionLabel->setText(QStringLiteral("<span style=\"color:%1\">●</span> ").arg(color) + text.toHtmlEscaped());
    m_connectionLabel->setTextFormat(Qt::RichText);
    const bool down = state == BackendConnection::State::Unreachable || state == BackendConnection::State::Failed;
    m_banner->setText(text);
    m_banner->setVisible(down);
}

} // namespace flywheel::ui
