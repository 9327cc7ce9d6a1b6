#include "subsidy/SubsidyConfigEditor.h"

#include "common/Decimal.h"
#include "common/Format.h"
#include "subsidy/SubsidyText.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QVBoxLayout>

#include <cmath>

namespace flywheel::ui {

namespace {

const QString kHintStyle = QStringLiteral("color: #57606a;");
const QString kProblemStyle = QStringLiteral("color: #cf222e; font-weight: bold;");
/// Amounts up to 10^12 minor units, as the backend allows (backend/domain/subsidy/SubsidyConfig).
constexpr qint64 kMaxMoneyMinor = 1'000'000'000'000;
const QRegularExpression kCampaignPattern(QStringLiteral("^[a-z0-9_-]{1,40}$"));

QString currencyOf(const v1::SubsidyConfig &config)
{
    if (!config.base_amount().currency().empty())
        return QString::fromStdString(config.base_amount().currency());
    for (const v1::CampaignBudget &budget : config.budgets()) {
        if (!budget.total().currency().empty())
            return QString::fromStdString(budget.total().currency());
    }
    return QStringLiteral("CNY");
}

v1::Money moneyOf(qint64 minor, const QString &currency)
{
    v1::Money money;
    money.set_minor_units(minor);
    money.set_currency(currency.toStdString());
    return money;
}

QString editMoney(const v1::Money &money)
{
    return plainDecimal(money.minor_units(), ZeroCents::Drop);
}

} // namespace

SubsidyConfigEditor::SubsidyConfigEditor(QWidget *parent)
    : QWidget(parent), m_enabled(new QCheckBox(tr("Subsidise first orders"), this)), m_channelBox(nullptr),
      m_channelGrid(nullptr), m_budgetLayout(nullptr), m_addCampaign(nullptr), m_combinedLabel(new QLabel(this))
{
    m_combinedLabel->setWordWrap(true);
    m_combinedLabel->setStyleSheet(kProblemStyle);
    m_combinedLabel->hide();
    m_enabled->setToolTip(tr("Off: no first order is subsidised; decisions are still recorded, so the replay below "
                             "keeps working."));

    const QString none;
    const QList<Spec> decision = {
        {QStringLiteral("campaign_id"), tr("Campaign"),
         tr("Every subsidy of this config is charged to this campaign; it needs a budget below."), Kind::Campaign, 0,
         0, false, none},
        {QStringLiteral("min_ltv_cac_ratio"), tr("Minimum LTV/CAC"),
         tr("No subsidy when the predicted lifetime value divided by the channel's acquisition cost is below this."),
         Kind::Number, 0, 1000, true, tr("× CAC")},
        {QStringLiteral("base_amount"), tr("Base amount"),
         tr("The subsidy before the cap; never more than 30 % of the LTV nor the order's total."), Kind::Money, 0,
         double(kMaxMoneyMinor), true, none},
        {QStringLiteral("cap_factor"), tr("Cap factor"), tr("The subsidy is at most the base amount × this."),
         Kind::Number, 0, 100, true, tr("×")},
        {QStringLiteral("active_days"), tr("Active days"),
         tr("No subsidy for users active on fewer of the last 7 days."), Kind::Integer, 0, 7, false,
         tr("of the last 7")},
    };
    const QList<Spec> risk = {
        {QStringLiteral("risk.latency_threshold_ms"), tr("Latency threshold"),
         tr("When the order path's live P99 is above this, risky users are down-weighted."), Kind::Integer, 1, 60000,
         false, tr("ms")},
        {QStringLiteral("risk.score_threshold"), tr("Risk score threshold"),
         tr("A user is risky at or above this risk score."), Kind::Integer, 0, 100, false, tr("of 100")},
        {QStringLiteral("risk.weight"), tr("Risk weight"),
         tr("A risky user's subsidy is multiplied by this while the order path is slow."), Kind::Number, 0, 1, true,
         tr("×")},
    };
    const QList<Spec> ltv = {
        {QStringLiteral("ltv.base_orders"), tr("Base orders"), tr("Orders every new user is expected to place."),
         Kind::Number, 0, 1000, false, tr("orders")},
        {QStringLiteral("ltv.orders_per_active_day"), tr("Orders per active day"),
         tr("Expected orders added per day active in the last 7."), Kind::Number, 0, 1000, false, tr("orders")},
        {QStringLiteral("ltv.orders_per_past_order"), tr("Orders per past order"),
         tr("Expected orders added per paid order so far."), Kind::Number, 0, 1000, false, tr("orders")},
        {QStringLiteral("ltv.margin_bp"), tr("Margin"), tr("The share of an order's value the shop keeps."),
         Kind::Percent, 1, 10000, false, tr("%")},
        {QStringLiteral("ltv.min_category_orders"), tr("Category history needed"),
         tr("Below this many paid orders in 30 days, the category's average is not trusted and the order's own "
            "total is used."),
         Kind::Integer, 0, 100000, false, tr("orders")},
    };

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_enabled);
    layout->addWidget(group(tr("Decision"), decision));
    layout->addWidget(group(tr("Risk: down-weighting while the order path is slow"), risk));

