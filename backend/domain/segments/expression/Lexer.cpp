#include "domain/segments/expression/Lexer.h"

#include "domain/segments/expression/FeatureCatalog.h"

#include <charconv>
#include <cstdio>
#include <system_error>
#include <utility>

namespace flywheel::segments::expression {

namespace {

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

} // namespace

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

namespace {

class Lexer {
public:
    explicit Lexer(std::string_view source) : m_s(source) {}

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

} // namespace

std::vector<Token> tokenize(std::string_view source)
{
    return Lexer(source).tokens();
}

} // namespace flywheel::segments::expression
