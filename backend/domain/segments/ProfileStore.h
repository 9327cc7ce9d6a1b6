#pragma once

#include "domain/Clock.h"
#include "domain/Result.h"
#include "domain/segments/Profile.h"

#include <atomic>
#include <functional>
#include <optional>
#include <span>

namespace flywheel::segments {

/// What happened to a user, as sent to IngestEvents.
struct UserEvent {
    std::int64_t uid = 0;
    /// register, login, session, pay, share, click, level_up or view.
    std::string type;
    TimePoint at;
    /// Numbers: `tag.NAME` (a tag weight delta), `depth` (login, session: pages viewed),
    /// `amount_minor` (pay).
    std::vector<std::pair<std::string, double>> props;
    /// Texts: device, region, install_channel.
    std::vector<std::pair<std::string, std::string>> attrs;
};

struct ProfileOptions {
    /// Tag weights: w = w * decay + delta, for each tag an event names.
    double decay = 0.95;
};

/// Day of `t` in UTC.
Day dayOf(TimePoint t);

/// Records activity of `profile` on `day` (a set of days: order does not matter).
void markActive(Profile &profile, Day day);

/// The tag a product category stands for: its first word in lower case
/// ("Sports & Outdoors" → "sports"); "other" when that is empty.
std::string tagForCategory(std::string_view category);

/// Every user's profile, updated by events from many threads at once.
///
/// Profiles live in blocks of 1024 with one mutex per block: an event locks the
/// block of its user, so concurrent events for one user are applied one after the
/// other and lose nothing, and a scan (forEach) reads each block consistently while
/// events for other blocks go on. Profiles are never removed, so their places in
/// the blocks are stable.
class ProfileStore {
public:
    explicit ProfileStore(ProfileOptions options = {});
    ProfileStore(const ProfileStore &) = delete;
    ProfileStore &operator=(const ProfileStore &) = delete;

    Dictionary &dictionary() { return m_dictionary; }
    const Dictionary &dictionary() const { return m_dictionary; }
    const ProfileOptions &options() const { return m_options; }

    /// Checks an event without applying it; the message names what is wrong.
    static std::optional<Error> validate(const UserEvent &event);
    /// Applies a batch: all events when every one is valid, else none (the error
    /// names the index of the first bad event). Returns how many were applied.
    Result<std::size_t> apply(std::span<const UserEvent> events);
    /// Creates or replaces a profile as a whole (loading from storage, seeding).
    void put(const Profile &profile);

    std::optional<Profile> find(std::int64_t uid) const;
    std::size_t size() const { return m_size.load(std::memory_order_acquire); }
    /// The uids whose profiles changed since the last call (for persistence).
    std::vector<std::int64_t> takeDirty();
    /// Marks profiles changed again (their save failed).
    void markDirty(const std::vector<std::int64_t> &uids);

    /// Calls f(profile) for every profile, one block at a time under the block's lock;
    /// f must not call back into the store. Stops early when f returns false.
    void forEach(const std::function<bool(const Profile &)> &f) const;
    /// The same for a range of blocks, for scans split across threads.
    std::size_t blockCount() const;
    bool forEachInBlocks(std::size_t firstBlock, std::size_t endBlock,
                         const std::function<bool(const Profile &)> &f) const;

    static constexpr std::size_t kBlockSize = 1024;

private:
    /// At most this many profiles (16 M); more is refused with RESOURCE_EXHAUSTED.
    static constexpr std::size_t kMaxBlocks = 16384;

private:
    struct Block {
        mutable std::mutex mutex;
        std::vector<Profile> profiles; // reserved to kBlockSize: never reallocated
        std::vector<char> dirty;
        bool anyDirty = false;
    };
    /// The index of uid's profile, creating a blank one when missing.
    Result<std::size_t> slotFor(std::int64_t uid);
    std::optional<std::size_t> slotOf(std::int64_t uid) const;
    Block *block(std::size_t blockIndex) const { return m_blockTable[blockIndex].load(std::memory_order_acquire); }
    void applyLocked(Profile &profile, const UserEvent &event);

    ProfileOptions m_options;
    Dictionary m_dictionary;
    mutable std::shared_mutex m_indexMutex;
    std::unordered_map<std::int64_t, std::size_t> m_index; // uid → slot
    std::vector<std::unique_ptr<Block>> m_blocks;          // owned; appended under m_indexMutex
    /// Read without the index lock: a block, once published here, never moves.
    std::unique_ptr<std::atomic<Block *>[]> m_blockTable;
    std::atomic<std::size_t> m_size{0};
};

} // namespace flywheel::segments
