package dev.tuner.verify.stats;

/**
 * Before/after comparison of one metric and its verdict.
 *
 * <h2>Decision rule</h2>
 * A change is called {@code improved} (or {@code regressed}) only when BOTH hold:
 * <ol>
 *   <li>the Mann–Whitney p-value is below alpha = 1 - confidence (the two samples differ at all), and</li>
 *   <li>the whole bootstrap confidence interval of median(after)/median(before) lies beyond
 *       1 ± threshold on the same side (the change is larger than the threshold with that confidence).</li>
 * </ol>
 * Why this conservative: the verdict drives rollbacks and exit code 3, and an A/A run (nothing
 * changed) must almost never get one. Random noise alone passes (1) at rate alpha; but the usual
 * cause of false verdicts is not noise, it is drift between the phases (the "after" runs come
 * later: a warmer CPU, a fuller page cache, a neighbour VM waking up). Drift is systematic, so more
 * runs make it look MORE significant; a rule on the point estimate ("median moved by > 5%") would
 * fire about half of the time for a drift near the threshold. Requiring the interval to clear the
 * threshold means a drift smaller than the threshold is never called a change however many runs
 * are made. The price is power: with threshold t a true effect has to be comfortably above t
 * (how much depends on the noise and the number of runs) to be reported; smaller effects are
 * reported as "no significant change" with a note saying which way they probably went.
 * Requiring (1) as well guards the small-sample case, where a percentile bootstrap of medians
 * is narrow and under-covers (with 3 runs a side the exact test can never reach p &lt; 0.05, so
 * no verdict is given on 3 runs, which is the honest answer).
 *
 * <h2>Noise floor</h2>
 * The threshold is raised to {@value #NOISE_FACTOR} times the larger relative spread (MAD/median)
 * of the two sides. A/A runs on a busy 2-core machine showed why: fio's figures moved between the
 * phases by more than 5% as other work came and went, in 7 of 20 runs, and a host whose own runs
 * spread by 10% cannot tell a 12% shift of the environment from a 12% effect. On a quiet host the
 * spread is small and the configured threshold applies unchanged.
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

    /** How many relative MADs a change must exceed: below that the runs' own spread can explain it. */
    public static final double NOISE_FACTOR = 2.0;

    public static Comparison of(double[] before, double[] after, Better better, Thresholds t) {
        double mb = Stats.median(before), ma = Stats.median(after);
        double sb = Stats.mad(before), sa = Stats.mad(after);
        if (before.length < 2 || after.length < 2) {
            return new Comparison(mb, ma, sb, sa, null, null, null, Double.NaN, Verdict.NOT_MEASURED,
                    "too few samples (" + before.length + " before, " + after.length + " after; need at least 2 each)");
        }
        double p = RankTest.pValue(before, after);
        if (mb == 0 || Double.isNaN(mb) || Double.isNaN(ma)) {
            return new Comparison(mb, ma, sb, sa, null, null, null, p, Verdict.NOT_MEASURED,
                    "before median is 0: no ratio can be formed");
        }
        double ratio = ma / mb;
        Interval ci = Bootstrap.ratioOfMedians(before, after, t.confidence(), t.resamples(), t.seed());
        if (ci == null) {
            return new Comparison(mb, ma, sb, sa, ratio, null, null, p, Verdict.NOT_MEASURED, "no confidence interval could be formed");
        }
        boolean significant = p < t.alpha();
        double noise = NOISE_FACTOR * Math.max(Math.abs(sb / mb), ma == 0 ? 0 : Math.abs(sa / ma));
        double threshold = Math.max(t.minEffect(), noise);
        boolean clearlyUp = ci.low() > 1 + threshold;
        boolean clearlyDown = ci.high() < 1 - threshold;
        boolean up = better == Better.HIGHER;
        Verdict v = Verdict.NO_SIGNIFICANT_CHANGE;
        String note = "";
        if (significant && clearlyUp) v = up ? Verdict.IMPROVED : Verdict.REGRESSED;
        else if (significant && clearlyDown) v = up ? Verdict.REGRESSED : Verdict.IMPROVED;
        else if (significant && !ci.contains(1.0)) {
            boolean good = (ratio > 1) == up;
            note = String.format(java.util.Locale.ROOT, "probably %s by %+.1f%%, not clearly beyond the %.0f%% threshold%s",
                    good ? "better" : "worse", (ratio - 1) * 100, threshold * 100,
                    threshold > t.minEffect() ? " (raised from " + Math.round(t.minEffect() * 100) + "% by the spread of the runs)" : "");
        } else if (before.length < 4 || after.length < 4) {
            note = "with fewer than 4 runs a side the rank test cannot reach p < 0.05";
        }
        return new Comparison(mb, ma, sb, sa, ratio, ci.low(), ci.high(), p, v, note);
    }
}
