#include "domain/payments/Router.h"

#include "domain/payments/Decimal.h"

#include <algorithm>
#include <tuple>

namespace flywheel::payments {

namespace {

constexpr std::int64_t kMinuteMs = 60000;
/// Buckets kept per channel: a day of minutes.
constexpr std::int64_t kKeptMinutes = 24 * 60;

std::int64_t minuteOf(std::int64_t ms)
{
    return ms >= 0 ? ms / kMinuteMs : -((-ms + kMinuteMs - 1) / kMinuteMs);
}

/// 60 -> "0.60%" (fees: always two decimals).
std::string feePercent(int bp)
{
    return formatMinorDecimal(bp, 2) + "%";
}

/// 8000 -> "80%", 8050 -> "80.5%" (rates and floors: no trailing zeros).
std::string ratePercent(int bp)
{
    std::string text = formatMinorDecimal(bp, 2);
    while (text.back() == '0')
        text.pop_back();
    if (text.back() == '.')
        text.pop_back();
    return text + "%";
}

/// amount * bp / 10000, rounded half up, without overflowing for any amount.
std::int64_t feeOf(std::int64_t amount, int bp)
{
    return amount / 10000 * bp + (amount % 10000 * bp + 5000) / 10000;
}

} // namespace

void SuccessWindow::record(const std::string &channelId, bool succeeded, TimePoint at)
{
    const std::int64_t minute = minuteOf(toEpochMs(at));
    const std::lock_guard lock(m_mutex);
    auto &buckets = m_buckets[channelId];
    Rate &rate = buckets[minute];
    ++rate.attempts;
    if (succeeded)
        ++rate.succeeded;
    buckets.erase(buckets.begin(), buckets.lower_bound(minute - kKeptMinutes));
}

SuccessWindow::Rate SuccessWindow::rate(const std::string &channelId, TimePoint now, Milliseconds window) const
{
    const std::int64_t nowMs = toEpochMs(now);
    // The minutes (now - window, now]: the window's first whole minute after its start, to now's.
    const std::int64_t first = minuteOf(nowMs - window.count()) + 1;
    const std::int64_t last = minuteOf(nowMs);
    const std::lock_guard lock(m_mutex);
    Rate total;
    const auto found = m_buckets.find(channelId);
    if (found == m_buckets.end())
        return total;
    for (auto it = found->second.lower_bound(first); it != found->second.end() && it->first <= last; ++it) {
        total.attempts += it->second.attempts;
        total.succeeded += it->second.succeeded;
    }
    return total;
}

RouteDecision route(const ChannelConfig &config, std::int64_t amountMinor, const std::string &currency,
                    const SuccessWindow &window, TimePoint now, const std::map<std::string, std::string> &unusable)
{
    const int digits = currencyFractionDigits(currency);
    const Milliseconds span(std::int64_t{config.successWindowMinutes} * kMinuteMs);
    struct Ranked {
        RouteCandidate candidate;
        const ChannelSettings *settings = nullptr;
    };
    std::vector<Ranked> eligible;
    std::vector<RouteCandidate> passedOver;
    for (const ChannelSettings &c : config.channels) {
        RouteCandidate candidate;
        candidate.channelId = c.id;
        candidate.feeMinor = feeOf(amountMinor, c.feeBp);
        const SuccessWindow::Rate rate = window.rate(c.id, now, span);
        if (rate.attempts > 0 && rate.attempts >= c.minAttempts)
            candidate.successRateBp = static_cast<int>(rate.succeeded * 10000 / rate.attempts);
        const auto unusableReason = unusable.find(c.id);
        if (!c.enabled)
            candidate.reason = "disabled";
        else if (unusableReason != unusable.end())
            candidate.reason = unusableReason->second;
        else if (std::find(c.currencies.begin(), c.currencies.end(), currency) == c.currencies.end())
            candidate.reason = "does not take " + currency;
        else if (amountMinor < c.minAmountMinor)
            candidate.reason = "below its minimum " + formatMinorDecimal(c.minAmountMinor, digits);
        else if (c.maxAmountMinor != 0 && amountMinor > c.maxAmountMinor)
            candidate.reason = "above its maximum " + formatMinorDecimal(c.maxAmountMinor, digits);
        else
            candidate.eligible = true;
        if (!candidate.eligible) {
            passedOver.push_back(std::move(candidate));
            continue;
        }
        candidate.demoted =
            c.successFloorBp > 0 && candidate.successRateBp >= 0 && candidate.successRateBp < c.successFloorBp;
        candidate.reason = candidate.demoted
                               ? "success rate " + ratePercent(candidate.successRateBp) + " below its floor " +
                                     ratePercent(c.successFloorBp) + " (" + std::to_string(rate.succeeded) + " of " +
                                     std::to_string(rate.attempts) + " recent payments)"
                               : "priority " + std::to_string(c.priority) + ", fee " + feePercent(c.feeBp);
        eligible.push_back(Ranked{std::move(candidate), &c});
    }
    std::stable_sort(eligible.begin(), eligible.end(), [](const Ranked &a, const Ranked &b) {
        return std::tuple(a.candidate.demoted, a.settings->priority, a.settings->feeBp, a.settings->id) <
               std::tuple(b.candidate.demoted, b.settings->priority, b.settings->feeBp, b.settings->id);
    });

    RouteDecision decision;
    std::string explanation;
    const auto clause = [&explanation](const std::string &text) {
        explanation += (explanation.empty() ? "" : "; ") + text;
    };
    for (std::size_t i = 0; i < eligible.size(); ++i) {
        const RouteCandidate &candidate = eligible[i].candidate;
        const ChannelSettings &c = *eligible[i].settings;
        decision.order.push_back(candidate.channelId);
        const std::string standing = "priority " + std::to_string(c.priority) + ", fee " + feePercent(c.feeBp);
        if (i == 0) {
            clause(c.id + ": first of " + std::to_string(eligible.size()) + " eligible (" + standing + ")" +
                   (candidate.demoted ? ", though its " + candidate.reason : std::string()));
        } else if (candidate.demoted) {
            clause(c.id + " tried after the others: " + candidate.reason);
        } else {
            const ChannelSettings &before = *eligible[i - 1].settings;
            const bool byFee = !eligible[i - 1].candidate.demoted && before.priority == c.priority;
            clause(c.id + " next (" + standing + (byFee && before.feeBp < c.feeBp ? ", a higher fee" : "") + ")");
        }
    }
    if (eligible.empty())
        clause("no channel takes " + formatMinorDecimal(amountMinor, digits) + " " + currency);
    for (Ranked &ranked : eligible)
        decision.candidates.push_back(std::move(ranked.candidate));
    for (RouteCandidate &candidate : passedOver) {
        clause(candidate.channelId + " passed over: " + candidate.reason);
        decision.candidates.push_back(std::move(candidate));
    }
    decision.explanation = std::move(explanation);
    return decision;
}

} // namespace flywheel::payments
