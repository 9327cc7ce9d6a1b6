#pragma once

#include "domain/Result.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace flywheel {

/// The longest reason a versioned change (rules, segments, programme) may give, in characters.
inline constexpr std::size_t kMaxReasonCharacters = 500;

/// Characters of UTF-8 `text`: its bytes that do not continue a character.
inline std::size_t utf8Characters(std::string_view text)
{
    std::size_t count = 0;
    for (const char c : text)
        count += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    return count;
}

/// Why `reason` is refused, or nothing: it is required, and at most
/// kMaxReasonCharacters long. `change` completes "say why ...", e.g. "the rules change".
inline std::optional<Error> checkChangeReason(std::string_view reason, std::string_view change)
{
    // Blanks alone say nothing: as good as no reason.
    if (reason.find_first_not_of(" \t\r\n") == std::string_view::npos)
        return Error{ErrorCode::InvalidArgument, "reason is required: say why " + std::string(change)};
    if (const std::size_t n = utf8Characters(reason); n > kMaxReasonCharacters)
        return Error{ErrorCode::InvalidArgument, "reason is " + std::to_string(n) + " characters long; at most " +
                                                     std::to_string(kMaxReasonCharacters) + " are allowed"};
    return std::nullopt;
}

} // namespace flywheel
