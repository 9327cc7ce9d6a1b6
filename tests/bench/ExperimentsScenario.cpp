// Scenario "experiments": the storefront's question to the experiments, in process
// (ExperimentManager::choose on a running invite-copy experiment, SQLite in a
// temporary directory): the first assignment of a user (hash, insert, exposure
// queued) and the answer for a user already exposed (one striped map lookup).

#include "Daemon.h"
#include "Scenarios.h"

#include "domain/Clock.h"
#include "experiments/ExperimentManager.h"
#include "storage/SqliteStore.h"

namespace flywheel::bench {

bool experimentsScenario()
{
    using namespace flywheel::experiments;
    constexpr std::int64_t kUsers = 200'000;
    constexpr int kRepeats = 10;
    const TempDir dir;
    auto store = SqliteStore::open((dir.path() / "experiments.sqlite").string());
    const SystemClock clock;
    ExperimentManager manager(*store, clock);
    manager.start();
    Experiment e;
    // Keys and copies as long as the demo's: the answer copies them (no short-string shortcut).
    e.key = "invite_copy_warmth";
    e.surface = Surface::InviteCopy;
    e.minRunHours = 0;
    e.variants = {{"control", "A", 5000, {"Join Flywheel with my link and get a reward on your first order.", 0}},
                  {"b", "B", 5000, {"I love shopping here - join me and we both get a treat on your first order!", 0}}};
    const audit::Actor actor{"bench", "operator", "local"};
    if (!manager.save(1, e, "bench", actor).ok() || !manager.startExperiment(2, e.key, "bench", actor).ok()) {
        std::fprintf(stderr, "experiments: the experiment could not be started\n");
        return false;
    }
    const TimePoint now = clock.now();
    std::int64_t inB = 0;
    const auto firstStart = std::chrono::steady_clock::now();
    for (std::int64_t uid = 1; uid <= kUsers; ++uid)
        inB += manager.choose(Surface::InviteCopy, uid, now).variantKey == "b";
    const auto firstEnd = std::chrono::steady_clock::now();
    std::int64_t again = 0;
    const auto repeatStart = std::chrono::steady_clock::now();
    for (int r = 0; r < kRepeats; ++r)
        for (std::int64_t uid = 1; uid <= kUsers; ++uid)
            again += manager.choose(Surface::InviteCopy, uid, now).variantKey == "b";
    const auto repeatEnd = std::chrono::steady_clock::now();
    manager.flush();
    // The work happened: every user was exposed once, and kept their variant.
    if (manager.exposureCount() != kUsers || again != inB * kRepeats || inB < kUsers / 3) {
        std::fprintf(stderr, "experiments: %lld exposures of %lld users, %lld of them in b, %lld b answers again\n",
                     static_cast<long long>(manager.exposureCount()), static_cast<long long>(kUsers),
                     static_cast<long long>(inB), static_cast<long long>(again));
        return false;
    }
    const auto ns = [](auto d) { return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()); };
    print("experiment_first_assign_ns", ns(firstEnd - firstStart) / static_cast<double>(kUsers));
    print("experiment_assign_ns", ns(repeatEnd - repeatStart) / static_cast<double>(kUsers * kRepeats));
    manager.stop();
    return true;
}

} // namespace flywheel::bench
