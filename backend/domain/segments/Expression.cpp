#include "domain/segments/Expression.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <unordered_map>
#include <unordered_set>
#include <utility>

// How it works (docs/expressions.md has the language):
// 1. The lexer turns the text into tokens with line/column; it stops at the first lexical
//    error, which becomes an Error token that the parser reports when it reaches it, so
//    the error reported is always the first one in reading order.
// 2. A recursive-descent parser builds a typed AST. Types are checked and constants folded
//    as each node is made (bottom-up), so no later pass walks the tree. Chains such as
//    `a + b - c` or `a && b && c` become one n-ary node, prefix operators are collected in
//    a loop: the tree is only as deep as the parentheses, whose depth is limited.
// 3. The code generator turns the Bool part into a jump graph ("Cond" nodes): each node is
//    one test with a successor for true and one for false, so `&&`, `||` and `!` cost
//    nothing at run time and short-circuit by construction. The common test "feature
//    <cmp> constant" is one fused opcode; arithmetic runs in a tiny stack machine.

namespace flywheel::segments {

namespace {

// ---------------------------------------------------------------------------
// Features

enum class Feature : std::uint8_t {
    // Numbers: the order is used by the fused opcodes (NumFeatK + feature * 6 + cmp).
    PayCount,
    DaysSinceReg,
    LastActiveDays,
    ActiveDays7,
    SessionDepth,
    Tag,
    // Bool
    KeyPathComplete,
    // Strings (dictionary ids)
    Device,
    Region,
    InstallChannel,
};

struct FeatureDef {
    std::string_view name;
    Feature feature;
    ValueType type;
    std::string_view description;
};

constexpr FeatureDef kFeatures[] = {
    {"pay_count", Feature::PayCount, ValueType::Number, "payments made"},
    {"days_since_reg", Feature::DaysSinceReg, ValueType::Number, "days since registration (today - registration day)"},
    {"last_active_days", Feature::LastActiveDays, ValueType::Number, "days since the user was last active"},
    {"active_days_7d", Feature::ActiveDays7, ValueType::Number, "days active in the last 7 days (0-7)"},
    {"session_depth", Feature::SessionDepth, ValueType::Number, "pages viewed in the latest session"},
    {"key_path_complete", Feature::KeyPathComplete, ValueType::Bool, "registered and made a first payment"},
    {"device", Feature::Device, ValueType::String, "device type, e.g. \"ios\"; unknown when never told"},
    {"region", Feature::Region, ValueType::String, "region from the IP address; unknown when never told"},
    {"install_channel", Feature::InstallChannel, ValueType::String,
     "install channel, e.g. \"appstore\"; unknown when never told"},
};

const FeatureDef *findFeature(std::string_view name)
{
    for (const FeatureDef &f : kFeatures) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

bool isTagName(std::string_view name)
{
    if (name.empty())
        return false;
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

double numberFeature(Feature f, std::int32_t tag, const Profile &p, Day today)
{
    switch (f) {
    case Feature::PayCount:
        return p.payCount;
    case Feature::DaysSinceReg:
        return p.daysSinceRegistration(today);
    case Feature::LastActiveDays:
        return p.lastActiveDays(today);
    case Feature::ActiveDays7:
        return p.activeDaysLast7(today);
    case Feature::SessionDepth:
        return p.sessionDepth;
    case Feature::Tag:
        return p.tag(tag);
    default:
        return 0;
    }
}

template <int F>
inline double numberFeature(const Profile &p, Day today, std::int32_t tag)
{
    if constexpr (F == int(Feature::PayCount))
        return p.payCount;
    else if constexpr (F == int(Feature::DaysSinceReg))
        return p.daysSinceRegistration(today);
    else if constexpr (F == int(Feature::LastActiveDays))
        return p.lastActiveDays(today);
    else if constexpr (F == int(Feature::ActiveDays7))
        return p.activeDaysLast7(today);
    else if constexpr (F == int(Feature::SessionDepth))
        return p.sessionDepth;
    else
        return p.tag(tag);
}

inline std::int32_t stringFeature(Feature f, const Profile &p)
{
    switch (f) {
    case Feature::Device:
        return p.device;
    case Feature::Region:
        return p.region;
    case Feature::InstallChannel:
        return p.installChannel;
    default:
        return Dictionary::kUnknown;
    }
}

// ---------------------------------------------------------------------------
// Operations shared by constant folding and evaluation, so both agree to the bit.

enum class Cmp : std::uint8_t { Eq, Ne, Lt, Le, Gt, Ge };

inline bool compare(Cmp op, double a, double b)
{
    switch (op) {
    case Cmp::Eq:
        return a == b;
    case Cmp::Ne:
        return a != b;
    case Cmp::Lt:
        return a < b;
    case Cmp::Le:
        return a <= b;
    case Cmp::Gt:
        return a > b;
    case Cmp::Ge:
        return a >= b;
    }
    return false;
}

/// `k < x` is `x > k`: the mirrored operator (exact, NaN included).
Cmp mirror(Cmp op)
{
    switch (op) {
    case Cmp::Lt:
        return Cmp::Gt;
    case Cmp::Le:
        return Cmp::Ge;
    case Cmp::Gt:
        return Cmp::Lt;
    case Cmp::Ge:
        return Cmp::Le;
    default:
        return op;
    }
}

/// Division by zero gives 0 (documented); never a trap, never UB.
inline double divide(double a, double b)
{
    return b == 0 ? 0.0 : a / b;
}

/// C's fmod: the sign of the left operand; x % 0 gives 0.
inline double remainder(double a, double b)
{
    return b == 0 ? 0.0 : std::fmod(a, b);
}

inline double arith(char op, double a, double b)
{
    switch (op) {
    case '+':
        return a + b;
    case '-':
        return a - b;
    case '*':
        return a * b;
    case '/':
        return divide(a, b);
    default:
        return remainder(a, b);
    }
}

bool inNumbers(double v, const double *list, std::int32_t count)
{
    if (count <= 8) {
        for (std::int32_t i = 0; i < count; ++i) {
            if (list[i] == v)
                return true;
        }
        return false;
    }
    if (v != v) // NaN is in no list (binary_search would "find" it)
        return false;
    return std::binary_search(list, list + count, v);
}

bool inIds(std::int32_t v, const std::int32_t *list, std::int32_t count)
{
    if (count <= 8) {
        for (std::int32_t i = 0; i < count; ++i) {
            if (list[i] == v)
                return true;
        }
        return false;
    }
    return std::binary_search(list, list + count, v);
}

std::string formatNumber(double v)
{
    if (v == std::floor(v) && std::fabs(v) < 1e15)
        return std::to_string(static_cast<long long>(v));
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::general, 6);
    return std::string(buffer, result.ptr);
}

// ---------------------------------------------------------------------------
// Compiled form

constexpr std::int32_t kTrue = -1;
constexpr std::int32_t kFalse = -2;

enum Op : std::uint8_t {
    // 0..35: number feature <cmp> constant k, fused: NumFeatK + feature * 6 + cmp; arg = tag id.
    NumFeatK = 0,
    StrFeatEqK = 36, // sub = feature, arg = id
    StrFeatEqFeat,   // sub = feature, arg = other feature; equal only when both are known
    StrFeatIn,       // sub = feature, arg = list
    NumFeatIn,       // sub = feature, arg = tag id, arg2 = list
    BoolFeat,        // key_path_complete
    NumExprCmpK,     // cmp; arg = value program (one value) compared with k
    NumExprCmp,      // cmp; arg = value program (two values)
    NumExprIn,       // arg = value program (one value), arg2 = list
    BoolEq,          // arg, arg2 = entries of two sub-graphs; true when they agree
};

struct Cond {
    std::uint8_t op = 0;
    std::uint8_t sub = 0;
    std::uint8_t cmp = 0;
    std::int32_t arg = 0;
    std::int32_t arg2 = 0;
    std::int32_t ifTrue = kTrue;
    std::int32_t ifFalse = kFalse;
    double k = 0;
};

enum class VOp : std::uint8_t { PushK, PushFeature, Neg, Arith, ArithK };

struct ValueInstr {
    VOp op = VOp::PushK;
    char arith = '+';
    Feature feature = Feature::PayCount;
    std::int32_t tag = 0;
    double k = 0;
};

struct ValueProgram {
    std::int32_t begin = 0;
    std::int32_t end = 0;
    std::int32_t maxStack = 0;
};

struct List {
    std::int32_t offset = 0;
    std::int32_t count = 0;
};

} // namespace

struct Expression::Program {
    std::string source;
    std::vector<std::string> features;
    std::int32_t entry = kFalse;
    std::vector<Cond> conds;
    std::vector<ValueInstr> code;
    std::vector<ValueProgram> programs;
    std::vector<List> lists;
    std::vector<double> numbers;
    std::vector<std::int32_t> ids;
};

namespace {

using Program = Expression::Program;

/// Runs a value program; writes the one or two values it leaves to out[0], out[1].
void runValues(const Program &pr, const ValueProgram &vp, const Profile &p, Day today, double *out)
{
    double small[16] = {};
    std::unique_ptr<double[]> big;
    double *s = small;
    if (vp.maxStack > 16) {
        big.reset(new double[static_cast<std::size_t>(vp.maxStack)]);
        s = big.get();
    }
    int n = 0;
    for (std::int32_t i = vp.begin; i < vp.end; ++i) {
        const ValueInstr &v = pr.code[static_cast<std::size_t>(i)];
        switch (v.op) {
        case VOp::PushK:
            s[n++] = v.k;
            break;
        case VOp::PushFeature:
            s[n++] = numberFeature(v.feature, v.tag, p, today);
            break;
        case VOp::Neg:
            s[n - 1] = -s[n - 1];
            break;
        case VOp::Arith:
            --n;
            s[n - 1] = arith(v.arith, s[n - 1], s[n]);
            break;
        case VOp::ArithK:
            s[n - 1] = arith(v.arith, s[n - 1], v.k);
            break;
        }
    }
    out[0] = s[0];
    out[1] = n > 1 ? s[1] : 0.0;
}

#define FLYWHEEL_NUMFEAT_CASES(F)                                                                                      \
    case NumFeatK + (F)*6 + 0:                                                                                         \
        r = numberFeature<F>(p, today, c.arg) == c.k;                                                                  \
        break;                                                                                                         \
    case NumFeatK + (F)*6 + 1:                                                                                         \
        r = numberFeature<F>(p, today, c.arg) != c.k;                                                                  \
        break;                                                                                                         \
    case NumFeatK + (F)*6 + 2:                                                                                         \
        r = numberFeature<F>(p, today, c.arg) < c.k;                                                                   \
        break;                                                                                                         \
    case NumFeatK + (F)*6 + 3:                                                                                         \
        r = numberFeature<F>(p, today, c.arg) <= c.k;                                                                  \
        break;                                                                                                         \
    case NumFeatK + (F)*6 + 4:                                                                                         \
        r = numberFeature<F>(p, today, c.arg) > c.k;                                                                   \
        break;                                                                                                         \
    case NumFeatK + (F)*6 + 5:                                                                                         \
        r = numberFeature<F>(p, today, c.arg) >= c.k;                                                                  \
        break;

template <bool Count>
bool run(const Program &pr, std::int32_t i, const Profile &p, Day today, int *tests)
{
    const Cond *conds = pr.conds.data();
    while (i >= 0) {
        const Cond &c = conds[i];
        if constexpr (Count)
            ++*tests;
        bool r = false;
        switch (c.op) {
            FLYWHEEL_NUMFEAT_CASES(0)
            FLYWHEEL_NUMFEAT_CASES(1)
            FLYWHEEL_NUMFEAT_CASES(2)
            FLYWHEEL_NUMFEAT_CASES(3)
            FLYWHEEL_NUMFEAT_CASES(4)
            FLYWHEEL_NUMFEAT_CASES(5)
        case StrFeatEqK:
            r = stringFeature(Feature(c.sub), p) == c.arg;
            break;
        case StrFeatEqFeat: {
            const std::int32_t a = stringFeature(Feature(c.sub), p);
            r = a != Dictionary::kUnknown && a == stringFeature(Feature(c.arg), p);
            break;
        }
        case StrFeatIn: {
            const List &l = pr.lists[static_cast<std::size_t>(c.arg)];
            r = inIds(stringFeature(Feature(c.sub), p), pr.ids.data() + l.offset, l.count);
            break;
        }
        case NumFeatIn: {
            const List &l = pr.lists[static_cast<std::size_t>(c.arg2)];
            r = inNumbers(numberFeature(Feature(c.sub), c.arg, p, today), pr.numbers.data() + l.offset, l.count);
            break;
        }
        case BoolFeat:
            r = p.keyPathComplete();
            break;
        case NumExprCmpK: {
            double v[2];
            runValues(pr, pr.programs[static_cast<std::size_t>(c.arg)], p, today, v);
            r = compare(Cmp(c.cmp), v[0], c.k);
            break;
        }
        case NumExprCmp: {
            double v[2];
            runValues(pr, pr.programs[static_cast<std::size_t>(c.arg)], p, today, v);
            r = compare(Cmp(c.cmp), v[0], v[1]);
            break;
        }
        case NumExprIn: {
            double v[2];
            runValues(pr, pr.programs[static_cast<std::size_t>(c.arg)], p, today, v);
            const List &l = pr.lists[static_cast<std::size_t>(c.arg2)];
            r = inNumbers(v[0], pr.numbers.data() + l.offset, l.count);
            break;
        }
        case BoolEq:
            r = run<Count>(pr, c.arg, p, today, tests) == run<Count>(pr, c.arg2, p, today, tests);
            break;
        default:
            break;
        }
        i = r ? c.ifTrue : c.ifFalse;
    }
    return i == kTrue;
}

#undef FLYWHEEL_NUMFEAT_CASES

// ---------------------------------------------------------------------------
// Lexer

enum class Tok : std::uint8_t {
    End,
    Error,
    Number,
    String,
    Ident,
    TagIdent, // tag.NAME; text = NAME
    True,
    False,
    In,
    Not,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    AndAnd,
    OrOr,
    EqEq,
    NotEq,
    Lt,
    Le,
    Gt,
    Ge,
};

struct Token {
    Tok kind = Tok::End;
    int line = 1;
    int column = 1;
    std::size_t begin = 0; // byte offsets of the token's text in the source
    std::size_t end = 0;
    double number = 0;
    std::string text; // decoded string literal, identifier, tag name, or the error message
};

struct Failure {
    int line;
    int column;
    std::string message;
};

bool isContinuation(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

bool isIdentStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool isIdentChar(char c)
{
    return isIdentStart(c) || (c >= '0' && c <= '9');
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

/// At most ~32 characters of `text`, cut on a character boundary.
std::string shorten(std::string_view text)
{
    constexpr std::size_t kMax = 32;
    if (text.size() <= kMax)
        return std::string(text);
    std::size_t cut = kMax - 3;
    while (cut > 0 && isContinuation(static_cast<unsigned char>(text[cut])))
        --cut;
    return std::string(text.substr(0, cut)) + "...";
}

/// The character at `s[pos]` for a message: 'x', 'é' (U+00E9), U+0007, or byte 0xFF.
std::string describeChar(std::string_view s, std::size_t pos)
{
    const auto c = static_cast<unsigned char>(s[pos]);
    char buffer[32];
    if (c >= 0x20 && c < 0x7f)
        return std::string("'") + char(c) + "'";
    if (c < 0x80) {
        std::snprintf(buffer, sizeof buffer, "U+%04X", unsigned(c));
        return buffer;
    }
    int length = 0;
    std::uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) {
        length = 2;
        cp = c & 0x1fu;
    } else if ((c & 0xf0) == 0xe0) {
        length = 3;
        cp = c & 0x0fu;
    } else if ((c & 0xf8) == 0xf0) {
        length = 4;
        cp = c & 0x07u;
    }
    bool valid = length > 0 && pos + std::size_t(length) <= s.size();
    for (int i = 1; valid && i < length; ++i) {
        const auto next = static_cast<unsigned char>(s[pos + std::size_t(i)]);
        valid = isContinuation(next);
        cp = (cp << 6) | (next & 0x3fu);
    }
    if (!valid) {
        std::snprintf(buffer, sizeof buffer, "byte 0x%02X", unsigned(c));
        return buffer;
    }
    std::snprintf(buffer, sizeof buffer, " (U+%04X)", unsigned(cp));
    return "'" + std::string(s.substr(pos, std::size_t(length))) + "'" + buffer;
}

class Lexer {
public:
    explicit Lexer(std::string_view source) : m_s(source) {}

    /// Every token up to End, or up to and including the first Error.
    std::vector<Token> tokens()
    {
        std::vector<Token> out;
        for (;;) {
            out.push_back(next());
            if (out.back().kind == Tok::End || out.back().kind == Tok::Error)
                return out;
        }
    }

private:
    char peek(std::size_t ahead = 0) const { return m_pos + ahead < m_s.size() ? m_s[m_pos + ahead] : '\0'; }
    bool atEnd() const { return m_pos >= m_s.size(); }

    void advance()
    {
        // The column counts characters: the continuation bytes of a UTF-8 character do not move it.
        const auto c = static_cast<unsigned char>(m_s[m_pos++]);
        if (c == '\n') {
            ++m_line;
            m_column = 1;
        } else if (!isContinuation(c)) {
            ++m_column;
        }
    }

    Token make(Tok kind, int line, int column, std::size_t begin)
    {
        Token t;
        t.kind = kind;
        t.line = line;
        t.column = column;
        t.begin = begin;
        t.end = m_pos;
        return t;
    }

    Token error(int line, int column, std::string message)
    {
        Token t;
        t.kind = Tok::Error;
        t.line = line;
        t.column = column;
        t.begin = t.end = m_pos;
        t.text = std::move(message);
        return t;
    }

    Token next()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r'))
            advance();
        const int line = m_line;
        const int column = m_column;
        const std::size_t begin = m_pos;
        if (atEnd())
            return make(Tok::End, line, column, begin);
        const char c = peek();
        if (isDigit(c))
            return number(line, column, begin);
        if (c == '"')
            return string(line, column, begin);
        if (isIdentStart(c))
            return identifier(line, column, begin);
        auto one = [&](Tok kind) {
            advance();
            return make(kind, line, column, begin);
        };
        auto two = [&](Tok kind) {
            advance();
            advance();
            return make(kind, line, column, begin);
        };
        switch (c) {
        case '(':
            return one(Tok::LParen);
        case ')':
            return one(Tok::RParen);
        case '[':
            return one(Tok::LBracket);
        case ']':
            return one(Tok::RBracket);
        case ',':
            return one(Tok::Comma);
        case '+':
            return one(Tok::Plus);
        case '-':
            return one(Tok::Minus);
        case '*':
            return one(Tok::Star);
        case '/':
            return one(Tok::Slash);
        case '%':
            return one(Tok::Percent);
        case '!':
            return peek(1) == '=' ? two(Tok::NotEq) : one(Tok::Bang);
        case '<':
            return peek(1) == '=' ? two(Tok::Le) : one(Tok::Lt);
        case '>':
            return peek(1) == '=' ? two(Tok::Ge) : one(Tok::Gt);
        case '=':
            if (peek(1) == '=')
                return two(Tok::EqEq);
            return error(line, column, "unexpected '=' (did you mean '=='?)");
        case '&':
            if (peek(1) == '&')
                return two(Tok::AndAnd);
            return error(line, column, "unexpected '&' (did you mean '&&'?)");
        case '|':
            if (peek(1) == '|')
                return two(Tok::OrOr);
            return error(line, column, "unexpected '|' (did you mean '||'?)");
        case '\'':
            return error(line, column, "unexpected character ''' (strings use double quotes: \"ios\")");
        case '.':
            if (isDigit(peek(1)))
                return error(line, column, "unexpected character '.' (write a digit before the point: 0.5)");
            break;
        default:
            break;
        }
        std::string message = "unexpected character " + describeChar(m_s, m_pos);
        if (m_s.substr(m_pos, 3) == "\xe2\x80\x9c" || m_s.substr(m_pos, 3) == "\xe2\x80\x9d")
            message += " (strings use straight double quotes: \"ios\")";
        return error(line, column, std::move(message));
    }

    Token number(int line, int column, std::size_t begin)
    {
        while (isDigit(peek()))
            advance();
        bool valid = true;
        if (peek() == '.') {
            advance();
            valid = isDigit(peek());
            while (isDigit(peek()))
                advance();
        }
        if (valid && (peek() == 'e' || peek() == 'E')) {
            advance();
            if (peek() == '+' || peek() == '-')
                advance();
            valid = isDigit(peek());
            while (isDigit(peek()))
                advance();
        }
        if (isIdentChar(peek()) || peek() == '.')
            valid = false;
        if (!valid) {
            while (isIdentChar(peek()) || peek() == '.')
                advance();
            return error(line, column, "invalid number '" + shorten(m_s.substr(begin, m_pos - begin)) + "'");
        }
        Token t = make(Tok::Number, line, column, begin);
        const auto result = std::from_chars(m_s.data() + begin, m_s.data() + m_pos, t.number);
        if (result.ec == std::errc::result_out_of_range) {
            // Too large is an error; too small (1e-400) would silently become 0 or a
            // denormal, which is just as surprising.
            return error(line, column,
                         "the number '" + shorten(m_s.substr(begin, m_pos - begin)) + "' is out of range");
        }
        if (result.ec != std::errc() || result.ptr != m_s.data() + m_pos)
            return error(line, column, "invalid number '" + shorten(m_s.substr(begin, m_pos - begin)) + "'");
        return t;
    }

    Token string(int line, int column, std::size_t begin)
    {
        advance(); // the opening quote
        std::string text;
        for (;;) {
            if (atEnd() || peek() == '\n') {
                const bool endOfLine = !atEnd();
                return error(m_line, m_column,
                             "unterminated string starting at line " + std::to_string(line) + ", column " +
                                 std::to_string(column) + ": expected '\"' before the end of the " +
                                 (endOfLine ? "line" : "expression"));
            }
            const char c = peek();
            if (c == '"') {
                advance();
                Token t = make(Tok::String, line, column, begin);
                t.text = std::move(text);
                return t;
            }
            if (c == '\\') {
                const int escLine = m_line;
                const int escColumn = m_column;
                const char e = peek(1);
                if (e == '"' || e == '\\') {
                    advance();
                    advance();
                    text += e;
                    continue;
                }
                if (m_pos + 1 >= m_s.size() || e == '\n') {
                    advance();
                    continue; // reported as unterminated
                }
                const std::string what = (e >= 0x20 && e < 0x7f) ? "'\\" + std::string(1, e) + "'"
                                                                 : "'\\' followed by " + describeChar(m_s, m_pos + 1);
                return error(escLine, escColumn,
                             "invalid escape " + what + " in a string: only \\\" and \\\\ are allowed");
            }
            const std::size_t from = m_pos;
            advance();
            text.append(m_s.substr(from, m_pos - from));
        }
    }

    Token identifier(int line, int column, std::size_t begin)
    {
        while (isIdentChar(peek()))
            advance();
        const std::string_view word = m_s.substr(begin, m_pos - begin);
        if (word == "tag" && peek() == '.') {
            advance();
            const int nameLine = m_line;
            const int nameColumn = m_column;
            const std::size_t nameBegin = m_pos;
            while (isIdentChar(peek()))
                advance();
            const std::string_view name = m_s.substr(nameBegin, m_pos - nameBegin);
            if (name.empty()) {
                return error(nameLine, nameColumn,
                             "expected a tag name after 'tag.' (lowercase letters, digits and '_') but found " +
                                 (atEnd() ? std::string("the end of the expression") : describeChar(m_s, m_pos)));
            }
            if (!isTagName(name)) {
                std::string lower(name);
                for (char &ch : lower)
                    ch = (ch >= 'A' && ch <= 'Z') ? char(ch - 'A' + 'a') : ch;
                return error(nameLine, nameColumn,
                             "invalid tag name '" + shorten(name) +
                                 "': tag names use lowercase letters, digits and '_' (did you mean 'tag." +
                                 shorten(lower) + "'?)");
            }
            Token t = make(Tok::TagIdent, line, column, begin);
            t.text = std::string(name);
            return t;
        }
        Tok kind = Tok::Ident;
        if (word == "true")
            kind = Tok::True;
        else if (word == "false")
            kind = Tok::False;
        else if (word == "in")
            kind = Tok::In;
        else if (word == "not")
            kind = Tok::Not;
        Token t = make(kind, line, column, begin);
        t.text = std::string(word);
        return t;
    }

    std::string_view m_s;
    std::size_t m_pos = 0;
    int m_line = 1;
    int m_column = 1;
};

// ---------------------------------------------------------------------------
// AST

#if defined(__GNUC__)
#define FLYWHEEL_NOINLINE __attribute__((noinline))
#else
#define FLYWHEEL_NOINLINE
#endif

enum class NK : std::uint8_t { Num, Str, Bool, Feat, Neg, Not, Arith, And, Or, Cmp, In };

struct Node {
    NK kind = NK::Num;
    ValueType type = ValueType::Number;
    double num = 0;
    bool boolean = false;
    std::int32_t str = -1; // Str: literal index; Feat Tag: tag-name index
    Feature feature = Feature::PayCount;
    Cmp cmp = Cmp::Eq;
    bool negated = false; // In: `not in`
    std::vector<std::int32_t> kids;
    std::vector<char> ops; // Arith: ops[i] combines the value so far with kids[i + 1]
    std::vector<double> nums;
    std::vector<std::int32_t> strs; // In over strings: literal indices
};

const char *article(ValueType t)
{
    return t == ValueType::Number ? "a Number" : t == ValueType::String ? "a String" : "a Bool";
}

std::size_t editDistance(std::string_view a, std::string_view b)
{
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = up;
        }
    }
    return row[b.size()];
}

/// " (did you mean 'x'?)" when one known word is obviously meant, else "".
std::string suggestion(std::string_view word)
{
    if (word == "tag" || word == "tags")
        return " (did you mean 'tag.NAME', e.g. 'tag.sports'?)";
    if (word == "and" || word == "AND")
        return " (did you mean '&&'?)";
    if (word == "or" || word == "OR")
        return " (did you mean '||'?)";
    if (word.size() > 40)
        return {};
    std::string lower(word);
    for (char &c : lower)
        c = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    std::vector<std::string_view> candidates = {"true", "false"};
    for (const FeatureDef &f : kFeatures)
        candidates.push_back(f.name);
    std::size_t best = SIZE_MAX;
    std::string_view bestName;
    bool tie = false;
    for (std::string_view candidate : candidates) {
        const std::size_t d = editDistance(lower, candidate);
        if (d < best) {
            best = d;
            bestName = candidate;
            tie = false;
        } else if (d == best) {
            tie = true;
        }
    }
    if (tie || best > 2 || best * 3 > bestName.size())
        return {};
    return " (did you mean '" + std::string(bestName) + "'?)";
}

// ---------------------------------------------------------------------------
// Parser: recursive descent, one function per precedence level.

class Parser {
public:
    Parser(std::string_view source, std::vector<Token> tokens, int maxDepth)
        : m_source(source), m_tokens(std::move(tokens)), m_maxDepth(maxDepth)
    {}

