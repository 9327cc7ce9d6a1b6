#include "domain/orders/IdempotencyTable.h"

#include <absl/hash/hash.h>
#include <openssl/evp.h>

#include <stdexcept>

#include <tuple>
#include <utility>

namespace flywheel::orders {

std::optional<Error> checkIdempotencyKey(std::string_view key)
{
    constexpr std::size_t kMaxLength = 128;
    if (key.empty())
        return Error{ErrorCode::InvalidArgument,
                     "idempotency_key is required: choose one per order and send the same key when retrying"};
    if (key.size() > kMaxLength)
        return Error{ErrorCode::InvalidArgument, "idempotency_key is " + std::to_string(key.size()) +
                                                     " characters long; at most " + std::to_string(kMaxLength) +
                                                     " are allowed"};
    for (std::size_t i = 0; i < key.size(); ++i) {
        const auto c = static_cast<unsigned char>(key[i]);
        if (c < 0x21 || c > 0x7e)
            return Error{ErrorCode::InvalidArgument,
                         "idempotency_key has a character that is not printable ASCII at position " +
                             std::to_string(i + 1)};
    }
    return std::nullopt;
}

namespace {

/// SHA-256, fetched once. EVP_sha256() fetches the algorithm from the provider on
/// every call in OpenSSL 3 ("Performance" in crypto(7)); this runs once per order.
/// Never freed: it lives as long as the process, as OpenSSL's own tables do.
const EVP_MD *sha256()
{
    static const EVP_MD *const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (md == nullptr)
        throw std::runtime_error("OpenSSL has no SHA-256 implementation");
    return md;
}

} // namespace

RequestDigest requestDigest(std::string_view canonical)
{
    RequestDigest digest{};
    unsigned int length = 0;
    if (EVP_Digest(canonical.data(), canonical.size(), digest.data(), &length, sha256(), nullptr) != 1 ||
        length != digest.size())
        throw std::runtime_error("OpenSSL cannot compute a SHA-256 digest");
    return digest;
}

std::uint64_t legacyRequestFingerprint(std::string_view canonical)
{
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : canonical) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

IdempotencyTable::IdempotencyTable(Milliseconds window, Milliseconds retention)
    : m_window(window), m_retention(retention)
{}

IdempotencyTable::Digest IdempotencyTable::digest(std::int64_t uid, std::string_view key)
{
    // absl::Hash is salted per process; the two halves hash different inputs.
    using Input = std::tuple<std::int64_t, std::string_view, int>;
    return Digest{absl::Hash<Input>{}({uid, key, 1}), absl::Hash<Input>{}({uid, key, 2})};
}

IdempotencyTable::Admit IdempotencyTable::admit(std::int64_t uid, const std::string &key, const RequestDigest &request,
                                                TimePoint now, Waiter waiter)
{
    const Digest d = digest(uid, key);
    Stripe &s = stripe(d);
    const std::lock_guard lock(s.mutex);
    auto [it, inserted] = s.entries.try_emplace(d);
    Entry &entry = it->second;
    // A completed key that left the window is answered by the database, as if
    // evict() had already run; its place in the completed list is checked then.
    if (inserted || (entry.orderId != 0 && entry.createdAt < now - m_window)) {
        entry.request = request;
        entry.orderId = 0;
        entry.createdAt = now;
        return {m_stored.mayContain(d.high, d.low) ? Admission::LookUp : Admission::Execute, 0};
    }
    if (entry.request != request)
        return {Admission::Conflict, entry.orderId};
    if (entry.orderId == 0) {
        if (!entry.waiters)
            entry.waiters = std::make_unique<std::vector<Waiter>>();
        entry.waiters->push_back(std::move(waiter));
        return {Admission::Attached, 0};
    }
    return {Admission::Completed, entry.orderId};
}

std::vector<IdempotencyTable::Waiter> IdempotencyTable::settle(std::int64_t uid, const std::string &key, bool success,
                                                               std::int64_t orderId)
{
    std::vector<Waiter> waiters;
    const Digest d = digest(uid, key);
    Stripe &s = stripe(d);
    const std::lock_guard lock(s.mutex);
    const auto it = s.entries.find(d);
    if (it == s.entries.end())
        return waiters;
    if (it->second.waiters) {
        waiters.swap(*it->second.waiters);
        it->second.waiters.reset();
    }
    if (success) {
        it->second.orderId = orderId;
        s.completed.add(it->second.createdAt, d);
        m_stored.add(d.high, d.low, it->second.createdAt);
    } else
        s.entries.erase(it);
    return waiters;
}

namespace {

void notify(const std::vector<IdempotencyTable::Waiter> &waiters, const IdempotencyTable::Outcome &outcome)
{
    for (const IdempotencyTable::Waiter &w : waiters) {
        if (w)
            w(outcome);
    }
}

} // namespace

void IdempotencyTable::complete(std::int64_t uid, const std::string &key, const Outcome &outcome)
{
    notify(settle(uid, key, outcome.ok(), outcome.ok() ? outcome.value().id : 0), outcome);
}

void IdempotencyTable::complete(std::int64_t uid, const std::string &key, const Order &order)
{
    // The outcome is built (a copy of the order) only when a retry is waiting.
    if (const std::vector<Waiter> waiters = settle(uid, key, true, order.id); !waiters.empty())
        notify(waiters, Outcome(order));
}

void IdempotencyTable::complete(std::int64_t uid, const std::string &key, const Error &error)
{
    if (const std::vector<Waiter> waiters = settle(uid, key, false, 0); !waiters.empty())
        notify(waiters, Outcome(error));
}

void IdempotencyTable::restore(const Record &record)
{
    const Digest d = digest(record.uid, record.key);
    Stripe &s = stripe(d);
    const std::lock_guard lock(s.mutex);
    s.entries[d] = Entry{record.request, record.orderId, record.createdAt, nullptr};
    s.completed.add(record.createdAt, d);
    m_stored.add(d.high, d.low, record.createdAt);
}

void IdempotencyTable::addStoredKey(std::int64_t uid, std::string_view key, TimePoint createdAt)
{
    const Digest d = digest(uid, key);
    m_stored.add(d.high, d.low, createdAt);
}

void IdempotencyTable::loadedStoredKeys()
{
    m_stored.markComplete();
}

bool IdempotencyTable::storedKeysLoaded() const
{
    return m_stored.complete();
}

std::size_t IdempotencyTable::evict(TimePoint now)
{
    m_stored.dropBefore(now - m_retention);
    const TimePoint cutoff = now - m_window;
    std::size_t purged = 0;
    for (Stripe &s : m_stripes) {
        for (bool more = true; more;) {
            const std::lock_guard lock(s.mutex);
            more = s.completed.takeDue(cutoff, kEvictChunk, [&](const Digest &d) {
                // A key listed twice (restored, then completed again) goes once.
                if (const auto it = s.entries.find(d);
                    it != s.entries.end() && it->second.orderId != 0 && it->second.createdAt < cutoff) {
                    s.entries.erase(it);
                    ++purged;
                }
            });
        }
    }
    return purged;
}

std::size_t IdempotencyTable::size() const
{
    std::size_t n = 0;
    for (const Stripe &s : m_stripes) {
        const std::lock_guard lock(s.mutex);
        n += s.entries.size();
    }
    return n;
}

} // namespace flywheel::orders
