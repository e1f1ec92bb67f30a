package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.ExpositionFormat;
import dev.tuner.testing.OutputCheckers;
import dev.tuner.testing.TunerCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tuner merge} on drift documents written here by hand, as docs/json-output.md describes
 * them: the exit code of one run over all the slices, and a clear refusal, naming the files, of
 * documents that do not belong together. (SlicedRunLabTest merges real slices of a lab.)
 */
class MergeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A drift document of one slice: each host with one setting, drifted or not; {@code error} hosts unreachable. */
    static String drift(String playbook, String slice, String[] inSync, String[] drifted, String[] unreachable) {
        StringBuilder settings = new StringBuilder();
        List<String> entries = new ArrayList<>();
        for (String h : inSync) entries.add(setting(h, "10", false));
        for (String h : drifted) entries.add(setting(h, "60", true));
        settings.append(String.join(",", entries));
        List<String> errors = new ArrayList<>();
        for (String h : unreachable) errors.add("{\"host\":\"" + h + "\",\"type\":\"unreachable\",\"error\":\"unreachable: connection refused\"}");
        return """
                {"format_version":1,"playbook":"%s","slices":[%s],"started":"2026-11-30T10:00:00Z","checked_at":"2026-11-30T10:00:%02dZ",
                 "in_sync":%s,"drifted":%d,"settings":[%s],"errors":[%s]}
                """.formatted(playbook, slice == null ? "" : "\"" + slice + "\"", slice == null ? 9 : 10 + slice.charAt(0) - '0',
                drifted.length == 0 && unreachable.length == 0, drifted.length, settings, String.join(",", errors));
    }

    private static String setting(String host, String running, boolean drift) {
        return """
                {"host":"%s","task":"Swap","kind":"sysctl","key":"vm.swappiness","expected":"10","running":"%s","persisted":"10",
                 "running_drift":%s,"persisted_drift":false,"error":null}""".formatted(host, running, drift);
    }

    private Path file(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private TunerCli.Result merge(String format, Path... files) {
        List<String> args = new ArrayList<>(List.of("merge", "--format", format, "--no-color"));
        for (Path f : files) args.add(f.toString());
        return TunerCli.run(args);
    }

    private static final String[] NONE = {};

    @Test
    void exitCodesAreThoseOfOneRunOverEverySlice() throws IOException {
        Path a = file("a.json", drift("pb.yml", "1/3", new String[] {"web3", "db1"}, NONE, NONE));
        Path b = file("b.json", drift("pb.yml", "2/3", new String[] {"db2"}, NONE, NONE));
        Path c = file("c.json", drift("pb.yml", "3/3", new String[] {"app1"}, NONE, NONE));
        TunerCli.Result inSync = merge("json", a, b, c);
        assertThat(inSync.exitCode()).as(inSync.screen()).isZero();
        JsonNode doc = JSON.readTree(inSync.out());
        assertThat(doc.get("slices").toString()).isEqualTo("[\"1/3\",\"2/3\",\"3/3\"]");
        assertThat(doc.get("in_sync").asBoolean()).isTrue();
        List<String> hosts = new ArrayList<>();
        doc.get("settings").forEach(s -> hosts.add(s.get("host").asText()));
        assertThat(hosts).as("host by host, sorted by name").containsExactly("app1", "db1", "db2", "web3");
        assertThat(doc.get("started").asText()).isEqualTo("2026-11-30T10:00:00Z");
        assertThat(doc.get("checked_at").asText()).as("the last slice's finish").isEqualTo("2026-11-30T10:00:13Z");

        Path drifted = file("b2.json", drift("pb.yml", "2/3", NONE, new String[] {"db2"}, NONE));
        TunerCli.Result two = merge("text", a, drifted, c);
        assertThat(two.exitCode()).as(two.screen()).isEqualTo(2);
        assertThat(two.out()).startsWith("slices 1/3, 2/3, 3/3 merged\n").contains("DRIFT   db2  sysctl vm.swappiness  expected=10  running=60");
        TunerCli.Result md = merge("markdown", a, drifted, c);
        assertThat(md.exitCode()).isEqualTo(2);
        assertThat(md.out()).contains("_slices 1/3, 2/3, 3/3 merged_").contains("| db2 | sysctl | `vm.swappiness` | `10` | `60` | `10` | running |");

        Path unreachable = file("c2.json", drift("pb.yml", "3/3", NONE, NONE, new String[] {"app1"}));
        TunerCli.Result one = merge("junit", a, drifted, unreachable);
        assertThat(one.exitCode()).as("an error wins over drift\n%s", one.screen()).isEqualTo(1);
        assertThat(one.out()).contains("type=\"unreachable\"").contains("<property name=\"slices\" value=\"1/3,2/3,3/3\"/>");
    }

    @Test
    void theMergedMetricsSayWhichSlicesTheyCover() throws Exception {
        Path a = file("a.json", drift("pb.yml", "1/2", new String[] {"db1"}, NONE, NONE));
        Path b = file("b.json", drift("pb.yml", "2/2", NONE, new String[] {"db2"}, NONE));
        TunerCli.Result prom = merge("prometheus", a, b);
        assertThat(prom.exitCode()).as(prom.screen()).isEqualTo(2);
        var families = ExpositionFormat.parse(prom.out());
        assertThat(families.get("tuner_drift_check_ok").samples()).singleElement()
                .satisfies(s -> assertThat(s.labels()).containsEntry("slice", "1/2,2/2").containsEntry("playbook", "pb.yml"));
        assertThat(families.get("tuner_setting_in_sync").samples()).hasSize(2);
        assertThat(OutputCheckers.promtool(prom.out())).isEmpty();
    }

    @Test
    void documentsThatDoNotBelongTogetherAreRefusedNamingTheFiles() throws IOException {
        Path one = file("one.json", drift("pb.yml", "1/3", new String[] {"db1"}, NONE, NONE));
        Path two = file("two.json", drift("pb.yml", "2/3", new String[] {"db2"}, NONE, NONE));
        Path three = file("three.json", drift("pb.yml", "3/3", new String[] {"db3"}, NONE, NONE));
        Path twoAgain = file("two-again.json", drift("pb.yml", "2/3", new String[] {"db2"}, NONE, NONE));
        Path otherPlaybook = file("other.json", drift("web.yml", "2/3", new String[] {"db2"}, NONE, NONE));
        Path ofFour = file("of-four.json", drift("pb.yml", "2/4", new String[] {"db2"}, NONE, NONE));
        Path whole = file("whole.json", drift("pb.yml", null, new String[] {"db2"}, NONE, NONE));
        Path plan = file("plan.json", """
                {"format_version":1,"run_id":null,"mode":"plan","playbook":"pb.yml","slices":["2/3"],"started":"2026-11-30T10:00:00Z",
                 "finished":"2026-11-30T10:00:01Z","plays":[],"recap":[],"exit_code":0}
                """);
        Path notJson = file("not.json", "PLAY [x] ****\n");
        Path notTuner = file("other-tool.json", "{\"tests\": 3}");
        Path future = file("future.json", drift("pb.yml", "2/3", new String[] {"db2"}, NONE, NONE).replace("\"format_version\":1", "\"format_version\":2"));

        refused(merge("text", one, two, three, twoAgain), "slice 2/3 is in both", "two.json", "two-again.json");
        refused(merge("text", one, otherPlaybook, three), "playbook 'pb.yml'", "playbook 'web.yml'", "other.json");
        refused(merge("text", one, ofFour), "different counts", "of-four.json");
        refused(merge("text", one, three), "slice 2/3 missing");
        refused(merge("text", whole, two), "whole.json covers every host");
        refused(merge("text", one, plan, three), "command 'drift'", "command 'plan'", "plan.json");
        refused(merge("text", notJson), "not.json: not JSON");
        refused(merge("text", notTuner), "other-tool.json: not a document of tuner");
        refused(merge("text", future), "future.json: format_version 2");
        refused(merge("junit", plan), "slices 1/3, 3/3 missing");
    }

    @Test
    void junitAndPrometheusAreForDriftDocuments() throws IOException {
        Path plan = file("plan.json", """
                {"format_version":1,"run_id":null,"mode":"plan","playbook":"pb.yml","slices":[],"started":"2026-11-30T10:00:00Z",
                 "finished":"2026-11-30T10:00:01Z","plays":[],"recap":[],"exit_code":0}
                """);
        refused(merge("prometheus", plan), "--format prometheus is for drift documents", "text, json or markdown");
        TunerCli.Result md = merge("markdown", plan);
        assertThat(md.exitCode()).as(md.screen()).isZero();
        assertThat(md.out()).startsWith("## tuner plan: `pb.yml`");
    }

    /**
     * An apply document of one slice as docs/json-output.md describes it: {@code changed} hosts
     * changed as planned, {@code notStarted} left out by the stop; {@code signal} null when no
     * signal stopped it.
     */
    static String apply(String slice, String[] changed, String[] notStarted, String signal) {
        List<String> results = new ArrayList<>();
        for (String h : changed) {
            results.add("""
                    {"host":"%s","status":"changed","error":null,"left_state":"as planned","notes":[],"handlers_run":[],
                     "verification":{"results":[],"rolled_back_tasks":[],"kept_regressions":[],"notes":[],"design":null,"design_note":null,
                                     "seed":null,"controls":[]},
                     "tasks":[{"index":0,"name":"Swap","kind":"sysctl","status":"changed","message":null,"settings":[
                        {"key":"vm.swappiness","current":"60","desired":"10","persisted":null,"state":"change","cost":"live","note":null,"hidden":false}],
                       "files":[]}]}""".formatted(h));
        }
        String stopped = signal == null || notStarted.length == 0 ? "null" : "\"the run was interrupted (" + signal + ")\"";
        String interrupted = signal == null ? "null" : "{\"signal\":\"" + signal + "\",\"exit_code\":" + (signal.equals("SIGINT") ? 130 : 143)
                + ",\"hosts\":[]}";
        return """
                {"format_version":1,"run_id":"run-%s","mode":"apply","playbook":"pb.yml","slices":["%s"],"started":"2026-11-30T10:00:00Z",
                 "finished":"2026-11-30T10:00:09Z",
                 "plays":[{"name":"tune","hosts":"all","unmatched_patterns":[],"results":[%s],"not_started":[%s],"stopped":%s}],
                 "recap":[],"interrupted":%s,"exit_code":0}
                """.formatted(slice.charAt(0), slice, String.join(",", results),
                String.join(",", java.util.Arrays.stream(notStarted).map(h -> "\"" + h + "\"").toList()), stopped, interrupted);
    }

    @Test
    void aSliceStoppedBySigintMakesTheMergedRunInterrupted() throws Exception {
        Path a = file("a.json", apply("1/2", new String[] {"db1"}, NONE, null));
        Path b = file("b.json", apply("2/2", new String[] {"db2"}, new String[] {"db3", "db4"}, "SIGINT"));
        TunerCli.Result json = merge("json", a, b);
        assertThat(json.exitCode()).as("as the interrupted run itself\n%s", json.screen()).isEqualTo(130);
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.get("exit_code").asInt()).isEqualTo(130);
        assertThat(doc.at("/interrupted/signal").asText()).isEqualTo("SIGINT");
        List<String> states = new ArrayList<>();
        doc.at("/interrupted/hosts").forEach(h -> states.add(h.get("host").asText() + " " + h.get("state").asText() + ": " + h.get("detail").asText()));
        assertThat(states).containsExactly("db1 changed: as planned", "db2 changed: as planned",
                "db3 unchanged: not started: the run was interrupted (SIGINT)", "db4 unchanged: not started: the run was interrupted (SIGINT)");
        assertThat(doc.at("/plays/0/not_started").toString()).isEqualTo("[\"db3\",\"db4\"]");
        assertThat(doc.get("recap")).extracting(r -> r.get("host").asText() + " not_started=" + r.get("not_started").asInt())
                .containsExactly("db1 not_started=0", "db2 not_started=0", "db3 not_started=1", "db4 not_started=1");

        TunerCli.Result text = merge("text", a, b);
        assertThat(text.exitCode()).isEqualTo(130);
        assertThat(text.out()).contains("NOT STARTED db3, db4  left as they were: the run was interrupted (SIGINT)");
        assertThat(text.err()).as(text.screen()).contains("Interrupted (SIGINT): a slice stopped early. Hosts as the run left them:\n"
                + "  db1  changed    as planned\n  db2  changed    as planned\n"
                + "  db3  unchanged  not started: the run was interrupted (SIGINT)\n");

        Path quiet = file("b-done.json", apply("2/2", new String[] {"db2"}, NONE, null));
        TunerCli.Result done = merge("json", a, quiet);
        assertThat(done.exitCode()).as(done.screen()).isZero();
        assertThat(JSON.readTree(done.out()).get("interrupted").isNull()).isTrue();
    }

    private static void refused(TunerCli.Result r, String... says) {
        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(r.out()).as("nothing merged is printed").isEmpty();
        assertThat(r.err()).as(r.screen()).startsWith("error: ").contains(says);
    }
}
