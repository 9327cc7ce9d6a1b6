#include "alerts/ThresholdsTab.h"

#include "alerts/AlertText.h"
#include "client/AlertClient.h"
#include "client/BackendConnection.h"
#include "common/MessageBar.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "connection/EnvironmentPolicy.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>
#include <grpcpp/support/status.h>

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

constexpr int kVersionLimit = 50;

QSpinBox *spin(QWidget *parent, int min, int max, const QString &suffix)
{
    auto *box = new QSpinBox(parent);
    box->setRange(min, max);
    box->setSuffix(suffix);
    box->setGroupSeparatorShown(true);
    return box;
}

/// A share edited as a percentage.
QDoubleSpinBox *percentSpin(QWidget *parent, double min, double max)
{
    auto *box = new QDoubleSpinBox(parent);
    box->setRange(min, max);
    box->setDecimals(3); // 0.125 %: a stored share is shown as it is, not rounded by a save
    box->setSingleStep(0.1);
    box->setSuffix(QStringLiteral(" %"));
    return box;
}

QGroupBox *alertGroup(const std::string &id, QWidget *parent)
{
    auto *box = new QGroupBox(AlertText::title(id), parent);
    box->setObjectName(QString::fromStdString(id));
    box->setCheckable(true);
    box->setToolTip(AlertText::description(id));
    return box;
}

QString summary(const v1::AlertThresholds &t)
{
    QStringList parts;
    parts << AlertText::title("inventory_confirmation_slow") + QStringLiteral(": ") +
                 (t.inventory_confirmation_slow().enabled()
                      ? QStringLiteral("%1 %, %2 ms")
                            .arg(t.inventory_confirmation_slow().share() * 100)
                            .arg(t.inventory_confirmation_slow().slow_after_ms())
                      : ThresholdsTab::tr("off"));
    parts << AlertText::title("order_path_p99") + QStringLiteral(": ") +
                 (t.order_path_p99().enabled() ? QStringLiteral("%1 ms").arg(t.order_path_p99().threshold_ms())
                                                : ThresholdsTab::tr("off"));
    parts << AlertText::title("budget_near_cap") + QStringLiteral(": ") +
                 (t.budget_near_cap().enabled() ? QStringLiteral("%1 %").arg(t.budget_near_cap().share() * 100)
                                                 : ThresholdsTab::tr("off"));
    return parts.join(QStringLiteral("; "));
}

/// One line per field that differs: "Slow order creation (P99) · threshold_ms: 250 → 400".
QStringList differences(const v1::AlertThresholds &before, const v1::AlertThresholds &after)
{
    using google::protobuf::FieldDescriptor;
    QStringList lines;
    const auto *reflection = before.GetReflection();
    const auto *descriptor = before.GetDescriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
        const FieldDescriptor *alert = descriptor->field(i);
        const auto &a = reflection->GetMessage(before, alert);
        const auto &b = reflection->GetMessage(after, alert);
        for (int j = 0; j < a.GetDescriptor()->field_count(); ++j) {
            const FieldDescriptor *field = a.GetDescriptor()->field(j);
            const auto *r = a.GetReflection();
            QString from;
            QString to;
            switch (field->cpp_type()) {
            case FieldDescriptor::CPPTYPE_BOOL:
                from = r->GetBool(a, field) ? ThresholdsTab::tr("on") : ThresholdsTab::tr("off");
                to = r->GetBool(b, field) ? ThresholdsTab::tr("on") : ThresholdsTab::tr("off");
                break;
            case FieldDescriptor::CPPTYPE_INT32:
                from = QString::number(r->GetInt32(a, field));
                to = QString::number(r->GetInt32(b, field));
                break;
            case FieldDescriptor::CPPTYPE_DOUBLE:
                from = QString::number(r->GetDouble(a, field), 'g', 6);
                to = QString::number(r->GetDouble(b, field), 'g', 6);
                break;
            default:
                continue;
            }
            if (from != to)
                lines.append(QStringLiteral("%1 · %2: %3 → %4")
                                 .arg(AlertText::title(alert->name()), QString::fromStdString(field->name()), from, to));
        }
    }
    return lines;
}

} // namespace

