package dev.tuner.verify.design;

import dev.tuner.verify.ControlFigures;
import dev.tuner.verify.Design;
import dev.tuner.verify.MetricDef;
import dev.tuner.verify.MetricSamples;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.stats.Looks;
import dev.tuner.verify.stats.PairedComparison;
import dev.tuner.verify.stats.SignedRank;
import dev.tuner.verify.stats.Stats;
import dev.tuner.verify.stats.Thresholds;
import dev.tuner.verify.stats.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark's figures on one host in rounds — the changed host's before and after figure of
 * each round, and each control's figures taken at the same moments — judged at the planned
 * looks. Each metric gets its verdict at the first look whose interval is decisive (see
 * {@link PairedComparison}); the series goes on until every metric has one, or the budget ends it.
 *
 * <p>A round's paired ratio is after/before of the changed host, divided, when there are
 * controls, by the median of the controls' after/before of the same moments: what the
 * environment did to every host cancels. A control that stops answering is dropped (its figures
 * leave every round); a control design left without controls is judged before/after only.
 */
public final class PairedSeries {
    private final String host;
    private final String requested;
    private final String benchmark;
    private final List<MetricDef> metrics;
    private final Design design;
    private Looks looks;
    private final Thresholds thresholds;
    private final List<Map<String, Double>> before = new ArrayList<>();
    private final List<Map<String, Double>> after = new ArrayList<>();
    private final Map<String, List<Map<String, Double>>> controlBefore = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Double>>> controlAfter = new LinkedHashMap<>();
    private final Map<String, PairedComparison> decided = new LinkedHashMap<>();
    private final Map<String, PairedComparison> lastLook = new LinkedHashMap<>();
    /** The error rate of the look taken when the budget ended the rounds between planned looks, or 0. */
    private double budgetLookAlpha;
    private final List<String> notes = new ArrayList<>();

    /**
     * @param requested the benchmark asked for
     * @param benchmark the one that runs (a fallback's name when one is used)
     * @param controls  the control hosts measured beside this host (empty for none)
     */
    public PairedSeries(String host, String requested, String benchmark, List<MetricDef> metrics, Design design, Looks looks,
                        Thresholds thresholds, List<String> controls) {
        if (!design.paired()) throw new IllegalArgumentException("a paired series needs a paired design, not " + design.label());
        this.host = host;
        this.requested = requested;
        this.benchmark = benchmark;
        this.metrics = List.copyOf(metrics);
        this.design = design;
        this.looks = looks;
        this.thresholds = thresholds;
        for (String c : controls) {
            controlBefore.put(c, new ArrayList<>());
            controlAfter.put(c, new ArrayList<>());
        }
    }

    /**
     * Plans the looks anew before any was taken: a control design knows only after its rounds
     * before the change how many after it there can be (as many), so its looks are planned then —
     * still before any figure after the change exists.
     */
    public void plan(Looks planned) {
        if (!lastLook.isEmpty() || rounds() > 0) throw new IllegalStateException("looks are planned before the first paired round");
        this.looks = planned;
    }

    /** The changed host's before figures of the next round, with each control's of the same moment. */
    public void before(Map<String, Double> figures, Map<String, Map<String, Double>> controls) {
        add(before, controlBefore, figures, controls);
    }

    /** The changed host's after figures of the next round, with each control's of the same moment. */
    public void after(Map<String, Double> figures, Map<String, Map<String, Double>> controls) {
        add(after, controlAfter, figures, controls);
    }

    private void add(List<Map<String, Double>> mine, Map<String, List<Map<String, Double>>> theirs, Map<String, Double> figures,
                     Map<String, Map<String, Double>> controls) {
        mine.add(Map.copyOf(figures));
        for (Map.Entry<String, List<Map<String, Double>>> e : theirs.entrySet()) {
            Map<String, Double> c = controls.get(e.getKey());
            if (c == null) throw new IllegalArgumentException("no figures of control " + e.getKey());
            e.getValue().add(Map.copyOf(c));
        }
    }

    /** Rounds with both a before and an after figure. */
    public int rounds() {
        return Math.min(before.size(), after.size());
    }

    /** Before figures taken so far (the control design takes them all before the change). */
    public int beforeRounds() {
        return before.size();
    }

