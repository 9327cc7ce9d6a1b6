#include "domain/Order.h"

#include <QTest>

using namespace flywheel;

namespace {

Catalog catalog()
{
    return Catalog({Product{"ELE-1001", "Earbuds", "Electronics", Money(19990), 10},
                    Product{"GRO-1001", "Green Tea", "Grocery", Money(990), 100}});
}

UserDirectory users()
{
    return UserDirectory({User{100001, fromEpochMs(0), DeviceType::Ios, "Zhejiang", "app_store"}});
}

OrderRequest request(std::vector<OrderRequestItem> items, std::int64_t uid = 100001, std::string channel = "app")
{
    return OrderRequest{uid, std::move(items), std::move(channel)};
}

} // namespace

class TestOrderPricing final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void pricesAtListPrice()
    {
        const TimePoint now = fromEpochMs(1767225600000);
        const Result<Order> r = priceOrder(request({{"ELE-1001", 2}, {"GRO-1001", 3}}), catalog(), users(), now);
        QVERIFY(r.ok());
        const Order &o = r.value();
        QCOMPARE(o.total.minorUnits(), 2 * 19990 + 3 * 990);
        QCOMPARE(o.lines.size(), std::size_t(2));
        QCOMPARE(o.lines[1].unitPrice.minorUnits(), 990);
        QCOMPARE(o.uid, 100001);
        QCOMPARE(o.createdAt, now);
        QCOMPARE(o.id, 0); // assigned only when stored
    }

    void emptyChannelMeansApp()
    {
        const Result<Order> r = priceOrder(request({{"GRO-1001", 1}}, 100001, ""), catalog(), users(), {});
        QVERIFY(r.ok());
        QCOMPARE(r.value().channel, std::string("app"));
    }

    void refusesBadInput_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<qint64>("uid");
        QTest::addColumn<QString>("sku");
        QTest::addColumn<qint64>("quantity");
        QTest::addColumn<QString>("channel");
        const int invalid = static_cast<int>(ErrorCode::InvalidArgument);
        const int notFound = static_cast<int>(ErrorCode::NotFound);
        QTest::newRow("uid zero") << invalid << "uid must be a positive user id, got 0" << qint64(0) << "GRO-1001"
                                  << qint64(1) << "app";
        QTest::newRow("unknown user") << notFound << "no user with uid 42" << qint64(42) << "GRO-1001" << qint64(1)
                                      << "app";
        QTest::newRow("unknown sku") << notFound << "items[0].sku \"NOPE\" is not in the catalogue" << qint64(100001)
                                     << "NOPE" << qint64(1) << "app";
        QTest::newRow("empty sku") << invalid << "items[0].sku is empty" << qint64(100001) << "" << qint64(1) << "app";
        QTest::newRow("zero quantity") << invalid << "items[0].quantity must be between 1 and 10000, got 0"
                                       << qint64(100001) << "GRO-1001" << qint64(0) << "app";
        QTest::newRow("negative quantity") << invalid << "items[0].quantity must be between 1 and 10000, got -3"
                                           << qint64(100001) << "GRO-1001" << qint64(-3) << "app";
        QTest::newRow("huge quantity") << invalid << "items[0].quantity must be between 1 and 10000, got 10001"
                                       << qint64(100001) << "GRO-1001" << qint64(10001) << "app";
        QTest::newRow("bad channel") << invalid << "channel \"fax\" is unknown; expected app, mini_program or web"
                                     << qint64(100001) << "GRO-1001" << qint64(1) << "fax";
    }
    void refusesBadInput()
    {
        QFETCH(int, code);
        QFETCH(QString, message);
        QFETCH(qint64, uid);
        QFETCH(QString, sku);
        QFETCH(qint64, quantity);
        QFETCH(QString, channel);
        const Result<Order> r =
            priceOrder(request({{sku.toStdString(), quantity}}, uid, channel.toStdString()), catalog(), users(), {});
        QVERIFY(!r.ok());
        QCOMPARE(static_cast<int>(r.error().code), code);
        QCOMPARE(QString::fromStdString(r.error().message), message);
    }

    void refusesEmptyAndOversizedOrders()
    {
        Result<Order> r = priceOrder(request({}), catalog(), users(), {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, std::string("items must name at least one product"));
        std::vector<OrderRequestItem> many(kMaxOrderLines + 1, OrderRequestItem{"GRO-1001", 1});
        r = priceOrder(request(many), catalog(), users(), {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, std::string("items has 101 lines, at most 100 are allowed"));
    }

    void refusesOverflowingTotal()
    {
        const Catalog expensive({Product{"GOLD", "Gold bar", "Luxury", Money(std::int64_t(1) << 60), 1}});
        const Result<Order> r = priceOrder(request({{"GOLD", 16}}), expensive, users(), {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().message, std::string("order total overflows at items[0]"));
    }
};

QTEST_GUILESS_MAIN(TestOrderPricing)
#include "tst_orderpricing.moc"
