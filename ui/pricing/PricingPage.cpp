#include "pricing/PricingPage.h"

#include "client/BackendConnection.h"
#include "client/PricingClient.h"
#include "common/Banner.h"
#include "common/Format.h"
#include "common/MessageBar.h"
#include "common/PageHeader.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "pricing/RuleDialog.h"
#include "pricing/RulesModel.h"
#include "pricing/RuleText.h"

#include <grpcpp/support/status.h>

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTabWidget>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

namespace {

constexpr int kVersionLimit = 50;

QString money(qint64 minor)
{
    return formatMoney(minor, QString::fromLatin1(RuleText::kCurrency));
}

} // namespace

/// One edit of the draft: the rules before and after (nullopt: no draft).
class DraftCommand final : public QUndoCommand {
public:
    DraftCommand(PricingPage *page, const QString &text, std::optional<std::vector<v1::PricingRule>> before,
                 std::optional<std::vector<v1::PricingRule>> after)
        : QUndoCommand(text), m_page(page), m_before(std::move(before)), m_after(std::move(after))
    {}
    void undo() override { m_page->setDraft(m_before); }
    void redo() override { m_page->setDraft(m_after); }

private:
    PricingPage *m_page;
    const std::optional<std::vector<v1::PricingRule>> m_before;
    const std::optional<std::vector<v1::PricingRule>> m_after;
};

PricingPage::PricingPage(BackendConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(new PricingClient(connection, this)),
      m_rulesModel(new RulesModel(this)), m_header(new PageHeader(tr("Pricing rules"), this)),
      m_fileBanner(new Banner(Banner::Tone::Information, this)), m_message(new MessageBar(this)),
      m_refreshButton(new QPushButton(tr("Refresh"), this)), m_tabs(new QTabWidget(this)), m_undo(new QUndoStack(this))
{
    m_header->setSummary(tr("Loading the rules…"));
    m_header->addToTitleRow(m_refreshButton);
    m_header->addBelowSummary(m_fileBanner);

    m_tabs->addTab(buildRulesTab(), tr("Rules"));
    m_tabs->addTab(buildHistoryTab(), tr("History"));
    m_tabs->addTab(buildCartTab(), tr("Try a cart"));

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(m_message);
    layout->addWidget(m_tabs, 1);

    connect(m_refreshButton, &QPushButton::clicked, this, &PricingPage::refresh);
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &PricingPage::refresh);
    m_refreshTimer.start();
    connect(m_connection, &BackendConnection::channelReady, this, &PricingPage::refresh);
    updateEditing(); // nothing to edit until the rules are loaded
    if (m_client->hasChannel())
        refresh();
}

PricingPage::~PricingPage() = default;

