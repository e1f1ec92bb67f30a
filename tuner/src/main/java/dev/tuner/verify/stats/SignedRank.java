package dev.tuner.verify.stats;

import java.util.Arrays;

/**
 * Wilcoxon's signed-rank test for paired figures, exact, and the confidence interval that inverts
 * it: Tukey's interval from the Walsh averages, centred on the Hodges–Lehmann estimate.
 *
 * <p>The input is one difference per pair (here the log of a round's after/before ratio). Under
 * "no effect", when the order of the two states inside each round was chosen at random, every
 * difference is as likely positive as negative whatever the machine was doing in that round; the
 * exact null distribution of the positive rank sum follows from that alone. So the p-value holds
 * for any noise and any drift that does not know the random order.
 *
 * <p>The interval is the set of shifts the test at level alpha does not reject. It covers the
 * centre of the differences' distribution (their median when it is symmetric, as a randomized
 * order makes it under no effect). Without ties: [W(c+1), W(M−c)] of the M = n(n+1)/2 sorted
 * Walsh averages (d_i + d_j)/2, i ≤ j, where c is the largest count with P(T ≤ c) ≤ alpha/2.
 */
public final class SignedRank {
    private static final double EPS = 1e-12;

    private SignedRank() {}

    /**
     * Two-sided exact p-value of the signed-rank test that the differences are centred on 0.
     * Zeros are dropped (Wilcoxon's rule, scipy's default); tied magnitudes get their mean rank
     * and the null distribution is computed for those ranks, so ties keep the p-value exact.
     * Returns 1 when every difference is zero.
     */
    public static double pValue(double[] differences) {
        double[] d = Arrays.stream(differences).filter(x -> x != 0).toArray();
        int n = d.length;
        if (n == 0) return 1.0;
        int[] ranks2 = doubledMidranks(d);
        long observed = 0;
        for (int i = 0; i < n; i++) if (d[i] > 0) observed += ranks2[i];
        double[] dist = nullDistribution(ranks2);
        double lower = 0, upper = 0;
        for (int s = 0; s < dist.length; s++) {
            if (s <= observed) lower += dist[s];
            if (s >= observed) upper += dist[s];
        }
        return Math.min(1.0, 2 * Math.min(lower, upper));
    }

    /**
     * The interval of the centre of {@code differences} at confidence 1 − alpha (two-sided), or
     * null when there are too few of them for any interval at that level (even the widest,
     * [min, max], covers with probability 1 − 2/2^n).
     */
    public static Interval interval(double[] differences, double alpha) {
        int n = differences.length;
        int c = critical(n, alpha);
        if (c < 0) return null;
        double[] w = walshAverages(differences);
        return new Interval(w[c], w[w.length - 1 - c]);
    }

    /** The Hodges–Lehmann estimate of the centre: the median of the Walsh averages. */
    public static double hodgesLehmann(double[] differences) {
        if (differences.length == 0) return Double.NaN;
        return Stats.median(walshAverages(differences));
    }

    /** The smallest n for which some interval at confidence 1 − alpha exists: 2 / 2^n ≤ alpha. */
    public static int fewestPairs(double alpha) {
        int n = 1;
        while (2 * Math.pow(0.5, n) > alpha + EPS) n++;
        return n;
    }

    /** The largest c with P(T ≤ c) ≤ alpha / 2 for n untied ranks, or −1 when there is none. */
    static int critical(int n, double alpha) {
        if (n == 0) return -1;
        int[] ranks2 = new int[n];
        for (int i = 0; i < n; i++) ranks2[i] = 2 * (i + 1);
        double[] dist = nullDistribution(ranks2);
        double cumulative = 0;
        int c = -1;
        // Doubled ranks: sums are even, so the rank sum t sits at index 2t.
        for (int t = 0; 2 * t < dist.length; t++) {
            cumulative += dist[2 * t];
            if (cumulative > alpha / 2 + EPS) break;
            c = t;
        }
        return c;
    }

    /** Sorted (d_i + d_j) / 2 for all i ≤ j. */
    static double[] walshAverages(double[] d) {
        int n = d.length;
        double[] w = new double[n * (n + 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) for (int j = i; j < n; j++) w[k++] = (d[i] + d[j]) / 2;
        Arrays.sort(w);
        return w;
    }

    /** Twice the mean rank of each |d| among all |d| (ties share the mean of their ranks), an integer. */
    static int[] doubledMidranks(double[] d) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(Math.abs(d[a]), Math.abs(d[b])));
        int[] out = new int[n];
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && Math.abs(d[order[j + 1]]) == Math.abs(d[order[i]])) j++;
            // ranks i+1 .. j+1 share their mean (i + j + 2) / 2; doubled: i + j + 2.
            for (int k = i; k <= j; k++) out[order[k]] = i + j + 2;
            i = j + 1;
        }
        return out;
    }

    /** P(sum of the ranks that got a + sign = s), each sign + or − with probability 1/2 independently. */
    static double[] nullDistribution(int[] ranks) {
        int total = 0;
        for (int r : ranks) total += r;
        double[] dist = new double[total + 1];
        dist[0] = 1;
        int reach = 0;
        for (int r : ranks) {
            for (int s = reach; s >= 0; s--) {
                double p = dist[s] / 2;
                dist[s] = p;
                dist[s + r] += p;
            }
            reach += r;
        }
        return dist;
    }
}
