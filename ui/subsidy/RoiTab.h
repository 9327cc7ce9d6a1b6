#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include <QMap>
#include <QString>
#include <QTimer>
#include <QWidget>

#include <optional>

class QComboBox;
class QGridLayout;
class QLabel;
class QProgressBar;
class QTableWidget;

namespace flywheel::ui {

class RoiChart;
class RoiCompareChart;
class RoiRateChart;

/// Budgets and ROI, live from StreamSubsidyRoi: per campaign a spend bar for the total
/// budget and one for today's (amber from 90 %, red and "used up" when exhausted), the
/// ROI per campaign and channel (issued, redeemed, redemption rate, ROA, p95 from issue
/// to redemption), the decisions by reason, and the order path's live P99 with whether
/// risky users are being down-weighted. Charts of the last hour, for every campaign and
/// channel or the one chosen: subsidy issued and redeemed and the redeemed orders' GMV
/// per minute, the cumulative redemption rate and ROA; and the ROA and redemption rate
/// of every campaign · channel row side by side.
class RoiTab final : public QWidget {
    Q_OBJECT

public:
    explicit RoiTab(QWidget *parent = nullptr);

    void setSnapshot(const v1::SubsidyRoiSnapshot &snapshot);
    /// The stream ended; it is reopened in `retryInSeconds`.
    void setInterrupted(const QString &why, int retryInSeconds, bool unimplemented);
    bool hasSnapshot() const { return m_latest.has_value(); }
    /// Draws what has arrived now rather than at the next redraw.
    void redraw();

    QString statusText() const;
    QString riskText() const;
    QString reasonsText() const;
    /// The text on a campaign's total (or today's) bar; null when there is no such campaign.
    QString budgetText(const QString &campaign, bool today) const;
    /// "", "at 90 %" or "used up …" beside a campaign's bars.
    QString budgetState(const QString &campaign) const;
    QProgressBar *budgetBar(const QString &campaign, bool today) const;
    QTableWidget *table() const { return m_table; }
    RoiChart *chart() const { return m_chart; }
    RoiRateChart *rateChart() const { return m_rateChart; }
    RoiCompareChart *roaComparison() const { return m_roaCompare; }
    RoiCompareChart *rateComparison() const { return m_rateCompare; }
    /// "All campaigns and channels", then each campaign · channel (of the table or the last
    /// hour's series), then "Other …" when the backend folded some together.
    QComboBox *seriesSelector() const { return m_selector; }
    /// Charts one campaign and channel; false when the selector does not offer it.
    bool selectSeries(const QString &campaign, const QString &channel);
    /// Charts every campaign and channel together.
    void selectAll();
    /// The ROI table's text for a campaign and channel; null when there is no such row.
    QString cell(const QString &campaign, const QString &channel, int column) const;

    enum Column {
        Campaign,
        Channel,
        Issued,
        IssuedAmount,
        Redeemed,
        RedeemedAmount,
        Released,
        RedemptionRate,
        Gmv,
        Roa,
        IssueToRedeemP95,
        ColumnCount
    };
    static constexpr int kRedrawMs = 250;

protected:
    void showEvent(QShowEvent *event) override;

private:
    struct Budget {
        QLabel *name;
        QProgressBar *total;
        QProgressBar *today;
        QLabel *state;
    };
    void fillBudgets(const v1::SubsidyRoiSnapshot &snapshot);
    void fillTable(const v1::SubsidyRoiSnapshot &snapshot);
    void fillSelector(const v1::SubsidyRoiSnapshot &snapshot);
    void drawCharts();

    QLabel *m_status;
    QLabel *m_risk;
    QLabel *m_reasons;
    QGridLayout *m_budgetGrid;
    QLabel *m_noBudgets;
    QMap<QString, Budget> m_budgets;
    QTableWidget *m_table;
    QComboBox *m_selector;
    RoiChart *m_chart;
    RoiRateChart *m_rateChart;
    RoiCompareChart *m_roaCompare;
    RoiCompareChart *m_rateCompare;
    std::optional<v1::SubsidyRoiSnapshot> m_latest;
    bool m_dirty = false;
    QTimer m_redrawTimer;
};

} // namespace flywheel::ui
