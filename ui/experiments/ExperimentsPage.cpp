#include "experiments/ExperimentsPage.h"

#include "client/BackendConnection.h"
#include "client/ExperimentClient.h"
#include "client/SubsidyClient.h"
#include "common/MessageBar.h"
#include "common/PageHeader.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "connection/EnvironmentPolicy.h"
#include "experiments/ExperimentEditor.h"
#include "experiments/ExperimentsModel.h"
#include "experiments/ExperimentText.h"
#include "experiments/ResultsPanel.h"

#include <grpcpp/support/status.h>

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTableView>
#include <QTabWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

ExperimentsPage::ExperimentsPage(BackendConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(new ExperimentClient(connection, this)),
      m_model(new ExperimentsModel(this)), m_header(new PageHeader(tr("Experiments"), this)),
      m_newButton(new QPushButton(tr("New experiment"), this)), m_refreshButton(new QPushButton(tr("Refresh"), this)),
      m_list(new QTableView(this)), m_empty(new QLabel(this)), m_startButton(new QPushButton(tr("Start…"), this)),
      m_stopButton(new QPushButton(tr("Stop…"), this)), m_shipVariant(new QComboBox(this)),
      m_shipButton(new QPushButton(tr("Ship variant…"), this)),
      m_rollbackButton(new QPushButton(tr("Roll back…"), this)), m_shipBlocked(new QLabel(this)),
      m_message(new MessageBar(this)), m_tabs(new QTabWidget(this)), m_results(new ResultsPanel(this)),
      m_editing(new QLabel(this)), m_editor(new ExperimentEditor(this)),
      m_discardButton(new QPushButton(tr("Discard changes"), this)), m_saveButton(new QPushButton(tr("Save…"), this))
{
    m_askReason = [this](const QString &title, const QString &question, const QString &consequence,
                         const QString &acceptText) {
        return ReasonDialog::ask(this, title, question, consequence, acceptText);
    };
    m_header->setSummary(tr("Loading the experiments…"));
    // The summary's lines stay whole; the list and the tabs share what is left.
    m_header->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_header->addToTitleRow(m_newButton);
    m_header->addToTitleRow(m_refreshButton);

    m_list->setModel(m_model);
    m_list->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->verticalHeader()->hide();
    m_list->horizontalHeader()->setStretchLastSection(true);
    m_list->setAlternatingRowColors(true);
    m_list->setWordWrap(false);
    m_list->setMinimumHeight(90);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setStyleSheet(QStringLiteral("color: #57606a; padding: 12px;"));
    m_empty->hide();
    m_shipBlocked->setWordWrap(true);
    m_shipBlocked->setStyleSheet(QStringLiteral("color: #9a6700;"));
    m_shipBlocked->hide();
    m_shipVariant->setToolTip(tr("The variant whose payload becomes the default for everyone."));
    m_shipVariant->setMinimumContentsLength(12);

    auto *actions = new QHBoxLayout();
    actions->addWidget(m_startButton);
    actions->addWidget(m_stopButton);
    actions->addSpacing(12);
    actions->addWidget(m_shipVariant);
    actions->addWidget(m_shipButton);
    actions->addWidget(m_rollbackButton);
    actions->addStretch(1);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_list, 1);
    topLayout->addWidget(m_empty);
    topLayout->addLayout(actions);
    topLayout->addWidget(m_shipBlocked);
    topLayout->addWidget(m_message);

    m_editing->setWordWrap(true);
    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_editor);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the problems wrap instead
    scroll->setFrameShape(QFrame::NoFrame);
    auto *editButtons = new QHBoxLayout();
    editButtons->addStretch(1);
    editButtons->addWidget(m_discardButton);
    editButtons->addWidget(m_saveButton);
    auto *editTab = new QWidget(this);
    auto *editLayout = new QVBoxLayout(editTab);
    editLayout->addWidget(m_editing);
    editLayout->addWidget(scroll, 1);
    editLayout->addLayout(editButtons);

    m_tabs->addTab(m_results, tr("Results"));
    m_tabs->addTab(editTab, tr("Editor"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    split->setSizes({220, 520});
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(split, 1);

    connect(m_refreshButton, &QPushButton::clicked, this, &ExperimentsPage::refresh);
    connect(m_newButton, &QPushButton::clicked, this, &ExperimentsPage::newExperiment);
    connect(m_saveButton, &QPushButton::clicked, this, &ExperimentsPage::askSave);
    connect(m_discardButton, &QPushButton::clicked, this, [this] {
        m_message->clearMessage();
        m_editingKey.clear();
        followSelection();
    });
    connect(m_startButton, &QPushButton::clicked, this, &ExperimentsPage::askStart);
    connect(m_stopButton, &QPushButton::clicked, this, &ExperimentsPage::askStop);
    connect(m_shipButton, &QPushButton::clicked, this, &ExperimentsPage::askShip);
    connect(m_rollbackButton, &QPushButton::clicked, this, &ExperimentsPage::askRollback);
    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ExperimentsPage::onSelectionChanged);
    connect(m_editor, &ExperimentEditor::edited, this, [this] {
        updateEditing();
        updateActions();
    });
    connect(m_results, &ResultsPanel::intervalKindChanged, this, [this] { openResults(); });
    connect(m_client, &ExperimentClient::resultsReceived, this, &ExperimentsPage::onResults);
    connect(m_client, &ExperimentClient::resultsInterrupted, this, &ExperimentsPage::onResultsInterrupted);
    m_subsidyClient = new SubsidyClient(connection, this);
    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &ExperimentsPage::refresh);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (isVisible())
            refresh();
    });
    updateEditing();
    updateActions();
    EnvironmentPolicy::watch(this, [this] { updateActions(); });
}

