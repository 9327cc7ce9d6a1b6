#include "audit/AuditPage.h"

#include "audit/AuditDiffView.h"
#include "audit/AuditModel.h"
#include "audit/AuditText.h"
#include "client/AuditClient.h"
#include "client/BackendConnection.h"
#include "common/MessageBar.h"
#include "common/PageHeader.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "connection/EnvironmentPolicy.h"

#include <grpcpp/support/status.h>

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace flywheel::ui {

namespace {

google::protobuf::Timestamp toTimestamp(const QDateTime &time)
{
    const qint64 ms = time.toMSecsSinceEpoch();
    google::protobuf::Timestamp stamp;
    stamp.set_seconds(ms / 1000 - (ms % 1000 < 0 ? 1 : 0));
    stamp.set_nanos(static_cast<int>(((ms % 1000) + 1000) % 1000) * 1000000);
    return stamp;
}

} // namespace

AuditPage::AuditPage(BackendConnection *connection, QWidget *parent)
    : QWidget(parent), m_connection(connection), m_client(new AuditClient(connection, this)),
      m_model(new AuditModel(this)), m_now([] { return QDateTime::currentDateTime(); }),
      m_header(new PageHeader(tr("Audit"), this)), m_message(new MessageBar(this)),
      m_refreshButton(new QPushButton(tr("Refresh"), this)), m_areaBox(new QComboBox(this)),
      m_personBox(new QComboBox(this)), m_periodBox(new QComboBox(this)), m_fromLabel(new QLabel(tr("From:"), this)),
      m_from(new QDateTimeEdit(this)), m_untilLabel(new QLabel(tr("until:"), this)), m_until(new QDateTimeEdit(this)),
      m_table(new QTableView(this)), m_empty(new QLabel(this)), m_olderButton(new QPushButton(tr("Load older"), this)),
      m_details(new QLabel(this)), m_restoreButton(new QPushButton(tr("Restore this version…"), this)),
      m_diff(new AuditDiffView(this))
{
    m_header->addToTitleRow(m_refreshButton);
    m_header->setSummary(tr("Every change an operator made: who, when, from where, what and why."));

    m_areaBox->addItem(tr("All areas"), QString());
    for (const QString &area : AuditText::areas())
        m_areaBox->addItem(AuditText::areaName(area), area);
    m_areaBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_personBox->setEditable(true);
    m_personBox->setInsertPolicy(QComboBox::NoInsert);
    m_personBox->lineEdit()->setPlaceholderText(tr("Everyone"));
    m_personBox->lineEdit()->setClearButtonEnabled(true);
    m_personBox->setMinimumContentsLength(14);
    m_personBox->setToolTip(tr("The token name of who made the change; empty for everyone."));
    m_periodBox->addItem(tr("Last hour"), static_cast<int>(Period::LastHour));
    m_periodBox->addItem(tr("Last 24 hours"), static_cast<int>(Period::Last24Hours));
    m_periodBox->addItem(tr("Last 7 days"), static_cast<int>(Period::Last7Days));
    m_periodBox->addItem(tr("Last 30 days"), static_cast<int>(Period::Last30Days));
    m_periodBox->addItem(tr("All time"), static_cast<int>(Period::All));
    m_periodBox->addItem(tr("From – until…"), static_cast<int>(Period::Custom));
    m_periodBox->setCurrentIndex(m_periodBox->findData(static_cast<int>(Period::All)));
    const QString format = QLocale().dateTimeFormat(QLocale::ShortFormat);
    for (QDateTimeEdit *edit : {m_from, m_until}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(format);
    }
    const QDateTime now = m_now();
    m_from->setDateTime(now.addDays(-7));
    m_until->setDateTime(now.addSecs(3600));

    auto *filters = new QHBoxLayout();
    filters->addWidget(new QLabel(tr("Area:"), this));
    filters->addWidget(m_areaBox);
    filters->addSpacing(12);
    filters->addWidget(new QLabel(tr("Person:"), this));
    filters->addWidget(m_personBox);
    filters->addSpacing(12);
    filters->addWidget(new QLabel(tr("Time:"), this));
    filters->addWidget(m_periodBox);
    filters->addWidget(m_fromLabel);
    filters->addWidget(m_from);
    filters->addWidget(m_untilLabel);
    filters->addWidget(m_until);
    filters->addStretch(1);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(AuditModel::Reason, QHeaderView::Stretch);
    m_table->hide();
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_olderButton->setToolTip(tr("Load the next %1 older entries.").arg(kPageSize));

    auto *listPane = new QWidget(this);
    auto *listLayout = new QVBoxLayout(listPane);
    listLayout->setContentsMargins(0, 0, 0, 0);
    listLayout->addWidget(m_table, 1);
    listLayout->addWidget(m_empty, 1);
    auto *olderRow = new QHBoxLayout();
    olderRow->addStretch(1);
    olderRow->addWidget(m_olderButton);
    listLayout->addLayout(olderRow);

    // Three lines, not wrapped (a wrapped label in a row gets too little height); a long
    // reason is shortened here and whole in the table's tooltip.
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Minimum);
    auto *detailRow = new QHBoxLayout();
    detailRow->addWidget(m_details, 1);
    detailRow->addWidget(m_restoreButton, 0, Qt::AlignTop);
    auto *diffPane = new QWidget(this);
    auto *diffLayout = new QVBoxLayout(diffPane);
    diffLayout->setContentsMargins(0, 6, 0, 0);
    diffLayout->addLayout(detailRow);
    diffLayout->addWidget(m_diff, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(listPane);
    splitter->addWidget(diffPane);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({500, 500});
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(16, 12, 16, 12);
    layout->addWidget(m_header);
    layout->addWidget(m_message);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);

    connect(m_refreshButton, &QPushButton::clicked, this, &AuditPage::refresh);
    connect(m_olderButton, &QPushButton::clicked, this, &AuditPage::loadOlder);
    connect(m_restoreButton, &QPushButton::clicked, this, &AuditPage::askRestore);
    connect(m_areaBox, &QComboBox::currentIndexChanged, this, &AuditPage::reload);
    connect(m_periodBox, &QComboBox::currentIndexChanged, this, &AuditPage::onPeriodChanged);
    connect(m_personBox, &QComboBox::activated, this, &AuditPage::onPersonEdited);
    connect(m_personBox->lineEdit(), &QLineEdit::editingFinished, this, &AuditPage::onPersonEdited);
    connect(m_from, &QDateTimeEdit::editingFinished, this, &AuditPage::reload);
    connect(m_until, &QDateTimeEdit::editingFinished, this, &AuditPage::reload);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &AuditPage::onSelectionChanged);
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        if (isVisible())
            refresh();
        updateEmptyState();
        updateActions();
    });

    updatePeriodEdits();
    updateDetails();
    updateEmptyState();
    updateActions();
    EnvironmentPolicy::watch(this, [this] { updateActions(); });
}

