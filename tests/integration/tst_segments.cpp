// Segments over gRPC with a temporary database: events into profiles, previews,
// versioned segment sets, reach decisions whose caps survive a restart, and delivery
// through the reach outbox (also when it cannot be written).

#include "TestSupport.h"

#include "flywheel/v1/segments.grpc.pb.h"

#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>

#include <QDir>
#include <QFile>

#include <QTemporaryDir>
#include <QTest>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01T00:00:00Z

v1::UserEvent userEvent(std::int64_t uid, const std::string &type, TimePoint at,
                        std::map<std::string, double> props = {}, std::map<std::string, std::string> attrs = {})
{
    v1::UserEvent e;
    e.set_uid(uid);
    e.set_type(type);
    e.mutable_ts()->set_seconds(toEpochMs(at) / 1000);
    for (const auto &[k, v] : props)
        (*e.mutable_props())[k] = v;
    for (const auto &[k, v] : attrs)
        (*e.mutable_attrs())[k] = v;
    return e;
}

grpc::Status ingest(v1::SegmentService::Stub &stub, const std::vector<v1::UserEvent> &events,
                    std::int64_t *applied = nullptr)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    v1::IngestEventsRequest request;
    for (const auto &e : events)
        *request.add_events() = e;
    v1::IngestEventsResponse response;
    const grpc::Status s = stub.IngestEvents(&context, request, &response);
    if (applied != nullptr)
        *applied = response.applied();
    return s;
}

grpc::Status lookup(v1::SegmentService::Stub &stub, std::int64_t uid, v1::UserLookup *out)
{
    grpc::ClientContext context;
    v1::LookupUserRequest request;
    request.set_uid(uid);
    return stub.LookupUser(&context, request, out);
}

std::string feature(const v1::UserLookup &user, const std::string &name)
{
    for (const auto &f : user.features()) {
        if (f.name() == name)
            return f.value();
    }
    return "<missing>";
}

v1::SegmentSetVersion currentSet(v1::SegmentService::Stub &stub)
{
    grpc::ClientContext context;
    v1::SegmentSetVersion version;
    stub.GetSegmentSet(&context, {}, &version);
    return version;
}

grpc::Status save(v1::SegmentService::Stub &stub, std::int64_t base, const std::vector<v1::Segment> &segments,
                  const std::string &reason, v1::SegmentSetVersion *out, const v1::ReachPolicy &policy = {})
{
    grpc::ClientContext context;
    v1::SaveSegmentSetRequest request;
    request.set_base_version(base);
    for (const auto &s : segments)
        *request.add_segments() = s;
    *request.mutable_policy() = policy;
    request.set_reason(reason);
    return stub.SaveSegmentSet(&context, request, out);
}

v1::Segment segment(const std::string &id, const std::string &expression, int capCount = 1,
                    std::vector<v1::ReachChannel> channels = {v1::REACH_CHANNEL_PUSH})
{
    v1::Segment s;
    s.set_id(id);
    s.set_name("Segment " + id);
    s.set_expression(expression);
    s.set_cap_count(capCount);
    s.set_cap_period(v1::CAP_PERIOD_DAY);
    for (const auto c : channels)
        s.add_channels(c);
    s.set_enabled(true);
    return s;
}

v1::ReachDecision decide(v1::SegmentService::Stub &stub, std::int64_t uid, grpc::Status *status = nullptr)
{
    grpc::ClientContext context;
    v1::DecideReachRequest request;
    request.set_uid(uid);
    v1::ReachDecision decision;
    const grpc::Status s = stub.DecideReach(&context, request, &decision);
    if (status != nullptr)
        *status = s;
    return decision;
}

} // namespace

