#include "referral/ProgramTab.h"

#include "client/BackendConnection.h"
#include "client/ReferralClient.h"
#include "common/MessageBar.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "connection/EnvironmentPolicy.h"
#include "referral/ProgramEditor.h"
#include "referral/ReferralText.h"

#include <grpcpp/support/status.h>

#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

constexpr int kVersionLimit = 50;

} // namespace

ProgramTab::ProgramTab(ReferralClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_editor(new ProgramEditor(this)), m_editing(new QLabel(this)),
      m_message(new MessageBar(this)), m_discardButton(new QPushButton(tr("Discard changes"), this)),
      m_rebaseButton(new QPushButton(this)), m_saveButton(new QPushButton(tr("Save…"), this)),
      m_history(new VersionHistoryView({.extraColumns = {tr("Changes")},
                                        .orientation = Qt::Vertical,
                                        .rollback = false,
                                        .diffPlaceholder = tr("Select a version to see what changed against the "
                                                              "version before it.")},
                                       this))
{
    m_askReason = [this](const QString &title, const QString &question) {
        return ReasonDialog::ask(this, title, question, QString(), tr("Save"));
    };

    m_editing->setWordWrap(true);
    m_editing->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rebaseButton->setToolTip(tr("Someone saved the programme after you started editing. This applies the values "
                                  "you changed to their version and keeps the rest of it; look at it in the history "
                                  "first."));
    m_rebaseButton->hide();

    auto *buttons = new QHBoxLayout();
    buttons->addStretch(1);
    buttons->addWidget(m_rebaseButton);
    buttons->addWidget(m_discardButton);
    buttons->addWidget(m_saveButton);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_editor);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // the hints wrap instead
    scroll->setFrameShape(QFrame::NoFrame);
    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 4, 0);
    leftLayout->addWidget(m_editing);
    leftLayout->addWidget(scroll, 1);
    leftLayout->addWidget(m_message);
    leftLayout->addLayout(buttons);

    auto *history = new QGroupBox(tr("Version history"), this);
    auto *historyLayout = new QVBoxLayout(history);
    historyLayout->addWidget(m_history);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(history);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    split->setSizes({680, 400});
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);

    connect(m_editor, &ProgramEditor::edited, this, &ProgramTab::updateEditing);
    connect(m_saveButton, &QPushButton::clicked, this, &ProgramTab::askSave);
    connect(m_discardButton, &QPushButton::clicked, this, &ProgramTab::discardEdits);
    connect(m_rebaseButton, &QPushButton::clicked, this, &ProgramTab::rebaseEdits);
    connect(m_history, &VersionHistoryView::selectionChanged, this, &ProgramTab::showSelectedDiff);
    updateEditing();
    EnvironmentPolicy::watch(this, [this] { updateEditing(); });
}

// ---------------------------------------------------------------------------
// Loading

void ProgramTab::refresh()
{
    if (m_refreshing || !m_client->hasChannel())
        return;
    m_refreshing = true;
    m_client->getProgram(0, [this](const grpc::Status &status, const v1::ProgramVersion &version) {
        if (!status.ok()) {
            m_refreshing = false;
            Q_EMIT loadFailed(BackendConnection::explain(status));
            return;
        }
        onProgram(version);
        const bool historyStale =
            m_versions.versions_size() == 0 || m_versions.versions(0).version() != version.version();
        if (!historyStale) {
            m_refreshing = false;
            return;
        }
        m_client->listProgramVersions(kVersionLimit,
                                      [this](const grpc::Status &status, const v1::ListProgramVersionsResponse &list) {
                                          m_refreshing = false;
                                          if (status.ok())
                                              onVersions(list);
                                      });
    });
}

void ProgramTab::onProgram(const v1::ProgramVersion &version)
{
    m_current = version;
    if (!m_editor->isModified()) {
        // Nothing typed: the form follows the version in force.
        m_editor->setProgram(version.program());
        m_base = version.version();
    }
    updateEditing();
    Q_EMIT loaded(version);
}

