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
class OrderLookupTab final : public QWidget {
    Q_OBJECT

public:
    using AskReason = std::function<std::optional<QString>(const QString &title, const QString &question,
                                                           const QString &consequence, const QString &accept)>;
    enum PaymentColumn { PaymentId, State, Channel, Amount, ProviderIds, PayUrl, RouteReason, Detail, PaymentColumns };
    enum RefundColumn { RefundId, RefundState, RefundAmount, RefundNumbers, RefundReason, RefundDetail,
                        RefundColumns };

    explicit OrderLookupTab(PaymentClient *client, QWidget *parent = nullptr);

    QLineEdit *orderField() const { return m_order; }
    QPushButton *lookUpButton() const { return m_lookUp; }
    QPushButton *refundButton() const { return m_refund; }
    /// Asks for the order typed; false, with the message saying why, when it is not an order id.
    bool lookUp();
    bool refund(const QString &reason);
    void askRefund();
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
    void showError(const QString &what, const grpc::Status &status);

    PaymentClient *m_client;
    AskReason m_askReason;
    std::optional<v1::OrderPayments> m_shown;
    bool m_refunding = false;
    QLineEdit *m_order;
    QPushButton *m_lookUp;
    QPushButton *m_refund;
    QLabel *m_summary;
    MessageBar *m_message;
    QTreeWidget *m_payments;
    QTreeWidget *m_refunds;
};

} // namespace flywheel::ui
