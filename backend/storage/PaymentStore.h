#pragma once

#include "domain/payments/Payment.h"
#include "storage/DocumentStore.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace flywheel {

inline constexpr const char *kPaymentsArea = "payments";

/// A payment's change, written by OrderStore::appendJournal in the transaction of
/// the order's transition (created -> paid) so that the two are stored together,
/// or by PaymentStore::updatePayment alone. Guarded: applied only while the stored
/// payment is in one of `from`; otherwise the write is refused (StorageError), so
/// a payment settles once however many replicas see its notification.
struct PaymentChange {
    payments::Payment after;
    std::vector<payments::PaymentState> from;
};

/// A refund's change, written with the order's transition (paid -> refunded) or alone.
/// Guarded like PaymentChange.
struct RefundChange {
    payments::Refund after;
    payments::RefundState from = payments::RefundState::Pending;
};

/// Payments (docs/payments.md): the channel configuration's versions
/// (DocumentStore, area "payments"), the payments and refunds, the refused
/// notifications. Invariants the database enforces itself:
/// - a payment's (order id, idempotency key) and out_trade_no are unique;
/// - a payment leaves created/pending once (guarded update);
/// - at most one refund pending or succeeded per payment (partial unique index);
/// - a refund's out_refund_no is unique.
class PaymentStore : public virtual DocumentStore {
public:
    /// Stores a new payment and assigns its id (and, when empty, out_trade_no
    /// "FW<order>-<id>" with the id in at least four digits: WeChat wants 6-32
    /// characters). When (order id, idempotency key) is already stored, stores
    /// nothing and returns the stored payment with `created` false.
    struct Inserted {
        payments::Payment payment;
        bool created = false;
    };
    virtual Inserted insertPayment(const payments::Payment &payment, const std::string &idempotencyKey) = 0;
    /// Applies `change` when the stored payment is in one of change.from; false
    /// (nothing written) otherwise.
    virtual bool updatePayment(const PaymentChange &change) = 0;
    virtual std::optional<payments::Payment> loadPayment(std::int64_t paymentId) = 0;
    virtual std::optional<payments::Payment> findPaymentByOutTradeNo(const std::string &outTradeNo) = 0;
    /// The payment CreatePayment stored for (order, key); nullopt when there is none.
    virtual std::optional<payments::Payment> findPaymentByKey(std::int64_t orderId,
                                                              const std::string &idempotencyKey) = 0;
    /// Newest first.
    virtual std::vector<payments::Payment> loadOrderPayments(std::int64_t orderId) = 0;
    /// Payments still created or pending, oldest first (the query schedule at start).
    virtual std::vector<payments::Payment> loadOpenPayments() = 0;
    /// Payments that reached an end state at or after `since`, oldest first (the
    /// success-rate windows and charts at start).
    virtual std::vector<payments::Payment> loadPaymentsSettledSince(TimePoint since) = 0;

    /// Stores a new refund (pending) and assigns its id and out_refund_no
    /// "R<order>-<id>" when empty. StorageError when the payment already has a
    /// refund pending or succeeded (the database refuses it).
    virtual payments::Refund insertRefund(const payments::Refund &refund) = 0;
    virtual bool updateRefund(const RefundChange &change) = 0;
    virtual std::optional<payments::Refund> findRefundByOutRefundNo(const std::string &outRefundNo) = 0;
    virtual std::vector<payments::Refund> loadOrderRefunds(std::int64_t orderId) = 0;
    virtual std::vector<payments::Refund> loadPendingRefunds() = 0;

    virtual void recordRefusedNotification(const payments::RefusedNotification &refused) = 0;
    /// Newest first.
    virtual std::vector<payments::RefusedNotification> loadRefusedNotifications(int limit) = 0;
    /// Refusals per (channel, reason) since `since`.
    virtual std::vector<std::pair<std::pair<std::string, payments::RefusalReason>, std::int64_t>>
    loadRefusalCounts(TimePoint since) = 0;
};

} // namespace flywheel
