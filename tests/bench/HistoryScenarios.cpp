// flywheel-bench scenarios `restart` and `memory`: costs that grow with history.

#include "Scenarios.h"

#include "Daemon.h"

#include <grpcpp/generic/generic_stub.h>
#include <sqlite3.h>

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace flywheel::bench {

using namespace std::chrono_literals;

namespace {

/// Calls grpc.health.v1.Health/Check on `target` until it answers SERVING (the
/// bytes 08 01) or `deadline` passes.
bool waitForServing(const std::string &target, Clock::time_point deadline)
{
    const auto channel = grpc::CreateChannel(target, grpc::InsecureChannelCredentials());
    grpc::GenericStub generic(channel);
    std::string last = "no answer";
    while (Clock::now() < deadline) {
        grpc::ClientContext context;
        context.set_wait_for_ready(true);
        context.set_deadline(std::chrono::system_clock::now() +
                             std::chrono::duration_cast<std::chrono::system_clock::duration>(deadline - Clock::now()));
        grpc::Slice empty(std::string{});
        grpc::ByteBuffer request(&empty, 1);
        grpc::ByteBuffer response;
        std::mutex mutex;
        std::condition_variable answered;
        std::optional<grpc::Status> status;
        generic.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                          [&](grpc::Status s) {
                              const std::lock_guard lock(mutex);
                              status = std::move(s);
                              answered.notify_all();
                          });
        std::unique_lock lock(mutex);
        answered.wait(lock, [&] { return status.has_value(); });
        if (status->ok()) {
            std::vector<grpc::Slice> slices;
            std::string bytes;
            if (response.Dump(&slices).ok())
                for (const auto &slice : slices)
                    bytes.append(reinterpret_cast<const char *>(slice.begin()), slice.size());
            if (bytes == std::string("\x08\x01", 2))
                return true;
            last = "not SERVING";
        } else {
            last = status->error_message();
        }
        std::this_thread::sleep_for(1ms);
    }
    std::fprintf(stderr, "flywheel-bench: %s never answered its health check with SERVING (%s)\n", target.c_str(),
                 last.c_str());
    return false;
}

/// The number of orders in the SQLite database at `path`, opened read-only; -1
/// (with a line on stderr) when it cannot be counted.
std::int64_t countOrders(const std::string &path)
{
    sqlite3 *opened = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &opened, SQLITE_OPEN_READONLY, nullptr);
    const std::unique_ptr<sqlite3, int (*)(sqlite3 *)> db(opened, sqlite3_close);
    sqlite3_stmt *prepared = nullptr;
    if (rc != SQLITE_OK ||
        sqlite3_prepare_v2(db.get(), "SELECT COUNT(*) FROM orders", -1, &prepared, nullptr) != SQLITE_OK) {
        std::fprintf(stderr, "flywheel-bench: cannot count the orders in %s: %s\n", path.c_str(),
                     db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc));
        return -1;
    }
    const std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt *)> statement(prepared, sqlite3_finalize);
    if (sqlite3_step(statement.get()) != SQLITE_ROW) {
        std::fprintf(stderr, "flywheel-bench: cannot count the orders in %s: %s\n", path.c_str(),
                     sqlite3_errmsg(db.get()));
        return -1;
    }
    return sqlite3_column_int64(statement.get(), 0);
}

} // namespace

