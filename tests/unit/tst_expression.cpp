#include "domain/segments/Expression.h"

#include <QTest>

#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <random>
#include <thread>

using namespace flywheel::segments;

namespace {

constexpr Day kToday = 20000;

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

/// A profile with every feature known: registered 2 days ago, active today and
/// yesterday, 1 payment, on ios in cn via appstore, tag.sports = 0.75.
Profile sampleProfile(Dictionary &d)
{
    Profile p;
    p.uid = 1;
    p.registeredDay = kToday - 2;
    p.lastActiveDay = kToday;
    p.activeDays = 0b11;
    p.payCount = 1;
    p.sessionDepth = 4;
    p.device = d.intern("ios");
    p.region = d.intern("cn");
    p.installChannel = d.intern("appstore");
    p.registered = true;
    p.paid = true;
    p.tags = {{d.intern("sports"), 0.75}};
    return p;
}

struct Compiled {
    std::optional<Expression> expression;
    std::optional<ExpressionError> error;
};

Compiled compile(std::string_view source, Dictionary &d, const ExpressionLimits &limits = {})
{
    auto result = compileExpression(source, d, limits);
    Compiled c;
    if (auto *e = std::get_if<Expression>(&result))
        c.expression = *e;
    else
        c.error = std::get<ExpressionError>(result);
    return c;
}

Compiled compile(std::string_view source, const std::unique_ptr<Dictionary> &d, const ExpressionLimits &limits = {})
{
    return compile(source, *d, limits);
}

} // namespace

// Compiles SOURCE, which must be valid, and checks its value on PROFILE.
#define CHECK_MATCH(source, profile, expected)                                                                         \
    do {                                                                                                               \
        const std::string s_(source);                                                                                  \
        const Compiled c_ = compile(s_, m_dict);                                                                       \
        if (c_.error)                                                                                                  \
            QFAIL(qPrintable(QStringLiteral("%1: %2").arg(q(s_), q(c_.error->text()))));                               \
        QVERIFY2(c_.expression->matches(profile, kToday) == (expected), s_.c_str());                                   \
    } while (false)

// Compiles SOURCE, which must be invalid, and checks the error's position and message.
#define CHECK_ERROR(source, line_, column_, message_)                                                                  \
    do {                                                                                                               \
        const std::string s_(source);                                                                                  \
        const Compiled c_ = compile(s_, m_dict);                                                                       \
        QVERIFY2(c_.error.has_value(), s_.c_str());                                                                    \
        QCOMPARE(q(c_.error->message), QString::fromUtf8(message_));                                                   \
        QCOMPARE(c_.error->line, line_);                                                                               \
        QCOMPARE(c_.error->column, column_);                                                                           \
    } while (false)

// ---------------------------------------------------------------------------
// A reference implementation for the property test: its own tiny AST, built by a random
// generator together with the source text, and evaluated recursively by the rules of
// docs/expressions.md, as plainly as possible.

namespace reference {

enum class K { Num, Str, BoolLit, NumFeat, StrFeat, KeyPath, Neg, Not, Arith, And, Or, Cmp, In };

struct Node {
    K k = K::Num;
    double num = 0;
    std::string str;      // Str: the literal; NumFeat / StrFeat: the feature's name
    bool b = false;       // BoolLit
    std::string op;       // Arith: + - * / % ; Cmp: == != < <= > >=
    bool negated = false; // In: not in
    ValueType listType = ValueType::Number;
    std::vector<double> nums;
    std::vector<std::string> strs;
    std::vector<bool> bools;
    std::shared_ptr<Node> a;
    std::shared_ptr<Node> c;
};
using P = std::shared_ptr<Node>;

struct Env {
    const Profile &p;
    Day today;
    const Dictionary &d;
};

double number(const Node &n, const Env &e);
bool boolean(const Node &n, const Env &e);

/// A string's dictionary id, or nullopt for an unknown value.
std::optional<std::int32_t> text(const Node &n, const Env &e)
{
    if (n.k == K::Str)
        return e.d.find(n.str);
    const std::int32_t id = n.str == "device" ? e.p.device : n.str == "region" ? e.p.region : e.p.installChannel;
    if (id == Dictionary::kUnknown)
        return std::nullopt;
    return id;
}

double number(const Node &n, const Env &e)
{
    switch (n.k) {
    case K::Num:
        return n.num;
    case K::NumFeat: {
        if (n.str == "pay_count")
            return e.p.payCount;
        if (n.str == "session_depth")
            return e.p.sessionDepth;
        if (n.str == "days_since_reg")
            return e.today - e.p.registeredDay;
        if (n.str == "last_active_days")
            return e.today - e.p.lastActiveDay;
        if (n.str == "active_days_7d") { // days d in [today - 6, today] with the bit for d set
            int count = 0;
            for (int i = 0; i < 32; ++i) {
                const Day day = e.p.lastActiveDay - i;
                if ((e.p.activeDays >> i & 1u) && day >= e.today - 6 && day <= e.today)
                    ++count;
            }
            return count;
        }
        const std::string tag = n.str.substr(4); // tag.NAME
        for (const TagWeight &t : e.p.tags) {
            if (e.d.text(t.tag) == tag)
                return t.weight;
        }
        return 0;
    }
    case K::Neg:
        return -number(*n.a, e);
    case K::Arith: {
        const double x = number(*n.a, e);
        const double y = number(*n.c, e);
        if (n.op == "+")
            return x + y;
        if (n.op == "-")
            return x - y;
        if (n.op == "*")
            return x * y;
        if (y == 0)
            return 0; // x / 0 and x % 0 are 0
        return n.op == "/" ? x / y : std::fmod(x, y);
    }
    default:
        return 0;
    }
}

bool boolean(const Node &n, const Env &e)
{
    switch (n.k) {
    case K::BoolLit:
        return n.b;
    case K::KeyPath:
        return e.p.registered && e.p.paid;
    case K::Not:
        return !boolean(*n.a, e);
    case K::And:
        return boolean(*n.a, e) && boolean(*n.c, e);
    case K::Or:
        return boolean(*n.a, e) || boolean(*n.c, e);
    case K::Cmp: {
        bool equal = false;
        if (n.a->k == K::Str || n.a->k == K::StrFeat) {
            const auto x = text(*n.a, e);
            const auto y = text(*n.c, e);
            equal = x && y && *x == *y; // an unknown value equals nothing
        } else if (n.a->k == K::BoolLit || n.a->k == K::KeyPath || n.a->k == K::Not || n.a->k == K::And ||
                   n.a->k == K::Or || n.a->k == K::Cmp || n.a->k == K::In) {
            equal = boolean(*n.a, e) == boolean(*n.c, e);
        } else {
            const double x = number(*n.a, e);
            const double y = number(*n.c, e);
            if (n.op == "<")
                return x < y;
            if (n.op == "<=")
                return x <= y;
            if (n.op == ">")
                return x > y;
            if (n.op == ">=")
                return x >= y;
            equal = x == y;
        }
        return n.op == "==" ? equal : !equal;
    }
    case K::In: {
        bool found = false;
        if (n.listType == ValueType::Number) {
            const double x = number(*n.a, e);
            for (const double v : n.nums)
                found = found || x == v;
        } else if (n.listType == ValueType::String) {
            const auto x = text(*n.a, e);
            for (const std::string &s : n.strs)
                found = found || (x && e.d.find(s) == *x);
        } else {
            const bool x = boolean(*n.a, e);
            for (const bool v : n.bools)
                found = found || x == v;
        }
        return found != n.negated;
    }
    default:
        return false;
    }
}

/// Generates random well-typed expressions and their text, with the fewest parentheses
/// the precedence needs (plus a few extra), and random spacing and line breaks.
class Generator {
public:
    explicit Generator(std::uint32_t seed) : m_rng(seed) {}

