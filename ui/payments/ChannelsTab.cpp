#include "payments/ChannelsTab.h"

#include "client/BackendConnection.h"
#include "client/PaymentClient.h"
#include "common/Format.h"
#include "common/MessageBar.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "common/VersionHistoryView.h"
#include "connection/EnvironmentPolicy.h"
#include "payments/ChannelEditor.h"
#include "payments/ChannelText.h"
#include "payments/PaymentText.h"

#include <grpcpp/support/status.h>

#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

namespace {

constexpr int kVersionLimit = 50;

} // namespace

ChannelsTab::ChannelsTab(PaymentClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_editing(new QLabel(this)), m_table(new QTableWidget(0, ColumnCount, this)),
      m_window(new QSpinBox(this)), m_queryAfter(new QSpinBox(this)),
      m_addButton(new QPushButton(tr("Add channel"), this)),
      m_removeButton(new QPushButton(tr("Remove channel"), this)), m_editor(new ChannelEditor(this)),
      m_message(new MessageBar(this)), m_discardButton(new QPushButton(tr("Discard changes"), this)),
      m_saveButton(new QPushButton(tr("Save…"), this)),
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
    m_table->setHorizontalHeaderLabels({tr("Id"), tr("Provider"), tr("Name"), tr("Enabled"), tr("Priority"),
                                        tr("Fee"), tr("Minimum"), tr("Maximum"), tr("Currencies"),
                                        tr("Success floor"), tr("Credentials")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_window->setRange(1, 1440);
    m_window->setSuffix(tr(" min"));
    m_window->setToolTip(tr("The recent window over which each channel's success rate is measured."));
    m_queryAfter->setRange(10, 3600);
    m_queryAfter->setSuffix(tr(" s"));
    m_queryAfter->setToolTip(tr("How long an unpaid payment waits before the provider is asked about it."));

    auto *settings = new QFormLayout();
    settings->addRow(tr("Success rate window"), m_window);
    settings->addRow(tr("Query the provider after"), m_queryAfter);
    auto *tableButtons = new QHBoxLayout();
    tableButtons->addLayout(settings);
    tableButtons->addStretch(1);
    tableButtons->addWidget(m_addButton);
    tableButtons->addWidget(m_removeButton);

    auto *scroll = new QScrollArea(this);
    scroll->setWidget(m_editor);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *side = new QTabWidget(this);
    side->addTab(scroll, tr("Selected channel"));
    side->addTab(m_history, tr("Version history"));

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table, 1);
    topLayout->addLayout(tableButtons);
    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(top);
    split->addWidget(side);
    // The editor's form needs about as much width as the table.
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *buttons = new QHBoxLayout();
    buttons->addStretch(1);
    buttons->addWidget(m_discardButton);
    buttons->addWidget(m_saveButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_editing);
    layout->addWidget(split, 1);
    layout->addWidget(m_message);
    layout->addLayout(buttons);

    connect(m_table, &QTableWidget::itemSelectionChanged, this, &ChannelsTab::onSelection);
    connect(m_editor, &ChannelEditor::edited, this, &ChannelsTab::onEditorEdited);
    connect(m_window, &QSpinBox::valueChanged, this, [this](int minutes) {
        if (m_draft.success_window_minutes() == minutes)
            return;
        m_draft.set_success_window_minutes(minutes);
        updateEditing();
        Q_EMIT draftChanged();
    });
    connect(m_queryAfter, &QSpinBox::valueChanged, this, [this](int seconds) {
        if (m_draft.query_after_seconds() == seconds)
            return;
        m_draft.set_query_after_seconds(seconds);
        updateEditing();
        Q_EMIT draftChanged();
    });
    connect(m_addButton, &QPushButton::clicked, this, &ChannelsTab::addChannel);
    connect(m_removeButton, &QPushButton::clicked, this, &ChannelsTab::removeSelected);
    connect(m_saveButton, &QPushButton::clicked, this, &ChannelsTab::askSave);
    connect(m_discardButton, &QPushButton::clicked, this, &ChannelsTab::discardEdits);
    connect(m_history, &VersionHistoryView::selectionChanged, this, &ChannelsTab::showSelectedVersion);
    connect(m_history, &VersionHistoryView::rollbackRequested, this, &ChannelsTab::askRollback);
    updateEditing();
    EnvironmentPolicy::watch(this, [this] {
        updateEditing();
        showSelectedVersion();
    });
}

// ---------------------------------------------------------------------------
// Loading

void ChannelsTab::refresh()
{
    if (m_refreshing || !m_client->hasChannel())
        return;
    m_refreshing = true;
    const quint64 load = m_loads;
    m_client->getConfig(0, [this, load](const grpc::Status &status, const v1::ChannelConfigVersion &version) {
        if (load != m_loads) {
            m_refreshing = false; // begun before a save or rollback answered
            return;
        }
        if (!status.ok()) {
            m_refreshing = false;
            m_unimplemented = status.error_code() == grpc::StatusCode::UNIMPLEMENTED;
            updateEditing();
            Q_EMIT loadFailed(m_unimplemented ? ChannelText::unimplemented() : BackendConnection::explain(status),
                              m_unimplemented);
            return;
        }
        m_unimplemented = false;
        onConfig(version);
        if (m_versions.versions_size() > 0 && m_versions.versions(0).version() == version.version()) {
            m_refreshing = false;
            return;
        }
        m_client->listConfigVersions(
            kVersionLimit, [this](const grpc::Status &listed, const v1::ListChannelConfigVersionsResponse &list) {
                m_refreshing = false;
                if (listed.ok())
                    onVersions(list);
            });
    });
}

void ChannelsTab::onConfig(const v1::ChannelConfigVersion &version)
{
    const bool modified = isModified(); // against the version shown until now
    m_current = version;
    if (!modified) {
        // Nothing typed: the form follows the version in force (rebuilt only when it
        // changed, so that a refresh does not disturb an operator reading the form).
        m_base = version.version();
        if (m_draft.SerializeAsString() != version.config().SerializeAsString() || m_table->rowCount() == 0)
            setDraft(version.config());
    }
    updateEditing();
    Q_EMIT loaded(version);
}

void ChannelsTab::setDraft(const v1::ChannelConfig &config)
{
    m_draft = config;
    {
        const QSignalBlocker windowBlock(m_window);
        const QSignalBlocker queryBlock(m_queryAfter);
        m_window->setValue(config.success_window_minutes());
        m_queryAfter->setValue(config.query_after_seconds());
    }
    fillTable();
    Q_EMIT draftChanged();
}

void ChannelsTab::fillTable()
{
    const int keep = m_selected;
    {
        const QSignalBlocker block(m_table);
        m_table->setRowCount(m_draft.channels_size());
        for (int row = 0; row < m_draft.channels_size(); ++row)
            fillRow(row);
    }
    m_table->resizeColumnsToContents();
    if (m_draft.channels_size() == 0) {
        m_selected = -1;
        m_editor->clearChannel();
    } else {
        selectChannel(std::clamp(keep, 0, m_draft.channels_size() - 1));
    }
}

void ChannelsTab::fillRow(int row)
{
    const v1::Channel &channel = m_draft.channels(row);
    const QString currency = channel.currencies_size() > 0 ? QString::fromStdString(channel.currencies(0))
                                                             : QStringLiteral("CNY");
    const auto set = [this, row](Column column, const QString &text, const QString &tip = QString()) {
        auto *item = m_table->item(row, column);
        if (!item) {
            item = new QTableWidgetItem();
            m_table->setItem(row, column, item);
        }
        item->setText(text);
        item->setToolTip(tip);
        return item;
    };
    set(Id, QString::fromStdString(channel.id()));
    set(Provider, PaymentText::providerName(channel.provider()));
    set(Name, QString::fromStdString(channel.display_name()));
    set(Enabled, channel.enabled() ? tr("yes") : tr("no"))
        ->setForeground(channel.enabled() ? QColor(0x1a, 0x7f, 0x37) : QColor(0x6e, 0x77, 0x81));
    set(Priority, QLocale().toString(channel.priority()));
    set(Fee, PaymentText::basisPoints(channel.fee_bp()));
    set(MinAmount, formatMoney(channel.min_amount_minor(), currency));
    set(MaxAmount, channel.max_amount_minor() == 0 ? tr("no maximum") : formatMoney(channel.max_amount_minor(), currency));
    QStringList currencies;
    for (const std::string &code : channel.currencies())
        currencies.append(QString::fromStdString(code));
    set(Currencies, currencies.join(QStringLiteral(", ")));
    set(SuccessFloor, channel.success_floor_bp() == 0 ? tr("off") : PaymentText::basisPoints(channel.success_floor_bp()));
    QStringList states;
    QStringList details;
    bool missing = false;
    for (const v1::Credential &credential : channel.credentials()) {
        const QString name = PaymentText::credentialName(credential.name());
        const bool set = credential.status() == "set";
        missing = missing || !set;
        states.append(tr("%1: %2").arg(name, PaymentText::credentialStatus(set ? "set" : "missing")));
        if (!credential.detail().empty())
            details.append(tr("%1: %2").arg(name, QString::fromStdString(credential.detail())));
    }
    set(Credentials, states.join(QStringLiteral(" · ")), details.join(u'\n'))
        ->setForeground(missing ? QColor(0xcf, 0x22, 0x2e) : QColor(0x1a, 0x7f, 0x37));
}

void ChannelsTab::onVersions(const v1::ListChannelConfigVersionsResponse &versions)
{
    m_versions = versions;
    QList<VersionHistoryView::Row> rows;
    for (int row = 0; row < versions.versions_size(); ++row) {
        const v1::ChannelConfigVersion &version = versions.versions(row);
        QString changes;
        if (row + 1 < versions.versions_size()) {
            const QStringList lines = ChannelText::diff(versions.versions(row + 1).config(), version.config());
            changes = lines.isEmpty() ? tr("nothing") : lines.join(QStringLiteral("; "));
        } else if (version.version() <= 1) {
            changes = tr("the first version");
        }
        rows.append({version.version(), TimeText::timestamp(version.created_at()),
                     VersionHistoryView::sourceName(version.source()), QString::fromStdString(version.reason()),
                     {changes}});
    }
    m_history->setVersions(rows, true);
    showSelectedVersion();
}

// ---------------------------------------------------------------------------
// Editing

bool ChannelsTab::canEdit() const
{
    return EnvironmentPolicy::allowsRole(this, EnvironmentPolicy::Role::Admin) && EnvironmentPolicy::allowsEditing(this);
}

QString ChannelsTab::blockedText() const
{
    const EnvironmentPolicy *policy = EnvironmentPolicy::of(this);
    return policy ? policy->blockedText(EnvironmentPolicy::Role::Admin) : QString();
}

bool ChannelsTab::isModified() const
{
    return m_current && m_draft.SerializeAsString() != m_current->config().SerializeAsString();
}

bool ChannelsTab::isValid() const
{
    return m_editor->problems().isEmpty() && ChannelText::problems(m_draft).isEmpty();
}

QString ChannelsTab::cell(int row, Column column) const
{
    const QTableWidgetItem *item = m_table->item(row, column);
    return item ? item->text() : QString();
}

QString ChannelsTab::cellToolTip(int row, Column column) const
{
    const QTableWidgetItem *item = m_table->item(row, column);
    return item ? item->toolTip() : QString();
}

void ChannelsTab::selectChannel(int row)
{
    if (row < 0 || row >= m_table->rowCount())
        return;
    m_table->selectRow(row);
    onSelection();
}

void ChannelsTab::onSelection()
{
    const QList<QTableWidgetItem *> items = m_table->selectedItems();
    const int row = items.isEmpty() ? -1 : items.first()->row();
    if (row < 0 || row >= m_draft.channels_size()) {
        m_selected = -1;
        m_editor->clearChannel();
    } else {
        m_selected = row;
        m_editor->setChannel(m_draft.channels(row));
    }
    updateEditing();
}

void ChannelsTab::onEditorEdited()
{
    if (m_selected < 0 || m_selected >= m_draft.channels_size())
        return;
    *m_draft.mutable_channels(m_selected) = m_editor->channel();
    {
        const QSignalBlocker block(m_table);
        fillRow(m_selected);
    }
    updateEditing();
    Q_EMIT draftChanged();
}

void ChannelsTab::addChannel()
{
    if (!canEdit() || !m_current)
        return;
    v1::Channel *channel = m_draft.add_channels();
    // A disabled channel with a free id: it takes no order until an admin enables it.
    QString id = QStringLiteral("new_channel");
    for (int n = 2; PaymentText::findChannel(m_draft, id.toStdString()); ++n)
        id = QStringLiteral("new_channel_%1").arg(n);
    channel->set_id(id.toStdString());
    channel->set_provider("wechatpay");
    channel->set_enabled(false);
    channel->set_priority(100);
    channel->add_currencies("CNY");
    channel->set_min_attempts(20);
    channel->set_confirmations(1);
    channel->set_invoice_expiry_minutes(15);
    channel->set_endpoint("https://api.mch.weixin.qq.com");
    for (const QString &name : ChannelEditor::requiredCredentials(channel->provider())) {
        v1::Credential *credential = channel->add_credentials();
        credential->set_name(name.toStdString());
        credential->set_status("missing");
    }
    m_selected = m_draft.channels_size() - 1;
    fillTable();
    updateEditing();
    Q_EMIT draftChanged();
}

void ChannelsTab::removeSelected()
{
    if (!canEdit() || m_selected < 0 || m_selected >= m_draft.channels_size())
        return;
    m_draft.mutable_channels()->DeleteSubrange(m_selected, 1);
    m_selected = std::min(m_selected, m_draft.channels_size() - 1);
    fillTable();
    updateEditing();
    Q_EMIT draftChanged();
}

void ChannelsTab::updateEditing()
{
    const bool loaded = m_current.has_value();
    const bool allowed = canEdit();
    const bool modified = isModified();
    const bool valid = isValid();
    const QString blocked = blockedText();
    m_editor->setReadOnly(!allowed, allowed ? QString()
                                            : tr("Read only: only admins change payment channels. %1").arg(blocked));
    m_addButton->setEnabled(loaded && allowed);
    m_removeButton->setEnabled(loaded && allowed && m_selected >= 0);
    m_window->setEnabled(loaded && allowed);
    m_queryAfter->setEnabled(loaded && allowed);
    m_saveButton->setEnabled(loaded && allowed && modified && valid && !m_saving);
    m_discardButton->setEnabled(modified);
    m_saveButton->setToolTip(!blocked.isEmpty() ? blocked
                             : !loaded          ? tr("The channels are not loaded yet.")
                             : !modified        ? tr("Change something first.")
                             : !valid           ? tr("Correct the values marked in red first.")
                                                : QString());
    for (QWidget *control : {static_cast<QWidget *>(m_addButton), static_cast<QWidget *>(m_removeButton)})
        control->setToolTip(blocked);

    QString text;
    if (!loaded && m_unimplemented)
        text = ChannelText::unimplemented();
    else if (!loaded)
        text = tr("The payment channels are not loaded yet.");
    else if (!modified)
        text = tr("Version %1 is in force. Select a channel to see or change it; “Save…” makes a new version.")
                   .arg(m_current->version());
    else {
        text = tr("Unsaved draft based on version %1: payments follow the saved channels until you save.").arg(m_base);
        const QStringList problems = ChannelText::problems(m_draft);
        if (!valid)
            text += u' ' + tr("It cannot be saved yet: %1").arg((problems + m_editor->problems()).join(u' '));
        if (m_current->version() != m_base)
            text += u' ' + tr("Version %1 has been saved since, so saving this draft will be refused.")
                               .arg(m_current->version());
    }
    m_editing->setText(text);
    m_editing->setStyleSheet(modified ? QStringLiteral("color: #9a6700; font-weight: bold;") : QString());
}

QString ChannelsTab::editingText() const
{
    return m_editing->text();
}

QString ChannelsTab::messageText() const
{
    return m_message->text();
}

// ---------------------------------------------------------------------------
// Saving and rolling back

void ChannelsTab::askSave()
{
    const std::optional<QString> reason =
        m_askReason(tr("Save the payment channels"), tr("Why this change? (required; it is kept in the history)"),
                    tr("Payments are routed by the new version as soon as it is saved."), tr("Save"));
    if (reason)
        save(*reason);
}

bool ChannelsTab::save(const QString &reason)
{
    if (!m_current) {
        m_message->showMessage(tr("The channels are not loaded yet; nothing was saved."), true);
        return false;
    }
    if (!canEdit()) {
        m_message->showMessage(tr("Nothing was saved: %1").arg(blockedText()), true);
        return false;
    }
    if (!isValid()) {
        m_message->showMessage(
            tr("Nothing was saved: %1").arg((ChannelText::problems(m_draft) + m_editor->problems()).join(u' ')), true);
        return false;
    }
    if (!isModified()) {
        m_message->showMessage(tr("Nothing was saved: the channels are the same as version %1.").arg(m_base), true);
        return false;
    }
    if (reason.trimmed().isEmpty()) {
        m_message->showMessage(tr("Saving needs a reason; nothing was saved."), true);
        return false;
    }
    v1::SaveChannelConfigRequest request;
    request.set_base_version(m_base);
    *request.mutable_config() = m_draft;
    request.set_reason(reason.trimmed().toStdString());
    m_saving = true;
    updateEditing();
    m_client->saveConfig(request, [this](const grpc::Status &status, const v1::ChannelConfigVersion &saved) {
        m_saving = false;
        if (!status.ok()) {
            onRefused(tr("The channels were not saved"), status);
            updateEditing();
            m_refreshing = false;
            refresh(); // learn which version is in force now
            Q_EMIT actionFinished(false);
            return;
        }
        ++m_loads;
        m_base = saved.version();
        m_current = saved;
        setDraft(saved.config());
        m_message->showMessage(tr("Saved as version %1: payments are routed by it from now on.").arg(saved.version()),
                               false);
        updateEditing();
        Q_EMIT loaded(saved);
        m_versions.clear_versions();
        m_refreshing = false;
        refresh();
        Q_EMIT actionFinished(true);
    });
    return true;
}

void ChannelsTab::onRefused(const QString &what, const grpc::Status &status)
{
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::ABORTED:
        m_message->showMessage(
            tr("%1: someone else saved a newer version while you were editing. Your draft is kept: compare with "
               "the newest version in the history, then discard your draft or make your changes again on top of it.")
                .arg(what),
            true);
        break;
    case grpc::StatusCode::INVALID_ARGUMENT:
        m_message->showMessage(
            tr("%1: the backend refused it: %2. Your draft is kept: correct it and save again.").arg(what, detail),
            true);
        break;
    case grpc::StatusCode::UNIMPLEMENTED:
        m_message->showMessage(tr("%1: %2").arg(what, ChannelText::unimplemented()), true);
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

void ChannelsTab::discardEdits()
{
    if (m_current) {
        m_base = m_current->version();
        setDraft(m_current->config());
    }
    m_message->clearMessage();
    updateEditing();
}

void ChannelsTab::showSelectedVersion()
{
    const int row = m_history->selectedRow();
    QPushButton *rollback = m_history->rollbackButton();
    rollback->setEnabled(false);
    if (row < 0 || row >= m_versions.versions_size()) {
        m_history->setDiff(QString());
        return;
    }
    const v1::ChannelConfigVersion &version = m_versions.versions(row);
    const bool current = m_current && m_current->version() == version.version();
    rollback->setEnabled(canEdit() && !current);
    rollback->setToolTip(current ? tr("This version is the one in force.") : blockedText());
    QString text = tr("Version %1 (%2, %3, by %4): “%5”")
                       .arg(version.version())
                       .arg(TimeText::timestamp(version.created_at()), VersionHistoryView::sourceName(version.source()),
                            version.actor().empty() ? tr("unknown") : QString::fromStdString(version.actor()),
                            QString::fromStdString(version.reason()));
    QStringList lines;
    if (row + 1 < m_versions.versions_size()) {
        const qint64 before = m_versions.versions(row + 1).version();
        lines = ChannelText::diff(m_versions.versions(row + 1).config(), version.config());
        text += u'\n' + (lines.isEmpty() ? tr("Nothing changed against version %1.").arg(before)
                                         : tr("Changed against version %1:").arg(before));
    } else {
        text += u'\n' + tr("The oldest version listed, with these channels:");
        for (const v1::Channel &channel : version.config().channels())
            lines.append(ChannelText::describe(channel));
    }
    for (const QString &line : std::as_const(lines))
        text += QStringLiteral("\n• ") + line;
    m_history->setDiff(text);
}

void ChannelsTab::askRollback(qint64 version)
{
    const std::optional<QString> reason =
        m_askReason(tr("Roll back the payment channels"),
                    tr("Why roll back to version %1? (required; it is kept in the history)").arg(version),
                    tr("Make the channels of version %1 the ones in force? Payments are routed by them from now on. "
                       "This is saved as a new version.")
                        .arg(version),
                    tr("Roll back"));
    if (reason)
        rollbackTo(version, *reason);
}

void ChannelsTab::rollbackTo(qint64 version, const QString &reason)
{
    if (!m_current)
        return;
    v1::RollbackChannelConfigRequest request;
    request.set_to_version(version);
    request.set_base_version(m_current->version());
    request.set_reason(reason.trimmed().toStdString());
    m_history->rollbackButton()->setEnabled(false);
    m_client->rollbackConfig(request, [this, version](const grpc::Status &status,
                                                      const v1::ChannelConfigVersion &saved) {
        if (!status.ok()) {
            onRefused(tr("The channels were not rolled back"), status);
            showSelectedVersion();
            m_refreshing = false;
            refresh();
            Q_EMIT actionFinished(false);
            return;
        }
        m_message->showMessage(
            tr("Rolled back to version %1: the channels in force are now version %2.").arg(version).arg(saved.version()),
            false);
        ++m_loads;
        const bool modified = isModified();
        m_current = saved;
        if (!modified) {
            m_base = saved.version();
            setDraft(saved.config());
        }
        updateEditing();
        Q_EMIT loaded(saved);
        m_versions.clear_versions();
        m_refreshing = false;
        refresh();
        Q_EMIT actionFinished(true);
    });
}

} // namespace flywheel::ui
