#include "subsidy/ConfigTab.h"

#include "client/BackendConnection.h"
#include "client/SubsidyClient.h"
#include "common/MessageBar.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "connection/EnvironmentPolicy.h"
#include "subsidy/SimulationView.h"
#include "subsidy/SubsidyConfigEditor.h"
#include "subsidy/SubsidyText.h"

#include <grpcpp/support/status.h>

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

constexpr int kVersionLimit = 50;

} // namespace

ConfigTab::ConfigTab(SubsidyClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_editor(new SubsidyConfigEditor(this)), m_editing(new QLabel(this)),
      m_message(new MessageBar(this)), m_discardButton(new QPushButton(tr("Discard changes"), this)),
      m_rebaseButton(new QPushButton(this)), m_simulateButton(new QPushButton(tr("What would it have done?"), this)),
      m_saveButton(new QPushButton(tr("Save…"), this)),
      m_candidateButton(new QPushButton(tr("Save as candidate…"), this)), m_side(new QTabWidget(this)),
      m_simulation(new SimulationView(this)),
      m_history(new VersionHistoryView({.extraColumns = {tr("Changes")},
                                        .orientation = Qt::Vertical,
                                        .rollback = true,
                                        .diffPlaceholder = tr("Select a version to see what changed against the "
                                                              "version before it.")},
                                       this))
{
    m_askReason = [this](const QString &title, const QString &question, const QString &consequence,
                         const QString &accept) { return ReasonDialog::ask(this, title, question, consequence, accept); };

    m_editing->setWordWrap(true);
    m_editing->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_simulateButton->setToolTip(tr("Replays the draft as typed, and the live config, over the first orders of the "
                                    "last 7 days; nothing is saved."));
    m_rebaseButton->setToolTip(tr("Someone saved the config after you started editing. This keeps your draft as "
                                  "typed and saves it on top of their version; compare in the history first."));
    m_rebaseButton->hide();

    auto *buttons = new QHBoxLayout();
    buttons->addStretch(1);
    buttons->addWidget(m_rebaseButton);
    buttons->addWidget(m_discardButton);
    buttons->addWidget(m_simulateButton);
    buttons->addWidget(m_candidateButton);
    buttons->addWidget(m_saveButton);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_editor);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    // The form never narrower than its own fields and hints (the scroll area only scrolls down).
    scroll->setMinimumWidth(m_editor->minimumSizeHint().width() + scroll->verticalScrollBar()->sizeHint().width());
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 4, 0);
    leftLayout->addWidget(m_editing);
    leftLayout->addWidget(scroll, 1);
    leftLayout->addWidget(m_message);
    leftLayout->addLayout(buttons);

    m_side->addTab(m_simulation, tr("What would it have done?"));
    m_side->addTab(m_history, tr("Version history"));

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_side);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({760, 360});
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_editor, &SubsidyConfigEditor::edited, this, [this] {
        ++m_edits;
        m_simulation->setStale();
        updateEditing();
    });
    connect(m_saveButton, &QPushButton::clicked, this, &ConfigTab::askSave);
    connect(m_candidateButton, &QPushButton::clicked, this, &ConfigTab::askSaveCandidate);
    connect(m_simulateButton, &QPushButton::clicked, this, &ConfigTab::simulate);
    connect(m_discardButton, &QPushButton::clicked, this, &ConfigTab::discardEdits);
    connect(m_rebaseButton, &QPushButton::clicked, this, &ConfigTab::rebaseEdits);
    connect(m_history, &VersionHistoryView::selectionChanged, this, &ConfigTab::showSelectedDiff);
    connect(m_history, &VersionHistoryView::rollbackRequested, this, &ConfigTab::askRollback);
    updateEditing();
    EnvironmentPolicy::watch(this, [this] {
        updateEditing();
        showSelectedDiff();
    });
}

// ---------------------------------------------------------------------------
// Loading

