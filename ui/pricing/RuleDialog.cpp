#include "pricing/RuleDialog.h"

#include "client/PricingClient.h"
#include "common/Decimal.h"
#include "pricing/RuleText.h"

#include <grpcpp/support/status.h>

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTimer>
#include <QVBoxLayout>

#include <map>

namespace flywheel::ui {

namespace {

constexpr int kBasisPoints = 10000;

QStringList splitList(const QString &text)
{
    QStringList items;
    for (const QString &part : text.split(QRegularExpression(QStringLiteral("[,，\\s]+")), Qt::SkipEmptyParts))
        items.append(part);
    return items;
}

QString joinList(const google::protobuf::RepeatedPtrField<std::string> &values)
{
    QStringList list;
    for (const std::string &value : values)
        list.append(QString::fromStdString(value));
    return list.join(QStringLiteral(", "));
}

} // namespace

std::optional<RuleField> ruleFieldFromBackend(const std::string &field)
{
    static const std::map<std::string, RuleField> kFields{
        {"id", RuleField::Id},
        {"name", RuleField::Name},
        {"starts_at", RuleField::Window},
        {"ends_at", RuleField::Window},
        {"per_user_limit", RuleField::PerUserLimit},
        {"scope.skus", RuleField::Skus},
        {"scope.categories", RuleField::Categories},
        {"unit_price", RuleField::UnitPrice},
        {"percent_of_list", RuleField::PercentOfList},
        {"segment", RuleField::Segment},
        {"percent_off", RuleField::PercentOff},
        {"max_off", RuleField::MaxOff},
        {"tiers", RuleField::Tiers},
    };
    const auto it = kFields.find(field);
    if (it == kFields.end())
        return std::nullopt;
    return it->second;
}

RuleDialog::RuleDialog(const v1::PricingRule &rule, PricingClient *client, QSet<QString> otherIds,
                       std::optional<QMap<QString, bool>> segments, QWidget *parent)
    : QDialog(parent), m_client(client), m_otherIds(std::move(otherIds)), m_segments(std::move(segments)),
      m_segmentNote(new QLabel(this)), m_original(rule), m_checkTimer(new QTimer(this)), m_status(new QLabel(this)),
      m_retry(new QPushButton(tr("Check again"), this)), m_form(new QFormLayout()), m_id(new QLineEdit(this)),
      m_name(new QLineEdit(this)), m_kind(new QComboBox(this)), m_enabled(new QCheckBox(tr("Enabled"), this)),
      m_priority(new QSpinBox(this)), m_stackable(new QCheckBox(tr("Combines with other rules"), this)),
      m_exclusionGroup(new QLineEdit(this)), m_hasStart(new QCheckBox(tr("From"), this)),
      m_start(new QDateTimeEdit(this)), m_hasEnd(new QCheckBox(tr("Until"), this)), m_end(new QDateTimeEdit(this)),
      m_perUserLimit(new QSpinBox(this)), m_skus(new QLineEdit(this)), m_categories(new QLineEdit(this)),
      m_unitPrice(new QLineEdit(this)), m_percentOfList(new QLineEdit(this)), m_segment(new QLineEdit(this)),
      m_percentOff(new QLineEdit(this)), m_maxOff(new QLineEdit(this)), m_tiers(new QLineEdit(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    // Named as the backend names the fields, for tests and accessibility tools.
    m_id->setObjectName(QStringLiteral("id"));
    m_name->setObjectName(QStringLiteral("name"));
    m_skus->setObjectName(QStringLiteral("scope.skus"));
    m_categories->setObjectName(QStringLiteral("scope.categories"));
    m_unitPrice->setObjectName(QStringLiteral("unit_price"));
    m_percentOfList->setObjectName(QStringLiteral("percent_of_list"));
    m_segment->setObjectName(QStringLiteral("segment"));
    m_percentOff->setObjectName(QStringLiteral("percent_off"));
    m_maxOff->setObjectName(QStringLiteral("max_off"));
    m_tiers->setObjectName(QStringLiteral("tiers"));
    setWindowTitle(rule.id().empty() ? tr("Add a rule") : tr("Edit rule %1").arg(QString::fromStdString(rule.id())));
    for (const v1::RuleKind kind : {v1::RULE_KIND_PERCENT_OFF, v1::RULE_KIND_THRESHOLD, v1::RULE_KIND_SKU_PRICE,
                                    v1::RULE_KIND_CATEGORY_PRICE, v1::RULE_KIND_SEGMENT_PRICE})
        m_kind->addItem(RuleText::kindName(kind), static_cast<int>(kind));
    m_kind->setCurrentIndex(std::max(0, m_kind->findData(static_cast<int>(rule.kind()))));
    m_id->setText(QString::fromStdString(rule.id()));
    m_name->setText(QString::fromStdString(rule.name()));
    m_enabled->setChecked(rule.enabled());
    m_priority->setRange(-1000000, 1000000);
    m_priority->setValue(rule.priority());
    m_stackable->setChecked(rule.stackable());
    m_exclusionGroup->setText(QString::fromStdString(rule.exclusion_group()));
    for (QDateTimeEdit *edit : {m_start, m_end}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setDateTime(QDateTime::currentDateTime());
    }
    m_hasStart->setChecked(rule.has_starts_at());
    if (rule.has_starts_at())
        m_start->setDateTime(QDateTime::fromSecsSinceEpoch(rule.starts_at().seconds()));
    m_hasEnd->setChecked(rule.has_ends_at());
    if (rule.has_ends_at())
        m_end->setDateTime(QDateTime::fromSecsSinceEpoch(rule.ends_at().seconds()));
    m_perUserLimit->setRange(0, 1000000);
    m_perUserLimit->setSpecialValueText(tr("no limit"));
    m_perUserLimit->setValue(rule.per_user_limit());
    m_skus->setText(joinList(rule.scope_skus()));
    m_skus->setPlaceholderText(tr("e.g. ELE-1001, ELE-1002; empty for all"));
    m_categories->setText(joinList(rule.scope_categories()));
    m_categories->setPlaceholderText(tr("e.g. Electronics; empty for all"));
    m_unitPrice->setText(plainDecimal(rule.unit_price_minor()));
    m_percentOfList->setText(plainDecimal(rule.percent_of_list_bp()));
    m_segment->setText(QString::fromStdString(rule.segment()));
    m_percentOff->setText(plainDecimal(rule.percent_off_bp()));
    m_maxOff->setText(rule.max_off_minor() > 0 ? plainDecimal(rule.max_off_minor()) : QString());
    m_maxOff->setPlaceholderText(tr("empty for no cap"));
    QStringList tiers;
    for (const v1::ThresholdTier &tier : rule.tiers())
        tiers.append(plainDecimal(tier.spend_minor()) + u':' + plainDecimal(tier.off_minor()));
    m_tiers->setText(tiers.join(QStringLiteral(", ")));
    m_tiers->setPlaceholderText(tr("spend:off, e.g. 300:30, 500:60"));

    auto *window = new QWidget(this);
    auto *windowLayout = new QHBoxLayout(window);
    windowLayout->setContentsMargins(0, 0, 0, 0);
    windowLayout->addWidget(m_hasStart);
    windowLayout->addWidget(m_start);
    windowLayout->addWidget(m_hasEnd);
    windowLayout->addWidget(m_end);

    addRow(tr("Id:"), m_id, RuleField::Id);
    addRow(tr("Name:"), m_name, RuleField::Name);
    m_form->addRow(tr("Type:"), m_kind);
    m_form->addRow(QString(), m_enabled);
    m_form->addRow(tr("Priority (higher first):"), m_priority);
    m_form->addRow(QString(), m_stackable);
    m_form->addRow(tr("Exclusion group:"), m_exclusionGroup);
    addRow(tr("When:"), window, RuleField::Window);
    addRow(tr("Orders per user:"), m_perUserLimit, RuleField::PerUserLimit);
    addRow(tr("SKUs:"), m_skus, RuleField::Skus);
    addRow(tr("Categories:"), m_categories, RuleField::Categories);
    addRow(tr("Unit price (¥):"), m_unitPrice, RuleField::UnitPrice);
    addRow(tr("Pay % of list price:"), m_percentOfList, RuleField::PercentOfList);
    addRow(tr("Segment:"), m_segment, RuleField::Segment);
    m_segmentNote->setStyleSheet(QStringLiteral("color: #9a6700;"));
    m_segmentNote->setWordWrap(true);
    m_segmentNote->hide();
    m_fields.value(RuleField::Segment)->layout()->addWidget(m_segmentNote);
    m_segment->setPlaceholderText(tr("a segment id from the Segments page, e.g. new_payers"));
    if (m_segments) {
        auto *completer = new QCompleter(m_segments->keys(), m_segment);
        completer->setCaseSensitivity(Qt::CaseSensitive);
        m_segment->setCompleter(completer);
    }
    addRow(tr("Percent off:"), m_percentOff, RuleField::PercentOff);
    addRow(tr("At most off (¥):"), m_maxOff, RuleField::MaxOff);
    addRow(tr("Tiers:"), m_tiers, RuleField::Tiers);

    m_status->setWordWrap(true);
    m_retry->hide();
    auto *statusRow = new QHBoxLayout();
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_retry);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(m_form);
    layout->addLayout(statusRow);
    layout->addWidget(m_buttons);
    m_checkTimer->setSingleShot(true);
    m_checkTimer->setInterval(kCheckDelayMs);
    connect(m_checkTimer, &QTimer::timeout, this, &RuleDialog::askBackend);
    connect(m_retry, &QPushButton::clicked, this, &RuleDialog::revalidate);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    for (QLineEdit *edit : {m_id, m_name, m_exclusionGroup, m_skus, m_categories, m_unitPrice, m_percentOfList,
                            m_segment, m_percentOff, m_maxOff, m_tiers})
        connect(edit, &QLineEdit::textChanged, this, &RuleDialog::revalidate);
    for (QCheckBox *box : {m_hasStart, m_hasEnd})
        connect(box, &QCheckBox::toggled, this, &RuleDialog::revalidate);
    for (QDateTimeEdit *edit : {m_start, m_end})
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &RuleDialog::revalidate);
    connect(m_perUserLimit, &QSpinBox::valueChanged, this, &RuleDialog::revalidate);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &RuleDialog::revalidate);
    revalidate();
}

