#pragma once

#include "storage/DocumentStore.h"
#include "storage/StoreCommon.h"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flywheel {

using StoredSegmentSet = StoredVersion;

/// The DocumentStore area of segment sets.
inline constexpr const char *kSegmentsArea = "segments";

/// A user profile as stored: strings instead of dictionary ids.
struct StoredProfile {
    std::int64_t uid = 0;
    std::int32_t registeredDay = 0;
    std::int32_t lastActiveDay = 0;
    std::uint32_t activeDays = 0;
    std::int32_t payCount = 0;
    std::int32_t sessionDepth = 0;
    std::int64_t sessionAtMs = 0;
    std::string device;
    std::string region;
    std::string installChannel;
    bool registered = false;
    bool paid = false;
    std::vector<std::pair<std::string, double>> tags;
    friend bool operator==(const StoredProfile &, const StoredProfile &) = default;
};

struct PurchaseSummary {
    std::int64_t uid = 0;
    std::string category;
    std::int32_t orders = 0;
    TimePoint lastAt;
};

/// One message sent by reach, as stored (what frequency caps count after a restart).
struct StoredDelivery {
    std::int64_t uid = 0;
    std::string segmentId;
    /// "push", "sms" or "in_app".
    std::string channel;
    TimePoint at;
    std::int64_t setVersion = 0;
    /// Empty until handed to the channel's sender, then "sent" or "failed".
    std::string status;
    /// Why the sender refused the message, when failed.
    std::string error;
    friend bool operator==(const StoredDelivery &, const StoredDelivery &) = default;
};

/// Segments and reach: segment set versions, user profiles, the purchase history
/// first profiles are built from, and the deliveries frequency caps count.
class SegmentStore : public virtual DocumentStore {
public:
    /// Segment sets: the document of area "segments", written through DocumentStore.
    std::optional<StoredSegmentSet> segmentSet(std::int64_t version) { return documentVersion(kSegmentsArea, version); }
    std::vector<StoredSegmentSet> segmentSets(int limit) { return documentVersions(kSegmentsArea, limit); }

    /// Inserts or replaces profiles, in one transaction.
    virtual void saveProfiles(const std::vector<StoredProfile> &profiles) = 0;
    virtual std::vector<StoredProfile> loadProfiles() = 0;
    /// Paid orders per user (refunded ones included): pay_count of a profile built
    /// from the order history.
    virtual std::vector<std::pair<std::int64_t, std::int32_t>> loadPayCounts() = 0;
    /// Per user and product category: paid orders with a line of that category, and
    /// when the latest was created. What a first profile's tags and activity come from.
    virtual std::vector<PurchaseSummary> loadPurchaseSummaries() = 0;
    virtual void appendDeliveries(const std::vector<StoredDelivery> &deliveries) = 0;
    /// Deliveries at or after `since`, oldest first.
    virtual std::vector<StoredDelivery> loadDeliveriesSince(TimePoint since) = 0;
    /// Deletes deliveries before `cutoff`; returns how many.
    virtual std::int64_t purgeDeliveries(TimePoint cutoff) = 0;
};

} // namespace flywheel
