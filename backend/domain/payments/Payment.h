#pragma once

#include "domain/Clock.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::payments {

/// created -> pending -> succeeded | failed | expired; created -> failed (the provider
/// refused it). Only these; a payment that reached an end state never changes again.
enum class PaymentState { Created = 1, Pending = 2, Succeeded = 3, Failed = 4, Expired = 5 };
enum class RefundState { Pending = 1, Succeeded = 2, Failed = 3 };

std::string_view paymentStateName(PaymentState state);
std::string_view refundStateName(RefundState state);
/// Whether `from -> to` is allowed (the list above).
bool paymentTransitionAllowed(PaymentState from, PaymentState to);
inline bool isFinal(PaymentState s)
{
    return s == PaymentState::Succeeded || s == PaymentState::Failed || s == PaymentState::Expired;
}

/// One attempt to pay one order through one channel.
struct Payment {
    std::int64_t id = 0;
    std::int64_t orderId = 0;
    std::string channelId;
    std::string provider;
    std::int64_t amountMinor = 0;
    std::string currency;
    PaymentState state = PaymentState::Created;
    /// Our id at the provider: "FW<order id>-<payment id, 4+ digits>" (unique per attempt).
    std::string outTradeNo;
    /// The provider's id (transaction_id, trade_no, invoice id); empty until known.
    std::string providerPaymentId;
    std::string payUrl;
    /// Why this channel (the router's explanation).
    std::string routeReason;
    /// Why it failed or expired, or what needs attention.
    std::string detail;
    /// Crypto: paid minus due, in minor units (over- and under-payment); 0 when exact.
    std::int64_t differenceMinor = 0;
    bool confirming = false;
    /// Its success paid its order (created -> paid in the same transaction). At most
    /// one payment per order has it (the database's unique index); a payment that
    /// succeeded without it took money that did not pay the order (strayMinor).
    bool paidOrder = false;
    TimePoint createdAt;
    TimePoint updatedAt;
    /// When it is given up unless paid (the order's reservation).
    TimePoint expiresAt;
};

/// Written into a payment's detail by adapters whose provider took money after the
/// payment expired (BTCPay's PaidLate): strayMinor reads it.
inline constexpr std::string_view kPaidLateMarker = "paid late";
/// Written with it when the provider did not report how much was paid.
inline constexpr std::string_view kPaidAmountUnknownMarker = "paid amount not reported";

/// Money `payment` took that did not pay its order and is owed back to the buyer, in
/// minor units; 0 when none:
/// - it succeeded but did not pay the order (the order was already paid by another
///   payment, cancelled or expired): its amount, and any surplus;
/// - it expired or failed after money arrived: paid late (the amount paid; nothing when
///   the provider did not say how much, which is then refunded at the provider), or
///   partly paid (what was paid).
/// The payment that paid its order is refunded with the order, not by this.
std::int64_t strayMinor(const Payment &payment);

struct Refund {
    std::int64_t id = 0;
    std::int64_t paymentId = 0;
    std::int64_t orderId = 0;
    std::int64_t amountMinor = 0;
    std::string currency;
    RefundState state = RefundState::Pending;
    /// Our refund number at the provider: "R<order id>-<refund id>".
    std::string outRefundNo;
    std::string providerRefundId;
    std::string reason;
    std::string detail;
    TimePoint createdAt;
    TimePoint updatedAt;
};

/// Why a provider notification was refused, for the console's list and the counters.
enum class RefusalReason {
    BadSignature,
    Stale,
    UnknownSerial,
    BadCiphertext,
    AmountMismatch,
    UnknownOrder,
    Malformed,
    WrongMerchant,
    UnknownChannel,
    /// Verified, but the payment can no longer change: it had failed or expired
    /// when the provider reported it paid (the money must be refunded at the provider).
    NotPayable,
};
std::string_view refusalReasonName(RefusalReason reason);

struct RefusedNotification {
    TimePoint at;
    std::string channelId;
    std::string provider;
    RefusalReason reason = RefusalReason::Malformed;
    std::string detail;
    std::string notificationId;
    std::int64_t orderId = 0;
    std::string peer;
};

} // namespace flywheel::payments
