// ExperimentService over gRPC on a demo backend (whose invite-copy experiment runs
// from the start): every RPC's bad input with its precise error, the lifecycle through
// the API, GetInviteLink's copy from the user's variant (sticky), and the results stream.

#include "sim/ReferralSimulator.h"
#include "sim/TrafficSimulator.h"
#include "TestSupport.h"

#include "flywheel/v1/experiments.grpc.pb.h"
#include "flywheel/v1/referral.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QTemporaryDir>
#include <QTest>

using namespace flywheel;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z
constexpr const char *kDemo = "invite_copy_warmth";

void expectError(const grpc::Status &s, grpc::StatusCode code, const std::string &mentions)
{
    QVERIFY2(s.error_code() == code, (std::to_string(s.error_code()) + ": " + s.error_message()).c_str());
    QVERIFY2(s.error_message().find(mentions) != std::string::npos, s.error_message().c_str());
}

v1::ExperimentSet list(v1::ExperimentService::Stub &stub, std::int64_t version = 0, grpc::Status *status = nullptr)
{
    grpc::ClientContext context;
    v1::ListExperimentsRequest request;
    request.set_version(version);
    v1::ExperimentSet out;
    const grpc::Status s = stub.ListExperiments(&context, request, &out);
    if (status)
        *status = s;
    return out;
}

grpc::Status change(v1::ExperimentService::Stub &stub, const char *what, std::int64_t base, const std::string &key,
                    const std::string &reason, v1::ExperimentSet *out)
{
    grpc::ClientContext context;
    v1::ChangeExperimentRequest request;
    request.set_base_version(base);
    request.set_key(key);
    request.set_reason(reason);
    const std::string w = what;
    if (w == "start")
        return stub.StartExperiment(&context, request, out);
    if (w == "stop")
        return stub.StopExperiment(&context, request, out);
    return stub.RollbackExperiment(&context, request, out);
}

grpc::Status ship(v1::ExperimentService::Stub &stub, std::int64_t base, const std::string &key,
                  const std::string &variant, const std::string &reason, v1::ExperimentSet *out)
{
    grpc::ClientContext context;
    v1::ShipExperimentRequest request;
    request.set_base_version(base);
    request.set_key(key);
    request.set_variant_key(variant);
    request.set_reason(reason);
    return stub.ShipExperiment(&context, request, out);
}

v1::Experiment draft(const std::string &key)
{
    v1::Experiment e;
    e.set_key(key);
    e.set_name("Another copy");
    e.set_surface(v1::EXPERIMENT_SURFACE_INVITE_COPY);
    e.set_traffic_bp(5000);
    e.set_min_run_hours(24);
    for (const auto &[k, copy] : {std::pair{"control", "A"}, std::pair{"b", "B"}}) {
        v1::ExperimentVariant *v = e.add_variants();
        v->set_key(k);
        v->set_weight_bp(5000);
        v->mutable_payload()->set_invite_copy(copy);
    }
    return e;
}

grpc::Status save(v1::ExperimentService::Stub &stub, std::int64_t base, const v1::Experiment *experiment,
                  const std::string &reason, v1::ExperimentSet *out)
{
    grpc::ClientContext context;
    v1::SaveExperimentRequest request;
    request.set_base_version(base);
    if (experiment)
        *request.mutable_experiment() = *experiment;
    request.set_reason(reason);
    return stub.SaveExperiment(&context, request, out);
}

v1::InviteLink inviteLink(v1::ReferralService::Stub &stub, std::int64_t uid)
{
    grpc::ClientContext context;
    v1::GetInviteLinkRequest request;
    request.set_uid(uid);
    request.set_campaign_id("spring");
    request.set_channel("wechat");
    v1::InviteLink out;
    const grpc::Status s = stub.GetInviteLink(&context, request, &out);
    if (!s.ok())
        qFatal("GetInviteLink: %s", s.error_message().c_str());
    return out;
}

/// The first message of a results stream, or its error.
grpc::Status firstResults(v1::ExperimentService::Stub &stub, const std::string &key, int interval,
                          v1::ExperimentResults *out)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::StreamExperimentResultsRequest request;
    request.set_key(key);
    request.set_interval(static_cast<v1::IntervalKind>(interval));
    auto reader = stub.StreamExperimentResults(&context, request);
    if (reader->Read(out)) {
        context.TryCancel();
        reader->Finish();
        return grpc::Status::OK;
    }
    return reader->Finish();
}

} // namespace