QWidget *PricingPage::buildRulesTab()
{
    auto *tab = new QWidget(this);
    m_rulesView = new QTableView(tab);
    m_rulesView->setModel(m_rulesModel);
    m_rulesView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rulesView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_rulesView->verticalHeader()->hide();
    // Everything fits the width: tiers on lines of their own, the time window wraps.
    m_rulesView->setWordWrap(true);
    m_rulesView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_rulesView->horizontalHeader()->setStretchLastSection(true);
    // Long names and descriptions wrap instead of pushing the time window out of view.
    m_rulesView->horizontalHeader()->setMaximumSectionSize(220);
    m_rulesView->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_emptyRules = new QLabel(tr("There are no pricing rules: every order is charged list prices."), tab);
    m_emptyRules->setAlignment(Qt::AlignCenter);
    m_emptyRules->hide();
    m_draftLabel = new QLabel(tab);
    m_draftLabel->setWordWrap(true);
    m_draftLabel->setStyleSheet(QStringLiteral("color: #9a6700; font-weight: bold;"));
    m_draftLabel->hide();
    m_addButton = new QPushButton(tr("Add rule…"), tab);
    m_editButton = new QPushButton(tr("Edit…"), tab);
    m_deleteButton = new QPushButton(tr("Delete"), tab);
    m_toggleButton = new QPushButton(tr("Disable"), tab);
    m_undoButton = new QPushButton(tr("Undo"), tab);
    m_redoButton = new QPushButton(tr("Redo"), tab);
    m_discardButton = new QPushButton(tr("Discard draft"), tab);
    m_saveButton = new QPushButton(tr("Save…"), tab);
    auto *tools = new QHBoxLayout();
    for (QPushButton *button : {m_addButton, m_editButton, m_deleteButton, m_toggleButton, m_undoButton, m_redoButton})
        tools->addWidget(button);
    tools->addStretch(1);
    tools->addWidget(m_discardButton);
    tools->addWidget(m_saveButton);

    auto *layout = new QVBoxLayout(tab);
    layout->addLayout(tools);
    layout->addWidget(m_draftLabel);
    layout->addWidget(m_rulesView, 1);
    layout->addWidget(m_emptyRules);
    connect(m_addButton, &QPushButton::clicked, this, [this] { openRuleDialog(true); });
    connect(m_editButton, &QPushButton::clicked, this, [this] { openRuleDialog(false); });
    connect(m_rulesView, &QTableView::doubleClicked, this, [this] {
        if (canEdit())
            openRuleDialog(false);
    });
    connect(m_deleteButton, &QPushButton::clicked, this, [this] {
        if (const auto row = selectedRuleRow())
            deleteRule(QString::fromStdString(m_rulesModel->rules()[static_cast<std::size_t>(*row)].id()));
    });
    connect(m_toggleButton, &QPushButton::clicked, this, [this] {
        if (const auto row = selectedRuleRow()) {
            const v1::PricingRule &rule = m_rulesModel->rules()[static_cast<std::size_t>(*row)];
            setRuleEnabled(QString::fromStdString(rule.id()), !rule.enabled());
        }
    });
    connect(m_undoButton, &QPushButton::clicked, m_undo, &QUndoStack::undo);
    connect(m_redoButton, &QPushButton::clicked, m_undo, &QUndoStack::redo);
    connect(m_discardButton, &QPushButton::clicked, this, &PricingPage::discardDraft);
    connect(m_saveButton, &QPushButton::clicked, this, &PricingPage::askSave);
    connect(m_undo, &QUndoStack::indexChanged, this, &PricingPage::updateEditing);
    connect(m_rulesView->selectionModel(), &QItemSelectionModel::selectionChanged, this, &PricingPage::updateEditing);
    connect(m_rulesModel, &QAbstractItemModel::modelReset, this,
            [this] { m_emptyRules->setVisible(m_current.has_value() && m_rulesModel->rowCount() == 0); });
    return tab;
}

QWidget *PricingPage::buildHistoryTab()
{
    m_history = new VersionHistoryView(this);
    connect(m_history, &VersionHistoryView::selectionChanged, this, &PricingPage::showSelectedDiff);
    connect(m_history, &VersionHistoryView::rollbackRequested, this, &PricingPage::askRollback);
    return m_history;
}

QWidget *PricingPage::buildCartTab()
{
    auto *tab = new QWidget(this);
    m_cart = new QTableWidget(0, 2, tab);
    m_cart->setHorizontalHeaderLabels({tr("Product"), tr("Quantity")});
    m_cart->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_cart->verticalHeader()->hide();
    m_uid = new QSpinBox(tab);
    m_uid->setRange(1, 999999999);
    m_uid->setValue(100001);
    auto *add = new QPushButton(tr("Add item"), tab);
    auto *remove = new QPushButton(tr("Remove item"), tab);
    m_quoteButton = new QPushButton(tr("Quote"), tab);
    m_quoteButton->setDefault(true);

    auto *form = new QFormLayout();
    form->addRow(tr("Customer (uid):"), m_uid);
    auto *buttons = new QHBoxLayout();
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    buttons->addWidget(m_quoteButton);

    auto *left = new QVBoxLayout();
    left->addLayout(form);
    left->addWidget(m_cart, 1);
    left->addLayout(buttons);

    auto makeResult = [tab](const QString &title, QLabel **label) {
        auto *box = new QGroupBox(title, tab);
        *label = new QLabel(box);
        (*label)->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        (*label)->setTextInteractionFlags(Qt::TextSelectableByMouse);
        (*label)->setWordWrap(true);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->addWidget(*label, 1);
        return box;
    };
    auto *results = new QHBoxLayout();
    results->addWidget(makeResult(tr("Live rules"), &m_liveQuote), 1);
    results->addWidget(makeResult(tr("Draft rules"), &m_draftQuote), 1);
    auto *note = new QLabel(tr("The draft is the rule set shown on the Rules tab; the cart is only priced, "
                               "no order is placed."),
                            tab);
    note->setWordWrap(true);
    auto *right = new QVBoxLayout();
    right->addLayout(results, 1);
    right->addWidget(note);

    auto *layout = new QHBoxLayout(tab);
    layout->addLayout(left, 2);
    layout->addLayout(right, 3);

    connect(add, &QPushButton::clicked, this, [this] { addCartRow(QString(), 1); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_cart->currentRow() >= 0 ? m_cart->currentRow() : m_cart->rowCount() - 1;
        if (row >= 0)
            m_cart->removeRow(row);
    });
    connect(m_quoteButton, &QPushButton::clicked, this, &PricingPage::quoteCart);
    return tab;
}