    m_channelBox = new QGroupBox(tr("Acquisition cost (CAC) per channel"), this);
    m_channelGrid = new QGridLayout(m_channelBox);
    m_channelGrid->setColumnStretch(4, 1);
    layout->addWidget(m_channelBox);

    auto *budgets = new QGroupBox(tr("Campaign budgets"), this);
    auto *budgetOuter = new QVBoxLayout(budgets);
    m_budgetLayout = new QVBoxLayout();
    budgetOuter->addLayout(m_budgetLayout);
    m_addCampaign = new QPushButton(tr("Add a campaign"), budgets);
    auto *addRow = new QHBoxLayout();
    addRow->addWidget(m_addCampaign);
    addRow->addStretch(1);
    budgetOuter->addLayout(addRow);
    layout->addWidget(budgets);
    layout->addWidget(m_combinedLabel);

    auto *ltvBox = group(tr("LTV model: expected orders × average order value × margin"), ltv);
    layout->addWidget(ltvBox);
    layout->addStretch(1);

    connect(m_enabled, &QCheckBox::toggled, this, &SubsidyConfigEditor::recheck);
    connect(m_enabled, &QCheckBox::clicked, this, &SubsidyConfigEditor::edited);
    connect(m_addCampaign, &QPushButton::clicked, this, [this] {
        const int row = addCampaign();
        m_budgets[row].id->setFocus();
        Q_EMIT edited();
    });
    rebuildChannels(v1::SubsidyConfig());
    setEnabled(false);
}

QLineEdit *SubsidyConfigEditor::makeInput(const Spec &spec, QWidget *parent)
{
    auto *input = new QLineEdit(parent);
    input->setAlignment(spec.kind == Kind::Campaign ? Qt::AlignLeft : Qt::AlignRight);
    input->setFixedWidth(spec.kind == Kind::Campaign ? 160 : 100);
    input->setAccessibleName(spec.label);
    input->setAccessibleDescription(spec.meaning);
    input->setToolTip(spec.meaning);
    m_inputs.insert(spec.key, input);
    m_labels.insert(spec.key, spec.label);
    connect(input, &QLineEdit::textChanged, this, &SubsidyConfigEditor::recheck);
    // Checked before edited() goes out, whichever of the two signals Qt sends first.
    connect(input, &QLineEdit::textEdited, this, [this] {
        recheck();
        Q_EMIT edited();
    });
    return input;
}

