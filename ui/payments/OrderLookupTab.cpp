#include "payments/OrderLookupTab.h"

#include "client/BackendConnection.h"
#include "client/PaymentClient.h"
#include "common/Format.h"
#include "common/MessageBar.h"
#include "common/ReasonDialog.h"
#include "connection/EnvironmentPolicy.h"
#include "payments/ChannelText.h"
#include "payments/PaymentText.h"

#include <grpcpp/support/status.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

/// An id, or "—" when the provider has not given one (yet).
QString orDash(const std::string &id)
{
    return id.empty() ? QStringLiteral("—") : QString::fromStdString(id);
}

} // namespace

OrderLookupTab::OrderLookupTab(PaymentClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_order(new QLineEdit(this)), m_lookUp(new QPushButton(tr("Look up"), this)),
      m_refund(new QPushButton(tr("Refund…"), this)), m_refundPayment(new QPushButton(tr("Refund payment…"), this)),
      m_summary(new QLabel(this)), m_message(new MessageBar(this)),
      m_payments(new QTreeWidget(this)), m_refunds(new QTreeWidget(this))
{
    m_askReason = [this](const QString &title, const QString &question, const QString &consequence,
                         const QString &accept) { return ReasonDialog::ask(this, title, question, consequence, accept); };
    m_order->setPlaceholderText(tr("Order id, e.g. 100234"));
    m_summary->setWordWrap(true);
    m_summary->setText(tr("Type an order id to see its payments and refunds."));
    m_payments->setRootIsDecorated(false);
    m_payments->setHeaderLabels({tr("Payment"), tr("State"), tr("Channel"), tr("Amount"), tr("Provider ids"),
                                 tr("Pay URL"), tr("Why this channel"), tr("Detail")});
    m_refunds->setRootIsDecorated(false);
    m_refunds->setHeaderLabels({tr("Refund"), tr("Payment"), tr("State"), tr("Amount"), tr("Refund numbers"),
                                tr("Reason"), tr("Detail")});

    auto *top = new QHBoxLayout();
    top->addWidget(new QLabel(tr("Order"), this));
    top->addWidget(m_order);
    top->addWidget(m_lookUp);
    top->addStretch(1);
    top->addWidget(m_refundPayment);
    top->addWidget(m_refund);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_summary);
    layout->addWidget(m_message);
    layout->addWidget(new QLabel(tr("Payments, newest first"), this));
    layout->addWidget(m_payments, 2);
    layout->addWidget(new QLabel(tr("Refunds, newest first"), this));
    layout->addWidget(m_refunds, 1);

    connect(m_lookUp, &QPushButton::clicked, this, &OrderLookupTab::lookUp);
    connect(m_order, &QLineEdit::returnPressed, this, &OrderLookupTab::lookUp);
    connect(m_refund, &QPushButton::clicked, this, &OrderLookupTab::askRefund);
    connect(m_refundPayment, &QPushButton::clicked, this, &OrderLookupTab::askRefundPayment);
    connect(m_payments, &QTreeWidget::currentItemChanged, this, [this] { updateRefund(); });
    updateRefund();
    EnvironmentPolicy::watch(this, [this] { updateRefund(); });
}

bool OrderLookupTab::lookUp()
{
    bool ok = false;
    const qint64 orderId = m_order->text().trimmed().toLongLong(&ok);
    if (!ok || orderId <= 0) {
        m_message->showMessage(tr("Type the order id as a whole number such as 100234."), true);
        return false;
    }
    m_message->clearMessage();
    m_lookUp->setEnabled(false);
    m_client->listOrderPayments(orderId, [this, orderId](const grpc::Status &status, const v1::OrderPayments &found) {
        m_lookUp->setEnabled(true);
        if (!status.ok()) {
            showError(tr("Could not look up order %1").arg(orderId), status);
            Q_EMIT lookedUp(false);
            return;
        }
        showOrder(found);
        Q_EMIT lookedUp(true);
    });
    return true;
}

