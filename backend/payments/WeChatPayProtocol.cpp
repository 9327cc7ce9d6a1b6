#include "payments/WeChatPayProtocol.h"

#include <array>
#include <cstdio>

namespace flywheel::payments::wechatpay {

std::string requestMessage(std::string_view method, std::string_view target, std::string_view timestamp,
                           std::string_view nonce, std::string_view body)
{
    std::string out;
    out.reserve(method.size() + target.size() + timestamp.size() + nonce.size() + body.size() + 5);
    out.append(method).append("\n").append(target).append("\n").append(timestamp).append("\n");
    out.append(nonce).append("\n").append(body).append("\n");
    return out;
}

std::string responseMessage(std::string_view timestamp, std::string_view nonce, std::string_view body)
{
    std::string out;
    out.reserve(timestamp.size() + nonce.size() + body.size() + 3);
    out.append(timestamp).append("\n").append(nonce).append("\n").append(body).append("\n");
    return out;
}

std::string formatAuthorization(const Authorization &a)
{
    return std::string(kSchema) + " mchid=\"" + a.mchid + "\",nonce_str=\"" + a.nonce + "\",timestamp=\"" +
           a.timestamp + "\",serial_no=\"" + a.serial + "\",signature=\"" + a.signature + "\"";
}

Result<Authorization> parseAuthorization(std::string_view header)
{
    const std::string prefix = std::string(kSchema) + " ";
    if (header.substr(0, prefix.size()) != prefix)
        return Error{ErrorCode::InvalidArgument, "the Authorization header does not start with " + prefix};
    std::string_view rest = header.substr(prefix.size());
    std::map<std::string, std::string> items;
    while (!rest.empty()) {
        const std::size_t eq = rest.find('=');
        if (eq == std::string_view::npos || eq + 1 >= rest.size() || rest[eq + 1] != '"')
            return Error{ErrorCode::InvalidArgument, "the Authorization header is not a list of key=\"value\""};
        std::string key(rest.substr(0, eq));
        while (!key.empty() && key.front() == ' ')
            key.erase(key.begin());
        const std::size_t close = rest.find('"', eq + 2);
        if (close == std::string_view::npos)
            return Error{ErrorCode::InvalidArgument, "the Authorization header has an unterminated value"};
        if (!items.emplace(key, std::string(rest.substr(eq + 2, close - eq - 2))).second)
            return Error{ErrorCode::InvalidArgument, "the Authorization header repeats " + key};
        rest = rest.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ',')
                return Error{ErrorCode::InvalidArgument, "the Authorization header items are not separated by commas"};
            rest = rest.substr(1);
        }
    }
    Authorization a;
    const std::array<std::pair<const char *, std::string *>, 5> wanted = {{{"mchid", &a.mchid},
                                                                          {"nonce_str", &a.nonce},
                                                                          {"timestamp", &a.timestamp},
                                                                          {"serial_no", &a.serial},
                                                                          {"signature", &a.signature}}};
    for (const auto &[name, field] : wanted) {
        const auto it = items.find(name);
        if (it == items.end() || it->second.empty())
            return Error{ErrorCode::InvalidArgument, std::string("the Authorization header has no ") + name};
        *field = it->second;
    }
    return a;
}

std::int64_t unixSeconds(TimePoint t)
{
    const std::int64_t ms = toEpochMs(t);
    return ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
}

std::string rfc3339(TimePoint t)
{
    using namespace std::chrono;
    const sys_seconds beijing = floor<seconds>(t) + hours(8);
    const sys_days day = floor<days>(beijing);
    const year_month_day ymd(day);
    const hh_mm_ss<seconds> time(beijing - day);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d+08:00", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()));
    return buffer;
}

std::optional<TimePoint> parseRfc3339(std::string_view text)
{
    using namespace std::chrono;
    // 2026-12-07T18:30:00+08:00 or 2026-12-07T10:30:00Z
    if (text.size() != 20 && text.size() != 25)
        return std::nullopt;
    auto number = [&](std::size_t at, std::size_t n) -> int {
        int value = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return -1;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    if (text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
        return std::nullopt;
    const int y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2),
              s = number(17, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
        return std::nullopt;
    const year_month_day date{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
    if (!date.ok())
        return std::nullopt;
    int offsetMinutes = 0;
    if (text.size() == 20) {
        if (text[19] != 'Z')
            return std::nullopt;
    } else {
        const char sign = text[19];
        const int oh = number(20, 2), om = number(23, 2);
        if ((sign != '+' && sign != '-') || text[22] != ':' || oh < 0 || oh > 23 || om < 0 || om > 59)
            return std::nullopt;
        offsetMinutes = (sign == '+' ? 1 : -1) * (oh * 60 + om);
    }
    const sys_seconds local = sys_days(date) + hours(h) + minutes(mi) + seconds(s);
    return time_point_cast<Milliseconds>(local - minutes(offsetMinutes));
}

bool isSafeId(std::string_view id)
{
    if (id.empty() || id.size() > 64)
        return false;
    for (char c : id) {
        const bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                        c == '-' || c == '|' || c == '*' || c == '@';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace flywheel::payments::wechatpay
