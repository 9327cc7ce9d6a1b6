#include "storage/SqliteStore.h"

#include <sqlite3.h>

#include <QTemporaryDir>
#include <QTest>

#include <cstdio>

#include <atomic>
#include <future>
#include <thread>

using namespace flywheel;
using payments::Payment;
using payments::PaymentState;
using payments::Refund;
using payments::RefundState;

namespace {

/// "FW<order>-<id>" with the id in at least four digits (WeChat wants 6-32 characters).
std::string tradeNo(std::int64_t order, std::int64_t id)
{
    char text[48];
    std::snprintf(text, sizeof text, "FW%lld-%04lld", static_cast<long long>(order), static_cast<long long>(id));
    return text;
}

std::string pathIn(const QTemporaryDir &dir, const char *name)
{
    return dir.filePath(QString::fromLatin1(name)).toStdString();
}

template <typename F>
QString errorOf(F &&function)
{
    try {
        function();
    } catch (const StorageError &e) {
        return QString::fromStdString(e.what());
    }
    return QStringLiteral("(no error)");
}

/// One value of a plain SQLite query, as another tool would read it.
QString queryValue(const std::string &path, const char *sql)
{
    sqlite3 *db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt *stmt = nullptr;
    QString result = QStringLiteral("(no row)");
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK)
        result = QStringLiteral("ERROR: ") + QString::fromUtf8(sqlite3_errmsg(db));
    else if (sqlite3_step(stmt) == SQLITE_ROW)
        result = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(stmt, 0)));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return result;
}

Payment newPayment(std::int64_t orderId, std::int64_t amount = 128000, std::int64_t atMs = 1000)
{
    Payment p;
    p.orderId = orderId;
    p.channelId = "wx";
    p.provider = "wechatpay";
    p.amountMinor = amount;
    p.currency = "CNY";
    p.state = PaymentState::Created;
    p.routeReason = "wx: first of 1 eligible (priority 1, fee 0.60%)";
    p.createdAt = fromEpochMs(atMs);
    p.updatedAt = fromEpochMs(atMs);
    p.expiresAt = fromEpochMs(atMs + 900000);
    return p;
}

PaymentChange change(Payment after, PaymentState to, std::vector<PaymentState> from, std::int64_t atMs)
{
    after.state = to;
    after.updatedAt = fromEpochMs(atMs);
    return PaymentChange{std::move(after), std::move(from)};
}

Refund newRefund(const Payment &payment, std::int64_t atMs = 5000)
{
    Refund r;
    r.paymentId = payment.id;
    r.orderId = payment.orderId;
    r.amountMinor = payment.amountMinor;
    r.currency = payment.currency;
    r.reason = "the buyer returned it";
    r.createdAt = fromEpochMs(atMs);
    r.updatedAt = fromEpochMs(atMs);
    return r;
}

DemoDataset smallDataset()
{
    DemoDataOptions options;
    options.productsPerCategory = 2;
    options.users = 5;
    options.ordersPerHour = 0;
    DemoDataset data = makeDemoDataset(fromEpochMs(1767225600000), options);
    data.history.clear();
    return data;
}

Order createdOrder(std::int64_t id, std::int64_t uid)
{
    Order o;
    o.id = id;
    o.uid = uid;
    o.channel = "app";
    o.createdAt = fromEpochMs(1000);
    o.expiresAt = fromEpochMs(901000);
    o.lines = {OrderLine{"ELE-1001", 1, Money(128000), Money(128000)}};
    o.total = Money(128000);
    o.status = OrderStatus::Created;
    return o;
}

orders::OrderTransition paidTransition(const Order &o, std::int64_t atMs)
{
    return orders::OrderTransition{o.id, o.uid, o.total, OrderStatus::Created, OrderStatus::Paid, fromEpochMs(atMs), {}};
}

} // namespace

