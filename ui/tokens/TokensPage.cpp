#include "tokens/TokensPage.h"

#include "client/BackendConnection.h"
#include "client/TokenClient.h"
#include "common/MessageBar.h"
#include "common/PageHeader.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "connection/EnvironmentPolicy.h"
#include "tokens/NewTokenDialog.h"
#include "tokens/TokenSecretDialog.h"

#include <grpcpp/support/status.h>

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

QString text(const std::string &s)
{
    return QString::fromStdString(s);
}

} // namespace

TokensPage::TokensPage(BackendConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(new TokenClient(connection, this)),
      m_header(new PageHeader(tr("Access tokens"), this)), m_message(new MessageBar(this)),
      m_newButton(new QPushButton(tr("New token…"), this)), m_revokeButton(new QPushButton(tr("Revoke…"), this)),
      m_refreshButton(new QPushButton(tr("Refresh"), this)), m_table(new QTreeWidget(this)), m_empty(new QLabel(this))
{
    m_header->addToTitleRow(m_newButton);
    m_header->addToTitleRow(m_revokeButton);
    m_header->addToTitleRow(m_refreshButton);
    m_table->setRootIsDecorated(false);
    m_table->setHeaderLabels({tr("Name"), tr("Role"), tr("Created"), tr("Expires"), tr("State")});
    m_table->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->hide();
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(m_message);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_empty, 1);

    connect(m_newButton, &QPushButton::clicked, this, &TokensPage::askCreate);
    connect(m_revokeButton, &QPushButton::clicked, this, &TokensPage::askRevoke);
    connect(m_refreshButton, &QPushButton::clicked, this, &TokensPage::refresh);
    connect(m_table, &QTreeWidget::itemSelectionChanged, this, &TokensPage::updateActions);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        m_tokens.reset();
        m_unavailable.clear();
        showTokens();
        if (isVisible())
            refresh();
    });
    EnvironmentPolicy::watch(this, [this] {
        showTokens();
        if (isVisible() && !m_tokens && m_unavailable.isEmpty())
            refresh();
    });
    showTokens();
}

TokensPage::~TokensPage() = default;

void TokensPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
}

void TokensPage::refresh()
{
    if (!m_client->hasChannel())
        return;
    if (m_refreshing) {
        m_refreshAgain = true; // the answer on its way may predate a change just made
        return;
    }
    if (!EnvironmentPolicy::allowsRole(this, EnvironmentPolicy::Role::Admin)) {
        m_header->clearProblem(); // a refusal from before the role was known
        showTokens();             // says who may see them
        dataShown();
        return;
    }
    m_refreshing = true;
    m_client->listTokens([this](const grpc::Status &status, const v1::ListTokensResponse &response) {
        m_refreshing = false;
        onList(status, response);
        Q_EMIT refreshed();
        if (m_refreshAgain) {
            m_refreshAgain = false;
            refresh();
        }
    });
}

void TokensPage::onList(const grpc::Status &status, const v1::ListTokensResponse &response)
{
    if (status.ok()) {
        m_tokens = response;
        m_unavailable.clear();
        m_header->clearProblem();
    } else if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        m_tokens.reset();
        m_unavailable = tr("This backend has no tokens file, so it asks for no tokens and there are none to manage "
                           "here (demo mode, or a daemon on this computer started without one). To require tokens, "
                           "start flywheeld with tokens_file in its configuration or --tokens-file; see "
                           "docs/operations.md.");
        m_header->clearProblem();
    } else {
        m_header->showProblem(tr("Could not load the tokens. %1").arg(BackendConnection::explain(status)));
        if (!m_tokens)
            return;
    }
    showTokens();
    dataShown();
}

void TokensPage::dataShown()
{
    if (m_hasData)
        return;
    m_hasData = true;
    Q_EMIT firstDataShown();
}

