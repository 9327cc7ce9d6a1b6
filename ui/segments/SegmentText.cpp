#include "segments/SegmentText.h"

#include "client/BackendConnection.h"

#include <grpcpp/support/status.h>

#include <map>

namespace flywheel::ui {

QString SegmentText::channelName(v1::ReachChannel channel)
{
    switch (channel) {
    case v1::REACH_CHANNEL_PUSH:
        return tr("push");
    case v1::REACH_CHANNEL_SMS:
        return tr("SMS");
    case v1::REACH_CHANNEL_IN_APP:
        return tr("in-app");
    default:
        return tr("unknown channel");
    }
}

QString SegmentText::channels(const google::protobuf::RepeatedField<int> &channels)
{
    QStringList names;
    for (const int channel : channels)
        names.append(channelName(static_cast<v1::ReachChannel>(channel)));
    return names.isEmpty() ? tr("none") : names.join(QStringLiteral(" → "));
}

QString SegmentText::cap(int count, v1::CapPeriod period)
{
    return period == v1::CAP_PERIOD_WEEK ? tr("%1 per week").arg(count) : tr("%1 per day").arg(count);
}

QString SegmentText::outcomeName(v1::ReachOutcome outcome)
{
    switch (outcome) {
    case v1::REACH_OUTCOME_REACH:
        return tr("Would be reached");
    case v1::REACH_OUTCOME_GENERIC:
        return tr("Not a seed user");
    case v1::REACH_OUTCOME_NO_SEGMENT:
        return tr("No segment matches");
    case v1::REACH_OUTCOME_CAPPED:
        return tr("Frequency cap reached");
    case v1::REACH_OUTCOME_RATE_LIMITED:
        return tr("Rate limit reached");
    case v1::REACH_OUTCOME_HELD_OUT:
        return tr("Held out");
    default:
        return tr("Unknown outcome");
    }
}

QString SegmentText::outcomeMeaning(const v1::ReachDecision &decision)
{
    const QString segment = QString::fromStdString(decision.segment_id());
    switch (decision.outcome()) {
    case v1::REACH_OUTCOME_REACH:
        return tr("A message for segment %1 would be sent now by %2.").arg(segment, channelName(decision.channel()));
    case v1::REACH_OUTCOME_GENERIC:
        return tr("The seed-user expression does not match this user, so the generic strategy applies instead of "
                  "the segments.");
    case v1::REACH_OUTCOME_NO_SEGMENT:
        return tr("This is a seed user, but no enabled segment matches them: nothing would be sent.");
    case v1::REACH_OUTCOME_CAPPED:
        return tr("Segment %1 matches, but every one of its channels has reached its frequency cap for this user: "
                  "nothing would be sent.")
            .arg(segment);
    case v1::REACH_OUTCOME_RATE_LIMITED:
        return tr("Segment %1 matches, but the messages-per-second limit is reached right now: try again later.")
            .arg(segment);
    case v1::REACH_OUTCOME_HELD_OUT:
        return tr("Segment %1 matches, but this user is in the holdout group that is deliberately never messaged "
                  "(to measure the effect).")
            .arg(segment);
    default:
        return tr("The backend gave no decision.");
    }
}

QString SegmentText::seedExpression(const v1::ReachPolicy &policy)
{
    return policy.seed_expression().empty() ? tr("every user") : QString::fromStdString(policy.seed_expression());
}

namespace {

QString quoted(const std::string &text)
{
    return SegmentText::tr("“%1”").arg(QString::fromStdString(text));
}

QString enabledText(bool enabled)
{
    return enabled ? SegmentText::tr("enabled") : SegmentText::tr("disabled");
}

} // namespace

QStringList SegmentText::diff(const v1::SegmentSetVersion &before, const v1::SegmentSetVersion &after)
{
    QStringList lines;
    std::map<std::string, const v1::Segment *> old;
    for (const v1::Segment &segment : before.segments())
        old.emplace(segment.id(), &segment);
    std::map<std::string, const v1::Segment *> now;
    for (const v1::Segment &segment : after.segments())
        now.emplace(segment.id(), &segment);

    for (const v1::Segment &segment : after.segments()) {
        const QString id = QString::fromStdString(segment.id());
        const auto it = old.find(segment.id());
        if (it == old.end()) {
            lines.append(tr("Added %1 %2: %3; priority %4, %5, by %6, %7")
                             .arg(id, quoted(segment.name()), QString::fromStdString(segment.expression()))
                             .arg(segment.priority())
                             .arg(cap(segment.cap_count(), segment.cap_period()), channels(segment.channels()),
                                  enabledText(segment.enabled())));
            continue;
        }
        const v1::Segment &was = *it->second;
        QStringList changes;
        if (was.name() != segment.name())
            changes.append(tr("name %1 → %2").arg(quoted(was.name()), quoted(segment.name())));
        if (was.expression() != segment.expression())
            changes.append(
                tr("expression %1 → %2")
                    .arg(QString::fromStdString(was.expression()), QString::fromStdString(segment.expression())));
        if (was.priority() != segment.priority())
            changes.append(tr("priority %1 → %2").arg(was.priority()).arg(segment.priority()));
        if (was.cap_count() != segment.cap_count() || was.cap_period() != segment.cap_period())
            changes.append(
                tr("frequency cap %1 → %2")
                    .arg(cap(was.cap_count(), was.cap_period()), cap(segment.cap_count(), segment.cap_period())));
        if (channels(was.channels()) != channels(segment.channels()))
            // Quoted: the order itself is written with arrows.
            changes.append(tr("channels “%1” → “%2”").arg(channels(was.channels()), channels(segment.channels())));
        if (was.enabled() != segment.enabled())
            changes.append(segment.enabled() ? tr("enabled") : tr("disabled"));
        if (!changes.isEmpty())
            lines.append(tr("Changed %1: %2").arg(id, changes.join(QStringLiteral("; "))));
    }
    for (const v1::Segment &segment : before.segments()) {
        if (!now.contains(segment.id()))
            lines.append(tr("Removed %1 %2").arg(QString::fromStdString(segment.id()), quoted(segment.name())));
    }

    const v1::ReachPolicy &was = before.policy();
    const v1::ReachPolicy &policy = after.policy();
    if (was.seed_expression() != policy.seed_expression())
        lines.append(tr("Seed users: %1 → %2").arg(seedExpression(was), seedExpression(policy)));
    if (was.holdout_percent() != policy.holdout_percent())
        lines.append(tr("Holdout: %1 % → %2 %").arg(was.holdout_percent()).arg(policy.holdout_percent()));
    if (was.rate_limit_per_second() != policy.rate_limit_per_second()) {
        const auto limit = [](int perSecond) {
            return perSecond == 0 ? tr("no limit") : tr("%1 messages per second").arg(perSecond);
        };
        lines.append(
            tr("Rate limit: %1 → %2").arg(limit(was.rate_limit_per_second()), limit(policy.rate_limit_per_second())));
    }
    return lines;
}

QString SegmentText::failure(const grpc::Status &status, const QString &action)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::ABORTED: // base_version is not the current version
    case grpc::StatusCode::FAILED_PRECONDITION:
        return tr("%1: someone else saved the segments while you were editing (%2). Your draft is kept: "
                  "compare in History, then discard it or base it on the new version and save again.")
            .arg(action, detail);
    case grpc::StatusCode::INVALID_ARGUMENT:
        return tr("%1: the backend found a problem: %2. Your draft is kept: correct it and save again.")
            .arg(action, detail);
    case grpc::StatusCode::NOT_FOUND:
        return tr("%1: %2.").arg(action, detail);
    default:
        return tr("%1. %2").arg(action, BackendConnection::explain(status));
    }
}

} // namespace flywheel::ui
