package dev.tuner.verify.report;

import dev.tuner.verify.ControlFigures;
import dev.tuner.verify.MetricSamples;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.stats.Better;
import dev.tuner.verify.stats.Stats;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One self-contained HTML page (no scripts, fonts or images from elsewhere) with a chart per
 * metric: every run as a dot on a shared, ticked axis, the median of each side as a bar, and for
 * a before/after comparison the threshold zone around the before median and the confidence
 * interval of the change placed on the after row, so the verdict can be read off the picture (it
 * is "improved" or "regressed" only when the interval lies outside the zone). A legend and the
 * direction that is better go with each chart. When the figures come from paired rounds, the
 * control hosts' runs of the same moments are rows of the same chart, and a second chart plots
 * each round's paired ratio against the 1 ± threshold zone with the interval of the median ratio;
 * each card names its design. Chart geometry is computed here, so the template stays markup.
 */
public final class HtmlReport {
    static final int WIDTH = 600, ROW = 34, PAD = 16, AXIS = 30, LEFT = 70, RATIO_PLOT = 150;
    private static final String BEFORE = "#4a78b5", BEFORE_MEDIAN = "#1d3f6e", AFTER = "#d9822b", AFTER_MEDIAN = "#8a4a0c";
    private static final String CONTROL_BEFORE = "#9db5d6", CONTROL_BEFORE_MEDIAN = "#5f7fa8", CONTROL_AFTER = "#ecbd8c",
            CONTROL_AFTER_MEDIAN = "#b9814a";

    private HtmlReport() {}

    /** A point of a chart, in SVG user units. */
    public record Dot(double x, double y) {}

    /**
     * One series: its label, its runs as dots and its median as a bar (x below 0: no median);
     * {@code control} for a control host's runs, drawn smaller and paler.
     */
    public record Row(String label, String color, String medianColor, List<Dot> dots, double medianX, double top, boolean control) {}

    /** A stretch of an axis in SVG user units, {@code lo} below {@code hi}. */
    public record Band(double lo, double hi) {}

    /** An axis tick: where on its axis, and the value written beside it. */
    public record Tick(double at, String label) {}

    /**
     * The paired ratio of every round: rounds left to right, ratios bottom to top. Dots past
     * {@code counted} are rounds run after this metric's verdict (for the other metrics); {@code
     * zone} is 1 ± threshold and {@code interval} the interval of the median ratio (null when none).
     */
    public record RatioChart(List<Dot> dots, int counted, List<Tick> roundTicks, List<Tick> ratioTicks, double yOne,
                             Band zone, String upLabel, String downLabel, Band interval, String dotLabel, String intervalLabel,
                             double axisY, double height) {
        public boolean hasLaterRounds() {
            return counted < dots.size();
        }
    }

    /** Everything the template shows for one chart. */
    public record Chart(String title, String verdictLabel, String verdictClass, String better, String figures, String note,
                        List<Row> rows, Band zone, String zoneLabel, Band ci, String ciLabel, List<Tick> ticks, String unit,
                        double axisY, double height, String design, RatioChart ratios) {
        /** A chart with no run to show (the benchmark was skipped or failed) is its figures and note only. */
        public boolean drawn() {
            return rows.stream().anyMatch(r -> !r.dots().isEmpty());
        }

        /** The changed host's rows, before the controls'. */
        public List<Row> ownRows() {
            return rows.stream().filter(r -> !r.control()).toList();
        }

        public List<Row> controlRows() {
            return rows.stream().filter(Row::control).toList();
        }
    }

    /** The page of an apply: each host's metrics before and after. */
    public static String render(String title, List<VerificationResult> results) {
        return render(title, results, List.of());
    }

    /** With {@code notices} shown above the charts, e.g. that a rollout stopped and which hosts it did not start. */
    public static String render(String title, List<VerificationResult> results, List<String> notices) {
        List<Chart> charts = new ArrayList<>();
        for (VerificationResult r : results) charts.add(chart(r));
        return page(title, charts, TextTable.render(results), notices);
    }

    /** The page of {@code tuner bench}: each host's runs of each metric, one row per chart. */
    public static String renderBaseline(String title, List<Samples> samples) {
        List<Chart> charts = new ArrayList<>();
        for (Samples s : samples) {
            for (MetricSamples m : s.metrics()) charts.add(baseline(s, m));
        }
        return page(title, charts, null, List.of());
    }

