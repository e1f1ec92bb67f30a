package dev.tuner.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of a run over all plays and hosts, plus the per-host recap Ansible users expect. */
public record RunResult(String runId, Mode mode, String playbook, Instant started, Instant finished, List<PlayResult> plays) {

    public record PlayResult(String name, String hosts, List<HostResult> results, List<String> unmatched) {}

    /** Ansible's PLAY RECAP counters for one host. */
    public record Recap(String host, int ok, int changed, int unreachable, int failed, int skipped) {}

    public List<Recap> recap() {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (PlayResult p : plays) {
            for (HostResult h : p.results()) {
                int[] c = counts.computeIfAbsent(h.host(), k -> new int[5]);
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
        }
        List<Recap> out = new ArrayList<>();
        counts.forEach((h, c) -> out.add(new Recap(h, c[0], c[1], c[2], c[3], c[4])));
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
}
