#include "payments/ChannelEditor.h"

#include "common/Decimal.h"
#include "payments/PaymentText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSpinBox>
#include <QUrl>
#include <QVBoxLayout>

namespace flywheel::ui {

namespace {

constexpr const char *kProviders[] = {"wechatpay", "alipay", "btcpay"};

QSpinBox *spin(QWidget *parent, int low, int high)
{
    auto *box = new QSpinBox(parent);
    box->setRange(low, high);
    box->setGroupSeparatorShown(true);
    return box;
}

} // namespace

QStringList ChannelEditor::requiredCredentials(const std::string &provider)
{
    if (provider == "wechatpay")
        return {QStringLiteral("merchant_private_key"), QStringLiteral("platform_public_key"),
                QStringLiteral("apiv3_key")};
    if (provider == "alipay")
        return {QStringLiteral("app_private_key"), QStringLiteral("alipay_public_key")};
    if (provider == "btcpay")
        return {QStringLiteral("api_key"), QStringLiteral("webhook_secret")};
    return {};
}

ChannelEditor::ChannelEditor(QWidget *parent)
    : QWidget(parent), m_note(new QLabel(this)), m_form(new QFormLayout()), m_provider(new QComboBox(this)),
      m_enabled(new QCheckBox(tr("Enabled: orders may be routed here"), this)), m_priority(spin(this, 0, 1000)),
      m_minAttempts(spin(this, 0, 1'000'000)), m_confirmations(spin(this, 0, 100)), m_expiry(spin(this, 0, 1440)),
      m_credentialBox(new QWidget(this)), m_credentialGrid(new QGridLayout(m_credentialBox))
{
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("color: #9a6700;"));
    // In a narrow pane a long label goes above its field rather than pushing the
    // field out of sight.
    m_form->setRowWrapPolicy(QFormLayout::WrapLongRows);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_note->hide();
    for (const char *provider : kProviders)
        m_provider->addItem(PaymentText::providerName(provider), QString::fromLatin1(provider));
    m_priority->setToolTip(tr("Lower goes first (0-1000)."));
    m_minAttempts->setToolTip(tr("The success floor applies once the window holds at least this many outcomes."));
    m_expiry->setSuffix(tr(" min"));

    addLine(QStringLiteral("id"), tr("Id"), tr("e.g. wechat_main"));
    m_form->addRow(tr("Provider"), m_provider);
    addLine(QStringLiteral("display_name"), tr("Name"), tr("shown to operators"));
    m_form->addRow(QString(), m_enabled);
    m_form->addRow(tr("Priority"), m_priority);
    addLine(QStringLiteral("fee"), tr("Fee, %"), tr("e.g. 0.6"));
    addLine(QStringLiteral("min_amount"), tr("Minimum amount"), tr("e.g. 1.00"));
    addLine(QStringLiteral("max_amount"), tr("Maximum amount"), tr("0 or empty: no maximum"));
    addLine(QStringLiteral("currencies"), tr("Currencies"), tr("ISO codes, e.g. CNY, USD"));
    addLine(QStringLiteral("success_floor"), tr("Success floor, %"), tr("0: off"));
    m_form->addRow(tr("Minimum outcomes"), m_minAttempts);
    addLine(QStringLiteral("endpoint"), tr("Endpoint"), tr("https://…"));
    addLine(QStringLiteral("merchant_id"), tr("Merchant id"));
    addLine(QStringLiteral("app_id"), tr("App id"));
    addLine(QStringLiteral("merchant_serial"), tr("Merchant certificate serial"));
    addLine(QStringLiteral("platform_serial"), tr("Platform key id"));
    m_form->addRow(tr("Confirmations"), m_confirmations);
    m_form->addRow(tr("Invoice expiry"), m_expiry);
    addLine(QStringLiteral("tolerance"), tr("Tolerated underpayment, %"), tr("e.g. 0.5"));
    auto *credentialTitle = new QLabel(tr("Credentials (files on the daemon's machine; their content never leaves it)"),
                                       this);
    credentialTitle->setWordWrap(true);
    m_form->addRow(credentialTitle);
    m_form->addRow(m_credentialBox);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_note);
    layout->addLayout(m_form);
    layout->addStretch(1);

    connect(m_provider, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        buildCredentials();
        showProviderRows();
        onEdited();
    });
    connect(m_enabled, &QCheckBox::toggled, this, &ChannelEditor::onEdited);
    for (QSpinBox *box : {m_priority, m_minAttempts, m_confirmations, m_expiry})
        connect(box, &QSpinBox::valueChanged, this, &ChannelEditor::onEdited);
    setEnabled(false);
}

