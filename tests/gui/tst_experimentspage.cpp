// The Experiments page against a fake ExperimentService (the real one is built elsewhere):
// a grpc::CallbackService on 127.0.0.1 and a free port with canned experiments and
// results, recording what the page sends. Checks the list, the editor's validation as
// typed (weights totalling 100 %, keys, payloads) and what a running experiment locks,
// saving with reason and base version, the results table and difference chart, the SRM
// warning, Ship disabled with the backend's reason, every action's request, refusals
// explained, a viewer's greyed-out controls, and a backend that has no experiments.

#include "client/BackendConnection.h"
#include "client/ExperimentClient.h"
#include "connection/EnvironmentPolicy.h"
#include "experiments/DifferenceChart.h"
#include "experiments/ExperimentEditor.h"
#include "experiments/ExperimentsModel.h"
#include "experiments/ExperimentsPage.h"
#include "experiments/ResultsPanel.h"
#include "MainWindow.h"

#include "flywheel/v1/experiments.grpc.pb.h"
#include "flywheel/v1/referral.grpc.pb.h"
#include "flywheel/v1/subsidy.grpc.pb.h"
#include "common/TimeText.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server.h>
#include <grpcpp/server_builder.h>

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

#include <ctime>
#include <mutex>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

using namespace flywheel;
using namespace flywheel::ui;

namespace {

v1::ExperimentVariant variant(const std::string &key, int weight, const std::string &copy)
{
    v1::ExperimentVariant v;
    v.set_key(key);
    v.set_name(key == "control" ? "Control" : "Treatment");
    v.set_weight_bp(weight);
    v.mutable_payload()->set_invite_copy(copy);
    return v;
}

v1::ExperimentSet cannedSet()
{
    const std::int64_t now = std::time(nullptr);
    v1::ExperimentSet set;
    set.set_version(3);
    set.set_reason("spring copy test");
    set.set_source("console");
    set.set_actor("alice");
    set.mutable_created_at()->set_seconds(now - 600);
    set.mutable_defaults()->set_invite_copy("Invite a friend");

    v1::Experiment *running = set.add_experiments();
    running->set_key("invite-copy");
    running->set_name("Invite copy with the reward");
    running->set_hypothesis("Naming the reward makes users share more");
    running->set_surface(v1::EXPERIMENT_SURFACE_INVITE_COPY);
    running->set_salt("invite-copy");
    running->set_traffic_bp(5000);
    running->set_status(v1::EXPERIMENT_STATUS_RUNNING);
    running->set_min_run_hours(24);
    running->mutable_started_at()->set_seconds(now - 3 * 3600 - 120);
    *running->add_variants() = variant("control", 5000, "Invite a friend");
    *running->add_variants() = variant("treatment", 5000, "Give ¥10, get ¥10");

    v1::Experiment *draft = set.add_experiments();
    draft->set_key("subsidy-cap");
    draft->set_name("Higher first-order cap");
    draft->set_surface(v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY);
    draft->set_salt("subsidy-cap");
    draft->set_traffic_bp(2000);
    draft->set_status(v1::EXPERIMENT_STATUS_DRAFT);
    draft->set_min_run_hours(24);
    for (const auto &[key, version] : {std::pair{"control", 1}, std::pair{"generous", 4}}) {
        v1::ExperimentVariant *v = draft->add_variants();
        v->set_key(key);
        v->set_weight_bp(5000);
        v->mutable_payload()->set_subsidy_config_version(version);
    }

    v1::Experiment *shipped = set.add_experiments();
    shipped->set_key("old-copy");
    shipped->set_name("Old copy");
    shipped->set_surface(v1::EXPERIMENT_SURFACE_INVITE_COPY);
    shipped->set_traffic_bp(10000);
    shipped->set_status(v1::EXPERIMENT_STATUS_SHIPPED);
    shipped->set_shipped_variant("treatment");
    shipped->mutable_started_at()->set_seconds(now - 10 * 86400);
    shipped->mutable_ended_at()->set_seconds(now - 3 * 86400);
    *shipped->add_variants() = variant("control", 5000, "Old");
    *shipped->add_variants() = variant("treatment", 5000, "New");
    return set;
}

v1::MetricDifference difference(const std::string &metric, double diff, double low, double high, bool significant)
{
    v1::MetricDifference d;
    d.set_metric(metric);
    d.set_test(metric == "share_rate" ? "two_proportion_z" : "welch_t");
    d.set_control(0.1);
    d.set_variant(0.1 + diff);
    d.set_difference(diff);
    d.set_ci_low(low);
    d.set_ci_high(high);
    d.set_p_value(significant ? 0.002 : 0.4);
    d.set_adjusted_p_value(significant ? 0.004 : 0.6);
    d.set_significant(significant);
    return d;
}

/// Results of "invite-copy" with a sample ratio mismatch and Ship refused.
v1::ExperimentResults cannedResults(v1::IntervalKind kind)
{
    v1::ExperimentResults r;
    r.set_key("invite-copy");
    r.set_status(v1::EXPERIMENT_STATUS_RUNNING);
    r.set_interval(kind);
    r.mutable_at()->set_seconds(std::time(nullptr));
    r.mutable_started_at()->set_seconds(std::time(nullptr) - 3 * 3600);
    r.set_running_seconds(3 * 3600 + 120);
    r.set_currency("CNY");
    const auto money = [](std::int64_t minor) {
        v1::Money m;
        m.set_minor_units(minor);
        m.set_currency("CNY");
        return m;
    };
    v1::VariantResult *control = r.add_variants();
    control->set_variant_key("control");
    control->set_name("Control");
    control->set_weight_bp(5000);
    control->set_exposures(1200);
    control->set_exposure_share(0.4);
    control->set_sharers(120);
    control->set_shares(150);
    control->set_share_rate(0.1);
    control->set_registrations(30);
    control->set_orders(40);
    *control->mutable_gmv() = money(1234567);
    *control->mutable_subsidy_cost() = money(10000);
    *control->mutable_commission_cost() = money(2345);
    *control->mutable_cost() = money(12345);
    control->set_roi_per_1000(1018518.3);
    v1::VariantResult *treatment = r.add_variants();
    treatment->set_variant_key("treatment");
    treatment->set_name("Treatment");
    treatment->set_weight_bp(5000);
    treatment->set_exposures(1800);
    treatment->set_exposure_share(0.6);
    treatment->set_sharers(270);
    treatment->set_share_rate(0.15);
    treatment->set_registrations(60);
    treatment->set_orders(50);
    *treatment->mutable_gmv() = money(2000000);
    *treatment->mutable_cost() = money(20000);
    treatment->set_roi_per_1000(1100000);
    *treatment->add_differences() = difference("share_rate", 0.05, 0.02, 0.08, true);
    *treatment->add_differences() = difference("gmv_per_exposure", 82.0, -30.0, 190.0, false);
    v1::MetricDifference thin = difference("orders_per_exposure", 0, 0, 0, false);
    thin.set_insufficient_data(true);
    *treatment->add_differences() = thin;
    r.mutable_srm()->set_chi_square(120.0);
    r.mutable_srm()->set_p_value(0.00001);
    r.mutable_srm()->set_mismatch(true);
    r.set_can_ship(false);
    r.set_ship_blocked_reason("the sample ratio mismatches (p < 0.001); it ran 3 of the 24 hours required");
    return r;
}

class FakeExperiments;

/// One open results stream: the first snapshot at once, then whatever push() sends,
/// until the client cancels.
class ResultsWriter final : public grpc::ServerWriteReactor<v1::ExperimentResults> {
public:
    ResultsWriter(FakeExperiments *fake, const v1::StreamExperimentResultsRequest &request);
    void send(const v1::ExperimentResults &results)
    {
        const std::lock_guard lock(m_mutex);
        if (m_finished)
            return;
        m_queue.push_back(results);
        if (!m_writing)
            next();
    }
    void finish(const grpc::Status &status)
    {
        const std::lock_guard lock(m_mutex);
        if (!m_finished) {
            m_finished = true;
            Finish(status);
        }
    }
    void OnWriteDone(bool ok) override
    {
        const std::lock_guard lock(m_mutex);
        m_writing = false;
        if (ok && !m_queue.empty() && !m_finished)
            next();
    }
    void OnCancel() override { finish(grpc::Status::CANCELLED); }
    void OnDone() override;

private:
    void next()
    {
        m_current = m_queue.front();
        m_queue.erase(m_queue.begin());
        m_writing = true;
        StartWrite(&m_current);
    }
    FakeExperiments *m_fake;
    std::mutex m_mutex;
    std::vector<v1::ExperimentResults> m_queue;
    v1::ExperimentResults m_current;
    bool m_writing = false;
    bool m_finished = false;
};

class FakeExperiments final : public v1::ExperimentService::CallbackService {
public:
    grpc::ServerUnaryReactor *ListExperiments(grpc::CallbackServerContext *context, const v1::ListExperimentsRequest *,
                                              v1::ExperimentSet *response) override
    {
        const std::lock_guard lock(mutex);
        *response = set;
        return done(context, grpc::Status::OK);
    }
    grpc::ServerUnaryReactor *SaveExperiment(grpc::CallbackServerContext *context,
                                             const v1::SaveExperimentRequest *request,
                                             v1::ExperimentSet *response) override
    {
        const std::lock_guard lock(mutex);
        saves.push_back(*request);
        if (auto status = refusal(request->base_version()))
            return done(context, *status);
        v1::Experiment saved = request->experiment();
        bool replaced = false;
        for (v1::Experiment &e : *set.mutable_experiments()) {
            if (e.key() == saved.key()) {
                e = saved;
                replaced = true;
            }
        }
        if (!replaced) {
            saved.set_status(v1::EXPERIMENT_STATUS_DRAFT);
            *set.add_experiments() = saved;
        }
        return bump(context, request->reason(), response);
    }
    grpc::ServerUnaryReactor *StartExperiment(grpc::CallbackServerContext *context,
                                              const v1::ChangeExperimentRequest *request,
                                              v1::ExperimentSet *response) override
    {
        return change(context, *request, v1::EXPERIMENT_STATUS_RUNNING, "start", response);
    }
    grpc::ServerUnaryReactor *StopExperiment(grpc::CallbackServerContext *context,
                                             const v1::ChangeExperimentRequest *request,
                                             v1::ExperimentSet *response) override
    {
        return change(context, *request, v1::EXPERIMENT_STATUS_STOPPED, "stop", response);
    }
    grpc::ServerUnaryReactor *RollbackExperiment(grpc::CallbackServerContext *context,
                                                 const v1::ChangeExperimentRequest *request,
                                                 v1::ExperimentSet *response) override
    {
        return change(context, *request, v1::EXPERIMENT_STATUS_STOPPED, "rollback", response);
    }
    grpc::ServerUnaryReactor *ShipExperiment(grpc::CallbackServerContext *context,
                                             const v1::ShipExperimentRequest *request,
                                             v1::ExperimentSet *response) override
    {
        const std::lock_guard lock(mutex);
        ships.push_back(*request);
        if (auto status = refusal(request->base_version()))
            return done(context, *status);
        for (v1::Experiment &e : *set.mutable_experiments()) {
            if (e.key() == request->key()) {
                e.set_status(v1::EXPERIMENT_STATUS_SHIPPED);
                e.set_shipped_variant(request->variant_key());
            }
        }
        return bump(context, request->reason(), response);
    }
    grpc::ServerWriteReactor<v1::ExperimentResults> *
    StreamExperimentResults(grpc::CallbackServerContext *, const v1::StreamExperimentResultsRequest *request) override
    {
        return new ResultsWriter(this, *request);
    }