void PricingPage::refresh()
{
    if (m_refreshing || !m_client->hasChannel())
        return;
    m_refreshing = true;
    m_client->getStatus([this](const grpc::Status &status, const v1::PricingStatus &response) {
        if (!status.ok()) {
            m_refreshing = false;
            return; // the connection's state says why; the timer tries again
        }
        onStatus(response);
        const bool historyStale =
            m_versions.versions_size() == 0 || m_versions.versions(0).version() != response.current_version();
        m_client->getRuleSet(0, [this, historyStale](const grpc::Status &status, const v1::RuleSetVersion &rules) {
            if (status.ok())
                onRuleSet(rules);
            if (!historyStale) {
                m_refreshing = false;
                return;
            }
            m_client->listVersions(kVersionLimit,
                                   [this](const grpc::Status &status, const v1::ListRuleSetVersionsResponse &list) {
                                       m_refreshing = false;
                                       if (status.ok())
                                           onVersions(list);
                                   });
        });
    });
    // Segments change on their own page: looked at on every refresh.
    m_client->getSegmentSet([this](const grpc::Status &status, const v1::SegmentSetVersion &set) {
        if (!status.ok())
            return;
        QMap<QString, bool> segments;
        for (const v1::Segment &segment : set.segments())
            segments.insert(QString::fromStdString(segment.id()), segment.enabled());
        m_segments = segments;
    });
    if (m_products.products_size() == 0) {
        m_client->listProducts([this](const grpc::Status &status, const v1::ListProductsResponse &products) {
            if (status.ok())
                onProducts(products);
        });
    }
}

void PricingPage::onStatus(const v1::PricingStatus &status)
{
    m_status = status;
    if (status.file().empty()) {
        m_fileBanner->showText(QString());
    } else {
        m_fileBanner->showText(tr("These rules come from the file %1, which the backend watches: change the file to "
                                  "change them. Saving and rolling back in the console is disabled.")
                                   .arg(QString::fromStdString(status.file())));
    }
    if (status.last_error().empty()) {
        m_header->clearProblem();
    } else {
        m_header->showProblem(tr("The last change to the file was refused (%1); the previous rules are still in "
                                 "force: %2")
                                  .arg(TimeText::timestamp(status.last_error_at(), TimeText::Seconds::WhenNotZero),
                                       QString::fromStdString(status.last_error())));
    }
    showSelectedDiff(); // rolling back depends on where the rules come from
    updateEditing();
}

void PricingPage::onRuleSet(const v1::RuleSetVersion &ruleSet)
{
    const bool first = !m_current;
    m_current = ruleSet;
    showRules();
    updateEditing();
    if (ruleSet.version() == 0) {
        m_header->setSummary(tr("No rules have been saved yet: orders are charged list prices."));
    } else {
        const QString reason =
            ruleSet.reason().empty() ? tr("no reason given") : QString::fromStdString(ruleSet.reason());
        m_header->setSummary(
            tr("Version %1 · saved %2 · source: %3 · reason: “%4” · %n rule(s)", nullptr, ruleSet.rules_size())
                .arg(ruleSet.version())
                .arg(TimeText::timestamp(ruleSet.created_at(), TimeText::Seconds::WhenNotZero),
                     VersionHistoryView::sourceName(ruleSet.source()), reason));
    }
    if (first)
        Q_EMIT firstDataShown();
}