    std::int32_t parse()
    {
        if (cur().kind == Tok::End)
            fail(cur(), "the expression is empty");
        const Token &first = cur();
        const int line = first.line;
        const int column = first.column;
        const std::int32_t root = parseOr();
        if (cur().kind != Tok::End) {
            std::string message = "expected an operator or the end of the expression but found " + describe(cur());
            if (cur().kind == Tok::RParen)
                message += " (it closes no '(')";
            else if (cur().kind == Tok::Ident)
                message += operatorHint(cur().text);
            fail(cur(), message);
        }
        if (node(root).type != ValueType::Bool) {
            throw Failure{line, column,
                          std::string("the expression is ") + article(node(root).type) +
                              " but must be a Bool (a condition such as 'pay_count >= 1')"};
        }
        return root;
    }

    std::vector<Node> nodes;
    std::vector<std::string> strings; // literals and tag names, each once
    std::vector<std::string> features;

private:
    static std::string operatorHint(std::string_view word)
    {
        if (word == "and" || word == "AND")
            return " (did you mean '&&'?)";
        if (word == "or" || word == "OR")
            return " (did you mean '||'?)";
        return {};
    }

    const Token &cur() const
    {
        const Token &t = m_tokens[m_index];
        if (t.kind == Tok::Error)
            throw Failure{t.line, t.column, t.text};
        return t;
    }

