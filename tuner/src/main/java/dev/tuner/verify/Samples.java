package dev.tuner.verify;

import java.time.Duration;
import java.util.List;

/**
 * What one series of benchmark runs on one host produced.
 *
 * @param requested the benchmark asked for
 * @param benchmark the benchmark that actually ran: {@code requested} or one of its fallbacks (null when skipped)
 * @param message   why it was skipped or failed, which fallback was used, cleanup trouble; "" when nothing to say
 */
public record Samples(
        String host,
        String requested,
        String benchmark,
        Status status,
        String message,
        List<MetricSamples> metrics,
        Duration elapsed) {

    public enum Status { MEASURED, SKIPPED, FAILED }

    public Samples {
        metrics = List.copyOf(metrics);
    }

    public boolean measured() {
        return status == Status.MEASURED;
    }

    /** The figures of {@code metric}, or an empty list if there are none. */
    public List<Double> values(String metric) {
        return metrics.stream().filter(m -> m.metric().equals(metric)).findFirst().map(MetricSamples::values).orElse(List.of());
    }

    /** One line a person can read: "host1 cpu: measured 5 runs in 27s" or "host1 cpu: skipped: needs sysbench ...". */
    public String summary() {
        String what = host + " " + requested + (benchmark != null && !benchmark.equals(requested) ? " (as " + benchmark + ")" : "") + ": ";
        return switch (status) {
            case MEASURED -> what + "measured " + (metrics.isEmpty() ? 0 : metrics.get(0).values().size()) + " runs in "
                    + ProgressEvent.format(elapsed) + (message.isEmpty() ? "" : " (" + message + ")");
            case SKIPPED -> what + "skipped: " + message;
            case FAILED -> what + "failed: " + message;
        };
    }
}
