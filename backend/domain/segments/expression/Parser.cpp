#include "domain/segments/expression/Parser.h"

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace flywheel::segments::expression {

namespace {

#if defined(__GNUC__)
#define FLYWHEEL_NOINLINE __attribute__((noinline))
#else
#define FLYWHEEL_NOINLINE
#endif

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

#undef FLYWHEEL_NOINLINE

} // namespace

ParsedExpression parse(std::string_view source, std::vector<Token> tokens, int maxDepth)
{
    Parser parser(source, std::move(tokens), maxDepth);
    ParsedExpression out;
    out.root = parser.parse();
    out.nodes = std::move(parser.nodes);
    out.strings = std::move(parser.strings);
    out.features = std::move(parser.features);
    return out;
}

} // namespace flywheel::segments::expression
