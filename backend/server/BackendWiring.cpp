#include "server/BackendWiring.h"

#include "auth/Callers.h"
#include "auth/TokenAuthProcessor.h"
#include "auth/TokenBook.h"
#include "auth/TokensFile.h"
#include "auth/TokensFileWatcher.h"
#include "alerts/AlertManager.h"
#include "common/Log.h"
#include "http/HttpListener.h"
#include "metrics/Registry.h"
#include "server/BusinessMetrics.h"
#include "server/RequestMetrics.h"
#include "domain/DemoData.h"
#include "domain/MetricsAggregator.h"
#include "experiments/ExperimentManager.h"
#include "pricing/PricingManager.h"
#include "server/DaemonConfig.h"
#include "services/AlertService.h"
#include "services/AuditService.h"
#include "services/CatalogService.h"
#include "services/ExperimentService.h"
#include "services/InventoryService.h"
#include "services/MetricsService.h"
#include "services/OrderService.h"
#include "services/OutboxSender.h"
#include "services/PricingService.h"
#include "services/ReferralService.h"
#include "services/SegmentService.h"
#include "services/PaymentService.h"
#include "services/SubsidyService.h"
#include "server/PaymentsPart.h"
#include "services/SystemService.h"
#include "services/TokenService.h"
#include "sim/ReferralSimulator.h"
#include "sim/TrafficSimulator.h"
#include "storage/InventorySnapshotter.h"
#include "storage/OrderWriter.h"
#include "storage/SqliteStore.h"
#include "subsidy/SubsidyManager.h"

#include <absl/synchronization/mutex.h>
#include <grpcpp/support/server_interceptor.h>
#include <httplib.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/impl/server_builder_option.h>
#include <grpcpp/impl/server_builder_plugin.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace flywheel {

namespace {

/// Hands each call to RequestMetrics, which the wiring keeps (the server owns its
/// factories, and the registry outlives the server).
class ForwardingInterceptors final : public grpc::experimental::ServerInterceptorFactoryInterface {
public:
    explicit ForwardingInterceptors(RequestMetrics &metrics) : m_metrics(metrics) {}
    grpc::experimental::Interceptor *CreateServerInterceptor(grpc::experimental::ServerRpcInfo *info) override
    {
        return m_metrics.CreateServerInterceptor(info);
    }

private:
    RequestMetrics &m_metrics;
};

/// Metrics need two of the longest window: the current seven days and the previous.
constexpr auto kMetricsHistory = std::chrono::hours(24 * 14);
constexpr int kMaxMessageBytes = 4 * 1024 * 1024;
/// How often lapsed reservations are looked for.
constexpr auto kExpiryTick = std::chrono::milliseconds(200);
/// The order book forgets orders it has not changed for a minute: storage has them.
constexpr auto kSettleAfter = std::chrono::minutes(1);

bool exists(const std::string &path)
{
    struct stat info {};
    return ::stat(path.c_str(), &info) == 0;
}

/// Removes gRPC's server reflection plugin from a ServerBuilder.
class WithoutReflection final : public grpc::ServerBuilderOption {
public:
    void UpdateArguments(grpc::ChannelArguments *) override {}
    void UpdatePlugins(std::vector<std::unique_ptr<grpc::ServerBuilderPlugin>> *plugins) override
    {
        std::erase_if(*plugins, [](const std::unique_ptr<grpc::ServerBuilderPlugin> &plugin) {
            return plugin->name() == "proto_server_reflection";
        });
    }
};

/// The whole of a PEM file, or a StartupError naming it and why.
std::string readPem(const std::string &path, const std::string &what)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw StartupError("cannot read the " + what + " " + path + ": " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (text.str().find("-----BEGIN ") == std::string::npos)
        throw StartupError("the " + what + " " + path + " is not a PEM file (no -----BEGIN line)");
    return text.str();
}

/// Refuses a file named on the command line that cannot be read: a mistyped path
/// stops the start instead of being noticed later.
void requireReadableFile(const std::string &path, const std::string &what)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        throw StartupError("cannot read the " + what + " " + path + ": " + std::strerror(errno));
    struct stat info {};
    const bool directory = ::fstat(fd, &info) == 0 && S_ISDIR(info.st_mode);
    ::close(fd);
    if (directory)
        throw StartupError("the " + what + " " + path + " is a directory, not a file");
}

const BackendOptions &checked(const BackendOptions &options)
{
    if (options.reservationTtl < std::chrono::seconds(1) || options.reservationTtl > std::chrono::hours(24))
        throw StartupError("the reservation time must be between 1 second and 24 hours");
    if (!(options.simulateRate >= 0 && options.simulateRate <= TrafficSimulator::kMaxRate))
        throw StartupError("the simulation rate must be between 0 and " +
                           std::to_string(static_cast<int>(TrafficSimulator::kMaxRate)) + " orders per second");
    if (!(options.tagDecay > 0 && options.tagDecay <= 1))
        throw StartupError("the tag decay must be greater than 0 and at most 1, not " +
                           std::to_string(options.tagDecay));
    if (options.inventorySnapshotEvents < 1)
        throw StartupError("the number of inventory events between snapshots must be at least 1, not " +
                           std::to_string(options.inventorySnapshotEvents));
    if (options.inventorySnapshotEventsPerEntry < 0)
        throw StartupError("the inventory events per snapshot entry must be at least 0, not " +
                           std::to_string(options.inventorySnapshotEventsPerEntry));
    if (!options.pricingFile.empty())
        requireReadableFile(options.pricingFile, "pricing file");
    return options;
}

/// A demo database (seeded, or fed by the simulator) gets the demo's data, example
/// segments and an invite secret of its own.
bool isDemo(const BackendOptions &options)
{
    return options.seedDemoData || options.simulateRate > 0;
}

} // namespace

/// A start that fails removes the database it created (with its WAL and the demo's
/// invite secret, when this start created them too), so that a mistyped option or a
/// port in use leaves nothing behind. A database that was there before is left alone.
class BackendWiring::CreatedFiles final {
public:
    explicit CreatedFiles(const std::string &database)
    {
        if (database.empty() || exists(database))
            return;
        for (const char *suffix : {"", "-wal", "-journal", "-shm", ".invite-secret"}) {
            if (!exists(database + suffix))
                m_paths.push_back(database + suffix);
        }
    }
    ~CreatedFiles()
    {
        if (!m_opened)
            return; // perhaps another process's, created meanwhile
        for (const std::string &path : m_paths)
            ::unlink(path.c_str()); // those that were never created fail harmlessly
    }
    CreatedFiles(const CreatedFiles &) = delete;
    CreatedFiles &operator=(const CreatedFiles &) = delete;
    /// This start opened the database (and holds its exclusive lock): the files are its own.
    void opened() { m_opened = true; }
    /// The start succeeded: keep them.
    void keep() { m_paths.clear(); }

private:
    std::vector<std::string> m_paths;
    bool m_opened = false;
};