ExperimentsPage::~ExperimentsPage() = default;

void ExperimentsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Only a page the operator looks at asks the backend; the results stream too.
    // The subsidy config versions are loaded again each time the page is shown (a
    // candidate may have been saved on the Subsidies page meanwhile), not on every
    // refresh: the pickers are not rebuilt under the operator's cursor.
    m_subsidyVersionsStale = true;
    m_refreshTimer.start();
    refresh();
    openResults();
}

void ExperimentsPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_refreshTimer.stop();
    m_client->stopResults();
}

void ExperimentsPage::showTab(Tab tab)
{
    m_tabs->setCurrentIndex(int(tab));
}

// ---------------------------------------------------------------------------
// Loading

void ExperimentsPage::refresh()
{
    if (m_refreshing || !m_client->hasChannel())
        return;
    if (m_subsidyVersionsStale)
        loadSubsidyVersions();
    m_refreshing = true;
    const quint64 load = m_loads;
    m_client->listExperiments(0, [this, load](const grpc::Status &status, const v1::ExperimentSet &set) {
        m_refreshing = false;
        if (load != m_loads)
            return; // begun before an action or a save answered: older than what the page shows
        if (!status.ok()) {
            onLoadFailed(status);
            return;
        }
        onSet(set);
    });
}

void ExperimentsPage::loadSubsidyVersions()
{
    if (m_loadingSubsidyVersions || !m_subsidyClient->hasChannel())
        return;
    m_loadingSubsidyVersions = true;
    constexpr int kVersions = 50;
    m_subsidyClient->listConfigVersions(
        kVersions, [this](const grpc::Status &status, const v1::ListSubsidyConfigVersionsResponse &list) {
            m_loadingSubsidyVersions = false;
            if (status.ok()) {
                m_subsidyVersionsStale = false;
                m_editor->setSubsidyVersions({list.versions().begin(), list.versions().end()});
            } else if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
                m_subsidyVersionsStale = false; // asking again will not help
                m_editor->setSubsidyVersionsFailed(tr("this backend has no subsidy service."));
            } else { // tried again at the next refresh
                m_editor->setSubsidyVersionsFailed(BackendConnection::explain(status));
            }
        });
}

