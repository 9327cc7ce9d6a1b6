#pragma once

#include "domain/alerts/AlertMonitor.h"
#include "storage/DocumentStore.h"

#include <vector>

namespace flywheel {

/// The area of the alert thresholds document (DocumentStore, audit log).
inline constexpr const char *kAlertsArea = "alerts";

/// The business alerts' durable state: the versions of the thresholds document
/// (DocumentStore, area "alerts") and the history of their changes of state.
class AlertStore : public virtual DocumentStore {
public:
    /// Appends one change (fired or resolved) with the alert as it was then. Throws
    /// StorageError.
    virtual void appendAlertChange(const alerts::AlertChange &change) = 0;
    /// The newest `limit` changes, newest first. Throws StorageError.
    virtual std::vector<alerts::AlertChange> loadAlertHistory(int limit) = 0;
};

} // namespace flywheel