BackendWiring::BackendWiring(const BackendOptions &options)
    : m_options(checked(options)), m_clock(options.clock != nullptr ? *options.clock : SystemClock::instance()),
      m_created(std::make_unique<CreatedFiles>(options.databasePath)),
      m_registry(std::make_unique<metrics::Registry>())
{
    // Debian's Abseil checks every mutex acquisition for lock-order cycles, a debugging
    // aid that costs gRPC's hot paths a few percent of CPU. Off, as in release builds.
    static std::once_flag quietMutexes;
    std::call_once(quietMutexes, [] { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); });
}

BackendWiring::~BackendWiring() = default;

void BackendWiring::start()
{
    // Before anything is created: a refused address leaves nothing behind.
    checkListeners();
    loadTokens();
    try {
        openStore();
        loadCatalogAndUsers();
        startSegments();
        startExperiments();
        startReferral();
        startPricing();
        startMetrics();
        startSubsidy();
        startAlerts();
        startOrders();
        startOrderWriter();
        startPayments();
        buildServiceContext();
    } catch (const StorageError &e) {
        throw StartupError(e.what());
    }
    buildServices();
    // Before the gRPC listeners: a metrics address that cannot be served stops the start
    // before any call is taken.
    serveMetrics();
    listen();
    startHousekeeper();
    startSimulators();
    m_created->keep();
}

void BackendWiring::openStore()
{
    m_store = SqliteStore::open(m_options.databasePath);
    m_created->opened();
    m_business = std::make_unique<BusinessMetrics>(*m_registry, m_store->currency());
    if (m_store->isEmpty() && isDemo(m_options)) {
        DemoDataOptions demo;
        demo.ordersPerHour = m_options.demoHistoryOrdersPerHour;
        demo.users = m_options.demoUsers;
        DemoDataset data = makeDemoDataset(m_clock.now(), demo);
        m_store->seed(data);
    }
}

void BackendWiring::loadCatalogAndUsers()
{
    m_catalog = Catalog(m_store->loadProducts());
    m_users = UserDirectory(m_store->loadUsers());
}

void BackendWiring::startSegments()
{
    segments::Senders senders;
    if (!m_options.reachOutbox.empty()) {
        try {
            senders = segments::Senders::all(std::make_shared<OutboxSender>(m_options.reachOutbox));
        } catch (const std::runtime_error &e) {
            throw StartupError(e.what());
        }
    }
    m_segments = std::make_unique<segments::SegmentManager>(
        *m_store, m_clock, segments::ProfileOptions{.decay = m_options.tagDecay}, std::move(senders));
    m_segments->setDispatchListener([this](const std::string &channel, bool sent) {
        m_business->segmentMessages.with({channel, sent ? "sent" : "failed"}).inc();
    });
    m_segments->start(m_users.users(), isDemo(m_options) ? std::optional(segments::exampleSegments()) : std::nullopt);
}