    /// Sends `results` on every open stream.
    void push(const v1::ExperimentResults &results)
    {
        const std::lock_guard lock(mutex);
        for (ResultsWriter *writer : writers)
            writer->send(results);
    }
    int changeCount(const std::string &what)
    {
        const std::lock_guard lock(mutex);
        int n = 0;
        for (const auto &[name, request] : changes)
            n += name == what ? 1 : 0;
        return n;
    }
    std::optional<v1::ChangeExperimentRequest> lastChange(const std::string &what)
    {
        const std::lock_guard lock(mutex);
        for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
            if (it->first == what)
                return it->second;
        }
        return std::nullopt;
    }
    template <typename T>
    T locked(const std::function<T()> &read)
    {
        const std::lock_guard lock(mutex);
        return read();
    }

    std::mutex mutex;
    v1::ExperimentSet set = cannedSet();
    std::optional<v1::ExperimentResults> results; ///< the first snapshot of a stream of its key
    std::vector<v1::SaveExperimentRequest> saves;
    std::vector<v1::ShipExperimentRequest> ships;
    std::vector<std::pair<std::string, v1::ChangeExperimentRequest>> changes;
    std::vector<v1::StreamExperimentResultsRequest> streams;
    std::set<ResultsWriter *> writers;
    /// Returned by the next change instead of doing it.
    std::optional<grpc::Status> nextError;

private:
    grpc::ServerUnaryReactor *done(grpc::CallbackServerContext *context, const grpc::Status &status)
    {
        grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
        reactor->Finish(status);
        return reactor;
    }
    std::optional<grpc::Status> refusal(std::int64_t base)
    {
        if (nextError) {
            const grpc::Status status = *nextError;
            nextError.reset();
            return status;
        }
        if (base != set.version())
            return grpc::Status(grpc::StatusCode::ABORTED,
                                "the experiments are at version " + std::to_string(set.version()));
        return std::nullopt;
    }
    grpc::ServerUnaryReactor *bump(grpc::CallbackServerContext *context, const std::string &reason,
                                   v1::ExperimentSet *response)
    {
        set.set_version(set.version() + 1);
        set.set_reason(reason);
        *response = set;
        return done(context, grpc::Status::OK);
    }
    grpc::ServerUnaryReactor *change(grpc::CallbackServerContext *context, const v1::ChangeExperimentRequest &request,
                                     v1::ExperimentStatus to, const std::string &what, v1::ExperimentSet *response)
    {
        const std::lock_guard lock(mutex);
        changes.emplace_back(what, request);
        if (auto status = refusal(request.base_version()))
            return done(context, *status);
        for (v1::Experiment &e : *set.mutable_experiments()) {
            if (e.key() == request.key())
                e.set_status(to);
        }
        return bump(context, request.reason(), response);
    }
};

