#include "domain/Money.h"

#include <QTest>

#include <limits>

using flywheel::divideRounded;
using flywheel::formatMinorUnits;
using flywheel::Money;

class TestMoney final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void roundsHalfAwayFromZero_data()
    {
        QTest::addColumn<qint64>("numerator");
        QTest::addColumn<qint64>("denominator");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("exact") << qint64(900) << qint64(3) << qint64(300);
        QTest::newRow("below half") << qint64(1001) << qint64(3) << qint64(334);       // 333.67 -> 334
        QTest::newRow("one third") << qint64(1000) << qint64(3) << qint64(333);        // 333.33 -> 333
        QTest::newRow("half up") << qint64(5) << qint64(2) << qint64(3);               // 2.5 -> 3
        QTest::newRow("negative half") << qint64(-5) << qint64(2) << qint64(-3);       // -2.5 -> -3
        QTest::newRow("negative below half") << qint64(-7) << qint64(4) << qint64(-2); // -1.75 -> -2
        QTest::newRow("negative small") << qint64(-1) << qint64(4) << qint64(0);       // -0.25 -> 0
        QTest::newRow("zero") << qint64(0) << qint64(7) << qint64(0);
        QTest::newRow("huge") << std::numeric_limits<qint64>::max() << qint64(2)
                              << qint64(std::numeric_limits<qint64>::max() / 2 + 1);
    }
    void roundsHalfAwayFromZero()
    {
        QFETCH(qint64, numerator);
        QFETCH(qint64, denominator);
        QFETCH(qint64, expected);
        QCOMPARE(divideRounded(numerator, denominator), expected);
    }

    void arithmeticReportsOverflow()
    {
        const Money big(std::numeric_limits<std::int64_t>::max() - 1);
        QVERIFY(!big.plus(Money(2)).has_value());
        QCOMPARE(big.plus(Money(1))->minorUnits(), std::numeric_limits<std::int64_t>::max());
        QVERIFY(!Money(std::numeric_limits<std::int64_t>::max() / 2 + 1).times(2).has_value());
        QCOMPARE(Money(1999).times(3)->minorUnits(), 5997);
    }

    void formatsMinorUnits()
    {
        QCOMPARE(formatMinorUnits(123456), std::string("1234.56"));
        QCOMPARE(formatMinorUnits(5), std::string("0.05"));
        QCOMPARE(formatMinorUnits(-250), std::string("-2.50"));
        QCOMPARE(formatMinorUnits(std::numeric_limits<std::int64_t>::min()), std::string("-92233720368547758.08"));
    }
};

QTEST_GUILESS_MAIN(TestMoney)
#include "tst_money.moc"
