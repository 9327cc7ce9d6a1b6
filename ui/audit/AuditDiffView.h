#pragma once

#include "audit/LineDiff.h"

#include "flywheel/v1/audit.pb.h"

#include <QString>
#include <QWidget>

class QLabel;
class QListView;

namespace flywheel::ui {

class DiffModel;

/// What one audit entry changed, readably: a line above says what kind of change it
/// was (the first version, a removal, how many lines were added and removed), and the
/// lines below show the removed ones in red and the added ones in green, with a few
/// unchanged lines around each change. A list view with one row per line, so that long
/// texts scroll without delay.
class AuditDiffView final : public QWidget {
    Q_OBJECT

public:
    /// Unchanged lines kept around each change.
    static constexpr int kContextLines = 3;

    explicit AuditDiffView(QWidget *parent = nullptr);

    /// Shows what `entry` changed; null shows `placeholder` instead.
    void showEntry(const v1::AuditEntry *entry, const QString &placeholder);

    QString caption() const;
    /// The lines shown (after collapsing unchanged runs).
    const std::vector<LineDiff::Line> &lines() const;
    DiffModel *model() const { return m_model; }

private:
    QLabel *m_caption;
    QListView *m_list;
    DiffModel *m_model;
};

} // namespace flywheel::ui
