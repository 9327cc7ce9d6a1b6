// The Access tokens page and greying by role: an admin lists, creates (the token shown
// once, with a copy button) and revokes tokens through the page; a backend without a
// tokens file says so instead of an empty table; connected as a viewer, the console
// names the caller, greys out every page's editing controls (and the tokens page)
// saying which role is needed, and a refusal that still happens is said in words.

#include "client/BackendConnection.h"
#include "client/CallerLookup.h"
#include "client/UnaryCall.h"
#include "common/ReasonDialog.h"
#include "connection/ChannelFactory.h"
#include "connection/EnvironmentPolicy.h"
#include "inventory/InventoryPage.h"
#include "MainWindow.h"
#include "pricing/PricingPage.h"
#include "referral/ProgramTab.h"
#include "referral/ReferralPage.h"
#include "segments/SegmentsPage.h"
#include "segments/SegmentsTab.h"
#include "TestSupport.h"
#include "tokens/NewTokenDialog.h"
#include "tokens/TokenSecretDialog.h"
#include "tokens/TokensPage.h"

#include "auth/TokensFile.h"
#include "domain/auth/TokenSecret.h"

#include <grpcpp/support/status.h>

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <functional>

using namespace flywheel;
using namespace flywheel::ui;

namespace {

/// Runs `act` on the first visible top-level widget `match` accepts, once one is shown.
void whenShown(std::function<bool(QWidget *)> match, std::function<void(QWidget *)> act)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(5);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, match, act] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (w->isVisible() && match(w)) {
                timer->stop();
                timer->deleteLater();
                act(w);
                return;
            }
        }
    });
    timer->start();
}

QPushButton *buttonWithText(QWidget *parent, const QString &text)
{
    for (QPushButton *b : parent->findChildren<QPushButton *>()) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}

std::string addToken(auth::TokenRegistry &registry, const std::string &name, auth::Role role)
{
    return registry.issue(name, role, SystemClock::instance().now()).second;
}

/// A backend on 127.0.0.1 that asks for the tokens in `dir`/tokens.yaml.
std::unique_ptr<Backend> startWithTokens(const QTemporaryDir &dir, std::map<auth::Role, std::string> *tokens)
{
    const std::string file = dir.filePath(QStringLiteral("tokens.yaml")).toStdString();
    auth::TokenRegistry registry;
    (*tokens)[auth::Role::Admin] = addToken(registry, "console-admin", auth::Role::Admin);
    (*tokens)[auth::Role::Viewer] = addToken(registry, "console-viewer", auth::Role::Viewer);
    auth::TokensFile::save(file, registry);
    BackendOptions options;
    options.databasePath = dir.filePath(QStringLiteral("test.sqlite")).toStdString();
    options.listenAddress = "127.0.0.1:0";
    options.tokensFile = file;
    options.seedDemoData = true;
    options.demoHistoryOrdersPerHour = 0;
    options.demoUsers = 2000;
    return Backend::start(options);
}

std::shared_ptr<grpc::Channel> channelAs(const Backend &backend, const std::string &token)
{
    ConnectionProfile profile;
    profile.name = QStringLiteral("local");
    profile.address = QStringLiteral("127.0.0.1:%1").arg(backend.port());
    QString error;
    auto channel = ChannelFactory::create(profile, QString::fromStdString(token), &error);
    if (!channel)
        qFatal("channel: %s", qPrintable(error));
    return channel;
}

int rowOf(const TokensPage *page, const QString &name)
{
    for (int row = 0; row < page->rowCount(); ++row) {
        if (page->row(row).value(TokensPage::Name) == name)
            return row;
    }
    return -1;
}

} // namespace

class TestTokensPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listCreateShowOnceAndRevoke()
    {
        QTemporaryDir dir;
        std::map<auth::Role, std::string> tokens;
        auto backend = startWithTokens(dir, &tokens);
        BackendConnection connection(QStringLiteral("test"));
        MainWindow window(&connection);
        QVERIFY(window.showPage(QStringLiteral("tokens")));
        connection.setChannel(channelAs(*backend, tokens[auth::Role::Admin]));
        window.show();
        TokensPage *page = window.tokensPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(window.callerText(), QStringLiteral("Signed in as console-admin (admin)"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(page->rowCount(), 2, 10000);
        QCOMPARE(page->emptyText(), QString());
        const QStringList admin = page->row(rowOf(page, QStringLiteral("console-admin")));
        QCOMPARE(admin.value(TokensPage::Role), QStringLiteral("admin"));
        QCOMPARE(admin.value(TokensPage::Expires), QStringLiteral("never"));
        QCOMPARE(admin.value(TokensPage::State), QStringLiteral("active"));
        QVERIFY(!admin.value(TokensPage::Created).isEmpty());
        QVERIFY(page->newButton()->isEnabled());
        QVERIFY(!page->revokeButton()->isEnabled()); // nothing selected
        QCOMPARE(page->revokeButton()->toolTip(), QStringLiteral("Select a token first."));

        // Create: the token is shown once, in its own dialog, with a copy button.
        QSignalSpy finished(page, &TokensPage::actionFinished);
        page->createToken(QStringLiteral("ci-report"), QStringLiteral("viewer"), 30, QStringLiteral("nightly report"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.takeFirst().value(0).toBool(), true);
        QPointer<TokenSecretDialog> shown = page->secretDialog();
        QVERIFY(shown);
        QVERIFY(shown->isVisible());
        const QString secret = shown->secret();
        QVERIFY(auth::TokenSecret::wellFormed(secret.toStdString()));
        QVERIFY2(shown->warningText().contains(QStringLiteral("only time the token is shown")),
                 qPrintable(shown->warningText()));
        shown->copyButton()->click();
        QCOMPARE(QGuiApplication::clipboard()->text(), secret);
        QCOMPARE(shown->copiedText(), QStringLiteral("Copied to the clipboard."));
        QVERIFY(page->messageText().contains(QStringLiteral("Created the token “ci-report” (viewer)")));
        QVERIFY(!page->messageText().contains(secret));
        QTRY_COMPARE_WITH_TIMEOUT(page->rowCount(), 3, 10000);
        const QStringList created = page->row(rowOf(page, QStringLiteral("ci-report")));
        QCOMPARE(created.value(TokensPage::Role), QStringLiteral("viewer"));
        QVERIFY(created.value(TokensPage::Expires) != QStringLiteral("never"));
        for (int row = 0; row < page->rowCount(); ++row)
            QVERIFY(!page->row(row).join(QLatin1Char(' ')).contains(secret));
        // The token works, as a viewer.
        {
            BackendConnection other(QStringLiteral("other"));
            EnvironmentPolicy policy;
            CallerLookup lookup(&other, &policy);
            other.setChannel(channelAs(*backend, secret.toStdString()));
            QTRY_COMPARE_WITH_TIMEOUT(policy.callerRole(), EnvironmentPolicy::Role::Viewer, 10000);
            QCOMPARE(policy.callerName(), QStringLiteral("ci-report"));
        }
        // Closed, the dialog is gone with the token: nothing of the window holds it.
        shown->close();
        QTRY_VERIFY(shown.isNull());
        QVERIFY(!page->secretDialog());
        for (const QLineEdit *field : window.findChildren<QLineEdit *>())
            QVERIFY(field->text() != secret);

        // A second live token of the name is refused in words.
        page->createToken(QStringLiteral("ci-report"), QStringLiteral("admin"), 0, QStringLiteral("again"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.takeFirst().value(0).toBool(), false);
        QVERIFY2(page->messageText().contains(QStringLiteral("already exists")), qPrintable(page->messageText()));
        QVERIFY(!page->secretDialog());

        // Revoke through the button: the reason dialog, then the row says revoked.
        QVERIFY(page->selectToken(QStringLiteral("ci-report")));
        QVERIFY(page->revokeButton()->isEnabled());
        whenShown([](QWidget *w) { return qobject_cast<ReasonDialog *>(w) != nullptr; },
                  [](QWidget *w) {
                      auto *dialog = static_cast<ReasonDialog *>(w);
                      dialog->reasonField()->setText(QStringLiteral("report retired"));
                      dialog->acceptButton()->click();
                  });
        page->revokeButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QCOMPARE(finished.takeFirst().value(0).toBool(), true);
        QVERIFY(page->messageText().contains(QStringLiteral("Revoked the token “ci-report”")));
        QTRY_VERIFY_WITH_TIMEOUT(page->row(rowOf(page, QStringLiteral("ci-report")))
                                     .value(TokensPage::State)
                                     .startsWith(QStringLiteral("revoked ")),
                                 5000);
        QVERIFY(page->selectToken(QStringLiteral("ci-report")));
        QVERIFY(!page->revokeButton()->isEnabled());
        QCOMPARE(page->revokeButton()->toolTip(), QStringLiteral("This token is revoked already."));
        backend->shutdown();
    }

    void newTokenDialogChecksWhatIsTyped()
    {
        NewTokenDialog dialog;
        QCOMPARE(dialog.expiresDays(), NewTokenDialog::kDefaultExpiresDays);
        QCOMPARE(dialog.role(), QStringLiteral("viewer"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(dialog.problemText(), QStringLiteral("Give the token a name: who or what holds it."));
        dialog.nameField()->setText(QStringLiteral("alice smith"));
        dialog.accept();
        QVERIFY2(dialog.problemText().contains(QStringLiteral("not “ ”")), qPrintable(dialog.problemText()));
        dialog.nameField()->setText(QStringLiteral("console-alice"));
        dialog.accept();
        QVERIFY(dialog.problemText().startsWith(QStringLiteral("Say why")));
        dialog.reasonField()->setText(QStringLiteral("  new operator  "));
        dialog.roleBox()->setCurrentIndex(dialog.roleBox()->findData(QStringLiteral("operator")));
        dialog.neverBox()->setChecked(true);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.name(), QStringLiteral("console-alice"));
        QCOMPARE(dialog.role(), QStringLiteral("operator"));
        QCOMPARE(dialog.expiresDays(), 0);
        QCOMPARE(dialog.reason(), QStringLiteral("new operator"));
    }

    void withoutATokensFileThePageSaysSo()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        BackendConnection connection(QStringLiteral("local demo"));
        MainWindow window(&connection);
        QVERIFY(window.showPage(QStringLiteral("tokens")));
        connection.setChannel(backend->inProcessChannel());
        window.show();
        TokensPage *page = window.tokensPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 10000);
        QVERIFY2(page->emptyText().startsWith(QStringLiteral("This backend has no tokens file")),
                 qPrintable(page->emptyText()));
        QCOMPARE(page->rowCount(), 0);
        QCOMPARE(page->problemText(), QString());
        QVERIFY(!page->newButton()->isEnabled());
        QCOMPARE(page->newButton()->toolTip(), QStringLiteral("This backend has no tokens file."));
        // The in-process channel is the local operator, an admin: nothing else is greyed out.
        QTRY_COMPARE_WITH_TIMEOUT(window.callerText(), QStringLiteral("Signed in as local (admin)"), 10000);
        QVERIFY(EnvironmentPolicy::allowsEditing(window.inventoryPage()));
        QCOMPARE(connection.state(), BackendConnection::State::Connected);
        backend->shutdown();
    }

    void aViewerSeesEditingGreyedOut()
    {
        QTemporaryDir dir;
        std::map<auth::Role, std::string> tokens;
        auto backend = startWithTokens(dir, &tokens);
        BackendConnection connection(QStringLiteral("test"));
        MainWindow window(&connection);
        QVERIFY(window.showPage(QStringLiteral("pricing")));
        connection.setChannel(channelAs(*backend, tokens[auth::Role::Viewer]));
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.callerText(), QStringLiteral("Signed in as console-viewer (viewer)"), 10000);
        EnvironmentPolicy *policy = window.environmentPolicy();
        QVERIFY(!policy->editingAllowed());
        QVERIFY(policy->environmentAllowsEditing()); // not production: no unlock button for a viewer
        const QString needsOperator = QStringLiteral(
            "This needs the role operator (or higher); you are signed in as console-viewer with the role viewer.");
        QCOMPARE(EnvironmentPolicy::editingBlockedText(window.inventoryPage()), needsOperator);

        PricingPage *pricing = window.pricingPage();
        QTRY_VERIFY_WITH_TIMEOUT(pricing->hasData(), 10000);
        QPushButton *add = buttonWithText(pricing, QStringLiteral("Add rule…"));
        QVERIFY(add);
        QVERIFY(!add->isEnabled());
        QCOMPARE(add->toolTip(), needsOperator);
        QVERIFY(!EnvironmentPolicy::allowsEditing(window.segmentsPage()->segmentsTab()));
        QVERIFY(!EnvironmentPolicy::allowsEditing(window.referralPage()->programTab()));
        QPushButton *save = buttonWithText(window.referralPage()->programTab(), QStringLiteral("Save…"));
        QVERIFY(save);
        QVERIFY(!save->isEnabled());
        QCOMPARE(save->toolTip(), needsOperator);
        QPushButton *receive = buttonWithText(window.inventoryPage(), QStringLiteral("Receive stock…"));
        QVERIFY(receive);
        QVERIFY(!receive->isEnabled());
        QCOMPARE(receive->toolTip(), needsOperator);
        for (const char *action : {"Start review", "Confirm", "Settle"}) {
            if (QPushButton *b = buttonWithText(window.referralPage(), QString::fromLatin1(action)))
                QCOMPARE(b->toolTip(), needsOperator);
        }

        // The tokens page says who may manage tokens, and asks the backend nothing.
        QVERIFY(window.showPage(QStringLiteral("tokens")));
        TokensPage *page = window.tokensPage();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 10000);
        QCOMPARE(page->emptyText(), QStringLiteral("Managing tokens needs the role admin; you are signed in as "
                                                   "console-viewer with the role viewer."));
        QVERIFY(!page->newButton()->isEnabled());
        QCOMPARE(page->newButton()->toolTip(),
                 QStringLiteral("This needs the role admin (or higher); you are signed in as console-viewer with "
                                "the role viewer."));

        // A refusal that still happens is said in words, and the connection stays up.
        page->createToken(QStringLiteral("sneaky"), QStringLiteral("admin"), 0, QStringLiteral("why not"));
        QSignalSpy finished(page, &TokensPage::actionFinished);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY2(page->messageText().startsWith(
                     QStringLiteral("Could not create the token “sneaky”. Your role may not do this: ")),
                 qPrintable(page->messageText()));
        QVERIFY2(page->messageText().contains(QStringLiteral("needs the role admin")), qPrintable(page->messageText()));
        QCOMPARE(connection.state(), BackendConnection::State::Connected);
        QVERIFY(window.bannerText().isEmpty());
        backend->shutdown();
    }
};

QTEST_MAIN(TestTokensPage)
#include "tst_tokenspage.moc"
