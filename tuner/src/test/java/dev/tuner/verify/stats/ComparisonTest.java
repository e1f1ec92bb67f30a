package dev.tuner.verify.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static final Thresholds T = Thresholds.DEFAULT;

    @Test
    void aClearThroughputGainIsAnImprovement() {
        double[] before = {1000, 1012, 995, 1004, 990};
        double[] after = {1200, 1195, 1210, 1188, 1206};
        Comparison c = Comparison.of(before, after, Better.HIGHER, T);
        assertThat(c.verdict()).isEqualTo(Verdict.IMPROVED);
        // The median of the 25 after/before ratios: 1200 / 1000 is among them, with 12 on either side.
        assertThat(c.ratio()).isCloseTo(1200.0 / 1000.0, within(0.002));
        assertThat(c.ciLow()).isGreaterThan(1.05);
        assertThat(c.ciHigh()).isGreaterThanOrEqualTo(c.ciLow());
        // 5 against 5, fully separated: the exact two-sided p is 2 / C(10,5) = 2/252.
        assertThat(c.pValue()).isCloseTo(2.0 / 252, within(1e-12));
    }

    @Test
    void aClearThroughputLossIsARegression() {
        double[] before = {1000, 1012, 995, 1004, 990};
        double[] after = {850, 861, 842, 855, 849};
        assertThat(Comparison.of(before, after, Better.HIGHER, T).verdict()).isEqualTo(Verdict.REGRESSED);
    }

    @Test
    void forLatencyLowerIsBetter() {
        double[] before = {52.1, 50.3, 51.7, 53.0, 50.9};
        double[] after = {40.2, 41.0, 39.8, 40.7, 41.5};
        assertThat(Comparison.of(before, after, Better.LOWER, T).verdict()).isEqualTo(Verdict.IMPROVED);
        assertThat(Comparison.of(after, before, Better.LOWER, T).verdict()).isEqualTo(Verdict.REGRESSED);
    }

    @Test
    void aaNoiseAlmostNeverGetsAVerdict() {
        // 500 A/A comparisons of 5 runs a side with 3% noise: both sides from the same distribution.
        Random rnd = new Random(7);
        int falseVerdicts = 0;
        for (int trial = 0; trial < 500; trial++) {
            double[] a = new double[5], b = new double[5];
            for (int i = 0; i < 5; i++) {
                a[i] = 1000 * (1 + 0.03 * rnd.nextGaussian());
                b[i] = 1000 * (1 + 0.03 * rnd.nextGaussian());
            }
            if (Comparison.of(a, b, Better.HIGHER, T).verdict() != Verdict.NO_SIGNIFICANT_CHANGE) falseVerdicts++;
        }
        assertThat(falseVerdicts).isLessThan(5); // under 1%
    }

    @Test
    void aDriftSmallerThanTheThresholdIsNotAVerdictEvenWhenSignificant() {
        // A steady 3% shift with tiny noise: real, significant, but below the 5% threshold.
        double[] before = {1000, 1001, 999, 1000.5, 999.5};
        double[] after = {1030, 1031, 1029, 1030.5, 1029.5};
        Comparison c = Comparison.of(before, after, Better.HIGHER, T);
        assertThat(c.pValue()).isLessThan(0.05);
        assertThat(c.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
        assertThat(c.note()).contains("probably better by +3.0%");
        assertThat(Comparison.of(before, after, Better.HIGHER, T.withMinEffect(0.02)).verdict()).isEqualTo(Verdict.IMPROVED);
    }

    @Test
    void threeRunsASideNeverGiveAVerdictBecauseTheRankTestCannotReachFivePercent() {
        double[] before = {100, 101, 102};
        double[] after = {200, 201, 202};
        Comparison c = Comparison.of(before, after, Better.HIGHER, T);
        assertThat(c.pValue()).isCloseTo(0.1, within(1e-12));
        assertThat(c.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
        assertThat(c.note()).isEqualTo("with 3 runs before and 3 after the rank test cannot go below p = 0.100,"
                + " so no verdict is possible at alpha 0.05: make at least 4 runs a side");
    }

    @Test
    void tiedFiguresGetTheExactPValueOfTheirSplits() {
        // 3 against 3, fully separated: 2 of the 20 splits are this extreme, whatever the ties.
        Comparison c = Comparison.of(new double[] {100, 100, 101}, new double[] {200, 201, 202}, Better.HIGHER, T);
        assertThat(c.pValue()).isCloseTo(0.1, within(1e-12));
        // Ties across the sides: of the C(4,2) = 6 splits of {1, 1, 1, 2}, half put the 2 on the first side (U = 3),
        // half on the second (U = 1, as here): each tail holds half, p = 1.
        assertThat(RankTest.pValue(new double[] {1, 1}, new double[] {1, 2})).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void aRealSlowdownIsReportedOnANoisyDay() {
        // Runs spread by ±5% (MAD/median 0.05), after ~13% slower: clearly beyond the 5% threshold.
        // A threshold raised to twice the spread (13%) used to call this "no significant change".
        double[] before = {900, 1000, 1100, 950, 1050, 1000, 920, 1080};
        double[] after = {800, 880, 930, 850, 900, 870, 820, 910};
        Comparison c = Comparison.of(before, after, Better.HIGHER, T);
        assertThat(c.verdict()).as(c.toString()).isEqualTo(Verdict.REGRESSED);
        assertThat(c.ciHigh()).isLessThan(0.95);
    }

    @Test
    void theIntervalSaysHowSureItIsWhenTheSampleIsTooSmallForTheConfidenceAsked() {
        // 3 a side: no interval can reach 95%; the whole range of ratios holds with 1 - 2/20 = 90%.
        HodgesLehmann.Estimate three = HodgesLehmann.ratio(new double[] {10, 11, 12}, new double[] {20, 21, 22}, 0.95);
        assertThat(three.interval().low()).isCloseTo(20.0 / 12, within(1e-12));
        assertThat(three.interval().high()).isCloseTo(22.0 / 10, within(1e-12));
        assertThat(three.achievedConfidence()).isCloseTo(0.9, within(1e-12));
        // 5 a side: the 3rd smallest to the 3rd largest of 25 ratios, 1 - 2 * P(U <= 2) = 1 - 8/252.
        HodgesLehmann.Estimate five = HodgesLehmann.ratio(new double[] {1, 2, 3, 4, 5}, new double[] {6, 7, 8, 9, 10}, 0.95);
        assertThat(five.achievedConfidence()).isCloseTo(1 - 8.0 / 252, within(1e-12));
        assertThat(HodgesLehmann.ratio(new double[] {0, 1}, new double[] {1, 2}, 0.95)).as("no ratio of a zero figure").isNull();
    }

    @Test
    void oneSampleASideIsNotMeasured() {
        Comparison c = Comparison.of(new double[] {1}, new double[] {2}, Better.HIGHER, T);
        assertThat(c.verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(c.note()).contains("too few samples");
    }

    @Test
    void aFigureOfZeroIsNotMeasuredAsARatio() {
        Comparison c = Comparison.of(new double[] {0, 1, 2, 3}, new double[] {1, 2, 3, 4}, Better.HIGHER, T);
        assertThat(c.verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(c.note()).isEqualTo("a ratio needs figures above 0, and some are not");
    }
}