void OrderLookupTab::showOrder(const v1::OrderPayments &found)
{
    m_shown = found;
    m_payments->clear();
    m_refunds->clear();
    for (const v1::Payment &payment : found.payments()) {
        auto *item = new QTreeWidgetItem(m_payments);
        const QString currency = QString::fromStdString(payment.amount().currency());
        item->setText(PaymentId, QString::number(payment.payment_id()));
        item->setData(PaymentId, Qt::UserRole, QVariant::fromValue<qint64>(payment.payment_id()));
        QString state = PaymentText::paymentState(payment.state());
        if (payment.confirming())
            state = tr("%1, waiting for confirmations").arg(state);
        if (payment.difference_minor() > 0)
            state = tr("%1, overpaid by %2").arg(state, formatMoney(payment.difference_minor(), currency));
        else if (payment.difference_minor() < 0)
            state = tr("%1, underpaid by %2").arg(state, formatMoney(-payment.difference_minor(), currency));
        if (payment.paid_order())
            state = tr("%1, paid the order").arg(state);
        else if (payment.refundable().minor_units() > 0) {
            const QString back = formatMoney(payment.refundable().minor_units(), currency);
            v1::RefundState refunded = v1::REFUND_STATE_FAILED;
            for (const v1::Refund &refund : found.refunds()) {
                if (refund.payment_id() == payment.payment_id() && refund.state() != v1::REFUND_STATE_FAILED)
                    refunded = refund.state();
            }
            state = refunded == v1::REFUND_STATE_SUCCEEDED ? tr("%1, %2 given back").arg(state, back)
                    : refunded == v1::REFUND_STATE_PENDING ? tr("%1, %2 being given back").arg(state, back)
                                                           : tr("%1, %2 to give back").arg(state, back);
        }
        item->setText(State, state);
        item->setText(Channel, QStringLiteral("%1 · %2").arg(QString::fromStdString(payment.channel_id()),
                                                              PaymentText::providerName(payment.provider())));
        item->setText(Amount, formatMoney(payment.amount().minor_units(), currency));
        item->setText(ProviderIds, tr("ours %1 · theirs %2")
                                       .arg(orDash(payment.out_trade_no()), orDash(payment.provider_payment_id())));
        item->setText(PayUrl, QString::fromStdString(payment.pay_url()));
        item->setText(RouteReason, QString::fromStdString(payment.route_reason()));
        item->setToolTip(RouteReason, QString::fromStdString(payment.route_reason()));
        item->setText(Detail, QString::fromStdString(payment.detail()));
        item->setToolTip(Detail, tr("created %1 · updated %2 · expires %3")
                                     .arg(PaymentText::time(payment.created_at()), PaymentText::time(payment.updated_at()),
                                          PaymentText::time(payment.expires_at())));
    }
    for (const v1::Refund &refund : found.refunds()) {
        auto *item = new QTreeWidgetItem(m_refunds);
        item->setText(RefundId, QString::number(refund.refund_id()));
        item->setText(RefundPayment, QString::number(refund.payment_id()));
        item->setText(RefundState, PaymentText::refundState(refund.state()));
        item->setText(RefundAmount,
                      formatMoney(refund.amount().minor_units(), QString::fromStdString(refund.amount().currency())));
        item->setText(RefundNumbers,
                      tr("ours %1 · theirs %2").arg(orDash(refund.out_refund_no()), orDash(refund.provider_refund_id())));
        item->setText(RefundReason, QString::fromStdString(refund.reason()));
        item->setText(RefundDetail, QString::fromStdString(refund.detail()));
    }
    for (int column = 0; column < PaymentColumns; ++column)
        m_payments->resizeColumnToContents(column);
    for (int column = 0; column < RefundColumns; ++column)
        m_refunds->resizeColumnToContents(column);
    QString summary = found.payments_size() == 0 ? tr("Order %1 has no payment yet.").arg(found.order_id())
                                                 : tr("Order %1: %2 payments, %3 refunds.")
                                                       .arg(found.order_id())
                                                       .arg(found.payments_size())
                                                       .arg(found.refunds_size());
    for (const v1::Payment &payment : found.payments()) {
        if (payment.refundable().minor_units() <= 0)
            continue;
        bool refunding = false;
        for (const v1::Refund &refund : found.refunds())
            refunding = refunding || (refund.payment_id() == payment.payment_id() &&
                                      refund.state() != v1::REFUND_STATE_FAILED);
        if (!refunding) {
            summary += QLatin1Char(' ') +
                       tr("Payment %1 took %2 that did not pay the order: select it and choose Refund payment… to "
                          "give it back.")
                           .arg(payment.payment_id())
                           .arg(formatMoney(payment.refundable().minor_units(),
                                            QString::fromStdString(payment.refundable().currency())));
            break;
        }
    }
    m_summary->setText(summary);
    updateRefund();
}