    /// The current token, then moves on. Tokens live as long as the parser, so the
    /// reference stays valid; no copies keep the recursion's stack frames small.
    const Token &take()
    {
        const Token &t = cur();
        if (m_index + 1 < m_tokens.size())
            ++m_index;
        return t;
    }

    [[noreturn]] static void fail(const Token &at, std::string message)
    {
        throw Failure{at.line, at.column, std::move(message)};
    }

    std::string describe(const Token &t) const
    {
        const std::string_view text = m_source.substr(t.begin, t.end - t.begin);
        switch (t.kind) {
        case Tok::End:
            return "the end of the expression";
        case Tok::String:
            return "the string " + shorten(text);
        case Tok::True:
        case Tok::False:
        case Tok::In:
        case Tok::Not:
            return "the keyword '" + std::string(text) + "'";
        default:
            return "'" + shorten(text) + "'";
        }
    }

    /// "column 3" or "line 2, column 3" when `t` is on another line than `now`.
    static std::string where(const Token &t, const Token &now)
    {
        if (t.line != now.line)
            return "line " + std::to_string(t.line) + ", column " + std::to_string(t.column);
        return "column " + std::to_string(t.column);
    }

    Node &node(std::int32_t i) { return nodes[static_cast<std::size_t>(i)]; }

