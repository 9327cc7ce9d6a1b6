#include "referral/CommissionsTab.h"

#include "client/BackendConnection.h"
#include "client/ReferralClient.h"
#include "common/Format.h"
#include "common/MessageBar.h"
#include "connection/EnvironmentPolicy.h"
#include "referral/CommissionsModel.h"
#include "referral/ReferralText.h"

#include <grpcpp/support/status.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelection>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSet>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

constexpr v1::CommissionState kStates[] = {v1::COMMISSION_STATE_PENDING, v1::COMMISSION_STATE_REVIEWING,
                                           v1::COMMISSION_STATE_CONFIRMED, v1::COMMISSION_STATE_SETTLED,
                                           v1::COMMISSION_STATE_REVERSED};

/// The state a commission must be in for the action to `to`.
v1::CommissionState stateBefore(v1::CommissionState to)
{
    switch (to) {
    case v1::COMMISSION_STATE_REVIEWING:
        return v1::COMMISSION_STATE_PENDING;
    case v1::COMMISSION_STATE_CONFIRMED:
        return v1::COMMISSION_STATE_REVIEWING;
    case v1::COMMISSION_STATE_SETTLED:
        return v1::COMMISSION_STATE_CONFIRMED;
    default:
        return v1::COMMISSION_STATE_UNSPECIFIED;
    }
}

/// What a rate adds to a total, as the backend computes it: rounded half away from zero
/// (amounts are never negative).
qint64 commissionFor(qint64 totalMinor, qint64 rateBp)
{
    return (totalMinor * rateBp + 5000) / 10000;
}

} // namespace

CommissionsTab::CommissionsTab(ReferralClient *client, QWidget *parent)
    : QWidget(parent), m_client(client), m_model(new CommissionsModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_stateFilter(new QComboBox(this)), m_uidFilter(new QLineEdit(this)), m_totals(new QLabel(this)),
      m_view(new QTableView(this)), m_empty(new QLabel(this)), m_selection(new QLabel(this)),
      m_message(new MessageBar(this))
{
    m_confirm = [this](const QString &title, const QString &text) {
        return QMessageBox::question(this, title, text, QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel) ==
               QMessageBox::Yes;
    };

    m_stateFilter->addItem(tr("All states"), int(v1::COMMISSION_STATE_UNSPECIFIED));
    for (const v1::CommissionState state : kStates)
        m_stateFilter->addItem(ReferralText::stateName(state), int(state));
    m_uidFilter->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\s*[0-9]{0,18}\\s*")), m_uidFilter));
    m_uidFilter->setPlaceholderText(tr("any user"));
    m_uidFilter->setClearButtonEnabled(true);
    m_uidFilter->setMaximumWidth(180);
    m_uidFilter->setToolTip(tr("Commissions where this user is the buyer or earns the level-1 or level-2 commission."));
    m_totals->setWordWrap(true);
    m_totals->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_totals->setText(tr("Loading the commissions…"));

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(CommissionsModel::SortRole);
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(CommissionsModel::Id, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setWordWrap(false);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setMargin(24);
    m_empty->setStyleSheet(QStringLiteral("color: palette(placeholder-text); background: transparent;"));
    m_empty->hide();

    m_selection->setTextInteractionFlags(Qt::TextSelectableByMouse);

    const std::pair<v1::CommissionState, QString> actions[] = {
        {v1::COMMISSION_STATE_REVIEWING, tr("Review passed")},
        {v1::COMMISSION_STATE_CONFIRMED, tr("Confirm")},
        {v1::COMMISSION_STATE_SETTLED, tr("Settle")},
    };
    auto *filters = new QHBoxLayout();
    filters->addWidget(new QLabel(tr("State"), this));
    filters->addWidget(m_stateFilter);
    filters->addSpacing(12);
    filters->addWidget(new QLabel(tr("User id"), this));
    filters->addWidget(m_uidFilter);
    filters->addStretch(1);
    auto *bottom = new QHBoxLayout();
    bottom->addWidget(m_selection, 1);
    for (const auto &[to, title] : actions) {
        auto *button = new QPushButton(title, this);
        m_actions.insert(to, button);
        bottom->addWidget(button);
        connect(button, &QPushButton::clicked, this, [this, to = to] { transitionSelected(to); });
    }
    m_actions[v1::COMMISSION_STATE_REVIEWING]->setToolTip(
        tr("The review of the selected pending commissions passed: their level-1 commissions become owed."));
    m_actions[v1::COMMISSION_STATE_CONFIRMED]->setToolTip(
        tr("The selected reviewed commissions are confirmed: their level-2 commissions become owed."));
    m_actions[v1::COMMISSION_STATE_SETTLED]->setToolTip(
        tr("Pays the selected confirmed commissions out. This cannot be undone."));
    for (QPushButton *button : std::as_const(m_actions))
        button->setProperty("ownToolTip", button->toolTip());
    EnvironmentPolicy::watch(this, [this] { updateSelection(); });

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_totals);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_message);
    layout->addLayout(bottom);

    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, &CommissionsTab::refresh);
    connect(m_uidFilter, &QLineEdit::editingFinished, this, &CommissionsTab::refresh);
    connect(m_uidFilter, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (text.isEmpty())
            refresh(); // the clear button
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &CommissionsTab::updateSelection);
    connect(m_model, &QAbstractItemModel::modelReset, this, &CommissionsTab::updateSelection);
    updateSelection();
}

