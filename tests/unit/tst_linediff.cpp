// The Audit page's line diff (ui/audit/LineDiff): lines split as people count them, the
// longest common subsequence of lines kept, removals before additions, a first version
// all added, long unchanged runs collapsed, and long texts compared quickly.

#include "audit/LineDiff.h"

#include <QElapsedTimer>
#include <QTest>

using namespace flywheel::ui;

namespace {

using Kind = LineDiff::Kind;

/// The diff as "  same", "- removed", "+ added", "~ 3" lines, for readable comparisons.
QStringList render(const std::vector<LineDiff::Line> &lines)
{
    QStringList out;
    for (const LineDiff::Line &line : lines) {
        switch (line.kind) {
        case Kind::Same:
            out.append(QStringLiteral("  ") + line.text);
            break;
        case Kind::Removed:
            out.append(QStringLiteral("- ") + line.text);
            break;
        case Kind::Added:
            out.append(QStringLiteral("+ ") + line.text);
            break;
        case Kind::Skipped:
            out.append(QStringLiteral("~ %1").arg(line.skipped));
            break;
        }
    }
    return out;
}

QStringList numbered(int from, int to)
{
    QStringList lines;
    for (int i = from; i <= to; ++i)
        lines.append(QStringLiteral("line %1").arg(i));
    return lines;
}

} // namespace

