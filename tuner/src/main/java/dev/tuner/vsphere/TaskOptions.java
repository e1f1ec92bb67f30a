package dev.tuner.vsphere;

import java.time.Duration;
import java.util.Objects;

/**
 * How to wait for a vSphere task: how long at most, and whom to tell about progress.
 *
 * @param timeout  give up waiting (the task goes on on the server) after this long
 * @param progress told the task's description and percentage on every poll that shows a change
 */
public record TaskOptions(Duration timeout, Progress progress) {
    /** Receives task progress; percent is -1 when the server does not report one. */
    @FunctionalInterface
    public interface Progress {
        void update(String task, int percent);
    }

    public TaskOptions {
        Objects.requireNonNull(timeout, "timeout");
        if (progress == null) {
            progress = (t, p) -> { };
        }
    }

    public static TaskOptions defaults() {
        return new TaskOptions(Duration.ofMinutes(10), null);
    }
}