QWidget *SubsidyConfigEditor::group(const QString &title, const QList<Spec> &specs)
{
    auto *box = new QGroupBox(title, this);
    auto *grid = new QGridLayout(box);
    grid->setHorizontalSpacing(6);
    grid->setColumnMinimumWidth(0, 170);
    grid->setColumnMinimumWidth(1, 16); // the currency symbol, in every group, so the inputs line up
    grid->setColumnMinimumWidth(3, 70);
    grid->setColumnStretch(4, 1);
    int row = 0;
    for (const Spec &spec : specs) {
        m_specs.append(spec);
        auto *label = new QLabel(spec.label, box);
        QLineEdit *input = makeInput(spec, box);
        label->setBuddy(input);
        label->setToolTip(spec.meaning);
        auto *unit = new QLabel(spec.unit, box);
        auto *hint = new QLabel(box);
        hint->setWordWrap(true);
        hint->setStyleSheet(kHintStyle);
        hint->setMinimumWidth(150);
        hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
        const bool money = spec.kind == Kind::Money || spec.kind == Kind::OptionalMoney;
        grid->addWidget(label, row, 0);
        grid->addWidget(unit, row, money ? 1 : 3, money ? Qt::AlignRight : Qt::AlignLeft);
        grid->addWidget(input, row, 2);
        grid->addWidget(hint, row, 4);
        m_units.insert(spec.key, unit);
        m_hints.insert(spec.key, hint);
        ++row;
    }
    return box;
}

