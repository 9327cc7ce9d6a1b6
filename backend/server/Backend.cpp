#include "server/Backend.h"

#include "domain/DemoData.h"
#include "domain/MetricsAggregator.h"
#include "pricing/PricingManager.h"
#include "referral/ReferralManager.h"
#include "services/InventoryService.h"
#include "services/MetricsService.h"
#include "services/OutboxSender.h"
#include "services/PricingService.h"
#include "services/ReferralService.h"
#include "services/SegmentService.h"
#include "services/Services.h"
#include "sim/ReferralSimulator.h"
#include "sim/TrafficSimulator.h"
#include "storage/OrderWriter.h"
#include "storage/SqliteStore.h"

#include <absl/synchronization/mutex.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <thread>

namespace flywheel {

namespace {

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

/// A start that fails removes the database it created (with its WAL and the demo's
/// invite secret, when this start created them too), so that a mistyped option or a
/// port in use leaves nothing behind. A database that was there before is left alone.
class CreatedFiles final {
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

} // namespace

struct Backend::Parts {
    const Clock *clock = nullptr;
    std::unique_ptr<Store> store;
    Catalog catalog;
    UserDirectory users;
    std::unique_ptr<MetricsAggregator> metrics;
    std::unique_ptr<pricing::PricingManager> pricing;
    std::unique_ptr<inventory::InventoryLedger> ledger;
    std::unique_ptr<OrderBook> book;
    std::unique_ptr<IdempotencyTable> idempotency;
    std::unique_ptr<OrderWriter> writer;
    std::unique_ptr<ServiceContext> context;
    std::unique_ptr<SystemServiceImpl> systemService;
    std::unique_ptr<CatalogServiceImpl> catalogService;
    std::unique_ptr<OrderServiceImpl> orderService;
    std::unique_ptr<MetricsServiceImpl> metricsService;
    std::unique_ptr<PricingServiceImpl> pricingService;
    std::unique_ptr<InventoryServiceImpl> inventoryService;
    std::unique_ptr<segments::SegmentManager> segments;
    std::unique_ptr<SegmentServiceImpl> segmentService;
    std::unique_ptr<referral::ReferralManager> referral;
    std::unique_ptr<ReferralServiceImpl> referralService;
    std::unique_ptr<grpc::Server> server;
    std::unique_ptr<TrafficSimulator> simulator;
    std::unique_ptr<ReferralSimulator> referralSimulator;
    int port = 0;
    // Expires lapsed reservations and purges old idempotency keys.
    std::thread housekeeper;
    std::mutex housekeeperMutex;
    std::condition_variable housekeeperWake;
    bool housekeeperStopping = false;
    void housekeep();
    void housekeepOnce(bool waitUntilStored);
    std::mutex shutdownMutex;
    bool stopped = false;
};

std::unique_ptr<Backend> Backend::start(const BackendOptions &options)
{
    if (options.reservationTtl < std::chrono::seconds(1) || options.reservationTtl > std::chrono::hours(24))
        throw StartupError("the reservation time must be between 1 second and 24 hours");
    if (!(options.simulateRate >= 0 && options.simulateRate <= TrafficSimulator::kMaxRate))
        throw StartupError("the simulation rate must be between 0 and " +
                           std::to_string(static_cast<int>(TrafficSimulator::kMaxRate)) + " orders per second");
    if (!(options.tagDecay > 0 && options.tagDecay <= 1))
        throw StartupError("the tag decay must be greater than 0 and at most 1, not " +
                           std::to_string(options.tagDecay));
    // Debian's Abseil checks every mutex acquisition for lock-order cycles, a debugging
    // aid that costs gRPC's hot paths a few percent of CPU. Off, as in release builds.
    static std::once_flag quietMutexes;
    std::call_once(quietMutexes, [] { absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore); });
    if (!options.pricingFile.empty())
        requireReadableFile(options.pricingFile, "pricing file");
    // Declared before the parts: on a failed start they are closed before it removes files.
    CreatedFiles created(options.databasePath);
    auto parts = std::make_unique<Parts>();
    parts->clock = options.clock != nullptr ? options.clock : &SystemClock::instance();
    const Clock &clock = *parts->clock;

