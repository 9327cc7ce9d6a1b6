// The Inventory page against an in-process backend: the stock per SKU as ListStock
// reports it, a low-stock SKU highlighted and counted, filtering and sorting, the
// selected SKU's events in words, goods in through the page, refusals in plain words,
// an unreachable backend, and an empty catalogue.

#include "client/BackendConnection.h"
#include "inventory/InventoryPage.h"
#include "inventory/InventoryText.h"
#include "inventory/StockFilterModel.h"
#include "inventory/StockModel.h"
#include "MainWindow.h"
#include "TestSupport.h"

#include "flywheel/v1/inventory.grpc.pb.h"
#include "flywheel/v1/orders.grpc.pb.h"

#include <grpcpp/client_context.h>

#include <QAbstractItemModelTester>
#include <QLocale>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

using namespace flywheel;
using namespace flywheel::ui;
using namespace std::chrono_literals;

namespace {

v1::ListStockResponse listStock(const std::shared_ptr<grpc::Channel> &channel)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    v1::ListStockResponse response;
    const grpc::Status status = v1::InventoryService::NewStub(channel)->ListStock(&context, {}, &response);
    if (!status.ok())
        qWarning("ListStock: %s", status.error_message().c_str());
    return response;
}

v1::Order order(v1::OrderService::Stub &stub, const std::string &sku, qint64 quantity, const std::string &key)
{
    v1::CreateOrderRequest request;
    request.set_uid(100001);
    request.set_channel("app");
    request.set_idempotency_key(key);
    v1::OrderItem *item = request.add_items();
    item->set_sku(sku);
    item->set_quantity(quantity);
    v1::Order created;
    const grpc::Status status = test::createOrder(stub, request, &created);
    if (!status.ok())
        qWarning("CreateOrder: %s", status.error_message().c_str());
    return created;
}

QString cell(const QAbstractItemModel *model, int row, int column, int role = Qt::DisplayRole)
{
    return model->index(row, column).data(role).toString();
}

QString number(qint64 value)
{
    return QLocale().toString(value);
}

} // namespace

class TestInventoryPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsStockEventsAndReceipts()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        const auto channel = backend->inProcessChannel();
        const v1::ListStockResponse seeded = listStock(channel);
        QVERIFY(seeded.items_size() > 1);
        const qint64 threshold = seeded.low_stock_threshold();
        QVERIFY(threshold > 0);
        for (const v1::StockLevel &level : seeded.items())
            QVERIFY2(!level.low(), level.sku().c_str()); // the demo catalogue starts well stocked

        // Make one SKU low: a big order (paid) leaves threshold - 5 available, and a
        // small one is cancelled. Another SKU has an order still holding its stock.
        const v1::StockLevel &target = seeded.items(0);
        const std::string sku = target.sku();
        const qint64 keep = threshold - 5;
        auto orders = v1::OrderService::NewStub(channel);
        const v1::Order big = order(*orders, sku, target.available() - keep, "inv-big");
        const v1::Order small = order(*orders, sku, 2, "inv-small");
        const v1::Order open = order(*orders, seeded.items(1).sku(), 1, "inv-open");
        QVERIFY(big.order_id() > 0 && small.order_id() > 0 && open.order_id() > 0);
        {
            grpc::ClientContext context;
            v1::CancelOrderRequest request;
            request.set_order_id(small.order_id());
            v1::Order cancelled;
            QVERIFY(orders->CancelOrder(&context, request, &cancelled).ok());
        }
        {
            grpc::ClientContext context;
            v1::PayOrderRequest request;
            request.set_order_id(big.order_id());
            request.set_idempotency_key("inv-pay-big");
            v1::Order paid;
            QVERIFY(orders->PayOrder(&context, request, &paid).ok());
        }
        const v1::ListStockResponse expected = listStock(channel);
        QCOMPARE(expected.items(0).available(), keep);
        QVERIFY(expected.items(0).low());

        BackendConnection connection(QStringLiteral("test backend"));
        MainWindow window(&connection);
        QVERIFY(MainWindow::pageNames().contains(QStringLiteral("inventory")));
        QVERIFY(window.showPage(QStringLiteral("inventory")));
        InventoryPage *page = window.inventoryPage();
        const StockModel *model = page->stockModel();
        StockFilterModel *shown = page->filterModel();
        QAbstractItemModelTester modelTester(page->stockModel(),
                                             QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester filterTester(shown, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(page->emptyText(), QStringLiteral("Waiting for the backend…"));
        connection.setChannel(channel);
        window.show();

        // Every row has ListStock's numbers.
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), expected.items_size(), 5000);
        QVERIFY(page->emptyText().isEmpty());
        for (const v1::StockLevel &level : expected.items()) {
            const int row = model->rowOf(QString::fromStdString(level.sku()));
            QVERIFY(row >= 0);
            QCOMPARE(cell(model, row, StockModel::Name), QString::fromStdString(level.name()));
            QCOMPARE(cell(model, row, StockModel::Category), QString::fromStdString(level.category()));
            QCOMPARE(cell(model, row, StockModel::Available), number(level.available()));
            QCOMPARE(cell(model, row, StockModel::Reserved), number(level.reserved()));
            QCOMPARE(cell(model, row, StockModel::Sold), number(level.sold()));
            QCOMPARE(cell(model, row, StockModel::Received), number(level.received()));
            QCOMPARE(model->index(row, StockModel::Available).data(StockModel::SortRole).toLongLong(),
                     level.available());
            QCOMPARE(model->index(row, StockModel::Sku).data(Qt::BackgroundRole).isValid(), level.low());
        }
        const QString skuText = QString::fromStdString(sku);
        const int low = model->rowOf(skuText);
        QCOMPARE(cell(model, low, StockModel::Sold), number(big.lines(0).quantity()));
        QCOMPARE(cell(model, low, StockModel::Reserved), number(0));
        QCOMPARE(cell(model, low, StockModel::Status), QStringLiteral("Low"));
        QVERIFY(model->index(low, StockModel::Available).data(Qt::BackgroundRole).isValid());
        QVERIFY2(cell(model, low, StockModel::Available, Qt::ToolTipRole).contains(QStringLiteral("Low on stock")),
                 qPrintable(cell(model, low, StockModel::Available, Qt::ToolTipRole)));
        QCOMPARE(cell(model, model->rowOf(QString::fromStdString(seeded.items(1).sku())), StockModel::Reserved),
                 number(1));
        QCOMPARE(model->lowCount(), 1);

        // The header: one low SKU, the threshold, the open reservation and how long it holds.
        const QString header = page->headerText();
        QVERIFY2(header.contains(QStringLiteral("Low on stock: 1 of %1 SKUs (%2 or fewer available)")
                                     .arg(expected.items_size())
                                     .arg(threshold)),
                 qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("Open reservations: 1")), qPrintable(header));
        QVERIFY2(header.contains(QStringLiteral("hold their stock for %1")
                                     .arg(InventoryText::duration(expected.reservation_ttl_seconds()))),
                 qPrintable(header));
        QCOMPARE(InventoryText::duration(900), QStringLiteral("15 min"));
        QCOMPARE(InventoryText::duration(5400), QStringLiteral("1 h 30 min"));
        QCOMPARE(InventoryText::duration(45), QStringLiteral("45 s"));

        // Sorting by what is available puts the low SKU first; filters narrow the rows.
        shown->sort(StockModel::Available, Qt::AscendingOrder);
        QCOMPARE(cell(shown, 0, StockModel::Sku), skuText);
        shown->sort(StockModel::Available, Qt::DescendingOrder);
        QCOMPARE(cell(shown, shown->rowCount() - 1, StockModel::Sku), skuText);
        const QString category = QString::fromStdString(target.category());
        QVERIFY(page->categories().contains(category));
        int inCategory = 0;
        for (const v1::StockLevel &level : expected.items())
            inCategory += level.category() == target.category() ? 1 : 0;
        page->setCategoryFilter(category);
        QCOMPARE(shown->rowCount(), inCategory);
        for (int row = 0; row < shown->rowCount(); ++row)
            QCOMPARE(cell(shown, row, StockModel::Category), category);
        page->setCategoryFilter(QString());
        page->setTextFilter(skuText.toLower());
        QCOMPARE(shown->rowCount(), 1);
        page->setTextFilter(QStringLiteral("no such product"));
        QCOMPARE(shown->rowCount(), 0);
        QCOMPARE(page->emptyText(), QStringLiteral("No SKU matches the filter."));
        page->setTextFilter(QString());
        page->setLowOnly(true);
        QCOMPARE(shown->rowCount(), 1);
        QCOMPARE(cell(shown, 0, StockModel::Sku), skuText);
        page->setLowOnly(false);
        QCOMPARE(shown->rowCount(), expected.items_size());

        // The selected SKU's events, newest first, in words.
        QVERIFY(page->selectSku(skuText));
        QCOMPARE(page->selectedSku(), skuText);
        QTRY_VERIFY_WITH_TIMEOUT(page->eventCount() >= 5, 5000);
        QVERIFY2(page->eventsTitle().contains(skuText), qPrintable(page->eventsTitle()));
        const auto what = [page](int row) { return page->eventRow(row).value(1); };
        QCOMPARE(what(0), QStringLiteral("Sold: order %1 paid").arg(big.order_id()));
        QCOMPARE(what(1), QStringLiteral("Released: cancelled (order %1)").arg(small.order_id()));
        QVERIFY2(what(2).startsWith(QStringLiteral("Reserved by order %1, expires ").arg(small.order_id())),
                 qPrintable(what(2)));
        QCOMPARE(page->eventRow(2).value(2), number(2));
        QVERIFY2(what(3).startsWith(QStringLiteral("Reserved by order %1, expires ").arg(big.order_id())),
                 qPrintable(what(3)));
        QCOMPARE(what(page->eventCount() - 1), QStringLiteral("Received into stock"));
        const int eventsBefore = page->eventCount();

        // For a look at the page with a low SKU selected: FLYWHEEL_SCREENSHOT=/tmp/inventory.png.
        const QString screenshot = qEnvironmentVariable("FLYWHEEL_SCREENSHOT");
        if (!screenshot.isEmpty())
            QVERIFY(window.grab().save(screenshot));

        // Goods in through the page: the row, the header and the events follow.
        QSignalSpy finished(page, &InventoryPage::actionFinished);
        page->receiveStock(skuText, 100);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(page->messageText()));
        const int row = model->rowOf(skuText);
        QCOMPARE(cell(model, row, StockModel::Available), number(keep + 100));
        QCOMPARE(cell(model, row, StockModel::Received), number(target.received() + 100));
        QCOMPARE(model->index(row, StockModel::Sku).data(StockModel::LowRole).toBool(), false);
        QVERIFY(!model->index(row, StockModel::Available).data(Qt::BackgroundRole).isValid());
        QCOMPARE(cell(model, row, StockModel::Status), QString());
        QVERIFY2(page->messageText().startsWith(QStringLiteral("Received 100 × %1").arg(skuText)),
                 qPrintable(page->messageText()));
        QTRY_COMPARE_WITH_TIMEOUT(page->eventCount(), eventsBefore + 1, 5000);
        QCOMPARE(what(0), QStringLiteral("Received into stock"));
        QCOMPARE(page->eventRow(0).value(2), number(100));
        QTRY_VERIFY_WITH_TIMEOUT(page->headerText().contains(QStringLiteral("No SKU is low on stock")), 5000);
        QCOMPARE(page->selectedSku(), skuText); // the refresh kept the selection

        // Refusals are said in words, and nothing changes.
        page->receiveStock(skuText, 0);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QVERIFY2(page->messageText().startsWith(
                     QStringLiteral("Could not receive 0 × %1. The backend refused it: ").arg(skuText)),
                 qPrintable(page->messageText()));
        page->receiveStock(QStringLiteral("NOPE-1"), 5);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 5000);
        QCOMPARE(finished.at(2).at(0).toBool(), false);
        QVERIFY2(page->messageText().startsWith(QStringLiteral("Could not receive 5 × NOPE-1. The backend "
                                                               "refused it:")) &&
                     page->messageText().contains(QStringLiteral("NOPE-1\"")),
                 qPrintable(page->messageText()));
        QCOMPARE(cell(model, row, StockModel::Available), number(keep + 100));
        QVERIFY(page->problemText().isEmpty());
    }

    void namesAnUnreachableBackend()
    {
        // A backend that answered once and then went away: the last numbers stay, marked stale.
        QTemporaryDir dir;
        auto backend = test::startBackend(dir, "127.0.0.1:0");
        QVERIFY(backend->port() > 0);
        BackendConnection connection(QStringLiteral("test backend"));
        InventoryPage page(&connection);
        connection.setChannel(
            BackendConnection::createRemoteChannel(QStringLiteral("127.0.0.1:%1").arg(backend->port())));
        page.show();
        QTRY_VERIFY_WITH_TIMEOUT(page.stockModel()->rowCount() > 0, 10000);
        const int rows = page.stockModel()->rowCount();
        backend.reset();
        QTRY_VERIFY_WITH_TIMEOUT(!page.problemText().isEmpty(), 15000);
        QVERIFY2(page.problemText().startsWith(QStringLiteral("Could not load the stock levels. The backend")),
                 qPrintable(page.problemText()));
        QVERIFY2(page.problemText().contains(QStringLiteral("The table shows the stock as of")),
                 qPrintable(page.problemText()));
        QCOMPARE(page.stockModel()->rowCount(), rows);
        QCOMPARE(connection.state(), BackendConnection::State::Unreachable);

        QSignalSpy finished(&page, &InventoryPage::actionFinished);
        page.receiveStock(QStringLiteral("ELE-1001"), 5);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 15000);
        QCOMPARE(finished.at(0).at(0).toBool(), false);
        QVERIFY2(page.messageText().startsWith(QStringLiteral("Could not receive 5 × ELE-1001. The backend")),
                 qPrintable(page.messageText()));

        // Nothing was ever loaded: the page says so instead of showing an empty table.
        BackendConnection nowhere(QStringLiteral("nowhere"));
        InventoryPage empty(&nowhere);
        nowhere.setChannel(BackendConnection::createRemoteChannel(QStringLiteral("127.0.0.1:1")));
        empty.show();
        QTRY_VERIFY_WITH_TIMEOUT(!empty.problemText().isEmpty(), 15000);
        QVERIFY2(empty.problemText().contains(QStringLiteral("The backend is not reachable")),
                 qPrintable(empty.problemText()));
        QVERIFY2(empty.emptyText().contains(QStringLiteral("could not be loaded")), qPrintable(empty.emptyText()));
    }

    void saysWhenThereAreNoProducts()
    {
        QTemporaryDir dir;
        BackendOptions options;
        options.databasePath = dir.filePath(QStringLiteral("empty.sqlite")).toStdString();
        options.seedDemoData = false;
        auto backend = Backend::start(options);
        BackendConnection connection(QStringLiteral("test backend"));
        InventoryPage page(&connection);
        connection.setChannel(backend->inProcessChannel());
        page.show();
        QTRY_VERIFY_WITH_TIMEOUT(page.stock().has_value(), 5000);
        QCOMPARE(page.stockModel()->rowCount(), 0);
        QVERIFY2(page.emptyText().startsWith(QStringLiteral("There are no products in the catalogue")),
                 qPrintable(page.emptyText()));
        QVERIFY(page.problemText().isEmpty());
    }

    void describesEveryEvent()
    {
        const QDateTime now = QDateTime::currentDateTime();
        v1::InventoryEvent event;
        event.set_order_id(123);
        event.set_type(v1::INVENTORY_EVENT_TYPE_RESERVED);
        const QDateTime expires = QDateTime(now.date(), QTime(14, 5, 0));
        event.mutable_expires_at()->set_seconds(expires.toSecsSinceEpoch());
        QCOMPARE(InventoryText::describe(event, now), QStringLiteral("Reserved by order 123, expires 14:05:00"));
        event.mutable_expires_at()->set_seconds(expires.addDays(1).toSecsSinceEpoch());
        QCOMPARE(InventoryText::describe(event, now),
                 QStringLiteral("Reserved by order 123, expires %1 14:05:00")
                     .arg(expires.addDays(1).date().toString(QStringLiteral("yyyy-MM-dd"))));
        event.set_type(v1::INVENTORY_EVENT_TYPE_RELEASED);
        event.set_reason(v1::RELEASE_REASON_EXPIRED);
        QCOMPARE(InventoryText::describe(event, now), QStringLiteral("Released: expired (order 123)"));
        event.set_reason(v1::RELEASE_REASON_REFUNDED);
        QCOMPARE(InventoryText::describe(event, now), QStringLiteral("Released: refunded (order 123)"));
        event.set_type(v1::INVENTORY_EVENT_TYPE_CONFIRMED);
        QCOMPARE(InventoryText::describe(event, now), QStringLiteral("Sold: order 123 paid"));
        event.set_type(v1::INVENTORY_EVENT_TYPE_RECEIVED);
        QCOMPARE(InventoryText::describe(event, now), QStringLiteral("Received into stock"));
    }
};

QTEST_MAIN(TestInventoryPage)
#include "tst_inventorypage.moc"
