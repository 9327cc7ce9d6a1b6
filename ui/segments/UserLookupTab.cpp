#include "segments/UserLookupTab.h"

#include "client/BackendConnection.h"
#include "client/SegmentClient.h"
#include "segments/SegmentText.h"

#include <grpcpp/support/status.h>

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <vector>

namespace flywheel::ui {

UserLookupTab::UserLookupTab(SegmentClient *client, QWidget *parent) : QWidget(parent), m_client(client)
{
    m_uidEdit = new QLineEdit(this);
    m_uidEdit->setValidator(
        new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[0-9]{1,18}")), m_uidEdit));
    m_uidEdit->setPlaceholderText(tr("e.g. 100001"));
    m_uidEdit->setMaximumWidth(200);
    m_lookupButton = new QPushButton(tr("Look up"), this);
    m_lookupTitle = new QLabel(tr("Enter a user id to see their profile, their segments and how they would be "
                                  "reached now. Looking up sends nothing."),
                               this);
    m_lookupTitle->setWordWrap(true);
    m_lookupTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_decision = new QLabel(this);
    m_decision->setWordWrap(true);
    m_decision->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_decision->setMargin(8);
    m_decision->hide();
    m_memberships = new QLabel(this);
    m_memberships->setWordWrap(true);
    m_memberships->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_memberships->hide();

    const auto table = [this](const QStringList &headers) {
        auto *t = new QTableWidget(0, int(headers.size()), this);
        t->setHorizontalHeaderLabels(headers);
        t->setEditTriggers(QAbstractItemView::NoEditTriggers);
        t->verticalHeader()->hide();
        t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 8);
        t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
        t->horizontalHeader()->setStretchLastSection(true);
        t->setAlternatingRowColors(true);
        return t;
    };
    m_lookupFeatures = table({tr("Feature"), tr("Value")});
    m_lookupTags = table({tr("Tag"), tr("Weight")});

    auto *row = new QHBoxLayout();
    row->addWidget(new QLabel(tr("User id"), this));
    row->addWidget(m_uidEdit);
    row->addWidget(m_lookupButton);
    row->addStretch(1);

    auto *featuresBox = new QVBoxLayout();
    featuresBox->addWidget(new QLabel(tr("Profile features"), this));
    featuresBox->addWidget(m_lookupFeatures, 1);
    auto *tagsBox = new QVBoxLayout();
    tagsBox->addWidget(new QLabel(tr("Preference tags"), this));
    tagsBox->addWidget(m_lookupTags, 1);
    auto *tables = new QHBoxLayout();
    tables->addLayout(featuresBox, 3);
    tables->addLayout(tagsBox, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(m_lookupTitle);
    layout->addWidget(m_decision);
    layout->addWidget(m_memberships);
    layout->addLayout(tables, 1);

    const auto lookUp = [this] {
        bool ok = false;
        const qint64 uid = m_uidEdit->text().toLongLong(&ok);
        if (ok && uid > 0)
            lookUpUser(uid);
        else
            m_lookupTitle->setText(tr("Enter a user id: a positive number such as 100001."));
    };
    connect(m_lookupButton, &QPushButton::clicked, this, lookUp);
    connect(m_uidEdit, &QLineEdit::returnPressed, this, lookUp);
}

void UserLookupTab::lookUpUser(qint64 uid)
{
    if (m_uidEdit->text() != QString::number(uid))
        m_uidEdit->setText(QString::number(uid));
    m_lookupButton->setEnabled(false);
    m_lookupTitle->setText(tr("Looking up user %1…").arg(uid));
    m_client->lookupUser(uid, [this, uid](const grpc::Status &status, const v1::UserLookup &lookup) {
        m_lookupButton->setEnabled(true);
        onLookup(uid, status, lookup);
    });
}

void UserLookupTab::onLookup(qint64 uid, const grpc::Status &status, const v1::UserLookup &lookup)
{
    m_lookupFeatures->setRowCount(0);
    m_lookupTags->setRowCount(0);
    m_decision->hide();
    m_memberships->hide();
    if (!status.ok()) {
        if (status.error_code() == grpc::StatusCode::NOT_FOUND)
            m_lookupTitle->setText(tr("User %1 has no profile yet: no event has named them, so no segment can match "
                                      "them.")
                                       .arg(uid));
        else
            m_lookupTitle->setText(tr("Could not look up user %1. %2")
                                       .arg(uid)
                                       .arg(status.error_code() == grpc::StatusCode::INVALID_ARGUMENT
                                                ? QString::fromStdString(status.error_message())
                                                : BackendConnection::explain(status)));
        Q_EMIT actionFinished(false);
        return;
    }
    m_lookupTitle->setText(
        lookup.seed() ? tr("User %1 is a seed user: the segments apply to them.").arg(lookup.uid())
                      : tr("User %1 is not a seed user: the generic strategy applies to them, not the segments.")
                            .arg(lookup.uid()));

    QStringList segments;
    for (const std::string &id : lookup.segments())
        segments.append(QString::fromStdString(id));
    m_memberships->setText(
        segments.isEmpty() ? tr("In no enabled segment.")
                           : tr("In %n enabled segment(s), highest priority first: %1", nullptr, int(segments.size()))
                                 .arg(segments.join(QStringLiteral(", "))));
    m_memberships->show();

    const v1::ReachDecision &decision = lookup.decision();
    const bool reached = decision.outcome() == v1::REACH_OUTCOME_REACH;
    m_decision->setStyleSheet(reached ? QStringLiteral("background: #dafbe1; color: #116329; border: 1px solid "
                                                       "#4ac26b; border-radius: 4px;")
                                      : QStringLiteral("background: #f6f8fa; color: #24292f; border: 1px solid "
                                                       "#d0d7de; border-radius: 4px;"));
    m_decision->setText(tr("Reach decision now: %1. %2\nThe backend's reason: %3 (segment set version %4; nothing "
                           "was sent).")
                            .arg(SegmentText::outcomeName(decision.outcome()), SegmentText::outcomeMeaning(decision),
                                 QString::fromStdString(decision.reason()))
                            .arg(decision.segment_set_version()));
    m_decision->show();

    m_lookupFeatures->setRowCount(lookup.features_size());
    for (int row = 0; row < lookup.features_size(); ++row) {
        const v1::FeatureValue &value = lookup.features(row);
        m_lookupFeatures->setItem(row, 0, new QTableWidgetItem(QString::fromStdString(value.name())));
        m_lookupFeatures->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(value.value())));
    }
    std::vector<std::pair<std::string, double>> tags(lookup.tags().begin(), lookup.tags().end());
    std::sort(tags.begin(), tags.end(), [](const auto &a, const auto &b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    m_lookupTags->setRowCount(int(tags.size()));
    for (int row = 0; row < int(tags.size()); ++row) {
        m_lookupTags->setItem(
            row, 0,
            new QTableWidgetItem(QStringLiteral("tag.") + QString::fromStdString(tags[std::size_t(row)].first)));
        auto *weight = new QTableWidgetItem(QLocale().toString(tags[std::size_t(row)].second, 'f', 3));
        weight->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        m_lookupTags->setItem(row, 1, weight);
    }
    Q_EMIT actionFinished(true);
}

QString UserLookupTab::lookupText() const
{
    QStringList parts = {m_lookupTitle->text()};
    if (!m_memberships->isHidden())
        parts.append(m_memberships->text());
    if (!m_decision->isHidden())
        parts.append(m_decision->text());
    return parts.join(u'\n');
}

QString UserLookupTab::lookupFeature(const QString &name) const
{
    for (int row = 0; row < m_lookupFeatures->rowCount(); ++row) {
        if (m_lookupFeatures->item(row, 0)->text() == name)
            return m_lookupFeatures->item(row, 1)->text();
    }
    return {};
}

int UserLookupTab::lookupTagCount() const
{
    return m_lookupTags->rowCount();
}

} // namespace flywheel::ui
