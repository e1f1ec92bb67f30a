package dev.tuner.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tuner.run.HostResult;
import dev.tuner.run.Mode;
import dev.tuner.run.RunResult;
import dev.tuner.run.TaskResult;
import dev.tuner.run.VerifyOutcome;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.FileChange;
import dev.tuner.settings.Secrets;
import dev.tuner.verify.Design;
import dev.tuner.verify.VerificationResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/** The run document of plan and apply ({@link JsonReport}) read back into a run, and the runs of several slices merged. */
final class RunDocument {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String HIDDEN_BEFORE = "\u0000hidden content before\n";
    private static final String HIDDEN_AFTER = "\u0000hidden content after\n";

    private RunDocument() {}

    static RunResult read(JsonNode doc) {
        Documents.Fields f = new Documents.Fields(doc, "$");
        Mode mode = enumOf(Mode.class, f.text("mode"), "$.mode");
        List<RunResult.PlayResult> plays = new ArrayList<>();
        int p = 0;
        for (JsonNode play : f.array("plays")) {
            String path = "$.plays[" + p++ + "]";
            Documents.Fields pf = new Documents.Fields(play, path);
            List<HostResult> hosts = new ArrayList<>();
            int h = 0;
            for (JsonNode host : pf.array("results")) hosts.add(host(host, pf.text("name"), path + ".results[" + h++ + "]"));
            // Documents written before rollouts could stop have neither field: every host was started.
            List<String> notStarted = play.has("not_started") ? pf.strings("not_started") : List.of();
            String stopped = play.has("stopped") ? pf.textOrNull("stopped") : null;
            plays.add(new RunResult.PlayResult(pf.text("name"), pf.text("hosts"), hosts, pf.strings("unmatched_patterns"), notStarted, stopped));
        }
        return new RunResult(f.textOrNull("run_id"), mode, f.text("playbook"), f.instant("started"), f.instant("finished"), plays);
    }

    /** The {@code interrupted} object's signal and exit code; null when the run was not interrupted (or the document is older than the field). */
    static Interruption interruption(JsonNode doc) {
        JsonNode in = doc.get("interrupted");
        if (in == null || in.isNull()) return null;
        Documents.Fields f = new Documents.Fields(in, "$.interrupted");
        return new Interruption(f.text("signal"), f.integer("exit_code"));
    }

    private static HostResult host(JsonNode node, String play, String path) {
        Documents.Fields f = new Documents.Fields(node, path);
        List<TaskResult> tasks = new ArrayList<>();
        Secrets.Builder hidden = new Secrets.Builder();
        int t = 0;
        for (JsonNode task : f.array("tasks")) tasks.add(task(task, path + ".tasks[" + t++ + "]", hidden));
        Documents.Fields v = new Documents.Fields(f.node().get("verification"), path + ".verification");
        List<VerificationResult> results = new ArrayList<>();
        for (JsonNode r : v.array("results")) {
            try {
                results.add(JSON.treeToValue(r, VerificationResult.class));
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                throw new IllegalArgumentException(path + ".verification.results: " + e.getMessage());
            }
        }
        // How the host was measured: absent from documents older than the verification designs.
        Design design = null;
        String designText = v.node().has("design") ? v.textOrNull("design") : null;
        if (designText != null) {
            design = java.util.Arrays.stream(Design.values()).filter(d -> d.label().equals(designText)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(path + ".verification.design: '" + designText + "' is not one of the documented values"));
        }
        JsonNode seed = v.node().get("seed");
        if (seed != null && !seed.isNull() && !seed.isIntegralNumber()) throw new IllegalArgumentException(path + ".verification.seed is not an integer or null");
        VerifyOutcome outcome = new VerifyOutcome(results, List.of(), List.of(), v.strings("rolled_back_tasks"),
                v.strings("kept_regressions"), v.strings("notes"), design, v.node().has("design_note") ? v.textOrNull("design_note") : null,
                seed == null || seed.isNull() ? null : seed.asLong(), v.node().has("controls") ? v.strings("controls") : List.of());
        return new HostResult(f.text("host"), play, enumOf(HostResult.Status.class, f.text("status"), path + ".status"), tasks,
                f.strings("handlers_run"), f.strings("notes"), f.textOrNull("error"), f.textOrNull("left_state"), outcome, hidden.build());
    }

