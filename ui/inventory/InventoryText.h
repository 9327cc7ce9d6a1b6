#pragma once

#include "flywheel/v1/inventory.pb.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>

namespace flywheel::ui {

/// Inventory in words for operators: what an event did, when, and for how long
/// unpaid orders hold their stock.
class InventoryText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::InventoryText)

public:
    /// "Received into stock", "Reserved by order 123, expires 14:05:30",
    /// "Sold: order 123 paid", "Released: expired (order 123)". `now` decides whether
    /// a time needs its date.
    static QString describe(const v1::InventoryEvent &event, const QDateTime &now);
    /// "15 min", "1 h 30 min", "45 s".
    static QString duration(qint64 seconds);
};

} // namespace flywheel::ui
