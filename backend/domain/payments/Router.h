#pragma once

#include "domain/Clock.h"
#include "domain/payments/ChannelConfig.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace flywheel::payments {

/// Per channel: recent final outcomes (succeeded; failed or expired) in one-minute
/// buckets over the config's success window. Thread-safe.
class SuccessWindow final {
public:
    void record(const std::string &channelId, bool succeeded, TimePoint at);
    struct Rate {
        std::int64_t attempts = 0;
        std::int64_t succeeded = 0;
    };
    /// Outcomes in (now - window, now].
    Rate rate(const std::string &channelId, TimePoint now, Milliseconds window) const;

private:
    mutable std::mutex m_mutex;
    /// Per channel: minute (epoch ms / 60000) -> counts. Buckets older than a day are dropped.
    std::map<std::string, std::map<std::int64_t, Rate>> m_buckets;
};

struct RouteCandidate {
    std::string channelId;
    bool eligible = false;
    /// Why it was passed over, or where it stands: "disabled", "does not take USD",
    /// "below its minimum 1.00", "above its maximum 5000.00", "success rate 42% below
    /// its floor 80% (12 of 29 recent payments)", "priority 1", "fee 0.60%".
    std::string reason;
    /// -1 when fewer than min_attempts outcomes.
    int successRateBp = -1;
    bool demoted = false;
    std::int64_t feeMinor = 0;
};

struct RouteDecision {
    /// The channels to try, in order (eligible ones only): the first is the choice,
    /// the rest the fallback when creating the payment fails at the provider.
    std::vector<std::string> order;
    /// Every channel of the config: the eligible ones first, in `order`, then the others.
    std::vector<RouteCandidate> candidates;
    /// One sentence in English for the payment record and logs; the console builds
    /// its own (translated) sentence from `candidates`.
    std::string explanation;
};

/// Routing (docs/payments.md): eligible = enabled ∧ takes the currency ∧ min <= amount
/// <= max (max 0: none) ∧ not in `unusable` (channel id -> why, e.g. "credential
/// apiv3_key missing: no such file ..."; the manager's adapters that could not be
/// built); then ordered by (not demoted, priority,
/// fee, id), where a channel is demoted while its success rate over the window, with
/// at least min_attempts outcomes, is below its success floor. A demoted channel is
/// still tried, after the others.
RouteDecision route(const ChannelConfig &config, std::int64_t amountMinor, const std::string &currency,
                    const SuccessWindow &window, TimePoint now,
                    const std::map<std::string, std::string> &unusable = {});

} // namespace flywheel::payments
