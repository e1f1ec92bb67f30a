package dev.tuner.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Prometheus reader the report tests rely on reads the format's own examples and refuses what Prometheus refuses. */
class ExpositionFormatTest {
    @Test
    void readsFamiliesLabelsEscapesValuesAndTimestamps() {
        Map<String, ExpositionFormat.Family> f = ExpositionFormat.parse("""
                # HELP http_requests_total The total number of HTTP requests.
                # TYPE http_requests_total counter
                http_requests_total{method="post",code="200"} 1027 1395066363000
                http_requests_total{method="post",code="400"}    3 1395066363000

                # A normal comment.
                msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
                # TYPE temperature gauge
                temperature -Inf
                """);
        assertThat(f.keySet()).containsExactly("http_requests_total", "msdos_file_access_time_seconds", "temperature");
        assertThat(f.get("http_requests_total").type()).isEqualTo("counter");
        assertThat(f.get("http_requests_total").samples().get(1).labels()).isEqualTo(Map.of("method", "post", "code", "400"));
        assertThat(f.get("http_requests_total").samples().get(1).value()).isEqualTo(3.0);
        assertThat(f.get("http_requests_total").samples().get(0).timestamp()).isEqualTo(1395066363000L);
        assertThat(f.get("msdos_file_access_time_seconds").samples().get(0).labels())
                .isEqualTo(Map.of("path", "C:\\DIR\\FILE.TXT", "error", "Cannot find file:\n\"FILE.TXT\""));
        assertThat(f.get("temperature").samples().get(0).value()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "9lives 1\n",                                       // metric name starts with a digit
            "m{host=\"a\"b\"} 1\n",                             // unescaped quote in a label value
            "m{host=a} 1\n",                                    // unquoted label value
            "m{1host=\"a\"} 1\n",                               // bad label name
            "m{host=\"a\",host=\"b\"} 1\n",                     // label twice
            "m one\n",                                          // value not a number
            "m 0x1p3\n",                                        // not a Prometheus float
            "m 1 12.5\n",                                       // timestamp not an integer
            "m 1",                                              // no final newline
            "# TYPE m gauge\n# TYPE m gauge\nm 1\n",            // second TYPE
            "m 1\n# TYPE m gauge\n",                            // TYPE after samples
            "# TYPE m gauge\nm{a=\"1\"} 1\nn 1\nm{a=\"2\"} 1\n", // one family's samples split
            "m{a=\"1\"} 1\nm{a=\"1\"} 2\n",                     // same series twice
            "# TYPE m thermometer\nm 1\n",                      // unknown type
    })
    void refusesWhatPrometheusRefuses(String text) {
        assertThatThrownBy(() -> ExpositionFormat.parse(text)).isInstanceOf(AssertionError.class);
    }
}