    public List<String> controls() {
        return List.copyOf(controlBefore.keySet());
    }

    /** Leaves a control out of every round, saying why. */
    public void dropControl(String control, String why) {
        if (controlBefore.remove(control) == null) return;
        controlAfter.remove(control);
        notes.add("control " + control + " left out: " + why);
    }

    /**
     * When the rounds complete so far make a planned look, judges every metric without a
     * verdict. Returns true once every metric has one.
     */
    public boolean look() {
        int n = rounds();
        if (!looks.isLook(n) || !judgeable()) return allDecided();
        for (MetricDef m : metrics) {
            if (decided.containsKey(m.name())) continue;
            double[] r = ratios(m.name(), n);
            if (r == null) continue;
            PairedComparison c = PairedComparison.of(r, m.better(), thresholds.minEffect(), looks.alphaEach());
            lastLook.put(m.name(), c);
            if (c.decided()) decided.put(m.name(), c);
        }
        return allDecided();
    }

    /**
     * The budget ended the rounds: when that happened between two planned looks, one more look at
     * the rounds done, spending the shares of the looks not reached (see {@link Looks}), so the
     * rounds measured since the last look are not wasted.
     */
    public void budgetEnded() {
        int n = rounds();
        double alpha = looks.unreached(n);
        if (allDecided() || looks.isLook(n) || alpha <= 0 || n < SignedRank.fewestPairs(alpha) || !judgeable()) return;
        budgetLookAlpha = alpha;
        for (MetricDef m : metrics) {
            if (decided.containsKey(m.name())) continue;
            double[] r = ratios(m.name(), n);
            if (r == null) continue;
            PairedComparison c = PairedComparison.of(r, m.better(), thresholds.minEffect(), alpha);
            lastLook.put(m.name(), c);
            if (c.decided()) decided.put(m.name(), c);
        }
    }

    public boolean allDecided() {
        return decided.size() == metrics.size();
    }

    /** Whether the ratios can be formed: a control design needs a control left. */
    private boolean judgeable() {
        return design != Design.CONTROL || !controlBefore.isEmpty();
    }

