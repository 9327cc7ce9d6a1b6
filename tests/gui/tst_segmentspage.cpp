// The Segments page against an in-process backend (demo data: 12,000 users, the three
// example segments as version 1): the list with live sizes, the expression editor's live
// count and error position, editing a draft with undo and redo, saving (also when someone
// else saved first or the backend refuses), the history with its diff, rollback, and the
// user lookup.

#include "client/BackendConnection.h"
#include "common/ReasonDialog.h"
#include "MainWindow.h"
#include "segments/ExpressionEditor.h"
#include "segments/SegmentHistoryTab.h"
#include "segments/SegmentsModel.h"
#include "segments/SegmentsPage.h"
#include "segments/SegmentsTab.h"
#include "segments/UserLookupTab.h"
#include "TestSupport.h"

#include "flywheel/v1/segments.grpc.pb.h"

#include <google/protobuf/util/time_util.h>
#include <grpcpp/client_context.h>

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QCompleter>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <chrono>

using namespace flywheel;
using namespace flywheel::ui;
using namespace std::chrono_literals;

namespace {

QString cell(const SegmentsModel *model, const QString &id, int column, int role = Qt::DisplayRole)
{
    return model->index(model->rowOf(id), column).data(role).toString();
}

grpc::Status preview(v1::SegmentService::Stub &stub, const std::string &expression,
                     v1::PreviewSegmentResponse *response)
{
    v1::PreviewSegmentRequest request;
    request.set_expression(expression);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    return stub.PreviewSegment(&context, request, response);
}

v1::SegmentSetVersion currentSet(v1::SegmentService::Stub &stub)
{
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 10s);
    v1::SegmentSetVersion set;
    const grpc::Status status = stub.GetSegmentSet(&context, v1::GetSegmentSetRequest(), &set);
    if (!status.ok())
        qWarning("GetSegmentSet: %s", status.error_message().c_str());
    return set;
}

/// Replaces the expression editor's text by typing `text`, as an operator would.
void typeExpression(ExpressionEditor *editor, const QString &text)
{
    editor->textEdit()->setFocus();
    editor->textEdit()->selectAll();
    QTest::keyClick(editor->textEdit(), Qt::Key_Delete);
    QTest::keyClicks(editor->textEdit(), text);
}

void screenshot(QWidget *window, const QString &suffix)
{
    QString path = qEnvironmentVariable("FLYWHEEL_SCREENSHOT");
    if (path.isEmpty())
        return;
    path.insert(path.lastIndexOf(u'.'), suffix);
    QVERIFY(window->grab().save(path));
}

} // namespace

