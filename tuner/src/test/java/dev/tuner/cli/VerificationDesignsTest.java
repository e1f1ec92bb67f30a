package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.HostState;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verification designs end to end, through the CLI on three real lab hosts, with benchmarks
 * whose figures follow the host's state exactly: {@code knob} scores 1000 + 10 × vm.swappiness
 * (a live sysctl, so the change can be toggled), {@code level} scores 1000 + 10 × the number in
 * /etc/level.conf (a template whose handler restarts a service, so it is not toggled unless the
 * play allows it). Both add up to 1% noise from /dev/urandom. Expected ratios come from those
 * formulas and the hosts' own files, the journal is read as JSON lines, and {@code tuner rollback}
 * must leave each host byte for byte as it was ({@link HostState}, read through {@code lab/lab exec}).
 */
class VerificationDesignsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static LabHosts lab;
    @TempDir
    static Path dir;
    static Path verify;

    @BeforeAll
    static void start() throws Exception {
        lab = LabHosts.start(3);
        verify = Files.createDirectories(dir.resolve("verify"));
        Files.writeString(verify.resolve("knob.yml"), benchmark("cat /proc/sys/vm/swappiness"));
        Files.writeString(verify.resolve("level.yml"), benchmark("sed -n 's/^level=//p' /etc/level.conf 2>/dev/null || echo 0"));
        Files.writeString(dir.resolve("level.conf.ftl"), "level=${level}\n");
        // Runs of 1.5 s: a benchmark too slow for the time a host's budget leaves it.
        Files.writeString(verify.resolve("slow.yml"), benchmark("sleep 1.5; cat /proc/sys/vm/swappiness"));
        // A machine a third slower while /tmp/busy exists (other work arrived), whatever tuner set.
        Files.writeString(verify.resolve("busy.yml"), benchmark("[ -e /tmp/busy ] && echo -33 || echo 0"));
    }

    static String benchmark(String readValue) {
        return """
                description: a score that follows a value on the host (test benchmark)
                timeout: 30s
                warmup: 0
                command: |
                  v=$(%s)
                  n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
                  awk -v v="${v:-0}" -v n="$n" 'BEGIN { printf "score: %%.3f\\n", (1000 + 10 * v) * (1 + n / 6553500) }'
                metrics:
                  score:
                    regex: 'score:\\s*([0-9.]+)'
                    unit: points
                    better: higher
                """.formatted(readValue);
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    @BeforeEach
    void knownValues() {
        for (LabHosts.Host h : lab.hosts()) {
            HostState.ok(lab.exec(h, "echo 20 > /proc/sys/vm/swappiness; echo 3000 > /proc/sys/vm/dirty_expire_centisecs;"
                    + " rm -f /etc/sysctl.d/60-tuner.conf /tmp/busy; printf 'level=20\\n' > /etc/level.conf"));
        }
    }

    static TunerCli.Result apply(String playbook, String... extra) throws Exception {
        Path p = Files.createTempFile(dir, "play", ".yml");
        Files.writeString(p, playbook);
        List<String> args = new ArrayList<>(List.of("apply", p.toString(), "-i", lab.inventoryFile().toString(),
                "--journal", Files.createDirectories(dir.resolve("journal-" + p.getFileName())).toString(), "--verify-dir", verify.toString(),
                "--warmup", "0", "--format", "json"));
        args.addAll(List.of(extra));
        return TunerCli.run(args);
    }

    /** The journal of the last run of {@code r}, one JSON object per line, of one host. */
    static List<JsonNode> journalOf(TunerCli.Result r, String host) throws Exception {
        String run = JSON.readTree(r.out()).get("run_id").asText();
        try (var s = Files.walk(dir)) {
            Path f = s.filter(x -> x.toString().endsWith("runs/" + run + "/hosts/" + host + ".jsonl")).findFirst().orElseThrow();
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) out.add(JSON.readTree(line));
            return out;
        }
    }

    static TunerCli.Result rollback(TunerCli.Result applied) throws Exception {
        String run = JSON.readTree(applied.out()).get("run_id").asText();
        try (var s = Files.walk(dir)) {
            Path runDir = s.filter(x -> x.endsWith(Path.of("runs", run))).findFirst().orElseThrow();
            return TunerCli.run("rollback", run, "-i", lab.inventoryFile().toString(), "--journal", runDir.getParent().getParent().toString());
        }
    }

    static JsonNode verification(TunerCli.Result r, int host) throws Exception {
        return JSON.readTree(r.out()).at("/plays/0/results/" + host + "/verification");
    }

    static String knobPlay(String value, String verifyKeys, String taskOptions) {
        return """
                - name: knob
                  hosts: lab01
                  gather_facts: false
                  verify: {%s}
                  tasks:
                    - name: the setting under test
                      verify: knob
                %s
                      sysctl: {vm.swappiness: %s}
                """.formatted(verifyKeys, taskOptions, value);
    }

    static String sysctl(String host, String key) {
        return HostState.sysctl(lab, lab.host(host), key);
    }

    @Test
    void aReversibleChangeIsToggledInRoundsEndsAppliedAndRollsBackByteForByte() throws Exception {
        String untouched = HostState.of(lab, lab.host("lab01"));

        TunerCli.Result r = apply(knobPlay("60", "max_rounds: 6, seed: 7", ""));

        assertThat(r.exitCode()).as(r.screen()).isZero();
        JsonNode v = verification(r, 0);
        assertThat(v.get("design").asText()).isEqualTo("interleaved");
        assertThat(v.get("seed").asLong()).isEqualTo(7);
        assertThat(v.get("design_note").asText()).contains("toggled in rounds");
        JsonNode res = v.at("/results/0");
        assertThat(res.get("design").asText()).isEqualTo("interleaved");
        assertThat(res.get("verdict").asText()).as(r.out()).isEqualTo("improved");
        assertThat(res.get("rounds").asInt()).isEqualTo(6);
        assertThat(res.get("ratios")).hasSize(6);
        // Every round's pair is (1000 + 10 × 60) / (1000 + 10 × 20), give or take the 1% noise of each run.
        for (JsonNode ratio : res.get("ratios")) assertThat(ratio.asDouble()).isCloseTo(1600.0 / 1200, within(0.03));
        assertThat(sysctl("lab01", "vm.swappiness")).isEqualTo("60");
        assertThat(new String(HostState.file(lab, lab.host("lab01"), "/etc/sysctl.d/60-tuner.conf"), StandardCharsets.UTF_8))
                .contains("vm.swappiness = 60");

        // Each toggle is journaled, then applied through the applier like any change.
        List<JsonNode> events = journalOf(r, "lab01");
        List<String> toggles = events.stream().filter(e -> e.get("event").asText().equals("toggle")).map(e -> e.at("/detail/to").asText()).toList();
        long applied = events.stream().filter(e -> e.get("event").asText().equals("applied")).count();
        assertThat(toggles).isNotEmpty().first().isEqualTo("before");
        assertThat(toggles).last().isEqualTo("after");
        for (int i = 1; i < toggles.size(); i++) assertThat(toggles.get(i)).as("toggles alternate").isNotEqualTo(toggles.get(i - 1));
        assertThat(applied).as("the apply and one applied event per toggle").isEqualTo(1 + toggles.size());
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("event").asText()).isEqualTo("design");
            assertThat(e.at("/detail/seed").asLong()).isEqualTo(7);
        });

        TunerCli.Result back = rollback(r);
        assertThat(back.exitCode()).as(back.screen()).isZero();
        assertThat(HostState.of(lab, lab.host("lab01"))).as("lab01 after tuner rollback").isEqualTo(untouched);
    }

    @Test
    void theSameSeedGivesTheSameOrders() throws Exception {
        TunerCli.Result first = apply(knobPlay("60", "max_rounds: 6, seed: 11", ""));
        knownValues();
        TunerCli.Result second = apply(knobPlay("60", "max_rounds: 6, seed: 11", ""));

        assertThat(toggleRounds(first)).isEqualTo(toggleRounds(second)).isNotEmpty();
    }

    private static List<String> toggleRounds(TunerCli.Result r) throws Exception {
        return journalOf(r, "lab01").stream().filter(e -> e.get("event").asText().equals("toggle"))
                .map(e -> e.at("/detail/round").asInt() + e.at("/detail/to").asText()).toList();
    }

    @Test
    void aRegressionFoundInRoundsIsRolledBackToTheValueBeforeTheRun() throws Exception {
        TunerCli.Result r = apply(knobPlay("5", "max_rounds: 6", "      rollback_on_regression: true"));

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(3);
        JsonNode v = verification(r, 0);
        assertThat(v.at("/results/0/verdict").asText()).isEqualTo("regressed");
        assertThat(v.at("/rolled_back_tasks/0").asText()).isEqualTo("the setting under test");
        assertThat(sysctl("lab01", "vm.swappiness")).isEqualTo("20");
        assertThat(HostState.file(lab, lab.host("lab01"), "/etc/sysctl.d/60-tuner.conf")).as("the drop-in did not exist before").isNull();
    }

    @Test
    void aChangeWithoutEffectIsUnchangedWhenTheIntervalLiesWithinTheThreshold() throws Exception {
        TunerCli.Result r = apply("""
                - name: no effect
                  hosts: lab01
                  gather_facts: false
                  verify: {max_rounds: 6}
                  tasks:
                    - name: a setting knob does not read
                      verify: knob
                      rollback_on_regression: true
                      sysctl: {vm.dirty_expire_centisecs: 3001}
                """);

        assertThat(r.exitCode()).as(r.screen()).isZero();
        JsonNode res = verification(r, 0).at("/results/0");
        assertThat(res.get("verdict").asText()).as(r.out()).isEqualTo("unchanged");
        assertThat(res.get("ciLow").asDouble()).isGreaterThanOrEqualTo(0.95);
        assertThat(res.get("ciHigh").asDouble()).isLessThanOrEqualTo(1.05);
        assertThat(sysctl("lab01", "vm.dirty_expire_centisecs")).isEqualTo("3001");
    }

    @Test
    void aHostsBenchmarksShareItsTimeAndOneThatCannotReachAVerdictInItsShareStopsAtOnce() throws Exception {
        TunerCli.Result r = apply("""
                - name: two benchmarks, 8 seconds
                  hosts: lab01
                  gather_facts: false
                  verify: {max_rounds: 6, max_host_time: 8s}
                  tasks:
                    - name: the setting under test
                      verify: {benchmarks: [knob, slow]}
                      sysctl: {vm.swappiness: 60}
                """);

        assertThat(r.exitCode()).as(r.screen()).isZero();
        JsonNode v = verification(r, 0);
        // knob's runs take a moment: decided at round 6, well inside its share of 4 s.
        JsonNode knob = v.at("/results/0");
        assertThat(knob.get("benchmark").asText()).isEqualTo("knob");
        assertThat(knob.get("verdict").asText()).as(r.out()).isEqualTo("improved");
        assertThat(knob.get("rounds").asInt()).isEqualTo(6);
        // slow is left the rest, about 7 s: at 3 s a round, 6 rounds cannot fit, so it stops after the first.
        JsonNode slow = v.at("/results/1");
        assertThat(slow.get("benchmark").asText()).isEqualTo("slow");
        assertThat(slow.get("verdict").asText()).as(r.out()).isEqualTo("inconclusive");
        assertThat(slow.get("ratios")).hasSize(1);
        assertThat(slow.get("note").asText()).contains("its share of max_host_time 8s").contains("leaves no room for the 6 rounds any verdict needs");
        assertThat(journalOf(r, "lab01")).anySatisfy(e -> {
            assertThat(e.get("event").asText()).isEqualTo("design");
            assertThat(e.at("/detail/max_host_time_s").asDouble()).isEqualTo(8.0);
        });
        assertThat(sysctl("lab01", "vm.swappiness")).isEqualTo("60");
    }

    @Test
    void aControlHostIsMeasuredAtTheSameMomentsAndNeverChanged() throws Exception {
        String lab01 = HostState.of(lab, lab.host("lab01"));
        String lab02 = HostState.of(lab, lab.host("lab02"));

        TunerCli.Result r = apply(knobPlay("60", "design: control, control: lab02, max_rounds: 6", ""));

        assertThat(r.exitCode()).as(r.screen()).isZero();
        JsonNode v = verification(r, 0);
        assertThat(v.get("design").asText()).isEqualTo("control");
        assertThat(v.get("controls")).extracting(JsonNode::asText).containsExactly("lab02");
        assertThat(v.get("seed").isNull()).as("nothing is toggled, so there is no order to draw").isTrue();
        JsonNode res = v.at("/results/0");
        assertThat(res.get("verdict").asText()).as(r.out()).isEqualTo("improved");
        assertThat(res.at("/controls/0/host").asText()).isEqualTo("lab02");
        int rounds = res.get("ratios").size();
        assertThat(res.at("/controls/0/before")).hasSize(rounds);
        assertThat(res.at("/controls/0/after")).hasSize(rounds);
        // lab02 keeps swappiness 20: its figures stay near 1200 on both sides.
        for (JsonNode x : res.at("/controls/0/after")) assertThat(x.asDouble()).isCloseTo(1200, within(15.0));
        for (JsonNode ratio : res.get("ratios")) assertThat(ratio.asDouble()).isCloseTo(1600.0 / 1200, within(0.04));
        assertThat(journalOf(r, "lab01")).noneMatch(e -> e.get("event").asText().equals("toggle"));
        assertThat(HostState.of(lab, lab.host("lab02"))).as("the control is never changed").isEqualTo(lab02);

        TunerCli.Result back = rollback(r);
        assertThat(back.exitCode()).as(back.screen()).isZero();
        assertThat(HostState.of(lab, lab.host("lab01"))).isEqualTo(lab01);
    }

    static String levelPlay(String hosts, String value, String playKeys, String verifyKeys, String taskOptions) {
        return """
                - name: level
                  hosts: %s
                  gather_facts: false
                  vars: {tuner_service_manager: none, level: %s}
                  %s
                  verify: {%s}
                  tasks:
                    - name: the level file
                      verify: level
                      notify: restart leveld
                %s
                      template: {src: level.conf.ftl, dest: /etc/level.conf}
                  handlers:
                    - name: restart leveld
                      service: {name: leveld, state: restarted}
                """.formatted(hosts, value, playKeys, verifyKeys, taskOptions);
    }

    @Test
    void withSerialBatchesAChangeThatCostsARestartIsMeasuredBesideTheOtherBatch() throws Exception {
        TunerCli.Result r = apply(levelPlay("lab01:lab02", "50", "serial: 1", "max_rounds: 6", ""));

        assertThat(r.exitCode()).as(r.screen()).isZero();
        for (int i = 0; i < 2; i++) {
            JsonNode v = verification(r, i);
            String other = i == 0 ? "lab02" : "lab01";
            assertThat(v.get("design").asText()).as(r.out()).isEqualTo("control");
            assertThat(v.get("design_note").asText()).contains("handler 'restart leveld' restarts leveld").contains("toggle_restarts");
            assertThat(v.get("controls")).extracting(JsonNode::asText).containsExactly(other);
            assertThat(v.at("/results/0/verdict").asText()).isEqualTo("improved");
        }
        for (String h : List.of("lab01", "lab02")) assertThat(HostState.ok(lab.exec(lab.host(h), "cat /etc/level.conf"))).isEqualTo("level=50\n");
    }

    @Test
    void twoChangedHostsTakeTurnsWithTheControlTheyShare() throws Exception {
        String lab03 = HostState.of(lab, lab.host("lab03"));

        TunerCli.Result r = apply(knobPlay("60", "design: control, control: lab03, max_rounds: 6", "").replace("hosts: lab01", "hosts: lab01:lab02"));

        assertThat(r.exitCode()).as(r.screen()).isZero();
        for (int i = 0; i < 2; i++) {
            JsonNode v = verification(r, i);
            assertThat(v.get("controls")).extracting(JsonNode::asText).containsExactly("lab03");
            assertThat(v.at("/results/0/verdict").asText()).as(r.out()).isEqualTo("improved");
            assertThat(v.at("/results/0/controls/0/after")).hasSize(v.at("/results/0/ratios").size());
        }
        assertThat(HostState.of(lab, lab.host("lab03"))).as("the shared control is never changed").isEqualTo(lab03);
    }

    @Test
    void toggleRestartsLetsARestartCostChangeBeToggled() throws Exception {
        TunerCli.Result r = apply(levelPlay("lab01", "50", "", "max_rounds: 6, toggle_restarts: true", ""));

        assertThat(r.exitCode()).as(r.screen()).isZero();
        JsonNode v = verification(r, 0);
        assertThat(v.get("design").asText()).isEqualTo("interleaved");
        assertThat(v.at("/results/0/verdict").asText()).isEqualTo("improved");
        assertThat(HostState.ok(lab.exec(lab.host("lab01"), "cat /etc/level.conf"))).isEqualTo("level=50\n");
        assertThat(journalOf(r, "lab01")).filteredOn(e -> e.get("event").asText().equals("services"))
                .as("the handler ran after the apply and after each toggle").hasSizeGreaterThan(1);
    }

    @Test
    void withNeitherTogglingNorAControlTheVerdictSaysSoAndARegressionIsKeptUnlessAskedForExplicitly() throws Exception {
        TunerCli.Result r = apply(levelPlay("lab01", "5", "", "runs: 6", "      rollback_on_regression: true"), "--no-color");

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(3);
        JsonNode v = verification(r, 0);
        assertThat(v.get("design").asText()).isEqualTo("before-after");
        assertThat(v.get("design_note").asText()).contains("an environment shift between the phases cannot be ruled out");
        assertThat(v.at("/results/0/verdict").asText()).isEqualTo("regressed");
        assertThat(v.at("/results/0/note").asText()).contains("before/after only: an environment shift between the phases cannot be ruled out");
        assertThat(v.get("rolled_back_tasks")).isEmpty();
        assertThat(v.at("/kept_regressions/0").asText()).isEqualTo("the level file (level)");
        assertThat(HostState.ok(lab.exec(lab.host("lab01"), "cat /etc/level.conf"))).isEqualTo("level=5\n");

        knownValues();
        TunerCli.Result asked = apply(levelPlay("lab01", "5", "", "runs: 6, rollback_before_after: true", "      rollback_on_regression: true"));
        assertThat(asked.exitCode()).as(asked.screen()).isEqualTo(3);
        assertThat(verification(asked, 0).at("/rolled_back_tasks/0").asText()).isEqualTo("the level file");
        assertThat(HostState.ok(lab.exec(lab.host("lab01"), "cat /etc/level.conf"))).isEqualTo("level=20\n");
    }

    /**
     * The environment moves the moment the change lands: a watcher outside the hosts reads lab01's
     * value through /proc/PID/root of its init and, as soon as it changed, makes every host a third
     * slower. The change itself does nothing. Before-after calls that a regression; interleaved
     * rounds and a control host do not.
     */
    @Test
    void aShiftOfTheEnvironmentWhenTheChangeLandsFoolsOnlyTheBeforeAfterDesign() throws Exception {
        String noEffect = """
                - name: no effect
                  hosts: lab01
                  gather_facts: false
                  verify: {%s}
                  tasks:
                    - name: a setting busy does not read
                      verify: busy
                      rollback_on_regression: true
                      sysctl: {vm.dirty_expire_centisecs: 3001}
                """;
        TunerCli.Result beforeAfter = withShift(() -> apply(noEffect.formatted("design: before-after, runs: 6")));
        assertThat(beforeAfter.exitCode()).as(beforeAfter.screen()).isEqualTo(3);
        assertThat(verification(beforeAfter, 0).at("/results/0/verdict").asText()).isEqualTo("regressed");
        assertThat(verification(beforeAfter, 0).at("/results/0/ratio").asDouble()).isCloseTo(670.0 / 1000, within(0.02));
        assertThat(verification(beforeAfter, 0).get("kept_regressions")).as("a before-after verdict is not rolled back unasked").hasSize(1);

        knownValues();
        TunerCli.Result interleaved = withShift(() -> apply(noEffect.formatted("max_rounds: 6")));
        assertThat(interleaved.exitCode()).as(interleaved.screen()).isZero();
        assertThat(verification(interleaved, 0).at("/results/0/verdict").asText()).isEqualTo("unchanged");
        assertThat(sysctl("lab01", "vm.dirty_expire_centisecs")).isEqualTo("3001");

        knownValues();
        TunerCli.Result control = withShift(() -> apply(noEffect.formatted("design: control, control: lab02, max_rounds: 6")));
        assertThat(control.exitCode()).as(control.screen()).isZero();
        JsonNode c = verification(control, 0).at("/results/0");
        assertThat(c.get("verdict").asText()).isEqualTo("unchanged");
        assertThat(c.at("/controls/0/after/0").asDouble()).as("the control slowed down too").isCloseTo(670, within(10.0));
    }

    interface Apply {
        TunerCli.Result run() throws Exception;
    }

    /** Runs an apply while a watcher makes every host busy the moment lab01's vm.dirty_expire_centisecs leaves 3000. */
    private static TunerCli.Result withShift(Apply apply) throws Exception {
        Path watched = Path.of("/proc/" + lab.initPid(lab.host("lab01")) + "/root/proc/sys/vm/dirty_expire_centisecs");
        assertThat(Files.readString(watched).trim()).isEqualTo("3000");
        Thread watcher = new Thread(() -> {
            try {
                while (Files.readString(watched).trim().equals("3000")) Thread.sleep(10);
                for (LabHosts.Host h : lab.hosts()) Files.writeString(Path.of("/proc/" + lab.initPid(h) + "/root/tmp/busy"), "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "environment-shift");
        watcher.setDaemon(true);
        watcher.start();
        try {
            return apply.run();
        } finally {
            watcher.interrupt();
            watcher.join(5000);
        }
    }
}
