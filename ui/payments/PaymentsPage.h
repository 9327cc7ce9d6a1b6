#pragma once

#include "flywheel/v1/payments.pb.h"

#include <QString>
#include <QTimer>
#include <QWidget>

class QPushButton;
class QTabWidget;

namespace flywheel::ui {

class BackendConnection;
class ChannelsTab;
class OrderLookupTab;
class PageHeader;
class PaymentClient;
class PerformanceTab;
class RefusedTab;
class RoutePreviewTab;

/// Payment channels: the channels with their routing settings and credential status
/// (admins edit, others read), a routing preview on the configuration being edited,
/// each channel's success rate, latency and volume live, the notifications refused,
/// and one order's payments and refunds with a refund for operators. Refreshes every
/// few seconds and keeps the statistics stream open while shown; every call is
/// asynchronous. A backend without payment channels is said so.
class PaymentsPage final : public QWidget {
    Q_OBJECT

public:
    explicit PaymentsPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~PaymentsPage() override;

    static constexpr int kRefreshMs = 5000;
    enum Tab { Channels, Preview, Performance, Refused, Orders };

    void refresh();
    void showTab(Tab tab);

    ChannelsTab *channelsTab() const { return m_channels; }
    RoutePreviewTab *previewTab() const { return m_preview; }
    PerformanceTab *performanceTab() const { return m_performance; }
    RefusedTab *refusedTab() const { return m_refused; }
    OrderLookupTab *ordersTab() const { return m_orders; }
    PaymentClient *client() const { return m_client; }

    QString headerText() const;
    QString problemText() const;
    /// True once the page shows its first answer, also that the backend has no payment channels.
    bool hasData() const { return m_loaded; }
    bool isUnimplemented() const { return m_unimplemented; }

Q_SIGNALS:
    void firstDataShown();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onConfig(const v1::ChannelConfigVersion &version);
    void onLoadFailed(const QString &why, bool unimplemented);
    void markLoaded();

    BackendConnection *m_connection;
    PaymentClient *m_client;
    QTimer m_refreshTimer;
    bool m_loaded = false;
    bool m_hasConfig = false;
    bool m_unimplemented = false;

    PageHeader *m_header;
    QPushButton *m_refreshButton;
    QTabWidget *m_tabs;
    ChannelsTab *m_channels;
    RoutePreviewTab *m_preview;
    PerformanceTab *m_performance;
    RefusedTab *m_refused;
    OrderLookupTab *m_orders;
};

} // namespace flywheel::ui
