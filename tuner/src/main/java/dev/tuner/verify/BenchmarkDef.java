package dev.tuner.verify;

import dev.tuner.diag.Location;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One benchmark from {@code verify/NAME.yml}.
 *
 * @param vars     variables the commands use, with their defaults; a null default means the caller must give it
 * @param requires binaries that must be on the host's PATH
 * @param check    an extra prerequisite command (say, {@code docker info}) that must exit 0; may be null
 * @param fallback the benchmark used instead when a prerequisite is missing; may be null
 * @param warmup   recommended warm-up runs, whose figures are discarded
 */
public record BenchmarkDef(
        String name,
        String description,
        String command,
        List<String> requires,
        String check,
        Map<String, String> vars,
        Duration timeout,
        int warmup,
        String fallback,
        List<Step> setup,
        List<Step> cleanup,
        List<MetricDef> metrics,
        Location location) {

    /** Variables every command may use without declaring them; the runner provides their values. */
    public static final List<String> BUILTIN_VARS = List.of("host", "run_id", "run_dir");

    public boolean usesPeer() {
        return setup.stream().anyMatch(s -> s.on() == Step.Where.PEER) || cleanup.stream().anyMatch(s -> s.on() == Step.Where.PEER);
    }

    public MetricDef metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst().orElse(null);
    }
}
