#pragma once

#include "flywheel/v1/payments.pb.h"

#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace grpc {
class Status;
} // namespace grpc

namespace flywheel::ui {

class ChannelEditor;
class MessageBar;
class PaymentClient;
class VersionHistoryView;

/// The Payment channels page's channels tab: the channels of the configuration being
/// edited (state, priority, fee, limits in the locale's money, currencies, success
/// floor, credential status) above the editor of the selected one; channels added and
/// removed; "Save…" with a reason on top of the version the edits started from (a save
/// after someone else's is refused and explained, the draft kept); the version history
/// with a rollback. Admins edit; everyone else reads, told why.
class ChannelsTab final : public QWidget {
    Q_OBJECT

public:
    /// Asks the reason of a save or rollback: nullopt when the operator cancels.
    using AskReason = std::function<std::optional<QString>(const QString &title, const QString &question,
                                                           const QString &consequence, const QString &accept)>;
    enum Column { Id, Provider, Name, Enabled, Priority, Fee, MinAmount, MaxAmount, Currencies, SuccessFloor,
                  Credentials, ColumnCount };

    explicit ChannelsTab(PaymentClient *client, QWidget *parent = nullptr);

    void refresh();
    std::optional<v1::ChannelConfigVersion> current() const { return m_current; }
    /// The configuration as edited (what a save sends and the routing preview uses).
    const v1::ChannelConfig &draft() const { return m_draft; }
    bool isModified() const;
    bool isValid() const;
    /// Whether the caller may change the channels here (an admin, editing unlocked).
    bool canEdit() const;
    qint64 baseVersion() const { return m_base; }

    QTableWidget *table() const { return m_table; }
    QString cell(int row, Column column) const;
    QString cellToolTip(int row, Column column) const;
    void selectChannel(int row);
    ChannelEditor *editor() const { return m_editor; }
    QSpinBox *windowSpin() const { return m_window; }
    QPushButton *addButton() const { return m_addButton; }
    QPushButton *removeButton() const { return m_removeButton; }
    QPushButton *saveButton() const { return m_saveButton; }
    QPushButton *discardButton() const { return m_discardButton; }
    VersionHistoryView *history() const { return m_history; }

    void addChannel();
    void removeSelected();
    bool save(const QString &reason);
    void askSave();
    void discardEdits();
    void rollbackTo(qint64 version, const QString &reason);
    void setAskReason(AskReason ask) { m_askReason = std::move(ask); }

    QString messageText() const;
    QString editingText() const;

Q_SIGNALS:
    void loaded(const flywheel::v1::ChannelConfigVersion &version);
    void loadFailed(const QString &why, bool unimplemented);
    void actionFinished(bool ok);
    void draftChanged();

private:
    void onConfig(const v1::ChannelConfigVersion &version);
    void onVersions(const v1::ListChannelConfigVersionsResponse &versions);
    void setDraft(const v1::ChannelConfig &config);
    void fillTable();
    void fillRow(int row);
    void onSelection();
    void onEditorEdited();
    void updateEditing();
    void showSelectedVersion();
    void askRollback(qint64 version);
    void onRefused(const QString &what, const grpc::Status &status);
    QString blockedText() const;

    PaymentClient *m_client;
    AskReason m_askReason;
    std::optional<v1::ChannelConfigVersion> m_current;
    v1::ListChannelConfigVersionsResponse m_versions;
    v1::ChannelConfig m_draft;
    qint64 m_base = 0;
    int m_selected = -1;
    bool m_refreshing = false;
    bool m_saving = false;
    bool m_unimplemented = false;
    quint64 m_loads = 0;

    QLabel *m_editing;
    QTableWidget *m_table;
    QSpinBox *m_window;
    QSpinBox *m_queryAfter;
    QPushButton *m_addButton;
    QPushButton *m_removeButton;
    ChannelEditor *m_editor;
    MessageBar *m_message;
    QPushButton *m_discardButton;
    QPushButton *m_saveButton;
    VersionHistoryView *m_history;
};

} // namespace flywheel::ui
