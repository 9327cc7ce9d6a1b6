#pragma once

#include "flywheel/v1/subsidy.pb.h"

#include <QString>
#include <QTimer>
#include <QWidget>

class QPushButton;
class QTabWidget;

namespace flywheel::ui {

class BackendConnection;
class ConfigTab;
class ExplainTab;
class PageHeader;
class RoiTab;
class SubsidyClient;

/// First-order subsidies: the config with its replay ("what would this config have
/// done"), history and rollback; one user's decision explained; the campaign budgets and
/// the ROI, live. Refreshes the config every few seconds and keeps the ROI stream open
/// while shown; every call is asynchronous. A backend without subsidies is said so.
class SubsidyPage final : public QWidget {
    Q_OBJECT

public:
    explicit SubsidyPage(BackendConnection *connection, QWidget *parent = nullptr);
    ~SubsidyPage() override;

    static constexpr int kRefreshMs = 5000;
    enum Tab { Config, Explain, Roi };

    void refresh();
    void showTab(Tab tab);

    ConfigTab *configTab() const { return m_config; }
    ExplainTab *explainTab() const { return m_explain; }
    RoiTab *roiTab() const { return m_roi; }
    SubsidyClient *client() const { return m_client; }

    QString headerText() const;
    QString problemText() const;
    /// True once the page shows its first answer (what a screenshot waits for), also the
    /// answer that this backend has no subsidies.
    bool hasData() const { return m_loaded; }
    /// The backend answered that it does not offer subsidies.
    bool isUnimplemented() const { return m_unimplemented; }

Q_SIGNALS:
    void firstDataShown();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void onConfig(const v1::SubsidyConfigVersion &version);
    void onLoadFailed(const QString &why, bool unimplemented);
    void markLoaded();

    BackendConnection *m_connection;
    SubsidyClient *m_client;
    QTimer m_refreshTimer;
    bool m_loaded = false;
    bool m_hasConfig = false;
    bool m_unimplemented = false;

    PageHeader *m_header;
    QPushButton *m_refreshButton;
    QTabWidget *m_tabs;
    ConfigTab *m_config;
    ExplainTab *m_explain;
    RoiTab *m_roi;
};

} // namespace flywheel::ui