void SubsidyConfigEditor::rebuildChannels(const v1::SubsidyConfig &config)
{
    // Known channels first, then any other the config names.
    QStringList channels = SubsidyText::knownChannels();
    for (const v1::ChannelCac &cac : config.channel_cac()) {
        const QString channel = QString::fromStdString(cac.channel());
        if (!channels.contains(channel))
            channels.append(channel);
    }
    if (channels == m_channels)
        return;
    for (const QString &old : std::as_const(m_channels)) {
        const QString key = QStringLiteral("channel_cac.") + old;
        m_specs.removeIf([&](const Spec &s) { return s.key == key; });
        delete m_inputs.take(key);
        delete m_hints.take(key);
        delete m_units.take(key);
        m_labels.remove(key);
    }
    while (QLayoutItem *item = m_channelGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_channels = channels;
    int row = 0;
    for (const QString &channel : std::as_const(m_channels)) {
        const Spec spec{QStringLiteral("channel_cac.") + channel,
                        tr("CAC, %1").arg(SubsidyText::channelName(channel)),
                        tr("What acquiring a user through this channel costs; empty: no subsidy on this channel."),
                        Kind::OptionalMoney,
                        0,
                        double(kMaxMoneyMinor),
                        true,
                        QString()};
        m_specs.append(spec);
        auto *label = new QLabel(spec.label, m_channelBox);
        QLineEdit *input = makeInput(spec, m_channelBox);
        input->setPlaceholderText(tr("none"));
        label->setBuddy(input);
        label->setToolTip(spec.meaning);
        auto *unit = new QLabel(m_channelBox);
        auto *hint = new QLabel(m_channelBox);
        hint->setWordWrap(true);
        hint->setStyleSheet(kHintStyle);
        hint->setMinimumWidth(150);
        m_channelGrid->setColumnMinimumWidth(0, 170);
        m_channelGrid->setColumnMinimumWidth(1, 16);
        m_channelGrid->setColumnMinimumWidth(3, 70);
        m_channelGrid->addWidget(label, row, 0);
        m_channelGrid->addWidget(unit, row, 1, Qt::AlignRight);
        m_channelGrid->addWidget(input, row, 2);
        m_channelGrid->addWidget(hint, row, 4);
        m_units.insert(spec.key, unit);
        m_hints.insert(spec.key, hint);
        ++row;
    }
}

int SubsidyConfigEditor::addCampaign()
{
    auto *box = new QWidget(this);
    auto *grid = new QGridLayout(box);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setHorizontalSpacing(6);
    auto *id = new QLineEdit(box);
    id->setPlaceholderText(tr("campaign id"));
    id->setAccessibleName(tr("Campaign id"));
    id->setFixedWidth(130);
    auto *total = new QLineEdit(box);
    total->setAlignment(Qt::AlignRight);
    total->setFixedWidth(100);
    total->setAccessibleName(tr("Total budget"));
    auto *daily = new QLineEdit(box);
    daily->setAlignment(Qt::AlignRight);
    daily->setFixedWidth(100);
    daily->setAccessibleName(tr("Budget per day"));
    auto *remove = new QPushButton(tr("Remove"), box);
    auto *hint = new QLabel(box);
    hint->setWordWrap(true);
    hint->setStyleSheet(kHintStyle);
    const QString symbol = currencySymbol(m_currency).trimmed();
    grid->addWidget(id, 0, 0);
    grid->addWidget(new QLabel(tr("total %1").arg(symbol), box), 0, 1);
    grid->addWidget(total, 0, 2);
    grid->addWidget(new QLabel(tr("per day %1").arg(symbol), box), 0, 3);
    grid->addWidget(daily, 0, 4);
    grid->addWidget(remove, 0, 5);
    grid->addWidget(hint, 1, 0, 1, 7);
    grid->setColumnStretch(6, 1);
    m_budgetLayout->addWidget(box);
    m_budgets.append({box, id, total, daily, hint});
    for (QLineEdit *edit : {id, total, daily}) {
        connect(edit, &QLineEdit::textChanged, this, &SubsidyConfigEditor::recheck);
        connect(edit, &QLineEdit::textEdited, this, [this] {
            recheck();
            Q_EMIT edited();
        });
    }
    connect(remove, &QPushButton::clicked, this, [this, box] {
        for (int i = 0; i < m_budgets.size(); ++i) {
            if (m_budgets[i].box == box) {
                removeCampaign(i);
                Q_EMIT edited();
                return;
            }
        }
    });
    recheck();
    return int(m_budgets.size()) - 1;
}

void SubsidyConfigEditor::removeCampaign(int index)
{
    if (index < 0 || index >= m_budgets.size())
        return;
    delete m_budgets.takeAt(index).box;
    recheck();
}

void SubsidyConfigEditor::clearBudgets()
{
    for (const BudgetRow &row : std::as_const(m_budgets))
        delete row.box;
    m_budgets.clear();
}

QString SubsidyConfigEditor::textOf(const Spec &spec, const v1::SubsidyConfig &c) const
{
    const QString &key = spec.key;
    if (key == u"campaign_id")
        return QString::fromStdString(c.campaign_id());
    if (key == u"min_ltv_cac_ratio")
        return SubsidyText::editNumber(c.min_ltv_cac_ratio());
    if (key == u"base_amount")
        return editMoney(c.base_amount());
    if (key == u"cap_factor")
        return SubsidyText::editNumber(c.cap_factor());
    if (key == u"active_days")
        return QString::number(c.active_days());
    if (key == u"risk.latency_threshold_ms")
        return QString::number(c.risk().latency_threshold_ms());
    if (key == u"risk.score_threshold")
        return QString::number(c.risk().score_threshold());
    if (key == u"risk.weight")
        return SubsidyText::editNumber(c.risk().weight());
    if (key == u"ltv.base_orders")
        return SubsidyText::editNumber(c.ltv().base_orders());
    if (key == u"ltv.orders_per_active_day")
        return SubsidyText::editNumber(c.ltv().orders_per_active_day());
    if (key == u"ltv.orders_per_past_order")
        return SubsidyText::editNumber(c.ltv().orders_per_past_order());
    if (key == u"ltv.margin_bp")
        return plainDecimal(c.ltv().margin_bp(), ZeroCents::Drop);
    if (key == u"ltv.min_category_orders")
        return QString::number(c.ltv().min_category_orders());
    if (key.startsWith(u"channel_cac.")) {
        const std::string channel = key.mid(12).toStdString();
        for (const v1::ChannelCac &cac : c.channel_cac()) {
            if (cac.channel() == channel)
                return editMoney(cac.cac());
        }
        return {};
    }
    return {};
}

void SubsidyConfigEditor::setConfig(const v1::SubsidyConfig &config)
{
    m_hasConfig = true;
    m_loaded = config;
    m_currency = currencyOf(config);
    rebuildChannels(config);
    const QSignalBlocker block(this); // setText() is not an edit
    m_enabled->setChecked(config.enabled());
    for (const Spec &spec : std::as_const(m_specs)) {
        m_inputs[spec.key]->setText(textOf(spec, config));
        if (spec.kind == Kind::Money || spec.kind == Kind::OptionalMoney)
            m_units[spec.key]->setText(currencySymbol(m_currency).trimmed());
    }
    clearBudgets();
    for (const v1::CampaignBudget &budget : config.budgets()) {
        const int row = addCampaign();
        m_budgets[row].id->setText(QString::fromStdString(budget.campaign_id()));
        m_budgets[row].total->setText(editMoney(budget.total()));
        m_budgets[row].daily->setText(editMoney(budget.daily()));
    }
    setEnabled(true);
    recheck();
    m_loadedTexts = texts();
}

QMap<QString, QString> SubsidyConfigEditor::texts() const
{
    QMap<QString, QString> texts;
    texts.insert(QStringLiteral("enabled"), m_enabled->isChecked() ? QStringLiteral("1") : QStringLiteral("0"));
    for (auto it = m_inputs.cbegin(); it != m_inputs.cend(); ++it)
        texts.insert(it.key(), it.value()->text().trimmed());
    for (int i = 0; i < m_budgets.size(); ++i) {
        const QString prefix = QStringLiteral("budgets.%1.").arg(i);
        texts.insert(prefix + QStringLiteral("campaign_id"), m_budgets[i].id->text().trimmed());
        texts.insert(prefix + QStringLiteral("total"), m_budgets[i].total->text().trimmed());
        texts.insert(prefix + QStringLiteral("daily"), m_budgets[i].daily->text().trimmed());
    }
    return texts;
}

bool SubsidyConfigEditor::isModified() const
{
    return m_hasConfig && texts() != m_loadedTexts;
}

QString SubsidyConfigEditor::rangeText(const Spec &spec) const
{
    const QLocale locale;
    switch (spec.kind) {
    case Kind::Campaign:
        return tr("lower-case letters, digits, “_” and “-”, at most 40");
    case Kind::Money:
    case Kind::OptionalMoney:
        return tr("more than %1, at most %2")
            .arg(formatMoney(0, m_currency), formatMoney(qint64(spec.max), m_currency));
    case Kind::Percent:
        return tr("from %1 % to %2 %").arg(locale.toString(spec.min / 100.0, 'f', 2), locale.toString(spec.max / 100.0, 'f', 0));
    case Kind::Integer:
        return tr("a whole number from %1 to %2").arg(locale.toString(qint64(spec.min)), locale.toString(qint64(spec.max)));
    case Kind::Number:
        return spec.minExclusive ? tr("more than %1, at most %2").arg(locale.toString(spec.min), locale.toString(spec.max))
                                 : tr("from %1 to %2").arg(locale.toString(spec.min), locale.toString(spec.max));
    }
    return {};
}

QString SubsidyConfigEditor::check(const Spec &spec, const QString &raw) const
{
    const QString text = raw.trimmed();
    const QLocale locale;
    switch (spec.kind) {
    case Kind::Campaign:
        if (text.isEmpty())
            return tr("%1 is needed: every subsidy is charged to a campaign.").arg(spec.label);
        if (!kCampaignPattern.match(text).hasMatch())
            return tr("%1 “%2” may only hold lower-case letters, digits, “_” and “-” (at most 40).")
                .arg(spec.label, text);
        return {};
    case Kind::OptionalMoney:
        if (text.isEmpty())
            return {};
        [[fallthrough]];
    case Kind::Money: {
        qint64 minor = 0;
        if (text.isEmpty())
            return tr("%1 is needed.").arg(spec.label);
        if (!parseDecimal(text, &minor))
            return tr("%1 must be an amount such as 12.50 (digits, at most two decimals).").arg(spec.label);
        if (minor <= 0)
            return tr("%1 must be more than %2.").arg(spec.label, formatMoney(0, m_currency));
        if (minor > qint64(spec.max))
            return tr("%1 must be at most %2.").arg(spec.label, formatMoney(qint64(spec.max), m_currency));
        return {};
    }
    case Kind::Percent: {
        qint64 bp = 0;
        if (text.isEmpty())
            return tr("%1 is needed.").arg(spec.label);
        if (!parseDecimal(text, &bp))
            return tr("%1 must be a percentage such as 25 or 12.5.").arg(spec.label);
        if (bp < qint64(spec.min) || bp > qint64(spec.max))
            return tr("%1 must be from %2 % to %3 %.")
                .arg(spec.label, locale.toString(spec.min / 100.0, 'f', 2), locale.toString(spec.max / 100.0, 'f', 0));
        return {};
    }
    case Kind::Integer: {
        bool ok = false;
        const qint64 value = text.toLongLong(&ok);
        if (text.isEmpty())
            return tr("%1 is needed.").arg(spec.label);
        if (!ok)
            return tr("%1 must be a whole number.").arg(spec.label);
        if (value < qint64(spec.min) || value > qint64(spec.max))
            return tr("%1 must be from %2 to %3.")
                .arg(spec.label, locale.toString(qint64(spec.min)), locale.toString(qint64(spec.max)));
        return {};
    }
    case Kind::Number: {
        double value = 0;
        if (text.isEmpty())
            return tr("%1 is needed.").arg(spec.label);
        if (!SubsidyText::parseNumber(text, &value))
            return tr("%1 must be a number such as 1.5.").arg(spec.label);
        if (spec.minExclusive && value <= spec.min)
            return tr("%1 must be more than %2.").arg(spec.label, locale.toString(spec.min));
        if (!spec.minExclusive && value < spec.min)
            return tr("%1 must be at least %2.").arg(spec.label, locale.toString(spec.min));
        if (value > spec.max)
            return tr("%1 must be at most %2.").arg(spec.label, locale.toString(spec.max));
        return {};
    }
    }
    return {};
}

void SubsidyConfigEditor::recheck()
{
    m_problems.clear();
    m_combined.clear();
    for (const Spec &spec : std::as_const(m_specs)) {
        QLabel *hint = m_hints.value(spec.key);
        if (!hint)
            continue;
        const QString problem = m_hasConfig ? check(spec, m_inputs[spec.key]->text()) : QString();
        if (problem.isEmpty()) {
            hint->setStyleSheet(kHintStyle);
            hint->setText(tr("Allowed: %1.").arg(rangeText(spec)));
        } else {
            m_problems.insert(spec.key, problem);
            hint->setStyleSheet(kProblemStyle);
            hint->setText(problem);
        }
    }
    // Budget rows: each field, then the row as a whole.
    QSet<QString> ids;
    for (int i = 0; i < m_budgets.size(); ++i) {
        const BudgetRow &row = m_budgets[i];
        const QString prefix = QStringLiteral("budgets.%1.").arg(i);
        const QString id = row.id->text().trimmed();
        const QString name = id.isEmpty() ? tr("the new campaign") : QStringLiteral("“%1”").arg(id);
        QStringList rowProblems;
        const auto add = [&](const QString &field, const QString &problem) {
            if (problem.isEmpty())
                return;
            m_problems.insert(prefix + field, problem);
            rowProblems.append(problem);
        };
        if (id.isEmpty())
            add(QStringLiteral("campaign_id"), tr("A budget row needs its campaign id."));
        else if (!kCampaignPattern.match(id).hasMatch())
            add(QStringLiteral("campaign_id"),
                tr("Campaign id “%1” may only hold lower-case letters, digits, “_” and “-” (at most 40).").arg(id));
        else if (ids.contains(id))
            add(QStringLiteral("campaign_id"), tr("Campaign “%1” has two budget rows; keep one.").arg(id));
        ids.insert(id);
        const Spec total{QString(), tr("The total budget of %1").arg(name), QString(), Kind::Money, 0,
                         double(kMaxMoneyMinor), true, QString()};
        const Spec daily{QString(), tr("The budget per day of %1").arg(name), QString(), Kind::Money, 0,
                         double(kMaxMoneyMinor), true, QString()};
        add(QStringLiteral("total"), check(total, row.total->text()));
        add(QStringLiteral("daily"), check(daily, row.daily->text()));
        qint64 t = 0;
        qint64 d = 0;
        if (!m_problems.contains(prefix + QStringLiteral("total")) &&
            !m_problems.contains(prefix + QStringLiteral("daily")) && parseDecimal(row.total->text(), &t) &&
            parseDecimal(row.daily->text(), &d) && d > t)
            add(QStringLiteral("daily"), tr("The budget per day of %1 (%2) cannot be more than its total budget (%3).")
                                             .arg(name, formatMoney(d, m_currency), formatMoney(t, m_currency)));
        row.hint->setStyleSheet(rowProblems.isEmpty() ? kHintStyle : kProblemStyle);
        row.hint->setText(rowProblems.isEmpty()
                              ? tr("Subsidies of %1 stop when either budget is used up; at 90 % the page warns.")
                                    .arg(name)
                              : rowProblems.join(u' '));
    }
    if (m_hasConfig) {
        const QString campaign = m_inputs.value(QStringLiteral("campaign_id"))->text().trimmed();
        if (!campaign.isEmpty() && !m_problems.contains(QStringLiteral("campaign_id")) && !ids.contains(campaign))
            m_combined.append(tr("Campaign “%1” has no budget: add one under “Campaign budgets”, or charge the "
                                 "subsidies to a campaign that has one.")
                                  .arg(campaign));
    }
    m_combinedLabel->setText(m_combined.join(u' '));
    m_combinedLabel->setVisible(!m_combined.isEmpty());
}

QStringList SubsidyConfigEditor::problems() const
{
    if (!m_hasConfig)
        return {tr("The subsidy config is not loaded yet.")};
    QStringList problems;
    for (const Spec &spec : std::as_const(m_specs)) {
        if (m_problems.contains(spec.key))
            problems.append(m_problems.value(spec.key));
    }
    for (auto it = m_problems.cbegin(); it != m_problems.cend(); ++it) {
        if (it.key().startsWith(u"budgets."))
            problems.append(it.value());
    }
    problems.append(m_combined);
    return problems;
}

v1::SubsidyConfig SubsidyConfigEditor::config() const
{
    v1::SubsidyConfig c = m_loaded;
    c.set_enabled(m_enabled->isChecked());
    const auto text = [this](const char *key) { return m_inputs.value(QString::fromLatin1(key))->text().trimmed(); };
    const auto number = [&](const char *key, double fallback) {
        double v = 0;
        return SubsidyText::parseNumber(text(key), &v) ? v : fallback;
    };
    const auto integer = [&](const char *key, qint64 fallback) {
        bool ok = false;
        const qint64 v = text(key).toLongLong(&ok);
        return ok ? v : fallback;
    };
    const auto money = [&](const QString &t, qint64 fallback) {
        qint64 v = 0;
        return parseDecimal(t, &v) ? v : fallback;
    };
    if (!text("campaign_id").isEmpty())
        c.set_campaign_id(text("campaign_id").toStdString());
    c.set_min_ltv_cac_ratio(number("min_ltv_cac_ratio", c.min_ltv_cac_ratio()));
    *c.mutable_base_amount() = moneyOf(money(text("base_amount"), c.base_amount().minor_units()), m_currency);
    c.set_cap_factor(number("cap_factor", c.cap_factor()));
    c.set_active_days(int(integer("active_days", c.active_days())));
    v1::SubsidyRisk *risk = c.mutable_risk();
    risk->set_latency_threshold_ms(int(integer("risk.latency_threshold_ms", risk->latency_threshold_ms())));
    risk->set_score_threshold(int(integer("risk.score_threshold", risk->score_threshold())));
    risk->set_weight(number("risk.weight", risk->weight()));
    v1::LtvModel *ltv = c.mutable_ltv();
    ltv->set_base_orders(number("ltv.base_orders", ltv->base_orders()));
    ltv->set_orders_per_active_day(number("ltv.orders_per_active_day", ltv->orders_per_active_day()));
    ltv->set_orders_per_past_order(number("ltv.orders_per_past_order", ltv->orders_per_past_order()));
    ltv->set_margin_bp(int(money(text("ltv.margin_bp"), ltv->margin_bp())));
    ltv->set_min_category_orders(int(integer("ltv.min_category_orders", ltv->min_category_orders())));

    c.clear_channel_cac();
    for (const QString &channel : m_channels) {
        const QString t = m_inputs.value(QStringLiteral("channel_cac.") + channel)->text().trimmed();
        qint64 minor = 0;
        if (t.isEmpty() || !parseDecimal(t, &minor))
            continue;
        v1::ChannelCac *cac = c.add_channel_cac();
        cac->set_channel(channel.toStdString());
        *cac->mutable_cac() = moneyOf(minor, m_currency);
    }
    c.clear_budgets();
    for (const BudgetRow &row : m_budgets) {
        v1::CampaignBudget *budget = c.add_budgets();
        budget->set_campaign_id(row.id->text().trimmed().toStdString());
        *budget->mutable_total() = moneyOf(money(row.total->text().trimmed(), 0), m_currency);
        *budget->mutable_daily() = moneyOf(money(row.daily->text().trimmed(), 0), m_currency);
    }
    return c;
}

QString SubsidyConfigEditor::fieldInMessage(const QString &message) const
{
    // A repeated field the backend names by index: "budgets[1].daily", "channel_cac[0].cac".
    static const QRegularExpression indexed(QStringLiteral("(budgets|channel_cac)\\[(\\d+)\\](?:\\.(\\w+))?"));
    const QRegularExpressionMatch match = indexed.match(message);
    if (match.hasMatch()) {
        const int index = match.captured(2).toInt();
        if (match.captured(1) == u"budgets" && index < m_budgets.size()) {
            const QString field = match.captured(3).isEmpty() ? QStringLiteral("campaign_id") : match.captured(3);
            return QStringLiteral("budgets.%1.%2").arg(index).arg(field);
        }
        if (match.captured(1) == u"channel_cac") {
            // The config lists the channels that have a CAC, in the form's order.
            int at = 0;
            for (const QString &channel : m_channels) {
                if (m_inputs.value(QStringLiteral("channel_cac.") + channel)->text().trimmed().isEmpty())
                    continue;
                if (at++ == index)
                    return QStringLiteral("channel_cac.") + channel;
            }
        }
    }
    // The most specific proto names first, so "risk.weight" wins over "weight".
    qsizetype best = -1;
    QString found;
    for (const Spec &spec : m_specs) {
        const QString leaf = spec.key.startsWith(u"channel_cac.") ? spec.key : spec.key.section(u'.', -1);
        for (const QString &name : {spec.key, leaf}) {
            const qsizetype at = message.indexOf(name);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
                found = spec.key;
            }
        }
    }
    return found;
}

QLineEdit *SubsidyConfigEditor::input(const QString &key) const
{
    if (QLineEdit *input = m_inputs.value(key))
        return input;
    const QStringList parts = key.split(u'.');
    if (parts.size() == 3 && parts[0] == u"budgets") {
        const int row = parts[1].toInt();
        if (row < 0 || row >= m_budgets.size())
            return nullptr;
        if (parts[2] == u"total")
            return m_budgets[row].total;
        if (parts[2] == u"daily")
            return m_budgets[row].daily;
        return m_budgets[row].id;
    }
    return nullptr;
}

QString SubsidyConfigEditor::fieldLabel(const QString &key) const
{
    if (m_labels.contains(key))
        return m_labels.value(key);
    const QStringList parts = key.split(u'.');
    if (parts.size() == 3 && parts[0] == u"budgets") {
        const int row = parts[1].toInt();
        const QString id = row >= 0 && row < m_budgets.size() ? m_budgets[row].id->text().trimmed() : QString();
        if (parts[2] == u"total")
            return tr("Total budget of %1").arg(id);
        if (parts[2] == u"daily")
            return tr("Budget per day of %1").arg(id);
        return tr("Campaign id");
    }
    return key;
}

} // namespace flywheel::ui
