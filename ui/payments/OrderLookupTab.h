#pragma once

#include "flywheel/v1/payments.pb.h"

#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class MessageBar;
class PaymentClient;

/// One order's payments (state, channel, provider ids, amount, pay URL, why that
/// channel, detail, over- or under-payment, waiting for confirmations) and refunds, and
/// "Refund…" for operators: the refund goes through the channel that took the money, is
/// shown pending, and the order moves to refunded only when the provider confirms.
/// "Refund payment…" gives back, on its own, the money of the selected payment that did
/// not pay the order (paid after the order was paid, cancelled or expired; a crypto
/// invoice paid late or partly); the order does not change.
class OrderLookupTab final : public QWidget {
    Q_OBJECT

public:
    using AskReason = std::function<std::optional<QString>(const QString &title, const QString &question,
                                                           const QString &consequence, const QString &accept)>;
    enum PaymentColumn { PaymentId, State, Channel, Amount, ProviderIds, PayUrl, RouteReason, Detail, PaymentColumns };
    enum RefundColumn { RefundId, RefundPayment, RefundState, RefundAmount, RefundNumbers, RefundReason, RefundDetail,
                        RefundColumns };

    explicit OrderLookupTab(PaymentClient *client, QWidget *parent = nullptr);

    QLineEdit *orderField() const { return m_order; }
    QPushButton *lookUpButton() const { return m_lookUp; }
    QPushButton *refundButton() const { return m_refund; }
    QPushButton *refundPaymentButton() const { return m_refundPayment; }
    /// Asks for the order typed; false, with the message saying why, when it is not an order id.
    bool lookUp();
    /// Refunds the order shown (`paymentId` 0) or that payment of it on its own.
    bool refund(const QString &reason, qint64 paymentId = 0);
    void askRefund();
    void askRefundPayment();
    /// Selects the payment row of `paymentId`; false when it is not shown.
    bool selectPayment(qint64 paymentId);
    void setAskReason(AskReason ask) { m_askReason = std::move(ask); }

    int paymentCount() const;
    QString paymentText(int row, PaymentColumn column) const;
    int refundCount() const;
    QString refundText(int row, RefundColumn column) const;
    QString summaryText() const;
    QString messageText() const;

Q_SIGNALS:
    void lookedUp(bool ok);
    void refundFinished(bool ok);

private:
    void showOrder(const v1::OrderPayments &payments);
    void updateRefund();
    /// The payment of the selected row, when it has money to give back and no refund in force.
    const v1::Payment *selectedRefundable() const;
    void showError(const QString &what, const grpc::Status &status);

    PaymentClient *m_client;
    AskReason m_askReason;
    std::optional<v1::OrderPayments> m_shown;
    bool m_refunding = false;
    QLineEdit *m_order;
    QPushButton *m_lookUp;
    QPushButton *m_refund;
    QPushButton *m_refundPayment;
    QLabel *m_summary;
    MessageBar *m_message;
    QTreeWidget *m_payments;
    QTreeWidget *m_refunds;
};

} // namespace flywheel::ui