    /** The first {@code n} paired ratios of a metric, or null when a figure is zero, negative or not a number. */
    private double[] ratios(String metric, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double r = ratio(before.get(i).get(metric), after.get(i).get(metric));
            List<Double> ks = new ArrayList<>();
            for (String c : controlBefore.keySet()) {
                ks.add(ratio(controlBefore.get(c).get(i).get(metric), controlAfter.get(c).get(i).get(metric)));
            }
            if (!ks.isEmpty()) r /= Stats.median(Stats.array(ks));
            if (!(r > 0 && Double.isFinite(r))) return null;
            out[i] = r;
        }
        return out;
    }

    private static double ratio(Double b, Double a) {
        if (b == null || a == null || !(b > 0) || !(a >= 0)) return Double.NaN;
        return a / b;
    }

    /**
     * Every metric's result. {@code stopped} says why the rounds ended when that was the budget
     * (null when every metric was decided).
     */
    public List<VerificationResult> results(String stopped) {
        if (design == Design.CONTROL && controlBefore.isEmpty()) return withoutControls();
        List<VerificationResult> out = new ArrayList<>();
        int n = rounds();
        for (MetricDef m : metrics) {
            List<Double> b = column(before, m.name(), n);
            List<Double> a = column(after, m.name(), n);
            double[] all = ratios(m.name(), n);
            List<ControlFigures> cf = new ArrayList<>();
            for (String c : controlBefore.keySet()) {
                cf.add(new ControlFigures(c, column(controlBefore.get(c), m.name(), n), column(controlAfter.get(c), m.name(), n)));
            }
            List<Double> ratioList = new ArrayList<>();
            if (all != null) for (double r : all) ratioList.add(r);
            PairedComparison judged = decided.get(m.name());
            // The interval shown is a look's: the deciding one, else the last one reached.
            PairedComparison atLook = judged != null ? judged : lastLook.get(m.name());
            Verdict verdict;
            String note;
            if (all == null || n == 0) {
                verdict = Verdict.NOT_MEASURED;
                note = n == 0 ? "no complete round" : "a figure is zero, negative or not a number: no ratio can be formed";
            } else if (judged != null) {
                verdict = judged.verdict();
                note = "decided at round " + judged.rounds() + (looks.isLook(judged.rounds()) ? lookText() : budgetLookText());
            } else {
                verdict = Verdict.INCONCLUSIVE;
                note = inconclusive(n, stopped, atLook != null);
            }
            if (!notes.isEmpty()) note = note + "; " + String.join("; ", notes);
            PairedComparison figures = atLook != null ? atLook
                    : all == null || n == 0 ? null : PairedComparison.of(all, m.better(), thresholds.minEffect(), looks.alphaEach());
            Double ratio = figures == null ? null : figures.ratio();
            out.add(new VerificationResult(host, benchmark, m.name(), m.unit(), m.better(), b, a,
                    median(b), median(a), mad(b), mad(a), ratio, ratio == null ? null : (ratio - 1) * 100,
                    atLook == null ? null : atLook.low(), atLook == null ? null : atLook.high(),
                    figures == null ? null : figures.pValue(), thresholds.confidence(), thresholds.minEffect(), verdict, note,
                    design, figures == null ? n : figures.rounds(), ratioList, cf));
        }
        return out;
    }

    private String lookText() {
        return " (planned looks: " + looks.describe() + ", each at " + percent(1 - looks.alphaEach()) + "% confidence)";
    }

    /** " (a look when the budget ended the rounds, at 97.5% confidence: the share of the planned looks at rounds 20, 24, not reached)" */
    private String budgetLookText() {
        List<Integer> unreached = looks.rounds().stream().filter(r -> r > rounds()).toList();
        return " (a look when the budget ended the rounds, at " + percent(1 - budgetLookAlpha) + "% confidence: the share of the planned "
                + (unreached.size() == 1 ? "look at round " : "looks at rounds ") + String.join(", ", unreached.stream().map(String::valueOf).toList())
                + ", not reached)";
    }

    private static String percent(double p) {
        return new java.math.BigDecimal(p * 100).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    private String inconclusive(int n, String stopped, boolean looked) {
        String why = stopped == null ? "" : stopped + " after " + n + " round" + (n == 1 ? "" : "s");
        if (looks.rounds().isEmpty()) {
            return "inconclusive: " + n + " paired rounds can never give an interval at " + Math.round(thresholds.confidence() * 100)
                    + "% confidence" + (why.isEmpty() ? "" : "; " + why);
        }
        if (!looked) {
            return "inconclusive: " + (why.isEmpty() ? "" : why + ", ") + "before the first planned look at round " + looks.rounds().get(0)
                    + "; ratio and p-value of the rounds measured, no interval";
        }
        return "inconclusive: the interval of the last look straddles the threshold" + (why.isEmpty() ? "" : "; " + why)
                + (budgetLookAlpha > 0 ? budgetLookText() : lookText());
    }

    /** A control design whose controls all failed: the changed host's own figures, before against after. */
    private List<VerificationResult> withoutControls() {
        List<MetricSamples> b = new ArrayList<>();
        List<MetricSamples> a = new ArrayList<>();
        for (MetricDef m : metrics) {
            b.add(new MetricSamples(m.name(), m.unit(), m.better(), column(before, m.name(), before.size())));
            a.add(new MetricSamples(m.name(), m.unit(), m.better(), column(after, m.name(), after.size())));
        }
        Samples sb = new Samples(host, requested, benchmark, Samples.Status.MEASURED, "", b, Duration.ZERO);
        Samples sa = new Samples(host, requested, benchmark, Samples.Status.MEASURED, "", a, Duration.ZERO);
        String why = String.join("; ", notes) + "; judged before/after only: an environment shift between the phases cannot be ruled out";
        return VerificationResult.compare(sb, sa, thresholds).stream().map(r -> r.withNote(why)).toList();
    }

    private static List<Double> column(List<Map<String, Double>> rows, String metric, int n) {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, rows.size()); i++) {
            Double v = rows.get(i).get(metric);
            if (v != null) out.add(v);
        }
        return out;
    }

    private static Double median(List<Double> v) {
        return v.isEmpty() ? null : Stats.median(Stats.array(v));
    }

    private static Double mad(List<Double> v) {
        return v.isEmpty() ? null : Stats.mad(Stats.array(v));
    }
}