    std::int32_t add(Node n)
    {
        nodes.push_back(std::move(n));
        return static_cast<std::int32_t>(nodes.size() - 1);
    }

    std::int32_t addNumber(double v)
    {
        Node n;
        n.kind = NK::Num;
        n.type = ValueType::Number;
        n.num = v;
        return add(std::move(n));
    }

    std::int32_t addBool(bool v)
    {
        Node n;
        n.kind = NK::Bool;
        n.type = ValueType::Bool;
        n.boolean = v;
        return add(std::move(n));
    }

    std::int32_t intern(const std::string &text)
    {
        const auto [it, inserted] = m_stringIndex.try_emplace(text, static_cast<std::int32_t>(strings.size()));
        if (inserted)
            strings.push_back(text);
        return it->second;
    }

    void useFeature(std::string name)
    {
        if (m_featureSeen.insert(name).second)
            features.push_back(std::move(name));
    }

    // --- node construction: type checks and constant folding -------------------

    FLYWHEEL_NOINLINE std::int32_t makeNot(const Token &op, std::int32_t x)
    {
        if (node(x).type != ValueType::Bool) {
            fail(op, std::string("'!' needs a Bool operand but its operand is ") + article(node(x).type) +
                         " (to negate a comparison, put it in parentheses: '!(pay_count > 1)')");
        }
        if (node(x).kind == NK::Bool)
            return addBool(!node(x).boolean);
        if (node(x).kind == NK::Not)
            return node(x).kids[0];
        Node n;
        n.kind = NK::Not;
        n.type = ValueType::Bool;
        n.kids = {x};
        return add(std::move(n));
    }

