#include "pricing/CartTab.h"

#include "client/PricingClient.h"
#include "common/Format.h"
#include "common/MessageBar.h"
#include "pricing/RulesModel.h"
#include "pricing/RuleText.h"

#include <grpcpp/support/status.h>

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

namespace {

QString money(qint64 minor)
{
    return formatMoney(minor, QString::fromLatin1(RuleText::kCurrency));
}

QString quoteText(const v1::CartQuote &quote)
{
    QString html = QStringLiteral("<table cellspacing=\"4\">");
    const auto row = [&html](const QString &label, const QString &value, bool bold) {
        const QString open = bold ? QStringLiteral("<b>") : QString();
        const QString close = bold ? QStringLiteral("</b>") : QString();
        html += QStringLiteral("<tr><td>%1%2%3</td><td align=\"right\">%1%4%3</td></tr>")
                    .arg(open, label.toHtmlEscaped(), close, value.toHtmlEscaped());
    };
    row(CartTab::tr("List price"), money(quote.list_total_minor()), false);
    for (const v1::PriceAdjustment &adjustment : quote.adjustments())
        row(CartTab::tr("%1 (%2)").arg(QString::fromStdString(adjustment.rule_name()),
                                       QString::fromStdString(adjustment.rule_id())),
            money(adjustment.amount_minor()), false);
    if (quote.adjustments_size() == 0)
        row(CartTab::tr("No rule applies"), QString(), false);
    row(CartTab::tr("Total"), money(quote.total_minor()), true);
    html += QStringLiteral("</table>");
    return html;
}

} // namespace

CartTab::CartTab(PricingClient *client, const RulesModel *rules, MessageBar *messages,
                 std::function<void(const grpc::Status &)> showFailure, QWidget *parent)
    : QWidget(parent), m_client(client), m_rules(rules), m_messages(messages), m_showFailure(std::move(showFailure))
{
    QWidget *tab = this;
    m_cart = new QTableWidget(0, 2, tab);
    m_cart->setHorizontalHeaderLabels({tr("Product"), tr("Quantity")});
    m_cart->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_cart->verticalHeader()->hide();
    m_uid = new QSpinBox(tab);
    m_uid->setRange(1, 999999999);
    m_uid->setValue(100001);
    auto *add = new QPushButton(tr("Add item"), tab);
    auto *remove = new QPushButton(tr("Remove item"), tab);
    m_quoteButton = new QPushButton(tr("Quote"), tab);
    m_quoteButton->setDefault(true);

    auto *form = new QFormLayout();
    form->addRow(tr("Customer (uid):"), m_uid);
    auto *buttons = new QHBoxLayout();
    buttons->addWidget(add);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    buttons->addWidget(m_quoteButton);

    auto *left = new QVBoxLayout();
    left->addLayout(form);
    left->addWidget(m_cart, 1);
    left->addLayout(buttons);

    auto makeResult = [tab](const QString &title, QLabel **label) {
        auto *box = new QGroupBox(title, tab);
        *label = new QLabel(box);
        (*label)->setAlignment(Qt::AlignTop | Qt::AlignLeft);
        (*label)->setTextInteractionFlags(Qt::TextSelectableByMouse);
        (*label)->setWordWrap(true);
        auto *boxLayout = new QVBoxLayout(box);
        boxLayout->addWidget(*label, 1);
        return box;
    };
    auto *results = new QHBoxLayout();
    results->addWidget(makeResult(tr("Live rules"), &m_liveQuote), 1);
    results->addWidget(makeResult(tr("Draft rules"), &m_draftQuote), 1);
    auto *note = new QLabel(tr("The draft is the rule set shown on the Rules tab; the cart is only priced, "
                               "no order is placed."),
                            tab);
    note->setWordWrap(true);
    auto *right = new QVBoxLayout();
    right->addLayout(results, 1);
    right->addWidget(note);

    auto *layout = new QHBoxLayout(tab);
    layout->addLayout(left, 2);
    layout->addLayout(right, 3);

    connect(add, &QPushButton::clicked, this, [this] { addCartRow(QString(), 1); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_cart->currentRow() >= 0 ? m_cart->currentRow() : m_cart->rowCount() - 1;
        if (row >= 0)
            m_cart->removeRow(row);
    });
    connect(m_quoteButton, &QPushButton::clicked, this, &CartTab::quoteCart);
}

