#pragma once

#include "flywheel/v1/alerts.pb.h"

#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QSpinBox;

namespace grpc {
class Status;
}

namespace flywheel::ui {

class AlertClient;
class MessageBar;
class VersionHistoryView;

/// The alert thresholds, a versioned document: a form with one group per alert (its
/// box ticked: enabled), saved with a reason on top of the version it was loaded from,
/// and the version history with rollback. Someone else's newer version keeps the draft
/// and says so.
class ThresholdsTab final : public QWidget {
    Q_OBJECT

public:
    explicit ThresholdsTab(AlertClient *client, QWidget *parent = nullptr);

    void refresh();
    /// Tests: the reason dialog's stand-in (title, question, consequence, accept text).
    using AskReason = std::function<std::optional<QString>(const QString &, const QString &, const QString &,
                                                           const QString &)>;
    void setAskReason(AskReason ask) { m_askReason = std::move(ask); }

    v1::AlertThresholds draft() const;
    void setDraft(const v1::AlertThresholds &thresholds);
    bool isModified() const;
    qint64 baseVersion() const { return m_base; }
    bool save(const QString &reason);
    void rollbackTo(qint64 version, const QString &reason);
    MessageBar *messageBar() const { return m_message; }
    VersionHistoryView *history() const { return m_history; }

    // The fields, for tests.
    QGroupBox *group(const QString &id) const;
    QDoubleSpinBox *slowShare() const { return m_slowShare; }
    QSpinBox *p99Threshold() const { return m_p99Threshold; }
    QPushButton *saveButton() const { return m_saveButton; }

Q_SIGNALS:
    void loaded(const flywheel::v1::AlertThresholdsVersion &version);
    void loadFailed(const QString &why, bool unimplemented);
    /// A save or rollback was answered (tests wait for it).
    void actionFinished(bool ok);

private:
    void onThresholds(const v1::AlertThresholdsVersion &version);
    void onVersions(const v1::ListAlertThresholdsVersionsResponse &versions);
    void onRefused(const QString &what, const grpc::Status &status);
    void askSave();
    void askRollback(qint64 version);
    void showSelectedDiff();
    void updateEditing();

    AlertClient *m_client;
    AskReason m_askReason;
    std::optional<v1::AlertThresholdsVersion> m_current;
    v1::ListAlertThresholdsVersionsResponse m_versions;
    qint64 m_base = 0;
    bool m_refreshing = false;
    bool m_settingDraft = false;
    bool m_modified = false;
    /// A save was refused as stale: the next version loaded becomes the draft's base.
    bool m_rebase = false;
    qint64 m_versionsOf = -1;

    QLabel *m_version;
    QGroupBox *m_slow;
    QSpinBox *m_slowWindow;
    QSpinBox *m_slowAfter;
    QDoubleSpinBox *m_slowShare;
    QSpinBox *m_slowMin;
    QGroupBox *m_illegal;
    QSpinBox *m_illegalWindow;
    QSpinBox *m_illegalMax;
    QGroupBox *m_pricing;
    QGroupBox *m_p99;
    QSpinBox *m_p99Window;
    QSpinBox *m_p99Threshold;
    QSpinBox *m_p99Min;
    QGroupBox *m_budget;
    QDoubleSpinBox *m_budgetShare;
    MessageBar *m_message;
    QPushButton *m_discardButton;
    QPushButton *m_saveButton;
    VersionHistoryView *m_history;
};

} // namespace flywheel::ui
