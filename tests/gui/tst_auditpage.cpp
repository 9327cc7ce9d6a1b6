// The Audit page against a fake AuditService in the test (in-process gRPC): the request
// carries the page's filters, rows show the entries in words, "Load older" appends the
// next page, the diff shows removed and added lines, "Restore this version" sends the
// current version as base_version with the reason and refreshes, stays disabled (saying
// why) for an entry that cannot be restored and while production is locked, and failed
// answers are shown in words.

#include "audit/AuditDiffView.h"
#include "audit/AuditModel.h"
#include "audit/AuditPage.h"
#include "audit/DiffModel.h"
#include "audit/LineDiff.h"
#include "client/BackendConnection.h"
#include "common/ReasonDialog.h"
#include "common/TimeText.h"
#include "connection/EnvironmentPolicy.h"
#include "MainWindow.h"

#include "flywheel/v1/audit.grpc.pb.h"

#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>
#include <grpcpp/support/channel_arguments.h>

#include <QApplication>
#include <QBrush>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

using namespace flywheel;
using namespace flywheel::ui;

namespace {

// 2026-12-01 00:00:00 UTC; entry n was made n minutes later.
constexpr qint64 kBase = 1796083200;

/// The text of pricing version `v`: one line changes from version to version.
std::string pricingText(qint64 v)
{
    return "rules:\n- id: launch\n  percent_off: " + std::to_string(v) + "\n- id: vip\n  enabled: true\n";
}

/// AuditService with 150 entries: seq % 3 == 0 pricing (versions 1..50), 1 inventory
/// (no versions), 2 segments (versions 1..50); odd seqs by alice (operator), even by
/// bob (admin). Answers as the proto says, newest first; records every request.
class FakeAudit final : public v1::AuditService::Service {
public:
    FakeAudit()
    {
        for (qint64 seq = 1; seq <= 150; ++seq) {
            v1::AuditEntry e;
            e.set_seq(seq);
            e.mutable_at()->set_seconds(kBase + seq * 60);
            e.set_actor_name(seq % 2 == 1 ? "alice" : "bob");
            e.set_actor_role(seq % 2 == 1 ? "operator" : "admin");
            e.set_peer("ipv4:10.0.0.7:52344");
            e.set_hash(std::string(64, 'a'));
            switch (seq % 3) {
            case 0:
                e.set_area("pricing");
                e.set_object("rule set");
                e.set_version(seq / 3);
                e.set_before(seq == 3 ? "" : pricingText(seq / 3 - 1));
                e.set_after(pricingText(seq / 3));
                break;
            case 1:
                e.set_area("inventory");
                e.set_object("SKU-1");
                e.set_after("available: " + std::to_string(seq));
                e.set_before("available: " + std::to_string(seq - 1));
                break;
            default:
                e.set_area("segments");
                e.set_object("segment set");
                e.set_version(seq / 3 + 1);
                e.set_after("segments: " + std::to_string(seq));
                break;
            }
            e.set_reason("change " + std::to_string(seq));
            entries.push_back(e);
        }
        current["pricing"] = 50;
        current["segments"] = 50;
    }

    grpc::Status ListAuditEntries(grpc::ServerContext *, const v1::ListAuditEntriesRequest *request,
                                  v1::ListAuditEntriesResponse *response) override
    {
        const std::lock_guard lock(mutex);
        lists.push_back(*request);
        if (listError)
            return *listError;
        const int limit = request->limit() == 0 ? 100 : request->limit();
        for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
            const v1::AuditEntry &e = *it;
            if ((request->before_seq() > 0 && e.seq() >= request->before_seq()) ||
                (!request->area().empty() && e.area() != request->area()) ||
                (!request->actor_name().empty() && e.actor_name() != request->actor_name()) ||
                (request->has_from() && e.at().seconds() < request->from().seconds()) ||
                (request->has_until() && e.at().seconds() >= request->until().seconds()))
                continue;
            if (response->entries_size() == limit) {
                response->set_next_before_seq(response->entries(limit - 1).seq());
                break;
            }
            v1::AuditEntry *out = response->add_entries();
            *out = e;
            const auto found = current.find(e.area());
            out->set_restorable(found != current.end() && e.version() > 0 && e.version() != found->second);
        }
        for (const auto &[area, version] : current)
            (*response->mutable_current_versions())[area] = version;
        return grpc::Status::OK;
    }

