#include "domain/audit/EntryHash.h"

#include <openssl/evp.h>

#include <stdexcept>
#include <string_view>

namespace flywheel::audit {

namespace {

/// Changes whenever the serialisation does.
constexpr std::string_view kFormatTag = "flywheel-audit-v1";

void putInt(std::string &out, std::int64_t value)
{
    const auto v = static_cast<std::uint64_t>(value);
    for (int shift = 56; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((v >> shift) & 0xff));
}

void putText(std::string &out, std::string_view text)
{
    putInt(out, static_cast<std::int64_t>(text.size()));
    out.append(text);
}

std::string canonical(const Entry &e)
{
    std::string out;
    out.reserve(256 + e.before.size() + e.after.size());
    putText(out, kFormatTag);
    putInt(out, e.seq);
    putInt(out, toEpochMs(e.at));
    putText(out, e.actor.name);
    putText(out, e.actor.role);
    putText(out, e.actor.peer);
    putText(out, e.area);
    putText(out, e.object);
    putInt(out, e.version);
    putText(out, e.before);
    putText(out, e.after);
    putText(out, e.reason);
    out.append(reinterpret_cast<const char *>(e.prevHash.data()), e.prevHash.size());
    return out;
}

/// SHA-256, fetched once (see IdempotencyTable.cpp).
const EVP_MD *sha256()
{
    static const EVP_MD *const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}

} // namespace

Hash entryHash(const Entry &entry)
{
    const std::string bytes = canonical(entry);
    Hash digest{};
    unsigned int length = 0;
    if (sha256() == nullptr ||
        EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, sha256(), nullptr) != 1 ||
        length != digest.size())
        throw std::runtime_error("SHA-256 is not available from OpenSSL");
    return digest;
}

void seal(Entry &entry, std::int64_t seq, const Hash &previous)
{
    entry.seq = seq;
    entry.prevHash = previous;
    entry.hash = entryHash(entry);
}

std::string toHex(const Hash &hash)
{
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(hash.size() * 2);
    for (const std::uint8_t b : hash) {
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0xf]);
    }
    return out;
}

} // namespace flywheel::audit
