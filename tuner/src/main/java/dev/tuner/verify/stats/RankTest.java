package dev.tuner.verify.stats;

import java.util.Arrays;
import org.apache.commons.math3.special.Erf;

/**
 * Two-sided Mann–Whitney U test (the Wilcoxon rank-sum test): do the before and after samples
 * come from the same distribution? A rank test, so one wild sample cannot carry the result, and
 * no normality is assumed. Tied values get the mean of their ranks and count half for each side.
 *
 * <p>With fewer than {@value #EXACT_LIMIT} samples a side — every benchmark run this tool makes —
 * the p-value is exact: the permutation distribution of U over all C(m+n, m) ways to split the
 * pooled figures into a before and an after side, with the ties the figures have. Benchmark
 * figures are often rounded (whole microseconds, whole IOPS), so ties are common, and a normal
 * approximation is badly wrong at these sizes: for {100, 100, 101} against {200, 201, 202} it says
 * p = 0.0495 (0.077 with continuity correction), while no split of 3 and 3 can give less than 0.1.
 * The two-sided p is twice the smaller tail, capped at 1 (as R's {@code wilcox.test} and scipy's
 * {@code mannwhitneyu} and {@code permutation_test} define it).
 *
 * <p>From {@value #EXACT_LIMIT} samples a side the normal approximation with tie and continuity
 * corrections is used, as R's {@code wilcox.test(correct = TRUE)} and scipy's
 * {@code mannwhitneyu(method="asymptotic", use_continuity=True)} compute it.
 */
public final class RankTest {
    /** Sides at least this large use the normal approximation (R's wilcox.test draws the line at the same place). */
    public static final int EXACT_LIMIT = 50;

    private RankTest() {}

    /**
     * @param u      the U statistic of {@code a}: pairs with the a value above the b value, ties counting one half
     * @param exact  whether p comes from the exact permutation distribution (else the normal approximation)
     */
    public record Result(double u, double pValue, boolean exact) {}

    public static double pValue(double[] a, double[] b) {
        return test(a, b).pValue();
    }

