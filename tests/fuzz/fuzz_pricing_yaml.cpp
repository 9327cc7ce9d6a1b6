// libFuzzer target for the pricing.yaml loader: any input must give rules or an
// error, never a crash, a hang or unbounded memory.

#include "pricing/RuleSetYaml.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    static const flywheel::Catalog catalog(
        {flywheel::Product{"ELE-1001", "Earbuds", "Electronics", flywheel::Money(19990), 10}});
    const std::string text(reinterpret_cast<const char *>(data), size);
    const auto result = flywheel::pricing::parseRuleSetYaml(text, "fuzz.yaml", &catalog);
    if (const auto *error = std::get_if<flywheel::pricing::YamlError>(&result)) {
        if (error->line < 1 || error->column < 1 || error->reason.empty())
            __builtin_trap(); // every error must say where and why
    }
    return 0;
}