void CommissionsTab::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_empty->setGeometry(m_view->geometry().adjusted(0, 30, 0, 0));
}

void CommissionsTab::setStateFilter(v1::CommissionState state)
{
    m_stateFilter->setCurrentIndex(std::max(0, m_stateFilter->findData(int(state))));
}

void CommissionsTab::setUidFilter(qint64 uid)
{
    m_uidFilter->setText(uid == 0 ? QString() : QString::number(uid));
    refresh();
}

void CommissionsTab::refresh()
{
    if (!m_client->hasChannel())
        return;
    if (m_refreshing) {
        m_refreshAgain = true;
        return;
    }
    m_refreshing = true;
    m_refreshAgain = false;
    v1::ListCommissionsRequest request;
    const auto state = static_cast<v1::CommissionState>(m_stateFilter->currentData().toInt());
    if (state != v1::COMMISSION_STATE_UNSPECIFIED)
        request.add_states(state);
    request.set_uid(m_uidFilter->text().trimmed().toLongLong());
    request.set_limit(kLimit);
    m_client->listCommissions(request, [this](const grpc::Status &status, const v1::ListCommissionsResponse &list) {
        m_refreshing = false;
        if (m_refreshAgain) {
            refresh(); // the filter changed meanwhile: this answer is for the old one
            return;
        }
        if (!status.ok()) {
            if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT)
                m_totals->setText(
                    tr("The backend refused the filter: %1").arg(QString::fromStdString(status.error_message())));
            else
                Q_EMIT loadFailed(BackendConnection::explain(status));
            return;
        }
        onList(list);
        Q_EMIT listed();
    });
}