class TestExperimentService final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void simulatedUsersBehaveByVariant()
    {
        // The demo's better copy is shared more often; subsidised orders are paid more often.
        QVERIFY(ReferralSimulator::shareChance("warm") > ReferralSimulator::shareChance("control"));
        QCOMPARE(ReferralSimulator::shareChance(""), 25);
        v1::Order order;
        QCOMPARE(TrafficSimulator::payShareOf(order), TrafficSimulator::kPayShare);
        order.add_adjustments()->set_rule_id("spring_sale");
        QCOMPARE(TrafficSimulator::payShareOf(order), TrafficSimulator::kPayShare);
        order.add_adjustments()->set_rule_id("subsidy:first_order");
        QCOMPARE(TrafficSimulator::payShareOf(order), TrafficSimulator::kSubsidisedPayShare);
        QVERIFY(TrafficSimulator::kSubsidisedPayShare > TrafficSimulator::kPayShare);
    }

    void inviteCopyFromTheVariant()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        auto channel = backend->inProcessChannel();
        auto referral = v1::ReferralService::NewStub(channel);
        auto experiments = v1::ExperimentService::NewStub(channel);
        const v1::ExperimentSet set = list(*experiments);
        QCOMPARE(set.experiments_size(), 1);
        const v1::Experiment &demo = set.experiments(0);
        QCOMPARE(demo.key(), std::string(kDemo));
        QCOMPARE(demo.status(), v1::EXPERIMENT_STATUS_RUNNING);
        std::map<std::string, std::string> copies;
        for (const v1::ExperimentVariant &v : demo.variants())
            copies[v.key()] = v.payload().invite_copy();
        std::map<std::string, int> seen;
        for (std::int64_t uid = 100001; uid <= 100040; ++uid) {
            const v1::InviteLink l = inviteLink(*referral, uid);
            QCOMPARE(l.experiment_key(), std::string(kDemo));
            QVERIFY(copies.count(l.variant_key()) == 1);
            QCOMPARE(l.copy(), copies[l.variant_key()]);
            QCOMPARE(inviteLink(*referral, uid).variant_key(), l.variant_key()); // sticky
            ++seen[l.variant_key()];
        }
        QCOMPARE(seen.size(), std::size_t{2});

        v1::ExperimentResults results;
        QVERIFY(firstResults(*experiments, kDemo, 0, &results).ok());
        QCOMPARE(results.interval(), v1::INTERVAL_KIND_SEQUENTIAL);
        QCOMPARE(results.variants_size(), 2);
        QCOMPARE(results.variants(0).exposures() + results.variants(1).exposures(), std::int64_t{40});
        QCOMPARE(results.variants(1).differences_size(), 7);
        QCOMPARE(results.variants(1).differences(0).metric(), std::string("share_rate"));
        QVERIFY(results.can_ship()); // the demo's minimum run time is 0
        QVERIFY(firstResults(*experiments, kDemo, v1::INTERVAL_KIND_FIXED, &results).ok());
        QCOMPARE(results.interval(), v1::INTERVAL_KIND_FIXED);

        // Stop: everyone gets the default copy again.
        v1::ExperimentSet out;
        QVERIFY(change(*experiments, "stop", set.version(), kDemo, "enough", &out).ok());
        const v1::InviteLink after = inviteLink(*referral, 100001);
        QVERIFY(after.experiment_key().empty());
        QCOMPARE(after.copy(), out.defaults().invite_copy());
        // Ship "warm": its copy becomes the default; rollback restores it.
        QVERIFY(ship(*experiments, out.version(), kDemo, "warm", "warm wins", &out).ok());
        QCOMPARE(inviteLink(*referral, 100001).copy(), copies["warm"]);
        QCOMPARE(out.experiments(0).status(), v1::EXPERIMENT_STATUS_SHIPPED);
        QVERIFY(change(*experiments, "rollback", out.version(), kDemo, "back", &out).ok());
        QCOMPARE(inviteLink(*referral, 100001).copy(), after.copy());
        QCOMPARE(out.source(), std::string("rollback"));
        backend->shutdown();
    }

    void badInputOfEachCall()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        auto stub = v1::ExperimentService::NewStub(backend->inProcessChannel());
        grpc::Status s;
        // ListExperiments
        list(*stub, -1, &s);
        expectError(s, grpc::StatusCode::INVALID_ARGUMENT, "version");
        list(*stub, 99, &s);
        expectError(s, grpc::StatusCode::NOT_FOUND, "version 99");
        // ListExperimentVersions
        for (const int limit : {-1, 501}) {
            grpc::ClientContext context;
            v1::ListExperimentVersionsRequest request;
            request.set_limit(limit);
            v1::ListExperimentVersionsResponse response;
            expectError(stub->ListExperimentVersions(&context, request, &response),
                        grpc::StatusCode::INVALID_ARGUMENT, "limit");
        }
        // SaveExperiment
        v1::ExperimentSet out;
        expectError(save(*stub, 1, nullptr, "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "experiment is required");
        v1::Experiment e = draft("");
        expectError(save(*stub, 1, &e, "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "experiment.key");
        e = draft("Bad Key");
        expectError(save(*stub, 1, &e, "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "experiment.key");
        e = draft("next");
        e.set_surface(v1::EXPERIMENT_SURFACE_UNSPECIFIED);
        expectError(save(*stub, 1, &e, "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "experiment.surface");
        e = draft("next");
        expectError(save(*stub, 1, &e, "", &out), grpc::StatusCode::INVALID_ARGUMENT, "reason");
        expectError(save(*stub, 1, &e, std::string(501, 'x'), &out), grpc::StatusCode::INVALID_ARGUMENT, "reason");
        expectError(save(*stub, 7, &e, "why", &out), grpc::StatusCode::ABORTED, "version 1 is current");
        e.mutable_variants(1)->set_weight_bp(4000);
        expectError(save(*stub, 1, &e, "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "weight_bp must total 10000");
        e = draft("next");
        e.set_traffic_bp(0);
        expectError(save(*stub, 1, &e, "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "traffic_bp");
        e = draft("next");
        e.mutable_variants(0)->mutable_payload()->set_subsidy_config_version(3);
        expectError(save(*stub, 1, &e, "why", &out), grpc::StatusCode::INVALID_ARGUMENT,
                    "variants[0].payload.subsidy_config_version");
        e = draft("next");
        e.mutable_variants()->RemoveLast();
        expectError(save(*stub, 1, &e, "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "2 to 10 variants");
        e = draft("next");
        QVERIFY(save(*stub, 1, &e, "a second copy test", &out).ok());
        QCOMPARE(out.version(), std::int64_t{2});
        // StartExperiment, StopExperiment, RollbackExperiment
        for (const char *what : {"start", "stop", "rollback"}) {
            expectError(change(*stub, what, 2, "", "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "key is required");
            expectError(change(*stub, what, 2, "next", "", &out), grpc::StatusCode::INVALID_ARGUMENT, "reason");
            expectError(change(*stub, what, 2, "nope", "why", &out), grpc::StatusCode::NOT_FOUND, "\"nope\"");
            expectError(change(*stub, what, 1, "next", "why", &out), grpc::StatusCode::ABORTED, "version 2");
        }
        expectError(change(*stub, "start", 2, "next", "why", &out), grpc::StatusCode::FAILED_PRECONDITION,
                    "already runs on the invite_copy surface");
        expectError(change(*stub, "stop", 2, "next", "why", &out), grpc::StatusCode::FAILED_PRECONDITION, "draft");
        expectError(change(*stub, "rollback", 2, "next", "why", &out), grpc::StatusCode::FAILED_PRECONDITION,
                    "draft");
        // ShipExperiment
        expectError(ship(*stub, 2, "", "warm", "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "key is required");
        expectError(ship(*stub, 2, kDemo, "", "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "variant_key");
        expectError(ship(*stub, 2, kDemo, "warm", "", &out), grpc::StatusCode::INVALID_ARGUMENT, "reason");
        expectError(ship(*stub, 2, kDemo, "nope", "why", &out), grpc::StatusCode::INVALID_ARGUMENT, "\"nope\"");
        expectError(ship(*stub, 2, "nope", "warm", "why", &out), grpc::StatusCode::NOT_FOUND, "\"nope\"");
        expectError(ship(*stub, 1, kDemo, "warm", "why", &out), grpc::StatusCode::ABORTED, "version 2");
        expectError(ship(*stub, 2, "next", "b", "why", &out), grpc::StatusCode::FAILED_PRECONDITION, "draft");
        // StreamExperimentResults
        v1::ExperimentResults results;
        expectError(firstResults(*stub, "", 0, &results), grpc::StatusCode::INVALID_ARGUMENT, "key is required");
        expectError(firstResults(*stub, "nope", 0, &results), grpc::StatusCode::NOT_FOUND, "\"nope\"");
        expectError(firstResults(*stub, kDemo, 99, &results), grpc::StatusCode::INVALID_ARGUMENT, "interval");
        // Versions, newest first.
        grpc::ClientContext context;
        v1::ListExperimentVersionsResponse versions;
        QVERIFY(stub->ListExperimentVersions(&context, {}, &versions).ok());
        QCOMPARE(versions.versions_size(), 2);
        QCOMPARE(versions.versions(0).version(), std::int64_t{2});
        QCOMPARE(versions.versions(0).reason(), std::string("a second copy test"));
        QCOMPARE(versions.versions(1).source(), std::string("initial"));
        backend->shutdown();
    }
};

QTEST_GUILESS_MAIN(TestExperimentService)
#include "tst_experimentservice.moc"
