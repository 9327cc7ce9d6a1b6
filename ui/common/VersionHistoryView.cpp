#include "common/VersionHistoryView.h"

#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTextEdit>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace flywheel::ui {

VersionHistoryView::VersionHistoryView(QWidget *parent)
    : QWidget(parent), m_list(new QTreeWidget(this)), m_diff(new QTextEdit(this)),
      m_rollback(new QPushButton(tr("Roll back to this version…"), this))
{
    m_list->setRootIsDecorated(false);
    m_list->setHeaderLabels({tr("Version"), tr("Saved"), tr("Source"), tr("Reason")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_diff->setReadOnly(true);
    m_diff->setPlaceholderText(tr("Select a version to see what it changed."));
    m_rollback->setEnabled(false);

    auto *right = new QWidget(this);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(new QLabel(tr("Changes against the version before:"), right));
    rightLayout->addWidget(m_diff, 1);
    rightLayout->addWidget(m_rollback, 0, Qt::AlignRight);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_list);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);
}

qint64 selectedVersion(const QTreeWidget *list)
{
    const QList<QTreeWidgetItem *> selected = list->selectedItems();
    return selected.isEmpty() ? -1 : selected.first()->data(0, Qt::UserRole).toLongLong();
}

qint64 versionAt(const QTreeWidget *list, int row)
{
    const QTreeWidgetItem *item = list->topLevelItem(row);
    return item != nullptr ? item->data(0, Qt::UserRole).toLongLong() : 0;
}

void selectVersionRow(QTreeWidget *list, int row)
{
    list->clearSelection();
    if (QTreeWidgetItem *item = list->topLevelItem(row))
        item->setSelected(true);
}

} // namespace flywheel::ui