QString TokensPage::stateText(const v1::TokenInfo &token)
{
    if (token.state() == "revoked")
        return tr("revoked %1").arg(TimeText::timestamp(token.revoked(), TimeText::Seconds::WhenNotZero));
    if (token.state() == "expired")
        return tr("expired");
    if (token.state() == "active")
        return tr("active");
    return text(token.state());
}

void TokensPage::showTokens()
{
    const QString selectedName = selectedToken();
    const EnvironmentPolicy *policy = EnvironmentPolicy::of(this);
    QString empty;
    if (policy && !policy->roleAllows(EnvironmentPolicy::Role::Admin))
        empty = tr("Managing tokens needs the role admin; you are signed in as %1 with the role %2.")
                    .arg(policy->callerName(), EnvironmentPolicy::roleName(policy->callerRole()));
    else if (!m_unavailable.isEmpty())
        empty = m_unavailable;
    else if (!m_tokens)
        empty = m_client->hasChannel() ? tr("Loading the tokens…") : tr("Not connected yet.");
    else if (m_tokens->tokens_size() == 0)
        empty = tr("The tokens file holds no tokens yet. Choose “New token…” to make one.");

    m_table->clear();
    if (empty.isEmpty()) {
        for (const v1::TokenInfo &token : m_tokens->tokens()) {
            const QString expires = TimeText::isSet(token.expires())
                                        ? TimeText::timestamp(token.expires(), TimeText::Seconds::WhenNotZero)
                                        : tr("never");
            auto *item = new QTreeWidgetItem(
                m_table, {text(token.name()), text(token.role()),
                          TimeText::timestamp(token.created(), TimeText::Seconds::WhenNotZero), expires,
                          stateText(token)});
            if (token.state() != "active") {
                for (int column = 0; column < ColumnCount; ++column)
                    item->setForeground(column, QColor(0x57, 0x60, 0x6a));
            }
            item->setData(0, Qt::UserRole, m_table->topLevelItemCount() - 1);
        }
    }
    m_table->setVisible(empty.isEmpty());
    m_empty->setVisible(!empty.isEmpty());
    m_empty->setText(empty);
    if (!selectedName.isEmpty())
        selectToken(selectedName);
    if (m_tokens) {
        int active = 0;
        for (const v1::TokenInfo &token : m_tokens->tokens())
            active += token.state() == "active" ? 1 : 0;
        m_header->setSummary(empty.isEmpty() ? tr("%n active token(s)", nullptr, active) +
                                                   tr(", %n in all", nullptr, m_tokens->tokens_size())
                                             : QString());
    } else {
        m_header->setSummary(QString());
    }
    updateActions();
}

int TokensPage::rowCount() const
{
    return m_table->isHidden() ? 0 : m_table->topLevelItemCount();
}

QStringList TokensPage::row(int row) const
{
    const QTreeWidgetItem *item = m_table->topLevelItem(row);
    if (item == nullptr)
        return {};
    QStringList cells;
    for (int column = 0; column < ColumnCount; ++column)
        cells.append(item->text(column));
    return cells;
}

QString TokensPage::emptyText() const
{
    return m_empty->isHidden() ? QString() : m_empty->text();
}

QString TokensPage::problemText() const
{
    return m_header->problem();
}

QString TokensPage::messageText() const
{
    return m_message->text();
}

