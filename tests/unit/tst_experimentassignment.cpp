#include "domain/experiments/Assignment.h"
#include "domain/experiments/Distributions.h"

#include <QTest>

#include <array>
#include <cmath>
#include <map>
#include <string>

using namespace flywheel::experiments;
using flywheel::ErrorCode;

namespace {

Design twoWay(std::string salt, std::int32_t controlBp = 5000, std::int32_t trafficBp = 10000)
{
    return Design{std::move(salt), trafficBp, {{"control", controlBp}, {"treatment", 10000 - controlBp}}};
}

std::string uidOf(int i)
{
    return "u" + std::to_string(i);
}

/// Index of the variant `uid` lands in, or -1 when outside the experiment.
int variantOf(const Design &design, const std::string &uid)
{
    const auto a = assign(design, uid);
    if (!a.ok())
        qFatal("assign failed: %s", a.error().message.c_str());
    return a.value().variant ? static_cast<int>(*a.value().variant) : -1;
}

} // namespace

class TestExperimentAssignment final : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void fnvMatchesPublishedVectors()
    {
        // The FNV-1a reference values (Fowler/Noll/Vo test suite).
        QCOMPARE(fnv1a32(""), 0x811c9dc5u);
        QCOMPARE(fnv1a32("a"), 0xe40c292cu);
        QCOMPARE(fnv1a32("foobar"), 0xbf9cf968u);
    }

    void bucketsMatchGrowthBookHashV2()
    {
        // GrowthBook sdk-js test/cases.json "hash" vectors (v2, value / 10,000).
        QCOMPARE(bucketOf("seed", "a"), 505);  // 0.0505
        QCOMPARE(bucketOf("foo", "ab"), 2575); // 0.2575
        // The research note's Flywheel examples (bucket / 100, computed independently).
        QCOMPARE(bucketOf("invite-copy-2026", "u1") / 100, 71);
        QCOMPARE(bucketOf("invite-copy-2026", "u123") / 100, 40);
        QCOMPARE(bucketOf("first-order-subsidy-v1", "u1") / 100, 51);
        QCOMPARE(bucketOf("first-order-subsidy-v1", "u123") / 100, 5);
        QCOMPARE(bucketOf("invite-copy-2026", "u1"), 7173);
        QCOMPARE(bucketOf("first-order-subsidy-v1", "u123"), 597);
    }

    void assignmentIsDeterministic()
    {
        const Design design = twoWay("invite-copy-2026", 3000);
        for (int i = 0; i < 1000; ++i) {
            const auto a = assign(design, uidOf(i));
            const auto b = assign(design, uidOf(i));
            QVERIFY(a.ok() && b.ok());
            QCOMPARE(a.value().bucket, b.value().bucket);
            QCOMPARE(a.value().variant, b.value().variant);
            QVERIFY(a.value().isNew);
        }
        // u1 is in bucket 7173: past the control's [0, 3000), inside the treatment's [3000, 10000).
        QCOMPARE(variantOf(design, "u1"), 1);
    }

    void splitFollowsTheWeights()
    {
        const Design design{"split-check", 10000, {{"a", 2000}, {"b", 3000}, {"c", 5000}}};
        constexpr int kUsers = 100'000;
        std::array<double, 3> counts{};
        for (int i = 0; i < kUsers; ++i)
            ++counts[static_cast<std::size_t>(variantOf(design, uidOf(i)))];
        const std::array<double, 3> shares{0.2, 0.3, 0.5};
        double chi2 = 0.0;
        for (std::size_t i = 0; i < 3; ++i) {
            const double expected = shares[i] * kUsers;
            chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
        }
        // Fixed uids and salt, so this is deterministic; a biased hash would give p ≈ 0.
        const double p = chiSquaredSf(chi2, 2);
        QVERIFY2(p > 0.001, qPrintable(QStringLiteral("chi2 %1, p %2").arg(chi2).arg(p)));
    }

    void bucketsAreUniform()
    {
        std::array<double, 100> counts{};
        constexpr int kUsers = 100'000;
        for (int i = 0; i < kUsers; ++i)
            ++counts[static_cast<std::size_t>(bucketOf("uniformity", uidOf(i)) / 100)];
        double chi2 = 0.0;
        for (const double c : counts)
            chi2 += (c - kUsers / 100.0) * (c - kUsers / 100.0) / (kUsers / 100.0);
        const double p = chiSquaredSf(chi2, 99);
        QVERIFY2(p > 0.001, qPrintable(QStringLiteral("chi2 %1, p %2").arg(chi2).arg(p)));
    }

    void trafficShareKeepsTheRestOut()
    {
        const Design design = twoWay("traffic", 5000, 3000);
        const std::vector<BucketRange> ranges = bucketRanges(design);
        QCOMPARE(ranges.size(), std::size_t(2));
        QCOMPARE(ranges[0].begin, 0);
        QCOMPARE(ranges[0].end, 1500);
        QCOMPARE(ranges[1].begin, 5000);
        QCOMPARE(ranges[1].end, 6500);
        constexpr int kUsers = 100'000;
        int inside = 0;
        for (int i = 0; i < kUsers; ++i) {
            const auto a = assign(design, uidOf(i));
            QVERIFY(a.ok());
            const bool inRange = (a.value().bucket < 1500) || (a.value().bucket >= 5000 && a.value().bucket < 6500);
            QCOMPARE(a.value().variant.has_value(), inRange);
            QCOMPARE(a.value().isNew, inRange);
            inside += inRange ? 1 : 0;
        }
        const double expected = 0.3 * kUsers;
        const double chi2 =
            (inside - expected) * (inside - expected) / expected +
            (kUsers - inside - (kUsers - expected)) * (kUsers - inside - (kUsers - expected)) / (kUsers - expected);
        QVERIFY2(chiSquaredSf(chi2, 1) > 0.001, qPrintable(QString::number(inside)));
    }

    void growingTrafficKeepsIncludedUsers()
    {
        const Design small = twoWay("grow", 5000, 2000);
        const Design large = twoWay("grow", 5000, 8000);
        int included = 0;
        for (int i = 0; i < 20'000; ++i) {
            const int before = variantOf(small, uidOf(i));
            if (before < 0)
                continue;
            ++included;
            QCOMPARE(variantOf(large, uidOf(i)), before);
        }
        QVERIFY(included > 3000);
    }

    void experimentsAreIndependent()
    {
        const Design first = twoWay("invite-copy-2026");
        const Design second = twoWay("first-order-subsidy-v1");
        constexpr int kUsers = 100'000;
        double table[2][2] = {{0, 0}, {0, 0}};
        for (int i = 0; i < kUsers; ++i)
            ++table[variantOf(first, uidOf(i))][variantOf(second, uidOf(i))];
        double chi2 = 0.0;
        for (int r = 0; r < 2; ++r) {
            for (int c = 0; c < 2; ++c) {
                const double expected = (table[r][0] + table[r][1]) * (table[0][c] + table[1][c]) / kUsers;
                chi2 += (table[r][c] - expected) * (table[r][c] - expected) / expected;
            }
        }
        // Under independence p is uniform; a salt appended after the uid (hash v1) fails this.
        const double p = chiSquaredSf(chi2, 1);
        QVERIFY2(p > 0.001, qPrintable(QStringLiteral("chi2 %1, p %2").arg(chi2).arg(p)));
        // The research note's check of u0..u99999 under these two salts: χ² = 0.37, p = 0.54.
        QVERIFY2(std::fabs(chi2 - 0.3676) < 0.0001, qPrintable(QString::number(chi2)));
        QVERIFY(std::fabs(p - 0.54) < 0.005);
    }

    void weightChangeMovesNobodyAlreadyAssigned()
    {
        const Design before = twoWay("sticky", 5000);
        const Design after = twoWay("sticky", 1000);
        QVERIFY(!validateChange(before, after).has_value());

        std::map<std::string, std::string> stored;
        for (int i = 0; i < 10'000; ++i) {
            const auto a = assign(before, uidOf(i));
            QVERIFY(a.ok() && a.value().isNew);
            stored[uidOf(i)] = before.variants[*a.value().variant].key;
        }
        int wouldHaveMoved = 0;
        for (const auto &[uid, key] : stored) {
            const auto kept = assign(after, uid, key);
            QVERIFY(kept.ok());
            QCOMPARE(after.variants[*kept.value().variant].key, key);
            QVERIFY(!kept.value().isNew);
            wouldHaveMoved += variantOf(after, uid) != variantOf(before, uid) ? 1 : 0;
        }
        // Without the stored key about 40 % would have switched: the stored key is what holds them.
        QVERIFY(wouldHaveMoved > 3000);

        // New users are placed by the new weights: 10 % control.
        int control = 0;
        constexpr int kNew = 50'000;
        for (int i = 10'000; i < 10'000 + kNew; ++i)
            control += variantOf(after, uidOf(i)) == 0 ? 1 : 0;
        const double share = static_cast<double>(control) / kNew;
        QVERIFY2(share > 0.09 && share < 0.11, qPrintable(QString::number(share)));
    }

    void assignerMatchesTheOneOffForm()
    {
        const auto bad = Assigner::create(Design{"salt", 10000, {{"a", 5000}}});
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().code, ErrorCode::InvalidArgument);

        const Design design = twoWay("assigner", 4000, 6000);
        const auto assigner = Assigner::create(design);
        QVERIFY(assigner.ok());
        QCOMPARE(assigner.value().ranges().size(), std::size_t(2));
        QCOMPARE(assigner.value().ranges()[1].begin, 4000);
        QCOMPARE(assigner.value().ranges()[1].end, 7600);
        for (int i = 0; i < 5000; ++i) {
            const auto viaAssigner = assigner.value().assign(uidOf(i));
            const auto oneOff = assign(design, uidOf(i));
            QVERIFY(viaAssigner.ok() && oneOff.ok());
            QCOMPARE(viaAssigner.value().variant, oneOff.value().variant);
            QCOMPARE(viaAssigner.value().bucket, oneOff.value().bucket);
            QCOMPARE(viaAssigner.value().isNew, oneOff.value().isNew);
        }
        const std::string stored = "control";
        const auto kept = assigner.value().assign("u1", std::string_view(stored));
        QVERIFY(kept.ok());
        QCOMPARE(*kept.value().variant, std::size_t(0));
        QVERIFY(!kept.value().isNew);
        QCOMPARE(assigner.value().assign("").error().code, ErrorCode::InvalidArgument);
    }

    void storedKeyMustBeAVariant()
    {
        const auto a = assign(twoWay("s"), "u1", std::string("gone"));
        QVERIFY(!a.ok());
        QCOMPARE(a.error().code, ErrorCode::FailedPrecondition);
        QVERIFY(a.error().message.find("\"gone\"") != std::string::npos);
    }

    void invalidDesignsAreRefused_data()
    {
        QTest::addColumn<int>("which");
        QTest::addColumn<QString>("message");
        QTest::newRow("empty salt") << 0 << "salt must not be empty";
        QTest::newRow("traffic 0") << 1 << "traffic share must be from 1 to 10000 basis points, not 0";
        QTest::newRow("traffic too big") << 2 << "traffic share must be from 1 to 10000 basis points, not 10001";
        QTest::newRow("no variants") << 3
                                     << "an experiment needs at least two variants (a control and a treatment), not 0";
        QTest::newRow("duplicate key") << 4 << "variant key \"a\" appears more than once";
        QTest::newRow("negative weight") << 5 << "variant \"b\" has a negative weight (-100 basis points)";
        QTest::newRow("weights short") << 6 << "variant weights must total 10000 basis points, not 9999";
        QTest::newRow("empty key") << 7 << "variant 2 has an empty key";
    }
    void invalidDesignsAreRefused()
    {
        QFETCH(int, which);
        QFETCH(QString, message);
        Design d = twoWay("salt");
        switch (which) {
        case 0:
            d.salt.clear();
            break;
        case 1:
            d.trafficBp = 0;
            break;
        case 2:
            d.trafficBp = 10001;
            break;
        case 3:
            d.variants.clear();
            break;
        case 4:
            d.variants = {{"a", 5000}, {"a", 5000}};
            break;
        case 5:
            d.variants = {{"a", 10100}, {"b", -100}};
            break;
        case 6:
            d.variants = {{"a", 5000}, {"b", 4999}};
            break;
        case 7:
            d.variants = {{"a", 5000}, {"", 5000}};
            break;
        default:
            QFAIL("unknown case");
        }
        const auto e = validate(d);
        QVERIFY(e.has_value());
        QCOMPARE(e->code, ErrorCode::InvalidArgument);
        QCOMPARE(QString::fromStdString(e->message), message);
        const auto a = assign(d, "u1");
        QVERIFY(!a.ok());
        QCOMPARE(QString::fromStdString(a.error().message), message);
    }

    void emptyUidIsRefused()
    {
        const auto a = assign(twoWay("s"), "");
        QVERIFY(!a.ok());
        QCOMPARE(a.error().code, ErrorCode::InvalidArgument);
    }

    void zeroWeightVariantTakesNoNewUsers()
    {
        const Design d{"zero", 10000, {{"a", 0}, {"b", 10000}}};
        QVERIFY(!validate(d).has_value());
        for (int i = 0; i < 2000; ++i)
            QCOMPARE(variantOf(d, uidOf(i)), 1);
        const auto kept = assign(d, "u1", std::string("a"));
        QVERIFY(kept.ok());
        QCOMPARE(*kept.value().variant, std::size_t(0));
    }

    void runningChangesKeepSaltAndVariants()
    {
        const Design running = twoWay("salt");
        const auto salt = validateChange(running, twoWay("other"));
        QVERIFY(salt.has_value());
        QCOMPARE(salt->code, ErrorCode::FailedPrecondition);
        Design dropped = running;
        dropped.variants = {{"control", 10000}, {"new", 0}};
        const auto removed = validateChange(running, dropped);
        QVERIFY(removed.has_value());
        QVERIFY(removed->message.find("\"treatment\" cannot be removed") != std::string::npos);
        Design added = running;
        added.variants.push_back({"third", 0});
        added.variants[0].weightBp = 4000;
        added.variants[2].weightBp = 1000;
        QVERIFY(!validateChange(running, added).has_value());
        Design broken = running;
        broken.trafficBp = 0;
        QCOMPARE(validateChange(running, broken)->code, ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestExperimentAssignment)
#include "tst_experimentassignment.moc"
