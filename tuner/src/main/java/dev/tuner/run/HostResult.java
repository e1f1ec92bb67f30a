package dev.tuner.run;

import dev.tuner.settings.Secrets;
import java.util.List;

/**
 * Everything that happened on one host in one play. {@code state} says in what state a failed
 * host was left (e.g. "reverted", "partially applied: ..."). {@code secrets} are the values and
 * file contents output must hide ({@code no_log} tasks, files others may not read).
 */
public record HostResult(
        String host,
        String play,
        Status status,
        List<TaskResult> tasks,
        List<String> handlersRun,
        List<String> notes,
        String error,
        String leftState,
        VerifyOutcome verification,
        Secrets secrets) {

    public HostResult(String host, String play, Status status, List<TaskResult> tasks, List<String> handlersRun,
                      List<String> notes, String error, String leftState) {
        this(host, play, status, tasks, handlersRun, notes, error, leftState, VerifyOutcome.NONE);
    }

    public HostResult(String host, String play, Status status, List<TaskResult> tasks, List<String> handlersRun,
                      List<String> notes, String error, String leftState, VerifyOutcome verification) {
        this(host, play, status, tasks, handlersRun, notes, error, leftState, verification, Secrets.NONE);
    }

    /** The same result, hiding {@code more} too. */
    public HostResult withSecrets(Secrets more) {
        return new HostResult(host, play, status, tasks, handlersRun, notes, error, leftState, verification, secrets.plus(more));
    }

    /** A verified regression that was not rolled back: the run exits 3. */
    public boolean regressionStays() {
        return verification.regressionStays();
    }

    public enum Status { OK, CHANGED, UNREACHABLE, FAILED, SKIPPED }

    public long count(TaskResult.Status s) {
        return tasks.stream().filter(t -> t.status() == s).count();
    }
}
