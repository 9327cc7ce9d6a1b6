#pragma once

#include "flywheel/v1/inventory.pb.h"

#include <QString>
#include <QStringList>
#include <QTimer>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTreeWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class PageHeader;
class MessageBar;
class BackendConnection;
class InventoryClient;
class StockFilterModel;
class StockModel;

/// Stock per SKU: available, reserved, sold and received, low-stock SKUs highlighted,
/// filtered by category or text; the recent inventory events of the selected SKU; and
/// goods in ("Receive stock…"). Refreshes itself every 2 s while it is shown; every
/// call is asynchronous, and a failed one is named in the page.
class InventoryPage final : public QWidget {
    Q_OBJECT

public:
    explicit InventoryPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~InventoryPage() override;

    static constexpr int kRefreshMs = 2000;
    static constexpr int kEventLimit = 50;
    /// The most units one receipt may add (the backend's limit too).
    static constexpr int kMaxReceipt = 1000000;

    /// Asks the backend for the stock levels (and the selected SKU's events) now.
    void refresh();

    StockModel *stockModel() const { return m_model; }
    /// The rows as shown: filtered and sorted.
    StockFilterModel *filterModel() const { return m_filter; }
    /// The latest ListStock answer, if any.
    const std::optional<v1::ListStockResponse> &stock() const { return m_stock; }
    /// True once the page shows its first data (what a screenshot waits for).
    bool hasData() const { return m_stock.has_value(); }

    /// The low-stock count, open reservations, reservation time and "as of".
    QString headerText() const;
    /// Why the stock could not be loaded; empty when the last refresh worked.
    QString problemText() const;
    /// The latest outcome of an operator's action, or why it failed.
    QString messageText() const;
    /// What stands in for the table when there is nothing to show; empty otherwise.
    QString emptyText() const;

    /// Empty for every category.
    void setCategoryFilter(const QString &category);
    void setTextFilter(const QString &text);
    void setLowOnly(bool lowOnly);
    /// The categories offered by the filter, without "All categories".
    QStringList categories() const;

    /// False when the SKU is not shown (unknown or filtered out).
    bool selectSku(const QString &sku);
    QString selectedSku() const { return m_selectedSku; }
    /// The selected SKU's events, newest first: time, what happened, quantity.
    int eventCount() const;
    QStringList eventRow(int row) const;
    QString eventsTitle() const;

    /// Goods in without asking (the button asks for the quantity first).
    void receiveStock(const QString &sku, qint64 quantity);

Q_SIGNALS:
    /// After each answer to an operator's action, for tests and the status line.
    void actionFinished(bool ok);
    /// The page shows its first data.
    void firstDataShown();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onStock(const v1::ListStockResponse &response);
    void onStockFailed(const grpc::Status &status);
    void onSelectionChanged();
    void loadEvents();
    void showEvents(const QString &sku, const v1::ListInventoryEventsResponse &response);
    void updateCategories();
    void updateEmptyState();
    void updateActions();
    void askReceive();
    static QString describeRefusal(const grpc::Status &status);

    BackendConnection *m_connection;
    InventoryClient *m_client;
    StockModel *m_model;
    StockFilterModel *m_filter;
    QTimer m_refreshTimer;
    bool m_refreshing = false;
    bool m_loadingEvents = false;
    /// The events changed while they were being loaded: load them again.
    bool m_reloadEvents = false;
    bool m_receiving = false;
    std::optional<v1::ListStockResponse> m_stock;
    QString m_selectedSku;
    /// Sequence numbers of the events shown, to redraw only when they change.
    std::vector<qint64> m_eventSeqs;

    QLabel *m_lowLabel;
    QLabel *m_separator;
    PageHeader *m_header;
    MessageBar *m_message;
    QPushButton *m_receiveButton;
    QPushButton *m_refreshButton;
    QComboBox *m_categoryBox;
    QLineEdit *m_search;
    QCheckBox *m_lowOnly;
    QTableView *m_table;
    QLabel *m_empty;
    QLabel *m_eventsTitle;
    QTreeWidget *m_events;
};

} // namespace flywheel::ui
