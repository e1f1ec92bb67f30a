package dev.tuner.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.verify.stats.Better;
import dev.tuner.verify.stats.Thresholds;
import dev.tuner.verify.stats.Verdict;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerificationResultTest {
    private static Samples latency(String benchmark, List<Double> v) {
        return new Samples("web1", "network", benchmark, Samples.Status.MEASURED, "",
                List.of(new MetricSamples("latency_p50", "usec", Better.LOWER, v)), Duration.ofSeconds(12));
    }

    @Test
    void resultsAreJsonWithReadableVerdictsAndRoundTrip() throws Exception {
        List<VerificationResult> r = VerificationResult.compare(
                latency("network", List.of(52.1, 50.3, 51.7, 53.0, 50.9)),
                latency("network", List.of(40.2, 41.0, 39.8, 40.7, 41.5)), Thresholds.DEFAULT);
        assertThat(r).singleElement().satisfies(v -> {
            assertThat(v.verdict()).isEqualTo(Verdict.IMPROVED);
            assertThat(v.changePercent()).isNegative();
        });
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(r.get(0));
        JsonNode n = json.readTree(text);
        assertThat(n.get("verdict").asText()).isEqualTo("improved");
        assertThat(n.get("better").asText()).isEqualTo("lower");
        assertThat(n.get("before").size()).isEqualTo(5);
        assertThat(n.get("ciLow").asDouble()).isLessThan(n.get("ciHigh").asDouble());
        assertThat(json.readValue(text, VerificationResult.class)).isEqualTo(r.get(0));
    }

    @Test
    void aFallbackOnOneSideOnlyIsNotCompared() {
        List<VerificationResult> r = VerificationResult.compare(
                latency("network", List.of(50.0, 51.0, 52.0)), latency("network-ping", List.of(40.0, 41.0, 42.0)), Thresholds.DEFAULT);
        assertThat(r).singleElement().satisfies(v -> {
            assertThat(v.verdict()).isEqualTo(Verdict.NOT_MEASURED);
            assertThat(v.note()).isEqualTo("before ran network but after ran network-ping; they cannot be compared");
        });
    }
}