    FLYWHEEL_NOINLINE std::int32_t makeNeg(const Token &op, std::int32_t x)
    {
        if (node(x).type != ValueType::Number)
            fail(op, std::string("'-' needs a Number operand but its operand is ") + article(node(x).type));
        if (node(x).kind == NK::Num)
            return addNumber(-node(x).num);
        if (node(x).kind == NK::Neg)
            return node(x).kids[0];
        Node n;
        n.kind = NK::Neg;
        n.type = ValueType::Number;
        n.kids = {x};
        return add(std::move(n));
    }

    static bool sameArithLevel(char a, char b)
    {
        const bool additiveA = a == '+' || a == '-';
        const bool additiveB = b == '+' || b == '-';
        return additiveA == additiveB;
    }

    FLYWHEEL_NOINLINE std::int32_t makeArith(const Token &op, char o, std::int32_t l, std::int32_t r)
    {
        const std::string name(1, o);
        if (node(l).type != ValueType::Number)
            fail(op, "'" + name + "' needs Number operands but the left operand is " + article(node(l).type));
        if (node(r).type != ValueType::Number)
            fail(op, "'" + name + "' needs Number operands but the right operand is " + article(node(r).type));
        if (node(l).kind == NK::Num && node(r).kind == NK::Num)
            return addNumber(arith(o, node(l).num, node(r).num));
        // Left-associative chains evaluate left to right either way, so `(a + b) - c`
        // becomes the chain a, +b, -c: exact, and the tree stays shallow.
        if (node(l).kind == NK::Arith && sameArithLevel(node(l).ops.front(), o)) {
            node(l).kids.push_back(r);
            node(l).ops.push_back(o);
            return l;
        }
        Node n;
        n.kind = NK::Arith;
        n.type = ValueType::Number;
        n.kids = {l, r};
        n.ops = {o};
        return add(std::move(n));
    }

    FLYWHEEL_NOINLINE std::int32_t makeLogical(const Token &op, NK kind, std::int32_t l, std::int32_t r)
    {
        const char *name = kind == NK::And ? "'&&'" : "'||'";
        if (node(l).type != ValueType::Bool)
            fail(op, std::string(name) + " needs Bool operands but the left operand is " + article(node(l).type));
        if (node(r).type != ValueType::Bool)
            fail(op, std::string(name) + " needs Bool operands but the right operand is " + article(node(r).type));
        // Evaluation has no side effects and no errors, so folding is exact:
        // false && x = false, true && x = x, x && true = x, x && false = false; dually for ||.
        const bool absorbing = kind == NK::Or; // the value that decides an || (true) or an && (false)
        for (const std::int32_t side : {l, r}) {
            if (node(side).kind == NK::Bool && node(side).boolean == absorbing)
                return addBool(absorbing);
        }
        if (node(l).kind == NK::Bool)
            return r;
        if (node(r).kind == NK::Bool)
            return l;
        Node n;
        n.kind = kind;
        n.type = ValueType::Bool;
        for (const std::int32_t side : {l, r}) {
            if (node(side).kind == kind) {
                const std::vector<std::int32_t> kids = node(side).kids;
                n.kids.insert(n.kids.end(), kids.begin(), kids.end());
            } else {
                n.kids.push_back(side);
            }
        }
        return add(std::move(n));
    }

    static const char *cmpName(Cmp c)
    {
        switch (c) {
        case Cmp::Eq:
            return "==";
        case Cmp::Ne:
            return "!=";
        case Cmp::Lt:
            return "<";
        case Cmp::Le:
            return "<=";
        case Cmp::Gt:
            return ">";
        case Cmp::Ge:
            return ">=";
        }
        return "?";
    }

    FLYWHEEL_NOINLINE std::int32_t makeCmp(const Token &op, Cmp c, std::int32_t l, std::int32_t r)
    {
        const ValueType lt = node(l).type;
        const ValueType rt = node(r).type;
        const std::string name = std::string("'") + cmpName(c) + "'";
        if (lt != rt)
            fail(op, name + " cannot compare " + article(lt) + " with " + article(rt));
        const bool ordering = c != Cmp::Eq && c != Cmp::Ne;
        if (ordering && lt != ValueType::Number)
            fail(op, name + " orders Numbers only, but both operands are " + valueTypeName(lt) + "s");
        const bool lk = node(l).kind == NK::Num || node(l).kind == NK::Str || node(l).kind == NK::Bool;
        const bool rk = node(r).kind == NK::Num || node(r).kind == NK::Str || node(r).kind == NK::Bool;
        if (lk && rk) {
            bool v = false;
            if (lt == ValueType::Number)
                v = compare(c, node(l).num, node(r).num);
            else if (lt == ValueType::String)
                v = (node(l).str == node(r).str) == (c == Cmp::Eq);
            else
                v = (node(l).boolean == node(r).boolean) == (c == Cmp::Eq);
            return addBool(v);
        }
        if (lt == ValueType::Bool && (lk || rk)) {
            // x == true is x, x == false is !x, x != true is !x ...
            const std::int32_t x = lk ? r : l;
            const bool k = node(lk ? l : r).boolean;
            return k == (c == Cmp::Eq) ? x : makeNot(op, x);
        }
        Node n;
        n.kind = NK::Cmp;
        n.type = ValueType::Bool;
        n.cmp = c;
        n.kids = {l, r};
        return add(std::move(n));
    }

