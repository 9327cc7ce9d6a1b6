#include "segments/SegmentDraftCommand.h"

#include "segments/SegmentsTab.h"

namespace flywheel::ui {

SegmentDraftCommand::SegmentDraftCommand(SegmentsTab *tab, const QString &text,
                                         std::optional<v1::SegmentSetVersion> before, v1::SegmentSetVersion after,
                                         int mergeKey)
    : QUndoCommand(text), m_tab(tab), m_before(std::move(before)), m_after(std::move(after)), m_mergeKey(mergeKey)
{}

void SegmentDraftCommand::undo()
{
    m_tab->setDraft(m_before);
}

void SegmentDraftCommand::redo()
{
    m_tab->setDraft(m_after);
}

bool SegmentDraftCommand::mergeWith(const QUndoCommand *other)
{
    if (other->id() != m_mergeKey || m_mergeKey < 0)
        return false;
    m_after = static_cast<const SegmentDraftCommand *>(other)->m_after;
    return true;
}

} // namespace flywheel::ui
