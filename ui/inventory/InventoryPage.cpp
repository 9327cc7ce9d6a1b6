#include "inventory/InventoryPage.h"

#include "client/BackendConnection.h"
#include "client/InventoryClient.h"
#include "common/MessageBar.h"
#include "common/PageHeader.h"
#include "common/TimeText.h"
#include "connection/EnvironmentPolicy.h"
#include "inventory/InventoryText.h"
#include "inventory/StockFilterModel.h"
#include "inventory/StockModel.h"

#include <grpcpp/support/status.h>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

namespace {

QString count(qint64 value)
{
    return QLocale().toString(value);
}

} // namespace

InventoryPage::InventoryPage(BackendConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(new InventoryClient(connection, this)),
      m_model(new StockModel(this)), m_filter(new StockFilterModel(this)), m_lowLabel(new QLabel(this)),
      m_separator(new QLabel(QStringLiteral("·"), this)), m_header(new PageHeader(tr("Inventory"), this)),
      m_message(new MessageBar(this)), m_receiveButton(new QPushButton(tr("Receive stock…"), this)),
      m_refreshButton(new QPushButton(tr("Refresh"), this)), m_categoryBox(new QComboBox(this)),
      m_search(new QLineEdit(this)), m_lowOnly(new QCheckBox(tr("Only SKUs low on stock"), this)),
      m_table(new QTableView(this)), m_empty(new QLabel(this)), m_eventsTitle(new QLabel(this)),
      m_events(new QTreeWidget(this))
{
    m_header->addToTitleRow(m_receiveButton);
    m_header->addToTitleRow(m_refreshButton);
    m_lowLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_header->addBeforeSummary(m_lowLabel);
    m_header->addBeforeSummary(m_separator);

    m_categoryBox->addItem(tr("All categories"), QString());
    m_categoryBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_search->setPlaceholderText(tr("Filter by SKU or name"));
    m_search->setClearButtonEnabled(true);
    auto *filters = new QHBoxLayout();
    filters->addWidget(new QLabel(tr("Category:"), this));
    filters->addWidget(m_categoryBox);
    filters->addSpacing(12);
    filters->addWidget(m_search, 1);
    filters->addSpacing(12);
    filters->addWidget(m_lowOnly);

    m_filter->setSourceModel(m_model);
    m_table->setModel(m_filter);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(StockModel::Sku, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(StockModel::Name, QHeaderView::Stretch);
    m_table->hide();
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);

    auto *stockPane = new QWidget(this);
    auto *stockLayout = new QVBoxLayout(stockPane);
    stockLayout->setContentsMargins(0, 0, 0, 0);
    stockLayout->addWidget(m_table, 1);
    stockLayout->addWidget(m_empty, 1);

    m_eventsTitle->setWordWrap(true);
    m_eventsTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_events->setRootIsDecorated(false);
    m_events->setHeaderLabels({tr("Time"), tr("What happened"), tr("Quantity")});
    m_events->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_events->header()->setStretchLastSection(false);
    auto *eventsPane = new QWidget(this);
    auto *eventsLayout = new QVBoxLayout(eventsPane);
    eventsLayout->setContentsMargins(0, 6, 0, 0);
    eventsLayout->addWidget(m_eventsTitle);
    eventsLayout->addWidget(m_events, 1);

    // The table needs the width for its eight columns; the events go underneath.
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(stockPane);
    splitter->addWidget(eventsPane);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({600, 400}); // in proportion, whether or not the table is shown yet
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(m_message);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);

    connect(m_refreshButton, &QPushButton::clicked, this, &InventoryPage::refresh);
    connect(m_receiveButton, &QPushButton::clicked, this, &InventoryPage::askReceive);
    connect(m_categoryBox, &QComboBox::currentIndexChanged, this, [this] {
        m_filter->setCategory(m_categoryBox->currentData().toString());
        updateEmptyState();
    });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_filter->setText(text);
        updateEmptyState();
    });
    connect(m_lowOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_filter->setLowOnly(on);
        updateEmptyState();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &InventoryPage::onSelectionChanged);
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &InventoryPage::refresh);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (isVisible())
            refresh();
        updateEmptyState();
        updateActions();
    });

    m_separator->hide(); // until there is something on both sides
    m_eventsTitle->setText(tr("Select a SKU to see its recent inventory events."));
    updateEmptyState();
    updateActions();
    EnvironmentPolicy::watch(this, [this] { updateActions(); });
}

