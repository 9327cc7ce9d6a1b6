#include "segments/SegmentManager.h"

#include "common/Log.h"
#include "segments/SegmentSetYaml.h"

#include <random>

namespace flywheel::segments {

namespace {

constexpr auto kWeek = std::chrono::hours(24 * 7);
constexpr auto kFlushEvery = std::chrono::seconds(1);
constexpr auto kCountSizesEvery = std::chrono::seconds(5);
constexpr int kMaxSample = 100;
constexpr std::size_t kProfilesPerTransaction = 2000;
constexpr double kPurchaseDelta = 0.3;

versioning::DocumentSpec segmentSetSpec()
{
    return versioning::DocumentSpec{
        kSegmentsArea, "segment set", "the segments change", [](std::int64_t base, std::int64_t current) {
            return "the segments changed while you edited them: you started from version " + std::to_string(base) +
                   ", the current version is " + std::to_string(current) + "; reload and apply your change again";
        }};
}

versioning::Codec<SegmentSet> segmentSetCodec(Dictionary &dictionary)
{
    versioning::Codec<SegmentSet> codec;
    codec.parse = [](const std::string &yaml, const std::string &where) -> Result<SegmentSet> {
        auto parsed = parseSegmentSetYaml(yaml, where);
        if (const auto *error = std::get_if<common::YamlError>(&parsed))
            return Error{ErrorCode::InvalidArgument, "cannot read " + error->describe()};
        return std::get<SegmentSet>(std::move(parsed));
    };
    // Compiling validates: expressions, ids, the policy.
    codec.validate = [&dictionary](const SegmentSet &set) -> std::optional<Error> {
        auto compiled = compileSegmentSet(set, 0, dictionary);
        if (!compiled.ok())
            return compiled.error();
        return std::nullopt;
    };
    codec.emit = [](const SegmentSet &set) { return emitSegmentSetYaml(set); };
    return codec;
}

} // namespace

SegmentSet exampleSegments()
{
    SegmentSet set;
    set.policy.seedExpression = "days_since_reg <= 90 || pay_count >= 1";
    set.policy.holdoutPercent = 10;
    set.policy.rateLimitPerSecond = 200;
    set.segments = {
        Segment{"new_payers",
                "High-value new users",
                "pay_count >= 1 && days_since_reg <= 3",
                30,
                1,
                CapPeriod::Day,
                {Channel::Push, Channel::InApp},
                true},
        Segment{"sports_winback",
                "Dormant sports fans to win back",
                "last_active_days > 7 && tag.sports > 0.8",
                20,
                2,
                CapPeriod::Week,
                {Channel::Push, Channel::Sms, Channel::InApp},
                true},
        Segment{"first_order",
                "Registered, no order yet",
                "!key_path_complete && days_since_reg <= 14",
                10,
                1,
                CapPeriod::Day,
                {Channel::InApp, Channel::Push},
                true},
    };
    return set;
}

SegmentManager::SegmentManager(SegmentStore &store, const Clock &clock, ProfileOptions options, Senders senders)
    : m_store(store), m_clock(clock), m_profiles(options), m_decider(clock), m_senders(std::move(senders)),
      m_document(store, clock, segmentSetSpec(), segmentSetCodec(m_profiles.dictionary()),
                 [this](SegmentSet set, const StoredSegmentSet &stored) { install(std::move(set), stored); })
{
    const auto simulated = std::make_shared<SimulatedSender>();
    for (auto *sender : {&m_senders.push, &m_senders.sms, &m_senders.inApp}) {
        if (!*sender)
            *sender = simulated;
    }
    auto empty = std::make_shared<CompiledSegmentSet>();
    m_current = std::move(empty);
}

SegmentManager::~SegmentManager()
{
    stop();
}

StoredProfile SegmentManager::toStored(const Profile &p) const
{
    const Dictionary &d = m_profiles.dictionary();
    StoredProfile s{p.uid,
                    p.registeredDay,
                    p.lastActiveDay,
                    p.activeDays,
                    p.payCount,
                    p.sessionDepth,
                    p.sessionAtMs,
                    d.text(p.device),
                    d.text(p.region),
                    d.text(p.installChannel),
                    p.registered,
                    p.paid,
                    {}};
    for (const TagWeight &t : p.tags)
        s.tags.emplace_back(d.text(t.tag), t.weight);
    return s;
}

Profile SegmentManager::fromStored(const StoredProfile &s)
{
    Dictionary &d = m_profiles.dictionary();
    Profile p;
    p.uid = s.uid;
    p.registeredDay = s.registeredDay;
    p.lastActiveDay = s.lastActiveDay;
    p.activeDays = s.activeDays;
    p.payCount = s.payCount;
    p.sessionDepth = s.sessionDepth;
    p.sessionAtMs = s.sessionAtMs;
    p.device = s.device.empty() ? Dictionary::kUnknown : d.intern(s.device);
    p.region = s.region.empty() ? Dictionary::kUnknown : d.intern(s.region);
    p.installChannel = s.installChannel.empty() ? Dictionary::kUnknown : d.intern(s.installChannel);
    p.registered = s.registered;
    p.paid = s.paid;
    for (const auto &[name, weight] : s.tags)
        p.tags.push_back(TagWeight{d.intern(name), weight});
    return p;
}

void SegmentManager::start(const std::vector<User> &users, const std::optional<SegmentSet> &examples)
{
    const std::vector<StoredProfile> stored = m_store.loadProfiles();
    if (!stored.empty()) {
        for (const StoredProfile &s : stored)
            m_profiles.put(fromStored(s));
    } else if (!users.empty()) {
        // The first start on a database with users: profiles from what is known of
        // them (registration, device, region, channel, payments), saved at once.
        std::map<std::int64_t, std::int32_t> payCounts;
        for (const auto &[uid, count] : m_store.loadPayCounts())
            payCounts[uid] = count;
        std::map<std::int64_t, std::vector<PurchaseSummary>> purchases;
        for (PurchaseSummary &s : m_store.loadPurchaseSummaries())
            purchases[s.uid].push_back(std::move(s));
        std::vector<StoredProfile> built;
        built.reserve(users.size());
        for (const User &u : users) {
            Profile p;
            p.uid = u.uid;
            p.registered = true;
            p.registeredDay = dayOf(u.registeredAt);
            p.lastActiveDay = p.registeredDay;
            p.activeDays = 1;
            p.device = m_profiles.dictionary().intern(deviceTypeName(u.device));
            p.region = u.region.empty() ? Dictionary::kUnknown : m_profiles.dictionary().intern(u.region);
            p.installChannel =
                u.installChannel.empty() ? Dictionary::kUnknown : m_profiles.dictionary().intern(u.installChannel);
            if (const auto it = payCounts.find(u.uid); it != payCounts.end()) {
                p.payCount = it->second;
                p.paid = it->second > 0;
            }
            // What they bought says what they like: each paid order with a line of a
            // category adds kPurchaseDelta to its tag, decaying as events do; the day
            // of the latest purchase per category counts as an active day.
            for (const PurchaseSummary &s : purchases[u.uid]) {
                double weight = 0;
                for (std::int32_t i = 0; i < s.orders; ++i)
                    weight = i == 0 ? kPurchaseDelta : weight * m_profiles.options().decay + kPurchaseDelta;
                p.tags.push_back(TagWeight{m_profiles.dictionary().intern(tagForCategory(s.category)), weight});
                markActive(p, dayOf(s.lastAt));
            }
            m_profiles.put(p);
            built.push_back(toStored(p));
        }
        m_store.saveProfiles(built);
    }

    if (!m_document.open() && examples) {
        const auto installed = m_document.replace(*examples, emitSegmentSetYaml(*examples),
                                                  "example segments of the demo", "initial", std::nullopt);
        if (!installed.ok())
            throw StorageError("the example segments could not be installed: " + installed.error().message);
    }

    for (const StoredDelivery &d : m_store.loadDeliveriesSince(m_clock.now() - kWeek)) {
        if (const auto channel = channelFromName(d.channel))
            m_decider.remember(Delivery{d.uid, d.segmentId, *channel, d.at});
    }
    countSizes();
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void SegmentManager::stop()
{
    {
        const std::lock_guard lock(m_runMutex);
        if (!m_thread.joinable())
            return;
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread.join();
    try {
        flush();
    } catch (const StorageError &e) {
        common::Log::error(std::string("the last profile updates could not be saved: ") + e.what());
    }
}

void SegmentManager::run()
{
    auto nextCount = std::chrono::steady_clock::now() + kCountSizesEvery;
    auto nextPrune = std::chrono::steady_clock::now();
    std::unique_lock lock(m_runMutex);
    while (!m_stopping) {
        m_wake.wait_for(lock, kFlushEvery, [this] { return m_stopping; });
        if (m_stopping)
            break;
        lock.unlock();
        try {
            flush();
            if (std::chrono::steady_clock::now() >= nextCount) {
                countSizes();
                nextCount = std::chrono::steady_clock::now() + kCountSizesEvery;
            }
            if (std::chrono::steady_clock::now() >= nextPrune) {
                // No cap looks further back than a week.
                m_decider.prune();
                m_store.purgeDeliveries(m_clock.now() - kWeek);
                nextPrune = std::chrono::steady_clock::now() + std::chrono::hours(1);
            }
        } catch (const StorageError &e) {
            // Kept in memory and marked again: the next flush retries.
            common::Log::error(std::string("profiles could not be saved (will retry): ") + e.what());
        }
        lock.lock();
    }
}

void SegmentManager::flush()
{
    const std::lock_guard flushLock(m_flushMutex);
    const std::vector<std::int64_t> dirty = m_profiles.takeDirty();
    std::vector<StoredProfile> profiles;
    profiles.reserve(dirty.size());
    for (const std::int64_t uid : dirty) {
        if (const auto p = m_profiles.find(uid))
            profiles.push_back(toStored(*p));
    }
    std::vector<StoredDelivery> deliveries;
    {
        const std::lock_guard lock(m_statsMutex);
        deliveries.swap(m_unsaved);
    }
    dispatch(deliveries);
    try {
        // In slices, each its own transaction: the store's lock is released between
        // them, so a million changed profiles do not hold up order commits.
        for (std::size_t i = 0; i < profiles.size(); i += kProfilesPerTransaction) {
            const auto end = std::min(profiles.size(), i + kProfilesPerTransaction);
            m_store.saveProfiles(std::vector<StoredProfile>(profiles.begin() + static_cast<std::ptrdiff_t>(i),
                                                            profiles.begin() + static_cast<std::ptrdiff_t>(end)));
        }
        m_store.appendDeliveries(deliveries);
    } catch (const StorageError &) {
        m_profiles.markDirty(dirty); // saving again what was saved already is harmless
        const std::lock_guard lock(m_statsMutex);
        m_unsaved.insert(m_unsaved.begin(), deliveries.begin(), deliveries.end());
        throw;
    }
}

void SegmentManager::dispatch(std::vector<StoredDelivery> &deliveries)
{
    // Messages put back after a failed store write were dispatched already: they are
    // not sent twice.
    std::map<MessageSender *, std::vector<StoredDelivery *>> batches;
    std::vector<const StoredDelivery *> dispatched;
    for (StoredDelivery &d : deliveries) {
        if (!d.status.empty())
            continue;
        dispatched.push_back(&d);
        const auto channel = channelFromName(d.channel);
        MessageSender *sender = channel ? m_senders.forChannel(*channel) : nullptr;
        if (!sender) {
            d.status = "failed";
            d.error = "no sender for channel " + d.channel;
            continue;
        }
        const auto error = sender->send(OutgoingMessage{d.uid, d.segmentId, *channel, d.at, d.setVersion});
        d.status = error ? "failed" : "sent";
        d.error = error.value_or("");
        batches[sender].push_back(&d);
    }
    for (const auto &[sender, batch] : batches) {
        // Not durable at the sender: every message of the batch counts as failed
        // (the sender's consumer may see some of them; it deduplicates on uid,
        // segment and decision time).
        if (const auto error = sender->finishBatch()) {
            for (StoredDelivery *d : batch) {
                d->status = "failed";
                d->error = *error;
            }
        }
    }
    if (m_dispatched) {
        for (const StoredDelivery *d : dispatched)
            m_dispatched(d->channel, d->status != "failed");
    }
    const std::lock_guard lock(m_statsMutex);
    for (const StoredDelivery *d : dispatched) {
        if (d->status != "failed")
            continue;
        if (const auto channel = channelFromName(d->channel))
            ++m_stats.failed[{d->segmentId, *channel}];
        m_stats.lastFailure = d->channel + ": " + d->error;
    }
}

void SegmentManager::countSizes()
{
    const auto set = current();
    const Day today = dayOf(m_clock.now());
    std::vector<std::int64_t> counts(set->ordered.size(), 0);
    m_profiles.forEach([&](const Profile &p) {
        for (std::size_t i = 0; i < counts.size(); ++i)
            counts[i] += set->ordered[i].second.matches(p, today) ? 1 : 0;
        return true;
    });
    std::map<std::string, std::int64_t> sizes;
    for (std::size_t i = 0; i < counts.size(); ++i)
        sizes[set->ordered[i].first->id] = counts[i];
    const std::lock_guard lock(m_statsMutex);
    m_sizes = std::move(sizes);
    m_sizesAt = m_clock.now();
}

std::pair<std::map<std::string, std::int64_t>, TimePoint> SegmentManager::sizes() const
{
    const std::lock_guard lock(m_statsMutex);
    return {m_sizes, m_sizesAt};
}

std::variant<SegmentPreview, ExpressionError> SegmentManager::preview(std::string_view source, int sampleSize)
{
    const auto started = std::chrono::steady_clock::now();
    auto compiled = compileExpression(source, m_profiles.dictionary());
    if (auto *error = std::get_if<ExpressionError>(&compiled))
        return std::move(*error);
    const Expression &expression = std::get<Expression>(compiled);
    const std::size_t k = static_cast<std::size_t>(std::clamp(sampleSize, 0, kMaxSample));
    const Day today = dayOf(m_clock.now());

    SegmentPreview preview;
    std::vector<Profile> reservoir;
    reservoir.reserve(k);
    std::mt19937_64 rng(20261124); // the same profiles sample the same way
    m_profiles.forEach([&](const Profile &p) {
        ++preview.total;
        if (!expression.matches(p, today))
            return true;
        ++preview.matching;
        if (reservoir.size() < k) {
            reservoir.push_back(p);
        } else if (k > 0) {
            const auto j = std::uniform_int_distribution<std::int64_t>(0, preview.matching - 1)(rng);
            if (j < static_cast<std::int64_t>(k))
                reservoir[static_cast<std::size_t>(j)] = p;
        }
        return true;
    });
    std::sort(reservoir.begin(), reservoir.end(), [](const Profile &a, const Profile &b) { return a.uid < b.uid; });
    preview.features = expression.features();
    for (const Profile &p : reservoir) {
        std::vector<std::string> values;
        for (const std::string &feature : preview.features)
            values.push_back(featureText(feature, p, today, m_profiles.dictionary()));
        preview.sample.emplace_back(p.uid, std::move(values));
    }
    preview.elapsedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return preview;
}

std::shared_ptr<const CompiledSegmentSet> SegmentManager::current() const
{
    const std::lock_guard lock(m_setMutex);
    return m_current;
}

std::optional<StoredSegmentSet> SegmentManager::stored(std::int64_t version)
{
    return m_store.segmentSet(version);
}

std::vector<StoredSegmentSet> SegmentManager::versions(int limit)
{
    return m_store.segmentSets(limit);
}

void SegmentManager::install(SegmentSet set, const StoredSegmentSet &stored)
{
    auto compiled = compileSegmentSet(std::move(set), stored.version, m_profiles.dictionary());
    if (!compiled.ok()) // only a stored version can be invalid: new ones were validated
        throw StorageError("segment set version " + std::to_string(stored.version) +
                           " is not valid: " + compiled.error().message);
    {
        const std::lock_guard lock(m_setMutex);
        m_current = compiled.value();
    }
    countSizes();
}

Result<StoredSegmentSet> SegmentManager::save(std::int64_t baseVersion, SegmentSet set, const std::string &reason,
                                              const audit::Actor &actor)
{
    return m_document.save(baseVersion, std::move(set), reason, actor);
}

Result<StoredSegmentSet> SegmentManager::rollback(std::int64_t toVersion, const std::string &reason,
                                                  const audit::Actor &actor)
{
    return m_document.restore(toVersion, std::nullopt, reason, actor);
}

std::set<std::string> SegmentManager::memberships(std::int64_t uid) const
{
    std::set<std::string> ids;
    const std::optional<Profile> profile = m_profiles.find(uid);
    if (!profile)
        return ids;
    const auto set = current();
    const Day today = dayOf(m_clock.now());
    for (const auto &[segment, expression] : set->ordered) {
        if (expression.matches(*profile, today))
            ids.insert(segment->id);
    }
    return ids;
}

Result<ReachDecision> SegmentManager::decide(std::int64_t uid, bool commit)
{
    if (uid <= 0)
        return Error{ErrorCode::InvalidArgument, "uid must be a positive user id, not " + std::to_string(uid)};
    const auto profile = m_profiles.find(uid);
    if (!profile)
        return Error{ErrorCode::NotFound, "user " + std::to_string(uid) + " has no profile (no event has named them)"};
    const auto set = current();
    ReachDecision decision = m_decider.decide(*set, *profile, commit);
    if (commit) {
        // Delivered by the flusher through the channel's sender, within a second, and
        // recorded with the sender's answer so that caps hold after a restart. A
        // refused message still counts against the cap: never message a user twice
        // because a gateway answered late.
        const std::lock_guard lock(m_statsMutex);
        ++m_stats.outcomes[decision.outcome];
        if (decision.outcome == ReachOutcome::Reach) {
            ++m_stats.messages[{decision.segmentId, *decision.channel}];
            m_unsaved.push_back(StoredDelivery{
                uid, decision.segmentId, channelName(*decision.channel), decision.at, decision.setVersion, {}, {}});
        }
    }
    return decision;
}

ReachStatistics SegmentManager::statistics() const
{
    const std::lock_guard lock(m_statsMutex);
    ReachStatistics stats = m_stats;
    stats.sender = m_senders.push->describe();
    return stats;
}

} // namespace flywheel::segments