    // --- grammar ---------------------------------------------------------------

    std::int32_t parseOr()
    {
        std::int32_t l = parseAnd();
        while (cur().kind == Tok::OrOr) {
            const Token &op = take();
            const std::int32_t r = parseAnd();
            l = makeLogical(op, NK::Or, l, r);
        }
        return l;
    }

    std::int32_t parseAnd()
    {
        std::int32_t l = parseComparison();
        while (cur().kind == Tok::AndAnd) {
            const Token &op = take();
            const std::int32_t r = parseComparison();
            l = makeLogical(op, NK::And, l, r);
        }
        return l;
    }

    static bool cmpOf(Tok t, Cmp &c)
    {
        switch (t) {
        case Tok::EqEq:
            c = Cmp::Eq;
            return true;
        case Tok::NotEq:
            c = Cmp::Ne;
            return true;
        case Tok::Lt:
            c = Cmp::Lt;
            return true;
        case Tok::Le:
            c = Cmp::Le;
            return true;
        case Tok::Gt:
            c = Cmp::Gt;
            return true;
        case Tok::Ge:
            c = Cmp::Ge;
            return true;
        default:
            return false;
        }
    }

    std::int32_t parseComparison()
    {
        const std::int32_t l = parseAdditive();
        const Tok k = cur().kind;
        Cmp c = Cmp::Eq;
        if (!cmpOf(k, c) && k != Tok::In && k != Tok::Not)
            return l;
        return comparisonRest(l);
    }

    /// After the left operand of a comparison. Out of line, as every piece of the parser
    /// that is not on the recursive path, so the recursion's stack frames stay small.
    FLYWHEEL_NOINLINE std::int32_t comparisonRest(std::int32_t l)
    {
        Cmp c = Cmp::Eq;
        if (cmpOf(cur().kind, c)) {
            const Token &op = take();
            const std::int32_t r = parseAdditive();
            l = makeCmp(op, c, l, r);
        } else if (cur().kind == Tok::In) {
            const Token &op = take();
            l = parseList(op, l, false);
        } else {
            const Token &op = take(); // not
            if (cur().kind != Tok::In)
                fail(cur(), "expected 'in' after 'not' but found " + describe(cur()) + " (use '!' to negate)");
            take();
            l = parseList(op, l, true);
        }
        if (cmpOf(cur().kind, c) || cur().kind == Tok::In || cur().kind == Tok::Not) {
            fail(cur(), "comparisons cannot be chained: combine them with '&&' (a < b && b < c) or use parentheses");
        }
        return l;
    }

    FLYWHEEL_NOINLINE std::int32_t parseList(const Token &op, std::int32_t l, bool negated)
    {
        const std::string opName = negated ? "'not in'" : "'in'";
        if (cur().kind != Tok::LBracket)
            fail(cur(), "expected '[' after " + opName + " but found " + describe(cur()));
        const Token &open = take();
        if (cur().kind == Tok::RBracket)
            fail(open, "the list after " + opName + " is empty");
        const ValueType type = node(l).type;
        std::vector<double> nums;
        std::vector<std::int32_t> strs;
        bool hasTrue = false;
        bool hasFalse = false;
        for (;;) {
            const Token &first = cur();
            bool minus = false;
            if (cur().kind == Tok::Minus && m_tokens[m_index + 1].kind == Tok::Number) {
                take();
                minus = true;
            }
            const Token &element = cur();
            ValueType elementType = ValueType::Number;
            switch (element.kind) {
            case Tok::Number:
                elementType = ValueType::Number;
                break;
            case Tok::String:
                elementType = ValueType::String;
                break;
            case Tok::True:
            case Tok::False:
                elementType = ValueType::Bool;
                break;
            default:
                fail(element,
                     "expected a literal (a number, string, true or false) in the list but found " + describe(element));
            }
            if (elementType != type) {
                fail(first, std::string("expected ") + article(type) + " literal in the list (the left side of " +
                                opName + " is " + article(type) + ") but found " + describe(element) + ", " +
                                article(elementType));
            }
            take();
            if (element.kind == Tok::Number)
                nums.push_back(minus ? -element.number : element.number);
            else if (element.kind == Tok::String)
                strs.push_back(intern(element.text));
            else if (element.kind == Tok::True)
                hasTrue = true;
            else
                hasFalse = true;
            if (cur().kind == Tok::Comma) {
                take();
                continue;
            }
            if (cur().kind == Tok::RBracket) {
                take();
                break;
            }
            fail(cur(), "expected ',' or ']' to close '[' at " + where(open, cur()) + " but found " + describe(cur()));
        }
        // Fold what is known now.
        if (type == ValueType::Bool) {
            std::int32_t result;
            if (hasTrue && hasFalse)
                result = addBool(true);
            else if (node(l).kind == NK::Bool)
                result = addBool(node(l).boolean ? hasTrue : hasFalse);
            else
                result = hasTrue ? l : makeNot(op, l);
            return negated ? makeNot(op, result) : result;
        }
        if (node(l).kind == NK::Num || node(l).kind == NK::Str) {
            const bool found = type == ValueType::Number
                                   ? std::find(nums.begin(), nums.end(), node(l).num) != nums.end()
                                   : std::find(strs.begin(), strs.end(), node(l).str) != strs.end();
            return addBool(found != negated);
        }
        std::sort(nums.begin(), nums.end());
        nums.erase(std::unique(nums.begin(), nums.end()), nums.end());
        Node n;
        n.kind = NK::In;
        n.type = ValueType::Bool;
        n.negated = negated;
        n.kids = {l};
        n.nums = std::move(nums);
        n.strs = std::move(strs);
        return add(std::move(n));
    }

    std::int32_t parseAdditive()
    {
        std::int32_t l = parseMultiplicative();
        while (cur().kind == Tok::Plus || cur().kind == Tok::Minus) {
            const Token &op = take();
            const std::int32_t r = parseMultiplicative();
            l = makeArith(op, op.kind == Tok::Plus ? '+' : '-', l, r);
        }
        return l;
    }

    std::int32_t parseMultiplicative()
    {
        std::int32_t l = parseUnary();
        while (cur().kind == Tok::Star || cur().kind == Tok::Slash || cur().kind == Tok::Percent) {
            const Token &op = take();
            const std::int32_t r = parseUnary();
            l = makeArith(op, op.kind == Tok::Star ? '*' : op.kind == Tok::Slash ? '/' : '%', l, r);
        }
        return l;
    }

    std::int32_t parseUnary()
    {
        // Prefix operators are collected in a loop (no recursion), then applied from the
        // innermost out; `!!x` and `--x` fold away, so the tree does not grow with them.
        std::vector<std::size_t> prefixes;
        while (cur().kind == Tok::Bang || cur().kind == Tok::Minus) {
            prefixes.push_back(m_index);
            take();
        }
        std::int32_t x = parsePrimary();
        for (auto it = prefixes.rbegin(); it != prefixes.rend(); ++it) {
            const Token &op = m_tokens[*it];
            x = op.kind == Tok::Bang ? makeNot(op, x) : makeNeg(op, x);
        }
        return x;
    }

    std::int32_t parsePrimary()
    {
        const Token &t = cur();
        if (t.kind != Tok::LParen)
            return leaf(t);
        if (m_depth >= m_maxDepth)
            failDepth(t);
        take();
        ++m_depth;
        const std::int32_t inner = parseOr();
        if (cur().kind != Tok::RParen)
            failUnclosed(t);
        take();
        --m_depth;
        return inner;
    }

