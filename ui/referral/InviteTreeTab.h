#pragma once

#include "flywheel/v1/referral.pb.h"

#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class ReferralClient;

/// Who a user invited, and whom those invited: a tree two levels deep that fetches the
/// next levels when the operator expands a node at its edge; each user with registration
/// time, campaign and channel, paid orders and commission earned. The user's own inviter
/// is shown above, as a link to their tree.
class InviteTreeTab final : public QWidget {
    Q_OBJECT

public:
    explicit InviteTreeTab(ReferralClient *client, QWidget *parent = nullptr);

    /// Fetches and shows the tree of `uid`.
    void showTree(qint64 uid);
    /// The uid box's "Show".
    void showTyped();

    QTreeWidget *tree() const { return m_tree; }
    QLineEdit *uidField() const { return m_uidEdit; }
    /// The line above the tree: whose tree it is and who invited them, or why there is none.
    QString summaryText() const;
    QString inviterText() const;
    /// The item of a user in the tree, nullptr when not shown.
    QTreeWidgetItem *itemOf(qint64 uid) const;

    enum Column { User, Registered, Campaign, Channel, PaidOrders, PaidTotal, Commission, Invited, ColumnCount };
    /// How deep each call fetches.
    static constexpr int kDepth = 2;

Q_SIGNALS:
    /// After each answer to showTree() or an expansion, for tests.
    void treeLoaded(bool ok);

private:
    void onTree(qint64 uid, const grpc::Status &status, const v1::InviteTree &tree);
    void fill(QTreeWidgetItem *item, const v1::InviteNode &node, int depthLeft);
    void onExpanded(QTreeWidgetItem *item);

    ReferralClient *m_client;
    QLineEdit *m_uidEdit;
    QPushButton *m_showButton;
    QLabel *m_summary;
    QLabel *m_inviter;
    QTreeWidget *m_tree;
    /// Answers to an earlier showTree() are dropped.
    quint64 m_request = 0;
};

} // namespace flywheel::ui