RuleDialog::~RuleDialog() = default;

QString RuleDialog::segmentNote() const
{
    return m_segmentNote->isHidden() ? QString() : m_segmentNote->text();
}

void RuleDialog::addRow(const QString &label, QWidget *field, RuleField which)
{
    auto *row = new QWidget(this);
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field);
    auto *problem = new QLabel(row);
    problem->setStyleSheet(QStringLiteral("color: #cf222e;"));
    problem->setWordWrap(true);
    problem->hide();
    layout->addWidget(problem);
    m_problemLabels.insert(which, problem);
    m_fields.insert(which, row);
    m_form->addRow(label, row);
}

v1::PricingRule RuleDialog::rule() const
{
    v1::PricingRule rule = m_original;
    rule.clear_state();
    rule.set_id(m_id->text().trimmed().toStdString());
    rule.set_name(m_name->text().trimmed().toStdString());
    rule.set_kind(static_cast<v1::RuleKind>(m_kind->currentData().toInt()));
    rule.set_enabled(m_enabled->isChecked());
    rule.set_priority(m_priority->value());
    rule.set_stackable(m_stackable->isChecked());
    rule.set_exclusion_group(m_exclusionGroup->text().trimmed().toStdString());
    rule.clear_starts_at();
    rule.clear_ends_at();
    if (m_hasStart->isChecked())
        rule.mutable_starts_at()->set_seconds(m_start->dateTime().toSecsSinceEpoch());
    if (m_hasEnd->isChecked())
        rule.mutable_ends_at()->set_seconds(m_end->dateTime().toSecsSinceEpoch());
    rule.set_per_user_limit(m_perUserLimit->value());
    rule.clear_scope_skus();
    for (const QString &sku : splitList(m_skus->text()))
        rule.add_scope_skus(sku.toStdString());
    rule.clear_scope_categories();
    for (const QString &category : splitList(m_categories->text()))
        rule.add_scope_categories(category.toStdString());
    // Only the parameters of the chosen type; the others are cleared (the backend
    // refuses a parameter of another type in a file, and they would only confuse).
    rule.clear_unit_price_minor();
    rule.clear_percent_of_list_bp();
    rule.clear_segment();
    rule.clear_percent_off_bp();
    rule.clear_max_off_minor();
    rule.clear_tiers();
    qint64 value = 0;
    switch (rule.kind()) {
    case v1::RULE_KIND_SKU_PRICE:
        rule.set_unit_price_minor(parseDecimal(m_unitPrice->text(), &value) ? value : -1);
        break;
    case v1::RULE_KIND_SEGMENT_PRICE:
        rule.set_segment(m_segment->text().trimmed().toStdString());
        [[fallthrough]];
    case v1::RULE_KIND_CATEGORY_PRICE:
        rule.set_percent_of_list_bp(
            parseDecimal(m_percentOfList->text(), &value) && value <= kBasisPoints * 10 ? static_cast<int>(value) : -1);
        break;
    case v1::RULE_KIND_PERCENT_OFF:
        rule.set_percent_off_bp(
            parseDecimal(m_percentOff->text(), &value) && value <= kBasisPoints * 10 ? static_cast<int>(value) : -1);
        if (!m_maxOff->text().trimmed().isEmpty())
            rule.set_max_off_minor(parseDecimal(m_maxOff->text(), &value) && value > 0 ? value : -1);
        break;
    case v1::RULE_KIND_THRESHOLD:
        for (const QString &pair :
             m_tiers->text().split(QRegularExpression(QStringLiteral("[,，;；]")), Qt::SkipEmptyParts)) {
            const QStringList parts = pair.split(QRegularExpression(QStringLiteral("[:：]")));
            qint64 spend = 0;
            qint64 off = 0;
            v1::ThresholdTier *tier = rule.add_tiers();
            if (parts.size() == 2 && parseDecimal(parts[0], &spend) && parseDecimal(parts[1], &off)) {
                tier->set_spend_minor(spend);
                tier->set_off_minor(off);
            } // else 0:0, which validation reports
        }
        break;
    default:
        break;
    }
    return rule;
}

