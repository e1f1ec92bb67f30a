package dev.tuner.verify.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tuner.verify.ControlFigures;
import dev.tuner.verify.Design;
import dev.tuner.verify.MetricSamples;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.stats.Better;
import dev.tuner.verify.stats.Thresholds;
import dev.tuner.verify.stats.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static Samples disk(double... v) {
        List<Double> values = new ArrayList<>();
        for (double d : v) values.add(d);
        return new Samples("db1", "disk", "disk", Samples.Status.MEASURED, "",
                List.of(new MetricSamples("seq_write", "MB/s", Better.HIGHER, values)), Duration.ofSeconds(60));
    }

    @Test
    void aSelfContainedPageWithOneChartPerResultShowingEverySample() {
        List<VerificationResult> results = VerificationResult.compare(
                disk(410, 402, 415, 398, 407), disk(340, 335, 351, 338, 342), Thresholds.DEFAULT);
        String html = HtmlReport.render("db-host.yml on prod <check>", results);
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).contains("<title>db-host.yml on prod &lt;check&gt;</title>"); // escaped
        assertThat(html).doesNotContain("http://", "https://", "<script", "<img", "<link");
        String chart = chartSvg(html);
        assertThat(html.split("role=\"img\"", -1)).as("one chart").hasSize(2);
        assertThat(chart.split("<circle ", -1)).as("a dot per run").hasSize(1 + 10);
        // scipy (mann_whitney_reference.py) gives 0.8403 [0.8171, 0.8624], p = 2/252 for these samples.
        assertThat(html).contains("db1 · disk · seq_write", "class=\"verdict regressed\">regressed<",
                "Δ -16.0%, 95% CI [-18.3%, -13.8%], p = 0.008");
    }

    private static String chartSvg(String html) {
        int start = html.indexOf("<svg width=\"" + HtmlReport.WIDTH + "\"");
        return html.substring(start, html.indexOf("</svg>", start));
    }

    private static final Pattern TICK = Pattern.compile("<text class=\"tick-label\" x=\"([0-9.]+)\"[^>]*>([-0-9.]+)</text>");

    /** Reads positions back into values through the axis as drawn: its first and last tick labels. */
    private record Scale(double x0, double v0, double x1, double v1) {
        double value(double x) {
            return v0 + (x - x0) / (x1 - x0) * (v1 - v0);
        }
    }

    private static Scale scale(String svg) {
        Matcher m = TICK.matcher(svg);
        List<double[]> ticks = new ArrayList<>();
        while (m.find()) ticks.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))});
        assertThat(ticks).as("tick labels under the axis").hasSizeGreaterThanOrEqualTo(3);
        double step = ticks.get(1)[1] - ticks.get(0)[1];
        for (int i = 1; i < ticks.size(); i++) {
            assertThat(ticks.get(i)[1] - ticks.get(i - 1)[1]).as("evenly spaced values").isCloseTo(step, within(step * 1e-6));
            assertThat(ticks.get(i)[0]).as("left to right").isGreaterThan(ticks.get(i - 1)[0]);
        }
        double[] first = ticks.get(0);
        double[] last = ticks.get(ticks.size() - 1);
        return new Scale(first[0], first[1], last[0], last[1]);
    }

    private static double attr(String svg, String element, String name) {
        Matcher m = Pattern.compile("<" + element + "[^>]*\\b" + name + "=\"([-0-9.]+)\"").matcher(svg);
        assertThat(m.find()).as("%s with %s in %s", element, name, svg).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** What the chart shows, read against its own axis: medians, the threshold zone and the confidence interval of the change. */
    @Test
    void theChartShowsTheIntervalTheZoneAndTheMediansOnATickedAxisWithALegend() {
        VerificationResult r = VerificationResult.compare(disk(410, 402, 415, 398, 407), disk(340, 335, 351, 338, 342),
                Thresholds.DEFAULT).get(0);
        String html = HtmlReport.render("t", List.of(r));
        String svg = chartSvg(html);
        Scale axis = scale(svg);
        double tolerance = (axis.v1() - axis.v0()) * 0.002;

        Matcher medians = Pattern.compile("<line class=\"median\" x1=\"([0-9.]+)\"").matcher(svg);
        assertThat(medians.find()).isTrue();
        assertThat(axis.value(Double.parseDouble(medians.group(1)))).isCloseTo(r.beforeMedian(), within(tolerance));
        assertThat(medians.find()).isTrue();
        assertThat(axis.value(Double.parseDouble(medians.group(1)))).isCloseTo(r.afterMedian(), within(tolerance));

        double ciX = attr(svg, "rect class=\"ci\"", "x");
        double ciWidth = attr(svg, "rect class=\"ci\"", "width");
        assertThat(axis.value(ciX)).isCloseTo(r.beforeMedian() * r.ciLow(), within(tolerance));
        assertThat(axis.value(ciX + ciWidth)).isCloseTo(r.beforeMedian() * r.ciHigh(), within(tolerance));
        double zoneX = attr(svg, "rect class=\"zone\"", "x");
        double zoneWidth = attr(svg, "rect class=\"zone\"", "width");
        assertThat(axis.value(zoneX)).isCloseTo(r.beforeMedian() * 0.95, within(tolerance));
        assertThat(axis.value(zoneX + zoneWidth)).isCloseTo(r.beforeMedian() * 1.05, within(tolerance));
        assertThat(ciX + ciWidth).as("a regression: the interval lies wholly below the zone").isLessThan(zoneX);

        assertThat(html).contains("higher is better", "one run", "median", "±5% around the before median",
                "95% confidence interval of the after median");
        Samples before = new Samples("db1", "network", "network", Samples.Status.MEASURED, "",
                List.of(new MetricSamples("latency", "usec", Better.LOWER, List.of(100.0, 101.0, 99.0))), Duration.ofSeconds(1));
        assertThat(HtmlReport.render("t", VerificationResult.compare(before, before, Thresholds.DEFAULT))).contains("lower is better");
    }

    /** A paired result: the control's rows on the sample chart's axis, and each round's ratio on the ratio chart's own axis. */
    @Test
    void aPairedResultChartsTheControlsOnTheSameAxisAndEveryRoundsRatio() {
        List<Double> ratios = List.of(1.10, 1.20, 1.15, 1.25);
        VerificationResult r = new VerificationResult("db1", "disk", "seq_write", "MB/s", Better.HIGHER,
                List.of(400.0, 404.0, 396.0, 402.0), List.of(452.0, 470.0, 458.0, 500.0), 401.0, 464.0, 2.0, 15.0, 1.175, 17.5,
                1.12, 1.22, 0.01, 0.95, 0.05, Verdict.IMPROVED, "", Design.CONTROL, 3, ratios,
                List.of(new ControlFigures("db2", List.of(300.0, 310.0, 305.0, 320.0), List.of(305.0, 300.0, 315.0, 330.0))));
        String html = HtmlReport.render("t", List.of(r));
        String svg = chartSvg(html);
        Scale axis = scale(svg);
        assertThat(svg).contains(">db2 before<", ">db2 after<");
        assertThat(svg.split("<circle ", -1)).as("a dot per run of both hosts").hasSize(1 + 16);
        Matcher medians = Pattern.compile("<line class=\"median\" x1=\"([0-9.]+)\"").matcher(svg);
        List<Double> medianValues = new ArrayList<>();
        while (medians.find()) medianValues.add(axis.value(Double.parseDouble(medians.group(1))));
        assertThat(medianValues).as("medians of db1 before, after, db2 before, after").hasSize(4);
        double tolerance = (axis.v1() - axis.v0()) * 0.002;
        assertThat(medianValues.get(2)).isCloseTo(307.5, within(tolerance));
        assertThat(medianValues.get(3)).isCloseTo(310, within(tolerance));

        int start = html.indexOf("<svg class=\"ratios\"");
        String ratioSvg = html.substring(start, html.indexOf("</svg>", start));
        Matcher tick = Pattern.compile("<text class=\"ratio-label\" x=\"[0-9.]+\" y=\"([0-9.]+)\"[^>]*>([0-9.]+)</text>").matcher(ratioSvg);
        List<double[]> ticks = new ArrayList<>();
        while (tick.find()) ticks.add(new double[] {Double.parseDouble(tick.group(1)) - 4, Double.parseDouble(tick.group(2))});
        assertThat(ticks).hasSizeGreaterThanOrEqualTo(3);
        Scale ratioAxis = new Scale(ticks.get(0)[0], ticks.get(0)[1], ticks.get(ticks.size() - 1)[0], ticks.get(ticks.size() - 1)[1]);
        Matcher dot = Pattern.compile("<circle class=\"round\" cx=\"([0-9.]+)\" cy=\"([0-9.]+)\"[^>]*fill-opacity=\"([0-9.]+)\"").matcher(ratioSvg);
        List<Double> drawn = new ArrayList<>();
        List<String> opacity = new ArrayList<>();
        while (dot.find()) {
            drawn.add(ratioAxis.value(Double.parseDouble(dot.group(2))));
            opacity.add(dot.group(3));
        }
        assertThat(drawn).hasSize(4);
        for (int i = 0; i < 4; i++) assertThat(drawn.get(i)).isCloseTo(ratios.get(i), within(0.002));
        assertThat(opacity.get(3)).as("the round after the verdict is paler").isNotEqualTo(opacity.get(0));
        double top = attr(ratioSvg, "rect class=\"interval\"", "y");
        double height = attr(ratioSvg, "rect class=\"interval\"", "height");
        assertThat(ratioAxis.value(top)).isCloseTo(1.22, within(0.002));
        assertThat(ratioAxis.value(top + height)).isCloseTo(1.12, within(0.002));
        assertThat(html).contains("design control, 3 rounds", "a control host's run and median",
                "paired ratio of one round: after / before over the controls", "a round after this metric");
    }

    @Test
    void aBaselinePageChartsEachHostsRunsAndSaysWhyAMetricHasNone() {
        Samples failed = new Samples("db2", "disk", "disk", Samples.Status.FAILED, "fio: no space left", List.of(
                new MetricSamples("seq_write", "MB/s", Better.HIGHER, List.of())), Duration.ZERO);
        String html = HtmlReport.renderBaseline("tuner bench disk", List.of(disk(410, 402, 415, 398, 407), failed));
        String svg = chartSvg(html);
        assertThat(svg.split("<circle ", -1)).hasSize(1 + 5);
        Matcher median = Pattern.compile("<line class=\"median\" x1=\"([0-9.]+)\"").matcher(svg);
        assertThat(median.find()).isTrue();
        assertThat(scale(svg).value(Double.parseDouble(median.group(1)))).isCloseTo(407, within(0.5));
        assertThat(html.split("role=\"img\"", -1)).as("no empty chart for the failed host").hasSize(2);
        assertThat(html).contains("db1 · disk · seq_write", "median 407", "db2 · disk · seq_write", "failed: fio: no space left",
                "higher is better");
    }
}
