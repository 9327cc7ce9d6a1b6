#include "inventory/InventoryText.h"

#include "common/TimeText.h"

#include <QStringList>

namespace flywheel::ui {

QString InventoryText::duration(qint64 seconds)
{
    const qint64 hours = seconds / 3600;
    const qint64 minutes = seconds % 3600 / 60;
    const qint64 rest = seconds % 60;
    QStringList parts;
    if (hours > 0)
        parts.append(tr("%1 h").arg(hours));
    if (minutes > 0)
        parts.append(tr("%1 min").arg(minutes));
    if (rest > 0 || parts.isEmpty())
        parts.append(tr("%1 s").arg(rest));
    return parts.join(u' ');
}

QString InventoryText::describe(const v1::InventoryEvent &event, const QDateTime &now)
{
    const qint64 order = event.order_id();
    switch (event.type()) {
    case v1::INVENTORY_EVENT_TYPE_RECEIVED:
        return tr("Received into stock");
    case v1::INVENTORY_EVENT_TYPE_RESERVED:
        return tr("Reserved by order %1, expires %2").arg(order).arg(TimeText::clockTime(event.expires_at(), now));
    case v1::INVENTORY_EVENT_TYPE_CONFIRMED:
        return tr("Sold: order %1 paid").arg(order);
    case v1::INVENTORY_EVENT_TYPE_RELEASED:
        switch (event.reason()) {
        case v1::RELEASE_REASON_CANCELLED:
            return tr("Released: cancelled (order %1)").arg(order);
        case v1::RELEASE_REASON_EXPIRED:
            return tr("Released: expired (order %1)").arg(order);
        case v1::RELEASE_REASON_REFUNDED:
            return tr("Released: refunded (order %1)").arg(order);
        default:
            return tr("Released (order %1)").arg(order);
        }
    default:
        return tr("Unknown event (type %1)").arg(static_cast<int>(event.type()));
    }
}

} // namespace flywheel::ui
