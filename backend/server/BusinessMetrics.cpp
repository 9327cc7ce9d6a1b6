#include "server/BusinessMetrics.h"

#include "domain/subsidy/Decision.h"
#include "storage/OrderStore.h"

namespace flywheel {

BusinessMetrics::BusinessMetrics(metrics::Registry &r, const std::string &currency)
    : illegalTransitions(r.counter("flywheel_illegal_order_transitions_total",
                                   "Order state changes refused as illegal (paid -> cancelled and the like), by the "
                                   "state the order was in and the one asked for.",
                                   {"from", "to"})),
      segmentMessages(r.counter("flywheel_segment_messages_total",
                                "Segment reach messages handed to their channel's sender, by channel and outcome "
                                "(sent or failed).",
                                {"channel", "outcome"})),
      inviteClicks(r.counter("flywheel_invite_clicks_total", "Invite link clicks that issued an invite token.").get()),
      inviteRefusals(r.counter("flywheel_invite_refusals_total",
                               "Invite clicks and registrations refused by the anti-fraud rules, by reason.",
                               {"reason"})),
      commissionTransitions(r.counter("flywheel_commission_transitions_total",
                                      "Referral commissions moved to a state (stored), by the state.", {"to"})),
      commissionRefused(r.counter("flywheel_commission_refused_transitions_total",
                                  "Referral commission transitions refused: illegal, or refused by the database.")
                            .get()),
      subsidySpent(r.counter("flywheel_subsidy_spent_minor_units_total",
                             "First-order subsidies redeemed by paid orders, in minor units of the currency.",
                             {"currency"})
                       .with({currency})),
      paymentNotifications(r.counter("flywheel_payment_notifications_total",
                                     "Payment provider notifications, by channel and outcome (applied, duplicate, "
                                     "refused, failed).",
                                     {"channel", "outcome"})),
      m_orders(r.counter("flywheel_orders_total",
                         "Orders by event, once stored: created, paid, cancelled, expired, refunded.", {"event"})),
      m_created(m_orders.with({"created"})), m_paid(m_orders.with({"paid"})),
      m_cancelled(m_orders.with({"cancelled"})), m_expired(m_orders.with({"expired"})),
      m_refunded(m_orders.with({"refunded"})),
      m_gmv(r.counter("flywheel_gmv_minor_units_total", "Totals of paid orders, in minor units of the currency.",
                      {"currency"})
                .with({currency})),
      m_refundedMinor(r.counter("flywheel_refunded_minor_units_total",
                                "Totals of refunded orders, in minor units of the currency.", {"currency"})
                          .with({currency})),
      m_subsidyDecisions(r.counter("flywheel_subsidy_decisions_total",
                                   "First-order subsidy decisions stored with their orders, by outcome (granted, or "
                                   "why not).",
                                   {"outcome"}))
{
}

void BusinessMetrics::committed(const std::vector<JournalEntry> &entries)
{
    for (const JournalEntry &entry : entries) {
        if (entry.newOrder)
            m_created.inc();
        if (entry.subsidyDecision)
            m_subsidyDecisions.with({subsidy::reasonName(entry.subsidyDecision->reason)}).inc();
        if (!entry.transition)
            continue;
        const auto amount = static_cast<std::uint64_t>(std::max<std::int64_t>(0, entry.transition->total.minorUnits()));
        switch (entry.transition->to) {
        case OrderStatus::Paid:
            m_paid.inc();
            m_gmv.inc(amount);
            break;
        case OrderStatus::Cancelled:
            m_cancelled.inc();
            break;
        case OrderStatus::Expired:
            m_expired.inc();
            break;
        case OrderStatus::Refunded:
            m_refunded.inc();
            m_refundedMinor.inc(amount);
            break;
        case OrderStatus::Created:
            break;
        }
    }
}

} // namespace flywheel
