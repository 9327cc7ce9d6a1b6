#include "client/CallerLookup.h"

#include "client/BackendConnection.h"
#include "client/GuiBridge.h"
#include "client/UnaryCall.h"
#include "connection/EnvironmentPolicy.h"

#include "flywheel/v1/system.grpc.pb.h"

#include <QTimer>

#include <chrono>

namespace flywheel::ui {

CallerLookup::CallerLookup(BackendConnection *connection, EnvironmentPolicy *policy, QObject *parent)
    : QObject(parent), m_connection(connection), m_policy(policy),
      m_bridge(std::make_shared<GuiBridge<CallerLookup>>(this))
{
    connect(m_connection, &BackendConnection::channelReady, this, [this] {
        ++m_generation;
        m_asking = false;
        m_known = false;
        m_policy->clearCaller();
        lookUp();
    });
    connect(m_connection, &BackendConnection::stateChanged, this, [this](BackendConnection::State state) {
        if (state == BackendConnection::State::Connected && !m_known)
            lookUp();
    });
    if (m_connection->channel())
        lookUp();
}

CallerLookup::~CallerLookup()
{
    m_bridge->detach();
}

void CallerLookup::lookUp()
{
    if (m_asking || !m_connection->channel())
        return;
    m_asking = true;
    const int generation = m_generation;
    startUnaryCall<v1::SystemService>(
        this, m_bridge, m_connection, v1::WhoAmIRequest(), FLYWHEEL_ASYNC_METHOD(WhoAmI),
        CallDone<v1::WhoAmIResponse>([this, generation](const grpc::Status &status, const v1::WhoAmIResponse &me) {
            if (generation != m_generation)
                return; // about a backend left behind
            m_asking = false;
            switch (status.error_code()) {
            case grpc::StatusCode::OK:
                m_policy->setCaller(QString::fromStdString(me.name()),
                                    EnvironmentPolicy::roleFromName(QString::fromStdString(me.role())));
                break;
            case grpc::StatusCode::UNIMPLEMENTED:
                m_policy->clearCaller(); // an older backend: it still refuses what the role may not do
                break;
            default:
                // Unreachable or refused: asked again once connected, or after a while.
                QTimer::singleShot(kRetrySeconds * 1000, this, [this, generation] {
                    if (generation == m_generation && !m_known)
                        lookUp();
                });
                return;
            }
            m_known = true;
            Q_EMIT lookedUp();
        }),
        std::chrono::milliseconds(kDeadlineMs), kRetrySeconds);
}

} // namespace flywheel::ui