void CommissionsTab::onList(const v1::ListCommissionsResponse &response)
{
    // A reset loses the view's selection: keep the operator's by id.
    const QList<qint64> selected = selectedIds();
    m_model->setCommissions({response.commissions().begin(), response.commissions().end()});
    selectCommissions(selected);

    QStringList parts;
    for (const v1::CommissionState state : kStates) {
        qint64 count = 0;
        qint64 amount = 0;
        QString currency = QStringLiteral("CNY");
        for (const v1::CommissionTotals &totals : response.totals()) {
            if (totals.state() != state)
                continue;
            count += totals.count();
            amount += totals.level1_amount().minor_units() + totals.level2_amount().minor_units();
            if (!totals.level1_amount().currency().empty())
                currency = QString::fromStdString(totals.level1_amount().currency());
        }
        const QString name = ReferralText::stateName(state);
        const QString number = QLocale().toString(count);
        switch (state) {
        case v1::COMMISSION_STATE_PENDING:
            parts.append(tr("%1 %2 (nothing owed yet)").arg(name, number));
            break;
        case v1::COMMISSION_STATE_SETTLED:
            parts.append(tr("%1 %2 (%3 paid out)").arg(name, number, formatMoney(amount, currency)));
            break;
        case v1::COMMISSION_STATE_REVERSED:
            parts.append(tr("%1 %2 (nothing owed)").arg(name, number));
            break;
        default:
            parts.append(tr("%1 %2 (%3 owed)").arg(name, number, formatMoney(amount, currency)));
            break;
        }
    }
    QString totals = tr("All commissions: %1.").arg(parts.join(QStringLiteral(" · ")));
    if (response.commissions_size() >= kLimit)
        totals += u' ' + tr("Only the newest %1 that match are listed; filter by state or user to find older ones.")
                             .arg(QLocale().toString(kLimit));
    m_totals->setText(totals);

    const bool filtered =
        m_stateFilter->currentData().toInt() != v1::COMMISSION_STATE_UNSPECIFIED || !m_uidFilter->text().isEmpty();
    if (m_model->rowCount() > 0) {
        m_empty->hide();
    } else {
        m_empty->setText(filtered ? tr("No commission matches the filter.")
                                  : tr("No commissions yet. A commission appears here, pending, when a user who "
                                       "registered with an invite pays an order."));
        m_empty->show();
        m_empty->raise();
    }
}

QList<qint64> CommissionsTab::selectedIds() const
{
    QList<qint64> ids;
    for (const v1::Commission &commission : selectedCommissions())
        ids.append(commission.id());
    return ids;
}

QList<v1::Commission> CommissionsTab::selectedCommissions() const
{
    QList<v1::Commission> commissions;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows()) {
        const int row = m_proxy->mapToSource(index).row();
        if (row >= 0 && row < m_model->rowCount())
            commissions.append(m_model->at(row));
    }
    return commissions;
}

void CommissionsTab::selectCommissions(const QList<qint64> &ids)
{
    QItemSelection selection;
    for (const qint64 id : ids) {
        const int row = m_model->rowOf(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        selection.select(index, index);
    }
    m_view->selectionModel()->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    updateSelection();
}

void CommissionsTab::updateSelection()
{
    const QList<v1::Commission> selected = selectedCommissions();
    const QString blocked = EnvironmentPolicy::editingBlockedText(this);
    for (QPushButton *button : std::as_const(m_actions)) {
        button->setEnabled(!selected.isEmpty() && !m_transitioning && blocked.isEmpty());
        button->setToolTip(blocked.isEmpty() ? button->property("ownToolTip").toString() : blocked);
    }
    if (selected.isEmpty()) {
        m_selection->setText(tr("Select commissions (Ctrl or Shift for several) to move them on."));
        return;
    }
    qint64 owed = 0;
    QString currency = QStringLiteral("CNY");
    for (const v1::Commission &c : selected) {
        owed += c.level1_amount().minor_units() + c.level2_amount().minor_units();
        currency = QString::fromStdString(c.order_total().currency());
    }
    m_selection->setText(tr("%n commission(s) selected, %1 owed on them so far.", nullptr, int(selected.size()))
                             .arg(formatMoney(owed, currency)));
}

QString CommissionsTab::confirmationText(v1::CommissionState to) const
{
    const QList<v1::Commission> selected = selectedCommissions();
    const v1::CommissionState before = stateBefore(to);
    qint64 amount = 0;
    int elsewhere = 0;
    QString currency = QStringLiteral("CNY");
    for (const v1::Commission &c : selected) {
        if (!c.order_total().currency().empty())
            currency = QString::fromStdString(c.order_total().currency());
        if (c.state() != before) {
            ++elsewhere;
            continue;
        }
        switch (to) {
        case v1::COMMISSION_STATE_REVIEWING:
            amount += commissionFor(c.order_total().minor_units(), c.level1_rate_bp());
            break;
        case v1::COMMISSION_STATE_CONFIRMED:
            if (c.level2_uid() != 0)
                amount += commissionFor(c.order_total().minor_units(), c.level2_rate_bp());
            break;
        default:
            amount += c.level1_amount().minor_units() + c.level2_amount().minor_units();
            break;
        }
    }
    const int count = int(selected.size());
    const QString money = formatMoney(amount, currency);
    QString text;
    switch (to) {
    case v1::COMMISSION_STATE_REVIEWING:
        text = tr("Pass the review of %n commission(s)? Their level-1 commissions, %1 in all, become owed to the "
                  "inviters.",
                  nullptr, count)
                   .arg(money);
        break;
    case v1::COMMISSION_STATE_CONFIRMED:
        text = tr("Confirm %n commission(s)? Their level-2 commissions, %1 in all, become owed to the inviters' own "
                  "inviters.",
                  nullptr, count)
                   .arg(money);
        break;
    default:
        text = tr("Settle %n commission(s), %1 in all? This pays them out and cannot be undone.", nullptr, count)
                   .arg(money);
        break;
    }
    if (elsewhere > 0)
        text += QStringLiteral("\n\n") +
                tr("%n of them are not %1, so the backend will refuse to move them; they are not counted in the "
                   "amount.",
                   nullptr, elsewhere)
                    .arg(ReferralText::stateName(before));
    return text;
}

void CommissionsTab::transitionSelected(v1::CommissionState to)
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty()) {
        m_message->showMessage(tr("Select the commissions first."), true);
        return;
    }
    const QString title = m_actions.contains(to) ? m_actions[to]->text() : ReferralText::stateName(to);
    if (!m_confirm(title, confirmationText(to)))
        return;
    v1::TransitionCommissionsRequest request;
    for (const qint64 id : ids)
        request.add_ids(id);
    request.set_to(to);
    m_transitioning = true;
    updateSelection();
    m_client->transitionCommissions(
        request, [this, to](const grpc::Status &status, const v1::TransitionCommissionsResponse &response) {
            m_transitioning = false;
            updateSelection();
            if (!status.ok()) {
                m_message->showMessage(tr("Nothing was changed. %1")
                                           .arg(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT
                                                    ? QString::fromStdString(status.error_message())
                                                    : BackendConnection::explain(status)),
                                       true);
                Q_EMIT actionFinished(false);
                return;
            }
            onTransitioned(to, response);
            refresh();
        });
}

