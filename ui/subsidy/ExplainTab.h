#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;

namespace flywheel::ui {

class SubsidyClient;

/// "Explain a user": a uid and a channel give the decision the live config (or the draft
/// being edited) would take for that user's first order now, with every input of the LTV
/// model labelled (expected orders, average order value, margin, LTV, CAC, the ratio,
/// active days, risk score, the order path's live P99) and the reason in words.
class ExplainTab final : public QWidget {
    Q_OBJECT

public:
    /// Gives the draft being edited, or nothing when it cannot be used (not valid).
    using DraftSource = std::function<std::optional<v1::SubsidyConfig>()>;

    explicit ExplainTab(SubsidyClient *client, QWidget *parent = nullptr);

    void setDraftSource(DraftSource source) { m_draft = std::move(source); }
    /// Asks the backend about the uid and channel typed.
    void explain();

    QLineEdit *uidField() const { return m_uid; }
    QComboBox *channelBox() const { return m_channel; }
    QCheckBox *useDraftBox() const { return m_useDraft; }
    QPushButton *explainButton() const { return m_explainButton; }
    QString decisionText() const;
    QString reasonText() const;
    /// The value shown for the input labelled `label`; null when there is none.
    QString input(const QString &label) const;
    QTableWidget *inputs() const { return m_inputs; }

Q_SIGNALS:
    void explained(bool ok);

private:
    void showExplanation(const v1::SubsidyExplanation &explanation);
    void showProblem(const QString &text);

    SubsidyClient *m_client;
    DraftSource m_draft;
    QLineEdit *m_uid;
    QComboBox *m_channel;
    QCheckBox *m_useDraft;
    QPushButton *m_explainButton;
    QLabel *m_decision;
    QLabel *m_reason;
    QTableWidget *m_inputs;
    /// The latest question asked: an answer to an earlier one is dropped.
    quint64 m_asked = 0;
};

} // namespace flywheel::ui
