package dev.tuner.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of a run over all plays and hosts, plus the per-host recap Ansible users expect. */
public record RunResult(String runId, Mode mode, String playbook, Instant started, Instant finished, List<PlayResult> plays) {

    /**
     * One play over its hosts.
     *
     * @param results    the hosts the play worked on, in inventory order
     * @param notStarted hosts of the play's pattern it never started because the run had stopped ({@link Rollout})
     * @param stopped    why the run stopped before starting the hosts in {@code notStarted} (in this play or an
     *                   earlier one); null when none was left out
     */
    public record PlayResult(String name, String hosts, List<HostResult> results, List<String> unmatched, List<String> notStarted,
                             String stopped) {
        public PlayResult(String name, String hosts, List<HostResult> results, List<String> unmatched) {
            this(name, hosts, results, unmatched, List.of(), null);
        }
    }

    /** Ansible's PLAY RECAP counters for one host, and the plays it was not started in. */
    public record Recap(String host, int ok, int changed, int unreachable, int failed, int skipped, int notStarted) {}

    /** Why the run stopped before starting every host, or null when it did not. */
    public String stopped() {
        return plays.stream().map(PlayResult::stopped).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    /** Hosts the run did not start in some play because it had stopped, each once, in order. */
    public List<String> notStarted() {
        return plays.stream().flatMap(p -> p.notStarted().stream()).distinct().toList();
    }

    public List<Recap> recap() {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (PlayResult p : plays) {
            for (HostResult h : p.results()) {
                int[] c = counts.computeIfAbsent(h.host(), k -> new int[6]);
                boolean unreachable = h.status() == HostResult.Status.UNREACHABLE;
                if (unreachable) c[2]++;
                // A host lost mid-apply still changed what went in before: counted, so history and rollback see it.
                c[0] += (int) h.count(TaskResult.Status.OK);
                c[1] += (int) h.count(TaskResult.Status.CHANGED);
                if (!unreachable) {
                    c[3] += (int) h.count(TaskResult.Status.FAILED) + (h.error() != null && h.status() == HostResult.Status.FAILED
                            && h.tasks().stream().noneMatch(t -> t.status() == TaskResult.Status.FAILED) ? 1 : 0);
                }
                c[4] += (int) h.count(TaskResult.Status.SKIPPED);
            }
            for (String h : p.notStarted()) counts.computeIfAbsent(h, k -> new int[6])[5]++;
        }
        List<Recap> out = new ArrayList<>();
        counts.forEach((h, c) -> out.add(new Recap(h, c[0], c[1], c[2], c[3], c[4], c[5])));
        return out;
    }

    public boolean anyFailed() {
        return recap().stream().anyMatch(r -> r.failed() > 0 || r.unreachable() > 0);
    }

    public boolean anyChanged() {
        return recap().stream().anyMatch(r -> r.changed() > 0);
    }

    public boolean regressionStays() {
        return plays.stream().flatMap(p -> p.results().stream()).anyMatch(HostResult::regressionStays);
    }

    /** A verified regression on some host, kept or rolled back: the run says so with exit 3. */
    public boolean regressed() {
        return plays.stream().flatMap(p -> p.results().stream()).anyMatch(h -> h.verification().regressed());
    }

    /**
     * 0 in sync / done, 2 changes pending or drift (plan, drift), 3 a change was verified to make
     * things worse (rolled back or not: the output says which), 1 errors.
     */
    public int exitCode() {
        if (anyFailed()) return 1;
        if (regressed()) return 3;
        if (mode != Mode.APPLY && anyChanged()) return 2;
        return 0;
    }

    /** The exit code of a run whose end the journal could or could not record: 1 at least when it could not (its record is incomplete). */
    public int exitCode(boolean endJournaled) {
        return endJournaled ? exitCode() : Math.max(1, exitCode());
    }
}
