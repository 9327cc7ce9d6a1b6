// The top of every page: the title with the page's controls, the summary line and the
// red problem banner (PageHeader), and the coloured banners themselves (Banner). Every
// page uses the one widget, so a page's title and problem look alike everywhere.

#include "client/BackendConnection.h"
#include "common/Banner.h"
#include "common/PageHeader.h"
#include "dashboard/DashboardPage.h"
#include "experiments/ExperimentsPage.h"
#include "inventory/InventoryPage.h"
#include "MainWindow.h"
#include "pricing/PricingPage.h"
#include "referral/ReferralPage.h"
#include "subsidy/SubsidyPage.h"
#include "segments/SegmentsPage.h"

#include <QLabel>
#include <QPushButton>
#include <QTest>
#include <QVBoxLayout>

using namespace flywheel::ui;

namespace {

/// The label showing `text` among `parent`'s children; null when there is none.
QLabel *labelWithText(const QWidget *parent, const QString &text)
{
    for (QLabel *label : parent->findChildren<QLabel *>()) {
        if (label->text() == text)
            return label;
    }
    return nullptr;
}

} // namespace

class TestPageHeader final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void titleSummaryAndProblem()
    {
        QWidget window;
        auto *header = new PageHeader(QStringLiteral("Segments and reach"), &window);
        (new QVBoxLayout(&window))->addWidget(header);
        window.resize(800, 300);
        window.show();
        QCOMPARE(header->title(), QStringLiteral("Segments and reach"));
        QLabel *title = labelWithText(header, QStringLiteral("Segments and reach"));
        QVERIFY(title != nullptr);
        QVERIFY(title->font().bold());
        QVERIFY(title->font().pointSizeF() > window.font().pointSizeF());

        // Nothing to say yet: no summary line, no banner.
        QVERIFY(header->summary().isEmpty());
        QVERIFY(header->problem().isEmpty());
        QVERIFY(header->findChild<Banner *>()->isHidden());

        header->setSummary(QStringLiteral("Version 3 · saved 2026-12-06 10:00:00"));
        QCOMPARE(header->summary(), QStringLiteral("Version 3 · saved 2026-12-06 10:00:00"));
        QLabel *summary = labelWithText(header, header->summary());
        QVERIFY(summary != nullptr && summary->isVisible());
        QVERIFY(summary->wordWrap());
        QVERIFY(summary->textInteractionFlags() & Qt::TextSelectableByMouse);

        header->showProblem(QStringLiteral("Could not refresh the segments."));
        QCOMPARE(header->problem(), QStringLiteral("Could not refresh the segments."));
        auto *banner = header->findChild<Banner *>();
        QVERIFY(banner->isVisible());
        QCOMPARE(banner->tone(), Banner::Tone::Problem);
        // Below the summary, so the page reads top down: what it shows, then what went wrong.
        QVERIFY(banner->mapTo(&window, QPoint()).y() > summary->mapTo(&window, QPoint()).y());

        header->clearProblem();
        QVERIFY(banner->isHidden());
        QVERIFY(header->problem().isEmpty());
        header->showProblem(QStringLiteral("Again"));
        header->showProblem(QString()); // an empty problem is no problem
        QVERIFY(banner->isHidden());
    }

    void controlsBesideTheTitle()
    {
        QWidget window;
        auto *header = new PageHeader(QStringLiteral("Dashboard"), &window);
        (new QVBoxLayout(&window))->addWidget(header);
        auto *refresh = new QPushButton(QStringLiteral("Refresh"));
        auto *first = new QPushButton(QStringLiteral("5 min"));
        auto *second = new QPushButton(QStringLiteral("1 hour"));
        header->addToTitleRow(refresh);
        header->addToTitleRow(first, PageHeader::Place::AfterTitle);
        header->addToTitleRow(second, PageHeader::Place::AfterTitle);
        window.resize(900, 200);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QLabel *title = labelWithText(header, QStringLiteral("Dashboard"));
        // Title, then the widgets placed after it in the order they were added, then the
        // ones at the right end, at the right end.
        QVERIFY(x(title, &window) < x(first, &window));
        QVERIFY(x(first, &window) < x(second, &window));
        QVERIFY(x(second, &window) + second->width() < x(refresh, &window));
        QVERIFY(x(refresh, &window) + refresh->width() > window.width() - 40);
        QVERIFY(x(first, &window) - (x(title, &window) + title->width()) >= 16); // a gap after the title
    }

    void summaryLineWithOtherWidgets()
    {
        QWidget window;
        auto *header = new PageHeader(QStringLiteral("Inventory"), &window);
        (new QVBoxLayout(&window))->addWidget(header);
        auto *low = new QLabel(QStringLiteral("Low on stock: 2 of 9 SKUs"));
        header->addBeforeSummary(low);
        auto *information = new Banner(Banner::Tone::Information);
        header->addBelowSummary(information);
        window.resize(800, 300);
        window.show();
        QVERIFY(low->isVisible()); // the line shows what was put on it, even without a summary
        header->setSummary(QStringLiteral("Open reservations: 3"));
        QLabel *summary = labelWithText(header, QStringLiteral("Open reservations: 3"));
        QVERIFY(x(low, &window) < x(summary, &window));

        // Information goes between the summary and the problem; hidden until it has text.
        QVERIFY(information->isHidden());
        QVERIFY(information->shownText().isEmpty());
        information->showText(QStringLiteral("These rules come from a file."));
        header->showProblem(QStringLiteral("The last change to the file was refused."));
        QVERIFY(information->isVisible());
        QCOMPARE(information->shownText(), QStringLiteral("These rules come from a file."));
        const auto *problem = header->findChildren<Banner *>().value(0) == information
                                  ? header->findChildren<Banner *>().value(1)
                                  : header->findChildren<Banner *>().value(0);
        QVERIFY(y(summary, &window) < y(information, &window));
        QVERIFY(y(information, &window) < y(problem, &window));
        // Blue for information, red and bold for a problem.
        QVERIFY2(information->styleSheet().contains(QStringLiteral("#ddf4ff")), qPrintable(information->styleSheet()));
        QVERIFY2(problem->styleSheet().contains(QStringLiteral("#ffebe9")), qPrintable(problem->styleSheet()));
        QVERIFY(problem->styleSheet().contains(QStringLiteral("bold")));
        QVERIFY(information->wordWrap());
        QVERIFY(information->textInteractionFlags() & Qt::TextSelectableByMouse);
    }

    void everyPageUsesIt()
    {
        BackendConnection connection(QStringLiteral("nowhere"));
        MainWindow window(&connection);
        const QList<std::pair<QWidget *, QString>> pages = {
            {window.dashboardPage(), QStringLiteral("Dashboard")},
            {window.pricingPage(), QStringLiteral("Pricing rules")},
            {window.segmentsPage(), QStringLiteral("Segments and reach")},
            {window.referralPage(), QStringLiteral("Referral")},
            {window.subsidyPage(), QStringLiteral("First-order subsidies")},
            {window.experimentsPage(), QStringLiteral("Experiments")},
            {window.inventoryPage(), QStringLiteral("Inventory")},
        };
        for (const auto &[page, title] : pages) {
            const QList<PageHeader *> headers = page->findChildren<PageHeader *>();
            QCOMPARE(headers.size(), 1);
            QCOMPARE(headers.first()->title(), title);
            // No page draws a red banner of its own: every one is a Banner.
            for (const QLabel *label : page->findChildren<QLabel *>()) {
                if (label->styleSheet().contains(QStringLiteral("#ffebe9")))
                    QVERIFY2(qobject_cast<const Banner *>(label) != nullptr, qPrintable(label->text()));
            }
        }
        // The pages' own accessors read the shared widget.
        PageHeader *segments = window.segmentsPage()->findChild<PageHeader *>();
        segments->showProblem(QStringLiteral("Could not load the segments."));
        QCOMPARE(window.segmentsPage()->problemText(), QStringLiteral("Could not load the segments."));
        QCOMPARE(window.segmentsPage()->headerText(), segments->summary());
        PageHeader *referral = window.referralPage()->findChild<PageHeader *>();
        QCOMPARE(window.referralPage()->headerText(), referral->summary());
    }

private:
    static int x(const QWidget *w, const QWidget *window) { return w->mapTo(window, QPoint()).x(); }
    static int y(const QWidget *w, const QWidget *window) { return w->mapTo(window, QPoint()).y(); }
};

QTEST_MAIN(TestPageHeader)
#include "tst_pageheader.moc"