AuditPage::~AuditPage() = default;

void AuditPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh(); // the log grows whenever someone changes something
}

void AuditPage::setClock(std::function<QDateTime()> now)
{
    m_now = std::move(now);
}

void AuditPage::setAreaFilter(const QString &area)
{
    const int index = m_areaBox->findData(area);
    if (index >= 0)
        m_areaBox->setCurrentIndex(index);
}

QString AuditPage::areaFilter() const
{
    return m_areaBox->currentData().toString();
}

void AuditPage::setPersonFilter(const QString &name)
{
    m_personBox->setEditText(name);
    onPersonEdited();
}

QString AuditPage::personFilter() const
{
    return m_personBox->currentText().trimmed();
}

QStringList AuditPage::persons() const
{
    return m_persons;
}

void AuditPage::setPeriod(Period period)
{
    const int index = m_periodBox->findData(static_cast<int>(period));
    if (index >= 0)
        m_periodBox->setCurrentIndex(index);
}

AuditPage::Period AuditPage::period() const
{
    return static_cast<Period>(m_periodBox->currentData().toInt());
}

void AuditPage::setCustomRange(const QDateTime &from, const QDateTime &until)
{
    {
        const QSignalBlocker fromBlocker(m_from);
        const QSignalBlocker untilBlocker(m_until);
        m_from->setDateTime(from);
        m_until->setDateTime(until);
    }
    if (period() == Period::Custom)
        reload();
    else
        setPeriod(Period::Custom);
}

void AuditPage::onPeriodChanged()
{
    updatePeriodEdits();
    reload();
}

void AuditPage::updatePeriodEdits()
{
    const bool custom = period() == Period::Custom;
    for (QWidget *widget : std::initializer_list<QWidget *>{m_fromLabel, m_from, m_untilLabel, m_until})
        widget->setVisible(custom);
}

void AuditPage::onPersonEdited()
{
    if (personFilter() == m_appliedPerson)
        return;
    reload();
}

