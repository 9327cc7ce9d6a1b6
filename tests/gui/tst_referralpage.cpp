// The Referral page against an in-process backend (demo data; the referral programme's
// first version): editing and saving the programme (also when a value is out of range,
// when someone else saved first, with the reason asked by the button), the history with
// what changed; an invite tree built through the storefront's calls, expanded further on
// demand; the commission ledger with its bulk actions, confirmed through the page's hook,
// and the backend's refusals of illegal moves; the live funnel and refusals; and a
// backend that is not there.

#include "client/BackendConnection.h"
#include "client/ReferralClient.h"
#include "common/Format.h"
#include "common/VersionHistoryView.h"
#include "MainWindow.h"
#include "referral/CommissionsModel.h"
#include "referral/CommissionsTab.h"
#include "referral/FunnelChart.h"
#include "referral/FunnelTab.h"
#include "referral/InviteTreeTab.h"
#include "referral/ProgramEditor.h"
#include "referral/ProgramTab.h"
#include "referral/ReferralPage.h"
#include "referral/RefusalChart.h"
#include "TestSupport.h"

#include "flywheel/v1/orders.grpc.pb.h"
#include "flywheel/v1/referral.grpc.pb.h"
#include "flywheel/v1/segments.grpc.pb.h"

#include <google/protobuf/util/time_util.h>
#include <grpcpp/client_context.h>

#include <QAbstractItemModelTester>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <chrono>

using namespace flywheel;
using namespace flywheel::ui;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kInviter = 100001; // a demo user, registered long ago
// New users: not among the demo users, so they can register with an invite.
constexpr std::int64_t kInvitee = 900001;
constexpr std::int64_t kSecondLevel = 900002;
constexpr std::int64_t kThirdLevel = 900003;

void deadline(grpc::ClientContext &context)
{
    context.set_deadline(std::chrono::system_clock::now() + 10s);
}

v1::ProgramVersion currentProgram(v1::ReferralService::Stub &stub)
{
    grpc::ClientContext context;
    deadline(context);
    v1::ProgramVersion version;
    const grpc::Status status = stub.GetProgram(&context, v1::GetProgramRequest(), &version);
    if (!status.ok())
        qWarning("GetProgram: %s", status.error_message().c_str());
    return version;
}

grpc::Status saveProgram(v1::ReferralService::Stub &stub, qint64 base, const v1::ReferralProgram &program,
                         v1::ProgramVersion *saved)
{
    v1::SaveProgramRequest request;
    request.set_base_version(base);
    *request.mutable_program() = program;
    request.set_reason("Someone else");
    grpc::ClientContext context;
    deadline(context);
    return stub.SaveProgram(&context, request, saved);
}

/// The user was active just now, so they may invite.
void makeActive(const std::shared_ptr<grpc::Channel> &channel, std::int64_t uid)
{
    auto stub = v1::SegmentService::NewStub(channel);
    v1::IngestEventsRequest request;
    v1::UserEvent *event = request.add_events();
    event->set_uid(uid);
    event->set_type("login");
    *event->mutable_ts() = google::protobuf::util::TimeUtil::GetCurrentTime();
    grpc::ClientContext context;
    deadline(context);
    v1::IngestEventsResponse response;
    const grpc::Status status = stub->IngestEvents(&context, request, &response);
    QVERIFY2(status.ok(), status.error_message().c_str());
}

std::string inviteCode(v1::ReferralService::Stub &stub, std::int64_t uid)
{
    v1::GetInviteLinkRequest request;
    request.set_uid(uid);
    request.set_campaign_id("spring");
    request.set_channel("wechat");
    grpc::ClientContext context;
    deadline(context);
    v1::InviteLink link;
    const grpc::Status status = stub.GetInviteLink(&context, request, &link);
    if (!status.ok())
        qWarning("GetInviteLink: %s", status.error_message().c_str());
    return link.ref_code();
}

grpc::Status click(v1::ReferralService::Stub &stub, const std::string &code, std::int64_t visitor,
                   v1::InviteToken *token)
{
    v1::ClickInviteRequest request;
    request.set_ref_code(code);
    request.set_visitor_uid(visitor);
    request.set_ip("198.51.100." + std::to_string(visitor % 200));
    request.set_device_fingerprint("device-" + std::to_string(visitor));
    grpc::ClientContext context;
    deadline(context);
    return stub.ClickInvite(&context, request, token);
}

