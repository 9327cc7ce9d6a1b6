#include "AuditCommand.h"

#include "domain/audit/ChainVerifier.h"
#include "domain/audit/EntryHash.h"
#include "storage/SqliteAuditReader.h"
#include "storage/StoreCommon.h"

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace flywheel::app {

namespace {

constexpr int kUsageError = 2;

void printUsage(std::FILE *out)
{
    std::fprintf(out, "Usage: flywheeld audit verify --db FILE\n"
                      "\n"
                      "Checks the hash chain of the audit log in FILE, the database of a stopped flywheeld\n"
                      "(opened read-only; nothing is changed or migrated). Exits 0 when the log is intact,\n"
                      "1 naming the first entry that was altered, removed or reordered (or when FILE cannot\n"
                      "be read), 2 on a usage error. Entries cut from the end of the log leave a valid\n"
                      "chain: compare the entry count and last hash with a copy kept elsewhere (see\n"
                      "docs/operations.md).\n");
}

int usageError(const std::string &message)
{
    std::fprintf(stderr, "flywheeld audit: %s\n\n", message.c_str());
    printUsage(stderr);
    return kUsageError;
}

int verify(const std::string &path)
{
    std::vector<audit::Entry> entries;
    try {
        entries = SqliteAuditReader::readChain(path);
    } catch (const StorageError &e) {
        std::fprintf(stderr, "flywheeld audit: %s\n", e.what());
        return 1;
    }
    const audit::Verdict verdict = audit::verify(entries);
    if (!verdict.intact()) {
        std::printf("audit log broken: %s\n", verdict.message.c_str());
        return 1;
    }
    std::printf("audit log intact: %zu %s\n", verdict.entries, verdict.entries == 1 ? "entry" : "entries");
    if (!entries.empty())
        std::printf("last entry: %lld, hash %s\n", static_cast<long long>(entries.back().seq),
                    audit::toHex(entries.back().hash).c_str());
    return 0;
}

} // namespace

int runAuditCommand(int argc, char **argv)
{
    if (argc < 2)
        return usageError("a command is required: verify");
    const std::string_view command = argv[1];
    if (command == "-h" || command == "--help") {
        printUsage(stdout);
        return 0;
    }
    if (command != "verify")
        return usageError("unknown audit command \"" + std::string(command) + "\"; the command is verify");
    std::string path;
    bool haveDb = false;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        if (arg == "-h" || arg == "--help") {
            printUsage(stdout);
            return 0;
        }
        if (arg == "--db") {
            if (i + 1 >= argc)
                return usageError("--db needs a value");
            path = argv[++i];
            haveDb = true;
        } else if (arg.starts_with("--db=")) {
            path = std::string(arg.substr(5));
            haveDb = true;
        } else if (arg.starts_with("-")) {
            return usageError("unknown option " + std::string(arg));
        } else {
            return usageError("unexpected argument \"" + std::string(arg) + "\"");
        }
    }
    if (!haveDb)
        return usageError("--db FILE is required");
    if (path.empty())
        return usageError("--db needs a file name, got an empty one");
    return verify(path);
}

} // namespace flywheel::app
