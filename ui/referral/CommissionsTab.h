#pragma once

#include "flywheel/v1/referral.pb.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace flywheel::ui {

class MessageBar;
class CommissionsModel;
class ReferralClient;

/// The commission ledger: ListCommissions filtered by state and user (on the backend),
/// sortable, with the totals per state; the operator selects commissions and moves them
/// on ("Review passed", "Confirm", "Settle") after confirming how many and how much, and
/// reads which ones the backend refused and why.
class CommissionsTab final : public QWidget {
    Q_OBJECT

public:
    /// Asks the operator to confirm a bulk action: true to go ahead.
    using Confirm = std::function<bool(const QString &title, const QString &text)>;

    explicit CommissionsTab(ReferralClient *client, QWidget *parent = nullptr);

    void refresh();
    CommissionsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }

    /// UNSPECIFIED for every state.
    void setStateFilter(v1::CommissionState state);
    /// 0 for anyone.
    void setUidFilter(qint64 uid);
    /// Selects the commissions with these ids that are listed; the others are ignored.
    void selectCommissions(const QList<qint64> &ids);
    QList<qint64> selectedIds() const;
    /// The bulk actions: asks for confirmation, then moves the selected commissions.
    void transitionSelected(v1::CommissionState to);
    void setConfirm(Confirm confirm) { m_confirm = std::move(confirm); }
    /// The question transitionSelected() asks for the selection.
    QString confirmationText(v1::CommissionState to) const;

    QPushButton *actionButton(v1::CommissionState to) const { return m_actions.value(to); }
    /// The totals line per state, e.g. "pending: 2 · nothing owed yet".
    QString totalsText() const;
    /// The outcome of the latest bulk action.
    QString messageText() const;
    bool isShowingEmptyMessage() const;
    QString emptyMessage() const;

    static constexpr int kLimit = 500;

Q_SIGNALS:
    void loadFailed(const QString &why);
    /// After each answer to a refresh (true) or a bulk action (whether all succeeded).
    void listed();
    void actionFinished(bool ok);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void onList(const v1::ListCommissionsResponse &response);
    void onTransitioned(v1::CommissionState to, const v1::TransitionCommissionsResponse &response);
    void updateSelection();
    QList<v1::Commission> selectedCommissions() const;

    ReferralClient *m_client;
    Confirm m_confirm;
    CommissionsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    bool m_refreshing = false;
    /// A refresh asked for while one is under way: the filter changed.
    bool m_refreshAgain = false;
    bool m_transitioning = false;

    QComboBox *m_stateFilter;
    QLineEdit *m_uidFilter;
    QLabel *m_totals;
    QTableView *m_view;
    QLabel *m_empty;
    QLabel *m_selection;
    MessageBar *m_message;
    QMap<v1::CommissionState, QPushButton *> m_actions;
};

} // namespace flywheel::ui
