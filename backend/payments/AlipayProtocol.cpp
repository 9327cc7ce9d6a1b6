#include "payments/AlipayProtocol.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace flywheel::payments::alipay {

namespace {

constexpr auto kBeijingOffset = std::chrono::hours(8);

bool isUnreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void appendEncoded(std::string &out, std::string_view text)
{
    static constexpr char kHex[] = "0123456789ABCDEF";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (isUnreserved(c)) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
}

std::optional<std::string> decodeComponent(std::string_view text, std::size_t offset, std::string *error)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%') {
            const bool complete = i + 2 < text.size();
            const int hi = complete ? hexValue(text[i + 1]) : -1;
            const int lo = complete ? hexValue(text[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                if (error)
                    *error = "bad %-escape at byte " + std::to_string(offset + i);
                return std::nullopt;
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

bool parseDigits(std::string_view text, std::size_t pos, std::size_t count, int &value)
{
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

void skipSpace(std::string_view json, std::size_t &i)
{
    while (i < json.size() && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r'))
        ++i;
}

/// Moves `i` past a JSON string starting at json[i] == '"'.
bool skipString(std::string_view json, std::size_t &i)
{
    if (i >= json.size() || json[i] != '"')
        return false;
    for (++i; i < json.size(); ++i) {
        if (json[i] == '\\') {
            ++i;
        } else if (json[i] == '"') {
            ++i;
            return true;
        } else if (static_cast<unsigned char>(json[i]) < 0x20) {
            return false;
        }
    }
    return false;
}

/// Moves `i` past one JSON value (object, array, string or a literal/number).
bool skipValue(std::string_view json, std::size_t &i)
{
    skipSpace(json, i);
    if (i >= json.size())
        return false;
    if (json[i] == '"')
        return skipString(json, i);
    if (json[i] == '{' || json[i] == '[') {
        std::vector<char> closers;
        while (i < json.size()) {
            const char c = json[i];
            if (c == '"') {
                if (!skipString(json, i))
                    return false;
                continue;
            }
            if (c == '{')
                closers.push_back('}');
            else if (c == '[')
                closers.push_back(']');
            else if (c == '}' || c == ']') {
                if (closers.empty() || closers.back() != c)
                    return false;
                closers.pop_back();
                if (closers.empty()) {
                    ++i;
                    return true;
                }
            }
            ++i;
        }
        return false;
    }
    const std::size_t start = i;
    while (i < json.size() && json[i] != ',' && json[i] != '}' && json[i] != ']' && json[i] != ' ' && json[i] != '\n' &&
           json[i] != '\r' && json[i] != '\t')
        ++i;
    return i > start;
}

} // namespace

std::string signContent(const Params &params, SignFor purpose)
{
    std::vector<const std::pair<std::string, std::string> *> kept;
    for (const auto &pair : params) {
        if (pair.first.empty() || pair.second.empty() || pair.first == "sign")
            continue;
        if (purpose == SignFor::Notification && pair.first == "sign_type")
            continue;
        kept.push_back(&pair);
    }
    std::stable_sort(kept.begin(), kept.end(), [](const auto *a, const auto *b) { return a->first < b->first; });
    std::string out;
    for (const auto *pair : kept) {
        if (!out.empty())
            out.push_back('&');
        out += pair->first;
        out.push_back('=');
        out += pair->second;
    }
    return out;
}

std::string formEncode(const Params &params)
{
    std::string out;
    for (const auto &[key, value] : params) {
        if (!out.empty())
            out.push_back('&');
        appendEncoded(out, key);
        out.push_back('=');
        appendEncoded(out, value);
    }
    return out;
}

std::optional<Params> formDecode(std::string_view body, std::string *error)
{
    Params params;
    std::size_t start = 0;
    while (start <= body.size()) {
        std::size_t end = body.find('&', start);
        if (end == std::string_view::npos)
            end = body.size();
        const std::string_view pair = body.substr(start, end - start);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            const std::string_view rawKey = pair.substr(0, eq);
            const std::string_view rawValue = eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
            auto key = decodeComponent(rawKey, start, error);
            if (!key)
                return std::nullopt;
            auto value = decodeComponent(rawValue, start + (eq == std::string_view::npos ? 0 : eq + 1), error);
            if (!value)
                return std::nullopt;
            params.emplace_back(std::move(*key), std::move(*value));
        }
        start = end + 1;
    }
    return params;
}

std::string valueOf(const Params &params, std::string_view key)
{
    for (const auto &[k, v] : params)
        if (k == key)
            return v;
    return {};
}

std::string formatBeijingTime(TimePoint t)
{
    const auto local = std::chrono::floor<std::chrono::seconds>(t) + kBeijingOffset;
    const auto day = std::chrono::floor<std::chrono::days>(local);
    const std::chrono::year_month_day ymd(day);
    const std::chrono::hh_mm_ss hms(local - day);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()));
    return buffer;
}

std::optional<TimePoint> parseBeijingTime(std::string_view text)
{
    // yyyy-MM-dd HH:mm:ss
    if (text.size() != 19 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!parseDigits(text, 0, 4, year) || !parseDigits(text, 5, 2, month) || !parseDigits(text, 8, 2, day) ||
        !parseDigits(text, 11, 2, hour) || !parseDigits(text, 14, 2, minute) || !parseDigits(text, 17, 2, second))
        return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                          std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok() || hour > 23 || minute > 59 || second > 59)
        return std::nullopt;
    const auto local = std::chrono::sys_days(ymd) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
                       std::chrono::seconds(second);
    return std::chrono::time_point_cast<Milliseconds>(local - kBeijingOffset);
}

std::optional<std::vector<std::pair<std::string, std::string_view>>> topLevelMembers(std::string_view json)
{
    std::vector<std::pair<std::string, std::string_view>> members;
    std::size_t i = 0;
    skipSpace(json, i);
    if (i >= json.size() || json[i] != '{')
        return std::nullopt;
    ++i;
    skipSpace(json, i);
    if (i < json.size() && json[i] == '}') {
        ++i;
    } else {
        while (true) {
            skipSpace(json, i);
            const std::size_t keyStart = i;
            if (!skipString(json, i))
                return std::nullopt;
            std::string key(json.substr(keyStart + 1, i - keyStart - 2));
            skipSpace(json, i);
            if (i >= json.size() || json[i] != ':')
                return std::nullopt;
            ++i;
            skipSpace(json, i);
            const std::size_t valueStart = i;
            if (!skipValue(json, i))
                return std::nullopt;
            members.emplace_back(std::move(key), json.substr(valueStart, i - valueStart));
            skipSpace(json, i);
            if (i < json.size() && json[i] == ',') {
                ++i;
                continue;
            }
            if (i < json.size() && json[i] == '}') {
                ++i;
                break;
            }
            return std::nullopt;
        }
    }
    skipSpace(json, i);
    if (i != json.size())
        return std::nullopt;
    return members;
}

std::string responseKey(std::string_view method)
{
    std::string key(method);
    std::replace(key.begin(), key.end(), '.', '_');
    return key + "_response";
}

} // namespace flywheel::payments::alipay