    try {
        parts->store = SqliteStore::open(options.databasePath);
        created.opened();
        if (parts->store->isEmpty() && (options.seedDemoData || options.simulateRate > 0)) {
            DemoDataOptions demo;
            demo.ordersPerHour = options.demoHistoryOrdersPerHour;
            demo.users = options.demoUsers;
            DemoDataset data = makeDemoDataset(clock.now(), demo);
            parts->store->seed(data);
        }
        parts->catalog = Catalog(parts->store->loadProducts());
        parts->users = UserDirectory(parts->store->loadUsers());
        segments::Senders senders;
        if (!options.reachOutbox.empty()) {
            try {
                senders = segments::Senders::all(std::make_shared<OutboxSender>(options.reachOutbox));
            } catch (const std::runtime_error &e) {
                throw StartupError(e.what());
            }
        }
        parts->segments = std::make_unique<segments::SegmentManager>(
            *parts->store, clock, segments::ProfileOptions{.decay = options.tagDecay}, std::move(senders));
        parts->segments->start(parts->users.users(), options.seedDemoData || options.simulateRate > 0
                                                         ? std::optional(segments::exampleSegments())
                                                         : std::nullopt);
        std::optional<std::string> secret;
        try {
            const std::string demoSecret = options.databasePath + ".invite-secret";
            if (!options.inviteSecretFile.empty())
                secret = referral::loadInviteSecret(options.inviteSecretFile);
            else if (options.seedDemoData || options.simulateRate > 0)
                secret = referral::createInviteSecretFile(demoSecret);
            else if (exists(demoSecret)) // a demo database started again without the demo options
                secret = referral::loadInviteSecret(demoSecret);
        } catch (const std::exception &e) {
            throw StartupError(e.what());
        }
        Parts *q = parts.get();
        referral::ReferralManager::Hooks hooks;
        hooks.registeredAt = [q](std::int64_t uid) -> std::optional<TimePoint> {
            if (const User *user = q->users.find(uid))
                return user->registeredAt;
            if (const auto profile = q->segments->profiles().find(uid); profile && profile->registered)
                return fromEpochMs(std::int64_t{profile->registeredDay} * 86'400'000);
            return std::nullopt;
        };
        hooks.daysSinceActive = [q](std::int64_t uid) -> std::optional<int> {
            const auto profile = q->segments->profiles().find(uid);
            if (!profile)
                return std::nullopt;
            return segments::dayOf(q->clock->now()) - profile->lastActiveDay;
        };
        hooks.registered = [q](const User &user) {
            q->users.add(user);
            std::vector<std::pair<std::string, std::string>> attrs{{"install_channel", user.installChannel},
                                                                   {"device", deviceTypeName(user.device)}};
            if (!user.region.empty())
                attrs.emplace_back("region", user.region);
            const segments::UserEvent registered{user.uid, "register", user.registeredAt, {}, std::move(attrs)};
            (void)q->segments->ingest(std::span(&registered, 1));
        };
        try {
            parts->referral =
                std::make_unique<referral::ReferralManager>(*parts->store, clock, std::move(secret), std::move(hooks));
        } catch (const std::invalid_argument &e) {
            throw StartupError(e.what());
        }
        parts->referral->start();
        parts->metrics = std::make_unique<MetricsAggregator>(clock);
        parts->pricing =
            std::make_unique<pricing::PricingManager>(*parts->store, parts->catalog, clock, options.pricingFile);
        parts->pricing->setMemberships([q](std::int64_t uid) { return q->segments->memberships(uid); });
        parts->pricing->start(options.examplePricingRules ? std::optional(pricing::exampleRules(clock.now()))
                                                          : std::nullopt);
        parts->metrics->replay(parts->store->loadOrderFactsSince(clock.now() - kMetricsHistory));
        parts->ledger = std::make_unique<inventory::InventoryLedger>();
        parts->ledger->replay(parts->store->loadInventoryEvents());
        parts->book = std::make_unique<OrderBook>(*parts->ledger, options.reservationTtl);
        // Memory holds the keys of the last minute; older ones, and all of them
        // after a restart, are looked up in the database (48 hours of them).
        parts->idempotency = std::make_unique<IdempotencyTable>();
        parts->store->setIdempotencyKeyRetention(parts->idempotency->retention());
        // Payments reach the metrics only once committed. The context the listener
        // updates is created below, before anything can be submitted.
        Parts *p = parts.get();
        parts->writer = std::make_unique<OrderWriter>(*parts->store, [p](const std::vector<JournalEntry> &entries) {
            std::int64_t created = 0;
            for (const JournalEntry &entry : entries) {
                if (entry.newOrder)
                    ++created;
                if (entry.transition && entry.transition->to == OrderStatus::Paid) {
                    p->metrics->record(
                        OrderFact{entry.transition->uid, entry.transition->at, entry.transition->total.minorUnits()});
                    // A payment is an event of the buyer's profile too.
                    const segments::UserEvent paid{
                        entry.transition->uid,
                        "pay",
                        entry.transition->at,
                        {{"amount_minor", static_cast<double>(entry.transition->total.minorUnits())}},
                        {}};
                    p->segments->ingest(std::span(&paid, 1));
                    p->referral->orderPaid(entry.transition->orderId, entry.transition->uid, entry.transition->total,
                                           entry.transition->at);
                }
                if (entry.transition && entry.transition->to == OrderStatus::Refunded)
                    p->referral->orderRefunded(entry.transition->orderId);
            }
            p->context->ordersTotal += created;
        });
        parts->context = std::unique_ptr<ServiceContext>(new ServiceContext{
            clock, *parts->store, parts->catalog, parts->users, *parts->writer, *parts->metrics, *parts->pricing,
            *parts->ledger, *parts->book, *parts->idempotency, parts->store->currency(), options.mode});
        parts->context->ordersTotal = parts->store->orderCount();
        parts->context->nextOrderId = parts->store->maxOrderId() + 1;
        parts->context->lowStockThreshold = options.lowStockThreshold;
    } catch (const StorageError &e) {
        throw StartupError(e.what());
    }

