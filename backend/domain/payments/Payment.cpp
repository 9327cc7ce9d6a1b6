#include "domain/payments/Payment.h"

#include <algorithm>

namespace flywheel::payments {

std::string_view paymentStateName(PaymentState state)
{
    switch (state) {
    case PaymentState::Created:
        return "created";
    case PaymentState::Pending:
        return "pending";
    case PaymentState::Succeeded:
        return "succeeded";
    case PaymentState::Failed:
        return "failed";
    case PaymentState::Expired:
        return "expired";
    }
    return "unknown";
}

std::string_view refundStateName(RefundState state)
{
    switch (state) {
    case RefundState::Pending:
        return "pending";
    case RefundState::Succeeded:
        return "succeeded";
    case RefundState::Failed:
        return "failed";
    }
    return "unknown";
}

std::int64_t strayMinor(const Payment &payment)
{
    switch (payment.state) {
    case PaymentState::Succeeded:
        // What the provider took: the amount, more when overpaid, less when an operator
        // marked a partly paid invoice settled.
        return payment.paidOrder ? 0 : std::max<std::int64_t>(0, payment.amountMinor + payment.differenceMinor);
    case PaymentState::Expired:
    case PaymentState::Failed:
        if (payment.detail.find(kPaidLateMarker) != std::string::npos) {
            // How much arrived late is not known when the provider did not say: nothing is
            // offered, rather than an amount that may be more than was paid.
            if (payment.differenceMinor == 0 && payment.detail.find(kPaidAmountUnknownMarker) != std::string::npos)
                return 0;
            return std::max<std::int64_t>(0, payment.amountMinor + payment.differenceMinor);
        }
        // Partly paid: differenceMinor is what was paid minus what was due.
        if (payment.differenceMinor < 0)
            return std::max<std::int64_t>(0, payment.amountMinor + payment.differenceMinor);
        return 0;
    case PaymentState::Created:
    case PaymentState::Pending:
        return 0;
    }
    return 0;
}

bool paymentTransitionAllowed(PaymentState from, PaymentState to)
{
    switch (from) {
    case PaymentState::Created:
        return to == PaymentState::Pending || to == PaymentState::Failed;
    case PaymentState::Pending:
        return to == PaymentState::Succeeded || to == PaymentState::Failed || to == PaymentState::Expired;
    case PaymentState::Succeeded:
    case PaymentState::Failed:
    case PaymentState::Expired:
        return false;
    }
    return false;
}

std::string_view refusalReasonName(RefusalReason reason)
{
    switch (reason) {
    case RefusalReason::BadSignature:
        return "bad_signature";
    case RefusalReason::Stale:
        return "stale";
    case RefusalReason::UnknownSerial:
        return "unknown_serial";
    case RefusalReason::BadCiphertext:
        return "bad_ciphertext";
    case RefusalReason::AmountMismatch:
        return "amount_mismatch";
    case RefusalReason::UnknownOrder:
        return "unknown_order";
    case RefusalReason::Malformed:
        return "malformed";
    case RefusalReason::WrongMerchant:
        return "wrong_merchant";
    case RefusalReason::UnknownChannel:
        return "unknown_channel";
    case RefusalReason::NotPayable:
        return "not_payable";
    }
    return "unknown";
}

} // namespace flywheel::payments
