#pragma once

#include "domain/Catalog.h"
#include "domain/Clock.h"
#include "domain/Result.h"
#include "domain/segments/ProfileStore.h"
#include "domain/segments/ReachDecider.h"
#include "segments/Senders.h"
#include "storage/SegmentStore.h"
#include "versioning/VersionedDocument.h"

#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace flywheel::segments {

/// What PreviewSegment answers.
struct SegmentPreview {
    std::int64_t matching = 0;
    std::int64_t total = 0;
    /// The features the expression reads: the sample's columns.
    std::vector<std::string> features;
    /// uid and the values of `features`.
    std::vector<std::pair<std::int64_t, std::vector<std::string>>> sample;
    double elapsedMs = 0;
};

struct ReachStatistics {
    /// (segment id, channel) → messages decided since start.
    std::map<std::pair<std::string, Channel>, std::int64_t> messages;
    /// (segment id, channel) → of those, the messages the channel's sender refused.
    std::map<std::pair<std::string, Channel>, std::int64_t> failed;
    /// Where messages go: the push sender's description (all channels share one).
    std::string sender;
    /// The last refusal, for an operator: "sms: the reach outbox ... cannot be opened".
    std::string lastFailure;
    std::map<ReachOutcome, std::int64_t> outcomes;
};

/// The segments side of one backend: profiles fed by events, the versioned segment
/// set, reach decisions and their delivery, and persistence of all three.
///
/// Profiles are kept in memory and written to the store by a flusher thread once a
/// second (the profiles that changed, and the messages sent), so an event is
/// acknowledged before it is durable: a crash loses at most the last second of
/// profile updates. Segment sets are saved before they take effect.
class SegmentManager final {
public:
    /// `senders` default to SimulatedSender for every channel.
    SegmentManager(SegmentStore &store, const Clock &clock, ProfileOptions options = {}, Senders senders = {});
    ~SegmentManager();
    SegmentManager(const SegmentManager &) = delete;
    SegmentManager &operator=(const SegmentManager &) = delete;

    /// Loads profiles (building them from `users` and the order history the first
    /// time), the newest segment set (installing `examples` as version 1 when there
    /// is none and examples are given) and the last week's messages; starts the
    /// flusher. Throws StorageError.
    /// Told of each message handed to its channel's sender once its batch is done:
    /// the channel ("push", "sms", "in_app") and whether it was sent. On the flusher
    /// thread. Set before start().
    using DispatchListener = std::function<void(const std::string &channel, bool sent)>;
    void setDispatchListener(DispatchListener listener) { m_dispatched = std::move(listener); }
    void start(const std::vector<User> &users, const std::optional<SegmentSet> &examples);
    /// Flushes and stops the flusher. Idempotent.
    void stop();

    ProfileStore &profiles() { return m_profiles; }
    Result<std::size_t> ingest(std::span<const UserEvent> events) { return m_profiles.apply(events); }

    /// Counts the profiles `expression` matches now and samples `sampleSize` of them
    /// (uniformly, with a fixed seed).
    std::variant<SegmentPreview, ExpressionError> preview(std::string_view expression, int sampleSize);

    std::shared_ptr<const CompiledSegmentSet> current() const;
    std::optional<StoredSegmentSet> stored(std::int64_t version);
    std::vector<StoredSegmentSet> versions(int limit);
    /// `set` as a new version when `baseVersion` is still current; audited with `actor`.
    Result<StoredSegmentSet> save(std::int64_t baseVersion, SegmentSet set, const std::string &reason,
                                  const audit::Actor &actor);
    /// `toVersion`'s set as a new version, whatever is current; audited with `actor`.
    Result<StoredSegmentSet> rollback(std::int64_t toVersion, const std::string &reason, const audit::Actor &actor);
    /// The segment set as a versioned document (area "segments"), for the DocumentRegistry.
    versioning::Document &document() { return m_document; }
    /// Segment id → users matching, as of the last count (every few seconds).
    std::pair<std::map<std::string, std::int64_t>, TimePoint> sizes() const;

    /// The enabled segments of the current set whose expression the user's profile
    /// matches now (pricing's segment_price rules); none for a user without a profile.
    std::set<std::string> memberships(std::int64_t uid) const;
    /// Decides for uid; with `commit`, records the decision and delivers a message
    /// when it is to reach. NotFound when uid has no profile.
    Result<ReachDecision> decide(std::int64_t uid, bool commit);
    ReachStatistics statistics() const;

    /// Hands the messages decided since the last flush to their channel's sender,
    /// then writes the changed profiles and the messages with the sender's answer.
    /// The flusher calls this every second; tests call it directly.
    void flush();

private:
    /// The document's install hook: compiles `set` as version `stored` and puts it in force.
    void install(SegmentSet set, const StoredSegmentSet &stored);
    void countSizes();
    void dispatch(std::vector<StoredDelivery> &deliveries);
    StoredProfile toStored(const Profile &p) const;
    Profile fromStored(const StoredProfile &p);
    void run();

    SegmentStore &m_store;
    const Clock &m_clock;
    ProfileStore m_profiles;
    ReachDecider m_decider;
    Senders m_senders;

    mutable std::mutex m_setMutex; // guards m_current; changes come one at a time through m_document
    std::shared_ptr<const CompiledSegmentSet> m_current;

    DispatchListener m_dispatched;
    mutable std::mutex m_statsMutex;
    ReachStatistics m_stats;
    std::vector<StoredDelivery> m_unsaved;
    std::map<std::string, std::int64_t> m_sizes;
    TimePoint m_sizesAt;

    std::mutex m_flushMutex; // one flush at a time
    std::mutex m_runMutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
    /// Last: its install hook uses the members above.
    versioning::VersionedDocument<SegmentSet> m_document;
};

/// The example segments a demo database starts with.
SegmentSet exampleSegments();

} // namespace flywheel::segments
