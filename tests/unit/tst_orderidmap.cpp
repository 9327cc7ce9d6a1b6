// OrderIdMap: the sharded map the order book and the inventory ledger keep their
// per-order state in. Checked against std::map under random operations.

#include "domain/OrderIdMap.h"

#include <QTest>

#include <map>
#include <random>

using namespace flywheel;

class TestOrderIdMap final : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyMapFindsNothing()
    {
        OrderIdMap<int> map;
        QCOMPARE(map.size(), std::size_t{0});
        QVERIFY(map.find(1) == nullptr);
        QVERIFY(!map.contains(0));
        QVERIFY(!map.erase(7));
    }

    void tryEmplaceKeepsTheFirstValue()
    {
        OrderIdMap<std::string> map;
        auto [first, made] = map.tryEmplace(42, "first");
        QVERIFY(made);
        QCOMPARE(first, std::string("first"));
        auto [again, madeAgain] = map.tryEmplace(42, "second");
        QVERIFY(!madeAgain);
        QCOMPARE(again, std::string("first"));
        QCOMPARE(map.size(), std::size_t{1});
        map[42] = "changed";
        QCOMPARE(*map.find(42), std::string("changed"));
    }

    void randomOperationsMatchAnOrderedMap()
    {
        OrderIdMap<std::int64_t> map;
        std::map<std::int64_t, std::int64_t> model;
        std::mt19937_64 random(7);
        for (int step = 0; step < 200000; ++step) {
            // Ids spread over more than the shard count, including ids that share a shard.
            const auto id = static_cast<std::int64_t>(random() % 5000);
            switch (random() % 4) {
            case 0:
            case 1:
                map.tryEmplace(id, step);
                model.try_emplace(id, step);
                break;
            case 2:
                QCOMPARE(map.erase(id), model.erase(id) == 1);
                break;
            default: {
                const std::int64_t *found = map.find(id);
                const auto it = model.find(id);
                QCOMPARE(found != nullptr, it != model.end());
                if (found)
                    QCOMPARE(*found, it->second);
            }
            }
            QCOMPARE(map.size(), model.size());
        }
        std::map<std::int64_t, std::int64_t> seen;
        map.forEach([&seen](std::int64_t id, std::int64_t value) { seen.emplace(id, value); });
        QCOMPARE(seen, model);
    }
};

QTEST_GUILESS_MAIN(TestOrderIdMap)
#include "tst_orderidmap.moc"
