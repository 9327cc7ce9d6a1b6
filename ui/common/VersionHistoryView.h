#pragma once

#include <QWidget>

class QPushButton;
class QTextEdit;
class QTreeWidget;

namespace flywheel::ui {

/// The History tab of a page whose set is versioned (pricing rules, segments): the
/// versions (version, saved, source, reason) beside what the selected one changed,
/// with a rollback button. The page fills the list and the diff and reacts to them.
class VersionHistoryView final : public QWidget {
    Q_OBJECT

public:
    explicit VersionHistoryView(QWidget *parent = nullptr);

    QTreeWidget *list() const { return m_list; }
    QTextEdit *diff() const { return m_diff; }
    /// Disabled until the page enables it for a selected version.
    QPushButton *rollbackButton() const { return m_rollback; }

private:
    QTreeWidget *m_list;
    QTextEdit *m_diff;
    QPushButton *m_rollback;
};

/// Version lists: a QTreeWidget with one row per version, the version number in
/// column 0's Qt::UserRole (the pricing, segments and referral histories).
/// The selected row's version, or -1 when none is selected.
qint64 selectedVersion(const QTreeWidget *list);
/// The version in `row`, or 0 when there is no such row.
qint64 versionAt(const QTreeWidget *list, int row);
/// Selects `row` alone (nothing when there is no such row).
void selectVersionRow(QTreeWidget *list, int row);

} // namespace flywheel::ui