void ExperimentsPage::markLoaded()
{
    const bool first = !m_loaded;
    m_loaded = true;
    if (first)
        Q_EMIT firstDataShown();
}

void ExperimentsPage::onLoadFailed(const grpc::Status &status)
{
    if (status.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
        // A settled answer: this backend has no experiments. Nothing to retry quickly.
        m_unimplemented = true;
        m_set.reset();
        m_model->setSet(v1::ExperimentSet(), QDateTime::currentDateTime());
        m_header->clearProblem();
        m_header->setSummary(tr("This backend does not run experiments: it answered that it has no experiment "
                                "service. It is probably an older version; experiments appear here once it is "
                                "updated."));
        m_empty->setText(tr("No experiments on this backend."));
        m_empty->show();
        m_list->hide();
        m_results->showMessage(tr("Results appear here once the backend runs experiments."));
        updateActions();
        updateEditing();
        markLoaded();
        return;
    }
    const QString why = BackendConnection::explain(status);
    m_header->showProblem(m_set ? tr("Could not refresh the experiments. %1 The page shows what was last loaded and "
                                     "tries again every %2 s.")
                                      .arg(why)
                                      .arg(kRefreshMs / 1000)
                                : tr("Could not load the experiments. %1 The page tries again every %2 s.")
                                      .arg(why)
                                      .arg(kRefreshMs / 1000));
    if (!m_set)
        m_header->setSummary(tr("The experiments are not loaded."));
}

void ExperimentsPage::onSet(const v1::ExperimentSet &set)
{
    const QString keep = selectedKey();
    const bool newVersion = !m_set || m_set->version() != set.version();
    m_unimplemented = false;
    m_set = set;
    m_header->clearProblem();
    m_reloading = true; // the selection is put back below
    m_model->setSet(set, QDateTime::currentDateTime());
    m_list->resizeColumnsToContents();
    int running = 0;
    for (const v1::Experiment &e : set.experiments())
        running += e.status() == v1::EXPERIMENT_STATUS_RUNNING ? 1 : 0;
    const QString reason = set.reason().empty() ? tr("no reason given") : QString::fromStdString(set.reason());
    QString summary =
        tr("Experiments version %1 · %2 running of %n · saved %3 by %4: “%5”", nullptr, set.experiments_size())
            .arg(set.version())
            .arg(running)
            .arg(TimeText::timestamp(set.created_at()),
                 set.actor().empty() ? tr("the backend") : QString::fromStdString(set.actor()), reason);
    if (!set.defaults().invite_copy().empty())
        summary += u'\n' + tr("Users outside a running experiment get the invite copy “%1”.")
                               .arg(QString::fromStdString(set.defaults().invite_copy()));
    m_header->setSummary(summary);
    m_empty->setText(tr("No experiments yet. “New experiment” starts one: pick a surface (the invite copy or the "
                        "first-order subsidy), give each variant its payload and weight, save it as a draft, then "
                        "start it."));
    m_empty->setVisible(set.experiments_size() == 0);
    m_list->setVisible(set.experiments_size() > 0);

    // The selection survives the reload (the model was reset).
    const int row = keep.isEmpty() ? (set.experiments_size() > 0 ? 0 : -1) : m_model->rowOf(keep);
    m_reloading = false;
    if (row >= 0)
        m_list->selectRow(row);
    else
        onSelectionChanged();
    if (newVersion && !m_editor->isModified())
        followSelection();
    updateActions();
    updateEditing();
    markLoaded();
}

const v1::Experiment *ExperimentsPage::selected() const
{
    const QModelIndexList rows = m_list->selectionModel()->selectedRows();
    return rows.isEmpty() ? nullptr : m_model->experimentAt(rows.first().row());
}