void PricingPage::onVersions(const v1::ListRuleSetVersionsResponse &versions)
{
    m_versions = versions;
    QList<VersionHistoryView::Row> rows;
    for (const v1::RuleSetVersion &version : versions.versions())
        rows.append({version.version(),
                     TimeText::timestamp(version.created_at(), TimeText::Seconds::WhenNotZero),
                     VersionHistoryView::sourceName(version.source()),
                     QString::fromStdString(version.reason()),
                     {}});
    m_history->setVersions(rows);
}

void PricingPage::onProducts(const v1::ListProductsResponse &products)
{
    m_products = products;
    for (int row = 0; row < m_cart->rowCount(); ++row) {
        auto *combo = qobject_cast<QComboBox *>(m_cart->cellWidget(row, 0));
        const QString sku = combo->currentData().toString();
        combo->clear();
        for (const v1::Product &product : m_products.products())
            combo->addItem(tr("%1 — %2 (%3)")
                               .arg(QString::fromStdString(product.sku()), QString::fromStdString(product.name()),
                                    money(product.list_price().minor_units())),
                           QString::fromStdString(product.sku()));
        combo->setCurrentIndex(std::max(0, combo->findData(sku)));
    }
    if (m_cart->rowCount() == 0 && products.products_size() > 0)
        addCartRow(QString(), 1);
}

int PricingPage::productCount() const
{
    return m_products.products_size();
}

void PricingPage::addCartRow(const QString &sku, int quantity)
{
    const int row = m_cart->rowCount();
    m_cart->insertRow(row);
    auto *combo = new QComboBox(m_cart);
    for (const v1::Product &product : m_products.products())
        combo->addItem(tr("%1 — %2 (%3)")
                           .arg(QString::fromStdString(product.sku()), QString::fromStdString(product.name()),
                                money(product.list_price().minor_units())),
                       QString::fromStdString(product.sku()));
    if (!sku.isEmpty()) {
        if (combo->findData(sku) < 0)
            combo->addItem(sku, sku); // not in the catalogue: the backend will say so
        combo->setCurrentIndex(combo->findData(sku));
    }
    auto *spin = new QSpinBox(m_cart);
    spin->setRange(1, 10000);
    spin->setValue(quantity);
    m_cart->setCellWidget(row, 0, combo);
    m_cart->setCellWidget(row, 1, spin);
}

void PricingPage::setCart(const QList<std::pair<QString, int>> &items, qint64 uid)
{
    m_cart->setRowCount(0);
    for (const auto &[sku, quantity] : items)
        addCartRow(sku, quantity);
    m_uid->setValue(static_cast<int>(uid));
}

void PricingPage::quoteCart()
{
    v1::QuoteCartRequest request;
    request.set_uid(m_uid->value());
    for (int row = 0; row < m_cart->rowCount(); ++row) {
        const auto *combo = qobject_cast<QComboBox *>(m_cart->cellWidget(row, 0));
        const auto *spin = qobject_cast<QSpinBox *>(m_cart->cellWidget(row, 1));
        const QString sku = combo->currentData().toString();
        if (sku.isEmpty())
            continue;
        v1::OrderItem *item = request.add_items();
        item->set_sku(sku.toStdString());
        item->set_quantity(spin->value());
    }
    if (request.items_size() == 0) {
        m_message->showMessage(tr("Add at least one product to the cart."), true);
        Q_EMIT actionFinished(false);
        return;
    }
    for (const v1::PricingRule &rule : m_rulesModel->rules())
        *request.add_draft_rules() = rule;
    m_quoteButton->setEnabled(false);
    m_client->quoteCart(request, [this](const grpc::Status &status, const v1::QuoteCartResponse &quote) {
        m_quoteButton->setEnabled(true);
        if (!status.ok()) {
            showFailure(status);
            Q_EMIT actionFinished(false);
            return;
        }
        onQuote(quote);
        Q_EMIT actionFinished(true);
    });
}

