#include "domain/segments/SegmentSet.h"

#include <algorithm>
#include <set>

namespace flywheel::segments {

namespace {

constexpr std::size_t kMaxSegments = 200;

bool validId(const std::string &id)
{
    return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    });
}

Error invalid(std::string message)
{
    return Error{ErrorCode::InvalidArgument, std::move(message)};
}

} // namespace

const char *channelName(Channel channel)
{
    switch (channel) {
    case Channel::Push:
        return "push";
    case Channel::Sms:
        return "sms";
    case Channel::InApp:
        return "in_app";
    }
    return "?";
}

const char *capPeriodName(CapPeriod period)
{
    return period == CapPeriod::Day ? "day" : "week";
}

Result<std::shared_ptr<const CompiledSegmentSet>> compileSegmentSet(SegmentSet set, std::int64_t version,
                                                                    Dictionary &dictionary)
{
    if (set.segments.size() > kMaxSegments)
        return invalid("at most " + std::to_string(kMaxSegments) + " segments, not " +
                       std::to_string(set.segments.size()));
    auto compiled = std::make_shared<CompiledSegmentSet>();
    compiled->version = version;
    compiled->set = std::move(set);
    const ReachPolicy &policy = compiled->set.policy;
    if (policy.holdoutPercent < 0 || policy.holdoutPercent > 50)
        return invalid("holdout must be 0 to 50 percent, not " + std::to_string(policy.holdoutPercent));
    if (policy.rateLimitPerSecond < 0 || policy.rateLimitPerSecond > 1000000)
        return invalid("the rate limit must be 0 (none) to 1000000 messages per second, not " +
                       std::to_string(policy.rateLimitPerSecond));
    if (!policy.seedExpression.empty()) {
        auto seed = compileExpression(policy.seedExpression, dictionary);
        if (const auto *error = std::get_if<ExpressionError>(&seed))
            return invalid("seed user expression: " + error->text());
        compiled->seed = std::get<Expression>(std::move(seed));
    }
    std::set<std::string> ids;
    for (std::size_t i = 0; i < compiled->set.segments.size(); ++i) {
        const Segment &s = compiled->set.segments[i];
        const std::string where =
            "segment " + std::to_string(i + 1) + (s.id.empty() ? "" : " ('" + s.id.substr(0, 64) + "')");
        if (!validId(s.id))
            return invalid(where + ": the id must be 1-64 characters of a-z, 0-9, _ and -");
        if (!ids.insert(s.id).second)
            return invalid(where + ": the id is used by an earlier segment");
        if (s.name.empty() || s.name.size() > 200)
            return invalid(where + ": the name must be 1-200 characters");
        if (s.capCount < 1 || s.capCount > 100)
            return invalid(where + ": the frequency cap must be 1 to 100 messages per " + capPeriodName(s.capPeriod) +
                           ", not " + std::to_string(s.capCount));
        if (s.channels.empty())
            return invalid(where + ": it needs at least one channel");
        for (std::size_t c = 0; c < s.channels.size(); ++c) {
            if (std::find(s.channels.begin(), s.channels.begin() + static_cast<std::ptrdiff_t>(c), s.channels[c]) !=
                s.channels.begin() + static_cast<std::ptrdiff_t>(c))
                return invalid(where + ": channel " + channelName(s.channels[c]) + " is listed twice");
        }
        auto expression = compileExpression(s.expression, dictionary);
        if (const auto *error = std::get_if<ExpressionError>(&expression))
            return invalid(where + ": expression " + error->text());
        if (s.enabled)
            compiled->ordered.emplace_back(&s, std::get<Expression>(std::move(expression)));
    }
    std::stable_sort(compiled->ordered.begin(), compiled->ordered.end(),
                     [](const auto &a, const auto &b) { return a.first->priority > b.first->priority; });
    return std::shared_ptr<const CompiledSegmentSet>(std::move(compiled));
}

} // namespace flywheel::segments
