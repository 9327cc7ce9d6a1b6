// The AuditService over gRPC: the history with filters and paging, every bad input,
// and restoring an earlier version of each versioned area, itself an audited change.

#include "TestSupport.h"

#include "domain/audit/ChainVerifier.h"
#include "storage/SqliteAuditReader.h"

#include "flywheel/v1/audit.grpc.pb.h"
#include "flywheel/v1/experiments.grpc.pb.h"
#include "flywheel/v1/pricing.grpc.pb.h"
#include "flywheel/v1/referral.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cstdint>
#include <limits>

using namespace flywheel;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z

void check(const grpc::Status &s, const char *what)
{
    if (!s.ok())
        qFatal("%s: %s", what, s.error_message().c_str());
}

bool contains(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

void setTime(google::protobuf::Timestamp *out, TimePoint t)
{
    out->set_seconds(toEpochMs(t) / 1000);
    out->set_nanos(static_cast<int>(toEpochMs(t) % 1000) * 1000000);
}

struct Stubs {
    explicit Stubs(const std::shared_ptr<grpc::Channel> &channel)
        : audit(v1::AuditService::NewStub(channel)), pricing(v1::PricingService::NewStub(channel)),
          segments(v1::SegmentService::NewStub(channel)), referral(v1::ReferralService::NewStub(channel))
    {}
    std::unique_ptr<v1::AuditService::Stub> audit;
    std::unique_ptr<v1::PricingService::Stub> pricing;
    std::unique_ptr<v1::SegmentService::Stub> segments;
    std::unique_ptr<v1::ReferralService::Stub> referral;

    grpc::Status list(const v1::ListAuditEntriesRequest &request, v1::ListAuditEntriesResponse *response) const
    {
        grpc::ClientContext context;
        return audit->ListAuditEntries(&context, request, response);
    }
    v1::ListAuditEntriesResponse list(const v1::ListAuditEntriesRequest &request = {}) const
    {
        v1::ListAuditEntriesResponse response;
        check(list(request, &response), "ListAuditEntries");
        return response;
    }
    grpc::Status restore(const std::string &area, std::int64_t version, std::int64_t base, const std::string &reason,
                         v1::RestoreVersionResponse *response = nullptr) const
    {
        v1::RestoreVersionRequest request;
        request.set_area(area);
        request.set_version(version);
        request.set_base_version(base);
        request.set_reason(reason);
        v1::RestoreVersionResponse ignored;
        grpc::ClientContext context;
        return audit->RestoreVersion(&context, request, response != nullptr ? response : &ignored);
    }
    std::int64_t saveRules(std::int64_t base, int percentOffBp, const std::string &reason) const
    {
        v1::SaveRuleSetRequest save;
        save.set_base_version(base);
        save.set_reason(reason);
        v1::PricingRule *rule = save.add_rules();
        rule->set_id("launch");
        rule->set_name("Launch");
        rule->set_kind(v1::RULE_KIND_PERCENT_OFF);
        rule->set_enabled(true);
        rule->set_stackable(true);
        rule->set_percent_off_bp(percentOffBp);
        grpc::ClientContext context;
        v1::RuleSetVersion saved;
        check(pricing->SaveRuleSet(&context, save, &saved), "SaveRuleSet");
        return saved.version();
    }
    v1::RuleSetVersion rules() const
    {
        grpc::ClientContext context;
        v1::RuleSetVersion current;
        check(pricing->GetRuleSet(&context, {}, &current), "GetRuleSet");
        return current;
    }
    v1::SegmentSetVersion segmentSet() const
    {
        grpc::ClientContext context;
        v1::SegmentSetVersion current;
        check(segments->GetSegmentSet(&context, {}, &current), "GetSegmentSet");
        return current;
    }
    std::int64_t saveHoldout(int holdout, const std::string &reason) const
    {
        const v1::SegmentSetVersion current = segmentSet();
        v1::SaveSegmentSetRequest save;
        save.set_base_version(current.version());
        for (const v1::Segment &s : current.segments())
            *save.add_segments() = s;
        *save.mutable_policy() = current.policy();
        save.mutable_policy()->set_holdout_percent(holdout);
        save.set_reason(reason);
        grpc::ClientContext context;
        v1::SegmentSetVersion saved;
        check(segments->SaveSegmentSet(&context, save, &saved), "SaveSegmentSet");
        return saved.version();
    }
    v1::ProgramVersion program() const
    {
        grpc::ClientContext context;
        v1::ProgramVersion current;
        check(referral->GetProgram(&context, {}, &current), "GetProgram");
        return current;
    }
    std::int64_t saveLevel1Rate(int rateBp, const std::string &reason) const
    {
        const v1::ProgramVersion current = program();
        v1::SaveProgramRequest save;
        save.set_base_version(current.version());
        *save.mutable_program() = current.program();
        save.mutable_program()->set_level1_rate_bp(rateBp);
        save.set_reason(reason);
        grpc::ClientContext context;
        v1::ProgramVersion saved;
        check(referral->SaveProgram(&context, save, &saved), "SaveProgram");
        return saved.version();
    }
};

} // namespace

