#include "experiments/ExperimentEditor.h"

#include "common/TimeText.h"
#include "experiments/ExperimentText.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QSignalBlocker>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

const QString kProblemStyle = QStringLiteral("color: #cf222e;");
const QString kBadInputStyle = QStringLiteral("QLineEdit { border: 1px solid #cf222e; }");
constexpr int kMaxCopy = 200;
constexpr int kMaxSalt = 64;
constexpr int kMaxMinRunHours = 720;

bool isKey(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^[a-z0-9_-]{1,40}$"));
    return pattern.match(text).hasMatch();
}

QLabel *problemLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setStyleSheet(kProblemStyle);
    label->setWordWrap(true);
    label->hide();
    return label;
}

/// An input with its problem under it, for one row of the form.
QWidget *withProblem(QWidget *input, QLabel *problem, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(input);
    layout->addWidget(problem);
    return box;
}

/// Basis points as the input shows them: "50", "12.5", "33.33".
QString percentText(int basisPoints)
{
    if (basisPoints % 100 == 0)
        return QString::number(basisPoints / 100);
    if (basisPoints % 10 == 0)
        return QStringLiteral("%1.%2").arg(basisPoints / 100).arg(basisPoints % 100 / 10);
    return QStringLiteral("%1.%2").arg(basisPoints / 100).arg(basisPoints % 100, 2, 10, QLatin1Char('0'));
}

v1::ExperimentSurface surfaceAt(const QComboBox *box)
{
    return static_cast<v1::ExperimentSurface>(box->currentData().toInt());
}

} // namespace

ExperimentEditor::ExperimentEditor(QWidget *parent)
    : QWidget(parent), m_key(new QLineEdit(this)), m_keyProblem(problemLabel(this)), m_name(new QLineEdit(this)),
      m_nameProblem(problemLabel(this)), m_hypothesis(new QLineEdit(this)), m_surface(new QComboBox(this)),
      m_salt(new QLineEdit(this)), m_saltProblem(problemLabel(this)), m_traffic(new QLineEdit(this)),
      m_trafficProblem(problemLabel(this)), m_minRunHours(new QLineEdit(this)),
      m_minRunHoursProblem(problemLabel(this)), m_lock(new QLabel(this)), m_variantsGrid(new QGridLayout()),
      m_weightTotal(new QLabel(this)), m_variantsProblem(problemLabel(this)),
      m_addVariant(new QPushButton(tr("Add variant"), this)), m_subsidyVersionsStatus(new QLabel(this))
{
    m_subsidyVersionsStatus->setWordWrap(true);
    m_subsidyVersionsStatus->setText(tr("Loading the stored subsidy config versions…"));
    m_key->setPlaceholderText(tr("e.g. invite-copy-spring"));
    m_key->setToolTip(tr("Lower-case letters, digits, “_” and “-”, at most 40; it names the experiment for good."));
    m_name->setPlaceholderText(tr("What operators call it"));
    m_hypothesis->setPlaceholderText(tr("e.g. A concrete reward in the copy makes more users share"));
    m_surface->addItem(ExperimentText::surfaceName(v1::EXPERIMENT_SURFACE_INVITE_COPY),
                       int(v1::EXPERIMENT_SURFACE_INVITE_COPY));
    m_surface->addItem(ExperimentText::surfaceName(v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY),
                       int(v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY));
    m_salt->setPlaceholderText(tr("the key, when left empty"));
    m_salt->setToolTip(tr("Mixed into the hash that assigns users; a new salt re-randomises everyone. It cannot "
                          "change once the experiment has started."));
    m_traffic->setToolTip(tr("The share of all users who enter the experiment; the others get the default."));
    m_minRunHours->setToolTip(tr("Shipping a variant is offered only after the experiment ran this long "
                                 "(0 to 720 hours)."));
    m_lock->setWordWrap(true);
    m_lock->setStyleSheet(QStringLiteral("color: #9a6700;"));
    m_lock->hide();
    m_weightTotal->setWordWrap(true);

    auto *traffic = new QWidget(this);
    auto *trafficRow = new QHBoxLayout(traffic);
    trafficRow->setContentsMargins(0, 0, 0, 0);
    trafficRow->addWidget(m_traffic);
    trafficRow->addWidget(new QLabel(tr("% of users"), this), 1);
    auto *hours = new QWidget(this);
    auto *hoursRow = new QHBoxLayout(hours);
    hoursRow->setContentsMargins(0, 0, 0, 0);
    hoursRow->addWidget(m_minRunHours);
    hoursRow->addWidget(new QLabel(tr("hours before a variant may be shipped"), this), 1);
    m_traffic->setMaximumWidth(90);
    m_minRunHours->setMaximumWidth(90);

    auto *form = new QFormLayout();
    form->addRow(tr("Key"), withProblem(m_key, m_keyProblem, this));
    form->addRow(tr("Name"), withProblem(m_name, m_nameProblem, this));
    form->addRow(tr("Hypothesis"), m_hypothesis);
    form->addRow(tr("Surface"), m_surface);
    form->addRow(tr("Salt"), withProblem(m_salt, m_saltProblem, this));
    form->addRow(tr("Traffic"), withProblem(traffic, m_trafficProblem, this));
    form->addRow(tr("Minimum run"), withProblem(hours, m_minRunHoursProblem, this));

    auto *variantsTitle = new QLabel(tr("Variants (the first one is the control)"), this);
    QFont bold = variantsTitle->font();
    bold.setBold(true);
    variantsTitle->setFont(bold);
    auto *addRow = new QHBoxLayout();
    addRow->addWidget(m_addVariant);
    addRow->addWidget(m_weightTotal, 1);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_lock);
    layout->addLayout(form);
    layout->addSpacing(8);
    layout->addWidget(variantsTitle);
    layout->addLayout(m_variantsGrid);
    layout->addLayout(addRow);
    layout->addWidget(m_variantsProblem);
    layout->addWidget(m_subsidyVersionsStatus);
    layout->addStretch(1);

    for (QLineEdit *input : {m_key, m_name, m_hypothesis, m_salt, m_traffic, m_minRunHours})
        connect(input, &QLineEdit::textEdited, this, &ExperimentEditor::check);
    connect(m_surface, &QComboBox::currentIndexChanged, this, [this] {
        updatePayloadHints();
        check();
    });
    connect(m_addVariant, &QPushButton::clicked, this, &ExperimentEditor::addVariant);
    startNew({});
}

