#pragma once
// Private to the expression language: the lexer. It turns the text into tokens with
// line and column; it stops at the first lexical error, which becomes an Error token
// that the parser reports when it reaches it, so the error reported is always the
// first one in reading order.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::segments::expression {

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

/// Every token up to End, or up to and including the first Error.
std::vector<Token> tokenize(std::string_view source);

/// A UTF-8 continuation byte: does not start a character.
inline bool isContinuation(unsigned char c)
{
    return (c & 0xc0) == 0x80;
}

/// At most ~32 characters of `text`, cut on a character boundary.
std::string shorten(std::string_view text);

/// The character at `s[pos]` for a message: 'x', 'é' (U+00E9), U+0007, or byte 0xFF.
std::string describeChar(std::string_view s, std::size_t pos);

} // namespace flywheel::segments::expression
