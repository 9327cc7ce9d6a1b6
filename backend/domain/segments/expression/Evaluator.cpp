// The evaluator: runs a compiled expression (Program.h) against one profile, with no
// allocation (unless a value program needs more than 16 stack slots), no virtual call
// and no string comparison. Expression::matches is defined here, next to the loop it
// runs, so the hot path stays in one translation unit.

#include "domain/segments/Expression.h"
#include "domain/segments/expression/FeatureCatalog.h"
#include "domain/segments/expression/Operations.h"
#include "domain/segments/expression/Program.h"

#include <algorithm>
#include <cstdint>
#include <memory>

namespace flywheel::segments {

namespace {

using namespace expression;
using Program = Expression::Program;

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

} // namespace

bool Expression::matches(const Profile &profile, Day today) const
{
    return run<false>(*m_program, m_program->entry, profile, today, nullptr);
}

bool Expression::matches(const Profile &profile, Day today, int *tests) const
{
    int ignored = 0;
    return run<true>(*m_program, m_program->entry, profile, today, tests ? tests : &ignored);
}

} // namespace flywheel::segments