/// Scenario `restart`: how long flywheeld takes from start to serving on a
/// database with about 2 million orders of history, and its memory then.
bool restartScenario(const std::filesystem::path &binary)
{
    // Two weeks of seeded history at 6,250 orders an hour on average (the demo's
    // daily shape averages 0.955 of it): about 2.0 million orders.
    constexpr int kRestarts = 3;
    const TempDir dir;
    const std::string db = (dir.path() / "history.sqlite").string();
    const std::vector<std::string> args{"--db", db, "--listen", "127.0.0.1:0", "--seed-demo", "--history-per-hour",
                                        "6250"};
    {
        Daemon seeding(binary, args, dir.path() / "seeding.log");
        if (!seeding.start(900s))
            return false;
        if (!seeding.stop()) {
            std::fprintf(stderr, "flywheel-bench: the flywheeld that seeded %s did not stop cleanly\n", db.c_str());
            return false;
        }
    }
    const std::int64_t orders = countOrders(db);
    if (orders < 0)
        return false;
    if (orders < 1900000 || orders > 2100000) {
        std::fprintf(stderr, "flywheel-bench: the seeded database holds %lld orders, not about 2 million\n",
                     static_cast<long long>(orders));
        return false;
    }
    // The same command line again, as an operator restarts it: start to health
    // SERVING, and the resident memory at that moment.
    std::vector<double> readyMs;
    std::vector<double> rssMb;
    for (int round = 0; round < kRestarts; ++round) {
        Daemon daemon(binary, args, dir.path() / "restart.log");
        const auto started = Clock::now();
        if (!daemon.start(600s) || !waitForServing(daemon.target(), started + 600s))
            return false;
        readyMs.push_back(std::chrono::duration<double, std::milli>(Clock::now() - started).count());
        const std::int64_t rss = residentBytes(daemon.pid());
        if (rss <= 0) {
            std::fprintf(stderr, "flywheel-bench: cannot read the resident memory of flywheeld (pid %d)\n",
                         static_cast<int>(daemon.pid()));
            return false;
        }
        rssMb.push_back(static_cast<double>(rss) / (1024.0 * 1024.0));
        if (!daemon.stop()) {
            std::fprintf(stderr, "flywheel-bench: flywheeld did not stop cleanly after restart %d\n", round + 1);
            return false;
        }
    }
    print("restart_orders", orders);
    print("restart_ready_ms_2m_orders", medianOf(readyMs));
    print("restart_ready_ms_2m_orders_rounds", readyMs);
    print("restart_rss_mb_2m_orders", medianOf(rssMb));
    return true;
}

/// Scenario `memory`: how the daemon's resident memory grows per order under a
/// steady load whose order book is level. Orders arrive at 3,000 a second and are
/// never paid; their reservations expire after 20 s, so after the settle period as
/// many orders expire as arrive, and what still grows is what the daemon keeps per
/// order ever created.
bool memoryScenario(const Settings &settings, const std::filesystem::path &binary, std::int64_t *skippedSends)
{
    constexpr double kRate = 3000;
    const TempDir dir;
    Daemon daemon(binary,
                  {"--db", (dir.path() / "memory.sqlite").string(), "--listen", "127.0.0.1:0", "--seed-demo",
                   "--history-per-hour", "0", "--reservation-ttl", "20"},
                  dir.path() / "flywheeld.log");
    if (!daemon.start(120s))
        return false;
    Client client(daemon.target(), settings.options.channels);
    if (!client.stock(10000000))
        return false;
    std::int64_t rssStart = -1;
    std::int64_t rssEnd = -1;
    const pid_t pid = daemon.pid();
    const auto end = Clock::now() + settings.memorySettle + settings.memoryWindow;
    const Result load = openLoop(OpenLoopPlan{kRate, settings.memorySettle,
                                              [&](Clock::time_point now) {
                                                  if (now < end)
                                                      return false;
                                                  rssEnd = residentBytes(pid);
                                                  return true;
                                              },
                                              [&] { rssStart = residentBytes(pid); }},
                                 client.createOrder);
    *skippedSends += load.skipped;
    if (rssStart <= 0 || rssEnd <= 0) {
        std::fprintf(stderr, "flywheel-bench: cannot read the resident memory of flywheeld (pid %d)\n",
                     static_cast<int>(pid));
        return false;
    }
    print("memory_orders", load.completed);
    print("memory_failed_orders", load.failures);
    // A load that did not arrive as planned says nothing about memory per order.
    if (load.completed == 0 || load.failures * 100 > load.due) {
        std::fprintf(stderr,
                     "flywheel-bench: %lld of %lld orders failed or were never sent (more than 1 %%); "
                     "no memory growth figure\n",
                     static_cast<long long>(load.failures), static_cast<long long>(load.due));
        return false;
    }
    print("memory_rss_start_mb", static_cast<double>(rssStart) / (1024.0 * 1024.0));
    print("memory_rss_end_mb", static_cast<double>(rssEnd) / (1024.0 * 1024.0));
    print("memory_growth_bytes_per_order",
          static_cast<double>(rssEnd - rssStart) / static_cast<double>(load.completed));
    return true;
}

} // namespace flywheel::bench