QString ExperimentsPage::selectedKey() const
{
    const v1::Experiment *e = selected();
    return e ? QString::fromStdString(e->key()) : QString();
}

bool ExperimentsPage::selectExperiment(const QString &key)
{
    const int row = m_model->rowOf(key);
    if (row < 0)
        return false;
    m_list->selectRow(row);
    return true;
}

void ExperimentsPage::onSelectionChanged()
{
    if (m_reloading)
        return;
    const v1::Experiment *e = selected();
    // The same experiment again (the list is reloaded every few seconds): the variant
    // chosen for shipping stays chosen.
    const bool same = e && QString::fromStdString(e->key()) == m_shipVariantOf;
    const QString chosen = m_shipVariant->currentData().toString();
    m_shipVariant->clear();
    m_shipVariantOf = e ? QString::fromStdString(e->key()) : QString();
    if (e) {
        for (const v1::ExperimentVariant &v : e->variants())
            m_shipVariant->addItem(QString::fromStdString(v.key()), QString::fromStdString(v.key()));
        const int again = same ? m_shipVariant->findData(chosen) : -1;
        if (again >= 0)
            m_shipVariant->setCurrentIndex(again);
        else if (m_shipVariant->count() > 1)
            m_shipVariant->setCurrentIndex(1); // a treatment rather than the control
    }
    if (!m_lastResults || !e || m_lastResults->key() != e->key())
        m_lastResults.reset();
    if (!m_editor->isModified())
        followSelection();
    openResults();
    updateActions();
    updateEditing();
}

/// The editor shows the selected experiment (unless it holds unsaved changes).
void ExperimentsPage::followSelection()
{
    const v1::Experiment *e = selected();
    if (e) {
        m_editingKey = QString::fromStdString(e->key());
        m_editor->setExperiment(*e);
    } else {
        m_editingKey.clear();
        QStringList keys;
        if (m_set) {
            for (const v1::Experiment &x : m_set->experiments())
                keys.append(QString::fromStdString(x.key()));
        }
        m_editor->startNew(keys);
    }
    m_base = m_set ? m_set->version() : 0;
    updateEditing();
    updateActions();
}

void ExperimentsPage::newExperiment()
{
    QStringList keys;
    if (m_set) {
        for (const v1::Experiment &e : m_set->experiments())
            keys.append(QString::fromStdString(e.key()));
    }
    m_editingKey.clear();
    m_editor->startNew(keys);
    m_base = m_set ? m_set->version() : 0;
    m_message->clearMessage();
    showTab(Editor);
    m_editor->keyInput()->setFocus();
    updateEditing();
    updateActions();
}

// ---------------------------------------------------------------------------
// Results

void ExperimentsPage::openResults()
{
    if (!isVisible())
        return;
    const v1::Experiment *e = selected();
    if (m_unimplemented) {
        m_client->stopResults();
        return;
    }
    if (!e) {
        m_client->stopResults();
        m_results->showMessage(m_set && m_set->experiments_size() == 0
                                   ? tr("No experiments yet.")
                                   : tr("Select an experiment to see its results."));
        return;
    }
    if (e->status() == v1::EXPERIMENT_STATUS_DRAFT) {
        m_client->stopResults();
        m_results->showMessage(tr("“%1” is a draft: it has no results until it is started and users are assigned "
                                  "to its variants.")
                                   .arg(QString::fromStdString(e->name().empty() ? e->key() : e->name())));
        return;
    }
    const QString key = QString::fromStdString(e->key());
    if (!m_lastResults || m_lastResults->key() != e->key())
        m_results->showMessage(tr("Waiting for the results of “%1”…").arg(key));
    m_client->startResults(key, m_results->intervalKind());
}

void ExperimentsPage::onResults(const v1::ExperimentResults &results)
{
    if (QString::fromStdString(results.key()) != selectedKey())
        return; // of an experiment no longer selected
    m_lastResults = results;
    m_results->setResults(results);
    updateActions();
}