ThresholdsTab::ThresholdsTab(AlertClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_version(new QLabel(this)),
      m_slow(alertGroup("inventory_confirmation_slow", this)), m_slowWindow(spin(this, 1, 3600, tr(" s"))),
      m_slowAfter(spin(this, 1, 600000, tr(" ms"))), m_slowShare(percentSpin(this, 0, 100)),
      m_slowMin(spin(this, 0, 1000000, QString())), m_illegal(alertGroup("illegal_transition", this)),
      m_illegalWindow(spin(this, 1, 3600, tr(" s"))), m_illegalMax(spin(this, 0, 1000000, QString())),
      m_pricing(alertGroup("pricing_reload_failed", this)), m_p99(alertGroup("order_path_p99", this)),
      m_p99Window(spin(this, 1, 600, tr(" s"))), m_p99Threshold(spin(this, 1, 60000, tr(" ms"))),
      m_p99Min(spin(this, 0, 1000000, QString())), m_budget(alertGroup("budget_near_cap", this)),
      m_budgetShare(percentSpin(this, 0.01, 100)), m_message(new MessageBar(this)),
      m_discardButton(new QPushButton(tr("Discard changes"), this)), m_saveButton(new QPushButton(tr("Save…"), this)),
      m_history(new VersionHistoryView({.extraColumns = {tr("Thresholds")},
                                        .orientation = Qt::Vertical,
                                        .rollback = true,
                                        .diffPlaceholder = tr("Select a version to see what it changed against the one before it.")},
                                       this))
{
    m_askReason = [this](const QString &title, const QString &question, const QString &consequence,
                         const QString &accept) { return ReasonDialog::ask(this, title, question, consequence, accept); };
    m_version->setWordWrap(true);

    auto *slow = new QFormLayout(m_slow);
    slow->addRow(tr("Window"), m_slowWindow);
    slow->addRow(tr("Slow after"), m_slowAfter);
    slow->addRow(tr("Fires above this share of paid orders"), m_slowShare);
    slow->addRow(tr("At least this many paid orders"), m_slowMin);
    auto *illegal = new QFormLayout(m_illegal);
    illegal->addRow(tr("Window"), m_illegalWindow);
    illegal->addRow(tr("Fires above this many attempts"), m_illegalMax);
    auto *pricing = new QVBoxLayout(m_pricing);
    auto *pricingText = new QLabel(AlertText::description("pricing_reload_failed"), m_pricing);
    pricingText->setWordWrap(true);
    pricing->addWidget(pricingText);
    auto *p99 = new QFormLayout(m_p99);
    p99->addRow(tr("Window"), m_p99Window);
    p99->addRow(tr("Fires above"), m_p99Threshold);
    p99->addRow(tr("At least this many orders"), m_p99Min);
    auto *budget = new QFormLayout(m_budget);
    budget->addRow(tr("Fires at this share of a cap"), m_budgetShare);
    for (QFormLayout *form : {slow, illegal, p99, budget})
        form->setRowWrapPolicy(QFormLayout::WrapLongRows);

    auto *form = new QWidget(this);
    auto *formLayout = new QVBoxLayout(form);
    formLayout->setContentsMargins(0, 0, 4, 0);
    for (QGroupBox *box : {m_slow, m_illegal, m_pricing, m_p99, m_budget})
        formLayout->addWidget(box);
    formLayout->addStretch(1);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(form);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);

    auto *buttons = new QHBoxLayout();
    buttons->addStretch(1);
    buttons->addWidget(m_discardButton);
    buttons->addWidget(m_saveButton);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_version);
    leftLayout->addWidget(scroll, 1);
    leftLayout->addWidget(m_message);
    leftLayout->addLayout(buttons);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_history);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    const auto edited = [this] {
        if (m_settingDraft)
            return;
        m_modified = true;
        updateEditing();
    };
    for (QSpinBox *box : {m_slowWindow, m_slowAfter, m_slowMin, m_illegalWindow, m_illegalMax, m_p99Window,
                          m_p99Threshold, m_p99Min})
        connect(box, &QSpinBox::valueChanged, this, edited);
    for (QDoubleSpinBox *box : {m_slowShare, m_budgetShare})
        connect(box, &QDoubleSpinBox::valueChanged, this, edited);
    for (QGroupBox *box : {m_slow, m_illegal, m_pricing, m_p99, m_budget})
        connect(box, &QGroupBox::toggled, this, edited);
    connect(m_saveButton, &QPushButton::clicked, this, &ThresholdsTab::askSave);
    connect(m_discardButton, &QPushButton::clicked, this, [this] {
        if (m_current)
            setDraft(m_current->thresholds());
        m_message->clearMessage();
    });
    connect(m_history, &VersionHistoryView::rollbackRequested, this, &ThresholdsTab::askRollback);
    connect(m_history, &VersionHistoryView::selectionChanged, this, &ThresholdsTab::showSelectedDiff);
    updateEditing();
    EnvironmentPolicy::watch(this, [this] { updateEditing(); });
}