    private static String page(String title, List<Chart> charts, String table, List<String> notices) {
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("notices", notices);
        model.put("charts", charts);
        model.put("width", WIDTH);
        model.put("left", LEFT);
        model.put("pad", PAD);
        model.put("row", ROW);
        model.put("table", table == null ? "" : table);
        Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setClassForTemplateLoading(HtmlReport.class, "/dev/tuner/verify/report");
        cfg.setDefaultEncoding("UTF-8");
        cfg.setLocale(Locale.ROOT);
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setNumberFormat("0.##");
        try {
            Template t = cfg.getTemplate("verification.html.ftlh");
            StringWriter w = new StringWriter();
            t.process(model, w);
            return w.toString();
        } catch (IOException | TemplateException e) {
            throw new IllegalStateException("HTML report template failed: " + e.getMessage(), e);
        }
    }

    static Chart chart(VerificationResult r) {
        List<Double> all = new ArrayList<>(r.before());
        all.addAll(r.after());
        for (ControlFigures c : r.controls()) {
            all.addAll(c.before());
            all.addAll(c.after());
        }
        Double zoneLow = null, zoneHigh = null, ciLow = null, ciHigh = null;
        if (r.beforeMedian() != null) {
            zoneLow = r.beforeMedian() * (1 - r.threshold());
            zoneHigh = r.beforeMedian() * (1 + r.threshold());
            all.add(zoneLow);
            all.add(zoneHigh);
            if (r.ciLow() != null) {
                ciLow = r.beforeMedian() * r.ciLow();
                ciHigh = r.beforeMedian() * r.ciHigh();
                all.add(ciLow);
                all.add(ciHigh);
            }
        }
        Axis axis = Axis.of(all);
        List<Row> rows = new ArrayList<>();
        rows.add(row("before", BEFORE, BEFORE_MEDIAN, r.before(), r.beforeMedian(), PAD, axis, false));
        rows.add(row("after", AFTER, AFTER_MEDIAN, r.after(), r.afterMedian(), PAD + ROW, axis, false));
        for (ControlFigures c : r.controls()) {
            rows.add(row(c.host() + " before", CONTROL_BEFORE, CONTROL_BEFORE_MEDIAN, c.before(), median(c.before()),
                    PAD + ROW * rows.size(), axis, true));
            rows.add(row(c.host() + " after", CONTROL_AFTER, CONTROL_AFTER_MEDIAN, c.after(), median(c.after()),
                    PAD + ROW * rows.size(), axis, true));
        }
        String pct = percent(r.confidence());
        Band zone = zoneLow == null ? null : axis.band(zoneLow, zoneHigh);
        Band ci = ciLow == null ? null : axis.band(ciLow, ciHigh);
        String change = r.changePercent() == null ? "-" : TextTable.pct(r.changePercent());
        String ciText = r.ciLow() == null ? "-" : "[" + TextTable.pct((r.ciLow() - 1) * 100) + ", " + TextTable.pct((r.ciHigh() - 1) * 100) + "]";
        String p = r.pValue() == null ? "-" : TextTable.p(r.pValue());
        String figures = "Δ " + change + ", " + pct + " CI " + ciText + ", p = " + p + "; " + r.before().size() + " runs before, "
                + r.after().size() + " after";
        String cls = switch (r.verdict()) {
            case IMPROVED -> "improved";
            case REGRESSED -> "regressed";
            case NO_SIGNIFICANT_CHANGE, UNCHANGED -> "same";
            case NOT_MEASURED, INCONCLUSIVE -> "none";
        };
        String design = TextTable.design(r);
        if (!design.equals("-")) figures += "; design " + design;
        String ciLabel = r.design().paired()
                ? pct + " confidence interval of the median paired ratio, placed at the before median × the ratio"
                : pct + " confidence interval of the after median (before median × the interval of the ratio)";
        double axisY = PAD + ROW * rows.size();
        return new Chart(r.host() + " · " + r.benchmark() + " · " + r.metric(), r.verdict().label(), cls, better(r.better()), figures,
                r.note(), rows,
                zone, "±" + percent(r.threshold()) + " around the before median: changes inside do not count",
                ci, ciLabel, axis.ticks(), r.unit(), axisY, axisY + AXIS, design,
                r.ratios().isEmpty() ? null : ratios(r));
    }

    /** The ratio chart: rounds on a ticked x axis, ratios on a ticked y axis that holds 1 ± threshold, every ratio and the interval. */
    static RatioChart ratios(VerificationResult r) {
        double t = r.threshold();
        List<Double> all = new ArrayList<>(r.ratios());
        all.add(1 - t);
        all.add(1 + t);
        if (r.ciLow() != null) {
            all.add(r.ciLow());
            all.add(r.ciHigh());
        }
        // The plot starts a line lower than the sample chart's: the axis title goes above it.
        double top = PAD + 14, axisY = top + RATIO_PLOT;
        Axis ratio = Axis.of(all, axisY, top);
        int n = r.ratios().size();
        Axis round = new Axis(0.5, n + 0.5, Math.max(1, Axis.niceStep(n / 8.0)), LEFT, WIDTH - PAD);
        List<Dot> dots = new ArrayList<>();
        for (int i = 0; i < n; i++) dots.add(new Dot(round.at(i + 1), ratio.at(r.ratios().get(i))));
        String over = r.controls().isEmpty() ? "" : " over the controls'";
        return new RatioChart(dots, Math.min(r.rounds(), n), round.ticks(), ratio.ticks(), ratio.at(1), ratio.band(1 - t, 1 + t),
                TextTable.pct(t * 100), TextTable.pct(-t * 100), r.ciLow() == null ? null : ratio.band(r.ciLow(), r.ciHigh()),
                "paired ratio of one round: after / before" + over,
                percent(r.confidence()) + " confidence interval of the median paired ratio",
                axisY, axisY + AXIS);
    }

