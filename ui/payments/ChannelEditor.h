#pragma once

#include "flywheel/v1/payments.pb.h"

#include <QMap>
#include <QString>
#include <QStringList>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QGridLayout;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace flywheel::ui {

/// One payment channel as a form: what routes to it (enabled, priority, fee, limits,
/// currencies, success floor), how to reach the provider (endpoint, merchant ids,
/// serials, crypto settings) and its credentials, each with its status ("set" or
/// "missing", why as the tooltip). Credential paths are typed by admins only; the form
/// never sees a credential's content. Checked as the operator types: problem(key) says
/// what is wrong with a field; channel() gives the form back as a Channel.
class ChannelEditor final : public QWidget {
    Q_OBJECT

public:
    explicit ChannelEditor(QWidget *parent = nullptr);

    /// The credentials `provider` needs ("wechatpay": merchant_private_key, ...).
    static QStringList requiredCredentials(const std::string &provider);

    /// Shows `channel` without signalling an edit.
    void setChannel(const v1::Channel &channel);
    /// The form as a Channel (fields that do not parse keep their loaded value).
    v1::Channel channel() const;
    bool hasChannel() const { return m_loaded; }
    void clearChannel();

    /// Read-only with `note` saying why (empty: editable).
    void setReadOnly(bool readOnly, const QString &note);
    bool isReadOnly() const { return m_readOnly; }

    /// What is wrong, one sentence per field; empty when the form is valid.
    QStringList problems() const;
    /// The problem of the field `key` ("fee", "min_amount", ...), empty when none.
    QString problem(const QString &key) const;
    /// The field `key` ("id", "display_name", "fee", "min_amount", "max_amount",
    /// "currencies", "success_floor", "tolerance", "endpoint", "merchant_id", "app_id",
    /// "merchant_serial", "platform_serial", "credential.<name>"); null when there is none.
    QLineEdit *input(const QString &key) const;
    QComboBox *providerBox() const { return m_provider; }
    QCheckBox *enabledBox() const { return m_enabled; }
    QSpinBox *prioritySpin() const { return m_priority; }
    /// The status shown beside credential `name` ("set" / "missing"), its tooltip the detail.
    QLabel *credentialStatus(const QString &name) const;
    QString noteText() const;

Q_SIGNALS:
    void edited();

private:
    void buildCredentials();
    void showProviderRows();
    void check();
    void onEdited();
    QLineEdit *addLine(const QString &key, const QString &label, const QString &placeholder = {});

    bool m_loaded = false;
    bool m_loading = false;
    bool m_readOnly = false;
    v1::Channel m_channel;
    QMap<QString, QString> m_problems;
    QMap<QString, QLineEdit *> m_inputs;
    QMap<QString, QLabel *> m_problemLabels;
    QMap<QString, QLabel *> m_credentialStatus;

    QLabel *m_note;
    QFormLayout *m_form;
    QComboBox *m_provider;
    QCheckBox *m_enabled;
    QSpinBox *m_priority;
    QSpinBox *m_minAttempts;
    QSpinBox *m_confirmations;
    QSpinBox *m_expiry;
    QWidget *m_credentialBox;
    QGridLayout *m_credentialGrid;
};

} // namespace flywheel::ui
