package dev.tuner.verify.report;

import dev.tuner.verify.ControlFigures;
import dev.tuner.verify.VerificationResult;
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
 * One self-contained HTML page (no scripts, fonts or images from elsewhere): per result a dot
 * plot of the before and after samples on a shared axis with their medians (and the control
 * hosts' figures of the same moments, one row per side and control), for paired designs a chart
 * of the paired ratio of every round against the threshold band with the interval of the median
 * ratio, then the table figures, the design and the verdict. Chart geometry is computed here, so
 * the template stays markup.
 */
public final class HtmlReport {
    static final int WIDTH = 560, ROW = 34, PAD = 16, AXIS = 22, RATIO_HEIGHT = 150;

    private HtmlReport() {}

    /** A point or line of a chart, in SVG user units. */
    public record Dot(double x, double y) {}

    /** One row of dots: a label and where its dots go. */
    public record Row(String label, double y, List<Dot> dots, String colour) {}

    /**
     * The paired ratios of the rounds: one dot per round (x by round, y by ratio), the lines of
     * 1 and of 1 ± threshold, and the interval of the median ratio as a band (bandTop below
     * bandBottom on screen; negative when there is no interval).
     */
    public record RatioChart(List<Dot> dots, double height, double yOne, double yUp, double yDown, double bandTop, double bandBottom,
                             String top, String bottom, String upLabel, String downLabel, int rounds) {}

    /** Everything the template shows for one result. */
    public record Chart(VerificationResult r, String title, String change, String ci, String p, String verdictClass,
                        List<Dot> before, List<Dot> after, double beforeMedianX, double afterMedianX,
                        double height, String axisMin, String axisMax, List<Row> controls, RatioChart ratios, String design) {}

    public static String render(String title, List<VerificationResult> results) {
        List<Chart> charts = new ArrayList<>();
        for (VerificationResult r : results) charts.add(chart(r));
        Map<String, Object> model = new HashMap<>();
        model.put("title", title);
        model.put("charts", charts);
        model.put("width", WIDTH);
        model.put("row", ROW);
        model.put("pad", PAD);
        model.put("table", TextTable.render(results));
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
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        List<List<Double>> all = new ArrayList<>(List.of(r.before(), r.after()));
        for (ControlFigures c : r.controls()) {
            all.add(c.before());
            all.add(c.after());
        }
        for (List<Double> vs : all) for (double v : vs) { min = Math.min(min, v); max = Math.max(max, v); }
        if (!(min <= max)) { min = 0; max = 1; }
        if (min == max) { min -= Math.max(1, Math.abs(min) * 0.05); max += Math.max(1, Math.abs(max) * 0.05); }
        double span = max - min;
        double lo = min - span * 0.05, hi = max + span * 0.05;
        List<Dot> b = dots(r.before(), lo, hi, PAD + ROW / 2.0);
        List<Dot> a = dots(r.after(), lo, hi, PAD + ROW * 1.5);
        List<Row> controls = new ArrayList<>();
        int row = 2;
        for (ControlFigures c : r.controls()) {
            double yb = PAD + ROW * (row + 0.5), ya = PAD + ROW * (row + 1.5);
            controls.add(new Row(c.host() + " before", yb, dots(c.before(), lo, hi, yb), "#7d9cc4"));
            controls.add(new Row(c.host() + " after", ya, dots(c.after(), lo, hi, ya), "#e0a86a"));
            row += 2;
        }
        double bm = r.beforeMedian() == null ? -1 : x(r.beforeMedian(), lo, hi);
        double am = r.afterMedian() == null ? -1 : x(r.afterMedian(), lo, hi);
        String change = r.changePercent() == null ? "-" : TextTable.pct(r.changePercent());
        String ci = r.ciLow() == null ? "-" : "[" + TextTable.pct((r.ciLow() - 1) * 100) + ", " + TextTable.pct((r.ciHigh() - 1) * 100) + "]";
        String p = r.pValue() == null ? "-" : TextTable.p(r.pValue());
        String cls = switch (r.verdict()) {
            case IMPROVED -> "improved";
            case REGRESSED -> "regressed";
            case NO_SIGNIFICANT_CHANGE, UNCHANGED -> "same";
            case NOT_MEASURED, INCONCLUSIVE -> "none";
        };
        return new Chart(r, r.host() + " · " + r.benchmark() + " · " + r.metric(), change, ci, p, cls, b, a, bm, am,
                PAD * 2 + ROW * row + AXIS, TextTable.num(lo) + " " + r.unit(), TextTable.num(hi) + " " + r.unit(), controls,
                r.ratios().isEmpty() ? null : ratios(r), TextTable.design(r));
    }

    /** The ratio chart: rounds left to right, ratios bottom to top on an axis that holds 1 ± threshold, every ratio and the interval. */
    static RatioChart ratios(VerificationResult r) {
        double t = r.threshold();
        double lo = 1 - t, hi = 1 + t;
        for (double v : r.ratios()) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
        if (r.ciLow() != null) { lo = Math.min(lo, r.ciLow()); hi = Math.max(hi, r.ciHigh()); }
        double pad = (hi - lo) * 0.08;
        lo -= pad;
        hi += pad;
        double height = RATIO_HEIGHT + PAD * 2;
        int n = r.ratios().size();
        List<Dot> dots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double x = 70 + (n == 1 ? 0.5 : (double) i / (n - 1)) * (WIDTH - 70 - PAD * 2) + PAD / 2.0;
            dots.add(new Dot(x, y(r.ratios().get(i), lo, hi)));
        }
        double bandTop = r.ciHigh() == null ? -1 : y(r.ciHigh(), lo, hi);
        double bandBottom = r.ciLow() == null ? -1 : y(r.ciLow(), lo, hi);
        return new RatioChart(dots, height, y(1, lo, hi), y(1 + t, lo, hi), y(1 - t, lo, hi), bandTop, bandBottom,
                String.format(Locale.ROOT, "%.3f", hi), String.format(Locale.ROOT, "%.3f", lo),
                TextTable.pct(t * 100), TextTable.pct(-t * 100), n);
    }

    private static double y(double v, double lo, double hi) {
        return PAD + (hi - v) / (hi - lo) * RATIO_HEIGHT;
    }

    private static List<Dot> dots(List<Double> values, double lo, double hi, double y) {
        List<Dot> out = new ArrayList<>();
        // Small vertical jitter by index so equal values stay visible as separate dots.
        for (int i = 0; i < values.size(); i++) out.add(new Dot(x(values.get(i), lo, hi), y + ((i % 3) - 1) * 5));
        return out;
    }

    private static double x(double v, double lo, double hi) {
        return 70 + (v - lo) / (hi - lo) * (WIDTH - 70 - PAD);
    }
}