// ---------------------------------------------------------------------------
// Loading

void ExperimentEditor::startNew(const QStringList &takenKeys)
{
    v1::Experiment fresh;
    fresh.set_surface(v1::EXPERIMENT_SURFACE_INVITE_COPY);
    fresh.set_traffic_bp(10000);
    fresh.set_min_run_hours(24);
    for (const char *key : {"control", "treatment"}) {
        v1::ExperimentVariant *variant = fresh.add_variants();
        variant->set_key(key);
        variant->set_weight_bp(5000);
    }
    fresh.mutable_variants(0)->set_name(tr("Control").toStdString());
    fresh.mutable_variants(1)->set_name(tr("Treatment").toStdString());
    setExperiment(fresh);
    m_takenKeys = takenKeys;
    m_mode = Mode::New;
    applyMode();
    validate();
}

void ExperimentEditor::setExperiment(const v1::Experiment &experiment)
{
    m_loading = true;
    m_shown = experiment;
    m_takenKeys.clear();
    switch (experiment.status()) {
    case v1::EXPERIMENT_STATUS_DRAFT:
        m_mode = Mode::Draft;
        break;
    case v1::EXPERIMENT_STATUS_RUNNING:
        m_mode = Mode::Running;
        break;
    case v1::EXPERIMENT_STATUS_UNSPECIFIED:
        m_mode = Mode::New;
        break;
    default:
        m_mode = Mode::ReadOnly;
        break;
    }
    m_key->setText(QString::fromStdString(experiment.key()));
    m_name->setText(QString::fromStdString(experiment.name()));
    m_hypothesis->setText(QString::fromStdString(experiment.hypothesis()));
    const int surface = m_surface->findData(int(experiment.surface()));
    m_surface->setCurrentIndex(surface < 0 ? 0 : surface);
    m_salt->setText(QString::fromStdString(experiment.salt()));
    m_traffic->setText(percentText(experiment.traffic_bp()));
    m_minRunHours->setText(QString::number(experiment.min_run_hours()));
    for (const Row &row : std::as_const(m_rows)) {
        for (QWidget *w :
             {static_cast<QWidget *>(row.key), static_cast<QWidget *>(row.name), static_cast<QWidget *>(row.weight),
              static_cast<QWidget *>(row.payload), static_cast<QWidget *>(row.version),
              static_cast<QWidget *>(row.remove)}) {
            w->hide();
            w->deleteLater();
        }
    }
    m_rows.clear();
    for (const v1::ExperimentVariant &variant : experiment.variants())
        addRow(variant);
    layOutRows();
    applyMode();
    updatePayloadHints();
    m_loading = false;
    m_modified = false;
    validate();
}