class TestSegmentsPage final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsPreviewsAndLooksUp()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto stub = v1::SegmentService::NewStub(backend->inProcessChannel());
        {
            // Preferences for the lookup and for tag completion.
            v1::IngestEventsRequest request;
            v1::UserEvent *event = request.add_events();
            event->set_uid(100001);
            event->set_type("click");
            *event->mutable_ts() = google::protobuf::util::TimeUtil::GetCurrentTime();
            (*event->mutable_props())["tag.sports"] = 0.9;
            (*event->mutable_props())["tag.travel"] = 0.4;
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + 10s);
            v1::IngestEventsResponse response;
            const grpc::Status status = stub->IngestEvents(&context, request, &response);
            QVERIFY2(status.ok(), status.error_message().c_str());
        }

        BackendConnection connection(QStringLiteral("test backend"));
        MainWindow window(&connection);
        QVERIFY(MainWindow::pageNames().contains(QStringLiteral("segments")));
        QCOMPARE(MainWindow::pageNames().indexOf(QStringLiteral("segments")),
                 MainWindow::pageNames().indexOf(QStringLiteral("pricing")) + 1);
        QVERIFY(window.showPage(QStringLiteral("segments")));
        SegmentsPage *page = window.segmentsPage();
        SegmentsTab *tab = page->segmentsTab();
        UserLookupTab *lookupTab = page->lookupTab();
        QAbstractItemModelTester tester(tab->segmentsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        connection.setChannel(backend->inProcessChannel());
        window.show();

        // The three example segments, in words, with their live sizes.
        const SegmentsModel *model = tab->segmentsModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 5000);
        QVERIFY(page->hasData());
        const v1::SegmentSetVersion live = currentSet(*stub);
        QCOMPARE(live.version(), 1);
        for (const v1::Segment &segment : live.segments()) {
            const QString id = QString::fromStdString(segment.id());
            QVERIFY(model->rowOf(id) >= 0);
            QCOMPARE(cell(model, id, SegmentsModel::Expression), QString::fromStdString(segment.expression()));
            QCOMPARE(model->index(model->rowOf(id), SegmentsModel::Size).data(Qt::UserRole).toLongLong(),
                     segment.size());
        }
        QCOMPARE(cell(model, QStringLiteral("new_payers"), SegmentsModel::Cap), QStringLiteral("1 per day"));
        QCOMPARE(cell(model, QStringLiteral("new_payers"), SegmentsModel::Channels), QStringLiteral("push → in-app"));
        QCOMPARE(cell(model, QStringLiteral("sports_winback"), SegmentsModel::Cap), QStringLiteral("2 per week"));
        QCOMPARE(cell(model, QStringLiteral("sports_winback"), SegmentsModel::Channels),
                 QStringLiteral("push → SMS → in-app"));
        QCOMPARE(cell(model, QStringLiteral("first_order"), SegmentsModel::Enabled), QStringLiteral("yes"));
        QCOMPARE(cell(model, QStringLiteral("first_order"), SegmentsModel::Priority), QStringLiteral("10"));
        QVERIFY2(page->headerText().contains(QStringLiteral("Version 1")) &&
                     page->headerText().contains(QStringLiteral("holdout 10 %")),
                 qPrintable(page->headerText()));
        QVERIFY(page->problemText().isEmpty());

        // Selecting a segment loads it into the editor, which counts it at once.
        QVERIFY(tab->selectSegment(QStringLiteral("first_order")));
        ExpressionEditor *editor = tab->expressionEditor();
        QCOMPARE(editor->text(), QStringLiteral("!key_path_complete && days_since_reg <= 14"));
        QCOMPARE(tab->nameField()->text(), QStringLiteral("Registered, no order yet"));
        QCOMPARE(tab->capCountField()->value(), 1);
        QCOMPARE(tab->channelList()->item(0)->text(), QStringLiteral("in-app"));
        QCOMPARE(tab->channelList()->item(2)->checkState(), Qt::Unchecked); // SMS is not used
        QTRY_COMPARE_WITH_TIMEOUT(editor->state(), ExpressionEditor::State::Valid, 5000);
        QCOMPARE(tab->seedEditor()->text(), QStringLiteral("days_since_reg <= 90 || pay_count >= 1"));
        QTRY_COMPARE_WITH_TIMEOUT(tab->seedEditor()->state(), ExpressionEditor::State::Valid, 5000);

        // Completion knows the features and the tags seen so far.
        QTRY_VERIFY_WITH_TIMEOUT(editor->completions().contains(QStringLiteral("tag.sports")), 5000);
        QVERIFY(editor->completions().contains(QStringLiteral("pay_count")));
        QVERIFY(editor->completions().contains(QStringLiteral("days_since_reg")));
        QVERIFY(!editor->completions().contains(QStringLiteral("tag.NAME")));

        // Typing updates the count; the answer is for the final text, not an earlier one.
        const QString expression = QStringLiteral("days_since_reg <= 60 && device == \"ios\"");
        typeExpression(editor, expression);
        QCOMPARE(editor->text(), expression);
        v1::PreviewSegmentResponse expected;
        QVERIFY(preview(*stub, expression.toStdString(), &expected).ok());
        QVERIFY(expected.total() == 12000);
        QTRY_COMPARE_WITH_TIMEOUT(editor->state(), ExpressionEditor::State::Valid, 5000);
        QCOMPARE(editor->matching(), expected.matching());
        QCOMPARE(editor->total(), 12000);
        QVERIFY2(editor->statusText().startsWith(
                     QStringLiteral("%1 of 12,000 users match (").arg(QLocale().toString(expected.matching()))),
                 qPrintable(editor->statusText()));
        QVERIFY(expected.matching() > 0);
        const QTableWidget *sample = editor->sampleTable();
        QCOMPARE(sample->columnCount(), 3);
        QCOMPARE(sample->horizontalHeaderItem(1)->text(), QStringLiteral("days_since_reg"));
        QCOMPARE(sample->horizontalHeaderItem(2)->text(), QStringLiteral("device"));
        QCOMPARE(sample->rowCount(), int(std::min<qint64>(20, expected.matching())));
        QVERIFY(sample->item(0, 1)->text().toInt() <= 60);
        QCOMPARE(sample->item(0, 2)->text(), QStringLiteral("ios"));
        QVERIFY(editor->underlined().line == 0);
        // The typing is a draft edit of first_order, one step of undo.
        QVERIFY(tab->hasDraft());
        QCOMPARE(tab->undoStack()->count(), 1);
        QCOMPARE(cell(model, QStringLiteral("first_order"), SegmentsModel::Expression), expression);
        QCOMPARE(cell(model, QStringLiteral("first_order"), SegmentsModel::Size), QStringLiteral("not counted yet"));
        screenshot(&window, QStringLiteral("-valid"));

        // An invalid expression: the backend's line and column, said and underlined.
        const QString invalid = QStringLiteral("pay_count >= 1 &&\n  bogus_feature > 3");
        typeExpression(editor, QStringLiteral("pay_count >= 1 &&"));
        QTest::keyClick(editor->textEdit(), Qt::Key_Return);
        QTest::keyClicks(editor->textEdit(), QStringLiteral("  bogus_feature > 3"));
        QCOMPARE(editor->text(), invalid);
        grpc::ClientContext context;
        v1::PreviewSegmentResponse ignored;
        const grpc::Status refused = preview(*stub, invalid.toStdString(), &ignored);
        QCOMPARE(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
        v1::ExpressionError error;
        QVERIFY(error.ParseFromString(refused.error_details()));
        QCOMPARE(error.line(), 2);
        QCOMPARE(error.column(), 3);
        QTRY_COMPARE_WITH_TIMEOUT(editor->state(), ExpressionEditor::State::Invalid, 5000);
        QCOMPARE(editor->statusText(),
                 QStringLiteral("Line 2, column 3: %1").arg(QString::fromStdString(error.message())));
        const ExpressionEditor::Span span = editor->underlined();
        QCOMPARE(span.line, 2);
        QCOMPARE(span.column, 3);
        QCOMPARE(span.length, int(qstrlen("bogus_feature")));
        QCOMPARE(sample->rowCount(), 0);
        screenshot(&window, QStringLiteral("-invalid"));

        // An error at the very end underlines the last character.
        typeExpression(editor, QStringLiteral("pay_count >="));
        QTRY_COMPARE_WITH_TIMEOUT(editor->state(), ExpressionEditor::State::Invalid, 5000);
        QCOMPARE(editor->errorColumn(), 13);
        QCOMPARE(editor->underlined().column, 12);
        // Fixing it removes the underline.
        QTest::keyClicks(editor->textEdit(), QStringLiteral(" 2"));
        QTRY_COMPARE_WITH_TIMEOUT(editor->state(), ExpressionEditor::State::Valid, 5000);
        QCOMPARE(editor->underlined().line, 0);
        QVERIFY(editor->statusText().contains(QStringLiteral("users match")));

        // The typing in three bursts above is still one undo step; undo restores version 1.
        QCOMPARE(tab->undoStack()->count(), 1);
        tab->undoStack()->undo();
        QVERIFY(!tab->hasDraft());
        QCOMPARE(editor->text(), QStringLiteral("!key_path_complete && days_since_reg <= 14"));
        QTRY_COMPARE_WITH_TIMEOUT(editor->state(), ExpressionEditor::State::Valid, 5000);

        // User lookup: features, tags, memberships and the decision in words.
        QSignalSpy finished(page, &SegmentsPage::actionFinished);
        page->showTab(SegmentsPage::Lookup);
        lookupTab->lookUpUser(100001);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(lookupTab->lookupText()));
        QVERIFY(!lookupTab->lookupFeature(QStringLiteral("pay_count")).isEmpty());
        QVERIFY(!lookupTab->lookupFeature(QStringLiteral("days_since_reg")).isEmpty());
        QVERIFY(!lookupTab->lookupFeature(QStringLiteral("device")).isEmpty());
        QCOMPARE(lookupTab->lookupTagCount(), 2);
        const QString lookup = lookupTab->lookupText();
        QVERIFY2(lookup.contains(QStringLiteral("User 100001 is")), qPrintable(lookup));
        QVERIFY2(lookup.contains(QStringLiteral("Reach decision now: ")), qPrintable(lookup));
        QVERIFY2(lookup.contains(QStringLiteral("The backend's reason: ")), qPrintable(lookup));
        QVERIFY2(lookup.contains(QStringLiteral("segment set version 1")), qPrintable(lookup));
        screenshot(&window, QStringLiteral("-lookup"));

        lookupTab->lookUpUser(987654321);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QVERIFY2(lookupTab->lookupText().startsWith(QStringLiteral("User 987654321 has no profile yet")),
                 qPrintable(lookupTab->lookupText()));
        QCOMPARE(lookupTab->lookupTagCount(), 0);
        QVERIFY(lookupTab->lookupFeature(QStringLiteral("pay_count")).isEmpty());
    }

    void editsSavesAndRollsBack()
    {
        QTemporaryDir dir;
        auto backend = test::startBackend(dir);
        auto stub = v1::SegmentService::NewStub(backend->inProcessChannel());

        BackendConnection connection(QStringLiteral("test backend"));
        SegmentsPage page(&connection);
        SegmentsTab *tab = page.segmentsTab();
        SegmentHistoryTab *history = page.historyTab();
        QAbstractItemModelTester tester(tab->segmentsModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        connection.setChannel(backend->inProcessChannel());
        page.resize(1100, 760);
        page.show();
        const SegmentsModel *model = tab->segmentsModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(history->versionCount(), 1, 5000);
        QVERIFY(tab->canEdit());
        QVERIFY(!tab->saveEnabled());

        // The frequency cap, with undo and redo.
        QVERIFY(tab->selectSegment(QStringLiteral("sports_winback")));
        tab->capCountField()->setValue(3);
        QVERIFY(tab->hasDraft());
        QCOMPARE(cell(model, QStringLiteral("sports_winback"), SegmentsModel::Cap), QStringLiteral("3 per week"));
        QVERIFY(tab->draftText().contains(QStringLiteral("Unsaved draft based on version 1")));
        tab->undoStack()->undo();
        QVERIFY(!tab->hasDraft());
        QCOMPARE(cell(model, QStringLiteral("sports_winback"), SegmentsModel::Cap), QStringLiteral("2 per week"));
        QCOMPARE(tab->capCountField()->value(), 2);
        tab->undoStack()->redo();
        QCOMPARE(cell(model, QStringLiteral("sports_winback"), SegmentsModel::Cap), QStringLiteral("3 per week"));
        QCOMPARE(tab->capCountField()->value(), 3);

        // The channel order: push moves below SMS; in-app is unticked.
        QListWidget *channels = tab->channelList();
        QCOMPARE(channels->item(0)->text(), QStringLiteral("push"));
        channels->setCurrentRow(0);
        QVERIFY(tab->channelDownButton()->isEnabled());
        QTest::mouseClick(tab->channelDownButton(), Qt::LeftButton);
        QCOMPARE(cell(model, QStringLiteral("sports_winback"), SegmentsModel::Channels),
                 QStringLiteral("SMS → push → in-app"));
        channels->item(2)->setCheckState(Qt::Unchecked);
        QTRY_COMPARE_WITH_TIMEOUT(cell(model, QStringLiteral("sports_winback"), SegmentsModel::Channels),
                                  QStringLiteral("SMS → push"), 2000);
        QCOMPARE(tab->undoStack()->count(), 3); // the cap, the move, the tick
        // A drag and drop moves the row in the list's model, as this does.
        QVERIFY(channels->model()->moveRow(QModelIndex(), 1, QModelIndex(), 0));
        QTRY_COMPARE_WITH_TIMEOUT(cell(model, QStringLiteral("sports_winback"), SegmentsModel::Channels),
                                  QStringLiteral("push → SMS"), 2000);
        tab->undoStack()->undo();
        QCOMPARE(cell(model, QStringLiteral("sports_winback"), SegmentsModel::Channels), QStringLiteral("SMS → push"));
        QCOMPARE(channels->item(0)->text(), QStringLiteral("SMS"));
        QCOMPARE(channels->item(2)->checkState(), Qt::Unchecked);

        // A new segment, named and described by typing.
        tab->addSegment();
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(tab->selectedSegmentId(), QStringLiteral("segment"));
        tab->nameField()->selectAll();
        QTest::keyClicks(tab->nameField(), QStringLiteral("Sports fans"));
        tab->idField()->selectAll();
        QTest::keyClicks(tab->idField(), QStringLiteral("sports_fans"));
        QCOMPARE(tab->selectedSegmentId(), QStringLiteral("sports_fans"));
        QVERIFY(!tab->editorProblemText().contains(QStringLiteral("id")));
        typeExpression(tab->expressionEditor(), QStringLiteral("tag.sports > 0.5"));
        QTRY_COMPARE_WITH_TIMEOUT(tab->expressionEditor()->state(), ExpressionEditor::State::Valid, 5000);
        QCOMPARE(cell(model, QStringLiteral("sports_fans"), SegmentsModel::Name), QStringLiteral("Sports fans"));
        QCOMPARE(cell(model, QStringLiteral("sports_fans"), SegmentsModel::Expression),
                 QStringLiteral("tag.sports > 0.5"));
        tab->holdoutField()->setValue(20);

        // Saved with a reason: version 2, and its diff in the history.
        QSignalSpy finished(&page, &SegmentsPage::actionFinished);
        QVERIFY(tab->saveEnabled());
        tab->saveDraft(QStringLiteral("Sports campaign"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(page.messageText()));
        QVERIFY(!tab->hasDraft());
        QCOMPARE(page.current()->version(), 2);
        QCOMPARE(tab->undoStack()->count(), 0);
        QVERIFY(page.messageText().contains(QStringLiteral("Saved as version 2")));
        const v1::SegmentSetVersion saved = currentSet(*stub);
        QCOMPARE(saved.version(), 2);
        QCOMPARE(saved.segments_size(), 4);
        QCOMPARE(saved.policy().holdout_percent(), 20);
        QCOMPARE(saved.reason(), std::string("Sports campaign"));
        QCOMPARE(saved.segments(1).channels_size(), 2);
        QCOMPARE(saved.segments(1).channels(0), int(v1::REACH_CHANNEL_SMS));
        QCOMPARE(saved.segments(1).cap_count(), 3);
        QTRY_VERIFY_WITH_TIMEOUT(
            !cell(model, QStringLiteral("sports_fans"), SegmentsModel::Size, Qt::UserRole).isEmpty(), 5000);
        QTRY_COMPARE_WITH_TIMEOUT(history->versionCount(), 2, 5000);
        QCOMPARE(history->versionAt(0), 2);
        history->selectVersion(0);
        const QString diff = history->diffText();
        QVERIFY2(diff.contains(QStringLiteral("Sports campaign")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("Added sports_fans “Sports fans”: tag.sports > 0.5")), qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("Changed sports_winback: frequency cap 2 per week → 3 per week; "
                                              "channels “push → SMS → in-app” → “SMS → push”")),
                 qPrintable(diff));
        QVERIFY2(diff.contains(QStringLiteral("Holdout: 10 % → 20 %")), qPrintable(diff));
        QVERIFY2(!diff.contains(QStringLiteral("new_payers")), qPrintable(diff));
        page.showTab(SegmentsPage::History);
        screenshot(&page, QStringLiteral("-history"));
        page.showTab(SegmentsPage::Segments);
        history->selectVersion(1);
        QVERIFY2(history->diffText().contains(QStringLiteral("Added new_payers")), qPrintable(history->diffText()));

        // The backend refuses an invalid expression: said in words, the segment shown, the draft kept.
        QVERIFY(tab->selectSegment(QStringLiteral("new_payers")));
        typeExpression(tab->expressionEditor(), QStringLiteral("pay_count >= "));
        QVERIFY(tab->selectSegment(QStringLiteral("first_order")));
        tab->saveDraft(QStringLiteral("Broken"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 5000);
        QCOMPARE(finished.at(1).at(0).toBool(), false);
        QVERIFY2(page.messageText().startsWith(QStringLiteral("The segments were not saved: the backend found a "
                                                              "problem: segment 1 ('new_payers')")),
                 qPrintable(page.messageText()));
        QVERIFY2(page.messageText().contains(QStringLiteral("Your draft is kept")), qPrintable(page.messageText()));
        QCOMPARE(tab->selectedSegmentId(), QStringLiteral("new_payers"));
        QVERIFY(tab->hasDraft());
        tab->undoStack()->undo();
        QVERIFY(!tab->hasDraft());

        // Someone else saves first: the page says so and keeps the draft.
        QVERIFY(tab->selectSegment(QStringLiteral("new_payers")));
        QTest::mouseClick(tab->enabledField(), Qt::LeftButton);
        QCOMPARE(cell(model, QStringLiteral("new_payers"), SegmentsModel::Enabled), QStringLiteral("no"));
        {
            v1::SaveSegmentSetRequest request;
            request.set_base_version(2);
            request.set_reason("Someone else");
            *request.mutable_policy() = saved.policy();
            for (v1::Segment segment : saved.segments()) {
                segment.clear_size();
                segment.clear_size_at();
                *request.add_segments() = segment;
            }
            request.mutable_segments(0)->set_priority(99);
            grpc::ClientContext context;
            context.set_deadline(std::chrono::system_clock::now() + 10s);
            v1::SegmentSetVersion other;
            const grpc::Status status = stub->SaveSegmentSet(&context, request, &other);
            QVERIFY2(status.ok(), status.error_message().c_str());
            QCOMPARE(other.version(), 3);
        }
        tab->saveDraft(QStringLiteral("Pause new payers"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 3, 5000);
        QCOMPARE(finished.at(2).at(0).toBool(), false);
        QVERIFY2(page.messageText().contains(QStringLiteral("someone else saved the segments while you were editing")),
                 qPrintable(page.messageText()));
        QVERIFY(tab->hasDraft());
        QTRY_VERIFY_WITH_TIMEOUT(tab->draftText().contains(QStringLiteral("Version 3 has been saved since")), 5000);
        // Keeping the draft over version 3 and saving again replaces it.
        tab->rebaseDraft();
        tab->saveDraft(QStringLiteral("Pause new payers"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 4, 5000);
        QVERIFY2(finished.at(3).at(0).toBool(), qPrintable(page.messageText()));
        QCOMPARE(page.current()->version(), 4);
        QCOMPARE(cell(model, QStringLiteral("new_payers"), SegmentsModel::Enabled), QStringLiteral("no"));

        // Roll back to version 1: a new version with version 1's segments.
        history->rollbackTo(1, QStringLiteral("Back to the examples"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 5, 5000);
        QVERIFY2(finished.at(4).at(0).toBool(), qPrintable(page.messageText()));
        QVERIFY2(page.messageText().contains(QStringLiteral("Rolled back to version 1")),
                 qPrintable(page.messageText()));
        QCOMPARE(page.current()->version(), 5);
        QCOMPARE(page.current()->source(), std::string("rollback"));
        QCOMPARE(model->rowCount(), 3);
        QCOMPARE(cell(model, QStringLiteral("new_payers"), SegmentsModel::Enabled), QStringLiteral("yes"));
        QVERIFY(page.headerText().contains(QStringLiteral("Back to the examples")));
        QTRY_COMPARE_WITH_TIMEOUT(history->versionCount(), 5, 5000);
        history->selectVersion(0);
        QVERIFY2(history->diffText().contains(QStringLiteral("Removed sports_fans “Sports fans”")),
                 qPrintable(history->diffText()));

        // A rollback the backend refuses is reported plainly.
        history->rollbackTo(99, QStringLiteral("no such version"));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 6, 5000);
        QCOMPARE(finished.at(5).at(0).toBool(), false);
        QVERIFY2(page.messageText().startsWith(QStringLiteral("Nothing was rolled back: there is no segment set "
                                                              "version 99")),
                 qPrintable(page.messageText()));
    }

    void saysWhenTheBackendIsUnreachable()
    {
        BackendConnection connection(QStringLiteral("127.0.0.1:1"));
        SegmentsPage page(&connection);
        connection.setChannel(BackendConnection::createRemoteChannel(QStringLiteral("127.0.0.1:1")));
        page.show();
        QTRY_VERIFY_WITH_TIMEOUT(!page.problemText().isEmpty(), 15000);
        QVERIFY2(page.problemText().startsWith(QStringLiteral("Could not load the segments.")),
                 qPrintable(page.problemText()));
        QVERIFY(!page.hasData());
        SegmentsTab *tab = page.segmentsTab();
        QVERIFY(!tab->canEdit());
        tab->addSegment();
        QVERIFY(!tab->hasDraft());
        QCOMPARE(tab->segmentsModel()->rowCount(), 0);
    }
};

QTEST_MAIN(TestSegmentsPage)
#include "tst_segmentspage.moc"