QGroupBox *ThresholdsTab::group(const QString &id) const
{
    return findChild<QGroupBox *>(id);
}

v1::AlertThresholds ThresholdsTab::draft() const
{
    v1::AlertThresholds t;
    auto *slow = t.mutable_inventory_confirmation_slow();
    slow->set_enabled(m_slow->isChecked());
    slow->set_window_seconds(m_slowWindow->value());
    slow->set_slow_after_ms(m_slowAfter->value());
    slow->set_share(m_slowShare->value() / 100.0);
    slow->set_min_paid_orders(m_slowMin->value());
    auto *illegal = t.mutable_illegal_transition();
    illegal->set_enabled(m_illegal->isChecked());
    illegal->set_window_seconds(m_illegalWindow->value());
    illegal->set_max_attempts(m_illegalMax->value());
    t.mutable_pricing_reload_failed()->set_enabled(m_pricing->isChecked());
    auto *p99 = t.mutable_order_path_p99();
    p99->set_enabled(m_p99->isChecked());
    p99->set_window_seconds(m_p99Window->value());
    p99->set_threshold_ms(m_p99Threshold->value());
    p99->set_min_samples(m_p99Min->value());
    t.mutable_budget_near_cap()->set_enabled(m_budget->isChecked());
    t.mutable_budget_near_cap()->set_share(m_budgetShare->value() / 100.0);
    return t;
}

void ThresholdsTab::setDraft(const v1::AlertThresholds &t)
{
    m_settingDraft = true;
    m_slow->setChecked(t.inventory_confirmation_slow().enabled());
    m_slowWindow->setValue(t.inventory_confirmation_slow().window_seconds());
    m_slowAfter->setValue(t.inventory_confirmation_slow().slow_after_ms());
    m_slowShare->setValue(t.inventory_confirmation_slow().share() * 100.0);
    m_slowMin->setValue(t.inventory_confirmation_slow().min_paid_orders());
    m_illegal->setChecked(t.illegal_transition().enabled());
    m_illegalWindow->setValue(t.illegal_transition().window_seconds());
    m_illegalMax->setValue(t.illegal_transition().max_attempts());
    m_pricing->setChecked(t.pricing_reload_failed().enabled());
    m_p99->setChecked(t.order_path_p99().enabled());
    m_p99Window->setValue(t.order_path_p99().window_seconds());
    m_p99Threshold->setValue(t.order_path_p99().threshold_ms());
    m_p99Min->setValue(t.order_path_p99().min_samples());
    m_budget->setChecked(t.budget_near_cap().enabled());
    m_budgetShare->setValue(t.budget_near_cap().share() * 100.0);
    m_settingDraft = false;
    m_modified = false;
    updateEditing();
}

bool ThresholdsTab::isModified() const
{
    return m_modified;
}