void ExperimentsPage::onResultsInterrupted(int code, const QString &why, int retryInSeconds)
{
    if (code == grpc::StatusCode::UNIMPLEMENTED) {
        m_results->showMessage(tr("This backend does not compute experiment results (it has no experiment service)."));
    } else if (code == grpc::StatusCode::NOT_FOUND) {
        m_results->showMessage(tr("The backend has no results for “%1”: %2").arg(selectedKey(), why));
    } else {
        m_results->showInterrupted(
            retryInSeconds > 0
                ? tr("The results stopped updating. %1 Reconnecting in %2 s…").arg(why).arg(retryInSeconds)
                : tr("The results stopped updating. %1").arg(why));
    }
    m_lastResults.reset();
    updateActions();
}

// ---------------------------------------------------------------------------
// Buttons

QString ExperimentsPage::shipRefusal(const v1::Experiment &experiment, const v1::ExperimentResults &results) const
{
    // The backend's two reasons, said in the operator's language from the figures the
    // results carry; any other reason (a newer backend's) as the backend says it.
    const qint64 ran = results.running_seconds();
    const qint64 needed = qint64{experiment.min_run_hours()} * 3600;
    if (ran < needed)
        return tr("Cannot ship yet: it has run %1 h %2 min of the %3 h it must run before shipping.")
            .arg(locale().toString(ran / 3600))
            .arg(ran % 3600 / 60)
            .arg(locale().toString(experiment.min_run_hours()));
    if (results.srm().mismatch())
        return tr("Cannot ship: the sample ratio does not match the weights (χ² p < 0.001), so the split is broken "
                  "and its results cannot be trusted.");
    if (results.ship_blocked_reason().empty())
        return tr("The backend does not allow shipping yet.");
    return tr("Cannot ship yet: %1").arg(QString::fromStdString(results.ship_blocked_reason()));
}

void ExperimentsPage::updateActions()
{
    const v1::Experiment *e = selected();
    const bool allowed = EnvironmentPolicy::allowsEditing(this);
    const QString blocked = EnvironmentPolicy::editingBlockedText(this);
    const bool ready = m_set.has_value() && !m_busy && !m_unimplemented;
    const v1::ExperimentStatus status = e ? e->status() : v1::EXPERIMENT_STATUS_UNSPECIFIED;

    const QString notReady = m_unimplemented ? tr("This backend does not run experiments.")
                             : !m_set        ? tr("The experiments are not loaded yet.")
                                             : QString();
    const auto set = [&](QPushButton *button, bool possible, const QString &whyNot) {
        button->setEnabled(ready && allowed && possible);
        button->setToolTip(!allowed ? blocked : !notReady.isEmpty() ? notReady : (possible ? QString() : whyNot));
    };
    set(m_newButton, true, QString());
    set(m_startButton, status == v1::EXPERIMENT_STATUS_DRAFT, tr("Only a draft can be started."));
    set(m_stopButton, status == v1::EXPERIMENT_STATUS_RUNNING, tr("Only a running experiment can be stopped."));
    set(m_rollbackButton, status == v1::EXPERIMENT_STATUS_SHIPPED,
        tr("Only a shipped experiment can be rolled back (a running one is stopped instead)."));

    // Ship: a running or stopped experiment whose results say it may be shipped.
    QString shipWhyNot;
    if (status != v1::EXPERIMENT_STATUS_RUNNING && status != v1::EXPERIMENT_STATUS_STOPPED)
        shipWhyNot = tr("Only a running or stopped experiment can be shipped.");
    else if (!m_lastResults)
        shipWhyNot = tr("Ship is offered once the results are in.");
    else if (!m_lastResults->can_ship())
        shipWhyNot = shipRefusal(*e, *m_lastResults);
    set(m_shipButton, shipWhyNot.isEmpty() && m_shipVariant->count() > 0, shipWhyNot);
    m_shipVariant->setEnabled(ready && allowed && shipWhyNot.isEmpty());
    const bool showWhy = e && (status == v1::EXPERIMENT_STATUS_RUNNING || status == v1::EXPERIMENT_STATUS_STOPPED) &&
                         m_lastResults && !m_lastResults->can_ship();
    m_shipBlocked->setText(showWhy ? shipWhyNot : QString());
    m_shipBlocked->setVisible(showWhy);

    const bool editable = m_editor->mode() != ExperimentEditor::Mode::ReadOnly;
    set(m_saveButton, editable && m_editor->isModified(),
        editable ? tr("Change something first.") : tr("A stopped or shipped experiment cannot be edited."));
    m_discardButton->setEnabled(m_editor->isModified());
    m_editor->setEnabled(allowed && !m_unimplemented);
    if (!allowed)
        m_editor->setToolTip(blocked);
    else
        m_editor->setToolTip(QString());
}

