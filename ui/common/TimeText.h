#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace flywheel::ui {

/// Times in words for operators, the same on every page: in local time, written by the
/// user's locale, and "—" for a time that was never set.
class TimeText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::TimeText)

public:
    enum class Seconds {
        Always,     ///< "2024-05-01 14:05:00"
        WhenNotZero ///< "2024-05-01 14:05", but "2024-05-01 14:05:30"
    };

    /// True unless `time` is the protobuf default (0 seconds and 0 nanoseconds).
    static bool isSet(const google::protobuf::Timestamp &time);
    /// `time` in local time (nanoseconds dropped).
    static QDateTime local(const google::protobuf::Timestamp &time);
    /// "2024-05-01 14:05:30" in local time; "—" when unset.
    static QString timestamp(const google::protobuf::Timestamp &time, Seconds seconds = Seconds::Always);
    /// "14:05:30": the local clock time of `time`.
    static QString clockTime(const QDateTime &time);
    /// "14:05:30" when `time` is on `now`'s day, else timestamp(); "—" when unset.
    static QString clockTime(const google::protobuf::Timestamp &time, const QDateTime &now);
};

} // namespace flywheel::ui
