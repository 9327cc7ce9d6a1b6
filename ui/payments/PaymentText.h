#pragma once

#include "flywheel/v1/payments.pb.h"

#include <QCoreApplication>
#include <QString>

#include <string>

namespace flywheel::ui {

/// The Payment channels page's words: providers, credentials, states and reasons in the
/// operator's language, money and rates in the locale, and the routing sentence built
/// from a RouteDecision's candidates (never the backend's English explanation).
class PaymentText final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::PaymentText)

public:
    /// "WeChat Pay", "Alipay", "Crypto (BTCPay)"; another provider as given.
    static QString providerName(const std::string &provider);
    /// A channel's display name, else its id.
    static QString channelName(const v1::Channel &channel);
    /// "Merchant private key", ... ; another name as given.
    static QString credentialName(const std::string &name);
    /// "set" / "missing" in the operator's language.
    static QString credentialStatus(const std::string &status);
    static QString paymentState(v1::PaymentState state);
    static QString refundState(v1::RefundState state);
    /// "Bad signature", "Stale (outside the 5-minute window)", ... from the reason code.
    static QString refusalReason(const std::string &code);
    /// "0.60%" from 60 basis points, in the locale (as formatPercent writes rates).
    static QString basisPoints(int bp);
    /// "2024-05-01 14:05:30" local; "—" when unset.
    static QString time(const google::protobuf::Timestamp &at);

    /// Why a candidate is where it is, in the operator's language, with amounts from
    /// `config` (the draft previewed) in `currency`; an unknown reason as the backend gave it.
    static QString candidateReason(const v1::RouteCandidate &candidate, const v1::ChannelConfig &config,
                                   const QString &currency);
    /// "An order of ¥1,280.00 in CNY goes to WeChat Pay because it is the first eligible
    /// by priority; Alipay is passed over: above its maximum ¥1,000.00."
    static QString routeSentence(const v1::RouteDecision &decision, const v1::Money &amount,
                                 const v1::ChannelConfig &config);

    /// The channel of `config` with id `id`, null when there is none.
    static const v1::Channel *findChannel(const v1::ChannelConfig &config, const std::string &id);
};

} // namespace flywheel::ui
