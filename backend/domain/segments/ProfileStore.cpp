#include "domain/segments/ProfileStore.h"

#include <algorithm>
#include <cmath>

namespace flywheel::segments {

namespace {

constexpr const char *kEventTypes[] = {"register", "login", "session", "pay", "share", "click", "level_up", "view"};
constexpr const char *kAttributes[] = {"device", "region", "install_channel"};
constexpr std::size_t kMaxText = 64;

bool isTagName(std::string_view name)
{
    return !name.empty() && name.size() <= kMaxText && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string quoted(std::string_view text)
{
    return "'" + std::string(text.substr(0, kMaxText)) + (text.size() > kMaxText ? "…'" : "'");
}

Error invalid(std::string message)
{
    return Error{ErrorCode::InvalidArgument, std::move(message)};
}

} // namespace

Day dayOf(TimePoint t)
{
    return static_cast<Day>(std::chrono::floor<std::chrono::days>(t).time_since_epoch().count());
}

void markActive(Profile &p, Day day)
{
    // Activity is a set of days: the same whatever order the events come in.
    if (p.activeDays == 0 || day > p.lastActiveDay) {
        const std::int64_t shift = p.activeDays == 0 ? 32 : static_cast<std::int64_t>(day) - p.lastActiveDay;
        p.activeDays = shift >= 32 ? 0u : p.activeDays << shift;
        p.activeDays |= 1u;
        p.lastActiveDay = day;
    } else if (const std::int64_t back = static_cast<std::int64_t>(p.lastActiveDay) - day; back < 32) {
        p.activeDays |= 1u << back;
    }
}

std::string tagForCategory(std::string_view category)
{
    std::string tag;
    for (const char c : category) {
        if (c >= 'A' && c <= 'Z')
            tag += static_cast<char>(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            tag += c;
        else
            break;
    }
    return tag.empty() ? "other" : tag;
}

ProfileStore::ProfileStore(ProfileOptions options)
    : m_options(options), m_blockTable(std::make_unique<std::atomic<Block *>[]>(kMaxBlocks))
{}

std::optional<Error> ProfileStore::validate(const UserEvent &event)
{
    if (event.uid <= 0)
        return invalid("uid must be a positive user id, not " + std::to_string(event.uid));
    if (std::none_of(std::begin(kEventTypes), std::end(kEventTypes), [&](const char *t) { return event.type == t; }))
        return invalid("unknown event type " + quoted(event.type) +
                       " (expected register, login, session, pay, share, click, level_up or view)");
    if (event.at.time_since_epoch().count() <= 0)
        return invalid("the event's time ts must be after 1970-01-01T00:00:00Z");
    for (const auto &[name, value] : event.props) {
        if (!std::isfinite(value))
            return invalid("property " + quoted(name) + " is not a finite number");
        if (name.starts_with("tag.")) {
            if (!isTagName(std::string_view(name).substr(4)))
                return invalid("tag name " + quoted(name.substr(4)) + " must be 1-64 characters of a-z, 0-9 and _");
            if (std::abs(value) > 1e6)
                return invalid("tag delta " + quoted(name) + " is out of range (at most 1e6 either way)");
        } else if (name == "depth") {
            if (event.type != "login" && event.type != "session")
                return invalid("property 'depth' belongs to login and session events, not " + quoted(event.type));
            if (value < 0 || value > 1e6 || value != std::floor(value))
                return invalid("depth must be a whole number of pages from 0 to 1000000");
        } else if (name == "amount_minor") {
            if (event.type != "pay")
                return invalid("property 'amount_minor' belongs to pay events, not " + quoted(event.type));
        } else {
            return invalid("unknown property " + quoted(name) + " (expected tag.NAME, depth or amount_minor)");
        }
    }
    for (const auto &[name, value] : event.attrs) {
        if (std::none_of(std::begin(kAttributes), std::end(kAttributes), [&](const char *a) { return name == a; }))
            return invalid("unknown attribute " + quoted(name) + " (expected device, region or install_channel)");
        if (value.empty() || value.size() > kMaxText)
            return invalid("attribute " + quoted(name) + " must be 1-64 characters");
    }
    return std::nullopt;
}

Result<std::size_t> ProfileStore::apply(std::span<const UserEvent> events)
{
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (auto error = validate(events[i]))
            return Error{error->code, "event " + std::to_string(i) + ": " + error->message};
    }
    for (const UserEvent &event : events) {
        const Result<std::size_t> slot = slotFor(event.uid);
        if (!slot.ok())
            return slot.error();
        Block &b = *block(slot.value() / kBlockSize);
        const std::size_t offset = slot.value() % kBlockSize;
        const std::lock_guard lock(b.mutex);
        applyLocked(b.profiles[offset], event);
        b.dirty[offset] = 1;
        b.anyDirty = true;
    }
    return events.size();
}

void ProfileStore::applyLocked(Profile &p, const UserEvent &event)
{
    const Day day = dayOf(event.at);
    markActive(p, day);
    if (event.type == "register") {
        p.registered = true;
        p.registeredDay = day;
    } else if (!p.registered && day < p.registeredDay) {
        p.registeredDay = day; // not registered yet: first seen
    }
    if (event.type == "pay") {
        ++p.payCount;
        p.paid = true;
    }
    for (const auto &[name, value] : event.props) {
        if (name.starts_with("tag.")) {
            const std::int32_t tag = m_dictionary.intern(std::string_view(name).substr(4));
            const auto it =
                std::find_if(p.tags.begin(), p.tags.end(), [&](const TagWeight &t) { return t.tag == tag; });
            if (it == p.tags.end())
                p.tags.push_back(TagWeight{tag, value});
            else
                it->weight = it->weight * m_options.decay + value;
        } else if (name == "depth" && toEpochMs(event.at) >= p.sessionAtMs) {
            p.sessionDepth = static_cast<std::int32_t>(value);
            p.sessionAtMs = toEpochMs(event.at);
        }
    }
    for (const auto &[name, value] : event.attrs) {
        const std::int32_t id = m_dictionary.intern(value);
        if (name == "device")
            p.device = id;
        else if (name == "region")
            p.region = id;
        else
            p.installChannel = id;
    }
}

void ProfileStore::put(const Profile &profile)
{
    const Result<std::size_t> slot = slotFor(profile.uid);
    if (!slot.ok())
        return;
    Block &b = *block(slot.value() / kBlockSize);
    const std::lock_guard lock(b.mutex);
    b.profiles[slot.value() % kBlockSize] = profile;
}

std::optional<std::size_t> ProfileStore::slotOf(std::int64_t uid) const
{
    const std::shared_lock lock(m_indexMutex);
    const auto it = m_index.find(uid);
    if (it == m_index.end())
        return std::nullopt;
    return it->second;
}

Result<std::size_t> ProfileStore::slotFor(std::int64_t uid)
{
    if (const auto slot = slotOf(uid))
        return *slot;
    const std::unique_lock lock(m_indexMutex);
    if (const auto it = m_index.find(uid); it != m_index.end())
        return it->second;
    const std::size_t slot = m_size.load(std::memory_order_relaxed);
    const std::size_t blockIndex = slot / kBlockSize;
    if (blockIndex >= kMaxBlocks)
        return Error{ErrorCode::ResourceExhausted,
                     "the profile store is full (" + std::to_string(kMaxBlocks * kBlockSize) + " users)"};
    if (blockIndex == m_blocks.size()) {
        auto fresh = std::make_unique<Block>();
        fresh->profiles.reserve(kBlockSize);
        fresh->dirty.assign(kBlockSize, 0);
        m_blockTable[blockIndex].store(fresh.get(), std::memory_order_release);
        m_blocks.push_back(std::move(fresh));
    }
    {
        Block &b = *m_blocks[blockIndex];
        const std::lock_guard blockLock(b.mutex);
        Profile blank;
        blank.uid = uid;
        blank.registeredDay = std::numeric_limits<Day>::max();
        b.profiles.push_back(blank);
    }
    m_index.emplace(uid, slot);
    m_size.store(slot + 1, std::memory_order_release);
    return slot;
}

std::optional<Profile> ProfileStore::find(std::int64_t uid) const
{
    const auto slot = slotOf(uid);
    if (!slot)
        return std::nullopt;
    const Block &b = *block(*slot / kBlockSize);
    const std::lock_guard lock(b.mutex);
    return b.profiles[*slot % kBlockSize];
}

std::vector<std::int64_t> ProfileStore::takeDirty()
{
    std::vector<std::int64_t> uids;
    const std::size_t blocks = blockCount();
    for (std::size_t i = 0; i < blocks; ++i) {
        Block &b = *block(i);
        const std::lock_guard lock(b.mutex);
        if (!b.anyDirty)
            continue;
        for (std::size_t j = 0; j < b.profiles.size(); ++j) {
            if (b.dirty[j] != 0) {
                uids.push_back(b.profiles[j].uid);
                b.dirty[j] = 0;
            }
        }
        b.anyDirty = false;
    }
    return uids;
}

void ProfileStore::markDirty(const std::vector<std::int64_t> &uids)
{
    for (const std::int64_t uid : uids) {
        const auto slot = slotOf(uid);
        if (!slot)
            continue;
        Block &b = *block(*slot / kBlockSize);
        const std::lock_guard lock(b.mutex);
        b.dirty[*slot % kBlockSize] = 1;
        b.anyDirty = true;
    }
}

std::size_t ProfileStore::blockCount() const
{
    return (size() + kBlockSize - 1) / kBlockSize;
}

bool ProfileStore::forEachInBlocks(std::size_t firstBlock, std::size_t endBlock,
                                   const std::function<bool(const Profile &)> &f) const
{
    for (std::size_t i = firstBlock; i < endBlock; ++i) {
        const Block &b = *block(i);
        const std::lock_guard lock(b.mutex);
        for (const Profile &p : b.profiles) {
            if (!f(p))
                return false;
        }
    }
    return true;
}

void ProfileStore::forEach(const std::function<bool(const Profile &)> &f) const
{
    forEachInBlocks(0, blockCount(), f);
}

} // namespace flywheel::segments
