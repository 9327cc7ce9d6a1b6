#pragma once

#include "flywheel/v1/tokens.pb.h"

#include <QPointer>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class BackendConnection;
class MessageBar;
class PageHeader;
class TokenClient;
class TokenSecretDialog;

/// The bearer tokens of the backend (role admin): name, role, created, expires and
/// state of each; "New token…" makes one and shows it once; "Revoke…" refuses one
/// from then on. A backend without a tokens file (demo mode) and a caller who is not
/// an admin are said so in words instead of an empty table.
class TokensPage final : public QWidget {
    Q_OBJECT

public:
    explicit TokensPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~TokensPage() override;

    /// Columns of the table.
    enum Column { Name, Role, Created, Expires, State, ColumnCount };

    /// Asks the backend for the tokens now (unless the caller may not see them).
    void refresh();
    /// True once the page shows its first answer: the tokens, or why there are none.
    bool hasData() const { return m_hasData; }

    int rowCount() const;
    /// The cells of row `row` as shown.
    QStringList row(int row) const;
    /// What stands in for the table (no tokens file, not an admin, none yet); empty otherwise.
    QString emptyText() const;
    /// Why the tokens could not be loaded; empty when the last refresh worked.
    QString problemText() const;
    /// The latest outcome of an operator's action, or why it failed.
    QString messageText() const;

    bool selectToken(const QString &name);
    QString selectedToken() const;

    /// Makes a token without asking; its secret is shown in secretDialog().
    void createToken(const QString &name, const QString &role, int expiresDays, const QString &reason);
    /// Revokes without asking.
    void revokeToken(const QString &name, const QString &reason);
    /// The dialog showing the token just made, while it is open.
    TokenSecretDialog *secretDialog() const;

    QPushButton *newButton() const { return m_newButton; }
    QPushButton *revokeButton() const { return m_revokeButton; }

Q_SIGNALS:
    /// After each answer to an operator's action.
    void actionFinished(bool ok);
    /// The page shows its first data.
    void firstDataShown();
    /// A refresh was answered.
    void refreshed();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void onList(const grpc::Status &status, const v1::ListTokensResponse &response);
    void showTokens();
    void dataShown();
    void updateActions();
    void askCreate();
    void askRevoke();
    /// The selected token's entry, if any.
    const v1::TokenInfo *selected() const;
    static QString stateText(const v1::TokenInfo &token);

    BackendConnection *m_connection;
    TokenClient *m_client;
    PageHeader *m_header;
    MessageBar *m_message;
    QPushButton *m_newButton;
    QPushButton *m_revokeButton;
    QPushButton *m_refreshButton;
    QTreeWidget *m_table;
    QLabel *m_empty;
    QPointer<TokenSecretDialog> m_secretDialog;
    std::optional<v1::ListTokensResponse> m_tokens;
    /// Why the backend manages no tokens (FAILED_PRECONDITION), said instead of the table.
    QString m_unavailable;
    bool m_refreshing = false;
    bool m_refreshAgain = false;
    bool m_busy = false;
    bool m_hasData = false;
};

} // namespace flywheel::ui