class TestPaymentStore : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void insertAssignsIdAndOutTradeNoAndIsIdempotent()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "p.sqlite"));
        const auto first = store->insertPayment(newPayment(42), "pay:1");
        QVERIFY(first.created);
        QVERIFY(first.payment.id > 0);
        QCOMPARE(first.payment.outTradeNo, tradeNo(42, first.payment.id));
        QCOMPARE(first.payment.amountMinor, std::int64_t{128000});
        QCOMPARE(first.payment.state, PaymentState::Created);
        QCOMPARE(toEpochMs(first.payment.expiresAt), std::int64_t{901000});
        QCOMPARE(first.payment.routeReason, std::string("wx: first of 1 eligible (priority 1, fee 0.60%)"));

        // The same (order, key): nothing stored, the first one returned, even with other values.
        const auto again = store->insertPayment(newPayment(42, 999), "pay:1");
        QVERIFY(!again.created);
        QCOMPARE(again.payment.id, first.payment.id);
        QCOMPARE(again.payment.amountMinor, std::int64_t{128000});
        QCOMPARE(store->loadOrderPayments(42).size(), std::size_t(1));

        // Another key of the same order, and the same key for another order, are new payments.
        const auto second = store->insertPayment(newPayment(42), "pay:2");
        const auto other = store->insertPayment(newPayment(43), "pay:1");
        QVERIFY(second.created && other.created);
        QVERIFY(second.payment.id > first.payment.id);
        QCOMPARE(other.payment.outTradeNo, tradeNo(43, other.payment.id));

        // A given out_trade_no is kept; a second one like it is refused by the database.
        Payment named = newPayment(44);
        named.outTradeNo = "CUSTOM-1";
        QCOMPARE(store->insertPayment(named, "k").payment.outTradeNo, std::string("CUSTOM-1"));
        const QString refused = errorOf([&] { store->insertPayment(named, "k2"); });
        QVERIFY2(refused.contains(QStringLiteral("out_trade_no \"CUSTOM-1\" is already stored")), qPrintable(refused));
        // A payment of no amount is refused.
        QVERIFY(errorOf([&] { store->insertPayment(newPayment(45, 0), "k"); }).contains(QStringLiteral("order 45")));

        const auto newestFirst = store->loadOrderPayments(42);
        QCOMPARE(newestFirst.size(), std::size_t(2));
        QCOMPARE(newestFirst[0].id, second.payment.id);
        QCOMPARE(store->findPaymentByOutTradeNo(first.payment.outTradeNo)->id, first.payment.id);
        QVERIFY(!store->findPaymentByOutTradeNo("FW42-999").has_value());
        QVERIFY(!store->loadPayment(999).has_value());
    }

    void guardedUpdateAppliesOnce()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "p.sqlite"));
        Payment p = store->insertPayment(newPayment(7), "k").payment;
        p.providerPaymentId = "4200001";
        p.payUrl = "weixin://wxpay/bizpayurl?pr=abc";
        QVERIFY(store->updatePayment(change(p, PaymentState::Pending, {PaymentState::Created}, 2000)));
        QVERIFY(!store->updatePayment(change(p, PaymentState::Pending, {PaymentState::Created}, 2100)));
        // Same state, more detail: allowed while pending.
        p.confirming = true;
        p.differenceMinor = -5;
        QVERIFY(store->updatePayment(change(p, PaymentState::Pending, {PaymentState::Pending}, 2500)));
        QCOMPARE(store->loadOpenPayments().size(), std::size_t(1));
        QVERIFY(store->updatePayment(change(p, PaymentState::Succeeded, {PaymentState::Created, PaymentState::Pending}, 3000)));
        QVERIFY(!store->updatePayment(change(p, PaymentState::Expired, {PaymentState::Created, PaymentState::Pending}, 4000)));
        QVERIFY(!store->updatePayment(change(p, PaymentState::Failed, {}, 4000)));

        const Payment stored = *store->loadPayment(p.id);
        QCOMPARE(stored.state, PaymentState::Succeeded);
        QCOMPARE(stored.providerPaymentId, std::string("4200001"));
        QCOMPARE(stored.payUrl, std::string("weixin://wxpay/bizpayurl?pr=abc"));
        QVERIFY(stored.confirming);
        QCOMPARE(stored.differenceMinor, std::int64_t{-5});
        QCOMPARE(toEpochMs(stored.updatedAt), std::int64_t{3000});
        QCOMPARE(toEpochMs(stored.createdAt), std::int64_t{1000});
        QVERIFY(store->loadOpenPayments().empty());

        // An end state never changes, even when a caller names it as `from`.
        const QString refused = errorOf(
            [&] { store->updatePayment(change(p, PaymentState::Failed, {PaymentState::Succeeded}, 5000)); });
        QVERIFY2(refused.contains(QStringLiteral("never changes")), qPrintable(refused));
        QCOMPARE(store->loadPayment(p.id)->state, PaymentState::Succeeded);

        // Settled since: by the time it reached its end state.
        QCOMPARE(store->loadPaymentsSettledSince(fromEpochMs(3000)).size(), std::size_t(1));
        QVERIFY(store->loadPaymentsSettledSince(fromEpochMs(3001)).empty());
    }

    void concurrentSettlementsWinOnce()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "p.sqlite"));
        Payment p = store->insertPayment(newPayment(9), "k").payment;
        QVERIFY(store->updatePayment(change(p, PaymentState::Pending, {PaymentState::Created}, 2000)));

        constexpr int kThreads = 8;
        std::promise<void> go;
        const std::shared_future<void> start = go.get_future().share();
        std::atomic<int> won{0};
        std::atomic<int> lost{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i)
            threads.emplace_back([&, i] {
                start.wait();
                Payment after = p;
                after.providerPaymentId = "tx-" + std::to_string(i);
                if (store->updatePayment(change(after, PaymentState::Succeeded, {PaymentState::Pending}, 3000 + i)))
                    ++won;
                else
                    ++lost;
            });
        go.set_value();
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(won.load(), 1);
        QCOMPARE(lost.load(), kThreads - 1);
        QCOMPARE(store->loadPayment(p.id)->state, PaymentState::Succeeded);
    }

    void refundsOnePendingOrSucceededPerPayment()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "p.sqlite"));
        const Payment p = store->insertPayment(newPayment(11), "k").payment;
        Refund first = store->insertRefund(newRefund(p));
        QVERIFY(first.id > 0);
        QCOMPARE(first.state, RefundState::Pending);
        QCOMPARE(first.outRefundNo, "R11-" + std::to_string(first.id));
        QCOMPARE(first.reason, std::string("the buyer returned it"));

        // A second while the first is pending: refused by the partial unique index.
        QString refused = errorOf([&] { store->insertRefund(newRefund(p)); });
        QVERIFY2(refused.contains(QStringLiteral("payment %1 already has a refund pending or succeeded").arg(p.id)),
                 qPrintable(refused));
        QCOMPARE(store->loadOrderRefunds(11).size(), std::size_t(1));

        // Failed: another may follow.
        first.state = RefundState::Failed;
        first.detail = "ERROR NOT_ENOUGH: the merchant's balance is short";
        first.updatedAt = fromEpochMs(6000);
        QVERIFY(store->updateRefund(RefundChange{first, RefundState::Pending}));
        QVERIFY(!store->updateRefund(RefundChange{first, RefundState::Pending}));
        Refund second = store->insertRefund(newRefund(p, 7000));
        QCOMPARE(store->loadPendingRefunds().size(), std::size_t(1));
        second.state = RefundState::Succeeded;
        second.providerRefundId = "50300001";
        second.updatedAt = fromEpochMs(8000);
        QVERIFY(store->updateRefund(RefundChange{second, RefundState::Pending}));
        QVERIFY(store->loadPendingRefunds().empty());
        // Succeeded: no other refund of that payment.
        refused = errorOf([&] { store->insertRefund(newRefund(p, 9000)); });
        QVERIFY2(refused.contains(QStringLiteral("already has a refund pending or succeeded")), qPrintable(refused));

        const Refund found = *store->findRefundByOutRefundNo(second.outRefundNo);
        QCOMPARE(found.state, RefundState::Succeeded);
        QCOMPARE(found.providerRefundId, std::string("50300001"));
        QCOMPARE(toEpochMs(found.updatedAt), std::int64_t{8000});
        const auto refunds = store->loadOrderRefunds(11);
        QCOMPARE(refunds.size(), std::size_t(2));
        QCOMPARE(refunds[0].id, second.id); // newest first
        QCOMPARE(refunds[1].detail, first.detail);

        // out_refund_no is unique across payments; a refund of no payment is refused.
        const Payment other = store->insertPayment(newPayment(12), "k").payment;
        Refund named = newRefund(other);
        named.outRefundNo = second.outRefundNo;
        refused = errorOf([&] { store->insertRefund(named); });
        QVERIFY2(refused.contains(QStringLiteral("out_refund_no \"%1\" is already stored")
                                      .arg(QString::fromStdString(second.outRefundNo))),
                 qPrintable(refused));
        Refund orphan = newRefund(other);
        orphan.paymentId = 999;
        refused = errorOf([&] { store->insertRefund(orphan); });
        QVERIFY2(refused.contains(QStringLiteral("payment 999 is not stored")), qPrintable(refused));
        QVERIFY(store->loadOrderRefunds(12).empty());
    }

    void journalStoresThePaymentWithTheOrder()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "p.sqlite"));
        DemoDataset data = smallDataset();
        store->seed(data);
        const Order order = createdOrder(1, data.users[0].uid);
        JournalEntry created;
        created.newOrder = order;
        store->appendJournal({created});
        Payment p = store->insertPayment(newPayment(order.id), "k").payment;
        QVERIFY(store->updatePayment(change(p, PaymentState::Pending, {PaymentState::Created}, 2000)));

        // The success and the order's transition in one batch.
        JournalEntry paid;
        paid.transition = paidTransition(order, 3000);
        p.providerPaymentId = "4200009";
        paid.payment = change(p, PaymentState::Succeeded, {PaymentState::Created, PaymentState::Pending}, 3000);
        store->appendJournal({paid});
        QCOMPARE(store->loadOrder(order.id)->status, OrderStatus::Paid);
        QCOMPARE(store->loadPayment(p.id)->state, PaymentState::Succeeded);
        QCOMPARE(store->loadPayment(p.id)->providerPaymentId, std::string("4200009"));

        // A second settlement of the same payment (a duplicate notification) refuses its
        // whole batch: the new order that came with it is not stored either.
        JournalEntry again;
        again.newOrder = createdOrder(2, data.users[1].uid);
        again.payment = change(p, PaymentState::Succeeded, {PaymentState::Created, PaymentState::Pending}, 3500);
        const QString refused = errorOf([&] { store->appendJournal({again}); });
        QVERIFY2(refused.contains(QStringLiteral("payment %1 is no longer created or pending; nothing of this batch "
                                                 "was stored")
                                      .arg(p.id)),
                 qPrintable(refused));
        QVERIFY(!store->loadOrder(2).has_value());
        QCOMPARE(toEpochMs(store->loadPayment(p.id)->updatedAt), std::int64_t{3000});

        // A payment change without a transition: a late success for an order no longer payable.
        Payment late = store->insertPayment(newPayment(order.id), "k2").payment;
        QVERIFY(store->updatePayment(change(late, PaymentState::Pending, {PaymentState::Created}, 4000)));
        JournalEntry alone;
        late.detail = "paid after the order was no longer payable";
        alone.payment = change(late, PaymentState::Succeeded, {PaymentState::Pending}, 4100);
        store->appendJournal({alone});
        QCOMPARE(store->loadPayment(late.id)->detail, std::string("paid after the order was no longer payable"));

        // A refund's confirmation with the paid -> refunded transition; guarded the same way.
        Refund refund = store->insertRefund(newRefund(*store->loadPayment(p.id), 5000));
        JournalEntry refunded;
        refunded.transition = orders::OrderTransition{order.id,           order.uid,          order.total, OrderStatus::Paid,
                                                      OrderStatus::Refunded, fromEpochMs(6000), {}};
        refund.state = RefundState::Succeeded;
        refund.updatedAt = fromEpochMs(6000);
        refunded.refund = RefundChange{refund, RefundState::Pending};
        store->appendJournal({refunded});
        QCOMPARE(store->loadOrder(order.id)->status, OrderStatus::Refunded);
        QCOMPARE(store->findRefundByOutRefundNo(refund.outRefundNo)->state, RefundState::Succeeded);
        JournalEntry refundAgain;
        refundAgain.refund = RefundChange{refund, RefundState::Pending};
        const QString refundRefused = errorOf([&] { store->appendJournal({refundAgain}); });
        QVERIFY2(refundRefused.contains(QStringLiteral("refund %1 is no longer pending").arg(refund.id)),
                 qPrintable(refundRefused));
    }

    void concurrentJournalSettlementsWinOnce()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "p.sqlite"));
        DemoDataset data = smallDataset();
        store->seed(data);
        const Order order = createdOrder(1, data.users[0].uid);
        JournalEntry created;
        created.newOrder = order;
        store->appendJournal({created});
        Payment p = store->insertPayment(newPayment(order.id), "k").payment;
        QVERIFY(store->updatePayment(change(p, PaymentState::Pending, {PaymentState::Created}, 2000)));

        constexpr int kThreads = 6;
        std::promise<void> go;
        const std::shared_future<void> start = go.get_future().share();
        std::atomic<int> stored{0};
        std::atomic<int> refused{0};
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i)
            threads.emplace_back([&] {
                start.wait();
                JournalEntry paid;
                paid.transition = paidTransition(order, 3000);
                paid.payment = change(p, PaymentState::Succeeded, {PaymentState::Pending}, 3000);
                try {
                    store->appendJournal({paid});
                    ++stored;
                } catch (const StorageError &) {
                    ++refused;
                }
            });
        go.set_value();
        for (std::thread &t : threads)
            t.join();
        QCOMPARE(stored.load(), 1);
        QCOMPARE(refused.load(), kThreads - 1);
        QCOMPARE(store->loadOrder(order.id)->status, OrderStatus::Paid);
    }

    void refusedNotificationsListedAndCounted()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "p.sqlite"));
        using payments::RefusalReason;
        const auto refusal = [](std::int64_t atMs, const char *channel, RefusalReason reason, const char *detail) {
            return payments::RefusedNotification{fromEpochMs(atMs), channel, "wechatpay", reason, detail,
                                                 "evt-" + std::to_string(atMs), 42, "127.0.0.1:5000"};
        };
        store->recordRefusedNotification(refusal(1000, "wx", RefusalReason::Stale,
                                                 "Wechatpay-Timestamp 1733560000 is 412 s away from now (the limit is "
                                                 "300 s)"));
        store->recordRefusedNotification(refusal(2000, "wx", RefusalReason::BadSignature, "signature does not verify"));
        store->recordRefusedNotification(refusal(3000, "wx", RefusalReason::BadSignature, "signature does not verify"));
        store->recordRefusedNotification(refusal(4000, "ali", RefusalReason::AmountMismatch, "paid 12.80, due 1280.00"));

        const auto newest = store->loadRefusedNotifications(3);
        QCOMPARE(newest.size(), std::size_t(3));
        QCOMPARE(newest[0].channelId, std::string("ali"));
        QCOMPARE(newest[0].reason, RefusalReason::AmountMismatch);
        QCOMPARE(newest[0].detail, std::string("paid 12.80, due 1280.00"));
        QCOMPARE(newest[0].notificationId, std::string("evt-4000"));
        QCOMPARE(newest[0].orderId, std::int64_t{42});
        QCOMPARE(newest[0].peer, std::string("127.0.0.1:5000"));
        QCOMPARE(toEpochMs(newest[2].at), std::int64_t{2000});

        const auto counts = store->loadRefusalCounts(fromEpochMs(2000));
        QCOMPARE(counts.size(), std::size_t(2));
        QCOMPARE(counts[0].first.first, std::string("ali"));
        QCOMPARE(counts[0].second, std::int64_t{1});
        QCOMPARE(counts[1].first.first, std::string("wx"));
        QCOMPARE(counts[1].first.second, RefusalReason::BadSignature);
        QCOMPARE(counts[1].second, std::int64_t{2});
        QCOMPARE(store->loadRefusalCounts(fromEpochMs(0)).size(), std::size_t(3));
    }

    void restartKeepsEverything()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "p.sqlite");
        std::int64_t paymentId = 0;
        std::string outRefundNo;
        {
            auto store = SqliteStore::open(path);
            Payment p = store->insertPayment(newPayment(5), "k").payment;
            paymentId = p.id;
            QVERIFY(store->updatePayment(change(p, PaymentState::Pending, {PaymentState::Created}, 2000)));
            QVERIFY(store->updatePayment(change(p, PaymentState::Succeeded, {PaymentState::Pending}, 3000)));
            store->insertPayment(newPayment(6), "k");
            outRefundNo = store->insertRefund(newRefund(p)).outRefundNo;
            store->recordRefusedNotification(payments::RefusedNotification{
                fromEpochMs(1000), "wx", "wechatpay", payments::RefusalReason::UnknownSerial, "serial X", "", 0, ""});
            StoredVersion version{0, "channels: []\n", "first", "console", fromEpochMs(1000), false};
            QCOMPARE(store->appendDocumentVersion(kPaymentsArea, 0, version, std::nullopt).outcome,
                     DocumentAppend::Outcome::Stored);
        }
        auto store = SqliteStore::open(path);
        QCOMPARE(store->loadPayment(paymentId)->state, PaymentState::Succeeded);
        QCOMPARE(store->loadOpenPayments().size(), std::size_t(1));
        QCOMPARE(store->loadOpenPayments()[0].orderId, std::int64_t{6});
        QCOMPARE(store->loadPaymentsSettledSince(fromEpochMs(0)).size(), std::size_t(1));
        QCOMPARE(store->findRefundByOutRefundNo(outRefundNo)->paymentId, paymentId);
        QCOMPARE(store->loadPendingRefunds().size(), std::size_t(1));
        QCOMPARE(store->loadRefusedNotifications(10).size(), std::size_t(1));
        QCOMPARE(store->documentVersion(kPaymentsArea, 0)->yaml, std::string("channels: []\n"));
        // The same key after a restart still returns the stored payment.
        QVERIFY(!store->insertPayment(newPayment(6), "k").created);
        // The next id continues after the highest ever assigned.
        QVERIFY(store->insertPayment(newPayment(7), "k").payment.id > paymentId + 1);
    }

    void onePaymentPaysItsOrder()
    {
        QTemporaryDir dir;
        auto store = SqliteStore::open(pathIn(dir, "p.sqlite"));
        Payment first = store->insertPayment(newPayment(5), "a").payment;
        Payment second = store->insertPayment(newPayment(5), "b").payment;
        // Only a payment that succeeded can have paid its order.
        first.paidOrder = true;
        QString refused =
            errorOf([&] { store->updatePayment(change(first, PaymentState::Pending, {PaymentState::Created}, 2000)); });
        QVERIFY2(refused.contains(QStringLiteral("only a payment that succeeded")), qPrintable(refused));
        QVERIFY(store->updatePayment(change(first, PaymentState::Succeeded, {PaymentState::Created}, 2000)));
        QVERIFY(store->loadPayment(first.id)->paidOrder);
        // A second payment cannot pay the same order (another replica's settle).
        second.paidOrder = true;
        refused =
            errorOf([&] { store->updatePayment(change(second, PaymentState::Succeeded, {PaymentState::Created}, 2100)); });
        QVERIFY2(refused.contains(QStringLiteral("order 5 was already paid by another payment")), qPrintable(refused));
        QCOMPARE(store->loadPayment(second.id)->state, PaymentState::Created);
        // It succeeds as money that did not pay the order: owed back in full.
        second.paidOrder = false;
        QVERIFY(store->updatePayment(change(second, PaymentState::Succeeded, {PaymentState::Created}, 2200)));
        const Payment stray = *store->loadPayment(second.id);
        QVERIFY(!stray.paidOrder);
        QCOMPARE(payments::strayMinor(stray), std::int64_t{128000});
        QCOMPARE(payments::strayMinor(*store->loadPayment(first.id)), std::int64_t{0});
    }

    void strayMoneyOfEachKind()
    {
        Payment p = newPayment(1, 10000);
        p.state = PaymentState::Pending;
        QCOMPARE(payments::strayMinor(p), std::int64_t{0});
        p.state = PaymentState::Succeeded;
        p.paidOrder = true;
        p.differenceMinor = 300; // overpaid: the surplus is not stray money of the order's payment
        QCOMPARE(payments::strayMinor(p), std::int64_t{0});
        p.paidOrder = false;
        QCOMPARE(payments::strayMinor(p), std::int64_t{10300});
        p.state = PaymentState::Expired;
        p.differenceMinor = 0;
        QCOMPARE(payments::strayMinor(p), std::int64_t{0});
        p.differenceMinor = -2500; // partly paid, then expired
        QCOMPARE(payments::strayMinor(p), std::int64_t{7500});
        p.differenceMinor = 0;
        p.detail = "Expired, paid late: 100.00 CNY of 100.00 CNY arrived after expiry (refund due)";
        QCOMPARE(payments::strayMinor(p), std::int64_t{10000});
        p.differenceMinor = 200;
        QCOMPARE(payments::strayMinor(p), std::int64_t{10200});
        // Paid late, but the provider did not say how much: nothing is offered (refunded
        // at the provider), rather than an amount that may exceed what arrived.
        p.differenceMinor = 0;
        p.detail = "Expired, paid late: paid amount not reported arrived after expiry (refund due)";
        QCOMPARE(payments::strayMinor(p), std::int64_t{0});
        // Marked settled by an operator after a partial payment, after the order had gone:
        // what was taken.
        p.state = PaymentState::Succeeded;
        p.paidOrder = false;
        p.detail.clear();
        p.differenceMinor = -4000;
        QCOMPARE(payments::strayMinor(p), std::int64_t{6000});
        p.state = PaymentState::Failed;
        p.detail.clear();
        p.differenceMinor = 0;
        QCOMPARE(payments::strayMinor(p), std::int64_t{0});
    }

    void migratesFromSchema17MarkingThePayingPayments()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "p.sqlite");
        {
            auto old = SqliteStore::openAtVersion(path, 17);
            QCOMPARE(old->schemaVersion(), 17);
        }
        {
            sqlite3 *db = nullptr;
            QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
            const char *rows =
                "INSERT INTO payments (order_id, channel_id, provider, amount_minor, currency, state, out_trade_no, "
                "detail, idempotency_key, created_at_ms, updated_at_ms) VALUES "
                "(1, 'w', 'wechatpay', 100, 'CNY', 3, 'FW1-0001', '', 'a', 1, 2),"
                "(1, 'w', 'wechatpay', 100, 'CNY', 3, 'FW1-0002', 'the order was already paid when this payment "
                "succeeded; refund it', 'b', 1, 2),"
                "(2, 'w', 'wechatpay', 100, 'CNY', 5, 'FW2-0003', 'expired unpaid', 'a', 1, 2),"
                "(3, 'w', 'wechatpay', 100, 'CNY', 2, 'FW3-0004', '', 'a', 1, 2)";
            char *error = nullptr;
            const int rc = sqlite3_exec(db, rows, nullptr, nullptr, &error);
            QVERIFY2(rc == SQLITE_OK, error);
            sqlite3_close(db);
        }
        auto store = SqliteStore::open(path);
        QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
        QVERIFY(store->findPaymentByOutTradeNo("FW1-0001")->paidOrder);
        QVERIFY(!store->findPaymentByOutTradeNo("FW1-0002")->paidOrder);
        QVERIFY(!store->findPaymentByOutTradeNo("FW2-0003")->paidOrder);
        QVERIFY(!store->findPaymentByOutTradeNo("FW3-0004")->paidOrder);
        // The end states are still immutable after the migration.
        Payment settled = *store->findPaymentByOutTradeNo("FW1-0002");
        const QString refused = errorOf(
            [&] { store->updatePayment(change(settled, PaymentState::Failed, {PaymentState::Succeeded}, 5000)); });
        QVERIFY2(refused.contains(QStringLiteral("never changes")), qPrintable(refused));
    }

    void migratesFromSchema16()
    {
        QTemporaryDir dir;
        const std::string path = pathIn(dir, "p.sqlite");
        {
            auto old = SqliteStore::openAtVersion(path, 16);
            QCOMPARE(old->schemaVersion(), 16);
            StoredVersion version{0, "enabled: false\n", "first", "console", fromEpochMs(1000), false};
            old->appendDocumentVersion(kSubsidyArea, 0, version, std::nullopt);
        }
        QCOMPARE(queryValue(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'payments'"), QStringLiteral("0"));
        auto store = SqliteStore::open(path);
        QCOMPARE(store->schemaVersion(), SqliteStore::kSchemaVersion);
        QCOMPARE(store->documentVersion(kSubsidyArea, 0)->yaml, std::string("enabled: false\n"));
        QVERIFY(!store->documentVersion(kPaymentsArea, 0).has_value());
        QVERIFY(store->insertPayment(newPayment(1), "k").created);
        store.reset();
        QCOMPARE(queryValue(path, "PRAGMA user_version"), QString::number(SqliteStore::kSchemaVersion));
        QCOMPARE(queryValue(path, "SELECT out_trade_no FROM payments"), QStringLiteral("FW1-0001"));
        QCOMPARE(queryValue(path, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('payment_channel_versions', "
                                  "'refunds', 'payment_refusals', 'refunds_one_in_force')"),
                 QStringLiteral("4"));
    }
};

QTEST_GUILESS_MAIN(TestPaymentStore)
#include "tst_paymentstore.moc"