std::optional<v1::ListAuditEntriesRequest> AuditPage::filterRequest() const
{
    v1::ListAuditEntriesRequest request;
    request.set_area(areaFilter().toStdString());
    request.set_actor_name(personFilter().toStdString());
    request.set_limit(kPageSize);
    const QDateTime now = m_now();
    switch (period()) {
    case Period::LastHour:
        *request.mutable_from() = toTimestamp(now.addSecs(-3600));
        break;
    case Period::Last24Hours:
        *request.mutable_from() = toTimestamp(now.addSecs(-24 * 3600));
        break;
    case Period::Last7Days:
        *request.mutable_from() = toTimestamp(now.addSecs(-7 * 24 * 3600));
        break;
    case Period::Last30Days:
        *request.mutable_from() = toTimestamp(now.addSecs(-30 * 24 * 3600));
        break;
    case Period::All:
        break;
    case Period::Custom:
        if (m_from->dateTime() >= m_until->dateTime())
            return std::nullopt;
        *request.mutable_from() = toTimestamp(m_from->dateTime());
        *request.mutable_until() = toTimestamp(m_until->dateTime());
        break;
    }
    return request;
}

void AuditPage::refresh()
{
    reload();
}

void AuditPage::reload()
{
    if (!m_client->hasChannel())
        return;
    const std::optional<v1::ListAuditEntriesRequest> request = filterRequest();
    m_appliedPerson = personFilter();
    ++m_generation; // answers to earlier filters are stale now
    if (!request) {
        m_periodProblem = true;
        m_message->showMessage(tr("The period is empty: “from” (%1) must be before “until” (%2).")
                                   .arg(QLocale().toString(m_from->dateTime(), QLocale::ShortFormat),
                                        QLocale().toString(m_until->dateTime(), QLocale::ShortFormat)),
                               true);
        m_loading = false;
        updateActions();
        return;
    }
    if (m_periodProblem) {
        m_periodProblem = false;
        m_message->clearMessage();
    }
    m_request = *request;
    load(m_request, false);
}

void AuditPage::loadOlder()
{
    if (!canLoadOlder())
        return;
    v1::ListAuditEntriesRequest request = m_request;
    request.set_before_seq(m_nextBeforeSeq);
    load(request, true);
}

bool AuditPage::canLoadOlder() const
{
    return m_loaded && !m_loading && m_nextBeforeSeq > 0 && m_client->hasChannel();
}

void AuditPage::load(const v1::ListAuditEntriesRequest &request, bool older)
{
    m_loading = true;
    updateEmptyState();
    updateActions();
    const quint64 generation = m_generation;
    m_client->listEntries(
        request, [this, generation, older](const grpc::Status &status, const v1::ListAuditEntriesResponse &response) {
            if (generation != m_generation)
                return; // the filters changed meanwhile: a newer load is on its way
            m_loading = false;
            if (status.ok())
                onList(response, older);
            else
                onListFailed(status);
        });
}

void AuditPage::onList(const v1::ListAuditEntriesResponse &response, bool older)
{
    const bool first = !m_loaded;
    m_loaded = true;
    m_header->clearProblem();
    m_currentVersions.clear();
    for (const auto &[area, version] : response.current_versions())
        m_currentVersions.insert(QString::fromStdString(area), version);
    m_nextBeforeSeq = response.next_before_seq();

    const qint64 selected = m_selectedSeq;
    std::vector<v1::AuditEntry> entries(response.entries().begin(), response.entries().end());
    if (older) {
        m_model->appendEntries(entries);
    } else {
        const QSignalBlocker blocker(m_table->selectionModel());
        m_model->setEntries(std::move(entries));
    }
    if (!older) {
        // A new list resets the model, and with it the selection: select the entry again.
        const int row = selected > 0 ? m_model->rowOf(selected) : -1;
        if (row >= 0) {
            const QSignalBlocker blocker(m_table->selectionModel());
            m_table->selectRow(row);
        } else {
            m_selectedSeq = 0;
        }
    }
    updatePersons();
    updateDetails();
    updateEmptyState();
    updateActions();
    for (int column = 0; column < AuditModel::Reason; ++column)
        m_table->resizeColumnToContents(column); // the operator can still widen or narrow them
    if (first)
        Q_EMIT firstDataShown();
    Q_EMIT listFinished(true);
}

void AuditPage::onListFailed(const grpc::Status &status)
{
    const QString why = BackendConnection::explain(status);
    if (m_loaded)
        m_header->showProblem(tr("Could not load the audit log. %1 The list shows what was loaded before; press "
                                 "Refresh to try again.")
                                  .arg(why));
    else
        m_header->showProblem(tr("Could not load the audit log. %1 Press Refresh to try again.").arg(why));
    updateEmptyState();
    updateActions();
    Q_EMIT listFinished(false);
}

