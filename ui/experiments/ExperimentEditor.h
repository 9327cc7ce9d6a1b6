#pragma once

#include "flywheel/v1/experiments.pb.h"
#include "flywheel/v1/subsidy.pb.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

class QComboBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;

namespace flywheel::ui {

/// The form of one experiment: key, name, hypothesis, surface, salt, traffic share, the
/// minimum run time and the variants (key, name, weight and payload: the invite copy or
/// the subsidy config version, picked from the stored versions, live or candidate, that the
/// page loads and hands over with setSubsidyVersions()). Every field is checked as it is typed, with what is wrong
/// said next to it; the weights must total 100 %. A running experiment may change only
/// its traffic and its weights: the rest is locked (and says why), because users who were
/// assigned keep their variant. A stopped or shipped one is shown read-only.
class ExperimentEditor final : public QWidget {
    Q_OBJECT

public:
    enum class Mode { New, Draft, Running, ReadOnly };
    enum class Field { Key, Name, Salt, Traffic, MinRunHours, Variants };

    explicit ExperimentEditor(QWidget *parent = nullptr);

    /// A new experiment; `takenKeys` are the keys already used.
    void startNew(const QStringList &takenKeys);
    /// Shows `experiment` for editing as its status allows.
    void setExperiment(const v1::Experiment &experiment);
    Mode mode() const { return m_mode; }
    /// The experiment as typed (on top of the one shown, so what cannot be edited stays).
    v1::Experiment experiment() const;
    /// What is wrong, one sentence each; empty when it may be saved.
    QStringList problems() const;
    /// What is wrong with one field (for the variants: all of them), empty when nothing.
    QString problem(Field field) const;
    bool isModified() const;
    /// Why some fields are locked; empty when none are.
    QString lockText() const;

    QLineEdit *keyInput() const { return m_key; }
    QLineEdit *nameInput() const { return m_name; }
    QLineEdit *hypothesisInput() const { return m_hypothesis; }
    QComboBox *surfaceInput() const { return m_surface; }
    QLineEdit *saltInput() const { return m_salt; }
    QLineEdit *trafficInput() const { return m_traffic; }
    QLineEdit *minRunHoursInput() const { return m_minRunHours; }
    int variantCount() const { return int(m_rows.size()); }
    QLineEdit *variantKeyInput(int row) const { return m_rows.value(row).key; }
    QLineEdit *variantNameInput(int row) const { return m_rows.value(row).name; }
    QLineEdit *weightInput(int row) const { return m_rows.value(row).weight; }
    /// The invite copy of a variant (shown for the invite-copy surface).
    QLineEdit *payloadInput(int row) const { return m_rows.value(row).payload; }
    /// The subsidy config version picker of a variant (shown for the subsidy surface):
    /// item data is the version (0 for "none chosen").
    QComboBox *subsidyVersionInput(int row) const { return m_rows.value(row).version; }

    /// The stored subsidy config versions the pickers offer, newest first. A variant's
    /// version that is not among them is still shown and kept.
    void setSubsidyVersions(const QList<v1::SubsidyConfigVersion> &versions);
    /// Loading the versions failed: `why` is said under the variants; what is chosen stays.
    void setSubsidyVersionsFailed(const QString &why);
    /// What is said about the versions under the variants ("" when nothing).
    QString subsidyVersionsText() const;
    /// "v7 · candidate · <reason> · <date>", the reason shortened, the date in the locale.
    static QString subsidyVersionText(const v1::SubsidyConfigVersion &version);
    QPushButton *addVariantButton() const { return m_addVariant; }
    void addVariant();
    void removeVariant(int row);
    /// "Weights total 100 %" or what is wrong with the total.
    QString weightTotalText() const;

    /// Percent as typed ("12.5") to basis points; -1 when it is not a number with at most
    /// two decimals.
    static int parseBasisPoints(const QString &text);
    static constexpr int kMinVariants = 2;
    static constexpr int kMaxVariants = 10;

Q_SIGNALS:
    /// Something was typed (or the experiment shown changed).
    void edited();

private:
    struct Row {
        QLineEdit *key = nullptr;
        QLineEdit *name = nullptr;
        QLineEdit *weight = nullptr;
        QLineEdit *payload = nullptr;
        QComboBox *version = nullptr;
        QPushButton *remove = nullptr;
    };
    void addRow(const v1::ExperimentVariant &variant);
    void layOutRows();
    void applyMode();
    void updatePayloadHints();
    /// Fills `box` with the listed versions and `selected` (kept when not listed).
    void fillVersionBox(QComboBox *box, qint64 selected);
    /// Marks the form modified, then validate().
    void check();
    /// Says what is wrong next to each field.
    void validate();
    void showProblem(QLabel *label, QLineEdit *input, const QString &text);
    QString rowProblem(int row) const;

    Mode m_mode = Mode::New;
    v1::Experiment m_shown;
    QStringList m_takenKeys;
    bool m_loading = false;
    bool m_modified = false;

    QLineEdit *m_key;
    QLabel *m_keyProblem;
    QLineEdit *m_name;
    QLabel *m_nameProblem;
    QLineEdit *m_hypothesis;
    QComboBox *m_surface;
    QLineEdit *m_salt;
    QLabel *m_saltProblem;
    QLineEdit *m_traffic;
    QLabel *m_trafficProblem;
    QLineEdit *m_minRunHours;
    QLabel *m_minRunHoursProblem;
    QLabel *m_lock;
    QGridLayout *m_variantsGrid;
    QList<Row> m_rows;
    QList<QWidget *> m_gridLabels;
    QLabel *m_weightTotal;
    QLabel *m_variantsProblem;
    QPushButton *m_addVariant;
    QLabel *m_subsidyVersionsStatus;
    QList<v1::SubsidyConfigVersion> m_subsidyVersions;
    bool m_subsidyVersionsLoaded = false;
};

} // namespace flywheel::ui
