#pragma once

#include "flywheel/v1/referral.pb.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <optional>

namespace flywheel::ui {

/// The fields of the referral programme as the console shows them.
enum class ProgramField {
    InviterReward,
    InviteeReward,
    Level1Rate,
    Level2Rate,
    MaxClicksPerIp,
    MaxClicksPerDevice,
    MinInviterAge,
    InviterActiveWithin,
    TokenTtl,
    ClockLeeway,
};
inline constexpr ProgramField kProgramFields[] = {
    ProgramField::InviterReward, ProgramField::InviteeReward,       ProgramField::Level1Rate,
    ProgramField::Level2Rate,    ProgramField::MaxClicksPerIp,      ProgramField::MaxClicksPerDevice,
    ProgramField::MinInviterAge, ProgramField::InviterActiveWithin, ProgramField::TokenTtl,
    ProgramField::ClockLeeway,
};

/// The referral programme, commissions and the funnel in words for operators: field
/// names, units and allowed ranges (mirroring the backend's checks in
/// backend/domain/referral/Program.cpp, so a programme that passes here is not refused
/// on save), values as typed and as shown, and what changed between two versions.
class ReferralText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::ReferralText)

public:
    enum class Kind { Money, Rate, Count };
    static Kind kind(ProgramField field);
    /// "Reward for the inviter", "Level-1 commission", ...
    static QString fieldName(ProgramField field);
    /// What the field does, in a sentence.
    static QString fieldMeaning(ProgramField field);
    /// The unit after the input: "%", "per hour", "hours", ...; the currency symbol for money.
    static QString unit(ProgramField field, const QString &currency);
    /// The stored value: minor units, basis points or a count.
    static qint64 value(const v1::ReferralProgram &program, ProgramField field);
    static void setValue(v1::ReferralProgram &program, ProgramField field, qint64 value, const QString &currency);
    static qint64 minimum(ProgramField field);
    static qint64 maximum(ProgramField field);
    /// "5.00" for money and rates (major units, percent), "24" for counts: what the input holds.
    static QString editText(ProgramField field, qint64 value);
    /// Parses what the operator typed; false with `problem` naming the field when it is
    /// not a value of the field's kind or outside its range.
    static bool parse(ProgramField field, const QString &text, const QString &currency, qint64 *value,
                      QString *problem);
    /// "¥5.00", "10.00 %", "3 per hour", "24 hours".
    static QString valueText(ProgramField field, qint64 value, const QString &currency);
    /// "from ¥0.00 to ¥1,000,000.00", "from 1 to 1,000".
    static QString rangeText(ProgramField field, const QString &currency);
    /// Problems of the programme as a whole (both rates together), empty when none.
    static QString combinedProblem(const v1::ReferralProgram &program);
    /// The field whose proto name ("level1_rate_bp") comes first in a backend message, if any.
    static std::optional<ProgramField> fieldInMessage(const QString &message);
    /// The currency of the programme's rewards ("CNY" when it names none).
    static QString currency(const v1::ReferralProgram &program);

    /// "10.00 %" from basis points.
    static QString rate(qint64 basisPoints);
    static QString money(const v1::Money &money);
    /// "pending", "reviewing", ...
    static QString stateName(v1::CommissionState state);
    /// "IP over its hourly limit", ...; the reason itself when unknown.
    static QString refusalName(const std::string &reason);
    /// `part` / `whole` in percent with one decimal; "—" when `whole` is 0.
    static QString conversion(qint64 part, qint64 whole);

    /// One line per changed field, "Level-1 commission: 10.00 % → 12.00 %"; empty when the
    /// programmes are the same.
    static QStringList diff(const v1::ReferralProgram &before, const v1::ReferralProgram &after);
    /// Every field with its value, one per line.
    static QStringList describe(const v1::ReferralProgram &program);
};

} // namespace flywheel::ui
