#include "domain/audit/ChainVerifier.h"

#include "domain/audit/EntryHash.h"

#include <algorithm>
#include <utility>

namespace flywheel::audit {

namespace {

Verdict bad(Verdict::Problem problem, std::int64_t seq, std::string message, std::size_t checked)
{
    return Verdict{problem, seq, std::move(message), checked};
}

std::string name(std::int64_t seq)
{
    return "entry " + std::to_string(seq);
}

} // namespace

Verdict verify(const std::vector<Entry> &entries)
{
    using Problem = Verdict::Problem;
    std::int64_t expected = 1;
    Hash previous = kGenesisHash;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const Entry &e = entries[i];
        if (e.seq < expected)
            return bad(Problem::Reordered, e.seq,
                       name(e.seq) + " was reordered: it is stored after " + name(expected - 1), i);
        if (e.seq > expected) {
            const bool comesLater = std::any_of(entries.begin() + static_cast<std::ptrdiff_t>(i) + 1, entries.end(),
                                                [&](const Entry &later) { return later.seq < e.seq; });
            if (comesLater)
                return bad(Problem::Reordered, e.seq,
                           name(e.seq) + " was reordered: it is stored before " + name(expected), i);
            const std::string missing = e.seq == expected + 1 ? name(expected) + " was removed"
                                                              : "entries " + std::to_string(expected) + " to " +
                                                                    std::to_string(e.seq - 1) + " were removed";
            return bad(Problem::Removed, expected, missing + " (the log goes on at " + name(e.seq) + ")", i);
        }
        if (entryHash(e) != e.hash)
            return bad(Problem::Altered, e.seq,
                       name(e.seq) + " was altered: its contents do not match its hash " + toHex(e.hash), i);
        if (e.prevHash != previous) {
            if (i == 0)
                return bad(Problem::Altered, e.seq,
                           name(e.seq) + " was altered: the first entry must follow the all-zero hash", i);
            return bad(Problem::Altered, entries[i - 1].seq,
                       name(entries[i - 1].seq) + " was altered or replaced: " + name(e.seq) +
                           " records a different hash for the entry before it",
                       i);
        }
        previous = e.hash;
        expected = e.seq + 1;
    }
    return Verdict{Problem::None, 0, {}, entries.size()};
}

} // namespace flywheel::audit