void RuleDialog::revalidate()
{
    const auto kind = static_cast<v1::RuleKind>(m_kind->currentData().toInt());
    const bool sku = kind == v1::RULE_KIND_SKU_PRICE;
    const bool listPercent = kind == v1::RULE_KIND_CATEGORY_PRICE || kind == v1::RULE_KIND_SEGMENT_PRICE;
    m_form->setRowVisible(m_fields.value(RuleField::UnitPrice), sku);
    m_form->setRowVisible(m_fields.value(RuleField::PercentOfList), listPercent);
    m_form->setRowVisible(m_fields.value(RuleField::Segment), kind == v1::RULE_KIND_SEGMENT_PRICE);
    m_form->setRowVisible(m_fields.value(RuleField::PercentOff), kind == v1::RULE_KIND_PERCENT_OFF);
    m_form->setRowVisible(m_fields.value(RuleField::MaxOff), kind == v1::RULE_KIND_PERCENT_OFF);
    m_form->setRowVisible(m_fields.value(RuleField::Tiers), kind == v1::RULE_KIND_THRESHOLD);
    m_start->setEnabled(m_hasStart->isChecked());
    m_end->setEnabled(m_hasEnd->isChecked());

    const v1::PricingRule current = rule();
    // Amounts that did not parse are marked -1 by rule(); say so in the form's terms.
    m_inputProblems.clear();
    qint64 ignored = 0;
    if (sku && !parseDecimal(m_unitPrice->text(), &ignored))
        m_inputProblems[RuleField::UnitPrice] = tr("Enter an amount such as 149.90.");
    if (listPercent && !parseDecimal(m_percentOfList->text(), &ignored))
        m_inputProblems[RuleField::PercentOfList] = tr("Enter a percentage such as 85 or 87.5.");
    if (kind == v1::RULE_KIND_PERCENT_OFF && !parseDecimal(m_percentOff->text(), &ignored))
        m_inputProblems[RuleField::PercentOff] = tr("Enter a percentage such as 15 or 12.5.");
    if (kind == v1::RULE_KIND_PERCENT_OFF && !m_maxOff->text().trimmed().isEmpty() &&
        !parseDecimal(m_maxOff->text(), &ignored))
        m_inputProblems[RuleField::MaxOff] = tr("Enter an amount such as 50, or leave it empty.");
    if (kind == v1::RULE_KIND_THRESHOLD) {
        for (const v1::ThresholdTier &tier : current.tiers()) {
            if (tier.spend_minor() == 0 && tier.off_minor() == 0)
                m_inputProblems[RuleField::Tiers] = tr("Write each tier as spend:off, e.g. 300:30.");
        }
    }
    // A segment the current segment set lacks or has disabled is allowed (it may come
    // later), but the operator should know that nobody gets the price today.
    QString note;
    const QString segment = QString::fromStdString(current.segment());
    if (kind == v1::RULE_KIND_SEGMENT_PRICE && m_segments && !segment.isEmpty()) {
        if (!m_segments->contains(segment))
            note = tr("There is no segment “%1” in the current segment set: nobody gets this price until one is "
                      "added on the Segments page.")
                       .arg(segment);
        else if (!m_segments->value(segment))
            note = tr("Segment “%1” is disabled: nobody gets this price while it stays disabled.").arg(segment);
    }
    m_segmentNote->setText(note);
    m_segmentNote->setVisible(!note.isEmpty());

    // The backend's problems of the previous state stay in view until it answers, but
    // OK waits for the answer about this one.
    ++m_generation;
    m_validation = Validation::Checking;
    m_problems = m_backendProblems;
    m_problems.insert(m_inputProblems);
    m_status->setStyleSheet(QString());
    m_status->setText(tr("Checking the rule with the backend…"));
    m_retry->hide();
    showProblems();
    m_checkTimer->start();
}