void ConfigTab::refresh()
{
    if (m_refreshing || !m_client->hasChannel())
        return;
    m_refreshing = true;
    const quint64 load = m_loads;
    m_client->getConfig(0, [this, load](const grpc::Status &status, const v1::SubsidyConfigVersion &version) {
        if (load != m_loads) {
            // Begun before a save or rollback answered: older than what the page shows.
            m_refreshing = false;
            return;
        }
        if (!status.ok()) {
            m_refreshing = false;
            const bool unimplemented = status.error_code() == grpc::StatusCode::UNIMPLEMENTED;
            m_unimplemented = unimplemented;
            if (unimplemented && !m_current) {
                m_simulation->setStatus(tr("This backend does not offer subsidies yet, so it cannot replay a draft."),
                                        false);
                updateEditing();
            }
            Q_EMIT loadFailed(unimplemented ? tr("This backend does not offer subsidies yet: it is an older version "
                                                 "without the subsidy service.")
                                            : BackendConnection::explain(status),
                              unimplemented);
            return;
        }
        m_unimplemented = false;
        onConfig(version);
        // Stale when the newest live version listed is not the one in force (newer
        // candidates may be listed above it).
        bool historyStale = true;
        for (const v1::SubsidyConfigVersion &listed : m_versions.versions()) {
            if (!listed.candidate()) {
                historyStale = listed.version() != version.version();
                break;
            }
        }
        if (!historyStale) {
            m_refreshing = false;
            return;
        }
        m_client->listConfigVersions(
            kVersionLimit, [this](const grpc::Status &status, const v1::ListSubsidyConfigVersionsResponse &list) {
                m_refreshing = false;
                if (status.ok())
                    onVersions(list);
            });
    });
}

void ConfigTab::onConfig(const v1::SubsidyConfigVersion &version)
{
    m_current = version;
    if (!m_editor->isModified()) {
        // Nothing typed: the form follows the version in force.
        m_editor->setConfig(version.config());
        m_base = version.version();
    }
    updateEditing();
    Q_EMIT loaded(version);
}

void ConfigTab::onVersions(const v1::ListSubsidyConfigVersionsResponse &versions)
{
    m_versions = versions;
    QList<VersionHistoryView::Row> rows;
    for (int row = 0; row < versions.versions_size(); ++row) {
        const v1::SubsidyConfigVersion &version = versions.versions(row);
        QString changes;
        if (const int before = comparedRow(row); before >= 0) {
            const QStringList lines = SubsidyText::diff(versions.versions(before).config(), version.config());
            changes = lines.isEmpty() ? tr("nothing") : lines.join(QStringLiteral("; "));
        } else if (version.version() <= 1) {
            changes = tr("the first version");
        }
        rows.append({version.version(),
                     TimeText::timestamp(version.created_at()),
                     SubsidyText::sourceName(version.source()),
                     QString::fromStdString(version.reason()),
                     {changes}});
    }
    m_history->setVersions(rows, true);
    for (int row = 0; row < versions.versions_size(); ++row) {
        if (versions.versions(row).candidate())
            m_history->setTag(row, tr("candidate"));
    }
    showSelectedDiff();
}

// ---------------------------------------------------------------------------
// Editing, replaying and saving

void ConfigTab::updateEditing()
{
    const bool loaded = m_current.has_value();
    const bool modified = loaded && m_editor->isModified();
    const bool valid = loaded && m_editor->isValid();
    const bool stale = modified && m_current->version() != m_base;
    const bool allowed = EnvironmentPolicy::allowsEditing(this);
    m_editor->setEnabled(loaded && allowed);
    m_saveButton->setEnabled(modified && valid && !m_saving && allowed);
    m_candidateButton->setEnabled(m_saveButton->isEnabled());
    m_simulateButton->setEnabled(valid && !m_simulating);
    const QString blocked = EnvironmentPolicy::editingBlockedText(this);
    m_saveButton->setToolTip(!blocked.isEmpty() ? blocked
                             : !loaded          ? tr("The config is not loaded yet.")
                             : !modified        ? tr("Change a value first.")
                             : !valid           ? tr("Correct the values marked in red first.")
                                                : QString());
    m_candidateButton->setToolTip(m_saveButton->isEnabled()
                                      ? tr("Stores the draft as a new version that is not in force: use it in an "
                                           "experiment's variant, or roll back to it later to make it live.")
                                      : m_saveButton->toolTip());
    m_editor->setToolTip(blocked);
    m_simulateButton->setToolTip(valid ? tr("Replays the draft as typed, and the live config, over the first orders "
                                            "of the last 7 days; nothing is saved.")
                                       : tr("Correct the values marked in red first."));
    m_discardButton->setEnabled(modified);
    m_rebaseButton->setVisible(stale);
    if (loaded)
        m_rebaseButton->setText(tr("Save my draft over version %1…").arg(m_current->version()));

    QString text;
    if (!loaded && m_unimplemented) {
        text = tr("This backend does not offer subsidies yet: there is no config to edit.");
    } else if (!loaded) {
        text = tr("The subsidy config is not loaded yet.");
    } else if (!modified) {
        text = tr("Version %1 is in force. Change a value, see what it would have done, then choose “Save…” to make "
                  "a new version.")
                   .arg(m_current->version());
    } else {
        text = tr("Unsaved draft based on version %1: first orders follow the saved config until you save.")
                   .arg(m_base);
        if (!valid)
            text += u' ' + tr("It cannot be saved while values are marked in red.");
        if (stale)
            text += u' ' + tr("Version %1 has been saved since, so saving this draft as it is will be refused. "
                              "Compare in the history, then discard your draft or save it over version %1.")
                               .arg(m_current->version());
    }
    m_editing->setText(text);
    m_editing->setStyleSheet(modified ? QStringLiteral("color: #9a6700; font-weight: bold;") : QString());
}

