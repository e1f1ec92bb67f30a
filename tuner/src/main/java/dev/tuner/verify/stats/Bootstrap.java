package dev.tuner.verify.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap of the ratio median(after) / median(before). The two sides are resampled
 * independently (they are independent runs). The generator is seeded so the same samples always
 * give the same interval: a report that changes when re-rendered would not be trusted.
 */
public final class Bootstrap {
    private Bootstrap() {}

    /** Returns null when a ratio is undefined (a median of zero on the before side, or empty input). */
    public static Interval ratioOfMedians(double[] before, double[] after, double confidence, int resamples, long seed) {
        if (before.length == 0 || after.length == 0) return null;
        if (Stats.median(before) == 0) return null;
        SplittableRandom rng = new SplittableRandom(seed);
        double[] ratios = new double[resamples];
        double[] b = new double[before.length];
        double[] a = new double[after.length];
        int n = 0;
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < b.length; i++) b[i] = before[rng.nextInt(before.length)];
            for (int i = 0; i < a.length; i++) a[i] = after[rng.nextInt(after.length)];
            double mb = Stats.median(b);
            // A resample whose before-median is 0 has no ratio; dropping it is the usual practice.
            if (mb != 0) ratios[n++] = Stats.median(a) / mb;
        }
        if (n == 0) return null;
        double[] sorted = Arrays.copyOf(ratios, n);
        Arrays.sort(sorted);
        double tail = (1 - confidence) / 2;
        return new Interval(Stats.sortedQuantile(sorted, tail), Stats.sortedQuantile(sorted, 1 - tail));
    }
}