void ExperimentEditor::addRow(const v1::ExperimentVariant &variant)
{
    Row row;
    row.key = new QLineEdit(QString::fromStdString(variant.key()), this);
    row.name = new QLineEdit(QString::fromStdString(variant.name()), this);
    row.weight = new QLineEdit(percentText(variant.weight_bp()), this);
    row.weight->setMaximumWidth(80);
    row.payload = new QLineEdit(QString::fromStdString(variant.payload().invite_copy()), this);
    row.version = new QComboBox(this);
    row.version->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    row.version->setMinimumContentsLength(24);
    fillVersionBox(row.version, variant.payload().subsidy_config_version());
    row.remove = new QPushButton(tr("Remove"), this);
    for (QLineEdit *input : {row.key, row.name, row.weight, row.payload})
        connect(input, &QLineEdit::textEdited, this, &ExperimentEditor::check);
    // Refills are signal-blocked: only the operator's choice marks the form modified.
    connect(row.version, &QComboBox::currentIndexChanged, this, &ExperimentEditor::check);
    QLineEdit *key = row.key;
    connect(row.remove, &QPushButton::clicked, this, [this, key] {
        for (int i = 0; i < m_rows.size(); ++i) {
            if (m_rows[i].key == key) {
                removeVariant(i);
                return;
            }
        }
    });
    m_rows.append(row);
}

void ExperimentEditor::layOutRows()
{
    while (QLayoutItem *item = m_variantsGrid->takeAt(0))
        delete item; // the rows' inputs stay; the labels are made anew
    for (QWidget *label : std::as_const(m_gridLabels)) {
        label->hide(); // at once: it is deleted only when the event loop comes round
        label->deleteLater();
    }
    m_gridLabels.clear();
    const auto label = [this](const QString &text) {
        auto *l = new QLabel(text, this);
        m_gridLabels.append(l);
        return l;
    };
    const bool subsidy = surfaceAt(m_surface) == v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY;
    const QStringList headers = {
        QString(), tr("Key"), tr("Name"), tr("Weight (%)"), subsidy ? tr("Subsidy config version") : tr("Invite copy"),
        QString()};
    for (int column = 0; column < headers.size(); ++column)
        m_variantsGrid->addWidget(label(headers[column]), 0, column);
    for (int i = 0; i < m_rows.size(); ++i) {
        m_variantsGrid->addWidget(label(i == 0 ? tr("Control") : tr("Variant %1").arg(i + 1)), i + 1, 0);
        m_variantsGrid->addWidget(m_rows[i].key, i + 1, 1);
        m_variantsGrid->addWidget(m_rows[i].name, i + 1, 2);
        m_variantsGrid->addWidget(m_rows[i].weight, i + 1, 3);
        m_variantsGrid->addWidget(m_rows[i].payload, i + 1, 4);
        m_variantsGrid->addWidget(m_rows[i].version, i + 1, 4);
        m_variantsGrid->addWidget(m_rows[i].remove, i + 1, 5);
    }
    m_variantsGrid->setColumnStretch(4, 3);
    m_variantsGrid->setColumnStretch(2, 1);
}

