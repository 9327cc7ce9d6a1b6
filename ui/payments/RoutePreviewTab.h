#pragma once

#include "flywheel/v1/payments.pb.h"

#include <QString>
#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTreeWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class PaymentClient;

/// Where an order of some amount and currency would go under the configuration being
/// edited (PreviewRoute with the draft), said as one translated sentence built from
/// the candidates, and each channel in the order it would be tried with why.
class RoutePreviewTab final : public QWidget {
    Q_OBJECT

public:
    using DraftSource = std::function<v1::ChannelConfig()>;
    enum Column { Channel, Eligible, Reason, SuccessRate, Fee, ColumnCount };

    explicit RoutePreviewTab(PaymentClient *client, QWidget *parent = nullptr);

    /// Where the configuration being edited comes from.
    void setDraftSource(DraftSource source) { m_draft = std::move(source); }
    QLineEdit *amountField() const { return m_amount; }
    QLineEdit *currencyField() const { return m_currency; }
    QPushButton *previewButton() const { return m_previewButton; }
    QTreeWidget *candidates() const { return m_candidates; }

    /// Asks the backend; false, with the sentence saying why, when the amount is not one.
    bool preview();
    /// The draft changed: an answer shown is for the old one.
    void markStale();
    /// Whether what is shown is not an answer for the draft as it is (never asked, or
    /// the draft changed since): the page previews again when the tab is opened.
    bool needsPreview() const { return !m_previewed || m_isStale; }
    QString sentence() const;
    QString candidateText(int row, Column column) const;

Q_SIGNALS:
    void previewFinished(bool ok);

private:
    void showDecision(const v1::RouteDecision &decision, const v1::Money &amount, const v1::ChannelConfig &config);
    void showError(const grpc::Status &status);

    PaymentClient *m_client;
    DraftSource m_draft;
    quint64 m_asked = 0;
    bool m_previewed = false;
    bool m_isStale = false;
    QLineEdit *m_amount;
    QLineEdit *m_currency;
    QPushButton *m_previewButton;
    QLabel *m_sentence;
    QLabel *m_stale;
    QTreeWidget *m_candidates;
};

} // namespace flywheel::ui