void ProgramTab::onVersions(const v1::ListProgramVersionsResponse &versions)
{
    m_versions = versions;
    QList<VersionHistoryView::Row> rows;
    for (int row = 0; row < versions.versions_size(); ++row) {
        const v1::ProgramVersion &version = versions.versions(row);
        QString changes;
        if (row + 1 < versions.versions_size()) {
            const QStringList lines = ReferralText::diff(versions.versions(row + 1).program(), version.program());
            changes = lines.isEmpty() ? tr("nothing") : lines.join(QStringLiteral("; "));
        } else if (version.version() <= 1) {
            changes = tr("the first version");
        }
        rows.append({version.version(),
                     TimeText::timestamp(version.created_at()),
                     VersionHistoryView::sourceName(version.source()),
                     QString::fromStdString(version.reason()),
                     {changes}});
    }
    m_history->setVersions(rows, true);
}

// ---------------------------------------------------------------------------
// Editing and saving

void ProgramTab::updateEditing()
{
    const bool loaded = m_current.has_value();
    const bool modified = loaded && m_editor->isModified();
    const bool stale = modified && m_current->version() != m_base;
    const bool allowed = EnvironmentPolicy::allowsEditing(this);
    m_editor->setEnabled(loaded && allowed);
    m_saveButton->setEnabled(modified && !m_saving && allowed);
    EnvironmentPolicy::explainBlocked(this, {m_editor, m_saveButton});
    m_discardButton->setEnabled(modified);
    m_rebaseButton->setVisible(stale);
    if (loaded)
        m_rebaseButton->setText(tr("Apply my changes to version %1").arg(m_current->version()));

    QString text;
    if (!loaded) {
        text = tr("The programme is not loaded yet.");
    } else if (!modified) {
        text = tr("Version %1 is in force. Change a value and choose “Save…” to make a new version.")
                   .arg(m_current->version());
    } else {
        text = tr("Unsaved changes based on version %1: invites and commissions follow the saved programme until you "
                  "save.")
                   .arg(m_base);
        if (stale)
            text += u' ' + tr("Version %1 has been saved since, so saving these changes will be refused. Compare in "
                              "the history, then discard them or apply them to version %1.")
                               .arg(m_current->version());
    }
    m_editing->setText(text);
    m_editing->setStyleSheet(modified ? QStringLiteral("color: #9a6700; font-weight: bold;") : QString());
}

QString ProgramTab::editingText() const
{
    return m_editing->text();
}

void ProgramTab::askSave()
{
    const std::optional<QString> reason =
        m_askReason(tr("Save the referral programme"), tr("Why this change? (required; it is kept in the history)"));
    if (reason)
        save(*reason);
}

bool ProgramTab::save(const QString &reason)
{
    if (!m_current) {
        m_message->showMessage(tr("The programme is not loaded yet; nothing was saved."), true);
        return false;
    }
    const QStringList problems = m_editor->problems();
    if (!problems.isEmpty()) {
        m_message->showMessage(tr("Nothing was saved: %1").arg(problems.join(u' ')), true);
        for (const ProgramField field : kProgramFields) {
            if (!m_editor->problem(field).isEmpty()) {
                m_editor->input(field)->setFocus();
                break;
            }
        }
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
    v1::SaveProgramRequest request;
    request.set_base_version(m_base);
    *request.mutable_program() = m_editor->program();
    request.set_reason(reason.trimmed().toStdString());
    m_saving = true;
    updateEditing();
    m_client->saveProgram(request, [this](const grpc::Status &status, const v1::ProgramVersion &saved) {
        m_saving = false;
        if (!status.ok()) {
            onSaveFailed(status);
            updateEditing();
            m_refreshing = false;
            refresh(); // after a refusal: learn which version is in force now
            Q_EMIT actionFinished(false);
            return;
        }
        m_editor->setProgram(saved.program());
        m_base = saved.version();
        m_message->showMessage(
            tr("Saved as version %1: invites and commissions follow it from now on.").arg(saved.version()), false);
        onProgram(saved);
        m_versions.clear_versions(); // history is stale
        m_refreshing = false;
        refresh();
        Q_EMIT actionFinished(true);
    });
    return true;
}

void ProgramTab::onSaveFailed(const grpc::Status &status)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::ABORTED: // base_version is not the version in force
        m_message->showMessage(
            tr("The programme was not saved: someone else saved a newer version while you were editing. "
               "Your changes are kept: compare with the newest version in the history, then apply your "
               "changes to it and save again, or discard them."),
            true);
        break;
    case grpc::StatusCode::INVALID_ARGUMENT: {
        const std::optional<ProgramField> field = ReferralText::fieldInMessage(detail);
        if (field) {
            m_message->showMessage(
                tr("The programme was not saved: the backend refused “%1”: %2. Your changes are kept: correct "
                   "the value and save again.")
                    .arg(ReferralText::fieldName(*field), detail),
                true);
            m_editor->input(*field)->setFocus();
        } else {
            m_message->showMessage(
                tr("The programme was not saved: the backend refused it: %1. Your changes are kept: correct "
                   "them and save again.")
                    .arg(detail),
                true);
        }
        break;
    }
    default:
        m_message->showMessage(
            tr("The programme was not saved. %1 Your changes are kept: save again when the backend is back.")
                .arg(BackendConnection::explain(status)),
            true);
        break;
    }
}