bool TokensPage::selectToken(const QString &name)
{
    for (int i = 0; i < m_table->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_table->topLevelItem(i);
        if (item->text(Name) == name) {
            m_table->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

QString TokensPage::selectedToken() const
{
    const QList<QTreeWidgetItem *> items = m_table->selectedItems();
    return items.isEmpty() ? QString() : items.first()->text(Name);
}

const v1::TokenInfo *TokensPage::selected() const
{
    const QList<QTreeWidgetItem *> items = m_table->selectedItems();
    if (items.isEmpty() || !m_tokens)
        return nullptr;
    const int index = items.first()->data(0, Qt::UserRole).toInt();
    return index >= 0 && index < m_tokens->tokens_size() ? &m_tokens->tokens(index) : nullptr;
}

void TokensPage::updateActions()
{
    const EnvironmentPolicy *policy = EnvironmentPolicy::of(this);
    const QString blocked = policy ? policy->blockedText(EnvironmentPolicy::Role::Admin) : QString();
    const bool managed = m_tokens.has_value() && m_client->hasChannel() && !m_busy;
    m_newButton->setEnabled(managed && blocked.isEmpty());
    m_newButton->setToolTip(!blocked.isEmpty()            ? blocked
                            : !m_unavailable.isEmpty() ? tr("This backend has no tokens file.")
                                                       : tr("Make a new token and show it once."));
    const v1::TokenInfo *token = selected();
    const bool revocable = token != nullptr && token->state() != "revoked";
    m_revokeButton->setEnabled(managed && blocked.isEmpty() && revocable);
    m_revokeButton->setToolTip(!blocked.isEmpty() ? blocked
                               : token == nullptr ? tr("Select a token first.")
                               : !revocable       ? tr("This token is revoked already.")
                                                  : tr("Refuse the token “%1” from now on.").arg(text(token->name())));
    m_refreshButton->setEnabled(m_client->hasChannel() && EnvironmentPolicy::allowsRole(this, EnvironmentPolicy::Role::Admin));
}

TokenSecretDialog *TokensPage::secretDialog() const
{
    return m_secretDialog;
}

void TokensPage::askCreate()
{
    // The reason is asked in the dialog, so not through ReasonDialog: ask the environment here.
    if (EnvironmentPolicy *policy = EnvironmentPolicy::of(this); policy && !policy->confirmSave(this, tr("New token")))
        return;
    NewTokenDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    createToken(dialog.name(), dialog.role(), dialog.expiresDays(), dialog.reason());
}

void TokensPage::createToken(const QString &name, const QString &role, int expiresDays, const QString &reason)
{
    m_busy = true;
    updateActions();
    m_client->createToken(
        name, role, expiresDays, reason,
        [this, name](const grpc::Status &status, const v1::CreateTokenResponse &response) {
            m_busy = false;
            if (!status.ok()) {
                updateActions();
                m_message->showMessage(
                    tr("Could not create the token “%1”. %2").arg(name, BackendConnection::explain(status)), true);
                Q_EMIT actionFinished(false);
                return;
            }
            m_message->showMessage(tr("Created the token “%1” (%2). It is shown once, in the window that opened.")
                                       .arg(text(response.token().name()), text(response.token().role())),
                                   false);
            if (m_secretDialog)
                m_secretDialog->close();
            m_secretDialog = new TokenSecretDialog(text(response.token().name()), text(response.token().role()),
                                                   text(response.secret()), this);
            m_secretDialog->open();
            refresh();
            Q_EMIT actionFinished(true);
        });
}

void TokensPage::askRevoke()
{
    const v1::TokenInfo *token = selected();
    if (token == nullptr)
        return;
    const QString name = text(token->name());
    const std::optional<QString> reason = ReasonDialog::ask(
        this, tr("Revoke token"), tr("Why is the token “%1” revoked?").arg(name),
        tr("Every call with the token “%1” (role %2) is refused within a second, also from consoles connected with "
           "it now. This cannot be undone: make a new token to let its holder back in.")
            .arg(name, text(token->role())),
        tr("Revoke"));
    if (reason)
        revokeToken(name, *reason);
}

void TokensPage::revokeToken(const QString &name, const QString &reason)
{
    m_busy = true;
    updateActions();
    m_client->revokeToken(name, reason, [this, name](const grpc::Status &status, const v1::TokenInfo &) {
        m_busy = false;
        if (!status.ok()) {
            updateActions();
            m_message->showMessage(
                tr("Could not revoke the token “%1”. %2").arg(name, BackendConnection::explain(status)), true);
            Q_EMIT actionFinished(false);
            return;
        }
        m_message->showMessage(tr("Revoked the token “%1”: calls with it are refused from now on.").arg(name), false);
        refresh();
        Q_EMIT actionFinished(true);
    });
}

} // namespace flywheel::ui