void AuditPage::updatePersons()
{
    QStringList names = m_persons;
    for (const v1::AuditEntry &entry : m_model->entries()) {
        const QString name = QString::fromStdString(entry.actor_name());
        if (!name.isEmpty())
            names.append(name);
    }
    names.removeDuplicates();
    names.sort(Qt::CaseInsensitive);
    if (names == m_persons)
        return;
    m_persons = names;
    const QString typed = m_personBox->currentText();
    const QSignalBlocker blocker(m_personBox);
    m_personBox->clear();
    m_personBox->addItem(QString()); // everyone
    m_personBox->addItems(names);
    m_personBox->setEditText(typed);
}

bool AuditPage::selectEntry(qint64 seq)
{
    const int row = m_model->rowOf(seq);
    if (row < 0)
        return false;
    m_table->selectRow(row);
    m_table->scrollTo(m_model->index(row, 0));
    return true;
}

const v1::AuditEntry *AuditPage::selectedEntry() const
{
    return m_selectedSeq > 0 ? m_model->entryAt(m_model->rowOf(m_selectedSeq)) : nullptr;
}

void AuditPage::onSelectionChanged()
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const qint64 seq = rows.isEmpty() ? 0 : rows.first().data(AuditModel::SeqRole).toLongLong();
    if (seq == m_selectedSeq)
        return;
    m_selectedSeq = seq;
    updateDetails();
    updateActions();
}

void AuditPage::updateDetails()
{
    const v1::AuditEntry *entry = selectedEntry();
    m_diff->showEntry(entry, tr("Select an entry to see what it changed."));
    if (entry == nullptr) {
        m_details->clear();
        m_details->setToolTip(QString());
        return;
    }
    const QString area = AuditText::areaName(entry->area());
    const QString object = QString::fromStdString(entry->object());
    QString reason = QString::fromStdString(entry->reason()).simplified();
    if (reason.size() > kDetailReasonLength)
        reason = reason.left(kDetailReasonLength) + QStringLiteral("…");
    const QString what = entry->version() > 0 ? tr("%1 · %2 · version %3").arg(area, object).arg(entry->version())
                                              : tr("%1 · %2").arg(area, object);
    m_details->setText(tr("Entry %1: %2\nBy %3 from %4 at %5.\nReason: %6")
                           .arg(entry->seq())
                           .arg(what, AuditText::actor(*entry), QString::fromStdString(entry->peer()),
                                TimeText::timestamp(entry->at()), reason));
    m_details->setToolTip(tr("Chain hash: %1").arg(QString::fromStdString(entry->hash())));
}

QString AuditPage::detailsText() const
{
    return m_details->text();
}

void AuditPage::updateEmptyState()
{
    QString text;
    if (!m_loaded) {
        if (!m_client->hasChannel())
            text = tr("Waiting for the backend…");
        else if (!m_header->problem().isEmpty())
            text = tr("No entries to show: they could not be loaded (see above).");
        else
            text = tr("Loading the audit log…");
    } else if (m_model->rowCount() == 0) {
        const bool filtered = !areaFilter().isEmpty() || !m_appliedPerson.isEmpty() || period() != Period::All;
        text = filtered ? tr("No change matches the filters.")
                        : tr("Nothing has been changed yet. Every change an operator makes appears here.");
    }
    m_empty->setText(text);
    m_empty->setVisible(!text.isEmpty());
    m_table->setVisible(m_loaded && m_model->rowCount() > 0);
}

QString AuditPage::emptyText() const
{
    return m_empty->isHidden() ? QString() : m_empty->text();
}

QString AuditPage::whyNotRestorable() const
{
    const v1::AuditEntry *entry = selectedEntry();
    if (entry == nullptr)
        return tr("Select an entry first.");
    const QString area = AuditText::areaName(entry->area());
    const QString areaKey = QString::fromStdString(entry->area());
    if (!entry->restorable()) {
        if (entry->version() <= 0)
            return tr("This change made no version of %1, so there is nothing to restore.").arg(area);
        if (areaKey == QLatin1String("experiments"))
            return tr("Experiments change only through Start, Stop, Ship and Roll back on the Experiments page, so "
                      "users already assigned keep their variant.");
        if (!m_currentVersions.contains(areaKey))
            return tr("%1 has no versions that can be restored.").arg(area);
        if (m_currentVersions.value(areaKey) == entry->version())
            return tr("Version %1 is the current version of %2.").arg(entry->version()).arg(area);
        return tr("The backend says version %1 of %2 cannot be restored.").arg(entry->version()).arg(area);
    }
    if (!m_currentVersions.contains(areaKey))
        return tr("The backend did not say which version of %1 is current: refresh and try again.").arg(area);
    if (!EnvironmentPolicy::allowsEditing(this))
        return tr("Editing is locked on this connection: unlock it from the bar at the top of the window first.");
    if (!m_client->hasChannel())
        return tr("Not connected to a backend.");
    if (m_restoring)
        return tr("A restore is on its way.");
    return {};
}

