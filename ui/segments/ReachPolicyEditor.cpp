#include "segments/ReachPolicyEditor.h"

#include "segments/ExpressionEditor.h"

#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace flywheel::ui {

ReachPolicyEditor::ReachPolicyEditor(SegmentClient *client, QWidget *parent)
    : QGroupBox(tr("Reach policy (all segments)"), parent), m_seed(new ExpressionEditor(client, false, this)),
      m_holdout(new QSpinBox(this)), m_rateLimit(new QSpinBox(this))
{
    m_seed->setEmptyText(tr("Empty: every user is a seed user."));
    m_seed->setPlaceholderText(tr("every user"));
    m_seed->textEdit()->setFixedHeight(m_seed->textEdit()->fontMetrics().lineSpacing() * 3 + 14);
    m_holdout->setRange(0, 50);
    m_holdout->setSuffix(tr(" %"));
    m_holdout->setToolTip(tr("Matched users held out of every message, to measure what the messages change."));
    m_rateLimit->setRange(0, 1000000);
    m_rateLimit->setSpecialValueText(tr("no limit"));
    m_rateLimit->setSuffix(tr(" per second"));
    m_rateLimit->setToolTip(tr("Messages per second across all users and channels; 0 for no limit."));

    auto *form = new QFormLayout();
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->addRow(tr("Holdout"), m_holdout);
    form->addRow(tr("Rate limit"), m_rateLimit);
    auto *note = new QLabel(tr("Users who are not seed users get the generic strategy instead of the segments."), this);
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color: #57606a;"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Seed users (the segments apply to them):"), this));
    layout->addWidget(m_seed);
    layout->addLayout(form);
    layout->addWidget(note);
    layout->addStretch(1);

    connect(m_seed, &ExpressionEditor::edited, this, [this](const QString &text) {
        edit(Field::Seed, [&](v1::ReachPolicy &p) { p.set_seed_expression(text.toStdString()); });
    });
    connect(m_holdout, &QSpinBox::valueChanged, this,
            [this](int value) { edit(Field::Holdout, [&](v1::ReachPolicy &p) { p.set_holdout_percent(value); }); });
    connect(m_rateLimit, &QSpinBox::valueChanged, this, [this](int value) {
        edit(Field::RateLimit, [&](v1::ReachPolicy &p) { p.set_rate_limit_per_second(value); });
    });
}

void ReachPolicyEditor::setFeatures(const v1::ListFeaturesResponse &features)
{
    m_seed->setFeatures(features);
}

void ReachPolicyEditor::showPolicy(const v1::ReachPolicy &policy)
{
    m_loading = true;
    m_policy = policy;
    m_seed->setText(QString::fromStdString(policy.seed_expression()));
    m_holdout->setValue(policy.holdout_percent());
    m_rateLimit->setValue(policy.rate_limit_per_second());
    m_loading = false;
}

void ReachPolicyEditor::edit(Field field, const std::function<void(v1::ReachPolicy &)> &change)
{
    if (m_loading)
        return;
    v1::ReachPolicy after = m_policy;
    change(after);
    if (after.SerializeAsString() != m_policy.SerializeAsString())
        Q_EMIT edited(field, after);
}

} // namespace flywheel::ui
