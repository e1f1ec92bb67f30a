package dev.tuner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tuner.testing.LabFiles;
import dev.tuner.testing.LabHosts;
import dev.tuner.testing.LabHosts.Host;
import dev.tuner.testing.TunerCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration files that other users may not read (0600 on the host) are secrets whatever kind
 * writes them: a daemon.json with credentials in a registry mirror's URL, a containerd config with
 * a registry password (which a task also changes), a governor unit made private by hand. Plan and
 * apply never show their contents or the values of settings kept in them, in any format, unless
 * {@code --show-secrets}; a rollback of the run hides them as the run did; and every file is still
 * 0600, as stat says in the host, after apply and after rollback.
 */
class SecretFilesLabTest {
    static final String DAEMON_JSON = "/etc/docker/daemon.json";
    static final String CONTAINERD_CONFIG = "/etc/containerd/config.toml";
    static final String UNIT = "/etc/systemd/system/tuner-cpufreq.service";
    static final String MIRROR_PASSWORD = "S3cr3t-Mirror-Pw";
    static final String OLD_REGISTRY_PASSWORD = "0ld-Registry-Pw";
    static final String NEW_REGISTRY_PASSWORD = "N3w-Registry-Pw";
    static final String UNIT_NOTE = "Private-Unit-Note";
    static final String[] SECRETS = {MIRROR_PASSWORD, OLD_REGISTRY_PASSWORD, NEW_REGISTRY_PASSWORD, UNIT_NOTE};

    static final String DAEMON = """
            {
                "registry-mirrors": ["https://deploy:%s@mirror.example.com"],
                "log-level": "warn"
            }
            """.formatted(MIRROR_PASSWORD);
    static final String CONTAINERD = """
            version = 2

            [plugins."io.containerd.grpc.v1.cri".registry.configs."registry.example.com".auth]
              username = "deploy"
              password = "%s"
            """.formatted(OLD_REGISTRY_PASSWORD);
    static final String PLAYBOOK = """
            - hosts: lab01
              gather_facts: false
              tasks:
                - name: pulls
                  docker: {max-concurrent-downloads: 10}
                - name: registry login
                  containerd:
                    plugins."io.containerd.grpc.v1.cri".registry.configs."registry.example.com".auth.password: "{{ registry_password }}"
                - name: cpu
                  governor: performance
            """;

    @TempDir
    Path tmp;

