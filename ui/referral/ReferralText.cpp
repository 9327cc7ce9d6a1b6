#include "referral/ReferralText.h"

#include "common/Decimal.h"
#include "common/Format.h"

#include <QLocale>

namespace flywheel::ui {

namespace {

/// Rewards up to one million in major units (backend/domain/referral/Program.cpp).
constexpr qint64 kMaxRewardMinor = 100'000'000;
/// Level 1 and level 2 together (basis points).
constexpr qint64 kMaxCombinedRateBp = 5000;

} // namespace

ReferralText::Kind ReferralText::kind(ProgramField field)
{
    switch (field) {
    case ProgramField::InviterReward:
    case ProgramField::InviteeReward:
        return Kind::Money;
    case ProgramField::Level1Rate:
    case ProgramField::Level2Rate:
        return Kind::Rate;
    default:
        return Kind::Count;
    }
}

QString ReferralText::fieldName(ProgramField field)
{
    switch (field) {
    case ProgramField::InviterReward:
        return tr("Reward for the inviter");
    case ProgramField::InviteeReward:
        return tr("Reward for the new user");
    case ProgramField::Level1Rate:
        return tr("Level-1 commission");
    case ProgramField::Level2Rate:
        return tr("Level-2 commission");
    case ProgramField::MaxClicksPerIp:
        return tr("Invite clicks per IP address");
    case ProgramField::MaxClicksPerDevice:
        return tr("Invite clicks per device");
    case ProgramField::MinInviterAge:
        return tr("Minimum inviter age");
    case ProgramField::InviterActiveWithin:
        return tr("Inviter active within");
    case ProgramField::TokenTtl:
        return tr("Invite token lifetime");
    case ProgramField::ClockLeeway:
        return tr("Clock leeway");
    }
    return {};
}

QString ReferralText::fieldMeaning(ProgramField field)
{
    switch (field) {
    case ProgramField::InviterReward:
        return tr("Granted to the inviter when an invited user registers.");
    case ProgramField::InviteeReward:
        return tr("Granted to the invited user when they register.");
    case ProgramField::Level1Rate:
        return tr("Of an invited user's orders, owed to their inviter.");
    case ProgramField::Level2Rate:
        return tr("Of an invited user's orders, owed to their inviter's inviter.");
    case ProgramField::MaxClicksPerIp:
        return tr("Invite clicks from one IP address within any hour.");
    case ProgramField::MaxClicksPerDevice:
        return tr("Invite clicks from one device within any 24 hours.");
    case ProgramField::MinInviterAge:
        return tr("How long before a click the inviter must have registered.");
    case ProgramField::InviterActiveWithin:
        return tr("The inviter must have been active this recently.");
    case ProgramField::TokenTtl:
        return tr("How long a visitor has to register after clicking.");
    case ProgramField::ClockLeeway:
        return tr("Clock difference tolerated when checking expiry.");
    }
    return {};
}

QString ReferralText::unit(ProgramField field, const QString &currency)
{
    switch (field) {
    case ProgramField::InviterReward:
    case ProgramField::InviteeReward:
        return currencySymbol(currency).trimmed();
    case ProgramField::Level1Rate:
    case ProgramField::Level2Rate:
        return tr("% of the order");
    case ProgramField::MaxClicksPerIp:
        return tr("per hour");
    case ProgramField::MaxClicksPerDevice:
        return tr("per 24 hours");
    case ProgramField::MinInviterAge:
    case ProgramField::TokenTtl:
        return tr("hours");
    case ProgramField::InviterActiveWithin:
        return tr("days");
    case ProgramField::ClockLeeway:
        return tr("seconds");
    }
    return {};
}

qint64 ReferralText::value(const v1::ReferralProgram &p, ProgramField field)
{
    switch (field) {
    case ProgramField::InviterReward:
        return p.inviter_reward().minor_units();
    case ProgramField::InviteeReward:
        return p.invitee_reward().minor_units();
    case ProgramField::Level1Rate:
        return p.level1_rate_bp();
    case ProgramField::Level2Rate:
        return p.level2_rate_bp();
    case ProgramField::MaxClicksPerIp:
        return p.max_clicks_per_ip_per_hour();
    case ProgramField::MaxClicksPerDevice:
        return p.max_clicks_per_device_per_day();
    case ProgramField::MinInviterAge:
        return p.min_inviter_age_hours();
    case ProgramField::InviterActiveWithin:
        return p.inviter_active_within_days();
    case ProgramField::TokenTtl:
        return p.token_ttl_hours();
    case ProgramField::ClockLeeway:
        return p.clock_leeway_seconds();
    }
    return 0;
}

void ReferralText::setValue(v1::ReferralProgram &p, ProgramField field, qint64 value, const QString &currency)
{
    // Everything but money is range-checked to fit an int32 before it gets here.
    const auto small = static_cast<std::int32_t>(value);
    switch (field) {
    case ProgramField::InviterReward:
        p.mutable_inviter_reward()->set_minor_units(value);
        p.mutable_inviter_reward()->set_currency(currency.toStdString());
        break;
    case ProgramField::InviteeReward:
        p.mutable_invitee_reward()->set_minor_units(value);
        p.mutable_invitee_reward()->set_currency(currency.toStdString());
        break;
    case ProgramField::Level1Rate:
        p.set_level1_rate_bp(small);
        break;
    case ProgramField::Level2Rate:
        p.set_level2_rate_bp(small);
        break;
    case ProgramField::MaxClicksPerIp:
        p.set_max_clicks_per_ip_per_hour(small);
        break;
    case ProgramField::MaxClicksPerDevice:
        p.set_max_clicks_per_device_per_day(small);
        break;
    case ProgramField::MinInviterAge:
        p.set_min_inviter_age_hours(small);
        break;
    case ProgramField::InviterActiveWithin:
        p.set_inviter_active_within_days(small);
        break;
    case ProgramField::TokenTtl:
        p.set_token_ttl_hours(small);
        break;
    case ProgramField::ClockLeeway:
        p.set_clock_leeway_seconds(small);
        break;
    }
}

qint64 ReferralText::minimum(ProgramField field)
{
    switch (field) {
    case ProgramField::MaxClicksPerIp:
    case ProgramField::MaxClicksPerDevice:
    case ProgramField::InviterActiveWithin:
    case ProgramField::TokenTtl:
        return 1;
    default:
        return 0;
    }
}

qint64 ReferralText::maximum(ProgramField field)
{
    switch (field) {
    case ProgramField::InviterReward:
    case ProgramField::InviteeReward:
        return kMaxRewardMinor;
    case ProgramField::Level1Rate:
    case ProgramField::Level2Rate:
        return 5000;
    case ProgramField::MaxClicksPerIp:
    case ProgramField::MaxClicksPerDevice:
        return 1000;
    case ProgramField::MinInviterAge:
        return 720;
    case ProgramField::InviterActiveWithin:
        return 365;
    case ProgramField::TokenTtl:
        return 168;
    case ProgramField::ClockLeeway:
        return 300;
    }
    return 0;
}

QString ReferralText::editText(ProgramField field, qint64 value)
{
    if (kind(field) == Kind::Count)
        return QString::number(value);
    return plainDecimal(value, ZeroCents::Keep); // as parse() reads it back
}

bool ReferralText::parse(ProgramField field, const QString &text, const QString &currency, qint64 *value,
                         QString *problem)
{
    const QString name = fieldName(field);
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        *problem = tr("“%1” is empty.").arg(name);
        return false;
    }
    bool ok = false;
    switch (kind(field)) {
    case Kind::Money:
        ok = parseDecimal(trimmed, value);
        if (!ok)
            *problem = tr("“%1” is not an amount: write it like 5 or 5.50, with at most two decimals.").arg(name);
        break;
    case Kind::Rate:
        ok = parseDecimal(trimmed, value); // hundredths of a percent are basis points
        if (!ok)
            *problem = tr("“%1” is not a percentage: write it like 10 or 2.5, with at most two decimals.").arg(name);
        break;
    case Kind::Count:
        *value = trimmed.toLongLong(&ok);
        ok = ok && trimmed.size() <= 9;
        if (!ok)
            *problem = tr("“%1” must be a whole number.").arg(name);
        break;
    }
    if (!ok)
        return false;
    if (*value < minimum(field) || *value > maximum(field)) {
        const QString given =
            kind(field) == Kind::Count ? QLocale().toString(*value) : valueText(field, *value, currency);
        *problem = tr("“%1” must be %2, not %3.").arg(name, rangeText(field, currency), given);
        return false;
    }
    return true;
}