    grpc::Status RestoreVersion(grpc::ServerContext *, const v1::RestoreVersionRequest *request,
                                v1::RestoreVersionResponse *response) override
    {
        const std::lock_guard lock(mutex);
        restores.push_back(*request);
        if (restoreError)
            return *restoreError;
        const auto found = current.find(request->area());
        if (found == current.end())
            return {grpc::StatusCode::NOT_FOUND, "no area " + request->area()};
        if (request->base_version() != found->second)
            return {grpc::StatusCode::ABORTED, "pricing is at version " + std::to_string(found->second)};
        v1::AuditEntry e;
        e.set_seq(static_cast<qint64>(entries.size()) + 1);
        e.mutable_at()->set_seconds(kBase + e.seq() * 60);
        e.set_actor_name("carol");
        e.set_actor_role("operator");
        e.set_area(request->area());
        e.set_object("rule set");
        e.set_version(++found->second);
        e.set_reason(request->reason());
        entries.push_back(e);
        response->set_area(request->area());
        response->set_version(found->second);
        response->set_restored_from(request->version());
        return grpc::Status::OK;
    }

    int listCount()
    {
        const std::lock_guard lock(mutex);
        return static_cast<int>(lists.size());
    }
    v1::ListAuditEntriesRequest lastList()
    {
        const std::lock_guard lock(mutex);
        return lists.empty() ? v1::ListAuditEntriesRequest() : lists.back();
    }

    std::mutex mutex;
    std::vector<v1::AuditEntry> entries;
    std::map<std::string, qint64> current;
    std::vector<v1::ListAuditEntriesRequest> lists;
    std::vector<v1::RestoreVersionRequest> restores;
    std::optional<grpc::Status> listError;
    std::optional<grpc::Status> restoreError;
};

/// The fake on an in-process server, a connection to it, and a main window on the Audit page.
struct Fixture {
    FakeAudit service;
    std::unique_ptr<grpc::Server> server;
    BackendConnection connection{QStringLiteral("fake audit backend")};
    std::unique_ptr<MainWindow> window;
    AuditPage *page = nullptr;

    Fixture()
    {
        grpc::ServerBuilder builder;
        builder.RegisterService(&service);
        server = builder.BuildAndStart();
        window = std::make_unique<MainWindow>(&connection);
        page = window->auditPage();
        window->showPage(QStringLiteral("audit"));
    }
    ~Fixture()
    {
        window.reset();
        server->Shutdown();
    }
    void connect()
    {
        connection.setChannel(server->InProcessChannel(grpc::ChannelArguments()));
        window->show();
    }
};

QString cell(const AuditPage *page, int row, int column)
{
    return page->model()->index(row, column).data().toString();
}

ConnectionProfile production()
{
    ConnectionProfile p;
    p.name = QStringLiteral("prod-eu");
    p.address = QStringLiteral("flywheel.eu.example:443");
    p.tls = true;
    p.environment = Environment::Production;
    return p;
}

/// Runs `act` on the first visible ReasonDialog once one is shown (it runs its own loop).
void whenReasonAsked(std::function<void(ReasonDialog *)> act)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(5);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, act] {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (auto *dialog = qobject_cast<ReasonDialog *>(w); dialog && dialog->isVisible()) {
                timer->stop();
                timer->deleteLater();
                act(dialog);
                return;
            }
        }
    });
    timer->start();
}

} // namespace

class TestAuditPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsFiltersAndPages()
    {
        Fixture f;
        AuditPage *page = f.page;
        QVERIFY(MainWindow::pageNames().contains(QStringLiteral("audit")));
        QCOMPARE(f.window->currentPageName(), QStringLiteral("audit"));
        QCOMPARE(page->emptyText(), QStringLiteral("Waiting for the backend…"));
        QCOMPARE(f.service.listCount(), 0); // nothing is sent without a channel
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);
        QVERIFY(f.window->currentPageHasData());

        // The first page: every area, everyone, all time, newest first.
        v1::ListAuditEntriesRequest sent = f.service.lastList();
        QCOMPARE(sent.area(), std::string());
        QCOMPARE(sent.actor_name(), std::string());
        QVERIFY(!sent.has_from());
        QVERIFY(!sent.has_until());
        QCOMPARE(sent.before_seq(), qint64(0));
        QCOMPARE(sent.limit(), AuditPage::kPageSize);
        QCOMPARE(page->model()->rowCount(), 100);
        QVERIFY(page->emptyText().isEmpty());
        // Row 0 is entry 150: bob, admin, pricing version 50.
        const v1::AuditEntry &newest = f.service.entries.back();
        QCOMPARE(cell(page, 0, AuditModel::Time), TimeText::timestamp(newest.at()));
        QCOMPARE(cell(page, 0, AuditModel::Who), QStringLiteral("bob (Administrator)"));
        QCOMPARE(cell(page, 0, AuditModel::Peer), QStringLiteral("ipv4:10.0.0.7:52344"));
        QCOMPARE(cell(page, 0, AuditModel::Area), QStringLiteral("Pricing"));
        QCOMPARE(cell(page, 0, AuditModel::Object), QStringLiteral("rule set"));
        QCOMPARE(cell(page, 0, AuditModel::Version), QStringLiteral("50"));
        QCOMPARE(cell(page, 0, AuditModel::Reason), QStringLiteral("change 150"));
        // Alice is an operator; an inventory entry has no version.
        QCOMPARE(cell(page, 1, AuditModel::Who), QStringLiteral("alice (Operator)"));
        QCOMPARE(cell(page, 1, AuditModel::Area), QStringLiteral("Segments"));
        QCOMPARE(cell(page, 2, AuditModel::Area), QStringLiteral("Inventory"));
        QCOMPARE(cell(page, 2, AuditModel::Version), QStringLiteral("—"));
        QCOMPARE(page->persons(), (QStringList{QStringLiteral("alice"), QStringLiteral("bob")}));

        // "Load older" asks for the entries before the last one shown and appends them.
        QVERIFY(page->canLoadOlder());
        QVERIFY(page->loadOlderButton()->isEnabled());
        page->loadOlderButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 150, 5000);
        QCOMPARE(f.service.lastList().before_seq(), qint64(51));
        QCOMPARE(page->model()->entryAt(100)->seq(), qint64(50));
        QCOMPARE(page->model()->entryAt(149)->seq(), qint64(1));
        QVERIFY(!page->canLoadOlder()); // that was the last page
        QVERIFY(page->loadOlderButton()->isHidden());

        // Area: only pricing entries, the first page again.
        page->setAreaFilter(QStringLiteral("pricing"));
        QTRY_COMPARE_WITH_TIMEOUT(f.service.lastList().area(), std::string("pricing"), 5000);
        QCOMPARE(f.service.lastList().before_seq(), qint64(0));
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 50, 5000);
        for (const v1::AuditEntry &e : page->model()->entries())
            QCOMPARE(e.area(), std::string("pricing"));

        // Person, typed into the editable combo.
        page->setPersonFilter(QStringLiteral("alice"));
        QTRY_COMPARE_WITH_TIMEOUT(f.service.lastList().actor_name(), std::string("alice"), 5000);
        QCOMPARE(f.service.lastList().area(), std::string("pricing"));
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 25, 5000);

        // Time presets count back from now.
        const QDateTime now = QDateTime::fromSecsSinceEpoch(kBase + 150 * 60 + 30);
        page->setClock([now] { return now; });
        // One change at a time: the requests of changes made together may reach the
        // fake service in either order, and lastList() is the last to arrive.
        page->setPersonFilter(QString());
        QTRY_VERIFY_WITH_TIMEOUT(f.service.lastList().actor_name().empty(), 5000);
        page->setAreaFilter(QString());
        QTRY_VERIFY_WITH_TIMEOUT(f.service.lastList().area().empty(), 5000);
        page->setPeriod(AuditPage::Period::LastHour);
        QTRY_VERIFY_WITH_TIMEOUT(f.service.lastList().has_from(), 5000);
        sent = f.service.lastList();
        QCOMPARE(sent.area(), std::string());
        QCOMPARE(sent.actor_name(), std::string());
        QCOMPARE(sent.from().seconds(), now.toSecsSinceEpoch() - 3600);
        QVERIFY(!sent.has_until());
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 60, 5000); // entries 91..150
        page->setPeriod(AuditPage::Period::Last7Days);
        QTRY_COMPARE_WITH_TIMEOUT(f.service.lastList().from().seconds(), now.toSecsSinceEpoch() - 7 * 86400, 5000);

        // A custom period sends both ends.
        const QDateTime from = QDateTime::fromSecsSinceEpoch(kBase + 10 * 60);
        const QDateTime until = QDateTime::fromSecsSinceEpoch(kBase + 20 * 60);
        page->setCustomRange(from, until);
        QTRY_COMPARE_WITH_TIMEOUT(f.service.lastList().until().seconds(), until.toSecsSinceEpoch(), 5000);
        QCOMPARE(f.service.lastList().from().seconds(), from.toSecsSinceEpoch());
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->rowCount(), 10, 5000); // entries 10..19
        QCOMPARE(page->model()->entryAt(0)->seq(), qint64(19));

        // An empty period is refused in words, without asking the backend.
        const int lists = f.service.listCount();
        page->setCustomRange(until, from);
        QVERIFY(page->messageText().startsWith(QStringLiteral("The period is empty: “from” (")));
        QCOMPARE(f.service.listCount(), lists);

        // Nothing matches: said so.
        page->setCustomRange(QDateTime::fromSecsSinceEpoch(kBase - 7200), QDateTime::fromSecsSinceEpoch(kBase));
        QTRY_COMPARE_WITH_TIMEOUT(page->emptyText(), QStringLiteral("No change matches the filters."), 5000);
        QVERIFY(page->messageText().isEmpty()); // the period problem is gone
    }

    void showsTheDiff()
    {
        Fixture f;
        AuditPage *page = f.page;
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);
        QCOMPARE(page->diffView()->caption(), QStringLiteral("Select an entry to see what it changed."));

        // Pricing version 50 (entry 150): one line removed, one added, the rest context.
        QVERIFY(page->selectEntry(150));
        QCOMPARE(page->selectedSeq(), qint64(150));
        QCOMPARE(page->diffView()->caption(), QStringLiteral("Before → after: 1 line(s) added, 1 line(s) removed."));
        const std::vector<LineDiff::Line> &lines = page->diffView()->lines();
        const auto has = [&lines](LineDiff::Kind kind, const QString &text) {
            return std::any_of(lines.begin(), lines.end(),
                               [&](const LineDiff::Line &l) { return l.kind == kind && l.text == text; });
        };
        QVERIFY(has(LineDiff::Kind::Removed, QStringLiteral("  percent_off: 49")));
        QVERIFY(has(LineDiff::Kind::Added, QStringLiteral("  percent_off: 50")));
        QVERIFY(has(LineDiff::Kind::Same, QStringLiteral("- id: launch")));
        // Shown red and green, with − and +.
        const QAbstractItemModel *model = page->diffView()->model();
        bool red = false;
        bool green = false;
        for (int row = 0; row < model->rowCount(); ++row) {
            const QString text = model->index(row, 0).data().toString();
            const QColor background = model->index(row, 0).data(Qt::BackgroundRole).value<QBrush>().color();
            if (text == QStringLiteral("−   percent_off: 49"))
                red = background.red() > background.green();
            if (text == QStringLiteral("+   percent_off: 50"))
                green = background.green() > background.red();
        }
        QVERIFY(red);
        QVERIFY(green);
        QVERIFY(page->detailsText().contains(QStringLiteral("Pricing · rule set · version 50")));
        QVERIFY(page->detailsText().contains(QStringLiteral("By bob (Administrator) from ipv4:10.0.0.7:52344")));
        QVERIFY(page->detailsText().contains(QStringLiteral("Reason: change 150")));

        // A segments entry with nothing before it: every line new.
        QVERIFY(page->selectEntry(149));
        QCOMPARE(page->diffView()->caption(),
                 QStringLiteral("First version: nothing came before version 50 of Segments (segment set), so every "
                                "line is new."));
        QCOMPARE(page->diffView()->lines().size(), std::size_t(1));
        QCOMPARE(page->diffView()->lines()[0].kind, LineDiff::Kind::Added);

        // The selection survives a refresh.
        QSignalSpy lists(page, &AuditPage::listFinished);
        page->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(lists.count(), 1, 5000);
        QCOMPARE(page->selectedSeq(), qint64(149));
        QVERIFY(page->diffView()->caption().startsWith(QStringLiteral("First version:")));
    }

    void restoresAVersion()
    {
        Fixture f;
        AuditPage *page = f.page;
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);
        QCOMPARE(page->currentVersions().value(QStringLiteral("pricing")), qint64(50));

        QVERIFY(page->selectEntry(150)); // the current version first
        QVERIFY(!page->restoreButton()->isEnabled());
        QCOMPARE(page->restoreButton()->toolTip(), QStringLiteral("Version 50 is the current version of Pricing."));
        QVERIFY(page->selectEntry(148)); // inventory: no versions
        QVERIFY(!page->restoreButton()->isEnabled());
        QCOMPARE(page->restoreButton()->toolTip(),
                 QStringLiteral("This change made no version of Inventory, so there is nothing to restore."));
        QVERIFY(page->selectEntry(147)); // pricing version 49
        QVERIFY(page->restoreButton()->isEnabled());
        if (const QString shots = qEnvironmentVariable("FLYWHEEL_SCREENSHOT_DIR"); !shots.isEmpty()) {
            QCoreApplication::processEvents(); // lay out the details before the picture
            QVERIFY(f.window->grab().save(shots + QStringLiteral("/audit.png")));
        }

        // Through the button: the reason is asked, then sent with base_version 50.
        whenReasonAsked([](ReasonDialog *dialog) {
            dialog->reasonField()->setText(QStringLiteral("Back to yesterday's prices"));
            dialog->acceptButton()->click();
        });
        int lists = f.service.listCount();
        QSignalSpy finished(page, &AuditPage::actionFinished);
        page->restoreButton()->click();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 5000);
        QCOMPARE(finished.at(0).at(0).toBool(), true);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.restores.size(), std::size_t(1));
            const v1::RestoreVersionRequest &sent = f.service.restores.back();
            QCOMPARE(sent.area(), std::string("pricing"));
            QCOMPARE(sent.version(), qint64(49));
            QCOMPARE(sent.base_version(), qint64(50));
            QCOMPARE(sent.reason(), std::string("Back to yesterday's prices"));
        }
        QCOMPARE(page->messageText(), QStringLiteral("Pricing is now at version 51, restored from version 49."));
        // Refreshed: the restore is listed, and the next restore's base is 51.
        QTRY_COMPARE_WITH_TIMEOUT(f.service.listCount(), lists + 1, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(page->model()->entryAt(0)->seq(), qint64(151), 5000);
        QCOMPARE(page->currentVersions().value(QStringLiteral("pricing")), qint64(51));
        QCOMPARE(cell(page, 0, AuditModel::Who), QStringLiteral("carol (Operator)"));
        QVERIFY(page->persons().contains(QStringLiteral("carol")));

        // Entry 12 (pricing version 4) against version 51.
        QVERIFY(page->model()->rowOf(12) < 0); // on the next page
        page->loadOlder();
        QTRY_VERIFY_WITH_TIMEOUT(page->selectEntry(12), 5000);
        QCOMPARE(page->model()->entryAt(page->model()->rowOf(12))->version(), qint64(4));
        page->restoreSelected(QStringLiteral("Version 4 was right"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 5000);
        {
            const std::lock_guard lock(f.service.mutex);
            QCOMPARE(f.service.restores.back().version(), qint64(4));
            QCOMPARE(f.service.restores.back().base_version(), qint64(51));
        }
        QCOMPARE(page->messageText(), QStringLiteral("Pricing is now at version 52, restored from version 4."));

        // Someone else moved pricing on: ABORTED, said in words, and the list refreshed.
        QTRY_COMPARE_WITH_TIMEOUT(page->currentVersions().value(QStringLiteral("pricing")), qint64(52), 5000);
        QTRY_VERIFY_WITH_TIMEOUT(page->selectEntry(147), 5000);
        {
            const std::lock_guard lock(f.service.mutex);
            f.service.current["pricing"] = 60;
        }
        lists = f.service.listCount();
        page->restoreSelected(QStringLiteral("again"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, 5000);
        QCOMPARE(finished.at(2).at(0).toBool(), false);
        QVERIFY2(page->messageText().startsWith(QStringLiteral("Someone changed Pricing meanwhile: it is no longer at "
                                                               "version 52 (pricing is at version 60).")),
                 qPrintable(page->messageText()));
        QTRY_COMPARE_WITH_TIMEOUT(page->currentVersions().value(QStringLiteral("pricing")), qint64(60), 5000);
        QVERIFY(f.service.listCount() > lists);

        // A refusal of the area is named.
        {
            const std::lock_guard lock(f.service.mutex);
            f.service.restoreError =
                grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "the pricing rules come from a watched file");
        }
        QTRY_VERIFY_WITH_TIMEOUT(page->restoreButton()->isEnabled(), 5000);
        page->restoreSelected(QStringLiteral("again"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 4, 5000);
        QCOMPARE(page->messageText(),
                 QStringLiteral("The backend refused to restore Pricing: the pricing rules come from a watched file"));
    }

    void restoreWaitsForProductionUnlock()
    {
        Fixture f;
        AuditPage *page = f.page;
        EnvironmentPolicy *policy = f.window->environmentPolicy();
        policy->setProfile(production());
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);
        QVERIFY(page->selectEntry(147));
        QVERIFY(!page->restoreButton()->isEnabled());
        QCOMPARE(page->restoreButton()->toolTip(),
                 QStringLiteral("Editing is locked on this connection: unlock it from the bar at the top of the "
                                "window first."));
        page->restoreSelected(QStringLiteral("not now"));
        {
            const std::lock_guard lock(f.service.mutex);
            QVERIFY(f.service.restores.empty()); // locked: nothing sent
        }
        policy->setUnlocked(true);
        QVERIFY(page->restoreButton()->isEnabled());
        QVERIFY(
            page->restoreButton()->toolTip().startsWith(QStringLiteral("Make version 49 of Pricing current again")));
        policy->setProfile(production()); // a new connection starts locked again
        QVERIFY(!page->restoreButton()->isEnabled());
    }

    void showsFailures()
    {
        Fixture f;
        AuditPage *page = f.page;
        f.service.listError = grpc::Status(grpc::StatusCode::INTERNAL, "the audit store is unreadable");
        QSignalSpy lists(page, &AuditPage::listFinished);
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(!lists.isEmpty(), 5000);
        QCOMPARE(lists.last().at(0).toBool(), false);
        QVERIFY(!page->hasData());
        QVERIFY2(page->problemText().startsWith(QStringLiteral("Could not load the audit log. ")),
                 qPrintable(page->problemText()));
        QVERIFY2(page->problemText().contains(QStringLiteral("the audit store is unreadable")),
                 qPrintable(page->problemText()));
        QCOMPARE(page->emptyText(), QStringLiteral("No entries to show: they could not be loaded (see above)."));

        // Refresh after the problem is gone: the list shows, the banner goes.
        {
            const std::lock_guard lock(f.service.mutex);
            f.service.listError.reset();
        }
        page->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(page->hasData(), 5000);
        QVERIFY(page->problemText().isEmpty());
        QCOMPARE(page->model()->rowCount(), 100);
    }
};

QTEST_MAIN(TestAuditPage)
#include "tst_auditpage.moc"
