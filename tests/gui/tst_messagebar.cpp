// The message bar every page uses: hidden until there is something to say, red for a
// refusal, green for an outcome, dismissable, and one instance per page or tab.

#include "client/BackendConnection.h"
#include "common/MessageBar.h"
#include "inventory/InventoryPage.h"
#include "MainWindow.h"
#include "pricing/PricingPage.h"
#include "referral/CommissionsTab.h"
#include "referral/ProgramTab.h"
#include "referral/ReferralPage.h"
#include "subsidy/ConfigTab.h"
#include "subsidy/SubsidyPage.h"
#include "segments/SegmentsPage.h"

#include <QLabel>
#include <QTest>
#include <QToolButton>

using namespace flywheel::ui;

class TestMessageBar final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void showsErrorsAndOutcomes()
    {
        QWidget window;
        auto *bar = new MessageBar(&window);
        window.show();
        QVERIFY(bar->isHidden());
        QVERIFY(bar->text().isEmpty());

        bar->showMessage(QStringLiteral("Saved as version 2."), false);
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->text(), QStringLiteral("Saved as version 2."));
        QVERIFY(!bar->isError());
        QVERIFY2(bar->styleSheet().contains(QStringLiteral("#dafbe1")), qPrintable(bar->styleSheet()));

        bar->showMessage(QStringLiteral("Nothing was saved."), true);
        QVERIFY(bar->isError());
        QVERIFY2(bar->styleSheet().contains(QStringLiteral("#ffebe9")), qPrintable(bar->styleSheet()));
        QCOMPARE(bar->findChild<QLabel *>()->text(), QStringLiteral("Nothing was saved."));

        // Dismissed: hidden, the text still readable for the page's messageText().
        QTest::mouseClick(bar->findChild<QToolButton *>(), Qt::LeftButton);
        QVERIFY(bar->isHidden());
        QCOMPARE(bar->text(), QStringLiteral("Nothing was saved."));
        bar->showMessage(QStringLiteral("Again"), false);
        QVERIFY(bar->isVisible());

        bar->clearMessage();
        QVERIFY(bar->isHidden());
        QVERIFY(bar->text().isEmpty());
        QVERIFY(!bar->isError());
    }

    void everyPageUsesIt()
    {
        BackendConnection connection(QStringLiteral("nowhere"));
        MainWindow window(&connection);
        // One bar on the pages with a message line, one on each referral tab that acts.
        QCOMPARE(window.pricingPage()->findChildren<MessageBar *>().size(), 1);
        QCOMPARE(window.segmentsPage()->findChildren<MessageBar *>().size(), 1);
        QCOMPARE(window.inventoryPage()->findChildren<MessageBar *>().size(), 1);
        QCOMPARE(window.referralPage()->programTab()->findChildren<MessageBar *>().size(), 1);
        QCOMPARE(window.referralPage()->commissionsTab()->findChildren<MessageBar *>().size(), 1);
        QCOMPARE(window.subsidyPage()->configTab()->findChildren<MessageBar *>().size(), 1);
    }
};

QTEST_MAIN(TestMessageBar)
#include "tst_messagebar.moc"
