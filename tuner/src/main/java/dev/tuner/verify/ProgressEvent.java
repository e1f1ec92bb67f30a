package dev.tuner.verify;

import java.time.Duration;

/**
 * Where a benchmark series is: which benchmark on which host, run i of n, time spent, and an
 * estimate of the time left (null until one run has finished and there is something to go on).
 */
public record ProgressEvent(String host, String benchmark, Phase phase, int run, int runs, Duration elapsed, Duration remaining, String message) {
    public enum Phase { CHECKING, SETUP, WARMUP, RUN, CLEANUP, FINISHED, SKIPPED, FAILED }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(host).append(' ').append(benchmark).append(": ").append(phase.name().toLowerCase());
        if (phase == Phase.WARMUP || phase == Phase.RUN) sb.append(' ').append(run).append('/').append(runs);
        sb.append(", elapsed ").append(format(elapsed));
        if (remaining != null) sb.append(", about ").append(format(remaining)).append(" left");
        if (message != null && !message.isEmpty()) sb.append(" (").append(message).append(')');
        return sb.toString();
    }

    static String format(Duration d) {
        long s = Math.round(d.toMillis() / 1000.0);
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + String.format("%02d", s % 60) + "s";
        return (s / 3600) + "h" + String.format("%02d", (s % 3600) / 60) + "m";
    }
}