QString PricingPage::quoteText(const v1::CartQuote &quote) const
{
    QString html = QStringLiteral("<table cellspacing=\"4\">");
    const auto row = [&html](const QString &label, const QString &value, bool bold) {
        const QString open = bold ? QStringLiteral("<b>") : QString();
        const QString close = bold ? QStringLiteral("</b>") : QString();
        html += QStringLiteral("<tr><td>%1%2%3</td><td align=\"right\">%1%4%3</td></tr>")
                    .arg(open, label.toHtmlEscaped(), close, value.toHtmlEscaped());
    };
    row(tr("List price"), money(quote.list_total_minor()), false);
    for (const v1::PriceAdjustment &adjustment : quote.adjustments())
        row(tr("%1 (%2)").arg(QString::fromStdString(adjustment.rule_name()),
                              QString::fromStdString(adjustment.rule_id())),
            money(adjustment.amount_minor()), false);
    if (quote.adjustments_size() == 0)
        row(tr("No rule applies"), QString(), false);
    row(tr("Total"), money(quote.total_minor()), true);
    html += QStringLiteral("</table>");
    return html;
}

void PricingPage::onQuote(const v1::QuoteCartResponse &quote)
{
    m_liveQuote->setText(
        quoteText(quote.live()) +
        QStringLiteral("<p>%1</p>")
            .arg(tr("Priced with version %1, as an order would be now.").arg(quote.live_version()).toHtmlEscaped()));
    m_draftQuote->setText(quoteText(quote.draft()));
    const qint64 difference = quote.draft().total_minor() - quote.live().total_minor();
    QString text = tr("The draft charges the same as the live rules for this cart.");
    if (difference < 0)
        text = tr("The draft charges %1 less than the live rules for this cart.").arg(money(-difference));
    else if (difference > 0)
        text = tr("The draft charges %1 more than the live rules for this cart.").arg(money(difference));
    m_message->showMessage(text, false);
}

QString PricingPage::liveQuoteText() const
{
    return m_liveQuote->text();
}

QString PricingPage::draftQuoteText() const
{
    return m_draftQuote->text();
}

int PricingPage::versionCount() const
{
    return m_history->versionCount();
}

qint64 PricingPage::versionAt(int row) const
{
    return m_history->versionAt(row);
}

void PricingPage::selectVersion(int row)
{
    m_history->selectRow(row);
}

void PricingPage::showSelectedDiff()
{
    const int row = m_history->selectedRow();
    const bool editable = m_status && m_status->file().empty();
    QPushButton *rollback = m_history->rollbackButton();
    rollback->setEnabled(false);
    if (row < 0 || row >= m_versions.versions_size()) {
        m_history->setDiff(QString());
        return;
    }
    const v1::RuleSetVersion &version = m_versions.versions(row);
    const bool current = m_current && m_current->version() == version.version();
    rollback->setEnabled(editable && !current);
    rollback->setToolTip(current    ? tr("This version is the one in force.")
                         : editable ? QString()
                                    : tr("The rules come from a file: change the file instead."));

    QStringList lines;
    if (row + 1 < m_versions.versions_size()) {
        lines = RuleText::diff(m_versions.versions(row + 1).rules(), version.rules());
    } else if (version.version() > 1) {
        m_history->setDiff(
            tr("Version %1 is the oldest one listed; the versions before it are not shown.").arg(version.version()));
        return;
    } else {
        lines = RuleText::diff({}, version.rules());
    }
    QString text = tr("Version %1 (%2, %3): %4")
                       .arg(version.version())
                       .arg(VersionHistoryView::sourceName(version.source()),
                            TimeText::timestamp(version.created_at(), TimeText::Seconds::WhenNotZero),
                            QString::fromStdString(version.reason()));
    text += u'\n';
    if (lines.isEmpty())
        text += tr("No rule changed.");
    for (const QString &line : lines)
        text += QStringLiteral("\n• ") + line;
    m_history->setDiff(text);
}

QString PricingPage::diffText() const
{
    return m_history->diffText();
}

void PricingPage::askRollback(qint64 version)
{
    const std::optional<QString> reason = ReasonDialog::ask(
        this, tr("Roll back"), tr("Why roll back to version %1? (required; it is kept in the history)").arg(version),
        tr("Make the rules of version %1 the rules in force? Orders are priced with them from now on. "
           "This is saved as a new version.")
            .arg(version),
        tr("Roll back"));
    if (reason)
        rollbackTo(version, *reason);
}

