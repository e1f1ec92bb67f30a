package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.journal.Journal;
import dev.tuner.journal.RunJournal;
import dev.tuner.report.Interruption;
import dev.tuner.report.JsonReport;
import dev.tuner.settings.Change;
import dev.tuner.settings.ChangeState;
import dev.tuner.settings.Cost;
import dev.tuner.settings.KindPlan;
import dev.tuner.run.HostResult;
import dev.tuner.run.Mode;
import dev.tuner.run.RunResult;
import dev.tuner.run.VerifyOutcome;
import dev.tuner.slice.SliceSet;
import dev.tuner.testing.Repo;
import dev.tuner.testing.TunerCli;
import dev.tuner.verify.Design;
import dev.tuner.verify.MetricDef;
import dev.tuner.verify.Samples;
import dev.tuner.verify.VerificationResult;
import dev.tuner.verify.design.PairedSeries;
import dev.tuner.verify.stats.Better;
import dev.tuner.verify.stats.Looks;
import dev.tuner.verify.stats.Thresholds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/json-output.md against real output: a real read-only plan and drift of this machine
 * through the local connection (both only read /proc/sys and /sys), and a validate. Every table
 * marked {@code <!-- fields: DOC PATH -->} must list exactly the fields, in order, of every object
 * at PATH, with the documented type and enum values. A plan measures nothing, so the run
 * document's {@code verification.results[]} is checked on an apply's document rendered by
 * {@link JsonReport} from real verdicts ({@link VerificationResult#compare}).
 */
class JsonOutputDocTest {
    private static final Pattern MARKER = Pattern.compile("<!-- fields: (\\w+) (\\S+) -->");
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)` \\| ([^|]+) \\|");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Field(String name, String type) {}

    record Table(String document, String path, List<Field> fields) {}

    private static List<Table> tables;
    private static TunerCli.Result plan;
    /** A plan of a playbook that does not validate: its stdout is the validation document. */
    private static TunerCli.Result invalidPlan;
    private static final Map<String, JsonNode> documents = new LinkedHashMap<>();

    @BeforeAll
    static void runTheCommands() throws IOException {
        tables = parseDoc(Repo.root().resolve("docs/json-output.md"));
        String playbook = Repo.root().resolve("playbooks/db-host.yml").toString();
        String local = Repo.root().resolve("inventories/local.yml").toString();
        plan = TunerCli.run("plan", playbook, "-i", local, "--format", "json");
        TunerCli.Result drift = TunerCli.run("drift", playbook, "-i", local, "--format", "json");
        TunerCli.Result validate = TunerCli.run("validate", "--format", "json", Repo.resource("playbook/malformed/two-kinds.yml").toString());
        documents.put("run", json(plan));
        documents.put("drift", json(drift));
        documents.put("validate", json(validate));
        invalidPlan = TunerCli.run("plan", Repo.resource("playbook/malformed/two-kinds.yml").toString(), "-i", local, "--format", "json");
        documents.put("invalid", json(invalidPlan));
        documents.put("verified", JSON.readTree(JsonReport.render(verifiedApply())));
        documents.put("interrupted", JSON.readTree(JsonReport.render(verifiedApply(), SliceSet.WHOLE, false, new Interruption("SIGINT", 130))));
        documents.put("facts", json(TunerCli.run("facts", "-i", local, "--format", "json")));
        Path journal = Files.createTempDirectory("tuner-history");
        journalWithEveryStatus(journal);
        documents.put("history", json(TunerCli.run("history", "-i", local, "--journal", journal.toString(), "--format", "json")));
    }

    /** An apply rolled back by a rollback, and an apply still running (this process). */
    static void journalWithEveryStatus(Path dir) {
        Journal j = new Journal(dir);
        KindPlan plan = new KindPlan("sysctl", List.of(new Change(0, "sysctl", "vm.swappiness", "60", "10", null, ChangeState.CHANGE, Cost.LIVE, null)),
                List.of(), List.of());
        RunJournal apply = j.begin("apply", "playbooks/db-host.yml", List.of("prod"), null);
        apply.started("db1", "play", plan);
        apply.finish("ok", Map.of("hosts", 1, "changed", 1, "failed", 0, "unreachable", 0));
        RunJournal rollback = j.begin("rollback", "playbooks/db-host.yml", List.of("prod"), apply.id());
        rollback.state("db1", "rollback", "ok", "rolled back");
        rollback.finish("ok", Map.of("hosts", 1, "changed", 1, "failed", 0, "unreachable", 0));
        j.begin("apply", "playbooks/db-host.yml", List.of("prod"), null);
    }

    /**
     * An apply whose change made a latency benchmark worse (rolled back), measured in interleaved
     * rounds beside a control host, and a benchmark that could not run.
     */
    static RunResult verifiedApply() {
        double[] before = {101, 99, 100, 102, 98, 100, 101, 99};
        double[] after = {121, 118, 120, 123, 118, 121, 119, 120};
        double[] controlBefore = {95, 96, 95, 94, 95, 96, 95, 95};
        double[] controlAfter = {95, 95, 96, 95, 94, 95, 96, 95};
        MetricDef latency = new MetricDef("latency_p50", null, 1, "usec", Better.LOWER, null);
        PairedSeries rounds = new PairedSeries("db1", "network", "network", List.of(latency), Design.INTERLEAVED,
                Looks.plan(8, Thresholds.DEFAULT.alpha()), Thresholds.DEFAULT, List.of("db2"));
        for (int i = 0; i < before.length; i++) {
            rounds.before(Map.of("latency_p50", before[i]), Map.of("db2", Map.of("latency_p50", controlBefore[i])));
            rounds.after(Map.of("latency_p50", after[i]), Map.of("db2", Map.of("latency_p50", controlAfter[i])));
            rounds.look();
        }
        Samples skipped = new Samples("db1", "cpu", null, Samples.Status.SKIPPED, "needs sysbench (not installed on host db1)",
                List.of(), Duration.ZERO);
        List<VerificationResult> results = new ArrayList<>(rounds.results(null));
        results.addAll(VerificationResult.compare(skipped, skipped, Thresholds.DEFAULT));
        VerifyOutcome v = new VerifyOutcome(results, List.of(), List.of(), List.of("Large socket buffers"), List.of(),
                List.of("cpu: skipped: needs sysbench (not installed on host db1)"), Design.INTERLEAVED,
                "the changes are toggled in rounds: live changes; db2 measured beside it at the same moments", 4025L, List.of("db2"));
        HostResult host = new HostResult("db1", "Database host tuning", HostResult.Status.CHANGED, List.of(), List.of(), List.of(),
                null, "as planned", v);
        Instant now = Instant.now();
        return new RunResult("20260101T000000Z-test", Mode.APPLY, "playbooks/db-host.yml", now, now,
                List.of(new RunResult.PlayResult("Database host tuning", "all", List.of(host), List.of())));
    }

    private static JsonNode json(TunerCli.Result r) throws IOException {
        assertThat(r.out()).as("stdout is one JSON document\n%s", r.screen()).startsWith("{");
        return JSON.readTree(r.out());
    }

    static List<Table> parseDoc(Path doc) throws IOException {
        List<Table> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(doc);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i));
            if (!m.find()) continue;
            List<Field> fields = new ArrayList<>();
            for (int j = i + 1; j < lines.size() && lines.get(j).startsWith("|"); j++) {
                Matcher row = ROW.matcher(lines.get(j));
                if (row.find()) fields.add(new Field(row.group(1), row.group(2).trim()));
            }
            out.add(new Table(m.group(1), m.group(2), fields));
        }
        return out;
    }

    /** Objects at a path like $.plays[].results[] (every element of every array on the way). */
    static List<JsonNode> at(JsonNode root, String path) {
        List<JsonNode> nodes = List.of(root);
        for (String seg : path.substring(1).split("\\.")) {
            if (seg.isEmpty()) continue;
            String name = seg.replace("[]", "");
            List<JsonNode> next = new ArrayList<>();
            for (JsonNode n : nodes) {
                JsonNode v = n.get(name);
                // An "object or null" field that is null has no fields to check.
                if (v == null || v.isNull()) continue;
                if (seg.endsWith("[]")) v.forEach(next::add);
                else next.add(v);
            }
            nodes = next;
        }
        return nodes;
    }

    private static void assertType(String where, JsonNode v, String type) {
        if (type.startsWith("enum:") && type.endsWith(", or null")) {
            if (v.isNull()) return;
            type = type.substring(0, type.length() - ", or null".length());
        }
        if (type.startsWith("enum:")) {
            List<String> values = Arrays.stream(type.substring(5).split(",")).map(s -> s.trim().replace("`", "")).toList();
            assertThat(v.isTextual() ? v.asText() : null).as("%s is one of %s", where, values).isIn(values);
            return;
        }
        boolean ok = switch (type) {
            case "string" -> v.isTextual();
            case "string or null" -> v.isTextual() || v.isNull();
            case "number" -> v.isNumber();
            case "number or null" -> v.isNumber() || v.isNull();
            case "integer or null" -> v.isIntegralNumber() || v.isNull();
            case "object" -> v.isObject();
            case "object or null" -> v.isObject() || v.isNull();
            case "integer" -> v.isIntegralNumber();
            case "boolean" -> v.isBoolean();
            default -> {
                if (type.startsWith("array")) yield v.isArray()
                        && (!type.equals("array of number") || java.util.stream.StreamSupport.stream(v.spliterator(), false).allMatch(JsonNode::isNumber));
                throw new AssertionError("docs/json-output.md: unknown type '" + type + "' for " + where);
            }
        };
        assertThat(ok).as("%s = %s should be %s", where, v, type).isTrue();
    }

    @Test
    void theDocumentDescribesEveryDocumentsObjects() {
        assertThat(tables).extracting(t -> t.document() + " " + t.path()).contains(
                "run $", "run $.plays[]", "run $.plays[].results[]", "run $.plays[].results[].tasks[]",
                "run $.plays[].results[].tasks[].settings[]", "run $.plays[].results[].verification",
                "run $.plays[].results[].verification.results[]", "run $.plays[].results[].verification.results[].controls[]",
                "run $.plays[].results[].tasks[].files[]", "run $.recap[]",
                "run $.interrupted", "run $.interrupted.hosts[]",
                "drift $", "drift $.settings[]", "drift $.errors[]", "validate $", "validate $.problems[]", "history $", "history $.runs[]",
                "facts $", "facts $.errors[]");
    }

    @Test
    void everyDocumentedTableMatchesTheRealOutput() {
        int checked = 0;
        for (Table t : tables) {
            List<JsonNode> objects = new ArrayList<>(at(documents.get(t.document()), t.path()));
            // The run document's tables also hold for an apply with verdicts (a plan measures nothing).
            if (t.document().equals("run")) objects.addAll(at(documents.get("verified"), t.path()));
            // ... and for one stopped by a signal.
            if (t.document().equals("run")) objects.addAll(at(documents.get("interrupted"), t.path()));
            // A run stopped by bad input prints the validation document.
            if (t.document().equals("validate")) objects.addAll(at(documents.get("invalid"), t.path()));
            // Arrays that may be empty on a given machine (no file to write, no unreachable host) are checked where present.
            if (objects.isEmpty()) {
                assertThat(t.path()).as("%s %s has objects in this run", t.document(), t.path())
                        .matches(".*(files|errors)\\[\\]$");
                continue;
            }
            for (JsonNode o : objects) {
                List<String> actual = new ArrayList<>();
                for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) actual.add(it.next());
                assertThat(actual).as("fields of %s %s", t.document(), t.path())
                        .containsExactlyElementsOf(t.fields().stream().map(Field::name).toList());
                for (Field f : t.fields()) assertType(t.document() + " " + t.path() + "." + f.name(), o.get(f.name()), f.type());
                checked++;
            }
        }
        assertThat(checked).as("objects checked").isGreaterThan(10);
    }

    @Test
    void aRunStoppedByAnInvalidPlaybookPrintsItsProblemsAsTheValidationDocument() {
        assertThat(invalidPlan.exitCode()).isEqualTo(1);
        JsonNode doc = documents.get("invalid");
        assertThat(doc.get("valid").asBoolean()).isFalse();
        assertThat(doc.get("problems")).hasSize(1);
        assertThat(doc.get("problems").get(0).get("line").asInt()).isEqualTo(6);
        assertThat(invalidPlan.err()).contains("two-kinds.yml:6:7:");
    }

    @Test
    void thePlanDocumentSaysWhatAReviewerNeeds() {
        JsonNode run = documents.get("run");
        assertThat(run.get("format_version").asInt()).isEqualTo(1);
        assertThat(run.get("mode").asText()).isEqualTo("plan");
        assertThat(run.get("run_id").isNull()).as("plan journals nothing").isTrue();
        assertThat(run.get("playbook").asText()).endsWith("playbooks/db-host.yml");
        Instant started = Instant.parse(run.get("started").asText());
        assertThat(Instant.parse(run.get("finished").asText())).isAfterOrEqualTo(started);
        assertThat(run.get("exit_code").asInt()).as("the document's exit code is the command's").isEqualTo(plan.exitCode()).isIn(0, 2);

        // db-host's sysctl keys all exist on Linux: every one is planned with a readable current value.
        List<JsonNode> settings = at(run, "$.plays[].results[].tasks[].settings[]");
        Map<String, JsonNode> byKey = settings.stream().collect(Collectors.toMap(s -> s.get("key").asText(), s -> s, (a, b) -> b));
        assertThat(byKey).containsKeys("vm.swappiness", "vm.dirty_ratio", "net.ipv4.tcp_rmem", "governor", "no_turbo");
        assertThat(byKey.get("vm.swappiness").get("desired").asText()).isEqualTo("10");
        assertThat(byKey.get("vm.swappiness").get("current").asText()).matches("\\d+");
        assertThat(byKey.get("net.ipv4.tcp_rmem").get("desired").asText()).isEqualTo("4096 65536 134217728");

        // The recap agrees with the task statuses it summarises.
        JsonNode recap = run.get("recap").get(0);
        assertThat(recap.get("host").asText()).isEqualTo("localhost");
        List<JsonNode> tasks = at(run, "$.plays[].results[].tasks[]");
        for (String status : List.of("ok", "changed", "failed", "skipped"))
            assertThat(recap.get(status).asLong()).as("recap %s", status)
                    .isEqualTo(tasks.stream().filter(t -> t.get("status").asText().equals(status)).count());
        assertThat(plan.err()).as("stderr of a plan that read fine\n%s", plan.screen()).doesNotContain("error");
    }

    @Test
    void verificationIsAlwaysThereAndARegressionExits3() {
        for (JsonNode v : at(documents.get("run"), "$.plays[].results[].verification"))
            assertThat(v.get("results")).as("a plan measures nothing").isEmpty();
        JsonNode verified = documents.get("verified");
        assertThat(verified.get("exit_code").asInt()).as("a verified regression, even rolled back").isEqualTo(3);
        List<JsonNode> results = at(verified, "$.plays[].results[].verification.results[]");
        assertThat(results).extracting(r -> r.get("verdict").asText()).containsExactly("regressed", "not measured");
        JsonNode latency = results.get(0);
        // The median paired ratio of rounds that were all about 1.2 (120 over 100, the control flat at 95).
        assertThat(latency.get("ratio").asDouble()).isCloseTo(1.2, org.assertj.core.data.Offset.offset(0.02))
                .isBetween(latency.get("ciLow").asDouble(), latency.get("ciHigh").asDouble());
        assertThat(latency.get("changePercent").asDouble()).isCloseTo((latency.get("ratio").asDouble() - 1) * 100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(latency.get("design").asText()).isEqualTo("interleaved");
        assertThat(latency.get("ratios")).hasSize(latency.get("rounds").asInt());
        JsonNode v = at(verified, "$.plays[].results[].verification").get(0);
        assertThat(v.get("design").asText()).isEqualTo("interleaved");
        assertThat(v.get("controls")).extracting(JsonNode::asText).containsExactly("db2");
        assertThat(results.get(1).get("ratio").isNull()).as("no ratio without measurements").isTrue();
    }

    @Test
    void anInterruptedRunSaysSoAndExitsWithTheSignalsCode() {
        assertThat(documents.get("run").get("interrupted").isNull()).as("a plan is never interrupted").isTrue();
        JsonNode doc = documents.get("interrupted");
        assertThat(doc.get("exit_code").asInt()).as("the signal's code wins over the regression's 3").isEqualTo(130);
        assertThat(doc.at("/interrupted/signal").asText()).isEqualTo("SIGINT");
        assertThat(doc.at("/interrupted/hosts/0/host").asText()).isEqualTo("db1");
        assertThat(doc.at("/interrupted/hosts/0/state").asText()).isEqualTo("changed");
        assertThat(doc.at("/interrupted/hosts/0/detail").asText()).startsWith("as planned; cpu: skipped");
    }

    @Test
    void theFactsDocumentListsHostsBesideItsSlices() {
        JsonNode facts = documents.get("facts");
        assertThat(facts.get("slices")).as("facts of every host").isEmpty();
        assertThat(facts.get("hosts").get("localhost").get("kernel").asText()).isNotBlank();
        assertThat(facts.get("errors")).isEmpty();
    }

    @Test
    void theDriftAndValidateDocumentsAreConsistentWithThemselves() {
        JsonNode drift = documents.get("drift");
        long drifted = at(drift, "$.settings[]").stream()
                .filter(s -> s.get("running_drift").asBoolean() || s.get("persisted_drift").asBoolean()).count();
        assertThat(drift.get("drifted").asLong()).isEqualTo(drifted);
        assertThat(drift.get("in_sync").asBoolean()).isEqualTo(drifted == 0 && drift.get("errors").isEmpty());

        JsonNode validate = documents.get("validate");
        assertThat(validate.get("valid").asBoolean()).isFalse();
        JsonNode p = validate.get("problems").get(0);
        assertThat(p.get("line").asInt() + ":" + p.get("column").asInt()).isEqualTo("6:7");
        assertThat(p.get("message").asText()).contains("has more than one setting kind (sysctl, governor)");
    }
}