QString ConfigTab::editingText() const
{
    return m_editing->text();
}

void ConfigTab::simulate()
{
    if (!m_editor->isValid()) {
        m_simulation->setStatus(tr("Nothing was replayed: %1").arg(m_editor->problems().join(u' ')), true);
        return;
    }
    v1::SimulateSubsidyConfigRequest request;
    *request.mutable_draft() = m_editor->config();
    request.set_days(7);
    m_simulating = true;
    updateEditing();
    m_side->setCurrentWidget(m_simulation);
    m_simulation->setStatus(tr("Replaying the last 7 days of first orders…"), false);
    const quint64 editsAtStart = m_edits;
    m_client->simulate(request, [this, editsAtStart](const grpc::Status &status,
                                                     const v1::SubsidySimulation &simulation) {
        m_simulating = false;
        updateEditing();
        if (!status.ok()) {
            const QString detail = QString::fromStdString(status.error_message());
            switch (status.error_code()) {
            case grpc::StatusCode::UNIMPLEMENTED:
                m_simulation->setStatus(tr("This backend does not offer subsidies yet, so it cannot replay a draft."),
                                        true);
                break;
            case grpc::StatusCode::INVALID_ARGUMENT:
                m_simulation->setStatus(tr("The backend refused to replay the draft: %1").arg(detail), true);
                break;
            default:
                m_simulation->setStatus(
                    tr("The replay failed. %1 Try again when the backend is back.").arg(BackendConnection::explain(status)),
                    true);
                break;
            }
            Q_EMIT actionFinished(false);
            return;
        }
        m_simulation->setSimulation(simulation);
        if (m_edits != editsAtStart)
            m_simulation->setStale(); // the draft was edited while it was replayed
        Q_EMIT actionFinished(true);
    });
}

void ConfigTab::askSave()
{
    const std::optional<QString> reason =
        m_askReason(tr("Save the subsidy config"), tr("Why this change? (required; it is kept in the history)"),
                    QString(), tr("Save"));
    if (reason)
        save(*reason);
}

bool ConfigTab::checkDraft(const QString &reason)
{
    if (!m_current) {
        m_message->showMessage(tr("The config is not loaded yet; nothing was saved."), true);
        return false;
    }
    const QStringList problems = m_editor->problems();
    if (!problems.isEmpty()) {
        m_message->showMessage(tr("Nothing was saved: %1").arg(problems.join(u' ')), true);
        return false;
    }
    if (!m_editor->isModified()) {
        m_message->showMessage(tr("Nothing was saved: the form is the same as version %1.").arg(m_base), true);
        return false;
    }
    if (reason.trimmed().isEmpty()) {
        m_message->showMessage(tr("Saving needs a reason; nothing was saved."), true);
        return false;
    }
    return true;
}

bool ConfigTab::save(const QString &reason)
{
    if (!checkDraft(reason))
        return false;
    v1::SaveSubsidyConfigRequest request;
    request.set_base_version(m_base);
    *request.mutable_config() = m_editor->config();
    request.set_reason(reason.trimmed().toStdString());
    m_saving = true;
    updateEditing();
    m_client->saveConfig(request, [this](const grpc::Status &status, const v1::SubsidyConfigVersion &saved) {
        m_saving = false;
        if (!status.ok()) {
            onRefused(tr("The config was not saved"), status);
            updateEditing();
            m_refreshing = false;
            refresh(); // after a refusal: learn which version is in force now
            Q_EMIT actionFinished(false);
            return;
        }
        ++m_loads;
        m_editor->setConfig(saved.config());
        m_base = saved.version();
        m_message->showMessage(tr("Saved as version %1: first orders follow it from now on.").arg(saved.version()),
                               false);
        onConfig(saved);
        m_versions.clear_versions(); // history is stale
        m_refreshing = false;
        refresh();
        Q_EMIT actionFinished(true);
    });
    return true;
}

