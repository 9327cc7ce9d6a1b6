#include "subsidy/SimulationView.h"

#include "common/Format.h"
#include "common/TimeText.h"
#include "subsidy/SubsidyText.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>

#include <map>

namespace flywheel::ui {

namespace {

QString signedCount(qint64 difference)
{
    if (difference == 0)
        return QStringLiteral("±0");
    return (difference > 0 ? QStringLiteral("+") : QString()) + QLocale().toString(difference);
}

QString signedMoney(qint64 difference, const QString &currency)
{
    if (difference == 0)
        return QStringLiteral("±") + formatMoney(0, currency);
    return (difference > 0 ? QStringLiteral("+") : QString()) + formatMoney(difference, currency);
}

QString spendText(const v1::CampaignSpend &spend)
{
    // Two short lines, so the table fits beside the form: "¥240.00 · 2.4%", "of ¥10,000.00".
    const qint64 budget = spend.total_budget().minor_units();
    const QString share =
        budget > 0 ? formatPercent(double(spend.spent_total().minor_units()) / double(budget)) : QStringLiteral("—");
    QString text = SimulationView::tr("%1 · %2\nof %3")
                       .arg(SubsidyText::money(spend.spent_total()), share, SubsidyText::money(spend.total_budget()));
    if (spend.exhausted() != v1::SUBSIDY_REASON_UNSPECIFIED)
        text += u' ' + SimulationView::tr("· used up");
    else if (spend.at_90_percent())
        text += u' ' + SimulationView::tr("· at 90 %");
    return text;
}

} // namespace

SimulationView::SimulationView(QWidget *parent)
    : QWidget(parent), m_status(new QLabel(this)), m_table(new QTableWidget(0, ColumnCount, this))
{
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setHorizontalHeaderLabels({QString(), tr("Draft"), tr("Live config"), tr("Difference")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    // The labels wrap; the figures take what they need.
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(Label, QHeaderView::Stretch);
    m_table->setWordWrap(true);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->hide();
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_status);
    layout->addWidget(m_table, 1);
    setStatus(tr("Change the config, then choose “What would it have done?” to replay it over the first orders of "
                 "the last 7 days, next to the live config, before saving."),
              false);
}

void SimulationView::setStatus(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #cf222e; font-weight: bold;") : QString());
}

void SimulationView::setStale()
{
    if (!hasResults())
        return;
    setStatus(tr("The draft changed since this replay: run it again to see what the draft as typed would have "
                 "done."),
              false);
    m_status->setStyleSheet(QStringLiteral("color: #9a6700; font-weight: bold;"));
}

QString SimulationView::statusText() const
{
    return m_status->text();
}

bool SimulationView::hasResults() const
{
    return m_table->rowCount() > 0;
}

void SimulationView::setSimulation(const v1::SubsidySimulation &s)
{
    const QLocale locale;
    const v1::SimulationOutcome &d = s.draft();
    const v1::SimulationOutcome &l = s.live();
    const QString currency = !d.cost().currency().empty()   ? QString::fromStdString(d.cost().currency())
                             : !l.cost().currency().empty() ? QString::fromStdString(l.cost().currency())
                                                            : QStringLiteral("CNY");
    struct Row {
        QString label;
        QString draft;
        QString live;
        QString difference;
        bool bold = false;
    };
    QList<Row> rows;
    rows.append({tr("First orders replayed"), locale.toString(d.first_orders()), locale.toString(l.first_orders()),
                 signedCount(d.first_orders() - l.first_orders()), false});
    rows.append({tr("Users subsidised"), locale.toString(d.subsidised_users()), locale.toString(l.subsidised_users()),
                 signedCount(d.subsidised_users() - l.subsidised_users()), true});
    rows.append({tr("Cost"), SubsidyText::money(d.cost()), SubsidyText::money(l.cost()),
                 signedMoney(d.cost().minor_units() - l.cost().minor_units(), currency), true});

    std::map<std::string, std::pair<const v1::CampaignSpend *, const v1::CampaignSpend *>> spends;
    for (const v1::CampaignSpend &spend : d.spend())
        spends[spend.campaign_id()].first = &spend;
    for (const v1::CampaignSpend &spend : l.spend())
        spends[spend.campaign_id()].second = &spend;
    for (const auto &[campaign, pair] : spends) {
        const qint64 dv = pair.first ? pair.first->spent_total().minor_units() : 0;
        const qint64 lv = pair.second ? pair.second->spent_total().minor_units() : 0;
        rows.append({tr("Cost against the budget of “%1”").arg(QString::fromStdString(campaign)),
                     pair.first ? spendText(*pair.first) : tr("not charged"),
                     pair.second ? spendText(*pair.second) : tr("not charged"), signedMoney(dv - lv, currency),
                     false});
    }
    std::map<int, std::pair<qint64, qint64>> reasons;
    for (const v1::ReasonCount &r : d.reasons())
        reasons[int(r.reason())].first += r.count();
    for (const v1::ReasonCount &r : l.reasons())
        reasons[int(r.reason())].second += r.count();
    for (const auto &[reason, counts] : reasons) {
        rows.append({tr("Reason: %1").arg(SubsidyText::reasonName(v1::SubsidyReason(reason))),
                     locale.toString(counts.first), locale.toString(counts.second),
                     signedCount(counts.first - counts.second), false});
    }

    m_table->setRowCount(int(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const QString texts[ColumnCount] = {rows[r].label, rows[r].draft, rows[r].live, rows[r].difference};
        for (int c = 0; c < ColumnCount; ++c) {
            auto *item = new QTableWidgetItem(texts[c]);
            if (c != Label)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            if (rows[r].bold) {
                QFont font = item->font();
                font.setBold(true);
                item->setFont(font);
            }
            m_table->setItem(r, c, item);
        }
    }
    m_table->resizeRowsToContents();
    m_table->show();
    setStatus(tr("Replayed the %n first order(s) from %1 to %2 with the draft and with the live config.", nullptr,
                 int(d.first_orders()))
                      .arg(TimeText::timestamp(s.from(), TimeText::Seconds::WhenNotZero),
                           TimeText::timestamp(s.to(), TimeText::Seconds::WhenNotZero)) +
                  u' ' +
                  tr("The draft would subsidise %1 user(s) the live config does not, and no longer subsidise %2.")
                      .arg(locale.toString(s.newly_subsidised()), locale.toString(s.no_longer_subsidised())),
              false);
}

QString SimulationView::cell(const QString &label, int column) const
{
    for (int row = 0; row < m_table->rowCount(); ++row) {
        if (m_table->item(row, Label)->text() == label)
            return m_table->item(row, column)->text();
    }
    return {};
}

} // namespace flywheel::ui