    public static Result test(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) return new Result(Double.NaN, Double.NaN, false);
        long twiceU = twiceU(a, b);
        int[] ties = tieSizes(a, b);
        if (a.length < EXACT_LIMIT && b.length < EXACT_LIMIT) {
            double[] dist = nullDistribution(ties, a.length, b.length);
            double lower = 0, upper = 0;
            for (int s = 0; s < dist.length; s++) {
                if (s <= twiceU) lower += dist[s];
                if (s >= twiceU) upper += dist[s];
            }
            return new Result(twiceU / 2.0, Math.min(1.0, 2 * Math.min(lower, upper)), true);
        }
        return new Result(twiceU / 2.0, normalApproximation(twiceU / 2.0, a.length, b.length, ties), false);
    }

    /** Two-sided p of U from the normal approximation with tie and continuity corrections. */
    static double normalApproximation(double u, int m, int n, int[] ties) {
        double sigma = sigma(m, n, ties);
        // Every figure the same: no split differs from another, nothing speaks against the null.
        if (sigma == 0) return 1.0;
        double z = (Math.abs(u - m * (double) n / 2) - 0.5) / sigma;
        return Math.min(1.0, upperNormalTail(z) * 2);
    }

    /** Standard deviation of U under the null, corrected for ties. */
    static double sigma(int m, int n, int[] ties) {
        int total = m + n;
        double tieTerm = 0;
        for (int t : ties) tieTerm += (double) t * t * t - t;
        double variance = m * (double) n / 12 * ((total + 1) - tieTerm / (total * (total - 1.0)));
        return Math.sqrt(Math.max(0, variance));
    }

    /** P(Z > z) for a standard normal Z, accurate far into the tail. */
    static double upperNormalTail(double z) {
        return Erf.erfc(z / Math.sqrt(2)) / 2;
    }

    /** 2U of {@code a}: 2 for each pair with the a value above the b value, 1 for each tie. Whole, so sums and comparisons are exact. */
    static long twiceU(double[] a, double[] b) {
        long u = 0;
        for (double x : a) {
            for (double y : b) {
                if (x > y) u += 2;
                else if (x == y) u += 1;
            }
        }
        return u;
    }

    /** Sizes of the groups of equal values in the pooled sample, in ascending order of value. */
    static int[] tieSizes(double[] a, double[] b) {
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        int[] sizes = new int[all.length];
        int groups = 0;
        for (int i = 0; i < all.length; ) {
            int j = i;
            while (j < all.length && all[j] == all[i]) j++;
            sizes[groups++] = j - i;
            i = j;
        }
        return Arrays.copyOf(sizes, groups);
    }

    /** P(U = u) for u = 0..mn, without ties. */
    static double[] distribution(int m, int n) {
        int[] ones = new int[m + n];
        Arrays.fill(ones, 1);
        double[] twice = nullDistribution(ones, m, n);
        double[] out = new double[m * n + 1];
        for (int u = 0; u < out.length; u++) out[u] = twice[2 * u];
        return out;
    }

    /**
     * The exact null distribution of 2U for {@code m} values on the a side and {@code n} on the b
     * side, given the sizes of the tie groups in ascending order: element s is P(2U = s) when
     * every split is equally likely.
     *
     * <p>Built group by group, from the lowest values up. Putting x values of a group of t on the
     * a side, after i a values and j b values below it, adds x·2j (each beats every lower b) plus
     * x·(t − x) (each ties with the group's b values) to 2U, in C(t, x) ways. The state is (i, 2U
     * so far); j follows from i and the groups done.
     */
    static double[] nullDistribution(int[] ties, int m, int n) {
        int width = 2 * m * n + 1;
        double[][] binomial = pascal(Arrays.stream(ties).max().orElse(0));
        // ways[i * width + s]: the number of ways to have i a values so far with 2U = s so far.
        double[] ways = new double[(m + 1) * width];
        double[] next = new double[(m + 1) * width];
        ways[0] = 1;
        int done = 0;
        for (int t : ties) {
            Arrays.fill(next, 0);
            for (int i = Math.max(0, done - n); i <= Math.min(m, done); i++) {
                int j = done - i;
                // So far each of the i a values beat at most the j b values: 2U is at most 2ij.
                int reached = 2 * i * j;
                for (int x = Math.max(0, t - (n - j)); x <= Math.min(t, m - i); x++) {
                    int add = x * (2 * j + t - x);
                    double c = binomial[t][x];
                    int from = i * width, to = (i + x) * width + add;
                    for (int s = 0; s <= reached; s++) {
                        double w = ways[from + s];
                        if (w != 0) next[to + s] += w * c;
                    }
                }
            }
            double[] swap = ways;
            ways = next;
            next = swap;
            done += t;
        }
        double[] out = Arrays.copyOfRange(ways, m * width, (m + 1) * width);
        double total = 0;
        for (double w : out) total += w;
        for (int s = 0; s < out.length; s++) out[s] /= total;
        return out;
    }

    private static double[][] pascal(int n) {
        double[][] c = new double[n + 1][];
        for (int i = 0; i <= n; i++) {
            c[i] = new double[i + 1];
            c[i][0] = c[i][i] = 1;
            for (int k = 1; k < i; k++) c[i][k] = c[i - 1][k - 1] + c[i - 1][k];
        }
        return c;
    }

    /** The smallest two-sided p any split of m and n distinct values can give: both extremes, 2 / C(m+n, m). */
    public static double smallestPossibleP(int m, int n) {
        double c = 1;
        for (int k = 1; k <= Math.min(m, n); k++) c = c * (m + n - Math.min(m, n) + k) / k;
        return Math.min(1.0, 2 / c);
    }
}
