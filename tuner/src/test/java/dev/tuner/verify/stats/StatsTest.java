package dev.tuner.verify.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.stat.inference.MannWhitneyUTest;
import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianMadAndIqrMatchHandComputedValues() {
        double[] x = {1, 2, 3, 4, 100};
        assertThat(Stats.median(x)).isEqualTo(3);
        assertThat(Stats.mad(x)).isEqualTo(1); // deviations 2,1,0,1,97
        assertThat(Stats.iqr(x)).isEqualTo(2); // Q1 = 2, Q3 = 4 (type 7)
        assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    }

    @Test
    void exactRankTestAgreesWithTheTextbookTable() {
        // 4 against 4 fully separated: 2 / C(8,4) = 2/70.
        assertThat(RankTest.pValue(new double[] {1, 2, 3, 4}, new double[] {5, 6, 7, 8})).isCloseTo(2.0 / 70, within(1e-12));
        // Counts of U sum to C(m+n, m).
        double sum = 0;
        for (double c : RankTest.distribution(5, 7)) sum += c;
        assertThat(sum).isEqualTo(792);
    }

    @Test
    void tiedSamplesFallBackToTheNormalApproximation() {
        double[] a = {1, 2, 2, 3, 4};
        double[] b = {2, 5, 6, 7, 8};
        assertThat(RankTest.pValue(a, b)).isEqualTo(new MannWhitneyUTest().mannWhitneyUTest(a, b));
    }
}
