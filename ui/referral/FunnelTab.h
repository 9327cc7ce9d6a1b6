#pragma once

#include "flywheel/v1/referral.pb.h"

#include <QString>
#include <QTimer>
#include <QWidget>

#include <optional>

class QLabel;
class QTableWidget;

namespace flywheel::ui {

class FunnelChart;
class RefusalChart;

/// The invite funnel, live: a bar chart per campaign, a table per campaign and channel
/// with the step conversions, and the anti-fraud refusals by reason over the last hour.
/// Fed by the page's StreamFunnel snapshots; redraws at most every kRedrawMs, and only
/// while shown.
class FunnelTab final : public QWidget {
    Q_OBJECT

public:
    explicit FunnelTab(QWidget *parent = nullptr);

    void setSnapshot(const v1::FunnelSnapshot &snapshot);
    /// The stream ended; it is reopened in `retryInSeconds`.
    void setInterrupted(const QString &why, int retryInSeconds);

    FunnelChart *funnelChart() const { return m_funnel; }
    RefusalChart *refusalChart() const { return m_refusals; }
    QTableWidget *table() const { return m_table; }
    /// The table's text for a campaign and channel (empty channel: the campaign's total
    /// row, or its only row); null when there is no such row.
    QString cell(const QString &campaign, const QString &channel, int column) const;
    QString statusText() const;
    /// Draws what has arrived now rather than at the next redraw.
    void redraw();

    enum Column {
        Campaign,
        Channel,
        Shares,
        Clicks,
        Registrations,
        FirstOrders,
        ClickPerShare,
        RegisterPerClick,
        OrderPerRegister,
        ColumnCount
    };
    static constexpr int kRedrawMs = 250;

protected:
    void showEvent(QShowEvent *event) override;

private:
    void fillTable(const v1::FunnelSnapshot &snapshot);

    FunnelChart *m_funnel;
    RefusalChart *m_refusals;
    QTableWidget *m_table;
    QLabel *m_status;
    QLabel *m_emptyTable;
    std::optional<v1::FunnelSnapshot> m_latest;
    bool m_dirty = false;
    QTimer m_redrawTimer;
};

} // namespace flywheel::ui