    @Test
    void privateConfigFilesStayHiddenAndPrivateThroughPlanApplyAndRollback() throws Exception {
        try (LabHosts lab = LabHosts.start(1)) {
            Host lab01 = lab.host("lab01");
            LabFiles files = new LabFiles(lab);
            files.put(lab01, DAEMON_JSON, DAEMON, "0600");
            files.put(lab01, CONTAINERD_CONFIG, CONTAINERD, "0600");
            files.put(lab01, UNIT, "# " + UNIT_NOTE + "\n", "0600");
            Path pb = tmp.resolve("private.yml");
            Files.writeString(pb, PLAYBOOK);
            Tuner tuner = new Tuner(lab, tmp);

            // plan: every format hides the files' diffs and the settings kept in them.
            TunerCli.Result text = tuner.run("plan", pb.toString());
            assertThat(text.exitCode()).as(text.screen()).isEqualTo(2);
            assertHidesSecrets(text);
            assertThat(text.out()).contains("~ file " + DAEMON_JSON + "  (modify)", "~ file " + CONTAINERD_CONFIG + "  (modify)",
                    "~ file " + UNIT + "  (modify)", "(diff hidden: a no_log task's values or a file others may not read")
                    .contains("(hidden) → (hidden)")
                    .as("the governor's value is the kernel's, readable by all: shown").contains("→ performance");
            TunerCli.Result json = tuner.run("plan", pb.toString(), "--format", "json");
            assertHidesSecrets(json);
            JsonNode tasks = new ObjectMapper().readTree(json.out()).at("/plays/0/results/0/tasks");
            for (JsonNode t : tasks) {
                for (JsonNode f : t.get("files")) assertThat(f.get("hidden").asBoolean()).as("%s hidden", f.get("path")).isTrue();
                if (!t.get("kind").asText().equals("governor"))
                    for (JsonNode s : t.get("settings")) assertThat(s.get("hidden").asBoolean()).as("%s hidden", s.get("key")).isTrue();
            }
            assertHidesSecrets(tuner.run("plan", pb.toString(), "--format", "markdown"));
            TunerCli.Result shown = tuner.run("plan", pb.toString(), "--show-secrets");
            assertThat(shown.out()).as(shown.screen()).contains(MIRROR_PASSWORD, OLD_REGISTRY_PASSWORD, NEW_REGISTRY_PASSWORD, UNIT_NOTE)
                    .doesNotContain("diff hidden");

            // apply: the files change, hidden in its output too, and stay 0600.
            TunerCli.Result apply = tuner.run("apply", pb.toString(), "--no-verify", "--format", "json");
            assertThat(apply.exitCode()).as(apply.screen()).isZero();
            assertHidesSecrets(apply);
            Map<String, LabFiles.Snapshot> applied = files.readAll(lab01, List.of(DAEMON_JSON, CONTAINERD_CONFIG, UNIT));
            assertThat(applied.get(DAEMON_JSON).text()).contains("\"max-concurrent-downloads\": 10", MIRROR_PASSWORD);
            assertThat(applied.get(CONTAINERD_CONFIG).text()).contains(NEW_REGISTRY_PASSWORD).doesNotContain(OLD_REGISTRY_PASSWORD);
            assertThat(applied.get(UNIT).text()).contains("TUNER_GOVERNOR=performance");
            applied.values().forEach(s -> assertThat(s.stat()).as("%s after apply", s.path()).startsWith("600 root:root "));

            // The journal keeps what to hide: a rollback of the run hides the same, shows it on request, restores 0600 files.
            String runId = new ObjectMapper().readTree(apply.out()).get("run_id").asText();
            TunerCli.Result check = tuner.run("rollback", runId, "--check");
            assertThat(check.exitCode()).as(check.screen()).isEqualTo(2);
            assertHidesSecrets(check);
            assertThat(check.out()).contains("~ file " + DAEMON_JSON + "  (modify)");
            assertThat(tuner.run("rollback", runId, "--check", "--show-secrets").out()).contains(MIRROR_PASSWORD, OLD_REGISTRY_PASSWORD);
            TunerCli.Result rollback = tuner.run("rollback", runId);
            assertThat(rollback.exitCode()).as(rollback.screen()).isZero();
            assertHidesSecrets(rollback);
            Map<String, LabFiles.Snapshot> restored = files.readAll(lab01, List.of(DAEMON_JSON, CONTAINERD_CONFIG, UNIT));
            assertThat(restored.get(DAEMON_JSON).text()).isEqualTo(DAEMON);
            assertThat(restored.get(CONTAINERD_CONFIG).text()).isEqualTo(CONTAINERD);
            restored.values().forEach(s -> assertThat(s.stat()).as("%s after rollback", s.path()).startsWith("600 root:root "));
        }
    }

    private static void assertHidesSecrets(TunerCli.Result r) {
        for (String s : SECRETS) assertThat(r.screen()).as("output holds no %s", s).doesNotContain(s);
    }

    /** tuner against the lab, with its own journal and the new registry password as an extra variable. */
    private record Tuner(LabHosts lab, Path dir) {
        TunerCli.Result run(String command, String... args) {
            List<String> argv = new ArrayList<>(List.of(command));
            argv.addAll(List.of(args));
            argv.addAll(List.of("-i", lab.inventoryFile().toString(), "--no-color"));
            if (!command.equals("rollback")) argv.addAll(List.of("-e", "registry_password=" + NEW_REGISTRY_PASSWORD));
            if (!command.equals("plan")) argv.addAll(List.of("--journal", dir.resolve("journal").toString()));
            return TunerCli.run(argv);
        }
    }
}
