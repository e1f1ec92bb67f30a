package dev.tuner.verify.stats;

import java.util.Arrays;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * Two-sided Mann–Whitney U test: do the before and after samples come from the same distribution?
 * A rank test, so one wild sample cannot carry the result, and no normality is assumed.
 *
 * <p>With the few runs benchmarks afford (5 a side is typical), the normal approximation that
 * commons-math3 uses is too optimistic: for 3 against 3 it gives p = 0.0495 when the exact
 * smallest possible p is 0.1. So without ties and for up to {@value #EXACT_LIMIT} samples a side
 * the p-value is exact (the full null distribution of U); otherwise, or with tied values, it is
 * commons-math3's normal approximation, which is good at those sizes.
 */
public final class RankTest {
    static final int EXACT_LIMIT = 30;

    private RankTest() {}

    public static double pValue(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) return Double.NaN;
        if (a.length <= EXACT_LIMIT && b.length <= EXACT_LIMIT && !hasTies(a, b)) return exact(a, b);
        return new MannWhitneyUTest().mannWhitneyUTest(a, b);
    }

    private static boolean hasTies(double[] a, double[] b) {
        double[] all = new double[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        Arrays.sort(all);
        for (int i = 1; i < all.length; i++) if (all[i] == all[i - 1]) return true;
        return false;
    }

    /** Exact two-sided p from the distribution of U over all C(m+n, m) equally likely orderings. */
    static double exact(double[] a, double[] b) {
        int m = a.length, n = b.length;
        long u = 0;
        for (double x : a) for (double y : b) if (x > y) u++;
        double[] dist = distribution(m, n);
        double total = 0, lower = 0, upper = 0;
        for (int k = 0; k < dist.length; k++) {
            total += dist[k];
            if (k <= u) lower += dist[k];
            if (k >= u) upper += dist[k];
        }
        return Math.min(1.0, 2 * Math.min(lower, upper) / total);
    }

    /** counts[u] = number of orderings of m a's and n b's in which exactly u (a,b) pairs have a above b. */
    static double[] distribution(int m, int n) {
        // c[i][j][u] = c[i-1][j][u-j] + c[i][j-1][u]: the largest value is either an a (beating all j b's) or a b.
        double[][][] c = new double[m + 1][n + 1][];
        for (int i = 0; i <= m; i++) {
            for (int j = 0; j <= n; j++) {
                double[] row = new double[i * j + 1];
                if (i == 0 || j == 0) {
                    row[0] = 1;
                } else {
                    double[] withA = c[i - 1][j];
                    double[] withB = c[i][j - 1];
                    for (int u = 0; u < row.length; u++) {
                        double v = 0;
                        if (u - j >= 0 && u - j < withA.length) v += withA[u - j];
                        if (u < withB.length) v += withB[u];
                        row[u] = v;
                    }
                }
                c[i][j] = row;
            }
        }
        return c[m][n];
    }
}
