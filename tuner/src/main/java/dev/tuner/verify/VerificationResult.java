package dev.tuner.verify;

import dev.tuner.verify.stats.Better;
import dev.tuner.verify.stats.Comparison;
import dev.tuner.verify.stats.Stats;
import dev.tuner.verify.stats.Thresholds;
import dev.tuner.verify.stats.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict on one metric of one benchmark on one host, with everything behind it, so a report
 * or a reviewer can recompute it. Plain data: serialises with Jackson as it is. Ratio and interval
 * are null when no ratio could be formed (JSON has no NaN).
 *
 * @param benchmark  the benchmark that ran (a fallback's name when one was used)
 * @param beforeMad  median absolute deviation of the before samples, in {@code unit}
 * @param ratio      the Hodges–Lehmann estimate of after / before: the median of the ratios of every after
 *                   run to every before run ({@link dev.tuner.verify.stats.HodgesLehmann})
 * @param changePercent (ratio - 1) * 100, signed: + means the figure went up, whatever {@code better} says
 * @param ciLow      lower end of the confidence interval of {@code ratio} at {@code confidence}
 * @param pValue     two-sided Mann–Whitney p-value of before against after ({@link dev.tuner.verify.stats.RankTest})
 * @param threshold  smallest relative change given a verdict, as configured (never raised from the data)
 * @param note       why there is no verdict, or what was probably seen below the threshold; "" if nothing
 * @param design     how the figures were taken (see {@link Design}); for paired designs {@code before}
 *                   and {@code after} are the changed host's figures in round order, {@code ratio}
 *                   the median paired ratio and the interval its confidence-sequence interval
 * @param rounds     paired rounds the verdict rests on; for before-after, the runs on the smaller side
 * @param ratios     each round's paired ratio (with controls, the changed host's after/before over
 *                   the controls'), in round order; empty for before-after
 * @param controls   the control hosts' figures of this metric, round by round
 */
public record VerificationResult(
        String host,
        String benchmark,
        String metric,
        String unit,
        Better better,
        List<Double> before,
        List<Double> after,
        Double beforeMedian,
        Double afterMedian,
        Double beforeMad,
        Double afterMad,
        Double ratio,
        Double changePercent,
        Double ciLow,
        Double ciHigh,
        Double pValue,
        double confidence,
        double threshold,
        Verdict verdict,
        String note,
        Design design,
        int rounds,
        List<Double> ratios,
        List<ControlFigures> controls) {

    public VerificationResult {
        ratios = List.copyOf(ratios);
        controls = List.copyOf(controls);
    }

    /** A before-after result: no rounds of pairs, no controls. */
    public VerificationResult(String host, String benchmark, String metric, String unit, Better better, List<Double> before,
                              List<Double> after, Double beforeMedian, Double afterMedian, Double beforeMad, Double afterMad,
                              Double ratio, Double changePercent, Double ciLow, Double ciHigh, Double pValue, double confidence,
                              double threshold, Verdict verdict, String note) {
        this(host, benchmark, metric, unit, better, before, after, beforeMedian, afterMedian, beforeMad, afterMad, ratio,
                changePercent, ciLow, ciHigh, pValue, confidence, threshold, verdict, note, Design.BEFORE_AFTER,
                Math.min(before.size(), after.size()), List.of(), List.of());
    }

    /** The same result with a note added (after what was there). */
    public VerificationResult withNote(String more) {
        String n = note == null || note.isEmpty() ? more : note + "; " + more;
        return new VerificationResult(host, benchmark, metric, unit, better, before, after, beforeMedian, afterMedian, beforeMad,
                afterMad, ratio, changePercent, ciLow, ciHigh, pValue, confidence, threshold, verdict, n, design, rounds, ratios, controls);
    }

    /**
     * Compares two series of the same benchmark on the same host, one result per metric. When
     * either side was skipped or failed, or a fallback ran on one side only, every metric is
     * {@link Verdict#NOT_MEASURED} with the reason.
     */
    public static List<VerificationResult> compare(Samples before, Samples after, Thresholds t) {
        List<VerificationResult> out = new ArrayList<>();
        String problem = null;
        if (!before.measured()) problem = "before: " + before.status().name().toLowerCase() + ": " + before.message();
        else if (!after.measured()) problem = "after: " + after.status().name().toLowerCase() + ": " + after.message();
        else if (!before.benchmark().equals(after.benchmark())) {
            problem = "before ran " + before.benchmark() + " but after ran " + after.benchmark() + "; they cannot be compared";
        }
        Samples shape = before.measured() ? before : after;
        if (problem != null && !shape.measured()) {
            out.add(new VerificationResult(before.host(), before.requested(), "-", "", Better.HIGHER, List.of(), List.of(),
                    null, null, null, null, null, null, null, null, null, t.confidence(), t.minEffect(), Verdict.NOT_MEASURED, problem));
            return out;
        }
        for (MetricSamples m : shape.metrics()) {
            List<Double> b = before.values(m.metric());
            List<Double> a = after.values(m.metric());
            if (problem != null) {
                out.add(new VerificationResult(before.host(), shape.benchmark(), m.metric(), m.unit(), m.better(), b, a,
                        med(b), med(a), mad(b), mad(a), null, null, null, null, null, t.confidence(), t.minEffect(),
                        Verdict.NOT_MEASURED, problem));
                continue;
            }
            Comparison c = Comparison.of(Stats.array(b), Stats.array(a), m.better(), t);
            out.add(new VerificationResult(before.host(), shape.benchmark(), m.metric(), m.unit(), m.better(), b, a,
                    finite(c.beforeMedian()), finite(c.afterMedian()), finite(c.beforeMad()), finite(c.afterMad()),
                    c.ratio(), c.ratio() == null ? null : (c.ratio() - 1) * 100, c.ciLow(), c.ciHigh(), finite(c.pValue()),
                    t.confidence(), t.minEffect(), c.verdict(), c.note()));
        }
        return out;
    }

    private static Double med(List<Double> v) {
        return v.isEmpty() ? null : Stats.median(Stats.array(v));
    }

    private static Double mad(List<Double> v) {
        return v.isEmpty() ? null : Stats.mad(Stats.array(v));
    }

    private static Double finite(double d) {
        return Double.isFinite(d) ? d : null;
    }
}
