#include "domain/payments/Payment.h"
#include "domain/payments/Router.h"
#include "payments/ChannelConfigYaml.h"

#include <QTest>

using namespace flywheel;
using namespace flywheel::payments;

namespace {

const TimePoint T0 = fromEpochMs(1767225600000); // 2026-01-01 00:00 UTC

ChannelSettings channel(const std::string &id, const std::string &provider, int priority, int feeBp)
{
    ChannelSettings c;
    c.id = id;
    c.provider = provider;
    c.displayName = id;
    c.priority = priority;
    c.feeBp = feeBp;
    c.currencies = {"CNY"};
    c.endpoint = "https://pay.example.com";
    for (const std::string &name : requiredCredentials(provider))
        c.credentials.push_back(CredentialRef{name, "/etc/flywheel/" + id + "/" + name});
    return c;
}

/// wechat (priority 1, 0.60%), alipay (priority 2, 0.55%, at most 5000.00), btc (USD and BTC only).
ChannelConfig sampleConfig()
{
    ChannelConfig config;
    config.channels.push_back(channel("wechat", "wechatpay", 1, 60));
    ChannelSettings alipay = channel("alipay", "alipay", 2, 55);
    alipay.maxAmountMinor = 500000;
    config.channels.push_back(alipay);
    ChannelSettings btc = channel("btc", "btcpay", 3, 100);
    btc.currencies = {"USD", "BTC"};
    config.channels.push_back(btc);
    return config;
}

/// The validation message of `config`; empty when valid.
std::string problem(const ChannelConfig &config)
{
    const auto error = validateChannelConfig(config);
    if (error)
        Q_ASSERT(error->code == ErrorCode::InvalidArgument);
    return error ? error->message : std::string();
}

void record(SuccessWindow &window, const std::string &id, int succeeded, int failed, TimePoint at)
{
    for (int i = 0; i < succeeded; ++i)
        window.record(id, true, at);
    for (int i = 0; i < failed; ++i)
        window.record(id, false, at);
}

} // namespace