    parts->systemService = std::make_unique<SystemServiceImpl>(*parts->context);
    parts->catalogService = std::make_unique<CatalogServiceImpl>(*parts->context);
    parts->orderService = std::make_unique<OrderServiceImpl>(*parts->context);
    parts->metricsService = std::make_unique<MetricsServiceImpl>(*parts->context);
    parts->pricingService = std::make_unique<PricingServiceImpl>(*parts->context, *parts->pricing);
    parts->inventoryService = std::make_unique<InventoryServiceImpl>(*parts->context);
    parts->segmentService = std::make_unique<SegmentServiceImpl>(*parts->context, *parts->segments);
    parts->referralService = std::make_unique<ReferralServiceImpl>(*parts->context, *parts->referral);

    grpc::EnableDefaultHealthCheckService(true);
    grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    if (!options.listenAddress.empty())
        builder.AddListeningPort(options.listenAddress, grpc::InsecureServerCredentials(), &parts->port);
    // Without this, Linux lets a second server bind the same port and share its traffic.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
    builder.SetMaxSendMessageSize(kMaxMessageBytes);
    builder.RegisterService(parts->systemService.get());
    builder.RegisterService(parts->catalogService.get());
    builder.RegisterService(parts->orderService.get());
    builder.RegisterService(parts->metricsService.get());
    builder.RegisterService(parts->pricingService.get());
    builder.RegisterService(parts->inventoryService.get());
    builder.RegisterService(parts->segmentService.get());
    builder.RegisterService(parts->referralService.get());
    parts->server = builder.BuildAndStart();
    if (!parts->server || (!options.listenAddress.empty() && parts->port == 0)) {
        parts->metricsService->closeAll();
        parts->referralService->closeAll();
        if (parts->server)
            parts->server->Shutdown();
        throw StartupError("cannot listen on " + options.listenAddress + ": the address is invalid or already in use");
    }

