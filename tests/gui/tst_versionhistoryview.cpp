// The one history view of the pricing rules, the segments and the referral programme:
// the versions newest first, the selection kept across a reload, the diff of the
// selected version, rollback where the set has one, extra columns where a page wants them.

#include "common/VersionHistoryView.h"

#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QTreeWidget>

using namespace flywheel::ui;

namespace {

QList<VersionHistoryView::Row> rows(std::initializer_list<qint64> versions)
{
    QList<VersionHistoryView::Row> list;
    for (const qint64 version : versions)
        list.append({version,
                     QStringLiteral("2026-12-06 10:00:0%1").arg(version),
                     QStringLiteral("console"),
                     QStringLiteral("reason %1").arg(version),
                     {QStringLiteral("changes %1").arg(version)}});
    return list;
}

} // namespace

class TestVersionHistoryView final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void listsSelectsAndRollsBack()
    {
        VersionHistoryView view;
        view.show();
        QSignalSpy selection(&view, &VersionHistoryView::selectionChanged);
        QSignalSpy rollback(&view, &VersionHistoryView::rollbackRequested);
        QVERIFY(view.rollbackButton() != nullptr);
        QCOMPARE(view.list()->columnCount(), 4);

        view.setVersions(rows({3, 2, 1}));
        QCOMPARE(view.versionCount(), 3);
        QCOMPARE(view.versionAt(0), 3);
        QCOMPARE(view.versionAt(2), 1);
        QCOMPARE(view.versionAt(3), 0);
        QCOMPARE(view.selectedRow(), -1); // nothing chosen for the operator
        QCOMPARE(view.list()->topLevelItem(1)->text(3), QStringLiteral("reason 2"));

        view.selectRow(1);
        QCOMPARE(view.selectedVersion(), 2);
        QVERIFY(selection.size() >= 2);
        view.setDiff(QStringLiteral("Version 2 changed this"));
        QCOMPARE(view.diffText(), QStringLiteral("Version 2 changed this"));

        // A reload with a newer version keeps version 2 selected, and says so once.
        selection.clear();
        view.setVersions(rows({4, 3, 2, 1}));
        QCOMPARE(selection.size(), 1);
        QCOMPARE(view.selectedVersion(), 2);
        QCOMPARE(view.selectedRow(), 2);

        view.rollbackButton()->setEnabled(true);
        QTest::mouseClick(view.rollbackButton(), Qt::LeftButton);
        QCOMPARE(rollback.size(), 1);
        QCOMPARE(rollback.at(0).at(0).toLongLong(), 2);
    }

    void extraColumnsWithoutRollback()
    {
        // As the referral programme's history: a "Changes" column, list above the diff, no rollback.
        VersionHistoryView view({.extraColumns = {QStringLiteral("Changes")},
                                 .orientation = Qt::Vertical,
                                 .rollback = false,
                                 .diffPlaceholder = QStringLiteral("Select one")});
        view.show();
        QVERIFY(view.rollbackButton() == nullptr);
        QCOMPARE(view.list()->columnCount(), 5);
        QCOMPARE(view.list()->headerItem()->text(4), QStringLiteral("Changes"));
        view.setVersions(rows({2, 1}), true);
        QCOMPARE(view.selectedVersion(), 2); // the newest, selected for the operator
        QCOMPARE(view.list()->topLevelItem(1)->text(4), QStringLiteral("changes 1"));
        QCOMPARE(view.list()->topLevelItem(1)->toolTip(4), QStringLiteral("changes 1"));
    }
};

QTEST_MAIN(TestVersionHistoryView)
#include "tst_versionhistoryview.moc"