void ConfigTab::askSaveCandidate()
{
    const std::optional<QString> reason = m_askReason(
        tr("Save the subsidy config as a candidate"), tr("Why this candidate? (required; it is kept in the history)"),
        tr("The draft is stored as a new version that is not in force: first orders keep following version %1.")
            .arg(m_current ? m_current->version() : m_base),
        tr("Save as candidate"));
    if (reason)
        saveCandidate(*reason);
}

bool ConfigTab::saveCandidate(const QString &reason)
{
    if (!checkDraft(reason))
        return false;
    v1::SaveSubsidyConfigRequest request;
    request.set_candidate(true); // no base: a candidate changes nothing in force
    *request.mutable_config() = m_editor->config();
    request.set_reason(reason.trimmed().toStdString());
    m_saving = true;
    updateEditing();
    m_client->saveConfig(request, [this](const grpc::Status &status, const v1::SubsidyConfigVersion &saved) {
        m_saving = false;
        if (!status.ok()) {
            onRefused(tr("The candidate was not saved"), status);
            updateEditing();
            Q_EMIT actionFinished(false);
            return;
        }
        // The draft is stored: the form goes back to the config in force, and the
        // history (which lists the candidate) is read again.
        if (m_current) {
            m_editor->setConfig(m_current->config());
            m_base = m_current->version();
        }
        m_message->showMessage(tr("Saved as candidate version %1 — not in force; use it in an experiment or roll "
                                  "back to it to make it live.")
                                   .arg(saved.version()),
                               false);
        updateEditing();
        m_versions.clear_versions(); // a failed list below is then retried by the next refresh
        m_client->listConfigVersions(kVersionLimit, [this, version = saved.version()](
                                                        const grpc::Status &listed,
                                                        const v1::ListSubsidyConfigVersionsResponse &list) {
            if (!listed.ok())
                return;
            onVersions(list);
            for (int row = 0; row < m_history->versionCount(); ++row) {
                if (m_history->versionAt(row) == version)
                    m_history->selectRow(row);
            }
            m_side->setCurrentWidget(m_history);
        });
        Q_EMIT actionFinished(true);
    });
    return true;
}

void ConfigTab::onRefused(const QString &what, const grpc::Status &status)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::ABORTED:
        m_message->showMessage(
            tr("%1: someone else saved a newer version while you were editing. Your draft is kept: compare with "
               "the newest version in the history, then save your draft over it or discard it.")
                .arg(what),
            true);
        break;
    case grpc::StatusCode::INVALID_ARGUMENT: {
        const QString key = m_editor->fieldInMessage(detail);
        if (!key.isEmpty()) {
            m_message->showMessage(tr("%1: the backend refused “%2”: %3. Your draft is kept: correct the value and "
                                      "save again.")
                                       .arg(what, m_editor->fieldLabel(key), detail),
                                   true);
            if (QLineEdit *input = m_editor->input(key))
                input->setFocus();
        } else {
            m_message->showMessage(
                tr("%1: the backend refused it: %2. Your draft is kept: correct it and save again.").arg(what, detail),
                true);
        }
        break;
    }
    case grpc::StatusCode::UNIMPLEMENTED:
        m_message->showMessage(tr("%1: this backend does not offer subsidies yet.").arg(what), true);
        break;
    case grpc::StatusCode::PERMISSION_DENIED:
        m_message->showMessage(tr("%1: the backend says your role may not change it (%2).").arg(what, detail), true);
        break;
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::FAILED_PRECONDITION:
        m_message->showMessage(tr("%1: the backend refused: %2").arg(what, detail), true);
        break;
    default:
        m_message->showMessage(
            tr("%1. %2 Your draft is kept: save again when the backend is back.").arg(what, BackendConnection::explain(status)),
            true);
        break;
    }
}

void ConfigTab::discardEdits()
{
    if (m_current) {
        m_editor->setConfig(m_current->config());
        m_base = m_current->version();
    }
    m_message->showMessage(QString(), false);
    m_simulation->setStale();
    updateEditing();
}

void ConfigTab::rebaseEdits()
{
    if (!m_current || !m_editor->isModified())
        return;
    m_base = m_current->version();
    m_message->showMessage(
        tr("Your draft now replaces version %1 when you save; its values are the ones in the form.").arg(m_base),
        false);
    updateEditing();
    if (m_saveButton->isEnabled())
        askSave();
}

QString ConfigTab::messageText() const
{
    return m_message->text();
}