void ExperimentEditor::addVariant()
{
    if (m_rows.size() >= kMaxVariants || m_mode == Mode::Running || m_mode == Mode::ReadOnly)
        return;
    v1::ExperimentVariant variant;
    variant.set_key(QStringLiteral("variant-%1").arg(m_rows.size() + 1).toStdString());
    addRow(variant);
    layOutRows();
    applyMode();
    updatePayloadHints();
    check();
}

void ExperimentEditor::removeVariant(int row)
{
    if (row < 0 || row >= m_rows.size() || m_rows.size() <= kMinVariants || m_mode == Mode::Running ||
        m_mode == Mode::ReadOnly)
        return;
    const Row gone = m_rows.takeAt(row);
    for (QWidget *w :
         {static_cast<QWidget *>(gone.key), static_cast<QWidget *>(gone.name), static_cast<QWidget *>(gone.weight),
          static_cast<QWidget *>(gone.payload), static_cast<QWidget *>(gone.version),
          static_cast<QWidget *>(gone.remove)}) {
        w->hide();
        w->deleteLater();
    }
    layOutRows();
    applyMode();
    check();
}

void ExperimentEditor::applyMode()
{
    const bool editable = m_mode == Mode::New || m_mode == Mode::Draft;
    const bool running = m_mode == Mode::Running;
    m_key->setReadOnly(m_mode != Mode::New);
    for (QLineEdit *input : {m_name, m_hypothesis, m_salt, m_minRunHours})
        input->setReadOnly(!editable);
    m_surface->setEnabled(editable);
    m_traffic->setReadOnly(!editable && !running);
    for (const Row &row : std::as_const(m_rows)) {
        row.key->setReadOnly(!editable);
        row.name->setReadOnly(!editable);
        row.payload->setReadOnly(!editable);
        row.version->setEnabled(editable);
        row.weight->setReadOnly(!editable && !running);
        row.remove->setVisible(editable);
        row.remove->setEnabled(m_rows.size() > kMinVariants);
    }
    m_addVariant->setVisible(editable);
    m_addVariant->setEnabled(m_rows.size() < kMaxVariants);
    m_lock->setText(lockText());
    m_lock->setVisible(!m_lock->text().isEmpty());
}

QString ExperimentEditor::lockText() const
{
    switch (m_mode) {
    case Mode::Running:
        return tr("This experiment is running: only its traffic and its variants' weights can change. Key, salt, "
                  "surface, variants and their payloads are locked because users who were already assigned stay in "
                  "their variant; changing what a variant means would mix two treatments in one result. To try "
                  "something else, stop it and start a new experiment.");
    case Mode::ReadOnly:
        return tr("This experiment is %1 and can no longer be edited; its results stay.")
            .arg(ExperimentText::statusName(m_shown.status()));
    case Mode::Draft:
        return tr("A draft: everything but the key can change until it is started.");
    case Mode::New:
        break;
    }
    return QString();
}

void ExperimentEditor::updatePayloadHints()
{
    const bool subsidy = surfaceAt(m_surface) == v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY;
    for (const Row &row : std::as_const(m_rows)) {
        row.payload->setPlaceholderText(tr("the text shown with the invite link"));
        row.payload->setVisible(!subsidy);
        row.version->setVisible(subsidy);
        row.version->setToolTip(tr("A stored subsidy config version: a live one, or a candidate saved on the "
                                   "Subsidies page (not in force until a variant using it ships)."));
    }
    m_subsidyVersionsStatus->setVisible(subsidy && !m_subsidyVersionsStatus->text().isEmpty());
    if (auto *item = m_variantsGrid->itemAtPosition(0, 4); item && item->widget()) {
        if (auto *label = qobject_cast<QLabel *>(item->widget()))
            label->setText(subsidy ? tr("Subsidy config version") : tr("Invite copy"));
    }
}

// ---------------------------------------------------------------------------
// Subsidy config versions

