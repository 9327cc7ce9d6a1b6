// Pricing over gRPC with a temporary database: console edits as versions, and a
// watched pricing.yaml hot-reloaded under load without a failed request.

#include "TestSupport.h"

#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/pricing.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <tuple>

using namespace flywheel;
using namespace std::chrono_literals;

namespace {

v1::CreateOrderRequest oneItem(const std::string &sku, std::int64_t quantity = 1, std::int64_t uid = 100001)
{
    v1::CreateOrderRequest request;
    request.set_uid(uid);
    auto *item = request.add_items();
    item->set_sku(sku);
    item->set_quantity(quantity);
    return request;
}

v1::PricingStatus status(v1::PricingService::Stub &stub)
{
    grpc::ClientContext context;
    v1::PricingStatus s;
    stub.GetPricingStatus(&context, {}, &s);
    return s;
}

v1::PricingRule percentOff(const std::string &id, int basisPoints)
{
    v1::PricingRule r;
    r.set_id(id);
    r.set_name("Percent off " + id);
    r.set_kind(v1::RULE_KIND_PERCENT_OFF);
    r.set_enabled(true);
    r.set_stackable(true);
    r.set_percent_off_bp(basisPoints);
    return r;
}

void writeFile(const QString &path, const QByteArray &text, bool atomically)
{
    if (atomically) {
        QSaveFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(text);
        QVERIFY(file.commit());
    } else {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(text);
    }
}

// Two rule sets with distinguishable prices for one earbud (list price L):
// A takes 10 % off, B takes a flat amount off anything from 1.00.
const QByteArray kRulesA = "rules:\n  - id: ten-percent\n    name: Ten percent\n    type: percent_off\n"
                           "    percent_off: 10\n";
const QByteArray kRulesB = "rules:\n  - id: flat\n    name: Flat 7.77 off\n    type: threshold\n"
                           "    tiers:\n      - {spend: 10, off: 7.77}\n";

/// A backend that takes its rules from `file`.
std::unique_ptr<Backend> startWithFile(const QTemporaryDir &dir, const QString &file)
{
    BackendOptions options;
    options.databasePath = dir.filePath(QStringLiteral("pricing.sqlite")).toStdString();
    options.seedDemoData = true;
    options.demoHistoryOrdersPerHour = 0;
    options.demoUsers = 12000;
    options.pricingFile = file.toStdString();
    return Backend::start(options);
}

/// `n` Chinese characters, three UTF-8 bytes each.
std::string chineseText(int n)
{
    std::string text;
    for (int i = 0; i < n; ++i)
        text += "\u6539"; // 改
    return text;
}

/// Stops and joins client threads however the test ends.
struct Clients {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    void join()
    {
        stop = true;
        for (auto &thread : threads) {
            if (thread.joinable())
                thread.join();
        }
    }
    ~Clients() { join(); }
};

} // namespace

