#include "payments/RefusedTab.h"

#include "client/BackendConnection.h"
#include "client/PaymentClient.h"
#include "payments/ChannelText.h"
#include "payments/PaymentText.h"

#include <grpcpp/support/status.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

RefusedTab::RefusedTab(PaymentClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_refreshButton(new QPushButton(tr("Refresh"), this)),
      m_status(new QLabel(this)), m_list(new QTreeWidget(this))
{
    m_status->setWordWrap(true);
    m_status->setText(tr("Not loaded yet."));
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Time"), tr("Channel"), tr("Reason"), tr("Detail"), tr("Notification id"),
                             tr("Order"), tr("From")});
    auto *top = new QHBoxLayout();
    top->addWidget(m_status, 1);
    top->addWidget(m_refreshButton);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_list, 1);
    connect(m_refreshButton, &QPushButton::clicked, this, &RefusedTab::refresh);
}

void RefusedTab::refresh()
{
    if (m_loading)
        return;
    m_loading = true;
    m_client->listRefused(kLimit, [this](const grpc::Status &status,
                                         const v1::ListRefusedNotificationsResponse &response) {
        m_loading = false;
        if (!status.ok()) {
            m_status->setStyleSheet(QStringLiteral("color: #cf222e;"));
            m_status->setText(status.error_code() == grpc::StatusCode::UNIMPLEMENTED
                                  ? ChannelText::unimplemented()
                                  : tr("Could not load the refused notifications. %1").arg(BackendConnection::explain(status)));
            Q_EMIT refreshed(false);
            return;
        }
        m_status->setStyleSheet(QString());
        m_status->setText(response.notifications_size() == 0
                              ? tr("No notification has been refused.")
                              : tr("%1 refused notifications, newest first. A refusal changes no order; each is "
                                   "counted on its channel.")
                                    .arg(QLocale().toString(response.notifications_size())));
        m_list->clear();
        for (const v1::RefusedNotification &refused : response.notifications()) {
            auto *item = new QTreeWidgetItem(m_list);
            item->setText(Time, PaymentText::time(refused.at()));
            item->setText(Channel, refused.provider().empty()
                                       ? QString::fromStdString(refused.channel_id())
                                       : QStringLiteral("%1 · %2").arg(QString::fromStdString(refused.channel_id()),
                                                                       PaymentText::providerName(refused.provider())));
            item->setText(Reason, PaymentText::refusalReason(refused.reason()));
            item->setToolTip(Reason, QString::fromStdString(refused.reason()));
            item->setText(Detail, QString::fromStdString(refused.detail()));
            item->setToolTip(Detail, QString::fromStdString(refused.detail()));
            item->setText(NotificationId, QString::fromStdString(refused.notification_id()));
            item->setText(Order, refused.order_id() == 0 ? QStringLiteral("—") : QString::number(refused.order_id()));
            item->setText(Peer, QString::fromStdString(refused.peer()));
        }
        for (int column = 0; column < ColumnCount; ++column)
            m_list->resizeColumnToContents(column);
        Q_EMIT refreshed(true);
    });
}

int RefusedTab::rowCount() const
{
    return m_list->topLevelItemCount();
}

QString RefusedTab::text(int row, Column column) const
{
    const QTreeWidgetItem *item = m_list->topLevelItem(row);
    return item ? item->text(column) : QString();
}

QString RefusedTab::statusText() const
{
    return m_status->text();
}

} // namespace flywheel::ui
