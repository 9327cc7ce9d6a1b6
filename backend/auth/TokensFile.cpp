#include "auth/TokensFile.h"

#include "auth/UtcTime.h"
#include "common/YamlReader.h"
#include "domain/auth/TokenSecret.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace flywheel::auth {

namespace {

using common::YamlValue;

TimePoint readTime(const YamlValue &value)
{
    const auto time = parseUtc(value.text());
    if (!time)
        value.refuse("must be a UTC time like 2026-12-07T09:30:00Z");
    return *time;
}

TokenEntry readEntry(const YamlValue &value)
{
    const auto map = value.map({"name", "role", "sha256", "created", "expires", "revoked"});
    TokenEntry entry;
    const YamlValue name = map.required("name");
    entry.name = name.text();
    if (const auto problem = TokenRegistry::nameProblem(entry.name))
        name.refuse(*problem);
    const YamlValue role = map.required("role");
    const auto parsed = parseRole(role.text());
    if (!parsed)
        role.refuse("must be " + roleChoices() + ", not \"" + role.text() + "\"");
    entry.role = *parsed;
    const YamlValue digest = map.required("sha256");
    entry.sha256 = digest.text();
    if (!TokenSecret::isDigest(entry.sha256))
        digest.refuse("must be the SHA-256 of the token: 64 lower-case hex digits");
    entry.created = readTime(map.required("created"));
    if (const auto expires = map.optional("expires"))
        entry.expires = readTime(*expires);
    if (const auto revoked = map.optional("revoked"))
        entry.revoked = readTime(*revoked);
    return entry;
}

TokenRegistry readDocument(const YamlValue &root)
{
    if (!root.node().IsDefined() || root.node().IsNull())
        return TokenRegistry();
    const auto map = root.map({"tokens"});
    TokenRegistry registry;
    for (const YamlValue &item : map.required("tokens").list(true)) {
        try {
            registry.add(readEntry(item));
        } catch (const std::invalid_argument &e) {
            item.refuseWith(e.what());
        }
    }
    return registry;
}

std::string systemError(const std::string &what, const std::string &path)
{
    return "cannot " + what + " " + path + ": " + std::strerror(errno);
}

} // namespace

std::variant<TokenRegistry, common::YamlError> TokensFile::parse(const std::string &text, const std::string &file)
{
    return common::readYaml<TokenRegistry>(text, file, readDocument);
}

std::string TokensFile::serialize(const TokenRegistry &registry)
{
    std::ostringstream out;
    out << "# Flywheel bearer tokens: only their SHA-256 digests. Manage them with\n"
           "# flywheeld token create|list|revoke --tokens-file FILE (docs/operations.md).\n";
    if (registry.entries().empty()) {
        out << "tokens: []\n";
        return out.str();
    }
    out << "tokens:\n";
    for (const TokenEntry &entry : registry.entries()) {
        out << "  - name: " << entry.name << "\n"
            << "    role: " << roleName(entry.role) << "\n"
            << "    sha256: " << entry.sha256 << "\n"
            << "    created: " << formatUtc(entry.created) << "\n";
        if (entry.expires)
            out << "    expires: " << formatUtc(*entry.expires) << "\n";
        if (entry.revoked)
            out << "    revoked: " << formatUtc(*entry.revoked) << "\n";
    }
    return out.str();
}

TokenRegistry TokensFile::load(const std::string &path, bool missingIsEmpty)
{
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        if (missingIsEmpty && errno == ENOENT)
            return TokenRegistry();
        throw TokensFileError(systemError("read the tokens file", path));
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = parse(text.str(), path);
    if (auto *error = std::get_if<common::YamlError>(&parsed))
        throw TokensFileError(error->describe());
    return std::get<TokenRegistry>(std::move(parsed));
}

void TokensFile::save(const std::string &path, const TokenRegistry &registry)
{
    const std::string text = serialize(registry);
    const std::string temporary = path + ".tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        throw TokensFileError(systemError("create", temporary));
    bool written = ::fchmod(fd, 0600) == 0;
    std::size_t done = 0;
    while (written && done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR)
            continue;
        written = n > 0;
        if (written)
            done += static_cast<std::size_t>(n);
    }
    written = written && ::fsync(fd) == 0;
    const std::string failure = written ? std::string() : systemError("write", temporary);
    ::close(fd);
    if (!written || ::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string message = written ? systemError("replace", path) : failure;
        ::unlink(temporary.c_str());
        throw TokensFileError(message);
    }
}

} // namespace flywheel::auth