QString ReferralText::valueText(ProgramField field, qint64 value, const QString &currency)
{
    switch (kind(field)) {
    case Kind::Money:
        return currency.isEmpty() ? localeDecimal(value) : formatMoney(value, currency);
    case Kind::Rate:
        return rate(value);
    case Kind::Count:
        break;
    }
    return tr("%1 %2").arg(QLocale().toString(value), unit(field, currency)).replace(u' ', QChar::Nbsp);
}

QString ReferralText::rangeText(ProgramField field, const QString &currency)
{
    if (kind(field) != Kind::Count)
        return tr("from %1 to %2")
            .arg(valueText(field, minimum(field), currency), valueText(field, maximum(field), currency));
    // "from 0 to 720 hours": the unit once, at the end.
    return tr("from %1 to %2").arg(QLocale().toString(minimum(field)), valueText(field, maximum(field), currency));
}

QString ReferralText::combinedProblem(const v1::ReferralProgram &program)
{
    const qint64 combined = qint64(program.level1_rate_bp()) + program.level2_rate_bp();
    if (combined <= kMaxCombinedRateBp)
        return {};
    return tr("“%1” and “%2” together must be at most %3, not %4.")
        .arg(fieldName(ProgramField::Level1Rate), fieldName(ProgramField::Level2Rate), rate(kMaxCombinedRateBp),
             rate(combined));
}

