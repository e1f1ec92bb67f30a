package dev.tuner.verify.stats;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * How much after differs from before, as a ratio: the Hodges–Lehmann estimate and the
 * distribution-free confidence interval that belongs to the Mann–Whitney test (Bauer 1972; what R's
 * {@code wilcox.test(conf.int = TRUE)} reports), on the logarithms of the figures, so a shift is a
 * ratio after/before.
 *
 * <p>The estimate is the median of the m·n pairwise log ratios log(after_j / before_i). The
 * interval runs from the k-th smallest to the k-th largest of them, k chosen from the
 * distribution of U so that the interval holds the true ratio with at least the requested
 * confidence: it is the set of ratios r for which the rank test of after / r against before is
 * not significant, so a verdict's interval and its p-value tell the same story. No resampling: the
 * same figures always give the same interval.
 *
 * <p>Below {@value RankTest#EXACT_LIMIT} samples a side k is exact, from the distribution of U
 * without ties, as R does; with tied figures that interval is conservative (it covers at least as
 * often as it says). From {@value RankTest#EXACT_LIMIT} a side k comes from the normal
 * approximation of U with its tie and continuity corrections. When the requested confidence cannot
 * be reached at all (3 runs a side at 95%), the interval is the whole range of pairwise ratios and
 * {@link Estimate#achievedConfidence()} says how sure that is.
 */
public final class HodgesLehmann {
    private HodgesLehmann() {}

    /**
     * @param ratio              the estimate of after / before
     * @param achievedConfidence the interval's own confidence: at least the requested one, below it
     *                           only when the sample sizes cannot reach it
     */
    public record Estimate(double ratio, Interval interval, double achievedConfidence) {}

    /** Null when some figure is not positive: no logarithm, so no ratio. */
    public static Estimate ratio(double[] before, double[] after, double confidence) {
        int m = before.length, n = after.length;
        if (m == 0 || n == 0) return null;
        for (double v : before) if (!(v > 0) || Double.isInfinite(v)) return null;
        for (double v : after) if (!(v > 0) || Double.isInfinite(v)) return null;
        double[] logRatios = new double[m * n];
        int p = 0;
        for (double a : after) for (double b : before) logRatios[p++] = Math.log(a) - Math.log(b);
        Arrays.sort(logRatios);
        double alpha = 1 - confidence;
        int k;
        double achieved;
        if (m < RankTest.EXACT_LIMIT && n < RankTest.EXACT_LIMIT) {
            double[] dist = RankTest.distribution(m, n);
            // k: the smallest q with P(U <= q) >= alpha/2 (R's qwilcox), at least 1.
            double cdf = 0;
            k = 0;
            while (k < dist.length && cdf + dist[k] < alpha / 2) cdf += dist[k++];
            if (k == 0) k = 1;
            double below = 0;
            for (int u = 0; u < k; u++) below += dist[u];
            achieved = 1 - 2 * below;
        } else {
            double z = new NormalDistribution().inverseCumulativeProbability(1 - alpha / 2);
            double sigma = RankTest.sigma(m, n, RankTest.tieSizes(before, after));
            k = Math.max(1, (int) Math.ceil(m * (double) n / 2 - 0.5 - z * sigma));
            achieved = confidence;
        }
        k = Math.min(k, (logRatios.length + 1) / 2);
        double low = Math.exp(logRatios[k - 1]);
        double high = Math.exp(logRatios[logRatios.length - k]);
        return new Estimate(Math.exp(Stats.sortedQuantile(logRatios, 0.5)), new Interval(low, high), achieved);
    }
}