    std::pair<P, std::string> boolExpression()
    {
        P n = genBool(4);
        return {n, print(*n, 0)};
    }

private:
    int pick(int n) { return int(m_rng() % std::uint32_t(n)); }

    static P make(K k)
    {
        auto n = std::make_shared<Node>();
        n->k = k;
        return n;
    }

    struct Literal {
        const char *text;
        double value;
    };

    P numberLeaf()
    {
        static const Literal literals[] = {{"0", 0},       {"1", 1},   {"2", 2},    {"3", 3},         {"0.5", 0.5},
                                           {"0.25", 0.25}, {"10", 10}, {"1e1", 10}, {"2.5e-1", 0.25}, {"7", 7}};
        static const char *features[] = {"pay_count",      "session_depth", "days_since_reg", "last_active_days",
                                         "active_days_7d", "tag.sports",    "tag.games",      "tag.never_seen"};
        if (pick(2) == 0) {
            const Literal &l = literals[pick(10)];
            P n = make(K::Num);
            n->num = l.value;
            n->str = l.text;
            return n;
        }
        P n = make(K::NumFeat);
        n->str = features[pick(8)];
        return n;
    }

    P stringLeaf()
    {
        static const char *literals[] = {"ios", "android", "web", "cn", "us", "", "appstore"};
        static const char *features[] = {"device", "region", "install_channel"};
        if (pick(2) == 0) {
            P n = make(K::Str);
            n->str = literals[pick(7)];
            return n;
        }
        P n = make(K::StrFeat);
        n->str = features[pick(3)];
        return n;
    }

    P genNumber(int depth)
    {
        if (depth <= 0 || pick(3) == 0)
            return numberLeaf();
        if (pick(6) == 0) {
            P n = make(K::Neg);
            n->a = genNumber(depth - 1);
            return n;
        }
        static const char *ops[] = {"+", "-", "*", "/", "%"};
        P n = make(K::Arith);
        n->op = ops[pick(5)];
        n->a = genNumber(depth - 1);
        n->c = genNumber(depth - 1);
        return n;
    }

    P genBool(int depth)
    {
        static const char *cmps[] = {"==", "!=", "<", "<=", ">", ">="};
        const int choice = depth <= 0 ? 3 + pick(5) : pick(11);
        P n;
        switch (choice) {
        case 0:
        case 1:
            n = make(choice == 0 ? K::And : K::Or);
            n->a = genBool(depth - 1);
            n->c = genBool(depth - 1);
            return n;
        case 2:
            n = make(K::Not);
            n->a = genBool(depth - 1);
            return n;
        case 3:
        case 4:
            n = make(K::Cmp);
            n->op = cmps[pick(6)];
            n->a = genNumber(depth - 1);
            n->c = genNumber(depth - 1);
            return n;
        case 5:
            n = make(K::Cmp);
            n->op = cmps[pick(2)];
            n->a = stringLeaf();
            n->c = stringLeaf();
            return n;
        case 6: {
            n = make(K::In);
            n->negated = pick(3) == 0;
            const int count = 1 + pick(pick(4) == 0 ? 12 : 3);
            if (pick(2) == 0) {
                n->listType = ValueType::Number;
                n->a = genNumber(depth - 1);
                for (int i = 0; i < count; ++i) {
                    P leaf = numberLeaf();
                    while (leaf->k != K::Num)
                        leaf = numberLeaf();
                    n->nums.push_back(pick(4) == 0 ? -leaf->num : leaf->num);
                    n->strs.push_back((n->nums.back() < 0 ? "-" : "") + leaf->str);
                }
            } else {
                n->listType = ValueType::String;
                n->a = stringLeaf();
                while (n->a->k != K::StrFeat)
                    n->a = stringLeaf();
                for (int i = 0; i < count; ++i) {
                    P leaf = stringLeaf();
                    while (leaf->k != K::Str)
                        leaf = stringLeaf();
                    n->strs.push_back(leaf->str);
                }
            }
            return n;
        }
        case 7:
            if (pick(3) == 0) {
                n = make(K::BoolLit);
                n->b = pick(2) == 0;
            } else {
                n = make(K::KeyPath);
            }
            return n;
        case 8:
            n = make(K::Cmp);
            n->op = cmps[pick(2)];
            n->a = genBool(depth - 1);
            n->c = genBool(depth - 1);
            return n;
        case 9:
            n = make(K::In);
            n->listType = ValueType::Bool;
            n->negated = pick(2) == 0;
            n->a = genBool(depth - 1);
            n->bools.push_back(pick(2) == 0);
            if (pick(2) == 0)
                n->bools.push_back(pick(2) == 0);
            return n;
        default:
            return genBool(0);
        }
    }

    static int level(const Node &n)
    {
        switch (n.k) {
        case K::Or:
            return 1;
        case K::And:
            return 2;
        case K::Cmp:
        case K::In:
            return 3;
        case K::Arith:
            return n.op == "+" || n.op == "-" ? 4 : 5;
        case K::Neg:
        case K::Not:
            return 6;
        default:
            return 7;
        }
    }

    std::string space()
    {
        switch (pick(8)) {
        case 0:
            return "\n";
        case 1:
            return "  ";
        case 2:
            return "\t";
        default:
            return " ";
        }
    }

    std::string print(const Node &n, int minLevel)
    {
        std::string s = raw(n);
        if (level(n) < minLevel || pick(10) == 0)
            s = "(" + s + ")";
        return s;
    }

