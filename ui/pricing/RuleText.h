#pragma once

#include "flywheel/v1/pricing.pb.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace flywheel::ui {

/// Pricing rules in words for operators: what a rule does, its scope and state, and
/// what changed between two versions of a rule set.
class RuleText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::RuleText)

public:
    /// Currency of every amount in the rules (the catalogue's).
    static constexpr const char *kCurrency = "CNY";

    static QString kindName(v1::RuleKind kind);
    static QString stateName(v1::RuleState state);
    /// "15 % off", "spend ¥300 get ¥30 off", "ELE-1001 at ¥149.90", ...; the tiers of a
    /// threshold reduction on lines of their own when `multiline`.
    static QString describe(const v1::PricingRule &rule, bool multiline = false);
    /// "¥149.90", and "¥300" for whole amounts.
    static QString money(qint64 minor);
    /// "SKUs: A, B; categories: C" or "everything".
    static QString scope(const v1::PricingRule &rule);
    /// "12.5 %" from 1250 basis points.
    static QString basisPoints(int bp);
    /// "From … until …", "always".
    static QString window(const v1::PricingRule &rule);

    /// One line per change, by rule id: added, removed, and changed field by field.
    /// Empty when the rules are the same.
    static QStringList diff(const google::protobuf::RepeatedPtrField<v1::PricingRule> &before,
                            const google::protobuf::RepeatedPtrField<v1::PricingRule> &after);
};

} // namespace flywheel::ui
