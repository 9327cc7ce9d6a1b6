#include "audit/AuditDiffView.h"

#include "audit/AuditText.h"
#include "audit/DiffModel.h"

#include <QLabel>
#include <QListView>
#include <QVBoxLayout>

namespace flywheel::ui {

AuditDiffView::AuditDiffView(QWidget *parent)
    : QWidget(parent), m_caption(new QLabel(this)), m_list(new QListView(this)), m_model(new DiffModel(this))
{
    m_caption->setWordWrap(true);
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_list->setModel(m_model);
    m_list->setUniformItemSizes(true); // long texts: no per-row measuring
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_list->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_caption);
    layout->addWidget(m_list, 1);
}

void AuditDiffView::showEntry(const v1::AuditEntry *entry, const QString &placeholder)
{
    if (entry == nullptr) {
        m_caption->setText(placeholder);
        m_model->setLines({});
        return;
    }
    const QString before = QString::fromStdString(entry->before());
    const QString after = QString::fromStdString(entry->after());
    const LineDiff::Result diff = LineDiff::compare(before, after);
    const QString area = AuditText::areaName(entry->area());
    const QString object = QString::fromStdString(entry->object());
    QString caption;
    if (before.isEmpty() && after.isEmpty()) {
        caption = tr("This change recorded no text before or after it.");
    } else if (before.isEmpty()) {
        caption =
            entry->version() > 0
                ? tr("First version: nothing came before version %1 of %2 (%3), so every line is new.")
                      .arg(entry->version())
                      .arg(area, object)
                : tr("No before: %1 (%2) had no text before this change, so every line is new.").arg(object, area);
    } else if (after.isEmpty()) {
        caption = tr("No after: this change removed %1 (%2), so every line is gone.").arg(object, area);
    } else if (diff.added == 0 && diff.removed == 0) {
        caption = tr("Before and after are the same.");
    } else {
        caption = tr("Before → after: %1 added, %2 removed.")
                      .arg(tr("%n line(s)", nullptr, diff.added), tr("%n line(s)", nullptr, diff.removed));
    }
    if (diff.approximate)
        caption += u' ' + tr("The texts are too long to compare line by line: the changed middle part is shown as "
                             "removed and added whole.");
    m_caption->setText(caption);
    m_model->setLines(LineDiff::collapse(diff.lines, kContextLines));
    m_list->scrollToTop();
}

QString AuditDiffView::caption() const
{
    return m_caption->text();
}

const std::vector<LineDiff::Line> &AuditDiffView::lines() const
{
    return m_model->lines();
}

} // namespace flywheel::ui