    /** {@code hidden} collects what the document marks {@code "hidden"}, so the merged report hides it again. */
    private static TaskResult task(JsonNode node, String path, Secrets.Builder hidden) {
        Documents.Fields f = new Documents.Fields(node, path);
        int index = f.integer("index");
        String kind = f.text("kind");
        List<Change> changes = new ArrayList<>();
        int s = 0;
        for (JsonNode setting : f.array("settings")) {
            String sp = path + ".settings[" + s++ + "]";
            Documents.Fields sf = new Documents.Fields(setting, sp);
            Change c = new Change(index, kind, sf.text("key"), sf.textOrNull("current"), sf.text("desired"), sf.textOrNull("persisted"),
                    enumOf(ChangeState.class, sf.text("state"), sp + ".state"), cost(sf.text("cost"), sp + ".cost"), sf.textOrNull("note"));
            if (hiddenIn(setting, sf)) hidden.add(c);
            changes.add(c);
        }
        List<FileChange> files = new ArrayList<>();
        int i = 0;
        for (JsonNode file : f.array("files")) {
            String fp = path + ".files[" + i++ + "]";
            Documents.Fields ff = new Documents.Fields(file, fp);
            if (hiddenIn(file, ff)) {
                FileChange h = hiddenFile(index, ff.text("path"), ff.text("action"), fp);
                hidden.add(h);
                files.add(h);
            } else {
                files.add(FileDiff.fromUnified(index, ff.text("path"), ff.text("action"), ff.text("diff"), fp));
            }
        }
        return new TaskResult(index, f.text("name"), kind, enumOf(TaskResult.Status.class, f.text("status"), path + ".status"),
                changes, files, f.textOrNull("message"));
    }

    private static boolean hiddenIn(JsonNode node, Documents.Fields f) {
        return node.has("hidden") && f.bool("hidden");
    }

    /**
     * A file whose diff the document hides ({@link Masking#HIDDEN_DIFF} stands for it): its contents
     * are not known, only what was done to it, so stand-ins that differ take their place.
     */
    private static FileChange hiddenFile(int task, String path, String action, String where) {
        return switch (action) {
            case "create" -> new FileChange(task, path, null, HIDDEN_AFTER, null);
            case "remove" -> new FileChange(task, path, HIDDEN_BEFORE, null, null);
            case "modify" -> new FileChange(task, path, HIDDEN_BEFORE, HIDDEN_AFTER, null);
            default -> throw new IllegalArgumentException(where + ".action: '" + action + "' is not one of the documented values");
        };
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, String value, String path) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": '" + value + "' is not one of the documented values");
        }
    }

    private static Cost cost(String label, String path) {
        for (Cost c : Cost.values()) if (c.label().equals(label)) return c;
        throw new IllegalArgumentException(path + ": '" + label + "' is not a cost");
    }

    /**
     * The runs of the slices of one playbook as one run over all their hosts: each play's hosts
     * together, sorted by name, and the hosts a stopped rollout did not start in any slice, with
     * why (each slice's reason once, in slice order); from the first start to the last finish. The
     * run id stays when every part has the same (or none), else it is null: each slice's apply is
     * a journaled run of its own.
     */
    static RunResult merge(List<RunResult> parts) {
        RunResult first = parts.get(0);
        for (RunResult r : parts) {
            if (r.mode() != first.mode()) throw new IllegalArgumentException("runs of different modes: " + first.mode() + " and " + r.mode());
            if (r.plays().size() != first.plays().size()) {
                throw new IllegalArgumentException("runs with " + first.plays().size() + " and " + r.plays().size()
                        + " plays: not the slices of one playbook's run");
            }
        }
        List<RunResult.PlayResult> plays = new ArrayList<>();
        for (int i = 0; i < first.plays().size(); i++) {
            RunResult.PlayResult p = first.plays().get(i);
            List<HostResult> hosts = new ArrayList<>();
            List<String> notStarted = new ArrayList<>();
            Set<String> stopped = new LinkedHashSet<>();
            for (RunResult r : parts) {
                RunResult.PlayResult q = r.plays().get(i);
                if (!q.name().equals(p.name()) || !q.hosts().equals(p.hosts())) {
                    throw new IllegalArgumentException("play " + (i + 1) + " is '" + p.name() + "' (hosts " + p.hosts() + ") in one document and '"
                            + q.name() + "' (hosts " + q.hosts() + ") in another: not the slices of one playbook's run");
                }
                hosts.addAll(q.results());
                notStarted.addAll(q.notStarted());
                if (q.stopped() != null) stopped.add(q.stopped());
            }
            hosts.sort(Comparator.comparing(HostResult::host));
            notStarted.sort(Comparator.naturalOrder());
            plays.add(new RunResult.PlayResult(p.name(), p.hosts(), hosts, p.unmatched(), notStarted,
                    stopped.isEmpty() ? null : String.join("; ", stopped)));
        }
        String runId = parts.stream().map(RunResult::runId).distinct().count() == 1 ? first.runId() : null;
        Instant started = parts.stream().map(RunResult::started).filter(Objects::nonNull).min(Comparator.naturalOrder()).orElseThrow();
        Instant finished = parts.stream().map(RunResult::finished).filter(Objects::nonNull).max(Comparator.naturalOrder()).orElseThrow();
        return new RunResult(runId, first.mode(), first.playbook(), started, finished, plays);
    }
}
