#include "referral/InviteTreeTab.h"

#include "client/BackendConnection.h"
#include "client/ReferralClient.h"
#include "common/TimeText.h"
#include "referral/ReferralText.h"

#include <grpcpp/support/status.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

constexpr int kUidRole = Qt::UserRole;
/// Whether a node's invitees are still to be fetched (it was at the edge of a fetch).
constexpr int kPendingRole = Qt::UserRole + 1;

} // namespace

InviteTreeTab::InviteTreeTab(ReferralClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_uidEdit(new QLineEdit(this)),
      m_showButton(new QPushButton(tr("Show"), this)), m_summary(new QLabel(this)), m_inviter(new QLabel(this)),
      m_tree(new QTreeWidget(this))
{
    m_uidEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\s*[0-9]{0,18}\\s*")), m_uidEdit));
    m_uidEdit->setPlaceholderText(tr("e.g. 100001"));
    m_uidEdit->setMaximumWidth(200);
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->setText(tr("Enter a user id to see whom they invited, whom those invited in turn, their orders and "
                          "the commissions they earn. Expand a user to see further down."));
    m_inviter->setWordWrap(true);
    m_inviter->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_inviter->hide();

    m_tree->setColumnCount(ColumnCount);
    m_tree->setHeaderLabels({tr("User"), tr("Registered"), tr("Campaign"), tr("Channel"), tr("Paid orders"),
                             tr("Paid total"), tr("Commission earned"), tr("Invited")});
    m_tree->headerItem()->setToolTip(Commission, tr("Commissions this user earns as level-1 or level-2 inviter, in "
                                                    "every state but reversed."));
    m_tree->headerItem()->setToolTip(Invited, tr("How many users this user invited directly."));
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_tree->header()->setStretchLastSection(false);
    for (int column = PaidOrders; column < ColumnCount; ++column)
        m_tree->headerItem()->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);

    auto *row = new QHBoxLayout();
    row->addWidget(new QLabel(tr("User id"), this));
    row->addWidget(m_uidEdit);
    row->addWidget(m_showButton);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_summary);
    layout->addWidget(m_inviter);
    layout->addWidget(m_tree, 1);

    connect(m_showButton, &QPushButton::clicked, this, &InviteTreeTab::showTyped);
    connect(m_uidEdit, &QLineEdit::returnPressed, this, &InviteTreeTab::showTyped);
    connect(m_tree, &QTreeWidget::itemExpanded, this, &InviteTreeTab::onExpanded);
    connect(m_inviter, &QLabel::linkActivated, this, [this](const QString &link) { showTree(link.toLongLong()); });
}

void InviteTreeTab::showTyped()
{
    bool ok = false;
    const qint64 uid = m_uidEdit->text().trimmed().toLongLong(&ok);
    if (!ok || uid <= 0) {
        m_summary->setText(tr("Enter a user id: a positive number such as 100001."));
        m_inviter->hide();
        m_tree->clear();
        Q_EMIT treeLoaded(false);
        return;
    }
    showTree(uid);
}

void InviteTreeTab::showTree(qint64 uid)
{
    if (m_uidEdit->text().trimmed() != QString::number(uid))
        m_uidEdit->setText(QString::number(uid));
    const quint64 request = ++m_request;
    m_summary->setText(tr("Loading the invite tree of user %1…").arg(uid));
    m_client->getInviteTree(uid, kDepth, [this, uid, request](const grpc::Status &status, const v1::InviteTree &tree) {
        if (request == m_request)
            onTree(uid, status, tree);
    });
}

void InviteTreeTab::onTree(qint64 uid, const grpc::Status &status, const v1::InviteTree &tree)
{
    m_tree->clear();
    m_inviter->hide();
    if (!status.ok()) {
        const QString detail = QString::fromStdString(status.error_message());
        switch (status.error_code()) {
        case grpc::StatusCode::NOT_FOUND:
            m_summary->setText(
                tr("There is no user %1 (%2). Check the id: it is the uid of a registered user.").arg(uid).arg(detail));
            break;
        case grpc::StatusCode::INVALID_ARGUMENT:
            m_summary->setText(tr("User %1 cannot be shown: %2.").arg(uid).arg(detail));
            break;
        default:
            m_summary->setText(
                tr("Could not load the invite tree of user %1. %2").arg(uid).arg(BackendConnection::explain(status)));
            break;
        }
        Q_EMIT treeLoaded(false);
        return;
    }
    const v1::InviteNode &root = tree.root();
    auto *item = new QTreeWidgetItem(m_tree);
    fill(item, root, kDepth);
    item->setExpanded(true);
    for (int i = 0; i < item->childCount(); ++i)
        item->child(i)->setExpanded(item->child(i)->childCount() > 0);

    qint64 secondLevel = 0;
    for (const v1::InviteNode &invitee : root.invitees())
        secondLevel += invitee.invitees_size() + invitee.more_invitees();
    const qint64 direct = root.invitees_size() + root.more_invitees();
    if (direct == 0)
        m_summary->setText(tr("User %1 has not invited anyone yet.").arg(root.uid()));
    else
        m_summary->setText(
            tr("User %1 invited %2 directly, who in turn invited %3. Expand a user to see further down.")
                .arg(root.uid())
                .arg(tr("%n user(s)", nullptr, int(direct)), tr("%n user(s)", nullptr, int(secondLevel))));
    m_inviter->setText(tree.inviter_uid() == 0
                           ? tr("User %1 registered without an invite.").arg(root.uid())
                           : tr("User %1 was invited by user %2 (<a href=\"%2\">show their tree</a>).")
                                 .arg(root.uid())
                                 .arg(tree.inviter_uid()));
    m_inviter->show();
    Q_EMIT treeLoaded(true);
}

