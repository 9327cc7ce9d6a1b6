#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QGridLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;

namespace flywheel::ui {

/// The subsidy config as a form: one labelled input per setting with its unit (money in
/// major units, the margin in percent, milliseconds, days) and its allowed range, checked
/// as the operator types; a problem replaces the field's hint, in words. Per channel a
/// CAC (empty: that channel gets no subsidy) and per campaign its budgets, total and per
/// day; campaigns can be added and removed.
///
/// Fields are named by keys after subsidy.proto: "min_ltv_cac_ratio", "risk.weight",
/// "ltv.margin_bp", "channel_cac.app", "budgets.0.daily" (the first budget row), ...
class SubsidyConfigEditor final : public QWidget {
    Q_OBJECT

public:
    explicit SubsidyConfigEditor(QWidget *parent = nullptr);

    /// Shows `config`; it is what isModified() compares against.
    void setConfig(const v1::SubsidyConfig &config);
    bool hasConfig() const { return m_hasConfig; }
    v1::SubsidyConfig loadedConfig() const { return m_loaded; }
    /// The config as typed (a field that does not parse keeps the loaded value).
    v1::SubsidyConfig config() const;
    /// What is wrong with what is typed, one sentence per problem naming its field; empty
    /// when the config can be saved.
    QStringList problems() const;
    bool isValid() const { return m_hasConfig && problems().isEmpty(); }
    /// Whether anything typed differs from the config last loaded.
    bool isModified() const;

    /// The input of field `key` (also "budgets.N.total" and the like); null when there is none.
    QLineEdit *input(const QString &key) const;
    /// The problem shown next to a field, empty when it is fine.
    QString problem(const QString &key) const { return m_problems.value(key); }
    QCheckBox *enabledBox() const { return m_enabled; }
    QPushButton *addCampaignButton() const { return m_addCampaign; }
    /// Adds an empty budget row; returns its index.
    int addCampaign();
    /// Removes budget row `index`.
    void removeCampaign(int index);
    int campaignCount() const { return int(m_budgets.size()); }
    /// The field whose proto name comes first in a backend message ("risk.weight",
    /// "budgets", "campaign_id"), as a key of input(); empty when none is named.
    QString fieldInMessage(const QString &message) const;
    /// The label of the field `key`, as the form shows it.
    QString fieldLabel(const QString &key) const;

Q_SIGNALS:
    /// The operator changed something.
    void edited();

private:
    enum class Kind { Campaign, Money, OptionalMoney, Number, Integer, Percent };
    struct Spec {
        QString key;
        QString label;
        QString meaning;
        Kind kind;
        double min;
        double max;
        bool minExclusive;
        QString unit;
    };
    struct BudgetRow {
        QWidget *box;
        QLineEdit *id;
        QLineEdit *total;
        QLineEdit *daily;
        QLabel *hint;
    };

    QWidget *group(const QString &title, const QList<Spec> &specs);
    QLineEdit *makeInput(const Spec &spec, QWidget *parent);
    QString check(const Spec &spec, const QString &text) const;
    QString rangeText(const Spec &spec) const;
    QString textOf(const Spec &spec, const v1::SubsidyConfig &config) const;
    QMap<QString, QString> texts() const;
    void rebuildChannels(const v1::SubsidyConfig &config);
    void clearBudgets();
    void recheck();

    bool m_hasConfig = false;
    v1::SubsidyConfig m_loaded;
    QString m_currency = QStringLiteral("CNY");
    QMap<QString, QString> m_loadedTexts;
    QList<Spec> m_specs;
    QMap<QString, QLineEdit *> m_inputs;
    QMap<QString, QLabel *> m_hints;
    QMap<QString, QLabel *> m_units;
    QMap<QString, QString> m_labels;
    QMap<QString, QString> m_problems;
    QStringList m_combined;
    QCheckBox *m_enabled;
    QWidget *m_channelBox;
    QGridLayout *m_channelGrid;
    QStringList m_channels;
    QVBoxLayout *m_budgetLayout;
    QList<BudgetRow> m_budgets;
    QPushButton *m_addCampaign;
    QLabel *m_combinedLabel;
};

} // namespace flywheel::ui
