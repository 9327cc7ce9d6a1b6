#include "pricing/PricingPage.h"

#include "client/BackendConnection.h"
#include "client/PricingClient.h"
#include "common/Banner.h"
#include "common/MessageBar.h"
#include "common/PageHeader.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "connection/EnvironmentPolicy.h"
#include "pricing/CartTab.h"
#include "pricing/RuleDialog.h"
#include "pricing/RulesModel.h"
#include "pricing/RuleText.h"

#include <grpcpp/support/status.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTabWidget>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

namespace {

constexpr int kVersionLimit = 50;

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
    m_cartTab = new CartTab(
        m_client, m_rulesModel, m_message, [this](const grpc::Status &status) { showFailure(status); }, this);
    connect(m_cartTab, &CartTab::actionFinished, this, &PricingPage::actionFinished);
    m_tabs->addTab(m_cartTab, tr("Try a cart"));

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
    EnvironmentPolicy::watch(this, [this] {
        updateEditing();
        showSelectedDiff();
    });
}

PricingPage::~PricingPage()
{
    // The undo stack is a child: QWidget's destructor deletes it after this class's
    // part is gone, and clearing itself it emits indexChanged into updateEditing().
    m_undo->disconnect(this);
}

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
    if (m_cartTab->productCount() == 0) {
        m_client->listProducts([this](const grpc::Status &status, const v1::ListProductsResponse &products) {
            if (status.ok())
                m_cartTab->setProducts(products);
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

int PricingPage::productCount() const
{
    return m_cartTab->productCount();
}

void PricingPage::setCart(const QList<std::pair<QString, int>> &items, qint64 uid)
{
    m_cartTab->setCart(items, uid);
}

void PricingPage::quoteCart()
{
    m_cartTab->quoteCart();
}

QString PricingPage::liveQuoteText() const
{
    return m_cartTab->liveQuoteText();
}

QString PricingPage::draftQuoteText() const
{
    return m_cartTab->draftQuoteText();
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
    const bool editable = m_status && m_status->file().empty() && EnvironmentPolicy::allowsEditing(this);
    QPushButton *rollback = m_history->rollbackButton();
    rollback->setEnabled(false);
    if (row < 0 || row >= m_versions.versions_size()) {
        m_history->setDiff(QString());
        return;
    }
    const v1::RuleSetVersion &version = m_versions.versions(row);
    const bool current = m_current && m_current->version() == version.version();
    rollback->setEnabled(editable && !current);
    const QString blocked = EnvironmentPolicy::editingBlockedText(this);
    rollback->setToolTip(current              ? tr("This version is the one in force.")
                         : editable           ? QString()
                         : !blocked.isEmpty() ? blocked
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
    return m_status.has_value() && m_status->file().empty() && m_current.has_value() &&
           EnvironmentPolicy::allowsEditing(this);
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
    EnvironmentPolicy::explainBlocked(this, {m_addButton, m_editButton, m_deleteButton, m_toggleButton, m_saveButton});
    const QString blocked = EnvironmentPolicy::editingBlockedText(this);
    m_undoButton->setEnabled(editable && m_undo->canUndo());
    m_undoButton->setToolTip(blocked.isEmpty() ? m_undo->undoText() : blocked);
    m_redoButton->setEnabled(editable && m_undo->canRedo());
    m_redoButton->setToolTip(blocked.isEmpty() ? m_undo->redoText() : blocked);
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