void AuditPage::updateActions()
{
    m_refreshButton->setEnabled(m_client->hasChannel());
    m_olderButton->setEnabled(canLoadOlder());
    m_olderButton->setVisible(m_loaded && m_nextBeforeSeq > 0);
    const QString why = whyNotRestorable();
    m_restoreButton->setEnabled(why.isEmpty());
    if (why.isEmpty()) {
        const v1::AuditEntry *entry = selectedEntry();
        const QString area = AuditText::areaName(entry->area());
        m_restoreButton->setToolTip(tr("Make version %1 of %2 current again; %2 is at version %3 now. This is saved "
                                       "as a new version, and audited.")
                                        .arg(entry->version())
                                        .arg(area)
                                        .arg(m_currentVersions.value(QString::fromStdString(entry->area()))));
    } else {
        m_restoreButton->setToolTip(why);
    }
}

void AuditPage::askRestore()
{
    const v1::AuditEntry *entry = selectedEntry();
    if (entry == nullptr || !whyNotRestorable().isEmpty())
        return;
    const QString area = AuditText::areaName(entry->area());
    const qint64 version = entry->version();
    const std::optional<QString> reason = ReasonDialog::ask(
        this, tr("Restore this version"),
        tr("Why restore version %1 of %2? (required; it is kept in the audit log)").arg(version).arg(area),
        tr("Make version %1 of %2 current again? %2 is at version %3 now; the restore saves a new version and "
           "is itself audited.")
            .arg(version)
            .arg(area)
            .arg(m_currentVersions.value(QString::fromStdString(entry->area()))),
        tr("Restore"));
    if (reason)
        restoreSelected(*reason);
}

void AuditPage::restoreSelected(const QString &reason)
{
    if (!whyNotRestorable().isEmpty())
        return;
    const v1::AuditEntry *entry = selectedEntry();
    const QString area = QString::fromStdString(entry->area());
    const qint64 version = entry->version();
    const qint64 base = m_currentVersions.value(area);
    m_restoring = true;
    updateActions();
    m_client->restoreVersion(
        area, version, base, reason,
        [this, area, version, base](const grpc::Status &status, const v1::RestoreVersionResponse &response) {
            m_restoring = false;
            if (!status.ok()) {
                showRestoreFailure(status, area, base);
                updateActions();
                if (status.error_code() == grpc::StatusCode::ABORTED)
                    refresh(); // show what is current now
                Q_EMIT actionFinished(false);
                return;
            }
            const QString name =
                AuditText::areaName(response.area().empty() ? area : QString::fromStdString(response.area()));
            m_message->showMessage(tr("%1 is now at version %2, restored from version %3.")
                                       .arg(name)
                                       .arg(response.version())
                                       .arg(response.restored_from() > 0 ? response.restored_from() : version),
                                   false);
            refresh(); // the restore is a new entry, and the current versions moved on
            Q_EMIT actionFinished(true);
        });
}

void AuditPage::showRestoreFailure(const grpc::Status &status, const QString &area, qint64 base)
{
    const QString name = AuditText::areaName(area);
    const QString detail = QString::fromStdString(status.error_message());
    switch (status.error_code()) {
    case grpc::StatusCode::ABORTED:
        m_message->showMessage(tr("Someone changed %1 meanwhile: it is no longer at version %2 (%3). The list is "
                                  "refreshed; check the entry and restore again if you still want to.")
                                   .arg(name)
                                   .arg(base)
                                   .arg(detail),
                               true);
        break;
    case grpc::StatusCode::FAILED_PRECONDITION:
        m_message->showMessage(tr("The backend refused to restore %1: %2").arg(name, detail), true);
        break;
    case grpc::StatusCode::NOT_FOUND:
    case grpc::StatusCode::INVALID_ARGUMENT:
        m_message->showMessage(tr("The backend found a problem with the restore of %1: %2").arg(name, detail), true);
        break;
    default:
        m_message->showMessage(tr("Could not restore %1. %2").arg(name, BackendConnection::explain(status)), true);
        break;
    }
}

QString AuditPage::problemText() const
{
    return m_header->problem();
}

QString AuditPage::messageText() const
{
    return m_message->text();
}

} // namespace flywheel::ui
