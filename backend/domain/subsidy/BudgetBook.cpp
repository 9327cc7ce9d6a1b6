#include "domain/subsidy/BudgetBook.h"

namespace flywheel::subsidy {

namespace {

bool atNinety(std::int64_t spent, std::int64_t budget)
{
    // spent >= 0.9 × budget, in integers.
    return budget > 0 && spent * 10 >= budget * 9;
}

} // namespace

Reason BudgetBook::reserve(const std::string &id, std::int64_t day, Money amount, Money total, Money daily,
                           std::vector<BudgetSignal> *crossed90)
{
    const std::int64_t a = amount.minorUnits();
    const std::lock_guard lock(m_mutex);
    Campaign &c = m_campaigns[id];
    if (c.total + a > total.minorUnits())
        return Reason::TotalBudgetExhausted;
    std::int64_t &today = c.days[day];
    if (today + a > daily.minorUnits())
        return Reason::DailyBudgetExhausted;
    c.total += a;
    today += a;
    const auto signal = [&](std::int64_t key, const char *which, std::int64_t spent, Money budget) {
        if (!atNinety(spent, budget.minorUnits()) || c.signalled[key])
            return;
        c.signalled[key] = true;
        BudgetSignal s{id, day, which, Money(spent), budget};
        m_signals.push_back(s);
        if (crossed90 != nullptr)
            crossed90->push_back(std::move(s));
    };
    signal(-1, "total", c.total, total);
    signal(day, "daily", today, daily);
    return Reason::Granted;
}

void BudgetBook::release(const std::string &id, std::int64_t day, Money amount)
{
    const std::lock_guard lock(m_mutex);
    Campaign &c = m_campaigns[id];
    c.total -= amount.minorUnits();
    c.days[day] -= amount.minorUnits();
}

void BudgetBook::restore(const std::string &id, std::int64_t day, Money amount)
{
    const std::lock_guard lock(m_mutex);
    Campaign &c = m_campaigns[id];
    c.total += amount.minorUnits();
    c.days[day] += amount.minorUnits();
}

CampaignSpent BudgetBook::spent(const std::string &id, std::int64_t today) const
{
    const std::lock_guard lock(m_mutex);
    const auto found = m_campaigns.find(id);
    if (found == m_campaigns.end())
        return {};
    const auto day = found->second.days.find(today);
    return {Money(found->second.total), Money(day == found->second.days.end() ? 0 : day->second)};
}

std::vector<BudgetSignal> BudgetBook::signals() const
{
    const std::lock_guard lock(m_mutex);
    return m_signals;
}

} // namespace flywheel::subsidy
