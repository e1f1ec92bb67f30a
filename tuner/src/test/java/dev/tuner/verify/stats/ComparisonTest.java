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
        assertThat(c.ratio()).isCloseTo(1200.0 / 1000.0, within(1e-9));
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
        assertThat(c.note()).contains("fewer than 4 runs");
    }

    @Test
    void oneSampleASideIsNotMeasured() {
        Comparison c = Comparison.of(new double[] {1}, new double[] {2}, Better.HIGHER, T);
        assertThat(c.verdict()).isEqualTo(Verdict.NOT_MEASURED);
        assertThat(c.note()).contains("too few samples");
    }

    @Test
    void theBootstrapIntervalIsReproducible() {
        double[] before = {10, 11, 9, 10.5, 12, 9.5};
        double[] after = {12, 13, 11, 12.5, 14, 11.5};
        Interval x = Bootstrap.ratioOfMedians(before, after, 0.95, 2000, 1);
        Interval y = Bootstrap.ratioOfMedians(before, after, 0.95, 2000, 1);
        assertThat(x).isEqualTo(y);
        assertThat(x.contains(12.25 / 10.25)).isTrue();
    }
}
