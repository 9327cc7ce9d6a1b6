#pragma once

#include <QObject>
#include <QString>

#include <memory>

namespace grpc {
class Channel;
class Status;
} // namespace grpc

namespace flywheel::ui {

/// The console's link to one backend: the gRPC channel every client uses, and the
/// connection state shown in the status bar. Clients report how their calls went
/// (on the GUI thread, after crossing from gRPC's threads); this object turns that
/// into one state.
class BackendConnection final : public QObject {
    Q_OBJECT

public:
    enum class State { Starting, Connecting, Connected, Unreachable, Failed };
    Q_ENUM(State)

    /// `description` names the backend for people: "127.0.0.1:50051" or "local demo".
    explicit BackendConnection(QString description, QObject *parent = nullptr);
    ~BackendConnection() override;

    /// A channel to a remote backend.
    static std::shared_ptr<grpc::Channel> createRemoteChannel(const QString &address);

    void setChannel(std::shared_ptr<grpc::Channel> channel);
    /// Switches to another backend: its description, the CA file its TLS trusts (empty
    /// for none or the system's roots; named when the server's certificate is refused)
    /// and its channel. Clears a failure of the previous backend.
    void switchTo(const QString &description, const QString &caFile, std::shared_ptr<grpc::Channel> channel);
    std::shared_ptr<grpc::Channel> channel() const;

    QString description() const { return m_description; }
    State state() const { return m_state; }
    /// What an operator should read about the state: the reason for a failure.
    QString detail() const { return m_detail; }

    /// The backend could not be started at all (demo mode): permanent.
    void reportStartFailure(const QString &message);
    /// A call or stream succeeded.
    void reportSuccess();
    /// A call or stream failed; `retryInSeconds` is when the client tries again.
    void reportFailure(const grpc::Status &status, int retryInSeconds);
    /// A client is (re)connecting.
    void reportConnecting();

    /// An operator-readable sentence for a failed call.
    static QString explain(const grpc::Status &status);
    /// The same, naming `caFile` when the server's certificate is not signed by it.
    static QString explain(const grpc::Status &status, const QString &caFile);

Q_SIGNALS:
    void stateChanged(flywheel::ui::BackendConnection::State state, const QString &detail);
    void channelReady();
    void descriptionChanged(const QString &description);

private:
    void setState(State state, const QString &detail);

    QString m_description;
    QString m_caFile;
    std::shared_ptr<grpc::Channel> m_channel;
    State m_state = State::Starting;
    QString m_detail;
};

} // namespace flywheel::ui
