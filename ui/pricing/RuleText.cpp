#include "pricing/RuleText.h"

#include "common/Format.h"
#include "common/TimeText.h"

#include <QLocale>
#include <QMap>

#include <utility>
#include <vector>

namespace flywheel::ui {

namespace {

QString money(qint64 minor)
{
    return RuleText::money(minor);
}

QStringList strings(const google::protobuf::RepeatedPtrField<std::string> &values)
{
    QStringList list;
    for (const std::string &value : values)
        list.append(QString::fromStdString(value));
    return list;
}

} // namespace

QString RuleText::money(qint64 minor)
{
    QString text = formatMoney(minor, QString::fromLatin1(kCurrency));
    const QString zeroCents = QLocale().decimalPoint() + QStringLiteral("00");
    if (minor % 100 == 0 && text.endsWith(zeroCents))
        text.chop(zeroCents.size());
    return text;
}

QString RuleText::kindName(v1::RuleKind kind)
{
    switch (kind) {
    case v1::RULE_KIND_SKU_PRICE:
        return tr("SKU price");
    case v1::RULE_KIND_CATEGORY_PRICE:
        return tr("Category price");
    case v1::RULE_KIND_SEGMENT_PRICE:
        return tr("Segment price");
    case v1::RULE_KIND_PERCENT_OFF:
        return tr("Percent off");
    case v1::RULE_KIND_THRESHOLD:
        return tr("Threshold reduction");
    default:
        return tr("Unknown");
    }
}

QString RuleText::stateName(v1::RuleState state)
{
    switch (state) {
    case v1::RULE_STATE_ACTIVE:
        return tr("active");
    case v1::RULE_STATE_SCHEDULED:
        return tr("scheduled");
    case v1::RULE_STATE_EXPIRED:
        return tr("expired");
    case v1::RULE_STATE_DISABLED:
        return tr("disabled");
    default:
        return tr("unsaved");
    }
}

QString RuleText::basisPoints(int bp)
{
    // Exact: two decimals at most, trailing zeros dropped; no floating point involved.
    QString text = QLocale().toString(bp / 100);
    const int rest = bp % 100;
    if (rest != 0) {
        QString decimals = QStringLiteral("%1").arg(rest < 0 ? -rest : rest, 2, 10, QLatin1Char('0'));
        if (decimals.endsWith(u'0'))
            decimals.chop(1);
        text += QLocale().decimalPoint() + decimals;
    }
    return tr("%1 %").arg(text);
}

QString RuleText::describe(const v1::PricingRule &rule, bool multiline)
{
    switch (rule.kind()) {
    case v1::RULE_KIND_SKU_PRICE: {
        const QString sku = rule.scope_skus_size() > 0 ? QString::fromStdString(rule.scope_skus(0)) : tr("(no SKU)");
        return tr("%1 at %2").arg(sku, money(rule.unit_price_minor()));
    }
    case v1::RULE_KIND_CATEGORY_PRICE:
        return tr("pay %1 of the list price").arg(basisPoints(rule.percent_of_list_bp()));
    case v1::RULE_KIND_SEGMENT_PRICE:
        return tr("segment “%1” pays %2 of the list price")
            .arg(QString::fromStdString(rule.segment()), basisPoints(rule.percent_of_list_bp()));
    case v1::RULE_KIND_PERCENT_OFF: {
        QString text = tr("%1 off").arg(basisPoints(rule.percent_off_bp()));
        if (rule.max_off_minor() > 0)
            text += tr(", at most %1").arg(money(rule.max_off_minor()));
        return text;
    }
    case v1::RULE_KIND_THRESHOLD: {
        QStringList tiers;
        for (const v1::ThresholdTier &tier : rule.tiers())
            tiers.append(tr("spend %1 get %2 off").arg(money(tier.spend_minor()), money(tier.off_minor())));
        return tiers.isEmpty() ? tr("(no tiers)") : tiers.join(multiline ? QStringLiteral("\n") : tr("; "));
    }
    default:
        return tr("(unknown rule type)");
    }
}

QString RuleText::scope(const v1::PricingRule &rule)
{
    QStringList parts;
    if (rule.scope_skus_size() > 0)
        parts.append(tr("SKUs: %1").arg(strings(rule.scope_skus()).join(tr(", "))));
    if (rule.scope_categories_size() > 0)
        parts.append(tr("categories: %1").arg(strings(rule.scope_categories()).join(tr(", "))));
    return parts.isEmpty() ? tr("everything") : parts.join(tr("; "));
}

QString RuleText::window(const v1::PricingRule &rule)
{
    const bool from = TimeText::isSet(rule.starts_at());
    const bool until = TimeText::isSet(rule.ends_at());
    if (from && until)
        return tr("from %1 until %2")
            .arg(TimeText::timestamp(rule.starts_at(), TimeText::Seconds::WhenNotZero),
                 TimeText::timestamp(rule.ends_at(), TimeText::Seconds::WhenNotZero));
    if (from)
        return tr("from %1").arg(TimeText::timestamp(rule.starts_at(), TimeText::Seconds::WhenNotZero));
    if (until)
        return tr("until %1").arg(TimeText::timestamp(rule.ends_at(), TimeText::Seconds::WhenNotZero));
    return tr("always");
}

namespace {

/// Each field an operator can change, as a label and the value in words.
std::vector<std::pair<QString, QString>> fields(const v1::PricingRule &rule)
{
    QStringList tiers;
    for (const v1::ThresholdTier &tier : rule.tiers())
        tiers.append(RuleText::tr("%1 → %2 off").arg(money(tier.spend_minor()), money(tier.off_minor())));
    const QString none = RuleText::tr("none");
    return {
        {RuleText::tr("name"), QString::fromStdString(rule.name())},
        {RuleText::tr("type"), RuleText::kindName(rule.kind())},
        {RuleText::tr("enabled"), rule.enabled() ? RuleText::tr("yes") : RuleText::tr("no")},
        {RuleText::tr("priority"), QString::number(rule.priority())},
        {RuleText::tr("stackable"), rule.stackable() ? RuleText::tr("yes") : RuleText::tr("no")},
        {RuleText::tr("exclusion group"),
         rule.exclusion_group().empty() ? none : QString::fromStdString(rule.exclusion_group())},
        {RuleText::tr("starts"), TimeText::timestamp(rule.starts_at(), TimeText::Seconds::WhenNotZero)},
        {RuleText::tr("ends"), TimeText::timestamp(rule.ends_at(), TimeText::Seconds::WhenNotZero)},
        {RuleText::tr("per-user limit"),
         rule.per_user_limit() == 0 ? RuleText::tr("no limit") : QString::number(rule.per_user_limit())},
        {RuleText::tr("scope"), RuleText::scope(rule)},
        {RuleText::tr("unit price"), money(rule.unit_price_minor())},
        {RuleText::tr("percent of list"), RuleText::basisPoints(rule.percent_of_list_bp())},
        {RuleText::tr("segment"), rule.segment().empty() ? none : QString::fromStdString(rule.segment())},
        {RuleText::tr("percent off"), RuleText::basisPoints(rule.percent_off_bp())},
        {RuleText::tr("maximum off"), rule.max_off_minor() == 0 ? none : money(rule.max_off_minor())},
        {RuleText::tr("tiers"), tiers.isEmpty() ? none : tiers.join(RuleText::tr("; "))},
    };
}

} // namespace

QStringList RuleText::diff(const google::protobuf::RepeatedPtrField<v1::PricingRule> &before,
                           const google::protobuf::RepeatedPtrField<v1::PricingRule> &after)
{
    QMap<QString, const v1::PricingRule *> old;
    for (const v1::PricingRule &rule : before)
        old.insert(QString::fromStdString(rule.id()), &rule);
    QMap<QString, const v1::PricingRule *> now;
    for (const v1::PricingRule &rule : after)
        now.insert(QString::fromStdString(rule.id()), &rule);

    QStringList lines;
    for (auto it = now.cbegin(); it != now.cend(); ++it) {
        const v1::PricingRule &rule = *it.value();
        if (!old.contains(it.key())) {
            lines.append(tr("Added %1 “%2”: %3 (%4), scope %5")
                             .arg(it.key(), QString::fromStdString(rule.name()), describe(rule), kindName(rule.kind()),
                                  scope(rule)));
            continue;
        }
        const auto was = fields(*old.value(it.key()));
        const auto is = fields(rule);
        for (std::size_t i = 0; i < is.size(); ++i) {
            if (was[i].second != is[i].second)
                lines.append(tr("Changed %1: %2 %3 → %4").arg(it.key(), is[i].first, was[i].second, is[i].second));
        }
    }
    for (auto it = old.cbegin(); it != old.cend(); ++it) {
        if (!now.contains(it.key()))
            lines.append(tr("Removed %1 “%2”: %3")
                             .arg(it.key(), QString::fromStdString(it.value()->name()), describe(*it.value())));
    }
    return lines;
}

} // namespace flywheel::ui