void CartTab::setProducts(const v1::ListProductsResponse &products)
{
    m_products = products;
    for (int row = 0; row < m_cart->rowCount(); ++row) {
        auto *combo = qobject_cast<QComboBox *>(m_cart->cellWidget(row, 0));
        const QString sku = combo->currentData().toString();
        combo->clear();
        for (const v1::Product &product : m_products.products())
            combo->addItem(productText(product), QString::fromStdString(product.sku()));
        combo->setCurrentIndex(std::max(0, combo->findData(sku)));
    }
    if (m_cart->rowCount() == 0 && products.products_size() > 0)
        addCartRow(QString(), 1);
}

int CartTab::productCount() const
{
    return m_products.products_size();
}

void CartTab::addCartRow(const QString &sku, int quantity)
{
    const int row = m_cart->rowCount();
    m_cart->insertRow(row);
    auto *combo = new QComboBox(m_cart);
    for (const v1::Product &product : m_products.products())
        combo->addItem(productText(product), QString::fromStdString(product.sku()));
    if (!sku.isEmpty()) {
        if (combo->findData(sku) < 0)
            combo->addItem(sku, sku); // not in the catalogue: the backend will say so
        combo->setCurrentIndex(combo->findData(sku));
    }
    auto *spin = new QSpinBox(m_cart);
    spin->setRange(1, 10000);
    spin->setValue(quantity);
    m_cart->setCellWidget(row, 0, combo);
    m_cart->setCellWidget(row, 1, spin);
}

void CartTab::setCart(const QList<std::pair<QString, int>> &items, qint64 uid)
{
    m_cart->setRowCount(0);
    for (const auto &[sku, quantity] : items)
        addCartRow(sku, quantity);
    m_uid->setValue(static_cast<int>(uid));
}

void CartTab::quoteCart()
{
    v1::QuoteCartRequest request;
    request.set_uid(m_uid->value());
    for (int row = 0; row < m_cart->rowCount(); ++row) {
        const auto *combo = qobject_cast<QComboBox *>(m_cart->cellWidget(row, 0));
        const auto *spin = qobject_cast<QSpinBox *>(m_cart->cellWidget(row, 1));
        const QString sku = combo->currentData().toString();
        if (sku.isEmpty())
            continue;
        v1::OrderItem *item = request.add_items();
        item->set_sku(sku.toStdString());
        item->set_quantity(spin->value());
    }
    if (request.items_size() == 0) {
        m_messages->showMessage(tr("Add at least one product to the cart."), true);
        Q_EMIT actionFinished(false);
        return;
    }
    for (const v1::PricingRule &rule : m_rules->rules())
        *request.add_draft_rules() = rule;
    m_quoteButton->setEnabled(false);
    m_client->quoteCart(request, [this](const grpc::Status &status, const v1::QuoteCartResponse &quote) {
        m_quoteButton->setEnabled(true);
        if (!status.ok()) {
            m_showFailure(status);
            Q_EMIT actionFinished(false);
            return;
        }
        onQuote(quote);
        Q_EMIT actionFinished(true);
    });
}

void CartTab::onQuote(const v1::QuoteCartResponse &quote)
{
    m_liveQuote->setText(
        quoteText(quote.live()) +
        QStringLiteral("<p>%1</p>")
            .arg(tr("Priced with version %1, as an order would be now.").arg(quote.live_version()).toHtmlEscaped()));
    m_draftQuote->setText(quoteText(quote.draft()));
    const qint64 difference = quote.draft().total_minor() - quote.live().total_minor();
    QString text = tr("The draft charges the same as the live rules for this cart.");
    if (difference < 0)
        text = tr("The draft charges %1 less than the live rules for this cart.").arg(money(-difference));
    else if (difference > 0)
        text = tr("The draft charges %1 more than the live rules for this cart.").arg(money(difference));
    m_messages->showMessage(text, false);
}

QString CartTab::liveQuoteText() const
{
    return m_liveQuote->text();
}

QString CartTab::draftQuoteText() const
{
    return m_draftQuote->text();
}

QString CartTab::productText(const v1::Product &product) const
{
    return tr("%1 — %2 (%3)")
        .arg(QString::fromStdString(product.sku()), QString::fromStdString(product.name()),
             money(product.list_price().minor_units()));
}

} // namespace flywheel::ui
