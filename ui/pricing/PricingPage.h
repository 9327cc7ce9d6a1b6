#pragma once

#include "flywheel/v1/pricing.pb.h"

#include <QMap>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <optional>
#include <utility>
#include <vector>

class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;
class QUndoStack;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class Banner;
class CartTab;
class PageHeader;
class BackendConnection;
class MessageBar;
class PricingClient;
class RulesModel;
class VersionHistoryView;

/// The pricing rules: the rule set in force with each rule in words, where the rules
/// come from (the console or a watched pricing.yaml) and how the file's last reload
/// went, the version history with a diff per version and rollback, and "try a cart".
/// Refreshes itself every few seconds; every call is asynchronous.
class PricingPage final : public QWidget {
    Q_OBJECT

public:
    explicit PricingPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~PricingPage() override;

    static constexpr int kRefreshMs = 3000;

    /// Asks the backend for status, rules and history now.
    void refresh();
    /// A refresh is under way: its status, rules or history have not all come back yet.
    bool isRefreshing() const { return m_refreshing; }

    RulesModel *rulesModel() const { return m_rulesModel; }
    std::optional<v1::RuleSetVersion> current() const { return m_current; }
    /// True once the page shows its first data (what a screenshot waits for).
    bool hasData() const { return m_current.has_value(); }
    QString headerText() const;
    /// Empty when the rules are edited in the console.
    QString fileBannerText() const;
    /// The file's last refusal, empty when there is none.
    QString lastErrorText() const;
    /// The latest outcome of an operator's action (rollback, quote), or why it failed.
    QString messageText() const;

    /// History, newest first.
    int versionCount() const;
    qint64 versionAt(int row) const;
    void selectVersion(int row);
    QString diffText() const;
    /// Rolls back without asking (the button asks for a reason and confirmation first).
    void rollbackTo(qint64 version, const QString &reason);

    /// Try a cart: the items (SKU, quantity) replace the cart's.
    void setCart(const QList<std::pair<QString, int>> &items, qint64 uid);
    void quoteCart();
    int productCount() const;
    QString liveQuoteText() const;
    QString draftQuoteText() const;

    /// Editing: changes go to a draft (with undo and redo) until it is saved.
    bool canEdit() const;
    bool hasDraft() const { return m_draft.has_value(); }
    std::vector<v1::PricingRule> draftRules() const;
    QUndoStack *undoStack() const { return m_undo; }
    /// Adds `rule`, or replaces the rule with id `replacing` by it.
    void putRule(const v1::PricingRule &rule, const QString &replacing = {});
    void deleteRule(const QString &id);
    void setRuleEnabled(const QString &id, bool enabled);
    void discardDraft();
    /// Saves the draft without asking (the button asks for the reason first).
    void saveDraft(const QString &reason);
    QString draftText() const;
    bool saveEnabled() const;

Q_SIGNALS:
    /// After each answer to a page action, for tests and the status line.
    void actionFinished(bool ok);
    /// The page shows its first data.
    void firstDataShown();

private:
    friend class DraftCommand;
    void setDraft(const std::optional<std::vector<v1::PricingRule>> &draft);
    void editDraft(const QString &description, std::vector<v1::PricingRule> rules);
    void showRules();
    void updateEditing();
    void openRuleDialog(bool add);
    void askSave();
    std::optional<int> selectedRuleRow() const;
    void onStatus(const v1::PricingStatus &status);
    void onRuleSet(const v1::RuleSetVersion &ruleSet);
    void onVersions(const v1::ListRuleSetVersionsResponse &versions);
    void showFailure(const grpc::Status &status);
    void askRollback(qint64 version);
    void showSelectedDiff();
    QWidget *buildRulesTab();
    QWidget *buildHistoryTab();

    BackendConnection *m_connection;
    PricingClient *m_client;
    RulesModel *m_rulesModel;
    QTimer m_refreshTimer;
    bool m_refreshing = false;

    std::optional<v1::PricingStatus> m_status;
    std::optional<v1::RuleSetVersion> m_current;
    v1::ListRuleSetVersionsResponse m_versions;
    /// Segment id → enabled, in the current segment set; nullopt until it is known.
    std::optional<QMap<QString, bool>> m_segments;

    PageHeader *m_header;
    Banner *m_fileBanner;
    MessageBar *m_message;
    QPushButton *m_refreshButton;
    QTabWidget *m_tabs;
    QTableView *m_rulesView;
    QUndoStack *m_undo;
    std::optional<std::vector<v1::PricingRule>> m_draft;
    qint64 m_draftBase = 0;
    QLabel *m_draftLabel;
    QPushButton *m_addButton;
    QPushButton *m_editButton;
    QPushButton *m_deleteButton;
    QPushButton *m_toggleButton;
    QPushButton *m_undoButton;
    QPushButton *m_redoButton;
    QPushButton *m_discardButton;
    QPushButton *m_saveButton;
    QLabel *m_emptyRules;
    VersionHistoryView *m_history;
    CartTab *m_cartTab = nullptr;
};

} // namespace flywheel::ui