class TestPricing final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void consoleEditsAreVersions()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto channel = backend->inProcessChannel();
        QVERIFY(test::receiveStock(channel, "ELE-1001", 1000000).ok());
        QVERIFY(test::receiveStock(channel, "GRO-1001", 1000000).ok());
        auto pricing = v1::PricingService::NewStub(channel);
        auto orders = v1::OrderService::NewStub(channel);

        v1::Order plain;
        QVERIFY(test::createOrder(*orders, oneItem("ELE-1001"), &plain).ok());
        const std::int64_t list = plain.total().minor_units();
        QCOMPARE(plain.rule_set_version(), 0);
        QCOMPARE(plain.adjustments_size(), 0);

        // Save: a new version that prices the next order.
        v1::SaveRuleSetRequest save;
        save.set_base_version(0);
        save.set_reason("launch week");
        *save.add_rules() = percentOff("launch", 1500);
        v1::RuleSetVersion saved;
        {
            grpc::ClientContext context;
            const grpc::Status s = pricing->SaveRuleSet(&context, save, &saved);
            QVERIFY2(s.ok(), s.error_message().c_str());
        }
        QCOMPARE(saved.version(), 1);
        QCOMPARE(saved.source(), std::string("console"));
        QCOMPARE(saved.rules(0).state(), v1::RULE_STATE_ACTIVE);
        QVERIFY(saved.yaml().find("percent_off: 15") != std::string::npos);
        v1::Order discounted;
        QVERIFY(test::createOrder(*orders, oneItem("ELE-1001"), &discounted).ok());
        QCOMPARE(discounted.rule_set_version(), 1);
        QCOMPARE(discounted.list_total().minor_units(), list);
        QCOMPARE(discounted.adjustments_size(), 1);
        QCOMPARE(discounted.adjustments(0).rule_id(), std::string("launch"));
        const std::int64_t off = (list * 1500 + 5000) / 10000; // half away from zero, positive amounts
        QCOMPARE(discounted.adjustments(0).amount_minor(), -off);
        QCOMPARE(discounted.total().minor_units(), list - off);

        // A stale base, no reason, a bad rule: each refused with what was wrong.
        {
            grpc::ClientContext context;
            v1::RuleSetVersion ignored;
            const grpc::Status s = pricing->SaveRuleSet(&context, save, &ignored); // base 0 is stale now
            QCOMPARE(s.error_code(), grpc::StatusCode::ABORTED);
            QCOMPARE(s.error_message(), std::string("the rules changed while you edited them: you started from "
                                                    "version 0, the current version is 1; reload and apply your "
                                                    "change again"));
        }
        save.set_base_version(1);
        save.set_reason("");
        {
            grpc::ClientContext context;
            v1::RuleSetVersion ignored;
            const grpc::Status s = pricing->SaveRuleSet(&context, save, &ignored);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QCOMPARE(s.error_message(), std::string("reason is required: say why the rules change"));
        }
        save.set_reason("typo");
        save.mutable_rules(0)->set_percent_off_bp(0);
        {
            grpc::ClientContext context;
            v1::RuleSetVersion ignored;
            const grpc::Status s = pricing->SaveRuleSet(&context, save, &ignored);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QCOMPARE(s.error_message(),
                     std::string("rules[0] (\"launch\"): percent_off must be above 0 and at most 100"));
        }

        // Try a cart: the draft next to the live rules, nothing saved.
        v1::QuoteCartRequest quote;
        quote.set_uid(100001);
        *quote.add_items() = oneItem("ELE-1001", 2).items(0);
        *quote.add_draft_rules() = percentOff("draft", 5000);
        v1::QuoteCartResponse quoted;
        {
            grpc::ClientContext context;
            QVERIFY(pricing->QuoteCart(&context, quote, &quoted).ok());
        }
        QCOMPARE(quoted.live_version(), 1);
        QCOMPARE(quoted.live().total_minor(), 2 * list - (2 * list * 1500 + 5000) / 10000);
        QCOMPARE(quoted.draft().total_minor(), 2 * list - (2 * list * 5000 + 5000) / 10000);
        QCOMPARE(quoted.draft().adjustments(0).rule_id(), std::string("draft"));

        // Rollback to the empty version 0 is not a version; to 1 it is a new version 2.
        v1::RollbackRuleSetRequest rollback;
        rollback.set_to_version(7);
        rollback.set_reason("oops");
        v1::RuleSetVersion rolled;
        {
            grpc::ClientContext context;
            const grpc::Status s = pricing->RollbackRuleSet(&context, rollback, &rolled);
            QCOMPARE(s.error_code(), grpc::StatusCode::NOT_FOUND);
            QCOMPARE(s.error_message(), std::string("there is no rule set version 7"));
        }
        rollback.set_to_version(1);
        {
            grpc::ClientContext context;
            QVERIFY(pricing->RollbackRuleSet(&context, rollback, &rolled).ok());
        }
        QCOMPARE(rolled.version(), 2);
        QCOMPARE(rolled.source(), std::string("rollback"));
        QCOMPARE(rolled.reason(), std::string("oops (rollback to version 1)"));
        v1::ListRuleSetVersionsResponse versions;
        {
            grpc::ClientContext context;
            QVERIFY(pricing->ListRuleSetVersions(&context, {}, &versions).ok());
        }
        QCOMPARE(versions.versions_size(), 2);
        QCOMPARE(versions.versions(0).version(), 2);
        QCOMPARE(versions.versions(1).reason(), std::string("launch week"));

        // The rules survive a restart.
        backend.reset();
        backend = test::startBackend(dir);
        orders = v1::OrderService::NewStub(backend->inProcessChannel());
        v1::Order after;
        QVERIFY(test::createOrder(*orders, oneItem("ELE-1001"), &after).ok());
        QCOMPARE(after.rule_set_version(), 2);
        QCOMPARE(after.total().minor_units(), list - off);
    }

    // A rule with an end time prices orders until then and no order after it: end to
    // end, with the backend on a clock the test moves.
    void aRuleStopsPricingOrdersAfterItsEndTime()
    {
        QTemporaryDir dir;
        const TimePoint start = std::chrono::time_point_cast<Milliseconds>(
            std::chrono::floor<std::chrono::seconds>(SystemClock::instance().now()));
        ManualClock clock(start);
        auto backend = test::startBackend(dir, {}, 0, &clock);
        auto channel = backend->inProcessChannel();
        QVERIFY(test::receiveStock(channel, "ELE-1001", 1000).ok());
        auto pricing = v1::PricingService::NewStub(channel);
        auto orders = v1::OrderService::NewStub(channel);

        v1::Order plain;
        QVERIFY(test::createOrder(*orders, oneItem("ELE-1001"), &plain).ok());
        const std::int64_t list = plain.total().minor_units();
        QCOMPARE(plain.adjustments_size(), 0);

        const TimePoint end = start + 1h;
        v1::SaveRuleSetRequest save;
        save.set_base_version(0);
        save.set_reason("one-hour flash sale");
        v1::PricingRule flash = percentOff("flash", 2000);
        flash.mutable_ends_at()->set_seconds(toEpochMs(end) / 1000);
        *save.add_rules() = flash;
        {
            grpc::ClientContext context;
            v1::RuleSetVersion saved;
            const grpc::Status s = pricing->SaveRuleSet(&context, save, &saved);
            QVERIFY2(s.ok(), s.error_message().c_str());
            QCOMPARE(saved.rules(0).state(), v1::RULE_STATE_ACTIVE);
        }
        const std::int64_t off = (list * 2000 + 5000) / 10000;
        const auto orderNow = [&] {
            v1::Order order;
            const grpc::Status s = test::createOrder(*orders, oneItem("ELE-1001"), &order);
            if (!s.ok())
                qWarning("CreateOrder: %s", s.error_message().c_str());
            return order;
        };
        const auto quotedNow = [&] {
            grpc::ClientContext context;
            v1::QuoteCartRequest request;
            request.set_uid(100001);
            *request.add_items() = oneItem("ELE-1001").items(0);
            v1::QuoteCartResponse response;
            if (const grpc::Status s = pricing->QuoteCart(&context, request, &response); !s.ok())
                qWarning("QuoteCart: %s", s.error_message().c_str());
            return response.live();
        };

        v1::Order during = orderNow();
        QCOMPARE(during.adjustments_size(), 1);
        QCOMPARE(during.total().minor_units(), list - off);
        clock.set(end - 1ms); // its last millisecond
        during = orderNow();
        QCOMPARE(during.adjustments_size(), 1);
        QCOMPARE(during.total().minor_units(), list - off);
        QCOMPARE(quotedNow().total_minor(), list - off);

        clock.set(end); // the end time is exclusive
        const v1::Order atEnd = orderNow();
        QCOMPARE(atEnd.adjustments_size(), 0);
        QCOMPARE(atEnd.total().minor_units(), list);
        QCOMPARE(quotedNow().total_minor(), list);
        QCOMPARE(quotedNow().adjustments_size(), 0);
        clock.advance(3h);
        const v1::Order later = orderNow();
        QCOMPARE(later.adjustments_size(), 0);
        QCOMPARE(later.total().minor_units(), list);
        {
            grpc::ClientContext context;
            v1::RuleSetVersion current;
            QVERIFY(pricing->GetRuleSet(&context, {}, &current).ok());
            QCOMPARE(current.rules(0).state(), v1::RULE_STATE_EXPIRED);
        }
    }

    void reasonsAreAtMost500Characters()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto pricing = v1::PricingService::NewStub(backend->inProcessChannel());
        const std::string tooLong = "reason is 501 characters long; at most 500 are allowed";

        v1::SaveRuleSetRequest save;
        save.set_base_version(0);
        *save.add_rules() = percentOff("launch", 1500);
        save.set_reason(chineseText(501));
        v1::RuleSetVersion saved;
        {
            grpc::ClientContext context;
            const grpc::Status s = pricing->SaveRuleSet(&context, save, &saved);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QCOMPARE(s.error_message(), tooLong);
        }
        save.set_reason(chineseText(500)); // 1,500 bytes: characters are counted
        {
            grpc::ClientContext context;
            const grpc::Status s = pricing->SaveRuleSet(&context, save, &saved);
            QVERIFY2(s.ok(), s.error_message().c_str());
        }
        QCOMPARE(saved.reason(), chineseText(500));

        v1::RollbackRuleSetRequest rollback;
        rollback.set_to_version(1);
        rollback.set_reason(std::string(501, 'x'));
        {
            grpc::ClientContext context;
            const grpc::Status s = pricing->RollbackRuleSet(&context, rollback, &saved);
            QCOMPARE(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
            QCOMPARE(s.error_message(), tooLong);
        }
        rollback.set_reason(std::string(500, 'x'));
        {
            grpc::ClientContext context;
            const grpc::Status s = pricing->RollbackRuleSet(&context, rollback, &saved);
            QVERIFY2(s.ok(), s.error_message().c_str());
        }
        QCOMPARE(saved.version(), 2);
    }

    void segmentPricesGoToTheSegmentsMembers()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto channel = backend->inProcessChannel();
        QVERIFY(test::receiveStock(channel, "ELE-1001", 1000).ok());
        auto pricing = v1::PricingService::NewStub(channel);
        auto orders = v1::OrderService::NewStub(channel);
        auto segments = v1::SegmentService::NewStub(channel);

        // User 100001 shows a strong interest in VIP goods; 100002 does not.
        {
            grpc::ClientContext context;
            v1::IngestEventsRequest request;
            v1::UserEvent *event = request.add_events();
            event->set_uid(100001);
            event->set_type("view");
            event->mutable_ts()->set_seconds(std::chrono::duration_cast<std::chrono::seconds>(
                                                 std::chrono::system_clock::now().time_since_epoch())
                                                 .count());
            (*event->mutable_props())["tag.vip"] = 1.0;
            v1::IngestEventsResponse response;
            const grpc::Status s = segments->IngestEvents(&context, request, &response);
            QVERIFY2(s.ok(), s.error_message().c_str());
        }
        const auto saveSegment = [&](const std::string &expression) {
            grpc::ClientContext context;
            v1::GetSegmentSetRequest get;
            v1::SegmentSetVersion current;
            segments->GetSegmentSet(&context, get, &current);
            grpc::ClientContext saveContext;
            v1::SaveSegmentSetRequest request;
            request.set_base_version(current.version());
            request.set_reason("VIP pricing");
            v1::Segment *segment = request.add_segments();
            segment->set_id("vip");
            segment->set_name("VIP buyers");
            segment->set_expression(expression);
            segment->set_cap_count(1);
            segment->set_cap_period(v1::CAP_PERIOD_DAY);
            segment->add_channels(v1::REACH_CHANNEL_PUSH);
            segment->set_enabled(true);
            v1::SegmentSetVersion saved;
            const grpc::Status s = segments->SaveSegmentSet(&saveContext, request, &saved);
            return s.ok() ? std::string() : s.error_message();
        };
        QCOMPARE(saveSegment("tag.vip > 0.5"), std::string());

        v1::PricingRule vip;
        vip.set_id("vip-price");
        vip.set_name("VIP price");
        vip.set_kind(v1::RULE_KIND_SEGMENT_PRICE);
        vip.set_enabled(true);
        vip.set_stackable(true);
        vip.set_segment("vip");
        vip.set_percent_of_list_bp(8000);
        v1::SaveRuleSetRequest save;
        save.set_base_version(0);
        save.set_reason("VIP week");
        *save.add_rules() = vip;
        {
            grpc::ClientContext context;
            v1::RuleSetVersion saved;
            const grpc::Status s = pricing->SaveRuleSet(&context, save, &saved);
            QVERIFY2(s.ok(), s.error_message().c_str());
        }

        v1::Order member;
        QVERIFY(test::createOrder(*orders, oneItem("ELE-1001", 1, 100001), &member).ok());
        const std::int64_t list = member.list_total().minor_units();
        QCOMPARE(member.adjustments_size(), 1);
        QCOMPARE(member.adjustments(0).rule_id(), std::string("vip-price"));
        QCOMPARE(member.total().minor_units(), (list * 8000 + 5000) / 10000);
        v1::Order other;
        QVERIFY(test::createOrder(*orders, oneItem("ELE-1001", 1, 100002), &other).ok());
        QCOMPARE(other.adjustments_size(), 0);
        QCOMPARE(other.total().minor_units(), list);

        // "Try a cart" prices for the user it names, members included.
        v1::QuoteCartRequest quote;
        quote.set_uid(100001);
        *quote.add_items() = oneItem("ELE-1001").items(0);
        v1::QuoteCartResponse quoted;
        {
            grpc::ClientContext context;
            QVERIFY(pricing->QuoteCart(&context, quote, &quoted).ok());
        }
        QCOMPARE(quoted.live().total_minor(), member.total().minor_units());

        // Membership is decided when the order is priced: a narrower segment, and
        // 100001 pays the list price again.
        QCOMPARE(saveSegment("tag.vip > 2"), std::string());
        v1::Order after;
        QVERIFY(test::createOrder(*orders, oneItem("ELE-1001", 1, 100001), &after).ok());
        QCOMPARE(after.adjustments_size(), 0);
        QCOMPARE(after.total().minor_units(), list);
    }

    void theConsoleDemoStartsWithExampleRules()
    {
        QTemporaryDir dir;
        const auto start = [&](const std::string &file, const char *name) {
            BackendOptions options;
            options.databasePath = dir.filePath(QString::fromLatin1(name)).toStdString();
            options.seedDemoData = true;
            options.demoHistoryOrdersPerHour = 0;
            options.demoUsers = 12000;
            options.examplePricingRules = true;
            options.pricingFile = file;
            return Backend::start(options);
        };
        const auto ruleSet = [](Backend &backend) {
            auto pricing = v1::PricingService::NewStub(backend.inProcessChannel());
            grpc::ClientContext context;
            v1::GetRuleSetRequest request;
            v1::RuleSetVersion version;
            pricing->GetRuleSet(&context, request, &version);
            return version;
        };
        auto backend = start({}, "demo.sqlite");
        v1::RuleSetVersion examples = ruleSet(*backend);
        QCOMPARE(examples.version(), 1);
        QCOMPARE(examples.source(), std::string("initial"));
        QCOMPARE(examples.reason(), std::string("example rules of the demo"));
        std::map<std::string, v1::RuleState> states;
        for (const v1::PricingRule &rule : examples.rules())
            states[rule.id()] = rule.state();
        const std::map<std::string, v1::RuleState> expected{{"beauty-week", v1::RULE_STATE_ACTIVE},
                                                            {"new-payer-price", v1::RULE_STATE_ACTIVE},
                                                            {"spend-and-save", v1::RULE_STATE_ACTIVE},
                                                            {"toys-weekend", v1::RULE_STATE_SCHEDULED},
                                                            {"welcome", v1::RULE_STATE_ACTIVE}};
        QVERIFY(states == expected);

        // They price orders: a Beauty product at 90 %, and the first order 5 % off.
        auto channel = backend->inProcessChannel();
        QVERIFY(test::receiveStock(channel, "BEA-1001", 100).ok());
        auto orders = v1::OrderService::NewStub(channel);
        v1::Order order;
        QVERIFY(test::createOrder(*orders, oneItem("BEA-1001", 1, 100001), &order).ok());
        std::set<std::string> applied;
        for (const v1::PriceAdjustment &a : order.adjustments())
            applied.insert(a.rule_id());
        QVERIFY(applied.count("beauty-week") == 1 && applied.count("welcome") == 1);
        QVERIFY(order.total().minor_units() < order.list_total().minor_units());

        // Once: a restart keeps version 1.
        backend.reset();
        backend = start({}, "demo.sqlite");
        QCOMPARE(ruleSet(*backend).version(), 1);
        backend.reset();

        // A pricing file decides alone: no example version.
        const QString file = dir.filePath(QStringLiteral("pricing.yaml"));
        writeFile(file, "rules: []\n", true);
        backend = start(file.toStdString(), "with-file.sqlite");
        const v1::RuleSetVersion fromFile = ruleSet(*backend);
        QCOMPARE(fromFile.source(), std::string("file"));
        QCOMPARE(fromFile.rules_size(), 0);
    }

    void perUserLimitHoldsUnderConcurrency()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto channel = backend->inProcessChannel();
        QVERIFY(test::receiveStock(channel, "ELE-1001", 1000000).ok());
        QVERIFY(test::receiveStock(channel, "GRO-1001", 1000000).ok());
        auto pricing = v1::PricingService::NewStub(channel);
        v1::SaveRuleSetRequest save;
        save.set_reason("welcome offer");
        auto rule = percentOff("welcome", 2000);
        rule.set_per_user_limit(1);
        *save.add_rules() = rule;
        v1::RuleSetVersion saved;
        grpc::ClientContext context;
        QVERIFY(pricing->SaveRuleSet(&context, save, &saved).ok());

        std::atomic<int> discounted{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&] {
                auto orders = v1::OrderService::NewStub(channel);
                for (int i = 0; i < 10; ++i) {
                    v1::Order order;
                    if (test::createOrder(*orders, oneItem("GRO-1001", 1, 100050), &order).ok() &&
                        order.adjustments_size() > 0)
                        ++discounted;
                }
            });
        }
        for (auto &thread : threads)
            thread.join();
        QCOMPARE(discounted.load(), 1); // once per user, however many orders race

        // The use survives a restart: start-up reads it from the maintained rule_usage
        // table, not from a count over the orders.
        channel.reset();
        backend.reset();
        backend = test::startBackend(dir);
        auto orders = v1::OrderService::NewStub(backend->inProcessChannel());
        v1::Order after;
        QVERIFY(test::createOrder(*orders, oneItem("GRO-1001", 1, 100050), &after).ok());
        QCOMPARE(after.adjustments_size(), 0);
    }

    void hotReloadUnderLoad()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("pricing.yaml"));
        writeFile(file, kRulesA, true);
        auto backend = startWithFile(dir, file);
        auto channel = backend->inProcessChannel();
        QVERIFY(test::receiveStock(channel, "ELE-1001", 1000000).ok());
        QVERIFY(test::receiveStock(channel, "GRO-1001", 1000000).ok());
        auto pricing = v1::PricingService::NewStub(channel);
        QCOMPARE(status(*pricing).current_version(), 1);

        std::mutex mutex;
        std::map<std::int64_t, const QByteArray *> rulesOfVersion{{1, &kRulesA}};
        std::vector<v1::Order> seen;
        std::atomic<int> failed{0};
        Clients clients;
        for (int t = 0; t < 8; ++t) {
            clients.threads.emplace_back([&] {
                auto orders = v1::OrderService::NewStub(channel);
                std::vector<v1::Order> mine;
                while (!clients.stop) {
                    v1::Order order;
                    if (test::createOrder(*orders, oneItem("ELE-1001"), &order).ok())
                        mine.push_back(order);
                    else
                        ++failed;
                }
                const std::lock_guard lock(mutex);
                seen.insert(seen.end(), mine.begin(), mine.end());
            });
        }
        // Flip between the two sets, half in place and half by rename; each takes
        // effect within the poll interval and some milliseconds.
        for (int i = 0; i < 12; ++i) {
            const QByteArray &next = i % 2 == 0 ? kRulesB : kRulesA;
            const std::int64_t before = status(*pricing).current_version();
            writeFile(file, next, i % 4 < 2);
            QTRY_VERIFY_WITH_TIMEOUT(status(*pricing).current_version() == before + 1, 2000);
            const std::lock_guard lock(mutex);
            rulesOfVersion[before + 1] = &next;
        }
        clients.join();
        QCOMPARE(failed.load(), 0);
        QVERIFY(seen.size() > 100);

        // Every order was priced by one whole rule set: the one its version names.
        const std::int64_t list = seen.front().list_total().minor_units();
        std::set<std::int64_t> versionsSeen;
        for (const v1::Order &order : seen) {
            const QByteArray *rules = rulesOfVersion.at(order.rule_set_version());
            const std::int64_t expected = rules == &kRulesA ? list - (list * 1000 + 5000) / 10000 : list - 777;
            QCOMPARE(order.total().minor_units(), expected);
            QCOMPARE(order.adjustments_size(), 1);
            QCOMPARE(order.adjustments(0).rule_id(), std::string(rules == &kRulesA ? "ten-percent" : "flat"));
            versionsSeen.insert(order.rule_set_version());
        }
        QVERIFY(versionsSeen.size() >= 3);

        // Console edits are refused while the file rules.
        v1::SaveRuleSetRequest save;
        save.set_base_version(status(*pricing).current_version());
        save.set_reason("from the console");
        grpc::ClientContext context;
        v1::RuleSetVersion ignored;
        const grpc::Status refused = pricing->SaveRuleSet(&context, save, &ignored);
        QCOMPARE(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        QCOMPARE(refused.error_message(), "this backend takes its pricing rules from " + file.toStdString() +
                                              " (flywheeld --pricing); edit that file");
    }

    // ValidateRuleSet lists every problem with its field, as SaveRuleSet would refuse
    // them, and saves nothing.
    void validateRuleSetListsProblemsAndSavesNothing()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto pricing = v1::PricingService::NewStub(backend->inProcessChannel());
        const auto validate = [&](const v1::ValidateRuleSetRequest &request) {
            grpc::ClientContext context;
            v1::ValidateRuleSetResponse response;
            const grpc::Status s = pricing->ValidateRuleSet(&context, request, &response);
            if (!s.ok())
                qWarning("ValidateRuleSet: %s", s.error_message().c_str());
            std::vector<std::tuple<int, std::string, std::string, std::string>> problems;
            for (const v1::RuleProblem &p : response.problems())
                problems.emplace_back(p.rule_index(), p.rule_id(), p.field(), p.message());
            return problems;
        };
        const auto versionCount = [&] {
            grpc::ClientContext context;
            v1::ListRuleSetVersionsResponse versions;
            pricing->ListRuleSetVersions(&context, {}, &versions);
            return versions.versions_size();
        };
        const std::int64_t versionBefore = status(*pricing).current_version();
        const int countBefore = versionCount();

        v1::ValidateRuleSetRequest valid;
        *valid.add_rules() = percentOff("fine", 1000);
        QVERIFY(validate(valid).empty());

        v1::ValidateRuleSetRequest invalid;
        v1::PricingRule &many = *invalid.add_rules();
        many = percentOff("Bad Id", 0);
        many.set_name("");
        many.set_max_off_minor(-5);
        many.mutable_starts_at()->set_seconds(2000);
        many.mutable_ends_at()->set_seconds(1000);
        v1::PricingRule &sku = *invalid.add_rules();
        sku = percentOff("earbuds", 0);
        sku.set_kind(v1::RULE_KIND_SKU_PRICE);
        sku.add_scope_skus("NOPE-1");
        sku.set_unit_price_minor(-1);
        v1::PricingRule &tiers = *invalid.add_rules();
        tiers = percentOff("tiers", 0);
        tiers.set_kind(v1::RULE_KIND_THRESHOLD);
        auto *tier = tiers.add_tiers();
        tier->set_spend_minor(500);
        tier->set_off_minor(600);
        *invalid.add_rules() = percentOff("taken", 1000);
        v1::PricingRule &noKind = *invalid.add_rules();
        noKind = percentOff("no-kind", 1000);
        noKind.set_kind(v1::RULE_KIND_UNSPECIFIED);
        invalid.add_other_ids("taken");

        using Problem = std::tuple<int, std::string, std::string, std::string>;
        const std::vector<Problem> expected{
            {0, "Bad Id", "id", "id \"Bad Id\" must be 1 to 64 characters of a-z, 0-9, - and _"},
            {0, "Bad Id", "name", "name is empty"},
            {0, "Bad Id", "ends_at", "ends_at must be after starts_at"},
            {0, "Bad Id", "percent_off", "percent_off must be above 0 and at most 100"},
            {0, "Bad Id", "max_off", "max_off must be positive"},
            {1, "earbuds", "scope.skus", "scope.skus names \"NOPE-1\", which is not in the catalogue"},
            {1, "earbuds", "unit_price", "unit_price must not be negative"},
            {2, "tiers", "tiers", "tiers[0]: off must not exceed spend"},
            {3, "taken", "id", "the id \"taken\" is used by another rule"},
            {4, "no-kind", "kind",
             "kind is missing (RULE_KIND_UNSPECIFIED): choose sku_price, category_price, segment_price, "
             "percent_off or threshold"},
        };
        const std::vector<Problem> got = validate(invalid);
        for (std::size_t i = 0; i < std::min(got.size(), expected.size()); ++i)
            QCOMPARE(std::get<3>(got[i]), std::get<3>(expected[i]));
        QVERIFY(got == expected);

        // Two rules of one request with the same id: the second is the one refused.
        v1::ValidateRuleSetRequest twice;
        *twice.add_rules() = percentOff("same", 1000);
        *twice.add_rules() = percentOff("same", 2000);
        QVERIFY(
            (validate(twice) == std::vector<Problem>{{1, "same", "id", "the id \"same\" is used by another rule"}}));

        // Nothing was saved: the version and the version list are as before.
        QCOMPARE(status(*pricing).current_version(), versionBefore);
        QCOMPARE(versionCount(), countBefore);
    }

    void malformedFilesKeepTheOldRules_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("syntax") << QByteArray("rules: [\n") << ":2:1: end of sequence flow not found";
        QTest::newRow("unknown key")
            << QByteArray("rules:\n  - id: a\n    name: A\n    type: percent_off\n"
                          "    percent_off: 5\n    colour: red\n")
            << ":6:5: unknown key \"colour\" in rules[0]; expected id, name, type, enabled, priority, "
               "stackable, exclusion_group, starts_at, ends_at, per_user_limit, scope, "
               "unit_price, percent_of_list, segment, percent_off, max_off, tiers";
        QTest::newRow("unknown sku")
            << QByteArray("rules:\n  - id: a\n    name: A\n    type: sku_price\n"
                          "    scope: {skus: [NOPE-1]}\n    unit_price: 1\n")
            << ":5:19: rules[0] (\"a\"): scope.skus names \"NOPE-1\", which is not in the catalogue";
        QTest::newRow("empty") << QByteArray()
                               << ":1:1: the document must be a mapping with the keys rules, got an empty value";
    }
    void malformedFilesKeepTheOldRules()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("pricing.yaml"));
        writeFile(file, kRulesA, true);
        auto backend = startWithFile(dir, file);
        auto channel = backend->inProcessChannel();
        QVERIFY(test::receiveStock(channel, "ELE-1001", 1000000).ok());
        QVERIFY(test::receiveStock(channel, "GRO-1001", 1000000).ok());
        auto pricing = v1::PricingService::NewStub(channel);
        auto orders = v1::OrderService::NewStub(channel);

        writeFile(file, text, true);
        QTRY_VERIFY_WITH_TIMEOUT(status(*pricing).reloads_failed() == 1, 2000);
        const v1::PricingStatus s = status(*pricing);
        QCOMPARE(QString::fromStdString(s.last_error()), file + error);
        QCOMPARE(s.current_version(), 1);
        v1::Order order;
        QVERIFY(test::createOrder(*orders, oneItem("ELE-1001"), &order).ok());
        QCOMPARE(order.rule_set_version(), 1); // the old set keeps serving
        QCOMPARE(order.adjustments(0).rule_id(), std::string("ten-percent"));

        writeFile(file, kRulesB, true); // fixed: takes effect and clears the error
        QTRY_VERIFY_WITH_TIMEOUT(status(*pricing).current_version() == 2, 2000);
        QVERIFY(status(*pricing).last_error().empty());
    }
};

QTEST_GUILESS_MAIN(TestPricing)
#include "tst_pricing.moc"
