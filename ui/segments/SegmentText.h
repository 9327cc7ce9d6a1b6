#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

/// Segments, reach policies and reach decisions in words for operators, and what
/// changed between two versions of a segment set.
class SegmentText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::SegmentText)

public:
    /// "push", "SMS", "in-app".
    static QString channelName(v1::ReachChannel channel);
    /// "push → SMS → in-app"; "none" without channels.
    static QString channels(const google::protobuf::RepeatedField<int> &channels);
    /// "1 per day", "2 per week".
    static QString cap(int count, v1::CapPeriod period);
    /// "Reached", "Not a seed user", ... (a short title for the outcome).
    static QString outcomeName(v1::ReachOutcome outcome);
    /// What the outcome means for the user, in a sentence.
    static QString outcomeMeaning(const v1::ReachDecision &decision);
    /// "every user" for an empty seed expression, otherwise the expression.
    static QString seedExpression(const v1::ReachPolicy &policy);

    /// Why saving or rolling back failed, after `action` ("The segments were not saved"),
    /// with what the operator can do about it.
    static QString failure(const grpc::Status &status, const QString &action);

    /// One line per change: segments added, removed, and changed field by field (by id),
    /// then the reach policy. Empty when the sets are the same.
    static QStringList diff(const v1::SegmentSetVersion &before, const v1::SegmentSetVersion &after);
};

} // namespace flywheel::ui