    [[noreturn]] FLYWHEEL_NOINLINE void failDepth(const Token &t)
    {
        fail(t, "nesting deeper than " + std::to_string(m_maxDepth) + " levels");
    }

    [[noreturn]] FLYWHEEL_NOINLINE void failUnclosed(const Token &open)
    {
        fail(cur(), "expected ')' to close '(' at " + where(open, cur()) + " but found " + describe(cur()));
    }

    /// A literal or a feature.
    FLYWHEEL_NOINLINE std::int32_t leaf(const Token &t)
    {
        switch (t.kind) {
        case Tok::Number:
            take();
            return addNumber(t.number);
        case Tok::String: {
            take();
            Node n;
            n.kind = NK::Str;
            n.type = ValueType::String;
            n.str = intern(t.text);
            return add(std::move(n));
        }
        case Tok::True:
        case Tok::False:
            take();
            return addBool(t.kind == Tok::True);
        case Tok::Ident: {
            const FeatureDef *f = findFeature(t.text);
            if (!f)
                fail(t, "unknown feature '" + shorten(t.text) + "'" + suggestion(t.text));
            take();
            useFeature(t.text);
            Node n;
            n.kind = NK::Feat;
            n.type = f->type;
            n.feature = f->feature;
            return add(std::move(n));
        }
        case Tok::TagIdent: {
            take();
            useFeature("tag." + t.text);
            Node n;
            n.kind = NK::Feat;
            n.type = ValueType::Number;
            n.feature = Feature::Tag;
            n.str = intern(t.text);
            return add(std::move(n));
        }
        default: {
            std::string message = "expected a number, string, feature or '(' but found " + describe(t);
            if (t.kind == Tok::Not)
                message += " (use '!' to negate)";
            fail(t, message);
        }
        }
    }

    std::string_view m_source;
    std::vector<Token> m_tokens;
    std::size_t m_index = 0;
    int m_maxDepth;
    int m_depth = 0;
    std::unordered_map<std::string, std::int32_t> m_stringIndex;
    std::unordered_set<std::string> m_featureSeen;
};

} // namespace

// ---------------------------------------------------------------------------
// Code generation

class ExpressionCompiler {
public:
    ExpressionCompiler(const std::vector<Node> &nodes, std::vector<std::int32_t> ids, Program &program)
        : m_nodes(nodes), m_ids(std::move(ids)), m_p(program)
    {}

    static Expression make(std::shared_ptr<const Program> program) { return Expression(std::move(program)); }

    /// Code that jumps to ifTrue or ifFalse; returns its entry (or ifTrue/ifFalse itself).
    std::int32_t cond(std::int32_t index, std::int32_t ifTrue, std::int32_t ifFalse)
    {
        const Node &n = m_nodes[static_cast<std::size_t>(index)];
        switch (n.kind) {
        case NK::Bool:
            return n.boolean ? ifTrue : ifFalse;
        case NK::Feat: { // key_path_complete, the only Bool feature
            Cond c;
            c.op = BoolFeat;
            return emit(c, ifTrue, ifFalse);
        }
        case NK::Not:
            return cond(n.kids[0], ifFalse, ifTrue);
        case NK::And: {
            std::int32_t next = ifTrue;
            for (auto it = n.kids.rbegin(); it != n.kids.rend(); ++it)
                next = cond(*it, next, ifFalse);
            return next;
        }
        case NK::Or: {
            std::int32_t next = ifFalse;
            for (auto it = n.kids.rbegin(); it != n.kids.rend(); ++it)
                next = cond(*it, ifTrue, next);
            return next;
        }
        case NK::Cmp:
            return comparison(n, ifTrue, ifFalse);
        case NK::In:
            return membership(n, n.negated ? ifFalse : ifTrue, n.negated ? ifTrue : ifFalse);
        default:
            return ifFalse; // not reached: the parser only gives Bool nodes here
        }
    }

private:
    const Node &at(std::int32_t i) const { return m_nodes[static_cast<std::size_t>(i)]; }

    std::int32_t emit(Cond c, std::int32_t ifTrue, std::int32_t ifFalse)
    {
        c.ifTrue = ifTrue;
        c.ifFalse = ifFalse;
        m_p.conds.push_back(c);
        return static_cast<std::int32_t>(m_p.conds.size() - 1);
    }

    static bool isNumberFeature(const Node &n) { return n.kind == NK::Feat && n.type == ValueType::Number; }

    std::int32_t tagId(const Node &n) const { return n.feature == Feature::Tag ? m_ids[std::size_t(n.str)] : 0; }

    std::int32_t comparison(const Node &n, std::int32_t ifTrue, std::int32_t ifFalse)
    {
        const Node &l = at(n.kids[0]);
        const Node &r = at(n.kids[1]);
        Cond c;
        c.cmp = std::uint8_t(n.cmp);
        if (l.type == ValueType::Number) {
            const Node *feature = nullptr;
            const Node *constant = nullptr;
            Cmp op = n.cmp;
            if (isNumberFeature(l) && r.kind == NK::Num) {
                feature = &l;
                constant = &r;
            } else if (l.kind == NK::Num && isNumberFeature(r)) {
                feature = &r;
                constant = &l;
                op = mirror(op);
            }
            if (feature) {
                c.op = std::uint8_t(NumFeatK + int(feature->feature) * 6 + int(op));
                c.arg = tagId(*feature);
                c.k = constant->num;
                return emit(c, ifTrue, ifFalse);
            }
            if (r.kind == NK::Num || l.kind == NK::Num) {
                const bool swap = l.kind == NK::Num;
                c.op = NumExprCmpK;
                c.cmp = std::uint8_t(swap ? mirror(n.cmp) : n.cmp);
                c.arg = program({swap ? n.kids[1] : n.kids[0]});
                c.k = swap ? l.num : r.num;
                return emit(c, ifTrue, ifFalse);
            }
            c.op = NumExprCmp;
            c.arg = program({n.kids[0], n.kids[1]});
            return emit(c, ifTrue, ifFalse);
        }
        const bool equal = n.cmp == Cmp::Eq;
        if (l.type == ValueType::String) {
            // Literal vs literal was folded, so at least one side is a feature.
            if (l.kind == NK::Feat && r.kind == NK::Feat) {
                c.op = StrFeatEqFeat;
                c.sub = std::uint8_t(l.feature);
                c.arg = std::int32_t(r.feature);
            } else {
                const Node &f = l.kind == NK::Feat ? l : r;
                const Node &k = l.kind == NK::Feat ? r : l;
                c.op = StrFeatEqK;
                c.sub = std::uint8_t(f.feature);
                c.arg = m_ids[std::size_t(k.str)];
            }
            return equal ? emit(c, ifTrue, ifFalse) : emit(c, ifFalse, ifTrue);
        }
        // Bool == Bool (constants were folded): two sub-graphs that end in kTrue/kFalse.
        c.op = BoolEq;
        c.arg = cond(n.kids[0], kTrue, kFalse);
        c.arg2 = cond(n.kids[1], kTrue, kFalse);
        if (c.arg < 0 || c.arg2 < 0) { // cannot happen after folding, but stay total
            Cond k;
            k.op = BoolFeat;
            return emit(k, ifTrue, ifFalse);
        }
        return equal ? emit(c, ifTrue, ifFalse) : emit(c, ifFalse, ifTrue);
    }