QString ExperimentEditor::subsidyVersionText(const v1::SubsidyConfigVersion &version)
{
    constexpr int kReasonChars = 40;
    QString reason = QString::fromStdString(version.reason()).simplified();
    if (reason.size() > kReasonChars)
        reason = reason.left(kReasonChars - 1) + u'…';
    QStringList parts{tr("v%1").arg(version.version()), version.candidate() ? tr("candidate") : tr("live")};
    if (!reason.isEmpty())
        parts.append(reason);
    parts.append(TimeText::timestamp(version.created_at(), TimeText::Seconds::WhenNotZero));
    return parts.join(QStringLiteral(" · "));
}

void ExperimentEditor::fillVersionBox(QComboBox *box, qint64 selected)
{
    const QSignalBlocker blocker(box);
    box->clear();
    if (selected <= 0)
        box->addItem(tr("Choose a version…"), qlonglong(0));
    bool listed = false;
    for (const v1::SubsidyConfigVersion &version : std::as_const(m_subsidyVersions)) {
        box->addItem(subsidyVersionText(version), qlonglong(version.version()));
        if (version.candidate())
            box->setItemData(box->count() - 1,
                             tr("A candidate: stored but not in force; shipping a variant with it makes it live."),
                             Qt::ToolTipRole);
        listed = listed || version.version() == selected;
    }
    if (selected > 0 && !listed) {
        // The experiment's own version stays shown and chosen, listed or not.
        box->insertItem(0,
                        m_subsidyVersionsLoaded ? tr("v%1 · not among the versions listed").arg(selected)
                                                : tr("v%1").arg(selected),
                        qlonglong(selected));
    }
    box->setCurrentIndex(std::max(box->findData(qlonglong(selected)), 0));
}

void ExperimentEditor::setSubsidyVersions(const QList<v1::SubsidyConfigVersion> &versions)
{
    m_subsidyVersions = versions;
    m_subsidyVersionsLoaded = true;
    for (const Row &row : std::as_const(m_rows))
        fillVersionBox(row.version, row.version->currentData().toLongLong());
    m_subsidyVersionsStatus->setText(
        versions.isEmpty() ? tr("The backend has no stored subsidy config versions yet.")
                           : tr("Live versions and candidates are listed; a candidate is not in force until a "
                                "variant using it ships."));
    m_subsidyVersionsStatus->setStyleSheet(QString());
    updatePayloadHints();
}

void ExperimentEditor::setSubsidyVersionsFailed(const QString &why)
{
    m_subsidyVersionsStatus->setText(
        m_subsidyVersionsLoaded
            ? tr("The stored subsidy config versions could not be loaded again: %1 The list offered is from the last "
                 "load; the page tries again.")
                  .arg(why)
            : tr("The stored subsidy config versions could not be loaded, so none can be newly chosen: %1 The "
                 "versions already chosen are kept; the page tries again.")
                  .arg(why));
    m_subsidyVersionsStatus->setStyleSheet(kProblemStyle);
    updatePayloadHints();
}

QString ExperimentEditor::subsidyVersionsText() const
{
    return m_subsidyVersionsStatus->text();
}

// ---------------------------------------------------------------------------
// Checking

int ExperimentEditor::parseBasisPoints(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,5})(?:[.,](\\d{0,2}))?\\s*$"));
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return -1;
    const int whole = match.captured(1).toInt();
    QString fraction = match.captured(2);
    while (fraction.size() < 2)
        fraction.append(u'0');
    if (whole > 100)
        return whole * 100; // out of range, said by the caller
    return whole * 100 + fraction.toInt();
}

void ExperimentEditor::showProblem(QLabel *label, QLineEdit *input, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
    if (input)
        input->setStyleSheet(text.isEmpty() ? QString() : kBadInputStyle);
}