InventoryPage::~InventoryPage() = default;

void InventoryPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    m_refreshTimer.start();
}

void InventoryPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refreshTimer.stop(); // nobody is looking: no need to ask the backend
}

void InventoryPage::refresh()
{
    if (!m_client->hasChannel())
        return;
    loadEvents();
    if (m_refreshing)
        return;
    m_refreshing = true;
    m_client->listStock([this](const grpc::Status &status, const v1::ListStockResponse &response) {
        m_refreshing = false;
        if (status.ok())
            onStock(response);
        else
            onStockFailed(status);
    });
}

void InventoryPage::onStock(const v1::ListStockResponse &response)
{
    const bool first = !m_stock;
    m_stock = response;
    m_header->clearProblem();
    m_model->setLevels({response.items().begin(), response.items().end()}, response.low_stock_threshold());
    updateCategories();

    const int low = m_model->lowCount();
    const QString threshold = count(response.low_stock_threshold());
    if (m_model->rowCount() == 0) {
        m_lowLabel->setText(tr("No products"));
        m_lowLabel->setStyleSheet(QString());
    } else if (low == 0) {
        m_lowLabel->setText(tr("No SKU is low on stock (low: %1 or fewer available)").arg(threshold));
        m_lowLabel->setStyleSheet(QStringLiteral("color: #1a7f37;"));
    } else {
        m_lowLabel->setText(tr("Low on stock: %1 of %2 SKUs (%3 or fewer available)")
                                .arg(count(low), count(m_model->rowCount()), threshold));
        m_lowLabel->setStyleSheet(QStringLiteral("color: #cf222e; font-weight: bold;"));
    }
    m_separator->show();
    m_header->setSummary(tr("Open reservations: %1 · Unpaid orders hold their stock for %2 · As of %3")
                             .arg(count(response.open_reservations()),
                                  InventoryText::duration(response.reservation_ttl_seconds()),
                                  TimeText::clockTime(response.as_of(), QDateTime::currentDateTime())));

    // A new set of SKUs resets the model, and with it the selection: select the SKU again.
    if (!m_selectedSku.isEmpty() && m_table->selectionModel()->selectedRows().isEmpty() && !selectSku(m_selectedSku)) {
        m_selectedSku.clear();
        m_eventSeqs.clear();
        m_events->clear();
        m_eventsTitle->setText(tr("Select a SKU to see its recent inventory events."));
    }
    updateEmptyState();
    updateActions();
    if (first)
        Q_EMIT firstDataShown();
}

void InventoryPage::onStockFailed(const grpc::Status &status)
{
    const QString why = BackendConnection::explain(status);
    if (m_stock) {
        m_header->showProblem(
            tr("Could not load the stock levels. %1 The table shows the stock as of %2; the page tries "
               "again every %3 s.")
                .arg(why, TimeText::timestamp(m_stock->as_of()))
                .arg(kRefreshMs / 1000));
    } else {
        m_header->showProblem(
            tr("Could not load the stock levels. %1 The page tries again every %2 s.").arg(why).arg(kRefreshMs / 1000));
    }
    updateEmptyState();
}

void InventoryPage::updateCategories()
{
    QStringList categories;
    for (const v1::StockLevel &level : m_model->levels())
        categories.append(QString::fromStdString(level.category()));
    categories.removeDuplicates();
    categories.sort(Qt::CaseInsensitive);
    if (categories == this->categories())
        return;
    const QString current = m_categoryBox->currentData().toString();
    {
        const QSignalBlocker blocker(m_categoryBox);
        while (m_categoryBox->count() > 1)
            m_categoryBox->removeItem(1);
        for (const QString &category : categories)
            m_categoryBox->addItem(category, category);
        m_categoryBox->setCurrentIndex(std::max(0, m_categoryBox->findData(current)));
    }
    m_filter->setCategory(m_categoryBox->currentData().toString());
}

