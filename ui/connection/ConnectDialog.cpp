#include "connection/ConnectDialog.h"

#include "connection/ConnectionProfileStore.h"
#include "connection/SecretStore.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>

namespace flywheel::ui {

ConnectDialog::ConnectDialog(ConnectionProfileStore *store, SecretStore *secrets, QWidget *parent)
    : QDialog(parent), m_store(store), m_secrets(secrets), m_list(new QListWidget(this)), m_name(new QLineEdit(this)),
      m_address(new QLineEdit(this)), m_tls(new QCheckBox(tr("Use TLS"), this)), m_caFile(new QLineEdit(this)),
      m_browse(new QPushButton(tr("Browse…"), this)), m_environment(new QComboBox(this)), m_swatch(new QLabel(this)),
      m_token(new QLineEdit(this)), m_status(new QLabel(this)), m_new(new QPushButton(tr("New profile"), this)),
      m_save(new QPushButton(tr("Save profile"), this)), m_delete(new QPushButton(tr("Delete profile"), this)),
      m_connect(new QPushButton(tr("Connect"), this))
{
    setWindowTitle(tr("Connect to a backend"));
    resize(760, 420);
    m_address->setPlaceholderText(tr("HOST:PORT, e.g. flywheel.example.com:50051"));
    m_caFile->setPlaceholderText(tr("empty: the system's trusted CAs"));
    for (Environment e : {Environment::Production, Environment::Staging, Environment::Local})
        m_environment->addItem(environmentName(e), static_cast<int>(e));
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setPlaceholderText(tr("leave empty to keep the token stored in the keychain"));
    m_swatch->setFixedSize(18, 18);
    m_status->setWordWrap(true);
    m_connect->setDefault(true);

    auto *caRow = new QHBoxLayout();
    caRow->addWidget(m_caFile, 1);
    caRow->addWidget(m_browse);
    auto *environmentRow = new QHBoxLayout();
    environmentRow->addWidget(m_environment, 1);
    environmentRow->addWidget(m_swatch);
    auto *form = new QFormLayout();
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Address"), m_address);
    form->addRow(QString(), m_tls);
    form->addRow(tr("CA file"), caRow);
    form->addRow(tr("Environment"), environmentRow);
    form->addRow(tr("Token"), m_token);
    auto *note = new QLabel(tr("Tokens are kept in the system keychain, never in the settings file. Production "
                               "profiles open read-only until you unlock editing."),
                            this);
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color: palette(mid);"));

    auto *listColumn = new QVBoxLayout();
    listColumn->addWidget(new QLabel(tr("Profiles"), this));
    listColumn->addWidget(m_list, 1);
    listColumn->addWidget(m_new);
    auto *formColumn = new QVBoxLayout();
    formColumn->addLayout(form);
    formColumn->addWidget(note);
    formColumn->addWidget(m_status);
    formColumn->addStretch(1);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_save, QDialogButtonBox::ActionRole);
    buttons->addButton(m_delete, QDialogButtonBox::DestructiveRole);
    buttons->addButton(m_connect, QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Close);
    formColumn->addWidget(buttons);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(listColumn, 1);
    layout->addLayout(formColumn, 2);