void InviteTreeTab::fill(QTreeWidgetItem *item, const v1::InviteNode &node, int depthLeft)
{
    const QLocale locale;
    item->setText(User, QString::number(node.uid()));
    item->setData(User, kUidRole, static_cast<qlonglong>(node.uid()));
    item->setText(Registered, TimeText::timestamp(node.registered_at()));
    // Users who registered without an invite have neither.
    item->setText(Campaign,
                  node.campaign_id().empty() ? ReferralText::tr("—") : QString::fromStdString(node.campaign_id()));
    item->setText(Channel, node.channel().empty() ? ReferralText::tr("—") : QString::fromStdString(node.channel()));
    item->setText(PaidOrders, locale.toString(node.paid_orders()));
    item->setText(PaidTotal, ReferralText::money(node.paid_total()));
    item->setText(Commission, ReferralText::money(node.commission_earned()));
    for (int column = PaidOrders; column < ColumnCount; ++column)
        item->setTextAlignment(column, Qt::AlignRight | Qt::AlignVCenter);
    qDeleteAll(item->takeChildren());
    for (const v1::InviteNode &invitee : node.invitees())
        fill(new QTreeWidgetItem(item), invitee, depthLeft - 1);
    if (node.more_invitees() > 0) {
        auto *more = new QTreeWidgetItem(item);
        more->setText(User, tr("… and %n more not shown", nullptr, int(node.more_invitees())));
        more->setFirstColumnSpanned(true);
        more->setForeground(User, QColor(0x57, 0x60, 0x6a));
    }
    const qint64 invited = node.invitees_size() + node.more_invitees();
    // At the edge of what was fetched the invitees are unknown, not absent: fetched on expanding.
    const bool pending = depthLeft <= 0 && node.invitees_size() == 0;
    item->setText(Invited, pending && invited == 0 ? tr("?") : locale.toString(invited));
    item->setToolTip(Invited, pending ? tr("Expand to fetch whom this user invited.") : QString());
    item->setData(User, kPendingRole, pending);
    item->setChildIndicatorPolicy(pending ? QTreeWidgetItem::ShowIndicator
                                          : QTreeWidgetItem::DontShowIndicatorWhenChildless);
}

void InviteTreeTab::onExpanded(QTreeWidgetItem *item)
{
    if (!item->data(User, kPendingRole).toBool())
        return;
    item->setData(User, kPendingRole, false);
    const qint64 uid = item->data(User, kUidRole).toLongLong();
    auto *loading = new QTreeWidgetItem(item);
    loading->setText(User, tr("Loading…"));
    loading->setFirstColumnSpanned(true);
    const quint64 request = m_request;
    m_client->getInviteTree(uid, kDepth, [this, uid, request](const grpc::Status &status, const v1::InviteTree &tree) {
        if (request != m_request)
            return; // another tree is shown now
        QTreeWidgetItem *target = itemOf(uid);
        if (target == nullptr)
            return;
        if (!status.ok()) {
            qDeleteAll(target->takeChildren());
            auto *failed = new QTreeWidgetItem(target);
            failed->setText(
                User, tr("Could not load whom user %1 invited. %2").arg(uid).arg(BackendConnection::explain(status)));
            failed->setFirstColumnSpanned(true);
            failed->setForeground(User, QColor(0xcf, 0x22, 0x2e));
            target->setData(User, kPendingRole, true); // collapse and expand again to retry
            Q_EMIT treeLoaded(false);
            return;
        }
        fill(target, tree.root(), kDepth);
        target->setExpanded(true);
        Q_EMIT treeLoaded(true);
    });
}

QTreeWidgetItem *InviteTreeTab::itemOf(qint64 uid) const
{
    for (QTreeWidgetItemIterator it(m_tree); *it != nullptr; ++it) {
        if ((*it)->data(User, kUidRole).toLongLong() == uid && uid != 0)
            return *it;
    }
    return nullptr;
}

QString InviteTreeTab::summaryText() const
{
    return m_summary->text();
}

QString InviteTreeTab::inviterText() const
{
    return m_inviter->isHidden() ? QString() : m_inviter->text();
}

} // namespace flywheel::ui
