package dev.tuner.run;

import dev.tuner.playbook.Task;
import dev.tuner.settings.ApplyReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.Desired;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.HostContext;
import dev.tuner.settings.KindPlan;
import dev.tuner.settings.Secrets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the planner found for one play on one host: the host as kinds see it, each selected task
 * resolved (its settings, or why it is skipped or failed), a plan per kind in the order the kinds
 * first appear, and the kinds that could not plan, with why.
 */
record HostPlan(HostContext host, List<Resolved> tasks, Map<String, KindPlan> plans, Map<String, String> errors) {

    /** A task resolved for this host: its settings, or why it does not run. */
    record Resolved(Task task, List<Desired> desired, TaskResult.Status skipOrFail, String message) {}

    HostPlan {
        tasks = List.copyOf(tasks);
    }

    boolean hasChanges() {
        return plans.values().stream().anyMatch(KindPlan::hasChanges);
    }

    /** The kinds' plan notes, in order. */
    List<String> notes() {
        List<String> out = new ArrayList<>();
        plans.values().forEach(p -> out.addAll(p.notes()));
        return out;
    }

    /** Why kinds could not plan ("kind: message; ..."), or null when all could. */
    String error() {
        if (errors.isEmpty()) return null;
        return String.join("; ", errors.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList());
    }

    /** Each task as planned; the tasks of a kind that could not plan are failed with its error. */
    List<TaskResult> taskResults() {
        List<TaskResult> out = new ArrayList<>();
        for (TaskResult t : taskResults(plans)) {
            String err = t.status() == TaskResult.Status.SKIPPED ? null : errors.get(t.kind());
            out.add(err == null ? t : new TaskResult(t.task(), t.name(), t.kind(), TaskResult.Status.FAILED, List.of(), List.of(), err));
        }
        return out;
    }

    /** Per kind, the settings its plan was read for, in task order: what a rollback reads again to see what the host holds. */
    Map<String, List<Desired>> settings() {
        Map<String, List<Desired>> out = new LinkedHashMap<>();
        for (Resolved r : tasks) {
            if (r.desired() != null && plans.containsKey(r.task().kind()))
                out.computeIfAbsent(r.task().kind(), k -> new ArrayList<>()).addAll(r.desired());
        }
        return out;
    }

    /**
     * Each task after an apply that stopped: the kinds {@code applied} as their reports say (their
     * changes went in, also when a revert took them out again: the host's state says so), the
     * tasks of {@code failedKind} that were to change something failed (the host's error says
     * why, once), and those of kinds never reached skipped, so the recap counts what happened,
     * not what was planned.
     *
     * @param failedKind null when the apply stopped between kinds (or before the first)
     */
    List<TaskResult> taskResultsAfter(Map<String, ApplyReport> applied, String failedKind) {
        Map<String, KindPlan> byKind = new LinkedHashMap<>(plans);
        applied.forEach((kind, r) -> byKind.put(kind, new KindPlan(kind, r.changes(), r.filesWritten(), List.of())));
        List<TaskResult> out = new ArrayList<>();
        for (TaskResult t : taskResults(byKind)) {
            if (t.status() != TaskResult.Status.CHANGED || applied.containsKey(t.kind())) out.add(t);
            else if (t.kind().equals(failedKind)) out.add(new TaskResult(t.task(), t.name(), t.kind(), TaskResult.Status.FAILED, t.changes(), t.files(),
                    "not applied: applying " + failedKind + " failed (see the host's error)"));
            else out.add(new TaskResult(t.task(), t.name(), t.kind(), TaskResult.Status.SKIPPED, t.changes(), t.files(), "not applied: the host failed first"));
        }
        return out;
    }

    /** Each task with the given plans per kind (what was applied, after an apply). */
    List<TaskResult> taskResults(Map<String, KindPlan> byKind) {
        List<TaskResult> out = new ArrayList<>();
        for (Resolved r : tasks) {
            Task t = r.task();
            if (r.desired() == null) {
                out.add(new TaskResult(t.index(), t.label(), t.kind(), r.skipOrFail(), List.of(), List.of(), r.message()));
                continue;
            }
            KindPlan p = byKind.get(t.kind());
            List<Change> changes = p == null ? List.of() : p.changes().stream().filter(c -> c.task() == t.index()).toList();
            // A kind's files serve all its tasks: shown with the last task of that kind that changes something.
            List<FileChange> files = p != null && isLastChangingTaskOfKind(t, p) ? p.files() : List.of();
            out.add(new TaskResult(t.index(), t.label(), t.kind(), TaskResult.statusOf(changes, files), changes, files, null));
        }
        return out;
    }

    private boolean isLastChangingTaskOfKind(Task t, KindPlan p) {
        int last = -1;
        for (Resolved r : tasks) {
            if (r.desired() == null || !r.task().kind().equals(t.kind())) continue;
            int idx = r.task().index();
            if (p.changes().stream().anyMatch(c -> c.task() == idx && c.isChange())) last = idx;
        }
        if (last == -1) {
            for (Resolved r : tasks) if (r.desired() != null && r.task().kind().equals(t.kind())) last = r.task().index();
        }
        return last == t.index();
    }

    /**
     * What output must not show for this host: every value of a {@code no_log} task's settings;
     * the files such a task writes, or its kind writes for all its tasks (a sysctl drop-in holds
     * every key's value); every file whose mode denies other users reading it, as planned or as it
     * is on the host, with the settings that are its content ({@link Change#isContentOf}).
     */
    Secrets secrets() {
        Set<Integer> noLog = new HashSet<>();
        for (Resolved r : tasks) if (r.task().noLog()) noLog.add(r.task().index());
        Secrets.Builder out = new Secrets.Builder();
        for (KindPlan p : plans.values()) {
            boolean kindHasNoLog = false;
            for (Change c : p.changes()) {
                if (noLog.contains(c.task())) {
                    out.add(c);
                    kindHasNoLog = true;
                }
            }
            for (FileChange f : p.files()) {
                boolean hidden = noLog.contains(f.task()) || f.task() < 0 && kindHasNoLog || !f.readableByAll();
                if (!hidden) continue;
                out.add(f);
                for (Change c : p.changes()) if (c.isContentOf(f.path())) out.add(c);
            }
        }
        return out.build();
    }

    /** A host's status from its tasks: failed, else changed, else skipped when every task was, else ok. */
    static HostResult.Status status(List<TaskResult> tasks) {
        if (tasks.stream().anyMatch(t -> t.status() == TaskResult.Status.FAILED)) return HostResult.Status.FAILED;
        if (tasks.stream().anyMatch(t -> t.status() == TaskResult.Status.CHANGED)) return HostResult.Status.CHANGED;
        if (!tasks.isEmpty() && tasks.stream().allMatch(t -> t.status() == TaskResult.Status.SKIPPED)) return HostResult.Status.SKIPPED;
        return HostResult.Status.OK;
    }
}
