#pragma once

#include "flywheel/v1/catalog.pb.h"
#include "flywheel/v1/pricing.pb.h"

#include <QList>
#include <QString>
#include <QWidget>

#include <functional>
#include <utility>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class MessageBar;
class PricingClient;
class RulesModel;

/// The Pricing page's "Try a cart" tab: a customer and a cart of catalogue products,
/// priced by the backend with the live rules and with the rules the Rules tab shows (the
/// draft, or the rules in force), side by side. Nothing is ordered.
class CartTab final : public QWidget {
    Q_OBJECT

public:
    /// `rules` is the Rules tab's model; `showFailure` says why the backend refused a quote.
    CartTab(PricingClient *client, const RulesModel *rules, MessageBar *messages,
            std::function<void(const grpc::Status &)> showFailure, QWidget *parent = nullptr);

    /// The catalogue the cart's products are chosen from.
    void setProducts(const v1::ListProductsResponse &products);
    int productCount() const;
    /// The items (SKU, quantity) replace the cart's.
    void setCart(const QList<std::pair<QString, int>> &items, qint64 uid);
    void quoteCart();
    QString liveQuoteText() const;
    QString draftQuoteText() const;

Q_SIGNALS:
    /// After each answer to a quote, for tests and the status line.
    void actionFinished(bool ok);

private:
    void addCartRow(const QString &sku, int quantity);
    void onQuote(const v1::QuoteCartResponse &quote);
    QString productText(const v1::Product &product) const;

    PricingClient *m_client;
    const RulesModel *m_rules;
    MessageBar *m_messages;
    std::function<void(const grpc::Status &)> m_showFailure;
    v1::ListProductsResponse m_products;

    QTableWidget *m_cart;
    QSpinBox *m_uid;
    QPushButton *m_quoteButton;
    QLabel *m_liveQuote;
    QLabel *m_draftQuote;
};

} // namespace flywheel::ui