void PricingPage::rollbackTo(qint64 version, const QString &reason)
{
    m_history->rollbackButton()->setEnabled(false);
    m_client->rollback(version, reason, [this, version](const grpc::Status &status, const v1::RuleSetVersion &saved) {
        if (!status.ok()) {
            showFailure(status);
            showSelectedDiff();
            Q_EMIT actionFinished(false);
            return;
        }
        m_message->showMessage(
            tr("Rolled back to version %1: the rules in force are now version %2.").arg(version).arg(saved.version()),
            false);
        onRuleSet(saved);
        m_versions.clear_versions(); // history is stale
        m_refreshing = false;
        refresh();
        Q_EMIT actionFinished(true);
    });
}

void PricingPage::showFailure(const grpc::Status &status)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::FAILED_PRECONDITION:
        m_message->showMessage(tr("The backend refused: %1").arg(detail), true);
        break;
    case grpc::StatusCode::ABORTED:
        m_message->showMessage(
            tr("Someone else changed the rules meanwhile: %1 Refresh and make your change again.").arg(detail), true);
        break;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
        m_message->showMessage(tr("The backend found a problem: %1").arg(detail), true);
        break;
    default:
        m_message->showMessage(BackendConnection::explain(status), true);
        break;
    }
}

QString PricingPage::headerText() const
{
    return m_header->summary();
}

QString PricingPage::fileBannerText() const
{
    return m_fileBanner->shownText();
}

QString PricingPage::lastErrorText() const
{
    return m_header->problem();
}

QString PricingPage::messageText() const
{
    return m_message->text();
}

void PricingPage::showRules()
{
    if (m_draft)
        m_rulesModel->setRules(*m_draft);
    else if (m_current)
        m_rulesModel->setRules({m_current->rules().begin(), m_current->rules().end()});
    m_emptyRules->setVisible(m_current.has_value() && m_rulesModel->rowCount() == 0);
}

bool PricingPage::canEdit() const
{
    return m_status.has_value() && m_status->file().empty() && m_current.has_value();
}

std::vector<v1::PricingRule> PricingPage::draftRules() const
{
    return m_draft.value_or(std::vector<v1::PricingRule>());
}

std::optional<int> PricingPage::selectedRuleRow() const
{
    const QModelIndexList rows = m_rulesView->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return std::nullopt;
    return rows.first().row();
}

void PricingPage::setDraft(const std::optional<std::vector<v1::PricingRule>> &draft)
{
    m_draft = draft;
    showRules();
    updateEditing();
}

void PricingPage::editDraft(const QString &description, std::vector<v1::PricingRule> rules)
{
    if (!canEdit())
        return;
    if (!m_draft)
        m_draftBase = m_current->version(); // the draft starts here
    std::optional<std::vector<v1::PricingRule>> before = m_draft;
    m_undo->push(new DraftCommand(this, description, std::move(before), std::move(rules)));
}

void PricingPage::putRule(const v1::PricingRule &rule, const QString &replacing)
{
    std::vector<v1::PricingRule> rules = m_rulesModel->rules();
    v1::PricingRule edited = rule;
    edited.set_state(edited.enabled() ? v1::RULE_STATE_UNSPECIFIED : v1::RULE_STATE_DISABLED);
    const QString id = QString::fromStdString(rule.id());
    const auto it = std::find_if(rules.begin(), rules.end(),
                                 [&](const v1::PricingRule &r) { return QString::fromStdString(r.id()) == replacing; });
    if (!replacing.isEmpty() && it != rules.end()) {
        *it = edited;
        editDraft(tr("Edit rule %1").arg(id), std::move(rules));
    } else {
        rules.push_back(edited);
        editDraft(tr("Add rule %1").arg(id), std::move(rules));
    }
}

void PricingPage::deleteRule(const QString &id)
{
    std::vector<v1::PricingRule> rules = m_rulesModel->rules();
    std::erase_if(rules, [&](const v1::PricingRule &r) { return QString::fromStdString(r.id()) == id; });
    editDraft(tr("Delete rule %1").arg(id), std::move(rules));
}

void PricingPage::setRuleEnabled(const QString &id, bool enabled)
{
    std::vector<v1::PricingRule> rules = m_rulesModel->rules();
    for (v1::PricingRule &rule : rules) {
        if (QString::fromStdString(rule.id()) == id) {
            rule.set_enabled(enabled);
            rule.set_state(enabled ? v1::RULE_STATE_UNSPECIFIED : v1::RULE_STATE_DISABLED);
        }
    }
    editDraft(enabled ? tr("Enable rule %1").arg(id) : tr("Disable rule %1").arg(id), std::move(rules));
}