class TestPaymentRouting : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void namesAndTransitions()
    {
        QCOMPARE(paymentStateName(PaymentState::Expired), std::string_view("expired"));
        QCOMPARE(refundStateName(RefundState::Succeeded), std::string_view("succeeded"));
        QCOMPARE(refusalReasonName(RefusalReason::UnknownSerial), std::string_view("unknown_serial"));
        QVERIFY(paymentTransitionAllowed(PaymentState::Created, PaymentState::Pending));
        QVERIFY(paymentTransitionAllowed(PaymentState::Created, PaymentState::Failed));
        QVERIFY(paymentTransitionAllowed(PaymentState::Pending, PaymentState::Succeeded));
        QVERIFY(paymentTransitionAllowed(PaymentState::Pending, PaymentState::Expired));
        QVERIFY(!paymentTransitionAllowed(PaymentState::Pending, PaymentState::Created));
        QVERIFY(!paymentTransitionAllowed(PaymentState::Succeeded, PaymentState::Failed));
        QVERIFY(!paymentTransitionAllowed(PaymentState::Expired, PaymentState::Succeeded));
        QVERIFY(isFinal(PaymentState::Failed));
        QVERIFY(!isFinal(PaymentState::Pending));
    }

    void explainsTheChoiceAndThePassedOver()
    {
        SuccessWindow window;
        const RouteDecision d = route(sampleConfig(), 600000, "CNY", window, T0);
        QCOMPARE(d.order, (std::vector<std::string>{"wechat"}));
        QCOMPARE(d.explanation, std::string("wechat: first of 1 eligible (priority 1, fee 0.60%); alipay passed over: "
                                            "above its maximum 5000.00; btc passed over: does not take CNY"));
        QCOMPARE(d.candidates.size(), std::size_t(3));
        QVERIFY(d.candidates[0].eligible);
        QCOMPARE(d.candidates[0].feeMinor, std::int64_t{3600});
        QCOMPARE(d.candidates[0].successRateBp, -1);
        QVERIFY(!d.candidates[1].eligible);
        QCOMPARE(d.candidates[1].reason, std::string("above its maximum 5000.00"));

        const RouteDecision both = route(sampleConfig(), 128000, "CNY", window, T0);
        QCOMPARE(both.order, (std::vector<std::string>{"wechat", "alipay"}));
        QCOMPARE(both.explanation, std::string("wechat: first of 2 eligible (priority 1, fee 0.60%); alipay next "
                                               "(priority 2, fee 0.55%); btc passed over: does not take CNY"));
        QCOMPARE(both.candidates[0].reason, std::string("priority 1, fee 0.60%"));

        const RouteDecision none = route(sampleConfig(), 100, "EUR", window, T0);
        QVERIFY(none.order.empty());
        QCOMPARE(none.explanation.substr(0, 30), std::string("no channel takes 1.00 EUR; wec"));
    }

    void eligibilityByEachRule()
    {
        SuccessWindow window;
        ChannelConfig config = sampleConfig();
        config.channels[0].enabled = false;
        config.channels[1].minAmountMinor = 1000;
        RouteDecision d = route(config, 999, "CNY", window, T0);
        QVERIFY(d.order.empty());
        QCOMPARE(d.candidates[0].reason, std::string("disabled"));
        QCOMPARE(d.candidates[1].reason, std::string("below its minimum 10.00"));
        QCOMPARE(d.candidates[2].reason, std::string("does not take CNY"));
        // At the limits: min and max are inclusive.
        QCOMPARE(route(config, 1000, "CNY", window, T0).order, (std::vector<std::string>{"alipay"}));
        QCOMPARE(route(config, 500000, "CNY", window, T0).order, (std::vector<std::string>{"alipay"}));
        QVERIFY(route(config, 500001, "CNY", window, T0).order.empty());
        // Amounts in the currency's own digits: BTC has 8.
        config.channels[2].minAmountMinor = 10000;
        d = route(config, 9999, "BTC", window, T0);
        QCOMPARE(d.candidates[2].reason, std::string("below its minimum 0.00010000"));
        QCOMPARE(route(config, 10000, "BTC", window, T0).order, (std::vector<std::string>{"btc"}));
        // Unusable: the manager's reason.
        d = route(sampleConfig(), 128000, "CNY", window, T0,
                  {{"wechat", "credential apiv3_key missing: no such file /etc/wx/apiv3"}});
        QCOMPARE(d.order, (std::vector<std::string>{"alipay"}));
        QCOMPARE(d.candidates[1].channelId, std::string("wechat")); // the passed over after the eligible
        QVERIFY(!d.candidates[1].eligible);
        QCOMPARE(d.candidates[1].reason, std::string("credential apiv3_key missing: no such file /etc/wx/apiv3"));
    }

    void priorityThenFeeThenId()
    {
        SuccessWindow window;
        ChannelConfig config = sampleConfig();
        config.channels[1].priority = 1; // alipay: same priority, lower fee
        RouteDecision d = route(config, 128000, "CNY", window, T0);
        QCOMPARE(d.order, (std::vector<std::string>{"alipay", "wechat"}));
        QCOMPARE(d.explanation, std::string("alipay: first of 2 eligible (priority 1, fee 0.55%); wechat next "
                                            "(priority 1, fee 0.60%, a higher fee); btc passed over: does not take CNY"));
        QCOMPARE(d.candidates[0].feeMinor, std::int64_t{704}); // 1280.00 * 0.55% = 7.04
        config.channels[1].feeBp = 60; // the same fee: by id
        d = route(config, 128000, "CNY", window, T0);
        QCOMPARE(d.order, (std::vector<std::string>{"alipay", "wechat"}));
        config.channels[0].priority = 0;
        QCOMPARE(route(config, 128000, "CNY", window, T0).order, (std::vector<std::string>{"wechat", "alipay"}));
    }

    void demotedBelowTheFloorUntilTheWindowMovesOn()
    {
        ChannelConfig config = sampleConfig();
        config.successWindowMinutes = 15;
        config.channels[0].successFloorBp = 8000;
        config.channels[0].minAttempts = 20;
        SuccessWindow window;

        // 12 of 29 below 80%, but only with min_attempts outcomes.
        record(window, "wechat", 10, 9, T0);
        RouteDecision d = route(config, 128000, "CNY", window, T0 + Milliseconds(1000));
        QCOMPARE(d.order.front(), std::string("wechat"));
        QCOMPARE(d.candidates[0].successRateBp, -1);
        record(window, "wechat", 2, 8, T0 + Milliseconds(60000));
        d = route(config, 128000, "CNY", window, T0 + Milliseconds(61000));
        QCOMPARE(d.order, (std::vector<std::string>{"alipay", "wechat"}));
        const RouteCandidate &wechat = d.candidates[1];
        QVERIFY(wechat.demoted);
        QCOMPARE(wechat.successRateBp, 4137);
        QCOMPARE(wechat.reason, std::string("success rate 41.37% below its floor 80% (12 of 29 recent payments)"));
        QCOMPARE(d.explanation, std::string("alipay: first of 2 eligible (priority 2, fee 0.55%); wechat tried after "
                                            "the others: success rate 41.37% below its floor 80% (12 of 29 recent "
                                            "payments); btc passed over: does not take CNY"));

        // Alone, a demoted channel is still the choice, and says so.
        d = route(config, 600000, "CNY", window, T0 + Milliseconds(61000));
        QCOMPARE(d.order, (std::vector<std::string>{"wechat"}));
        QVERIFY(d.explanation.find("wechat: first of 1 eligible (priority 1, fee 0.60%), though its success rate") == 0);

        // Fourteen minutes later the first minute's outcomes leave the window: 2 of 10
        // is still below the floor, but 10 outcomes are fewer than min_attempts.
        d = route(config, 128000, "CNY", window, T0 + Milliseconds(15 * 60000));
        QCOMPARE(d.candidates[0].channelId, std::string("wechat"));
        QCOMPARE(d.candidates[0].successRateBp, -1);
        QVERIFY(!d.candidates[0].demoted);
        // Successes bring it back above the floor.
        record(window, "wechat", 40, 0, T0 + Milliseconds(15 * 60000));
        d = route(config, 128000, "CNY", window, T0 + Milliseconds(15 * 60000));
        QCOMPARE(d.order.front(), std::string("wechat"));
        QCOMPARE(d.candidates[0].successRateBp, 8400); // 42 of 50
        // A floor of 0 never demotes.
        config.channels[0].successFloorBp = 0;
        SuccessWindow bad;
        record(bad, "wechat", 0, 50, T0);
        QCOMPARE(route(config, 128000, "CNY", bad, T0).order.front(), std::string("wechat"));
    }

    void successWindowCountsWholeMinutes()
    {
        SuccessWindow window;
        record(window, "a", 1, 0, T0);                            // minute 0
        record(window, "a", 0, 1, T0 + Milliseconds(59999));      // minute 0
        record(window, "a", 1, 0, T0 + Milliseconds(5 * 60000));  // minute 5
        record(window, "b", 1, 0, T0);
        const Milliseconds fiveMinutes(5 * 60000);
        SuccessWindow::Rate r = window.rate("a", T0 + Milliseconds(5 * 60000), fiveMinutes);
        QCOMPARE(r.attempts, std::int64_t{1}); // (now - 5 min, now]: minute 0 is out
        r = window.rate("a", T0 + Milliseconds(5 * 60000 - 1), fiveMinutes);
        QCOMPARE(r.attempts, std::int64_t{2}); // minute 0 in, minute 5 not yet
        QCOMPARE(r.succeeded, std::int64_t{1});
        QCOMPARE(window.rate("c", T0, fiveMinutes).attempts, std::int64_t{0});
        // Buckets older than a day are dropped when something newer is recorded.
        record(window, "a", 1, 0, T0 + Milliseconds(2LL * 24 * 3600000));
        QCOMPARE(window.rate("a", T0 + Milliseconds(2LL * 24 * 3600000), Milliseconds(3LL * 24 * 3600000)).attempts,
                 std::int64_t{1});
    }

    void validationNamesTheField_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        const char *rows[][2] = {
            {"id", "channel 1: id must be 1-40 characters of a-z, 0-9, _ and -, got \"WeChat\""},
            {"duplicate", "channel \"wechat\": id is used by an earlier channel"},
            {"provider", "channel \"wechat\": provider must be one of wechatpay, alipay, btcpay, got \"paypal\""},
            {"priority", "channel \"wechat\": priority must be 0-1000, got 1001"},
            {"fee_bp", "channel \"wechat\": fee_bp must be 0-10000, got 12000"},
            {"min_amount_minor", "channel \"wechat\": min_amount_minor must not be negative, got -1"},
            {"max_amount_minor", "channel \"wechat\": max_amount_minor must not be negative (0: no maximum), got -5"},
            {"min_max", "channel \"wechat\": min_amount_minor 500 is above max_amount_minor 100"},
            {"no_currency", "channel \"wechat\": currencies must name at least one currency"},
            {"currency", "channel \"wechat\": currencies must be three upper-case letters (ISO 4217), got \"cny\""},
            {"currency_twice", "channel \"wechat\": currencies names CNY twice"},
            {"success_floor_bp", "channel \"wechat\": success_floor_bp must be 0-10000, got 10001"},
            {"min_attempts", "channel \"wechat\": min_attempts must be 1-100000, got 0"},
            {"endpoint", "channel \"wechat\": endpoint must be an http:// or https:// URL, or sandbox (the demo's local sandbox), got \"ftp://x\""},
            {"confirmations", "channel \"wechat\": confirmations must be 0-100, got 101"},
            {"invoice_expiry_minutes", "channel \"wechat\": invoice_expiry_minutes must be 1-1440, got 0"},
            {"payment_tolerance_bp", "channel \"wechat\": payment_tolerance_bp must be 0-10000, got -1"},
            {"credential_missing", "channel \"wechat\": credential apiv3_key needs a file path"},
            {"credential_foreign",
             "channel \"wechat\": credential \"api_key\" is not one wechatpay uses (merchant_private_key, "
             "platform_public_key, apiv3_key)"},
            {"success_window_minutes", "success_window_minutes must be 1-1440, got 0"},
            {"query_after_seconds", "query_after_seconds must be 10-3600, got 5"},
        };
        int i = 0;
        for (const auto &row : rows)
            QTest::newRow(row[0]) << i++ << QString::fromUtf8(row[1]);
    }

    void validationNamesTheField()
    {
        QFETCH(int, which);
        QFETCH(QString, message);
        QCOMPARE(problem(sampleConfig()), std::string());
        ChannelConfig config = sampleConfig();
        ChannelSettings &c = config.channels[0];
        switch (which) {
        case 0: c.id = "WeChat"; break;
        case 1: config.channels[1].id = "wechat"; break;
        case 2: c.provider = "paypal"; break;
        case 3: c.priority = 1001; break;
        case 4: c.feeBp = 12000; break;
        case 5: c.minAmountMinor = -1; break;
        case 6: c.maxAmountMinor = -5; break;
        case 7: c.minAmountMinor = 500; c.maxAmountMinor = 100; break;
        case 8: c.currencies.clear(); break;
        case 9: c.currencies = {"cny"}; break;
        case 10: c.currencies = {"CNY", "CNY"}; break;
        case 11: c.successFloorBp = 10001; break;
        case 12: c.minAttempts = 0; break;
        case 13: c.endpoint = "ftp://x"; break;
        case 14: c.confirmations = 101; break;
        case 15: c.invoiceExpiryMinutes = 0; break;
        case 16: c.paymentToleranceBp = -1; break;
        case 17: c.credentials.pop_back(); break;
        case 18: c.credentials.push_back(CredentialRef{"api_key", "/k"}); break;
        case 19: config.successWindowMinutes = 0; break;
        case 20: config.queryAfterSeconds = 5; break;
        default: QFAIL("no such case");
        }
        QCOMPARE(QString::fromStdString(problem(config)), message);
    }

    void validationDetails()
    {
        ChannelConfig config = sampleConfig();
        config.channels[0].endpoint = "http://127.0.0.1:18080";
        config.channels[0].maxAmountMinor = 0; // no maximum
        config.channels[0].credentials[0].path = "";
        QCOMPARE(problem(config), std::string("channel \"wechat\": credential merchant_private_key needs a file path"));
        config.channels[0].credentials[0].path = "/k";
        QCOMPARE(problem(config), std::string());
        for (const char *bad : {"https://", "http:// x", "https:///path", "HTTPS://x", ""}) {
            config.channels[0].endpoint = bad;
            QVERIFY2(!problem(config).empty(), bad);
        }
        config.channels[0].endpoint = "https://x";
        config.channels[0].id = std::string(41, 'a');
        QVERIFY(problem(config).find("channel 1: id must be 1-40") == 0);
        config.channels[0].id = std::string(40, 'a');
        QCOMPARE(problem(config), std::string());
        QVERIFY(config.find("alipay") == &config.channels[1]);
        QVERIFY(config.find("nope") == nullptr);
        QCOMPARE(config.channels[1].credential("alipay_public_key"), std::string("/etc/flywheel/alipay/alipay_public_key"));
        QCOMPARE(config.channels[1].credential("api_key"), std::string());
        QVERIFY(requiredCredentials("paypal").empty());
    }

    void yamlRoundTrip()
    {
        ChannelConfig config = sampleConfig();
        config.successWindowMinutes = 30;
        config.queryAfterSeconds = 90;
        ChannelSettings &w = config.channels[0];
        w.displayName = "WeChat Pay";
        w.merchantId = "1900000109";
        w.appId = "wxd678efh567hg6787";
        w.merchantSerial = "5157F09EFDC096DE15EBE81A47057A72";
        w.platformSerial = "PUB_KEY_ID_0114232134912410000";
        w.successFloorBp = 8000;
        w.minAttempts = 25;
        w.minAmountMinor = 1;
        config.channels[2].confirmations = 2;
        config.channels[2].invoiceExpiryMinutes = 30;
        config.channels[2].paymentToleranceBp = 50;
        config.channels[2].enabled = false;
        const std::string yaml = channelConfigToYaml(config);
        auto parsed = channelConfigFromYaml(yaml, "channel config version 3");
        QVERIFY2(std::holds_alternative<ChannelConfig>(parsed),
                 std::holds_alternative<common::YamlError>(parsed)
                     ? std::get<common::YamlError>(parsed).describe().c_str()
                     : "");
        const ChannelConfig &back = std::get<ChannelConfig>(parsed);
        QCOMPARE(channelConfigToYaml(back), yaml);
        QCOMPARE(back.successWindowMinutes, 30);
        QCOMPARE(back.queryAfterSeconds, 90);
        QCOMPARE(back.channels.size(), std::size_t(3));
        QCOMPARE(back.channels[0].merchantId, std::string("1900000109"));
        QCOMPARE(back.channels[0].platformSerial, std::string("PUB_KEY_ID_0114232134912410000"));
        QCOMPARE(back.channels[0].minAttempts, 25);
        QCOMPARE(back.channels[0].credentials.size(), std::size_t(3));
        QCOMPARE(back.channels[0].credential("apiv3_key"), std::string("/etc/flywheel/wechat/apiv3_key"));
        QCOMPARE(back.channels[1].maxAmountMinor, std::int64_t{500000});
        QCOMPARE(back.channels[1].merchantId, std::string());
        QCOMPARE(back.channels[2].currencies, (std::vector<std::string>{"USD", "BTC"}));
        QCOMPARE(back.channels[2].paymentToleranceBp, 50);
        QVERIFY(!back.channels[2].enabled);

        // The codec: the same, and validate is validateChannelConfig.
        const versioning::Codec<ChannelConfig> codec = channelConfigCodec();
        QCOMPARE(codec.emit(config), yaml);
        const Result<ChannelConfig> viaCodec = codec.parse(yaml, "v3");
        QVERIFY(viaCodec.ok());
        QCOMPARE(codec.emit(viaCodec.value()), yaml);
        config.channels[0].feeBp = 12000;
        QCOMPARE(codec.validate(config)->message, std::string("channel \"wechat\": fee_bp must be 0-10000, got 12000"));

        // Optional fields take their defaults; an empty channel list is a config.
        const auto minimal = channelConfigFromYaml("success_window_minutes: 15\nquery_after_seconds: 60\nchannels:\n"
                                                   "  - id: a\n    provider: btcpay\n    enabled: true\n"
                                                   "    priority: 1\n    fee_bp: 0\n    currencies: [BTC]\n"
                                                   "    endpoint: http://127.0.0.1:1\n    credentials:\n"
                                                   "      webhook_secret: /s\n      api_key: /k\n",
                                                   "minimal");
        QVERIFY(std::holds_alternative<ChannelConfig>(minimal));
        const ChannelSettings &a = std::get<ChannelConfig>(minimal).channels.at(0);
        QCOMPARE(a.minAttempts, 20);
        QCOMPARE(a.confirmations, 1);
        QCOMPARE(a.invoiceExpiryMinutes, 15);
        QCOMPARE(a.credentials.at(0).name, std::string("webhook_secret")); // in the order written
        QVERIFY(std::holds_alternative<ChannelConfig>(
            channelConfigFromYaml("success_window_minutes: 15\nquery_after_seconds: 60\nchannels: []\n", "empty")));
    }

    void yamlErrorsNameLineAndKey_data()
    {
        QTest::addColumn<QString>("yaml");
        QTest::addColumn<QString>("error");
        const QString head = QStringLiteral("success_window_minutes: 15\nquery_after_seconds: 60\nchannels:\n");
        const QString channel = QStringLiteral("  - id: wx\n    provider: wechatpay\n    enabled: true\n    priority: 1\n"
                                               "    fee_bp: 60\n    currencies: [CNY]\n    endpoint: https://x\n"
                                               "    credentials:\n      merchant_private_key: /a\n"
                                               "      platform_public_key: /b\n      apiv3_key: /c\n");
        QTest::newRow("unknown top-level key") << QStringLiteral("success_window_minutes: 15\nquery_after_seconds: 60\n"
                                                                 "channels: []\nrouting: fast\n")
                                               << QStringLiteral("cfg:4:1: unknown key \"routing\" at the top level");
        QTest::newRow("unknown channel key")
            << head + channel + QStringLiteral("    colour: green\n")
            << QStringLiteral("cfg:15:5: unknown key \"colour\" in channels[0]");
        QTest::newRow("unknown credential")
            << head + channel + QStringLiteral("      password: /p\n")
            << QStringLiteral("cfg:15:7: unknown key \"password\" in channels[0].credentials");
        QTest::newRow("missing key") << head + QStringLiteral("  - id: wx\n    provider: wechatpay\n")
                                     << QStringLiteral("cfg:4:5: channels[0] has no \"enabled\"");
        QTest::newRow("fee not a number")
            << head + QString(channel).replace(QStringLiteral("fee_bp: 60"), QStringLiteral("fee_bp: cheap"))
            << QStringLiteral("cfg:8:13: channels[0].fee_bp must be a whole number");
        QTest::newRow("invalid channel points at it")
            << head + channel + QString(channel).replace(QStringLiteral("priority: 1"), QStringLiteral("priority: 5000"))
                                    .replace(QStringLiteral("id: wx"), QStringLiteral("id: wy"))
            << QStringLiteral("cfg:15:5: channel \"wy\": priority must be 0-1000, got 5000");
        QTest::newRow("duplicate id") << head + channel + channel
                                      << QStringLiteral("cfg:15:5: channel \"wx\": id is used by an earlier channel");
        QTest::newRow("window") << QStringLiteral("success_window_minutes: 0\nquery_after_seconds: 60\nchannels: []\n")
                                << QStringLiteral("cfg:1:25: success_window_minutes must be 1-1440, got 0");
        QTest::newRow("query after") << QStringLiteral("success_window_minutes: 5\nquery_after_seconds: 1\nchannels: []\n")
                                     << QStringLiteral("cfg:2:22: query_after_seconds must be 10-3600, got 1");
        QTest::newRow("not yaml") << QStringLiteral("channels: [\n") << QStringLiteral("cfg:");
    }

    void yamlErrorsNameLineAndKey()
    {
        QFETCH(QString, yaml);
        QFETCH(QString, error);
        const auto parsed = channelConfigFromYaml(yaml.toStdString(), "cfg");
        QVERIFY(std::holds_alternative<common::YamlError>(parsed));
        const QString described = QString::fromStdString(std::get<common::YamlError>(parsed).describe());
        QVERIFY2(described.startsWith(error), qPrintable(described));
        const Result<ChannelConfig> viaCodec = channelConfigCodec().parse(yaml.toStdString(), "cfg");
        QVERIFY(!viaCodec.ok());
        QCOMPARE(viaCodec.error().code, ErrorCode::InvalidArgument);
        QCOMPARE(QString::fromStdString(viaCodec.error().message), QStringLiteral("cannot read ") + described);
    }
};

QTEST_GUILESS_MAIN(TestPaymentRouting)
#include "tst_paymentrouting.moc"
