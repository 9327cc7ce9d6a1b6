// ExperimentManager on SQLite with a manual clock: the lifecycle and each refusal,
// ship and rollback (also of a subsidy variant through its hook), stickiness across
// weight changes and a restart, exposures recorded once under concurrent choose(),
// the independence and split of assignment (χ² on 100k uids), the YAML codec, and
// results against hand-computed values.

#include "domain/experiments/Distributions.h"
#include "experiments/ExperimentManager.h"
#include "experiments/ExperimentSetYaml.h"
#include "storage/SqliteStore.h"
#include "TestSupport.h"

#include <QTemporaryDir>
#include <QTest>

#include <barrier>
#include <cmath>
#include <thread>

using namespace flywheel;
using namespace flywheel::experiments;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z
const audit::Actor kActor{"alice", "operator", "test"};

Experiment copyExperiment(const std::string &key, std::int32_t weightA = 5000)
{
    Experiment e;
    e.key = key;
    e.name = "Copy test";
    e.surface = Surface::InviteCopy;
    e.trafficBp = 10'000;
    e.minRunHours = 1;
    e.variants = {{"control", "Plain", weightA, {"Plain copy", 0}},
                  {"warm", "Warm", 10'000 - weightA, {"Warm copy", 0}}};
    return e;
}

ErrorCode codeOf(const Result<ExperimentManager::Current> &r)
{
    return r.ok() ? ErrorCode::Internal : r.error().code;
}

std::int64_t storedExposures(ExperimentStore &store)
{
    std::int64_t n = 0;
    store.forEachExposure([&](const StoredExposure &) { ++n; });
    return n;
}

} // namespace

class TestExperimentManager : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void yamlRoundTrip()
    {
        ExperimentSet set;
        set.defaults.inviteCopy = "Default: \"quoted\" copy";
        Experiment e = copyExperiment("roundtrip");
        e.salt = "salt-1";
        e.status = Status::Shipped;
        e.startedAt = T0;
        e.endedAt = T0 + std::chrono::hours(2);
        e.shippedVariant = "warm";
        e.inviteCopyBeforeShip = "before";
        set.experiments.push_back(e);
        const std::string yaml = experimentSetToYaml(set);
        auto parsed = experimentSetFromYaml(yaml, "test");
        QVERIFY(std::holds_alternative<ExperimentSet>(parsed));
        QVERIFY(std::get<ExperimentSet>(parsed) == set);
        // A bad value names its place.
        auto bad = experimentSetFromYaml(
            "defaults: {invite_copy: x, subsidy_config_version: 0}\nexperiments: [{key: a, surface: banner}]\n",
            "bad");
        QVERIFY(std::holds_alternative<common::YamlError>(bad));
    }

    void lifecycleAndRefusals()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("e.sqlite")).toStdString());
        ManualClock clock(T0);
        ExperimentManager manager(*store, clock);
        manager.start();
        QCOMPARE(manager.current().stored.version, std::int64_t{1});

        // Save: reason required, stale base refused, bad experiment named.
        QCOMPARE(codeOf(manager.save(1, copyExperiment("copy"), "", kActor)), ErrorCode::InvalidArgument);
        QCOMPARE(codeOf(manager.save(0, copyExperiment("copy"), "why", kActor)), ErrorCode::Aborted);
        Experiment badWeights = copyExperiment("copy");
        badWeights.variants[1].weightBp = 1;
        const auto weights = manager.save(1, badWeights, "why", kActor);
        QCOMPARE(codeOf(weights), ErrorCode::InvalidArgument);
        QVERIFY2(weights.error().message.find("weight_bp must total 10000") != std::string::npos,
                 weights.error().message.c_str());
        Experiment badCopy = copyExperiment("copy");
        badCopy.variants[0].payload.inviteCopy.clear();
        const auto copyError = manager.save(1, badCopy, "why", kActor);
        QVERIFY2(copyError.error().message.find("variants[0].payload.invite_copy") != std::string::npos,
                 copyError.error().message.c_str());

        auto saved = manager.save(1, copyExperiment("copy"), "try a warmer copy", kActor);
        QVERIFY(saved.ok());
        QCOMPARE(saved.value().stored.version, std::int64_t{2});
        const Experiment *draft = saved.value().set.find("copy");
        QCOMPARE(draft->salt, std::string("copy")); // the key when empty
        QCOMPARE(draft->status, Status::Draft);

        // Stop, ship and rollback of a draft are refused; unknown keys are not found.
        QCOMPARE(codeOf(manager.stopExperiment(2, "copy", "why", kActor)), ErrorCode::FailedPrecondition);
        QCOMPARE(codeOf(manager.ship(2, "copy", "warm", "why", kActor)), ErrorCode::FailedPrecondition);
        QCOMPARE(codeOf(manager.rollback(2, "copy", "why", kActor)), ErrorCode::FailedPrecondition);
        QCOMPARE(codeOf(manager.startExperiment(2, "nope", "why", kActor)), ErrorCode::NotFound);

        QVERIFY(manager.startExperiment(2, "copy", "go", kActor).ok());
        QCOMPARE(manager.current().set.find("copy")->status, Status::Running);
        QCOMPARE(manager.current().set.find("copy")->startedAt, T0);
        QCOMPARE(codeOf(manager.startExperiment(3, "copy", "again", kActor)), ErrorCode::FailedPrecondition);
        // A second experiment on the same surface cannot start.
        QVERIFY(manager.save(3, copyExperiment("other"), "another", kActor).ok());
        const auto second = manager.startExperiment(4, "other", "go", kActor);
        QCOMPARE(codeOf(second), ErrorCode::FailedPrecondition);
        QVERIFY(second.error().message.find("\"copy\" already runs") != std::string::npos);
        // While running: salt and payloads stay; weights may change.
        Experiment salted = copyExperiment("copy");
        salted.salt = "new-salt";
        QCOMPARE(codeOf(manager.save(4, salted, "resalt", kActor)), ErrorCode::InvalidArgument);
        Experiment recopied = copyExperiment("copy");
        recopied.variants[1].payload.inviteCopy = "Other";
        QCOMPARE(codeOf(manager.save(4, recopied, "recopy", kActor)), ErrorCode::InvalidArgument);

        // Ship only after min_run_hours (1 h), with a reason and a known variant.
        const auto early = manager.ship(4, "copy", "warm", "ship it", kActor);
        QCOMPARE(codeOf(early), ErrorCode::FailedPrecondition);
        QVERIFY2(early.error().message.find("1 hours it must run") != std::string::npos, early.error().message.c_str());
        QVERIFY(!manager.results("copy", IntervalKind::Sequential).value().canShip);
        clock.advance(std::chrono::hours(1));
        QVERIFY(manager.results("copy", IntervalKind::Sequential).value().canShip);
        QCOMPARE(codeOf(manager.ship(4, "copy", "nope", "ship it", kActor)), ErrorCode::InvalidArgument);
        QCOMPARE(codeOf(manager.ship(4, "copy", "warm", "", kActor)), ErrorCode::InvalidArgument);
        const std::string before = manager.current().set.defaults.inviteCopy;
        auto shipped = manager.ship(4, "copy", "warm", "warm wins", kActor);
        QVERIFY(shipped.ok());
        QCOMPARE(shipped.value().set.defaults.inviteCopy, std::string("Warm copy"));
        QCOMPARE(shipped.value().set.find("copy")->status, Status::Shipped);
        QCOMPARE(shipped.value().set.find("copy")->shippedVariant, std::string("warm"));
        QCOMPARE(shipped.value().set.find("copy")->endedAt, T0 + std::chrono::hours(1));
        // Everyone gets the shipped copy now.
        QCOMPARE(std::string(manager.choose(Surface::InviteCopy, 42, clock.now()).inviteCopy), std::string("Warm copy"));
        QVERIFY(std::string(manager.choose(Surface::InviteCopy, 42, clock.now()).experimentKey).empty());
        QCOMPARE(codeOf(manager.save(5, copyExperiment("copy"), "edit", kActor)), ErrorCode::FailedPrecondition);

        auto rolled = manager.rollback(5, "copy", "warm copy confused people", kActor);
        QVERIFY(rolled.ok());
        QCOMPARE(rolled.value().set.defaults.inviteCopy, before);
        QCOMPARE(rolled.value().set.find("copy")->status, Status::Stopped);
        QCOMPARE(rolled.value().stored.source, std::string("rollback"));

        // Every change is a version with its audit entry.
        AuditQuery query;
        query.area = kExperimentsArea;
        const auto entries = store->auditEntries(query);
        QCOMPARE(entries.size(), std::size_t{5}); // save, start, save other, ship, rollback
        QCOMPARE(entries.front().reason.find("warm copy confused people") != std::string::npos, true);
        QCOMPARE(manager.versions(50).size(), std::size_t{6});
        manager.stop();
    }

    void subsidyShipCallsTheHook()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("e.sqlite")).toStdString());
        ManualClock clock(T0);
        std::vector<std::int64_t> madeLive;
        ExperimentManager::Hooks hooks;
        hooks.makeSubsidyLive = [&](std::int64_t version, const std::string &, const audit::Actor &)
            -> Result<std::int64_t> {
            madeLive.push_back(version);
            return std::int64_t{3}; // the version live before
        };
        hooks.subsidyVersionExists = [](std::int64_t version) { return version <= 9; };
        ExperimentManager manager(*store, clock, hooks);
        manager.start();
        Experiment e;
        e.key = "subsidy";
        e.surface = Surface::FirstOrderSubsidy;
        e.minRunHours = 0;
        e.variants = {{"control", "Live", 5000, {"", 4}}, {"rich", "Rich", 5000, {"", 12}}};
        const auto missing = manager.save(1, e, "why", kActor);
        QCOMPARE(codeOf(missing), ErrorCode::InvalidArgument);
        QVERIFY(missing.error().message.find("no subsidy config version 12") != std::string::npos);
        e.variants[1].payload.subsidyConfigVersion = 7;
        QVERIFY(manager.save(1, e, "why", kActor).ok());
        QVERIFY(manager.startExperiment(2, "subsidy", "go", kActor).ok());
        const VariantChoice choice = manager.choose(Surface::FirstOrderSubsidy, 1234, clock.now());
        QCOMPARE(std::string(choice.experimentKey), std::string("subsidy"));
        QVERIFY(choice.subsidyConfigVersion == 4 || choice.subsidyConfigVersion == 7);
        auto shipped = manager.ship(3, "subsidy", "rich", "richer pays", kActor);
        QVERIFY(shipped.ok());
        QCOMPARE(madeLive, std::vector<std::int64_t>{7});
        QCOMPARE(shipped.value().set.defaults.subsidyConfigVersion, std::int64_t{7});
        QCOMPARE(manager.choose(Surface::FirstOrderSubsidy, 1234, clock.now()).subsidyConfigVersion, std::int64_t{7});
        QVERIFY(manager.rollback(4, "subsidy", "back", kActor).ok());
        QCOMPARE(madeLive, (std::vector<std::int64_t>{7, 3}));
        QCOMPARE(manager.current().set.defaults.subsidyConfigVersion, std::int64_t{0});
        manager.stop();
    }

    void stickyAcrossWeightsAndRestart()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("e.sqlite")).toStdString();
        ManualClock clock(T0);
        std::map<std::int64_t, std::string> first;
        {
            auto store = SqliteStore::open(path);
            ExperimentManager manager(*store, clock);
            manager.start();
            QVERIFY(manager.save(1, copyExperiment("copy"), "new", kActor).ok());
            QVERIFY(manager.startExperiment(2, "copy", "go", kActor).ok());
            for (std::int64_t uid = 1; uid <= 2000; ++uid)
                first[uid] = std::string(manager.choose(Surface::InviteCopy, uid, clock.now()).variantKey);
            // Everyone new now goes to "warm"; the assigned stay where they are.
            QVERIFY(manager.save(3, copyExperiment("copy", 0), "all warm", kActor).ok());
            int stayedInControl = 0;
            for (std::int64_t uid = 1; uid <= 2000; ++uid) {
                const std::string now = std::string(manager.choose(Surface::InviteCopy, uid, clock.now()).variantKey);
                QCOMPARE(now, first[uid]);
                stayedInControl += now == "control";
            }
            QVERIFY(stayedInControl > 900 && stayedInControl < 1100);
            for (std::int64_t uid = 2001; uid <= 2500; ++uid)
                QCOMPARE(std::string(manager.choose(Surface::InviteCopy, uid, clock.now()).variantKey), std::string("warm"));
            manager.stop();
            QCOMPARE(storedExposures(*store), std::int64_t{2500});
        }
        // After a restart the stored exposures hold, whatever the weights say.
        auto store = SqliteStore::open(path);
        ExperimentManager manager(*store, clock);
        manager.start();
        QCOMPARE(manager.exposureCount(), std::int64_t{2500});
        for (std::int64_t uid = 1; uid <= 2000; ++uid)
            QCOMPARE(std::string(manager.choose(Surface::InviteCopy, uid, clock.now()).variantKey), first[uid]);
        // The database keeps the first variant: a second insert is ignored.
        QCOMPARE(test::execSql(path, "INSERT OR IGNORE INTO experiment_exposures (experiment, uid, variant, at_ms) "
                                     "VALUES ('copy', 1, 'zzz', 0)"),
                 std::string());
        QVERIFY(!test::execSql(path, "UPDATE experiment_exposures SET variant = 'zzz' WHERE uid = 1").empty());
        manager.stop();
    }

    void exposuresOnceUnderConcurrency()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("e.sqlite")).toStdString());
        ManualClock clock(T0);
        ExperimentManager manager(*store, clock);
        manager.start();
        QVERIFY(manager.save(1, copyExperiment("copy"), "new", kActor).ok());
        QVERIFY(manager.startExperiment(2, "copy", "go", kActor).ok());
        constexpr int kThreads = 8;
        constexpr std::int64_t kUsers = 3000;
        std::vector<std::vector<std::string>> seen(kThreads, std::vector<std::string>(kUsers + 1));
        std::barrier start(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                start.arrive_and_wait();
                for (std::int64_t uid = 1; uid <= kUsers; ++uid) {
                    const std::int64_t u = t % 2 == 0 ? uid : kUsers + 1 - uid;
                    seen[static_cast<std::size_t>(t)][static_cast<std::size_t>(u)] =
                        std::string(manager.choose(Surface::InviteCopy, u, clock.now()).variantKey);
                }
            });
        for (auto &thread : threads)
            thread.join();
        for (int t = 1; t < kThreads; ++t)
            QVERIFY(seen[static_cast<std::size_t>(t)] == seen[0]);
        manager.flush();
        QCOMPARE(manager.exposureCount(), kUsers);
        QCOMPARE(storedExposures(*store), kUsers);
        const auto results = manager.results("copy", IntervalKind::Sequential).value();
        QCOMPARE(results.results.variants[0].totals.exposures + results.results.variants[1].totals.exposures, kUsers);
        manager.stop();
    }

    void independenceAndSplit()
    {
        // 100k uids under two salts: the 2×2 table of variants is independent (χ², 1 df),
        // and a 30/70 split matches its weights (χ², 1 df).
        Design a{"salt-a", 10'000, {{"a0", 5000}, {"a1", 5000}}};
        Design b{"salt-b", 10'000, {{"b0", 3000}, {"b1", 7000}}};
        const auto assignerA = Assigner::create(a).value();
        const auto assignerB = Assigner::create(b).value();
        double table[2][2] = {{0, 0}, {0, 0}};
        std::vector<std::int64_t> splitB(2, 0);
        for (int uid = 1; uid <= 100'000; ++uid) {
            const std::string text = std::to_string(uid);
            const std::size_t va = *assignerA.assign(text).value().variant;
            const std::size_t vb = *assignerB.assign(text).value().variant;
            table[va][vb] += 1;
            ++splitB[vb];
        }
        double chi = 0;
        const double n = 100'000;
        for (int i = 0; i < 2; ++i)
            for (int j = 0; j < 2; ++j) {
                const double expected = (table[i][0] + table[i][1]) * (table[0][j] + table[1][j]) / n;
                chi += (table[i][j] - expected) * (table[i][j] - expected) / expected;
            }
        QVERIFY2(chiSquaredSf(chi, 1) > 0.001, std::to_string(chi).c_str());
        const auto srm = sampleRatioMismatch(splitB, {3000, 7000});
        QVERIFY(srm.ok());
        QVERIFY2(srm.value().pValue > 0.001, std::to_string(srm.value().chiSquared).c_str());
        QCOMPARE(srm.value().status, SrmStatus::Healthy);
    }

    void resultsAgainstHandComputedValues()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("e.sqlite")).toStdString());
        ManualClock clock(T0);
        ExperimentManager manager(*store, clock);
        manager.start();
        QVERIFY(manager.save(1, copyExperiment("copy"), "new", kActor).ok());
        // Events of users not yet exposed, or before the start, never count.
        manager.record(1, ExperimentManager::Event::Share, Money(), clock.now());
        QVERIFY(manager.startExperiment(2, "copy", "go", kActor).ok());
        // Four users in each variant.
        std::vector<std::int64_t> control, warm;
        const Design design = manager.current().set.find("copy")->design();
        for (std::int64_t uid = 1; control.size() < 4 || warm.size() < 4; ++uid) {
            auto &list = *assign(design, std::to_string(uid)).value().variant == 0 ? control : warm;
            if (list.size() < 4) {
                list.push_back(uid);
                QCOMPARE(std::string(manager.choose(Surface::InviteCopy, uid, clock.now()).variantKey),
                         std::string(&list == &control ? "control" : "warm"));
            }
        }
        clock.advance(std::chrono::seconds(1));
        using Event = ExperimentManager::Event;
        // Sharers: 1 of 4 against 3 of 4 (one of them shares twice).
        manager.record(control[0], Event::Share, Money(), clock.now());
        for (int i = 0; i < 3; ++i)
            manager.record(warm[static_cast<std::size_t>(i)], Event::Share, Money(), clock.now());
        manager.record(warm[0], Event::Share, Money(), clock.now());
        // GMV per user: control 100, 200, 300, 400; warm 200, 400, 600, 800.
        for (std::size_t i = 0; i < 4; ++i) {
            manager.record(control[i], Event::PaidOrder, Money(100 * static_cast<std::int64_t>(i + 1)), clock.now());
            manager.record(warm[i], Event::PaidOrder, Money(200 * static_cast<std::int64_t>(i + 1)), clock.now());
        }
        manager.record(warm[0], Event::CommissionCost, Money(40), clock.now());
        manager.record(warm[1], Event::SubsidyCost, Money(60), clock.now());
        // An event before the user's exposure does not count.
        manager.record(control[1], Event::Share, Money(), T0 - std::chrono::seconds(1));

        const auto view = manager.results("copy", IntervalKind::FixedHorizon).value();
        const VariantResult &c = view.results.variants[0];
        const VariantResult &w = view.results.variants[1];
        QCOMPARE(c.totals.exposures, std::int64_t{4});
        QCOMPARE(c.totals.sharers, std::int64_t{1});
        QCOMPARE(w.totals.shares, std::int64_t{4});
        QCOMPARE(w.totals.sharers, std::int64_t{3});
        QCOMPARE(c.shareRate, 0.25);
        QCOMPARE(w.totals.gmvMinor, std::int64_t{2000});
        QCOMPARE(w.totals.subsidyMinor + w.totals.commissionMinor, std::int64_t{100});
        QCOMPARE(c.roiPer1000, 250'000.0);                     // (1000 − 0) / 4 × 1000
        QCOMPARE(w.roiPer1000, (2000.0 - 100.0) / 4 * 1000.0); // 475,000
        QCOMPARE(c.exposureShare, 0.5);

        const auto diff = [&](const char *metric) {
            for (const Difference &d : w.differences)
                if (d.metric == metric)
                    return d;
            return Difference{};
        };
        // Two-proportion z, unpooled: SE = √(.25·.75/4 + .75·.25/4) = 0.306186.
        const Difference share = diff("share_rate");
        QCOMPARE(share.test, std::string("two_proportion_z"));
        QVERIFY(std::abs(share.difference - 0.5) < 1e-12);
        const double se = std::sqrt(0.25 * 0.75 / 4 + 0.75 * 0.25 / 4);
        QVERIFY(std::abs(share.lower - (0.5 - 1.959963985 * se)) < 1e-6);
        QVERIFY(std::abs(share.upper - (0.5 + 1.959963985 * se)) < 1e-6);
        QVERIFY(std::abs(share.pValue - 2 * (1 - normalCdf(0.5 / se))) < 1e-9);
        QVERIFY(std::abs(share.pValue - 0.102470) < 1e-5);
        QVERIFY(!share.significant);
        // Welch: means 250 and 500, variances 16,666.7 and 66,666.7: SE = 144.3376,
        // t = 1.732051, ν = 4.4118.
        const Difference gmv = diff("gmv_per_exposure");
        QCOMPARE(gmv.test, std::string("welch_t"));
        QCOMPARE(gmv.control, 250.0);
        QCOMPARE(gmv.variant, 500.0);
        const double v1 = 50'000.0 / 3 / 4, v2 = 200'000.0 / 3 / 4;
        const double welchSe = std::sqrt(v1 + v2);
        const double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / 3 + v2 * v2 / 3);
        QVERIFY(std::abs(welchSe - 144.3375673) < 1e-6);
        QVERIFY(std::abs(df - 4.41176) < 1e-4);
        QVERIFY(std::abs(gmv.pValue - studentTTwoSidedP(250.0 / welchSe, df)) < 1e-9);
        const double q = studentTQuantile(0.975, df);
        QVERIFY(std::abs(gmv.lower - (250.0 - q * welchSe)) < 1e-6);
        QVERIFY(std::abs(gmv.upper - (250.0 + q * welchSe)) < 1e-6);
        // GMV per cost: control has no cost, so the ratio cannot be compared.
        QVERIFY(diff("gmv_per_cost").insufficientData);
        QCOMPARE(diff("gmv_per_cost").test, std::string("delta_ratio"));
        // One variant against control: Holm changes nothing.
        QCOMPARE(gmv.adjustedPValue, gmv.pValue);

        // Sequential intervals are wider than fixed ones, and the default.
        const auto live = manager.results("copy", IntervalKind::Sequential).value();
        const Difference &seq = live.results.variants[1].differences[3];
        QCOMPARE(seq.metric, std::string("gmv_per_exposure"));
        QVERIFY(seq.upper - seq.lower > gmv.upper - gmv.lower);
        // After a stop, events no longer count.
        QVERIFY(manager.stopExperiment(3, "copy", "done", kActor).ok());
        manager.record(control[0], Event::PaidOrder, Money(999), clock.now());
        QCOMPARE(manager.results("copy", IntervalKind::FixedHorizon).value().results.variants[0].totals.gmvMinor,
                 std::int64_t{1000});
        manager.stop();
        // The outcomes are stored with the exposures.
        std::int64_t gmv0 = 0;
        store->forEachExposure([&](const StoredExposure &e) {
            if (e.uid == warm[3])
                gmv0 = e.metrics.gmvMinor;
        });
        QCOMPARE(gmv0, std::int64_t{800});
    }

    void onlyCountsOnTheNamedSurface()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("e.sqlite")).toStdString());
        ManualClock clock(T0);
        ExperimentManager::Hooks hooks;
        hooks.subsidyVersionExists = [](std::int64_t) { return true; };
        ExperimentManager manager(*store, clock, hooks);
        manager.start();
        Experiment subsidy;
        subsidy.key = "subsidy";
        subsidy.surface = Surface::FirstOrderSubsidy;
        subsidy.minRunHours = 0;
        subsidy.variants = {{"control", "Live", 5000, {"", 4}}, {"rich", "Rich", 5000, {"", 7}}};
        QVERIFY(manager.save(1, copyExperiment("copy"), "new", kActor).ok());
        QVERIFY(manager.save(2, subsidy, "new", kActor).ok());
        QVERIFY(manager.startExperiment(3, "copy", "go", kActor).ok());
        QVERIFY(manager.startExperiment(4, "subsidy", "go", kActor).ok());
        // The inviter is exposed on both surfaces (their invite page, their own first order).
        const std::int64_t inviter = 42;
        (void)manager.choose(Surface::InviteCopy, inviter, clock.now());
        (void)manager.choose(Surface::FirstOrderSubsidy, inviter, clock.now());
        clock.advance(std::chrono::seconds(1));
        using Event = ExperimentManager::Event;
        manager.record(inviter, Event::PaidOrder, Money(500), clock.now());               // their own order
        manager.record(inviter, Event::PaidOrder, Money(300), clock.now(), Surface::InviteCopy); // an invitee's
        manager.record(inviter, Event::CommissionCost, Money(30), clock.now(), Surface::InviteCopy);
        manager.record(inviter, Event::CommissionCost, Money(25), clock.now(), Surface::FirstOrderSubsidy);
        const auto totals = [&](const char *key) {
            VariantTotals sum;
            const auto view = manager.results(key, IntervalKind::FixedHorizon);
            for (const VariantResult &v : view.value().results.variants) {
                sum.orders += v.totals.orders;
                sum.gmvMinor += v.totals.gmvMinor;
                sum.commissionMinor += v.totals.commissionMinor;
            }
            return sum;
        };
        const VariantTotals copy = totals("copy");
        QCOMPARE(copy.orders, std::int64_t{2});
        QCOMPARE(copy.gmvMinor, std::int64_t{800});
        QCOMPARE(copy.commissionMinor, std::int64_t{30});
        const VariantTotals first = totals("subsidy");
        QCOMPARE(first.orders, std::int64_t{1});
        QCOMPARE(first.gmvMinor, std::int64_t{500});
        QCOMPARE(first.commissionMinor, std::int64_t{25});
        manager.stop();
    }

    void srmBlocksShip()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(dir.filePath(QStringLiteral("e.sqlite")).toStdString());
        ManualClock clock(T0);
        {
            ExperimentManager manager(*store, clock);
            manager.start();
            Experiment e = copyExperiment("copy");
            e.minRunHours = 0;
            QVERIFY(manager.save(1, e, "new", kActor).ok());
            QVERIFY(manager.startExperiment(2, "copy", "go", kActor).ok());
            manager.stop();
        }
        // 300 users in control and 100 in warm of a 50/50 split.
        std::vector<StoredExposure> rows;
        for (std::int64_t uid = 1; uid <= 400; ++uid)
            rows.push_back(StoredExposure{"copy", uid, uid <= 300 ? "control" : "warm", T0, {}});
        store->writeExposures(rows, {});
        ExperimentManager manager(*store, clock);
        manager.start();
        const auto view = manager.results("copy", IntervalKind::Sequential).value();
        QVERIFY(view.results.srmMismatch);
        QVERIFY(std::abs(view.results.srmChiSquare - 100.0) < 1e-9); // (300−200)²/200 + (100−200)²/200
        QVERIFY(!view.canShip);
        const auto refused = manager.ship(3, "copy", "warm", "ship", kActor);
        QCOMPARE(codeOf(refused), ErrorCode::FailedPrecondition);
        QVERIFY2(refused.error().message.find("sample ratio") != std::string::npos, refused.error().message.c_str());
        manager.stop();
    }
};

QTEST_GUILESS_MAIN(TestExperimentManager)
#include "tst_experimentmanager.moc"