void ThresholdsTab::refresh()
{
    if (m_refreshing || !m_client->hasChannel())
        return;
    m_refreshing = true;
    m_client->getThresholds(0, [this](const grpc::Status &status, const v1::AlertThresholdsVersion &version) {
        m_refreshing = false;
        if (!status.ok()) {
            Q_EMIT loadFailed(BackendConnection::explain(status),
                              status.error_code() == grpc::StatusCode::UNIMPLEMENTED);
            return;
        }
        onThresholds(version);
    });
}

void ThresholdsTab::onThresholds(const v1::AlertThresholdsVersion &version)
{
    const bool newer = !m_current || m_current->version() != version.version();
    m_current = version;
    // The form follows the version in force unless the operator is editing it.
    if (!m_modified) {
        setDraft(version.thresholds());
        m_base = version.version();
    } else if (m_rebase) {
        m_base = version.version();
    }
    m_rebase = false;
    m_version->setText(tr("Version %1 in force, saved %2 (%3).")
                           .arg(version.version())
                           .arg(TimeText::timestamp(version.created_at()),
                                VersionHistoryView::sourceName(version.source())));
    if (newer || m_versionsOf != version.version()) {
        m_client->listThresholdsVersions(
            kVersionLimit, [this, shown = version.version()](const grpc::Status &status,
                                                             const v1::ListAlertThresholdsVersionsResponse &versions) {
                if (!status.ok())
                    return; // the form still works; the next refresh asks again
                m_versionsOf = shown;
                onVersions(versions);
            });
    }
    updateEditing();
    Q_EMIT loaded(version);
}

void ThresholdsTab::showSelectedDiff()
{
    updateEditing();
    const int row = m_history->selectedRow();
    if (row < 0 || row >= m_versions.versions_size()) {
        m_history->setDiff(QString());
        return;
    }
    const v1::AlertThresholdsVersion &selected = m_versions.versions(row);
    if (row + 1 >= m_versions.versions_size()) {
        m_history->setDiff(selected.version() <= 1 ? tr("The first version: the default thresholds.")
                                                    : tr("The version before it is not listed."));
        return;
    }
    const QStringList lines = differences(m_versions.versions(row + 1).thresholds(), selected.thresholds());
    m_history->setDiff(lines.isEmpty() ? tr("Version %1 changed nothing against version %2.")
                                             .arg(selected.version())
                                             .arg(m_versions.versions(row + 1).version())
                                       : tr("Against version %1:\n%2")
                                             .arg(m_versions.versions(row + 1).version())
                                             .arg(lines.join(u'\n')));
}

void ThresholdsTab::onVersions(const v1::ListAlertThresholdsVersionsResponse &versions)
{
    m_versions = versions;
    QList<VersionHistoryView::Row> rows;
    for (const v1::AlertThresholdsVersion &version : versions.versions()) {
        rows.append({version.version(), TimeText::timestamp(version.created_at()),
                     VersionHistoryView::sourceName(version.source()), QString::fromStdString(version.reason()),
                     {summary(version.thresholds())}});
    }
    m_history->setVersions(rows, false);
}

void ThresholdsTab::updateEditing()
{
    const bool allowed = EnvironmentPolicy::allowsEditing(this);
    for (QGroupBox *box : {m_slow, m_illegal, m_pricing, m_p99, m_budget})
        box->setEnabled(allowed && m_current.has_value());
    m_saveButton->setEnabled(allowed && m_current.has_value() && m_modified);
    m_discardButton->setEnabled(m_modified);
    m_history->rollbackButton()->setEnabled(allowed && m_history->selectedVersion() > 0);
    EnvironmentPolicy::explainBlocked(this, {m_saveButton});
}

void ThresholdsTab::askSave()
{
    const std::optional<QString> reason =
        m_askReason(tr("Save the alert thresholds"), tr("Why this change? (required; it is kept in the history)"),
                    QString(), tr("Save"));
    if (reason)
        save(*reason);
}

