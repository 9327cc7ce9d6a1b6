#include "payments/PaymentText.h"

#include "common/Decimal.h"
#include "common/Format.h"
#include "common/TimeText.h"

#include <QLocale>
#include <QStringList>

namespace flywheel::ui {

QString PaymentText::providerName(const std::string &provider)
{
    if (provider == "wechatpay")
        return tr("WeChat Pay");
    if (provider == "alipay")
        return tr("Alipay");
    if (provider == "btcpay")
        return tr("Crypto (BTCPay)");
    return QString::fromStdString(provider);
}

QString PaymentText::channelName(const v1::Channel &channel)
{
    return channel.display_name().empty() ? QString::fromStdString(channel.id())
                                          : QString::fromStdString(channel.display_name());
}

QString PaymentText::credentialName(const std::string &name)
{
    if (name == "merchant_private_key")
        return tr("Merchant private key");
    if (name == "platform_public_key")
        return tr("Platform public key");
    if (name == "apiv3_key")
        return tr("APIv3 key");
    if (name == "app_private_key")
        return tr("App private key");
    if (name == "alipay_public_key")
        return tr("Alipay public key");
    if (name == "api_key")
        return tr("API key");
    if (name == "webhook_secret")
        return tr("Webhook secret");
    return QString::fromStdString(name);
}

QString PaymentText::credentialStatus(const std::string &status)
{
    if (status == "set")
        return tr("set");
    if (status == "missing")
        return tr("missing");
    return status.empty() ? tr("unknown") : QString::fromStdString(status);
}

QString PaymentText::paymentState(v1::PaymentState state)
{
    switch (state) {
    case v1::PAYMENT_STATE_CREATED:
        return tr("created");
    case v1::PAYMENT_STATE_PENDING:
        return tr("pending");
    case v1::PAYMENT_STATE_SUCCEEDED:
        return tr("succeeded");
    case v1::PAYMENT_STATE_FAILED:
        return tr("failed");
    case v1::PAYMENT_STATE_EXPIRED:
        return tr("expired");
    default:
        return tr("unknown");
    }
}

QString PaymentText::refundState(v1::RefundState state)
{
    switch (state) {
    case v1::REFUND_STATE_PENDING:
        return tr("pending: waiting for the provider to confirm");
    case v1::REFUND_STATE_SUCCEEDED:
        return tr("refunded");
    case v1::REFUND_STATE_FAILED:
        return tr("failed");
    default:
        return tr("unknown");
    }
}

QString PaymentText::refusalReason(const std::string &code)
{
    if (code == "bad_signature")
        return tr("Bad signature");
    if (code == "stale")
        return tr("Stale (outside the 5-minute window)");
    if (code == "unknown_serial")
        return tr("Unknown key serial");
    if (code == "bad_ciphertext")
        return tr("Cannot be decrypted");
    if (code == "amount_mismatch")
        return tr("Amount does not match the order");
    if (code == "unknown_order")
        return tr("Unknown order");
    if (code == "malformed")
        return tr("Malformed");
    if (code == "wrong_merchant")
        return tr("For another merchant");
    return QString::fromStdString(code);
}

QString PaymentText::basisPoints(int bp)
{
    return localeDecimal(bp) + u'%';
}

QString PaymentText::time(const google::protobuf::Timestamp &at)
{
    return TimeText::timestamp(at);
}

const v1::Channel *PaymentText::findChannel(const v1::ChannelConfig &config, const std::string &id)
{
    for (const v1::Channel &channel : config.channels()) {
        if (channel.id() == id)
            return &channel;
    }
    return nullptr;
}

QString PaymentText::candidateReason(const v1::RouteCandidate &candidate, const v1::ChannelConfig &config,
                                     const QString &currency)
{
    const QString reason = QString::fromStdString(candidate.reason());
    const v1::Channel *channel = findChannel(config, candidate.channel_id());
    if (reason == u"disabled")
        return tr("it is disabled");
    if (reason.startsWith(u"does not take"))
        return tr("it does not take %1").arg(currency);
    if (reason.startsWith(u"below its minimum") && channel)
        return tr("below its minimum %1").arg(formatMoney(channel->min_amount_minor(), currency));
    if (reason.startsWith(u"above its maximum") && channel)
        return tr("above its maximum %1").arg(formatMoney(channel->max_amount_minor(), currency));
    if (reason.startsWith(u"success rate") && channel && candidate.success_rate_bp() >= 0)
        return tr("success rate %1 below its floor %2")
            .arg(basisPoints(candidate.success_rate_bp()), basisPoints(channel->success_floor_bp()));
    if (reason.startsWith(u"priority") && channel)
        return tr("priority %1").arg(channel->priority());
    return reason;
}

QString PaymentText::routeSentence(const v1::RouteDecision &decision, const v1::Money &amount,
                                   const v1::ChannelConfig &config)
{
    const QString currency = QString::fromStdString(amount.currency());
    const QString money = formatMoney(amount.minor_units(), currency);
    const auto nameOf = [&config](const std::string &id) {
        const v1::Channel *channel = findChannel(config, id);
        return channel ? channelName(*channel) : QString::fromStdString(id);
    };
    QStringList passed;
    QStringList fallbacks;
    QStringList behind;
    bool chosenDemoted = false;
    for (const v1::RouteCandidate &candidate : decision.candidates()) {
        if (candidate.channel_id() == decision.channel_id()) {
            chosenDemoted = QString::fromStdString(candidate.reason()).startsWith(u"success rate");
            continue;
        }
        const QString name = nameOf(candidate.channel_id());
        if (!candidate.eligible())
            passed.append(tr("%1 is passed over: %2").arg(name, candidateReason(candidate, config, currency)));
        else if (QString::fromStdString(candidate.reason()).startsWith(u"success rate"))
            behind.append(tr("%1 drops behind: %2").arg(name, candidateReason(candidate, config, currency)));
        else
            fallbacks.append(name);
    }
    QString sentence;
    if (decision.channel_id().empty()) {
        sentence = tr("An order of %1 in %2 has no channel: none is eligible").arg(money, currency);
    } else {
        const QString chosen = nameOf(decision.channel_id());
        sentence = chosenDemoted
                       ? tr("An order of %1 in %2 goes to %3 although it is below its success floor, because every "
                            "other channel is passed over")
                             .arg(money, currency, chosen)
                       : tr("An order of %1 in %2 goes to %3 because it is the first eligible by priority")
                             .arg(money, currency, chosen);
        if (!fallbacks.isEmpty())
            sentence += tr("; if it fails, %1").arg(QLocale().createSeparatedList(fallbacks));
    }
    for (const QString &part : std::as_const(behind))
        sentence += tr("; ") + part;
    for (const QString &part : std::as_const(passed))
        sentence += tr("; ") + part;
    return sentence + tr(".");
}

} // namespace flywheel::ui
