package dev.tuner.verify.report;

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
 * plot of the before and after samples on a shared axis with their medians, then the table
 * figures and the verdict. Chart geometry is computed here, so the template stays markup.
 */
public final class HtmlReport {
    static final int WIDTH = 560, ROW = 34, PAD = 16, AXIS = 22;

    private HtmlReport() {}

    /** A point or line of a chart, in SVG user units. */
    public record Dot(double x, double y) {}

    /** Everything the template shows for one result. */
    public record Chart(VerificationResult r, String title, String change, String ci, String p, String verdictClass,
                        List<Dot> before, List<Dot> after, double beforeMedianX, double afterMedianX,
                        double height, String axisMin, String axisMax) {}

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
        for (double v : r.before()) { min = Math.min(min, v); max = Math.max(max, v); }
        for (double v : r.after()) { min = Math.min(min, v); max = Math.max(max, v); }
        if (!(min <= max)) { min = 0; max = 1; }
        if (min == max) { min -= Math.max(1, Math.abs(min) * 0.05); max += Math.max(1, Math.abs(max) * 0.05); }
        double span = max - min;
        double lo = min - span * 0.05, hi = max + span * 0.05;
        List<Dot> b = dots(r.before(), lo, hi, PAD + ROW / 2.0);
        List<Dot> a = dots(r.after(), lo, hi, PAD + ROW * 1.5);
        double bm = r.beforeMedian() == null ? -1 : x(r.beforeMedian(), lo, hi);
        double am = r.afterMedian() == null ? -1 : x(r.afterMedian(), lo, hi);
        String change = r.changePercent() == null ? "-" : TextTable.pct(r.changePercent());
        String ci = r.ciLow() == null ? "-" : "[" + TextTable.pct((r.ciLow() - 1) * 100) + ", " + TextTable.pct((r.ciHigh() - 1) * 100) + "]";
        String p = r.pValue() == null ? "-" : TextTable.p(r.pValue());
        String cls = switch (r.verdict()) {
            case IMPROVED -> "improved";
            case REGRESSED -> "regressed";
            case NO_SIGNIFICANT_CHANGE -> "same";
            case UNCHANGED -> "same";
            case NOT_MEASURED, INCONCLUSIVE -> "none";
        };
        return new Chart(r, r.host() + " · " + r.benchmark() + " · " + r.metric(), change, ci, p, cls, b, a, bm, am,
                PAD * 2 + ROW * 2 + AXIS, TextTable.num(lo) + " " + r.unit(), TextTable.num(hi) + " " + r.unit());
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