// ---------------------------------------------------------------------------
// History and rollback

QString ConfigTab::diffText() const
{
    return m_history->diffText();
}

void ConfigTab::showSelectedDiff()
{
    const int row = m_history->selectedRow();
    QPushButton *rollback = m_history->rollbackButton();
    rollback->setEnabled(false);
    if (row < 0 || row >= m_versions.versions_size()) {
        m_history->setDiff(QString());
        return;
    }
    const v1::SubsidyConfigVersion &version = m_versions.versions(row);
    const bool current = m_current && m_current->version() == version.version();
    const bool allowed = EnvironmentPolicy::allowsEditing(this);
    rollback->setEnabled(allowed && !current);
    rollback->setText(version.candidate() ? tr("Make this candidate live…") : tr("Roll back to this version…"));
    rollback->setToolTip(current ? tr("This version is the one in force.")
                                 : EnvironmentPolicy::editingBlockedText(this));
    QString text = tr("Version %1 (%2, %3, by %4): “%5”")
                       .arg(version.version())
                       .arg(TimeText::timestamp(version.created_at()), SubsidyText::sourceName(version.source()),
                            version.actor().empty() ? tr("unknown") : QString::fromStdString(version.actor()),
                            QString::fromStdString(version.reason()));
    if (version.candidate())
        text += u'\n' + tr("Candidate: stored but not in force. An experiment's variant may use it; roll back to it "
                           "to make it live.");
    text += u'\n';
    QStringList lines;
    if (const int beforeRow = comparedRow(row); beforeRow >= 0) {
        const qint64 before = m_versions.versions(beforeRow).version();
        lines = SubsidyText::diff(m_versions.versions(beforeRow).config(), version.config());
        if (version.candidate())
            text += u'\n' + (lines.isEmpty() ? tr("Nothing differs from version %1, the one in force.").arg(before)
                                             : tr("Making it live would change, against version %1 in force:").arg(before));
        else
            text += u'\n' + (lines.isEmpty() ? tr("Nothing changed against version %1.").arg(before)
                                             : tr("Changed against version %1:").arg(before));
    } else {
        text += u'\n' + tr("The oldest version listed, with these values:");
        for (const auto &[label, value] : SubsidyText::describe(version.config()))
            lines.append(QStringLiteral("%1: %2").arg(label, value));
    }
    for (const QString &line : std::as_const(lines))
        text += QStringLiteral("\n• ") + line;
    m_history->setDiff(text);
}

int ConfigTab::comparedRow(int row) const
{
    if (m_versions.versions(row).candidate()) {
        for (int live = 0; live < m_versions.versions_size(); ++live) {
            if (!m_versions.versions(live).candidate())
                return live;
        }
        return -1;
    }
    for (int before = row + 1; before < m_versions.versions_size(); ++before) {
        if (!m_versions.versions(before).candidate())
            return before;
    }
    return -1;
}

void ConfigTab::askRollback(qint64 version)
{
    const std::optional<QString> reason =
        m_askReason(tr("Roll back the subsidy config"),
                    tr("Why roll back to version %1? (required; it is kept in the history)").arg(version),
                    tr("Make the config of version %1 the one in force? First orders are decided with it from now "
                       "on. This is saved as a new version.")
                        .arg(version),
                    tr("Roll back"));
    if (reason)
        rollbackTo(version, *reason);
}

void ConfigTab::rollbackTo(qint64 version, const QString &reason)
{
    if (!m_current)
        return;
    v1::RollbackSubsidyConfigRequest request;
    request.set_to_version(version);
    request.set_base_version(m_current->version());
    request.set_reason(reason.trimmed().toStdString());
    m_history->rollbackButton()->setEnabled(false);
    m_client->rollbackConfig(request, [this, version](const grpc::Status &status,
                                                      const v1::SubsidyConfigVersion &saved) {
        if (!status.ok()) {
            onRefused(tr("The config was not rolled back"), status);
            showSelectedDiff();
            m_refreshing = false;
            refresh();
            Q_EMIT actionFinished(false);
            return;
        }
        m_message->showMessage(
            tr("Rolled back to version %1: the config in force is now version %2.").arg(version).arg(saved.version()),
            false);
        ++m_loads;
        if (!m_editor->isModified()) {
            m_editor->setConfig(saved.config());
            m_base = saved.version();
        }
        onConfig(saved);
        m_versions.clear_versions();
        m_refreshing = false;
        refresh();
        Q_EMIT actionFinished(true);
    });
}

} // namespace flywheel::ui
