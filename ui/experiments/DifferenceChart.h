#pragma once

#include "flywheel/v1/experiments.pb.h"

#include <QList>
#include <QString>
#include <QWidget>

namespace flywheel::ui {

/// Each metric's difference of each variant against control with its confidence
/// interval, as a forest plot: one row per metric and variant, the interval as a bar
/// around the difference, a line at zero (no difference), and beside it the values in
/// words. Rows have their own scale (the metrics have different units); a significant
/// difference is drawn in colour and marked so, one that is not clear in grey. Says what
/// will appear while there is nothing to draw.
class DifferenceChart final : public QWidget {
    Q_OBJECT

public:
    explicit DifferenceChart(QWidget *parent = nullptr);

    void setResults(const v1::ExperimentResults &results);
    /// Draws nothing and says `message` instead.
    void showMessage(const QString &message);

    struct Row {
        QString variant;
        std::string metric;
        QString label;  ///< "Share rate · B vs A"
        QString values; ///< "significant · +1.20 pp (−0.40 pp to +2.10 pp) · p = 0.012"
        double difference = 0;
        double low = 0;
        double high = 0;
        bool significant = false;
        bool insufficient = false;
    };
    const QList<Row> &rows() const { return m_rows; }
    QString message() const { return m_message; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    static constexpr int kRowHeight = 26;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QList<Row> m_rows;
    QString m_message;
};

} // namespace flywheel::ui