QStringList InventoryPage::categories() const
{
    QStringList categories;
    for (int i = 1; i < m_categoryBox->count(); ++i)
        categories.append(m_categoryBox->itemData(i).toString());
    return categories;
}

void InventoryPage::setCategoryFilter(const QString &category)
{
    const int index = m_categoryBox->findData(category);
    if (index >= 0)
        m_categoryBox->setCurrentIndex(index);
}

void InventoryPage::setTextFilter(const QString &text)
{
    m_search->setText(text);
}

void InventoryPage::setLowOnly(bool lowOnly)
{
    m_lowOnly->setChecked(lowOnly);
}

void InventoryPage::updateEmptyState()
{
    QString text;
    if (!m_stock) {
        if (!m_client->hasChannel())
            text = tr("Waiting for the backend…");
        else if (m_header->problem().isEmpty())
            text = tr("Loading the stock levels…");
        else
            text = tr("No stock levels to show: they could not be loaded (see above).");
    } else if (m_model->rowCount() == 0) {
        text = tr("There are no products in the catalogue, so there is no stock to show. Products appear here as "
                  "soon as the catalogue has them.");
    } else if (m_filter->rowCount() == 0) {
        text = tr("No SKU matches the filter.");
    }
    m_empty->setText(text);
    m_empty->setVisible(!text.isEmpty());
    m_table->setVisible(m_stock.has_value() && m_model->rowCount() > 0);
}

QString InventoryPage::emptyText() const
{
    return m_empty->isHidden() ? QString() : m_empty->text();
}

bool InventoryPage::selectSku(const QString &sku)
{
    const int sourceRow = m_model->rowOf(sku);
    if (sourceRow < 0)
        return false;
    const QModelIndex index = m_filter->mapFromSource(m_model->index(sourceRow, 0));
    if (!index.isValid())
        return false;
    m_table->selectRow(index.row());
    m_table->scrollTo(index);
    return true;
}

void InventoryPage::onSelectionChanged()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const QString sku = rows.isEmpty() ? QString() : rows.first().data(StockModel::SkuRole).toString();
    if (sku == m_selectedSku)
        return;
    m_selectedSku = sku;
    m_eventSeqs.clear();
    m_events->clear();
    m_eventsTitle->setText(sku.isEmpty() ? tr("Select a SKU to see its recent inventory events.")
                                         : tr("Loading the events of %1…").arg(sku));
    loadEvents();
    updateActions();
}

void InventoryPage::loadEvents()
{
    if (m_selectedSku.isEmpty() || !m_client->hasChannel())
        return;
    if (m_loadingEvents) {
        m_reloadEvents = true; // the answer on its way may be older than what is wanted now
        return;
    }
    m_loadingEvents = true;
    m_reloadEvents = false;
    const QString sku = m_selectedSku;
    m_client->listEvents(
        sku, kEventLimit, [this, sku](const grpc::Status &status, const v1::ListInventoryEventsResponse &response) {
            m_loadingEvents = false;
            if (sku != m_selectedSku || m_reloadEvents) {
                loadEvents();
                return;
            }
            if (!status.ok()) {
                m_eventsTitle->setText(
                    tr("Could not load the events of %1. %2").arg(sku, BackendConnection::explain(status)));
                return;
            }
            showEvents(sku, response);
        });
}

void InventoryPage::showEvents(const QString &sku, const v1::ListInventoryEventsResponse &response)
{
    const int row = m_model->rowOf(sku);
    const QString name =
        row >= 0 ? QString::fromStdString(m_model->levels()[static_cast<std::size_t>(row)].name()) : QString();
    if (response.events_size() == 0)
        m_eventsTitle->setText(tr("%1 (%2) has no inventory events yet.").arg(sku, name));
    else
        m_eventsTitle->setText(tr("Recent events of %1 (%2), newest first:").arg(sku, name));

    std::vector<qint64> seqs;
    for (const v1::InventoryEvent &event : response.events())
        seqs.push_back(event.seq());
    if (seqs == m_eventSeqs)
        return; // unchanged: keep the operator's scroll position
    m_eventSeqs = std::move(seqs);
    m_events->clear();
    const QDateTime now = QDateTime::currentDateTime();
    for (const v1::InventoryEvent &event : response.events()) {
        auto *item = new QTreeWidgetItem(
            m_events, {TimeText::timestamp(event.at()), InventoryText::describe(event, now), count(event.quantity())});
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
        item->setData(0, Qt::UserRole, static_cast<qlonglong>(event.seq()));
    }
}

