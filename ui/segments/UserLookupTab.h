#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QString>
#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class SegmentClient;

/// The Segments page's User lookup tab: one user's profile features and preference tags,
/// the enabled segments they are in, and how they would be reached now (nothing is sent).
class UserLookupTab final : public QWidget {
    Q_OBJECT

public:
    explicit UserLookupTab(SegmentClient *client, QWidget *parent = nullptr);

    void lookUpUser(qint64 uid);
    /// Everything the lookup shows in sentences: who, seed or not, memberships, decision.
    QString lookupText() const;
    /// A feature's value in the lookup's table; null when it is not there.
    QString lookupFeature(const QString &name) const;
    int lookupTagCount() const;

Q_SIGNALS:
    /// After each answer to a lookup, for tests and the status line.
    void actionFinished(bool ok);

private:
    void onLookup(qint64 uid, const grpc::Status &status, const v1::UserLookup &lookup);

    SegmentClient *m_client;
    QLineEdit *m_uidEdit;
    QPushButton *m_lookupButton;
    QLabel *m_lookupTitle;
    QLabel *m_decision;
    QLabel *m_memberships;
    QTableWidget *m_lookupFeatures;
    QTableWidget *m_lookupTags;
};

} // namespace flywheel::ui
