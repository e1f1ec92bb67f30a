package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts in batches ({@code serial}) over four real lab hosts that stop when a batch goes wrong:
 * a change verified to regress (exit 3), more failed hosts than {@code max_fail_percentage}, or any
 * failure with {@code any_errors_fatal} (exit 1). The hosts after the batch must be left exactly as
 * they were — read on the hosts themselves — and every output must name them.
 *
 * <p>The benchmark {@code knob} scores 1000 + 10 × vm.swappiness (plus 1% noise), so lowering
 * swappiness is a regression. A host is made to fail by a task only lab02 runs, setting
 * {@code kernel.domainname}, which lab hosts refuse (their /proc/sys is read-only but for the
 * faked keys): lab02 fails, keeping the values its kernel took, as a refused setting does.
 */
class RolloutTest {
    static LabHosts lab;
    @TempDir
    static Path dir;
    static Path verify;
    static Path journal;
    static final List<String> HOSTS = List.of("lab01", "lab02", "lab03", "lab04");

    @BeforeAll
    static void start() throws Exception {
        lab = LabHosts.start(4);
        verify = Files.createDirectories(dir.resolve("verify"));
        Files.writeString(verify.resolve("knob.yml"), """
                description: a score that grows with vm.swappiness (test benchmark)
                timeout: 30s
                warmup: 0
                command: |
                  v=$(cat /proc/sys/vm/swappiness)
                  n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
                  awk -v v="$v" -v n="$n" 'BEGIN { printf "score: %.3f\\n", (1000 + 10 * v) * (1 + n / 6553500) }'
                metrics:
                  score:
                    regex: 'score:\\s*([0-9.]+)'
                    unit: points
                    better: higher
                """);
        journal = dir.resolve("journal");
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    /** Every host at swappiness 60 and dirty_ratio 20 before each scenario. */
    @BeforeEach
    void sameStartingPoint() throws Exception {
        TunerCli.Result r = apply(playbook("", "vm.swappiness: 60\n        vm.dirty_ratio: 20", ""), "--no-verify");
        assertThat(r.exitCode()).as(r.screen()).isZero();
        assertThat(read("vm/swappiness")).containsOnly(Map.entry("lab01", "60"), Map.entry("lab02", "60"),
                Map.entry("lab03", "60"), Map.entry("lab04", "60"));
    }

    static Path playbook(String playKeys, String sysctls, String extraTasks) throws Exception {
        Path p = Files.createTempFile(dir, "play", ".yml");
        Files.writeString(p, """
                - name: rollout
                  hosts: lab
                  gather_facts: false
                %s
                  tasks:
                    - name: the setting under test
                      verify: knob
                      sysctl:
                        %s
                %s
                """.formatted(playKeys, sysctls, extraTasks));
        return p;
    }

    /** A task only lab02 runs, which its kernel refuses: lab02 fails and is reverted. */
    static final String LAB02_FAILS = """
                - name: a key lab hosts refuse
                  when: inventory_hostname == "lab02"
                  sysctl:
                    kernel.domainname: rollout-test
            """;

    static TunerCli.Result apply(Path playbook, String... extra) {
        List<String> args = new ArrayList<>(List.of("apply", playbook.toString(), "-i", lab.inventoryFile().toString(),
                "--journal", journal.toString(), "--verify-dir", verify.toString(), "--runs", "5", "--warmup", "0"));
        args.addAll(List.of(extra));
        return TunerCli.run(args);
    }

    /** A /proc/sys value on every host, read inside the host. */
    static Map<String, String> read(String key) {
        Map<String, String> out = new TreeMap<>();
        for (String h : HOSTS) out.put(h, lab.exec(h, "cat /proc/sys/" + key).out().trim());
        return out;
    }

    static JsonNode json(TunerCli.Result r) throws Exception {
        return new ObjectMapper().readTree(r.out());
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void aRegressionInTheFirstBatchLeavesTheOtherHostsAloneAndIsRolledBack() throws Exception {
        TunerCli.Result r = apply(playbook("  serial: 1\n  rollback_on_regression: true", "vm.swappiness: 5", ""),
                "--format", "json");

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(3);
        JsonNode play = json(r).at("/plays/0");
        assertThat(play.get("results")).hasSize(1);
        JsonNode lab01 = play.at("/results/0");
        assertThat(lab01.get("host").asText()).isEqualTo("lab01");
        // lab01 was changed (its after figures are those of swappiness 5), found worse and put back.
        assertThat(lab01.at("/verification/results/0/verdict").asText()).isEqualTo("regressed");
        assertThat(lab01.at("/verification/results/0/afterMedian").asDouble()).isBetween(1045.0, 1062.0);
        assertThat(strings(lab01.at("/verification/rolled_back_tasks"))).containsExactly("the setting under test");
        assertThat(strings(play.get("not_started"))).containsExactly("lab02", "lab03", "lab04");
        assertThat(play.get("stopped").asText()).isEqualTo("stopped after batch 1 of 4 of play 'rollout': a change was verified"
                + " to make a benchmark worse on lab01 (knob score), so the hosts after it were not given the same change");
        assertThat(json(r).get("recap")).extracting(n -> n.get("host").asText() + " changed=" + n.get("changed").asInt()
                + " not_started=" + n.get("not_started").asInt())
                .containsExactly("lab01 changed=1 not_started=0", "lab02 changed=0 not_started=1", "lab03 changed=0 not_started=1",
                        "lab04 changed=0 not_started=1");

        assertThat(read("vm/swappiness")).as("lab01 rolled back, the others never touched").containsOnly(
                Map.entry("lab01", "60"), Map.entry("lab02", "60"), Map.entry("lab03", "60"), Map.entry("lab04", "60"));
        for (String h : List.of("lab02", "lab03", "lab04"))
            assertThat(lab.exec(h, "cat /etc/sysctl.d/60-tuner.conf").out()).as(h).contains("vm.swappiness = 60").doesNotContain("= 5\n");
        // Run ids of the same second differ by a random suffix: find this run by the id it printed.
        Path run = journal.resolve("runs").resolve(json(r).get("run_id").asText());
        assertThat(run.resolve("hosts/lab01.jsonl")).exists();
        assertThat(run.resolve("hosts/lab02.jsonl")).as("nothing was recorded for a host never started").doesNotExist();
        assertThat(Files.readString(run.resolve("run.json"))).contains("\"status\" : \"stopped\"").contains("\"not_started\" : 3");
    }

    @Test
    void aKeptRegressionStopsTheRolloutTooAndTheRecapSaysWhichHostsWereLeftAlone() throws Exception {
        Path report = dir.resolve("kept.html");
        TunerCli.Result r = apply(playbook("  serial: 1", "vm.swappiness: 5", ""), "--no-color", "--report", report.toString());

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(3);
        assertThat(read("vm/swappiness")).containsOnly(Map.entry("lab01", "5"), Map.entry("lab02", "60"), Map.entry("lab03", "60"),
                Map.entry("lab04", "60"));
        String recap = r.out().substring(r.out().indexOf("PLAY RECAP"));
        assertThat(recap).contains("lab01 : ok=0  changed=1  unreachable=0  failed=0  skipped=0\n")
                .contains("lab02 : ok=0  changed=0  unreachable=0  failed=0  skipped=0  not_started=1\n")
                .contains("lab04 : ok=0  changed=0  unreachable=0  failed=0  skipped=0  not_started=1\n")
                .contains("STOPPED: stopped after batch 1 of 4 of play 'rollout': a change was verified to make a benchmark worse"
                        + " on lab01 (knob score)")
                .contains("not started, left as they were: lab02, lab03, lab04");
        assertThat(r.out()).contains("REGRESSION KEPT: the setting under test (knob)").contains("NOT STARTED lab02, lab03, lab04");
        assertThat(Files.readString(report)).contains("<p class=\"notice\">stopped after batch 1 of 4 of play &#39;rollout&#39;")
                .contains("<p class=\"notice\">Not started, left as they were: lab02, lab03, lab04</p>");
    }

    @Test
    void moreFailedHostsThanMaxFailPercentageStopTheRollout() throws Exception {
        // Batch 1 is lab01 and lab02; lab02 fails: 50% > 49%.
        TunerCli.Result r = apply(playbook("  serial: 2\n  max_fail_percentage: \"49%\"", "vm.swappiness: 30", LAB02_FAILS),
                "--no-verify", "--format", "markdown");

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        // lab02 keeps what its kernel took (the refused key fails it, recorded); lab03 and lab04 were never started.
        assertThat(read("vm/swappiness")).containsOnly(Map.entry("lab01", "30"), Map.entry("lab02", "30"),
                Map.entry("lab03", "60"), Map.entry("lab04", "60"));
        assertThat(r.out()).contains("| lab02 | 0 | 1 | 0 | 1 | 0 | 0 |")
                .contains("| lab03 | 0 | 0 | 0 | 0 | 0 | 1 |")
                .contains("> **stopped**: stopped after batch 1 of 2 of play 'rollout': 1 of the batch's 2 hosts failed (lab02),"
                        + " more than max\\_fail\\_percentage 49%")
                .contains("not started, left as they were: lab03, lab04");
    }

    @Test
    void failuresUpToMaxFailPercentageDoNotStopIt() throws Exception {
        // 50% failed is not more than 50%: the rollout goes on, and the failure still exits 1.
        TunerCli.Result r = apply(playbook("  serial: 2\n  max_fail_percentage: 50", "vm.swappiness: 30", LAB02_FAILS),
                "--no-verify", "--no-color");

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        assertThat(read("vm/swappiness")).containsOnly(Map.entry("lab01", "30"), Map.entry("lab02", "30"), Map.entry("lab03", "30"),
                Map.entry("lab04", "30"));
        assertThat(r.out()).doesNotContain("STOPPED").doesNotContain("not_started");
    }

    @Test
    void anyErrorsFatalStopsAfterTheBatchAndSkipsTheLaterPlays() throws Exception {
        Path p = playbook("  serial: 2\n  any_errors_fatal: true", "vm.swappiness: 30", LAB02_FAILS);
        Files.writeString(p, Files.readString(p) + """
                - name: later play
                  hosts: lab
                  gather_facts: false
                  tasks:
                    - name: dirty ratio
                      sysctl: {vm.dirty_ratio: 15}
                """);
        TunerCli.Result r = apply(p, "--no-verify", "--format", "json");

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(1);
        JsonNode doc = json(r);
        assertThat(doc.at("/plays/0/results")).extracting(n -> n.get("host").asText() + " " + n.get("status").asText())
                .containsExactly("lab01 changed", "lab02 failed");
        assertThat(strings(doc.at("/plays/0/not_started"))).containsExactly("lab03", "lab04");
        assertThat(doc.at("/plays/0/stopped").asText()).isEqualTo("stopped after batch 1 of 2 of play 'rollout': lab02 has failed"
                + " or could not be reached, and the play sets any_errors_fatal");
        assertThat(doc.at("/plays/1/results")).isEmpty();
        assertThat(strings(doc.at("/plays/1/not_started"))).containsExactlyElementsOf(HOSTS);
        assertThat(doc.at("/plays/1/stopped").asText()).isEqualTo(doc.at("/plays/0/stopped").asText());
        assertThat(doc.get("recap")).extracting(n -> n.get("host").asText() + " not_started=" + n.get("not_started").asInt())
                .containsExactly("lab01 not_started=1", "lab02 not_started=1", "lab03 not_started=2", "lab04 not_started=2");
        assertThat(read("vm/swappiness")).containsOnly(Map.entry("lab01", "30"), Map.entry("lab02", "30"), Map.entry("lab03", "60"),
                Map.entry("lab04", "60"));
        assertThat(read("vm/dirty_ratio")).as("the later play started nowhere").containsOnly(Map.entry("lab01", "20"),
                Map.entry("lab02", "20"), Map.entry("lab03", "20"), Map.entry("lab04", "20"));
    }

    /**
     * The slices of a rollout that stops, merged, say what the unsliced run says. Only lab02 changes
     * (and regresses), so both stop at it: unsliced after lab01 and lab02, slice 2/2 (lab02, lab03,
     * lab04) after lab02, while slice 1/2 (lab01) has nothing to change. lab03 and lab04 are never
     * started either way.
     */
    @Test
    void theSlicesOfAStoppedRolloutMergeIntoWhatTheUnslicedRunSays() throws Exception {
        assertThat(HOSTS.stream().filter(new dev.tuner.slice.Slice(1, 2)::contains).toList()).as("slice 1/2").containsExactly("lab01");
        Path p = Files.createTempFile(dir, "only-lab02", ".yml");
        Files.writeString(p, """
                - name: rollout
                  hosts: lab
                  gather_facts: false
                  serial: 1
                  rollback_on_regression: true
                  tasks:
                    - name: the setting under test
                      when: inventory_hostname == "lab02"
                      verify: knob
                      sysctl: {vm.swappiness: 5}
                """);
        TunerCli.Result whole = apply(p, "--format", "json");
        assertThat(whole.exitCode()).as(whole.screen()).isEqualTo(3);
        JsonNode unsliced = json(whole);
        assertThat(strings(unsliced.at("/plays/0/not_started"))).containsExactly("lab03", "lab04");
        assertThat(read("vm/swappiness")).as("lab02 rolled back, lab03 and lab04 never started").containsOnly(
                Map.entry("lab01", "60"), Map.entry("lab02", "60"), Map.entry("lab03", "60"), Map.entry("lab04", "60"));

        List<Path> parts = new ArrayList<>();
        for (int k = 1; k <= 2; k++) {
            TunerCli.Result slice = apply(p, "--slice", k + "/2", "--format", "json");
            assertThat(slice.exitCode()).as(slice.screen()).isEqualTo(k == 1 ? 0 : 3);
            parts.add(Files.writeString(dir.resolve("rollout-" + k + ".json"), slice.out()));
        }
        assertThat(read("vm/swappiness")).containsOnly(Map.entry("lab01", "60"), Map.entry("lab02", "60"), Map.entry("lab03", "60"),
                Map.entry("lab04", "60"));

        TunerCli.Result merged = merge("json", parts);
        assertThat(merged.exitCode()).as("a batch regressed: as the unsliced run\n%s", merged.screen()).isEqualTo(whole.exitCode());
        JsonNode doc = json(merged);
        assertThat(doc.get("recap")).as("the recap, not_started included").isEqualTo(unsliced.get("recap"));
        assertThat(doc.at("/plays/0/not_started")).isEqualTo(unsliced.at("/plays/0/not_started"));
        assertThat(statuses(doc.at("/plays/0/results"))).isEqualTo(statuses(unsliced.at("/plays/0/results")))
                .containsExactly("lab01 skipped", "lab02 changed");
        // Each slice counts its own batches: the reason is the unsliced one but for which batch of how many.
        String why = unsliced.at("/plays/0/stopped").asText();
        assertThat(why).contains("a change was verified to make a benchmark worse on lab02 (knob score)");
        assertThat(doc.at("/plays/0/stopped").asText().replaceAll("batch \\d+ of \\d+", "batch K of N"))
                .isEqualTo(why.replaceAll("batch \\d+ of \\d+", "batch K of N"));
        assertThat(doc.at("/plays/0/results/1/verification/design")).isEqualTo(unsliced.at("/plays/0/results/1/verification/design"));

        TunerCli.Result text = merge("text", parts);
        assertThat(text.exitCode()).isEqualTo(3);
        assertThat(text.out()).as(text.screen()).contains("NOT STARTED lab03, lab04  left as they were: stopped after batch 1 of 3")
                .contains("lab03 : ok=0  changed=0  unreachable=0  failed=0  skipped=0  not_started=1\n")
                .contains("lab04 : ok=0  changed=0  unreachable=0  failed=0  skipped=0  not_started=1\n")
                .contains("STOPPED: stopped after batch 1 of 3 of play 'rollout'")
                .contains("not started, left as they were: lab03, lab04");
        TunerCli.Result md = merge("markdown", parts);
        assertThat(md.exitCode()).isEqualTo(3);
        assertThat(md.out()).as(md.screen()).contains("| lab03 | 0 | 0 | 0 | 0 | 0 | 1 |", "| lab04 | 0 | 0 | 0 | 0 | 0 | 1 |")
                .contains("> **stopped**: stopped after batch 1 of 3").contains("> not started: lab03, lab04 (stopped after batch 1 of 3");
    }

    /** "host status" of each host result. */
    static List<String> statuses(JsonNode results) {
        List<String> out = new ArrayList<>();
        results.forEach(n -> out.add(n.get("host").asText() + " " + n.get("status").asText()));
        return out;
    }

    static TunerCli.Result merge(String format, List<Path> documents) {
        List<String> args = new ArrayList<>(List.of("merge", "--format", format, "--no-color"));
        documents.forEach(d -> args.add(d.toString()));
        return TunerCli.run(args);
    }
}
