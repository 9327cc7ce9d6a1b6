#include "connection/ChannelFactory.h"

#include "connection/TokenInterceptor.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <QFile>

namespace flywheel::ui {

namespace {

grpc::ChannelArguments channelArguments()
{
    grpc::ChannelArguments args;
    // Come back quickly when a backend restarts; notice a dead peer within seconds.
    args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 500);
    args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 500);
    args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 3000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 10000);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 5000);
    args.SetInt(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    return args;
}

} // namespace

std::shared_ptr<grpc::Channel> ChannelFactory::create(const ConnectionProfile &profile, const QString &token,
                                                      QString *error)
{
    std::shared_ptr<grpc::ChannelCredentials> credentials;
    if (profile.tls) {
        grpc::SslCredentialsOptions options;
        if (!profile.caFile.isEmpty()) {
            QFile file(profile.caFile);
            if (!file.open(QIODevice::ReadOnly)) {
                *error = tr("The CA file “%1” cannot be read: %2.").arg(profile.caFile, file.errorString());
                return nullptr;
            }
            options.pem_root_certs = file.readAll().toStdString();
        }
        credentials = grpc::SslCredentials(options);
    } else {
        credentials = grpc::InsecureChannelCredentials();
    }
    std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
    if (!token.isEmpty())
        interceptors.push_back(std::make_unique<TokenInterceptorFactory>(token.toStdString()));
    return grpc::experimental::CreateCustomChannelWithInterceptors(profile.address.toStdString(), credentials,
                                                                   channelArguments(), std::move(interceptors));
}

std::shared_ptr<grpc::Channel> ChannelFactory::createPlain(const QString &address)
{
    return grpc::CreateCustomChannel(address.toStdString(), grpc::InsecureChannelCredentials(), channelArguments());
}

} // namespace flywheel::ui
