// What the console says when connecting fails: the token, the role and the certificate
// named plainly, never a bare "unavailable".
#include "client/BackendConnection.h"

#include <grpcpp/support/status.h>

#include <QSignalSpy>
#include <QTest>

using flywheel::ui::BackendConnection;

class TestConnectionErrors final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void explainsFailuresInWords_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("caFile");
        QTest::addColumn<QString>("expected");
        QTest::newRow("revoked token") << int(grpc::StatusCode::UNAUTHENTICATED) << "token revoked"
                                       << ""
                                       << "The token was refused: token revoked";
        QTest::newRow("expired token") << int(grpc::StatusCode::UNAUTHENTICATED) << "token expired"
                                       << ""
                                       << "The token was refused: token expired";
        QTest::newRow("role") << int(grpc::StatusCode::PERMISSION_DENIED) << "viewer may not save rules"
                              << ""
                              << "Your role may not do this: viewer may not save rules";
        const QString verify = QStringLiteral(
            "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:50051: Ssl handshake failed: "
            "SSL_ERROR_SSL: error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED");
        QTest::newRow("wrong CA") << int(grpc::StatusCode::UNAVAILABLE) << verify << "/etc/flywheel/ca.pem"
                                  << QStringLiteral("The server's certificate is not signed by the CA in "
                                                    "/etc/flywheel/ca.pem (%1).")
                                         .arg(verify);
        QTest::newRow("not a system CA") << int(grpc::StatusCode::UNAVAILABLE) << verify << ""
                                         << QStringLiteral("The server's certificate is not signed by a CA this "
                                                           "computer trusts (%1).")
                                                .arg(verify);
        const QString handshake =
            QStringLiteral("failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:50051: Ssl "
                           "handshake failed: SSL_ERROR_SSL: error:100000f7:SSL routines:OPENSSL_internal:"
                           "WRONG_VERSION_NUMBER");
        QTest::newRow("handshake") << int(grpc::StatusCode::UNAVAILABLE) << handshake << "ca.pem"
                                   << QStringLiteral("TLS handshake failed: %1").arg(handshake);
        QTest::newRow("down") << int(grpc::StatusCode::UNAVAILABLE) << "Connection refused"
                              << ""
                              << "The backend is not reachable (Connection refused).";
    }
    void explainsFailuresInWords()
    {
        QFETCH(int, code);
        QFETCH(QString, message);
        QFETCH(QString, caFile);
        QFETCH(QString, expected);
        const grpc::Status status(static_cast<grpc::StatusCode>(code), message.toStdString());
        QCOMPARE(BackendConnection::explain(status, caFile), expected);
    }

    void theConnectionNamesItsCaFile()
    {
        BackendConnection connection(QStringLiteral("demo"));
        connection.reportStartFailure(QStringLiteral("boom"));
        QSignalSpy described(&connection, &BackendConnection::descriptionChanged);
        connection.switchTo(QStringLiteral("prod-eu (h:443)"), QStringLiteral("/ca.pem"), nullptr);
        QCOMPARE(described.count(), 1);
        QCOMPARE(connection.description(), QStringLiteral("prod-eu (h:443)"));
        QCOMPARE(connection.state(), BackendConnection::State::Connecting); // the old failure is left behind
        connection.reportFailure(grpc::Status(grpc::StatusCode::UNAVAILABLE, "certificate verify failed"), 3);
        QCOMPARE(connection.detail(), QStringLiteral("The server's certificate is not signed by the CA in /ca.pem "
                                                     "(certificate verify failed). Retrying in 3 s…"));
    }
};

QTEST_GUILESS_MAIN(TestConnectionErrors)
#include "tst_connectionerrors.moc"