void CommissionsTab::onTransitioned(v1::CommissionState to, const v1::TransitionCommissionsResponse &response)
{
    int moved = 0;
    QStringList failures;
    for (const v1::TransitionResult &result : response.results()) {
        if (result.commission().id() != 0)
            m_model->update(result.commission()); // at once; the refresh that follows brings the totals
        if (result.ok()) {
            ++moved;
            continue;
        }
        const v1::Commission &c = result.commission();
        const QString why = QString::fromStdString(result.error());
        failures.append(c.order_id() != 0 ? tr("Commission %1 (order %2, %3): %4")
                                                .arg(result.id())
                                                .arg(c.order_id())
                                                .arg(ReferralText::stateName(c.state()), why)
                                          : tr("Commission %1: %2").arg(result.id()).arg(why));
    }
    const QString state = ReferralText::stateName(to);
    const int total = response.results_size();
    QString text;
    if (failures.isEmpty())
        text = tr("%n commission(s) moved to %1.", nullptr, moved).arg(state);
    else if (moved == 0)
        text = tr("No commission was moved to %1; the backend refused %n:", nullptr, int(failures.size())).arg(state);
    else
        text = tr("%1 of %2 commissions moved to %3; the backend refused %n:", nullptr, int(failures.size()))
                   .arg(moved)
                   .arg(total)
                   .arg(state);
    for (const QString &failure : std::as_const(failures))
        text += QStringLiteral("\n• ") + failure;
    m_message->showMessage(text, !failures.isEmpty());
    Q_EMIT actionFinished(failures.isEmpty());
}

QString CommissionsTab::totalsText() const
{
    return m_totals->text();
}

QString CommissionsTab::messageText() const
{
    return m_message->text();
}

bool CommissionsTab::isShowingEmptyMessage() const
{
    return !m_empty->isHidden();
}

QString CommissionsTab::emptyMessage() const
{
    return m_empty->text();
}

} // namespace flywheel::ui
