#pragma once

#include "versioning/Document.h"

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace flywheel::versioning {

/// How a document's typed value is read from and written as YAML.
template <typename T>
struct Codec {
    /// Parses YAML text; the error (INVALID_ARGUMENT) names `where` and the line.
    std::function<Result<T>(const std::string &yaml, const std::string &where)> parse;
    /// Why a value may not be saved (INVALID_ARGUMENT), or nothing. May be empty.
    std::function<std::optional<Error>(const T &value)> validate;
    std::function<std::string(const T &value)> emit;
};

/// A versioned document of type T: the one mechanism behind every versioned editor
/// (pricing rule sets, segment sets, referral programmes, and the editors to come).
/// An editor declares its area and object (DocumentSpec), a Codec and an install
/// hook that swaps its live snapshot, and registers the document in the
/// DocumentRegistry; saves, restores, base-version checks, reasons and the audit
/// log are then the same for all.
template <typename T>
class VersionedDocument final : public Document {
public:
    /// Called with each new version in force, in version order, under the document's lock.
    using Install = std::function<void(T value, const StoredVersion &stored)>;

    VersionedDocument(DocumentStore &store, const Clock &clock, DocumentSpec spec, Codec<T> codec, Install install)
        : Document(store, clock, std::move(spec)), m_codec(std::move(codec)), m_install(std::move(install))
    {}

    /// Installs the newest live version (never a candidate); false when there is none. Throws
    /// StorageError when it cannot be read or parsed.
    bool open()
    {
        const std::optional<StoredVersion> newest = version(0);
        if (!newest)
            return false;
        Result<T> parsed = m_codec.parse(newest->yaml, where(newest->version));
        if (!parsed.ok())
            throw StorageError("database " + store().location() + ": " + parsed.error().message);
        m_install(std::move(parsed).value(), *newest);
        loaded(*newest);
        return true;
    }

    /// A console save: `value` becomes the next version when `baseVersion` is still
    /// current. FAILED_PRECONDITION when read-only, INVALID_ARGUMENT for the reason
    /// or the value, ABORTED for a stale base, UNAVAILABLE when it cannot be stored.
    Result<StoredVersion> save(std::int64_t baseVersion, T value, const std::string &reason, const audit::Actor &actor,
                               const std::string &source = "console")
    {
        if (auto refused = refusal(reason))
            return *std::move(refused);
        if (m_codec.validate) {
            if (auto invalid = m_codec.validate(value))
                return *std::move(invalid);
        }
        std::string yaml = m_codec.emit(value);
        return put(baseVersion, std::move(value), std::move(yaml), reason, source, actor);
    }

    /// A console save of a candidate: `value` is stored as the next version and
    /// audited, but not installed and not made current (the live version stays in
    /// force). No base version: it changes nothing in force, so nothing can be
    /// stale. The same refusals as save() (read-only, reason, value), UNAVAILABLE
    /// when it cannot be stored. restore() to its number makes it live.
    Result<StoredVersion> saveCandidate(const T &value, const std::string &reason, const audit::Actor &actor)
    {
        if (auto refused = refusal(reason))
            return *std::move(refused);
        if (m_codec.validate) {
            if (auto invalid = m_codec.validate(value))
                return *std::move(invalid);
        }
        return commitCandidate(m_codec.emit(value), reason, actor);
    }

    /// A console save of YAML text, parsed and validated first.
    Result<StoredVersion> saveYaml(std::int64_t baseVersion, const std::string &yaml, const std::string &reason,
                                   const audit::Actor &actor)
    {
        if (auto refused = refusal(reason))
            return *std::move(refused);
        Result<T> parsed = m_codec.parse(yaml, "the " + object());
        if (!parsed.ok())
            return parsed.error();
        return save(baseVersion, std::move(parsed).value(), reason, actor);
    }

    /// A change the backend itself makes (a watched file reloaded, the demo's
    /// initial value): stored on top of whatever is current, not refused when
    /// read-only. `yaml` is stored as given (a file's own text). Audited with
    /// `actor` when given; initial values are not operators' changes.
    Result<StoredVersion> replace(T value, std::string yaml, const std::string &reason, const std::string &source,
                                  const std::optional<audit::Actor> &actor)
    {
        return put(std::nullopt, std::move(value), std::move(yaml), reason, source, actor);
    }

    Result<StoredVersion> restore(std::int64_t toVersion, std::optional<std::int64_t> baseVersion,
                                  const std::string &reason, const audit::Actor &actor) override
    {
        if (auto refused = refusal(reason))
            return *std::move(refused);
        Result<StoredVersion> found = target(toVersion);
        if (!found.ok())
            return found.error();
        Result<T> parsed = m_codec.parse(found.value().yaml, where(toVersion));
        if (!parsed.ok())
            return Error{ErrorCode::Internal, parsed.error().message};
        if (m_codec.validate) {
            if (auto invalid = m_codec.validate(parsed.value()))
                return Error{ErrorCode::FailedPrecondition,
                             where(toVersion) + " cannot be restored: " + invalid->message};
        }
        return put(baseVersion, std::move(parsed).value(), found.value().yaml,
                   reason + " (rollback to version " + std::to_string(toVersion) + ")", "rollback", actor);
    }

private:
    Result<StoredVersion> put(std::optional<std::int64_t> base, T value, std::string yaml, const std::string &reason,
                              const std::string &source, const std::optional<audit::Actor> &actor)
    {
        return commit(base, std::move(yaml), reason, source, actor,
                      [&](const StoredVersion &stored) { m_install(std::move(value), stored); });
    }

    const Codec<T> m_codec;
    const Install m_install;
};

} // namespace flywheel::versioning