class TestSegments final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void eventsBuildProfilesAndBadBatchesChangeNothing()
    {
        QTemporaryDir dir;
        ManualClock clock(T0 + 3 * 24h);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        auto stub = v1::SegmentService::NewStub(backend->inProcessChannel());

        std::int64_t applied = 0;
        QVERIFY(ingest(*stub,
                       {userEvent(900001, "register", T0, {}, {{"device", "ios"}, {"region", "Shanghai"}}),
                        userEvent(900001, "login", T0 + 24h, {{"depth", 7}}),
                        userEvent(900001, "pay", T0 + 24h, {{"amount_minor", 5900}}),
                        userEvent(900001, "view", T0 + 2 * 24h, {{"tag.sports", 0.5}}),
                        userEvent(900001, "view", T0 + 2 * 24h, {{"tag.sports", 0.5}})},
                       &applied)
                    .ok());
        QCOMPARE(applied, 5);
        v1::UserLookup user;
        QVERIFY(lookup(*stub, 900001, &user).ok());
        QCOMPARE(feature(user, "pay_count"), std::string("1"));
        QCOMPARE(feature(user, "days_since_reg"), std::string("3"));
        QCOMPARE(feature(user, "last_active_days"), std::string("1"));
        QCOMPARE(feature(user, "active_days_7d"), std::string("3"));
        QCOMPARE(feature(user, "session_depth"), std::string("7"));
        QCOMPARE(feature(user, "key_path_complete"), std::string("true"));
        QCOMPARE(feature(user, "device"), std::string("ios"));
        QCOMPARE(feature(user, "region"), std::string("Shanghai"));
        QCOMPARE(user.tags().at("sports"), 0.5 * 0.95 + 0.5);

        // One bad event: the batch is refused whole, naming the event.
        grpc::Status s = ingest(*stub, {userEvent(900002, "login", T0), userEvent(900002, "signup", T0)});
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(s.error_message().starts_with("event 1: unknown event type 'signup'"), s.error_message().c_str());
        QCOMPARE(lookup(*stub, 900002, &user).error_code(), grpc::StatusCode::NOT_FOUND);
        // An event without ts: what the field is and what it expects.
        v1::UserEvent undated = userEvent(900002, "login", T0);
        undated.clear_ts();
        s = ingest(*stub, {userEvent(900002, "login", T0), undated});
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QCOMPARE(s.error_message(),
                 std::string("event 1: ts is missing: it must be a google.protobuf.Timestamp, when the event happened "
                             "(seconds and nanos since 1970-01-01T00:00:00Z; in JSON an RFC 3339 string such as "
                             "\"2026-01-01T08:00:00Z\")"));
        undated.mutable_ts()->set_seconds(-3600); // before 1970
        s = ingest(*stub, {undated});
        QCOMPARE(s.error_message(), std::string("event 0: the event's time ts must be after 1970-01-01T00:00:00Z"));
        QCOMPARE(lookup(*stub, 900002, &user).error_code(), grpc::StatusCode::NOT_FOUND);

        // The client stream: batches until the first bad one.
        {
            grpc::ClientContext context;
            v1::IngestEventsResponse response;
            auto writer = stub->StreamEvents(&context, &response);
            for (int batch = 0; batch < 3; ++batch) {
                v1::IngestEventsRequest request;
                for (int i = 0; i < 10; ++i)
                    *request.add_events() = userEvent(910000 + i, "view", T0, {{"tag.streamed", 1}});
                QVERIFY(writer->Write(request));
            }
            writer->WritesDone();
            QVERIFY(writer->Finish().ok());
            QCOMPARE(response.applied(), 30);
        }
        {
            grpc::ClientContext context;
            v1::IngestEventsResponse response;
            auto writer = stub->StreamEvents(&context, &response);
            v1::IngestEventsRequest good;
            *good.add_events() = userEvent(920000, "view", T0);
            v1::IngestEventsRequest bad;
            *bad.add_events() = userEvent(-5, "view", T0);
            writer->Write(good);
            writer->Write(bad);
            writer->WritesDone();
            s = writer->Finish();
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QCOMPARE(s.error_message(), std::string("batch 1, event 0: uid must be a positive user id, not -5 (1 "
                                                    "events of earlier batches were applied)"));
        }
        QVERIFY(lookup(*stub, 920000, &user).ok());

        // Payments of orders reach the buyer's profile.
        QVERIFY(lookup(*stub, 100001, &user).ok());
        const int paysBefore = std::stoi(feature(user, "pay_count"));
        auto orders = v1::OrderService::NewStub(backend->inProcessChannel());
        v1::CreateOrderRequest request;
        request.set_uid(100001);
        auto *item = request.add_items();
        item->set_sku("ELE-1001");
        item->set_quantity(1);
        QVERIFY(test::receiveStock(backend->inProcessChannel(), "ELE-1001", 5).ok());
        v1::Order order;
        QVERIFY(test::createOrder(*orders, request, &order).ok());
        QVERIFY(test::payOrder(*orders, order.order_id(), &order).ok());
        QVERIFY(lookup(*stub, 100001, &user).ok());
        QCOMPARE(std::stoi(feature(user, "pay_count")), paysBefore + 1);
        backend->shutdown();
    }

    void previewCountsAndSamplesAndExplainsErrors()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        auto stub = v1::SegmentService::NewStub(backend->inProcessChannel());
        std::vector<v1::UserEvent> events;
        for (int i = 0; i < 30; ++i)
            events.push_back(userEvent(800000 + i, "view", T0, {{"tag.preview", i < 25 ? 0.9 : 0.1}}));
        QVERIFY(ingest(*stub, events).ok());

        grpc::ClientContext context;
        v1::PreviewSegmentRequest request;
        request.set_expression("tag.preview > 0.5 && pay_count == 0");
        v1::PreviewSegmentResponse preview;
        QVERIFY(stub->PreviewSegment(&context, request, &preview).ok());
        QCOMPARE(preview.matching(), 25);
        QCOMPARE(preview.total(), 12000 + 30);
        QCOMPARE(preview.sample_size(), 20);
        QCOMPARE(preview.features_size(), 2);
        QCOMPARE(preview.features(0), std::string("tag.preview"));
        for (const auto &row : preview.sample()) {
            QVERIFY(row.uid() >= 800000 && row.uid() < 800025);
            QCOMPARE(row.values(0).value(), std::string("0.9"));
            QCOMPARE(row.values(1).value(), std::string("0"));
        }

        grpc::ClientContext badContext;
        request.set_expression("pay_count >= 1 &&\n  days_since_reg <= \"3\"");
        const grpc::Status s = stub->PreviewSegment(&badContext, request, &preview);
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        v1::ExpressionError details;
        QVERIFY(details.ParseFromString(s.error_details()));
        QCOMPARE(details.line(), 2);
        QVERIFY2(details.column() >= 3 && details.column() <= 21, std::to_string(details.column()).c_str());
        QVERIFY(s.error_message().starts_with("line 2, column "));
        QVERIFY(!details.message().empty());

        grpc::ClientContext sizeContext;
        request.set_expression("pay_count >= 0");
        request.set_sample_size(101);
        QCOMPARE(stub->PreviewSegment(&sizeContext, request, &preview).error_code(),
                 grpc::StatusCode::INVALID_ARGUMENT);
    }

    void segmentSetsAreVersionedWithRollback()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto stub = v1::SegmentService::NewStub(backend->inProcessChannel());
        const v1::SegmentSetVersion initial = currentSet(*stub);
        QCOMPARE(initial.version(), 1);
        QCOMPARE(initial.source(), std::string("initial"));
        QCOMPARE(initial.segments_size(), 3);

        v1::SegmentSetVersion saved;
        QVERIFY(save(*stub, 1, {segment("vip", "tag.vip > 0.5", 2)}, "VIP push", &saved).ok());
        QCOMPARE(saved.version(), 2);
        QCOMPARE(saved.segments(0).cap_count(), 2);

        grpc::Status s = save(*stub, 1, {segment("late", "pay_count > 1")}, "stale edit", &saved);
        QCOMPARE(s.error_code(), grpc::StatusCode::ABORTED);
        QVERIFY(s.error_message().find("current version is 2") != std::string::npos);
        s = save(*stub, 2, {segment("x", "pay_cnt > 1")}, "typo", &saved);
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QVERIFY2(s.error_message().starts_with("segment 1 ('x'): expression line 1, column 1: "),
                 s.error_message().c_str());
        s = save(*stub, 2, {segment("x", "pay_count > 1")}, "", &saved);
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        std::string chinese; // 501 characters, 1,503 bytes
        for (int i = 0; i < 501; ++i)
            chinese += "\u6539"; // 改
        s = save(*stub, 2, {segment("x", "pay_count > 1")}, chinese, &saved);
        QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        QCOMPARE(s.error_message(), std::string("reason is 501 characters long; at most 500 are allowed"));
        s = save(*stub, 2, {segment("x", "pay_count > 1", 1, {})}, "no channel", &saved);
        QCOMPARE(s.error_message(), std::string("segment 1 ('x'): it needs at least one channel"));
        s = save(*stub, 2, {segment("x", "pay_count > 1"), segment("x", "pay_count > 2")}, "twice", &saved);
        QCOMPARE(s.error_message(), std::string("segment 2 ('x'): the id is used by an earlier segment"));
        v1::ReachPolicy policy;
        policy.set_holdout_percent(80);
        s = save(*stub, 2, {segment("x", "pay_count > 1")}, "holdout", &saved, policy);
        QCOMPARE(s.error_message(), std::string("holdout must be 0 to 50 percent, not 80"));
        QCOMPARE(currentSet(*stub).version(), 2);

        v1::RollbackSegmentSetRequest rollback;
        rollback.set_to_version(1);
        rollback.set_reason(chinese);
        {
            grpc::ClientContext context;
            s = stub->RollbackSegmentSet(&context, rollback, &saved);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QCOMPARE(s.error_message(), std::string("reason is 501 characters long; at most 500 are allowed"));
        }
        chinese.resize(chinese.size() - 3); // 500 characters: allowed
        grpc::ClientContext rollbackContext;
        rollback.set_reason(chinese);
        QVERIFY(stub->RollbackSegmentSet(&rollbackContext, rollback, &saved).ok());
        QCOMPARE(saved.version(), 3);
        QVERIFY(saved.reason().starts_with(chinese));
        QCOMPARE(saved.source(), std::string("rollback"));
        QCOMPARE(saved.segments_size(), 3);
        QCOMPARE(saved.segments(0).expression(), initial.segments(0).expression());

        grpc::ClientContext listContext;
        v1::ListSegmentSetVersionsResponse versions;
        QVERIFY(stub->ListSegmentSetVersions(&listContext, {}, &versions).ok());
        QCOMPARE(versions.versions_size(), 3);
        QCOMPARE(versions.versions(0).version(), 3);
        QCOMPARE(versions.versions(2).version(), 1);

        grpc::ClientContext missingContext;
        rollback.set_to_version(42);
        QCOMPARE(stub->RollbackSegmentSet(&missingContext, rollback, &saved).error_code(), grpc::StatusCode::NOT_FOUND);
    }

    void reachFollowsCapsAndCapsSurviveARestart()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        {
            auto backend = test::startBackend(dir, {}, 0, &clock);
            auto stub = v1::SegmentService::NewStub(backend->inProcessChannel());
            QVERIFY(
                ingest(*stub, {userEvent(700001, "view", T0, {{"tag.vip", 1}}), userEvent(700002, "view", T0)}).ok());
            v1::SegmentSetVersion saved;
            v1::ReachPolicy policy;
            policy.set_seed_expression("days_since_reg <= 30");
            QVERIFY(save(*stub, 1,
                         {segment("vip", "tag.vip > 0.5", 1, {v1::REACH_CHANNEL_PUSH, v1::REACH_CHANNEL_SMS})}, "vip",
                         &saved, policy)
                        .ok());

            v1::ReachDecision d = decide(*stub, 700001);
            QCOMPARE(d.outcome(), v1::REACH_OUTCOME_REACH);
            QCOMPARE(d.segment_id(), std::string("vip"));
            QCOMPARE(d.channel(), v1::REACH_CHANNEL_PUSH);
            d = decide(*stub, 700001);
            QCOMPARE(d.channel(), v1::REACH_CHANNEL_SMS);
            QVERIFY2(d.reason().find("push capped") != std::string::npos, d.reason().c_str());
            d = decide(*stub, 700001);
            QCOMPARE(d.outcome(), v1::REACH_OUTCOME_CAPPED);
            QCOMPARE(decide(*stub, 700002).outcome(), v1::REACH_OUTCOME_NO_SEGMENT);
            grpc::Status s;
            decide(*stub, 123, &s);
            QCOMPARE(s.error_code(), grpc::StatusCode::NOT_FOUND);

            v1::UserLookup user;
            QVERIFY(lookup(*stub, 700001, &user).ok());
            QVERIFY(user.seed());
            QCOMPARE(user.segments_size(), 1);
            QCOMPARE(user.decision().outcome(), v1::REACH_OUTCOME_CAPPED);

            grpc::ClientContext statsContext;
            v1::ReachStats stats;
            QVERIFY(stub->GetReachStats(&statsContext, {}, &stats).ok());
            QCOMPARE(stats.counts_size(), 2);
            QCOMPARE(stats.outcomes().at("reach"), 2);
            QCOMPARE(stats.outcomes().at("capped"), 1);
            backend->shutdown();
        }
        clock.advance(std::chrono::duration_cast<Milliseconds>(23h));
        {
            auto backend = test::startBackend(dir, {}, 0, &clock);
            auto stub = v1::SegmentService::NewStub(backend->inProcessChannel());
            v1::UserLookup user;
            QVERIFY(lookup(*stub, 700001, &user).ok()); // the profile survived
            QCOMPARE(user.tags().at("vip"), 1.0);
            QCOMPARE(currentSet(*stub).version(), 2);
            QCOMPARE(decide(*stub, 700001).outcome(), v1::REACH_OUTCOME_CAPPED); // so did the caps
            clock.advance(std::chrono::duration_cast<Milliseconds>(1h));
            const v1::ReachDecision d = decide(*stub, 700001);
            QCOMPARE(d.outcome(), v1::REACH_OUTCOME_REACH);
            QCOMPARE(d.channel(), v1::REACH_CHANNEL_PUSH);
            clock.advance(std::chrono::duration_cast<Milliseconds>(24h * 40));
            QCOMPARE(decide(*stub, 700001).outcome(), v1::REACH_OUTCOME_GENERIC); // no longer a seed user
        }
    }

    void messagesGoToTheOutboxAndRefusalsAreRecorded()
    {
        QTemporaryDir dir;
        ManualClock clock(T0);
        const QString outbox = dir.filePath(QStringLiteral("outbox.jsonl"));
        BackendOptions options;
        options.databasePath = dir.filePath(QStringLiteral("test.sqlite")).toStdString();
        options.seedDemoData = true;
        options.demoHistoryOrdersPerHour = 0;
        options.demoUsers = 100;
        options.clock = &clock;
        options.tagDecay = 0.5;
        options.reachOutbox = outbox.toStdString();
        auto backend = Backend::start(options);
        auto stub = v1::SegmentService::NewStub(backend->inProcessChannel());

        // The configured decay: 1 → 1 * 0.5 + 1 = 1.5.
        QVERIFY(ingest(*stub, {userEvent(800001, "view", T0, {{"tag.vip", 1}}),
                               userEvent(800001, "view", T0, {{"tag.vip", 1}}),
                               userEvent(800002, "view", T0, {{"tag.vip", 1}})})
                    .ok());
        v1::UserLookup user;
        QVERIFY(lookup(*stub, 800001, &user).ok());
        QCOMPARE(user.tags().at("vip"), 1.5);

        v1::SegmentSetVersion saved;
        v1::ReachPolicy policy;
        policy.set_seed_expression("days_since_reg <= 30");
        QVERIFY(save(*stub, currentSet(*stub).version(), {segment("vip", "tag.vip > 0.5", 1, {v1::REACH_CHANNEL_SMS})},
                     "vip", &saved, policy)
                    .ok());
        QCOMPARE(decide(*stub, 800001).outcome(), v1::REACH_OUTCOME_REACH);

        // The flusher hands the message to the outbox within a second or so.
        QTRY_VERIFY_WITH_TIMEOUT(test::readAll(outbox).contains('\n'), 10000);
        const QList<QByteArray> lines = test::readAll(outbox).trimmed().split('\n');
        QCOMPARE(lines.size(), 1);
        v1::OutboxMessage message;
        QVERIFY(google::protobuf::util::JsonStringToMessage(lines[0].toStdString(), &message).ok());
        QCOMPARE(message.uid(), 800001);
        QCOMPARE(message.segment_id(), std::string("vip"));
        QCOMPARE(message.channel(), v1::REACH_CHANNEL_SMS);
        QCOMPARE(message.segment_set_version(), saved.version());
        QCOMPARE(message.decided_at().seconds(), toEpochMs(T0) / 1000);
        QVERIFY2(lines[0].contains("\"segment_id\":\"vip\""), lines[0].constData());

        // The outbox becomes unwritable (rotated away and a directory in its place):
        // the message is refused, recorded as failed, and still counts against the cap.
        QVERIFY(QFile::rename(outbox, outbox + QStringLiteral(".1")));
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("outbox.jsonl")));
        QCOMPARE(decide(*stub, 800002).outcome(), v1::REACH_OUTCOME_REACH);
        v1::ReachStats stats;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                grpc::ClientContext context;
                stats.Clear();
                return stub->GetReachStats(&context, {}, &stats).ok() && !stats.last_failure().empty();
            }(),
            10000);
        QCOMPARE(stats.sender(), "outbox " + outbox.toStdString());
        QVERIFY2(stats.last_failure().find("sms: the reach outbox") == 0, stats.last_failure().c_str());
        QVERIFY2(stats.last_failure().find("cannot be opened") != std::string::npos, stats.last_failure().c_str());
        QCOMPARE(stats.counts_size(), 1);
        QCOMPARE(stats.counts(0).messages(), 2);
        QCOMPARE(stats.counts(0).failed(), 1);
        QCOMPARE(decide(*stub, 800002).outcome(), v1::REACH_OUTCOME_CAPPED);
        backend->shutdown();

        // An outbox that cannot be opened at start is a startup error naming it.
        try {
            Backend::start(options);
            QFAIL("the backend started with a directory as its outbox");
        } catch (const StartupError &e) {
            QVERIFY2(std::string(e.what()).find(outbox.toStdString()) != std::string::npos, e.what());
        }
        options.reachOutbox.clear();
        options.tagDecay = 0;
        try {
            Backend::start(options);
            QFAIL("the backend started with a tag decay of 0");
        } catch (const StartupError &e) {
            QVERIFY2(std::string(e.what()).find("tag decay") != std::string::npos, e.what());
        }
    }
};

QTEST_GUILESS_MAIN(TestSegments)
#include "tst_segments.moc"
