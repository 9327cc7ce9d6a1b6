#include "subsidy/ExplainTab.h"

#include "client/BackendConnection.h"
#include "client/SubsidyClient.h"
#include "common/Format.h"
#include "connection/EnvironmentPolicy.h"
#include "subsidy/SubsidyText.h"

#include <grpcpp/support/status.h>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QTableWidget>
#include <QVBoxLayout>

#include <optional>

namespace flywheel::ui {

ExplainTab::ExplainTab(SubsidyClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_uid(new QLineEdit(this)), m_channel(new QComboBox(this)),
      m_useDraft(new QCheckBox(tr("Use my draft instead of the live config"), this)),
      m_explainButton(new QPushButton(tr("Explain"), this)), m_decision(new QLabel(this)), m_reason(new QLabel(this)),
      m_inputs(new QTableWidget(0, 3, this))
{
    m_uid->setPlaceholderText(tr("user id, e.g. 100001"));
    m_uid->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\s*[0-9]{0,18}\\s*")), m_uid));
    m_uid->setAccessibleName(tr("User id"));
    m_uid->setFixedWidth(160);
    for (const QString &channel : SubsidyText::knownChannels())
        m_channel->addItem(SubsidyText::channelName(channel), channel);
    m_channel->setAccessibleName(tr("Channel"));
    m_explainButton->setEnabled(false);

    QFont big = m_decision->font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    big.setBold(true);
    m_decision->setFont(big);
    m_decision->setWordWrap(true);
    m_decision->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_decision->setText(tr("Type a user id and choose “Explain” to see what their first order would get now, and "
                           "why."));

    m_inputs->setHorizontalHeaderLabels({tr("Input"), tr("Value"), tr("What it is")});
    m_inputs->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_inputs->setAlternatingRowColors(true);
    m_inputs->verticalHeader()->hide();
    m_inputs->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_inputs->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_inputs->horizontalHeader()->setStretchLastSection(true);
    m_inputs->setWordWrap(true);
    m_inputs->hide();

    auto *form = new QHBoxLayout();
    form->addWidget(new QLabel(tr("User"), this));
    form->addWidget(m_uid);
    form->addWidget(new QLabel(tr("Channel"), this));
    form->addWidget(m_channel);
    form->addWidget(m_useDraft);
    form->addWidget(m_explainButton);
    form->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_decision);
    layout->addWidget(m_reason);
    layout->addWidget(m_inputs, 1);
    layout->addStretch(0);

    const auto update = [this] {
        const bool allowed = EnvironmentPolicy::allowsRole(this, EnvironmentPolicy::Role::Viewer);
        m_explainButton->setEnabled(allowed && !m_uid->text().trimmed().isEmpty());
        m_explainButton->setToolTip(
            allowed ? QString() : EnvironmentPolicy::of(this)->blockedText(EnvironmentPolicy::Role::Viewer, false));
    };
    connect(m_uid, &QLineEdit::textChanged, this, update);
    connect(m_uid, &QLineEdit::returnPressed, this, [this] {
        if (m_explainButton->isEnabled())
            explain();
    });
    connect(m_explainButton, &QPushButton::clicked, this, &ExplainTab::explain);
    EnvironmentPolicy::watch(this, update);
}

void ExplainTab::explain()
{
    bool ok = false;
    const qint64 uid = m_uid->text().trimmed().toLongLong(&ok);
    if (!ok || uid <= 0) {
        showProblem(tr("Type a user id: a whole number above 0."));
        Q_EMIT explained(false);
        return;
    }
    v1::ExplainSubsidyRequest request;
    request.set_uid(uid);
    request.set_channel(m_channel->currentData().toString().toStdString());
    if (m_useDraft->isChecked()) {
        const std::optional<v1::SubsidyConfig> draft = m_draft ? m_draft() : std::nullopt;
        if (!draft) {
            showProblem(tr("The draft cannot be used: correct the values marked in red on the Config tab first, or "
                           "explain with the live config."));
            Q_EMIT explained(false);
            return;
        }
        *request.mutable_draft() = *draft;
        request.set_use_draft(true);
    }
    m_explainButton->setEnabled(false);
    m_decision->setText(tr("Asking the backend about user %1…").arg(uid));
    m_decision->setStyleSheet(QString());
    const quint64 asked = ++m_asked;
    m_client->explain(request, [this, uid, asked](const grpc::Status &status,
                                                  const v1::SubsidyExplanation &explanation) {
        if (asked != m_asked)
            return; // a later question was asked meanwhile; its answer is the one to show
        m_explainButton->setEnabled(!m_uid->text().trimmed().isEmpty());
        if (!status.ok()) {
            const QString detail = QString::fromStdString(status.error_message());
            switch (status.error_code()) {
            case grpc::StatusCode::NOT_FOUND:
                showProblem(tr("There is no user %1.").arg(uid));
                break;
            case grpc::StatusCode::INVALID_ARGUMENT:
                showProblem(tr("The backend refused the question: %1").arg(detail));
                break;
            case grpc::StatusCode::UNIMPLEMENTED:
                showProblem(tr("This backend does not offer subsidies yet, so it cannot explain a decision."));
                break;
            default:
                showProblem(tr("No answer. %1").arg(BackendConnection::explain(status)));
                break;
            }
            Q_EMIT explained(false);
            return;
        }
        showExplanation(explanation);
        Q_EMIT explained(true);
    });
}

void ExplainTab::showProblem(const QString &text)
{
    m_decision->setText(text);
    m_decision->setStyleSheet(QStringLiteral("color: #cf222e;"));
    m_reason->clear();
    m_inputs->hide();
}

void ExplainTab::showExplanation(const v1::SubsidyExplanation &e)
{
    const v1::SubsidyDecision &d = e.decision();
    const v1::SubsidyInputs &in = e.inputs();
    const QLocale locale;
    const bool granted = SubsidyText::isGranted(d.reason());
    QString decision = granted ? tr("Subsidy of %1 for the first order").arg(SubsidyText::money(d.amount()))
                               : tr("No subsidy: %1").arg(SubsidyText::reasonName(d.reason()));
    if (!d.experiment_key().empty())
        decision += u' ' + tr("(experiment “%1”, variant “%2”)")
                               .arg(QString::fromStdString(d.experiment_key()), QString::fromStdString(d.variant_key()));
    m_decision->setText(decision);
    m_decision->setStyleSheet(granted ? QStringLiteral("color: #1a7f37;") : QStringLiteral("color: #9a6700;"));
    QString reason = SubsidyText::reasonSentence(d.reason());
    if (d.config_version() > 0)
        reason += u' ' + tr("Decided with config version %1, campaign “%2”.")
                             .arg(d.config_version())
                             .arg(QString::fromStdString(d.campaign_id()));
    m_reason->setText(reason);

    struct Row {
        QString label;
        QString value;
        QString meaning;
    };
    const QList<Row> rows = {
        {tr("Expected orders"), SubsidyText::number(in.expected_orders()),
         tr("Base orders + orders per active day × active days + orders per past order × past paid orders.")},
        {tr("Average order value"), SubsidyText::money(in.average_order_value()),
         tr("The category's 30-day average, or this order's total while the category has too little history.")},
        {tr("Margin"), formatPercent(in.margin()), tr("The share of an order's value the shop keeps.")},
        {tr("LTV"), SubsidyText::money(in.ltv()), tr("Expected orders × average order value × margin.")},
        {tr("CAC"), SubsidyText::money(in.cac()), tr("Acquisition cost of the user's channel.")},
        {tr("LTV/CAC"), SubsidyText::number(in.ltv_cac_ratio()), tr("Compared with the minimum LTV/CAC.")},
        {tr("Active days"), tr("%1 of the last 7").arg(in.active_days_last7()),
         tr("Days with activity in the last 7.")},
        {tr("Past paid orders"), locale.toString(in.past_paid_orders()), tr("Paid orders so far.")},
        {tr("Risk score"), tr("%1 of 100").arg(in.risk_score()), tr("From the profile's risk tag; 0 when absent.")},
        {tr("Live P99 of the order path"), SubsidyText::milliseconds(in.order_p99_ms()),
         tr("CreateOrder over the last 60 s; above the latency threshold risky users are down-weighted.")},
        {tr("Channel"), SubsidyText::channelName(QString::fromStdString(in.channel())), QString()},
        {tr("Category"), in.category().empty() ? tr("all categories") : QString::fromStdString(in.category()),
         tr("Average %1 over %n paid order(s) in 30 days.", nullptr, int(in.category_orders()))
             .arg(SubsidyText::money(in.category_average_order()))},
        {tr("Order total"), SubsidyText::money(in.order_total()), tr("The subsidy is never more than this.")},
    };
    m_inputs->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        m_inputs->setItem(r, 0, new QTableWidgetItem(rows[r].label));
        auto *value = new QTableWidgetItem(rows[r].value);
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_inputs->setItem(r, 1, value);
        auto *meaning = new QTableWidgetItem(rows[r].meaning);
        meaning->setForeground(QColor(0x57, 0x60, 0x6a));
        m_inputs->setItem(r, 2, meaning);
    }
    m_inputs->show();
}

QString ExplainTab::decisionText() const
{
    return m_decision->text();
}

QString ExplainTab::reasonText() const
{
    return m_reason->text();
}

QString ExplainTab::input(const QString &label) const
{
    for (int row = 0; row < m_inputs->rowCount(); ++row) {
        if (m_inputs->item(row, 0)->text() == label)
            return m_inputs->item(row, 1)->text();
    }
    return {};
}

} // namespace flywheel::ui
