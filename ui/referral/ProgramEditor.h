#pragma once

#include "referral/ReferralText.h"

#include "flywheel/v1/referral.pb.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QWidget>

class QLabel;
class QLineEdit;

namespace flywheel::ui {

/// The referral programme as a form: one labelled input per field with its unit (money
/// in major units, rates in percent with two decimals, hours, days, seconds) and its
/// allowed range, checked as the operator types; a problem replaces the field's hint.
class ProgramEditor final : public QWidget {
    Q_OBJECT

public:
    explicit ProgramEditor(QWidget *parent = nullptr);

    /// Shows `program` in the inputs; it is what isModified() compares against.
    void setProgram(const v1::ReferralProgram &program);
    /// The programme as typed (fields that do not parse keep the loaded value).
    v1::ReferralProgram program() const;
    /// What is wrong with what is typed, field by field, then the rates together; empty
    /// when the programme can be saved. Each sentence names its field.
    QStringList problems() const;
    bool hasProgram() const { return m_hasProgram; }
    /// The programme last loaded by setProgram().
    v1::ReferralProgram loadedProgram() const { return m_loaded; }
    /// Loads `program` but keeps what the operator changed against the programme loaded
    /// before; returns the fields where `program` also differs from it, changed both ways.
    QList<ProgramField> rebase(const v1::ReferralProgram &program);
    /// Whether anything typed differs from the programme last loaded (false before one is).
    bool isModified() const;
    void setEditable(bool editable);

    QLineEdit *input(ProgramField field) const { return m_inputs.value(field); }
    /// The problem shown next to a field, empty when it is fine.
    QString problem(ProgramField field) const { return m_problems.value(field); }

Q_SIGNALS:
    /// The operator changed an input.
    void edited();

private:
    QWidget *group(const QString &title, std::initializer_list<ProgramField> fields);
    void check();

    bool m_hasProgram = false;
    v1::ReferralProgram m_loaded;
    QString m_currency = QStringLiteral("CNY");
    QMap<ProgramField, QLineEdit *> m_inputs;
    QMap<ProgramField, QLabel *> m_units;
    QMap<ProgramField, QLabel *> m_hints;
    QMap<ProgramField, QString> m_problems;
    QLabel *m_combined;
};

} // namespace flywheel::ui
