package dev.tuner.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The before-after verify loop on a real lab host over SSH, with a benchmark whose figure really
 * depends on a setting: {@code knob} scores 1000 + 10 × vm.swappiness plus noise. Raising
 * swappiness improves it, lowering it regresses it, and vm.dirty_expire_centisecs does not touch
 * it (an A/A change). The play asks for {@code design: before-after} (a sysctl would otherwise be
 * toggled in rounds: see VerificationDesignsTest) and lets its regressions roll back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifiedApplyTest {
    static LabHosts lab;
    @TempDir
    static Path dir;
    static Path verify;
    static Path journal;

    @BeforeAll
    static void start() throws Exception {
        lab = LabHosts.start(1);
        verify = Files.createDirectories(dir.resolve("verify"));
        // Noise of up to 1% from /dev/urandom, so the rank test sees real spread.
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
        TunerCli.Result setup = apply(playbook("vm.swappiness: 20", ""), "--no-verify");
        assertThat(setup.exitCode()).as(setup.screen()).isZero();
    }

    @AfterAll
    static void stop() {
        if (lab != null) lab.close();
    }

    static Path playbook(String setting, String taskOptions) throws Exception {
        Path p = Files.createTempFile(dir, "play", ".yml");
        Files.writeString(p, """
                - name: knob
                  hosts: lab
                  gather_facts: false
                  verify: {design: before-after, rollback_before_after: true}
                  tasks:
                    - name: the setting under test
                      verify: knob
                %s
                      sysctl:
                        %s
                """.formatted(taskOptions, setting));
        return p;
    }

    static TunerCli.Result apply(Path playbook, String... extra) {
        String[] base = {"apply", playbook.toString(), "-i", lab.inventoryFile().toString(), "--journal", journal.toString(),
                "--verify-dir", verify.toString(), "--runs", "6", "--warmup", "0", "--format", "json"};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return TunerCli.run(args);
    }

    static String swappiness() {
        return lab.exec("lab01", "cat /proc/sys/vm/swappiness").out().trim();
    }

    static JsonNode verification(TunerCli.Result r) throws Exception {
        return new ObjectMapper().readTree(r.out()).at("/plays/0/results/0/verification");
    }

    @Test
    @Order(1)
    void anImprovingChangeIsKept() throws Exception {
        TunerCli.Result r = apply(playbook("vm.swappiness: 60", "      rollback_on_regression: true"));

        assertThat(r.exitCode()).as(r.screen()).isZero();
        JsonNode v = verification(r);
        assertThat(v.at("/results/0/benchmark").asText()).isEqualTo("knob");
        assertThat(v.at("/results/0/verdict").asText()).as(r.out()).isEqualTo("improved");
        assertThat(v.at("/results/0/before").size()).isEqualTo(6);
        assertThat(v.at("/rolled_back_tasks").size()).isZero();
        assertThat(swappiness()).isEqualTo("60");
    }

    @Test
    @Order(2)
    void aRegressingChangeIsRolledBackAndTheRunExits3() throws Exception {
        TunerCli.Result r = apply(playbook("vm.swappiness: 5", "      rollback_on_regression: true"));

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(3);
        JsonNode v = verification(r);
        assertThat(v.at("/results/0/verdict").asText()).isEqualTo("regressed");
        assertThat(v.at("/rolled_back_tasks/0").asText()).isEqualTo("the setting under test");
        assertThat(swappiness()).as("rolled back to the value before this run").isEqualTo("60");
        assertThat(lab.exec("lab01", "cat /etc/sysctl.d/60-tuner.conf").out()).contains("vm.swappiness = 60").doesNotContain("= 5\n");
    }

    @Test
    @Order(3)
    void aRegressionWithoutRollbackStaysAndIsSaidPlainly() throws Exception {
        Path p = playbook("vm.swappiness: 30", "");
        TunerCli.Result r = TunerCli.run("apply", p.toString(), "-i", lab.inventoryFile().toString(), "--journal", journal.toString(),
                "--verify-dir", verify.toString(), "--runs", "6", "--warmup", "0", "--no-color");

        assertThat(r.exitCode()).as(r.screen()).isEqualTo(3);
        assertThat(r.out()).contains("VERIFY").contains("knob").contains("regressed")
                .contains("REGRESSION KEPT: the setting under test (knob)");
        assertThat(swappiness()).isEqualTo("30");
    }

    @Test
    @Order(4)
    void aChangeThatChangesNothingIsNoSignificantChange() throws Exception {
        Path report = dir.resolve("report.html");
        TunerCli.Result r = apply(playbook("vm.dirty_expire_centisecs: 1500", "      rollback_on_regression: true"),
                "--report", report.toString());

        assertThat(r.exitCode()).as(r.screen()).isZero();
        assertThat(verification(r).at("/results/0/verdict").asText()).isEqualTo("no significant change");
        assertThat(Files.readString(report)).contains("<svg").contains("knob");
    }

    @Test
    @Order(5)
    void theJournalKeepsTheVerdicts() {
        TunerCli.Result h = TunerCli.run("history", "-i", lab.inventoryFile().toString(), "--journal", journal.toString());
        assertThat(h.out()).contains("apply");
        try (var runs = Files.list(journal.resolve("runs"))) {
            long verified = runs.filter(d -> {
                try {
                    return Files.readString(d.resolve("hosts/lab01.jsonl")).contains("\"event\":\"verified\"");
                } catch (java.io.IOException e) {
                    return false;
                }
            }).count();
            assertThat(verified).isEqualTo(4);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
