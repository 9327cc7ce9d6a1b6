#pragma once

#include "domain/Clock.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace flywheel::payments::alipay {

/// The pieces of Alipay's open-platform protocol (RSA2) that the adapter and its
/// sandbox share: the sign content, the form encoding and the GMT+8 timestamps.
/// Research: /work/shared/research/payments.md §2.

using Params = std::vector<std::pair<std::string, std::string>>;

/// What the sign content leaves out besides `sign`: requests sign `sign_type`
/// (AlipaySignature.getSignContent), async notifications do not (rsaCheckV1).
enum class SignFor { Request, Notification };

/// The RSA2 sign content: every pair with a non-empty key and value, except `sign`
/// (and `sign_type` for a notification), sorted by key (byte order), joined as
/// `k=v` with `&`, the values raw (not URL-encoded). The same for any input order.
std::string signContent(const Params &params, SignFor purpose);

/// application/x-www-form-urlencoded: unreserved characters as they are, everything
/// else %XX (so a '+' travels as %2B and a space as %20).
std::string formEncode(const Params &params);

/// Decodes a form body exactly once: "%XX" to its byte, '+' to a space. Pairs
/// without '=' get an empty value. nullopt and `error` set for a bad %-escape
/// ("bad %-escape at byte 12").
std::optional<Params> formDecode(std::string_view body, std::string *error);

/// The value of `key` (the first one), or empty.
std::string valueOf(const Params &params, std::string_view key);

/// "yyyy-MM-dd HH:mm:ss" in GMT+8 (Beijing time), as Alipay's timestamps are.
std::string formatBeijingTime(TimePoint t);
/// The inverse; nullopt for anything else (no other formats, no missing fields).
std::optional<TimePoint> parseBeijingTime(std::string_view text);

/// The raw text of each top-level member of a JSON object, by key, exactly as it
/// appears in `json` (so a signature over it can be verified without
/// re-serialising). nullopt when `json` is not one well-formed object at the top
/// level (members are scanned, not parsed: strings, nesting and escapes are
/// respected). Keys are returned with their escapes undone only for plain ASCII.
std::optional<std::vector<std::pair<std::string, std::string_view>>> topLevelMembers(std::string_view json);

/// The response key Alipay wraps a method's answer in: "alipay.trade.query" ->
/// "alipay_trade_query_response".
std::string responseKey(std::string_view method);

} // namespace flywheel::payments::alipay
