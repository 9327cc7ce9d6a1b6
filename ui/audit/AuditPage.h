#pragma once

#include "flywheel/v1/audit.pb.h"

#include <QDateTime>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QPushButton;
class QTableView;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class AuditClient;
class AuditDiffView;
class AuditModel;
class BackendConnection;
class MessageBar;
class PageHeader;

/// The change history: every change an operator made, newest first, filtered by area,
/// person and time; what the selected change did, as a before/after diff; and "Restore
/// this version" for a version of a versioned area that is not the current one. The
/// list loads when the page is shown (and on Refresh), older entries page by page; every
/// call is asynchronous, and a failed one is named in the page.
class AuditPage final : public QWidget {
    Q_OBJECT

public:
    /// The time filter: a period up to now, everything, or from–until.
    enum class Period { LastHour, Last24Hours, Last7Days, Last30Days, All, Custom };

    explicit AuditPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~AuditPage() override;

    /// Entries asked for per page.
    static constexpr int kPageSize = 100;
    /// Characters of the reason shown under the list (the whole reason is in the table's tooltip).
    static constexpr int kDetailReasonLength = 160;

    /// Loads the newest entries matching the filters again (keeping the selection).
    void refresh();
    /// Loads the next page of older entries, when there is one.
    void loadOlder();
    bool canLoadOlder() const;

    /// Empty for every area; otherwise one of AuditText::areas().
    void setAreaFilter(const QString &area);
    QString areaFilter() const;
    /// A token name; empty for everyone.
    void setPersonFilter(const QString &name);
    QString personFilter() const;
    /// The names offered by the person filter: everyone seen in the entries listed.
    QStringList persons() const;
    void setPeriod(Period period);
    Period period() const;
    /// The Custom period, from `from` (inclusive) until `until` (exclusive).
    void setCustomRange(const QDateTime &from, const QDateTime &until);
    /// What "now" is for the periods (the system clock unless a test sets another).
    void setClock(std::function<QDateTime()> now);
    /// The ListAuditEntries request the filters make (first page); nullopt, with the
    /// problem in the message bar, when the custom period is empty.
    std::optional<v1::ListAuditEntriesRequest> filterRequest() const;

    AuditModel *model() const { return m_model; }
    AuditDiffView *diffView() const { return m_diff; }
    QPushButton *restoreButton() const { return m_restoreButton; }
    QPushButton *loadOlderButton() const { return m_olderButton; }
    /// True once the page shows its first list (what a screenshot waits for).
    bool hasData() const { return m_loaded; }
    /// The current version of every versioned area, from the last list.
    const QMap<QString, qint64> &currentVersions() const { return m_currentVersions; }

    /// False when the entry is not listed.
    bool selectEntry(qint64 seq);
    /// The selected entry's seq, 0 when none is selected.
    qint64 selectedSeq() const { return m_selectedSeq; }
    /// The selected entry in words (who, when, from where, why).
    QString detailsText() const;

    /// Restores the selected entry's version with `reason`, without asking (the button
    /// asks for the reason first). Does nothing when the button would be disabled.
    void restoreSelected(const QString &reason);

    QString problemText() const;
    QString messageText() const;
    /// What stands in for the table when there is nothing to show; empty otherwise.
    QString emptyText() const;

Q_SIGNALS:
    /// The page shows its first list.
    void firstDataShown();
    /// A list (or an older page) arrived and is shown, or its loading failed.
    void listFinished(bool ok);
    /// After the answer to a restore.
    void actionFinished(bool ok);

protected:
    void showEvent(QShowEvent *event) override;

private:
    void reload();
    void load(const v1::ListAuditEntriesRequest &request, bool older);
    void onList(const v1::ListAuditEntriesResponse &response, bool older);
    void onListFailed(const grpc::Status &status);
    void onSelectionChanged();
    void onPeriodChanged();
    void updatePeriodEdits();
    void onPersonEdited();
    void updatePersons();
    void updateDetails();
    void updateEmptyState();
    void updateActions();
    void askRestore();
    /// Why the selected entry cannot be restored now; empty when it can.
    QString whyNotRestorable() const;
    void showRestoreFailure(const grpc::Status &status, const QString &area, qint64 base);
    const v1::AuditEntry *selectedEntry() const;

    BackendConnection *m_connection;
    AuditClient *m_client;
    AuditModel *m_model;
    std::function<QDateTime()> m_now;
    QMap<QString, qint64> m_currentVersions;
    QStringList m_persons;
    /// Which load the answers belong to: a change of filters makes older answers stale.
    quint64 m_generation = 0;
    v1::ListAuditEntriesRequest m_request;
    qint64 m_nextBeforeSeq = 0;
    bool m_loading = false;
    bool m_loaded = false;
    bool m_restoring = false;
    /// The message bar says the custom period is empty.
    bool m_periodProblem = false;
    qint64 m_selectedSeq = 0;
    QString m_appliedPerson;

    PageHeader *m_header;
    MessageBar *m_message;
    QPushButton *m_refreshButton;
    QComboBox *m_areaBox;
    QComboBox *m_personBox;
    QComboBox *m_periodBox;
    QLabel *m_fromLabel;
    QDateTimeEdit *m_from;
    QLabel *m_untilLabel;
    QDateTimeEdit *m_until;
    QTableView *m_table;
    QLabel *m_empty;
    QPushButton *m_olderButton;
    QLabel *m_details;
    QPushButton *m_restoreButton;
    AuditDiffView *m_diff;
};

} // namespace flywheel::ui
