#pragma once

#include "domain/Money.h"
#include "domain/subsidy/Decision.h"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace flywheel::subsidy {

/// A budget at 90 %: the business signal later alerting reads.
struct BudgetSignal {
    std::string campaignId;
    /// The UTC day (utcDay) whose spend crossed 90 % of the daily or total budget.
    std::int64_t day = 0;
    /// "total" or "daily".
    std::string which;
    Money spent;
    Money budget;
};

/// What a campaign has spent: in total and per UTC day.
struct CampaignSpent {
    Money total;
    Money today;
};

/// Campaign spend, reserved atomically: a reservation succeeds only when it keeps
/// the campaign within its total and the day within its daily budget, so concurrent
/// reservations never exceed either. Given back when a grant is released.
/// Thread-safe; one short lock per call.
class BudgetBook final {
public:
    /// Reserves `amount` of campaign `id` on `day` against `total` and `daily`.
    /// Granted on success; TotalBudgetExhausted or DailyBudgetExhausted (and nothing
    /// reserved) otherwise. `crossed90` is set when this reservation took the total
    /// or the day to 90 % or more for the first time.
    Reason reserve(const std::string &id, std::int64_t day, Money amount, Money total, Money daily,
                   std::vector<BudgetSignal> *crossed90 = nullptr);
    /// Gives back a reservation (a released grant).
    void release(const std::string &id, std::int64_t day, Money amount);
    /// Start-up: spend as stored.
    void restore(const std::string &id, std::int64_t day, Money amount);

    CampaignSpent spent(const std::string &id, std::int64_t today) const;
    /// Every 90 % signal so far, oldest first.
    std::vector<BudgetSignal> signals() const;

private:
    struct Campaign {
        std::int64_t total = 0;
        std::map<std::int64_t, std::int64_t> days;
        /// Days whose 90 % signal was given; -1: the total's.
        std::map<std::int64_t, bool> signalled;
    };
    mutable std::mutex m_mutex;
    std::map<std::string, Campaign, std::less<>> m_campaigns;
    std::vector<BudgetSignal> m_signals;
};

} // namespace flywheel::subsidy