    std::int32_t membership(const Node &n, std::int32_t ifTrue, std::int32_t ifFalse)
    {
        const Node &l = at(n.kids[0]);
        Cond c;
        List list;
        if (l.type == ValueType::String) {
            std::vector<std::int32_t> ids;
            for (const std::int32_t s : n.strs)
                ids.push_back(m_ids[std::size_t(s)]);
            std::sort(ids.begin(), ids.end());
            ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
            list.offset = std::int32_t(m_p.ids.size());
            list.count = std::int32_t(ids.size());
            m_p.ids.insert(m_p.ids.end(), ids.begin(), ids.end());
            m_p.lists.push_back(list);
            c.op = StrFeatIn;
            c.sub = std::uint8_t(l.feature);
            c.arg = std::int32_t(m_p.lists.size() - 1);
            return emit(c, ifTrue, ifFalse);
        }
        list.offset = std::int32_t(m_p.numbers.size());
        list.count = std::int32_t(n.nums.size());
        m_p.numbers.insert(m_p.numbers.end(), n.nums.begin(), n.nums.end());
        m_p.lists.push_back(list);
        if (isNumberFeature(l)) {
            c.op = NumFeatIn;
            c.sub = std::uint8_t(l.feature);
            c.arg = tagId(l);
        } else {
            c.op = NumExprIn;
            c.arg = program({n.kids[0]});
        }
        c.arg2 = std::int32_t(m_p.lists.size() - 1);
        return emit(c, ifTrue, ifFalse);
    }

    std::int32_t program(std::initializer_list<std::int32_t> roots)
    {
        ValueProgram vp;
        vp.begin = std::int32_t(m_p.code.size());
        m_depth = 0;
        m_maxDepth = 0;
        for (const std::int32_t root : roots)
            value(root);
        vp.end = std::int32_t(m_p.code.size());
        vp.maxStack = m_maxDepth;
        m_p.programs.push_back(vp);
        return std::int32_t(m_p.programs.size() - 1);
    }

    void push()
    {
        ++m_depth;
        m_maxDepth = std::max(m_maxDepth, m_depth);
    }

    void value(std::int32_t index)
    {
        const Node &n = at(index);
        ValueInstr v;
        switch (n.kind) {
        case NK::Num:
            v.op = VOp::PushK;
            v.k = n.num;
            push();
            break;
        case NK::Feat:
            v.op = VOp::PushFeature;
            v.feature = n.feature;
            v.tag = tagId(n);
            push();
            break;
        case NK::Neg:
            value(n.kids[0]);
            v.op = VOp::Neg;
            break;
        case NK::Arith:
            value(n.kids[0]);
            for (std::size_t i = 1; i < n.kids.size(); ++i) {
                const Node &operand = at(n.kids[i]);
                ValueInstr op;
                op.arith = n.ops[i - 1];
                if (operand.kind == NK::Num) {
                    op.op = VOp::ArithK;
                    op.k = operand.num;
                } else {
                    value(n.kids[i]);
                    op.op = VOp::Arith;
                    --m_depth;
                }
                m_p.code.push_back(op);
            }
            return;
        default:
            return; // not reached: only Number nodes are values
        }
        m_p.code.push_back(v);
    }

    const std::vector<Node> &m_nodes;
    std::vector<std::int32_t> m_ids;
    Program &m_p;
    int m_depth = 0;
    int m_maxDepth = 0;
};

// ---------------------------------------------------------------------------
// Public interface

const char *valueTypeName(ValueType type)
{
    switch (type) {
    case ValueType::Number:
        return "Number";
    case ValueType::String:
        return "String";
    case ValueType::Bool:
        return "Bool";
    }
    return "?";
}

const std::vector<FeatureInfo> &featureCatalog()
{
    static const std::vector<FeatureInfo> catalog = [] {
        std::vector<FeatureInfo> out;
        for (const FeatureDef &f : kFeatures)
            out.push_back(FeatureInfo{std::string(f.name), f.type, std::string(f.description)});
        out.push_back(FeatureInfo{"tag.NAME", ValueType::Number,
                                  "preference weight of tag NAME ([a-z0-9_]+), e.g. tag.sports; 0 when absent"});
        return out;
    }();
    return catalog;
}

std::string ExpressionError::text() const
{
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + message;
}

Expression::Expression()
{
    static const std::shared_ptr<const Program> empty = std::make_shared<Program>();
    m_program = empty;
}

Expression::Expression(std::shared_ptr<const Program> program) : m_program(std::move(program))
{}

bool Expression::matches(const Profile &profile, Day today) const
{
    return run<false>(*m_program, m_program->entry, profile, today, nullptr);
}

bool Expression::matches(const Profile &profile, Day today, int *tests) const
{
    int ignored = 0;
    return run<true>(*m_program, m_program->entry, profile, today, tests ? tests : &ignored);
}

const std::string &Expression::source() const
{
    return m_program->source;
}

const std::vector<std::string> &Expression::features() const
{
    return m_program->features;
}

std::variant<Expression, ExpressionError> compileExpression(std::string_view source, Dictionary &dictionary,
                                                            const ExpressionLimits &limits)
{
    // The length first, in O(1) for huge input: a character is at most 4 bytes.
    const auto tooLong = [&] {
        return ExpressionError{1, 1,
                               "the expression is longer than " + std::to_string(limits.maxLength) + " characters"};
    };
    if (source.size() / 4 > limits.maxLength)
        return tooLong();
    if (source.size() > limits.maxLength) {
        const std::size_t characters = static_cast<std::size_t>(std::count_if(
            source.begin(), source.end(), [](char c) { return !isContinuation(static_cast<unsigned char>(c)); }));
        if (characters > limits.maxLength)
            return tooLong();
    }
    const int maxDepth = std::clamp(limits.maxDepth, 0, ExpressionLimits::kMaxDepthCap);
    try {
        Parser parser(source, Lexer(source).tokens(), maxDepth);
        const std::int32_t root = parser.parse();
        std::vector<std::int32_t> ids;
        ids.reserve(parser.strings.size());
        for (const std::string &s : parser.strings)
            ids.push_back(dictionary.intern(s));
        auto program = std::make_shared<Program>();
        program->source = std::string(source);
        program->features = std::move(parser.features);
        ExpressionCompiler compiler(parser.nodes, std::move(ids), *program);
        program->entry = compiler.cond(root, kTrue, kFalse);
        return ExpressionCompiler::make(std::move(program));
    } catch (const Failure &f) {
        return ExpressionError{f.line, f.column, f.message};
    }
}

std::string featureText(std::string_view feature, const Profile &profile, Day today, const Dictionary &dictionary)
{
    if (feature.substr(0, 4) == "tag.") {
        const std::string_view name = feature.substr(4);
        if (!isTagName(name))
            return {};
        const std::int32_t id = dictionary.find(name);
        return formatNumber(id == Dictionary::kUnknown ? 0.0 : profile.tag(id));
    }
    const FeatureDef *f = findFeature(feature);
    if (!f)
        return {};
    switch (f->type) {
    case ValueType::Number:
        return formatNumber(numberFeature(f->feature, 0, profile, today));
    case ValueType::Bool:
        return profile.keyPathComplete() ? "true" : "false";
    case ValueType::String:
        return dictionary.text(stringFeature(f->feature, profile));
    }
    return {};
}

} // namespace flywheel::segments
