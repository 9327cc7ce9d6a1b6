#include "TokenCommand.h"

#include "auth/TokenBook.h"
#include "auth/UtcTime.h"

#include <getopt.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <variant>

namespace flywheel::app {

namespace {

constexpr int kFailure = 1;
constexpr int kUsageError = 2;

void printUsage(std::FILE *out)
{
    std::fprintf(out,
                 "Usage: flywheeld token create --tokens-file FILE --name NAME --role ROLE [--expires-days N]\n"
                 "       flywheeld token list --tokens-file FILE\n"
                 "       flywheeld token revoke --tokens-file FILE --name NAME\n"
                 "\n"
                 "Manages the bearer tokens a flywheeld started with --tokens-file FILE accepts; a running\n"
                 "daemon applies every change within a second. The file keeps only SHA-256 digests: create\n"
                 "prints the new token on stdout, once.\n"
                 "\n"
                 "  --name NAME         who holds the token: 1 to 64 of A-Z a-z 0-9 . _ -\n"
                 "  --role ROLE         storefront (the storefront API: orders, events, invites), viewer\n"
                 "                      (read the admin API), operator (also change things) or admin\n"
                 "  --expires-days N    refuse the token N days from now (1 to 3650; default never)\n");
}

int usageError(const std::string &message)
{
    std::fprintf(stderr, "flywheeld token: %s\n\n", message.c_str());
    printUsage(stderr);
    return kUsageError;
}

int failure(const std::string &message)
{
    std::fprintf(stderr, "flywheeld token: %s\n", message.c_str());
    return kFailure;
}

struct Arguments {
    std::string action;
    std::string file;
    std::string name;
    std::string role;
    int expiresDays = 0;
};

/// Parses the options after the action; returns an exit code when parsing ended the command.
std::optional<int> parse(int argc, char **argv, Arguments &arguments)
{
    enum Option { TokensFile = 1000, Name, RoleOption, ExpiresDays };
    static const option longOptions[] = {
        {"tokens-file", required_argument, nullptr, TokensFile},
        {"name", required_argument, nullptr, Name},
        {"role", required_argument, nullptr, RoleOption},
        {"expires-days", required_argument, nullptr, ExpiresDays},
        {"help", no_argument, nullptr, 'h'},
        {nullptr, 0, nullptr, 0},
    };
    opterr = 0;
    optind = 1;
    int opt = 0;
    while ((opt = getopt_long(argc, argv, ":h", longOptions, nullptr)) != -1) {
        switch (opt) {
        case TokensFile:
            arguments.file = optarg;
            break;
        case Name:
            arguments.name = optarg;
            break;
        case RoleOption:
            arguments.role = optarg;
            break;
        case ExpiresDays: {
            char *end = nullptr;
            errno = 0;
            const long days = std::strtol(optarg, &end, 10);
            if (errno != 0 || end == optarg || *end != '\0' || auth::TokenBook::expiresDaysProblem(days))
                return usageError(std::string("--expires-days needs a whole number of days from 1 to 3650, got \"") +
                                  optarg + "\"");
            arguments.expiresDays = static_cast<int>(days);
            break;
        }
        case 'h':
            printUsage(stdout);
            return 0;
        case ':':
            return usageError(std::string(argv[optind - 1]) + " needs a value");
        default:
            return usageError(optopt != 0 ? std::string("unknown option -") + static_cast<char>(optopt)
                                          : std::string("unknown option ") + argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usageError(std::string("unexpected argument \"") + argv[optind] + "\"");
    if (arguments.file.empty())
        return usageError("--tokens-file FILE is required");
    const bool create = arguments.action == "create";
    if ((create || arguments.action == "revoke") && arguments.name.empty())
        return usageError("--name NAME is required");
    if (!create && arguments.action != "revoke" && !arguments.name.empty())
        return usageError("--name is only for create and revoke");
    if (!create && (!arguments.role.empty() || arguments.expiresDays != 0))
        return usageError("--role and --expires-days are only for create");
    if (create && arguments.role.empty())
        return usageError("--role ROLE is required (" + auth::roleChoices() + ")");
    if (create && !auth::parseRole(arguments.role))
        return usageError("--role must be " + auth::roleChoices() + ", got \"" + arguments.role + "\"");
    if (!arguments.name.empty()) {
        if (const auto problem = auth::TokenRegistry::nameProblem(arguments.name))
            return usageError("--name " + *problem + ", got \"" + arguments.name + "\"");
    }
    return std::nullopt;
}

int create(const Arguments &arguments, const Clock &clock)
{
    auth::TokenBook book(arguments.file);
    auto outcome = book.create(arguments.name, *auth::parseRole(arguments.role), arguments.expiresDays, clock.now());
    if (const auto *refusal = std::get_if<auth::TokenRefusal>(&outcome))
        return failure(refusal->message);
    const auth::CreatedToken &created = std::get<auth::CreatedToken>(outcome);
    std::printf("%s\n", created.secret.c_str());
    std::fflush(stdout);
    std::fprintf(stderr, "flywheeld token: added \"%s\" (%s) to %s; the token above is shown only this once\n",
                 arguments.name.c_str(), arguments.role.c_str(), arguments.file.c_str());
    return 0;
}

int list(const Arguments &arguments, const Clock &clock)
{
    const auth::TokenRegistry registry = auth::TokenBook(arguments.file).list();
    const TimePoint now = clock.now();
    std::printf("%-24s %-10s %-20s %-20s %s\n", "NAME", "ROLE", "CREATED", "EXPIRES", "STATUS");
    for (const auth::TokenEntry &entry : registry.entries()) {
        const std::string expires = entry.expires ? auth::formatUtc(*entry.expires) : std::string("never");
        const std::string status = entry.revoked       ? "revoked " + auth::formatUtc(*entry.revoked)
                                   : entry.expiredAt(now) ? std::string("expired")
                                                          : std::string("active");
        std::printf("%-24s %-10s %-20s %-20s %s\n", entry.name.c_str(), std::string(auth::roleName(entry.role)).c_str(),
                    auth::formatUtc(entry.created).c_str(), expires.c_str(), status.c_str());
    }
    return 0;
}

int revoke(const Arguments &arguments, const Clock &clock)
{
    auth::TokenBook book(arguments.file);
    const auto outcome = book.revoke(arguments.name, clock.now());
    if (const auto *refusal = std::get_if<auth::TokenRefusal>(&outcome))
        return failure(refusal->message);
    std::printf("flywheeld token: revoked \"%s\"\n", arguments.name.c_str());
    return 0;
}

} // namespace

int runTokenCommand(int argc, char **argv, const Clock &clock)
{
    if (argc < 1)
        return usageError("name an action: create, list or revoke");
    Arguments arguments;
    arguments.action = argv[0];
    if (arguments.action == "-h" || arguments.action == "--help") {
        printUsage(stdout);
        return 0;
    }
    if (arguments.action != "create" && arguments.action != "list" && arguments.action != "revoke")
        return usageError("unknown action \"" + arguments.action + "\": create, list or revoke");
    if (const auto exit = parse(argc, argv, arguments))
        return *exit;
    try {
        if (arguments.action == "create")
            return create(arguments, clock);
        if (arguments.action == "list")
            return list(arguments, clock);
        return revoke(arguments, clock);
    } catch (const std::exception &e) {
        return failure(e.what());
    }
}

} // namespace flywheel::app
