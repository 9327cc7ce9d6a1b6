#pragma once

#include "flywheel/v1/alerts.pb.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace flywheel::ui {

/// What operators read about the backend's business alerts, in their language: each
/// alert's title and what it watches, its state, and its explanation written from the
/// numbers the backend sends (the backend's own English explanation is not shown).
class AlertText {
public:
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::AlertText) // ends in private:

public:
    /// The alert ids in the order the console lists them.
    static QStringList ids();
    static QString title(const std::string &id);
    /// One sentence: what makes it fire.
    static QString description(const std::string &id);
    /// "Firing since 14:05:30", "OK", "Disabled".
    static QString state(const v1::Alert &alert);
    /// The value against its threshold: "0.73 % of 412 (threshold 0.5 %)".
    static QString value(const v1::Alert &alert);
    static QString threshold(const v1::Alert &alert);
    /// The explanation with the numbers: "3 of 412 paid orders (0.73 %) in the last 5
    /// minutes waited more than 3 s for their stock to be confirmed".
    static QString explanation(const v1::Alert &alert);
    /// "5 minutes", "minute", "30 seconds": what follows "in the last".
    static QString window(int seconds);
    /// The status bar's badge: "No alerts firing", "1 alert firing", "3 alerts firing".
    static QString badge(int firing);
};

} // namespace flywheel::ui
