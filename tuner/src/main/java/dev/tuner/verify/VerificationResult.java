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
        String note) {

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