/// GetInviteLink → ClickInvite → RegisterWithInvite: `invitee` registers with `inviter`'s link.
bool invite(v1::ReferralService::Stub &stub, std::int64_t inviter, std::int64_t invitee)
{
    v1::InviteToken token;
    grpc::Status status = click(stub, inviteCode(stub, inviter), invitee, &token);
    if (!status.ok()) {
        qWarning("ClickInvite: %s", status.error_message().c_str());
        return false;
    }
    v1::RegisterWithInviteRequest request;
    request.set_token(token.token());
    request.set_uid(invitee);
    grpc::ClientContext context;
    deadline(context);
    v1::Registration registration;
    status = stub.RegisterWithInvite(&context, request, &registration);
    if (!status.ok())
        qWarning("RegisterWithInvite: %s", status.error_message().c_str());
    return status.ok();
}

void share(v1::ReferralService::Stub &stub, std::int64_t uid)
{
    v1::RecordShareRequest request;
    request.set_uid(uid);
    request.set_campaign_id("spring");
    request.set_channel("wechat");
    grpc::ClientContext context;
    deadline(context);
    v1::RecordShareResponse response;
    const grpc::Status status = stub.RecordShare(&context, request, &response);
    QVERIFY2(status.ok(), status.error_message().c_str());
}

/// A paid order of `uid`; its total.
v1::Order paidOrder(const std::shared_ptr<grpc::Channel> &channel, std::int64_t uid)
{
    auto orders = v1::OrderService::NewStub(channel);
    v1::CreateOrderRequest request;
    request.set_uid(uid);
    request.set_channel("app");
    v1::OrderItem *item = request.add_items();
    item->set_sku("ELE-1001");
    item->set_quantity(1);
    v1::Order order;
    grpc::Status status = test::createOrder(*orders, request, &order);
    if (!status.ok())
        qWarning("CreateOrder: %s", status.error_message().c_str());
    status = test::payOrder(*orders, order.order_id(), &order);
    if (!status.ok())
        qWarning("PayOrder: %s", status.error_message().c_str());
    return order;
}

v1::ListCommissionsResponse listCommissions(v1::ReferralService::Stub &stub)
{
    grpc::ClientContext context;
    deadline(context);
    v1::ListCommissionsResponse response;
    const grpc::Status status = stub.ListCommissions(&context, v1::ListCommissionsRequest(), &response);
    if (!status.ok())
        qWarning("ListCommissions: %s", status.error_message().c_str());
    return response;
}

/// The backend's first funnel snapshot, read as any client would.
v1::FunnelSnapshot funnelSnapshot(v1::ReferralService::Stub &stub)
{
    grpc::ClientContext context;
    deadline(context);
    auto reader = stub.StreamFunnel(&context, v1::StreamFunnelRequest());
    v1::FunnelSnapshot snapshot;
    if (!reader->Read(&snapshot))
        qWarning("StreamFunnel sent nothing");
    context.TryCancel();
    (void)reader->Finish();
    return snapshot;
}

QString commissionCell(const CommissionsModel *model, qint64 id, int column)
{
    return model->index(model->rowOf(id), column).data().toString();
}

void screenshot(QWidget *window, const QString &suffix)
{
    QString path = qEnvironmentVariable("FLYWHEEL_SCREENSHOT");
    if (path.isEmpty())
        return;
    path.insert(path.lastIndexOf(u'.'), suffix);
    QTest::qWait(200); // charts lay out their axes and legends on the next passes of the event loop
    QVERIFY(window->grab().save(path));
}

/// Text with its non-breaking spaces (between numbers and units) as plain ones.
QString plain(QString text)
{
    return text.replace(QChar::Nbsp, u' ');
}

/// Replaces an input's text by typing, as an operator would.
void type(QLineEdit *input, const QString &text)
{
    input->setFocus();
    input->selectAll();
    QTest::keyClick(input, Qt::Key_Delete);
    QTest::keyClicks(input, text);
}

} // namespace

class TestReferralPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void editsAndSavesTheProgramme()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto stub = v1::ReferralService::NewStub(backend->inProcessChannel());

        test::CallCounter calls; // outlives the connection, which holds its channel
        BackendConnection connection(QStringLiteral("test backend"));
        MainWindow window(&connection);
        QCOMPARE(MainWindow::pageNames().indexOf(QStringLiteral("referral")),
                 MainWindow::pageNames().indexOf(QStringLiteral("segments")) + 1);
        QVERIFY(window.showPage(QStringLiteral("referral")));
        ReferralPage *page = window.referralPage();
        ProgramTab *tab = page->programTab();
        ProgramEditor *editor = tab->editor();
        connection.setChannel(calls.channel(*backend));
        window.show();

        // The programme in force, version 1, in the form with its units.
        QTRY_VERIFY_WITH_TIMEOUT(tab->current().has_value(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(tab->versionCount(), 1, 5000);
        const v1::ProgramVersion first = currentProgram(*stub);
        QCOMPARE(first.version(), 1);
        QCOMPARE(tab->current()->version(), 1);
        QCOMPARE(editor->input(ProgramField::Level1Rate)->text(),
                 QStringLiteral("%1.%2")
                     .arg(first.program().level1_rate_bp() / 100)
                     .arg(first.program().level1_rate_bp() % 100, 2, 10, QLatin1Char('0')));
        QCOMPARE(editor->input(ProgramField::InviterReward)->text(),
                 QStringLiteral("%1.%2")
                     .arg(first.program().inviter_reward().minor_units() / 100)
                     .arg(first.program().inviter_reward().minor_units() % 100, 2, 10, QLatin1Char('0')));
        QCOMPARE(editor->input(ProgramField::TokenTtl)->text(), QString::number(first.program().token_ttl_hours()));
        QVERIFY2(page->headerText().startsWith(QStringLiteral("Programme version 1")), qPrintable(page->headerText()));
        QVERIFY(page->problemText().isEmpty());
        QVERIFY(!editor->isModified());
        tab->selectVersion(0);
        QVERIFY2(tab->diffText().contains(QStringLiteral("The first version")), qPrintable(tab->diffText()));
        // The history is the shared view, with the programme's "Changes" column and no rollback.
        VersionHistoryView *history = tab->history();
        QVERIFY(history != nullptr);
        QCOMPARE(tab->findChildren<VersionHistoryView *>().size(), 1);
        QVERIFY(history->rollbackButton() == nullptr);
        QCOMPARE(history->list()->headerItem()->text(4), QStringLiteral("Changes"));
        QCOMPARE(history->list()->topLevelItem(0)->text(4), QStringLiteral("the first version"));
        QCOMPARE(history->versionAt(0), 1);
        QCOMPARE(history->diffText(), tab->diffText());
        QVERIFY(page->hasData());

        // Out of range: refused in the console, naming the field, before any call.
        QSignalSpy finished(tab, &ProgramTab::actionFinished);
        type(editor->input(ProgramField::Level1Rate), QStringLiteral("60"));
        QVERIFY(editor->isModified());
        QCOMPARE(plain(editor->problem(ProgramField::Level1Rate)),
                 QStringLiteral("“Level-1 commission” must be from 0.00 % to 50.00 %, not 60.00 %."));
        QVERIFY(!tab->save(QStringLiteral("Too generous")));
        QVERIFY2(tab->messageText().startsWith(QStringLiteral("Nothing was saved: “Level-1 commission” must be")),
                 qPrintable(tab->messageText()));
        type(editor->input(ProgramField::Level1Rate), QStringLiteral("30"));
        type(editor->input(ProgramField::Level2Rate), QStringLiteral("25"));
        QVERIFY(editor->problem(ProgramField::Level1Rate).isEmpty());
        QVERIFY(!tab->save(QStringLiteral("Still too generous")));
        QVERIFY2(plain(tab->messageText())
                     .contains(QStringLiteral("“Level-1 commission” and “Level-2 commission” together "
                                              "must be at most 50.00 %, not 55.00 %")),
                 qPrintable(tab->messageText()));
        type(editor->input(ProgramField::MaxClicksPerIp), QStringLiteral("0"));
        QVERIFY(!tab->save(QStringLiteral("No clicks")));
        QVERIFY2(plain(tab->messageText())
                     .contains(QStringLiteral("“Invite clicks per IP address” must be from 1 to 1,000 "
                                              "per hour, not 0.")),
                 qPrintable(tab->messageText()));
        // A save that is sent starts its call before save() returns: none was.
        QCOMPARE(calls.count("ReferralService/SaveProgram"), 0);
        QCOMPARE(finished.size(), 0);
        QCOMPARE(currentProgram(*stub).version(), 1);

        // A valid change, saved with a reason: version 2, and what changed in the history.
        type(editor->input(ProgramField::MaxClicksPerIp),
             QString::number(first.program().max_clicks_per_ip_per_hour()));
        type(editor->input(ProgramField::Level1Rate), QStringLiteral("12.5"));
        type(editor->input(ProgramField::Level2Rate), QStringLiteral("3"));
        type(editor->input(ProgramField::InviterReward), QStringLiteral("8.8"));
        type(editor->input(ProgramField::TokenTtl), QStringLiteral("48"));
        QVERIFY(editor->problems().isEmpty());
        QVERIFY(!tab->save(QStringLiteral("   ")));
        QCOMPARE(tab->messageText(), QStringLiteral("Saving needs a reason; nothing was saved."));
        QVERIFY(tab->save(QStringLiteral("Spring push")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(tab->messageText()));
        QVERIFY2(tab->messageText().startsWith(QStringLiteral("Saved as version 2")), qPrintable(tab->messageText()));
        const v1::ProgramVersion second = currentProgram(*stub);
        QCOMPARE(second.version(), 2);
        QCOMPARE(second.reason(), std::string("Spring push"));
        QCOMPARE(second.source(), std::string("console"));
        QCOMPARE(second.program().level1_rate_bp(), 1250);
        QCOMPARE(second.program().level2_rate_bp(), 300);
        QCOMPARE(second.program().inviter_reward().minor_units(), 880);
        QCOMPARE(second.program().token_ttl_hours(), 48);
        QCOMPARE(second.program().max_clicks_per_ip_per_hour(), first.program().max_clicks_per_ip_per_hour());
        QVERIFY(!editor->isModified());
        QCOMPARE(editor->input(ProgramField::Level1Rate)->text(), QStringLiteral("12.50"));
        QTRY_COMPARE_WITH_TIMEOUT(tab->versionCount(), 2, 5000);
        QCOMPARE(tab->versionAt(0), 2);
        tab->selectVersion(0);
        const QString diff = plain(tab->diffText());
        QVERIFY2(diff.contains(QStringLiteral("Spring push")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("Level-1 commission: 10.00 % → 12.50 %")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("Reward for the inviter: ¥5.00 → ¥8.80")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("Invite token lifetime: 24 hours → 48 hours")), qPrintable(diff));
        QVERIFY2(!diff.contains(QStringLiteral("Level-2 commission")), qPrintable(diff));
        QTRY_VERIFY_WITH_TIMEOUT(page->headerText().startsWith(QStringLiteral("Programme version 2")), 5000);
        screenshot(&window, QStringLiteral("-programme"));

        // Someone else saves first: explained, and what was typed stays.
        type(editor->input(ProgramField::MaxClicksPerIp), QStringLiteral("5"));
        v1::ProgramVersion other;
        v1::ReferralProgram theirs = second.program();
        theirs.set_clock_leeway_seconds(30);
        QVERIFY(saveProgram(*stub, 2, theirs, &other).ok());
        QCOMPARE(other.version(), 3);
        QVERIFY(tab->save(QStringLiteral("Stricter IPs")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QVERIFY2(tab->messageText().startsWith(QStringLiteral("The programme was not saved: someone else saved a newer "
                                                              "version while you were editing")),
                 qPrintable(tab->messageText()));
        QVERIFY2(tab->messageText().contains(QStringLiteral("Your changes are kept")), qPrintable(tab->messageText()));
        QCOMPARE(editor->input(ProgramField::MaxClicksPerIp)->text(), QStringLiteral("5"));
        QTRY_VERIFY_WITH_TIMEOUT(tab->editingText().contains(QStringLiteral("Version 3 has been saved since")), 5000);
        QCOMPARE(editor->input(ProgramField::MaxClicksPerIp)->text(), QStringLiteral("5"));
        QTRY_COMPARE_WITH_TIMEOUT(tab->versionCount(), 3, 5000);
        screenshot(&window, QStringLiteral("-stale"));

        // Based on version 3, through the button, with the reason asked by the page's hook.
        tab->rebaseEdits();
        QVERIFY(tab->editingText().startsWith(QStringLiteral("Unsaved changes based on version 3")));
        QString asked;
        tab->setAskReason([&asked](const QString &, const QString &question) -> std::optional<QString> {
            asked = question;
            return QStringLiteral("Stricter IPs");
        });
        QVERIFY(tab->saveButton()->isEnabled());
        QTest::mouseClick(tab->saveButton(), Qt::LeftButton);
        QVERIFY(asked.contains(QStringLiteral("required")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 5000);
        QVERIFY2(finished.at(2).at(0).toBool(), qPrintable(tab->messageText()));
        const v1::ProgramVersion fourth = currentProgram(*stub);
        QCOMPARE(fourth.version(), 4);
        QCOMPARE(fourth.program().max_clicks_per_ip_per_hour(), 5);
        QCOMPARE(fourth.program().clock_leeway_seconds(), 30); // theirs is kept where it was not edited
        QTRY_COMPARE_WITH_TIMEOUT(tab->versionCount(), 4, 5000);
        tab->selectVersion(0);
        QVERIFY2(
            plain(tab->diffText()).contains(QStringLiteral("Invite clicks per IP address: 3 per hour → 5 per hour")),
            qPrintable(tab->diffText()));
        QVERIFY(!tab->diffText().contains(QStringLiteral("Clock leeway")));
    }

    void invitesCommissionsAndFunnel()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        const auto channel = backend->inProcessChannel();
        auto stub = v1::ReferralService::NewStub(channel);

        // kInviter invites kInvitee, who pays an order: a pending commission. kInvitee cannot
        // invite yet (registered just now): a refusal the funnel counts.
        makeActive(channel, kInviter);
        share(*stub, kInviter);
        share(*stub, kInviter);
        QVERIFY(invite(*stub, kInviter, kInvitee));
        const v1::Order order = paidOrder(channel, kInvitee);
        QVERIFY(order.order_id() > 0);
        {
            v1::InviteToken token;
            const grpc::Status refused = click(*stub, inviteCode(*stub, kInvitee), kSecondLevel, &token);
            QCOMPARE(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
        }
        // With no minimum age, the tree grows two levels further down.
        {
            v1::ReferralProgram program = currentProgram(*stub).program();
            program.set_min_inviter_age_hours(0);
            v1::ProgramVersion saved;
            QVERIFY(saveProgram(*stub, 1, program, &saved).ok());
        }
        QVERIFY(invite(*stub, kInvitee, kSecondLevel));
        QVERIFY(invite(*stub, kSecondLevel, kThirdLevel));
        const v1::Order secondOrder = paidOrder(channel, kSecondLevel);
        QVERIFY(secondOrder.order_id() > 0);

        test::CallCounter calls; // outlives the connection, which holds its channel
        BackendConnection connection(QStringLiteral("test backend"));
        ReferralPage page(&connection);
        CommissionsTab *commissions = page.commissionsTab();
        QAbstractItemModelTester tester(commissions->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        connection.setChannel(calls.channel(*backend));
        page.resize(1100, 760);
        page.show();

        // The invite tree of kInviter: kInvitee, then kSecondLevel at the edge, fetched on expanding.
        InviteTreeTab *tree = page.inviteTreeTab();
        page.showTab(ReferralPage::InviteTree);
        QSignalSpy treeLoaded(tree, &InviteTreeTab::treeLoaded);
        tree->uidField()->setText(QString::number(kInviter));
        tree->showTyped();
        QTRY_COMPARE_WITH_TIMEOUT(treeLoaded.size(), 1, 5000);
        QVERIFY2(treeLoaded.at(0).at(0).toBool(), qPrintable(tree->summaryText()));
        QCOMPARE(tree->inviterText(), QStringLiteral("User %1 registered without an invite.").arg(kInviter));
        QVERIFY2(tree->summaryText().startsWith(QStringLiteral("User %1 invited 1 user(s) directly").arg(kInviter)),
                 qPrintable(tree->summaryText()));
        QTreeWidgetItem *invitee = tree->itemOf(kInvitee);
        QVERIFY(invitee != nullptr);
        QCOMPARE(invitee->text(InviteTreeTab::Campaign), QStringLiteral("spring"));
        QCOMPARE(invitee->text(InviteTreeTab::Channel), QStringLiteral("wechat"));
        QCOMPARE(invitee->text(InviteTreeTab::PaidOrders), QStringLiteral("1"));
        QCOMPARE(invitee->text(InviteTreeTab::Invited), QStringLiteral("1"));
        QVERIFY(!invitee->text(InviteTreeTab::Registered).isEmpty());
        QVERIFY(invitee->text(InviteTreeTab::PaidTotal).startsWith(u'¥'));
        QVERIFY(invitee->isExpanded());
        QTreeWidgetItem *edge = tree->itemOf(kSecondLevel);
        QVERIFY(edge != nullptr);
        QCOMPARE(edge->childCount(), 0);
        QCOMPARE(edge->childIndicatorPolicy(), QTreeWidgetItem::ShowIndicator);
        QVERIFY(tree->itemOf(kThirdLevel) == nullptr);
        edge->setExpanded(true);
        QTRY_COMPARE_WITH_TIMEOUT(treeLoaded.size(), 2, 5000);
        QVERIFY(treeLoaded.at(1).at(0).toBool());
        QVERIFY(tree->itemOf(kThirdLevel) != nullptr);
        QCOMPARE(tree->itemOf(kThirdLevel)->parent(), tree->itemOf(kSecondLevel));
        QCOMPARE(tree->itemOf(kSecondLevel)->text(InviteTreeTab::Invited), QStringLiteral("1"));
        screenshot(&page, QStringLiteral("-tree"));

        // Someone else's tree shows their inviter; unknown users and bad input are explained.
        tree->showTree(kInvitee);
        QTRY_COMPARE_WITH_TIMEOUT(treeLoaded.size(), 3, 5000);
        QVERIFY2(tree->inviterText().startsWith(
                     QStringLiteral("User %1 was invited by user %2").arg(kInvitee).arg(kInviter)),
                 qPrintable(tree->inviterText()));
        tree->showTree(987654321);
        QTRY_COMPARE_WITH_TIMEOUT(treeLoaded.size(), 4, 5000);
        QCOMPARE(treeLoaded.at(3).at(0).toBool(), false);
        QVERIFY2(tree->summaryText().startsWith(QStringLiteral("There is no user 987654321")),
                 qPrintable(tree->summaryText()));
        QCOMPARE(tree->tree()->topLevelItemCount(), 0);
        tree->uidField()->setText(QStringLiteral("0"));
        tree->showTyped();
        QCOMPARE(tree->summaryText(), QStringLiteral("Enter a user id: a positive number such as 100001."));

        // The ledger: both commissions pending, newest first.
        page.showTab(ReferralPage::Commissions);
        const CommissionsModel *model = commissions->model();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 2, 5000);
        const v1::ListCommissionsResponse listed = listCommissions(*stub);
        QCOMPARE(listed.commissions_size(), 2);
        const v1::Commission direct =
            listed.commissions(0).order_id() == order.order_id() ? listed.commissions(0) : listed.commissions(1);
        const v1::Commission twoLevels =
            listed.commissions(0).order_id() == order.order_id() ? listed.commissions(1) : listed.commissions(0);
        QCOMPARE(direct.level1_uid(), kInviter);
        QCOMPARE(twoLevels.level1_uid(), kInvitee);
        QCOMPARE(twoLevels.level2_uid(), kInviter);
        QCOMPARE(commissionCell(model, direct.id(), CommissionsModel::State), QStringLiteral("pending"));
        QCOMPARE(commissionCell(model, direct.id(), CommissionsModel::Buyer), QString::number(kInvitee));
        QVERIFY(commissionCell(model, direct.id(), CommissionsModel::OrderTotal).startsWith(u'¥'));
        QVERIFY2(commissions->totalsText().contains(QStringLiteral("pending 2")),
                 qPrintable(commissions->totalsText()));
        QVERIFY(!commissions->isShowingEmptyMessage());

        // "Review passed", confirmed through the hook: how many and how much, then reviewing.
        QSignalSpy acted(commissions, &CommissionsTab::actionFinished);
        QString question;
        bool answer = true;
        commissions->setConfirm([&](const QString &, const QString &text) {
            question = text;
            return answer;
        });
        commissions->selectCommissions({direct.id()});
        QCOMPARE(commissions->selectedIds(), QList<qint64>{direct.id()});
        QPushButton *review = commissions->actionButton(v1::COMMISSION_STATE_REVIEWING);
        QVERIFY(review->isEnabled());
        QTest::mouseClick(review, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(acted.size(), 1, 5000);
        QVERIFY2(acted.at(0).at(0).toBool(), qPrintable(commissions->messageText()));
        QVERIFY2(question.startsWith(QStringLiteral("Pass the review of 1 commission(s)?")), qPrintable(question));
        QCOMPARE(commissions->messageText(), QStringLiteral("1 commission(s) moved to reviewing."));
        const v1::ListCommissionsResponse reviewed = listCommissions(*stub);
        qint64 level1 = 0;
        for (const v1::Commission &c : reviewed.commissions()) {
            if (c.id() == direct.id()) {
                QCOMPARE(c.state(), v1::COMMISSION_STATE_REVIEWING);
                level1 = c.level1_amount().minor_units();
            }
        }
        QVERIFY(level1 > 0);
        // The amount asked about is the one the backend added.
        QVERIFY2(question.contains(formatMoney(level1, QStringLiteral("CNY")) + QStringLiteral(" in all")),
                 qPrintable(question));
        QTRY_COMPARE_WITH_TIMEOUT(commissionCell(model, direct.id(), CommissionsModel::State),
                                  QStringLiteral("reviewing"), 5000);

        // A second "Review passed" is illegal: the backend's refusal, per commission, in words.
        commissions->selectCommissions({direct.id()});
        QTest::mouseClick(review, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(acted.size(), 2, 5000);
        QCOMPARE(acted.at(1).at(0).toBool(), false);
        QVERIFY2(question.contains(QStringLiteral("1 of them are not pending")), qPrintable(question));
        const QString refusal = commissions->messageText();
        QVERIFY2(refusal.startsWith(QStringLiteral("No commission was moved to reviewing; the backend refused 1:\n• "
                                                   "Commission %1 (order %2, reviewing): ")
                                        .arg(direct.id())
                                        .arg(order.order_id())),
                 qPrintable(refusal));
        screenshot(&page, QStringLiteral("-commissions"));

        // Both selected, "Confirm": one moves, one is refused.
        commissions->selectCommissions({direct.id(), twoLevels.id()});
        QCOMPARE(commissions->selectedIds().size(), 2);
        QTest::mouseClick(commissions->actionButton(v1::COMMISSION_STATE_CONFIRMED), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(acted.size(), 3, 5000);
        QCOMPARE(acted.at(2).at(0).toBool(), false);
        QVERIFY2(question.startsWith(QStringLiteral("Confirm 2 commission(s)?")), qPrintable(question));
        QVERIFY2(commissions->messageText().startsWith(
                     QStringLiteral("1 of 2 commissions moved to confirmed; the backend refused 1:\n• Commission %1")
                         .arg(twoLevels.id())),
                 qPrintable(commissions->messageText()));

        // Settling asks with the amount paid out; declining sends nothing.
        commissions->selectCommissions({direct.id()});
        answer = false;
        QTest::mouseClick(commissions->actionButton(v1::COMMISSION_STATE_SETTLED), Qt::LeftButton);
        QVERIFY2(question.startsWith(QStringLiteral("Settle 1 commission(s), %1 in all? This pays them out and "
                                                    "cannot be undone.")
                                         .arg(formatMoney(level1, QStringLiteral("CNY")))),
                 qPrintable(question));
        // A bulk action that is sent starts its call at once: three were, none more.
        QCOMPARE(calls.count("ReferralService/TransitionCommissions"), 3);
        QCOMPARE(acted.size(), 3);

        // The state filter asks the backend for that state only.
        commissions->setStateFilter(v1::COMMISSION_STATE_PENDING);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 5000);
        QCOMPARE(model->at(0).id(), twoLevels.id());
        commissions->setStateFilter(v1::COMMISSION_STATE_SETTLED);
        QTRY_VERIFY_WITH_TIMEOUT(commissions->isShowingEmptyMessage(), 5000);
        QCOMPARE(commissions->emptyMessage(), QStringLiteral("No commission matches the filter."));
        commissions->setStateFilter(v1::COMMISSION_STATE_UNSPECIFIED);
        commissions->setUidFilter(kSecondLevel);
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 1, 5000);
        QCOMPARE(model->at(0).id(), twoLevels.id());

        // The funnel: the campaign's counts and conversions as the backend has them.
        FunnelTab *funnel = page.funnelTab();
        page.showTab(ReferralPage::Funnel);
        QTRY_VERIFY_WITH_TIMEOUT(funnel->funnelChart()->campaigns().contains(QStringLiteral("spring")), 5000);
        v1::FunnelRow spring;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const v1::FunnelSnapshot snapshot = funnelSnapshot(*stub);
                for (const v1::FunnelRow &row : snapshot.rows()) {
                    if (row.campaign_id() == "spring" && row.channel() == "wechat")
                        spring = row;
                }
                return spring.first_orders() == 2;
            }(),
            5000);
        QCOMPARE(spring.shares(), 2);
        QCOMPARE(spring.clicks(), 3);
        QCOMPARE(spring.registrations(), 3);
        funnel->redraw();
        QTRY_COMPARE_WITH_TIMEOUT(funnel->funnelChart()->value(QStringLiteral("spring"), 3), 2, 5000);
        QCOMPARE(funnel->funnelChart()->value(QStringLiteral("spring"), 0), 2);
        QCOMPARE(funnel->funnelChart()->value(QStringLiteral("spring"), 1), 3);
        QCOMPARE(funnel->cell(QStringLiteral("spring"), QStringLiteral("wechat"), FunnelTab::Shares),
                 QStringLiteral("2"));
        QCOMPARE(funnel->cell(QStringLiteral("spring"), QStringLiteral("wechat"), FunnelTab::Clicks),
                 QStringLiteral("3"));
        QCOMPARE(funnel->cell(QStringLiteral("spring"), QStringLiteral("wechat"), FunnelTab::FirstOrders),
                 QStringLiteral("2"));
        QCOMPARE(funnel->cell(QStringLiteral("spring"), QStringLiteral("wechat"), FunnelTab::ClickPerShare),
                 formatPercent(1.5));
        QCOMPARE(funnel->cell(QStringLiteral("spring"), QStringLiteral("wechat"), FunnelTab::RegisterPerClick),
                 formatPercent(1.0));
        QCOMPARE(funnel->cell(QStringLiteral("spring"), QStringLiteral("wechat"), FunnelTab::OrderPerRegister),
                 formatPercent(2.0 / 3.0));
        QVERIFY(!funnel->funnelChart()->isShowingEmptyMessage());
        QVERIFY2(funnel->statusText().startsWith(QStringLiteral("Live")), qPrintable(funnel->statusText()));
        // The refusal of kInvitee's too early invite, in the last hour and all time.
        QCOMPARE(funnel->refusalChart()->recentTotals().value(QStringLiteral("inviter_too_new")), 1);
        QVERIFY(!funnel->refusalChart()->isShowingEmptyMessage());
        QVERIFY2(funnel->refusalChart()->totalsText().contains(QStringLiteral("inviter registered too recently 1")),
                 qPrintable(funnel->refusalChart()->totalsText()));
        screenshot(&page, QStringLiteral("-funnel"));

        // More activity arrives by the stream, without asking.
        share(*stub, kInviter);
        QTRY_COMPARE_WITH_TIMEOUT(funnel->cell(QStringLiteral("spring"), QStringLiteral("wechat"), FunnelTab::Shares),
                                  QStringLiteral("3"), 5000);
    }

    void emptyStatesSayWhatWillAppear()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        BackendConnection connection(QStringLiteral("test backend"));
        ReferralPage page(&connection);
        connection.setChannel(backend->inProcessChannel());
        page.resize(1100, 760);
        page.show();
        page.showTab(ReferralPage::Commissions);
        QTRY_VERIFY_WITH_TIMEOUT(page.commissionsTab()->isShowingEmptyMessage(), 5000);
        QVERIFY2(page.commissionsTab()->emptyMessage().startsWith(QStringLiteral("No commissions yet.")),
                 qPrintable(page.commissionsTab()->emptyMessage()));
        QVERIFY(!page.commissionsTab()->actionButton(v1::COMMISSION_STATE_SETTLED)->isEnabled());
        page.showTab(ReferralPage::Funnel);
        FunnelTab *funnel = page.funnelTab();
        QTRY_VERIFY_WITH_TIMEOUT(funnel->statusText().startsWith(QStringLiteral("Live")), 5000);
        funnel->redraw();
        QVERIFY(funnel->funnelChart()->isShowingEmptyMessage());
        QVERIFY2(funnel->funnelChart()->emptyMessage().startsWith(QStringLiteral("No invite activity yet.")),
                 qPrintable(funnel->funnelChart()->emptyMessage()));
        QVERIFY(funnel->refusalChart()->isShowingEmptyMessage());
        QVERIFY2(funnel->refusalChart()->emptyMessage().startsWith(
                     QStringLiteral("No invite was refused in the last hour.")),
                 qPrintable(funnel->refusalChart()->emptyMessage()));
        screenshot(&page, QStringLiteral("-funnel-empty"));
    }

    void saysWhenTheBackendIsUnreachable()
    {
        BackendConnection connection(QStringLiteral("127.0.0.1:1"));
        ReferralPage page(&connection);
        connection.setChannel(BackendConnection::createRemoteChannel(QStringLiteral("127.0.0.1:1")));
        page.show();
        QTRY_VERIFY_WITH_TIMEOUT(!page.problemText().isEmpty(), 15000);
        QVERIFY2(page.problemText().startsWith(QStringLiteral("Could not load the referral programme. The backend is "
                                                              "not reachable")),
                 qPrintable(page.problemText()));
        QCOMPARE(page.headerText(), QStringLiteral("The referral programme is not loaded."));
        QVERIFY(!page.programTab()->current().has_value());
        QVERIFY(!page.programTab()->save(QStringLiteral("anything")));
        QCOMPARE(page.programTab()->messageText(),
                 QStringLiteral("The programme is not loaded yet; nothing was saved."));
        QTRY_VERIFY_WITH_TIMEOUT(page.funnelTab()->statusText().startsWith(
                                     QStringLiteral("The funnel is not available: The backend is not reachable")),
                                 15000);
        QVERIFY(page.commissionsTab()->model()->rowCount() == 0);
    }
};

QTEST_MAIN(TestReferralPage)
#include "tst_referralpage.moc"
