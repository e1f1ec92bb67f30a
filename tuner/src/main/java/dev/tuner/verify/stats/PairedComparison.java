package dev.tuner.verify.stats;

/**
 * The paired ratios of a metric, one per round (after/before, or the canary's after/before over
 * the controls'), judged at one look: the median paired ratio's interval against the threshold.
 *
 * <h2>Decision rule</h2>
 * Ratios are compared on the log scale, where "10% slower" and "10% faster" are the same
 * distance from 1. With the interval [low, high] of the median ratio at the look's share of the
 * error rate (see {@link Looks}) and threshold t:
 * <ul>
 *   <li>{@code high < 1 − t} or {@code low > 1 + t}: the whole interval is beyond the threshold —
 *       {@code regressed} or {@code improved} as the metric's direction says;</li>
 *   <li>{@code 1 − t ≤ low} and {@code high ≤ 1 + t}: the whole interval is inside — {@code
 *       unchanged}, an equivalence verdict: any effect is smaller than the threshold;</li>
 *   <li>otherwise undecided: more rounds, or {@code inconclusive} when the budget is used up.</li>
 * </ul>
 * An interval beyond 1 ± t excludes 1, so the signed-rank test rejects "no effect" at the same
 * level; the p-value is reported beside it.
 *
 * @param ratio    the Hodges–Lehmann estimate of the median paired ratio
 * @param low      interval bounds, null when too few rounds for any interval at the look's level
 * @param verdict  IMPROVED, REGRESSED, UNCHANGED, or null when undecided
 */
public record PairedComparison(int rounds, double ratio, Double low, Double high, double pValue, Verdict verdict) {

    /** Judges {@code ratios} with the interval at confidence {@code 1 − alpha} and threshold {@code t}. */
    public static PairedComparison of(double[] ratios, Better better, double t, double alpha) {
        double[] logs = new double[ratios.length];
        for (int i = 0; i < ratios.length; i++) logs[i] = Math.log(ratios[i]);
        double ratio = Math.exp(SignedRank.hodgesLehmann(logs));
        double p = SignedRank.pValue(logs);
        Interval ci = SignedRank.interval(logs, alpha);
        if (ci == null) return new PairedComparison(ratios.length, ratio, null, null, p, null);
        double low = Math.exp(ci.low()), high = Math.exp(ci.high());
        boolean up = better == Better.HIGHER;
        Verdict v = null;
        if (high < 1 - t) v = up ? Verdict.REGRESSED : Verdict.IMPROVED;
        else if (low > 1 + t) v = up ? Verdict.IMPROVED : Verdict.REGRESSED;
        else if (low >= 1 - t && high <= 1 + t) v = Verdict.UNCHANGED;
        return new PairedComparison(ratios.length, ratio, low, high, p, v);
    }

    public boolean decided() {
        return verdict != null;
    }
}
