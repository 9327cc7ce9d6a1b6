#pragma once

#include "flywheel/v1/catalog.pb.h"
#include "flywheel/v1/pricing.pb.h"

#include <QDialog>
#include <QMap>
#include <QSet>
#include <QString>

#include <optional>

class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace flywheel::ui {

/// The fields of a rule an operator edits, for validation messages next to them.
enum class RuleField {
    Id,
    Name,
    Window,
    PerUserLimit,
    Skus,
    Categories,
    UnitPrice,
    PercentOfList,
    Segment,
    PercentOff,
    MaxOff,
    Tiers
};

/// What is wrong with a rule, per field; empty when it is valid. Mirrors the backend's
/// validateRule (backend/domain/pricing/PricingRule.cpp), so a rule that passes here is
/// not refused on save. `existingIds` are the other rules' ids (ids are unique).
QMap<RuleField, QString> validateRule(const v1::PricingRule &rule, const v1::ListProductsResponse &catalogue,
                                      const QSet<QString> &existingIds);

/// Parses "149.90", "59.9" or "300" into minor units: exact, at most two decimals.
/// False when the text is not such an amount.
bool parseDecimal(const QString &text, qint64 *hundredths);

/// Adds or edits one rule: a form per rule type that validates as the operator types,
/// showing each problem next to its field; OK is disabled while the rule is invalid.
class RuleDialog final : public QDialog {
    Q_OBJECT

public:
    /// `segments`: id → enabled in the current segment set, when known; a segment
    /// price naming a segment that is missing or disabled there gets a note (not a
    /// problem: the backend accepts it, and the segment may be added later).
    RuleDialog(const v1::PricingRule &rule, const v1::ListProductsResponse &catalogue, QSet<QString> otherIds,
               std::optional<QMap<QString, bool>> segments = std::nullopt, QWidget *parent = nullptr);
    ~RuleDialog() override;

    v1::PricingRule rule() const;
    /// Problems of the rule as the form stands.
    QMap<RuleField, QString> problems() const { return m_problems; }
    /// What the form says about the segment a segment price names; empty when nothing.
    QString segmentNote() const;

private:
    void addRow(const QString &label, QWidget *field, RuleField which);
    void revalidate();

    const v1::ListProductsResponse m_catalogue;
    const QSet<QString> m_otherIds;
    const std::optional<QMap<QString, bool>> m_segments;
    QLabel *m_segmentNote = nullptr;
    v1::PricingRule m_original;
    QMap<RuleField, QString> m_problems;
    QMap<RuleField, QLabel *> m_problemLabels;
    QMap<RuleField, QWidget *> m_fields;
    QFormLayout *m_form;
    QLineEdit *m_id;
    QLineEdit *m_name;
    QComboBox *m_kind;
    QCheckBox *m_enabled;
    QSpinBox *m_priority;
    QCheckBox *m_stackable;
    QLineEdit *m_exclusionGroup;
    QCheckBox *m_hasStart;
    QDateTimeEdit *m_start;
    QCheckBox *m_hasEnd;
    QDateTimeEdit *m_end;
    QSpinBox *m_perUserLimit;
    QLineEdit *m_skus;
    QLineEdit *m_categories;
    QLineEdit *m_unitPrice;
    QLineEdit *m_percentOfList;
    QLineEdit *m_segment;
    QLineEdit *m_percentOff;
    QLineEdit *m_maxOff;
    QLineEdit *m_tiers;
    QDialogButtonBox *m_buttons;
};

} // namespace flywheel::ui
