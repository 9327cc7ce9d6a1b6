#pragma once

#include "flywheel/v1/experiments.pb.h"

#include <QString>
#include <QTimer>
#include <QWidget>

#include <functional>
#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class BackendConnection;
class ExperimentClient;
class ExperimentEditor;
class SubsidyClient;
class ExperimentsModel;
class MessageBar;
class PageHeader;
class ResultsPanel;

/// Experiments (A/B tests of invite copy and first-order subsidies): the list with each
/// one's status, the editor of a new or draft experiment (and of a running one's traffic
/// and weights), the live results of the one selected, and the start / stop / ship /
/// roll back actions, each with a reason. Every change is made on top of the version of
/// the experiment set it was based on, so a change after someone else's is refused and
/// explained. Refreshes the list every few seconds and keeps the results stream open
/// while shown; every call is asynchronous.
///
/// A backend without ExperimentService (UNIMPLEMENTED) is a settled answer, not a lost
/// connection: the page says so and counts as showing its data.
class ExperimentsPage final : public QWidget {
    Q_OBJECT

public:
    /// Asks for the reason of an action: nullopt when the operator cancels.
    using AskReason = std::function<std::optional<QString>(const QString &title, const QString &question,
                                                           const QString &consequence, const QString &acceptText)>;

    explicit ExperimentsPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~ExperimentsPage() override;

    static constexpr int kRefreshMs = 5000;
    enum Tab { Results, Editor };

    /// Asks the backend for the experiment set now (and for the stored subsidy config
    /// versions the editor's pickers offer).
    void refresh();
    void showTab(Tab tab);

    ExperimentClient *client() const { return m_client; }
    ExperimentsModel *model() const { return m_model; }
    QTableView *list() const { return m_list; }
    ExperimentEditor *editor() const { return m_editor; }
    ResultsPanel *resultsPanel() const { return m_results; }
    QPushButton *newButton() const { return m_newButton; }
    QPushButton *saveButton() const { return m_saveButton; }
    QPushButton *discardButton() const { return m_discardButton; }
    QPushButton *startButton() const { return m_startButton; }
    QPushButton *stopButton() const { return m_stopButton; }
    QPushButton *shipButton() const { return m_shipButton; }
    QPushButton *rollbackButton() const { return m_rollbackButton; }
    QComboBox *shipVariantBox() const { return m_shipVariant; }

    const std::optional<v1::ExperimentSet> &set() const { return m_set; }
    /// Selects the experiment `key` in the list; false when there is none.
    bool selectExperiment(const QString &key);
    QString selectedKey() const;
    /// Starts a new experiment in the editor.
    void newExperiment();
    /// The version the editor's changes are based on.
    qint64 baseVersion() const { return m_base; }

    /// The actions without asking; false, with messageText() saying why, when the console
    /// refuses before any call (nothing selected, a problem in the form, no reason).
    bool save(const QString &reason);
    bool start(const QString &reason);
    bool stop(const QString &reason);
    bool ship(const QString &variantKey, const QString &reason);
    bool rollback(const QString &reason);
    /// The buttons: ask for the reason (through setAskReason's hook), then act.
    void askSave();
    void askStart();
    void askStop();
    void askShip();
    void askRollback();
    void setAskReason(AskReason ask) { m_askReason = std::move(ask); }

    /// The latest outcome of an action, or why it failed.
    QString messageText() const;
    /// Above the editor: what it shows and whether it has unsaved changes.
    QString editingText() const;
    /// Why Ship is not offered now, empty when it is.
    QString shipBlockedText() const;
    /// Under the title: the set in force in one line.
    QString headerText() const;
    /// Why the page could not load, empty when it could.
    QString problemText() const;
    /// True once the page shows its first data (what a screenshot waits for).
    bool hasData() const { return m_loaded; }
    /// Whether the subsidy config versions are being, or are still to be, loaded.
    bool subsidyVersionsPending() const { return m_subsidyVersionsStale || m_loadingSubsidyVersions; }
    /// True when the backend answered that it offers no experiments.
    bool backendLacksExperiments() const { return m_unimplemented; }

Q_SIGNALS:
    /// The page shows its first data.
    void firstDataShown();
    /// After each answer to an action, for tests and the status line.
    void actionFinished(bool ok);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onSet(const v1::ExperimentSet &set);
    void onLoadFailed(const grpc::Status &status);
    void markLoaded();
    void onSelectionChanged();
    void followSelection();
    void openResults();
    void onResults(const v1::ExperimentResults &results);
    void onResultsInterrupted(int code, const QString &why, int retryInSeconds);
    void updateActions();
    /// Why ship is refused, in the operator's language.
    QString shipRefusal(const v1::Experiment &experiment, const v1::ExperimentResults &results) const;
    void updateEditing();
    const v1::Experiment *selected() const;
    /// Sends an action; `verb` is the past participle used in messages ("started").
    template <typename Request>
    void act(const Request &request, const QString &verb, const QString &done,
             void (ExperimentClient::*call)(const Request &,
                                            std::function<void(const grpc::Status &, const v1::ExperimentSet &)>));
    /// Start, stop or roll back the selected experiment; `done` has the key as %1
    /// and the new version as %2.
    bool change(const QString &reason, const QString &verb, const QString &done,
                void (ExperimentClient::*call)(const v1::ChangeExperimentRequest &,
                                               std::function<void(const grpc::Status &, const v1::ExperimentSet &)>));
    void finishAction(const grpc::Status &status, const v1::ExperimentSet &set, const QString &verb,
                      const QString &done);

    /// The stored subsidy config versions (live and candidates) for the editor's pickers.
    void loadSubsidyVersions();

    BackendConnection *m_connection;
    ExperimentClient *m_client;
    SubsidyClient *m_subsidyClient = nullptr;
    bool m_loadingSubsidyVersions = false;
    /// The subsidy config versions are to be loaded (again) at the next refresh.
    bool m_subsidyVersionsStale = true;
    ExperimentsModel *m_model;
    QTimer m_refreshTimer;
    AskReason m_askReason;
    std::optional<v1::ExperimentSet> m_set;
    std::optional<v1::ExperimentResults> m_lastResults;
    bool m_loaded = false;
    bool m_refreshing = false;
    /// Bumped when an action or a save answers with the new set: a load begun before
    /// then is stale.
    quint64 m_loads = 0;
    bool m_busy = false;
    bool m_reloading = false;
    bool m_unimplemented = false;
    /// The experiment in the editor; empty for a new one.
    QString m_editingKey;
    /// The experiment whose variants the ship box lists.
    QString m_shipVariantOf;
    qint64 m_base = 0;

    PageHeader *m_header;
    QPushButton *m_newButton;
    QPushButton *m_refreshButton;
    QTableView *m_list;
    QLabel *m_empty;
    QPushButton *m_startButton;
    QPushButton *m_stopButton;
    QComboBox *m_shipVariant;
    QPushButton *m_shipButton;
    QPushButton *m_rollbackButton;
    QLabel *m_shipBlocked;
    MessageBar *m_message;
    QTabWidget *m_tabs;
    ResultsPanel *m_results;
    QLabel *m_editing;
    ExperimentEditor *m_editor;
    QPushButton *m_discardButton;
    QPushButton *m_saveButton;
};

} // namespace flywheel::ui
