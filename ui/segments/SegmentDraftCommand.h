#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QUndoCommand>

#include <optional>

namespace flywheel::ui {

class SegmentsTab;

/// One edit of the Segments tab's draft: the whole set before and after (nullopt: no
/// draft). Consecutive edits with the same non-negative merge key (the same field of the
/// same segment) merge, so typing an expression is one step of undo.
class SegmentDraftCommand final : public QUndoCommand {
public:
    SegmentDraftCommand(SegmentsTab *tab, const QString &text, std::optional<v1::SegmentSetVersion> before,
                        v1::SegmentSetVersion after, int mergeKey);

    void undo() override;
    void redo() override;
    int id() const override { return m_mergeKey; }
    bool mergeWith(const QUndoCommand *other) override;

private:
    SegmentsTab *m_tab;
    const std::optional<v1::SegmentSetVersion> m_before;
    v1::SegmentSetVersion m_after;
    const int m_mergeKey;
};

} // namespace flywheel::ui