void ExperimentsPage::updateEditing()
{
    QString text;
    if (m_unimplemented)
        text = tr("Nothing to edit: this backend does not run experiments.");
    else if (m_editingKey.isEmpty())
        text = m_editor->isModified() ? tr("A new experiment, not saved yet. “Save…” keeps it as a draft.")
                                      : tr("A new experiment: fill in the form and choose “Save…” to keep it as a "
                                           "draft.");
    else if (m_editor->isModified())
        text = tr("Unsaved changes to “%1”, based on version %2 of the experiments.").arg(m_editingKey).arg(m_base);
    else
        text = tr("“%1” as saved in version %2.").arg(m_editingKey).arg(m_base);
    m_editing->setText(text);
    m_editing->setStyleSheet(m_editor->isModified() ? QStringLiteral("color: #9a6700; font-weight: bold;") : QString());
}

QString ExperimentsPage::messageText() const
{
    return m_message->text();
}

QString ExperimentsPage::editingText() const
{
    return m_editing->text();
}

QString ExperimentsPage::shipBlockedText() const
{
    return m_shipButton->isEnabled() ? QString() : m_shipButton->toolTip();
}

QString ExperimentsPage::headerText() const
{
    return m_header->summary();
}

QString ExperimentsPage::problemText() const
{
    return m_header->problem();
}

// ---------------------------------------------------------------------------
// Actions

void ExperimentsPage::askSave()
{
    const QString what = m_editingKey.isEmpty() ? tr("Save the new experiment “%1”").arg(m_editor->keyInput()->text())
                                                : tr("Save the experiment “%1”").arg(m_editingKey);
    const std::optional<QString> reason =
        m_askReason(what, tr("Why this change? (required; it is kept in the history)"), QString(), tr("Save"));
    if (reason)
        save(*reason);
}

void ExperimentsPage::askStart()
{
    const v1::Experiment *e = selected();
    if (!e)
        return;
    const std::optional<QString> reason = m_askReason(
        tr("Start the experiment “%1”").arg(QString::fromStdString(e->key())),
        tr("Why start it now? (required; it is kept in the history)"),
        tr("From now on %1 of users are assigned to its variants and see their payload; a user's variant never "
           "changes.")
            .arg(ExperimentText::basisPoints(e->traffic_bp())),
        tr("Start"));
    if (reason)
        start(*reason);
}

void ExperimentsPage::askStop()
{
    const v1::Experiment *e = selected();
    if (!e)
        return;
    const std::optional<QString> reason = m_askReason(
        tr("Stop the experiment “%1”").arg(QString::fromStdString(e->key())),
        tr("Why stop it? (required; it is kept in the history)"),
        tr("Everyone gets the default again; the results stay, and a variant can still be shipped."), tr("Stop"));
    if (reason)
        stop(*reason);
}

