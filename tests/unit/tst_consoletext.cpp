// The console's shared ways of writing times and amounts (ui/common TimeText and
// Decimal): one helper each, used by every page, with the outputs the pages have always
// shown, in any locale.

#include "common/Decimal.h"
#include "common/TimeText.h"

#include <QLocale>
#include <QTest>

#include <cstdlib>
#include <ctime>

using namespace flywheel::ui;

namespace {

google::protobuf::Timestamp at(qint64 seconds, int nanos = 0)
{
    google::protobuf::Timestamp t;
    t.set_seconds(seconds);
    t.set_nanos(nanos);
    return t;
}

// 2026-12-06 10:00:30 UTC, 18:00:30 in Shanghai.
constexpr qint64 kMorning = 1796551230;

} // namespace

class TestConsoleText final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // Local time is the operator's: pin it, so that the expected texts do not
        // depend on the machine running the test.
        qputenv("TZ", "Asia/Shanghai");
        tzset();
        QCOMPARE(QDateTime::fromSecsSinceEpoch(kMorning).toLocalTime().time(), QTime(18, 0, 30));
    }

    void cleanup() { QLocale::setDefault(QLocale::c()); }

    void timestamps_data()
    {
        QTest::addColumn<QLocale>("locale");
        QTest::newRow("en") << QLocale(QLocale::English, QLocale::UnitedStates);
        QTest::newRow("zh_CN") << QLocale(QLocale::Chinese, QLocale::SimplifiedHanScript, QLocale::China);
    }

    void timestamps()
    {
        QFETCH(QLocale, locale);
        QLocale::setDefault(locale);
        QCOMPARE(TimeText::timestamp(at(kMorning)), QStringLiteral("2026-12-06 18:00:30"));
        QCOMPARE(TimeText::timestamp(at(kMorning, 999'000'000)), QStringLiteral("2026-12-06 18:00:30"));
        // Whole minutes without their seconds, when asked (the pricing page's rule windows).
        QCOMPARE(TimeText::timestamp(at(kMorning - 30), TimeText::Seconds::WhenNotZero),
                 QStringLiteral("2026-12-06 18:00"));
        QCOMPARE(TimeText::timestamp(at(kMorning), TimeText::Seconds::WhenNotZero),
                 QStringLiteral("2026-12-06 18:00:30"));
        QCOMPARE(TimeText::timestamp(at(kMorning - 30)), QStringLiteral("2026-12-06 18:00:00"));
        // Never set: a dash, not 1970.
        QCOMPARE(TimeText::timestamp(at(0)), QStringLiteral("—"));
        QCOMPARE(TimeText::timestamp(at(0), TimeText::Seconds::WhenNotZero), QStringLiteral("—"));
        QVERIFY(!TimeText::isSet(at(0)));
        QVERIFY(TimeText::isSet(at(0, 1)));
        QCOMPARE(TimeText::timestamp(at(0, 1)), QStringLiteral("1970-01-01 08:00:00"));
    }

    void clockTimes()
    {
        const QDateTime sameDay = QDateTime::fromSecsSinceEpoch(kMorning + 3600);
        QCOMPARE(TimeText::clockTime(QDateTime::fromSecsSinceEpoch(kMorning)), QStringLiteral("18:00:30"));
        QCOMPARE(TimeText::clockTime(at(kMorning), sameDay), QStringLiteral("18:00:30"));
        // Another day (in local time: 23:00 UTC is the next day in Shanghai) needs its date.
        const QDateTime nextDay = QDateTime::fromSecsSinceEpoch(kMorning + 6 * 3600);
        QCOMPARE(TimeText::clockTime(at(kMorning), nextDay), QStringLiteral("2026-12-06 18:00:30"));
        QCOMPARE(TimeText::clockTime(at(0), sameDay), QStringLiteral("—"));
    }

    void parsesDecimals()
    {
        qint64 value = -1;
        QVERIFY(parseDecimal(QStringLiteral("149.90"), &value));
        QCOMPARE(value, 14990);
        QVERIFY(parseDecimal(QStringLiteral(" 59.9 "), &value));
        QCOMPARE(value, 5990);
        QVERIFY(parseDecimal(QStringLiteral("300"), &value));
        QCOMPARE(value, 30000);
        QVERIFY(parseDecimal(QStringLiteral("0.05"), &value));
        QCOMPARE(value, 5);
        value = 7;
        for (const char *bad : {"", "1.234", "-5", "+5", "1,000", "1.", ".5", "abc", "1e3", "1234567890123"})
            QVERIFY2(!parseDecimal(QString::fromLatin1(bad), &value), bad);
        QCOMPARE(value, 7); // untouched on failure
    }

    void writesDecimals()
    {
        QCOMPARE(plainDecimal(30000), QStringLiteral("300"));
        QCOMPARE(plainDecimal(14990), QStringLiteral("149.90"));
        QCOMPARE(plainDecimal(5), QStringLiteral("0.05"));
        QCOMPARE(plainDecimal(30000, ZeroCents::Keep), QStringLiteral("300.00"));
        // What plainDecimal writes, parseDecimal reads back.
        for (const qint64 hundredths : {0LL, 5LL, 14990LL, 30000LL, 123456789LL}) {
            for (const ZeroCents zeroCents : {ZeroCents::Drop, ZeroCents::Keep}) {
                qint64 back = -1;
                QVERIFY(parseDecimal(plainDecimal(hundredths, zeroCents), &back));
                QCOMPARE(back, hundredths);
            }
        }
        // Read in the operator's locale; the plain form is never grouped.
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
        QCOMPARE(localeDecimal(123456), QStringLiteral("1,234.56"));
        QCOMPARE(localeDecimal(-5), QStringLiteral("-0.05"));
        QCOMPARE(plainDecimal(123456), QStringLiteral("1234.56"));
        QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
        QCOMPARE(localeDecimal(123456), QStringLiteral("1.234,56"));
        QCOMPARE(plainDecimal(123456), QStringLiteral("1234.56"));
    }
};

QTEST_GUILESS_MAIN(TestConsoleText)
#include "tst_consoletext.moc"
