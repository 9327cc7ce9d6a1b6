#pragma once

#include "connection/ConnectionProfile.h"

#include <QCoreApplication>
#include <QString>

#include <memory>

namespace grpc {
class Channel;
} // namespace grpc

namespace flywheel::ui {

/// Makes the gRPC channel for a profile: TLS with the profile's CA (or the system's
/// roots) when TLS is on, plaintext otherwise; with a token, every call carries it.
class ChannelFactory final {
    Q_DECLARE_TR_FUNCTIONS(flywheel::ui::ChannelFactory)

public:
    /// The channel, or null with `*error` saying why (the CA file cannot be read).
    static std::shared_ptr<grpc::Channel> create(const ConnectionProfile &profile, const QString &token,
                                                 QString *error);
    /// A plaintext channel to HOST:PORT without a token (--connect HOST:PORT).
    static std::shared_ptr<grpc::Channel> createPlain(const QString &address);
};

} // namespace flywheel::ui