class TestLineDiff final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void splitsLines()
    {
        QCOMPARE(LineDiff::splitLines(QString()), QStringList());
        QCOMPARE(LineDiff::splitLines(QStringLiteral("a")), QStringList{QStringLiteral("a")});
        QCOMPARE(LineDiff::splitLines(QStringLiteral("a\n")), QStringList{QStringLiteral("a")});
        QCOMPARE(LineDiff::splitLines(QStringLiteral("a\r\nb\r\n")),
                 (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        QCOMPARE(LineDiff::splitLines(QStringLiteral("a\n\nb")),
                 (QStringList{QStringLiteral("a"), QString(), QStringLiteral("b")}));
        QCOMPARE(LineDiff::splitLines(QStringLiteral("\n")), QStringList{QString()});
    }

    void comparesLineByLine()
    {
        const LineDiff::Result diff = LineDiff::compare(
            QStringLiteral("rules:\n- id: launch\n  percent_off: 10\n- id: vip\n  enabled: true\n"),
            QStringLiteral("rules:\n- id: launch\n  percent_off: 15\n- id: vip\n  enabled: true\n- id: autumn\n"));
        QCOMPARE(render(diff.lines), (QStringList{
                                         QStringLiteral("  rules:"),
                                         QStringLiteral("  - id: launch"),
                                         QStringLiteral("-   percent_off: 10"),
                                         QStringLiteral("+   percent_off: 15"),
                                         QStringLiteral("  - id: vip"),
                                         QStringLiteral("    enabled: true"),
                                         QStringLiteral("+ - id: autumn"),
                                     }));
        QCOMPARE(diff.added, 2);
        QCOMPARE(diff.removed, 1);
        QVERIFY(!diff.approximate);
    }

    void keepsTheLongestCommonSubsequence()
    {
        // a b c a b b a -> c b a b a c: the classic example; LCS length 4.
        const QStringList before = QString(QStringLiteral("a b c a b b a")).split(u' ');
        const QStringList after = QString(QStringLiteral("c b a b a c")).split(u' ');
        const LineDiff::Result diff = LineDiff::compare(before, after);
        int same = 0;
        QStringList rebuiltBefore;
        QStringList rebuiltAfter;
        for (const LineDiff::Line &line : diff.lines) {
            if (line.kind == Kind::Same)
                ++same;
            if (line.kind != Kind::Added)
                rebuiltBefore.append(line.text);
            if (line.kind != Kind::Removed)
                rebuiltAfter.append(line.text);
        }
        QCOMPARE(same, 4);
        QCOMPARE(rebuiltBefore, before); // the diff is the two texts interleaved, in order
        QCOMPARE(rebuiltAfter, after);
        QCOMPARE(diff.removed, 3);
        QCOMPARE(diff.added, 2);
    }

    void removalsComeBeforeAdditions()
    {
        const LineDiff::Result diff =
            LineDiff::compare(QStringList{QStringLiteral("x"), QStringLiteral("old 1"), QStringLiteral("old 2")},
                              QStringList{QStringLiteral("x"), QStringLiteral("new 1"), QStringLiteral("new 2")});
        QCOMPARE(render(diff.lines),
                 (QStringList{QStringLiteral("  x"), QStringLiteral("- old 1"), QStringLiteral("- old 2"),
                              QStringLiteral("+ new 1"), QStringLiteral("+ new 2")}));
    }

    void firstVersionAndRemovalAreWhole()
    {
        const LineDiff::Result first = LineDiff::compare(QString(), QStringLiteral("a\nb\n"));
        QCOMPARE(render(first.lines), (QStringList{QStringLiteral("+ a"), QStringLiteral("+ b")}));
        QCOMPARE(first.added, 2);
        QCOMPARE(first.removed, 0);
        const LineDiff::Result gone = LineDiff::compare(QStringLiteral("a\nb"), QString());
        QCOMPARE(render(gone.lines), (QStringList{QStringLiteral("- a"), QStringLiteral("- b")}));
        const LineDiff::Result same = LineDiff::compare(QStringLiteral("a\nb"), QStringLiteral("a\nb\n"));
        QCOMPARE(render(same.lines), (QStringList{QStringLiteral("  a"), QStringLiteral("  b")}));
        QCOMPARE(same.added + same.removed, 0);
        QVERIFY(LineDiff::compare(QString(), QString()).lines.empty());
    }

    void collapsesUnchangedRuns()
    {
        QStringList before = numbered(1, 20);
        QStringList after = before;
        after[9] = QStringLiteral("changed 10");
        const LineDiff::Result diff = LineDiff::compare(before, after);
        QCOMPARE(render(LineDiff::collapse(diff.lines, 2)),
                 (QStringList{QStringLiteral("~ 7"), QStringLiteral("  line 8"), QStringLiteral("  line 9"),
                              QStringLiteral("- line 10"), QStringLiteral("+ changed 10"), QStringLiteral("  line 11"),
                              QStringLiteral("  line 12"), QStringLiteral("~ 8")}));
        // Two changes close together share their context.
        after[13] = QStringLiteral("changed 14");
        const QStringList two = render(LineDiff::collapse(LineDiff::compare(before, after).lines, 2));
        QCOMPARE(two.first(), QStringLiteral("~ 7"));
        QVERIFY(two.contains(QStringLiteral("  line 12")));
        QVERIFY(two.contains(QStringLiteral("  line 13")));
        QCOMPARE(two.last(), QStringLiteral("~ 4"));
        // Nothing changed: nothing is left out.
        QCOMPARE(LineDiff::collapse(LineDiff::compare(before, before).lines, 2).size(), std::size_t(20));
    }

    void longTextsStayFast()
    {
        // 20,000 lines with changes spread through them: compared line by line after the
        // common head and tail, quickly.
        QStringList before = numbered(1, 20000);
        QStringList after = before;
        after[100] = QStringLiteral("changed");
        after[1900] = QStringLiteral("changed too");
        QElapsedTimer timer;
        timer.start();
        const LineDiff::Result diff = LineDiff::compare(before, after);
        QCOMPARE(diff.added, 2);
        QCOMPARE(diff.removed, 2);
        QVERIFY(!diff.approximate);

        // Changes at both ends leave a middle too big for the table: shown as replaced.
        after = before;
        after.first() = QStringLiteral("new first");
        after.last() = QStringLiteral("new last");
        const LineDiff::Result big = LineDiff::compare(before, after);
        QVERIFY(big.approximate);
        QCOMPARE(big.removed, 20000);
        QCOMPARE(big.added, 20000);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));

        // Below the limit the same kind of change is exact.
        const LineDiff::Result exact = LineDiff::compare(numbered(1, 100), [] {
            QStringList lines = numbered(1, 100);
            lines.first() = QStringLiteral("new first");
            lines.last() = QStringLiteral("new last");
            return lines;
        }());
        QVERIFY(!exact.approximate);
        QCOMPARE(exact.removed, 2);
        QCOMPARE(exact.added, 2);
    }
};

QTEST_APPLESS_MAIN(TestLineDiff)
#include "tst_linediff.moc"