QString ExperimentEditor::rowProblem(int row) const
{
    const Row &r = m_rows[row];
    const QString which = row == 0 ? tr("The control") : tr("Variant %1").arg(row + 1);
    const QString key = r.key->text().trimmed();
    if (!isKey(key))
        return tr("%1 needs a key of 1 to 40 lower-case letters, digits, “_” or “-”, not “%2”.").arg(which, key);
    for (int other = 0; other < row; ++other) {
        if (m_rows[other].key->text().trimmed() == key)
            return tr("%1 has the key “%2”, which another variant has already.").arg(which, key);
    }
    const int weight = parseBasisPoints(r.weight->text());
    if (weight < 0 || weight > 10000)
        return tr("%1 needs a weight from 0 to 100 % with at most two decimals, not “%2”.")
            .arg(which, r.weight->text());
    const QString payload = r.payload->text().trimmed();
    if (surfaceAt(m_surface) == v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY) {
        if (r.version->currentData().toLongLong() <= 0)
            return tr("%1 needs a subsidy config version: choose one of the stored versions.").arg(which);
    } else if (payload.isEmpty() || payload.size() > kMaxCopy) {
        return tr("%1 needs an invite copy of 1 to %2 characters, not %3.")
            .arg(which)
            .arg(kMaxCopy)
            .arg(payload.size());
    }
    return QString();
}

void ExperimentEditor::check()
{
    if (m_loading)
        return;
    m_modified = true;
    validate();
}

void ExperimentEditor::validate()
{
    // Key
    const QString key = m_key->text().trimmed();
    QString keyProblem;
    if (m_mode == Mode::New) {
        if (!isKey(key))
            keyProblem = tr("The key must be 1 to 40 lower-case letters, digits, “_” or “-”.");
        else if (m_takenKeys.contains(key))
            keyProblem = tr("An experiment with the key “%1” exists already.").arg(key);
    }
    showProblem(m_keyProblem, m_key, keyProblem);
    showProblem(m_nameProblem, m_name, m_name->text().trimmed().isEmpty() ? tr("The name is required.") : QString());
    const QString salt = m_salt->text();
    QString saltProblem;
    if (salt.size() > kMaxSalt)
        saltProblem = tr("The salt may have at most %1 characters, not %2.").arg(kMaxSalt).arg(salt.size());
    else {
        for (const QChar c : salt) {
            if (c.unicode() < 0x21 || c.unicode() > 0x7e) {
                saltProblem = tr("The salt may hold only visible ASCII characters (no spaces).");
                break;
            }
        }
    }
    showProblem(m_saltProblem, m_salt, saltProblem);
    const int traffic = parseBasisPoints(m_traffic->text());
    showProblem(
        m_trafficProblem, m_traffic,
        traffic < 1 || traffic > 10000
            ? tr("The traffic must be from 0.01 % to 100 % with at most two decimals, not “%1”.").arg(m_traffic->text())
            : QString());
    bool hoursOk = false;
    const int hours = m_minRunHours->text().trimmed().toInt(&hoursOk);
    showProblem(m_minRunHoursProblem, m_minRunHours,
                !hoursOk || hours < 0 || hours > kMaxMinRunHours
                    ? tr("The minimum run must be from 0 to %1 hours, not “%2”.")
                          .arg(kMaxMinRunHours)
                          .arg(m_minRunHours->text())
                    : QString());

    // Variants
    QStringList variantProblems;
    int total = 0;
    bool totalKnown = true;
    for (int row = 0; row < m_rows.size(); ++row) {
        const QString problem = rowProblem(row);
        if (!problem.isEmpty())
            variantProblems.append(problem);
        const int weight = parseBasisPoints(m_rows[row].weight->text());
        totalKnown = totalKnown && weight >= 0 && weight <= 10000;
        total += std::max(weight, 0);
        const bool weightBad = weight < 0 || weight > 10000;
        m_rows[row].weight->setStyleSheet(weightBad ? kBadInputStyle : QString());
        bool keyBad = !isKey(m_rows[row].key->text().trimmed());
        for (int other = 0; other < row; ++other)
            keyBad = keyBad || m_rows[other].key->text().trimmed() == m_rows[row].key->text().trimmed();
        m_rows[row].key->setStyleSheet(keyBad ? kBadInputStyle : QString());
    }
    if (m_rows.size() < kMinVariants || m_rows.size() > kMaxVariants)
        variantProblems.append(tr("An experiment needs %1 to %2 variants, not %3.")
                                   .arg(kMinVariants)
                                   .arg(kMaxVariants)
                                   .arg(m_rows.size()));
    if (totalKnown && total != 10000) {
        const QString problem =
            tr("The weights total %1; they must total 100 %.").arg(ExperimentText::basisPoints(total));
        variantProblems.prepend(problem);
        m_weightTotal->setText(problem);
        m_weightTotal->setStyleSheet(kProblemStyle);
        for (const Row &row : std::as_const(m_rows))
            row.weight->setStyleSheet(kBadInputStyle);
    } else if (totalKnown) {
        m_weightTotal->setText(tr("The weights total 100 %."));
        m_weightTotal->setStyleSheet(QStringLiteral("color: #1a7f37;"));
    } else {
        m_weightTotal->setText(tr("The total is known once every weight is a number."));
        m_weightTotal->setStyleSheet(kProblemStyle);
    }
    // The total is said next to the button already.
    QStringList shown = variantProblems;
    shown.removeAll(m_weightTotal->text());
    m_variantsProblem->setText(shown.join(u'\n'));
    m_variantsProblem->setVisible(!shown.isEmpty());
    Q_EMIT edited();
}