const v1::Payment *OrderLookupTab::selectedRefundable() const
{
    const QTreeWidgetItem *item = m_payments->currentItem();
    if (!m_shown || item == nullptr)
        return nullptr;
    const qint64 id = item->data(PaymentId, Qt::UserRole).toLongLong();
    for (const v1::Payment &payment : m_shown->payments()) {
        if (payment.payment_id() != id || payment.refundable().minor_units() <= 0)
            continue;
        for (const v1::Refund &refund : m_shown->refunds()) {
            if (refund.payment_id() == id && refund.state() != v1::REFUND_STATE_FAILED)
                return nullptr;
        }
        return &payment;
    }
    return nullptr;
}

void OrderLookupTab::updateRefund()
{
    bool paid = false;
    bool refunding = false;
    bool stray = false;
    if (m_shown) {
        std::int64_t paying = 0;
        for (const v1::Payment &payment : m_shown->payments()) {
            if (payment.paid_order())
                paying = payment.payment_id();
            stray = stray || payment.refundable().minor_units() > 0;
        }
        paid = paying != 0;
        for (const v1::Refund &refund : m_shown->refunds())
            refunding = refunding || (refund.payment_id() == paying && (refund.state() == v1::REFUND_STATE_PENDING ||
                                                                        refund.state() == v1::REFUND_STATE_SUCCEEDED));
    }
    const bool allowed = EnvironmentPolicy::allowsEditing(this);
    m_refund->setEnabled(allowed && paid && !refunding && !m_refunding);
    m_refund->setToolTip(!allowed   ? EnvironmentPolicy::editingBlockedText(this)
                         : !m_shown ? tr("Look up an order first.")
                         : !paid    ? tr("No payment through a channel paid this order.")
                         : refunding ? tr("The order is already refunded or being refunded.")
                                     : tr("Refunds the order through the channel that took the money."));
    const v1::Payment *selected = selectedRefundable();
    m_refundPayment->setVisible(stray);
    m_refundPayment->setEnabled(allowed && selected != nullptr && !m_refunding);
    m_refundPayment->setToolTip(
        !allowed     ? EnvironmentPolicy::editingBlockedText(this)
        : !selected  ? tr("Select a payment that took money which did not pay the order, and is not being refunded.")
                     : tr("Gives back the %1 payment %2 took, through its channel; the order does not change.")
                           .arg(formatMoney(selected->refundable().minor_units(),
                                            QString::fromStdString(selected->refundable().currency())))
                           .arg(selected->payment_id()));
}

