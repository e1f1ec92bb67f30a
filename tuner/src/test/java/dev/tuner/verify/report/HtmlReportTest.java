package dev.tuner.verify.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tuner.verify.MetricSamples;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.stats.Better;
import dev.tuner.verify.stats.Thresholds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
        assertThat(html.split("<svg ", -1)).hasSize(2);
        assertThat(html.split("<circle ", -1)).hasSize(1 + 10);
        // scipy (mann_whitney_reference.py) gives 0.8403 [0.8171, 0.8624], p = 2/252 for these samples.
        assertThat(html).contains("db1 · disk · seq_write", "class=\"verdict regressed\">regressed<",
                "Δ -16.0%, 95% CI [-18.3%, -13.8%], p = 0.008");
    }
}