void ExperimentsPage::askShip()
{
    const v1::Experiment *e = selected();
    if (!e || m_shipVariant->currentIndex() < 0)
        return;
    const QString variant = m_shipVariant->currentData().toString();
    const QString consequence =
        e->surface() == v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY
            ? tr("The subsidy config of variant “%1” becomes the live subsidy config for everyone, and the experiment "
                 "ends. Roll back restores the config in force before.")
                  .arg(variant)
            : tr("The invite copy of variant “%1” becomes the default for everyone, and the experiment ends. Roll back "
                 "restores the copy in force before.")
                  .arg(variant);
    const std::optional<QString> reason =
        m_askReason(tr("Ship variant “%1” of “%2”").arg(variant, QString::fromStdString(e->key())),
                    tr("Why ship it? (required; it is kept in the history)"), consequence, tr("Ship"));
    if (reason)
        ship(variant, *reason);
}

void ExperimentsPage::askRollback()
{
    const v1::Experiment *e = selected();
    if (!e)
        return;
    const std::optional<QString> reason =
        m_askReason(tr("Roll back the experiment “%1”").arg(QString::fromStdString(e->key())),
                    tr("Why roll it back? (required; it is kept in the history)"),
                    tr("The default in force before variant “%1” was shipped is restored for everyone; the experiment "
                       "becomes stopped.")
                        .arg(QString::fromStdString(e->shipped_variant())),
                    tr("Roll back"));
    if (reason)
        rollback(*reason);
}

bool ExperimentsPage::save(const QString &reason)
{
    if (!m_set) {
        m_message->showMessage(tr("The experiments are not loaded yet; nothing was saved."), true);
        return false;
    }
    const QStringList problems = m_editor->problems();
    if (!problems.isEmpty()) {
        m_message->showMessage(tr("Nothing was saved: %1").arg(problems.join(u' ')), true);
        showTab(Editor);
        return false;
    }
    if (!m_editor->isModified()) {
        m_message->showMessage(tr("Nothing was saved: nothing was changed."), true);
        return false;
    }
    if (reason.trimmed().isEmpty()) {
        m_message->showMessage(tr("Saving needs a reason; nothing was saved."), true);
        return false;
    }
    v1::SaveExperimentRequest request;
    request.set_base_version(m_base);
    *request.mutable_experiment() = m_editor->experiment();
    request.set_reason(reason.trimmed().toStdString());
    const QString key = QString::fromStdString(request.experiment().key());
    m_busy = true;
    updateActions();
    m_client->saveExperiment(request, [this, key](const grpc::Status &status, const v1::ExperimentSet &set) {
        m_busy = false;
        if (status.ok()) {
            m_editingKey = key;
            m_editor->setExperiment(v1::Experiment()); // not modified: follows the saved one below
            ++m_loads;
            m_set.reset();
            onSet(set);
            selectExperiment(key);
            followSelection();
            m_message->showMessage(tr("Saved “%1” as version %2 of the experiments.").arg(key).arg(set.version()),
                                   false);
            Q_EMIT actionFinished(true);
            return;
        }
        QString text = ExperimentText::refusal(status, tr("saved"));
        if (status.error_code() == grpc::StatusCode::ABORTED)
            text = tr("The experiment was not saved: someone else changed the experiments while you were editing. "
                      "Your changes are kept; compare with the list, then discard them or save again on the newest "
                      "version.");
        m_message->showMessage(text, true);
        updateActions();
        refresh();
        if (status.error_code() == grpc::StatusCode::ABORTED)
            m_client->listExperiments(0, [this](const grpc::Status &s, const v1::ExperimentSet &latest) {
                if (s.ok())
                    m_base = latest.version(); // a second save builds on the newest version
                updateEditing();
            });
        Q_EMIT actionFinished(false);
    });
    return true;
}

template <typename Request>
void ExperimentsPage::act(const Request &request, const QString &verb, const QString &done,
                          void (ExperimentClient::*call)(
                              const Request &, std::function<void(const grpc::Status &, const v1::ExperimentSet &)>))
{
    m_busy = true;
    updateActions();
    (m_client->*call)(request, [this, verb, done](const grpc::Status &status, const v1::ExperimentSet &set) {
        finishAction(status, set, verb, done);
    });
}

