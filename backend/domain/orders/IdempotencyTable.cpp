#include "domain/orders/IdempotencyTable.h"

namespace flywheel {

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

std::uint64_t requestFingerprint(std::string_view canonical)
{
    std::uint64_t hash = 14695981039346656037ULL;
    for (const char c : canonical) {
        hash ^= static_cast<unsigned char>(c);
        hash *= 1099511628211ULL;
    }
    return hash;
}

IdempotencyTable::Stripe &IdempotencyTable::stripe(const std::string &key)
{
    return m_stripes[std::hash<std::string>{}(key) % kStripes];
}

IdempotencyTable::Admit IdempotencyTable::admit(const std::string &key, std::uint64_t fingerprint, TimePoint now,
                                                Waiter waiter)
{
    Stripe &s = stripe(key);
    const std::lock_guard lock(s.mutex);
    auto [it, inserted] = s.entries.try_emplace(key);
    Entry &entry = it->second;
    if (inserted) {
        entry.fingerprint = fingerprint;
        entry.createdAt = now;
        return {Admission::Execute, 0};
    }
    if (entry.fingerprint != fingerprint)
        return {Admission::Conflict, entry.orderId};
    if (entry.orderId == 0) {
        entry.waiters.push_back(std::move(waiter));
        return {Admission::Attached, 0};
    }
    return {Admission::Completed, entry.orderId};
}

std::vector<IdempotencyTable::Waiter> IdempotencyTable::settle(const std::string &key, bool success,
                                                               std::int64_t orderId)
{
    std::vector<Waiter> waiters;
    Stripe &s = stripe(key);
    const std::lock_guard lock(s.mutex);
    const auto it = s.entries.find(key);
    if (it == s.entries.end())
        return waiters;
    waiters.swap(it->second.waiters);
    if (success)
        it->second.orderId = orderId;
    else
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

void IdempotencyTable::complete(const std::string &key, const Outcome &outcome)
{
    notify(settle(key, outcome.ok(), outcome.ok() ? outcome.value().id : 0), outcome);
}

void IdempotencyTable::complete(const std::string &key, const Order &order)
{
    // The outcome is built (a copy of the order) only when a retry is waiting.
    if (const std::vector<Waiter> waiters = settle(key, true, order.id); !waiters.empty())
        notify(waiters, Outcome(order));
}

void IdempotencyTable::complete(const std::string &key, const Error &error)
{
    if (const std::vector<Waiter> waiters = settle(key, false, 0); !waiters.empty())
        notify(waiters, Outcome(error));
}

void IdempotencyTable::restore(const Record &record)
{
    Stripe &s = stripe(record.key);
    const std::lock_guard lock(s.mutex);
    s.entries[record.key] = Entry{record.fingerprint, record.orderId, record.createdAt, {}};
}

std::size_t IdempotencyTable::purge(TimePoint cutoff)
{
    std::size_t purged = 0;
    for (Stripe &s : m_stripes) {
        const std::lock_guard lock(s.mutex);
        purged += std::erase_if(s.entries, [cutoff](const auto &item) {
            return item.second.orderId != 0 && item.second.createdAt < cutoff;
        });
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

} // namespace flywheel
