#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include <QCoreApplication>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <string>

namespace flywheel::ui {

/// Subsidies in words for operators: the config's fields with their units and allowed
/// ranges (mirroring subsidy.proto and the backend's checks, so a config that passes here
/// is not refused on save), decisions and their reasons, and what changed between two
/// versions of the config.
class SubsidyText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::SubsidyText)

public:
    /// The channels the storefront knows; the editor offers a CAC for each.
    static QStringList knownChannels();
    /// "App", "Mini program", "Web"; another channel as given.
    static QString channelName(const QString &channel);

    /// "Granted", "LTV/CAC below the minimum", ...
    static QString reasonName(v1::SubsidyReason reason);
    /// The reason as a sentence an operator understands.
    static QString reasonSentence(v1::SubsidyReason reason);
    static bool isGranted(v1::SubsidyReason reason);

    /// "¥12.50" in the user's locale; "—" for no money at all.
    static QString money(const v1::Money &money);
    /// "1.50" with the locale's decimal point.
    static QString number(double value, int decimals = 2);
    /// "812 ms".
    static QString milliseconds(double ms);
    /// "console", "rollback", "experiment", ... in the operator's language.
    static QString sourceName(const std::string &source);

    /// Parses what an operator types as a decimal number: "1.5", "1,5" (the locale's
    /// point), with spaces around. False when it is not a finite number.
    static bool parseNumber(const QString &text, double *value);
    /// What the edit field shows for a number: no grouping, '.' as the point, no
    /// needless zeros ("1.5", "0.3", "2").
    static QString editNumber(double value);

    /// Every setting of `config` with its value, as (label, value), in the form's order.
    static QList<QPair<QString, QString>> describe(const v1::SubsidyConfig &config);
    /// "Minimum LTV/CAC: 1.50 → 2.00", one per changed setting; empty when equal.
    static QStringList diff(const v1::SubsidyConfig &before, const v1::SubsidyConfig &after);
    /// The config in one line for the page header.
    static QString summary(const v1::SubsidyConfig &config);
};

} // namespace flywheel::ui
