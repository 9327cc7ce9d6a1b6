#include "common/VersionHistoryView.h"

#include <QFont>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSplitter>
#include <QTextEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

VersionHistoryView::VersionHistoryView(QWidget *parent) : VersionHistoryView(Options(), parent)
{}

VersionHistoryView::VersionHistoryView(const Options &options, QWidget *parent)
    : QWidget(parent), m_list(new QTreeWidget(this)), m_diff(new QTextEdit(this)),
      m_columns(4 + int(options.extraColumns.size()))
{
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setColumnCount(m_columns);
    m_list->setHeaderLabels(QStringList{tr("Version"), tr("Saved"), tr("Source"), tr("Reason")} + options.extraColumns);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    if (!options.extraColumns.isEmpty()) {
        // Long reasons and change lists: a width of their own, the full text in the tooltip.
        m_list->header()->setStretchLastSection(false);
        for (int column = 3; column < m_columns; ++column) {
            m_list->header()->setSectionResizeMode(column, QHeaderView::Interactive);
            m_list->header()->resizeSection(column, column == 3 ? 140 : 420);
        }
    }
    m_diff->setReadOnly(true);
    m_diff->setPlaceholderText(options.diffPlaceholder.isEmpty() ? tr("Select a version to see what it changed.")
                                                                 : options.diffPlaceholder);

    auto *detail = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    if (options.orientation == Qt::Horizontal)
        detailLayout->addWidget(new QLabel(tr("Changes against the version before:"), detail));
    detailLayout->addWidget(m_diff, 1);
    if (options.rollback) {
        m_rollback = new QPushButton(tr("Roll back to this version…"), detail);
        m_rollback->setEnabled(false);
        detailLayout->addWidget(m_rollback, 0, Qt::AlignRight);
        connect(m_rollback, &QPushButton::clicked, this, [this] {
            const qint64 version = selectedVersion();
            if (version > 0)
                Q_EMIT rollbackRequested(version);
        });
    }

    auto *splitter = new QSplitter(options.orientation, this);
    splitter->addWidget(m_list);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, options.orientation == Qt::Horizontal ? 1 : 3);
    splitter->setStretchFactor(1, options.orientation == Qt::Horizontal ? 1 : 2);
    auto *layout = new QVBoxLayout(this);
    if (options.orientation == Qt::Vertical)
        layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &VersionHistoryView::selectionChanged);
}

void VersionHistoryView::setVersions(const QList<Row> &rows, bool selectNewest)
{
    const qint64 selected = selectedVersion();
    {
        const QSignalBlocker blocker(m_list);
        m_list->clear();
        for (const Row &row : rows) {
            QStringList texts{QString::number(row.version), row.saved, row.source, row.reason};
            texts += row.extra;
            auto *item = new QTreeWidgetItem(m_list, texts);
            item->setData(0, Qt::UserRole, static_cast<qlonglong>(row.version));
            for (int column = 3; column < texts.size(); ++column)
                item->setToolTip(column, texts.at(column));
            if (row.version == selected)
                item->setSelected(true);
        }
        if (selectNewest && m_list->selectedItems().isEmpty() && m_list->topLevelItemCount() > 0)
            m_list->topLevelItem(0)->setSelected(true);
    }
    Q_EMIT selectionChanged();
}

void VersionHistoryView::setTag(int row, const QString &tag)
{
    QTreeWidgetItem *item = m_list->topLevelItem(row);
    if (item == nullptr)
        return;
    item->setText(0, QString::number(item->data(0, Qt::UserRole).toLongLong()) + QStringLiteral(" · ") + tag);
    item->setToolTip(0, tag);
    for (int column = 0; column < item->columnCount(); ++column) {
        QFont font = item->font(column);
        font.setItalic(true);
        item->setFont(column, font);
    }
}

int VersionHistoryView::versionCount() const
{
    return m_list->topLevelItemCount();
}

qint64 VersionHistoryView::versionAt(int row) const
{
    const QTreeWidgetItem *item = m_list->topLevelItem(row);
    return item != nullptr ? item->data(0, Qt::UserRole).toLongLong() : 0;
}

int VersionHistoryView::selectedRow() const
{
    const QList<QTreeWidgetItem *> selected = m_list->selectedItems();
    return selected.isEmpty() ? -1 : m_list->indexOfTopLevelItem(selected.first());
}

qint64 VersionHistoryView::selectedVersion() const
{
    const QList<QTreeWidgetItem *> selected = m_list->selectedItems();
    return selected.isEmpty() ? -1 : selected.first()->data(0, Qt::UserRole).toLongLong();
}

void VersionHistoryView::selectRow(int row)
{
    m_list->clearSelection();
    if (QTreeWidgetItem *item = m_list->topLevelItem(row))
        item->setSelected(true);
}

void VersionHistoryView::setDiff(const QString &text)
{
    m_diff->setPlainText(text);
}

QString VersionHistoryView::diffText() const
{
    return m_diff->toPlainText();
}

QString VersionHistoryView::sourceName(const std::string &source)
{
    if (source == "console")
        return tr("console");
    if (source == "file")
        return tr("file");
    if (source == "rollback")
        return tr("rollback");
    if (source == "initial")
        return tr("initial");
    return QString::fromStdString(source);
}

} // namespace flywheel::ui
