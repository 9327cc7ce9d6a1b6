#include "MainWindow.h"

#include "audit/AuditPage.h"
#include "client/CallerLookup.h"
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

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QStackedWidget>
#include <QStatusBar>
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
    file->addSeparator();
    connect(file->addAction(tr("&Quit")), &QAction::triggered, this, &QWidget::close);
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
    statusBar()->addPermanentWidget(m_callerLabel);
    connect(m_policy, &EnvironmentPolicy::callerChanged, this,
            [this] { m_callerLabel->setText(m_policy->callerText()); });
    connect(m_connection, &BackendConnection::stateChanged, this, &MainWindow::onConnectionState);
    onConnectionState(m_connection->state(), m_connection->detail());
    m_feed->start();
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