bool OrderLookupTab::selectPayment(qint64 paymentId)
{
    for (int row = 0; row < m_payments->topLevelItemCount(); ++row) {
        QTreeWidgetItem *item = m_payments->topLevelItem(row);
        if (item->data(PaymentId, Qt::UserRole).toLongLong() == paymentId) {
            m_payments->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

void OrderLookupTab::askRefundPayment()
{
    const v1::Payment *payment = selectedRefundable();
    if (!m_shown || payment == nullptr)
        return;
    const qint64 paymentId = payment->payment_id();
    const QString amount =
        formatMoney(payment->refundable().minor_units(), QString::fromStdString(payment->refundable().currency()));
    const std::optional<QString> reason = m_askReason(
        tr("Refund payment %1 of order %2").arg(paymentId).arg(m_shown->order_id()),
        tr("Why give it back? (required; it is kept in the audit log)"),
        tr("%1 goes back through the channel that took it. The order does not change.").arg(amount),
        tr("Refund payment"));
    if (reason)
        refund(*reason, paymentId);
}

void OrderLookupTab::askRefund()
{
    if (!m_shown)
        return;
    const std::optional<QString> reason = m_askReason(
        tr("Refund order %1").arg(m_shown->order_id()), tr("Why refund it? (required; it is kept in the audit log)"),
        tr("The money goes back through the channel that took it. The order becomes refunded only when the provider "
           "confirms."),
        tr("Refund"));
    if (reason)
        refund(*reason);
}

bool OrderLookupTab::refund(const QString &reason, qint64 paymentId)
{
    if (!m_shown)
        return false;
    if (reason.trimmed().isEmpty()) {
        m_message->showMessage(tr("A refund needs a reason; nothing was refunded."), true);
        return false;
    }
    const qint64 orderId = m_shown->order_id();
    m_refunding = true;
    updateRefund();
    m_client->refund(orderId, paymentId, reason.trimmed(), [this, orderId, paymentId](const grpc::Status &status,
                                                                                      const v1::Refund &refund) {
        m_refunding = false;
        if (!status.ok()) {
            showError(paymentId == 0 ? tr("Order %1 was not refunded").arg(orderId)
                                     : tr("Payment %1 of order %2 was not refunded").arg(paymentId).arg(orderId),
                      status);
            updateRefund();
            Q_EMIT refundFinished(false);
            return;
        }
        const QString amount =
            formatMoney(refund.amount().minor_units(), QString::fromStdString(refund.amount().currency()));
        const bool confirmed = refund.state() == v1::REFUND_STATE_SUCCEEDED;
        QString message;
        if (paymentId != 0)
            message = confirmed ? tr("Refund %1 of %2 is confirmed by the provider: payment %3's money is back with "
                                     "the buyer.")
                                : tr("Refund %1 of %2 is pending: payment %3's money goes back when the provider "
                                     "confirms it.");
        else
            message = confirmed ? tr("Refund %1 of %2 is confirmed by the provider: order %3 is refunded.")
                                : tr("Refund %1 of %2 is pending: order %3 becomes refunded when the provider "
                                     "confirms it.");
        m_message->showMessage(
            message.arg(refund.refund_id()).arg(amount).arg(paymentId != 0 ? paymentId : orderId), false);
        if (m_shown && m_shown->order_id() == orderId) {
            // Shown at once, newest first as listed; the next look-up reads it back.
            v1::OrderPayments updated = *m_shown;
            updated.clear_refunds();
            *updated.add_refunds() = refund;
            for (const v1::Refund &earlier : m_shown->refunds())
                *updated.add_refunds() = earlier;
            showOrder(updated);
        }
        Q_EMIT refundFinished(true);
    });
    return true;
}

void OrderLookupTab::showError(const QString &what, const grpc::Status &status)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::UNIMPLEMENTED:
        m_message->showMessage(tr("%1: %2").arg(what, ChannelText::unimplemented()), true);
        break;
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
        m_message->showMessage(tr("%1: %2").arg(what, detail), true);
        break;
    case grpc::StatusCode::PERMISSION_DENIED:
        m_message->showMessage(tr("%1: the backend says your role may not do this (%2).").arg(what, detail), true);
        break;
    default:
        m_message->showMessage(tr("%1. %2").arg(what, BackendConnection::explain(status)), true);
        break;
    }
}

int OrderLookupTab::paymentCount() const
{
    return m_payments->topLevelItemCount();
}

QString OrderLookupTab::paymentText(int row, PaymentColumn column) const
{
    const QTreeWidgetItem *item = m_payments->topLevelItem(row);
    return item ? item->text(column) : QString();
}

int OrderLookupTab::refundCount() const
{
    return m_refunds->topLevelItemCount();
}

QString OrderLookupTab::refundText(int row, RefundColumn column) const
{
    const QTreeWidgetItem *item = m_refunds->topLevelItem(row);
    return item ? item->text(column) : QString();
}

QString OrderLookupTab::summaryText() const
{
    return m_summary->text();
}

QString OrderLookupTab::messageText() const
{
    return m_message->text();
}

} // namespace flywheel::ui
