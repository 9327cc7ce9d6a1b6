#include "payments/RoutePreviewTab.h"

#include "client/BackendConnection.h"
#include "client/PaymentClient.h"
#include "common/Decimal.h"
#include "common/Format.h"
#include "payments/ChannelText.h"
#include "payments/PaymentText.h"

#include <grpcpp/support/status.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

RoutePreviewTab::RoutePreviewTab(PaymentClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_amount(new QLineEdit(this)), m_currency(new QLineEdit(this)),
      m_previewButton(new QPushButton(tr("Where would it go?"), this)), m_sentence(new QLabel(this)),
      m_stale(new QLabel(this)), m_candidates(new QTreeWidget(this))
{
    m_amount->setPlaceholderText(tr("e.g. 1280.00"));
    m_amount->setText(QStringLiteral("1280.00"));
    m_currency->setText(QStringLiteral("CNY"));
    m_currency->setMaxLength(3);
    m_currency->setMaximumWidth(80);
    m_sentence->setWordWrap(true);
    m_sentence->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont font = m_sentence->font();
    font.setPointSizeF(font.pointSizeF() * 1.15);
    m_sentence->setFont(font);
    m_sentence->setText(tr("Type an amount and a currency: the preview uses the channels as edited on the Channels "
                           "tab, saved or not."));
    m_stale->setStyleSheet(QStringLiteral("color: #9a6700;"));
    m_stale->hide();
    m_candidates->setRootIsDecorated(false);
    m_candidates->setHeaderLabels(
        {tr("Channel (in the order tried)"), tr("Eligible"), tr("Why"), tr("Recent success rate"), tr("Fee")});
    m_candidates->header()->setSectionResizeMode(Reason, QHeaderView::Stretch);
    m_candidates->header()->setStretchLastSection(false);

    auto *row = new QHBoxLayout();
    row->addWidget(new QLabel(tr("An order of"), this));
    row->addWidget(m_amount);
    row->addWidget(new QLabel(tr("in"), this));
    row->addWidget(m_currency);
    row->addWidget(m_previewButton);
    row->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_sentence);
    layout->addWidget(m_stale);
    layout->addWidget(m_candidates, 1);

    connect(m_previewButton, &QPushButton::clicked, this, &RoutePreviewTab::preview);
    connect(m_amount, &QLineEdit::returnPressed, this, &RoutePreviewTab::preview);
    connect(m_currency, &QLineEdit::returnPressed, this, &RoutePreviewTab::preview);
}

bool RoutePreviewTab::preview()
{
    qint64 minor = 0;
    if (!parseDecimal(m_amount->text().trimmed(), &minor)) {
        m_sentence->setText(tr("Type the amount as a number such as 1280.00."));
        return false;
    }
    static const QRegularExpression currencyPattern(QStringLiteral("^[A-Z]{3}$"));
    const QString currency = m_currency->text().trimmed().toUpper();
    if (!currencyPattern.match(currency).hasMatch()) {
        m_sentence->setText(tr("Type the currency as a three-letter code such as CNY."));
        return false;
    }
    v1::PreviewRouteRequest request;
    request.mutable_amount()->set_minor_units(minor);
    request.mutable_amount()->set_currency(currency.toStdString());
    if (m_draft)
        *request.mutable_config() = m_draft();
    const quint64 asked = ++m_asked;
    m_previewButton->setEnabled(false);
    m_client->previewRoute(request, [this, asked, request](const grpc::Status &status,
                                                           const v1::RouteDecision &decision) {
        if (asked != m_asked)
            return; // a newer preview was asked for
        m_previewButton->setEnabled(true);
        m_stale->hide();
        m_previewed = true;
        m_isStale = false;
        if (!status.ok()) {
            showError(status);
            Q_EMIT previewFinished(false);
            return;
        }
        showDecision(decision, request.amount(), request.config());
        Q_EMIT previewFinished(true);
    });
    return true;
}

void RoutePreviewTab::showDecision(const v1::RouteDecision &decision, const v1::Money &amount,
                                   const v1::ChannelConfig &config)
{
    m_sentence->setText(PaymentText::routeSentence(decision, amount, config));
    m_sentence->setStyleSheet(decision.channel_id().empty() ? QStringLiteral("color: #cf222e;") : QString());
    m_candidates->clear();
    const QString currency = QString::fromStdString(amount.currency());
    for (const v1::RouteCandidate &candidate : decision.candidates()) {
        const v1::Channel *channel = PaymentText::findChannel(config, candidate.channel_id());
        auto *item = new QTreeWidgetItem(m_candidates);
        const QString id = QString::fromStdString(candidate.channel_id());
        item->setText(Channel, channel ? QStringLiteral("%1 · %2").arg(id, PaymentText::providerName(channel->provider()))
                                       : id);
        item->setText(Eligible, candidate.eligible() ? tr("yes") : tr("no"));
        item->setText(Reason, PaymentText::candidateReason(candidate, config, currency));
        item->setToolTip(Reason, QString::fromStdString(candidate.reason()));
        item->setText(SuccessRate, candidate.success_rate_bp() < 0 ? tr("too few payments")
                                                                    : PaymentText::basisPoints(candidate.success_rate_bp()));
        item->setText(Fee, candidate.eligible() ? formatMoney(candidate.fee_minor(), currency) : QStringLiteral("—"));
        if (candidate.channel_id() == decision.channel_id()) {
            QFont bold = item->font(0);
            bold.setBold(true);
            for (int column = 0; column < ColumnCount; ++column)
                item->setFont(column, bold);
        } else if (!candidate.eligible()) {
            for (int column = 0; column < ColumnCount; ++column)
                item->setForeground(column, QColor(0x6e, 0x77, 0x81));
        }
    }
    for (int column = 0; column < ColumnCount; ++column)
        m_candidates->resizeColumnToContents(column);
}

void RoutePreviewTab::showError(const grpc::Status &status)
{
    m_candidates->clear();
    m_sentence->setStyleSheet(QStringLiteral("color: #cf222e;"));
    switch (status.error_code()) {
    case grpc::StatusCode::UNIMPLEMENTED:
        m_sentence->setText(ChannelText::unimplemented());
        break;
    case grpc::StatusCode::INVALID_ARGUMENT:
        m_sentence->setText(
            tr("The backend refused to preview: %1").arg(QString::fromStdString(status.error_message())));
        break;
    default:
        m_sentence->setText(tr("No preview. %1").arg(BackendConnection::explain(status)));
        break;
    }
}

void RoutePreviewTab::markStale()
{
    m_isStale = true;
    if (m_candidates->topLevelItemCount() == 0)
        return;
    m_stale->setText(tr("The channels were edited since: preview again to see where an order goes now."));
    m_stale->show();
}

QString RoutePreviewTab::sentence() const
{
    return m_sentence->text();
}

QString RoutePreviewTab::candidateText(int row, Column column) const
{
    const QTreeWidgetItem *item = m_candidates->topLevelItem(row);
    return item ? item->text(column) : QString();
}

} // namespace flywheel::ui
