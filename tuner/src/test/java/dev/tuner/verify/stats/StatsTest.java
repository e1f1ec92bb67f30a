package dev.tuner.verify.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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
        // Each of the C(5+7, 5) = 792 splits is equally likely; U = 0 is one of them.
        double sum = 0;
        for (double c : RankTest.distribution(5, 7)) sum += c;
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        assertThat(RankTest.distribution(5, 7)[0]).isCloseTo(1.0 / 792, within(1e-15));
    }

    @Test
    void theNullDistributionWithTiesSumsToOneAndIsSymmetricForEqualSides() {
        int[] ties = {2, 1, 3, 1, 1}; // 8 values, 4 a side
        double[] d = RankTest.nullDistribution(ties, 4, 4);
        double sum = 0;
        for (double p : d) sum += p;
        assertThat(sum).isCloseTo(1.0, within(1e-12));
        // Swapping the sides maps 2U to 2mn - 2U with the same tie pattern mirrored; equal sides and a
        // palindromic pattern make the distribution symmetric.
        double[] s = RankTest.nullDistribution(new int[] {2, 1, 2, 1, 2}, 4, 4);
        for (int i = 0; i < s.length; i++) assertThat(s[i]).isCloseTo(s[s.length - 1 - i], within(1e-15));
    }

    @Test
    void theNullDistributionWithTiesHasTheTextbookMeanAndVariance() {
        // Sizes beyond what scipy can enumerate: U has mean mn/2 and variance
        // mn/12 * (N + 1 - sum(t^3 - t) / (N (N - 1))) whatever the tie pattern (Lehmann, Nonparametrics, 1975).
        int m = 20, n = 27;
        int[] ties = {3, 1, 5, 2, 2, 1, 7, 4, 1, 1, 6, 2, 3, 1, 8};
        int total = java.util.Arrays.stream(ties).sum();
        assertThat(total).isEqualTo(m + n);
        double[] d = RankTest.nullDistribution(ties, m, n);
        double mean = 0, square = 0;
        for (int twiceU = 0; twiceU < d.length; twiceU++) {
            mean += d[twiceU] * twiceU / 2.0;
            square += d[twiceU] * (twiceU / 2.0) * (twiceU / 2.0);
        }
        double tieTerm = 0;
        for (int t : ties) tieTerm += t * t * t - t;
        assertThat(mean).isCloseTo(m * n / 2.0, within(1e-9));
        assertThat(square - mean * mean).isCloseTo(m * n / 12.0 * (total + 1 - tieTerm / (total * (total - 1.0))), within(1e-7));
    }
}