    std::string raw(const Node &n)
    {
        switch (n.k) {
        case K::Num:
            return n.str;
        case K::Str:
            return "\"" + n.str + "\"";
        case K::NumFeat:
        case K::StrFeat:
            return n.str;
        case K::BoolLit:
            return n.b ? "true" : "false";
        case K::KeyPath:
            return "key_path_complete";
        case K::Neg:
            return "-" + print(*n.a, 6);
        case K::Not:
            return "!" + print(*n.a, 6);
        case K::Or:
            return print(*n.a, 1) + space() + "||" + space() + print(*n.c, 2);
        case K::And:
            return print(*n.a, 2) + space() + "&&" + space() + print(*n.c, 3);
        case K::Cmp:
            return print(*n.a, 4) + space() + n.op + space() + print(*n.c, 4);
        case K::Arith: {
            const int l = level(n);
            return print(*n.a, l) + space() + n.op + space() + print(*n.c, l + 1);
        }
        case K::In: {
            std::string s = print(*n.a, 4) + (n.negated ? " not in [" : " in [");
            if (n.listType == ValueType::Number) {
                for (std::size_t i = 0; i < n.nums.size(); ++i)
                    s += (i ? ", " : "") + n.strs[i];
            } else if (n.listType == ValueType::String) {
                for (std::size_t i = 0; i < n.strs.size(); ++i)
                    s += (i ? "," : "") + std::string("\"") + n.strs[i] + "\"";
            } else {
                for (std::size_t i = 0; i < n.bools.size(); ++i)
                    s += (i ? ", " : "") + std::string(n.bools[i] ? "true" : "false");
            }
            return s + "]";
        }
        }
        return {};
    }

    std::mt19937 m_rng;
};

} // namespace reference

