#include "referral/ProgramEditor.h"

#include <QGridLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

namespace {

const QString kHintStyle = QStringLiteral("color: #57606a;");
const QString kProblemStyle = QStringLiteral("color: #cf222e; font-weight: bold;");

} // namespace

ProgramEditor::ProgramEditor(QWidget *parent) : QWidget(parent), m_combined(new QLabel(this))
{
    m_combined->setWordWrap(true);
    m_combined->setStyleSheet(kProblemStyle);
    m_combined->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(group(tr("Rewards on registration"), {ProgramField::InviterReward, ProgramField::InviteeReward}));
    layout->addWidget(
        group(tr("Commission on invited users' orders"), {ProgramField::Level1Rate, ProgramField::Level2Rate}));
    layout->addWidget(m_combined);
    layout->addWidget(group(tr("Anti-fraud"), {ProgramField::MaxClicksPerIp, ProgramField::MaxClicksPerDevice,
                                               ProgramField::MinInviterAge, ProgramField::InviterActiveWithin}));
    layout->addWidget(group(tr("Invite tokens"), {ProgramField::TokenTtl, ProgramField::ClockLeeway}));
    layout->addStretch(1);
}

QWidget *ProgramEditor::group(const QString &title, std::initializer_list<ProgramField> fields)
{
    // Every group's columns are as wide as the widest of all, so the inputs line up.
    const QFontMetrics metrics = fontMetrics();
    int labelWidth = 0;
    int unitWidth = 0;
    for (const ProgramField field : kProgramFields) {
        labelWidth = std::max(labelWidth, metrics.horizontalAdvance(ReferralText::fieldName(field)));
        if (ReferralText::kind(field) != ReferralText::Kind::Money)
            unitWidth = std::max(unitWidth, metrics.horizontalAdvance(ReferralText::unit(field, m_currency)));
    }
    auto *box = new QGroupBox(title, this);
    auto *grid = new QGridLayout(box);
    grid->setHorizontalSpacing(6);
    grid->setColumnMinimumWidth(0, labelWidth + 12);
    grid->setColumnMinimumWidth(1, metrics.horizontalAdvance(QStringLiteral("HK$")));
    grid->setColumnMinimumWidth(3, unitWidth + 12);
    grid->setColumnStretch(4, 1);
    int row = 0;
    for (const ProgramField field : fields) {
        auto *label = new QLabel(ReferralText::fieldName(field), box);
        auto *input = new QLineEdit(box);
        // Digits and at most one point; ranges are checked (and explained) separately.
        const QString pattern = ReferralText::kind(field) == ReferralText::Kind::Count
                                    ? QStringLiteral("\\s*[0-9]{0,9}\\s*")
                                    : QStringLiteral("\\s*[0-9]{0,12}(\\.[0-9]{0,2})?\\s*");
        input->setValidator(new QRegularExpressionValidator(QRegularExpression(pattern), input));
        input->setAlignment(Qt::AlignRight);
        input->setFixedWidth(100);
        input->setAccessibleName(ReferralText::fieldName(field));
        label->setBuddy(input);
        auto *unit = new QLabel(box);
        auto *hint = new QLabel(box);
        hint->setWordWrap(true);
        hint->setStyleSheet(kHintStyle);
        hint->setMinimumWidth(150);
        hint->setTextInteractionFlags(Qt::TextSelectableByMouse);
        grid->addWidget(label, row, 0);
        // The currency symbol goes before the amount, as it is written; other units after.
        const bool money = ReferralText::kind(field) == ReferralText::Kind::Money;
        grid->addWidget(unit, row, money ? 1 : 3, money ? Qt::AlignRight : Qt::AlignLeft);
        grid->addWidget(input, row, 2);
        grid->addWidget(hint, row, 4);
        m_inputs.insert(field, input);
        m_units.insert(field, unit);
        m_hints.insert(field, hint);
        connect(input, &QLineEdit::textChanged, this, &ProgramEditor::check);
        connect(input, &QLineEdit::textEdited, this, &ProgramEditor::edited);
        ++row;
    }
    return box;
}

void ProgramEditor::setProgram(const v1::ReferralProgram &program)
{
    m_hasProgram = true;
    m_loaded = program;
    m_currency = ReferralText::currency(program);
    for (const ProgramField field : kProgramFields) {
        const QString text = ReferralText::editText(field, ReferralText::value(program, field));
        if (m_inputs[field]->text() != text)
            m_inputs[field]->setText(text);
        m_units[field]->setText(ReferralText::unit(field, m_currency));
    }
    check();
}

QList<ProgramField> ProgramEditor::rebase(const v1::ReferralProgram &program)
{
    QMap<ProgramField, QString> mine;
    QList<ProgramField> both;
    for (const ProgramField field : kProgramFields) {
        const QString typed = m_inputs[field]->text();
        const qint64 before = ReferralText::value(m_loaded, field);
        if (typed.trimmed() == ReferralText::editText(field, before))
            continue;
        mine.insert(field, typed);
        if (ReferralText::value(program, field) != before)
            both.append(field);
    }
    setProgram(program);
    for (auto it = mine.cbegin(); it != mine.cend(); ++it)
        m_inputs[it.key()]->setText(it.value());
    return both;
}

v1::ReferralProgram ProgramEditor::program() const
{
    v1::ReferralProgram program = m_loaded;
    for (const ProgramField field : kProgramFields) {
        qint64 value = 0;
        QString ignored;
        if (ReferralText::parse(field, m_inputs[field]->text(), m_currency, &value, &ignored))
            ReferralText::setValue(program, field, value, m_currency);
    }
    return program;
}

QStringList ProgramEditor::problems() const
{
    QStringList problems;
    if (!m_hasProgram)
        return {tr("The programme is not loaded yet.")};
    for (const ProgramField field : kProgramFields) {
        if (m_problems.contains(field))
            problems.append(m_problems.value(field));
    }
    if (problems.isEmpty()) {
        const QString combined = ReferralText::combinedProblem(program());
        if (!combined.isEmpty())
            problems.append(combined);
    }
    return problems;
}

bool ProgramEditor::isModified() const
{
    if (!m_hasProgram)
        return false;
    for (const ProgramField field : kProgramFields) {
        if (m_inputs[field]->text().trimmed() != ReferralText::editText(field, ReferralText::value(m_loaded, field)))
            return true;
    }
    return false;
}

void ProgramEditor::setEditable(bool editable)
{
    for (QLineEdit *input : std::as_const(m_inputs))
        input->setReadOnly(!editable);
}

void ProgramEditor::check()
{
    m_problems.clear();
    if (!m_hasProgram)
        return; // nothing to check before there is a programme
    for (const ProgramField field : kProgramFields) {
        qint64 value = 0;
        QString problem;
        QLabel *hint = m_hints[field];
        if (ReferralText::parse(field, m_inputs[field]->text(), m_currency, &value, &problem)) {
            hint->setStyleSheet(kHintStyle);
            hint->setText(tr("%1 Allowed: %2.")
                              .arg(ReferralText::fieldMeaning(field), ReferralText::rangeText(field, m_currency)));
        } else {
            m_problems.insert(field, problem);
            hint->setStyleSheet(kProblemStyle);
            hint->setText(problem);
        }
    }
    const QString combined = ReferralText::combinedProblem(program());
    m_combined->setText(combined);
    m_combined->setVisible(!combined.isEmpty());
}

} // namespace flywheel::ui
