#include "domain/experiments/Distributions.h"
#include "domain/experiments/Statistics.h"

#include <QTest>

#include <cmath>

using namespace flywheel::experiments;
using flywheel::ErrorCode;

// Reference values: /work/shared/research/experiments.md §5 (computed two independent ways);
// each is checked to the digits the note prints.

#define QNEAR(actual, expected, tolerance)                                                                             \
    do {                                                                                                               \
        const double a_ = (actual);                                                                                    \
        const double e_ = (expected);                                                                                  \
        QVERIFY2(std::fabs(a_ - e_) <= (tolerance), qPrintable(QStringLiteral("%1 = %2, expected %3 ± %4")             \
                                                                   .arg(QStringLiteral(#actual))                       \
                                                                   .arg(a_, 0, 'g', 12)                                \
                                                                   .arg(e_, 0, 'g', 12)                                \
                                                                   .arg(tolerance)));                                  \
    } while (false)

namespace {

ArmMoments arm(std::int64_t n, double mean, double sd)
{
    return ArmMoments{n, mean, sd * sd};
}

const ProportionSummary kControlA{10'000, 1'000};
const ProportionSummary kTreatmentA{10'000, 1'100};

RatioSummary controlD()
{
    return RatioSummary{10'000, 105000, 21350475, 25000, 94896.76, 505475.7};
}
RatioSummary treatmentD()
{
    return RatioSummary{10'000, 124000, 26535100, 26000, 103696.39, 607371.5};
}

} // namespace

Q_DECLARE_METATYPE(flywheel::experiments::ArmMoments)

class TestExperimentStatistics final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void distributionsMatchTextbookValues()
    {
        QNEAR(studentTQuantile(0.975, 10), 2.228139, 1e-6);
        QNEAR(studentTQuantile(0.025, 10), -2.228139, 1e-6);
        QNEAR(studentTQuantile(0.975, 52.4738), 2.006216, 1e-6);
        QNEAR(studentTQuantile(0.975, 19962.71), 1.960083, 1e-6);
        QNEAR(normalQuantile(0.975), 1.959963984540054, 1e-12);
        QNEAR(normalQuantile(1e-10), -6.361340902404056, 1e-9);
        QNEAR(chiSquaredSf(10.8276, 1), 0.001, 1e-6);
        QNEAR(studentTCdf(0.0, 7), 0.5, 1e-15);
        QNEAR(studentTCdf(1.0, 1), 0.75, 1e-12); // Cauchy: 1/2 + atan(1)/π
        QNEAR(studentTTwoSidedP(2.0, 2), 1.0 - 2.0 / std::sqrt(6.0), 1e-12);
        QNEAR(chiSquaredSf(2.0, 2), std::exp(-1.0), 1e-12);
        QNEAR(chiSquaredSf(3.0, 4), std::exp(-1.5) * 2.5, 1e-12);
        // Even df have the closed form Q(k, x) = e^(−x) Σ_{j<k} x^j/j! (evaluated to 50 digits):
        QNEAR(chiSquaredSf(150.0, 100), 9.0393204235400909e-4, 1e-15); // continued-fraction side
        QNEAR(chiSquaredSf(80.0, 100), 0.92966493334060505, 1e-13);    // series side
        QNEAR(incompleteBeta(2, 3, 0.4), 0.5248, 1e-12);
        QVERIFY(std::isnan(studentTQuantile(1.0, 5)));
        QVERIFY(std::isnan(chiSquaredSf(1.0, 0)));
    }

    void twoProportionsReferenceA()
    {
        const auto r = twoProportionZTest(kControlA, kTreatmentA);
        QVERIFY(r.ok());
        const TwoProportionTest &z = r.value();
        QNEAR(z.unpooled.difference, 0.01, 1e-12);
        QNEAR(z.pooledStandardError, 0.00433532, 5e-9);
        QNEAR(z.pooledZ, 2.306635, 5e-7);
        QNEAR(z.pooledPValue, 0.0210752, 5e-8);
        QNEAR(z.pooledZ * z.pooledZ, 5.320564, 5e-6); // = the 2×2 χ²
        QNEAR(z.unpooled.standardError, 0.00433474, 5e-9);
        QNEAR(z.unpooled.statistic, 2.306942, 5e-7);
        QNEAR(z.unpooled.pValue, 0.0210581, 5e-8);
        QNEAR(z.unpooled.lower, 0.0015041, 5e-8);
        QNEAR(z.unpooled.upper, 0.0184959, 5e-8);
        QVERIFY(std::isinf(z.unpooled.degreesOfFreedom));
        QCOMPARE(z.unpooled.interval, IntervalKind::FixedHorizon);

        // Relative lift, delta method, z.
        const auto rel = compare(momentsOf(kControlA).value(), momentsOf(kTreatmentA).value(),
                                 Options{Scale::Relative, Test::Z, 0.05});
        QVERIFY(rel.ok());
        QNEAR(rel.value().difference, 0.1, 1e-12);
        QNEAR(rel.value().standardError, 0.0454753, 5e-8);
        QNEAR(rel.value().lower, 0.0108701, 5e-8);
        QNEAR(rel.value().upper, 0.1891299, 5e-8);
        QNEAR(rel.value().pValue, 0.0278781, 5e-8);
    }

    void twoProportionsAsGrowthBookWelch()
    {
        const ArmMoments c = momentsOf(kControlA).value();
        const ArmMoments t = momentsOf(kTreatmentA).value();
        const auto abs = compare(c, t, Options{Scale::Absolute, Test::WelchT, 0.05});
        QVERIFY(abs.ok());
        QNEAR(abs.value().degreesOfFreedom, 19962.71, 5e-3);
        QNEAR(abs.value().statistic, 2.306942, 5e-7);
        QNEAR(abs.value().pValue, 0.0210683, 5e-8);
        QNEAR(abs.value().lower, 0.0015035, 5e-8);
        QNEAR(abs.value().upper, 0.0184965, 5e-8);
        const auto rel = compare(c, t, Options{Scale::Relative, Test::WelchT, 0.05});
        QVERIFY(rel.ok());
        QNEAR(rel.value().statistic, 2.198997, 5e-7);
        QNEAR(rel.value().pValue, 0.0278895, 5e-8);
        QNEAR(rel.value().lower, 0.0108647, 5e-8);
        QNEAR(rel.value().upper, 0.1891353, 5e-8);
    }

    void welchReferenceB_data()
    {
        QTest::addColumn<ArmMoments>("control");
        QTest::addColumn<ArmMoments>("treatment");
        QTest::addColumn<bool>("relative");
        QTest::addColumn<double>("difference");
        QTest::addColumn<double>("se");
        QTest::addColumn<double>("df");
        QTest::addColumn<double>("t");
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("lower");
        QTest::addColumn<double>("upper");
        const ArmMoments c1 = arm(10'000, 12.40, 45.0), t1 = arm(9'800, 13.90, 48.0);
        const ArmMoments c2 = arm(25, 100, 30), t2 = arm(30, 120, 40);
        QTest::newRow("b1 absolute") << c1 << t1 << false << 1.5 << 0.6615150 << 19657.28 << 2.267522 << 0.0233691
                                     << 0.203375 << 2.796625;
        QTest::newRow("b1 relative") << c1 << t1 << true << 0.1209677 << 0.0564261 << 19657.28 << 2.143826 << 0.0320591
                                     << 0.010368 << 0.231568;
        QTest::newRow("b2 absolute") << c2 << t2 << false << 20.0 << 9.451631 << 52.4738 << 2.116037 << 0.0391045
                                     << 1.037990 << 38.962010;
        QTest::newRow("b2 relative") << c2 << t2 << true << 0.2 << 0.1025541 << 52.4738 << 1.950191 << 0.0565046
                                     << -0.005746 << 0.405746;
    }
    void welchReferenceB()
    {
        QFETCH(ArmMoments, control);
        QFETCH(ArmMoments, treatment);
        QFETCH(bool, relative);
        QFETCH(double, difference);
        QFETCH(double, se);
        QFETCH(double, df);
        QFETCH(double, t);
        QFETCH(double, p);
        QFETCH(double, lower);
        QFETCH(double, upper);
        const auto r = compare(control, treatment, Options{relative ? Scale::Relative : Scale::Absolute});
        QVERIFY(r.ok());
        QNEAR(r.value().difference, difference, 5e-8);
        QNEAR(r.value().standardError, se, 5e-7);
        QNEAR(r.value().degreesOfFreedom, df, 5e-3);
        QNEAR(r.value().statistic, t, 5e-7);
        QNEAR(r.value().pValue, p, 5e-8);
        QNEAR(r.value().lower, lower, 5e-7);
        QNEAR(r.value().upper, upper, 5e-7);
    }

    void welchFromSums()
    {
        // b2 as per-unit sums: Σx = n·mean, Σx² = sd²(n − 1) + n·mean².
        const MeanSummary c{25, 2500, 30.0 * 30.0 * 24 + 25 * 100.0 * 100.0};
        const MeanSummary t{30, 3600, 40.0 * 40.0 * 29 + 30 * 120.0 * 120.0};
        const auto r = welchTTest(c, t);
        QVERIFY(r.ok());
        QNEAR(r.value().pValue, 0.0391045, 5e-8);
        QNEAR(r.value().degreesOfFreedom, 52.4738, 5e-5);
        // The normal approximation would have said 0.0343: the t tail matters at this size.
        QVERIFY(std::fabs(r.value().pValue - 0.0343) > 0.004);

        MeanSummary added;
        for (const std::int64_t fen : {1200, 0, 3450, 990})
            added.addMinorUnits(fen);
        const ArmMoments m = momentsOf(added).value();
        QCOMPARE(m.n, std::int64_t(4));
        QNEAR(m.mean, 1410.0, 1e-9);
        QNEAR(m.variance, (210.0 * 210 + 1410.0 * 1410 + 2040.0 * 2040 + 420.0 * 420) / 3.0, 1e-6);
    }

    void roiPerThousandExposuresReferenceD()
    {
        const ArmMoments c = momentsOf(controlD(), 1000.0).value();
        const ArmMoments t = momentsOf(treatmentD(), 1000.0).value();
        QNEAR(c.mean, 4200.000, 5e-4);
        QNEAR(t.mean, 4769.231, 5e-4);
        QNEAR(momentsOf(controlD()).value().variance, 300.48538, 5e-5);
        QNEAR(momentsOf(treatmentD()).value().variance, 341.75523, 5e-5);
        QNEAR(std::sqrt(c.variance / c.n), 173.3451, 5e-5);
        QNEAR(std::sqrt(t.variance / t.n), 184.8662, 5e-5);

        const auto abs = compareRatios(controlD(), treatmentD(), Options{}, 1000.0);
        QVERIFY(abs.ok());
        QNEAR(abs.value().difference, 569.2308, 5e-5);
        QNEAR(abs.value().standardError, 253.4247, 5e-5);
        QNEAR(abs.value().degreesOfFreedom, 19915.76, 5e-3);
        QNEAR(abs.value().statistic, 2.246154, 5e-7);
        QNEAR(abs.value().pValue, 0.0247051, 5e-8);
        QNEAR(abs.value().lower, 72.4974, 5e-5);
        QNEAR(abs.value().upper, 1065.9642, 5e-5);
        const auto z = compareRatios(controlD(), treatmentD(), Options{Scale::Absolute, Test::Z, 0.05}, 1000.0);
        QNEAR(z.value().lower, 72.5276, 5e-5);
        QNEAR(z.value().upper, 1065.9340, 5e-5);

        const auto rel = compareRatios(controlD(), treatmentD(), Options{Scale::Relative}, 1000.0);
        QVERIFY(rel.ok());
        QNEAR(rel.value().difference, 0.1355311, 5e-8);
        QNEAR(rel.value().standardError, 0.0642950, 5e-8);
        QNEAR(rel.value().pValue, 0.0350471, 5e-8);
        QNEAR(rel.value().lower, 0.0095076, 5e-8);
        QNEAR(rel.value().upper, 0.2615547, 5e-8);
    }

    void ratioAccumulatesMinorUnits()
    {
        RatioSummary s;
        s.addMinorUnits(1500, 3); // GMV − cost = 15.00 over 3 exposures
        s.addMinorUnits(-200, 1);
        s.addMinorUnits(0, 2);
        QCOMPARE(s.n, std::int64_t(3));
        QNEAR(momentsOf(s, 1000.0).value().mean, 1300.0 / 6.0 * 1000.0, 1e-9);
        QCOMPARE(momentsOf(RatioSummary{}).error().code, ErrorCode::FailedPrecondition);
        const auto noExposures = momentsOf(RatioSummary{3, 10, 100, 0, 0, 0});
        QCOMPARE(noExposures.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(momentsOf(s, 0.0).error().code, ErrorCode::InvalidArgument);
    }

    void sequentialReferenceE()
    {
        const ArmMoments c = momentsOf(kControlA).value();
        const ArmMoments t = momentsOf(kTreatmentA).value();
        const Comparison abs = compare(c, t).value();
        QNEAR((abs.upper - abs.lower) / 2.0, 0.0084965, 5e-8);
        const auto seq = sequential(abs, 20'000);
        QVERIFY(seq.ok());
        QCOMPARE(seq.value().interval, IntervalKind::Sequential);
        QNEAR((seq.value().upper - seq.value().lower) / 2.0, 0.0135552, 5e-8);
        QNEAR(seq.value().lower, -0.0035552, 5e-8);
        QNEAR(seq.value().upper, 0.0235552, 5e-8);
        QNEAR(seq.value().pValue, 0.433720, 5e-7);
        QNEAR(seq.value().difference, abs.difference, 0.0);

        const Comparison rel = compare(c, t, Options{Scale::Relative}).value();
        const auto seqRel = sequential(rel, 20'000);
        QVERIFY(seqRel.ok());
        QNEAR((seqRel.value().upper - seqRel.value().lower) / 2.0, 0.1422064, 5e-8);
        QNEAR(seqRel.value().lower, -0.0422064, 5e-8);
        QNEAR(seqRel.value().upper, 0.2422064, 5e-8);
        QNEAR(seqRel.value().pValue, 0.549038, 5e-7);

        // No effect: p is exactly 1, never NaN.
        Comparison flat = abs;
        flat.difference = 0.0;
        QCOMPARE(sequential(flat, 20'000).value().pValue, 1.0);
        QCOMPARE(sequential(abs, 1).error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(sequential(abs, 20'000, 0.05, 0.0).error().code, ErrorCode::InvalidArgument);
        Comparison noSe = abs;
        noSe.standardError = 0.0;
        QCOMPARE(sequential(noSe, 20'000).error().code, ErrorCode::InvalidArgument);
    }

    void sampleRatioMismatchReferenceC_data()
    {
        QTest::addColumn<std::vector<std::int64_t>>("observed");
        QTest::addColumn<std::vector<double>>("weights");
        QTest::addColumn<double>("chi2");
        QTest::addColumn<int>("df");
        QTest::addColumn<double>("p");
        QTest::addColumn<double>("pTolerance");
        QTest::addColumn<bool>("mismatch");
        QTest::newRow("5000:5300") << std::vector<std::int64_t>{5000, 5300} << std::vector<double>{50, 50} << 8.737864
                                   << 1 << 0.00311669 << 5e-9 << false;
        QTest::newRow("5000:5100") << std::vector<std::int64_t>{5000, 5100} << std::vector<double>{50, 50} << 0.990099
                                   << 1 << 0.319718 << 5e-7 << false;
        QTest::newRow("5000:5400") << std::vector<std::int64_t>{5000, 5400} << std::vector<double>{50, 50} << 15.384615
                                   << 1 << 8.76994e-5 << 5e-10 << true;
        QTest::newRow("3300:3350:3050") << std::vector<std::int64_t>{3300, 3350, 3050}
                                        << std::vector<double>{1.0 / 3, 1.0 / 3, 1.0 / 3} << 15.979381 << 2
                                        << 3.38939e-4 << 5e-10 << true;
    }
    void sampleRatioMismatchReferenceC()
    {
        QFETCH(std::vector<std::int64_t>, observed);
        QFETCH(std::vector<double>, weights);
        QFETCH(double, chi2);
        QFETCH(int, df);
        QFETCH(double, p);
        QFETCH(double, pTolerance);
        QFETCH(bool, mismatch);
        const auto r = sampleRatioMismatch(observed, weights);
        QVERIFY(r.ok());
        QNEAR(r.value().chiSquared, chi2, 5e-7);
        QCOMPARE(r.value().degreesOfFreedom, df);
        QNEAR(r.value().pValue, p, pTolerance);
        QCOMPARE(r.value().status, mismatch ? SrmStatus::Mismatch : SrmStatus::Healthy);
    }

    void sampleRatioMismatchEdges()
    {
        const auto few = sampleRatioMismatch({7, 8}, {1, 1});
        QVERIFY(few.ok());
        QCOMPARE(few.value().status, SrmStatus::NotEnoughTraffic);
        QCOMPARE(sampleRatioMismatch({8, 8}, {1, 1}).value().status, SrmStatus::Healthy);
        // A weight-0 variant is left out: 5000:5300 behaves as above.
        const auto skipped = sampleRatioMismatch({5000, 12, 5300}, {50, 0, 50});
        QNEAR(skipped.value().chiSquared, 8.737864, 5e-7);
        QCOMPARE(skipped.value().degreesOfFreedom, 1);
        // 90/10 split observed as 90/10 is healthy, even though 50/50 it would not be.
        QCOMPARE(sampleRatioMismatch({9000, 1000}, {90, 10}).value().status, SrmStatus::Healthy);
        QCOMPARE(sampleRatioMismatch({9000, 1000}, {50, 50}).value().status, SrmStatus::Mismatch);
        QCOMPARE(sampleRatioMismatch({1, 2}, {1}).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(sampleRatioMismatch({-1, 2}, {1, 1}).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(sampleRatioMismatch({1, 2}, {1, -1}).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(sampleRatioMismatch({100, 2}, {1, 0}).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(sampleRatioMismatch({100, 100}, {1, 1}, 0.0).error().code, ErrorCode::InvalidArgument);
    }

    void correctionsReferenceG()
    {
        const std::vector<double> p{0.001, 0.012, 0.021, 0.040, 0.300};
        const std::vector<double> holmExpected{0.005, 0.048, 0.063, 0.080, 0.300};
        const std::vector<double> bhExpected{0.005, 0.030, 0.035, 0.050, 0.300};
        const auto h = holm(p).value();
        const auto b = benjaminiHochberg(p).value();
        for (std::size_t i = 0; i < p.size(); ++i) {
            QNEAR(h[i], holmExpected[i], 1e-12);
            QNEAR(b[i], bhExpected[i], 1e-12);
        }
        // Input order is kept and adjusted values are capped at 1 and monotone.
        const auto shuffled = holm({0.3, 0.001, 0.6, 0.012}).value();
        QNEAR(shuffled[0], 0.6, 1e-12);
        QNEAR(shuffled[1], 0.004, 1e-12);
        QNEAR(shuffled[2], 0.6, 1e-12);
        QNEAR(shuffled[3], 0.036, 1e-12);
        QCOMPARE(holm({0.9, 0.8}).value(), (std::vector<double>{1.0, 1.0}));
        QCOMPARE(holm({}).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(benjaminiHochberg({0.5, 1.5}).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(holm({std::nan("")}).error().code, ErrorCode::InvalidArgument);
    }

    void edgeCasesGiveErrorsNotNaN()
    {
        // Zero exposures.
        const auto empty = twoProportionZTest(ProportionSummary{0, 0}, kTreatmentA);
        QVERIFY(!empty.ok());
        QCOMPARE(empty.error().code, ErrorCode::FailedPrecondition);
        QCOMPARE(welchTTest(MeanSummary{}, MeanSummary{}).error().code, ErrorCode::FailedPrecondition);
        // One unit per arm: no variance estimate, no df.
        QCOMPARE(welchTTest(MeanSummary{1, 5, 25}, MeanSummary{1, 6, 36}).error().code, ErrorCode::FailedPrecondition);
        // Zero variance in both arms (nobody converts anywhere).
        const auto flat = twoProportionZTest(ProportionSummary{100, 0}, ProportionSummary{100, 0});
        QCOMPARE(flat.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(flat.error().message.find("zero variance") != std::string::npos);
        // Zero variance in one arm only is a defined test (df = n_T − 1).
        const auto oneSided = compare(ArmMoments{50, 0.0, 0.0}, ArmMoments{40, 0.1, 0.09});
        QVERIFY(oneSided.ok());
        QNEAR(oneSided.value().degreesOfFreedom, 39.0, 1e-9);
        // Identical arms: a defined null result.
        const auto same = twoProportionZTest(kControlA, kControlA);
        QVERIFY(same.ok());
        QCOMPARE(same.value().unpooled.difference, 0.0);
        QCOMPARE(same.value().unpooled.pValue, 1.0);
        QCOMPARE(same.value().pooledPValue, 1.0);
        QNEAR(same.value().unpooled.lower, -same.value().unpooled.upper, 1e-15);
        // A relative lift over a zero control mean.
        const auto zeroControl = compare(ArmMoments{50, 0.0, 1.0}, ArmMoments{50, 1.0, 1.0}, Options{Scale::Relative});
        QCOMPARE(zeroControl.error().code, ErrorCode::FailedPrecondition);
        // Impossible input.
        QCOMPARE(twoProportionZTest(ProportionSummary{10, 11}, kTreatmentA).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(twoProportionZTest(ProportionSummary{-1, 0}, kTreatmentA).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(compare(arm(10, 1, 1), arm(10, 2, 1), Options{Scale::Absolute, Test::WelchT, 1.0}).error().code,
                 ErrorCode::InvalidArgument);
        QCOMPARE(compare(arm(10, 1, 1), ArmMoments{10, std::nan(""), 1}).error().code, ErrorCode::InvalidArgument);
        QCOMPARE(compare(arm(10, 1, 1), ArmMoments{10, 1, -1}).error().code, ErrorCode::InvalidArgument);
    }

    void widerAlphaNarrowsTheInterval()
    {
        const auto a95 = compare(arm(1000, 10, 5), arm(1000, 10.5, 5)).value();
        const auto a90 =
            compare(arm(1000, 10, 5), arm(1000, 10.5, 5), Options{Scale::Absolute, Test::WelchT, 0.10}).value();
        QVERIFY(a90.upper - a90.lower < a95.upper - a95.lower);
        QCOMPARE(a90.pValue, a95.pValue);
        // "Interval excludes 0" agrees with "p < α".
        QCOMPARE(a95.lower > 0.0, a95.pValue < 0.05);
    }
};

QTEST_GUILESS_MAIN(TestExperimentStatistics)
#include "tst_experimentstatistics.moc"