    connect(m_list, &QListWidget::currentTextChanged, this, [this](const QString &name) {
        if (!name.isEmpty())
            showProfile(m_store->find(name));
    });
    connect(m_new, &QPushButton::clicked, this, [this] {
        m_list->clearSelection();
        showProfile(std::nullopt);
        m_name->setFocus();
    });
    connect(m_tls, &QCheckBox::toggled, this, [this](bool on) {
        m_caFile->setEnabled(on);
        m_browse->setEnabled(on);
    });
    connect(m_browse, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getOpenFileName(this, tr("CA certificate (PEM)"), m_caFile->text(),
                                                          tr("PEM certificates (*.pem *.crt);;All files (*)"));
        if (!file.isEmpty())
            m_caFile->setText(file);
    });
    connect(m_environment, &QComboBox::currentIndexChanged, this, &ConnectDialog::updateSwatch);
    connect(m_save, &QPushButton::clicked, this, &ConnectDialog::saveProfile);
    connect(m_delete, &QPushButton::clicked, this, [this] {
        if (m_editing.isEmpty() || !m_store->remove(m_editing))
            return;
        const QString name = m_editing;
        m_secrets->remove(name, [dialog = QPointer<ConnectDialog>(this)](const SecretStore::Result &) {
            if (dialog)
                Q_EMIT dialog->secretStoreAnswered();
        });
        say(tr("Profile “%1” deleted, with its token.").arg(name), false);
        reload(QString());
    });
    connect(m_connect, &QPushButton::clicked, this, [this] {
        const QString token = m_token->text();
        if (!saveProfile())
            return;
        m_chosen = m_store->find(m_editing);
        m_typedToken = token;
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    reload(QString());
}

QString ConnectDialog::statusText() const
{
    return m_status->text();
}

void ConnectDialog::selectProfile(const QString &name)
{
    const auto items = m_list->findItems(name, Qt::MatchExactly);
    if (!items.isEmpty())
        m_list->setCurrentItem(items.constFirst());
}

ConnectionProfile ConnectDialog::formProfile() const
{
    ConnectionProfile p;
    p.name = m_name->text();
    p.address = m_address->text().trimmed();
    p.tls = m_tls->isChecked();
    p.caFile = p.tls ? m_caFile->text().trimmed() : QString();
    p.environment = static_cast<Environment>(m_environment->currentData().toInt());
    if (const auto old = m_store->find(m_editing); old && old->environment == p.environment)
        p.colour = old->colour; // a colour set by hand in the settings stays
    return p;
}

bool ConnectDialog::saveProfile()
{
    const ConnectionProfile profile = formProfile();
    if (const QString problem = m_store->save(profile, m_editing); !problem.isEmpty()) {
        say(problem, true);
        return false;
    }
    if (!m_editing.isEmpty() && m_editing != profile.name)
        m_secrets->remove(m_editing, [](const SecretStore::Result &) {});
    const QString token = m_token->text();
    m_editing = profile.name;
    reload(profile.name);
    if (token.isEmpty()) {
        say(tr("Profile “%1” saved.").arg(profile.name), false);
        return true;
    }
    m_token->clear();
    say(tr("Profile “%1” saved; storing the token in the system keychain…").arg(profile.name), false);
    m_secrets->write(profile.name, token,
                     [dialog = QPointer<ConnectDialog>(this), name = profile.name](const SecretStore::Result &r) {
                         if (!dialog)
                             return;
                         switch (r.outcome) {
                         case SecretStore::Outcome::Ok:
                         case SecretStore::Outcome::NotFound:
                             dialog->say(tr("Profile “%1” saved; its token is in the system keychain.").arg(name),
                                         false);
                             break;
                         case SecretStore::Outcome::Unavailable:
                             dialog->say(tr("There is no system keychain on this computer (%1), so the token was "
                                            "not stored: you will be asked for it each time you connect.")
                                             .arg(r.error),
                                         true);
                             break;
                         case SecretStore::Outcome::Failed:
                             dialog->say(tr("The system keychain did not store the token: %1. You will be asked "
                                            "for it when you connect.")
                                             .arg(r.error),
                                         true);
                             break;
                         }
                         Q_EMIT dialog->secretStoreAnswered();
                     });
    return true;
}

void ConnectDialog::reload(const QString &select)
{
    const QSignalBlocker blocker(m_list);
    m_list->clear();
    for (const ConnectionProfile &p : m_store->profiles()) {
        auto *item = new QListWidgetItem(p.name, m_list);
        item->setToolTip(tr("%1 — %2").arg(environmentName(p.environment), p.address));
        QPixmap dot(12, 12);
        dot.fill(p.shownColour());
        item->setIcon(QIcon(dot));
    }
    const QString name = select.isEmpty() && m_list->count() > 0 ? m_list->item(0)->text() : select;
    const auto items = m_list->findItems(name, Qt::MatchExactly);
    if (!items.isEmpty())
        m_list->setCurrentItem(items.constFirst());
    showProfile(m_store->find(name));
}

void ConnectDialog::showProfile(const std::optional<ConnectionProfile> &profile)
{
    const ConnectionProfile p = profile.value_or(ConnectionProfile{});
    m_editing = profile ? p.name : QString();
    m_name->setText(p.name);
    m_address->setText(p.address);
    m_tls->setChecked(p.tls);
    m_caFile->setText(p.caFile);
    m_caFile->setEnabled(p.tls);
    m_browse->setEnabled(p.tls);
    m_environment->setCurrentIndex(m_environment->findData(static_cast<int>(p.environment)));
    m_token->clear();
    m_delete->setEnabled(profile.has_value());
    updateSwatch();
}

void ConnectDialog::updateSwatch()
{
    const auto environment = static_cast<Environment>(m_environment->currentData().toInt());
    m_swatch->setStyleSheet(
        QStringLiteral("background: %1; border-radius: 3px;").arg(defaultColour(environment).name()));
}

void ConnectDialog::say(const QString &text, bool error)
{
    m_status->setText(text);
    m_status->setStyleSheet(error ? QStringLiteral("color: #cf222e;") : QStringLiteral("color: #1a7f37;"));
}

} // namespace flywheel::ui
