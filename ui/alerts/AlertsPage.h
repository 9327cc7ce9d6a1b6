#pragma once

#include "flywheel/v1/alerts.pb.h"

#include <QString>
#include <QWidget>

class QTableWidget;
class QTabWidget;

namespace flywheel::ui {

class AlertClient;
class BackendConnection;
class PageHeader;
class ThresholdsTab;

/// The backend's business alerts: each alert now (ok or firing since when, its value
/// against its threshold, and what it means in numbers), the history of changes, and
/// the thresholds (a versioned document). Fed by the AlertsSnapshot stream that the
/// main window keeps open for the status bar's badge, so it is current from the start.
class AlertsPage final : public QWidget {
    Q_OBJECT

public:
    AlertsPage(BackendConnection *connection, AlertClient *client, QWidget *parent = nullptr);

    enum Tab { Alerts, Thresholds };
    void showTab(Tab tab);

    QTableWidget *currentTable() const { return m_current; }
    QTableWidget *historyTable() const { return m_history; }
    ThresholdsTab *thresholdsTab() const { return m_thresholds; }
    QString headerText() const;
    QString problemText() const;
    bool hasData() const { return m_loaded; }
    int firing() const { return m_firing; }

    void setSnapshot(const v1::AlertsSnapshot &snapshot);
    void setInterrupted(const QString &why, int retryInSeconds, bool unimplemented);

Q_SIGNALS:
    void firstDataShown();

protected:
    void showEvent(QShowEvent *event) override;

private:
    BackendConnection *m_connection;
    AlertClient *m_client;
    PageHeader *m_header;
    QTabWidget *m_tabs;
    QTableWidget *m_current;
    QTableWidget *m_history;
    ThresholdsTab *m_thresholds;
    bool m_loaded = false;
    int m_firing = 0;
};

} // namespace flywheel::ui
