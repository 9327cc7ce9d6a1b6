#pragma once

#include <QString>

#include <functional>

namespace flywheel::ui {

/// Where the console keeps a profile's token: the system keychain, or a stand-in in
/// tests. Every operation is asynchronous; `done` runs later on the calling thread.
/// Tokens pass through here and the channel only: never logged, never in settings.
class SecretStore {
public:
    enum class Outcome {
        Ok,
        /// No token is stored for the profile.
        NotFound,
        /// There is no keychain on this computer (no Secret Service running, …).
        Unavailable,
        /// The keychain refused or failed; `error` says how.
        Failed,
    };
    struct Result {
        Outcome outcome = Outcome::Ok;
        /// The token (read only).
        QString secret;
        /// The keychain's words for a failure.
        QString error;
    };
    using Done = std::function<void(const Result &result)>;

    virtual ~SecretStore();

    virtual void read(const QString &profile, Done done) = 0;
    virtual void write(const QString &profile, const QString &secret, Done done) = 0;
    virtual void remove(const QString &profile, Done done) = 0;
};

} // namespace flywheel::ui