void RuleDialog::askBackend()
{
    v1::ValidateRuleSetRequest request;
    *request.add_rules() = rule();
    for (const QString &id : m_otherIds)
        request.add_other_ids(id.toStdString());
    const quint64 generation = m_generation;
    const QPointer<RuleDialog> self(this);
    m_client->validateRuleSet(
        request, [self, generation](const grpc::Status &status, const v1::ValidateRuleSetResponse &response) {
            // The dialog may be closed, or the form changed since: then the answer is stale.
            if (self && self->m_generation == generation)
                self->showAnswer(status, response);
        });
}

void RuleDialog::showAnswer(const grpc::Status &status, const v1::ValidateRuleSetResponse &response)
{
    m_backendProblems.clear();
    m_problems = m_inputProblems;
    QStringList general;
    if (!status.ok()) {
        switch (status.error_code()) {
        case grpc::StatusCode::UNAVAILABLE:
        case grpc::StatusCode::DEADLINE_EXCEEDED:
        case grpc::StatusCode::CANCELLED:
            m_validation = Validation::Unreachable;
            m_status->setText(tr("The backend cannot be reached (%1), so the rule cannot be checked and OK stays "
                                 "disabled. Check the connection, then try again.")
                                  .arg(QString::fromStdString(status.error_message())));
            break;
        default:
            m_validation = Validation::Unreachable;
            m_status->setText(tr("The backend could not check the rule: %1. OK stays disabled.")
                                  .arg(QString::fromStdString(status.error_message())));
            break;
        }
        m_status->setStyleSheet(QStringLiteral("color: #cf222e;"));
        m_retry->show();
        showProblems();
        Q_EMIT validated();
        return;
    }
    for (const v1::RuleProblem &problem : response.problems()) {
        const QString message = QString::fromStdString(problem.message());
        auto field = ruleFieldFromBackend(problem.field());
        // A field the form marked itself keeps the form's words (the backend only sees -1).
        if (field && m_inputProblems.contains(*field))
            continue;
        if (field && m_fields.contains(*field) && !m_form->isRowVisible(m_fields.value(*field)))
            field.reset();
        if (field && !m_problems.contains(*field)) {
            m_problems[*field] = message;
            m_backendProblems[*field] = message;
        } else
            general.append(message);
    }
    m_validation = m_problems.isEmpty() && general.isEmpty() ? Validation::Valid : Validation::Invalid;
    if (general.isEmpty() && m_validation == Validation::Invalid)
        m_status->setText(
            tr("This rule has %n problem(s); see the fields above.", nullptr, static_cast<int>(m_problems.size())));
    else
        m_status->setText(general.join(u'\n'));
    m_status->setStyleSheet(QStringLiteral("color: #cf222e;"));
    showProblems();
    Q_EMIT validated();
}

void RuleDialog::showProblems()
{
    for (auto it = m_problemLabels.cbegin(); it != m_problemLabels.cend(); ++it) {
        const QString problem = m_problems.value(it.key());
        it.value()->setText(problem);
        it.value()->setVisible(!problem.isEmpty());
    }
    m_status->setVisible(!m_status->text().isEmpty());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(m_validation == Validation::Valid);
}

QString RuleDialog::statusText() const
{
    return m_status->text();
}

bool RuleDialog::okEnabled() const
{
    return m_buttons->button(QDialogButtonBox::Ok)->isEnabled();
}

} // namespace flywheel::ui