void ProgramTab::discardEdits()
{
    if (m_current) {
        m_editor->setProgram(m_current->program());
        m_base = m_current->version();
    }
    m_message->showMessage(QString(), false);
    updateEditing();
}

void ProgramTab::rebaseEdits()
{
    if (!m_current || !m_editor->isModified())
        return;
    const QList<ProgramField> both = m_editor->rebase(m_current->program());
    m_base = m_current->version();
    QString text = tr("Your changes now apply to version %1: its other values are kept.").arg(m_base);
    if (!both.isEmpty()) {
        QStringList names;
        for (const ProgramField field : both)
            names.append(QStringLiteral("“%1”").arg(ReferralText::fieldName(field)));
        text += u' ' + tr("Version %1 also changed %2; saving replaces that with your value.")
                           .arg(m_base)
                           .arg(names.join(QStringLiteral(", ")));
    }
    m_message->showMessage(text, false);
    updateEditing();
}

QString ProgramTab::messageText() const
{
    return m_message->text();
}

// ---------------------------------------------------------------------------
// History

int ProgramTab::versionCount() const
{
    return m_history->versionCount();
}

qint64 ProgramTab::versionAt(int row) const
{
    return m_history->versionAt(row);
}

void ProgramTab::selectVersion(int row)
{
    m_history->selectRow(row);
}

QString ProgramTab::diffText() const
{
    return m_history->diffText();
}

void ProgramTab::showSelectedDiff()
{
    const int row = m_history->selectedRow();
    if (row < 0 || row >= m_versions.versions_size()) {
        m_history->setDiff(QString());
        return;
    }
    const v1::ProgramVersion &version = m_versions.versions(row);
    QString text = tr("Version %1 (%2, %3): “%4”")
                       .arg(version.version())
                       .arg(TimeText::timestamp(version.created_at()), VersionHistoryView::sourceName(version.source()),
                            QString::fromStdString(version.reason()));
    text += u'\n';
    QStringList lines;
    if (row + 1 < m_versions.versions_size()) {
        const qint64 before = m_versions.versions(row + 1).version();
        lines = ReferralText::diff(m_versions.versions(row + 1).program(), version.program());
        text += u'\n' + (lines.isEmpty() ? tr("Nothing changed against version %1.").arg(before)
                                         : tr("Changed against version %1:").arg(before));
    } else if (version.version() > 1) {
        text += u'\n' + tr("Version %1 is the oldest one listed; the versions before it are not shown. Its values:")
                            .arg(version.version());
        lines = ReferralText::describe(version.program());
    } else {
        text += u'\n' + tr("The first version, with these values:");
        lines = ReferralText::describe(version.program());
    }
    for (const QString &line : lines)
        text += QStringLiteral("\n• ") + line;
    m_history->setDiff(text);
}

} // namespace flywheel::ui