std::optional<ProgramField> ReferralText::fieldInMessage(const QString &message)
{
    static const std::pair<const char *, ProgramField> names[] = {
        {"inviter_reward", ProgramField::InviterReward},
        {"invitee_reward", ProgramField::InviteeReward},
        {"level1_rate_bp", ProgramField::Level1Rate},
        {"level2_rate_bp", ProgramField::Level2Rate},
        {"max_clicks_per_ip_per_hour", ProgramField::MaxClicksPerIp},
        {"max_clicks_per_device_per_day", ProgramField::MaxClicksPerDevice},
        {"min_inviter_age_hours", ProgramField::MinInviterAge},
        {"inviter_active_within_days", ProgramField::InviterActiveWithin},
        {"token_ttl_hours", ProgramField::TokenTtl},
        {"clock_leeway_seconds", ProgramField::ClockLeeway},
    };
    std::optional<ProgramField> first;
    qsizetype at = -1;
    for (const auto &[name, field] : names) {
        const qsizetype found = message.indexOf(QLatin1String(name));
        if (found >= 0 && (at < 0 || found < at)) {
            at = found;
            first = field;
        }
    }
    return first;
}

QString ReferralText::currency(const v1::ReferralProgram &program)
{
    if (!program.inviter_reward().currency().empty())
        return QString::fromStdString(program.inviter_reward().currency());
    if (!program.invitee_reward().currency().empty())
        return QString::fromStdString(program.invitee_reward().currency());
    return QStringLiteral("CNY");
}

QString ReferralText::rate(qint64 basisPoints)
{
    return tr("%1 %").arg(localeDecimal(basisPoints)).replace(u' ', QChar::Nbsp);
}

QString ReferralText::money(const v1::Money &money)
{
    return formatMoney(money.minor_units(), QString::fromStdString(money.currency()));
}

QString ReferralText::stateName(v1::CommissionState state)
{
    switch (state) {
    case v1::COMMISSION_STATE_PENDING:
        return tr("pending");
    case v1::COMMISSION_STATE_REVIEWING:
        return tr("reviewing");
    case v1::COMMISSION_STATE_CONFIRMED:
        return tr("confirmed");
    case v1::COMMISSION_STATE_SETTLED:
        return tr("settled");
    case v1::COMMISSION_STATE_REVERSED:
        return tr("reversed");
    default:
        return tr("unknown");
    }
}

QString ReferralText::refusalName(const std::string &reason)
{
    if (reason == "ip_limit")
        return tr("IP address over its limit");
    if (reason == "device_limit")
        return tr("device over its limit");
    if (reason == "inviter_too_new")
        return tr("inviter registered too recently");
    if (reason == "inviter_inactive")
        return tr("inviter inactive");
    if (reason == "self_invite")
        return tr("self-invite");
    if (reason == "cycle")
        return tr("invite cycle");
    if (reason == "invalid_token")
        return tr("invalid token");
    if (reason == "replayed_token")
        return tr("token used twice");
    if (reason == "expired_token")
        return tr("expired token");
    return QString::fromStdString(reason);
}

QString ReferralText::conversion(qint64 part, qint64 whole)
{
    if (whole <= 0)
        return tr("—");
    return formatPercent(static_cast<double>(part) / static_cast<double>(whole));
}

QStringList ReferralText::diff(const v1::ReferralProgram &before, const v1::ReferralProgram &after)
{
    QStringList lines;
    const QString beforeCurrency = currency(before);
    const QString afterCurrency = currency(after);
    for (const ProgramField field : kProgramFields) {
        const qint64 was = value(before, field);
        const qint64 now = value(after, field);
        if (was != now || (kind(field) == Kind::Money && beforeCurrency != afterCurrency))
            lines.append(tr("%1: %2 → %3")
                             .arg(fieldName(field), valueText(field, was, beforeCurrency),
                                  valueText(field, now, afterCurrency)));
    }
    return lines;
}

QStringList ReferralText::describe(const v1::ReferralProgram &program)
{
    QStringList lines;
    const QString code = currency(program);
    for (const ProgramField field : kProgramFields)
        lines.append(tr("%1: %2").arg(fieldName(field), valueText(field, value(program, field), code)));
    return lines;
}

} // namespace flywheel::ui
