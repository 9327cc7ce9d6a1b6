#pragma once

#include "metrics/Registry.h"

#include <string>
#include <vector>

namespace flywheel {

struct JournalEntry;

/// The business counters of flywheeld (docs/operations.md, "Metrics"): orders by
/// event, GMV and refunds in minor units, subsidy decisions, segment messages, invite
/// clicks and refusals, commission transitions, illegal order transitions, payment
/// notifications. Each child is looked up once here, so recording is one atomic add.
/// Gauges read from the parts at scrape time are registered by the wiring.
class BusinessMetrics final {
public:
    BusinessMetrics(metrics::Registry &registry, const std::string &currency);

    /// The order writer's commit listener: created, paid, cancelled, expired and
    /// refunded orders, GMV, refunds and subsidy decisions, once each, after commit.
    void committed(const std::vector<JournalEntry> &entries);

    metrics::Family<metrics::Counter> &illegalTransitions; // {from, to}
    metrics::Family<metrics::Counter> &segmentMessages;    // {channel, outcome}
    metrics::Counter &inviteClicks;
    metrics::Family<metrics::Counter> &inviteRefusals;       // {reason}
    metrics::Family<metrics::Counter> &commissionTransitions; // {to}
    metrics::Counter &commissionRefused;
    metrics::Counter &subsidySpent;
    metrics::Family<metrics::Counter> &paymentNotifications; // {channel, outcome}

private:
    metrics::Family<metrics::Counter> &m_orders;
    metrics::Counter &m_created;
    metrics::Counter &m_paid;
    metrics::Counter &m_cancelled;
    metrics::Counter &m_expired;
    metrics::Counter &m_refunded;
    metrics::Counter &m_gmv;
    metrics::Counter &m_refundedMinor;
    metrics::Family<metrics::Counter> &m_subsidyDecisions; // {outcome}
};

} // namespace flywheel
