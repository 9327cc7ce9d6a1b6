#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <string>

class QPushButton;
class QTextEdit;
class QTreeWidget;

namespace flywheel::ui {

/// The history of a versioned set (pricing rules, segments, the referral programme): the
/// versions (version, saved, source, reason, and any columns a page adds) beside what the
/// selected one changed, with a rollback button where the set can be rolled back. The page
/// gives it the versions and the selected version's diff, and reacts to its signals.
class VersionHistoryView final : public QWidget {
    Q_OBJECT

public:
    struct Options {
        /// Columns after "Reason", e.g. "Changes".
        QStringList extraColumns;
        /// Horizontal: the list beside the diff; vertical: above it.
        Qt::Orientation orientation = Qt::Horizontal;
        bool rollback = true;
        QString diffPlaceholder;
    };

    /// One version, as listed.
    struct Row {
        qint64 version = 0;
        QString saved;
        QString source;
        QString reason;
        /// One text per extra column.
        QStringList extra;
    };

    explicit VersionHistoryView(QWidget *parent = nullptr);
    VersionHistoryView(const Options &options, QWidget *parent = nullptr);

    /// Who saved a version, for its "Source" column and the pages' headers: "console",
    /// "file", "rollback", "initial" in the operator's language; another source as given.
    static QString sourceName(const std::string &source);

    /// Replaces the list (newest first), keeping the selected version selected. With
    /// `selectNewest`, the newest version is selected when none was.
    void setVersions(const QList<Row> &rows, bool selectNewest = false);
    int versionCount() const;
    /// The version in `row`, or 0 when there is no such row.
    qint64 versionAt(int row) const;
    /// The selected row, -1 when none is.
    int selectedRow() const;
    /// The selected version, -1 when none is.
    qint64 selectedVersion() const;
    /// Selects `row` alone (nothing when there is no such row).
    void selectRow(int row);

    /// Marks the version in `row`: `tag` after its number (e.g. "candidate" for a version
    /// not in force), the row in italics. Until the next setVersions().
    void setTag(int row, const QString &tag);
    void setDiff(const QString &text);
    QString diffText() const;

    /// Disabled until the page enables it for a selected version; null without rollback.
    QPushButton *rollbackButton() const { return m_rollback; }
    QTreeWidget *list() const { return m_list; }

Q_SIGNALS:
    /// The selection changed (not while setVersions() keeps it): show its diff.
    void selectionChanged();
    /// The rollback button was pressed with `version` selected.
    void rollbackRequested(qint64 version);

private:
    QTreeWidget *m_list;
    QTextEdit *m_diff;
    QPushButton *m_rollback = nullptr;
    int m_columns;
};

} // namespace flywheel::ui
