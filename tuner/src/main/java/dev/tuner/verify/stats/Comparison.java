package dev.tuner.verify.stats;

import java.util.Locale;

/**
 * Before/after comparison of one metric and its verdict.
 *
 * <h2>Decision rule</h2>
 * A change is called {@code improved} (or {@code regressed}) only when BOTH hold:
 * <ol>
 *   <li>the Mann–Whitney p-value ({@link RankTest}) is below alpha = 1 - confidence (the two
 *       samples differ at all), and</li>
 *   <li>the whole confidence interval of after/before ({@link HodgesLehmann}) lies beyond
 *       1 ± threshold on the same side (the change is larger than the threshold with that confidence).</li>
 * </ol>
 * Why this conservative: the verdict drives rollbacks, stops rollouts and gives exit code 3, and
 * an A/A run (nothing changed) must almost never get one. Random noise alone passes (1) at rate
 * alpha; but the usual cause of false verdicts is not noise, it is drift between the phases (the
 * "after" runs come later: a warmer CPU, a fuller page cache, a neighbour VM waking up). Drift is
 * systematic, so more runs make it look MORE significant; a rule on the point estimate ("moved by
 * more than 5%") would fire about half of the time for a drift near the threshold. Requiring the
 * interval to clear the threshold means a drift smaller than the threshold is never called a
 * change however many runs are made. The price is power: a true effect has to be comfortably above
 * the threshold (how much depends on the noise and the number of runs) to be reported; smaller
 * effects are reported as "no significant change" with a note saying which way they probably went.
 *
 * <h2>The threshold is the one configured</h2>
 * Noise within each phase already widens the interval, so a noisy host gets fewer verdicts for the
 * right reason. The threshold is never raised from the data: a gate whose meaning changes with the
 * day's noise let a real 10% slowdown through as "no significant change". A benchmark that drifts
 * between phases by more than the threshold needs a larger {@code threshold} for that play, or a
 * design that measures the drift.
 */
public record Comparison(
        double beforeMedian,
        double afterMedian,
        double beforeMad,
        double afterMad,
        Double ratio,
        Double ciLow,
        Double ciHigh,
        double pValue,
        Verdict verdict,
        String note) {

    public static Comparison of(double[] before, double[] after, Better better, Thresholds t) {
        double mb = Stats.median(before), ma = Stats.median(after);
        double sb = Stats.mad(before), sa = Stats.mad(after);
        if (before.length < 2 || after.length < 2) {
            return new Comparison(mb, ma, sb, sa, null, null, null, Double.NaN, Verdict.NOT_MEASURED,
                    "too few samples (" + before.length + " before, " + after.length + " after; need at least 2 each)");
        }
        double p = RankTest.pValue(before, after);
        HodgesLehmann.Estimate e = HodgesLehmann.ratio(before, after, t.confidence());
        if (e == null) {
            return new Comparison(mb, ma, sb, sa, null, null, null, p, Verdict.NOT_MEASURED,
                    "a ratio needs figures above 0, and some are not");
        }
        double ratio = e.ratio();
        Interval ci = e.interval();
        boolean significant = p < t.alpha();
        boolean clearlyUp = ci.low() > 1 + t.minEffect();
        boolean clearlyDown = ci.high() < 1 - t.minEffect();
        boolean up = better == Better.HIGHER;
        Verdict v = Verdict.NO_SIGNIFICANT_CHANGE;
        String note = "";
        if (significant && clearlyUp) v = up ? Verdict.IMPROVED : Verdict.REGRESSED;
        else if (significant && clearlyDown) v = up ? Verdict.REGRESSED : Verdict.IMPROVED;
        else if (significant && !ci.contains(1.0)) {
            boolean good = (ratio > 1) == up;
            note = String.format(Locale.ROOT, "probably %s by %+.1f%%, not clearly beyond the %s threshold",
                    good ? "better" : "worse", (ratio - 1) * 100, percent(t.minEffect()));
        } else if (RankTest.smallestPossibleP(before.length, after.length) >= t.alpha()) {
            note = String.format(Locale.ROOT, "with %d runs before and %d after the rank test cannot go below p = %.3f,"
                            + " so no verdict is possible at alpha %s: make at least %d runs a side",
                    before.length, after.length, RankTest.smallestPossibleP(before.length, after.length),
                    num(t.alpha()), runsNeeded(t.alpha()));
        }
        return new Comparison(mb, ma, sb, sa, ratio, ci.low(), ci.high(), p, v, note);
    }

    /** The fewest runs a side with which the rank test can reach p below alpha. */
    static int runsNeeded(double alpha) {
        int r = 2;
        while (RankTest.smallestPossibleP(r, r) >= alpha) r++;
        return r;
    }

    private static String percent(double fraction) {
        return num(fraction * 100) + "%";
    }

    /** 0.05 → "0.05", 5.0 → "5", 2.5 → "2.5". */
    private static String num(double v) {
        return java.math.BigDecimal.valueOf(v).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }
}