    if (!options.manualHousekeeping)
        parts->housekeeper = std::thread([p = parts.get()] { p->housekeep(); });
    auto backend = std::unique_ptr<Backend>(new Backend(std::move(parts)));
    if (options.simulateRate > 0) {
        auto simulator = std::make_unique<TrafficSimulator>(backend->inProcessChannel(), options.simulateRate);
        try {
            simulator->start();
        } catch (const std::exception &e) {
            backend->shutdown();
            throw StartupError(e.what());
        }
        backend->m_parts->simulator = std::move(simulator);
        if (backend->m_parts->referral->invitesEnabled()) {
            // Inviters among the demo's users, spread over all of them.
            std::vector<std::int64_t> inviters;
            const auto &users = backend->m_parts->users.users();
            for (std::size_t i = 0; i < users.size(); i += std::max<std::size_t>(1, users.size() / 2000))
                inviters.push_back(users[i].uid);
            std::vector<std::string> skus;
            for (const Product &p : backend->m_parts->catalog.products())
                skus.push_back(p.sku);
            backend->m_parts->referralSimulator =
                std::make_unique<ReferralSimulator>(backend->inProcessChannel(), std::move(inviters), std::move(skus));
            backend->m_parts->referralSimulator->start();
        }
        backend->m_parts->context->simulatedRate = options.simulateRate;
    }
    created.keep();
    return backend;
}

void Backend::Parts::housekeep()
{
    std::unique_lock lock(housekeeperMutex);
    while (!housekeeperWake.wait_for(lock, kExpiryTick, [this] { return housekeeperStopping; })) {
        lock.unlock();
        housekeepOnce(false);
        lock.lock();
    }
}

void Backend::Parts::housekeepOnce(bool waitUntilStored)
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
    const TimePoint now = clock->now();
    book->expire(now, [this, &pending, &settle](const OrderTransition &t) {
        JournalEntry entry;
        entry.transition = t;
        {
            const std::lock_guard lock(pending->mutex);
            ++pending->count;
        }
        // Refused only while stopping; the expiry is then redone after the restart.
        const bool queued =
            writer->submit(std::move(entry), [settle](const JournalEntry &e, const std::optional<Error> &error) {
                if (error)
                    std::fprintf(stderr, "flywheeld: the expiry of order %lld was not stored: %s\n",
                                 static_cast<long long>(e.transition->orderId), error->message.c_str());
                settle();
            });
        if (!queued)
            settle();
    });
    // Every tick, so that each call forgets only a tick's worth of orders.
    book->forgetSettled(now - kSettleAfter);
    // Keys that left the in-memory window; the database keeps them for the
    // retention, deleted by the order writer in its own transactions
    // (Store::setIdempotencyKeyRetention).
    idempotency->evict(now);
    if (waitUntilStored) {
        std::unique_lock lock(pending->mutex);
        pending->stored.wait(lock, [&pending] { return pending->count == 0; });
    }
}

Backend::Backend(std::unique_ptr<Parts> parts) : m_parts(std::move(parts))
{}

Backend::~Backend()
{
    shutdown();
}

std::shared_ptr<grpc::Channel> Backend::inProcessChannel()
{
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(kMaxMessageBytes);
    return m_parts->server->InProcessChannel(args);
}

std::shared_ptr<grpc::Channel> Backend::inProcessChannel(
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors)
{
    grpc::ChannelArguments args;
    args.SetMaxReceiveMessageSize(kMaxMessageBytes);
    return m_parts->server->experimental().InProcessChannelWithInterceptors(args, std::move(interceptors));
}

int Backend::port() const
{
    return m_parts->port;
}

std::string Backend::databasePath() const
{
    return m_parts->store->location();
}

void Backend::housekeep()
{
    m_parts->housekeepOnce(true);
}

void Backend::shutdown(std::chrono::milliseconds grace)
{
    const std::lock_guard lock(m_parts->shutdownMutex);
    if (m_parts->stopped)
        return;
    m_parts->stopped = true;
    if (m_parts->referralSimulator)
        m_parts->referralSimulator->stop();
    if (m_parts->simulator)
        m_parts->simulator->stop();
    m_parts->pricing->stop();
    {
        const std::lock_guard housekeeperLock(m_parts->housekeeperMutex);
        m_parts->housekeeperStopping = true;
    }
    m_parts->housekeeperWake.notify_all();
    if (m_parts->housekeeper.joinable())
        m_parts->housekeeper.join();
    if (auto *health = m_parts->server->GetHealthCheckService())
        health->Shutdown();
    // Streams never end by themselves; end them so Shutdown only waits for real work.
    m_parts->metricsService->closeAll();
    m_parts->referralService->closeAll();
    m_parts->server->Shutdown(std::chrono::system_clock::now() + grace);
    m_parts->server->Wait();
    m_parts->writer->stop();
    m_parts->segments->stop(); // after the writer: payments it committed reach the profiles
    m_parts->referral->stop(); // after the writer too: its commissions are queued
    m_parts->referralSimulator.reset();
    m_parts->simulator.reset();
    m_parts->server.reset();
    m_parts->writer.reset();
    m_parts->store.reset();
}

} // namespace flywheel
