#pragma once

#include "flywheel/v1/payments.pb.h"

#include <QString>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace flywheel::ui {

class PaymentClient;

/// Provider notifications the backend refused (bad signature, stale, amount mismatch…),
/// newest first: when (local time), channel, why in the operator's language, the
/// backend's detail, the notification id, the order and the caller's address.
class RefusedTab final : public QWidget {
    Q_OBJECT

public:
    enum Column { Time, Channel, Reason, Detail, NotificationId, Order, Peer, ColumnCount };
    static constexpr int kLimit = 200;

    explicit RefusedTab(PaymentClient *client, QWidget *parent = nullptr);

    void refresh();
    QPushButton *refreshButton() const { return m_refreshButton; }
    int rowCount() const;
    QString text(int row, Column column) const;
    QString statusText() const;

Q_SIGNALS:
    void refreshed(bool ok);

private:
    PaymentClient *m_client;
    bool m_loading = false;
    QPushButton *m_refreshButton;
    QLabel *m_status;
    QTreeWidget *m_list;
};

} // namespace flywheel::ui
