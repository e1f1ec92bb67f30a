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

class TextTableTest {
    private static Samples cpu(String host, double... v) {
        List<Double> values = new ArrayList<>();
        for (double d : v) values.add(d);
        return new Samples(host, "cpu", "cpu", Samples.Status.MEASURED, "",
                List.of(new MetricSamples("events_per_sec", "events/s", Better.HIGHER, values)), Duration.ofSeconds(30));
    }

    @Test
    void showsMediansChangeIntervalPAndVerdictWithNotesBelow() {
        List<VerificationResult> results = new ArrayList<>();
        results.addAll(VerificationResult.compare(cpu("db1", 1000, 1012, 995, 1004, 990), cpu("db1", 1200, 1195, 1210, 1188, 1206), Thresholds.DEFAULT));
        results.addAll(VerificationResult.compare(cpu("db2", 1000, 1001, 999, 1000.5, 999.5), cpu("db2", 1030, 1031, 1029, 1030.5, 1029.5), Thresholds.DEFAULT));
        Samples skipped = new Samples("db3", "cpu", null, Samples.Status.SKIPPED, "needs sysbench (not installed on host db3)", List.of(), Duration.ZERO);
        results.addAll(VerificationResult.compare(skipped, skipped, Thresholds.DEFAULT));
        String table = TextTable.render(results);
        String[] lines = table.split("\n");
        assertThat(lines[0]).isEqualTo("HOST  BENCHMARK  METRIC          BEFORE                AFTER                 Δ%      95% CI            p      VERDICT");
        // db1's figures are scipy's (mann_whitney_reference.py): ratio 1.2000, interval [1.1833, 1.2161], p = 2/252.
        assertThat(lines[1]).isEqualTo("db1   cpu        events_per_sec  1000 ±5.000 events/s  1200 ±6.000 events/s  +20.0%  [+18.3%, +21.6%]  0.008  improved");
        assertThat(lines[2]).contains("+3.0%").endsWith("no significant change [1]");
        assertThat(lines[3]).isEqualTo("db3   cpu        -               -                     -                     -       -                 -      not measured [2]");
        assertThat(lines[4]).isEqualTo("[1] probably better by +3.0%, not clearly beyond the 5% threshold");
        assertThat(lines[5]).isEqualTo("[2] before: skipped: needs sysbench (not installed on host db3)");
    }
}