void BackendWiring::startExperiments()
{
    // Shipping a subsidy variant makes its config version the live one. The subsidy
    // manager starts later; these hooks are only called by RPCs, once serving.
    experiments::ExperimentManager::Hooks hooks;
    hooks.makeSubsidyLive = [this](std::int64_t version, const std::string &reason,
                                   const audit::Actor &actor) -> Result<std::int64_t> {
        const std::int64_t before = m_subsidies->live()->version;
        if (before == version)
            return before;
        Result<StoredVersion> made = m_subsidies->rollback(version, before, reason, actor);
        if (!made.ok())
            return made.error();
        return before;
    };
    hooks.subsidyVersionExists = [this](std::int64_t version) {
        return version > 0 && m_subsidies->stored(version).has_value();
    };
    m_experiments = std::make_unique<experiments::ExperimentManager>(*m_store, m_clock, std::move(hooks));
    std::optional<experiments::ExperimentSet> initial;
    if (isDemo(m_options)) {
        // One running invite-copy experiment whose second copy the simulated users
        // share more often (ReferralSimulator::shareChance), so that its results
        // become significant within minutes.
        experiments::ExperimentSet set;
        experiments::Experiment copy;
        copy.key = "invite_copy_warmth";
        copy.name = "Warmer invite copy";
        copy.hypothesis = "A personal, warmer invite copy gets more users to share their link.";
        copy.surface = experiments::Surface::InviteCopy;
        copy.salt = "invite_copy_warmth";
        copy.trafficBp = 10'000;
        copy.minRunHours = 0;
        copy.status = experiments::Status::Running;
        copy.startedAt = m_clock.now();
        copy.variants = {
            {"control", "Plain copy", 5'000, {"Join Flywheel with my link and get a reward on your first order.", 0}},
            {"warm", "Warm copy", 5'000, {"I love shopping here - join me and we both get a treat on your first order!", 0}},
        };
        set.experiments.push_back(std::move(copy));
        initial = std::move(set);
    }
    m_experiments->start(std::move(initial));
}

void BackendWiring::subsidyRedeemed(std::int64_t uid, Money amount, TimePoint at)
{
    m_experiments->record(uid, experiments::ExperimentManager::Event::SubsidyCost, amount, at);
    m_business->subsidySpent.inc(static_cast<std::uint64_t>(std::max<std::int64_t>(0, amount.minorUnits())));
}

void BackendWiring::startReferral()
{
    std::optional<std::string> secret;
    try {
        const std::string demoSecret = m_options.databasePath + ".invite-secret";
        if (!m_options.inviteSecretFile.empty())
            secret = referral::loadInviteSecret(m_options.inviteSecretFile);
        else if (isDemo(m_options))
            secret = referral::createInviteSecretFile(demoSecret);
        else if (exists(demoSecret)) // a demo database started again without the demo options
            secret = referral::loadInviteSecret(demoSecret);
    } catch (const std::exception &e) {
        throw StartupError(e.what());
    }
    try {
        m_referral = std::make_unique<referral::ReferralManager>(*m_store, m_clock, std::move(secret), referralHooks());
    } catch (const std::invalid_argument &e) {
        throw StartupError(e.what());
    }
    m_referral->start();
}

referral::ReferralManager::Hooks BackendWiring::referralHooks()
{
    referral::ReferralManager::Hooks hooks;
    hooks.clicked = [this] { m_business->inviteClicks.inc(); };
    hooks.refused = [this](referral::Refusal reason) {
        m_business->inviteRefusals.with({referral::refusalName(reason)}).inc();
    };
    hooks.commissionMoved = [this](referral::CommissionState to) {
        m_business->commissionTransitions.with({referral::commissionStateName(to)}).inc();
    };
    hooks.commissionRefused = [this] { m_business->commissionRefused.inc(); };
    hooks.registeredAt = [this](std::int64_t uid) -> std::optional<TimePoint> {
        if (const User *user = m_users.find(uid))
            return user->registeredAt;
        if (const auto profile = m_segments->profiles().find(uid); profile && profile->registered)
            return fromEpochMs(std::int64_t{profile->registeredDay} * 86'400'000);
        return std::nullopt;
    };
    hooks.daysSinceActive = [this](std::int64_t uid) -> std::optional<int> {
        const auto profile = m_segments->profiles().find(uid);
        if (!profile)
            return std::nullopt;
        return segments::dayOf(m_clock.now()) - profile->lastActiveDay;
    };
    hooks.registered = [this](const User &user) {
        m_users.add(user);
        std::vector<std::pair<std::string, std::string>> attrs{{"install_channel", user.installChannel},
                                                               {"device", deviceTypeName(user.device)}};
        if (!user.region.empty())
            attrs.emplace_back("region", user.region);
        const segments::UserEvent registered{user.uid, "register", user.registeredAt, {}, std::move(attrs)};
        (void)m_segments->ingest(std::span(&registered, 1));
        // A registration the inviter's invite brought.
        if (const auto binding = m_referral->graph().bindingOf(user.uid))
            m_experiments->record(binding->inviterUid, experiments::ExperimentManager::Event::Registration, Money(),
                                  user.registeredAt, experiments::Surface::InviteCopy);
    };
    hooks.shared = [this](std::int64_t uid, TimePoint at) {
        m_experiments->record(uid, experiments::ExperimentManager::Event::Share, Money(), at);
    };
    hooks.commissionCreated = [this](const referral::Commission &c) {
        // A commission is a cost of the invite-copy variant of the user it is paid to,
        // and of the subsidy variant of the buyer whose order earned it.
        // A new commission's amounts are set when it is confirmed: count what its
        // rates give now (a later reversal does not take it back).
        using Event = experiments::ExperimentManager::Event;
        using experiments::Surface;
        const Money level1 = referral::commissionFor(c.orderTotal, c.level1RateBp);
        const Money level2 = c.level2Uid != 0 ? referral::commissionFor(c.orderTotal, c.level2RateBp) : Money();
        m_experiments->record(c.level1Uid, Event::CommissionCost, level1, c.createdAt, Surface::InviteCopy);
        if (c.level2Uid != 0)
            m_experiments->record(c.level2Uid, Event::CommissionCost, level2, c.createdAt, Surface::InviteCopy);
        m_experiments->record(c.buyerUid, Event::CommissionCost, Money(level1.minorUnits() + level2.minorUnits()), c.createdAt,
                              Surface::FirstOrderSubsidy);
    };
    return hooks;
}

void BackendWiring::startPricing()
{
    m_pricing = std::make_unique<pricing::PricingManager>(*m_store, m_catalog, m_clock, m_options.pricingFile);
    m_pricing->setMemberships([this](std::int64_t uid) { return m_segments->memberships(uid); });
    m_pricing->start(m_options.examplePricingRules ? std::optional(pricing::exampleRules(m_clock.now()))
                                                   : std::nullopt);
}

void BackendWiring::startMetrics()
{
    m_metrics = std::make_unique<MetricsAggregator>(m_clock);
    m_metrics->replay(m_store->loadOrderFactsSince(m_clock.now() - kMetricsHistory));
}

void BackendWiring::startSubsidy()
{
    subsidy::SubsidyManager::Hooks hooks;
    hooks.facts = [this](std::int64_t uid) -> std::optional<subsidy::UserFacts> {
        segments::ProfileStore &profiles = m_segments->profiles();
        const std::optional<segments::Profile> profile = profiles.find(uid);
        if (!profile)
            return m_users.find(uid) != nullptr ? std::optional(subsidy::UserFacts{}) : std::nullopt;
        subsidy::UserFacts facts;
        facts.activeDaysLast7 = profile->activeDaysLast7(segments::dayOf(m_clock.now()));
        facts.payCount = profile->payCount;
        if (const std::int32_t risk = profiles.dictionary().find("risk_score");
            risk != segments::Dictionary::kUnknown) {
            const double weight = profile->tag(risk);
            facts.riskScore = weight >= 100 ? 100 : weight <= 0 ? 0 : static_cast<std::int32_t>(weight);
        }
        return facts;
    };
    m_subsidies = std::make_unique<subsidy::SubsidyManager>(*m_store, m_clock, m_catalog, std::move(hooks));
    // The initial config is off unless the demo's simulated traffic runs:
    // subsidies cost money, so an operator turns them on. The demo's grants to
    // users active one day of seven.
    const bool simulated = m_options.simulateRate > 0;
    subsidy::SubsidyConfig initial = subsidy::initialSubsidyConfig(simulated);
    if (simulated)
        initial.activeDays = 1;
    m_subsidies->start(initial);
    m_subsidies->setRedeemedListener([this](std::int64_t uid, std::int64_t, Money amount, TimePoint at) {
        subsidyRedeemed(uid, amount, at);
    });
    if (simulated)
        seedDemoSubsidyExperiment();
}

void BackendWiring::seedDemoSubsidyExperiment()
{
    // Once, on a fresh demo database: a second, more generous config and a running
    // experiment between the two, so that the demo shows what a subsidy variant
    // does (the simulated buyers pay subsidised orders more often).
    // Version 1 live and nothing stored after it (not even a candidate of an earlier,
    // failed start), and no subsidy experiment.
    if (m_subsidies->live()->version != 1)
        return;
    if (const std::vector<StoredVersion> newest = m_subsidies->document().versions(1);
        newest.empty() || newest.front().version != 1)
        return;
    for (const experiments::Experiment &e : m_experiments->current().set.experiments) {
        if (e.surface == experiments::Surface::FirstOrderSubsidy)
            return;
    }
    const audit::Actor demo{"demo", "system", ""};
    subsidy::SubsidyConfig generous = m_subsidies->live()->config;
    generous.baseAmount = Money(generous.baseAmount.minorUnits() * 2);
    generous.minLtvCacRatio = 1.0;
    // A candidate: stored and audited, not in force. Version 1 stays live; the
    // experiment decides per user.
    Result<StoredVersion> version = m_subsidies->saveCandidate(
        generous, "Demo: a more generous first-order subsidy, to be tried on half of new buyers", demo);
    if (!version.ok())
        throw StorageError("the demo's candidate subsidy config was not saved: " + version.error().message);
    experiments::Experiment trial;
    trial.key = "first_order_generous";
    trial.name = "Generous first-order subsidy";
    trial.hypothesis = "Twice the subsidy, to more users, brings more first orders than it costs.";
    trial.surface = experiments::Surface::FirstOrderSubsidy;
    trial.salt = trial.key;
    trial.trafficBp = 10'000;
    trial.minRunHours = 0;
    trial.variants = {{"control", "Current config", 5'000, {"", 1}},
                      {"generous", "Generous config", 5'000, {"", version.value().version}}};
    Result<experiments::ExperimentManager::Current> saved =
        m_experiments->save(m_experiments->current().stored.version, trial, "Demo: the subsidy experiment", demo);
    if (saved.ok())
        saved = m_experiments->startExperiment(saved.value().stored.version, trial.key,
                                               "Demo: the subsidy experiment starts", demo);
    if (!saved.ok())
        throw StorageError("the demo's subsidy experiment was not started: " + saved.error().message);
}

void BackendWiring::startOrders()
{
    // The newest inventory snapshot and the events stored after it.
    m_ledger = std::make_unique<inventory::InventoryLedger>();
    m_snapshots = std::make_unique<InventorySnapshotter>(*m_store, m_options.inventorySnapshotEvents,
                                                         m_options.inventorySnapshotEventsPerEntry);
    m_snapshots->load(*m_ledger);
    m_book = std::make_unique<orders::OrderBook>(*m_ledger, m_options.reservationTtl);
    m_book->setIllegalTransitionListener([this](std::int64_t orderId, OrderStatus from, OrderStatus to) {
        m_business->illegalTransitions.with({orderStatusName(from), orderStatusName(to)}).inc();
        // A repeat (paid -> paid: a provider's retry, a second payment of a paid order)
        // is answered, not an illegal move. Handed over under a lock of its own: this
        // runs under the book's lock, and evaluating the alerts takes a while.
        if (from != to) {
            const std::lock_guard lock(m_illegalMutex);
            if (m_illegalPending.size() < kMaxIllegalPending)
                m_illegalPending.push_back({m_clock.now(), orderId, from, to});
        }
    });
    // Memory holds the keys of the last minute; older ones, and all of them
    // after a restart, are looked up in the database (48 hours of them) when the
    // table's filter of stored keys may hold them. The filter is filled in the
    // background: a restart does not wait for 48 hours of keys to be read.
    m_idempotency = std::make_unique<orders::IdempotencyTable>();
    m_store->setIdempotencyKeyRetention(m_idempotency->retention());
    m_storedKeyLoader = std::jthread([this](const std::stop_token &stop) { loadStoredKeys(stop); });
}

bool BackendWiring::waitForStoredKeys()
{
    if (m_storedKeyLoader.joinable())
        m_storedKeyLoader.join();
    return m_idempotency->storedKeysLoaded();
}

void BackendWiring::loadStoredKeys(const std::stop_token &stop)
{
    try {
        m_store->forEachIdempotencyKey(m_clock.now() - m_idempotency->retention(),
                                       [this, &stop](std::int64_t uid, std::string_view key, TimePoint createdAt) {
                                           m_idempotency->addStoredKey(uid, key, createdAt);
                                           return !stop.stop_requested();
                                       });
        if (!stop.stop_requested())
            m_idempotency->loadedStoredKeys();
    } catch (const StorageError &e) {
        // Correct without the filter, only slower: every key is looked up.
        common::Log::error(std::string("the stored idempotency keys could not be read, so every new key is "
                                       "looked up in the database: ") +
                           e.what());
    }
}

void BackendWiring::startOrderWriter()
{
    // The context the listener updates is built next, before anything can be submitted.
    m_writer = std::make_unique<OrderWriter>(*m_store,
                                             [this](const std::vector<JournalEntry> &entries) { committed(entries); });
}

void BackendWiring::committed(const std::vector<JournalEntry> &entries)
{
    m_snapshots->committed(entries);
    m_subsidies->committed(entries);
    m_business->committed(entries);
    const TimePoint committedAt = m_clock.now();
    std::int64_t created = 0;
    for (const JournalEntry &entry : entries) {
        if (entry.newOrder)
            ++created;
        if (entry.transition && entry.transition->to == OrderStatus::Paid) {
            // From the payment's arrival (PayOrder, or the provider's notification
            // settled) to the sale of the stock being stored.
            m_alerts->monitor().paidOrderConfirmed(committedAt,
                                                   std::max(Milliseconds(0), committedAt - entry.transition->at));
            m_metrics->record(
                OrderFact{entry.transition->uid, entry.transition->at, entry.transition->total.minorUnits()});
            // A payment is an event of the buyer's profile too.
            const segments::UserEvent paid{
                entry.transition->uid,
                "pay",
                entry.transition->at,
                {{"amount_minor", static_cast<double>(entry.transition->total.minorUnits())}},
                {}};
            m_segments->ingest(std::span(&paid, 1));
            m_referral->orderPaid(entry.transition->orderId, entry.transition->uid, entry.transition->total,
                                  entry.transition->at);
            // The buyer's own paid order, and one their inviter's invite brought.
            using Event = experiments::ExperimentManager::Event;
            m_experiments->record(entry.transition->uid, Event::PaidOrder, entry.transition->total,
                                  entry.transition->at);
            if (const auto binding = m_referral->graph().bindingOf(entry.transition->uid))
                m_experiments->record(binding->inviterUid, Event::PaidOrder, entry.transition->total,
                                      entry.transition->at, experiments::Surface::InviteCopy);
        }
        if (entry.transition && entry.transition->to == OrderStatus::Refunded)
            m_referral->orderRefunded(entry.transition->orderId);
        // A cancelled, expired or paid order's open payments are closed at their providers.
        if (entry.transition && m_payments &&
            (entry.transition->to == OrderStatus::Cancelled || entry.transition->to == OrderStatus::Expired ||
             entry.transition->to == OrderStatus::Paid))
            m_payments->manager().orderClosed(entry.transition->orderId);
    }
    m_context->ordersTotal += created;
}

void BackendWiring::startAlerts()
{
    m_alerts = std::make_unique<alerts::AlertManager>(*m_store, m_clock, m_options.mode == "demo");
    m_alerts->start();
}

void BackendWiring::evaluateAlerts()
{
    // The pricing file's reloads since the last pass: a failure fires
    // pricing_reload_failed, the next success resolves it.
    const TimePoint now = m_clock.now();
    std::vector<IllegalAttempt> illegal;
    {
        const std::lock_guard lock(m_illegalMutex);
        illegal.swap(m_illegalPending);
    }
    for (const IllegalAttempt &a : illegal)
        m_alerts->monitor().illegalTransition(a.at, a.orderId, orderStatusName(a.from), orderStatusName(a.to));
    // The pricing file as it is now: failing while its last reload failed. A file put
    // back as it was in force is a good reload too (the error is cleared, no new
    // version); a failure already mended between two passes (an editor's truncate and
    // rewrite) does not fire.
    const pricing::PricingStatus pricing = m_pricing->status();
    const bool failing = !pricing.lastError.empty();
    if (failing && (pricing.reloadsFailed > m_pricingFailuresSeen || !m_pricingFailing))
        m_alerts->monitor().pricingReload(now, false, pricing.lastError);
    else if (!failing && (m_pricingFailing || pricing.reloadsSucceeded > m_pricingReloadsSeen))
        m_alerts->monitor().pricingReload(now, true, {});
    m_pricingFailuresSeen = pricing.reloadsFailed;
    m_pricingReloadsSeen = pricing.reloadsSucceeded;
    m_pricingFailing = failing;
    std::vector<std::pair<std::string, double>> budgets;
    for (const auto &budget : m_subsidies->budgetShares())
        budgets.emplace_back(budget.campaignId, std::max(budget.totalShare, budget.dailyShare));
    m_alerts->monitor().replaceBudgets(now, budgets);
    m_alerts->evaluate();
}

void BackendWiring::startPayments()
{
    PaymentsPart::Options options;
    options.listen = m_options.payments.callbackListen;
    options.publicUrl = m_options.payments.callbackUrl;
    options.certFile = m_options.payments.certFile;
    options.keyFile = m_options.payments.keyFile;
    options.sandboxes = m_options.payments.sandboxes;
    options.credentialsFolder = m_options.databasePath + ".payment-sandbox";
    options.demoChannels = m_options.payments.sandboxes;
    options.currency = m_store->currency();
    options.notified = [this](const std::string &channelId, const char *outcome) {
        m_business->paymentNotifications.with({channelId, outcome}).inc();
    };
    m_payments = std::make_unique<PaymentsPart>(std::move(options), *m_store, *m_book, *m_writer, m_clock);
    m_payments->start();
}

void BackendWiring::buildServiceContext()
{
    m_context = std::unique_ptr<ServiceContext>(
        new ServiceContext{m_clock, *m_store, m_catalog, m_users, *m_writer, *m_metrics, *m_pricing, *m_ledger, *m_book,
                           *m_idempotency, m_store->currency(), m_options.mode});
    m_context->ordersTotal = m_store->orderCount();
    m_context->nextOrderId = m_store->maxOrderId() + 1;
    m_context->lowStockThreshold = m_options.lowStockThreshold;
    m_context->warnings = m_warnings;
    m_context->callers = m_callers.get();
    m_context->variants = m_experiments.get();
    m_context->subsidies = m_subsidies.get();
    m_context->payments = &m_payments->manager();
    m_context->alerts = &m_alerts->monitor();
}

bool BackendWiring::splitListeners() const
{
    return !m_options.listenAddress.empty() && !m_options.adminListenAddress.empty() &&
           m_options.adminListenAddress != m_options.listenAddress;
}

void BackendWiring::checkListeners()
{
    const BackendOptions::Tls &tls = m_options.tls;
    const bool anyTls = !tls.certFile.empty() || !tls.keyFile.empty() || !tls.clientCaFile.empty();
    if (anyTls && (tls.certFile.empty() || tls.keyFile.empty()))
        throw StartupError("TLS needs both a certificate and its private key (tls: cert and key)");
    if (anyTls) {
        m_tlsCert = readPem(tls.certFile, "TLS certificate");
        m_tlsKey = readPem(tls.keyFile, "TLS private key");
        if (!tls.clientCaFile.empty())
            m_tlsClientCa = readPem(tls.clientCaFile, "client CA certificate");
    }
    std::vector<std::string> addresses{m_options.listenAddress};
    if (splitListeners())
        addresses.push_back(m_options.adminListenAddress);
    for (const std::string &address : addresses) {
        const ListenCheck check = checkListen(address, anyTls, m_options.insecure);
        if (!check.refusal.empty())
            throw StartupError(check.refusal);
        if (!address.empty() && !isLoopbackAddress(address)) {
            if (!m_options.tokensFile.empty() && !anyTls)
                throw StartupError(
                    "refusing to serve " + address +
                    " with bearer tokens over plaintext: they would cross the network readable by anyone; "
                    "configure tls (cert and key), or listen on a loopback address such as 127.0.0.1");
            if (m_options.tokensFile.empty() && tls.clientCaFile.empty() && !m_options.insecure)
                throw StartupError("refusing to serve " + address +
                                   " without tokens: anyone who reaches it could change everything; give a tokens "
                                   "file (tokens_file, --tokens-file), require client certificates (tls: client_ca), "
                                   "or set insecure: true to accept the risk");
            // A listener of one API tells the calls apart in a processor, which gRPC
            // attaches only to secure credentials; without TLS those are local TCP,
            // which accepts loopback peers only.
            if (splitListeners() && !anyTls)
                throw StartupError("the storefront API (" + m_options.listenAddress + ") and the admin API (" +
                                   m_options.adminListenAddress +
                                   ") on listeners of their own need tls on a "
                                   "network address such as " +
                                   address + "; configure tls (cert and key), or give both the same HOST:PORT");
        }
        // Without TLS, token and API checks ride on gRPC's local TCP credentials,
        // which accept peers from 127.0.0.1 and ::1 only: another loopback address
        // would take connections and close every one.
        const std::string host = address.substr(0, address.rfind(':'));
        if (!anyTls && (!m_options.tokensFile.empty() || splitListeners()) && isLoopbackAddress(address) &&
            host != "127.0.0.1" && host != "localhost" && host != "::1" && host != "[::1]")
            throw StartupError("cannot check " +
                               std::string(m_options.tokensFile.empty() ? "which API a call is for" : "tokens") +
                               " on " + address +
                               " without TLS: listen on 127.0.0.1, ::1 or localhost, or configure "
                               "tls (cert and key)");
        if (!check.warning.empty()) {
            m_warnings.push_back(check.warning);
            common::Log::warning(check.warning);
        }
    }
    if (!m_options.metricsListen.empty()) {
        try {
            http::splitAddress("metrics_listen", m_options.metricsListen);
        } catch (const std::invalid_argument &e) {
            throw StartupError(e.what());
        }
        if (!isLoopbackAddress(m_options.metricsListen) && !anyTls) {
            if (!m_options.insecure)
                throw StartupError("refusing to serve metrics on " + m_options.metricsListen +
                                   " over plain HTTP: listen on a loopback address such as 127.0.0.1:9464, configure "
                                   "tls (cert and key) for HTTPS, or set insecure: true to accept the risk");
            const std::string warning = "serving metrics over plain HTTP on " + m_options.metricsListen;
            m_warnings.push_back(warning);
            common::Log::warning(warning);
        }
    }
}

void BackendWiring::buildServices()
{
    m_systemService = std::make_unique<SystemServiceImpl>(*m_context);
    m_catalogService = std::make_unique<CatalogServiceImpl>(*m_context);
    m_orderService = std::make_unique<OrderServiceImpl>(*m_context);
    m_metricsService = std::make_unique<MetricsServiceImpl>(*m_context);
    m_pricingService = std::make_unique<PricingServiceImpl>(*m_context, *m_pricing);
    m_inventoryService = std::make_unique<InventoryServiceImpl>(*m_context);
    m_segmentService = std::make_unique<SegmentServiceImpl>(*m_context, *m_segments);
    m_referralService = std::make_unique<ReferralServiceImpl>(*m_context, *m_referral);
    m_experimentService = std::make_unique<ExperimentServiceImpl>(*m_context, *m_experiments);
    m_documents = std::make_unique<versioning::DocumentRegistry>();
    m_documents->add(m_pricing->document());
    m_documents->add(m_segments->document());
    m_documents->add(m_referral->document());
    m_documents->add(m_experiments->document());
    m_subsidyService = std::make_unique<SubsidyServiceImpl>(*m_context, *m_subsidies);
    m_alertService = std::make_unique<AlertServiceImpl>(*m_context, *m_alerts);
    m_documents->add(m_subsidies->document());
    m_paymentService = std::make_unique<PaymentServiceImpl>(*m_context, m_payments->manager());
    m_documents->add(m_payments->manager().document());
    m_documents->add(m_alerts->document());
    m_auditService = std::make_unique<AuditServiceImpl>(*m_context, *m_documents);
    m_tokenService = std::make_unique<TokenServiceImpl>(*m_context, m_tokenBook.get());
}

void BackendWiring::loadTokens()
{
    if (m_options.tokensFile.empty())
        return;
    try {
        m_tokens = std::make_unique<auth::TokensFileWatcher>(m_options.tokensFile);
        auth::TokensFileWatcher *tokens = m_tokens.get();
        m_callers = std::make_unique<auth::Callers>([tokens] { return tokens->current(); }, m_clock);
        m_tokenBook = std::make_unique<auth::TokenBook>(m_options.tokensFile);
    } catch (const auth::TokensFileError &e) {
        throw StartupError(e.what());
    }
}

std::shared_ptr<grpc::ServerCredentials>
BackendWiring::serverCredentials(std::optional<auth::TokenAuthProcessor::OnlyApi> only)
{
    std::shared_ptr<grpc::ServerCredentials> credentials;
    if (!m_tlsCert.empty()) {
        grpc::SslServerCredentialsOptions ssl(m_tlsClientCa.empty()
                                                  ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                                  : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
        ssl.pem_root_certs = m_tlsClientCa;
        ssl.pem_key_cert_pairs.push_back({m_tlsKey, m_tlsCert});
        credentials = grpc::SslServerCredentials(ssl);
    } else if (m_tokens || only) {
        // A processor needs secure credentials (on InsecureServerCredentials gRPC
        // 1.51 aborts in SetAuthMetadataProcessor). Local TCP credentials add no
        // handshake bytes, so plaintext clients still connect, and accept loopback
        // peers only (checkListeners refused anything else).
        credentials = grpc::experimental::LocalServerCredentials(LOCAL_TCP);
    } else {
        return grpc::InsecureServerCredentials();
    }
    if (m_tokens || only) {
        auth::TokenAuthProcessor::Tokens tokens;
        if (m_tokens)
            tokens = [watcher = m_tokens.get()] { return watcher->current(); };
        credentials->SetAuthMetadataProcessor(
            std::make_shared<auth::TokenAuthProcessor>(std::move(tokens), m_clock, std::move(only)));
    }
    return credentials;
}

void BackendWiring::listen()
{
    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    // Linking the reflection library registers its plugin for every server of
    // the process; a server that must not serve it drops the plugin.
    if (!m_options.reflection)
        builder.SetOption(std::make_unique<WithoutReflection>());
    using OnlyApi = auth::TokenAuthProcessor::OnlyApi;
    if (splitListeners()) {
        builder.AddListeningPort(m_options.listenAddress,
                                 serverCredentials(OnlyApi{auth::Api::Storefront, m_options.adminListenAddress}),
                                 &m_port);
        builder.AddListeningPort(m_options.adminListenAddress,
                                 serverCredentials(OnlyApi{auth::Api::Admin, m_options.listenAddress}), &m_adminPort);
    } else if (!m_options.listenAddress.empty()) {
        builder.AddListeningPort(m_options.listenAddress, serverCredentials(std::nullopt), &m_port);
    }
    // Without this, Linux lets a second server bind the same port and share its traffic.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
    builder.SetMaxSendMessageSize(kMaxMessageBytes);
    if (m_requestMetrics) {
        std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
        interceptors.push_back(std::make_unique<ForwardingInterceptors>(*m_requestMetrics));
        builder.experimental().SetInterceptorCreators(std::move(interceptors));
    }
    builder.RegisterService(m_systemService.get());
    builder.RegisterService(m_catalogService.get());
    builder.RegisterService(m_orderService.get());
    builder.RegisterService(m_metricsService.get());
    builder.RegisterService(m_pricingService.get());
    builder.RegisterService(m_inventoryService.get());
    builder.RegisterService(m_segmentService.get());
    builder.RegisterService(m_referralService.get());
    builder.RegisterService(m_experimentService.get());
    builder.RegisterService(m_auditService.get());
    builder.RegisterService(m_subsidyService.get());
    builder.RegisterService(m_alertService.get());
    builder.RegisterService(m_paymentService.get());
    builder.RegisterService(m_tokenService.get());
    m_server = builder.BuildAndStart();
    const bool storefrontFailed = !m_options.listenAddress.empty() && m_port == 0;
    const bool adminFailed = splitListeners() && m_adminPort == 0;
    if (!m_server || storefrontFailed || adminFailed) {
        m_metricsService->closeAll();
        m_referralService->closeAll();
        m_experimentService->closeAll();
        m_subsidyService->closeAll();
        m_alertService->closeAll();
        m_paymentService->closeAll();
        if (m_server)
            m_server->Shutdown();
        const std::string where = !splitListeners()                  ? m_options.listenAddress
                                  : adminFailed && !storefrontFailed ? m_options.adminListenAddress + " (admin_listen)"
                                  : storefrontFailed && !adminFailed
                                      ? m_options.listenAddress + " (storefront_listen)"
                                      : m_options.listenAddress + " and " + m_options.adminListenAddress;
        throw StartupError("cannot listen on " + where + ": the address is invalid or already in use");
    }
    if (!splitListeners())
        m_adminPort = m_port;
}

void BackendWiring::registerGauges()
{
    metrics::Registry &r = *m_registry;
    r.gaugeCallback("flywheel_build_info", "The flywheeld version running (always 1).", {"version"},
                    [] { return std::vector<metrics::Sample>{{{FLYWHEEL_VERSION}, 1}}; });
    r.gaugeCallback("flywheel_inventory_reservations_open", "Unpaid orders holding stock now.", {}, [this] {
        return std::vector<metrics::Sample>{{{}, static_cast<double>(m_ledger->openReservations())}};
    });
    r.gaugeCallback("flywheel_inventory_skus_low_stock",
                    "Products with at most the low-stock threshold of units available (--low-stock).", {}, [this] {
                        std::int64_t low = 0;
                        for (const Product &p : m_catalog.products())
                            low += m_ledger->level(p.sku).available <= m_options.lowStockThreshold ? 1 : 0;
                        return std::vector<metrics::Sample>{{{}, static_cast<double>(low)}};
                    });
    r.counterCallback("flywheel_pricing_reloads_total",
                      "Reloads of the pricing rules file, by outcome: applied, or failed (the rules in force stay).",
                      {"outcome"}, [this] {
                          const pricing::PricingStatus s = m_pricing->status();
                          return std::vector<metrics::Sample>{{{"applied"}, static_cast<double>(s.reloadsSucceeded)},
                                                              {{"failed"}, static_cast<double>(s.reloadsFailed)}};
                      });
    r.gaugeCallback("flywheel_pricing_rule_set_version", "The version of the pricing rules in force.", {}, [this] {
        return std::vector<metrics::Sample>{{{}, static_cast<double>(m_pricing->status().currentVersion)}};
    });
    r.counterCallback("flywheel_payments_total",
                      "Payments by channel and end state since start (the last hour's are counted again after a "
                      "restart): succeeded, failed.",
                      {"channel", "state"}, [this] {
                          std::vector<metrics::Sample> out;
                          const auto live = m_payments->manager().live();
                          if (!live)
                              return out;
                          for (const auto &channel : live->config.channels) {
                              const payments::ChannelTotals t = m_payments->manager().stats().totals(channel.id);
                              out.push_back({{channel.id, "succeeded"}, static_cast<double>(t.succeeded)});
                              out.push_back({{channel.id, "failed"}, static_cast<double>(t.failed)});
                          }
                          return out;
                      });
    r.gaugeCallback("flywheel_alert_firing",
                    "1 while a business alert fires, else 0 (the console's Alerts page; docs/operations.md).",
                    {"alert"}, [this] {
                        std::vector<metrics::Sample> out;
                        for (const alerts::Alert &a : m_alerts->monitor().current())
                            out.push_back({{a.name}, a.state == alerts::AlertState::Firing ? 1.0 : 0.0});
                        return out;
                    });
    r.counterCallback("flywheel_alerts_fired_total", "Times each business alert started firing since start.",
                      {"alert"}, [this] {
                          std::vector<metrics::Sample> out;
                          for (const alerts::AlertId id : alerts::kAllAlerts)
                              out.push_back({{alerts::alertName(id)}, static_cast<double>(m_alerts->firedCount(id))});
                          return out;
                      });
    r.gaugeCallback("flywheel_subsidy_budget_used_ratio",
                    "The share of each first-order subsidy budget spent (reserved by unpaid orders included), of "
                    "its total cap and of today's.",
                    {"campaign", "cap"}, [this] {
                        std::vector<metrics::Sample> out;
                        for (const auto &b : m_subsidies->budgetShares()) {
                            out.push_back({{b.campaignId, "total"}, b.totalShare});
                            out.push_back({{b.campaignId, "daily"}, b.dailyShare});
                        }
                        return out;
                    });
}

void BackendWiring::serveMetrics()
{
    registerGauges();
    if (m_options.metricsListen.empty())
        return;
    // Registered before the listener serves: every family a scrape lists is complete.
    m_requestMetrics = std::make_unique<RequestMetrics>(*m_registry);
    http::HttpListener::Options options;
    options.what = "metrics listener";
    options.address = m_options.metricsListen;
    options.certFile = m_options.tls.certFile;
    options.keyFile = m_options.tls.keyFile;
    options.threads = 2;
    options.maxBody = 4096;
    metrics::Registry &registry = *m_registry;
    try {
        m_metricsListener = std::make_unique<http::HttpListener>(options, [&registry](httplib::Server &server) {
            server.Get("/metrics", [&registry](const httplib::Request &, httplib::Response &res) {
                res.set_content(registry.expose(), metrics::Registry::kContentType);
            });
            server.set_error_handler([](const httplib::Request &, httplib::Response &res) {
                if (res.body.empty())
                    res.set_content("no such endpoint: the metrics are at GET /metrics\n", "text/plain");
            });
        });
    } catch (const std::runtime_error &e) {
        throw StartupError(e.what());
    }
}

int BackendWiring::metricsPort() const
{
    return m_metricsListener ? m_metricsListener->port() : 0;
}

std::string BackendWiring::metricsUrl() const
{
    return m_metricsListener ? m_metricsListener->localUrl() + "/metrics" : std::string();
}

void BackendWiring::startHousekeeper()
{
    if (!m_options.manualHousekeeping)
        m_housekeeper = std::thread([this] { housekeep(); });
}

void BackendWiring::housekeep()
{
    std::unique_lock lock(m_housekeeperMutex);
    while (!m_housekeeperWake.wait_for(lock, kExpiryTick, [this] { return m_housekeeperStopping; })) {
        lock.unlock();
        housekeepOnce(false);
        lock.lock();
    }
}

void BackendWiring::housekeepOnce(bool waitUntilStored)
{
    // Expiries submitted and not yet stored (or refused).
    struct Pending {
        std::mutex mutex;
        std::condition_variable stored;
        std::size_t count = 0;
    };
    const auto pending = std::make_shared<Pending>();
    const auto settle = [pending] {
        const std::lock_guard lock(pending->mutex);
        --pending->count;
        pending->stored.notify_all();
    };
    const TimePoint now = m_clock.now();
    m_book->expire(now, [this, &pending, &settle](const orders::OrderTransition &t) {
        JournalEntry entry;
        entry.transition = t;
        {
            const std::lock_guard lock(pending->mutex);
            ++pending->count;
        }
        // Refused only while stopping; the expiry is then redone after the restart.
        const bool queued =
            m_writer->submit(std::move(entry), [settle](const JournalEntry &e, const std::optional<Error> &error) {
                if (error)
                    common::Log::error("the expiry of order " + std::to_string(e.transition->orderId) +
                                       " was not stored: " + error->message);
                settle();
            });
        if (!queued)
            settle();
    });
    // Payments without news are asked about; lapsed ones expire.
    m_payments->manager().tick();
    evaluateAlerts();
    // Every tick, so that each call forgets only a tick's worth of orders.
    m_book->forgetSettled(now - kSettleAfter);
    // Keys that left the in-memory window; the database keeps them for the
    // retention, deleted by the order writer in its own transactions
    // (Store::setIdempotencyKeyRetention).
    m_idempotency->evict(now);
    try {
        m_snapshots->snapshotIfDue(now);
    } catch (const StorageError &e) {
        common::Log::error(std::string("the inventory snapshot was not saved: ") + e.what());
    }
    if (waitUntilStored) {
        std::unique_lock lock(pending->mutex);
        pending->stored.wait(lock, [&pending] { return pending->count == 0; });
    }
}

void BackendWiring::startSimulators()
{
    if (m_options.simulateRate <= 0)
        return;
    // Both talk to the backend through the API, like any client; from here on a
    // failure must stop what runs already (the server, the housekeeper).
    try {
        auto simulator = std::make_unique<TrafficSimulator>(inProcessChannel(), m_options.simulateRate);
        // With the sandboxes, buyers pay through the payment channels.
        if (m_options.payments.sandboxes)
            simulator->setPaymentBuyer(
                [this](const std::string &provider, const std::string &outTradeNo) {
                    m_payments->payLater(provider, outTradeNo);
                },
                [this] { return m_payments->chooseChannel(); });
        simulator->start();
        m_simulator = std::move(simulator);
        if (m_referral->invitesEnabled()) {
            // Inviters among the demo's users, spread over all of them.
            std::vector<std::int64_t> inviters;
            const auto &users = m_users.users();
            for (std::size_t i = 0; i < users.size(); i += std::max<std::size_t>(1, users.size() / 2000))
                inviters.push_back(users[i].uid);
            std::vector<std::string> skus;
            for (const Product &p : m_catalog.products())
                skus.push_back(p.sku);
            // Everyone sees an invite copy now and then (the invite-copy experiment).
            std::vector<std::int64_t> audience;
            audience.reserve(users.size());
            for (const User &user : users)
                audience.push_back(user.uid);
            m_referralSimulator = std::make_unique<ReferralSimulator>(inProcessChannel(), std::move(inviters),
                                                                      std::move(skus), std::move(audience));
            m_referralSimulator->start();
        }
    } catch (const std::exception &e) {
        stop(std::chrono::seconds(5));
        throw StartupError(e.what());
    }
    m_context->simulatedRate = m_options.simulateRate;
}

void BackendWiring::stop(std::chrono::milliseconds grace)
{
    const std::lock_guard lock(m_stopMutex);
    if (m_stopped)
        return;
    m_stopped = true;
    if (m_referralSimulator)
        m_referralSimulator->stop();
    if (m_simulator)
        m_simulator->stop();
    if (m_metricsListener)
        m_metricsListener->stop();
    m_pricing->stop();
    {
        const std::lock_guard housekeeperLock(m_housekeeperMutex);
        m_housekeeperStopping = true;
    }
    m_housekeeperWake.notify_all();
    if (m_housekeeper.joinable())
        m_housekeeper.join();
    if (auto *health = m_server->GetHealthCheckService())
        health->Shutdown();
    // Streams never end by themselves; end them so Shutdown only waits for real work.
    m_metricsService->closeAll();
    m_referralService->closeAll();
    m_experimentService->closeAll();
    m_subsidyService->closeAll();
    m_alertService->closeAll();
    m_paymentService->closeAll();
    m_server->Shutdown(std::chrono::system_clock::now() + grace);
    m_server->Wait();
    // Before the writer: notifications and provider calls in flight settle through it.
    m_payments->stop();
    m_writer->stop();
    // Every committed event has reached the snapshotter: the next start replays none.
    try {
        m_snapshots->snapshot(m_clock.now());
    } catch (const StorageError &e) {
        common::Log::error(std::string("the inventory snapshot was not saved at shutdown: ") + e.what());
    }
    m_segments->stop(); // after the writer: payments it committed reach the profiles
    m_referral->stop(); // after the writer too: its commissions are queued
    m_experiments->stop(); // after both: the payments and commissions reached the results
    m_referralSimulator.reset();
    m_simulator.reset();
    m_server.reset();
    m_writer.reset();
    m_storedKeyLoader.request_stop();
    if (m_storedKeyLoader.joinable())
        m_storedKeyLoader.join();
    m_store.reset();
}

std::shared_ptr<grpc::Channel> BackendWiring::inProcessChannel()
{
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(kMaxMessageBytes);
    return m_server->InProcessChannel(args);
}

std::shared_ptr<grpc::Channel> BackendWiring::inProcessChannel(
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors)
{
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(kMaxMessageBytes);
    return m_server->experimental().InProcessChannelWithInterceptors(args, std::move(interceptors));
}

std::string BackendWiring::databasePath() const
{
    return m_store->location();
}

} // namespace flywheel
