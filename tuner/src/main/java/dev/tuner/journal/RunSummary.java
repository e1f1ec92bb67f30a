package dev.tuner.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The header of a journaled run: what was run, on what, when, by which process, and how it ended.
 * {@code status} is one of the constants below. As stored in {@code run.json} it is what the run
 * itself wrote; as {@link Journal#list()} returns it, it is the run's status now: a run without
 * an end whose process is gone is {@link #INTERRUPTED}, and a run a later rollback covers is
 * {@link #ROLLED_BACK}, with {@code rolledBackBy} naming that rollback (never stored).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunSummary(
        String id,
        String command,
        String playbook,
        List<String> inventories,
        String started,
        String finished,
        String status,
        String rollbackOf,
        Map<String, Object> counts,
        Long pid,
        String processStarted,
        String rolledBackBy) {

    /** Still being written by a live process. */
    public static final String RUNNING = "running";
    public static final String OK = "ok";
    public static final String FAILED = "failed";
    /** A verified regression was kept (not rolled back). */
    public static final String REGRESSED = "regressed";
    /** Stopped before its end: by a signal (written by the run), or its process vanished without writing an end. */
    public static final String INTERRUPTED = "interrupted";
    /** Every host it changed was restored by a rollback that was not itself rolled back. */
    public static final String ROLLED_BACK = "rolled back";

    RunSummary finished(String at, String endStatus, Map<String, Object> endCounts) {
        return new RunSummary(id, command, playbook, inventories, started, at, endStatus, rollbackOf, endCounts, pid, processStarted, null);
    }

    RunSummary withStatus(String now, String by) {
        return new RunSummary(id, command, playbook, inventories, started, finished, now, rollbackOf, counts, pid, processStarted, by);
    }
}
