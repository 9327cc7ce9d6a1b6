// The one dialog that asks why rules, segments or the programme are saved or rolled
// back: a reason is required and at most 500 characters, said in the dialog, which
// stays open until the reason is right.

#include "common/ReasonDialog.h"

#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace flywheel::ui;

class TestReasonDialog final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void requiresAReason()
    {
        ReasonDialog dialog(QStringLiteral("Roll back"), QStringLiteral("Why roll back to version 3?"),
                            QStringLiteral("Make the rules of version 3 the rules in force?"),
                            QStringLiteral("Roll back"));
        dialog.show();
        QCOMPARE(dialog.acceptButton()->text(), QStringLiteral("Roll back"));
        QVERIFY(dialog.problemText().isEmpty()); // nothing said before the operator tries
        QSignalSpy accepted(&dialog, &QDialog::accepted);

        QTest::mouseClick(dialog.acceptButton(), Qt::LeftButton);
        QVERIFY(dialog.isVisible());
        QCOMPARE(accepted.size(), 0);
        QCOMPARE(dialog.problemText(), QStringLiteral("A reason is required: it is kept in the history."));

        // Blanks are no reason either.
        QTest::keyClicks(dialog.reasonField(), QStringLiteral("   "));
        QTest::keyClick(dialog.reasonField(), Qt::Key_Return);
        QVERIFY(dialog.isVisible());
        QCOMPARE(accepted.size(), 0);
        QVERIFY(!dialog.problemText().isEmpty());

        QTest::keyClicks(dialog.reasonField(), QStringLiteral("Launch went wrong  "));
        QVERIFY(dialog.problemText().isEmpty()); // typing clears the complaint
        QTest::keyClick(dialog.reasonField(), Qt::Key_Return);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.reason(), QStringLiteral("Launch went wrong"));
    }

    void refusesAReasonOver500Characters()
    {
        ReasonDialog dialog(QStringLiteral("Save the rules"), QStringLiteral("Why this change?"), QString(),
                            QStringLiteral("Save"));
        dialog.show();
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        dialog.reasonField()->setText(QString(501, u'x'));
        QCOMPARE(dialog.problemText(),
                 QStringLiteral("The reason is 501 characters long; at most 500 are allowed. Shorten it."));
        QTest::mouseClick(dialog.acceptButton(), Qt::LeftButton);
        QVERIFY(dialog.isVisible());
        QCOMPARE(accepted.size(), 0);

        // Characters, not UTF-16 units or bytes: 500 Chinese characters are allowed.
        dialog.reasonField()->setText(QString(500, QChar(0x6D3B)));
        QVERIFY2(dialog.problemText().isEmpty(), qPrintable(dialog.problemText()));
        QTest::mouseClick(dialog.acceptButton(), Qt::LeftButton);
        QCOMPARE(accepted.size(), 1);
        QCOMPARE(dialog.reason().size(), 500);
    }

    void cancelGivesNoReason()
    {
        ReasonDialog dialog(QStringLiteral("Save"), QStringLiteral("Why?"), QString(), QString());
        dialog.show();
        dialog.reasonField()->setText(QStringLiteral("because"));
        dialog.reject();
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
    }
};

QTEST_MAIN(TestReasonDialog)
#include "tst_reasondialog.moc"
