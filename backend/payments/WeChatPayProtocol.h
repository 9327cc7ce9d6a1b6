#pragma once

#include "domain/Clock.h"
#include "payments/Http.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace flywheel::payments::wechatpay {

/// The pieces of WeChat Pay API v3 shared by the adapter and its sandbox: the
/// signature strings, the Authorization header and RFC 3339 times. Research note
/// §1.2–1.3 (wechatpay-go core/consts/const.go).

inline constexpr std::string_view kSchema = "WECHATPAY2-SHA256-RSA2048";
inline constexpr std::string_view kAlgorithm = "AEAD_AES_256_GCM";
/// The largest |now - Wechatpay-Timestamp| accepted, in seconds.
inline constexpr std::int64_t kMaxSkewSeconds = 300;

/// "METHOD\nURL\ntimestamp\nnonce\nbody\n": what the merchant signs (URL = path and
/// query as sent; body "" for GET).
std::string requestMessage(std::string_view method, std::string_view target, std::string_view timestamp,
                           std::string_view nonce, std::string_view body);
/// "timestamp\nnonce\nbody\n": what WeChat signs in responses and notifications.
std::string responseMessage(std::string_view timestamp, std::string_view nonce, std::string_view body);

struct Authorization {
    std::string mchid;
    std::string nonce;
    std::string timestamp;
    std::string serial;
    std::string signature;
};
/// `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…"`.
std::string formatAuthorization(const Authorization &authorization);
/// The inverse; an error naming what is wrong (schema, a missing or repeated item).
Result<Authorization> parseAuthorization(std::string_view header);

/// Unix seconds of `t` (rounded down), as WeChat's timestamps are.
std::int64_t unixSeconds(TimePoint t);
/// RFC 3339 in Beijing time, as WeChat writes it: "2026-12-07T18:30:00+08:00".
std::string rfc3339(TimePoint t);
/// "YYYY-MM-DDTHH:MM:SS" with "Z" or "±HH:MM" (no fractions, as WeChat writes them);
/// nothing for anything else.
std::optional<TimePoint> parseRfc3339(std::string_view text);

/// Names of the headers WeChat signs responses and notifications with.
inline constexpr const char *kHeaderTimestamp = "Wechatpay-Timestamp";
inline constexpr const char *kHeaderNonce = "Wechatpay-Nonce";
inline constexpr const char *kHeaderSignature = "Wechatpay-Signature";
inline constexpr const char *kHeaderSerial = "Wechatpay-Serial";
inline constexpr const char *kHeaderSignatureType = "Wechatpay-Signature-Type";

/// Whether `id` can travel in a URL path as is: WeChat's out_trade_no and
/// out_refund_no alphabet ([0-9A-Za-z_-|*@]), 1 to 64 characters.
bool isSafeId(std::string_view id);

} // namespace flywheel::payments::wechatpay
