package dev.tuner.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.run.HostResult;
import dev.tuner.run.RunResult;
import dev.tuner.run.TaskResult;
import dev.tuner.settings.Change;
import dev.tuner.settings.FileChange;
import dev.tuner.slice.SliceSet;

/**
 * The machine-readable run document ({@code --format json}), described in docs/json-output.md.
 * Field names and order are stable; {@code format_version} changes when they do.
 */
public final class JsonReport {
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {}

    public static String render(RunResult run) {
        return render(run, SliceSet.WHOLE, false, null);
    }

    /**
     * {@code slices}: the slices of the fleet the run covers (none named for a run over every
     * host). {@code showSecrets}: show what {@link Masking} would hide (--show-secrets).
     * {@code interrupted}: the signal that stopped the run, null when none did.
     */
    public static String render(RunResult run, SliceSet slices, boolean showSecrets, Interruption interrupted) {
        return render(run, slices, showSecrets, interrupted, null);
    }

    /** As above; {@code endNotJournaled}: why the journal could not record the run's end, null when it did. */
    public static String render(RunResult run, SliceSet slices, boolean showSecrets, Interruption interrupted, String endNotJournaled) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format_version", FORMAT_VERSION);
        root.put("run_id", run.runId());
        root.put("mode", run.mode().name().toLowerCase());
        root.put("playbook", run.playbook());
        Documents.putSlices(root, slices);
        root.put("started", run.started().toString());
        root.put("finished", run.finished().toString());
        ArrayNode plays = root.putArray("plays");
        for (RunResult.PlayResult p : run.plays()) {
            ObjectNode pn = plays.addObject();
            pn.put("name", p.name());
            pn.put("hosts", p.hosts());
            ArrayNode un = pn.putArray("unmatched_patterns");
            p.unmatched().forEach(un::add);
            ArrayNode hosts = pn.putArray("results");
            for (HostResult h : p.results()) host(hosts.addObject(), h, Masking.of(h, showSecrets));
            ArrayNode notStarted = pn.putArray("not_started");
            p.notStarted().forEach(notStarted::add);
            pn.put("stopped", p.stopped());
        }
        ArrayNode recap = root.putArray("recap");
        for (RunResult.Recap r : run.recap()) {
            ObjectNode rn = recap.addObject();
            rn.put("host", r.host());
            rn.put("ok", r.ok());
            rn.put("changed", r.changed());
            rn.put("unreachable", r.unreachable());
            rn.put("failed", r.failed());
            rn.put("skipped", r.skipped());
            rn.put("not_started", r.notStarted());
        }
        if (interrupted == null) {
            root.putNull("interrupted");
        } else {
            ObjectNode in = root.putObject("interrupted");
            in.put("signal", interrupted.signal());
            in.put("exit_code", interrupted.exitCode());
            ArrayNode hosts = in.putArray("hosts");
            for (Interruption.HostState s : Interruption.hostStates(run, showSecrets)) {
                ObjectNode hn = hosts.addObject();
                hn.put("host", s.host());
                hn.put("state", s.state());
                hn.put("detail", s.detail());
            }
        }
        root.put("end_not_journaled", endNotJournaled);
        root.put("exit_code", interrupted != null ? interrupted.exitCode() : run.exitCode(endNotJournaled == null));
        return write(root);
    }

    /** A document as tuner prints it: two-space indentation, a final newline. */
    static String write(ObjectNode document) {
        try {
            return JSON.writeValueAsString(document) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void host(ObjectNode hn, HostResult h, Masking m) {
        hn.put("host", h.host());
        hn.put("status", h.status().name().toLowerCase());
        hn.put("error", m.text(h.error()));
        hn.put("left_state", m.text(h.leftState()));
        ArrayNode notes = hn.putArray("notes");
        m.texts(h.notes()).forEach(notes::add);
        ArrayNode handlers = hn.putArray("handlers_run");
        h.handlersRun().forEach(handlers::add);
        // Field by field: a Map.of here iterated in a different order on every JVM start.
        ObjectNode vn = hn.putObject("verification");
        vn.set("results", JSON.valueToTree(h.verification().results()));
        vn.set("rolled_back_tasks", JSON.valueToTree(h.verification().rolledBackTasks()));
        vn.set("kept_regressions", JSON.valueToTree(h.verification().keptRegressions()));
        vn.set("notes", JSON.valueToTree(h.verification().notes()));
        vn.put("design", h.verification().design() == null ? null : h.verification().design().label());
        vn.put("design_note", h.verification().designNote());
        if (h.verification().seed() == null) vn.putNull("seed");
        else vn.put("seed", h.verification().seed());
        vn.set("controls", JSON.valueToTree(h.verification().controls()));
        ArrayNode tasks = hn.putArray("tasks");
        for (TaskResult t : h.tasks()) {
            ObjectNode tn = tasks.addObject();
            tn.put("index", t.task());
            tn.put("name", t.name());
            tn.put("kind", t.kind());
            tn.put("status", t.status().name().toLowerCase());
            tn.put("message", m.text(t.message()));
            ArrayNode settings = tn.putArray("settings");
            for (Change c : t.changes()) {
                ObjectNode cn = settings.addObject();
                cn.put("key", c.key());
                cn.put("current", m.value(c, c.current()));
                cn.put("desired", m.value(c, c.desired()));
                cn.put("persisted", m.value(c, c.persisted()));
                cn.put("state", c.state().name().toLowerCase());
                cn.put("cost", c.cost().label());
                cn.put("note", m.text(c.note()));
                cn.put("hidden", m.hides(c));
            }
            ArrayNode files = tn.putArray("files");
            for (FileChange f : t.files()) {
                if (!f.changes()) continue;
                ObjectNode fn = files.addObject();
                fn.put("path", f.path());
                fn.put("action", FileDiff.action(f));
                fn.put("diff", m.diff(f));
                fn.put("hidden", m.hides(f));
            }
        }
    }
}