void ExperimentsPage::finishAction(const grpc::Status &status, const v1::ExperimentSet &set, const QString &verb,
                                   const QString &done)
{
    m_busy = false;
    if (!status.ok()) {
        m_message->showMessage(ExperimentText::refusal(status, verb), true);
        updateActions();
        refresh();
        Q_EMIT actionFinished(false);
        return;
    }
    ++m_loads;
    onSet(set);
    if (!m_editor->isModified())
        followSelection();
    openResults();
    m_message->showMessage(done.arg(set.version()), false);
    Q_EMIT actionFinished(true);
}

namespace {

/// Refused before any call: nothing selected, or no reason.
QString precheck(const v1::Experiment *e, const std::optional<v1::ExperimentSet> &set, const QString &reason,
                 const QString &action)
{
    if (!set || !e)
        return ExperimentsPage::tr("Select an experiment first; nothing was %1.").arg(action);
    if (reason.trimmed().isEmpty())
        return ExperimentsPage::tr("This needs a reason; nothing was %1.").arg(action);
    return QString();
}

} // namespace

bool ExperimentsPage::change(const QString &reason, const QString &verb, const QString &done,
                             void (ExperimentClient::*call)(
                                 const v1::ChangeExperimentRequest &,
                                 std::function<void(const grpc::Status &, const v1::ExperimentSet &)>))
{
    const v1::Experiment *e = selected();
    if (const QString why = precheck(e, m_set, reason, verb); !why.isEmpty()) {
        m_message->showMessage(why, true);
        return false;
    }
    v1::ChangeExperimentRequest request;
    request.set_base_version(m_set->version());
    request.set_key(e->key());
    request.set_reason(reason.trimmed().toStdString());
    act(request, verb, done.arg(QString::fromStdString(e->key()), QStringLiteral("%1")), call);
    return true;
}

bool ExperimentsPage::start(const QString &reason)
{
    return change(reason, tr("started"),
                  tr("Started “%1”: users are assigned to its variants from now on (version %2)."),
                  &ExperimentClient::startExperiment);
}

bool ExperimentsPage::stop(const QString &reason)
{
    return change(reason, tr("stopped"),
                  tr("Stopped “%1”: everyone gets the default again; its results stay (version %2)."),
                  &ExperimentClient::stopExperiment);
}

bool ExperimentsPage::ship(const QString &variantKey, const QString &reason)
{
    const v1::Experiment *e = selected();
    if (const QString why = precheck(e, m_set, reason, tr("shipped")); !why.isEmpty()) {
        m_message->showMessage(why, true);
        return false;
    }
    bool known = false;
    for (const v1::ExperimentVariant &v : e->variants())
        known = known || QString::fromStdString(v.key()) == variantKey;
    if (!known) {
        m_message->showMessage(
            tr("“%1” has no variant “%2”; nothing was shipped.").arg(QString::fromStdString(e->key()), variantKey),
            true);
        return false;
    }
    v1::ShipExperimentRequest request;
    request.set_base_version(m_set->version());
    request.set_key(e->key());
    request.set_variant_key(variantKey.toStdString());
    request.set_reason(reason.trimmed().toStdString());
    act(request, tr("shipped"),
        tr("Shipped variant “%1” of “%2”: its payload is the default for everyone now (version %3).")
            .arg(variantKey, QString::fromStdString(e->key()), QStringLiteral("%1")),
        &ExperimentClient::shipExperiment);
    return true;
}

bool ExperimentsPage::rollback(const QString &reason)
{
    return change(reason, tr("rolled back"),
                  tr("Rolled back “%1”: the default in force before its ship is restored (version %2)."),
                  &ExperimentClient::rollbackExperiment);
}

} // namespace flywheel::ui
