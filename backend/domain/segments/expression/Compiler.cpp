#include "domain/segments/expression/Compiler.h"

#include "domain/segments/expression/Operations.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace flywheel::segments::expression {

namespace {

using Program = Expression::Program;

class Compiler {
public:
    Compiler(const std::vector<Node> &nodes, std::vector<std::int32_t> ids, Program &program)
        : m_nodes(nodes), m_ids(std::move(ids)), m_p(program)
    {}

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

} // namespace

std::int32_t compile(const std::vector<Node> &nodes, std::int32_t root, std::vector<std::int32_t> ids,
                     Expression::Program &program)
{
    Compiler compiler(nodes, std::move(ids), program);
    return compiler.cond(root, kTrue, kFalse);
}

} // namespace flywheel::segments::expression