    private static Double median(List<Double> values) {
        return values.isEmpty() ? null : Stats.median(Stats.array(values));
    }

    private static Chart baseline(Samples s, MetricSamples m) {
        Axis axis = Axis.of(m.values());
        double[] v = m.values().stream().mapToDouble(Double::doubleValue).toArray();
        Double median = v.length == 0 ? null : Stats.median(v);
        Row runs = row("runs", BEFORE, BEFORE_MEDIAN, m.values(), median, PAD, axis, false);
        String figures = v.length == 0 ? s.status().name().toLowerCase(Locale.ROOT) + ": " + s.message()
                : "median " + TextTable.num(median) + " " + m.unit() + ", MAD " + TextTable.num(Stats.mad(v)) + "; " + v.length + " runs";
        return new Chart(s.host() + " · " + s.benchmark() + " · " + m.metric(), null, null, better(m.better()), figures, null,
                List.of(runs), null, null, null, null, axis.ticks(), m.unit(), PAD + ROW, PAD + ROW + AXIS, "-", null);
    }

    /** 0.05 as "5%", 0.975 as "97.5%". */
    static String percent(double fraction) {
        return java.math.BigDecimal.valueOf(Math.round(fraction * 100_000) / 1000.0).stripTrailingZeros().toPlainString() + "%";
    }

    private static String better(Better b) {
        if (b == null) return "";
        return b == Better.HIGHER ? "higher is better →" : "← lower is better";
    }

    private static Row row(String label, String color, String medianColor, List<Double> values, Double median, double top, Axis axis,
                           boolean control) {
        List<Dot> dots = new ArrayList<>();
        double middle = top + ROW / 2.0;
        // Small vertical jitter by index so equal values stay visible as separate dots.
        for (int i = 0; i < values.size(); i++) dots.add(new Dot(axis.at(values.get(i)), middle + ((i % 3) - 1) * 5));
        return new Row(label, color, medianColor, dots, median == null ? -1 : axis.at(median), top, control);
    }

    /** The value range drawn, lo to hi, and where it is drawn, from (at lo) to to (at hi), in SVG units. */
    record Axis(double lo, double hi, double step, double from, double to) {
        /** The values' range widened to round tick values, drawn left to right across a chart. */
        static Axis of(List<Double> values) {
            return of(values, LEFT, WIDTH - PAD);
        }

        static Axis of(List<Double> values, double from, double to) {
            double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (!(min <= max)) {
                min = 0;
                max = 1;
            }
            if (min == max) {
                double half = Math.max(Math.abs(min) * 0.05, 1e-9);
                min -= half;
                max += half;
            }
            double step = niceStep((max - min) / 5);
            // The slack keeps a value that is a multiple of the step (0.95 of 0.05) from widening the range by a step.
            return new Axis(Math.floor(min / step + 1e-9) * step, Math.ceil(max / step - 1e-9) * step, step, from, to);
        }

        /** 1, 2 or 5 times a power of ten, the nearest at or above {@code rough}. */
        static double niceStep(double rough) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
            double residual = rough / magnitude;
            return (residual <= 1 ? 1 : residual <= 2 ? 2 : residual <= 5 ? 5 : 10) * magnitude;
        }

        double at(double v) {
            return from + (v - lo) / (hi - lo) * (to - from);
        }

        /** The stretch between two values, whichever way the axis runs. */
        Band band(double a, double b) {
            return new Band(Math.min(at(a), at(b)), Math.max(at(a), at(b)));
        }

        /** A tick at every multiple of the step from lo to hi. */
        List<Tick> ticks() {
            int decimals = (int) Math.max(0, -Math.floor(Math.log10(step)));
            List<Tick> out = new ArrayList<>();
            double first = Math.ceil(lo / step - 1e-9) * step;
            for (int i = 0; first + i * step <= hi + step * 1e-9; i++) {
                double v = first + i * step;
                out.add(new Tick(at(v), String.format(Locale.ROOT, "%." + decimals + "f", v)));
            }
            return out;
        }
    }
}