class TestAuditService final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsFiltersAndPages()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        const Stubs stubs(backend->inProcessChannel());

        // The initial segment set and programme are not operators' changes.
        QCOMPARE(stubs.list().entries_size(), 0);
        stubs.saveRules(0, 1000, "launch week"); // seq 1, T0
        clock.advance(std::chrono::hours(1));
        stubs.saveRules(1, 2000, "second week"); // seq 2, T0+1h
        clock.advance(std::chrono::hours(1));
        const std::int64_t holdout = stubs.segmentSet().policy().holdout_percent();
        stubs.saveHoldout(static_cast<int>(holdout) + 5, "more holdout"); // seq 3, T0+2h
        clock.advance(std::chrono::hours(1));
        stubs.saveLevel1Rate(1500, "spring campaign"); // seq 4, T0+3h

        const v1::ListAuditEntriesResponse all = stubs.list();
        QCOMPARE(all.entries_size(), 4);
        QCOMPARE(all.next_before_seq(), 0);
        QCOMPARE(all.entries(0).seq(), 4); // newest first
        QCOMPARE(all.entries(0).area(), std::string("referral"));
        QCOMPARE(all.entries(0).object(), std::string("programme"));
        QCOMPARE(all.entries(0).version(), 2);
        QCOMPARE(all.entries(0).actor_name(), std::string("local"));
        QCOMPARE(all.entries(0).actor_role(), std::string("admin"));
        QCOMPARE(all.entries(0).reason(), std::string("spring campaign"));
        QCOMPARE(all.entries(0).hash().size(), std::size_t{64});
        QVERIFY(contains(all.entries(0).after(), "level1_rate"));
        QVERIFY(all.entries(0).before() != all.entries(0).after());
        QCOMPARE(all.entries(3).area(), std::string("pricing"));
        QCOMPARE(all.entries(3).at().seconds(), toEpochMs(T0) / 1000);
        QCOMPARE(all.current_versions().at("pricing"), 2);
        QCOMPARE(all.current_versions().at("segments"), 2);
        QCOMPARE(all.current_versions().at("referral"), 2);
        QCOMPARE(all.current_versions().at("experiments"), 1); // the demo's experiment set
        QCOMPARE(all.current_versions().at("subsidy"), 1); // its initial version
        QCOMPARE(all.current_versions().at("payments"), 1); // no channels yet
        QCOMPARE(all.current_versions().at("alerts"), 1); // the default thresholds
        QCOMPARE(all.current_versions().size(), std::size_t{7});
        // Only an earlier version of a versioned area can be restored.
        QVERIFY(!all.entries(0).restorable()); // referral 2: current
        QVERIFY(!all.entries(2).restorable()); // pricing 2: current
        QVERIFY(all.entries(3).restorable());  // pricing 1

        v1::ListAuditEntriesRequest byArea;
        byArea.set_area("pricing");
        const v1::ListAuditEntriesResponse pricing = stubs.list(byArea);
        QCOMPARE(pricing.entries_size(), 2);
        for (const v1::AuditEntry &e : pricing.entries())
            QCOMPARE(e.area(), std::string("pricing"));

        v1::ListAuditEntriesRequest byPerson;
        byPerson.set_actor_name("local");
        QCOMPARE(stubs.list(byPerson).entries_size(), 4);
        byPerson.set_actor_name("somebody else");
        QCOMPARE(stubs.list(byPerson).entries_size(), 0);

        v1::ListAuditEntriesRequest byTime; // [T0+1h, T0+3h): seq 2 and 3
        setTime(byTime.mutable_from(), T0 + std::chrono::hours(1));
        setTime(byTime.mutable_until(), T0 + std::chrono::hours(3));
        const v1::ListAuditEntriesResponse window = stubs.list(byTime);
        QCOMPARE(window.entries_size(), 2);
        QCOMPARE(window.entries(0).seq(), 3);
        QCOMPARE(window.entries(1).seq(), 2);

        // Pages of one, following next_before_seq to the end.
        v1::ListAuditEntriesRequest page;
        page.set_limit(1);
        std::vector<std::int64_t> seqs;
        for (int i = 0; i < 10; ++i) {
            const v1::ListAuditEntriesResponse response = stubs.list(page);
            QCOMPARE(response.entries_size(), 1);
            seqs.push_back(response.entries(0).seq());
            if (response.next_before_seq() == 0)
                break;
            QCOMPARE(response.next_before_seq(), response.entries(0).seq());
            page.set_before_seq(response.next_before_seq());
        }
        QCOMPARE(seqs, (std::vector<std::int64_t>{4, 3, 2, 1}));
        page.set_limit(3);
        page.set_before_seq(0);
        const v1::ListAuditEntriesResponse three = stubs.list(page);
        QCOMPARE(three.entries_size(), 3);
        QCOMPARE(three.next_before_seq(), 2);
    }

    void refusesBadListRequests()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        const Stubs stubs(backend->inProcessChannel());
        const auto refused = [&](const v1::ListAuditEntriesRequest &request, const std::string &field) {
            v1::ListAuditEntriesResponse response;
            const grpc::Status status = stubs.list(request, &response);
            QCOMPARE(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QVERIFY2(contains(status.error_message(), field), status.error_message().c_str());
        };
        for (const int limit : {-1, 501}) {
            v1::ListAuditEntriesRequest request;
            request.set_limit(limit);
            refused(request, "limit must be between 1 and 500 (0 means 100), got " + std::to_string(limit));
        }
        {
            v1::ListAuditEntriesRequest request;
            request.set_limit(500); // the most allowed
            QCOMPARE(stubs.list(request).entries_size(), 0);
        }
        {
            v1::ListAuditEntriesRequest request;
            request.set_before_seq(-3);
            refused(request, "before_seq must be 0 (the newest) or a positive seq, got -3");
        }
        {
            v1::ListAuditEntriesRequest request;
            setTime(request.mutable_from(), T0 + std::chrono::hours(2));
            setTime(request.mutable_until(), T0);
            refused(request, "from must not be after until");
        }
        {
            v1::ListAuditEntriesRequest request;
            request.mutable_until()->set_nanos(1000000000);
            refused(request, "until.nanos must be between 0 and 999999999");
        }
        {
            v1::ListAuditEntriesRequest request;
            request.mutable_from()->set_seconds(-5);
            refused(request, "from must not be before 1970-01-01T00:00:00Z");
        }
        {
            // seconds * 1000 would overflow: refused before it is converted.
            v1::ListAuditEntriesRequest request;
            request.mutable_until()->set_seconds(std::numeric_limits<std::int64_t>::max());
            refused(request, "until must not be after 9999-12-31T23:59:59Z (253402300799 seconds), got " +
                                 std::to_string(std::numeric_limits<std::int64_t>::max()) + " seconds");
        }
        {
            v1::ListAuditEntriesRequest request;
            request.mutable_until()->set_seconds(253402300799); // the last second allowed
            QCOMPARE(stubs.list(request).entries_size(), 0);
        }
    }

    void restoresEachAreaAsAnAuditedChange()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        const std::string path = backend->databasePath();
        const Stubs stubs(backend->inProcessChannel());
        stubs.saveRules(0, 1000, "launch week");
        stubs.saveRules(1, 2000, "second week");
        const v1::SegmentSetVersion initialSegments = stubs.segmentSet();
        stubs.saveHoldout(static_cast<int>(initialSegments.policy().holdout_percent()) + 5, "more holdout");
        const v1::ProgramVersion initialProgram = stubs.program();
        stubs.saveLevel1Rate(1500, "spring campaign");

        // Pricing: back to version 1.
        v1::RestoreVersionResponse restored;
        check(stubs.restore("pricing", 1, 2, "second week was a mistake", &restored), "RestoreVersion pricing");
        QCOMPARE(restored.area(), std::string("pricing"));
        QCOMPARE(restored.version(), 3);
        QCOMPARE(restored.restored_from(), 1);
        QCOMPARE(stubs.rules().version(), 3);
        QCOMPARE(stubs.rules().rules(0).percent_off_bp(), 1000);
        QCOMPARE(stubs.rules().source(), std::string("rollback"));

        // Segments: back to the initial set.
        check(stubs.restore("segments", initialSegments.version(), initialSegments.version() + 1, "holdout back",
                            &restored),
              "RestoreVersion segments");
        QCOMPARE(restored.version(), initialSegments.version() + 2);
        QCOMPARE(stubs.segmentSet().version(), initialSegments.version() + 2);
        QCOMPARE(stubs.segmentSet().policy().holdout_percent(), initialSegments.policy().holdout_percent());

        // Referral programmes become restorable too.
        check(stubs.restore("referral", initialProgram.version(), initialProgram.version() + 1, "rate back", &restored),
              "RestoreVersion referral");
        QCOMPARE(restored.version(), initialProgram.version() + 2);
        QCOMPARE(stubs.program().version(), initialProgram.version() + 2);
        QCOMPARE(stubs.program().program().level1_rate_bp(), initialProgram.program().level1_rate_bp());

        // Each restore is an entry: newest first referral, segments, pricing.
        const v1::ListAuditEntriesResponse all = stubs.list();
        QCOMPARE(all.entries_size(), 7);
        const v1::AuditEntry &pricingEntry = all.entries(2);
        QCOMPARE(pricingEntry.area(), std::string("pricing"));
        QCOMPARE(pricingEntry.version(), 3);
        QCOMPARE(pricingEntry.reason(), std::string("second week was a mistake (rollback to version 1)"));
        QCOMPARE(pricingEntry.actor_name(), std::string("local"));
        QVERIFY(contains(pricingEntry.before(), "percent_off: 20"));
        QVERIFY(contains(pricingEntry.after(), "percent_off: 10"));
        QCOMPARE(all.entries(1).area(), std::string("segments"));
        QCOMPARE(all.entries(1).version(), initialSegments.version() + 2);
        QCOMPARE(all.entries(0).area(), std::string("referral"));
        QCOMPARE(all.entries(0).version(), initialProgram.version() + 2);
        QCOMPARE(all.current_versions().at("pricing"), 3);

        backend->shutdown();
        backend.reset();
        const audit::Verdict verdict = audit::verify(SqliteAuditReader::readChain(path));
        QVERIFY2(verdict.intact(), verdict.message.c_str());
        QCOMPARE(verdict.entries, std::size_t{7});
    }

    void refusesBadRestores()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        const Stubs stubs(backend->inProcessChannel());
        stubs.saveRules(0, 1000, "one");
        stubs.saveRules(1, 2000, "two");
        const auto refused = [&](const grpc::Status &status, grpc::StatusCode code, const std::string &message) {
            QCOMPARE(status.error_code(), code);
            QVERIFY2(contains(status.error_message(), message), status.error_message().c_str());
        };
        refused(stubs.restore("tokens", 1, 1, "why"), grpc::StatusCode::NOT_FOUND,
                "there is no versioned area \"tokens\": choose alerts, experiments, payments, pricing, referral, segments or subsidy");
        refused(stubs.restore("", 1, 1, "why"), grpc::StatusCode::NOT_FOUND, "there is no versioned area \"\"");
        refused(stubs.restore("pricing", 99, 2, "why"), grpc::StatusCode::NOT_FOUND, "there is no rule set version 99");
        refused(stubs.restore("segments", 42, 1, "why"), grpc::StatusCode::NOT_FOUND,
                "there is no segment set version 42");
        refused(stubs.restore("referral", 7, 1, "why"), grpc::StatusCode::NOT_FOUND, "there is no programme version 7");
        refused(stubs.restore("pricing", 1, 1, "why"), grpc::StatusCode::ABORTED,
                "you started from version 1, the current version is 2");
        refused(stubs.restore("pricing", 1, -1, "why"), grpc::StatusCode::INVALID_ARGUMENT,
                "base_version must be the current version of pricing (2), got -1");
        refused(stubs.restore("pricing", 1, 2, ""), grpc::StatusCode::INVALID_ARGUMENT, "reason is required");
        refused(stubs.restore("pricing", 1, 2, std::string(501, 'r')), grpc::StatusCode::INVALID_ARGUMENT,
                "reason is 501 characters long; at most 500 are allowed");
        // Nothing of that changed anything or was recorded.
        QCOMPARE(stubs.rules().version(), 2);
        QCOMPARE(stubs.list().entries_size(), 2);
    }

    void experimentsAreNotRestoredFromTheLog()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        const Stubs stubs(backend->inProcessChannel());
        const auto experiments = v1::ExperimentService::NewStub(backend->inProcessChannel());
        v1::Experiment e;
        e.set_key("copy");
        e.set_name("Copy");
        e.set_surface(v1::EXPERIMENT_SURFACE_INVITE_COPY);
        e.set_traffic_bp(10000);
        for (const char *key : {"control", "warm"}) {
            v1::ExperimentVariant *v = e.add_variants();
            v->set_key(key);
            v->set_weight_bp(5000);
            v->mutable_payload()->set_invite_copy(std::string("copy ") + key);
        }
        // The test backend runs the demo's invite-copy experiment (version 1, not audited).
        grpc::ClientContext context;
        v1::SaveExperimentRequest save;
        save.set_base_version(1);
        *save.mutable_experiment() = e;
        save.set_reason("try another copy");
        v1::ExperimentSet set;
        check(experiments->SaveExperiment(&context, save, &set), "SaveExperiment");
        const std::int64_t version = set.version();
        QCOMPARE(version, std::int64_t{2});
        // Back to version 1 would change the experiments behind their lifecycle: refused,
        // and the log does not offer it.
        const grpc::Status status = stubs.restore("experiments", 1, version, "undo the draft");
        QCOMPARE(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY2(contains(status.error_message(), "experiments change only through save, start, stop, ship and roll back"),
                 status.error_message().c_str());
        const v1::ListAuditEntriesResponse all = stubs.list();
        QCOMPARE(all.entries_size(), 1);
        for (const v1::AuditEntry &entry : all.entries()) {
            QCOMPARE(entry.area(), std::string("experiments"));
            QVERIFY(!entry.restorable());
        }
    }

    void fileManagedPricingIsNotRestored()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("pricing.yaml"));
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write("rules:\n  - id: ten-percent\n    name: Ten percent\n    type: percent_off\n"
                      "    percent_off: 10\n");
        }
        BackendOptions options;
        options.databasePath = dir.filePath(QStringLiteral("file.sqlite")).toStdString();
        options.seedDemoData = true;
        options.demoHistoryOrdersPerHour = 0;
        options.demoUsers = 12000;
        options.pricingFile = file.toStdString();
        auto backend = Backend::start(options);
        const Stubs stubs(backend->inProcessChannel());
        // The file's rules are version 1, audited with the file as the actor.
        const v1::ListAuditEntriesResponse all = stubs.list();
        QCOMPARE(all.entries_size(), 1);
        QCOMPARE(all.entries(0).actor_name(), std::string("file"));
        QCOMPARE(all.entries(0).actor_role(), std::string());
        QCOMPARE(all.entries(0).peer(), file.toStdString());
        QCOMPARE(all.entries(0).version(), 1);
        const grpc::Status status = stubs.restore("pricing", 1, 1, "why");
        QCOMPARE(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QVERIFY2(contains(status.error_message(), file.toStdString()), status.error_message().c_str());
    }
};

QTEST_GUILESS_MAIN(TestAuditService)
#include "tst_auditservice.moc"
