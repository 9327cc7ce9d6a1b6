#pragma once

#include "flywheel/v1/segments.pb.h"

#include <QGroupBox>

#include <functional>

class QSpinBox;

namespace flywheel::ui {

class ExpressionEditor;
class SegmentClient;

/// The Segments tab's editor of the reach policy of the draft, which applies to all
/// segments: who the seed users are (an expression), the holdout and the rate limit.
/// Like SegmentEditor it changes nothing itself: each edit is reported with the policy
/// as it now reads, and the tab puts it into the draft.
class ReachPolicyEditor final : public QGroupBox {
    Q_OBJECT

public:
    /// What an edit changed. The values follow SegmentEditor::Field's, so that the tab's
    /// undo merge keys of the two never meet.
    enum class Field { Seed = 8, Holdout, RateLimit };

    ReachPolicyEditor(SegmentClient *client, QWidget *parent = nullptr);

    void setFeatures(const v1::ListFeaturesResponse &features);
    void showPolicy(const v1::ReachPolicy &policy);

    ExpressionEditor *seedEditor() const { return m_seed; }
    QSpinBox *holdoutField() const { return m_holdout; }
    QSpinBox *rateLimitField() const { return m_rateLimit; }

Q_SIGNALS:
    /// The operator changed `field`; `after` is the whole policy as it now reads.
    void edited(flywheel::ui::ReachPolicyEditor::Field field, const flywheel::v1::ReachPolicy &after);

private:
    void edit(Field field, const std::function<void(v1::ReachPolicy &)> &change);

    v1::ReachPolicy m_policy;
    bool m_loading = false;
    ExpressionEditor *m_seed;
    QSpinBox *m_holdout;
    QSpinBox *m_rateLimit;
};

} // namespace flywheel::ui