QLineEdit *ChannelEditor::addLine(const QString &key, const QString &label, const QString &placeholder)
{
    auto *box = new QWidget(this);
    auto *column = new QVBoxLayout(box);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    auto *input = new QLineEdit(box);
    input->setPlaceholderText(placeholder);
    auto *problem = new QLabel(box);
    problem->setWordWrap(true);
    problem->setStyleSheet(QStringLiteral("color: #cf222e;"));
    problem->hide();
    column->addWidget(input);
    column->addWidget(problem);
    m_form->addRow(label, box);
    m_inputs.insert(key, input);
    m_problemLabels.insert(key, problem);
    connect(input, &QLineEdit::textEdited, this, &ChannelEditor::onEdited);
    return input;
}

void ChannelEditor::buildCredentials()
{
    // The rows of the provider chosen: the loaded path and status where the name matches.
    while (QLayoutItem *item = m_credentialGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    for (auto it = m_inputs.begin(); it != m_inputs.end();) {
        if (it.key().startsWith(u"credential."))
            it = m_inputs.erase(it);
        else
            ++it;
    }
    m_credentialStatus.clear();
    const std::string provider = m_provider->currentData().toString().toStdString();
    int row = 0;
    for (const QString &name : requiredCredentials(provider)) {
        const v1::Credential *loaded = nullptr;
        for (const v1::Credential &credential : m_channel.credentials()) {
            if (QString::fromStdString(credential.name()) == name)
                loaded = &credential;
        }
        auto *label = new QLabel(PaymentText::credentialName(name.toStdString()), m_credentialBox);
        auto *path = new QLineEdit(m_credentialBox);
        path->setText(loaded ? QString::fromStdString(loaded->path()) : QString());
        path->setPlaceholderText(loaded && loaded->status() == "set"
                                     ? tr("path hidden; empty keeps the saved path")
                                     : tr("/etc/flywheel/… (a file path, never the key itself)"));
        path->setReadOnly(m_readOnly);
        auto *status = new QLabel(m_credentialBox);
        const std::string state = loaded ? loaded->status() : std::string("missing");
        status->setText(PaymentText::credentialStatus(state));
        status->setStyleSheet(state == "set" ? QStringLiteral("color: #1a7f37; font-weight: bold;")
                                             : QStringLiteral("color: #cf222e; font-weight: bold;"));
        status->setToolTip(loaded && !loaded->detail().empty()
                               ? QString::fromStdString(loaded->detail())
                               : (loaded ? QString() : tr("Not saved yet: type the path of the file and save.")));
        m_credentialGrid->addWidget(label, row, 0);
        m_credentialGrid->addWidget(path, row, 1);
        m_credentialGrid->addWidget(status, row, 2);
        m_inputs.insert(QStringLiteral("credential.") + name, path);
        m_credentialStatus.insert(name, status);
        connect(path, &QLineEdit::textEdited, this, &ChannelEditor::onEdited);
        ++row;
    }
    m_credentialGrid->setColumnStretch(1, 1);
}

void ChannelEditor::showProviderRows()
{
    // Only the settings the provider uses (the others keep their values, unseen).
    const QString provider = m_provider->currentData().toString();
    const bool wechat = provider == u"wechatpay";
    const bool crypto = provider == u"btcpay";
    const auto show = [this](QWidget *field, bool visible) { m_form->setRowVisible(field, visible); };
    show(m_inputs.value(QStringLiteral("app_id"))->parentWidget(), !crypto);
    show(m_inputs.value(QStringLiteral("merchant_serial"))->parentWidget(), wechat);
    show(m_inputs.value(QStringLiteral("platform_serial"))->parentWidget(), wechat);
    show(m_confirmations, crypto);
    show(m_expiry, crypto);
    show(m_inputs.value(QStringLiteral("tolerance"))->parentWidget(), crypto);
}

void ChannelEditor::setChannel(const v1::Channel &channel)
{
    m_loading = true;
    m_loaded = true;
    m_channel = channel;
    m_inputs.value(QStringLiteral("id"))->setText(QString::fromStdString(channel.id()));
    const int provider = m_provider->findData(QString::fromStdString(channel.provider()));
    if (provider < 0)
        m_provider->addItem(QString::fromStdString(channel.provider()), QString::fromStdString(channel.provider()));
    m_provider->setCurrentIndex(provider >= 0 ? provider : m_provider->count() - 1);
    m_inputs.value(QStringLiteral("display_name"))->setText(QString::fromStdString(channel.display_name()));
    m_enabled->setChecked(channel.enabled());
    m_priority->setValue(channel.priority());
    m_inputs.value(QStringLiteral("fee"))->setText(plainDecimal(channel.fee_bp()));
    m_inputs.value(QStringLiteral("min_amount"))->setText(plainDecimal(channel.min_amount_minor(), ZeroCents::Keep));
    m_inputs.value(QStringLiteral("max_amount"))
        ->setText(channel.max_amount_minor() == 0 ? QString() : plainDecimal(channel.max_amount_minor(), ZeroCents::Keep));
    QStringList currencies;
    for (const std::string &currency : channel.currencies())
        currencies.append(QString::fromStdString(currency));
    m_inputs.value(QStringLiteral("currencies"))->setText(currencies.join(QStringLiteral(", ")));
    m_inputs.value(QStringLiteral("success_floor"))->setText(plainDecimal(channel.success_floor_bp()));
    m_minAttempts->setValue(channel.min_attempts());
    m_inputs.value(QStringLiteral("endpoint"))->setText(QString::fromStdString(channel.endpoint()));
    m_inputs.value(QStringLiteral("merchant_id"))->setText(QString::fromStdString(channel.merchant_id()));
    m_inputs.value(QStringLiteral("app_id"))->setText(QString::fromStdString(channel.app_id()));
    m_inputs.value(QStringLiteral("merchant_serial"))->setText(QString::fromStdString(channel.merchant_serial()));
    m_inputs.value(QStringLiteral("platform_serial"))->setText(QString::fromStdString(channel.platform_serial()));
    m_confirmations->setValue(channel.confirmations());
    m_expiry->setValue(channel.invoice_expiry_minutes());
    m_inputs.value(QStringLiteral("tolerance"))->setText(plainDecimal(channel.payment_tolerance_bp()));
    buildCredentials();
    showProviderRows();
    setReadOnly(m_readOnly, m_note->text());
    m_loading = false;
    check();
}

void ChannelEditor::clearChannel()
{
    m_loaded = false;
    m_channel.Clear();
    setEnabled(false);
}

v1::Channel ChannelEditor::channel() const
{
    v1::Channel c = m_channel;
    const auto text = [this](const char *key) { return m_inputs.value(QString::fromLatin1(key))->text().trimmed(); };
    const auto hundredths = [&text](const char *key, qint64 fallback) {
        qint64 value = 0;
        if (text(key).isEmpty())
            return qint64(0);
        return parseDecimal(text(key), &value) ? value : fallback;
    };
    c.set_id(text("id").toStdString());
    c.set_provider(m_provider->currentData().toString().toStdString());
    c.set_display_name(text("display_name").toStdString());
    c.set_enabled(m_enabled->isChecked());
    c.set_priority(m_priority->value());
    c.set_fee_bp(int(hundredths("fee", m_channel.fee_bp())));
    c.set_min_amount_minor(hundredths("min_amount", m_channel.min_amount_minor()));
    c.set_max_amount_minor(hundredths("max_amount", m_channel.max_amount_minor()));
    c.clear_currencies();
    for (const QString &currency : text("currencies").split(u',', Qt::SkipEmptyParts)) {
        if (!currency.trimmed().isEmpty())
            c.add_currencies(currency.trimmed().toUpper().toStdString());
    }
    c.set_success_floor_bp(int(hundredths("success_floor", m_channel.success_floor_bp())));
    c.set_min_attempts(m_minAttempts->value());
    c.set_endpoint(text("endpoint").toStdString());
    c.set_merchant_id(text("merchant_id").toStdString());
    c.set_app_id(text("app_id").toStdString());
    c.set_merchant_serial(text("merchant_serial").toStdString());
    c.set_platform_serial(text("platform_serial").toStdString());
    c.set_confirmations(m_confirmations->value());
    c.set_invoice_expiry_minutes(m_expiry->value());
    c.set_payment_tolerance_bp(int(hundredths("tolerance", m_channel.payment_tolerance_bp())));
    // The provider's credentials, by name: the path typed (empty keeps the saved one).
    c.clear_credentials();
    for (const QString &name : requiredCredentials(c.provider())) {
        v1::Credential *credential = c.add_credentials();
        credential->set_name(name.toStdString());
        for (const v1::Credential &loaded : m_channel.credentials()) {
            if (QString::fromStdString(loaded.name()) == name) {
                credential->set_status(loaded.status());
                credential->set_detail(loaded.detail());
            }
        }
        if (QLineEdit *path = m_inputs.value(QStringLiteral("credential.") + name))
            credential->set_path(path->text().trimmed().toStdString());
    }
    return c;
}

void ChannelEditor::setReadOnly(bool readOnly, const QString &note)
{
    m_readOnly = readOnly;
    m_note->setText(note);
    m_note->setVisible(!note.isEmpty());
    setEnabled(m_loaded);
    for (QLineEdit *input : std::as_const(m_inputs))
        input->setReadOnly(readOnly);
    for (QWidget *control : std::initializer_list<QWidget *>{m_provider, m_enabled, m_priority, m_minAttempts,
                                                              m_confirmations, m_expiry})
        control->setEnabled(!readOnly);
}

QString ChannelEditor::noteText() const
{
    return m_note->isHidden() ? QString() : m_note->text();
}

void ChannelEditor::onEdited()
{
    if (m_loading)
        return;
    check();
    Q_EMIT edited();
}

void ChannelEditor::check()
{
    m_problems.clear();
    const auto text = [this](const char *key) { return m_inputs.value(QString::fromLatin1(key))->text().trimmed(); };
    static const QRegularExpression idPattern(QStringLiteral("^[a-z0-9_-]{1,40}$"));
    if (!idPattern.match(text("id")).hasMatch())
        m_problems.insert(QStringLiteral("id"),
                          tr("The id must be 1-40 characters: lower-case letters, digits, “_” or “-”."));
    const auto percent = [&](const char *key, const QString &what) {
        qint64 value = 0;
        if (text(key).isEmpty())
            return;
        if (!parseDecimal(text(key), &value) || value > 10000)
            m_problems.insert(QString::fromLatin1(key),
                              tr("%1 must be a percentage from 0 to 100 with at most two decimals, such as 0.6.")
                                  .arg(what));
    };
    percent("fee", tr("The fee"));
    percent("success_floor", tr("The success floor"));
    percent("tolerance", tr("The tolerated underpayment"));
    qint64 min = 0;
    qint64 max = 0;
    const bool minOk = text("min_amount").isEmpty() || parseDecimal(text("min_amount"), &min);
    const bool maxOk = text("max_amount").isEmpty() || parseDecimal(text("max_amount"), &max);
    if (!minOk)
        m_problems.insert(QStringLiteral("min_amount"), tr("The minimum must be an amount such as 1.00."));
    if (!maxOk)
        m_problems.insert(QStringLiteral("max_amount"), tr("The maximum must be an amount such as 5000.00, or empty."));
    if (minOk && maxOk && max != 0 && min > max)
        m_problems.insert(QStringLiteral("max_amount"), tr("The maximum must not be below the minimum."));
    static const QRegularExpression currencyPattern(QStringLiteral("^[A-Z]{3}$"));
    const QStringList currencies = text("currencies").split(u',', Qt::SkipEmptyParts);
    bool currenciesOk = false;
    for (const QString &currency : currencies) {
        currenciesOk = currencyPattern.match(currency.trimmed().toUpper()).hasMatch();
        if (!currenciesOk)
            break;
    }
    if (!currenciesOk)
        m_problems.insert(QStringLiteral("currencies"),
                          tr("Give at least one currency as a three-letter code, several separated by commas."));
    // "sandbox": the provider's local sandbox, which a demo backend runs.
    const QUrl endpoint(text("endpoint"));
    if (text("endpoint") != u"sandbox" &&
        (!endpoint.isValid() || (endpoint.scheme() != u"https" && endpoint.scheme() != u"http") ||
         endpoint.host().isEmpty()))
        m_problems.insert(QStringLiteral("endpoint"),
                          tr("The endpoint must be an http(s) address, or sandbox for the demo's local sandbox."));
    for (auto it = m_problemLabels.cbegin(); it != m_problemLabels.cend(); ++it) {
        const QString problem = m_problems.value(it.key());
        it.value()->setText(problem);
        it.value()->setVisible(!problem.isEmpty());
    }
}

QStringList ChannelEditor::problems() const
{
    return m_problems.values();
}

QString ChannelEditor::problem(const QString &key) const
{
    return m_problems.value(key);
}

QLineEdit *ChannelEditor::input(const QString &key) const
{
    return m_inputs.value(key);
}

QLabel *ChannelEditor::credentialStatus(const QString &name) const
{
    return m_credentialStatus.value(name);
}

} // namespace flywheel::ui