void PricingPage::discardDraft()
{
    m_undo->clear();
    setDraft(std::nullopt);
}

void PricingPage::updateEditing()
{
    const bool editable = canEdit();
    const std::optional<int> row = selectedRuleRow();
    m_addButton->setEnabled(editable);
    m_editButton->setEnabled(editable && row.has_value());
    m_deleteButton->setEnabled(editable && row.has_value());
    m_toggleButton->setEnabled(editable && row.has_value());
    if (row && *row < m_rulesModel->rowCount())
        m_toggleButton->setText(m_rulesModel->rules()[static_cast<std::size_t>(*row)].enabled() ? tr("Disable")
                                                                                                : tr("Enable"));
    m_undoButton->setEnabled(editable && m_undo->canUndo());
    m_undoButton->setToolTip(m_undo->undoText());
    m_redoButton->setEnabled(editable && m_undo->canRedo());
    m_redoButton->setToolTip(m_undo->redoText());
    m_discardButton->setEnabled(m_draft.has_value());
    m_saveButton->setEnabled(saveEnabled());
    m_draftLabel->setText(draftText());
    m_draftLabel->setVisible(!draftText().isEmpty());
}

bool PricingPage::saveEnabled() const
{
    return canEdit() && m_draft.has_value();
}

QString PricingPage::draftText() const
{
    if (!m_draft)
        return {};
    QString text = tr("Unsaved draft based on version %1 — orders are still priced with the live rules until you "
                      "save.")
                       .arg(m_draftBase);
    if (m_current && m_current->version() != m_draftBase)
        text += u' ' + tr("Version %1 has been saved since: saving this draft will be refused. Discard it and "
                          "make your change again.")
                           .arg(m_current->version());
    return text;
}

void PricingPage::openRuleDialog(bool add)
{
    if (!canEdit())
        return;
    v1::PricingRule rule;
    QString replacing;
    if (add) {
        rule.set_kind(v1::RULE_KIND_PERCENT_OFF);
        rule.set_enabled(true);
        rule.set_stackable(true);
    } else {
        const auto row = selectedRuleRow();
        if (!row)
            return;
        rule = m_rulesModel->rules()[static_cast<std::size_t>(*row)];
        replacing = QString::fromStdString(rule.id());
    }
    QSet<QString> otherIds;
    for (const v1::PricingRule &other : m_rulesModel->rules()) {
        if (QString::fromStdString(other.id()) != replacing)
            otherIds.insert(QString::fromStdString(other.id()));
    }
    RuleDialog dialog(rule, m_client, otherIds, m_segments, this);
    if (dialog.exec() == QDialog::Accepted)
        putRule(dialog.rule(), replacing);
}

void PricingPage::askSave()
{
    if (!saveEnabled())
        return;
    const std::optional<QString> reason =
        ReasonDialog::ask(this, tr("Save the rules"), tr("Why this change? (required; it is kept in the history)"),
                          QString(), tr("Save"));
    if (reason)
        saveDraft(*reason);
}

void PricingPage::saveDraft(const QString &reason)
{
    if (!saveEnabled())
        return;
    v1::SaveRuleSetRequest request;
    request.set_base_version(m_draftBase);
    request.set_reason(reason.toStdString());
    for (const v1::PricingRule &rule : *m_draft) {
        v1::PricingRule *saved = request.add_rules();
        *saved = rule;
        saved->clear_state(); // output only
    }
    m_saveButton->setEnabled(false);
    m_client->saveRuleSet(request, [this](const grpc::Status &status, const v1::RuleSetVersion &saved) {
        if (!status.ok()) {
            showFailure(status);
            updateEditing();
            Q_EMIT actionFinished(false);
            return;
        }
        m_undo->clear();
        m_draft.reset();
        onRuleSet(saved);
        m_message->showMessage(tr("Saved as version %1.").arg(saved.version()), false);
        m_versions.clear_versions(); // history is stale
        m_refreshing = false;
        refresh();
        Q_EMIT actionFinished(true);
    });
}

} // namespace flywheel::ui