QString ExperimentEditor::problem(Field field) const
{
    switch (field) {
    case Field::Key:
        return m_keyProblem->isHidden() ? QString() : m_keyProblem->text();
    case Field::Name:
        return m_nameProblem->isHidden() ? QString() : m_nameProblem->text();
    case Field::Salt:
        return m_saltProblem->isHidden() ? QString() : m_saltProblem->text();
    case Field::Traffic:
        return m_trafficProblem->isHidden() ? QString() : m_trafficProblem->text();
    case Field::MinRunHours:
        return m_minRunHoursProblem->isHidden() ? QString() : m_minRunHoursProblem->text();
    case Field::Variants: {
        QStringList all;
        if (m_weightTotal->styleSheet() == kProblemStyle)
            all.append(m_weightTotal->text());
        if (!m_variantsProblem->isHidden())
            all.append(m_variantsProblem->text());
        return all.join(u'\n');
    }
    }
    return QString();
}

QStringList ExperimentEditor::problems() const
{
    QStringList all;
    for (const Field field :
         {Field::Key, Field::Name, Field::Salt, Field::Traffic, Field::MinRunHours, Field::Variants}) {
        const QString text = problem(field);
        if (!text.isEmpty())
            all.append(text.split(u'\n'));
    }
    return all;
}

QString ExperimentEditor::weightTotalText() const
{
    return m_weightTotal->text();
}

bool ExperimentEditor::isModified() const
{
    return m_modified;
}

v1::Experiment ExperimentEditor::experiment() const
{
    v1::Experiment e = m_shown;
    const bool editable = m_mode == Mode::New || m_mode == Mode::Draft;
    if (m_mode == Mode::New)
        e.set_key(m_key->text().trimmed().toStdString());
    if (editable) {
        e.set_name(m_name->text().trimmed().toStdString());
        e.set_hypothesis(m_hypothesis->text().trimmed().toStdString());
        e.set_surface(surfaceAt(m_surface));
        e.set_salt(m_salt->text().toStdString());
        e.set_min_run_hours(m_minRunHours->text().trimmed().toInt());
    }
    if (editable || m_mode == Mode::Running)
        e.set_traffic_bp(std::max(parseBasisPoints(m_traffic->text()), 0));
    if (editable)
        e.clear_variants();
    for (int row = 0; row < m_rows.size(); ++row) {
        const Row &r = m_rows[row];
        const int weight = std::max(parseBasisPoints(r.weight->text()), 0);
        if (!editable) {
            if (m_mode == Mode::Running && row < e.variants_size())
                e.mutable_variants(row)->set_weight_bp(weight);
            continue;
        }
        v1::ExperimentVariant *variant = e.add_variants();
        variant->set_key(r.key->text().trimmed().toStdString());
        variant->set_name(r.name->text().trimmed().toStdString());
        variant->set_weight_bp(weight);
        if (e.surface() == v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY)
            variant->mutable_payload()->set_subsidy_config_version(r.version->currentData().toLongLong());
        else
            variant->mutable_payload()->set_invite_copy(r.payload->text().trimmed().toStdString());
    }
    return e;
}

} // namespace flywheel::ui