int InventoryPage::eventCount() const
{
    return m_events->topLevelItemCount();
}

QStringList InventoryPage::eventRow(int row) const
{
    const QTreeWidgetItem *item = m_events->topLevelItem(row);
    if (item == nullptr)
        return {};
    QStringList cells;
    for (int column = 0; column < m_events->columnCount(); ++column)
        cells.append(item->text(column));
    return cells;
}

QString InventoryPage::eventsTitle() const
{
    return m_eventsTitle->text();
}

void InventoryPage::updateActions()
{
    const bool selected = !m_selectedSku.isEmpty();
    m_receiveButton->setEnabled(selected && m_client->hasChannel() && !m_receiving &&
                                EnvironmentPolicy::allowsEditing(this));
    m_refreshButton->setEnabled(m_client->hasChannel());
    const QString blocked = EnvironmentPolicy::editingBlockedText(this);
    m_receiveButton->setToolTip(!blocked.isEmpty() ? blocked
                                : selected ? tr("Record goods in for %1: adds available stock.").arg(m_selectedSku)
                                           : tr("Select a SKU first."));
}

void InventoryPage::askReceive()
{
    const int row = m_model->rowOf(m_selectedSku);
    if (row < 0)
        return;
    // Not a versioned save, so not through ReasonDialog: ask the environment here.
    if (EnvironmentPolicy *policy = EnvironmentPolicy::of(this);
        policy && !policy->confirmSave(this, tr("Receive stock")))
        return;
    const v1::StockLevel &level = m_model->levels()[static_cast<std::size_t>(row)];
    bool ok = false;
    const int quantity = QInputDialog::getInt(
        this, tr("Receive stock"),
        tr("How many units of %1 (%2) arrived? Available now: %3.\nFrom 1 to %4 units at a time.")
            .arg(m_selectedSku, QString::fromStdString(level.name()), count(level.available()), count(kMaxReceipt)),
        1, 1, kMaxReceipt, 1, &ok);
    if (ok)
        receiveStock(m_selectedSku, quantity);
}

void InventoryPage::receiveStock(const QString &sku, qint64 quantity)
{
    m_receiving = true;
    updateActions();
    m_client->receiveStock(
        sku, quantity, [this, sku, quantity](const grpc::Status &status, const v1::StockLevel &level) {
            m_receiving = false;
            updateActions();
            if (!status.ok()) {
                m_message->showMessage(
                    tr("Could not receive %1 × %2. %3").arg(count(quantity), sku, describeRefusal(status)), true);
                Q_EMIT actionFinished(false);
                return;
            }
            m_model->updateLevel(level);
            m_message->showMessage(
                tr("Received %1 × %2 (%3): %4 available now.")
                    .arg(count(quantity), sku, QString::fromStdString(level.name()), count(level.available())),
                false);
            if (sku == m_selectedSku)
                loadEvents();
            refresh(); // the low-stock count and the header
            Q_EMIT actionFinished(true);
        });
}

QString InventoryPage::describeRefusal(const grpc::Status &status)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
    case grpc::StatusCode::OUT_OF_RANGE:
        return tr("The backend refused it: %1.").arg(detail);
    case grpc::StatusCode::DEADLINE_EXCEEDED:
        return BackendConnection::explain(status) + u' ' +
               tr("The stock may have been received all the same: check the SKU's events before trying again.");
    default:
        return BackendConnection::explain(status);
    }
}

QString InventoryPage::headerText() const
{
    return m_header->summary().isEmpty() ? QString() : m_lowLabel->text() + QStringLiteral(" · ") + m_header->summary();
}

QString InventoryPage::problemText() const
{
    return m_header->problem();
}

QString InventoryPage::messageText() const
{
    return m_message->text();
}

} // namespace flywheel::ui
