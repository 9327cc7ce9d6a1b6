// libFuzzer target for the segment expression compiler: any input must give a compiled
// expression or an error with a position and a message, never a crash, a hang or
// unbounded memory; a compiled expression must evaluate without trouble on a few
// profiles, including ones with unknown values and absent tags.

#include "domain/segments/Expression.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

using namespace flywheel::segments;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // A fresh dictionary per input: interned literals must not pile up across runs.
    Dictionary dictionary;
    const std::int32_t ios = dictionary.intern("ios");
    const std::int32_t sports = dictionary.intern("sports");
    const std::string_view source(reinterpret_cast<const char *>(data), size);
    ExpressionLimits limits;
    limits.maxLength = 4096; // keeps each run fast; the full limit is covered by tst_expression
    const auto result = compileExpression(source, dictionary, limits);
    if (const auto *error = std::get_if<ExpressionError>(&result)) {
        if (error->line < 1 || error->column < 1 || error->message.empty())
            __builtin_trap(); // every error must say where and why
        const std::size_t lines = 1 + static_cast<std::size_t>(std::count(source.begin(), source.end(), '\n'));
        if (static_cast<std::size_t>(error->line) > lines || static_cast<std::size_t>(error->column) > size + 1)
            __builtin_trap(); // the position is inside the input (or just past its end)
        return 0;
    }
    const Expression &expression = std::get<Expression>(result);
    if (expression.source() != source)
        __builtin_trap();
    Profile empty;
    Profile full;
    full.uid = 7;
    full.registeredDay = 20000;
    full.lastActiveDay = 20010;
    full.activeDays = 0x5bu;
    full.payCount = 3;
    full.sessionDepth = 12;
    full.device = ios;
    full.registered = full.paid = true;
    full.tags = {{sports, 0.75}};
    int tests = 0;
    for (const Profile *p : {&empty, &full}) {
        const bool plain = expression.matches(*p, 20012);
        if (expression.matches(*p, 20012, &tests) != plain)
            __builtin_trap(); // counting must not change the answer
        for (const std::string &feature : expression.features()) {
            if (featureText(feature, *p, 20012, dictionary).size() > 64)
                __builtin_trap();
        }
    }
    return 0;
}