ResultsWriter::ResultsWriter(FakeExperiments *fake, const v1::StreamExperimentResultsRequest &request) : m_fake(fake)
{
    std::optional<v1::ExperimentResults> first;
    {
        const std::lock_guard lock(fake->mutex);
        fake->streams.push_back(request);
        fake->writers.insert(this);
        if (fake->results && fake->results->key() == request.key()) {
            first = fake->results;
            first->set_interval(request.interval());
        }
    }
    if (first)
        send(*first);
    else
        finish(grpc::Status(grpc::StatusCode::NOT_FOUND, "there is no experiment " + request.key()));
}

void ResultsWriter::OnDone()
{
    {
        const std::lock_guard lock(m_fake->mutex);
        m_fake->writers.erase(this);
    }
    delete this;
}

/// The stored subsidy config versions the editor's pickers offer: 5 (a candidate), 3 and
/// 1 (live); the canned draft's version 4 is not among them. `error` refuses the list.
class FakeSubsidyVersions final : public v1::SubsidyService::CallbackService {
public:
    static constexpr std::int64_t kCreated = 1'760'000'000;
    grpc::ServerUnaryReactor *ListSubsidyConfigVersions(grpc::CallbackServerContext *context,
                                                        const v1::ListSubsidyConfigVersionsRequest *,
                                                        v1::ListSubsidyConfigVersionsResponse *response) override
    {
        const std::lock_guard lock(mutex);
        ++lists;
        grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
        if (error) {
            reactor->Finish(*error);
            return reactor;
        }
        for (const auto &[version, candidate, reason] :
             {std::tuple{5, true, "Stricter ratio to try"}, std::tuple{3, false, "Raise the cap"},
              std::tuple{1, false, "initial config"}}) {
            v1::SubsidyConfigVersion *v = response->add_versions();
            v->set_version(version);
            v->set_candidate(candidate);
            v->set_reason(reason);
            v->mutable_created_at()->set_seconds(kCreated + version * 3600);
        }
        reactor->Finish(grpc::Status::OK);
        return reactor;
    }
    std::mutex mutex;
    std::optional<grpc::Status> error;
    int lists = 0;
};

/// The fake on 127.0.0.1 and a free port, a connection to it, and a main window on the
/// Experiments page. `withService` false: a backend that offers no ExperimentService.
struct Fixture {
    FakeExperiments service;
    FakeSubsidyVersions subsidy;
    /// What a backend without experiments still offers (a server needs one service).
    v1::ReferralService::CallbackService otherService;
    std::unique_ptr<grpc::Server> server;
    int port = 0;
    BackendConnection connection{QStringLiteral("fake experiments backend")};
    std::unique_ptr<MainWindow> window;
    ExperimentsPage *page = nullptr;

    explicit Fixture(bool withService = true)
    {
        grpc::ServerBuilder builder;
        builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
        builder.RegisterService(withService ? static_cast<grpc::Service *>(&service) : &otherService);
        if (withService)
            builder.RegisterService(&subsidy);
        server = builder.BuildAndStart();
        window = std::make_unique<MainWindow>(&connection);
        page = window->experimentsPage();
        window->showPage(QStringLiteral("experiments"));
        page->setAskReason([](const QString &, const QString &, const QString &, const QString &) {
            return std::optional<QString>(); // no dialog in a test unless it says so
        });
    }
    ~Fixture()
    {
        window.reset();
        server->Shutdown();
    }
    void connect()
    {
        QVERIFY(port > 0);
        connection.setChannel(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
        window->show();
    }
};

QString cell(const ExperimentsPage *page, int row, int column)
{
    return page->model()->index(row, column).data().toString();
}

/// With FLYWHEEL_SCREENSHOT=/tmp/x.png, the window as it is now, to /tmp/x<suffix>.png.
void screenshot(QWidget *window, const QString &suffix)
{
    QString path = qEnvironmentVariable("FLYWHEEL_SCREENSHOT");
    if (path.isEmpty())
        return;
    path.insert(path.lastIndexOf(u'.'), suffix);
    // Layouts and deferred deletions run on the event loop: let them, as a person's screen would.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QCoreApplication::processEvents();
    QVERIFY(window->grab().save(path));
}

QString plain(QString text)
{
    return text.replace(QChar::Nbsp, u' ');
}

void type(QLineEdit *input, const QString &text)
{
    input->setFocus();
    input->selectAll();
    QTest::keyClick(input, Qt::Key_Delete);
    QTest::keyClicks(input, text);
}

} // namespace

class TestExperimentsPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsTheExperiments()
    {
        QCOMPARE(MainWindow::pageNames().indexOf(QStringLiteral("experiments")),
                 MainWindow::pageNames().indexOf(QStringLiteral("payments")) + 1);
        Fixture f;
        QAbstractItemModelTester tester(f.page->model());
        QVERIFY(!f.window->currentPageHasData());
        QSignalSpy shown(f.window.get(), &MainWindow::pageDataShown);
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(f.page->hasData(), 10000);
        QVERIFY(f.window->currentPageHasData());
        QVERIFY(shown.contains(QVariantList{QStringLiteral("experiments")}));
        QCOMPARE(f.page->model()->rowCount(), 3);
        QCOMPARE(cell(f.page, 0, ExperimentsModel::Key), QStringLiteral("invite-copy"));
        QCOMPARE(cell(f.page, 0, ExperimentsModel::Surface), QStringLiteral("Invite copy"));
        QCOMPARE(cell(f.page, 0, ExperimentsModel::Status), QStringLiteral("running"));
        QCOMPARE(plain(cell(f.page, 0, ExperimentsModel::Traffic)), QStringLiteral("50 %"));
        QCOMPARE(plain(cell(f.page, 0, ExperimentsModel::Variants)), QStringLiteral("control 50 % · treatment 50 %"));
        QCOMPARE(cell(f.page, 0, ExperimentsModel::RunningTime), QStringLiteral("3 h 2 min"));
        QCOMPARE(cell(f.page, 1, ExperimentsModel::Surface), QStringLiteral("First-order subsidy"));
        QCOMPARE(cell(f.page, 1, ExperimentsModel::Status), QStringLiteral("draft"));
        QCOMPARE(cell(f.page, 1, ExperimentsModel::RunningTime), QStringLiteral("—"));
        QCOMPARE(cell(f.page, 2, ExperimentsModel::Status), QStringLiteral("shipped: treatment"));
        QCOMPARE(cell(f.page, 2, ExperimentsModel::RunningTime), QStringLiteral("7 d 0 h"));
        // Coloured by status: running green, shipped blue.
        const auto color = [&](int row) {
            return f.page->model()
                ->index(row, ExperimentsModel::Status)
                .data(Qt::ForegroundRole)
                .value<QBrush>()
                .color();
        };
        QCOMPARE(color(0), QColor(0x1a, 0x7f, 0x37));
        QCOMPARE(color(2), QColor(0x1f, 0x6f, 0xeb));
        QVERIFY(color(1) != color(0));
        QVERIFY2(f.page->headerText().startsWith(QStringLiteral("Experiments version 3 · 1 running of 3")),
                 qPrintable(f.page->headerText()));
        QVERIFY2(f.page->headerText().contains(QStringLiteral("“Invite a friend”")), qPrintable(f.page->headerText()));
        QVERIFY(f.page->problemText().isEmpty());
    }

    void validatesAndSavesADraft()
    {
        Fixture f;
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(f.page->hasData(), 10000);
        QVERIFY(f.page->selectExperiment(QStringLiteral("subsidy-cap")));
        ExperimentEditor *editor = f.page->editor();
        QCOMPARE(editor->mode(), ExperimentEditor::Mode::Draft);
        QCOMPARE(editor->variantCount(), 2);
        QCOMPARE(editor->subsidyVersionInput(1)->currentData().toLongLong(), 4);
        QVERIFY(editor->problems().isEmpty());
        QVERIFY(!f.page->saveButton()->isEnabled());
        // The draft's results: none until it starts.
        QVERIFY2(f.page->resultsPanel()->messageText().contains(QStringLiteral("is a draft")),
                 qPrintable(f.page->resultsPanel()->messageText()));

        // Weights are checked as they are typed, the total said next to them.
        type(editor->weightInput(1), QStringLiteral("40"));
        QCOMPARE(plain(editor->weightTotalText()), QStringLiteral("The weights total 90 %; they must total 100 %."));
        QVERIFY(plain(editor->problem(ExperimentEditor::Field::Variants)).contains(QStringLiteral("total 90 %")));
        QVERIFY(!f.page->save(QStringLiteral("Try 60/40")));
        QVERIFY2(f.page->messageText().startsWith(QStringLiteral("Nothing was saved: The weights total 90")),
                 qPrintable(f.page->messageText()));
        type(editor->weightInput(1), QStringLiteral("4x"));
        QVERIFY2(editor->problem(ExperimentEditor::Field::Variants)
                     .contains(QStringLiteral("Variant 2 needs a weight from 0 to 100 % with at most two decimals, "
                                              "not “4x”.")),
                 qPrintable(editor->problem(ExperimentEditor::Field::Variants)));
        type(editor->weightInput(1), QStringLiteral("40"));
        type(editor->weightInput(0), QStringLiteral("60"));
        QCOMPARE(plain(editor->weightTotalText()), QStringLiteral("The weights total 100 %."));
        // A subsidy payload is a stored config version, picked from the list (5 is a candidate).
        QComboBox *picker = editor->subsidyVersionInput(1);
        QTRY_VERIFY_WITH_TIMEOUT(picker->findData(qlonglong(5)) >= 0, 10000);
        picker->setCurrentIndex(picker->findData(qlonglong(5)));
        type(editor->trafficInput(), QStringLiteral("0"));
        QVERIFY(!editor->problem(ExperimentEditor::Field::Traffic).isEmpty());
        type(editor->trafficInput(), QStringLiteral("25.5"));
        QVERIFY(editor->problems().isEmpty());
        QCOMPARE(f.service.locked<std::size_t>([&] { return f.service.saves.size(); }), std::size_t(0));
        QVERIFY(f.page->saveButton()->isEnabled());

        // Saved through the button, with the reason asked, on the version it was based on.
        QString title;
        f.page->setAskReason([&title](const QString &t, const QString &, const QString &, const QString &) {
            title = t;
            return std::optional<QString>(QStringLiteral("Try 60/40 at a quarter"));
        });
        QSignalSpy finished(f.page, &ExperimentsPage::actionFinished);
        QTest::mouseClick(f.page->saveButton(), Qt::LeftButton);
        QCOMPARE(title, QStringLiteral("Save the experiment “subsidy-cap”"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(f.page->messageText()));
        const v1::SaveExperimentRequest sent =
            f.service.locked<v1::SaveExperimentRequest>([&] { return f.service.saves.back(); });
        QCOMPARE(sent.base_version(), 3);
        QCOMPARE(sent.reason(), std::string("Try 60/40 at a quarter"));
        QCOMPARE(sent.experiment().key(), std::string("subsidy-cap"));
        QCOMPARE(sent.experiment().traffic_bp(), 2550);
        QCOMPARE(sent.experiment().variants(0).weight_bp(), 6000);
        QCOMPARE(sent.experiment().variants(1).weight_bp(), 4000);
        QCOMPARE(sent.experiment().variants(1).payload().subsidy_config_version(), 5);
        QCOMPARE(sent.experiment().surface(), v1::EXPERIMENT_SURFACE_FIRST_ORDER_SUBSIDY);
        QCOMPARE(f.page->messageText(), QStringLiteral("Saved “subsidy-cap” as version 4 of the experiments."));
        QVERIFY(!editor->isModified());
        QCOMPARE(f.page->baseVersion(), 4);
        QCOMPARE(f.page->selectedKey(), QStringLiteral("subsidy-cap"));

        // Someone else saves first: ABORTED, explained, and what was typed stays.
        type(editor->nameInput(), QStringLiteral("Cap at ¥20"));
        f.service.locked<int>([&] {
            f.service.set.set_version(9);
            return 0;
        });
        QVERIFY(f.page->save(QStringLiteral("Rename")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QVERIFY2(f.page->messageText().startsWith(QStringLiteral("The experiment was not saved: someone else changed")),
                 qPrintable(f.page->messageText()));
        QCOMPARE(editor->nameInput()->text(), QStringLiteral("Cap at ¥20"));
        // The next save builds on the newest version.
        QTRY_COMPARE_WITH_TIMEOUT(f.page->baseVersion(), 9, 10000);
        QVERIFY(f.page->save(QStringLiteral("Rename")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 10000);
        QVERIFY2(finished.at(2).at(0).toBool(), qPrintable(f.page->messageText()));
        QCOMPARE(f.service.locked<std::string>([&] { return f.service.set.experiments(1).name(); }),
                 std::string("Cap at ¥20"));

        // A refusal of the backend is named.
        type(editor->nameInput(), QStringLiteral("Cap"));
        f.service.locked<int>([&] {
            f.service.nextError = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                               "variants[1].payload.subsidy_config_version: there is no subsidy "
                                               "config version 5");
            return 0;
        });
        QVERIFY(f.page->save(QStringLiteral("Again")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, 10000);
        QCOMPARE(f.page->messageText(),
                 QStringLiteral("The experiment was not saved: the backend refused it: variants[1].payload."
                                "subsidy_config_version: there is no subsidy config version 5"));
    }

    void subsidyVersionPicker()
    {
        Fixture f;
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(f.page->hasData(), 10000);
        QVERIFY(f.page->selectExperiment(QStringLiteral("subsidy-cap")));
        ExperimentEditor *editor = f.page->editor();
        QComboBox *picker = editor->subsidyVersionInput(1);
        QVERIFY(!picker->isHidden()); // (on the Editor tab)
        QVERIFY(editor->payloadInput(1)->isHidden()); // the invite copy is for the other surface
        QTRY_COMPARE_WITH_TIMEOUT(picker->count(), 4, 10000);
        // The experiment's own version 4 is not listed, and still shown and chosen.
        QCOMPARE(picker->currentData().toLongLong(), 4);
        QCOMPARE(picker->currentText(), QStringLiteral("v4 · not among the versions listed"));
        const auto when = [](std::int64_t version) {
            google::protobuf::Timestamp t;
            t.set_seconds(FakeSubsidyVersions::kCreated + version * 3600);
            return TimeText::timestamp(t, TimeText::Seconds::WhenNotZero);
        };
        QCOMPARE(picker->itemText(picker->findData(qlonglong(5))),
                 QStringLiteral("v5 · candidate · Stricter ratio to try · ") + when(5));
        QCOMPARE(picker->itemText(picker->findData(qlonglong(3))), QStringLiteral("v3 · live · Raise the cap · ") + when(3));
        QCOMPARE(editor->subsidyVersionInput(0)->currentText(), QStringLiteral("v1 · live · initial config · ") + when(1));
        QVERIFY(!editor->isModified()); // filling the list is not an edit
        QVERIFY2(editor->subsidyVersionsText().contains(QStringLiteral("a candidate is not in force")),
                 qPrintable(editor->subsidyVersionsText()));

        // Choosing the candidate is an edit, and what is saved.
        picker->setCurrentIndex(picker->findData(qlonglong(5)));
        QVERIFY(editor->isModified());
        QCOMPARE(editor->experiment().variants(1).payload().subsidy_config_version(), 5);
        f.page->showTab(ExperimentsPage::Editor);
        screenshot(f.window.get(), QStringLiteral("-picker"));
        // A refill (the page shown again reloads the list) keeps the choice.
        const int lists = [&] {
            const std::lock_guard lock(f.subsidy.mutex);
            return f.subsidy.lists;
        }();
        f.page->hide();
        f.page->show();
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const std::lock_guard lock(f.subsidy.mutex);
                return f.subsidy.lists > lists;
            }(),
            10000);
        QTRY_COMPARE_WITH_TIMEOUT(picker->currentData().toLongLong(), 5, 10000);
        QCOMPARE(picker->count(), 4);

        // A new variant has none chosen until the operator picks one.
        editor->addVariant();
        QComboBox *third = editor->subsidyVersionInput(2);
        QCOMPARE(third->currentData().toLongLong(), 0);
        QCOMPARE(third->currentText(), QStringLiteral("Choose a version…"));
        QVERIFY2(editor->problem(ExperimentEditor::Field::Variants)
                     .contains(QStringLiteral("Variant 3 needs a subsidy config version: choose one of the stored "
                                              "versions.")),
                 qPrintable(editor->problem(ExperimentEditor::Field::Variants)));
        editor->removeVariant(2);
        QVERIFY2(editor->problems().isEmpty(), qPrintable(editor->problems().join(u'\n')));
        f.page->setAskReason([](const QString &, const QString &, const QString &, const QString &) {
            return std::optional<QString>(QStringLiteral("Try the stricter candidate"));
        });
        QSignalSpy finished(f.page, &ExperimentsPage::actionFinished);
        QTest::mouseClick(f.page->saveButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(f.page->messageText()));
        const v1::SaveExperimentRequest sent =
            f.service.locked<v1::SaveExperimentRequest>([&] { return f.service.saves.back(); });
        QCOMPARE(sent.experiment().variants(1).payload().subsidy_config_version(), 5);
        QCOMPARE(sent.experiment().variants(0).payload().subsidy_config_version(), 1);

        // Locked while running, as the other payloads are.
        v1::Experiment running = sent.experiment();
        running.set_status(v1::EXPERIMENT_STATUS_RUNNING);
        editor->setExperiment(running);
        QVERIFY(!editor->subsidyVersionInput(1)->isEnabled());
        QCOMPARE(editor->subsidyVersionInput(1)->currentData().toLongLong(), 5);
    }

    void subsidyVersionsThatFailToLoadKeepTheDraft()
    {
        Fixture f;
        {
            const std::lock_guard lock(f.subsidy.mutex);
            f.subsidy.error = grpc::Status(grpc::StatusCode::UNAVAILABLE, "the subsidy store is down");
        }
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(f.page->hasData(), 10000);
        QVERIFY(f.page->selectExperiment(QStringLiteral("subsidy-cap")));
        ExperimentEditor *editor = f.page->editor();
        type(editor->nameInput(), QStringLiteral("Cap, renamed"));
        QTRY_VERIFY_WITH_TIMEOUT(
            editor->subsidyVersionsText().startsWith(QStringLiteral("The stored subsidy config versions could not be "
                                                                    "loaded, so none can be newly chosen:")),
            10000);
        QVERIFY2(editor->subsidyVersionsText().contains(QStringLiteral("The versions already chosen are kept")),
                 qPrintable(editor->subsidyVersionsText()));
        // What was chosen and typed stays; the draft can still be saved.
        QCOMPARE(editor->subsidyVersionInput(0)->currentData().toLongLong(), 1);
        QCOMPARE(editor->subsidyVersionInput(1)->currentData().toLongLong(), 4);
        QCOMPARE(editor->subsidyVersionInput(1)->currentText(), QStringLiteral("v4"));
        QCOMPARE(editor->nameInput()->text(), QStringLiteral("Cap, renamed"));
        QVERIFY(editor->isModified());
        QVERIFY(editor->problems().isEmpty());
        QCOMPARE(editor->experiment().variants(1).payload().subsidy_config_version(), 4);

        // The next refresh tries again; once loaded, refreshes leave the list (and the
        // pickers) alone until the page is shown again.
        const auto lists = [&] {
            const std::lock_guard lock(f.subsidy.mutex);
            return f.subsidy.lists;
        };
        {
            const std::lock_guard lock(f.subsidy.mutex);
            f.subsidy.error.reset();
        }
        QTRY_VERIFY_WITH_TIMEOUT(editor->subsidyVersionsText().startsWith(QStringLiteral("Live versions and candidates")),
                                 15000);
        QCOMPARE(editor->subsidyVersionInput(1)->currentData().toLongLong(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(!f.page->subsidyVersionsPending(), 10000);
        const int loaded = lists();
        f.page->refresh();
        QVERIFY(!f.page->subsidyVersionsPending()); // the refresh did not ask for them again
        f.page->hide();
        f.page->show();
        QTRY_COMPARE_WITH_TIMEOUT(lists(), loaded + 1, 10000);
        // The service counts the request when it arrives; its answer reaches the page
        // later. A show while it is still on its way asks nothing new (one load at a
        // time), so the failure below must wait for it.
        QTRY_VERIFY_WITH_TIMEOUT(!f.page->subsidyVersionsPending(), 10000);
        // A failure after a good load says the list offered is the last one loaded.
        {
            const std::lock_guard lock(f.subsidy.mutex);
            f.subsidy.error = grpc::Status(grpc::StatusCode::UNAVAILABLE, "the subsidy store is down");
        }
        f.page->hide();
        f.page->show();
        QTRY_VERIFY2_WITH_TIMEOUT(
            editor->subsidyVersionsText().startsWith(
                QStringLiteral("The stored subsidy config versions could not be loaded again:")),
            qPrintable(editor->subsidyVersionsText()), 10000);
        QVERIFY(editor->subsidyVersionsText().contains(QStringLiteral("the subsidy store is down")));
    }

    void newExperimentAndRunningLocks()
    {
        Fixture f;
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(f.page->hasData(), 10000);

        // A running experiment: only traffic and weights, and why.
        QVERIFY(f.page->selectExperiment(QStringLiteral("invite-copy")));
        ExperimentEditor *editor = f.page->editor();
        QCOMPARE(editor->mode(), ExperimentEditor::Mode::Running);
        QVERIFY(editor->keyInput()->isReadOnly());
        QVERIFY(editor->saltInput()->isReadOnly());
        QVERIFY(editor->payloadInput(1)->isReadOnly());
        QVERIFY(editor->variantKeyInput(0)->isReadOnly());
        QVERIFY(!editor->surfaceInput()->isEnabled());
        QVERIFY(!editor->trafficInput()->isReadOnly());
        QVERIFY(!editor->weightInput(0)->isReadOnly());
        QVERIFY(editor->addVariantButton()->isHidden());
        QVERIFY2(editor->lockText().contains(QStringLiteral("users who were already assigned stay in their variant")),
                 qPrintable(editor->lockText()));
        type(editor->weightInput(0), QStringLiteral("30"));
        type(editor->weightInput(1), QStringLiteral("70"));
        type(editor->trafficInput(), QStringLiteral("80"));
        f.page->setAskReason([](const QString &, const QString &, const QString &, const QString &) {
            return std::optional<QString>(QStringLiteral("More traffic to the treatment"));
        });
        QSignalSpy finished(f.page, &ExperimentsPage::actionFinished);
        f.page->askSave();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        const v1::SaveExperimentRequest sent =
            f.service.locked<v1::SaveExperimentRequest>([&] { return f.service.saves.back(); });
        QCOMPARE(sent.experiment().traffic_bp(), 8000);
        QCOMPARE(sent.experiment().variants(0).weight_bp(), 3000);
        QCOMPARE(sent.experiment().variants(1).weight_bp(), 7000);
        QCOMPARE(sent.experiment().variants(1).payload().invite_copy(), std::string("Give ¥10, get ¥10"));
        QCOMPARE(sent.experiment().salt(), std::string("invite-copy"));
        QCOMPARE(sent.experiment().status(), v1::EXPERIMENT_STATUS_RUNNING);

        // Shipped: read-only.
        QVERIFY(f.page->selectExperiment(QStringLiteral("old-copy")));
        QCOMPARE(editor->mode(), ExperimentEditor::Mode::ReadOnly);
        QVERIFY(editor->trafficInput()->isReadOnly());
        QVERIFY(!f.page->saveButton()->isEnabled());

        // A new one: every field checked as typed.
        QTest::mouseClick(f.page->newButton(), Qt::LeftButton);
        QCOMPARE(editor->mode(), ExperimentEditor::Mode::New);
        QVERIFY(!editor->keyInput()->isReadOnly());
        type(editor->keyInput(), QStringLiteral("Bad Key"));
        QCOMPARE(editor->problem(ExperimentEditor::Field::Key),
                 QStringLiteral("The key must be 1 to 40 lower-case letters, digits, “_” or “-”."));
        type(editor->keyInput(), QStringLiteral("invite-copy"));
        QCOMPARE(editor->problem(ExperimentEditor::Field::Key),
                 QStringLiteral("An experiment with the key “invite-copy” exists already."));
        type(editor->keyInput(), QStringLiteral("copy-v2"));
        QVERIFY(editor->problem(ExperimentEditor::Field::Key).isEmpty());
        QCOMPARE(editor->problem(ExperimentEditor::Field::Name), QStringLiteral("The name is required."));
        type(editor->nameInput(), QStringLiteral("Copy v2"));
        type(editor->saltInput(), QStringLiteral("has space"));
        QVERIFY(!editor->problem(ExperimentEditor::Field::Salt).isEmpty());
        type(editor->saltInput(), QString());
        QVERIFY(editor->problem(ExperimentEditor::Field::Variants)
                    .contains(QStringLiteral("The control needs an invite copy of 1 to 200 characters, not 0.")));
        type(editor->payloadInput(0), QStringLiteral("Invite a friend"));
        type(editor->payloadInput(1), QStringLiteral("Your friend gets ¥10 off"));
        editor->addVariant();
        QCOMPARE(editor->variantCount(), 3);
        type(editor->payloadInput(2), QStringLiteral("Share and both save"));
        QCOMPARE(plain(editor->weightTotalText()), QStringLiteral("The weights total 100 %."));
        type(editor->weightInput(0), QStringLiteral("33.34"));
        type(editor->weightInput(1), QStringLiteral("33.33"));
        QCOMPARE(plain(editor->weightTotalText()), QStringLiteral("The weights total 66.67 %; they must total 100 %."));
        f.page->showTab(ExperimentsPage::Editor);
        screenshot(f.window.get(), QStringLiteral("-editor"));
        type(editor->weightInput(2), QStringLiteral("33.33"));
        QVERIFY2(editor->problems().isEmpty(), qPrintable(editor->problems().join(u'\n')));
        f.page->askSave();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
        QVERIFY2(finished.at(1).at(0).toBool(), qPrintable(f.page->messageText()));
        const v1::SaveExperimentRequest created =
            f.service.locked<v1::SaveExperimentRequest>([&] { return f.service.saves.back(); });
        QCOMPARE(created.base_version(), 4);
        QCOMPARE(created.experiment().key(), std::string("copy-v2"));
        QCOMPARE(created.experiment().variants_size(), 3);
        QCOMPARE(created.experiment().variants(0).weight_bp(), 3334);
        QCOMPARE(created.experiment().variants(2).payload().invite_copy(), std::string("Share and both save"));
        QCOMPARE(f.page->selectedKey(), QStringLiteral("copy-v2"));
        QCOMPARE(f.page->model()->rowCount(), 4);
    }

    void showsResultsAndActs()
    {
        Fixture f;
        f.service.results = cannedResults(v1::INTERVAL_KIND_SEQUENTIAL);
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(f.page->hasData(), 10000);
        QVERIFY(f.page->selectExperiment(QStringLiteral("invite-copy")));
        ResultsPanel *results = f.page->resultsPanel();
        QTRY_VERIFY_WITH_TIMEOUT(results->results().has_value(), 10000);
        QCOMPARE(f.service.locked<v1::IntervalKind>([&] { return f.service.streams.back().interval(); }),
                 v1::INTERVAL_KIND_SEQUENTIAL);

        // The table: one row per variant, in the locale's money.
        QTableWidget *table = results->table();
        QCOMPARE(table->rowCount(), 2);
        QCOMPARE(table->item(0, ResultsPanel::Variant)->text(), QStringLiteral("control — Control (control)"));
        QCOMPARE(table->item(1, ResultsPanel::Exposures)->text(), QStringLiteral("1,800"));
        QCOMPARE(table->item(1, ResultsPanel::ExposureShare)->text(), QStringLiteral("60.0%"));
        QCOMPARE(table->item(1, ResultsPanel::ShareRate)->text(), QStringLiteral("15.0%"));
        QCOMPARE(table->item(0, ResultsPanel::Gmv)->text(), QStringLiteral("¥12,345.67"));
        QCOMPARE(table->item(0, ResultsPanel::Cost)->text(), QStringLiteral("¥123.45"));
        QCOMPARE(table->item(0, ResultsPanel::Cost)->toolTip(),
                 QStringLiteral("Subsidies ¥100.00 + commissions ¥23.45"));
        QCOMPARE(table->item(1, ResultsPanel::Roi)->text(), QStringLiteral("¥11,000.00"));
        QCOMPARE(table->item(1, ResultsPanel::Registrations)->text(), QStringLiteral("60"));
        QCOMPARE(table->item(0, ResultsPanel::Shares)->text(), QStringLiteral("150 by 120"));

        // The chart: each metric's difference with its interval, significant or not.
        const QList<DifferenceChart::Row> &rows = results->chart()->rows();
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows[0].label, QStringLiteral("Share rate · treatment vs control"));
        QVERIFY(rows[0].significant);
        QCOMPARE(plain(rows[0].values), QStringLiteral("significant · +5.00 pp (+2.00 pp to +8.00 pp) · p = 0.004"));
        QVERIFY(!rows[1].significant);
        QCOMPARE(plain(rows[1].values), QStringLiteral("not clear · +¥0.82 (−¥0.30 to +¥1.90) · p = 0.600"));
        QVERIFY(rows[2].insufficient);
        QCOMPARE(rows[2].values, QStringLiteral("too little data for the Welch's t test yet"));
        QVERIFY(results->chart()->message().isEmpty());
        QVERIFY2(results->dataNoteText().startsWith(QStringLiteral("Insufficient data")),
                 qPrintable(results->dataNoteText()));
        QVERIFY2(plain(results->summaryText()).contains(QStringLiteral("Running for 3 h 2 min")),
                 qPrintable(results->summaryText()));
        QVERIFY2(results->intervalText().startsWith(QStringLiteral("Shown: always-valid (sequential) 95 % intervals.")),
                 qPrintable(results->intervalText()));
        QVERIFY(results->intervalText().contains(QStringLiteral("however often you look")));

        // SRM: said, with what it means and what to do; Ship refused with the backend's reason.
        QVERIFY2(results->srmText().startsWith(QStringLiteral("Sample ratio mismatch")),
                 qPrintable(results->srmText()));
        QVERIFY(results->srmText().contains(QStringLiteral("stop this experiment and create a new one")));
        QVERIFY(!f.page->shipButton()->isEnabled());
        // Said by the console from the figures (so it is translated), not the backend's English.
        QCOMPARE(f.page->shipButton()->toolTip(),
                 QStringLiteral("Cannot ship yet: it has run 3 h 2 min of the 24 h it must run before shipping."));
        QCOMPARE(f.page->shipBlockedText(), f.page->shipButton()->toolTip());
        QVERIFY(f.page->stopButton()->isEnabled());
        QVERIFY(!f.page->startButton()->isEnabled());
        QVERIFY(!f.page->rollbackButton()->isEnabled());
        screenshot(f.window.get(), QStringLiteral("-results"));

        // Fixed-horizon: a new stream asks for it, and the page says which kind it shows.
        QTest::mouseClick(results->fixedButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(
            f.service.locked<v1::IntervalKind>([&] { return f.service.streams.back().interval(); }),
            v1::INTERVAL_KIND_FIXED, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(results->results() && results->results()->interval() == v1::INTERVAL_KIND_FIXED,
                                 10000);
        QVERIFY2(results->intervalText().startsWith(QStringLiteral("Shown: fixed-horizon 95 % intervals.")),
                 qPrintable(results->intervalText()));
        QTest::mouseClick(results->sequentialButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(results->results() && results->results()->interval() == v1::INTERVAL_KIND_SEQUENTIAL,
                                 10000);

        // Long enough, but the split is broken: that is the reason now.
        v1::ExperimentResults broken = cannedResults(v1::INTERVAL_KIND_SEQUENTIAL);
        broken.set_running_seconds(25 * 3600);
        f.service.push(broken);
        QTRY_VERIFY_WITH_TIMEOUT(f.page->shipBlockedText().startsWith(QStringLiteral("Cannot ship: the sample ratio")),
                                 10000);
        QVERIFY(!f.page->shipButton()->isEnabled());
        // A reason this console does not know is shown as the backend gives it.
        v1::ExperimentResults other = broken;
        other.mutable_srm()->set_mismatch(false);
        other.set_ship_blocked_reason("a newer rule");
        f.service.push(other);
        QTRY_COMPARE_WITH_TIMEOUT(f.page->shipBlockedText(), QStringLiteral("Cannot ship yet: a newer rule"), 10000);

        // Healthy now and long enough: Ship is offered, the SRM warning gone.
        v1::ExperimentResults healthy = cannedResults(v1::INTERVAL_KIND_SEQUENTIAL);
        healthy.mutable_srm()->set_mismatch(false);
        healthy.mutable_srm()->set_p_value(0.4);
        healthy.set_can_ship(true);
        healthy.clear_ship_blocked_reason();
        f.service.push(healthy);
        QTRY_VERIFY_WITH_TIMEOUT(f.page->shipButton()->isEnabled(), 10000);
        QVERIFY(results->srmText().isEmpty());
        QCOMPARE(f.page->shipVariantBox()->currentText(), QStringLiteral("treatment"));
        // The variant chosen stays chosen when the list is reloaded.
        f.page->shipVariantBox()->setCurrentIndex(0);
        QSignalSpy reloaded(f.page->model(), &QAbstractItemModel::modelReset);
        f.page->refresh();
        QTRY_COMPARE_WITH_TIMEOUT(reloaded.size(), 1, 10000);
        QCOMPARE(f.page->shipVariantBox()->currentText(), QStringLiteral("control"));
        f.page->shipVariantBox()->setCurrentIndex(1);

        // Ship, through the button, with the reason and what it does said.
        QString consequence;
        f.page->setAskReason([&consequence](const QString &, const QString &, const QString &c, const QString &) {
            consequence = c;
            return std::optional<QString>(QStringLiteral("Treatment shares more"));
        });
        QSignalSpy finished(f.page, &ExperimentsPage::actionFinished);
        QTest::mouseClick(f.page->shipButton(), Qt::LeftButton);
        QVERIFY2(consequence.contains(QStringLiteral("The invite copy of variant “treatment” becomes the default")),
                 qPrintable(consequence));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(f.page->messageText()));
        const v1::ShipExperimentRequest shipped =
            f.service.locked<v1::ShipExperimentRequest>([&] { return f.service.ships.back(); });
        QCOMPARE(shipped.base_version(), 3);
        QCOMPARE(shipped.key(), std::string("invite-copy"));
        QCOMPARE(shipped.variant_key(), std::string("treatment"));
        QCOMPARE(shipped.reason(), std::string("Treatment shares more"));
        QVERIFY2(f.page->messageText().startsWith(QStringLiteral("Shipped variant “treatment” of “invite-copy”")),
                 qPrintable(f.page->messageText()));
        QVERIFY(f.page->messageText().endsWith(QStringLiteral("(version 4).")));
        QCOMPARE(cell(f.page, 0, ExperimentsModel::Status), QStringLiteral("shipped: treatment"));

        // Roll back, refused first because someone else changed the set (ABORTED).
        QVERIFY(f.page->rollbackButton()->isEnabled());
        f.service.locked<int>([&] {
            f.service.set.set_version(7);
            return 0;
        });
        QVERIFY(f.page->rollback(QStringLiteral("Numbers fell")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 10000);
        QVERIFY2(f.page->messageText().startsWith(QStringLiteral("The experiment was not rolled back: someone else "
                                                                 "changed the experiments")),
                 qPrintable(f.page->messageText()));
        QCOMPARE(f.service.lastChange("rollback")->base_version(), 4);
        QTRY_COMPARE_WITH_TIMEOUT(f.page->set()->version(), 7, 10000);
        QVERIFY(f.page->rollback(QStringLiteral("Numbers fell")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 10000);
        QVERIFY2(finished.at(2).at(0).toBool(), qPrintable(f.page->messageText()));
        QCOMPARE(f.service.lastChange("rollback")->base_version(), 7);
        QCOMPARE(f.service.lastChange("rollback")->reason(), std::string("Numbers fell"));
        QCOMPARE(f.service.lastChange("rollback")->key(), std::string("invite-copy"));

        // Start a draft: refused by the backend (another runs on the surface), said in its words.
        QVERIFY(f.page->selectExperiment(QStringLiteral("subsidy-cap")));
        QVERIFY(f.page->startButton()->isEnabled());
        f.service.locked<int>([&] {
            f.service.nextError = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                               "experiment \"x\" already runs on the first-order subsidy surface");
            return 0;
        });
        QVERIFY(!f.page->start(QStringLiteral("   ")));
        QCOMPARE(f.page->messageText(), QStringLiteral("This needs a reason; nothing was started."));
        QCOMPARE(f.service.changeCount("start"), 0);
        QVERIFY(f.page->start(QStringLiteral("Go")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, 10000);
        QCOMPARE(f.page->messageText(),
                 QStringLiteral("The experiment was not started: experiment \"x\" already runs on the first-order "
                                "subsidy surface"));
        QCOMPARE(f.service.lastChange("start")->key(), std::string("subsidy-cap"));
        QVERIFY(f.page->start(QStringLiteral("Go")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 5, 10000);
        QVERIFY2(finished.at(4).at(0).toBool(), qPrintable(f.page->messageText()));
        QCOMPARE(cell(f.page, 1, ExperimentsModel::Status), QStringLiteral("running"));
        // Its results stream asks for a key the fake has no results of: said so.
        QTRY_VERIFY_WITH_TIMEOUT(f.page->resultsPanel()->messageText().contains(QStringLiteral("has no results")),
                                 10000);

        // Stop, with its request.
        QVERIFY(f.page->stopButton()->isEnabled());
        QVERIFY(f.page->stop(QStringLiteral("Enough")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 6, 10000);
        QCOMPARE(f.service.lastChange("stop")->key(), std::string("subsidy-cap"));
        QCOMPARE(f.service.lastChange("stop")->base_version(), 9);
        QCOMPARE(cell(f.page, 1, ExperimentsModel::Status), QStringLiteral("stopped"));
    }

    void viewerSeesWhyNot()
    {
        Fixture f;
        f.service.results = cannedResults(v1::INTERVAL_KIND_SEQUENTIAL);
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(f.page->hasData(), 10000);
        f.window->environmentPolicy()->setCaller(QStringLiteral("console-viewer"), EnvironmentPolicy::Role::Viewer);
        const QString needsOperator = QStringLiteral(
            "This needs the role operator (or higher); you are signed in as console-viewer with the role viewer.");
        QVERIFY(f.page->selectExperiment(QStringLiteral("subsidy-cap")));
        for (QPushButton *button : {f.page->newButton(), f.page->startButton(), f.page->stopButton(),
                                    f.page->shipButton(), f.page->rollbackButton(), f.page->saveButton()}) {
            QVERIFY2(!button->isEnabled(), qPrintable(button->text()));
            QCOMPARE(button->toolTip(), needsOperator);
        }
        QVERIFY(!f.page->editor()->isEnabled());
        // Results are for everyone.
        QVERIFY(f.page->selectExperiment(QStringLiteral("invite-copy")));
        QTRY_VERIFY_WITH_TIMEOUT(f.page->resultsPanel()->results().has_value(), 10000);
        QCOMPARE(f.page->shipButton()->toolTip(), needsOperator);
    }

    void aBackendWithoutExperiments()
    {
        Fixture f(false);
        f.connect();
        QTRY_VERIFY_WITH_TIMEOUT(f.page->hasData(), 10000);
        QVERIFY(f.page->backendLacksExperiments());
        QVERIFY2(f.page->headerText().startsWith(QStringLiteral("This backend does not run experiments")),
                 qPrintable(f.page->headerText()));
        QVERIFY(f.page->problemText().isEmpty());
        QVERIFY(!f.page->newButton()->isEnabled());
        QVERIFY(!f.page->editor()->isEnabled());
        QCOMPARE(f.page->resultsPanel()->messageText(),
                 QStringLiteral("Results appear here once the backend runs experiments."));

        // The connection itself is fine: a missing service is no lost connection. (On its
        // own: in the window, the dashboard's calls to the same fake fail too.)
        BackendConnection connection(QStringLiteral("old backend"));
        ExperimentsPage alone(&connection);
        QSignalSpy states(&connection, &BackendConnection::stateChanged);
        connection.setChannel(
            grpc::CreateChannel("127.0.0.1:" + std::to_string(f.port), grpc::InsecureChannelCredentials()));
        alone.show();
        QTRY_VERIFY_WITH_TIMEOUT(alone.hasData(), 10000);
        QVERIFY(alone.backendLacksExperiments());
        for (const QList<QVariant> &state : std::as_const(states))
            QVERIFY(state.at(0).value<BackendConnection::State>() != BackendConnection::State::Unreachable);
        QVERIFY(connection.state() != BackendConnection::State::Unreachable);
    }
};

QTEST_MAIN(TestExperimentsPage)
#include "tst_experimentspage.moc"