bool ThresholdsTab::save(const QString &reason)
{
    if (!m_current) {
        m_message->showMessage(tr("The thresholds are not loaded yet; nothing was saved."), true);
        return false;
    }
    if (!m_modified) {
        m_message->showMessage(tr("Nothing was saved: the form is the same as version %1.").arg(m_base), true);
        return false;
    }
    if (reason.trimmed().isEmpty()) {
        m_message->showMessage(tr("Saving needs a reason; nothing was saved."), true);
        return false;
    }
    v1::SaveAlertThresholdsRequest request;
    request.set_base_version(m_base);
    *request.mutable_thresholds() = draft();
    request.set_reason(reason.trimmed().toStdString());
    m_saveButton->setEnabled(false);
    m_client->saveThresholds(request, [this](const grpc::Status &status, const v1::AlertThresholdsVersion &saved) {
        if (!status.ok()) {
            onRefused(tr("The thresholds were not saved"), status);
            updateEditing();
            refresh();
            Q_EMIT actionFinished(false);
            return;
        }
        m_modified = false;
        m_base = saved.version();
        m_message->showMessage(tr("Saved as version %1: the alerts use it from their next evaluation.")
                                   .arg(saved.version()),
                               false);
        m_versionsOf = -1;
        onThresholds(saved);
        Q_EMIT actionFinished(true);
    });
    return true;
}

void ThresholdsTab::askRollback(qint64 version)
{
    const std::optional<QString> reason =
        m_askReason(tr("Roll back the alert thresholds"),
                    tr("Why roll back to version %1? (required; it is kept in the history)").arg(version),
                    tr("Make the thresholds of version %1 the ones in force? This is saved as a new version.")
                        .arg(version),
                    tr("Roll back"));
    if (reason)
        rollbackTo(version, *reason);
}

void ThresholdsTab::rollbackTo(qint64 version, const QString &reason)
{
    if (!m_current)
        return;
    v1::RollbackAlertThresholdsRequest request;
    request.set_to_version(version);
    request.set_base_version(m_current->version());
    request.set_reason(reason.trimmed().toStdString());
    m_client->rollbackThresholds(request, [this, version](const grpc::Status &status,
                                                          const v1::AlertThresholdsVersion &saved) {
        if (!status.ok()) {
            onRefused(tr("The thresholds were not rolled back"), status);
            refresh();
            Q_EMIT actionFinished(false);
            return;
        }
        m_message->showMessage(tr("Rolled back to version %1: the thresholds in force are now version %2.")
                                   .arg(version)
                                   .arg(saved.version()),
                               false);
        if (!m_modified)
            m_base = saved.version();
        m_versionsOf = -1;
        onThresholds(saved);
        Q_EMIT actionFinished(true);
    });
}

void ThresholdsTab::onRefused(const QString &what, const grpc::Status &status)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::ABORTED:
        m_message->showMessage(
            tr("%1: someone else saved a newer version while you were editing. Your draft is kept: compare with "
               "the newest version in the history, then discard it or save it again.")
                .arg(what),
            true);
        // Once the newest version is loaded, a save goes on top of it: the operator was told.
        m_rebase = true;
        break;
    case grpc::StatusCode::INVALID_ARGUMENT:
        m_message->showMessage(
            tr("%1: the backend refused it: %2. Your draft is kept: correct it and save again.").arg(what, detail),
            true);
        break;
    case grpc::StatusCode::UNIMPLEMENTED:
        m_message->showMessage(tr("%1: this backend has no business alerts yet.").arg(what), true);
        break;
    case grpc::StatusCode::PERMISSION_DENIED:
        m_message->showMessage(tr("%1: the backend says your role may not change it (%2).").arg(what, detail), true);
        break;
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
        m_message->showMessage(tr("%1: the backend refused: %2").arg(what, detail), true);
        break;
    default:
        m_message->showMessage(tr("%1. %2 Your draft is kept: save again when the backend is back.")
                                   .arg(what, BackendConnection::explain(status)),
                               true);
        break;
    }
}

} // namespace flywheel::ui