class TestExpression final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        m_dict = std::make_unique<Dictionary>();
        m_profile = sampleProfile(*m_dict);
    }

    void catalogListsEveryFeature()
    {
        const std::vector<FeatureInfo> &catalog = featureCatalog();
        const std::vector<std::pair<std::string, ValueType>> expected = {
            {"pay_count", ValueType::Number},        {"days_since_reg", ValueType::Number},
            {"last_active_days", ValueType::Number}, {"active_days_7d", ValueType::Number},
            {"session_depth", ValueType::Number},    {"key_path_complete", ValueType::Bool},
            {"device", ValueType::String},           {"region", ValueType::String},
            {"install_channel", ValueType::String},  {"tag.NAME", ValueType::Number}};
        QCOMPARE(catalog.size(), expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i) {
            QCOMPARE(catalog[i].name, expected[i].first);
            QVERIFY(catalog[i].type == expected[i].second);
            QVERIFY(!catalog[i].description.empty());
        }
        // Every catalogued name compiles (as a comparison of the right type).
        for (const FeatureInfo &f : catalog) {
            const std::string name = f.name == "tag.NAME" ? "tag.x" : f.name;
            const std::string source = f.type == ValueType::Number   ? name + " >= 0"
                                       : f.type == ValueType::String ? name + " == \"x\""
                                                                     : name + " == true";
            QVERIFY2(!compile(source, m_dict).error, source.c_str());
        }
    }

    void featuresReadTheProfile()
    {
        const Profile &p = m_profile;
        CHECK_MATCH("pay_count == 1", p, true);
        CHECK_MATCH("days_since_reg == 2", p, true);
        CHECK_MATCH("last_active_days == 0", p, true);
        CHECK_MATCH("active_days_7d == 2", p, true);
        CHECK_MATCH("session_depth == 4", p, true);
        CHECK_MATCH("key_path_complete", p, true);
        CHECK_MATCH("device == \"ios\"", p, true);
        CHECK_MATCH("\"ios\" == device", p, true);
        CHECK_MATCH("region == \"cn\" && install_channel == \"appstore\"", p, true);
        CHECK_MATCH("tag.sports == 0.75", p, true);
        CHECK_MATCH("tag.sports > 0.5 && 0.5 < tag.sports", p, true);
        CHECK_MATCH("device == \"android\"", p, false);
        CHECK_MATCH("pay_count > 1", p, false);
        Profile other = p;
        other.paid = false;
        CHECK_MATCH("key_path_complete", other, false);
        CHECK_MATCH("!key_path_complete", other, true);
        CHECK_MATCH("key_path_complete == false", other, true);
        CHECK_MATCH("key_path_complete != true", other, true);
    }

    void literals()
    {
        const Profile &p = m_profile;
        CHECK_MATCH("true", p, true);
        CHECK_MATCH("false", p, false);
        CHECK_MATCH("1e3 == 1000 && 2.5E-1 == 0.25 && 1E+2 == 100", p, true);
        CHECK_MATCH("0.5 + 0.25 == 0.75", p, true);
        CHECK_MATCH("007 == 7", p, true);
        // Escapes: \" and \\ only; the literal is interned with its decoded text.
        CHECK_MATCH("\"a\\\"b\\\\c\" == \"a\\\"b\\\\c\"", p, true);
        QVERIFY(!compile("device == \"say \\\"hi\\\" \\\\ o/\"", m_dict).error);
        QVERIFY(m_dict->find("say \"hi\" \\ o/") != Dictionary::kUnknown);
        // Non-ASCII text is fine inside strings.
        QVERIFY(!compile("region == \"北京\"", m_dict).error);
        QVERIFY(m_dict->find("北京") != Dictionary::kUnknown);
    }

    void precedenceAndAssociativity()
    {
        const Profile &p = m_profile; // pay_count 1, session_depth 4
        CHECK_MATCH("1 + 2 * 3 == 7", p, true);
        CHECK_MATCH("(1 + 2) * 3 == 9", p, true);
        CHECK_MATCH("10 - 4 - 3 == 3", p, true);  // (10 - 4) - 3, not 10 - (4 - 3)
        CHECK_MATCH("64 / 8 / 2 == 4", p, true);  // left to right
        CHECK_MATCH("2 * 3 % 4 == 2", p, true);   // (2 * 3) % 4, not 2 * (3 % 4)
        CHECK_MATCH("7 % 4 * 2 == 6", p, true);   // (7 % 4) * 2
        CHECK_MATCH("-2 * 3 + 10 == 4", p, true); // unary minus binds tightest
        CHECK_MATCH("- -3 == 3 && --3 == 3", p, true);
        CHECK_MATCH("2 - -3 == 5", p, true);
        // The same with features, so nothing is folded away.
        CHECK_MATCH("session_depth - pay_count - 2 == 1", p, true);
        CHECK_MATCH("session_depth / 2 / 2 == 1", p, true);
        CHECK_MATCH("session_depth + pay_count * 2 == 6", p, true);
        CHECK_MATCH("session_depth * 3 % 5 == 2", p, true);
        CHECK_MATCH("-session_depth * 2 == -8", p, true);
        CHECK_MATCH("session_depth - (pay_count - 2) == 5", p, true);
        // Comparisons bind looser than arithmetic, && looser than comparisons, || loosest.
        CHECK_MATCH("pay_count + 1 > 1", p, true);
        CHECK_MATCH("key_path_complete || pay_count > 5 && pay_count < 0", p, true); // a || (b && c)
        CHECK_MATCH("(key_path_complete || pay_count > 5) && pay_count < 0", p, false);
        CHECK_MATCH("!false && false", p, false); // (!false) && false
        CHECK_MATCH("!(false && false)", p, true);
        CHECK_MATCH("!!key_path_complete", p, true);
        CHECK_MATCH("!!!key_path_complete", p, false);
        CHECK_MATCH("!(pay_count > 1)", p, true);
        // `!` binds tighter than a comparison, as in C: `!pay_count > 1` is `(!pay_count) > 1`.
        const Compiled c = compile("!pay_count > 1", m_dict);
        QVERIFY(c.error);
        QVERIFY(c.error->message.starts_with("'!' needs a Bool operand but its operand is a Number"));
        // == between two conditions needs parentheses: comparisons do not chain.
        CHECK_MATCH("(pay_count > 0) == (session_depth > 3)", p, true);
        CHECK_MATCH("(pay_count > 0) != key_path_complete", p, false);
        CHECK_ERROR("1 < 2 < 3", 1, 7,
                    "comparisons cannot be chained: combine them with '&&' (a < b && b < c) or use parentheses");
        CHECK_ERROR("pay_count == 1 == true", 1, 16,
                    "comparisons cannot be chained: combine them with '&&' (a < b && b < c) or use parentheses");
        CHECK_ERROR("pay_count in [1] == true", 1, 18,
                    "comparisons cannot be chained: combine them with '&&' (a < b && b < c) or use parentheses");
    }

    // Every comparison at equality and one step either side: feature against feature
    // (numbers, day-relative numbers and tags), feature against a constant on either
    // side, and through arithmetic, so that no evaluation path swaps or loosens an
    // operator. The property test only reaches these boundaries by chance.
    void comparisonsAtTheirBoundary()
    {
        struct Op {
            const char *text;
            bool (*holds)(double, double);
        };
        const Op ops[] = {
            {"<", [](double a, double b) { return a < b; }},   {"<=", [](double a, double b) { return a <= b; }},
            {">", [](double a, double b) { return a > b; }},   {">=", [](double a, double b) { return a >= b; }},
            {"==", [](double a, double b) { return a == b; }}, {"!=", [](double a, double b) { return a != b; }},
        };
        const std::string sportsTag = "sports";
        const std::int32_t sports = m_dict->intern(sportsTag);
        const std::int32_t music = m_dict->intern("music");
        for (const int left : {2, 3, 4}) {
            const int right = 3;
            Profile p = m_profile;
            p.payCount = left;
            p.sessionDepth = right;
            p.registeredDay = kToday - left;  // days_since_reg == left
            p.lastActiveDay = kToday - right; // last_active_days == right
            p.tags = {{sports, left / 4.0}, {music, right / 4.0}};
            for (const Op &op : ops) {
                const bool expected = op.holds(left, right);
                const std::string o = op.text;
                const std::string l = std::to_string(left);
                const std::string r = std::to_string(right);
                CHECK_MATCH("pay_count " + o + " session_depth", p, expected);
                CHECK_MATCH("days_since_reg " + o + " last_active_days", p, expected);
                CHECK_MATCH("tag.sports " + o + " tag.music", p, expected);
                CHECK_MATCH("pay_count " + o + " " + r, p, expected);
                CHECK_MATCH(l + " " + o + " session_depth", p, expected);
                CHECK_MATCH("tag.sports " + o + " " + std::to_string(right / 4.0), p, expected);
                CHECK_MATCH(std::to_string(left / 4.0) + " " + o + " tag.music", p, expected);
                CHECK_MATCH("pay_count + 0 " + o + " session_depth * 1", p, expected);
                CHECK_MATCH("pay_count - session_depth " + o + " 0", p, expected);
                CHECK_MATCH("!(pay_count " + o + " session_depth)", p, !expected);
                CHECK_MATCH("pay_count " + o + " session_depth && key_path_complete", p, expected);
                CHECK_MATCH("pay_count " + o + " session_depth || !key_path_complete", p, expected);
            }
        }
    }

    void arithmeticIsTotal()
    {
        Profile p = m_profile;
        p.sessionDepth = 0;
        // Division or remainder by zero gives 0, for constants and at evaluation alike.
        CHECK_MATCH("pay_count / 0 == 0", p, true);
        CHECK_MATCH("pay_count % 0 == 0", p, true);
        CHECK_MATCH("pay_count / session_depth == 0", p, true);
        CHECK_MATCH("pay_count % session_depth == 0", p, true);
        CHECK_MATCH("0 / 0 == 0", p, true);
        CHECK_MATCH("(pay_count + 9) / (session_depth * 2) + 1 == 1", p, true);
        // % is C's fmod: the sign of the left operand, decimals allowed.
        CHECK_MATCH("7 % 3 == 1 && -7 % 3 == -1 && 7 % -3 == 1 && 7.5 % 2 == 1.5", p, true);
        CHECK_MATCH("(pay_count + 6) % 3 == 1 && -(pay_count + 6) % 3 == -1", p, true);
        // Overflow gives infinity; inf - inf is NaN, which compares false except with !=.
        CHECK_MATCH("1e308 * 10 > 1e308", p, true);
        p.tags = {{m_dict->intern("sports"), std::numeric_limits<double>::infinity()}};
        CHECK_MATCH("tag.sports > 1e308", p, true);
        CHECK_MATCH("tag.sports * 0 == tag.sports * 0", p, false);
        CHECK_MATCH("tag.sports * 0 != 0", p, true);
        CHECK_MATCH("tag.sports * 0 < 1 || tag.sports * 0 >= 1", p, false);
        CHECK_MATCH("!(tag.sports * 0 < 1)", p, true);
        CHECK_MATCH("tag.sports - tag.sports in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]", p, false);
        CHECK_MATCH("1e308 * 10 - 1e308 * 10 == 0", p, false);
        CHECK_MATCH("1e308 * 10 - 1e308 * 10 != 0", p, true);
    }

    void andOrShortCircuit()
    {
        // matches(profile, today, &tests) counts the leaf tests evaluated.
        Profile p = m_profile;
        const Compiled c = compile("pay_count >= 1 && days_since_reg <= 3 && tag.sports > 0.5", m_dict);
        QVERIFY(c.expression);
        int tests = 0;
        QVERIFY(c.expression->matches(p, kToday, &tests));
        QCOMPARE(tests, 3);
        p.payCount = 0;
        tests = 0;
        QVERIFY(!c.expression->matches(p, kToday, &tests));
        QCOMPARE(tests, 1); // the first false operand decides
        p.payCount = 1;
        p.registeredDay = kToday - 10;
        tests = 0;
        QVERIFY(!c.expression->matches(p, kToday, &tests));
        QCOMPARE(tests, 2);

        const Compiled o = compile("pay_count == 0 || 1 / pay_count > 0.5 || session_depth > 100", m_dict);
        QVERIFY(o.expression);
        p.payCount = 0;
        tests = 0;
        QVERIFY(o.expression->matches(p, kToday, &tests));
        QCOMPARE(tests, 1); // the first true operand decides; 1 / pay_count is not evaluated
        p.payCount = 1;
        tests = 0;
        QVERIFY(o.expression->matches(p, kToday, &tests));
        QCOMPARE(tests, 2);
        p.payCount = 4;
        tests = 0;
        QVERIFY(!o.expression->matches(p, kToday, &tests));
        QCOMPARE(tests, 3);

        // Nested, and through `!`.
        const Compiled n = compile("!(pay_count > 0 || session_depth > 3) && device == \"ios\"", m_dict);
        QVERIFY(n.expression);
        tests = 0;
        QVERIFY(!n.expression->matches(p, kToday, &tests));
        QCOMPARE(tests, 1);
        p.payCount = 0;
        p.sessionDepth = 0;
        tests = 0;
        QVERIFY(n.expression->matches(p, kToday, &tests));
        QCOMPARE(tests, 3);
        // The counting overload gives the same answers as the plain one.
        QCOMPARE(n.expression->matches(p, kToday), true);
        QVERIFY(n.expression->matches(p, kToday, nullptr));
    }

    void constantsFold()
    {
        int tests = 0;
        const Compiled c = compile("false && pay_count > 1 || 1 + 1 == 2", m_dict);
        QVERIFY(c.expression);
        QVERIFY(c.expression->matches(m_profile, kToday, &tests));
        QCOMPARE(tests, 0);
        // The features list still names what the text mentions.
        QCOMPARE(c.expression->features(), std::vector<std::string>{"pay_count"});
        tests = 0;
        const Compiled t = compile("pay_count > 1 && true || false", m_dict);
        QVERIFY(!t.expression->matches(m_profile, kToday, &tests));
        QCOMPARE(tests, 1);
    }

    void typeErrors()
    {
        CHECK_ERROR("device == 3", 1, 8, "'==' cannot compare a String with a Number");
        CHECK_ERROR("pay_count < \"x\"", 1, 11, "'<' cannot compare a Number with a String");
        CHECK_ERROR("key_path_complete != 1", 1, 19, "'!=' cannot compare a Bool with a Number");
        CHECK_ERROR("device == key_path_complete", 1, 8, "'==' cannot compare a String with a Bool");
        CHECK_ERROR("device < region", 1, 8, "'<' orders Numbers only, but both operands are Strings");
        CHECK_ERROR("key_path_complete >= true", 1, 19, "'>=' orders Numbers only, but both operands are Bools");
        CHECK_ERROR("device + 1 > 0", 1, 8, "'+' needs Number operands but the left operand is a String");
        CHECK_ERROR("1 * key_path_complete > 0", 1, 3, "'*' needs Number operands but the right operand is a Bool");
        CHECK_ERROR("2 - \"a\" > 0", 1, 3, "'-' needs Number operands but the right operand is a String");
        CHECK_ERROR("true / 2 > 0", 1, 6, "'/' needs Number operands but the left operand is a Bool");
        CHECK_ERROR("1 % region > 0", 1, 3, "'%' needs Number operands but the right operand is a String");
        CHECK_ERROR("pay_count && true", 1, 11, "'&&' needs Bool operands but the left operand is a Number");
        CHECK_ERROR("true || device", 1, 6, "'||' needs Bool operands but the right operand is a String");
        CHECK_ERROR("!pay_count", 1, 1,
                    "'!' needs a Bool operand but its operand is a Number (to negate a comparison, put it in "
                    "parentheses: '!(pay_count > 1)')");
        CHECK_ERROR("-device == 1", 1, 1, "'-' needs a Number operand but its operand is a String");
        CHECK_ERROR("-true", 1, 1, "'-' needs a Number operand but its operand is a Bool");
        CHECK_ERROR("pay_count + 1", 1, 1,
                    "the expression is a Number but must be a Bool (a condition such as 'pay_count >= 1')");
        CHECK_ERROR("  device", 1, 3,
                    "the expression is a String but must be a Bool (a condition such as 'pay_count >= 1')");
        CHECK_ERROR("device in [1]", 1, 12,
                    "expected a String literal in the list (the left side of 'in' is a String) but found '1', a "
                    "Number");
        CHECK_ERROR("pay_count not in [1, \"a\"]", 1, 22,
                    "expected a Number literal in the list (the left side of 'not in' is a Number) but found the "
                    "string \"a\", a String");
        CHECK_ERROR("key_path_complete in [true, -1]", 1, 29,
                    "expected a Bool literal in the list (the left side of 'in' is a Bool) but found '1', a Number");
    }

    void missingValues()
    {
        Profile p; // nothing known: no tags, unknown device/region/channel
        CHECK_MATCH("tag.sports == 0", p, true);
        CHECK_MATCH("tag.never_mentioned_before == 0", p, true);
        CHECK_MATCH("tag.sports < 0.1 && tag.sports >= 0", p, true);
        CHECK_MATCH("tag.sports in [0]", p, true);
        CHECK_MATCH("device == \"ios\"", p, false);
        CHECK_MATCH("device != \"ios\"", p, true);
        CHECK_MATCH("device == \"\"", p, false); // unknown displays as "" but equals no literal
        CHECK_MATCH("device in [\"ios\", \"android\", \"\"]", p, false);
        CHECK_MATCH("device not in [\"ios\"]", p, true);
        CHECK_MATCH("device == region", p, false); // two unknowns are not equal either
        CHECK_MATCH("device != region", p, true);
        CHECK_MATCH("install_channel == install_channel", p, false);
        p.device = m_dict->intern("ios");
        p.region = m_dict->intern("ios");
        CHECK_MATCH("device == region", p, true);
        CHECK_MATCH("device == install_channel", p, false);
        QCOMPARE(featureText("device", Profile(), kToday, *m_dict), std::string());
        QCOMPARE(featureText("tag.sports", Profile(), kToday, *m_dict), std::string("0"));
    }

    void inLists()
    {
        Profile p = m_profile; // pay_count 1, tag.sports 0.75, device ios
        CHECK_MATCH("pay_count in [1, 2, 3]", p, true);
        CHECK_MATCH("pay_count in [2, 3]", p, false);
        CHECK_MATCH("pay_count not in [2, 3]", p, true);
        CHECK_MATCH("pay_count not in [1]", p, false);
        CHECK_MATCH("-pay_count in [-1]", p, true);
        CHECK_MATCH("pay_count - 2 in [-3, -1]", p, true); // an expression on the left
        CHECK_MATCH("tag.sports in [0.25, 0.75]", p, true);
        CHECK_MATCH("tag.sports * 2 in [1.5]", p, true);
        CHECK_MATCH("pay_count in [1, 1, 1]", p, true);
        CHECK_MATCH("3 in [1, 2, 3]", p, true);
        CHECK_MATCH("4 not in [1, 2, 3]", p, true);
        // Long lists (searched by bisection).
        CHECK_MATCH("pay_count in [20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]", p, true);
        CHECK_MATCH("pay_count in [20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]", p, false);
        CHECK_MATCH("pay_count + 0.5 in [20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 1.5]", p, true);
        CHECK_MATCH("device in [\"android\", \"ios\"]", p, true);
        CHECK_MATCH("device in [\"android\", \"web\"]", p, false);
        CHECK_MATCH("device not in [\"android\", \"web\"]", p, true);
        CHECK_MATCH("device in [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\", \"j\", \"ios\"]", p,
                    true);
        CHECK_MATCH("device in [\"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\", \"j\", \"k\"]", p,
                    false);
        CHECK_MATCH("\"ios\" in [\"android\", \"ios\"]", p, true);
        CHECK_MATCH("key_path_complete in [true]", p, true);
        CHECK_MATCH("key_path_complete in [false]", p, false);
        CHECK_MATCH("key_path_complete not in [false]", p, true);
        CHECK_MATCH("(pay_count > 5) in [false, true]", p, true);
        CHECK_MATCH("(pay_count > 5) in [false]", p, true);
        CHECK_MATCH("(pay_count > 5) not in [true, false]", p, false);
        CHECK_ERROR("pay_count in []", 1, 14, "the list after 'in' is empty");
        CHECK_ERROR("pay_count not in [ ]", 1, 18, "the list after 'not in' is empty");
        CHECK_ERROR("pay_count in 1", 1, 14, "expected '[' after 'in' but found '1'");
        CHECK_ERROR("pay_count in [session_depth]", 1, 15,
                    "expected a literal (a number, string, true or false) in the list but found 'session_depth'");
        CHECK_ERROR("pay_count in [1 2]", 1, 17, "expected ',' or ']' to close '[' at column 14 but found '2'");
        CHECK_ERROR("pay_count in [1, 2", 1, 19,
                    "expected ',' or ']' to close '[' at column 14 but found the end of the expression");
        CHECK_ERROR("pay_count in [1,]", 1, 17,
                    "expected a literal (a number, string, true or false) in the list but found ']'");
        CHECK_ERROR("pay_count not [1]", 1, 15, "expected 'in' after 'not' but found '[' (use '!' to negate)");
    }

    void dayRelativeFeatures()
    {
        Profile p;
        p.registeredDay = 100;
        p.lastActiveDay = 105;
        p.activeDays = 0b1011;                        // active on days 105, 104 and 102
        CHECK_MATCH("days_since_reg == 3", p, false); // today is kToday here
        const auto at = [&](const char *source, Day today) {
            const Compiled c = compile(source, m_dict);
            return c.expression && c.expression->matches(p, today);
        };
        QVERIFY(at("days_since_reg == 5", 105));
        QVERIFY(at("days_since_reg == 10", 110));
        QVERIFY(at("last_active_days == 0", 105));
        QVERIFY(at("last_active_days == 3", 108));
        QVERIFY(at("active_days_7d == 3", 105));
        QVERIFY(at("active_days_7d == 3", 108)); // 102..108 still holds all three
        QVERIFY(at("active_days_7d == 2", 109)); // 103..109: 104 and 105
        QVERIFY(at("active_days_7d == 2", 110)); // 104..110
        QVERIFY(at("active_days_7d == 1", 111));
        QVERIFY(at("active_days_7d == 0", 112));
        QVERIFY(at("pay_count >= 0 && days_since_reg <= 3", 103));
        QVERIFY(!at("pay_count >= 0 && days_since_reg <= 3", 104));
        QCOMPARE(featureText("days_since_reg", p, 110, *m_dict), std::string("10"));
        QCOMPARE(featureText("active_days_7d", p, 109, *m_dict), std::string("2"));
    }

    void syntaxErrors()
    {
        CHECK_ERROR("", 1, 1, "the expression is empty");
        CHECK_ERROR("  \n\t ", 2, 3, "the expression is empty");
        CHECK_ERROR("pay_count >= )", 1, 14, "expected a number, string, feature or '(' but found ')'");
        CHECK_ERROR("pay_count >=", 1, 13,
                    "expected a number, string, feature or '(' but found the end of the expression");
        CHECK_ERROR("&& pay_count > 1", 1, 1, "expected a number, string, feature or '(' but found '&&'");
        CHECK_ERROR("in [1]", 1, 1, "expected a number, string, feature or '(' but found the keyword 'in'");
        CHECK_ERROR("not key_path_complete", 1, 1,
                    "expected a number, string, feature or '(' but found the keyword 'not' (use '!' to negate)");
        CHECK_ERROR("device == \"ios", 1, 15,
                    "unterminated string starting at line 1, column 11: expected '\"' before the end of the "
                    "expression");
        CHECK_ERROR("device == \"ios\n|| true", 1, 15,
                    "unterminated string starting at line 1, column 11: expected '\"' before the end of the line");
        CHECK_ERROR("device == \"a\\nb\"", 1, 13, "invalid escape '\\n' in a string: only \\\" and \\\\ are allowed");
        CHECK_ERROR("pay_cnt > 1", 1, 1, "unknown feature 'pay_cnt' (did you mean 'pay_count'?)");
        CHECK_ERROR("pay_count > 0 && regoin == \"cn\"", 1, 18, "unknown feature 'regoin' (did you mean 'region'?)");
        CHECK_ERROR("Device == \"ios\"", 1, 1, "unknown feature 'Device' (did you mean 'device'?)");
        CHECK_ERROR("TRUE", 1, 1, "unknown feature 'TRUE' (did you mean 'true'?)");
        CHECK_ERROR("foo > 1", 1, 1, "unknown feature 'foo'");
        CHECK_ERROR("tag > 1", 1, 1, "unknown feature 'tag' (did you mean 'tag.NAME', e.g. 'tag.sports'?)");
        CHECK_ERROR("tag. > 1", 1, 5,
                    "expected a tag name after 'tag.' (lowercase letters, digits and '_') but found ' '");
        CHECK_ERROR("tag.", 1, 5,
                    "expected a tag name after 'tag.' (lowercase letters, digits and '_') but found the end of the "
                    "expression");
        CHECK_ERROR("tag.Sports > 1", 1, 5,
                    "invalid tag name 'Sports': tag names use lowercase letters, digits and '_' (did you mean "
                    "'tag.sports'?)");
        CHECK_ERROR("(pay_count > 1", 1, 15,
                    "expected ')' to close '(' at column 1 but found the end of the expression");
        CHECK_ERROR("((pay_count > 1) || (session_depth > 2)", 1, 40,
                    "expected ')' to close '(' at column 1 but found the end of the expression");
        CHECK_ERROR("pay_count > 1)", 1, 14,
                    "expected an operator or the end of the expression but found ')' (it closes no '(')");
        CHECK_ERROR("pay_count > 1 pay_count", 1, 15,
                    "expected an operator or the end of the expression but found 'pay_count'");
        CHECK_ERROR("pay_count > 1 and session_depth > 2", 1, 15,
                    "expected an operator or the end of the expression but found 'and' (did you mean '&&'?)");
        CHECK_ERROR("pay_count = 1", 1, 11, "unexpected '=' (did you mean '=='?)");
        CHECK_ERROR("pay_count > 1 & true", 1, 15, "unexpected '&' (did you mean '&&'?)");
        CHECK_ERROR("pay_count > 1 | true", 1, 15, "unexpected '|' (did you mean '||'?)");
        CHECK_ERROR("pay_count > 1 # note", 1, 15, "unexpected character '#'");
        CHECK_ERROR("device == 'ios'", 1, 11, "unexpected character ''' (strings use double quotes: \"ios\")");
        CHECK_ERROR("device == \xe2\x80\x9cios\xe2\x80\x9d", 1, 11,
                    "unexpected character '\xe2\x80\x9c' (U+201C) (strings use straight double quotes: \"ios\")");
        CHECK_ERROR("pay_count > 1 \x01", 1, 15, "unexpected character U+0001");
        CHECK_ERROR("pay_count > 1 \xff", 1, 15, "unexpected character byte 0xFF");
        CHECK_ERROR("pay_count > .5", 1, 13, "unexpected character '.' (write a digit before the point: 0.5)");
        CHECK_ERROR("pay_count > 1.", 1, 13, "invalid number '1.'");
        CHECK_ERROR("pay_count > 1.2.3", 1, 13, "invalid number '1.2.3'");
        CHECK_ERROR("pay_count > 1e", 1, 13, "invalid number '1e'");
        CHECK_ERROR("3days > 1", 1, 1, "invalid number '3days'");
        CHECK_ERROR("pay_count > 1e999", 1, 13, "the number '1e999' is out of range");
        // Columns count characters, not bytes; a tab is one column.
        CHECK_ERROR("device == \"é\" && foo", 1, 18, "unknown feature 'foo'");
        CHECK_ERROR("\tfoo", 1, 2, "unknown feature 'foo'");
        // Long words are shortened in messages.
        CHECK_ERROR("abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz > 1", 1, 1,
                    "unknown feature 'abcdefghijklmnopqrstuvwxyzabc...'");
    }

    void multiLineErrors()
    {
        CHECK_ERROR("pay_count >= 1 &&\n  devise == \"ios\"", 2, 3,
                    "unknown feature 'devise' (did you mean 'device'?)");
        CHECK_ERROR("(pay_count > 1\n && days_since_reg < 3", 2, 23,
                    "expected ')' to close '(' at line 1, column 1 but found the end of the expression");
        CHECK_ERROR("pay_count > 1\r\n&& device == \"ios\n\"", 2, 18,
                    "unterminated string starting at line 2, column 14: expected '\"' before the end of the line");
        CHECK_ERROR("pay_count > 1 &&\n\n   device < 3", 3, 11, "'<' cannot compare a String with a Number");
        CHECK_ERROR("pay_count in [1,\n 2,\n x]", 3, 2,
                    "expected a literal (a number, string, true or false) in the list but found 'x'");
        CHECK_ERROR("device in [\"a\",\n \"b\"\n", 3, 1,
                    "expected ',' or ']' to close '[' at line 1, column 11 but found the end of the expression");
        const Compiled c = compile("pay_count >= 1\n&& tag.sports\n   > 0.5", m_dict);
        QVERIFY(c.expression);
        QVERIFY(c.expression->matches(m_profile, kToday));
        const Compiled e = compile("pay_count >= 1 &&\n\tfoo", m_dict);
        QCOMPARE(q(e.error->text()), QStringLiteral("line 2, column 2: unknown feature 'foo'"));
    }

    void limits()
    {
        // The length is checked first: 10 MB is refused at once, whatever it holds.
        const std::string huge(10 * 1024 * 1024, '(');
        Compiled c = compile(huge, m_dict);
        QVERIFY(c.error);
        QCOMPARE(q(c.error->message), QStringLiteral("the expression is longer than 65536 characters"));
        QCOMPARE(c.error->line, 1);
        QCOMPARE(c.error->column, 1);
        std::string longValid = "pay_count >= 0";
        while (longValid.size() <= 64 * 1024)
            longValid += " && pay_count >= 0";
        c = compile(longValid, m_dict);
        QVERIFY(c.error);
        QCOMPARE(q(c.error->message), QStringLiteral("the expression is longer than 65536 characters"));
        ExpressionLimits small;
        small.maxLength = 13;
        QVERIFY(!compile("pay_count > 1", m_dict, small).error);
        c = compile("pay_count > 10", m_dict, small);
        QCOMPARE(q(c.error->message), QStringLiteral("the expression is longer than 13 characters"));
        // Characters, not bytes: 12 characters in 14 bytes.
        QVERIFY(!compile("device==\"éé\"", m_dict, small).error);

        // 100,000 nested parentheses: too long for the default limits; with a longer
        // limit, a depth error at the 65th '(', not a stack overflow.
        const std::string nested = std::string(100000, '(') + "true" + std::string(100000, ')');
        c = compile(nested, m_dict);
        QCOMPARE(q(c.error->message), QStringLiteral("the expression is longer than 65536 characters"));
        ExpressionLimits longer;
        longer.maxLength = 1000000;
        c = compile(nested, m_dict, longer);
        QVERIFY(c.error);
        QCOMPARE(q(c.error->message), QStringLiteral("nesting deeper than 64 levels"));
        QCOMPARE(c.error->column, 65);
        // Raising maxDepth cannot make the parser recurse without bound: it is capped.
        ExpressionLimits deep;
        deep.maxLength = 1000000;
        deep.maxDepth = 1000000;
        c = compile(nested, m_dict, deep);
        QVERIFY(c.error);
        QCOMPARE(q(c.error->message), QStringLiteral("nesting deeper than 256 levels"));
        QCOMPARE(c.error->column, ExpressionLimits::kMaxDepthCap + 1);
        // Exactly at the limit is fine.
        const std::string at64 = std::string(64, '(') + "pay_count > 0" + std::string(64, ')');
        c = compile(at64, m_dict);
        QVERIFY(c.expression);
        QVERIFY(c.expression->matches(m_profile, kToday));
        CHECK_ERROR(std::string(65, '(') + "true" + std::string(65, ')'), 1, 65, "nesting deeper than 64 levels");
        // Mixed nesting through operators counts only parentheses.
        std::string mixed = "pay_count > 0";
        for (int i = 0; i < 64; ++i)
            mixed = "!(" + mixed + " && true)"; // 64 negations: the same as pay_count > 0
        c = compile(mixed, m_dict);
        QVERIFY(c.expression);
        QVERIFY(c.expression->matches(m_profile, kToday));

        // Long flat input within the length limit: prefix operators and chains do not
        // nest, so they compile and evaluate without deep recursion.
        c = compile(std::string(60000, '!') + "key_path_complete", m_dict);
        QVERIFY(c.expression);
        QVERIFY(c.expression->matches(m_profile, kToday)); // an even number of '!'
        c = compile(std::string(60001, '-') + "pay_count == -1", m_dict);
        QVERIFY(c.expression);
        QVERIFY(c.expression->matches(m_profile, kToday));
        std::string sum = "pay_count";
        int terms = 1;
        while (sum.size() < 60000) {
            sum += " + pay_count";
            ++terms;
        }
        c = compile(sum + " == " + std::to_string(terms), m_dict);
        QVERIFY(c.expression);
        QVERIFY(c.expression->matches(m_profile, kToday));
        std::string chain = "pay_count > 0";
        while (chain.size() < 60000)
            chain += " && session_depth > 0 || pay_count < 0";
        c = compile(chain, m_dict);
        QVERIFY(c.expression);
        QVERIFY(c.expression->matches(m_profile, kToday));
        // Right-nested to the depth limit, with arithmetic at every level.
        std::string right = "pay_count";
        for (int i = 0; i < 64; ++i)
            right = "1 + (" + right + " * 1)";
        c = compile(right + " == 65", m_dict);
        QVERIFY(c.expression);
        QVERIFY(c.expression->matches(m_profile, kToday));
    }

    void featuresInFirstUseOrder()
    {
        const Compiled c = compile(
            "tag.sports > 0.5 && pay_count >= 1 || tag.sports < 0.1 && device == \"ios\" && pay_count < 9", m_dict);
        QVERIFY(c.expression);
        QCOMPARE(c.expression->features(), (std::vector<std::string>{"tag.sports", "pay_count", "device"}));
        QCOMPARE(c.expression->source(),
                 std::string("tag.sports > 0.5 && pay_count >= 1 || tag.sports < 0.1 && device == \"ios\" && "
                             "pay_count < 9"));
        // Tag names and literals are interned.
        QVERIFY(!compile("tag.brand_new_tag > 0 || region == \"brand new region\"", m_dict).error);
        QVERIFY(m_dict->find("brand_new_tag") != Dictionary::kUnknown);
        QVERIFY(m_dict->find("brand new region") != Dictionary::kUnknown);
        // ... but not when the expression is invalid.
        QVERIFY(compile("region == \"only in a broken one\" && foo", m_dict).error);
        QCOMPARE(m_dict->find("only in a broken one"), Dictionary::kUnknown);
    }

    void featureTextForDisplay()
    {
        const Profile &p = m_profile;
        QCOMPARE(featureText("pay_count", p, kToday, *m_dict), std::string("1"));
        QCOMPARE(featureText("days_since_reg", p, kToday, *m_dict), std::string("2"));
        QCOMPARE(featureText("last_active_days", p, kToday, *m_dict), std::string("0"));
        QCOMPARE(featureText("active_days_7d", p, kToday, *m_dict), std::string("2"));
        QCOMPARE(featureText("session_depth", p, kToday, *m_dict), std::string("4"));
        QCOMPARE(featureText("key_path_complete", p, kToday, *m_dict), std::string("true"));
        QCOMPARE(featureText("device", p, kToday, *m_dict), std::string("ios"));
        QCOMPARE(featureText("region", p, kToday, *m_dict), std::string("cn"));
        QCOMPARE(featureText("install_channel", p, kToday, *m_dict), std::string("appstore"));
        QCOMPARE(featureText("tag.sports", p, kToday, *m_dict), std::string("0.75"));
        QCOMPARE(featureText("tag.music", p, kToday, *m_dict), std::string("0"));
        QCOMPARE(featureText("nope", p, kToday, *m_dict), std::string());
        QCOMPARE(featureText("tag.", p, kToday, *m_dict), std::string());
        QCOMPARE(featureText("tag.NAME", p, kToday, *m_dict), std::string());
        Profile w = p;
        w.tags = {{m_dict->intern("sports"), 0.95 * 0.7}};
        QCOMPARE(featureText("tag.sports", w, kToday, *m_dict), std::string("0.665"));
        w.registered = false;
        QCOMPARE(featureText("key_path_complete", w, kToday, *m_dict), std::string("false"));
    }

    void copiesShareAndThreadsAgree()
    {
        const Compiled c = compile("pay_count % 3 == 1 && tag.sports * 2 > 1 || device in [\"web\"]", m_dict);
        QVERIFY(c.expression);
        const Expression copy = *c.expression; // cheap: shared state
        QCOMPARE(&copy.source(), &c.expression->source());
        std::vector<Profile> profiles(4000, m_profile);
        for (std::size_t i = 0; i < profiles.size(); ++i)
            profiles[i].payCount = int(i);
        std::vector<int> counts(4, 0);
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&, t] {
                for (const Profile &p : profiles)
                    counts[std::size_t(t)] += copy.matches(p, kToday) ? 1 : 0;
            });
        }
        for (std::thread &t : threads)
            t.join();
        for (const int n : counts)
            QCOMPARE(n, 1333); // pay_count 1, 4, 7, ..., 3997
        // A default-constructed expression matches nothing.
        const Expression none;
        QVERIFY(!none.matches(m_profile, kToday));
        QCOMPARE(none.source(), std::string());
        QVERIFY(none.features().empty());
    }

    void randomExpressionsMatchTheReference()
    {
        Dictionary &d = *m_dict;
        const std::int32_t strings[] = {d.intern("ios"), d.intern("android"), d.intern("web"),
                                        d.intern("cn"),  d.intern("us"),      d.intern("appstore")};
        const std::int32_t tags[] = {d.intern("sports"), d.intern("games"), d.intern("music")};
        const double weights[] = {0, 0.25, 0.5, 1, 2, 7, std::numeric_limits<double>::infinity()};
        std::mt19937 rng(20240601);
        const auto pick = [&](int n) { return int(rng() % std::uint32_t(n)); };
        std::vector<Profile> profiles(40);
        for (Profile &p : profiles) {
            p.payCount = pick(5);
            p.sessionDepth = pick(7);
            p.registeredDay = kToday - pick(11);
            p.lastActiveDay = kToday - pick(10);
            p.activeDays = static_cast<std::uint32_t>(rng());
            const auto idOrUnknown = [&] { return pick(4) == 0 ? Dictionary::kUnknown : strings[pick(6)]; };
            p.device = idOrUnknown();
            p.region = idOrUnknown();
            p.installChannel = idOrUnknown();
            p.registered = pick(2) == 0;
            p.paid = pick(2) == 0;
            for (const std::int32_t tag : tags) {
                if (pick(2) == 0)
                    p.tags.push_back({tag, weights[pick(pick(10) == 0 ? 7 : 6)]});
            }
        }
        reference::Generator generator(7);
        int matched = 0;
        int evaluations = 0;
        for (int i = 0; i < 3000; ++i) {
            const auto [tree, source] = generator.boolExpression();
            const Compiled c = compile(source, d);
            if (c.error)
                QFAIL(qPrintable(QStringLiteral("%1\n%2").arg(q(source), q(c.error->text()))));
            for (const Profile &p : profiles) {
                const bool expected = reference::boolean(*tree, reference::Env{p, kToday, d});
                const bool actual = c.expression->matches(p, kToday);
                if (expected != actual) {
                    QFAIL(qPrintable(QStringLiteral("%1\nprofile uid %2: reference %3, compiled %4")
                                         .arg(q(source))
                                         .arg(p.uid)
                                         .arg(expected)
                                         .arg(actual)));
                }
                matched += actual ? 1 : 0;
                ++evaluations;
            }
        }
        // The generator is useful only if both answers are common.
        QVERIFY(matched > evaluations / 10);
        QVERIFY(matched < evaluations * 9 / 10);
    }

private:
    std::unique_ptr<Dictionary> m_dict;
    Profile m_profile;
};

QTEST_GUILESS_MAIN(TestExpression)
#include "tst_expression.moc"
