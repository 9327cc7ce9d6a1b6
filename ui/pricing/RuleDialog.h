#pragma once

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
class QPushButton;
class QSpinBox;
class QTimer;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class PricingClient;

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

/// The form's field for a field the backend names in a RuleProblem ("percent_off",
/// "scope.skus", ...); nullopt for one the form has no row for (e.g. "kind").
std::optional<RuleField> ruleFieldFromBackend(const std::string &field);

/// Adds or edits one rule: a form per rule type. As the operator types, the form asks
/// the backend (PricingService.ValidateRuleSet, asynchronously: the GUI never waits)
/// and shows each problem it names next to its field; the form itself only checks
/// that amounts and percentages are written as numbers. OK is enabled only when the
/// backend has found the rule as it stands valid: not while asking, not when it is
/// invalid, not when the backend cannot be reached.
class RuleDialog final : public QDialog {
    Q_OBJECT

public:
    enum class Validation { Checking, Valid, Invalid, Unreachable };

    /// `otherIds`: the ids of the set's other rules, which this one must not reuse.
    /// `segments`: id → enabled in the current segment set, when known; a segment
    /// price naming a segment that is missing or disabled there gets a note (not a
    /// problem: the backend accepts it, and the segment may be added later).
    RuleDialog(const v1::PricingRule &rule, PricingClient *client, QSet<QString> otherIds,
               std::optional<QMap<QString, bool>> segments = std::nullopt, QWidget *parent = nullptr);
    ~RuleDialog() override;

    v1::PricingRule rule() const;
    /// Problems of the rule as the form stands: the form's own (amounts not written as
    /// numbers) and the backend's, per field.
    QMap<RuleField, QString> problems() const { return m_problems; }
    Validation validation() const { return m_validation; }
    /// The line above the buttons: checking, problems without a field of their own,
    /// or why the backend could not check the rule; empty when the rule is valid.
    QString statusText() const;
    bool okEnabled() const;
    /// What the form says about the segment a segment price names; empty when nothing.
    QString segmentNote() const;

    /// How long the form waits for typing to pause before asking the backend.
    static constexpr int kCheckDelayMs = 150;

Q_SIGNALS:
    /// The backend's answer (or the failure to get one) is shown.
    void validated();

private:
    void addRow(const QString &label, QWidget *field, RuleField which);
    void revalidate();
    void askBackend();
    void showAnswer(const grpc::Status &status, const v1::ValidateRuleSetResponse &response);
    void showProblems();

    PricingClient *const m_client;
    const QSet<QString> m_otherIds;
    const std::optional<QMap<QString, bool>> m_segments;
    QLabel *m_segmentNote = nullptr;
    v1::PricingRule m_original;
    /// The form's own problems (numbers it cannot read), which the backend's do not replace.
    QMap<RuleField, QString> m_inputProblems;
    /// The backend's problems of the last state it answered about.
    QMap<RuleField, QString> m_backendProblems;
    QMap<RuleField, QString> m_problems;
    Validation m_validation = Validation::Checking;
    /// Counts the form's changes, so that an answer about an older state is dropped.
    quint64 m_generation = 0;
    QTimer *m_checkTimer;
    QLabel *m_status;
    QPushButton *m_retry;
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
